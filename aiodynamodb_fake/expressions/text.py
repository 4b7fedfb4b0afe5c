"""What every expression kind checks of its raw text before parsing it, and how its parse is cached.

The text must be a string (a SerializationException otherwise, as ``names.require_str`` words it),
hold at least one token (``The expression can not be empty;``) and be at most 4 KB of UTF-8
([DG:ServiceQuotas] https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
A parse depends on the text alone and is cached by it, in a cache bounded by entries and by an
estimate of the bytes it holds; texts longer than ``MAX_CACHED_CHARACTERS`` are parsed every time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .. import limits
from . import messages as msg
from .cache import BoundedCache
from .names import require_str
from .tokens import invalid_expression, is_blank

__all__ = [
    "MAX_CACHED_CHARACTERS",
    "MAX_CACHE_BYTES",
    "MAX_CACHE_ENTRIES",
    "MAX_CACHE_ENTRY_BYTES",
    "checked_text",
    "parse_cache",
    "parse_cost",
]

R = TypeVar("R")

# As projection.py measured for its parses: about 64 bytes per character of text, kept or not.
_PER_CHARACTER = 64
_PER_OBJECT = 256
MAX_CACHED_CHARACTERS = 2048
MAX_CACHE_ENTRIES = 1024
MAX_CACHE_BYTES = 2 * 1024 * 1024
MAX_CACHE_ENTRY_BYTES = _PER_CHARACTER * MAX_CACHED_CHARACTERS + _PER_OBJECT


def parse_cost(text: str, kind: str) -> int:
    """The estimated bytes one cached parse of ``text`` holds (``kind`` is a shared constant). O(1)."""
    return _PER_CHARACTER * len(text) + _PER_OBJECT


def parse_cache(parse: Callable[[str, str], R]) -> BoundedCache[[str, str], R]:
    """``parse(text, kind)`` memoised in a cache of its own, within the bounds above."""
    return BoundedCache(
        parse,
        cost=parse_cost,
        max_entries=MAX_CACHE_ENTRIES,
        max_cost=MAX_CACHE_BYTES,
        max_entry_cost=MAX_CACHE_ENTRY_BYTES,
    )


def checked_text(expression: object, kind: str, *, with_size: bool) -> str:
    """``expression`` as a string that is not blank and fits 4 KB, or DynamoDB's error for it.

    ``with_size``: the size error names the size (the condition kinds do, UpdateExpression not).
    """
    text = require_str(expression, kind)
    if is_blank(text):
        raise invalid_expression(kind, msg.EMPTY)
    # surrogatepass: a lone surrogate (possible in a str from JSON) still has a byte size.
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_EXPRESSION_BYTES:
        detail = msg.TOO_LARGE_WITH_SIZE.format(size=size) if with_size else msg.TOO_LARGE
        raise invalid_expression(kind, detail)
    return text
