"""``FakeDynamoDB``: an in-memory DynamoDB that satisfies ``aiodynamodb.transport.Transport``.

Every call runs one fixed pipeline while holding a lock (so it is atomic on the event loop and
across threads): injected faults -> parse -> plan -> choose unprocessed -> apply -> answer, and
leaves a record in a bounded journal. Parse and plan may raise and change nothing; apply cannot
fail. Throttling is decided after plan, because DynamoDB validates a request (and finds its
tables) before it looks at capacity: a malformed request is rejected, never throttled.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aiodynamodb.errors import (
    DynamoDBError,
    ResourceNotFoundException,
    SerializationException,
    UnknownOperationException,
)

from . import suite
from .capacity_model import CapacityModel
from .chaos import FaultHandle, FaultPlan, event_maker
from .clock import Clock, VirtualClock
from .journal import FaultEvent, Journal, RequestRecord, count_unprocessed, request_shape
from .operations import OPERATIONS
from .operations._contract import BatchOperation, Operation, Unit, raise_refusal
from .state import ServiceState, Table, TokenStore
from .storage import Item
from .throttling import ThrottleReason, throttle_error

if TYPE_CHECKING:
    from .interception import Patch

__all__ = ["FakeDynamoDB"]

# A transaction module's ``cancel(plan, chosen, conflicts)``: its error for the chosen actions.
TransactionCancel = Callable[[Any, Mapping[int, ThrottleReason], frozenset[int]], DynamoDBError]


class FakeDynamoDB:
    """A fresh, empty DynamoDB service living in this process.

    ``seed`` seeds table ids and the fault plan (None: the suite's seed under the pytest plugin's
    chaos options, else 0); ``capacity`` turns on the capacity model (None: the suite's setting).
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        capacity: bool | None = None,
    ) -> None:
        chaos = suite.suite_chaos()
        if seed is None:
            seed = chaos.seed if chaos is not None and chaos.seed is not None else 0
        self._seed = seed
        self.state = ServiceState(
            clock=clock or VirtualClock(), region=region, account_id=account_id, rng=random.Random(seed)
        )
        self._lock = threading.RLock()
        self._faults = FaultPlan(seed)
        self._journal = Journal()
        if capacity is None:
            capacity = chaos is not None and chaos.capacity
        self._model = CapacityModel(self.state) if capacity else None
        if chaos is not None and chaos.throttle > 0:
            self.throttle(chaos.throttle)
        suite.fake_created(self)

    # --- what the fake is ---------------------------------------------------------------------

    @property
    def operations(self) -> frozenset[str]:
        """The action names this fake answers."""
        return frozenset(OPERATIONS)

    @property
    def capacity(self) -> bool:
        """Whether the capacity model is on (fixed at creation: ``FakeDynamoDB(capacity=True)``)."""
        return self._model is not None

    @property
    def clock(self) -> Clock:
        return self.state.clock

    @property
    def seed(self) -> int:
        """The seed of this fake's table ids and fault plan: pass it back to reproduce a run."""
        return self._seed

    # --- the pipeline -------------------------------------------------------------------------

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Run ``operation`` now, from any thread; raises ``aiodynamodb.errors`` classes."""
        module = OPERATIONS.get(operation) if isinstance(operation, str) else None
        if module is None:
            raise UnknownOperationException("", str(operation))
        if not isinstance(request, Mapping):
            # what DynamoDB answers (and the server sends) for a JSON body that is not an object
            raise SerializationException("", operation)
        with self._lock:
            journal = self._journal
            journal.calls += 1
            now = self.state.clock.now()
            tables, size = request_shape(request)
            try:
                faults = self._faults
                if faults.idle and self._model is None:  # the common case: nothing to inject
                    planned = module.plan(self.state, module.parse(request))
                else:
                    event = event_maker(journal.events, journal.calls, now, operation, tables)
                    faults.inject(operation, tables, event)
                    planned = module.plan(self.state, module.parse(request))
                    if module.ACCESS != "control":
                        planned = self._choose_unprocessed(module, planned, operation, tables, now, event)
                raise_refusal(planned)  # a write refused by its condition, once admitted and charged
                response = module.apply(self.state, planned)
            except DynamoDBError as err:
                journal.records.append(RequestRecord(journal.calls, now, operation, tables, size, err.code))
                raise err.for_operation(operation) from None
            journal.records.append(
                RequestRecord(journal.calls, now, operation, tables, size, "OK", count_unprocessed(response))
            )
            return response

    def _choose_unprocessed(
        self,
        module: Operation,
        planned: Any,
        operation: str,
        tables: tuple[str, ...],
        now: float,
        event: Callable[[str, str], None],
    ) -> Any:
        """Step 4: the units the fault plan, then the capacity model, leave unprocessed.

        A call left with nothing to do fails whole, with the first left unit's reason; otherwise
        the plan is narrowed to the units served. A transaction (a module with ``cancel``) is never
        narrowed: any unit chosen cancels it.
        """
        found: list[Sequence[Unit]] = []

        def units() -> Sequence[Unit]:
            if not found:
                found.append(module.units(planned))
            return found[0]

        conflicts: set[int] = set()
        chosen = self._faults.choose(operation, module.ACCESS, tables, units, event, conflicts)
        if self._model is not None:
            refused = self._model.choose(now, module.ACCESS == "write", units(), frozenset(chosen))
            if refused:
                event("capacity", f"{len(refused)} of {len(units())} requests over capacity")
                chosen.update(refused)
        if not chosen:
            return planned
        cancel: TransactionCancel | None = getattr(module, "cancel", None)
        if cancel is not None:  # a transaction: cancelled whole, each chosen action saying why
            raise cancel(planned, chosen, frozenset(conflicts))
        if len(chosen) == len(units()):
            raise throttle_error(chosen[min(chosen)])
        batch: BatchOperation = module  # type: ignore[assignment]  # single-item calls have one unit
        return batch.leave_unprocessed(planned, frozenset(chosen))

    def patch(self) -> Patch:
        """Route every boto3 / aioboto3 DynamoDB client (made before or inside it) to this fake, in
        process, while entered: ``with fake.patch():`` or ``async with fake.patch():``. botocore still
        validates, serializes and parses; its retry waits pass on this fake's clock."""
        from .interception import patch  # imported on use: botocore's machinery is not light

        return patch(self)

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        return self.call_sync(operation, request)

    async def close(self) -> None:
        """Nothing to release; present so the fake satisfies ``Transport``."""

    # --- faults -------------------------------------------------------------------------------

    def throttle(
        self,
        rate: float,
        *,
        seed: int | None = None,
        tables: Iterable[str] | str | None = None,
        operations: Iterable[str] | str | None = None,
        after: int = 0,
        times: int | None = None,
    ) -> FaultHandle:
        """Leave each write request / key of matching data-plane calls unprocessed with probability
        ``rate``; a call left with nothing fails as DynamoDB fails it (single-item calls fail whole).

        ``after`` skips the first matching calls, ``times`` bounds how many calls are throttled (so
        a client that resends without backoff, like boto3's ``batch_writer``, finishes).
        """
        with self._lock:
            return self._faults.add_throttle(
                rate, seed, operations=self._known(operations), tables=tables, after=after, times=times
            )

    def fail(
        self,
        operation: Iterable[str] | str | None,
        error: str | DynamoDBError | type[DynamoDBError],
        *,
        times: int | None = 1,
        tables: Iterable[str] | str | None = None,
        after: int = 0,
        message: str | None = None,
    ) -> FaultHandle:
        """Fail the next ``times`` matching calls whole with ``error`` (a code, class or instance);
        ``operation`` None matches every operation."""
        with self._lock:
            return self._faults.add_fail(
                error, message, operations=self._known(operation), tables=tables, after=after, times=times
            )

    def unprocess(
        self,
        operation: Iterable[str] | str | None,
        keys: Sequence[Mapping[str, Any]],
        *,
        tables: Iterable[str] | str | None = None,
        times: int = 1,
        after: int = 0,
    ) -> FaultHandle:
        """Leave exactly these keys (``{"pk": {"S": "a"}}``) unprocessed, each ``times`` times.

        A transaction touching one is cancelled whole, that action's reason ``TransactionConflict``.
        """
        with self._lock:
            return self._faults.add_unprocess(
                keys, operations=self._known(operation), tables=tables, after=after, times=times
            )

    def assert_faults_consumed(self) -> None:
        """Raise AssertionError naming every declared fault that has not fired (as often as declared)."""
        with self._lock:
            left = self._faults.unconsumed()
        if left:
            raise AssertionError("faults declared but never fired:\n  " + "\n  ".join(left))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _known(self, operations: Iterable[str] | str | None) -> Iterable[str] | str | None:
        names = (operations,) if isinstance(operations, str) else operations
        for name in names or ():
            if name not in OPERATIONS:
                raise ValueError(f"unknown operation {name!r}; this fake answers {sorted(OPERATIONS)}")
        return operations

    # --- what happened ------------------------------------------------------------------------

    @property
    def events(self) -> list[FaultEvent]:
        """Faults injected so far (the last 10,000), oldest first, each naming the call it hit."""
        with self._lock:
            return list(self._journal.events)

    @property
    def requests(self) -> list[RequestRecord]:
        """The journal: the last 1,000 calls, oldest first."""
        with self._lock:
            return list(self._journal.records)

    # --- restoring state (the server's --data-dir) -------------------------------------------

    def restore(self, operation: str, request: Mapping[str, Any]) -> None:
        """Apply a journaled request as it was applied before: parse -> plan -> apply under the lock,
        past faults, the capacity model and the journal (what was acknowledged is restored whatever
        chaos is on). Raises what the operation raises if it no longer applies."""
        module = OPERATIONS[operation]
        with self._lock:
            planned = module.plan(self.state, module.parse(request))
            raise_refusal(planned)
            module.apply(self.state, planned)

    def drop_tables(self) -> None:
        """Empty the fake of its tables, items and remembered transaction tokens, atomically; its faults,
        journal, clock and seed stay as they are."""
        with self._lock:
            self.state.tables.clear()
            self.state.transaction_tokens = TokenStore()

    # --- inspection ---------------------------------------------------------------------------

    def table_names(self) -> list[str]:
        """Every table's name, sorted."""
        with self._lock:
            return sorted(self.state.tables)

    def items(self, table: str) -> list[Item]:
        """Fresh copies of every item of ``table``, in key order (partitions in hash-key order)."""
        with self._lock:
            return list(self._table(table).store.items_in_key_order())

    def item_count(self, table: str) -> int:
        with self._lock:
            return self._table(table).store.item_count

    def _table(self, name: str) -> Table:
        table = self.state.tables.get(name)
        if table is None:
            raise ResourceNotFoundException(f"Requested resource not found: Table: {name} not found")
        return table

    def _check(self) -> None:
        """Assert every table's invariants (indexes match their tables)."""
        with self._lock:
            for table in self.state.tables.values():
                table.store._check()
