"""Items in sorted maps: a table is ``hash key -> SortedDict(range key -> record)``, indexes likewise.

A record is the item encoded with ``marshal`` plus its size. Encoded items cannot be changed by
anyone, decoding gives a fresh copy (so answers never alias stored state), they take about a tenth
of the memory of the dicts they encode, and they are invisible to Python's garbage collector: a
fake holding a million items does not slow down every collection of the test process using it.
Storage knows nothing of the API or its errors: callers validate first, and nothing here can fail
once it starts changing state, which is what makes every operation all-or-nothing. Hash-only
tables map the hash key straight to the record: a SortedDict per item would cost ~1 KB.
Reads are range walks, lazy so a caller stops at a Limit or a 1 MB page without touching the rest:
a Query walks one partition between its bounds (``key_range``), a Scan walks the partitions in hash
order (``scan_order``). An iterator is invalid once the store changes: consume it within one operation.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.Partitions.html
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import Any, NamedTuple

from sortedcontainers import SortedDict

from .key_range import entry_bounds, narrow, sort_bounds, walk
from .keys import KeyValues, key_values
from .scan_order import ScanOrder, scan_values
from .schema import IndexSchema, KeySchema, TableSchema
from .values import item_size

__all__ = ["Entry", "EntryKey", "IndexChange", "IndexStore", "Item", "Record", "TableStore", "Write"]

Item = dict[str, dict[str, Any]]


class Record(NamedTuple):
    """An item read from or taken out of a table: a fresh copy, and its size (reads are charged by it)."""

    item: Item
    size: int


# An index entry: (index hash value, sort key within the partition, projected item)
Entry = tuple[Any, tuple[Any, ...], Item]
# Where an entry sits: (index hash value, (index range value or None, table hash, table range or None))
EntryKey = tuple[Any, tuple[Any, ...]]


class IndexChange(NamedTuple):
    """What one write did to one index: its entry before and after (None: not in the index)."""

    schema: IndexSchema
    before: Entry | None
    after: Entry | None


class Write(NamedTuple):
    """What a put or delete did: the item it replaced or removed, and its effect on each index."""

    old: Record | None
    index_changes: tuple[IndexChange, ...]


# What a table holds per item: the marshal-encoded item and its size, in a plain tuple (CPython's
# collector untracks plain tuples of atoms, not NamedTuples, and that is the point of encoding).
Encoded = tuple[bytes, int]


def encode(item: Item, size: int) -> Encoded:
    return (marshal.dumps(item), size)


def decode(encoded: Encoded) -> Record:
    return Record(marshal.loads(encoded[0]), encoded[1])


def _decode_entry(blob: bytes) -> Record:
    entry = marshal.loads(blob)
    return Record(entry, item_size(entry))  # index reads are charged by the projected entry's size


class IndexStore:
    """One GSI or LSI: index hash -> SortedDict((index range, table hash, table range) -> encoded entry).

    The table's key ends every sort key, so entries sharing an index key stay distinct and ordered.
    """

    __slots__ = ("_partitions", "_scan", "_table_key", "schema")

    def __init__(self, schema: IndexSchema, table_key: KeySchema) -> None:
        self.schema = schema
        self._table_key = table_key
        self._partitions: dict[Any, SortedDict] = {}
        self._scan = ScanOrder(self._partitions)

    def key_of(self, item: Item) -> EntryKey | None:
        """(index hash, sort key) of an item, or of an ExclusiveStartKey holding the index's and the
        table's key attributes; None if it lacks one (an item not in the index)."""
        index_key = key_values(self.schema.key, item)
        if index_key is None:
            return None
        table_key = key_values(self._table_key, item)
        if table_key is None:
            return None
        return index_key[0], (index_key[1], *table_key)

    def entry_of(self, item: Item) -> Entry | None:
        """(index hash, sort key, projected entry) for a table item, or None if it is not indexed."""
        index_key = key_values(self.schema.key, item)
        if index_key is None:
            return None
        table_key = key_values(self._table_key, item)
        assert table_key is not None  # a stored item always has its table key
        return index_key[0], (index_key[1], *table_key), self.project(item)

    def project(self, item: Item) -> Item:
        schema = self.schema
        if schema.projection_type == "ALL":
            return item
        return {name: value for name, value in item.items() if schema.projects(name)}

    def replace(self, old: Item | None, new: Item | None) -> IndexChange:
        """Move the index from ``old``'s entry to ``new``'s (either may be absent). O(log n)."""
        before = None if old is None else self.entry_of(old)
        after = None if new is None else self.entry_of(new)
        if before is not None:
            partition = self._partitions[before[0]]
            del partition[before[1]]
            if not partition:
                del self._partitions[before[0]]
                self._scan.removed(before[0])
        if after is not None:
            partition = self._partitions.get(after[0])
            if partition is None:
                partition = self._partitions[after[0]] = SortedDict()
                self._scan.created(after[0])
            partition[after[1]] = marshal.dumps(after[2])
        return IndexChange(self.schema, before, after)

    def query(
        self,
        hash_value: Any,
        *,
        low: Any = None,
        high: Any = None,
        low_inclusive: bool = True,
        high_inclusive: bool = True,
        prefix: str | bytes | None = None,
        forward: bool = True,
        exclusive_start: EntryKey | None = None,
    ) -> Iterator[Record]:
        """Entries under the index hash ``hash_value``, as ``TableStore.query`` gives items: ordered by
        index sort value, then by table key; ``exclusive_start`` is a ``key_of`` (it holds the table key).
        Each record is the projected entry and its size. Lazy; O(log n + k) for k entries read."""
        lower, upper = sort_bounds(low, high, low_inclusive, high_inclusive, prefix)
        if self.schema.key.range_name is None and (lower is not None or upper is not None):
            raise ValueError("a hash-only index has no sort key to condition")
        lower, upper = entry_bounds(lower, upper)
        partition = self._partitions.get(hash_value)
        if partition is None:
            return iter(())
        if exclusive_start is not None:
            lower, upper = narrow(lower, upper, exclusive_start[1], forward)
        return map(_decode_entry, walk(partition, lower, upper, forward))

    def scan(
        self, *, exclusive_start: EntryKey | None = None, segment: int = 0, total_segments: int = 1
    ) -> Iterator[Record]:
        """Every entry, as ``TableStore.scan`` gives items, partitions in the hash order of the index hash."""
        return map(
            _decode_entry, scan_values(self._partitions, self._scan, exclusive_start, segment, total_segments)
        )

    def entries(self) -> Iterator[Entry]:
        """(index hash, sort key, fresh entry) for every entry, in order within each partition."""
        for hash_value, partition in self._partitions.items():
            for sort_key, blob in partition.items():
                yield hash_value, sort_key, marshal.loads(blob)

    def __len__(self) -> int:
        return sum(len(p) for p in self._partitions.values())

    def _check(self) -> None:
        for partition in self._partitions.values():
            assert partition, f"empty partition left behind in index {self.schema.name}"
        self._scan._check(f"index {self.schema.name}")


class TableStore:
    """A table's items and its indexes, kept in step on every write."""

    __slots__ = ("_count", "_created", "_hash_only", "_partitions", "_scan", "_size", "indexes", "schema")

    def __init__(self, schema: TableSchema) -> None:
        self.schema = schema
        self._hash_only = schema.key.range_name is None
        self._partitions: dict[Any, Any] = {}  # hash -> SortedDict(range -> Encoded), or hash -> Encoded
        self._scan = ScanOrder(self._partitions)
        self._created = self._scan.created  # told of every partition created (and removed, below)
        self._count = 0
        self._size = 0
        self.indexes: dict[str, IndexStore] = {
            index.name: IndexStore(index, schema.key) for index in schema.indexes
        }

    @property
    def item_count(self) -> int:
        return self._count

    @property
    def size_bytes(self) -> int:
        return self._size

    def get(self, key: KeyValues) -> Item | None:
        """A fresh copy of the item under ``key``. O(log n + size)."""
        record = self.lookup(key)
        return None if record is None else record.item

    def lookup(self, key: KeyValues) -> Record | None:
        """The item under ``key`` (a fresh copy) with its size. O(log n + size)."""
        hash_value, range_value = key
        if self._hash_only:
            found: Encoded | None = self._partitions.get(hash_value)
        else:
            partition = self._partitions.get(hash_value)
            found = None if partition is None else partition.get(range_value)
        return None if found is None else decode(found)

    def query(
        self,
        hash_value: Any,
        *,
        low: Any = None,
        high: Any = None,
        low_inclusive: bool = True,
        high_inclusive: bool = True,
        prefix: str | bytes | None = None,
        forward: bool = True,
        exclusive_start: KeyValues | None = None,
    ) -> Iterator[Record]:
        """The items under ``hash_value`` whose sort value meets the condition, in sort-key order
        (descending unless ``forward``), strictly after ``exclusive_start`` if given.

        The condition is a range, ``low``/``high`` each inclusive or not (None: open; ``=`` is
        ``low == high``), or a begins_with ``prefix`` (S or B). Callers check that ``exclusive_start``
        has this hash value; only its sort value is used. A hash-only table holds at most one item
        under a hash value and takes no condition. Lazy; O(log n + k) for the k items read.
        """
        lower, upper = sort_bounds(low, high, low_inclusive, high_inclusive, prefix)
        found = self._partitions.get(hash_value)
        if self._hash_only:
            if lower is not None or upper is not None:
                raise ValueError("a hash-only table has no sort key to condition")
            return iter(()) if found is None or exclusive_start is not None else iter((decode(found),))
        if found is None:
            return iter(())
        if exclusive_start is not None:
            lower, upper = narrow(lower, upper, exclusive_start[1], forward)
        return map(decode, walk(found, lower, upper, forward))

    def scan(
        self, *, exclusive_start: KeyValues | None = None, segment: int = 0, total_segments: int = 1
    ) -> Iterator[Record]:
        """Every item of parallel-scan ``segment`` (of ``total_segments``) in scan order, strictly after
        ``exclusive_start`` if given (callers check it is of this segment; it need not still exist).

        Scan order: partitions by hash order (``scan_order``), then sort keys. Lazy; O(log n + k)
        amortised for the k items read (partitions created or removed since the last scan are placed
        first, O(log n) each).
        """
        return map(
            decode,
            scan_values(
                self._partitions, self._scan, exclusive_start, segment, total_segments, self._hash_only
            ),
        )

    def put(self, key: KeyValues, item: Item, size: int | None = None) -> Write:
        """Store ``item`` under ``key``; return the item it replaced (a fresh copy) and the index changes."""
        hash_value, range_value = key
        stored = encode(item, item_size(item) if size is None else size)
        old: Encoded | None
        if self._hash_only:
            old = self._partitions.get(hash_value)
            self._partitions[hash_value] = stored
            if old is None:
                self._created(hash_value)
        else:
            partition = self._partitions.get(hash_value)
            if partition is None:
                partition = self._partitions[hash_value] = SortedDict()
                self._created(hash_value)
            old = partition.get(range_value)
            partition[range_value] = stored
        replaced = None if old is None else decode(old)
        return Write(replaced, self._account(replaced, item, stored[1]))

    def delete(self, key: KeyValues) -> Write:
        """Remove the item under ``key``; return it (a fresh copy; None if absent) and the index changes."""
        hash_value, range_value = key
        if self._hash_only:
            old: Encoded | None = self._partitions.pop(hash_value, None)
            emptied = old is not None
        else:
            partition = self._partitions.get(hash_value)
            old = None if partition is None else partition.pop(range_value, None)
            emptied = partition is not None and not partition
            if emptied:
                del self._partitions[hash_value]
        if old is None:
            return Write(None, ())
        if emptied:
            self._scan.removed(hash_value)
        removed = decode(old)
        return Write(removed, self._account(removed, None, 0))

    def _account(self, old: Record | None, new: Item | None, new_size: int) -> tuple[IndexChange, ...]:
        if old is not None:
            self._count -= 1
            self._size -= old.size
        if new is not None:
            self._count += 1
            self._size += new_size
        if not self.indexes:
            return ()
        old_item = None if old is None else old.item
        return tuple(index.replace(old_item, new) for index in self.indexes.values())

    def items(self) -> Iterator[Item]:
        """A fresh copy of every item, partition by partition, in sort-key order within a partition."""
        for encoded in self._records():
            yield decode(encoded).item

    def items_in_key_order(self) -> Iterator[Item]:
        """Fresh copies of every item, hash keys in order, then sort keys. O(n log n) for the hash sort."""
        for hash_value in sorted(self._partitions):
            found = self._partitions[hash_value]
            for encoded in (found,) if self._hash_only else found.values():
                yield decode(encoded).item

    def _records(self) -> Iterator[Encoded]:
        if self._hash_only:
            yield from self._partitions.values()
            return
        for partition in self._partitions.values():
            yield from partition.values()

    def collection_size(self, hash_value: Any) -> int:
        """Bytes in one item collection: the items under a hash key plus their LSI entries."""
        if self._hash_only:
            found: Encoded | None = self._partitions.get(hash_value)
            records = [] if found is None else [found]
        else:
            records = list(self._partitions.get(hash_value, {}).values())
        total: int = sum(size for _, size in records)
        local_indexes = [index for index in self.indexes.values() if not index.schema.is_global]
        for encoded in records if local_indexes else ():
            item = decode(encoded).item
            for index in local_indexes:
                entry = index.entry_of(item)  # projected once: the entry holds it
                if entry is not None:
                    total += item_size(entry[2])
        return total

    def _check(self) -> None:
        """Assert the invariants: keys match items, counts and sizes add up, indexes match the table."""
        key = self.schema.key
        count = size = 0
        for hash_value, partition in self._partitions.items():
            pairs: list[tuple[Any, Encoded]]
            pairs = [(None, partition)] if self._hash_only else list(partition.items())
            assert pairs, f"empty partition left behind for {hash_value!r}"
            for range_value, encoded in pairs:
                assert type(encoded) is tuple, "records must be plain tuples, or the collector tracks them"
                item, item_bytes = decode(encoded)
                assert key_values(key, item) == (hash_value, range_value), "item stored under a wrong key"
                assert item_bytes == item_size(item), "stale item size"
                count += 1
                size += item_bytes
        assert count == self._count, f"item count {self._count} != {count}"
        assert size == self._size, f"table size {self._size} != {size}"
        for index in self.indexes.values():
            expected = {}
            for item in self.items():
                entry = index.entry_of(item)
                if entry is not None:
                    expected[(entry[0], entry[1])] = entry[2]
            actual = {(h, s): e for h, s, e in index.entries()}
            assert actual == expected, f"index {index.schema.name} does not match the table"
            index._check()
        self._scan._check("table")
