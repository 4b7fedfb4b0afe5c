"""Applying one put or one delete and charging what it cost: shared by PutItem, DeleteItem and
BatchWriteItem, so the write-unit rules live in one place.

The unit formulas are ``capacity.put_units`` / ``delete_units`` (the capacity model prices a write
before it happens with the same ones); every index entry put or removed costs its own.
Nothing here can fail: callers have validated keys, sizes and tables before.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html
"""

from __future__ import annotations

from ..capacity import CapacityLedger, delete_units, put_units
from ..keys import KeyValues
from ..state import Table
from ..storage import Item, Write

__all__ = ["apply_delete", "apply_put"]


def apply_put(
    table: Table, name: str, key: KeyValues, item: Item, size: int, ledger: CapacityLedger
) -> Write:
    """Store ``item`` (``size`` bytes) under ``key`` and charge the write to ``name`` in ``ledger``."""
    write = table.store.put(key, item, size)
    if ledger.wanted:  # units are summed only for a ConsumedCapacity asked for
        ledger.charge(name, put_units(size, None if write.old is None else write.old.size))
        ledger.charge_indexes(name, write.index_changes)
    return write


def apply_delete(table: Table, name: str, key: KeyValues, ledger: CapacityLedger) -> Write:
    """Remove the item under ``key`` (if any) and charge the delete to ``name`` in ``ledger``."""
    write = table.store.delete(key)
    if ledger.wanted:
        ledger.charge(name, delete_units(None if write.old is None else write.old.size))
        ledger.charge_indexes(name, write.index_changes)
    return write
