"""TransactGetItems: up to 100 Gets read together, all or none, at twice the price of a strong read.

``parse`` checks the request against its member table (``members.transactions``: every wrong JSON
kind, then one constraint envelope), then each Get's projection and Key values; ``plan`` finds the
tables, fits each key to its schema (a key that does not fit cancels the transaction with a
``ValidationError`` reason, see ``_transactions``), refuses two Gets of one item, and reads the
items; ``apply`` answers ``Responses`` aligned with the request (``{}`` for an item that is
missing). Each Get costs 2 RCUs per started 4 KB (a missing item 2): a prepare and a commit read
[DG:transaction-apis]; a projection does not lower it.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from aiodynamodb.errors import DynamoDBError, ValidationException

from ..capacity import CapacityLedger, read_units
from ..expressions import Projection
from ..keys import KeyValues, validate_key
from ..members.engine import check_request
from ..members.transactions import TRANSACT_GET_ITEMS
from ..state import ServiceState, Table
from ..storage import Item, Record
from ..throttling import ThrottleReason
from ..values import validate_item
from ._common import require_table
from ._contract import Access, Unit
from ._projection import read_projection
from ._transactions import (
    MAX_TRANSACTION_BYTES,
    TOO_LARGE,
    TRANSACTIONAL_FACTOR,
    chaos_cancellation,
    check_distinct,
    resolve_keys,
    transaction_capacity,
)

__all__ = [
    "ACCESS",
    "GetAction",
    "TransactGetItemsPlan",
    "TransactGetItemsRequest",
    "apply",
    "cancel",
    "parse",
    "plan",
    "units",
]

ACCESS: Final[Access] = "read"


@dataclass(frozen=True, slots=True)
class GetAction:
    table_name: str  # as sent: a name or an ARN
    key: Item  # a validated copy
    projection: Projection | None


@dataclass(frozen=True, slots=True)
class TransactGetItemsRequest:
    actions: tuple[GetAction, ...]
    capacity_mode: str | None


@dataclass(frozen=True, slots=True)
class TransactGetItemsPlan:
    request: TransactGetItemsRequest
    tables: tuple[Table, ...]
    keys: tuple[KeyValues, ...]
    found: tuple[Record | None, ...]  # what each Get reads (fresh copies)


def parse(request: Mapping[str, Any]) -> TransactGetItemsRequest:
    """Members (``members.transactions.TRANSACT_GET_ITEMS``), then each Get in request order."""
    check_request(TRANSACT_GET_ITEMS, request)
    actions = tuple(_get_action(entry["Get"]) for entry in request["TransactItems"])
    capacity_mode: str | None = request.get("ReturnConsumedCapacity")
    return TransactGetItemsRequest(actions, capacity_mode)


def plan(state: ServiceState, parsed: TransactGetItemsRequest) -> TransactGetItemsPlan:
    actions = parsed.actions
    tables = tuple(require_table(state, action.table_name) for action in actions)
    keys = tuple(
        resolve_keys([partial(validate_key, t.schema, a.key) for t, a in zip(tables, actions, strict=True)])
    )
    check_distinct(zip(tables, keys, strict=True))
    found = tuple(table.store.lookup(key) for table, key in zip(tables, keys, strict=True))
    # choice: the API says a TransactGetItems whose items exceed 4 MB is rejected, not how; it is
    # answered as TransactWriteItems' 4 MB rule is (see ``_transactions.TOO_LARGE``).
    if sum(record.size for record in found if record is not None) > MAX_TRANSACTION_BYTES:
        raise ValidationException(TOO_LARGE)
    return TransactGetItemsPlan(parsed, tables, keys, found)


def units(planned: TransactGetItemsPlan) -> Sequence[Unit]:
    """One unit per Get, priced at its transactional cost (twice a strong read of what it reads)."""
    return [
        Unit(position, action.table_name, table, key, False, consistent=True, read_cost=_cost(record))
        for position, (action, table, key, record) in enumerate(
            zip(planned.request.actions, planned.tables, planned.keys, planned.found, strict=True)
        )
    ]


def cancel(
    planned: TransactGetItemsPlan, chosen: Mapping[int, ThrottleReason], conflicts: frozenset[int]
) -> DynamoDBError:
    """The whole transaction is cancelled when the fault plan or capacity model chooses any Get."""
    return chaos_cancellation(len(planned.request.actions), chosen, conflicts)


def apply(state: ServiceState, planned: TransactGetItemsPlan) -> dict[str, Any]:
    req = planned.request
    ledger = CapacityLedger(req.capacity_mode, [action.table_name for action in req.actions])
    responses: list[dict[str, Any]] = []
    for action, record in zip(req.actions, planned.found, strict=True):
        ledger.charge(action.table_name, _cost(record))
        if record is None:
            responses.append({})
        else:
            item = record.item  # decoded for this call: nothing else holds it
            responses.append({"Item": item if action.projection is None else action.projection.apply(item)})
    response: dict[str, Any] = {"Responses": responses}
    if ledger.wanted:
        response["ConsumedCapacity"] = transaction_capacity(ledger, req.capacity_mode, "ReadCapacityUnits")
    return response


def _cost(record: Record | None) -> float:
    return TRANSACTIONAL_FACTOR * read_units(None if record is None else record.size, True)


def _get_action(get: Mapping[str, Any]) -> GetAction:
    """A Get (its members already checked): its projection, then its Key's AttributeValues (GetItem's
    order).

    choice, after a capture (ExtendDB/extenddb#169): a Get sending ExpressionAttributeNames with no
    ProjectionExpression is accepted (GetItem refuses it), so such names are not looked at.
    """
    options = {"ProjectionExpression": get.get("ProjectionExpression")}
    if options["ProjectionExpression"] is not None:
        options["ExpressionAttributeNames"] = get.get("ExpressionAttributeNames")
    projection = read_projection(options)
    key, _ = validate_item(get["Key"])
    return GetAction(get["TableName"], key, projection)
