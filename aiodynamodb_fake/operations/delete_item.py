"""DeleteItem: remove one item by its full primary key; a missing item is not an error.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..capacity import CapacityLedger, write_units
from ..keys import validate_key
from ..shapes import Constraints, validate_table_name
from ..state import ServiceState
from ..values import validate_item
from ._common import (
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES,
    enum_member,
    item_collection_metrics,
    reject_unsupported,
    require_table,
)
from .put_item import UNSUPPORTED


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
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
    reject_unsupported(request, *UNSUPPORTED)
    table = require_table(state, name)
    key_values = validate_key(table.schema, key)

    write = table.store.delete(key_values)
    old_item = None if write.old is None else write.old.item
    ledger = CapacityLedger(capacity_mode, [name])
    ledger.charge(name, 1 if write.old is None else write_units(write.old.size))
    ledger.charge_indexes(name, write.index_changes)

    response: dict[str, Any] = {}
    if return_values == "ALL_OLD" and old_item is not None:
        response["Attributes"] = old_item  # storage decoded it for us: a fresh copy
    ledger.add_to(response, single=name)
    if metrics_mode == "SIZE" and table.schema.local_indexes:
        response["ItemCollectionMetrics"] = item_collection_metrics(
            table, key[table.schema.key.hash_name], key_values[0]
        )
    return response
