"""GetItem: one item by its full primary key, optionally projected.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..canonical import checked_item
from ..capacity import CapacityLedger, read_units
from ..expressions import Projection
from ..keys import KeyValues, validate_key
from ..members.engine import check_request
from ..members.items import GET_ITEM
from ..state import ServiceState, Table
from ..storage import Item
from ._common import require_table
from ._contract import Access, Unit
from ._projection import read_projection

__all__ = ["ACCESS", "GetItemPlan", "GetItemRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "read"


@dataclass(frozen=True, slots=True)
class GetItemRequest:
    table_name: str
    key: Item
    consistent: bool
    projection: Projection | None
    capacity_mode: str | None


@dataclass(frozen=True, slots=True)
class GetItemPlan:
    request: GetItemRequest
    table: Table
    key: KeyValues


def parse(request: Mapping[str, Any]) -> GetItemRequest:
    """Members (``members.items.GET_ITEM``), then the projection, then the key's values."""
    check_request(GET_ITEM, request)
    projection = read_projection(request)
    key, _ = checked_item(request["Key"])
    consistent = bool(request.get("ConsistentRead"))
    name: str = request["TableName"]
    return GetItemRequest(name, key, consistent, projection, request.get("ReturnConsumedCapacity"))


def plan(state: ServiceState, parsed: GetItemRequest) -> GetItemPlan:
    table = require_table(state, parsed.table_name)
    return GetItemPlan(parsed, table, validate_key(table.schema, parsed.key))


def units(planned: GetItemPlan) -> Sequence[Unit]:
    req = planned.request
    return (Unit(0, req.table_name, planned.table, planned.key, False, consistent=req.consistent),)


def apply(state: ServiceState, planned: GetItemPlan) -> dict[str, Any]:
    req = planned.request
    name = req.table_name
    stored = planned.table.store.lookup(planned.key)
    ledger = CapacityLedger(req.capacity_mode, [name])
    ledger.charge(name, read_units(None if stored is None else stored.size, req.consistent))
    response: dict[str, Any] = {}
    if stored is not None:
        item = stored.item
        response["Item"] = item if req.projection is None else req.projection.apply(item)
    return ledger.add_to(response, single=name)
