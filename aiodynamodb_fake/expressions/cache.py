"""Memo caches bounded by entries and by bytes, for work keyed by request text (expression parses).

A request may carry megabytes of text, so a cache keyed by it is bounded twice: by its number of
entries and by an estimate of the bytes its entries hold (key and value), given per call by the
cache's ``cost`` function. A call whose estimate exceeds ``max_entry_cost`` is computed and not
kept: so large a text is rare, and computing it again is linear. A call that raises keeps nothing,
so a rejected text leaves nothing behind. The least recently used entries are dropped first.
Thread-safe: fakes in different threads share these module-level caches.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

__all__ = ["BoundedCache", "CacheInfo", "bounded_cache", "caches"]

P = ParamSpec("P")
R = TypeVar("R")

_CACHES: weakref.WeakSet[BoundedCache[..., Any]] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class CacheInfo:
    hits: int
    misses: int
    entries: int
    cost: int  # the estimated bytes the entries hold
    max_entries: int
    max_cost: int
    max_entry_cost: int


class BoundedCache(Generic[P, R]):
    """``function`` memoised on its positional arguments, within the bounds described above.

    A lookup is O(size of the key) (hashing it; a ``str`` caches its hash) plus the ``cost``
    estimate, which the caller keeps O(size of the key) too.
    """

    def __init__(
        self,
        function: Callable[P, R],
        *,
        cost: Callable[P, int],
        max_entries: int,
        max_cost: int,
        max_entry_cost: int,
    ) -> None:
        self._function = function
        self._cost = cost
        self._max_entries = max_entries
        self._max_cost = max_cost
        self._max_entry_cost = min(max_entry_cost, max_cost)
        self._entries: OrderedDict[Hashable, tuple[R, int]] = OrderedDict()
        self._total = 0
        self._hits = 0
        self._misses = 0
        self._lock = threading.Lock()
        self.__wrapped__ = function
        self.__doc__ = function.__doc__
        self.__name__ = getattr(function, "__name__", type(self).__name__)
        _CACHES.add(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        cost = self._cost(*args, **kwargs)
        if kwargs or cost > self._max_entry_cost:
            return self._function(*args, **kwargs)
        key: Hashable = args
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self._hits += 1
                return found[0]
            self._misses += 1
        value = self._function(*args, **kwargs)  # may raise: then nothing is kept
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (value, cost)
                self._total += cost
                while len(self._entries) > self._max_entries or self._total > self._max_cost:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self._total -= dropped
        return value

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(
                self._hits,
                self._misses,
                len(self._entries),
                self._total,
                self._max_entries,
                self._max_cost,
                self._max_entry_cost,
            )

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = 0
            self._hits = 0
            self._misses = 0


def bounded_cache(
    *, cost: Callable[P, int], max_entries: int, max_cost: int, max_entry_cost: int
) -> Callable[[Callable[P, R]], BoundedCache[P, R]]:
    """Decorator form of ``BoundedCache``."""

    def decorate(function: Callable[P, R]) -> BoundedCache[P, R]:
        return BoundedCache(
            function, cost=cost, max_entries=max_entries, max_cost=max_cost, max_entry_cost=max_entry_cost
        )

    return decorate


def caches() -> list[BoundedCache[..., Any]]:
    """Every bounded cache alive in the process, for tests and inspection."""
    return list(_CACHES)
