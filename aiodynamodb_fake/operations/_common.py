"""Checks several item operations share: enums, table lookup, parameters not supported yet.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html (and its siblings)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import ResourceNotFoundException, ValidationException

from .. import messages as msg
from ..shapes import TABLE_NAME_PATTERN, Constraints, expect_str
from ..state import ServiceState, Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE, item_size

RETURN_CONSUMED_CAPACITY = ("INDEXES", "TOTAL", "NONE")
RETURN_ITEM_COLLECTION_METRICS = ("SIZE", "NONE")
RETURN_VALUES = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")
NOT_YET_SUPPORTED = "{name} is not supported by aiodynamodb_fake yet"
# Members of PutItem and DeleteItem this fake refuses until conditions are implemented.
CONDITION_MEMBERS = (
    "ConditionExpression",
    "Expected",
    "ConditionalOperator",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValuesOnConditionCheckFailure",
)
# How BatchWriteItem and BatchGetItem report a bad table name: the rules of a RequestItems map key.
BATCH_TABLE_NAME_RULES = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
    f"Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: "
    f"{TABLE_NAME_PATTERN}]"
)


def enum_member(
    constraints: Constraints, request: Mapping[str, Any], member: str, path: str, allowed: tuple[str, ...]
) -> str | None:
    """Read an optional enum member, recording a constraint error if it is not one of ``allowed``."""
    value = expect_str(request.get(member), member)
    constraints.enum(value, path, allowed)
    return value


def require_table(state: ServiceState, name: str) -> Table:
    """The ACTIVE table called ``name`` (or with that ARN), else ResourceNotFoundException."""
    table = state.lookup(name)
    if table is None:
        raise ResourceNotFoundException(msg.RESOURCE_NOT_FOUND)
    return table


def reject_unsupported(request: Mapping[str, Any], *members: str) -> None:
    """Parameters DynamoDB has but this fake does not implement yet are refused, never ignored."""
    for member in members:
        if request.get(member) is not None:
            raise ValidationException(NOT_YET_SUPPORTED.format(name=member))


def item_collection_metrics(table: Table, hash_av: Mapping[str, Any], hash_value: Any) -> dict[str, Any]:
    """``ItemCollectionMetrics`` for the collection under one hash key (tables with an LSI only).

    DynamoDB gives a [lower, upper] estimate in GB; we give the whole-GB bracket the exact size falls in.
    """
    size_gb = table.store.collection_size(hash_value) / 2**30
    lower = float(int(size_gb))
    return {
        "ItemCollectionKey": {table.schema.key.hash_name: dict(hash_av)},
        "SizeEstimateRangeGB": [lower, lower + 1.0],
    }


def check_size_with_local_indexes(table: Table, item: Item, size: int) -> None:
    """On a table with LSIs the 400 KB limit covers the item plus its entries in every LSI.

    (Developer Guide, service quotas: "the total of the item's data in the table and its
    corresponding entries in all local secondary indexes".) The message for this case is not
    documented; it is taken to be the plain item-size message.
    """
    if not table.schema.local_indexes:
        return
    total = size
    for index in table.store.indexes.values():
        if not index.schema.is_global:
            entry = index.entry_of(item)
            if entry is not None:
                total += item_size(entry[2])
    if total > MAX_ITEM_SIZE:
        raise ValidationException(msg.ITEM_TOO_LARGE)
