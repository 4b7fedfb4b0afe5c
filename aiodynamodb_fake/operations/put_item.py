"""PutItem: validate the item whole (values, size, key schema), then replace what was there.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..capacity import CapacityLedger
from ..keys import KeyValues, item_key
from ..shapes import Constraints, validate_table_name
from ..state import ServiceState, Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE, validate_item
from ._common import (
    CONDITION_MEMBERS,
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES,
    check_size_with_local_indexes,
    enum_member,
    item_collection_metrics,
    reject_unsupported,
    require_table,
)
from ._contract import Access, Unit
from ._writes import apply_put

__all__ = ["ACCESS", "PutItemPlan", "PutItemRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "write"


@dataclass(frozen=True, slots=True)
class PutItemRequest:
    table_name: str
    item: Item  # a validated copy, numbers normalised
    size: int
    return_values: str | None
    capacity_mode: str | None
    metrics_mode: str | None


@dataclass(frozen=True, slots=True)
class PutItemPlan:
    request: PutItemRequest
    table: Table
    key: KeyValues


def parse(request: Mapping[str, Any]) -> PutItemRequest:
    name = validate_table_name(request)
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
    return_values = enum_member(constraints, request, "ReturnValues", "returnValues", RETURN_VALUES)
    constraints.required(request.get("Item"), "item")
    constraints.raise_if_any()
    if return_values not in (None, "NONE", "ALL_OLD"):
        raise ValidationException(msg.RETURN_VALUES_PUT_DELETE)
    item, size = validate_item(request["Item"], MAX_ITEM_SIZE)
    if size > MAX_ITEM_SIZE:
        raise ValidationException(msg.ITEM_TOO_LARGE)
    reject_unsupported(request, *CONDITION_MEMBERS)
    return PutItemRequest(name, item, size, return_values, capacity_mode, metrics_mode)


def plan(state: ServiceState, parsed: PutItemRequest) -> PutItemPlan:
    table = require_table(state, parsed.table_name)
    key = item_key(table.schema, parsed.item)
    check_size_with_local_indexes(table, parsed.item, parsed.size)
    return PutItemPlan(parsed, table, key)


def units(planned: PutItemPlan) -> Sequence[Unit]:
    req = planned.request
    return (Unit(0, req.table_name, planned.table, planned.key, True, req.item, req.size),)


def apply(state: ServiceState, planned: PutItemPlan) -> dict[str, Any]:
    req, table = planned.request, planned.table
    name = req.table_name
    ledger = CapacityLedger(req.capacity_mode, [name])
    write = apply_put(table, name, planned.key, req.item, req.size, ledger)
    response: dict[str, Any] = {}
    if req.return_values == "ALL_OLD" and write.old is not None:
        response["Attributes"] = write.old.item  # storage decoded it for us: a fresh copy
    ledger.add_to(response, single=name)
    if req.metrics_mode == "SIZE" and table.schema.local_indexes:
        response["ItemCollectionMetrics"] = item_collection_metrics(
            table, req.item[table.schema.key.hash_name], planned.key[0]
        )
    return response
