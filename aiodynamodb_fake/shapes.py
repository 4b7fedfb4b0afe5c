"""Request shape checks shared by every operation: Python types and DynamoDB's constraint envelope.

Requests arrive as botocore-shaped Python values; a value of the wrong JSON kind is what real
DynamoDB reports as a ``SerializationException`` (its JSON parser fails), and a value of the right
kind that breaks a model constraint (length, pattern, enum, required) is a
``ValidationException`` in the ``N validation error(s) detected: Value '<v>' at '<path>' failed to
satisfy constraint: <rule>`` envelope, at most ten joined by ``; ``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiodynamodb.errors import SerializationException, ValidationException

from .messages import ECHO_LIMIT, clip

__all__ = [
    "NAME_RE",
    "TABLE_NAME_PATTERN",
    "Constraints",
    "Path",
    "expect_bool",
    "expect_int",
    "expect_list",
    "expect_map",
    "expect_str",
    "java_repr",
    "table_name_rules",
    "validate_table_name",
]

TABLE_NAME_PATTERN = "[a-zA-Z0-9_.-]+"
NAME_RE = re.compile(r"[a-zA-Z0-9_.\-]+\Z")
_MAX_ERRORS = 10
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


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
            self.add(None, path, "Member must not be null")
            return False
        return True

    def enum(self, value: Any, path: str, allowed: Sequence[str]) -> None:
        if value is not None and value not in allowed:
            self.add(value, path, f"Member must satisfy enum value set: [{', '.join(allowed)}]")

    def length(self, value: Any, path: str, low: int | None, high: int | None) -> None:
        if value is None:
            return
        if high is not None and len(value) > high:
            self.add(value, path, f"Member must have length less than or equal to {high}")
        if low is not None and len(value) < low:
            self.add(value, path, f"Member must have length greater than or equal to {low}")

    def minimum(self, value: Any, path: str, low: int) -> None:
        if value is not None and value < low:
            self.add(value, path, f"Member must have value greater than or equal to {low}")

    def maximum(self, value: Any, path: str, high: int) -> None:
        if value is not None and value > high:
            self.add(value, path, f"Member must have value less than or equal to {high}")

    def raise_if_any(self) -> None:
        if not self._count:
            return
        count = self._count
        head = f"{count} validation error{'s' if count > 1 else ''} detected: "
        raise ValidationException(head + "; ".join(self._listed))

    def __bool__(self) -> bool:
        return self._count > 0


def table_name_rules(name: str, *, min_length: int = 3) -> list[str]:
    """The table-name rules ``name`` breaks, in DynamoDB's order (max length, min length, pattern).

    Data-plane actions take a table ARN too (model shape ``TableArn``, up to 1024 characters), and
    their minimum length is 1; CreateTable's is 3.
    """
    if name.startswith("arn:"):
        return [] if len(name) <= 1024 else ["Member must have length less than or equal to 1024"]
    rules = []
    if len(name) > 255:
        rules.append("Member must have length less than or equal to 255")
    if len(name) < min_length:
        rules.append(f"Member must have length greater than or equal to {min_length}")
    if name and not NAME_RE.match(name):
        rules.append(f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}")
    return rules


def validate_table_name(request: Mapping[str, Any], *, min_length: int = 1, path: str = "tableName") -> str:
    """The request's ``TableName``; an invalid one is reported alone and ends validation."""
    name = expect_str(request.get("TableName"), "TableName")
    constraints = Constraints()
    if name is None:
        constraints.required(None, path)
    else:
        for rule in table_name_rules(name, min_length=min_length):
            constraints.add(name, path, rule)
    constraints.raise_if_any()
    assert name is not None
    return name


# --- JSON kinds ---------------------------------------------------------------------------------


def _token(value: Any) -> str:
    """The JSON token a Python value would be on the wire, as Jackson names it."""
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int | float):
        return "NUMBER_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, Mapping):
        return "START_OBJECT"
    if isinstance(value, list | tuple):
        return "START_ARRAY"
    return "UNKNOWN_VALUE"


def _mismatch(value: Any, expected: str) -> SerializationException:
    if isinstance(value, Mapping):
        return SerializationException("Start of structure or map found where not expected")
    if isinstance(value, list | tuple):
        return SerializationException("Start of list found where not expected")
    return SerializationException(f"{_token(value)} cannot be converted to {expected}")


def expect_str(value: Any, member: str) -> str | None:
    """``value`` if it is a string (None when absent); anything else cannot be deserialized."""
    if value is None or isinstance(value, str):
        return value
    raise _mismatch(value, "String")


def expect_bool(value: Any, member: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _mismatch(value, "Boolean")


def expect_int(value: Any, member: str) -> int | None:
    """An Integer or Long member (None when absent).

    DynamoDB parses these into Java integers, so a number no Java ``long`` holds never reaches its
    validation: it is a SerializationException. choice: the message (no source shows DynamoDB's),
    worded like its other conversion failures; one bound for both kinds, since an Integer member's
    own range is reported by its constraints (``Limit``: at most 100).
    """
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        if value is not None and not _LONG_MIN <= value <= _LONG_MAX:
            raise SerializationException("NUMBER_VALUE cannot be converted to Long")
        return value
    raise _mismatch(value, "Integer")


def expect_map(value: Any, member: str) -> Mapping[str, Any] | None:
    """A JSON object with string keys (None when absent)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        if isinstance(value, list | tuple):
            raise SerializationException("Start of list found where not expected")
        raise SerializationException(f"{_token(value)} cannot be converted to a structure or map")
    for key in value:
        if not isinstance(key, str):
            raise SerializationException("Map keys must be strings")
    return value


def expect_list(value: Any, member: str) -> Sequence[Any] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return value
    if isinstance(value, Mapping):
        raise SerializationException("Start of structure or map found where not expected")
    raise SerializationException(f"Unexpected token {_token(value)} where a list was expected")
