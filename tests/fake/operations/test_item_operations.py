"""A rule PutItem, GetItem and DeleteItem share: the table name is checked first, and alone.
Each operation's own rules are in test_<operation>.py."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake import FakeDynamoDB

# --- validation errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["PutItem", "GetItem", "DeleteItem"])
@pytest.mark.parametrize(
    ("name", "rule"),
    [
        (None, "Member must not be null"),
        ("a" * 256, "Member must have length less than or equal to 255"),
        ("bad name", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ],
)
def test_table_name_reported_alone(fake: FakeDynamoDB, operation: str, name: str | None, rule: str) -> None:
    request: dict[str, Any] = {"ReturnConsumedCapacity": "bogus"}
    if name is not None:
        request["TableName"] = name
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, request)
    shown = "null" if name is None else f"'{name}'"
    assert caught.value.message == (
        f"1 validation error detected: Value {shown} at 'tableName' failed to satisfy constraint: {rule}"
    )
