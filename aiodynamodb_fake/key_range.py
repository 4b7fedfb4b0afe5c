"""A key condition on the sort key as bounds of a range walk, in DynamoDB's order (reference §1.5).

``=``, ``<``, ``<=``, ``>``, ``>=`` and ``BETWEEN`` are bounds as they stand; ``begins_with`` on S or B
is the range ``[prefix, successor)``, the successor being the least value greater than every value
with that prefix (Python orders ``str`` by code point, the same as UTF-8 bytes, and ``bytes`` as
unsigned bytes, as DynamoDB does). An ExclusiveStartKey narrows the bound the walk starts from.
An index orders its entries by ``(index sort value, table hash, table range)``, so a bound on the
index sort value becomes a bound on those tuples, with ``_TOP`` standing above every table key.
``walk`` runs the bounds over one partition's SortedDict: a bisection, then a lazy iterator.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sortedcontainers import SortedDict

__all__ = ["Bound", "entry_bounds", "narrow", "prefix_successor", "sort_bounds", "walk"]

# (value, inclusive), or None for no bound on that side
Bound = tuple[Any, bool] | None

_MAX_CODE_POINT = chr(0x10FFFF)


def prefix_successor(prefix: str | bytes) -> str | bytes | None:
    """The least value above everything starting with ``prefix``; None when nothing is above them all."""
    if isinstance(prefix, bytes):
        stripped_bytes = prefix.rstrip(b"\xff")
        if not stripped_bytes:
            return None
        return stripped_bytes[:-1] + bytes((stripped_bytes[-1] + 1,))
    stripped = prefix.rstrip(_MAX_CODE_POINT)
    if not stripped:
        return None
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def sort_bounds(
    low: Any, high: Any, low_inclusive: bool, high_inclusive: bool, prefix: str | bytes | None
) -> tuple[Bound, Bound]:
    """(lower, upper) bounds on sort values for a range (None: open on that side) or a prefix."""
    if prefix is not None:
        if low is not None or high is not None:
            raise ValueError("a sort-key condition is a range or a prefix, not both")
        successor = prefix_successor(prefix)
        return (prefix, True), (None if successor is None else (successor, False))
    lower = None if low is None else (low, low_inclusive)
    upper = None if high is None else (high, high_inclusive)
    return lower, upper


class _Top:
    """Above every value: ``(v, _TOP)`` follows every ``(v, table hash, table range)``."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return other is self

    def __gt__(self, other: object) -> bool:
        return other is not self

    def __ge__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "_TOP"


_TOP = _Top()


def entry_bounds(lower: Bound, upper: Bound) -> tuple[Bound, Bound]:
    """Bounds on index sort values as bounds on index positions ``(sort value, table hash, table range)``.

    No position equals ``(v,)`` or ``(v, _TOP)``, so the results' inclusiveness does not matter.
    """
    entry_lower = None if lower is None else ((lower[0],) if lower[1] else (lower[0], _TOP), True)
    entry_upper = None if upper is None else ((upper[0], _TOP) if upper[1] else (upper[0],), True)
    return entry_lower, entry_upper


def narrow(lower: Bound, upper: Bound, start: Any, forward: bool) -> tuple[Bound, Bound]:
    """The bounds of a walk resuming strictly after ``start`` (a position) in its direction."""
    if forward:
        if lower is None or start > lower[0]:
            return (start, False), upper
        return (lower[0], lower[1] and start != lower[0]), upper
    if upper is None or start < upper[0]:
        return lower, (start, False)
    return lower, (upper[0], upper[1] and start != upper[0])


def walk(partition: SortedDict, lower: Bound, upper: Bound, forward: bool) -> Iterator[Any]:
    """The values ``partition`` holds between the bounds, in key order or reversed: lazy, and
    O(log n) to start (a bisection), then O(1) a value."""
    keys = partition.irange(
        None if lower is None else lower[0],
        None if upper is None else upper[0],
        inclusive=(lower is None or lower[1], upper is None or upper[1]),
        reverse=not forward,
    )
    return map(partition.__getitem__, keys)
