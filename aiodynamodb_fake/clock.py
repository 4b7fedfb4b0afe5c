"""Clocks for the fake: virtual time for tests (sleeping costs no wall time) and the system clock.

Nothing in the fake reads ``time.time()`` directly; it asks the clock it was given, so throttling,
capacity refills, table timestamps and TTL are deterministic under test.

``VirtualClock.sleep`` does not simply add its seconds to the clock: concurrent sleepers overlap in
virtual time as they would in real time. A sleeper is parked until the event loop has had a few
rounds to let every runnable task reach its own sleep; then the clock jumps to the earliest
deadline and wakes whoever is due. Eight lanes each backing off one second take one virtual second,
not eight, so a load against the capacity model takes the virtual time it really would.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import time
from typing import Protocol

__all__ = ["Clock", "SystemClock", "VirtualClock"]

# Event-loop rounds a virtual sleep waits before time jumps: enough for tasks woken together (or
# started together) to run up to their next sleep, so sleeps meant to overlap do.
SETTLE_ROUNDS = 3


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``; a virtual clock just moves forward."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


_Sleeper = tuple[float, int, "asyncio.Future[None]"]


class VirtualClock:
    """Time that only moves when told to (``advance``) or when sleepers are due (``sleep``)."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start
        self._lock = threading.Lock()
        self._order = itertools.count()
        self._sleepers: dict[asyncio.AbstractEventLoop, list[_Sleeper]] = {}

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += seconds

    async def sleep(self, seconds: float) -> None:
        """Return once the clock has reached now + ``seconds``, after any sleeper due earlier."""
        loop = asyncio.get_running_loop()
        wakeup: asyncio.Future[None] = loop.create_future()
        with self._lock:
            sleepers = self._sleepers.get(loop)
            if sleepers is None:
                sleepers = self._sleepers[loop] = []
                loop.call_soon(self._settle, loop, SETTLE_ROUNDS)
            heapq.heappush(sleepers, (self._now + max(0.0, seconds), next(self._order), wakeup))
        await wakeup

    def _settle(self, loop: asyncio.AbstractEventLoop, rounds: int) -> None:
        """After ``rounds`` more loop rounds, jump to the earliest deadline and wake those due."""
        if rounds > 0:
            loop.call_soon(self._settle, loop, rounds - 1)
            return
        due = []
        with self._lock:
            sleepers = self._sleepers[loop]
            while sleepers and sleepers[0][2].done():  # cancelled while asleep
                heapq.heappop(sleepers)
            if sleepers:
                self._now = max(self._now, sleepers[0][0])
                while sleepers and sleepers[0][0] <= self._now:
                    due.append(heapq.heappop(sleepers)[2])
            if sleepers or due:
                loop.call_soon(self._settle, loop, SETTLE_ROUNDS)
            else:
                del self._sleepers[loop]
        for wakeup in due:
            if not wakeup.done():
                wakeup.set_result(None)
