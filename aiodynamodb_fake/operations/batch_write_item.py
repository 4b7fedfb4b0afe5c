"""BatchWriteItem: up to 25 puts and deletes over several tables, checked whole before any is applied.

Validation follows reference §3.2 step by step (shape, member constraints, AttributeValues and item
sizes, table existence, key schema, duplicate keys); only then are the writes applied, none of
which can fail. Each write is atomic on its own; the call as a whole is atomic here too, which is a
legal special case of DynamoDB's weaker promise.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..capacity import CapacityLedger, write_units
from ..keys import KeyValues, item_key, validate_key
from ..shapes import TABLE_NAME_PATTERN, Constraints, expect_list, expect_map, table_name_rules
from ..state import ServiceState, Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE, validate_item
from ._common import (
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    check_size_with_local_indexes,
    enum_member,
    item_collection_metrics,
    require_table,
)

MAX_WRITES = 25
REQUIRED = "The requestItems parameter is required for BatchWriteItem"
TOO_MANY = "Too many items requested for the BatchWriteItem call"
TABLE_NAME_RULES = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
    f"Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: "
    f"{TABLE_NAME_PATTERN}]"
)
LIST_LENGTH_RULES = (
    f"Map value must satisfy constraint: [Member must have length less than or equal to {MAX_WRITES}, "
    "Member must have length greater than or equal to 1]"
)


@dataclass(frozen=True, slots=True)
class WriteOp:
    """One WriteRequest: a validated copy of its item (put) or key (delete) and that copy's size."""

    is_put: bool
    attributes: Item
    size: int


@dataclass(frozen=True, slots=True)
class TableWrites:
    name: str
    ops: tuple[WriteOp, ...]


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    capacity_mode, metrics_mode, entries = _check_members(request)
    writes = [TableWrites(name, tuple(_check_values(ops))) for name, ops in entries]
    tables = [require_table(state, tw.name) for tw in writes]
    keyed = [_check_keys(table, tw) for table, tw in zip(tables, writes, strict=True)]

    ledger = CapacityLedger(capacity_mode, [tw.name for tw in writes])
    metrics: dict[str, list[dict[str, Any]]] = {}
    for table, tw, keys in zip(tables, writes, keyed, strict=True):
        touched = _apply(table, tw, keys, ledger)
        if metrics_mode == "SIZE" and table.schema.local_indexes:
            hash_name = table.schema.key.hash_name
            metrics[tw.name] = [
                item_collection_metrics(table, op.attributes[hash_name], key[0]) for op, key in touched
            ]
    response: dict[str, Any] = {"UnprocessedItems": {}}
    ledger.add_to(response)
    if metrics:
        response["ItemCollectionMetrics"] = metrics
    return response


def _check_members(
    request: Mapping[str, Any],
) -> tuple[str | None, str | None, list[tuple[str, Sequence[Any]]]]:
    """Shape and member constraints (reference §3.2 steps 1-3); returns the table entries in order."""
    raw_items = expect_map(request.get("RequestItems"), "RequestItems")
    if raw_items is not None and not raw_items:
        raise ValidationException(REQUIRED)
    constraints = Constraints()
    capacity_mode = enum_member(
        constraints, request, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY
    )
    metrics_mode = enum_member(
        constraints,
        request,
        "ReturnItemCollectionMetrics",
        "returnItemCollectionMetrics",
        RETURN_ITEM_COLLECTION_METRICS,
    )
    entries: list[tuple[str, Sequence[Any]]] = []
    if constraints.required(raw_items, "requestItems"):
        assert raw_items is not None
        for name, raw_ops in raw_items.items():
            ops = expect_list(raw_ops, "WriteRequests") or ()
            if table_name_rules(name):
                constraints.add(raw_items, "requestItems", TABLE_NAME_RULES)
            if not 1 <= len(ops) <= MAX_WRITES:
                constraints.add({name: raw_ops}, "requestItems", LIST_LENGTH_RULES)
            for position, raw_op in enumerate(ops, start=1):
                _check_write_request_members(constraints, name, position, raw_op)
            entries.append((name, ops))
    constraints.raise_if_any()
    if sum(len(ops) for _, ops in entries) > MAX_WRITES:
        raise ValidationException(TOO_MANY)
    return capacity_mode, metrics_mode, entries


def _check_write_request_members(constraints: Constraints, table: str, position: int, raw_op: Any) -> None:
    base = f"requestItems.{table}.member.{position}.member"
    op = expect_map(raw_op, "WriteRequest")
    if op is None:  # a JSON null in the list
        constraints.required(None, base)
        return
    put = expect_map(op.get("PutRequest"), "PutRequest")
    delete = expect_map(op.get("DeleteRequest"), "DeleteRequest")
    if put is not None:
        constraints.required(put.get("Item"), f"{base}.putRequest.item")
    if delete is not None:
        constraints.required(delete.get("Key"), f"{base}.deleteRequest.key")


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
            item, size = validate_item(put["Item"])
            if size > MAX_ITEM_SIZE:
                raise ValidationException(msg.ITEM_TOO_LARGE)
            checked.append(WriteOp(True, item, size))
        else:
            key, size = validate_item(delete["Key"])
            checked.append(WriteOp(False, key, size))
    return checked


def _check_keys(table: Table, writes: TableWrites) -> list[KeyValues]:
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
    return keys


def _apply(
    table: Table, writes: TableWrites, keys: list[KeyValues], ledger: CapacityLedger
) -> list[tuple[WriteOp, KeyValues]]:
    """Apply every write (cannot fail); returns the writes whose item collections changed, one per key."""
    store = table.store
    name = writes.name
    units = 0
    touched: dict[Any, tuple[WriteOp, KeyValues]] = {}
    for op, key in zip(writes.ops, keys, strict=True):
        if op.is_put:
            write = store.put(key, op.attributes, op.size)
            old = write.old
            units += write_units(op.size if old is None else max(op.size, old.size))
        else:
            write = store.delete(key)
            units += 1 if write.old is None else write_units(write.old.size)
        ledger.charge_indexes(name, write.index_changes)
        touched.setdefault(key[0], (op, key))
    ledger.charge(name, units)
    return list(touched.values())
