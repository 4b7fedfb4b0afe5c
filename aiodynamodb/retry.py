"""``RetryPolicy``: exponential backoff with full jitter and bounded attempts, sleeping on a clock.

Used for two things the AWS guide tells clients to retry
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html):
whole requests that fail with a throttling or internal error, or transactions cancelled only by
throttling or a conflict (``send_with_retry``), and the unprocessed items/keys a batch call hands
back (the loops in ``aiodynamodb.batch``). The wait before
retry ``n`` (1-based) is uniform in ``[0, min(max_delay, base_delay * 2 ** (n - 1))]`` ("full
jitter"). Time passes only through ``clock.sleep`` and randomness only through ``random``, so tests
inject both and never sleep for real.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random as _random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import errors
from .transport import Transport

__all__ = [
    "RESENDABLE_CANCELLATIONS",
    "RETRYABLE_ERRORS",
    "AsyncioClock",
    "Clock",
    "RetryPolicy",
    "is_retryable",
    "pace_of",
    "paced",
    "send_with_retry",
]


class Clock(Protocol):
    async def sleep(self, seconds: float) -> None: ...


class AsyncioClock:
    """Real time: ``asyncio.sleep``."""

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


# Request-level errors worth resending: the request was not applied and may succeed later.
RETRYABLE_ERRORS: tuple[type[errors.DynamoDBError], ...] = (
    errors.ProvisionedThroughputExceededException,
    errors.ThrottlingException,
    errors.RequestLimitExceeded,
    errors.InternalServerError,
    errors.ServiceUnavailable,
)

# Cancellation reasons of a transaction that applied nothing and may succeed when sent again: it was
# throttled, or it collided with another transaction on one of its items. A transaction cancelled for
# any other reason (ConditionalCheckFailed, ValidationError...) would fail the same way again.
RESENDABLE_CANCELLATIONS = frozenset(
    {"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict"}
)


def is_retryable(err: errors.DynamoDBError) -> bool:
    """Whether resending the request that raised ``err`` can succeed: a ``RETRYABLE_ERRORS`` error, or
    a ``TransactionCanceledException`` whose every reason (other than ``None``) is a resendable one.

    A conditional failure is never resent, on its own or inside a transaction.
    """
    if isinstance(err, RETRYABLE_ERRORS):
        return True
    if isinstance(err, errors.TransactionCanceledException):
        codes = {reason.get("Code") for reason in err.cancellation_reasons} - {"None", None}
        return bool(codes) and codes <= RESENDABLE_CANCELLATIONS
    return False


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to resend.

    ``max_attempts`` counts sends of one request, the first included (1 = never resend).
    ``random`` returns a float in ``[0, 1)``; pass ``random.Random(seed).random`` for reproducible waits.
    """

    max_attempts: int = 8
    base_delay: float = 0.05
    max_delay: float = 5.0
    clock: Clock = field(default_factory=AsyncioClock, compare=False)
    random: Callable[[], float] = field(default=_random.random, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays cannot be negative")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first resend)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** min(retry - 1, 64))
        return ceiling * self.random()

    async def backoff(self, retry: int) -> None:
        await self.clock.sleep(self.delay(retry))


def paced(policy: RetryPolicy, clock: Clock, random: Callable[[], float]) -> RetryPolicy:
    """``policy`` sleeping on ``clock`` and drawing its jitter from ``random``, where it was left at
    its defaults (the real ``AsyncioClock``, the global ``random.random``); the caller's own kept.

    How a client on a service with its own time (the fake's virtual clock) backs off in that time.
    """
    if policy.max_attempts == 1:  # never sleeps nor draws: nothing to replace
        return policy
    changes: dict[str, Any] = {}
    if type(policy.clock) is AsyncioClock:
        changes["clock"] = clock
    if policy.random is _random.random:
        changes["random"] = random
    return dataclasses.replace(policy, **changes) if changes else policy


def pace_of(transport: Transport) -> tuple[Clock, Callable[[], float]] | None:
    """The clock and seeded jitter of a transport that keeps its own time (the fake), else None
    (see ``aiodynamodb.transport``)."""
    clock = getattr(transport, "clock", None)
    if clock is None or not callable(getattr(clock, "sleep", None)):
        return None
    seed = getattr(transport, "seed", 0)
    return clock, _random.Random(seed if isinstance(seed, int) else 0).random


async def send_with_retry(
    transport: Transport, operation: str, request: Mapping[str, Any], policy: RetryPolicy
) -> dict[str, Any]:
    """``transport.call`` resent under ``policy`` while it fails with an error ``is_retryable`` accepts.

    The last error is raised once attempts run out.
    """
    attempt = 1
    while True:
        try:
            return await transport.call(operation, request)
        except errors.DynamoDBError as err:
            if not is_retryable(err) or attempt >= policy.max_attempts:
                raise
        await policy.backoff(attempt)
        attempt += 1
