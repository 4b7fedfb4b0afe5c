"""The order a Scan reads partitions in: by a stable hash of the partition key, split into segments.

DynamoDB scans partitions in an order unrelated to key order, and a parallel scan gives each of its
``TotalSegments`` workers a contiguous share of the hash space. Here a partition's place is the
CRC-32 of its hash key's canonical encoding (UTF-8 for S, the bytes for B, the normalised digits for
N; never Python's salted ``hash()``), ties broken by the key itself, so the order is the same in
every process and a LastEvaluatedKey taken from one page finds its place again by bisection.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping
from decimal import Context, Decimal
from itertools import chain
from typing import Any

from sortedcontainers import SortedList

from .key_range import walk

__all__ = ["HASH_SPACE", "ScanOrder", "hash_order", "scan_values", "segment_bounds", "segment_of"]

HASH_SPACE = 1 << 32
# Exact for any DynamoDB number (38 significant digits): normalize() must not round.
_EXACT = Context(prec=64)
_SLACK = 1024  # how far notes and a stale order may outgrow their bounds before both are dropped


def hash_order(hash_value: Any) -> int:
    """A partition's place in scan order, in ``[0, HASH_SPACE)``: equal keys (``1`` and ``1.0``) agree."""
    if isinstance(hash_value, str):
        data = hash_value.encode("utf-8", "surrogatepass")
    elif isinstance(hash_value, bytes):
        data = hash_value
    else:
        number: Decimal = hash_value
        data = b"0" if not number else str(number.normalize(_EXACT)).encode()
    return zlib.crc32(data)


def segment_bounds(segment: int, total_segments: int) -> tuple[int, int]:
    """The hash-order range ``[low, high)`` of one parallel-scan segment (contiguous, together all)."""
    return -(-segment * HASH_SPACE // total_segments), -(-(segment + 1) * HASH_SPACE // total_segments)


def segment_of(hash_value: Any, total_segments: int) -> int:
    """The segment whose range holds this partition: a LastEvaluatedKey must come back to it."""
    return hash_order(hash_value) * total_segments >> 32


class ScanOrder:
    """The hash keys of a ``partitions`` mapping, kept sorted by ``(hash_order, hash key)``.

    Writes only note a partition created (``created``: a list append, so puts cost what a dict's do)
    or removed (``removed``); the next walk places the noted keys, O(log n) each, or rebuilds the
    order, O(n log n), once the notes reach an eighth of it. Either way each note is paid for once,
    so a walk is O(log n + k) amortised. Neither the notes nor the order may keep removed keys
    alive for long: when they would outgrow the partitions, both are dropped for a rebuild.
    """

    __slots__ = ("_notes", "_order", "_partitions", "created")

    def __init__(self, partitions: Mapping[Any, object]) -> None:
        self._partitions = partitions
        self._order: SortedList | None = None  # of (hash_order(h), h); None: rebuild at the next walk
        self._notes: list[Any] = []  # hash keys whose partition appeared or disappeared since then
        self.created: Callable[[Any], None] = self._notes.append

    def removed(self, hash_value: Any) -> None:
        """Note that the partition of ``hash_value`` is gone (after removing it). O(1) amortised."""
        order, notes = self._order, self._notes
        if order is None:
            notes.clear()  # the next walk rebuilds from the partitions: notes are moot
            return
        notes.append(hash_value)
        if len(notes) * 8 > len(order) + _SLACK or len(order) > 2 * len(self._partitions) + _SLACK:
            self._order = None
            notes.clear()

    def _settle(self) -> None:
        order, notes = self._order, self._notes
        if order is None or len(notes) * 8 > len(order):
            self._order = SortedList([(hash_order(h), h) for h in self._partitions])
        else:
            partitions = self._partitions
            for hash_value in set(notes):
                place = (hash_order(hash_value), hash_value)
                if hash_value not in partitions:
                    order.discard(place)
                elif place not in order:
                    order.add(place)
        notes.clear()

    def walk(self, *, after: Any = None, segment: int = 0, total_segments: int = 1) -> Iterator[Any]:
        """Hash keys in scan order within ``segment``, strictly after ``after``'s place if given.

        O(log n) to start (once noted changes are placed), then O(1) a key; lazy. A hash key no longer
        stored still resumes at its place. Invalid once the partitions change.
        """
        self._settle()
        assert self._order is not None
        low, high = segment_bounds(segment, total_segments)
        minimum: tuple[Any, ...] = (low,)
        inclusive = True
        if after is not None:
            place = (hash_order(after), after)
            if place > minimum:
                minimum, inclusive = place, False
        places = self._order.irange(minimum, (high,), inclusive=(inclusive, False))
        return (hash_value for _, hash_value in places)

    def _check(self, kind: str) -> None:
        """Every stored partition in its place and nothing else, once noted changes are placed."""
        if self._order is not None:
            listed = {hash_value for _, hash_value in self._order}
            unnoted = (listed ^ set(self._partitions)) - set(self._notes)
            assert not unnoted, f"{kind} scan order missed partitions created or removed: {unnoted!r}"
            assert len(self._order) <= 2 * len(self._partitions) + _SLACK, f"{kind} scan order is stale"
        self._settle()
        expected = sorted((hash_order(h), h) for h in self._partitions)
        assert list(self._order or ()) == expected, f"{kind} scan order does not hold exactly its partitions"
        assert not self._notes


def scan_values(
    partitions: Mapping[Any, Any],
    order: ScanOrder,
    start: tuple[Any, Any] | None,
    segment: int,
    total_segments: int,
    hash_only: bool = False,
) -> Iterator[Any]:
    """What ``partitions`` (hash -> SortedDict, or hash -> value if ``hash_only``) hold, in scan
    order within the segment, strictly after ``start`` = (hash key, position in its partition)."""
    after = None if start is None else start[0]
    hashes = order.walk(after=after, segment=segment, total_segments=total_segments)
    rest: Iterator[Any] = iter(())
    if start is not None and not hash_only and segment_of(after, total_segments) == segment:
        partition = partitions.get(after)
        if partition is not None:  # the start's own partition, after its position
            rest = walk(partition, (start[1], False), None, True)
    return chain(rest, _values_in(partitions, hashes, hash_only))


def _values_in(partitions: Mapping[Any, Any], hashes: Iterator[Any], hash_only: bool) -> Iterator[Any]:
    for hash_value in hashes:
        if hash_only:
            yield partitions[hash_value]
        else:
            yield from partitions[hash_value].values()
