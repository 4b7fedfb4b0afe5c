"""UpdateItem: change (or create) one item with an UpdateExpression or the legacy AttributeUpdates,
optionally under a condition (a ConditionExpression, or the legacy Expected and ConditionalOperator).

The request is checked as DynamoDB does (dynalite's validations/updateItem.js order): the members
(``members.items.UPDATE_ITEM``: JSON kinds, then one constraint envelope, the legacy members' among
them), legacy and expression members mixed, the expression parameters sent without expressions, the
Key's values, then AttributeUpdates, Expected and the expressions (``_conditional``). The plan
finds the table, checks the key and what the update may touch, reads the stored item, tests the
condition and builds the new item (``_update``); apply stores it as a put (charged by the larger of
the old and new item, index entries included) and answers ``Attributes`` as ReturnValues asks. With
no UpdateExpression the item is stored as it is, or created from the key alone (dynalite's "should
just add item with key if no action").
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ConditionalCheckFailedException, DynamoDBError

from ..canonical import checked_item
from ..capacity import CapacityLedger
from ..expressions import UpdateExpression
from ..expressions.legacy import LegacyUpdate
from ..keys import KeyValues, validate_key
from ..members.engine import check_request
from ..members.items import UPDATE_ITEM
from ..state import ServiceState, Table
from ..storage import Item
from ._common import require_table, single_write_response
from ._conditional import (
    WriteExpressions,
    check_expression_parameters,
    condition_refusal,
    parse_write_expressions,
)
from ._contract import Access, Unit
from ._update import UpdatedItem, check_update_paths, return_values, updated_item
from ._writes import apply_put

__all__ = ["ACCESS", "UpdateItemPlan", "UpdateItemRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "write"
OPERATION = "UpdateItem"


@dataclass(frozen=True, slots=True)
class UpdateItemRequest:
    table_name: str
    key: Item  # a validated copy of the Key map
    expressions: WriteExpressions
    return_values: str | None
    capacity_mode: str | None
    metrics_mode: str | None


@dataclass(frozen=True, slots=True)
class UpdateItemPlan:
    request: UpdateItemRequest
    table: Table
    key: KeyValues
    old: Item | None
    new: UpdatedItem | None  # None only when refused and the update could not be worked out
    refused: ConditionalCheckFailedException | None = None  # the condition failed (``_contract``)


def parse(request: Mapping[str, Any]) -> UpdateItemRequest:
    """Members (``UPDATE_ITEM``), then the checks that need more than one member (module docstring)."""
    check_request(UPDATE_ITEM, request)
    check_expression_parameters(request, operation=OPERATION)
    key, _ = checked_item(request["Key"])
    expressions = parse_write_expressions(request, operation=OPERATION)
    return UpdateItemRequest(
        request["TableName"],
        key,
        expressions,
        request.get("ReturnValues"),
        request.get("ReturnConsumedCapacity"),
        request.get("ReturnItemCollectionMetrics"),
    )


def plan(state: ServiceState, parsed: UpdateItemRequest) -> UpdateItemPlan:
    table = require_table(state, parsed.table_name)
    key = validate_key(table.schema, parsed.key)
    update = parsed.expressions.changes
    check_update_paths(table, update)
    stored = table.store.lookup(key)
    old = None if stored is None else stored.item
    refused = condition_refusal(parsed.expressions, old)
    new = (
        updated_item(table, parsed.key, old, update)
        if refused is None
        else _attempted(table, parsed.key, old, update)
    )
    return UpdateItemPlan(parsed, table, key, old, new, refused)


def _attempted(
    table: Table, key_item: Item, old: Item | None, update: UpdateExpression | LegacyUpdate | None
) -> UpdatedItem | None:
    """The item a refused update would have made, which its charge is sized by; None when the update
    would itself have failed (the condition's error is the answer, and the stored item sizes it)."""
    try:
        return updated_item(table, key_item, old, update)
    except DynamoDBError:
        return None


def units(planned: UpdateItemPlan) -> Sequence[Unit]:
    name, new, applies = planned.request.table_name, planned.new, planned.refused is None
    # refused with no new item to size (``_attempted``): the stored one (or one unit) is the charge
    item, size = (None, 0) if new is None else (new.item, new.size)
    return (Unit(0, name, planned.table, planned.key, True, item, size, applies=applies),)


def apply(state: ServiceState, planned: UpdateItemPlan) -> dict[str, Any]:
    req, table, new = planned.request, planned.table, planned.new
    assert new is not None  # only a refused plan lacks it, and a refused plan is never applied
    name = req.table_name
    ledger = CapacityLedger(req.capacity_mode, [name])
    apply_put(table, name, planned.key, new.item, new.size, ledger)
    attributes = return_values(req.return_values, planned.old, new)
    return single_write_response(table, name, ledger, attributes, req.metrics_mode, req.key, planned.key)
