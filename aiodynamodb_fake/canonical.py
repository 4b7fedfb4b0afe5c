"""Checking an item that needs no copy: the fast path of ``values.validate_item`` for the hot operations.

``validate_item`` returns a normalised copy of what it was sent. Most items arrive already normal
(numbers in canonical form, binary as ``bytes``, plain dicts and lists), so the copy equals the
original and costs half the call. ``checked_item`` walks such an item once, sizing it without
building anything, and returns the item itself; at the first thing that is not plainly valid and
canonical (an error, a number to normalise, a tuple, a Mapping that is not a dict...) it gives up
and returns what ``validate_item`` returns, errors included. So its answers are ``validate_item``'s,
except that the item may be the caller's own object (only callers that copy it anyway, as storage
encodes what it keeps, or read it within the call may use it) and that an item past the size limit
comes back whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from typing import Any

from aiodynamodb.errors import SerializationException

from .limits import MAX_NUMBER_DIGITS
from .values import MAX_NESTING, normalise_number, number_bytes, utf8_len, validate_item

__all__ = ["checked_item"]


class _Irregular(Exception):
    """Raised inside the walk at anything ``validate_item`` would report, change or must decide."""


def checked_item(item: Any, limit: int | None = None) -> tuple[dict[str, dict[str, Any]], int]:
    """``validate_item(item, limit)``, returning ``item`` itself when the copy would equal it.

    An item past ``limit`` comes back whole with its whole size (``validate_item`` stops copying
    there and returns a part): the caller refuses it either way, and nothing was copied."""
    if type(item) is dict:
        try:
            return item, _entries_size(item.items(), 1, 0)
        except _Irregular:
            pass
    return validate_item(item, limit)


def _entries_size(entries: Iterable[tuple[Any, Any]], depth: int, overhead: int) -> int:
    """Sum over (name, AttributeValue) ``entries`` of ``overhead`` + name + value sizes: an item's
    attributes (0), an M's members (1) or an L's elements (1, each with the name "").

    Plain strings and integers (most values) are sized inline (an integer without leading zeros is
    canonical as sent); the rest by ``_value_size``."""
    size = 0
    for name, av in entries:
        if type(name) is not str or type(av) is not dict or len(av) != 1:
            raise _Irregular
        size += overhead + (len(name) if name.isascii() else _text_size(name))
        for kind, raw in av.items():
            if type(kind) is not str:  # a str subclass (an enum) would not survive storage's encoding
                raise _Irregular
            if type(raw) is str and raw.isascii():
                if kind == "S":
                    size += len(raw)
                    continue
                if kind == "N" and raw.isdigit() and raw[0] != "0" and len(raw) <= MAX_NUMBER_DIGITS:
                    size += number_bytes(len(raw.rstrip("0")), len(raw) - 1, negative=False)
                    continue
            size += _value_size(av, depth)
    return size


def _text_size(text: str) -> int:
    try:
        return utf8_len(text)
    except SerializationException:  # a lone surrogate: validate_item words the error
        raise _Irregular from None


def _number_size(text: Any) -> int:
    if type(text) is not str:
        raise _Irregular
    try:
        canonical, size = normalise_number(text)
    except Exception:  # DynamoDB's ValidationException: validate_item raises it in its place
        raise _Irregular from None
    if canonical != text:
        raise _Irregular
    return size


def _value_size(av: Any, depth: int) -> int:
    """The size ``validate_value`` gives ``av`` at ``depth``, or ``_Irregular``."""
    if type(av) is not dict or len(av) != 1:
        raise _Irregular
    for kind, raw in av.items():
        if type(kind) is not str:
            raise _Irregular
        if kind == "S":
            if type(raw) is not str:
                raise _Irregular
            return _text_size(raw)
        if kind == "N":
            return _number_size(raw)
        if kind == "M":
            if type(raw) is not dict or depth >= MAX_NESTING:
                raise _Irregular
            return 3 + _entries_size(raw.items(), depth + 1, 1)
        if kind == "L":
            if type(raw) is not list or depth >= MAX_NESTING:
                raise _Irregular
            return 3 + _entries_size(zip(repeat(""), raw), depth + 1, 1)
        if kind == "B":
            if type(raw) is not bytes:
                raise _Irregular
            return len(raw)
        if kind == "BOOL":
            if type(raw) is not bool:
                raise _Irregular
            return 1
        if kind == "NULL":
            if raw is not True:
                raise _Irregular
            return 1
        return _set_size(kind, raw)
    raise _Irregular  # unreachable: one member


def _set_size(kind: Any, raw: Any) -> int:
    if type(raw) is not list or not raw:
        raise _Irregular
    if kind == "SS":
        if any(type(member) is not str for member in raw):
            raise _Irregular
        size = sum(_text_size(member) for member in raw)
    elif kind == "NS":
        size = sum(_number_size(member) for member in raw)
    elif kind == "BS":
        if any(type(member) is not bytes for member in raw):
            raise _Irregular
        size = sum(len(member) for member in raw)
    else:
        raise _Irregular
    if len(set(raw)) != len(raw):
        raise _Irregular
    return size
