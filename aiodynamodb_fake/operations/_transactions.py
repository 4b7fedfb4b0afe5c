"""What TransactWriteItems and TransactGetItems share after their members are checked (their tables
are ``members.transactions``): how an action's key error is reported, cancellation reasons, capacity
and idempotency.

An error in one action is reported one of two ways (real DynamoDB, captured by the conformance
suites and emulators cited): up-front input validation (AttributeValues, expressions, an empty key
value, an empty index key value) fails the whole request with a ValidationException, while a key
that does not fit its table's schema (a wrong type, a missing key attribute, a wrong index key type),
or an update that cannot be applied, cancels the transaction with a ``ValidationError`` reason at
that action. The messages tell the two apart: every request-level one begins ``One or more parameter
values are not valid.`` (``request_level``). Reasons are listed one per action in request order,
``{"Code": "None"}`` for the others, and the exception's message names every code.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import (
    DynamoDBError,
    IdempotentParameterMismatchException,
    TransactionCanceledException,
    ValidationException,
)

from .. import limits
from .. import messages as msg
from ..capacity import CapacityLedger, read_units
from ..keys import KeyValues, item_key, validate_key
from ..state import RememberedToken, ServiceState, Table
from ..storage import Item
from ..throttling import (
    INDEX_PROVISIONED_MESSAGE,
    ON_DEMAND_MESSAGE,
    TABLE_PROVISIONED_MESSAGE,
    ThrottleReason,
)

__all__ = [
    "CANCELLED",
    "CONFLICT",
    "IDEMPOTENT_MISMATCH",
    "MAX_ACTIONS",
    "MAX_TRANSACTION_BYTES",
    "MULTIPLE_OPERATIONS",
    "TOKEN_LIFETIME",
    "TOO_LARGE",
    "TRANSACTIONAL_FACTOR",
    "Replay",
    "cancelled",
    "chaos_cancellation",
    "check_distinct",
    "current_sizes",
    "fingerprint",
    "remember",
    "replay",
    "request_level",
    "resolve_keys",
    "transaction_capacity",
    "validation_reason",
]

MAX_ACTIONS = limits.MAX_TRANSACT_ITEMS  # the old names, kept for importers
# "DynamoDB performs two underlying reads or writes of every item in the transaction: one to prepare
# the transaction and one to commit the transaction" [DG:transaction-apis].
TRANSACTIONAL_FACTOR = 2
# "The aggregate size of the items in the transaction cannot exceed 4 MB" [API].
MAX_TRANSACTION_BYTES = limits.MAX_TRANSACTION_BYTES

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]"
MULTIPLE_OPERATIONS = "Transaction request cannot include multiple operations on one item"  # [CONF]
CONFLICT = "Transaction is ongoing for the item"  # [API CancellationReason], no trailing period on the wire
# [API CancellationReason]: the ThrottlingError text when a GSI of an on-demand table is the bottleneck.
INDEX_ON_DEMAND_MESSAGE = (
    "Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is "
    "automatically scaling your index so please try again shortly."
)
# choice: DynamoDB's documentation lists the 4 MB rule but not how it answers it; this is the wording
# of the dynoxide emulator (nubo-db/dynoxide, src/actions/transact_write_items.rs), unconfirmed.
TOO_LARGE = (
    "Collection size of items exceeded, which can also be caused by the aggregate size of the items "
    "in the transaction exceeding the 4MB limit"
)

# "A client request token is valid for 10 minutes after the first request that uses it is completed" [API].
TOKEN_LIFETIME = float(limits.CLIENT_REQUEST_TOKEN_SECONDS)
# choice: DynamoDB's text for this error is not documented (DynamoDB Local sends none); this is the
# API reference's description of the exception.
IDEMPOTENT_MISMATCH = (
    "DynamoDB rejected the request because you retried a request with a different payload but with an "
    "idempotent token that was already used."
)

# Every request-level message about an action's key starts so (captured: "... cannot contain an empty
# string value. Key: pk" and the index-key variants); schema mismatches say "were invalid" or other.
REQUEST_LEVEL_PREFIX: Final = "One or more parameter values are not valid."
# validate_key's empty-key text for a Key parameter; inside a transaction DynamoDB words it as for an
# Item (captured in four regions, paritysuite/dynamodb-conformance#60).
_EMPTY_KEY_IN_KEY_PREFIX: Final = msg.PARAM_INVALID + "The AttributeValue for a key attribute cannot contain"

Reason = dict[str, Any]


# --- errors: request-level or a cancellation reason ----------------------------------------------


def request_level(error: ValidationException) -> ValidationException | None:
    """The request-level error ``error`` (raised checking one action's key or new item) becomes, or
    None when it is the action's own ValidationError reason (see the module docstring)."""
    text = error.message
    if text.startswith(_EMPTY_KEY_IN_KEY_PREFIX):
        return ValidationException(f"{REQUEST_LEVEL_PREFIX} {text[len(msg.PARAM_INVALID) :]}")
    if text.startswith(REQUEST_LEVEL_PREFIX):
        return error
    return None


def validation_reason(message: str) -> Reason:
    return {"Code": "ValidationError", "Message": message}


def cancelled(count: int, reasons: Mapping[int, Reason]) -> TransactionCanceledException:
    """The cancellation of a ``count``-action transaction: ``reasons`` by position, None elsewhere."""
    listed = [
        dict(reasons[position]) if position in reasons else {"Code": "None"} for position in range(count)
    ]
    codes = ", ".join(reason["Code"] for reason in listed)
    return TransactionCanceledException(CANCELLED.format(codes=codes), extra={"CancellationReasons": listed})


def resolve_keys(checks: Sequence[Callable[[], KeyValues]]) -> list[KeyValues]:
    """Each action's key, by running its check (which raises DynamoDB's ValidationException).

    A request-level error is raised at once (so it wins over any schema mismatch); otherwise the
    first action whose key does not fit its schema cancels the transaction, alone: DynamoDB checks
    every key against its schema before anything else and reports only the first (floci-io/floci#3674,
    checked against DynamoDB). O(actions).
    """
    keys: list[KeyValues] = []
    first: tuple[int, str] | None = None
    for position, check in enumerate(checks):
        try:
            keys.append(check())
        except ValidationException as error:
            whole = request_level(error)
            if whole is not None:
                raise whole from None
            if first is None:
                first = (position, error.message)
            keys.append((None, None))
    if first is not None:
        raise cancelled(len(checks), {first[0]: validation_reason(first[1])})
    return keys


def check_distinct(targets: Iterable[tuple[Table, KeyValues]]) -> None:
    """No two actions may target one item (a table reached by name and by ARN is one table)."""
    seen: set[tuple[str, KeyValues]] = set()
    for table, key in targets:
        target = (table.schema.name, key)
        if target in seen:
            raise ValidationException(MULTIPLE_OPERATIONS)
        seen.add(target)


def chaos_cancellation(
    count: int, chosen: Mapping[int, ThrottleReason], conflicts: frozenset[int]
) -> TransactionCanceledException:
    """The cancellation of a transaction some of whose actions the fault plan or the capacity model
    chose: a conflict with another transaction (``unprocess``), or throttling, worded per the API's
    CancellationReason page for the table's billing mode and the resource that ran out."""
    reasons: dict[int, Reason] = {}
    for position, why in chosen.items():
        if position in conflicts:
            reasons[position] = {"Code": "TransactionConflict", "Message": CONFLICT}
        elif why.table.schema.billing_mode == "PROVISIONED":
            index_bound = why.index is not None and why.limit == "ProvisionedThroughputExceeded"
            text = INDEX_PROVISIONED_MESSAGE if index_bound else TABLE_PROVISIONED_MESSAGE
            reasons[position] = {"Code": "ProvisionedThroughputExceeded", "Message": text}
        else:
            text = INDEX_ON_DEMAND_MESSAGE if why.index is not None else ON_DEMAND_MESSAGE
            reasons[position] = {"Code": "ThrottlingError", "Message": text}
    return cancelled(count, reasons)


# --- capacity -------------------------------------------------------------------------------------


def transaction_capacity(ledger: CapacityLedger, mode: str | None, units_member: str) -> list[dict[str, Any]]:
    """``ConsumedCapacity`` of a transaction: one object per table in request order. With INDEXES,
    each breakdown also names the kind of units (``ReadCapacityUnits`` for TransactGetItems,
    ``WriteCapacityUnits`` for TransactWriteItems), as DynamoDB's answers do (conformance suite:
    ``Table.ReadCapacityUnits``; the write side by symmetry, as the dynoxide emulator has it)."""
    entries = ledger.entries()
    if mode == "INDEXES":
        for entry in entries:
            breakdowns = [entry["Table"]]
            for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
                breakdowns.extend(entry.get(group, {}).values())
            for breakdown in breakdowns:
                breakdown[units_member] = breakdown["CapacityUnits"]
    return entries


# --- idempotency ----------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """Binary as tagged base64 (a key no JSON request can hold), anything else by its repr."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"\u0000B": base64.b64encode(bytes(value)).decode("ascii")}
    return {"\u0000?": repr(value)}


def fingerprint(value: Any) -> bytes:
    """A digest of a request's payload that ignores the order of map keys (DynamoDB does: a replay
    whose JSON members come in another order is the same request, localstack/localstack#6529).
    O(size of ``value``)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=_canonical, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True, slots=True)
class Replay:
    """A successful TransactWriteItems call made again with its token: what to answer.

    ``stored`` is the first answer without its capacity; ``reads`` is (table name as sent, size of
    the item now or None) per action. "Subsequent TransactWriteItems calls with the same client token
    return the number of read capacity units consumed in reading the item" [DG:transaction-apis]:
    each action is charged as a transactional read, 2 RCUs per started 4 KB (dynoxide has it so).
    """

    stored: dict[str, Any]
    reads: list[tuple[str, int | None]]

    def answer(self, mode: str | None) -> dict[str, Any]:
        response = copy.deepcopy(self.stored)
        ledger = CapacityLedger(mode, [name for name, _ in self.reads])
        for name, size in self.reads:
            ledger.charge(name, TRANSACTIONAL_FACTOR * read_units(size, True))
        if ledger.wanted:
            response["ConsumedCapacity"] = transaction_capacity(ledger, mode, "ReadCapacityUnits")
        return response


def replay(
    state: ServiceState, token: str, digest: bytes, reads: Callable[[], list[tuple[str, int | None]]]
) -> Replay | None:
    """The replay of the successful call ``token`` names, if it is remembered; a call sending the
    token with another payload is refused. Only successful calls are remembered ("If the original
    TransactWriteItems call was successful, then subsequent ... calls with the same client token
    return successfully without making any changes" [DG]): a cancelled one is run again."""
    entry = state.transaction_tokens.get(token, state.clock.now())
    if entry is None:
        return None
    if entry.fingerprint != digest:
        raise IdempotentParameterMismatchException(IDEMPOTENT_MISMATCH)
    return Replay(entry.answer, reads())


def current_sizes(
    state: ServiceState, targets: Iterable[tuple[str, Item, bool]]
) -> list[tuple[str, int | None]]:
    """For a replay's capacity: per (table name as sent, Item or Key, whether an Item), the size of
    the item stored under that key now; None when there is none, or its table or key is gone."""
    found: list[tuple[str, int | None]] = []
    for name, attributes, is_item in targets:
        table = state.lookup(name)
        size = None
        if table is not None:
            try:
                key = (
                    item_key(table.schema, attributes) if is_item else validate_key(table.schema, attributes)
                )
            except DynamoDBError:
                key = None
            record = None if key is None else table.store.lookup(key)
            size = None if record is None else record.size
        found.append((name, size))
    return found


def remember(state: ServiceState, token: str, digest: bytes, answer: Mapping[str, Any]) -> None:
    """Remember a successful call's token for ``TOKEN_LIFETIME`` seconds of the fake's clock."""
    now = state.clock.now()
    entry = RememberedToken(now + TOKEN_LIFETIME, digest, copy.deepcopy(dict(answer)))
    state.transaction_tokens.remember(token, entry, now)
