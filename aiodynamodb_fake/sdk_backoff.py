"""botocore's own waiting, moved onto a fake's clock for the clients ``interception`` answers.

botocore waits in two places. (1) Between attempts: the ``needs-retry`` event's first non-None
answer is the delay (legacy, standard and adaptive modes alike), which ``Endpoint._needs_retry``
then sleeps (``time.sleep``; aiobotocore ``asyncio.sleep``). ``pace_retry`` / ``pace_retry_async``
take that delay on the fake's clock instead and hand botocore 0 in its place, so botocore still
retries, exactly as often, and sleeps for nothing. (2) Adaptive mode's client-side rate limiter
paces sends with a token bucket on ``time.time()``, waiting on a condition variable.
``LimiterAdoption`` gives each such limiter a fresh state on the fake's clock while patched (a rate
clock, a cubic rate calculator and a token bucket of the same design: refilled at the fill rate, at
least 0.5 tokens a second, holding at most max(1, rate) tokens) and puts the original state back
when the last patch ends.

A virtual clock (one with ``advance``, like ``VirtualClock``) is advanced by synchronous waits and
slept on by asynchronous ones (so concurrent tasks' waits overlap as they would in real time). A
clock without ``advance`` (the system clock) keeps botocore's synchronous sleeps real, as they
were. Retry modes: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from aiobotocore.retries.adaptive import AsyncClientRateLimiter
from botocore.exceptions import CapacityNotAvailableError
from botocore.retries.adaptive import ClientRateLimiter, RateClocker
from botocore.retries.throttling import CubicCalculator

from .clock import Clock

__all__ = ["LimiterAdoption", "pace_retry", "pace_retry_async", "wait", "wait_async"]

logger = logging.getLogger(__name__)

MIN_FILL_RATE = 0.5  # tokens per second: adaptive mode never paces slower than this
_GRANULARITY = 1e-6  # seconds: a shorter wait is no wait
# the limiter state botocore's register_retry_handler builds, by attribute name
_LIMITER_STATE = ("_clock", "_rate_clocker", "_rate_adjustor", "_token_bucket", "_enabled")

Responses = list[tuple[Any, Any]]


def wait(clock: Clock, seconds: float) -> None:
    """Let ``seconds`` pass on ``clock`` without blocking: advance it, or sleep if it is real time."""
    advance: Callable[[float], None] | None = getattr(clock, "advance", None)
    if advance is not None:
        advance(seconds)
    else:
        time.sleep(seconds)


async def wait_async(clock: Clock, seconds: float) -> None:
    await clock.sleep(seconds)


def _delay(responses: Responses) -> tuple[int, float] | None:
    """(index, seconds) of the delay botocore is about to sleep, when it is a positive number."""
    for index, (_, value) in enumerate(responses):
        if value is not None:
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                return index, float(value)
            return None
    return None


def pace_retry(responses: Responses, clock: Clock) -> Responses:
    """``needs-retry`` answers with the delay taken on ``clock`` and replaced by 0 (sync clients).

    Left unchanged when ``clock`` is real time: botocore sleeps as it always does.
    """
    found = _delay(responses)
    if found is None or getattr(clock, "advance", None) is None:
        return responses
    index, seconds = found
    logger.debug("botocore backs off %.3f s on the fake's clock", seconds)
    wait(clock, seconds)
    responses[index] = (responses[index][0], 0)
    return responses


async def pace_retry_async(responses: Responses, clock: Clock) -> Responses:
    """``needs-retry`` answers with the delay slept on ``clock`` and replaced by 0 (aiobotocore)."""
    found = _delay(responses)
    if found is None:
        return responses
    index, seconds = found
    logger.debug("aiobotocore backs off %.3f s on the fake's clock", seconds)
    await wait_async(clock, seconds)
    responses[index] = (responses[index][0], 0)
    return responses


# --- adaptive mode ---------------------------------------------------------------------------------


class _LimiterClock:
    """botocore's bucket clock interface (``current_time``, ``sleep``) on whichever fake's clock
    ``current`` names now (real time when none: never the case while a limiter is adopted)."""

    def __init__(self, current: Callable[[], Clock | None]) -> None:
        self._current = current

    def clock(self) -> Clock | None:
        return self._current()

    def current_time(self) -> float:
        clock = self._current()
        return time.time() if clock is None else clock.now()

    def sleep(self, amount: float) -> None:
        clock = self._current()
        if clock is None:
            time.sleep(amount)
        else:
            wait(clock, amount)


class _Bucket:
    """A token bucket on a ``_LimiterClock``: the shared arithmetic of the sync and async kinds."""

    def __init__(self, clock: _LimiterClock, max_rate: float = 1.0) -> None:
        self._clock = clock
        self._capacity = 0.0
        self._stamp: float | None = None
        self._fill_rate = MIN_FILL_RATE
        self._max_capacity = 1.0
        self._set_rate(max_rate)

    @property
    def max_capacity(self) -> float:
        return self._max_capacity

    @property
    def available_capacity(self) -> float:
        return self._capacity

    def _set_rate(self, value: float) -> None:
        self._refill()  # tokens earned so far are earned at the old rate
        self._fill_rate = max(value, MIN_FILL_RATE)
        self._max_capacity = value if value >= 1 else 1.0
        self._capacity = min(self._capacity, self._max_capacity)

    def _refill(self) -> None:
        now = self._clock.current_time()
        if self._stamp is not None:
            elapsed = max(0.0, now - self._stamp)  # fakes' clocks differ: never count time backwards
            self._capacity = min(self._max_capacity, self._capacity + elapsed * self._fill_rate)
        self._stamp = now

    def _take(self, amount: float, block: bool) -> float:
        """Take ``amount`` tokens and return 0, or return the seconds until there are enough."""
        self._refill()
        seconds = (amount - self._capacity) / self._fill_rate
        if seconds < _GRANULARITY:  # enough tokens, or too few to wait for (a clock near 2e9 s cannot
            self._capacity = max(0.0, self._capacity - amount)  # move by less than about 2.4e-7 s)
            return 0.0
        if not block:
            raise CapacityNotAvailableError()
        return seconds


class _SyncBucket(_Bucket):
    def __init__(self, clock: _LimiterClock, max_rate: float = 1.0) -> None:
        self._lock = threading.Lock()
        super().__init__(clock, max_rate)

    @property
    def max_rate(self) -> float:
        return self._fill_rate

    @max_rate.setter  # botocore's limiter assigns the new rate
    def max_rate(self, value: float) -> None:
        with self._lock:
            self._set_rate(value)

    def acquire(self, amount: float = 1, block: bool = True) -> bool:
        with self._lock:
            while (seconds := self._take(amount, block)) > 0:
                self._clock.sleep(seconds)
            return True


class _AsyncBucket(_Bucket):
    @property
    def max_rate(self) -> float:
        return self._fill_rate

    async def set_max_rate(self, value: float) -> None:
        self._set_rate(value)

    async def acquire(self, amount: float = 1, block: bool = True) -> bool:
        # no lock: on one event loop nothing runs between the check and the take
        while (seconds := self._take(amount, block)) > 0:
            clock = self._clock.clock()
            if clock is None:
                self._clock.sleep(seconds)
            else:
                await wait_async(clock, seconds)
        return True


class LimiterAdoption:
    """Adaptive-mode rate limiters of intercepted clients, each given a fake-clock state once and
    given its own state back by ``restore_all``. Thread-safe."""

    def __init__(self, current: Callable[[], Clock | None]) -> None:
        self._current = current
        self._lock = threading.Lock()
        self._saved: dict[int, tuple[Any, dict[str, Any]]] = {}

    def adopt_from(self, emitter: Any, event_name: str) -> None:
        """Adopt the limiters among the handlers ``emitter`` is about to call for ``event_name``.

        Reads botocore's handler lookup (private to its emitter); an emitter without it is skipped.
        """
        try:
            handlers = emitter._lookup_cache.get(event_name)
            if handlers is None:
                handlers = emitter._handlers.prefix_search(event_name)
        except AttributeError:
            return
        for handler in handlers:
            owner = getattr(handler, "__self__", None)
            if owner is not None and id(owner) not in self._saved and _is_limiter(owner):
                self._adopt(owner)

    def _adopt(self, limiter: Any) -> None:
        if not all(hasattr(limiter, name) for name in _LIMITER_STATE):
            return  # a botocore that builds its limiter otherwise: left pacing in real time
        with self._lock:
            if id(limiter) in self._saved:
                return
            self._saved[id(limiter)] = (limiter, {name: getattr(limiter, name) for name in _LIMITER_STATE})
            clock = _LimiterClock(self._current)
            asynchronous = not isinstance(limiter, ClientRateLimiter)
            limiter._clock = clock
            limiter._rate_clocker = RateClocker(clock)
            limiter._rate_adjustor = CubicCalculator(starting_max_rate=0, start_time=clock.current_time())
            limiter._token_bucket = _AsyncBucket(clock) if asynchronous else _SyncBucket(clock)
            limiter._enabled = False

    def restore_all(self) -> None:
        with self._lock:
            saved, self._saved = self._saved, {}
        for limiter, state in saved.values():
            for name, value in state.items():
                setattr(limiter, name, value)

    def __len__(self) -> int:
        return len(self._saved)


def _is_limiter(owner: object) -> bool:
    return isinstance(owner, ClientRateLimiter | AsyncClientRateLimiter)
