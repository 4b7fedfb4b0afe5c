"""PutItem: validate the item whole (values, size, key schema), then replace what was there,
optionally only if a ConditionExpression (or the legacy Expected) holds for the stored item.

Order (reference §6.1 and dynalite's validations/putItem.js): the members (``members.items.PUT_ITEM``:
JSON kinds, then one constraint envelope, the legacy members' among them); legacy and expression
members mixed, the expression parameters sent without expressions; the item's values, ReturnValues,
the size, Expected, the expressions (``_conditional``); then the table, the key schema, the
condition, the write.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ConditionalCheckFailedException, ValidationException

from .. import messages as msg
from ..canonical import checked_item
from ..capacity import CapacityLedger
from ..keys import KeyValues, item_key
from ..members.common import ITEM
from ..members.engine import deferring
from ..members.items import PUT_ITEM
from ..state import ServiceState, Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE
from ._common import (
    check_size_with_local_indexes,
    put_delete_return_values,
    require_table,
    single_write_response,
)
from ._conditional import (
    WriteExpressions,
    check_expression_parameters,
    parse_write_expressions,
    stored_condition_refusal,
)
from ._contract import Access, Unit
from ._writes import apply_put

__all__ = ["ACCESS", "PutItemPlan", "PutItemRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "write"
OPERATION = "PutItem"
_MEMBERS: Final = deferring(PUT_ITEM, ITEM)  # parse runs checked_item on the Item on every path


@dataclass(frozen=True, slots=True)
class PutItemRequest:
    table_name: str
    item: Item  # a validated copy, numbers normalised
    size: int
    expressions: WriteExpressions
    return_values: str | None
    capacity_mode: str | None
    metrics_mode: str | None


@dataclass(frozen=True, slots=True)
class PutItemPlan:
    request: PutItemRequest
    table: Table
    key: KeyValues
    refused: ConditionalCheckFailedException | None = None  # the condition failed (``_contract``)


def parse(request: Mapping[str, Any]) -> PutItemRequest:
    """Members (``PUT_ITEM``), then the checks that need more than one member (module docstring).

    The Item's kinds are walked once, by ``checked_item``; the full kind walk runs only for a
    request refused (``members.engine.Deferral``)."""
    with _MEMBERS.checking(request):
        check_expression_parameters(request, operation=OPERATION)
        item, size = checked_item(request["Item"], MAX_ITEM_SIZE)
        return_values = put_delete_return_values(request)
        if size > MAX_ITEM_SIZE:
            raise ValidationException(msg.ITEM_TOO_LARGE)
        expressions = parse_write_expressions(request, operation=OPERATION)
    return PutItemRequest(
        request["TableName"],
        item,
        size,
        expressions,
        return_values,
        request.get("ReturnConsumedCapacity"),
        request.get("ReturnItemCollectionMetrics"),
    )


def plan(state: ServiceState, parsed: PutItemRequest) -> PutItemPlan:
    table = require_table(state, parsed.table_name)
    key = item_key(table.schema, parsed.item)
    check_size_with_local_indexes(table, parsed.item, parsed.size)
    return PutItemPlan(parsed, table, key, stored_condition_refusal(parsed.expressions, table, key))


def units(planned: PutItemPlan) -> Sequence[Unit]:
    req = planned.request
    applies = planned.refused is None
    return (Unit(0, req.table_name, planned.table, planned.key, True, req.item, req.size, applies=applies),)


def apply(state: ServiceState, planned: PutItemPlan) -> dict[str, Any]:
    req, table = planned.request, planned.table
    name = req.table_name
    ledger = CapacityLedger(req.capacity_mode, [name])
    write = apply_put(table, name, planned.key, req.item, req.size, ledger)
    # storage decoded the old item for us: a fresh copy
    old = write.old.item if req.return_values == "ALL_OLD" and write.old is not None else None
    return single_write_response(table, name, ledger, old, req.metrics_mode, req.item, planned.key)
