"""Request shape checks shared by every operation: JSON kinds, and DynamoDB's constraint envelope.

Requests arrive as botocore-shaped Python values. A value of the wrong JSON kind is what DynamoDB's
deserializer refuses with a ``SerializationException``, worded by where it was expected
(``members/kinds.py``, the one place those texts are written; re-exported here with the
``expect_*`` readers built on them). A value of the right kind that breaks a
model constraint (length, pattern, enum, required) is a ``ValidationException`` in the ``N
validation error(s) detected: Value '<v>' at '<path>' failed to satisfy constraint: <rule>``
envelope, at most ten joined by ``; `` (``Constraints``). Table names have one set of rules here
(``table_name_rules``); the declarative member tables in ``members/`` build on all three.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from aiodynamodb.errors import SerializationException, ValidationException

from . import limits
from .members.kinds import (
    ATTRIBUTE_MAP,
    ATTRIBUTE_MAP_IN_LIST,
    ATTRIBUTE_VALUE,
    BLOB,
    BOOLEAN,
    INTEGER,
    JAVA_LONG_MAX,
    JAVA_LONG_MIN,
    LIST,
    LONG,
    LONG_OVERFLOW,
    STRING,
    STRING_MAP,
    Target,
    java_class,
    map_of,
    structure,
    wrong_kind,
)
from .messages import ECHO_LIMIT, MAP_KEY_NOT_STRING, clip

__all__ = [
    "ATTRIBUTE_MAP",
    "ATTRIBUTE_MAP_IN_LIST",
    "ATTRIBUTE_VALUE",
    "BLOB",
    "BOOLEAN",
    "ENUM",
    "INTEGER",
    "LIST",
    "LONG",
    "MAP_KEYS",
    "MAP_VALUE",
    "MAX_LENGTH",
    "MAX_VALUE",
    "MIN_LENGTH",
    "MIN_VALUE",
    "NAME_RE",
    "NOT_NULL",
    "PATTERN",
    "STRING",
    "STRING_MAP",
    "TABLE_NAME_KEY_RULES",
    "TABLE_NAME_PATTERN",
    "Constraints",
    "Path",
    "Target",
    "expect_bool",
    "expect_int",
    "expect_list",
    "expect_map",
    "expect_str",
    "java_class",
    "java_repr",
    "map_of",
    "structure",
    "table_name_rules",
    "wrong_kind",
]

_MAX_ERRORS = 10

# --- constraint rules, as the envelope words them ----------------------------------------------------
NOT_NULL: Final = "Member must not be null"
MAX_LENGTH: Final = "Member must have length less than or equal to {limit}"
MIN_LENGTH: Final = "Member must have length greater than or equal to {limit}"
MAX_VALUE: Final = "Member must have value less than or equal to {limit}"
MIN_VALUE: Final = "Member must have value greater than or equal to {limit}"
PATTERN: Final = "Member must satisfy regular expression pattern: {pattern}"
ENUM: Final = "Member must satisfy enum value set: [{values}]"
MAP_KEYS: Final = "Map keys must satisfy constraint: [{rules}]"
MAP_VALUE: Final = "Map value must satisfy constraint: [{rules}]"


# An int of up to this many bits prints in about a millisecond; Python refuses to print one of more
# than 4,300 digits (about 14,300 bits) at all.
_PRINTABLE_INT_BITS = 14_000
# Ours: what an echo shows for a longer int. DynamoDB never echoes one: its JSON numbers in Integer
# and Long members are parsed into Java integers (see ``expect_int``), its AttributeValue numbers
# are strings.
_INT_TOO_LONG = "<an integer too long to show>"


class _Full(Exception):
    """The echo being written has reached its limit: stop walking the value."""


class _Echo:
    """Text written piece by piece that keeps at most ``limit + 1`` characters (one more tells a cut)."""

    __slots__ = ("parts", "room")

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.room = limit + 1

    def write(self, text: str) -> None:
        self.parts.append(text[: self.room])
        self.room -= len(text)
        if self.room <= 0:
            raise _Full


def java_repr(value: Any, limit: int = ECHO_LIMIT) -> str:
    """A value as Java's ``toString`` prints it in DynamoDB's constraint messages, ``clip``-ped.

    The walk stops as soon as ``limit`` characters are written, so it costs O(limit) whatever the
    value's size. Past 32 levels the rest is shown as ``...``: DynamoDB's own dump of such values is
    unstable, and a request nested thousands of levels deep must not exhaust Python's stack.
    """
    echo = _Echo(limit)
    with contextlib.suppress(_Full):
        _write_java(value, 0, echo)
    return clip("".join(echo.parts), limit)


def _write_java(value: Any, depth: int, echo: _Echo) -> None:
    if isinstance(value, Mapping | list | tuple) and depth >= 32:
        echo.write("...")
    elif isinstance(value, Mapping):
        echo.write("{")
        for number, (key, member) in enumerate(value.items()):
            echo.write(f"{', ' if number else ''}{_java_scalar(key)}=")
            _write_java(member, depth + 1, echo)
        echo.write("}")
    elif isinstance(value, list | tuple):
        echo.write("[")
        for number, member in enumerate(value):
            if number:
                echo.write(", ")
            _write_java(member, depth + 1, echo)
        echo.write("]")
    else:
        echo.write(_java_scalar(value))


def _java_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= _PRINTABLE_INT_BITS else _INT_TOO_LONG
    if isinstance(value, bytes | bytearray):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    return str(value)


# A path, or a function building it: a path that embeds request text (a table name) in a loop is
# built only if its violation is one of the ten reported.
Path = str | Callable[[], str]


class Constraints:
    """Collects constraint violations in check order, then raises them as one ValidationException.

    Every violation is counted (the envelope's ``N validation errors detected``), but only the first
    ten, the ones the envelope lists, are rendered: the rest cost a counter increment each.
    """

    __slots__ = ("_count", "_listed")

    def __init__(self) -> None:
        self._count = 0
        self._listed: list[str] = []

    def add(self, value: Any, path: Path, rule: str, *, show_value: bool = True) -> None:
        self._count += 1
        if len(self._listed) >= _MAX_ERRORS:
            return
        # Callers clip the request text a path embeds (a table name); this bound is a safety net.
        where = clip(path() if callable(path) else path, ECHO_LIMIT + 256)
        if show_value:
            shown = "null" if value is None else f"'{java_repr(value)}'"
            self._listed.append(f"Value {shown} at '{where}' failed to satisfy constraint: {rule}")
        else:
            self._listed.append(f"Value at '{where}' failed to satisfy constraint: {rule}")

    def required(self, value: Any, path: Path) -> bool:
        """Record ``Member must not be null`` if ``value`` is missing; True when present."""
        if value is None:
            self.add(None, path, NOT_NULL)
            return False
        return True

    def enum(self, value: Any, path: str, allowed: Sequence[str]) -> None:
        if value is not None and value not in allowed:
            self.add(value, path, ENUM.format(values=", ".join(allowed)))

    def length(self, value: Any, path: str, low: int | None, high: int | None) -> None:
        if value is None:
            return
        if high is not None and len(value) > high:
            self.add(value, path, MAX_LENGTH.format(limit=high))
        if low is not None and len(value) < low:
            self.add(value, path, MIN_LENGTH.format(limit=low))

    def minimum(self, value: Any, path: str, low: int) -> None:
        if value is not None and value < low:
            self.add(value, path, MIN_VALUE.format(limit=low))

    def maximum(self, value: Any, path: str, high: int) -> None:
        if value is not None and value > high:
            self.add(value, path, MAX_VALUE.format(limit=high))

    def raise_if_any(self) -> None:
        if not self._count:
            return
        count = self._count
        head = f"{count} validation error{'s' if count > 1 else ''} detected: "
        raise ValidationException(head + "; ".join(self._listed))

    def __bool__(self) -> bool:
        return self._count > 0


# --- table names: the one set of rules ---------------------------------------------------------------
# _QUOTAS "Table names and secondary index names" (limits.py). Index names share every rule.

TABLE_NAME_PATTERN: Final = "[a-zA-Z0-9_.-]+"
NAME_RE: Final = re.compile(r"[a-zA-Z0-9_.\-]+\Z")
_TOO_LONG = MAX_LENGTH.format(limit=limits.MAX_TABLE_NAME)
_BAD_PATTERN = PATTERN.format(pattern=TABLE_NAME_PATTERN)
# How a RequestItems map key that is not a table name is reported (BatchWriteItem, BatchGetItem):
# every rule listed whichever one the key breaks (dynalite's tests, run against DynamoDB).
TABLE_NAME_KEY_RULES: Final = MAP_KEYS.format(
    rules=f"{_TOO_LONG}, {MIN_LENGTH.format(limit=limits.MIN_TABLE_NAME)}, {_BAD_PATTERN}"
)


def table_name_rules(
    name: str,
    *,
    min_length: int = limits.MIN_TABLE_NAME,
    arn: bool = True,
    pattern_first: bool = False,
) -> list[str]:
    """The table-name rules ``name`` breaks, in DynamoDB's order, as the envelope words them.

    ``arn``: the data plane's TableArn shape, where a name starting ``arn:`` is only held to its
    1,024 characters (the ARN's own checks come with the lookup); ``min_length`` 1 there, 3 where a
    table is named (CreateTable) or a map key is one. ``pattern_first``: the order dynalite's tests
    (run against DynamoDB) pin for ExclusiveStartTableName and index names (pattern, minimum,
    maximum); table names go maximum, minimum, pattern.
    """
    if arn and name.startswith("arn:"):
        return [] if len(name) <= limits.MAX_TABLE_ARN else [MAX_LENGTH.format(limit=limits.MAX_TABLE_ARN)]
    # An empty name breaks the pattern too where the pattern comes first, not in a TableName (CONF:
    # "" gets only the minimum length).
    pattern = [_BAD_PATTERN] if (name or pattern_first) and NAME_RE.match(name) is None else []
    too_long = [_TOO_LONG] if len(name) > limits.MAX_TABLE_NAME else []
    too_short = [MIN_LENGTH.format(limit=min_length)] if len(name) < min_length else []
    return pattern + too_short + too_long if pattern_first else too_long + too_short + pattern


# --- JSON kinds (the texts: ``members/kinds.py``) ------------------------------------------------


def expect_str(value: Any, member: str, target: Target = STRING) -> str | None:
    """``value`` if it is a string (None when absent); anything else cannot be deserialized."""
    if value is None or isinstance(value, str):
        return value
    raise wrong_kind(value, target, member)


def expect_bool(value: Any, member: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise wrong_kind(value, BOOLEAN, member)


def expect_int(value: Any, member: str, *, long: bool = False) -> int | None:
    """An Integer (or, ``long``, a Long) member; None when absent.

    DynamoDB parses these into Java integers, so a number no Java ``long`` holds never reaches its
    validation: it is a SerializationException. choice: the message (no source shows DynamoDB's),
    worded like its other conversion failures; one bound for both kinds, since an Integer member's
    own range is reported by its constraints (``Limit``: at most 100).
    """
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        if value is not None and not JAVA_LONG_MIN <= value <= JAVA_LONG_MAX:
            raise SerializationException(LONG_OVERFLOW)
        return value
    raise wrong_kind(value, LONG if long else INTEGER, member)


# Members whose JSON object is a map, not a structure: what a list in their place is reported as.
_MAP_MEMBERS: Final = {
    "ExpressionAttributeNames": STRING_MAP,
    "ExpressionAttributeValues": ATTRIBUTE_MAP,
    "Item": ATTRIBUTE_MAP,
    "Key": ATTRIBUTE_MAP,
    "ExclusiveStartKey": ATTRIBUTE_MAP,
    "Expected": map_of("ExpectedAttributeValue"),
    "AttributeUpdates": map_of("AttributeValueUpdate"),
    "KeyConditions": map_of("Condition"),
    "QueryFilter": map_of("Condition"),
    "ScanFilter": map_of("Condition"),
}


def expect_map(value: Any, member: str, target: Target | None = None) -> Mapping[str, Any] | None:
    """A JSON object with string keys (None when absent).

    ``target`` says what it is read as; by default the map ``member`` is (``Item``...) or else the
    structure named ``member`` (``StreamSpecification``).
    """
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise wrong_kind(value, target or _MAP_MEMBERS.get(member) or structure(member), member)
    for key in value:
        if not isinstance(key, str):
            raise SerializationException(MAP_KEY_NOT_STRING)
    return value


def expect_list(value: Any, member: str, target: Target = LIST) -> Sequence[Any] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return value
    raise wrong_kind(value, target, member)
