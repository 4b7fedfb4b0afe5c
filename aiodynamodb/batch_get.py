"""``batch_get``: any number of ``BatchGet`` sent as ``BatchGetItem`` calls of up to 100 keys.

Requests are grouped per table. ``consistent_read`` must agree for a table and two different
projections for one table are a ``ValueError`` (one call carries one set of options per table).
Unprojected and projected requests for one table may be mixed: they go out in separate calls, so
each comes back as asked. A key requested twice is sent once and returned once per model class that
asked for it, so two models sharing a table each get their own instances. Projected items become
models holding only the projected fields; required fields left out stay unset. Unprocessed keys are
resent under the retry policy and the rest reported as wire-format ``UnprocessedKeys`` and as the
``BatchGet`` objects (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .batch import Totals, chunked, resend_loop, run_bounded
from .keys import KeyIdentity, build_key, key_identity, key_names
from .operations import BatchGet, BatchGetResult
from .projection import ProjectionAttr, build_projection, top_level_names
from .retry import RetryPolicy
from .serialize import converter_for
from .transport import Transport

__all__ = ["MAX_KEYS_PER_CALL", "batch_get"]

MAX_KEYS_PER_CALL = 100


class _Group:
    """The keys of one table sharing one set of request options (one projection, or none)."""

    def __init__(self, table: str, names: tuple[str, ...], projection: list[ProjectionAttr] | None) -> None:
        self.table = table
        self.names = names
        self.projection = projection
        self.models: dict[type, None] = {}  # ordered set
        self.keys: dict[KeyIdentity, _Key] = {}
        self.options: dict[str, Any] = {}
        self.strip: frozenset[str] = frozenset()

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


class _Key:
    __slots__ = ("group", "identity", "key", "models", "requests")

    def __init__(self, group: _Group, identity: KeyIdentity, key: dict[str, Any]) -> None:
        self.group = group
        self.identity = identity
        self.key = key
        self.requests: list[BatchGet[Any]] = []
        self.models: dict[type, None] = {}


class _TableState:
    __slots__ = ("consistent", "names", "projection")

    def __init__(self, consistent: bool, names: tuple[str, ...]) -> None:
        self.consistent = consistent
        self.names = names
        self.projection: tuple[str, ...] | None = None


def _plan(requests: Iterable[BatchGet[Any]]) -> tuple[list[_Group], list[type]]:
    tables: dict[str, _TableState] = {}
    groups: dict[tuple[str, bool], _Group] = {}
    models: dict[type, None] = {}
    for req in requests:
        if not isinstance(req, BatchGet):
            raise TypeError(f"batch_get takes BatchGet requests, got {req!r}")
        model = req.model
        key = build_key(model, req.hash_key, req.range_key)
        table = model.Meta.table_name
        names = key_names(model)
        state = tables.get(table)
        if state is None:
            state = tables[table] = _TableState(req.consistent_read, names)
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
        group = groups.get((table, projected))
        if group is None:
            group = groups[(table, projected)] = _Group(table, names, req.projection_expression)
        identity = key_identity(key, names)
        entry = group.keys.get(identity)
        if entry is None:
            entry = group.keys[identity] = _Key(group, identity, key)
        entry.requests.append(req)
        entry.models[model] = None
        group.models[model] = None
        models[model] = None
    for group in groups.values():
        group.finish(tables[group.table].consistent)
    return list(groups.values()), list(models)


class _ChunkReader:
    """One chunk's resend state and the models it found, in DynamoDB's order."""

    def __init__(self, keys: Sequence[_Key], flags: dict[str, str], totals: Totals) -> None:
        self.pending: Sequence[_Key] = keys
        self.found: list[tuple[type, Any]] = []
        self._groups = {k.group.table: k.group for k in keys}
        self._flags = flags
        self._totals = totals

    def build(self) -> dict[str, Any]:
        items: dict[str, dict[str, Any]] = {}
        for entry in self.pending:
            table_items = items.get(entry.group.table)
            if table_items is None:
                table_items = items[entry.group.table] = {"Keys": [], **entry.group.options}
            table_items["Keys"].append(entry.key)
        return {"RequestItems": items, **self._flags}

    def absorb(self, response: dict[str, Any]) -> bool:
        self._totals.absorb(response)
        for table, items in (response.get("Responses") or {}).items():
            group = self._groups.get(table)
            if group is not None:
                self._parse(group, items)
        unprocessed = response.get("UnprocessedKeys") or {}
        if not unprocessed:
            self.pending = ()
            return False
        still: list[_Key] = []
        for table, entry in unprocessed.items():
            group = self._groups.get(table)
            if group is None:
                continue
            for key in entry.get("Keys", ()):
                found = group.keys.get(key_identity(key, group.names))
                if found is not None:
                    still.append(found)
        self.pending = still
        return bool(still)

    def _parse(self, group: _Group, items: list[dict[str, Any]]) -> None:
        found = self.found
        projected = group.projection is not None
        if len(group.models) == 1:
            (model,) = group.models
            converter = converter_for(model)
            parse = converter.from_partial if projected else converter.from_dynamo
            found.extend((model, parse(item)) for item in items)
            return
        for item in items:
            entry = group.keys.get(key_identity(item, group.names))
            owners = entry.models if entry is not None else group.models
            if group.strip:
                item = {k: v for k, v in item.items() if k not in group.strip}
            for model in owners:
                converter = converter_for(model)
                found.append(
                    (model, converter.from_partial(item) if projected else converter.from_dynamo(item))
                )


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
    # A call holds one entry per table, so a table's projected keys travel apart from its plain ones.
    plain = [k for g in groups if g.projection is None for k in g.keys.values()]
    projected = [k for g in groups if g.projection is not None for k in g.keys.values()]
    chunks = chunked(plain, MAX_KEYS_PER_CALL) + chunked(projected, MAX_KEYS_PER_CALL)

    async def read_chunk(chunk: Sequence[_Key]) -> _ChunkReader:
        reader = _ChunkReader(chunk, flags, totals)
        await resend_loop(transport, "BatchGetItem", reader.build, reader.absorb, policy)
        return reader

    readers = await run_bounded(chunks, read_chunk, max_concurrency) if chunks else []
    result: BatchGetResult[Any] = BatchGetResult(
        items={model: [] for model in models},
        consumed_capacity=(totals.consumed_capacity() or []) if return_consumed_capacity else None,
    )
    for reader in readers:
        for model, instance in reader.found:
            result.items[model].append(instance)
        for entry in reader.pending:
            table = entry.group.table
            wire = result.unprocessed_keys.get(table)
            if wire is None:
                wire = result.unprocessed_keys[table] = {"Keys": [], **entry.group.options}
            wire["Keys"].append(entry.key)
            result.unprocessed.extend(entry.requests)
    return result
