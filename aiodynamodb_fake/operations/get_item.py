"""GetItem: one item by its full primary key, optionally projected.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..capacity import CapacityLedger, read_units
from ..keys import validate_key
from ..shapes import Constraints, expect_bool, validate_table_name
from ..state import ServiceState
from ..values import validate_item
from ._common import RETURN_CONSUMED_CAPACITY, enum_member, require_table
from ._projection import read_projection


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    name = validate_table_name(request)
    constraints = Constraints()
    capacity_mode = enum_member(
        constraints, request, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY
    )
    attributes = request.get("AttributesToGet")
    if isinstance(attributes, list | tuple):
        constraints.length(attributes, "attributesToGet", 1, None)
    constraints.required(request.get("Key"), "key")
    constraints.raise_if_any()
    consistent = bool(expect_bool(request.get("ConsistentRead"), "ConsistentRead"))
    projection = read_projection(request)
    key, _ = validate_item(request["Key"])
    table = require_table(state, name)
    key_values = validate_key(table.schema, key)

    stored = table.store.lookup(key_values)
    ledger = CapacityLedger(capacity_mode, [name])
    ledger.charge(name, read_units(None if stored is None else stored.size, consistent))
    response: dict[str, Any] = {}
    if stored is not None:
        item = stored.item
        response["Item"] = item if projection is None else projection.apply(item)
    return ledger.add_to(response, single=name)
