"""The capacity model (opt-in: ``FakeDynamoDB(capacity=True)``): which units DynamoDB would refuse
for want of capacity, and what the units it serves consume.

Token buckets (``buckets.Bucket``) refilled on the fake's clock, continuously:

- A PROVISIONED table has a read and a write bucket filling at its RCU / WCU a second, and each GSI
  a pair at its own. A bucket keeps up to 300 seconds of unused capacity (burst capacity). Burst is
  built from capacity left unused, and a new table has left none yet, so a table's buckets hold one
  second's worth when it is created and accrue from then on. Over: ``ProvisionedThroughputExceeded``
  (with ``index=`` the GSI when a GSI ran out, which answers with the GSI message).
- An on-demand table created with ``OnDemandThroughput`` maxima (the table's, or a GSI's) has a
  bucket per maximum set, filling at the maximum a second and holding one second's worth: a
  per-second limit, no burst. Over: ``MaxOnDemandThroughputExceeded``. -1 or no member: no maximum.
  Without maxima an on-demand table is limited only per partition.
- Every table has, per hash key value, a write bucket of 1,000 WCU a second and a read bucket of
  3,000 RCU a second (partition-level throttling is independent for reads and writes), each
  holding one second's worth: burst capacity cannot lift a partition's limit. Over:
  ``KeyRangeThroughputExceeded``.

A unit draws on its table's bucket, on the bucket of each GSI its write changes, and on its
partition's, checked in that order; it is served when all of them hold tokens (the debit rule is
in ``buckets``), and then each is debited its cost. A unit that does not fit is refused with the
first empty bucket's reason and consumes nothing; later units that fit are still served, as
DynamoDB serves what it can of a batch. Costs follow ``capacity``: a write costs the larger of the
new and the stored item's units (a delete: the stored item's, or 1) plus its LSI entries' on the
table, and each GSI what its entry change costs; a read costs ``read_units`` of the stored item,
and a Query or Scan what its read cost (``Unit.read_cost``), drawn from the GSI's bucket instead of
the table's when it read a GSI, and from no partition bucket when it read more than one partition.
Units the fault plan already left unprocessed cost nothing. A write refused by its condition costs
its table what the write would have (the larger of the new item and the stored one, at least one
unit) and no index anything, as none is written ("If a ConditionExpression evaluates to false ...
DynamoDB still consumes write capacity": the Developer Guide's WorkingWithItems and
read-write-operations pages); it is admitted or throttled like any write, before its condition.
Not modelled: partitions holding several hash keys (and a table's throughput split among them),
adaptive capacity, the key-range limits of GSI partitions, the per-table account quota (40,000
units a second), the on-demand "twice the previous peak" ramp, and BatchGetItem keys its 16 MB
answer cap leaves unprocessed after they were charged (they are charged anyway).
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode-max-throughput.html
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .buckets import Bucket
from .capacity import planned_write_units, read_units
from .operations._contract import Unit
from .state import ServiceState, Table
from .throttling import ThrottleReason

__all__ = [
    "BURST_SECONDS",
    "INITIAL_SECONDS",
    "PARTITION_READ_UNITS",
    "PARTITION_WRITE_UNITS",
    "CapacityModel",
]

BURST_SECONDS = 300.0  # unused capacity a provisioned bucket keeps
INITIAL_SECONDS = 1.0  # what a new table's provisioned buckets start with, in seconds of capacity
PARTITION_WRITE_UNITS = 1000.0  # per hash key value and second
PARTITION_READ_UNITS = 3000.0
_PRUNE_FROM = 4096  # partition buckets kept before idle (full) ones are dropped

# One draw of a unit: the bucket, what serving the unit takes from it, and why it is refused if empty
_Draw = tuple[Bucket, float, ThrottleReason]


class _TableCapacity:
    """One table's buckets: table and GSI buckets made on first use, partition buckets by hash key."""

    __slots__ = ("_limits", "partitions", "prune_at", "table")

    def __init__(self, table: Table) -> None:
        self.table = table
        self._limits: dict[tuple[str | None, bool], Bucket | None] = {}
        self.partitions: dict[tuple[bool, Any], Bucket] = {}
        self.prune_at = _PRUNE_FROM

    def limit(self, index: str | None, write: bool) -> Bucket | None:
        """The bucket of the table (``index`` None) or of one GSI, for writes or reads; None: unlimited."""
        if (index, write) not in self._limits:
            self._limits[(index, write)] = self._make(index, write)
        return self._limits[(index, write)]

    def _make(self, index: str | None, write: bool) -> Bucket | None:
        schema = self.table.schema
        owner = schema if index is None else schema.index(index)
        if owner is None:
            return None
        if schema.billing_mode == "PROVISIONED":
            throughput = owner.throughput
            if throughput is None:
                return None
            rate = float(throughput.write_capacity_units if write else throughput.read_capacity_units)
            return Bucket(rate, rate * BURST_SECONDS, rate * INITIAL_SECONDS, schema.created_at)
        maximum = None if owner.on_demand is None else owner.on_demand.maximum(write)
        if maximum is None:
            return None
        return Bucket(float(maximum), float(maximum), float(maximum), schema.created_at)

    def partition(self, hash_value: Any, write: bool, now: float) -> Bucket:
        """The bucket of one hash key value: full when first used (an idle partition is)."""
        bucket = self.partitions.get((write, hash_value))
        if bucket is None:
            if len(self.partitions) >= self.prune_at:
                self._prune(now)
            rate = PARTITION_WRITE_UNITS if write else PARTITION_READ_UNITS
            bucket = self.partitions[(write, hash_value)] = Bucket(rate, rate, rate, now)
        return bucket

    def _prune(self, now: float) -> None:
        """Drop full partition buckets (made again full, they are the same). Amortised O(1)."""
        self.partitions = {key: b for key, b in self.partitions.items() if not b.full(now)}
        self.prune_at = max(_PRUNE_FROM, 2 * len(self.partitions))


class CapacityModel:
    """Every table's buckets, and the choice of which units of a call its capacity serves."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self._tables: dict[str, _TableCapacity] = {}  # by table name

    def choose(
        self, now: float, write: bool, units: Sequence[Unit], skip: frozenset[int]
    ) -> dict[int, ThrottleReason]:
        """Units (by position) not served at time ``now``; ``skip`` are already left unprocessed.

        ``write`` says whether the call writes (each unit says so too). Served units consume their
        capacity; refused ones consume nothing. O(units x indexes x log n).
        """
        refused: dict[int, ThrottleReason] = {}
        for unit in units:
            if unit.position in skip:
                continue
            draws = self._draws(unit, now)
            for bucket, _, reason in draws:
                if not bucket.available(now):
                    refused[unit.position] = reason
                    break
            else:
                for bucket, cost, _ in draws:
                    bucket.take(cost)
        return refused

    def _capacity(self, table: Table) -> _TableCapacity:
        """``table``'s buckets; a table deleted and made again under its name starts afresh."""
        capacity = self._tables.get(table.schema.name)
        if capacity is None or capacity.table is not table:
            capacity = self._tables[table.schema.name] = _TableCapacity(table)
        return capacity

    def _draws(self, unit: Unit, now: float) -> list[_Draw]:
        """Every bucket ``unit`` draws on, in check order: table, GSIs, partition."""
        table = unit.table
        capacity = self._capacity(table)
        write = unit.write
        global_units: dict[str, int] = {}
        if write:
            units, global_units = planned_write_units(
                table.store, unit.key, unit.item, unit.size, applies=unit.applies
            )
            cost = float(units * unit.write_factor)  # index writes are charged once, as the ledger does
        elif unit.read_cost is not None:  # a Query or Scan, priced by the bytes it read
            cost = unit.read_cost
        else:
            stored = table.store.lookup(unit.key)
            cost = read_units(None if stored is None else stored.size, unit.consistent)
        limit = (
            "ProvisionedThroughputExceeded"
            if table.schema.billing_mode == "PROVISIONED"
            else "MaxOnDemandThroughputExceeded"
        )
        draws: list[_Draw] = []
        # a read of a GSI draws on the GSI's capacity, not the table's
        bucket = capacity.limit(None if write else unit.index, write)
        if bucket is not None:
            draws.append((bucket, cost, ThrottleReason(table, write, limit, None if write else unit.index)))
        for index, index_units in global_units.items():
            bucket = capacity.limit(index, write)
            if bucket is not None:
                draws.append((bucket, float(index_units), ThrottleReason(table, write, limit, index)))
        if unit.key[0] is not None:  # a Scan or GSI query is not confined to one of the table's partitions
            partition = capacity.partition(unit.key[0], write, now)
            draws.append((partition, cost, ThrottleReason(table, write, "KeyRangeThroughputExceeded")))
        return draws
