"""DeleteItem: remove one item by its full primary key; a missing item is not an error.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..capacity import CapacityLedger
from ..keys import KeyValues, validate_key
from ..shapes import Constraints, validate_table_name
from ..state import ServiceState, Table
from ..storage import Item
from ..values import validate_item
from ._common import (
    CONDITION_MEMBERS,
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES,
    enum_member,
    item_collection_metrics,
    reject_unsupported,
    require_table,
)
from ._contract import Access, Unit
from ._writes import apply_delete

__all__ = ["ACCESS", "DeleteItemPlan", "DeleteItemRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "write"


@dataclass(frozen=True, slots=True)
class DeleteItemRequest:
    table_name: str
    key: Item  # a validated copy of the Key map
    return_values: str | None
    capacity_mode: str | None
    metrics_mode: str | None


@dataclass(frozen=True, slots=True)
class DeleteItemPlan:
    request: DeleteItemRequest
    table: Table
    key: KeyValues


def parse(request: Mapping[str, Any]) -> DeleteItemRequest:
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
    constraints.required(request.get("Key"), "key")
    constraints.raise_if_any()
    if return_values not in (None, "NONE", "ALL_OLD"):
        raise ValidationException(msg.RETURN_VALUES_PUT_DELETE)
    key, _ = validate_item(request["Key"])
    reject_unsupported(request, *CONDITION_MEMBERS)
    return DeleteItemRequest(name, key, return_values, capacity_mode, metrics_mode)


def plan(state: ServiceState, parsed: DeleteItemRequest) -> DeleteItemPlan:
    table = require_table(state, parsed.table_name)
    return DeleteItemPlan(parsed, table, validate_key(table.schema, parsed.key))


def units(planned: DeleteItemPlan) -> Sequence[Unit]:
    return (Unit(0, planned.request.table_name, planned.table, planned.key, True),)


def apply(state: ServiceState, planned: DeleteItemPlan) -> dict[str, Any]:
    req, table = planned.request, planned.table
    name = req.table_name
    ledger = CapacityLedger(req.capacity_mode, [name])
    write = apply_delete(table, name, planned.key, ledger)
    response: dict[str, Any] = {}
    if req.return_values == "ALL_OLD" and write.old is not None:
        response["Attributes"] = write.old.item  # storage decoded it for us: a fresh copy
    ledger.add_to(response, single=name)
    if req.metrics_mode == "SIZE" and table.schema.local_indexes:
        response["ItemCollectionMetrics"] = item_collection_metrics(
            table, req.key[table.schema.key.hash_name], planned.key[0]
        )
    return response
