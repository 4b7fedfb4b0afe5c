"""BatchWriteItem: up to 25 puts and deletes over several tables, checked whole before any is applied.

Validation follows reference §3.2 step by step: ``parse`` does the shape, member constraints,
AttributeValues and item sizes; ``plan`` the table existence, key schema and duplicate keys. Then
the writes not left unprocessed (by injected throttling or the capacity model) are applied, none of
which can fail; the others come back in ``UnprocessedItems`` exactly as they were sent. Each write
is atomic on its own; the applied part of a call is atomic here too, a legal special case of
DynamoDB's weaker promise.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from .. import limits
from .. import messages as msg
from ..canonical import checked_item
from ..capacity import CapacityLedger
from ..keys import KeyValues, item_key, validate_key
from ..members.batches import BATCH_WRITE_ITEM
from ..members.common import ITEM, KEY
from ..members.engine import deferring
from ..state import ServiceState, Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE, copy_value
from ._common import check_size_with_local_indexes, item_collection_metrics, require_table
from ._contract import Access, Unit
from ._writes import apply_delete, apply_put

__all__ = [
    "ACCESS",
    "BatchWriteItemPlan",
    "BatchWriteItemRequest",
    "apply",
    "leave_unprocessed",
    "parse",
    "plan",
    "units",
]

ACCESS: Final[Access] = "write"
MAX_WRITES = limits.MAX_BATCH_WRITES
TOO_MANY = "Too many items requested for the BatchWriteItem call"
# Every PutRequest's Item and DeleteRequest's Key goes through ``checked_item`` in ``_check_values``.
_MEMBERS: Final = deferring(BATCH_WRITE_ITEM, ITEM, KEY)


@dataclass(frozen=True, slots=True)
class WriteOp:
    """One WriteRequest: a validated copy of its item (put) or key (delete), that copy's size, and
    the attributes as sent (echoed back if the write is left unprocessed)."""

    is_put: bool
    attributes: Item
    size: int
    sent: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TableWrites:
    name: str
    ops: tuple[WriteOp, ...]


@dataclass(frozen=True, slots=True)
class BatchWriteItemRequest:
    capacity_mode: str | None
    metrics_mode: str | None
    tables: tuple[TableWrites, ...]


@dataclass(frozen=True, slots=True)
class BatchWriteItemPlan:
    request: BatchWriteItemRequest
    tables: tuple[Table, ...]
    keys: tuple[tuple[KeyValues, ...], ...]
    unprocessed: frozenset[int] = frozenset()  # positions across the call, in request order


def parse(request: Mapping[str, Any]) -> BatchWriteItemRequest:
    """Members, then values: the items' and keys' kinds are walked once, by ``_check_values`` (every
    Item and Key, on every path that returns), the full kind walk only for a request refused."""
    with _MEMBERS.checking(request):
        capacity_mode, metrics_mode, entries = _check_members(request)
        tables = tuple(TableWrites(name, tuple(_check_values(ops))) for name, ops in entries)
    return BatchWriteItemRequest(capacity_mode, metrics_mode, tables)


def plan(state: ServiceState, parsed: BatchWriteItemRequest) -> BatchWriteItemPlan:
    tables = tuple(require_table(state, tw.name) for tw in parsed.tables)
    keys = tuple(_check_keys(table, tw) for table, tw in zip(tables, parsed.tables, strict=True))
    return BatchWriteItemPlan(parsed, tables, keys)


def units(planned: BatchWriteItemPlan) -> Sequence[Unit]:
    found: list[Unit] = []
    for table, tw, keys in zip(planned.tables, planned.request.tables, planned.keys, strict=True):
        for op, key in zip(tw.ops, keys, strict=True):
            item = op.attributes if op.is_put else None
            found.append(Unit(len(found), tw.name, table, key, True, item, op.size if op.is_put else 0))
    return found


def leave_unprocessed(planned: BatchWriteItemPlan, positions: frozenset[int]) -> BatchWriteItemPlan:
    return dataclasses.replace(planned, unprocessed=planned.unprocessed | positions)


def apply(state: ServiceState, planned: BatchWriteItemPlan) -> dict[str, Any]:
    req = planned.request
    ledger = CapacityLedger(req.capacity_mode, [tw.name for tw in req.tables])
    metrics: dict[str, list[dict[str, Any]]] = {}
    unprocessed: dict[str, list[dict[str, Any]]] = {}
    position = 0
    for table, tw, keys in zip(planned.tables, req.tables, planned.keys, strict=True):
        touched: dict[Any, tuple[WriteOp, KeyValues]] = {}  # one per item collection
        for op, key in zip(tw.ops, keys, strict=True):
            if position in planned.unprocessed:
                unprocessed.setdefault(tw.name, []).append(_echo(op))
            elif op.is_put:
                apply_put(table, tw.name, key, op.attributes, op.size, ledger)
                touched.setdefault(key[0], (op, key))
            else:
                apply_delete(table, tw.name, key, ledger)
                touched.setdefault(key[0], (op, key))
            position += 1
        if req.metrics_mode == "SIZE" and table.schema.local_indexes and touched:
            hash_name = table.schema.key.hash_name
            metrics[tw.name] = [
                item_collection_metrics(table, op.attributes[hash_name], key[0])
                for op, key in touched.values()
            ]
    response: dict[str, Any] = {"UnprocessedItems": unprocessed}
    ledger.add_to(response)
    if metrics:
        response["ItemCollectionMetrics"] = metrics
    return response


def _echo(op: WriteOp) -> dict[str, Any]:
    """The WriteRequest as it was sent, in fresh containers, ready to be sent again."""
    attributes = {name: copy_value(av) for name, av in op.sent.items()}
    return {"PutRequest": {"Item": attributes}} if op.is_put else {"DeleteRequest": {"Key": attributes}}


def _check_members(
    request: Mapping[str, Any],
) -> tuple[str | None, str | None, list[tuple[str, Sequence[Any]]]]:
    """The call's size (kinds and member constraints, reference §3.2 steps 1-3, are ``_MEMBERS``'s);
    returns the table entries in order."""
    entries: list[tuple[str, Sequence[Any]]] = list(request["RequestItems"].items())
    if sum(len(ops) for _, ops in entries) > MAX_WRITES:
        raise ValidationException(TOO_MANY)
    return request.get("ReturnConsumedCapacity"), request.get("ReturnItemCollectionMetrics"), entries


def _check_values(ops: Sequence[Any]) -> list[WriteOp]:
    """AttributeValues and item sizes, before any table is looked up (reference §3.2 step 4)."""
    checked = []
    for op in ops:
        put = op.get("PutRequest")
        delete = op.get("DeleteRequest")
        # DynamoDB answers an empty WriteRequest with this odd message; one holding both a put
        # and a delete has no confirmed message, so it gets the same "exactly one" complaint.
        if (put is None) == (delete is None):
            raise ValidationException(msg.AV_MANY)
        if put is not None:
            item, size = checked_item(put["Item"], MAX_ITEM_SIZE)
            if size > MAX_ITEM_SIZE:
                raise ValidationException(msg.ITEM_TOO_LARGE)
            checked.append(WriteOp(True, item, size, put["Item"]))
        else:
            key, size = checked_item(delete["Key"])
            checked.append(WriteOp(False, key, size, delete["Key"]))
    return checked


def _check_keys(table: Table, writes: TableWrites) -> tuple[KeyValues, ...]:
    """Key schema for every request, then duplicate keys within the table (steps 6 and 7)."""
    schema = table.schema
    keys = []
    for op in writes.ops:
        if op.is_put:
            keys.append(item_key(schema, op.attributes, in_batch=True))
            check_size_with_local_indexes(table, op.attributes, op.size)
        else:
            keys.append(validate_key(schema, op.attributes))
    if len(set(keys)) != len(keys):
        raise ValidationException(msg.DUPLICATE_KEYS)
    return tuple(keys)
