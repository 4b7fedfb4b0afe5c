"""Capacity units and the ``ConsumedCapacity`` answers built from them.

Writes cost one unit per started KB, reads one per started 4 KB (half for eventually consistent),
each item rounded on its own in batch operations. A write also costs units on every index whose
entry it puts or removes, following the rules of the GSI page below.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .keys import KeyValues
from .storage import IndexChange, Item, TableStore
from .values import item_size

__all__ = [
    "CapacityLedger",
    "delete_units",
    "index_write_units",
    "planned_write_units",
    "put_units",
    "read_units",
    "write_units",
]


def write_units(size: int) -> int:
    """WCUs for writing (or deleting) an item of ``size`` bytes: ceil(size / 1 KB), at least 1."""
    return max(1, -(-size // 1024))


def put_units(new_size: int, old_size: int | None) -> int:
    """WCUs of a put: the larger of the new item and the one it replaces (``old_size`` None: none)."""
    return write_units(new_size if old_size is None else max(new_size, old_size))


def delete_units(old_size: int | None) -> int:
    """WCUs of a delete: the removed item's, or 1 when there was nothing to remove."""
    return 1 if old_size is None else write_units(old_size)


def read_units(size: int | None, consistent: bool) -> float:
    """RCUs for reading one item (``None``: it did not exist), ceil(size / 4 KB), halved if eventual."""
    units = 1 if size is None else max(1, -(-size // 4096))
    return float(units) if consistent else units / 2


def index_write_units(change: IndexChange) -> int:
    """WCUs a table write costs on one index.

    Nothing if the item is in the index neither before nor after, or its entry is unchanged; one
    write to put or remove an entry; two (remove, then put) when the index key changes.
    """
    before, after = change.before, change.after
    if before is None and after is None:
        return 0
    if before is None:
        assert after is not None
        return write_units(item_size(after[2]))
    if after is None:
        return write_units(item_size(before[2]))
    if (before[0], before[1]) != (after[0], after[1]):
        return write_units(item_size(before[2])) + write_units(item_size(after[2]))
    if before[2] == after[2]:
        return 0
    return write_units(item_size(after[2]))


def planned_write_units(
    store: TableStore, key: KeyValues, new: Item | None, new_size: int, *, applies: bool = True
) -> tuple[int, dict[str, int]]:
    """What putting ``new`` (``new_size`` bytes; None: deleting) under ``key`` would cost, changing
    nothing: the table's units, and the units of each GSI whose entry it would change.

    The table's units include its LSI entries' (an LSI shares its table's capacity), and are what
    ``_writes`` charges once the write is applied. O(log n + item size) per index. ``applies``
    False: a write refused by its condition, which writes no index, so only the table's own units.
    """
    old = store.lookup(key)
    old_size = None if old is None else old.size
    table_units = delete_units(old_size) if new is None else put_units(new_size, old_size)
    global_units: dict[str, int] = {}
    if not applies or (old is None and new is None):
        return table_units, global_units
    old_item = None if old is None else old.item
    for index in store.indexes.values():
        before = None if old_item is None else index.entry_of(old_item)
        after = None if new is None else index.entry_of(new)
        units = index_write_units(IndexChange(index.schema, before, after))
        if units and index.schema.is_global:
            global_units[index.schema.name] = units
        else:
            table_units += units
    return table_units, global_units


class CapacityLedger:
    """Adds up units per table (and per index) for one request and renders ``ConsumedCapacity``.

    ``mode`` is the request's ReturnConsumedCapacity: NONE (nothing rendered), TOTAL or INDEXES.
    """

    __slots__ = ("_global", "_local", "_mode", "_tables")

    def __init__(self, mode: str | None, tables: Iterable[str] = ()) -> None:
        self._mode = mode or "NONE"
        self._tables: dict[str, float] = {name: 0.0 for name in tables}
        self._global: dict[str, dict[str, float]] = {}
        self._local: dict[str, dict[str, float]] = {}

    @property
    def wanted(self) -> bool:
        return self._mode != "NONE"

    def charge(self, table: str, units: float) -> None:
        self._tables[table] = self._tables.get(table, 0.0) + units

    def charge_index(self, table: str, index: str, is_global: bool, units: float) -> None:
        if units == 0:
            return
        by_index = (self._global if is_global else self._local).setdefault(table, {})
        by_index[index] = by_index.get(index, 0.0) + units

    def charge_indexes(self, table: str, changes: Iterable[IndexChange]) -> None:
        """Charge what one write cost on each index it changed."""
        for change in changes:
            self.charge_index(table, change.schema.name, change.schema.is_global, index_write_units(change))

    def entry(self, table: str) -> dict[str, Any]:
        """One table's ``ConsumedCapacity`` object."""
        table_units = self._tables.get(table, 0.0)
        gsis = self._global.get(table, {})
        lsis = self._local.get(table, {})
        total = table_units + sum(gsis.values()) + sum(lsis.values())
        entry: dict[str, Any] = {"TableName": table, "CapacityUnits": total}
        if self._mode == "INDEXES":
            entry["Table"] = {"CapacityUnits": table_units}
            if gsis:
                entry["GlobalSecondaryIndexes"] = {n: {"CapacityUnits": u} for n, u in gsis.items()}
            if lsis:
                entry["LocalSecondaryIndexes"] = {n: {"CapacityUnits": u} for n, u in lsis.items()}
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """One object per table of the request, in request order (batch and transaction shape)."""
        return [self.entry(table) for table in self._tables]

    def add_to(self, response: dict[str, Any], *, single: str | None = None) -> dict[str, Any]:
        """Put ``ConsumedCapacity`` in ``response`` if it was asked for: one object for ``single``."""
        if self.wanted:
            response["ConsumedCapacity"] = self.entry(single) if single is not None else self.entries()
        return response
