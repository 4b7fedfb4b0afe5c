"""DeleteItem: remove one item by its full primary key; a missing item is not an error. A
ConditionExpression (or the legacy Expected) is tested against the stored item (none when it is
missing, so ``attribute_exists(pk)`` fails there). Order as PutItem's (reference §6.1, dynalite's
validations/deleteItem.js): the members (``members.items.DELETE_ITEM``), legacy and expression
members mixed, the expression parameters sent without expressions, the Key's values, ReturnValues,
Expected, the expressions.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ConditionalCheckFailedException

from ..canonical import checked_item
from ..capacity import CapacityLedger
from ..keys import KeyValues, validate_key
from ..members.engine import check_request
from ..members.items import DELETE_ITEM
from ..state import ServiceState, Table
from ..storage import Item
from ._common import put_delete_return_values, require_table, single_write_response
from ._conditional import (
    WriteExpressions,
    check_expression_parameters,
    parse_write_expressions,
    stored_condition_refusal,
)
from ._contract import Access, Unit
from ._writes import apply_delete

__all__ = ["ACCESS", "DeleteItemPlan", "DeleteItemRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "write"
OPERATION = "DeleteItem"


@dataclass(frozen=True, slots=True)
class DeleteItemRequest:
    table_name: str
    key: Item  # a validated copy of the Key map
    expressions: WriteExpressions
    return_values: str | None
    capacity_mode: str | None
    metrics_mode: str | None


@dataclass(frozen=True, slots=True)
class DeleteItemPlan:
    request: DeleteItemRequest
    table: Table
    key: KeyValues
    refused: ConditionalCheckFailedException | None = None  # the condition failed (``_contract``)


def parse(request: Mapping[str, Any]) -> DeleteItemRequest:
    """Members (``DELETE_ITEM``), then the checks that need more than one member (module docstring)."""
    check_request(DELETE_ITEM, request)
    check_expression_parameters(request, operation=OPERATION)
    key, _ = checked_item(request["Key"])
    # choice: dynalite has no such check for DeleteItem; it goes where PutItem's is, after the values
    return_values = put_delete_return_values(request)
    expressions = parse_write_expressions(request, operation=OPERATION)
    return DeleteItemRequest(
        request["TableName"],
        key,
        expressions,
        return_values,
        request.get("ReturnConsumedCapacity"),
        request.get("ReturnItemCollectionMetrics"),
    )


def plan(state: ServiceState, parsed: DeleteItemRequest) -> DeleteItemPlan:
    table = require_table(state, parsed.table_name)
    key = validate_key(table.schema, parsed.key)
    return DeleteItemPlan(parsed, table, key, stored_condition_refusal(parsed.expressions, table, key))


def units(planned: DeleteItemPlan) -> Sequence[Unit]:
    applies = planned.refused is None
    return (Unit(0, planned.request.table_name, planned.table, planned.key, True, applies=applies),)


def apply(state: ServiceState, planned: DeleteItemPlan) -> dict[str, Any]:
    req, table = planned.request, planned.table
    name = req.table_name
    ledger = CapacityLedger(req.capacity_mode, [name])
    write = apply_delete(table, name, planned.key, ledger)
    # storage decoded the old item for us: a fresh copy
    old = write.old.item if req.return_values == "ALL_OLD" and write.old is not None else None
    return single_write_response(table, name, ledger, old, req.metrics_mode, req.key, planned.key)
