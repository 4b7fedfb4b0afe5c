"""TransactWriteItems: up to 100 Puts, Updates, Deletes and ConditionChecks, all applied or none.

``parse`` checks the request against its member table (``members.transactions``: every wrong JSON
kind, then one constraint envelope), then each action alone: exactly one kind, its Item or Key
values, its expressions (``_conditional``), and the 4 MB total. ``plan``
answers a replayed ClientRequestToken (``_transactions.replay``), finds the tables, fits every key to its
schema, refuses two actions on one item, then tests every condition and computes every update: any
failure cancels the call with one reason per action, in request order (``_transactions``). Only a
plan nothing failed in is applied, and applying cannot fail. Each action costs twice its
single-item writes (a prepare and a commit) on its table; index writes are charged once.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from aiodynamodb.errors import DynamoDBError, ValidationException

from .. import limits
from .. import messages as msg
from ..capacity import CapacityLedger, delete_units, put_units
from ..keys import KeyValues, item_key, validate_key
from ..members.engine import check_request
from ..members.transactions import TRANSACT_WRITE_ITEMS
from ..state import ServiceState, Table
from ..storage import Item, Record
from ..throttling import ThrottleReason
from ..values import MAX_ITEM_SIZE, validate_item
from ._common import check_size_with_local_indexes, item_collection_metrics, require_table
from ._conditional import CONDITION_FAILED, WriteExpressions, condition_holds, parse_write_expressions
from ._contract import Access, Unit
from ._transactions import (
    MAX_TRANSACTION_BYTES,
    TOO_LARGE,
    TRANSACTIONAL_FACTOR,
    Replay,
    cancelled,
    chaos_cancellation,
    check_distinct,
    current_sizes,
    fingerprint,
    remember,
    replay,
    request_level,
    resolve_keys,
    transaction_capacity,
    validation_reason,
)
from ._update import check_update_paths, updated_item
from ._writes import apply_delete, apply_put

__all__ = [
    "ACCESS",
    "TransactWriteItemsPlan",
    "TransactWriteItemsRequest",
    "WriteAction",
    "apply",
    "cancel",
    "parse",
    "plan",
    "units",
]

ACCESS: Final[Access] = "write"
MAX_TOKEN_LENGTH = limits.MAX_CLIENT_REQUEST_TOKEN  # the old name, kept for importers
# choice: DynamoDB's answers to an action with no operation (us-east-1's sentence; eu-west-2 has
# moved to a constraint-envelope wording) and to one with several (as moto and other emulators have it).
NO_OPERATION = "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"
SEVERAL_OPERATIONS = "TransactItems can only contain one of Check, Put, Update or Delete"

# kind -> (the operation whose expression rules it follows, the expression members it may use), in
# the model's order (the order ``members.transactions`` reports the kinds' members in).
_KINDS: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "ConditionCheck": ("ConditionCheck", ("ConditionExpression",)),
    "Put": ("PutItem", ("ConditionExpression",)),
    "Delete": ("DeleteItem", ("ConditionExpression",)),
    "Update": ("UpdateItem", ("UpdateExpression", "ConditionExpression")),
}


@dataclass(frozen=True, slots=True)
class WriteAction:
    kind: str  # Put, Update, Delete or ConditionCheck
    table_name: str  # as sent: a name or an ARN
    attributes: Item  # a validated copy of the Item (Put) or the Key (the others)
    size: int
    expressions: WriteExpressions


@dataclass(frozen=True, slots=True)
class TransactWriteItemsRequest:
    actions: tuple[WriteAction, ...]
    capacity_mode: str | None
    metrics_mode: str | None
    token: str | None
    fingerprint: bytes  # of what a replay must repeat (empty without a token)


@dataclass(frozen=True, slots=True)
class Effect:
    """What one planned action does: the item stored under its key before (a fresh copy, or None)
    and the item it leaves there (None: Delete, or nothing for a ConditionCheck)."""

    table: Table
    key: KeyValues
    old: Record | None
    new: Item | None
    size: int


@dataclass(frozen=True, slots=True)
class TransactWriteItemsPlan:
    request: TransactWriteItemsRequest
    effects: tuple[Effect, ...]
    replay: Replay | None = None  # a token seen before: answer again, change nothing


def parse(request: Mapping[str, Any]) -> TransactWriteItemsRequest:
    """Members (``members.transactions.TRANSACT_WRITE_ITEMS``), then each action in request order
    (``_action``), then the 4 MB total."""
    check_request(TRANSACT_WRITE_ITEMS, request)
    raw_items: Sequence[Mapping[str, Any]] = request["TransactItems"]
    actions = tuple(_action(entry) for entry in raw_items)
    if sum(action.size for action in actions) > MAX_TRANSACTION_BYTES:
        raise ValidationException(TOO_LARGE)
    token: str | None = request.get("ClientRequestToken")
    metrics_mode: str | None = request.get("ReturnItemCollectionMetrics")
    digest = b"" if token is None else fingerprint([raw_items, metrics_mode])
    capacity_mode: str | None = request.get("ReturnConsumedCapacity")
    return TransactWriteItemsRequest(actions, capacity_mode, metrics_mode, token, digest)


def plan(state: ServiceState, parsed: TransactWriteItemsRequest) -> TransactWriteItemsPlan:
    if parsed.token is not None:
        targets = [(action.table_name, action.attributes, action.kind == "Put") for action in parsed.actions]
        again = replay(state, parsed.token, parsed.fingerprint, partial(current_sizes, state, targets))
        if again is not None:
            return TransactWriteItemsPlan(parsed, (), again)
    actions = parsed.actions
    tables = [require_table(state, action.table_name) for action in actions]
    keys = resolve_keys([_key_check(table, action) for table, action in zip(tables, actions, strict=True)])
    check_distinct(zip(tables, keys, strict=True))
    return TransactWriteItemsPlan(parsed, _effects(actions, tables, keys))


def units(planned: TransactWriteItemsPlan) -> Sequence[Unit]:
    """One unit per action (none for a replay); a ConditionCheck is priced as rewriting the item it
    reads."""
    found: list[Unit] = []
    if planned.replay is not None:
        return found
    for position, (action, effect) in enumerate(zip(planned.request.actions, planned.effects, strict=True)):
        item, size = effect.new, effect.size
        if action.kind == "ConditionCheck" and effect.old is not None:
            item, size = effect.old.item, effect.old.size
        found.append(
            Unit(position, action.table_name, effect.table, effect.key, True, item, size, write_factor=2)
        )
    return found


def cancel(
    planned: TransactWriteItemsPlan, chosen: Mapping[int, ThrottleReason], conflicts: frozenset[int]
) -> DynamoDBError:
    """The whole transaction is cancelled when the fault plan or capacity model chooses any action."""
    return chaos_cancellation(len(planned.request.actions), chosen, conflicts)


def apply(state: ServiceState, planned: TransactWriteItemsPlan) -> dict[str, Any]:
    req = planned.request
    if planned.replay is not None:
        return planned.replay.answer(req.capacity_mode)
    ledger = CapacityLedger(req.capacity_mode, [action.table_name for action in req.actions])
    for action, effect in zip(req.actions, planned.effects, strict=True):
        _write(action, effect, ledger)
    answer: dict[str, Any] = {}
    metrics = _metrics(req, planned.effects) if req.metrics_mode == "SIZE" else {}
    if metrics:
        answer["ItemCollectionMetrics"] = metrics
    if req.token is not None:
        remember(state, req.token, req.fingerprint, answer)
    response = dict(answer)
    if ledger.wanted:
        response["ConsumedCapacity"] = transaction_capacity(ledger, req.capacity_mode, "WriteCapacityUnits")
    return response


# --- parse ---------------------------------------------------------------------------------------


def _action(entry: Mapping[str, Any]) -> WriteAction:
    """One TransactWriteItem on its own (its members already checked): exactly one kind, its Item or
    Key values (and a Put's size), then its expressions.

    choice, after a capture (ExtendDB/extenddb#169): an action sending ExpressionAttributeNames or
    Values with no expression that could use them is accepted (the single-item calls refuse it), so
    such maps are not looked at.
    """
    kinds = [kind for kind in _KINDS if entry.get(kind) is not None]
    if not kinds:
        raise ValidationException(NO_OPERATION)
    if len(kinds) > 1:
        raise ValidationException(SEVERAL_OPERATIONS)
    kind = kinds[0]
    body: Mapping[str, Any] = entry[kind]
    operation, uses = _KINDS[kind]
    if kind == "Put":
        attributes, size = validate_item(body["Item"], MAX_ITEM_SIZE)
        if size > MAX_ITEM_SIZE:
            raise ValidationException(msg.ITEM_TOO_LARGE)
    else:
        attributes, size = validate_item(body["Key"])
    members = [*uses, "ReturnValuesOnConditionCheckFailure"]
    if any(body.get(member) is not None for member in uses):
        members += ["ExpressionAttributeNames", "ExpressionAttributeValues"]
    options = {member: body[member] for member in members if body.get(member) is not None}
    expressions = parse_write_expressions(options, operation=operation)
    return WriteAction(kind, body["TableName"], attributes, size, expressions)


# --- plan ----------------------------------------------------------------------------------------


def _key_check(table: Table, action: WriteAction) -> Callable[[], KeyValues]:
    """What fitting ``action`` to its table's schema runs: a Put's item key (and size with its LSI
    entries); another action's Key; an Update also has what its expression writes checked against
    the schema (a key attribute, an index key of the wrong type)."""

    def check() -> KeyValues:
        if action.kind == "Put":
            key = item_key(table.schema, action.attributes)
            check_size_with_local_indexes(table, action.attributes, action.size)
            return key
        key = validate_key(table.schema, action.attributes)
        if action.kind == "Update":
            check_update_paths(table, action.expressions.update)
        return key

    return check


def _effects(
    actions: Sequence[WriteAction], tables: Sequence[Table], keys: Sequence[KeyValues]
) -> tuple[Effect, ...]:
    """Every action's condition and new item against the stored items, changing nothing.

    A failed condition is that action's ConditionalCheckFailed reason (with the old item when
    ALL_OLD was asked and there was one); an update that cannot be applied its ValidationError
    reason; a request-level error is raised at once. Any reason cancels the call.
    """
    effects: list[Effect] = []
    reasons: dict[int, dict[str, Any]] = {}
    for position, (action, table, key) in enumerate(zip(actions, tables, keys, strict=True)):
        old = table.store.lookup(key)
        old_item = None if old is None else old.item
        if not condition_holds(action.expressions, old_item):
            failed: dict[str, Any] = {"Code": "ConditionalCheckFailed", "Message": CONDITION_FAILED}
            if action.expressions.return_old_on_failure and old_item is not None:
                failed["Item"] = old_item
            reasons[position] = failed
            continue
        new: Item | None = None
        size = 0
        if action.kind == "Put":
            new, size = action.attributes, action.size
        elif action.kind == "Update":
            try:
                updated = updated_item(table, action.attributes, old_item, action.expressions.update)
            except ValidationException as error:
                whole = request_level(error)
                if whole is not None:
                    raise whole from None
                reasons[position] = validation_reason(error.message)
                continue
            new, size = updated.item, updated.size
        effects.append(Effect(table, key, old, new, size))
    if reasons:
        raise cancelled(len(actions), reasons)
    return tuple(effects)


# --- apply ---------------------------------------------------------------------------------------


def _write(action: WriteAction, effect: Effect, ledger: CapacityLedger) -> None:
    """Apply one action and charge it: twice its table units, its index writes once."""
    name, table = action.table_name, effect.table
    if action.kind in ("Put", "Update"):
        assert effect.new is not None
        write = apply_put(table, name, effect.key, effect.new, effect.size, ledger)
        ledger.charge(name, put_units(effect.size, None if write.old is None else write.old.size))
    elif action.kind == "Delete":
        write = apply_delete(table, name, effect.key, ledger)
        ledger.charge(name, delete_units(None if write.old is None else write.old.size))
    else:  # choice: a ConditionCheck costs what rewriting the item it reads would (1 if missing)
        ledger.charge(
            name, TRANSACTIONAL_FACTOR * delete_units(None if effect.old is None else effect.old.size)
        )


def _metrics(req: TransactWriteItemsRequest, effects: Sequence[Effect]) -> dict[str, list[dict[str, Any]]]:
    """``ItemCollectionMetrics``: per table with an LSI, one entry per item collection written."""
    touched: dict[str, dict[Any, dict[str, Any]]] = {}
    for action, effect in zip(req.actions, effects, strict=True):
        table = effect.table
        if action.kind == "ConditionCheck" or not table.schema.local_indexes:
            continue
        hash_name = table.schema.key.hash_name
        collections = touched.setdefault(action.table_name, {})
        if effect.key[0] not in collections:
            collections[effect.key[0]] = item_collection_metrics(
                table, action.attributes[hash_name], effect.key[0]
            )
    return {name: list(collections.values()) for name, collections in touched.items()}
