"""``batch_write``: any number of ``BatchPut``/``BatchDelete`` sent as ``BatchWriteItem`` calls of 25.

Everything is checked before anything is sent: each operation becomes its WriteRequest, and two
operations on one key of one table are a ``ValueError`` (DynamoDB rejects such a call whole, and
split over several calls their order would be undefined). Unprocessed requests are matched back to
the operations they came from by key, resent under the retry policy, and what is still unprocessed
at the end is reported both in DynamoDB's wire format and as the original operation objects
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .batch import Totals, chunked, resend_loop, run_bounded
from .keys import KeyIdentity, build_key, describe_key, key_identity, key_names
from .operations import BatchDelete, BatchPut, BatchWriteResult
from .retry import RetryPolicy
from .serialize import converter_for
from .transport import Transport

__all__ = ["MAX_WRITES_PER_CALL", "batch_write"]

MAX_WRITES_PER_CALL = 25


class _Write:
    """One operation, its table and key. Its WriteRequest is built when its chunk is sent, not kept:
    a batch of many items would otherwise hold every serialized item at once, and those long-lived
    containers make the garbage collector's full passes (which dominate large batches) far costlier.
    """

    __slots__ = ("identity", "key", "operation", "table")

    def __init__(self, operation: Any, table: str, identity: KeyIdentity, key: dict[str, Any] | None) -> None:
        self.operation = operation
        self.table = table
        self.identity = identity
        self.key = key

    def request(self) -> dict[str, Any]:
        if self.key is not None:
            return {"DeleteRequest": {"Key": self.key}}
        item = self.operation.item
        return {"PutRequest": {"Item": converter_for(type(item)).to_dynamo(item)}}


def _plan(
    operations: Iterable[BatchPut[Any] | BatchDelete[Any]],
) -> tuple[list[_Write], dict[str, tuple[str, ...]]]:
    writes: list[_Write] = []
    names_by_table: dict[str, tuple[str, ...]] = {}
    seen: set[tuple[str, KeyIdentity]] = set()
    for op in operations:
        if isinstance(op, BatchPut):
            model = type(op.item)
            # Serialized now so a value DynamoDB cannot hold fails before anything is sent; built
            # again when sent (see _Write).
            keyed = converter_for(model).to_dynamo(op.item)
            key = None
        elif isinstance(op, BatchDelete):
            model = op.model
            keyed = key = build_key(model, op.hash_key, op.range_key)
        else:
            raise TypeError(f"batch_write takes BatchPut and BatchDelete operations, got {op!r}")
        table = model.Meta.table_name
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
        writes.append(_Write(op, table, identity, key))
    return writes, names_by_table


def _names_for(names_by_table: dict[str, tuple[str, ...]], table: str, model: Any) -> tuple[str, ...]:
    names = key_names(model)
    known = names_by_table.setdefault(table, names)
    if known != names:
        raise ValueError(
            f"models of table {table!r} disagree on its key: {known} and {names} ({model.__name__})"
        )
    return names


class _ChunkWriter:
    """One chunk's resend state: what is still pending and how to find it again by key."""

    def __init__(
        self,
        writes: Sequence[_Write],
        names: dict[str, tuple[str, ...]],
        flags: dict[str, str],
        totals: Totals,
    ) -> None:
        self.pending: Sequence[_Write] = writes
        self._names = names
        self._flags = flags
        self._totals = totals

    def build(self) -> dict[str, Any]:
        items: dict[str, list[dict[str, Any]]] = {}
        for write in self.pending:
            items.setdefault(write.table, []).append(write.request())
        return {"RequestItems": items, **self._flags}

    def absorb(self, response: dict[str, Any]) -> bool:
        self._totals.absorb(response)
        unprocessed = response.get("UnprocessedItems") or {}
        if not unprocessed:
            self.pending = ()
            return False
        by_identity = {(w.table, w.identity): w for w in self.pending}
        still: list[_Write] = []
        for table, requests in unprocessed.items():
            names = self._names[table]
            for request in requests:
                keyed = (
                    request["PutRequest"]["Item"]
                    if "PutRequest" in request
                    else request["DeleteRequest"]["Key"]
                )
                write = by_identity.get((table, key_identity(keyed, names)))
                if write is not None:
                    still.append(write)
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
    writes, names = _plan(operations)
    flags: dict[str, str] = {}
    if return_consumed_capacity:
        flags["ReturnConsumedCapacity"] = "TOTAL"
    if return_item_collection_metrics:
        flags["ReturnItemCollectionMetrics"] = "SIZE"
    totals = Totals()

    async def write_chunk(chunk: Sequence[_Write]) -> Sequence[_Write]:
        writer = _ChunkWriter(chunk, names, flags, totals)
        await resend_loop(transport, "BatchWriteItem", writer.build, writer.absorb, policy)
        return writer.pending

    leftovers = (
        await run_bounded(chunked(writes, MAX_WRITES_PER_CALL), write_chunk, max_concurrency)
        if writes
        else []
    )
    result = BatchWriteResult(
        consumed_capacity=(totals.consumed_capacity() or []) if return_consumed_capacity else None,
        item_collection_metrics=(
            (totals.item_collection_metrics() or {}) if return_item_collection_metrics else None
        ),
    )
    for pending in leftovers:
        for write in pending:
            result.unprocessed_items.setdefault(write.table, []).append(write.request())
            result.unprocessed.append(write.operation)
    return result
