"""Strategies for throttle schedules: when, how often and where a fake throttles.

A ``ThrottleSchedule`` holds the arguments of ``FakeDynamoDB.throttle`` (a rate, the seed of its
decisions, how many requests pass before it starts, how many throttles it injects in all, and which
tables and operations it touches); ``schedule.apply(fake)`` installs it, ``schedule.kwargs()`` gives
the keywords for your own call. Hypothesis shrinks a failing schedule towards a lower rate and fewer faults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

if TYPE_CHECKING:
    from aiodynamodb_fake import FakeDynamoDB

__all__ = ["ThrottleSchedule", "throttle_schedules"]

Draw = st.DrawFn


@dataclass(frozen=True, slots=True)
class ThrottleSchedule:
    """The arguments of one ``fake.throttle(...)`` call; ``None`` means "no limit" / "every one"."""

    rate: float
    seed: int | None = None
    after: int = 0
    times: int | None = None
    tables: tuple[str, ...] | None = None
    operations: tuple[str, ...] | None = None

    def kwargs(self) -> dict[str, Any]:
        """``fake.throttle(**schedule.kwargs())``."""
        return {
            "rate": self.rate,
            "seed": self.seed,
            "tables": None if self.tables is None else list(self.tables),
            "operations": None if self.operations is None else list(self.operations),
            "after": self.after,
            "times": self.times,
        }

    def apply(self, fake: FakeDynamoDB) -> Any:
        """Install the schedule on ``fake``; returns its ``FaultHandle`` (a context manager)."""
        return fake.throttle(**self.kwargs())


def _subsets(names: Sequence[str] | None) -> st.SearchStrategy[tuple[str, ...] | None]:
    if not names:
        return st.none()
    subset = st.lists(st.sampled_from(list(names)), min_size=1, unique=True).map(tuple)
    return st.one_of(st.none(), subset)


@st.composite
def throttle_schedules(
    draw: Draw,
    *,
    min_rate: float = 0.0,
    max_rate: float = 0.5,
    max_after: int = 10,
    max_times: int | None = 20,
    tables: Sequence[str] | None = None,
    operations: Sequence[str] | None = None,
) -> ThrottleSchedule:
    """A ``ThrottleSchedule``: a rate in [``min_rate``, ``max_rate``] (the bounds themselves often),
    a seed, 0..``max_after`` requests let through first, a total of 1..``max_times`` throttles (or,
    sometimes, no limit: keep ``max_rate`` below 1 then, or nothing ever gets through), and a
    non-empty subset of ``tables`` and of ``operations``, or all of them."""
    if not 0.0 <= min_rate <= max_rate <= 1.0:
        raise ValueError("need 0 <= min_rate <= max_rate <= 1")
    rate = draw(st.one_of(st.sampled_from([min_rate, max_rate]), st.floats(min_rate, max_rate)))
    limits: st.SearchStrategy[int | None] = st.none() if max_times is None else st.integers(1, max_times)
    times = draw(limits if max_times is None else st.one_of(limits, st.none()))
    return ThrottleSchedule(
        rate=rate,
        seed=draw(st.integers(0, 2**32 - 1)),
        after=draw(st.integers(0, max_after)),
        times=times,
        tables=draw(_subsets(tables)),
        operations=draw(_subsets(operations)),
    )
