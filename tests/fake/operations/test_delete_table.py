"""DeleteTable: shape errors, TableName constraints, ResourceNotFoundException, behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.keys import key_values
from tests.fake.operations.builders import create_table

NOT_FOUND = "Requested resource not found: Table: {} not found"


def not_found(fake: FakeDynamoDB, operation: str, name: str) -> None:
    with pytest.raises(ResourceNotFoundException) as info:
        fake.call_sync(operation, {"TableName": name})
    assert info.value.message == NOT_FOUND.format(name)


# --- shape errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_", [{"TableName": 1.5}, {"TableName": True}, {"TableName": ["items"]}, "items"]
)
def test_wrong_kinds_are_serialization_errors(fake: FakeDynamoDB, table: str, request_: Any) -> None:
    with pytest.raises(SerializationException):
        fake.call_sync("DeleteTable", request_)
    assert table in fake.table_names()


# --- validation errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({}, "Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
        ({"TableName": ""}, "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        ({"TableName": "items!"}, "Value 'items!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ],
)  # fmt: skip
def test_table_name_constraints(
    fake: FakeDynamoDB, table: str, request_: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationException) as info:
        fake.call_sync("DeleteTable", request_)
    assert info.value.message == "1 validation error detected: " + message
    assert table in fake.table_names()


def test_a_missing_table_is_not_found(fake: FakeDynamoDB, table: str) -> None:
    not_found(fake, "DeleteTable", "nope")
    assert fake.call_sync("ListTables", {}) == {"TableNames": [table]}


# --- behaviour ----------------------------------------------------------------------------------


def test_delete_answers_the_description_as_deleting(fake: FakeDynamoDB, indexed_table: str) -> None:
    before = fake.call_sync("DescribeTable", {"TableName": indexed_table})["Table"]
    answer = fake.call_sync("DeleteTable", {"TableName": indexed_table})
    assert answer == {"TableDescription": {**before, "TableStatus": "DELETING"}}


def test_delete_then_describe_is_not_found(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync("DeleteTable", {"TableName": table})
    not_found(fake, "DescribeTable", table)
    not_found(fake, "DeleteTable", table)
    assert fake.call_sync("ListTables", {}) == {"TableNames": []}


def test_delete_counts_the_items_it_drops(fake: FakeDynamoDB, hash_table: str) -> None:
    stored = fake.state.tables[hash_table]
    for n in range(3):
        item = {"id": {"S": f"user{n}"}}
        key = key_values(stored.schema.key, item)
        assert key is not None
        stored.store.put(key, item)
    described = fake.call_sync("DeleteTable", {"TableName": hash_table})["TableDescription"]
    assert described["ItemCount"] == 3
    assert described["TableSizeBytes"] == 3 * len("id" + "user0")


def test_delete_by_arn(fake: FakeDynamoDB, table: str) -> None:
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}"
    assert fake.call_sync("DeleteTable", {"TableName": arn})["TableDescription"]["TableName"] == table
    assert table not in fake.table_names()


def test_a_name_can_be_used_again_after_delete(fake: FakeDynamoDB, table: str) -> None:
    old = fake.call_sync("DeleteTable", {"TableName": table})["TableDescription"]
    create_table(fake, table, range_key=None)
    new = fake.call_sync("DescribeTable", {"TableName": table})["Table"]
    assert new["TableId"] != old["TableId"]
    assert len(new["KeySchema"]) == 1 and new["ItemCount"] == 0


def test_other_tables_are_kept(fake: FakeDynamoDB) -> None:
    for name in ("aaa", "bbb", "ccc"):
        create_table(fake, name)
    fake.call_sync("DeleteTable", {"TableName": "bbb"})
    assert fake.call_sync("ListTables", {}) == {"TableNames": ["aaa", "ccc"]}


async def test_delete_through_the_async_transport(fake: FakeDynamoDB, table: str) -> None:
    answer = await fake.call("DeleteTable", {"TableName": table})
    assert answer["TableDescription"]["TableStatus"] == "DELETING"
    with pytest.raises(ResourceNotFoundException) as info:
        await fake.call("DeleteTable", {"TableName": table})
    assert info.value.operation_name == "DeleteTable"
