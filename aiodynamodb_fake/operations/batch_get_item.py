"""BatchGetItem: up to 100 keys over several tables, each table with its own projection and consistency.

Validation follows reference §4.2: ``parse`` finds duplicate keys and the 100-key total before
``plan`` looks any table up. Items are added to the response in request order until the next one
would take the response past the size cap; that key and every key after it come back in
``UnprocessedKeys``, as do keys left unprocessed by injected throttling or the capacity model, with
their table's options, ready to be sent again as they are.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from .. import limits
from .. import messages as msg
from ..canonical import checked_item
from ..capacity import CapacityLedger, read_units
from ..expressions import Projection
from ..keys import KeyValues, validate_key
from ..members.batches import BATCH_GET_ITEM, KEYS_AND_ATTRIBUTES
from ..members.engine import deferring
from ..state import ServiceState, Table
from ..values import copy_value, item_size
from ._common import require_table
from ._contract import Access, Unit
from ._projection import read_projection

__all__ = [
    "ACCESS",
    "BatchGetItemPlan",
    "BatchGetItemRequest",
    "apply",
    "leave_unprocessed",
    "parse",
    "plan",
    "units",
]

ACCESS: Final[Access] = "read"
MAX_KEYS = limits.MAX_BATCH_GET_KEYS
TOO_MANY = "Too many items requested for the BatchGetItem call"
# Every key of every table goes through ``checked_item`` in ``_check_table_entry``.
_MEMBERS: Final = deferring(BATCH_GET_ITEM, KEYS_AND_ATTRIBUTES.member("Keys"))
_OPTIONS_ECHOED = ("ProjectionExpression", "ExpressionAttributeNames", "AttributesToGet", "ConsistentRead")


@dataclass(frozen=True, slots=True)
class TableReads:
    """One table's entry: validated key copies, the keys as sent, and its read options."""

    name: str
    keys: tuple[dict[str, dict[str, Any]], ...]
    sent_keys: Sequence[Any]
    options: Mapping[str, Any]
    projection: Projection | None
    consistent: bool


@dataclass(frozen=True, slots=True)
class BatchGetItemRequest:
    capacity_mode: str | None
    tables: tuple[TableReads, ...]


@dataclass(frozen=True, slots=True)
class BatchGetItemPlan:
    request: BatchGetItemRequest
    tables: tuple[Table, ...]
    keys: tuple[tuple[KeyValues, ...], ...]
    unprocessed: frozenset[int] = frozenset()  # positions across the call, in request order


def parse(request: Mapping[str, Any]) -> BatchGetItemRequest:
    """Members, then each table's entry: the keys' kinds are walked once, by ``_check_table_entry``
    (every key of every table, on every path that returns), the full kind walk only for a request
    refused (``members.engine.Deferral``)."""
    with _MEMBERS.checking(request):
        capacity_mode = request.get("ReturnConsumedCapacity")
        reads: list[TableReads] = []
        total_keys = 0
        for name, options in request["RequestItems"].items():
            table_reads = _check_table_entry(name, options, total_keys)
            total_keys += len(table_reads.keys)
            reads.append(table_reads)
    return BatchGetItemRequest(capacity_mode, tuple(reads))


def plan(state: ServiceState, parsed: BatchGetItemRequest) -> BatchGetItemPlan:
    tables = tuple(require_table(state, tr.name) for tr in parsed.tables)
    keys = tuple(
        tuple(validate_key(t.schema, k) for k in tr.keys) for t, tr in zip(tables, parsed.tables, strict=True)
    )
    return BatchGetItemPlan(parsed, tables, keys)


def units(planned: BatchGetItemPlan) -> Sequence[Unit]:
    found: list[Unit] = []
    for table, tr, keys in zip(planned.tables, planned.request.tables, planned.keys, strict=True):
        for key in keys:
            found.append(Unit(len(found), tr.name, table, key, False, consistent=tr.consistent))
    return found


def leave_unprocessed(planned: BatchGetItemPlan, positions: frozenset[int]) -> BatchGetItemPlan:
    return dataclasses.replace(planned, unprocessed=planned.unprocessed | positions)


def apply(state: ServiceState, planned: BatchGetItemPlan) -> dict[str, Any]:
    req = planned.request
    ledger = CapacityLedger(req.capacity_mode, [tr.name for tr in req.tables])
    responses: dict[str, list[dict[str, Any]]] = {tr.name: [] for tr in req.tables}
    unprocessed: dict[str, dict[str, Any]] = {}
    budget = limits.BATCH_GET_RESPONSE_BYTES  # see limits.py for why 16,000,000
    charging = ledger.wanted  # units are summed only for a ConsumedCapacity asked for
    position = 0
    for table, tr, keys in zip(planned.tables, req.tables, planned.keys, strict=True):
        left: list[int] = []
        for index, key in enumerate(keys):
            if budget < 0 or position + index in planned.unprocessed:
                left.append(index)
                continue
            stored = table.store.lookup(key)
            if stored is None:
                if charging:
                    ledger.charge(tr.name, read_units(None, tr.consistent))
                continue
            if tr.projection is None:
                answer, answer_size = stored.item, stored.size
            else:
                answer = tr.projection.apply(stored.item)
                # a projection is never larger than its item: walk it only when the cap is near
                answer_size = stored.size if stored.size <= budget else item_size(answer)
            if answer_size > budget:
                budget = -1  # this key and every one after it stay unprocessed
                left.append(index)
                continue
            budget -= answer_size
            if charging:
                ledger.charge(tr.name, read_units(stored.size, tr.consistent))
            responses[tr.name].append(answer)
        position += len(keys)
        if left:
            unprocessed[tr.name] = _unprocessed_entry(tr, left)
    response: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
    return ledger.add_to(response)


def _check_table_entry(name: str, options: Mapping[str, Any], keys_before: int) -> TableReads:
    """Per-table checks before any lookup (step 2): projection, key values, duplicates, the 100 total."""
    consistent = bool(options.get("ConsistentRead"))
    projection = read_projection(options)
    sent_keys = options["Keys"]
    keys: list[dict[str, dict[str, Any]]] = []
    seen: set[frozenset[tuple[str, str, Any]]] = set()
    for raw_key in sent_keys:
        key, _ = checked_item(raw_key)
        identity = _identity(key)
        if identity in seen:
            raise ValidationException(msg.DUPLICATE_KEYS)
        seen.add(identity)
        if keys_before + len(keys) + 1 > MAX_KEYS:
            raise ValidationException(TOO_MANY)
        keys.append(key)
    return TableReads(name, tuple(keys), sent_keys, options, projection, consistent)


def _identity(key: Mapping[str, Mapping[str, Any]]) -> frozenset[tuple[str, str, Any]]:
    """What makes two validated key copies one key, whatever their attribute order: numbers are
    normalised, so equal values are equal; an S or B is its own identity, any other value its repr
    (a kind's values are all of one Python type, so the two never meet)."""
    parts = []
    for name, av in key.items():
        for kind, raw in av.items():
            parts.append((name, kind, raw if type(raw) is str or type(raw) is bytes else repr(raw)))
    return frozenset(parts)


def _unprocessed_entry(reads: TableReads, left: Sequence[int]) -> dict[str, Any]:
    """The table's keys at positions ``left``, as sent, with the options needed to resend them."""
    sent = reads.sent_keys
    entry: dict[str, Any] = {"Keys": [{n: copy_value(av) for n, av in sent[i].items()} for i in left]}
    for option in _OPTIONS_ECHOED:
        value = reads.options.get(option)
        if value is not None:
            entry[option] = (
                dict(value)
                if isinstance(value, Mapping)
                else (list(value) if isinstance(value, list | tuple) else value)
            )
    return entry
