"""``batch_get``: any number of ``BatchGet`` sent as ``BatchGetItem`` calls of up to 100 keys.

Requests are grouped per table. ``consistent_read`` must agree for a table and two different
projections for one table are a ``ValueError`` (one call carries one set of options per table).
Unprojected and projected requests for one table may be mixed: they go out in separate calls, so
each comes back as asked. A key requested twice is sent once and returned once per model class that
asked for it, so two models sharing a table each get their own instances. Projected items become
models holding only the projected fields; required fields left out stay unset. Unprocessed keys are
resent under the retry policy and the rest reported as wire-format ``UnprocessedKeys`` and as the
``BatchGet`` objects (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html);
keys of a call throttled until its attempts ran out are reported the same way, and an error worth no
resend is raised with ``partial_result`` (see ``aiodynamodb.batch``).

Garbage collection: everything a call keeps per key for its whole length is something the collector
does not track (key identities, the ``{"S": ...}`` values of key attributes) or already holds (the
caller's ``BatchGet``). Per-key containers kept that long (an object, a list and a dict per key, a
``Key`` map holding a dict) would be counted into the oldest generation, triggering full collections
whose cost grows with everything alive; a large batch then spends more time collecting than reading.
Wire-format keys are built per call, just before sending, and die young.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from ._values import AttributeValue
from .batch import Totals, resend_loop, run_chunks
from .keys import KeyIdentity, build_key, key_identity, key_names
from .models import table_meta
from .operations import BatchGet, BatchGetResult
from .projection import ProjectionAttr, build_projection, top_level_names
from .retry import RetryPolicy
from .serialize import converter_for
from .transport import Transport

__all__ = ["MAX_KEYS_PER_CALL", "batch_get"]

MAX_KEYS_PER_CALL = 100


class _Group:
    """The keys of one table sharing one set of request options (one projection, or none).

    Each distinct key is known by its identity: ``first`` maps it to the first request that asked
    for it (in request order), ``repeats`` holds later requests of the few keys asked more than once,
    and ``values`` maps each key attribute to its wire values, from which ``wire_key`` rebuilds the
    ``Key`` map when it is sent.
    """

    def __init__(self, table: str, names: tuple[str, ...], projection: list[ProjectionAttr] | None) -> None:
        self.table = table
        self.names = names
        self.projection = projection
        self.models: dict[type, None] = {}  # ordered set
        self.first: dict[KeyIdentity, BatchGet[Any]] = {}
        self.repeats: dict[KeyIdentity, list[BatchGet[Any]]] = {}
        self.values: dict[str, dict[KeyIdentity, AttributeValue]] = {name: {} for name in names}
        self.options: dict[str, Any] = {}
        self.strip: frozenset[str] = frozenset()

    def add(self, request: BatchGet[Any], key: dict[str, AttributeValue]) -> None:
        """Take one request for ``key`` (its ``Key`` map); a key asked before is kept once.

        The planner records the request's model in ``models``.
        """
        identity = key_identity(key, self.names)
        if identity in self.first:
            self.repeats.setdefault(identity, []).append(request)
        else:
            self.first[identity] = request
            for name, values in self.values.items():
                values[identity] = key[name]

    def wire_key(self, identity: KeyIdentity) -> dict[str, AttributeValue]:
        return {name: values[identity] for name, values in self.values.items()}

    def requests_for(self, identity: KeyIdentity) -> list[BatchGet[Any]]:
        return [self.first[identity], *self.repeats.get(identity, ())]

    def owners(self, identity: KeyIdentity) -> Iterable[type]:
        """The models that asked for this key, in request order (every model of the group for a key
        nobody asked for, which only a misbehaving service returns)."""
        first = self.first.get(identity)
        if first is None:
            return self.models
        repeats = self.repeats.get(identity)
        if repeats is None:
            return (first.model,)
        return dict.fromkeys(request.model for request in (first, *repeats))

    def finish(self, consistent: bool) -> None:
        if consistent:
            self.options["ConsistentRead"] = True
        if self.projection is not None:
            paths = list(self.projection)
            missing = [n for n in self.names if n not in top_level_names(paths)]
            if len(self.models) > 1 and missing:
                # Several models share this table: the key tells whose item it is, so fetch it too.
                paths += [ProjectionAttr(n) for n in missing]
                self.strip = frozenset(missing)
            text, names = build_projection(paths)
            self.options["ProjectionExpression"] = text
            self.options["ExpressionAttributeNames"] = names


# Part of one call: keys of one group, by identity. A call holds at most one part per table.
_Part: TypeAlias = tuple[_Group, list[KeyIdentity]]


class _TableState:
    __slots__ = ("consistent", "names", "projection")

    def __init__(self, consistent: bool, names: tuple[str, ...]) -> None:
        self.consistent = consistent
        self.names = names
        self.projection: tuple[str, ...] | None = None


class _Planner:
    """Groups requests per table and options, checking that a table's requests agree."""

    def __init__(self) -> None:
        self.tables: dict[str, _TableState] = {}
        self.groups: dict[tuple[str, bool], _Group] = {}
        self.models: dict[type, None] = {}  # ordered set

    def add(self, requests: Iterable[BatchGet[Any]]) -> None:
        last: BatchGet[Any] | None = None
        group: _Group | None = None
        for req in requests:
            if not isinstance(req, BatchGet):
                raise TypeError(f"batch_get takes BatchGet requests, got {req!r}")
            key = build_key(req.model, req.hash_key, req.range_key)
            if group is None or not _same_options(req, last):
                group = self._group_for(req)
            group.add(req, key)
            last = req

    def _group_for(self, req: BatchGet[Any]) -> _Group:
        """The group of ``req``, once its options are checked against its table's earlier requests."""
        model = req.model
        table = table_meta(model).table_name
        names = key_names(model)
        state = self.tables.get(table)
        if state is None:
            state = self.tables[table] = _TableState(req.consistent_read, names)
        elif state.consistent != req.consistent_read:
            raise ValueError(
                f"Conflicting consistent_read values for table '{table}': all BatchGet requests "
                "for one table must use the same consistent_read"
            )
        elif state.names != names:
            raise ValueError(f"models of table {table!r} disagree on its key: {state.names} and {names}")
        projected = req.projection_expression is not None
        if req.projection_expression is not None:
            paths = tuple(sorted(a.name for a in req.projection_expression))
            if state.projection is None:
                state.projection = paths
            elif state.projection != paths:
                raise ValueError(
                    f"Conflicting projection_expression values for table '{table}': "
                    f"{state.projection} and {paths}"
                )
        group = self.groups.get((table, projected))
        if group is None:
            group = self.groups[(table, projected)] = _Group(table, names, req.projection_expression)
        group.models[model] = None
        self.models[model] = None
        return group

    def finish(self) -> list[_Group]:
        for group in self.groups.values():
            group.finish(self.tables[group.table].consistent)
        return list(self.groups.values())


def _same_options(req: BatchGet[Any], last: BatchGet[Any] | None) -> bool:
    """Whether ``req`` goes where ``last`` (the request before it) went, with nothing to check
    again: the common case of a run of unprojected requests of one model."""
    return (
        last is not None
        and req.model is last.model
        and req.consistent_read == last.consistent_read
        and req.projection_expression is None
        and last.projection_expression is None
    )


def _plan(requests: Iterable[BatchGet[Any]]) -> tuple[list[_Group], list[type]]:
    planner = _Planner()
    planner.add(requests)
    return planner.finish(), list(planner.models)


def _calls(groups: Sequence[_Group]) -> list[list[_Part]]:
    """The keys of each call: at most 100, every group's keys in order, unprojected ones first.

    A call holds one entry per table, so a table's projected keys travel apart from its plain ones.
    """
    calls: list[list[_Part]] = []
    for projected in (False, True):
        call: list[_Part] = []
        room = MAX_KEYS_PER_CALL
        for group in groups:
            if (group.projection is not None) != projected:
                continue
            identities = list(group.first)
            start = 0
            while start < len(identities):
                part = identities[start : start + room]
                call.append((group, part))
                start += len(part)
                room -= len(part)
                if not room:
                    calls.append(call)
                    call, room = [], MAX_KEYS_PER_CALL
        if call:
            calls.append(call)
    return calls


class _ChunkReader:
    """One call's resend state and the models it found, per model class in DynamoDB's order.

    ``pending`` starts as every key of the call and only shrinks on a response, so at any moment it
    is exactly what has not been read.
    """

    def __init__(self, parts: list[_Part], flags: dict[str, str], totals: Totals) -> None:
        self.pending: list[_Part] = parts
        self.found: dict[type, list[Any]] = {}
        self._groups = {group.table: group for group, _ in parts}
        self._flags = flags
        self._totals = totals

    def build(self) -> dict[str, Any]:
        items: dict[str, dict[str, Any]] = {}
        for group, identities in self.pending:
            items[group.table] = {"Keys": [group.wire_key(i) for i in identities], **group.options}
        return {"RequestItems": items, **self._flags}

    def absorb(self, response: dict[str, Any]) -> bool:
        self._totals.absorb(response)
        for table, items in (response.get("Responses") or {}).items():
            group = self._groups.get(table)
            if group is not None:
                self._parse(group, items)
        unprocessed = response.get("UnprocessedKeys") or {}
        still: list[_Part] = []
        for table, entry in unprocessed.items():
            group = self._groups.get(table)
            if group is None:
                continue
            identities = [key_identity(key, group.names) for key in entry.get("Keys", ())]
            identities = [i for i in identities if i in group.first]
            if identities:
                still.append((group, identities))
        self.pending = still
        return bool(still)

    def _parse(self, group: _Group, items: list[dict[str, Any]]) -> None:
        found = self.found
        projected = group.projection is not None
        if len(group.models) == 1:
            (model,) = group.models
            converter = converter_for(model)
            parse = converter.from_partial if projected else converter.from_dynamo
            found.setdefault(model, []).extend(map(parse, items))
            return
        for item in items:
            owners = group.owners(key_identity(item, group.names))
            if group.strip:
                item = {k: v for k, v in item.items() if k not in group.strip}
            for model in owners:
                converter = converter_for(model)
                instance = converter.from_partial(item) if projected else converter.from_dynamo(item)
                found.setdefault(model, []).append(instance)


async def batch_get(
    transport: Transport,
    requests: Iterable[BatchGet[Any]],
    *,
    policy: RetryPolicy,
    max_concurrency: int,
    return_consumed_capacity: bool = False,
) -> BatchGetResult[Any]:
    groups, models = _plan(requests)
    flags = {"ReturnConsumedCapacity": "TOTAL"} if return_consumed_capacity else {}
    totals = Totals()
    readers = [_ChunkReader(parts, flags, totals) for parts in _calls(groups)]

    async def read_chunk(reader: _ChunkReader) -> None:
        await resend_loop(transport, "BatchGetItem", reader.build, reader.absorb, policy)

    def result() -> BatchGetResult[Any]:
        done: BatchGetResult[Any] = BatchGetResult(
            items={model: [] for model in models},
            consumed_capacity=(totals.consumed_capacity() or []) if return_consumed_capacity else None,
        )
        for reader in readers:
            for model, instances in reader.found.items():
                done.items[model].extend(instances)
            for group, identities in reader.pending:
                wire = done.unprocessed_keys.get(group.table)
                if wire is None:
                    wire = done.unprocessed_keys[group.table] = {"Keys": [], **group.options}
                for identity in identities:
                    wire["Keys"].append(group.wire_key(identity))
                    done.unprocessed.extend(group.requests_for(identity))
        return done

    return await run_chunks(readers, read_chunk, max_concurrency, result)
