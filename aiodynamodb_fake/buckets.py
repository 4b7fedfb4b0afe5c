"""Token buckets on the fake's clock: the capacity a table, a GSI or one partition key has left.

A bucket refills continuously at ``rate`` tokens per second of clock time, up to ``cap``. DynamoDB
admits a request while capacity is available and then charges what it consumed, so a unit is
served when its bucket holds any tokens at all and the bucket is then debited the unit's whole
cost, possibly below zero; the debt is repaid by refilling before anything else is served. Requiring
the whole cost up front instead would make an item larger than a bucket's cap (a 400 KB write is
400 WCU; a 1-WCU table holds at most 300) unwritable forever, which DynamoDB never does.

"Any tokens" means more than one microsecond's refill: clock readings near 1.7e9 seconds carry
about 0.1 microsecond of rounding, which must not leave a bucket that ought to be empty
looking like it holds a sliver.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
"""

from __future__ import annotations

__all__ = ["Bucket"]

_EMPTY_SECONDS = 1e-6  # a level under this many seconds of refill counts as empty


class Bucket:
    """``rate`` tokens a second, at most ``cap``; ``level`` tokens at clock time ``at``."""

    __slots__ = ("at", "cap", "level", "rate")

    def __init__(self, rate: float, cap: float, level: float, at: float) -> None:
        self.rate = rate
        self.cap = cap
        self.level = level
        self.at = at

    def refill(self, now: float) -> float:
        """The level at ``now`` (a clock that steps back refills nothing). O(1)."""
        if now > self.at:
            self.level = min(self.cap, self.level + (now - self.at) * self.rate)
            self.at = now
        return self.level

    def available(self, now: float) -> bool:
        """Whether a unit drawing on this bucket may be served at ``now``."""
        return self.refill(now) > self.rate * _EMPTY_SECONDS

    def take(self, cost: float) -> None:
        """Debit what a served unit consumed (the level may go negative)."""
        self.level -= cost

    def full(self, now: float) -> bool:
        return self.refill(now) >= self.cap

    def __repr__(self) -> str:
        return f"Bucket(rate={self.rate}, cap={self.cap}, level={self.level}, at={self.at})"
