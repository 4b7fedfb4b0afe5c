"""The fault plan: throttling and scripted errors injected on purpose, deterministically.

Three kinds of rule, each matching calls by operation and table and able to skip the first
``after`` matching calls and stop after ``times``:

- ``throttle(rate)``: each write request / key of a matching data-plane call is independently left
  unprocessed with probability ``rate`` (a single-item call is a batch of one). When every request
  of a call is left, nothing is applied and the call fails as DynamoDB fails it (see
  ``throttling``). Table operations are never throttled.
- ``fail(operation, error)``: the whole call fails with ``error`` before anything is read.
- ``unprocess(operation, keys)``: exactly these keys are left unprocessed.

A transaction is never partly served: when any of its actions is chosen, the whole call is
cancelled, each chosen action's reason saying why (the service asks the operation's ``cancel``).

Every decision comes from the rule's own ``random.Random``, seeded from the plan's seed and the
rule's number (never the global random, nor the one making table ids), so a run replays exactly.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html (UnprocessedItems)
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from aiodynamodb.errors import DynamoDBError, error_class

from .journal import FaultEvent
from .keys import validate_key
from .operations._contract import Access, Unit
from .throttling import ON_DEMAND_MESSAGE, TABLE_PROVISIONED_MESSAGE, ThrottleReason, default_reason
from .values import validate_item

__all__ = ["FaultHandle", "FaultPlan"]

# Messages for scripted errors whose DynamoDB wording is known (reference §5.4, §5.5).
DEFAULT_MESSAGES = {
    "ProvisionedThroughputExceededException": TABLE_PROVISIONED_MESSAGE,
    "ThrottlingException": ON_DEMAND_MESSAGE,
    "RequestLimitExceeded": (
        "Throughput exceeds the current throughput limit for your account. To request a limit "
        "increase, contact AWS Support at https://aws.amazon.com/support."
    ),
    "InternalServerError": "Internal server error",
    "LimitExceededException": "Too many operations for a given subscriber.",
    "ItemCollectionSizeLimitExceededException": "Collection size exceeded.",
}

Chosen = dict[int, ThrottleReason]  # position of a unit -> why it was left unprocessed


class _Rule:
    """What every rule shares: which calls it matches, and how many it may still hit."""

    kind = "rule"

    def __init__(
        self,
        operations: Iterable[str] | str | None,
        tables: Iterable[str] | str | None,
        after: int,
        times: int | None,
    ) -> None:
        if after < 0 or (times is not None and times < 0):
            raise ValueError("after and times cannot be negative")
        self.operations = _names(operations)
        self.tables = _names(tables)
        self.after = after
        self.times = times
        self.seen = 0  # matching calls so far
        self.fired = 0  # calls it hit

    def admits(self, operation: str, tables: Sequence[str]) -> bool:
        """Whether this call counts against the rule (and is past ``after``); counts it if so."""
        if self.operations is not None and operation not in self.operations:
            return False
        if self.tables is not None and not any(t in self.tables for t in tables):
            return False
        if self.times is not None and self.fired >= self.times:
            return False
        self.seen += 1
        return self.seen > self.after

    def table_matches(self, unit: Unit) -> bool:
        return self.tables is None or unit.table_name in self.tables or unit.table.schema.name in self.tables

    @property
    def consumed(self) -> bool:
        return self.fired >= (1 if self.times is None else self.times)

    def describe(self) -> str:
        scope = f" operations={sorted(self.operations)}" if self.operations else ""
        scope += f" tables={sorted(self.tables)}" if self.tables else ""
        times = "unbounded" if self.times is None else f"{self.times}"
        return f"{self.kind}{scope} after={self.after} times={times}: fired {self.fired}"


class _Throttle(_Rule):
    kind = "throttle"

    def __init__(self, rate: float, rng: random.Random, **scope: Any) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, got {rate!r}")
        super().__init__(**scope)
        self.rate = rate
        self.rng = rng

    def choose(self, units: Sequence[Unit], write: bool) -> Chosen:
        draw, rate = self.rng.random, self.rate
        return {
            unit.position: default_reason(unit.table, write)
            for unit in units
            if self.table_matches(unit) and draw() < rate
        }


class _Unprocess(_Rule):
    kind = "unprocess"

    def __init__(self, keys: Sequence[Mapping[str, Any]], **scope: Any) -> None:
        times = scope.pop("times")
        super().__init__(times=None, **scope)
        self.keys = [validate_item(key)[0] for key in keys]
        self.left = [times] * len(self.keys)  # how many more times each key is left unprocessed

    def choose(self, units: Sequence[Unit], write: bool) -> Chosen:
        chosen: Chosen = {}
        for unit in units:
            if not self.table_matches(unit):
                continue
            for number, key in enumerate(self.keys):
                if self.left[number] <= 0:
                    continue
                try:
                    wanted = validate_key(unit.table.schema, key)
                except DynamoDBError:  # not a key of this table: never matches it
                    continue
                if wanted == unit.key:
                    self.left[number] -= 1
                    chosen[unit.position] = default_reason(unit.table, write)
        return chosen

    @property
    def consumed(self) -> bool:
        return all(left <= 0 for left in self.left)


class _Fail(_Rule):
    kind = "fail"

    def __init__(self, make: Callable[[], DynamoDBError], **scope: Any) -> None:
        super().__init__(**scope)
        self.make = make


class FaultHandle:
    """One declared fault: ``with fake.throttle(0.3): ...`` removes it on exit; ``.remove()`` too."""

    def __init__(self, plan: FaultPlan, rule: _Rule) -> None:
        self._plan = plan
        self._rule = rule

    @property
    def fired(self) -> int:
        """How many calls this fault hit so far."""
        return self._rule.fired

    def remove(self) -> None:
        self._plan.remove(self._rule)

    def __enter__(self) -> FaultHandle:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<FaultHandle {self._rule.describe()}>"


class FaultPlan:
    """The faults declared on one fake, and the events they produced."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._rules: list[_Rule] = []
        self._made = 0  # rules ever declared: names each rule's random stream

    @property
    def idle(self) -> bool:
        return not self._rules

    def add_throttle(self, rate: float, seed: int | None, **scope: Any) -> FaultHandle:
        self._made += 1
        rng = random.Random(f"{self.seed}/throttle/{self._made}" if seed is None else seed)
        return self._add(_Throttle(rate, rng, **scope))

    def add_fail(
        self, error: str | DynamoDBError | type[DynamoDBError], message: str | None, **scope: Any
    ) -> FaultHandle:
        self._made += 1
        return self._add(_Fail(_error_factory(error, message), **scope))

    def add_unprocess(self, keys: Sequence[Mapping[str, Any]], **scope: Any) -> FaultHandle:
        self._made += 1
        return self._add(_Unprocess(keys, **scope))

    def _add(self, rule: _Rule) -> FaultHandle:
        self._rules.append(rule)
        return FaultHandle(self, rule)

    def remove(self, rule: _Rule) -> None:
        if rule in self._rules:
            self._rules.remove(rule)

    def clear(self) -> None:
        self._rules.clear()

    def unconsumed(self) -> list[str]:
        return [rule.describe() for rule in self._rules if not rule.consumed]

    def inject(self, operation: str, tables: Sequence[str], event: Callable[[str, str], None]) -> None:
        """Raise the error of the first ``fail`` rule this call triggers (step 1 of the pipeline)."""
        for rule in self._rules:
            if isinstance(rule, _Fail) and rule.admits(operation, tables):
                rule.fired += 1
                error = rule.make()
                event("fail", error.code)
                raise error

    def choose(
        self,
        operation: str,
        access: Access,
        tables: Sequence[str],
        units: Callable[[], Sequence[Unit]],
        event: Callable[[str, str], None],
        conflicts: set[int] | None = None,
    ) -> Chosen:
        """The units of a data-plane call that throttle and unprocess rules leave unprocessed.

        ``conflicts``, if given, receives the positions an ``unprocess`` rule chose (a transaction
        answers those as conflicting with another transaction, the others as throttled).
        """
        chosen: Chosen = {}
        found: Sequence[Unit] | None = None
        for rule in self._rules:
            if not isinstance(rule, _Throttle | _Unprocess) or not rule.admits(operation, tables):
                continue
            found = units() if found is None else found
            picked = rule.choose(found, access == "write")
            if picked:
                rule.fired += 1
                event(rule.kind, f"{len(picked)} of {len(found)} requests")
                for position, reason in picked.items():
                    if position not in chosen:
                        chosen[position] = reason
                        if conflicts is not None and isinstance(rule, _Unprocess):
                            conflicts.add(position)
        return chosen


def _names(names: Iterable[str] | str | None) -> frozenset[str] | None:
    if names is None:
        return None
    return frozenset((names,) if isinstance(names, str) else names)


def _error_factory(
    error: str | DynamoDBError | type[DynamoDBError], message: str | None
) -> Callable[[], DynamoDBError]:
    """A maker of fresh errors (each raise gets its own instance, as each real answer would)."""
    if isinstance(error, DynamoDBError):
        template = error
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        return lambda: type(template)(message or template.message, extra=template.extra, http_status=status)
    cls = error_class(error) if isinstance(error, str) else error
    if not (isinstance(cls, type) and issubclass(cls, DynamoDBError)):
        raise TypeError(f"error must be a DynamoDB error code, class or instance, got {error!r}")
    text = message or DEFAULT_MESSAGES.get(cls.code, f"{cls.code} injected by aiodynamodb_fake")
    return lambda: cls(text)


def event_maker(
    events: deque[FaultEvent], call: int, time: float, operation: str, tables: tuple[str, ...]
) -> Callable[[str, str], None]:
    """A callback that appends one ``FaultEvent`` for this call to ``events``."""

    def record(kind: str, detail: str) -> None:
        events.append(FaultEvent(call, time, kind, operation, tables, detail))

    return record
