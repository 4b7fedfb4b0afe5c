"""What ``batch_write`` and ``batch_get`` share: the resend loop, bounded concurrency, and totals.

A batch call is cut into chunks (25 writes / 100 keys, the per-call limits of
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html and
API_BatchGetItem.html). Each chunk runs ``resend_loop``: send, then resend whatever came back
unprocessed, waiting per ``RetryPolicy`` in between; a throttling or internal error of the whole
request is resent the same way. One attempt counter covers both, so a chunk is sent at most
``max_attempts`` times; whatever is still pending when attempts run out is reported as unprocessed,
never raised, so throttling cannot lose track of work. Chunks run concurrently, at most
``max_concurrency`` at a time. Any other error stops the batch: no further chunk is started, those
in flight finish, and the first error is raised carrying ``partial_result`` (see ``run_chunks``).
``Totals`` sums ``ConsumedCapacity`` per table and collects ``ItemCollectionMetrics`` over every
call made.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final, TypeVar

from .operations import BatchDelete, BatchGet, BatchGetResult, BatchPut, BatchWriteResult
from .retry import RETRYABLE_ERRORS, RetryPolicy
from .transport import Transport

__all__ = [
    "DEFAULT",
    "SEND_ONCE",
    "BatchDelete",
    "BatchGet",
    "BatchGetResult",
    "BatchPut",
    "BatchWriteResult",
    "Totals",
    "chunked",
    "resend_loop",
    "resolve_policy",
    "run_bounded",
    "run_chunks",
]

_C = TypeVar("_C")
_R = TypeVar("_R")


class _Default:
    """Marks "use the client's policy" apart from ``None`` ("send once, never resend")."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final = _Default()


def chunked(entries: Sequence[_C], size: int) -> list[Sequence[_C]]:
    return [entries[i : i + size] for i in range(0, len(entries), size)]


async def run_bounded(chunks: Sequence[_C], worker: Callable[[_C], Awaitable[None]], limit: int) -> None:
    """``worker`` over every chunk, at most ``limit`` at once; after a failure no new chunk starts, those
    in flight finish, and the first error is raised."""
    if limit < 1:
        raise ValueError("max_concurrency must be at least 1")
    pending = iter(chunks)
    failures: list[Exception] = []

    async def lane() -> None:
        # Lanes pull from one shared iterator: a free lane takes the next chunk.
        for chunk in pending:
            if failures:
                return
            try:
                await worker(chunk)
            except Exception as err:
                failures.append(err)
                return

    if len(chunks) == 1:
        await worker(chunks[0])
    elif chunks:
        await asyncio.gather(*(lane() for _ in range(min(limit, len(chunks)))))
    if failures:
        raise failures[0]


async def run_chunks(
    chunks: Sequence[_C],
    worker: Callable[[_C], Awaitable[None]],
    limit: int,
    result: Callable[[], _R],
) -> _R:
    """``run_bounded``, then ``result()``: the batch's result, read from the chunks' own state.

    If a chunk fails, the error raised is the original one (so ``except ResourceNotFoundException``
    and ``except ClientError`` keep working) with ``partial_result`` set to ``result()`` as it stands
    once chunks in flight have finished: what was done, and as unprocessed everything not known to
    be done, including the failed chunk's pending work and every chunk never sent.
    """
    try:
        await run_bounded(chunks, worker, limit)
    except Exception as err:
        err.partial_result = result()  # type: ignore[attr-defined]  # declared on DynamoDBError only
        raise
    return result()


async def resend_loop(
    transport: Transport,
    operation: str,
    build: Callable[[], dict[str, Any]],
    absorb: Callable[[dict[str, Any]], bool],
    policy: RetryPolicy,
) -> None:
    """Send ``build()``; ``absorb`` takes the response and says whether anything is left to resend.

    ``build`` is called again for each resend (absorbing the response has narrowed what it sends).
    Returns when nothing is left or attempts run out, whether on unprocessed work or on a retryable
    error of the whole request (which applied nothing, so the caller's pending state is still
    exact); any other error is raised.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            response = await transport.call(operation, build())
        except RETRYABLE_ERRORS:
            if attempt >= policy.max_attempts:
                return
        else:
            if not absorb(response) or attempt >= policy.max_attempts:
                return
        await policy.backoff(attempt)


# What ``retry=None`` means: one send, never a resend (so the clock is never used).
SEND_ONCE: Final = RetryPolicy(max_attempts=1)


def resolve_policy(retry: RetryPolicy | _Default | None, default: RetryPolicy | None) -> RetryPolicy:
    """The policy a call runs under: ``retry``, or the client's ``default`` for ``DEFAULT``; ``None``
    (for either) sends once."""
    if retry is DEFAULT:
        retry = default
    if retry is None:
        return SEND_ONCE
    if not isinstance(retry, RetryPolicy):
        raise TypeError(f"retry must be a RetryPolicy or None, got {retry!r}")
    return retry


def _add(total: dict[str, Any], part: Mapping[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, Mapping):
            _add(total.setdefault(key, {}), value)
        else:
            total.setdefault(key, value)


class Totals:
    """Consumed capacity and item-collection metrics gathered over the calls of one batch."""

    def __init__(self) -> None:
        self._capacity: dict[str, dict[str, Any]] = {}
        self._metrics: dict[str, dict[Any, dict[str, Any]]] = {}
        self.saw_capacity = False
        self.saw_metrics = False

    def absorb(self, response: Mapping[str, Any]) -> None:
        capacity = response.get("ConsumedCapacity")
        if capacity is not None:
            self.saw_capacity = True
            for entry in capacity:
                _add(self._capacity.setdefault(entry.get("TableName", ""), {}), entry)
        metrics = response.get("ItemCollectionMetrics")
        if metrics is not None:
            self.saw_metrics = True
            for table, entries in metrics.items():
                per_table = self._metrics.setdefault(table, {})
                for entry in entries:
                    # The latest estimate for an item collection replaces earlier ones.
                    per_table[repr(sorted(entry.get("ItemCollectionKey", {}).items()))] = entry

    def consumed_capacity(self) -> list[dict[str, Any]] | None:
        return list(self._capacity.values()) if self.saw_capacity else None

    def item_collection_metrics(self) -> dict[str, list[dict[str, Any]]] | None:
        if not self.saw_metrics:
            return None
        return {table: list(entries.values()) for table, entries in self._metrics.items()}
