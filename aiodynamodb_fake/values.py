"""AttributeValues: validation in DynamoDB's order, number normalisation, item size, copying.

``validate_value`` walks one AttributeValue once and returns a fresh, normalised copy (numbers in
canonical form, binary as ``bytes``) together with its size in bytes, so a stored item never
aliases anything the caller holds and its size is known without a second walk.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from typing import Any

from aiodynamodb.errors import SerializationException, ValidationException

from . import limits
from . import messages as msg
from .members import kinds

__all__ = [
    "MAX_ITEM_SIZE",
    "MAX_NESTING",
    "copy_value",
    "item_size",
    "normalise_number",
    "number_bytes",
    "number_size",
    "utf8_len",
    "validate_item",
    "validate_value",
]

MAX_ITEM_SIZE = limits.MAX_ITEM_SIZE  # re-exported: callers import it from here
MAX_NESTING = limits.MAX_NESTING
_SCALAR_TYPES = frozenset(("S", "N", "B", "BOOL", "NULL"))
_TYPES = frozenset(("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"))
_NUMBER_RE = re.compile(r"(-?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?\Z")


def utf8_len(text: str) -> int:
    """UTF-8 byte length; ``isascii`` is O(1) in CPython, so the common case encodes nothing."""
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise SerializationException(msg.INVALID_UTF8) from None


# --- numbers ------------------------------------------------------------------------------------


def normalise_number(text: str) -> tuple[str, int]:
    """(canonical text, size in bytes) of a DynamoDB number, or the ValidationException DynamoDB gives.

    Canonical: plain positional notation, no exponent, no leading or trailing zeros, ``0`` for zero.
    Checks run in DynamoDB's order: empty, parse, overflow, underflow, significant digits.
    """
    if text.isascii() and text.isdigit() and text[0] != "0" and len(text) <= 38:  # plain positive integer
        significant = len(text.rstrip("0"))
        return text, number_bytes(significant, len(text) - 1, negative=False)
    if text == "":
        raise ValidationException(msg.NUMBER_EMPTY)
    match = _NUMBER_RE.match(text)
    if match is None or not (match.group(2) or match.group(3)):
        raise ValidationException(msg.NUMBER_UNPARSABLE.format(text=msg.clip(text)))
    sign, whole, frac_text, exp_text = match.groups()
    frac = frac_text or ""
    mantissa = (whole + frac).lstrip("0")
    if not mantissa:
        return "0", 1
    exponent = -len(frac)
    if exp_text is not None:
        # Leading zeros of an exponent are not significant (as for Java's BigDecimal): "1e0001" is 10.
        exp_digits = exp_text.lstrip("+-").lstrip("0")
        if len(exp_digits) > 6:  # far outside the range either way; int() on it would be slow or refuse
            raise ValidationException(
                msg.NUMBER_UNDERFLOW if exp_text.startswith("-") else msg.NUMBER_OVERFLOW
            )
        exponent += -int(exp_digits or "0") if exp_text.startswith("-") else int(exp_digits or "0")
    stripped = mantissa.rstrip("0")
    exponent += len(mantissa) - len(stripped)
    digits = len(stripped)
    adjusted = exponent + digits - 1  # exponent of the leading digit
    if adjusted > 125:
        raise ValidationException(msg.NUMBER_OVERFLOW)
    if adjusted < -130:
        raise ValidationException(msg.NUMBER_UNDERFLOW)
    if digits > 38:
        raise ValidationException(msg.NUMBER_PRECISION)
    if exponent >= 0:
        plain = stripped + "0" * exponent
    elif adjusted >= 0:
        plain = stripped[: adjusted + 1] + "." + stripped[adjusted + 1 :]
    else:
        plain = "0." + "0" * (-adjusted - 1) + stripped
    negative = sign == "-"
    return ("-" + plain if negative else plain), number_bytes(digits, adjusted, negative=negative)


def number_bytes(digits: int, adjusted: int, *, negative: bool) -> int:
    """Bytes DynamoDB charges for a non-zero number: base-100 digits plus one (dynalite's calibration)."""
    size = 1 + (digits + 1) // 2
    if digits % 2 == 0 and adjusted % 2 == 0:
        size += 1
    return size + 1 if negative else size


def number_size(canonical: str) -> int:
    """Size of an already canonical number."""
    return normalise_number(canonical)[1]


# --- validation ---------------------------------------------------------------------------------


def _as_bytes(raw: Any) -> bytes:
    """Binary as botocore accepts it: bytes, bytearray, or str (UTF-8 encoded, as botocore does)."""
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, bytearray | memoryview):
        return bytes(raw)
    if isinstance(raw, str):
        try:
            return raw.encode("utf-8")
        except UnicodeEncodeError:
            raise SerializationException(msg.INVALID_UTF8) from None
    raise _kind_error(raw, "Blob")


# Where each of this module's reads sits, for the one wording of a wrong kind (``members/kinds.py``).
_TARGETS = {
    "AttributeValue": kinds.ATTRIBUTE_VALUE,  # a value of an item, a map or a list
    "Map": kinds.ATTRIBUTE_MAP,  # an item or key, or an M
    "List": kinds.LIST,  # an L or a set
    "String": kinds.STRING,  # an S or an N, a member of SS or NS
    "Blob": kinds.BLOB,  # a B, a member of BS
    "Boolean": kinds.BOOLEAN,  # a BOOL or a NULL
}


def _kind_error(raw: Any, expected: str) -> SerializationException:
    return kinds.wrong_kind(raw, _TARGETS[expected])


def _string(raw: Any) -> str:
    """``raw`` as a plain ``str``: a subclass (an enum member) is copied, as storage keeps only plain
    strings (``marshal`` refuses subclasses) and botocore would send its characters."""
    if type(raw) is str:
        return raw
    if isinstance(raw, str):
        return str.__str__(raw)
    raise _kind_error(raw, "String")


def _name(name: str) -> str:
    return name if type(name) is str else str.__str__(name)


def _sequence(raw: Any) -> list[Any] | tuple[Any, ...]:
    if isinstance(raw, list | tuple):
        return raw
    raise _kind_error(raw, "List")


def validate_value(av: Any, depth: int = 1, limit: int | None = None) -> tuple[dict[str, Any], int]:
    """(normalised copy, size) of one AttributeValue, or DynamoDB's error for it.

    Each type's value is checked first and the count of types last, as DynamoDB does, so
    ``{"S": "a", "N": "b"}`` reports the number, not the two types. ``limit``: see ``validate_item``.
    """
    if type(av) is not dict and not isinstance(av, Mapping):
        raise _kind_error(av, "AttributeValue")
    if len(av) == 1:
        for kind, raw in av.items():
            # the common scalars first, without the general dispatch (this is the fake's hot path)
            if type(raw) is str:
                if kind == "S":
                    return {"S": raw}, (len(raw) if raw.isascii() else utf8_len(raw))
                if kind == "N":
                    canonical, size = normalise_number(raw)
                    return {"N": canonical}, size
            elif type(raw) is bool and (kind == "BOOL" or (kind == "NULL" and raw)):
                return ({"BOOL": raw} if kind == "BOOL" else {"NULL": True}), 1
            elif type(raw) is list and kind == "L":
                return _validate_list(raw, depth, limit)
            elif type(raw) is dict and kind == "M":
                return _validate_map(raw, depth, limit)
            return _validate_typed(kind, raw, depth, limit)
    result: tuple[dict[str, Any], int] | None = None
    present = 0
    for kind, raw in av.items():
        if kind in _TYPES and raw is not None:
            present += 1
            result = _validate_typed(kind, raw, depth, limit)
    if present == 0:
        raise ValidationException(msg.AV_EMPTY)
    if present > 1:
        raise ValidationException(msg.AV_MANY)
    assert result is not None
    return result


def _validate_typed(kind: Any, raw: Any, depth: int, limit: int | None) -> tuple[dict[str, Any], int]:
    if raw is None or kind not in _TYPES:  # JSON null or an unknown member: as if not sent
        raise ValidationException(msg.AV_EMPTY)
    if kind == "S":
        text = _string(raw)
        return {"S": text}, utf8_len(text)
    if kind == "N":
        canonical, size = normalise_number(_string(raw))
        return {"N": canonical}, size
    if kind == "B":
        data = _as_bytes(raw)
        return {"B": data}, len(data)
    if kind == "BOOL":
        if not isinstance(raw, bool):
            raise _kind_error(raw, "Boolean")
        return {"BOOL": raw}, 1
    if kind == "NULL":
        if not isinstance(raw, bool):
            raise _kind_error(raw, "Boolean")
        if not raw:
            raise ValidationException(msg.NULL_NOT_TRUE)
        return {"NULL": True}, 1
    if kind == "M":
        return _validate_map(raw, depth, limit)
    if kind == "L":
        return _validate_list(raw, depth, limit)
    if kind == "SS":
        return _validate_string_set(raw)
    if kind == "NS":
        return _validate_number_set(raw)
    return _validate_binary_set(raw)


def _validate_map(raw: Any, depth: int, limit: int | None) -> tuple[dict[str, Any], int]:
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise _kind_error(raw, "Map")
    if depth >= MAX_NESTING:
        raise ValidationException(msg.NESTING_TOO_DEEP)
    copied: dict[str, Any] = {}
    size = 3
    members = iter(raw.items())
    for name, member in members:
        if type(name) is not str and not isinstance(name, str):
            raise SerializationException(msg.MAP_KEY_NOT_STRING)
        value, value_size = validate_value(member, depth + 1, limit)
        copied[_name(name)] = value
        size += 1 + (len(name) if name.isascii() else utf8_len(name)) + value_size
        if limit is not None and size > limit:
            _check_members(members, depth + 1)
            break
    return {"M": copied}, size


def _validate_list(raw: Any, depth: int, limit: int | None) -> tuple[dict[str, Any], int]:
    members = iter(_sequence(raw))
    if depth >= MAX_NESTING:
        raise ValidationException(msg.NESTING_TOO_DEEP)
    copied: list[dict[str, Any]] = []
    size = 3
    for member in members:
        value, value_size = validate_value(member, depth + 1, limit)
        copied.append(value)
        size += 1 + value_size
        if limit is not None and size > limit:
            for rest in members:
                _check_value(rest, depth + 1)
            break
    return {"L": copied}, size


def _validate_string_set(raw: Any) -> tuple[dict[str, Any], int]:
    members = [_string(m) for m in _sequence(raw)]
    if not members:
        raise ValidationException(msg.EMPTY_STRING_SET)
    if len(set(members)) != len(members):
        raise ValidationException(msg.SS_DUPLICATES.format(members=msg.clip_join(members)))
    return {"SS": members}, sum(utf8_len(m) for m in members)


def _validate_number_set(raw: Any) -> tuple[dict[str, Any], int]:
    members = [_string(m) for m in _sequence(raw)]
    if not members:
        raise ValidationException(msg.EMPTY_NUMBER_SET)
    normalised = [normalise_number(m) for m in members]
    canonical = [text for text, _ in normalised]
    if len(set(canonical)) != len(canonical):
        raise ValidationException(msg.NS_DUPLICATES)
    return {"NS": canonical}, sum(size for _, size in normalised)


def _validate_binary_set(raw: Any) -> tuple[dict[str, Any], int]:
    members = [_as_bytes(m) for m in _sequence(raw)]
    if not members:
        raise ValidationException(msg.EMPTY_BINARY_SET)
    if len(set(members)) != len(members):
        shown = msg.clip_join(base64.b64encode(m).decode("ascii") for m in members)
        raise ValidationException(msg.BS_DUPLICATES.format(members=shown))
    return {"BS": members}, sum(len(m) for m in members)


def validate_item(item: Any, limit: int | None = None) -> tuple[dict[str, dict[str, Any]], int]:
    """(normalised copy, size) of an item: a map of attribute name to AttributeValue.

    ``limit``: the size past which the caller rejects the item (MAX_ITEM_SIZE for an item to
    store). DynamoDB checks every value of an item before its size (reference §3.2 step 4), so a
    value the walk has not reached yet can still decide the error, and the walk goes on to the end;
    but once the item (or one map or list in it) has passed ``limit``, the rest is only checked,
    not copied or sized. Such an item comes back partly copied, its size still above ``limit``.
    """
    if type(item) is not dict and not isinstance(item, Mapping):
        raise _kind_error(item, "Map")
    copied: dict[str, dict[str, Any]] = {}
    size = 0
    members = iter(item.items())
    for name, member in members:
        if type(name) is not str and not isinstance(name, str):
            raise SerializationException(msg.MAP_KEY_NOT_STRING)
        value, value_size = validate_value(member, 1, limit)
        copied[_name(name)] = value
        size += (len(name) if name.isascii() else utf8_len(name)) + value_size
        if limit is not None and size > limit:
            _check_members(members, 1)
            break
    return copied, size


def _check_members(members: Iterator[tuple[Any, Any]], depth: int) -> None:
    """``validate_value``'s checks of the rest of a map's (or item's) members, without the copies."""
    for name, member in members:
        if type(name) is not str and not isinstance(name, str):
            raise SerializationException(msg.MAP_KEY_NOT_STRING)
        _check_value(member, depth)
        if not name.isascii():  # after the value, as validate_value sizes the name after it
            utf8_len(name)


def _check_value(av: Any, depth: int) -> None:
    """``validate_value``'s checks without its copy: its fast cases here, every other one its own."""
    if type(av) is dict and len(av) == 1:
        for kind, raw in av.items():
            if type(raw) is str:
                if kind == "S":
                    if not raw.isascii():
                        utf8_len(raw)
                    return
                if kind == "N":
                    normalise_number(raw)
                    return
            elif type(raw) is bool:
                if kind == "BOOL" or (kind == "NULL" and raw):
                    return
            elif kind == "M" and type(raw) is dict and depth < MAX_NESTING:
                _check_members(iter(raw.items()), depth + 1)
                return
            elif kind == "L" and type(raw) is list and depth < MAX_NESTING:
                for member in raw:
                    _check_value(member, depth + 1)
                return
    validate_value(av, depth)


# --- sizes and copies of stored (already valid) values --------------------------------------------


def value_size(av: Mapping[str, Any]) -> int:
    """Size of a valid, normalised AttributeValue (see ``validate_value``)."""
    for kind, raw in av.items():
        if kind == "S":
            return utf8_len(raw)
        if kind == "N":
            return number_size(raw)
        if kind == "B":
            return len(raw)
        if kind in ("BOOL", "NULL"):
            return 1
        if kind == "M":
            return 3 + sum(1 + utf8_len(k) + value_size(v) for k, v in raw.items())
        if kind == "L":
            return 3 + sum(1 + value_size(v) for v in raw)
        if kind == "SS":
            return sum(utf8_len(m) for m in raw)
        if kind == "NS":
            return sum(number_size(m) for m in raw)
        if kind == "BS":
            return sum(len(m) for m in raw)
    return 0


def item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    """Item size as DynamoDB counts it: attribute name bytes plus value sizes."""
    return sum(utf8_len(name) + value_size(value) for name, value in item.items())


def copy_value(av: Mapping[str, Any]) -> dict[str, Any]:
    """A fresh copy of an AttributeValue as sent (for echoing it back); scalars are shared."""
    for kind, raw in av.items():
        if kind == "M":
            return {"M": {k: copy_value(v) for k, v in raw.items()}}
        if kind == "L":
            return {"L": [copy_value(v) for v in raw]}
        if kind in _SCALAR_TYPES:
            return {kind: raw}
        return {kind: list(raw)}
    return {}
