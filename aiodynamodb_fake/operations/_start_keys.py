"""A Query's or Scan's ExclusiveStartKey: its values alone (parse), then against the keys read (plan).

The values are checked as any AttributeValue is, and most errors are then prefixed with ``The
provided starting key is invalid: ``; the number and duplicate errors DynamoDB reports bare
(dynalite's tests, run against DynamoDB). Against the schema, each key attribute of the index read
must be present, of its type and within the key size limits; the table key is validated as a
``Key``. ``sort_value`` is how storage orders an S, N or B value. Reference §6.4, §6.5.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-ExclusiveStartKey
"""

from __future__ import annotations

import re
from typing import Final

from aiodynamodb.errors import ValidationException

from .. import limits
from .. import messages as msg
from ..expressions.evaluate import sort_value  # re-exported: what orders an S, N or B value
from ..keys import KeyValues, validate_key
from ..state import Table
from ..storage import Item
from ..values import utf8_len, validate_item

__all__ = [
    "START_KEY_INVALID",
    "START_KEY_INVALID_BECAUSE",
    "check_start_piece",
    "sort_value",
    "start_key",
    "table_start_key",
]

START_KEY_INVALID: Final = "The provided starting key is invalid"
START_KEY_INVALID_BECAUSE: Final = START_KEY_INVALID + ": {message}"
# ExclusiveStartKey value errors DynamoDB reports bare, without "The provided starting key is invalid:"
# (dynalite's tests, run against DynamoDB: number and duplicate errors; every other one is prefixed).
_BARE_START_KEY_ERRORS: Final = re.compile(
    "contains duplicates|number set|numeric value|significant digits|number with magnitude"
)


def start_key(raw: object) -> Item | None:
    """The ExclusiveStartKey's values checked and normalised (the key schema is checked later)."""
    if raw is None:
        return None
    try:
        return validate_item(raw)[0]
    except ValidationException as error:
        if _BARE_START_KEY_ERRORS.search(error.message):
            raise
        raise ValidationException(START_KEY_INVALID_BECAUSE.format(message=error.message)) from None


def check_start_piece(start: Item, name: str, key_type: str, is_hash: bool) -> None:
    """One index key attribute of an ExclusiveStartKey: present, of the key's type, within the key
    size limits (as the reference's §1.4 gives them for a ``Key``; empty values likewise, a choice)."""
    av = start.get(name)
    if av is None:
        raise ValidationException(START_KEY_INVALID)
    kind, raw = next(iter(av.items()))
    if kind != key_type:
        raise ValidationException(msg.KEY_SCHEMA_MISMATCH)
    if kind != "N" and len(raw) == 0:
        raise ValidationException(
            msg.EMPTY_KEY_IN_KEY.format(kind="string" if kind == "S" else "binary", name=name)
        )
    size = 0 if kind == "N" else utf8_len(raw) if kind == "S" else len(raw)
    if is_hash and size > limits.MAX_HASH_KEY_BYTES:
        raise ValidationException(msg.HASH_KEY_TOO_LONG)
    if not is_hash and size > limits.MAX_RANGE_KEY_BYTES:
        raise ValidationException(msg.RANGE_KEY_TOO_LONG)


def table_start_key(table: Table, start: Item) -> KeyValues:
    """The table key of an ExclusiveStartKey, or ``The provided starting key is invalid: <why>``."""
    names = table.schema.key.names
    try:
        return validate_key(table.schema, {name: start[name] for name in names if name in start})
    except ValidationException as error:
        raise ValidationException(START_KEY_INVALID_BECAUSE.format(message=error.message)) from None
