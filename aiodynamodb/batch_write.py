"""``batch_write``: any number of ``BatchPut``/``BatchDelete`` sent as ``BatchWriteItem`` calls of 25.

Everything is checked before anything is sent: each operation becomes its WriteRequest, and two
operations on one key of one table are a ``ValueError`` (DynamoDB rejects such a call whole, and
split over several calls their order would be undefined). Unprocessed requests are matched back to
the operations they came from by key, resent under the retry policy, and what is still unprocessed
at the end is reported both in DynamoDB's wire format and as the original operation objects
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html). A chunk
whose attempts run out, on unprocessed requests or on throttling of the whole call, is reported the
same way; an error worth no resend is raised with ``partial_result`` (see ``aiodynamodb.batch``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .batch import Totals, chunked, resend_loop, run_chunks
from .keys import KeyIdentity, build_key, describe_key, key_identity, key_names
from .models import table_meta
from .operations import BatchDelete, BatchPut, BatchWriteOperation, BatchWriteResult
from .retry import RetryPolicy
from .serialize import converter_for
from .transport import Transport

__all__ = ["MAX_WRITES_PER_CALL", "batch_write"]

MAX_WRITES_PER_CALL = 25


def _table(op: BatchWriteOperation) -> str:
    return table_meta(op.model).table_name


def _request(op: BatchWriteOperation) -> dict[str, Any]:
    """The WriteRequest of ``op``, built when its chunk is sent rather than kept from the plan.

    A batch keeps nothing per operation but the caller's own objects: serialized items (or any
    per-operation container) held for the whole call would be counted into the garbage collector's
    oldest generation and trigger full passes, which then dominate large batches.
    """
    if isinstance(op, BatchPut):
        item = op.item
        return {"PutRequest": {"Item": converter_for(type(item)).to_dynamo(item)}}
    return {"DeleteRequest": {"Key": build_key(op.model, op.hash_key, op.range_key)}}


def _keyed(request: dict[str, Any]) -> dict[str, Any]:
    """The attributes of a WriteRequest its key is read from: the item put, or the key deleted."""
    put = request.get("PutRequest")
    keyed: dict[str, Any] = put["Item"] if put is not None else request["DeleteRequest"]["Key"]
    return keyed


def _plan(
    operations: Iterable[BatchWriteOperation],
) -> tuple[list[BatchWriteOperation], dict[str, tuple[str, ...]]]:
    ops: list[BatchWriteOperation] = []
    names_by_table: dict[str, tuple[str, ...]] = {}
    seen: set[tuple[str, KeyIdentity]] = set()
    for op in operations:
        if isinstance(op, BatchPut):
            model = type(op.item)
            # Serialized now so a value DynamoDB cannot hold fails before anything is sent; built
            # again when sent (see _request).
            keyed = converter_for(model).to_dynamo(op.item)
        elif isinstance(op, BatchDelete):
            model = op.model
            keyed = build_key(model, op.hash_key, op.range_key)
        else:
            raise TypeError(f"batch_write takes BatchPut and BatchDelete operations, got {op!r}")
        table = table_meta(model).table_name
        names = _names_for(names_by_table, table, model)
        try:
            identity = key_identity(keyed, names)
        except KeyError:
            raise ValueError(
                f"{model.__name__} item for table {table!r} has no value for a key attribute {names}: {op!r}"
            ) from None
        if (table, identity) in seen:
            raise ValueError(
                f"batch_write has two operations on the same key of table {table!r}: "
                f"{describe_key(keyed, names)} (DynamoDB rejects duplicate keys in one batch)"
            )
        seen.add((table, identity))
        ops.append(op)
    return ops, names_by_table


def _names_for(names_by_table: dict[str, tuple[str, ...]], table: str, model: Any) -> tuple[str, ...]:
    names = key_names(model)
    known = names_by_table.setdefault(table, names)
    if known != names:
        raise ValueError(
            f"models of table {table!r} disagree on its key: {known} and {names} ({model.__name__})"
        )
    return names


class _ChunkWriter:
    """One chunk's resend state: what is still pending, and the requests last sent for it.

    ``pending`` starts as the whole chunk and only shrinks on a response, so at any moment (chunk
    never sent, attempts run out, failed) it is exactly what is not known to be written.
    """

    def __init__(
        self,
        ops: Sequence[BatchWriteOperation],
        names: dict[str, tuple[str, ...]],
        flags: dict[str, str],
        totals: Totals,
    ) -> None:
        self.pending: Sequence[BatchWriteOperation] = ops
        self._sent: list[dict[str, Any]] = []
        self._names = names
        self._flags = flags
        self._totals = totals

    def build(self) -> dict[str, Any]:
        items: dict[str, list[dict[str, Any]]] = {}
        self._sent = [_request(op) for op in self.pending]
        for op, request in zip(self.pending, self._sent, strict=True):
            items.setdefault(_table(op), []).append(request)
        return {"RequestItems": items, **self._flags}

    def absorb(self, response: dict[str, Any]) -> bool:
        self._totals.absorb(response)
        unprocessed = response.get("UnprocessedItems") or {}
        if not unprocessed:
            self.pending = ()
            return False
        by_identity: dict[tuple[str, KeyIdentity], BatchWriteOperation] = {}
        for op, request in zip(self.pending, self._sent, strict=True):
            table = _table(op)
            by_identity[(table, key_identity(_keyed(request), self._names[table]))] = op
        still: list[BatchWriteOperation] = []
        for table, requests in unprocessed.items():
            names = self._names.get(table)
            if names is None:  # a table nobody named, which only a misbehaving service returns
                continue
            for request in requests:
                found = by_identity.get((table, key_identity(_keyed(request), names)))
                if found is not None:
                    still.append(found)
        self.pending = still
        return bool(still)


async def batch_write(
    transport: Transport,
    operations: Iterable[BatchPut[Any] | BatchDelete[Any]],
    *,
    policy: RetryPolicy,
    max_concurrency: int,
    return_consumed_capacity: bool = False,
    return_item_collection_metrics: bool = False,
) -> BatchWriteResult:
    ops, names = _plan(operations)
    flags: dict[str, str] = {}
    if return_consumed_capacity:
        flags["ReturnConsumedCapacity"] = "TOTAL"
    if return_item_collection_metrics:
        flags["ReturnItemCollectionMetrics"] = "SIZE"
    totals = Totals()
    writers = [_ChunkWriter(chunk, names, flags, totals) for chunk in chunked(ops, MAX_WRITES_PER_CALL)]

    async def write_chunk(writer: _ChunkWriter) -> None:
        await resend_loop(transport, "BatchWriteItem", writer.build, writer.absorb, policy)

    def result() -> BatchWriteResult:
        done = BatchWriteResult(
            consumed_capacity=(totals.consumed_capacity() or []) if return_consumed_capacity else None,
            item_collection_metrics=(
                (totals.item_collection_metrics() or {}) if return_item_collection_metrics else None
            ),
        )
        for writer in writers:
            for op in writer.pending:
                done.unprocessed_items.setdefault(_table(op), []).append(_request(op))
                done.unprocessed.append(op)
        return done

    return await run_chunks(writers, write_chunk, max_concurrency, result)
