"""Checks several item operations share: table lookup, PutItem's and DeleteItem's ReturnValues, item
collection metrics, the single-item writes' answer, the item size with its LSI entries.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html (and its siblings)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import ResourceNotFoundException, ValidationException

from .. import messages as msg
from ..capacity import CapacityLedger
from ..keys import KeyValues
from ..state import ServiceState, Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE, item_size


def require_table(state: ServiceState, name: str) -> Table:
    """The ACTIVE table called ``name`` (or with that ARN), else ResourceNotFoundException."""
    table = state.lookup(name)
    if table is None:
        raise ResourceNotFoundException(msg.RESOURCE_NOT_FOUND)
    return table


def put_delete_return_values(request: Mapping[str, Any]) -> str | None:
    """PutItem's and DeleteItem's ReturnValues: their member tables allow UpdateItem's five values
    (one shared member), but these two operations take only NONE and ALL_OLD."""
    return_values: str | None = request.get("ReturnValues")
    if return_values not in (None, "NONE", "ALL_OLD"):
        raise ValidationException(msg.RETURN_VALUES_PUT_DELETE)
    return return_values


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


def single_write_response(
    table: Table,
    name: str,
    ledger: CapacityLedger,
    attributes: Item | None,
    metrics_mode: str | None,
    sent_key: Mapping[str, Any],
    key: KeyValues,
) -> dict[str, Any]:
    """PutItem's, DeleteItem's and UpdateItem's answer: ``Attributes`` (when not None), the
    ``ConsumedCapacity`` asked for, and ``ItemCollectionMetrics`` under the hash key of ``sent_key``
    (the Item or Key sent) when SIZE was asked for and the table has an LSI."""
    response: dict[str, Any] = {}
    if attributes is not None:
        response["Attributes"] = attributes
    ledger.add_to(response, single=name)
    if metrics_mode == "SIZE" and table.schema.local_indexes:
        response["ItemCollectionMetrics"] = item_collection_metrics(
            table, sent_key[table.schema.key.hash_name], key[0]
        )
    return response


def check_size_with_local_indexes(
    table: Table, item: Item, size: int, message: str = msg.ITEM_TOO_LARGE
) -> None:
    """On a table with LSIs the 400 KB limit covers the item plus its entries in every LSI.

    (Developer Guide, service quotas: "the total of the item's data in the table and its
    corresponding entries in all local secondary indexes".) The message for this case is not
    documented; it is taken to be the operation's plain item-size message (``message``: PutItem's
    by default, UpdateItem passes its "Item size to update ..." one).
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
        raise ValidationException(message)
