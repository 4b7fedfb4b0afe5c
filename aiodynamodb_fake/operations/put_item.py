"""PutItem: validate the item whole (values, size, key schema), then replace what was there.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..capacity import CapacityLedger, write_units
from ..keys import item_key
from ..shapes import Constraints, validate_table_name
from ..state import ServiceState
from ..values import MAX_ITEM_SIZE, validate_item
from ._common import (
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES,
    check_size_with_local_indexes,
    enum_member,
    item_collection_metrics,
    reject_unsupported,
    require_table,
)

UNSUPPORTED = (
    "ConditionExpression",
    "Expected",
    "ConditionalOperator",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValuesOnConditionCheckFailure",
)


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
    constraints.required(request.get("Item"), "item")
    constraints.raise_if_any()
    if return_values not in (None, "NONE", "ALL_OLD"):
        raise ValidationException(msg.RETURN_VALUES_PUT_DELETE)
    item, size = validate_item(request["Item"])
    if size > MAX_ITEM_SIZE:
        raise ValidationException(msg.ITEM_TOO_LARGE)
    reject_unsupported(request, *UNSUPPORTED)
    table = require_table(state, name)
    key = item_key(table.schema, item)
    check_size_with_local_indexes(table, item, size)

    write = table.store.put(key, item, size)
    old_item = None if write.old is None else write.old.item
    ledger = CapacityLedger(capacity_mode, [name])
    ledger.charge(name, write_units(max(size, 0 if write.old is None else write.old.size)))
    ledger.charge_indexes(name, write.index_changes)

    response: dict[str, Any] = {}
    if return_values == "ALL_OLD" and old_item is not None:
        response["Attributes"] = old_item  # storage decoded it for us: a fresh copy
    ledger.add_to(response, single=name)
    if metrics_mode == "SIZE" and table.schema.local_indexes:
        response["ItemCollectionMetrics"] = item_collection_metrics(
            table, item[table.schema.key.hash_name], key[0]
        )
    return response
