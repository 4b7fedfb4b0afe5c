"""What every operation module provides: ``parse -> plan -> apply``, and the units chaos may throttle.

The service runs one pipeline for every call (``aiodynamodb_fake.service``): ``parse`` checks the
request alone (no state read) and returns a frozen request; ``plan`` reads state (tables, keys,
sizes) and may raise, but changes nothing; ``apply`` changes state and answers, and cannot fail. In
between, the fault plan and the capacity model look at ``units(plan)`` (one per write request or key)
and may leave some unprocessed (``leave_unprocessed``, batch operations only) or throttle the call.

A write whose condition fails is refused only once it is admitted, as in DynamoDB, where it still
consumes write capacity: its plan carries the error as ``refused`` (its units say ``applies=False``),
and the service raises it after the throttling decision, in place of ``apply`` (``raise_refusal``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ..keys import KeyValues
from ..state import ServiceState, Table
from ..storage import Item

__all__ = ["Access", "BatchOperation", "Operation", "Unit", "raise_refusal"]

# What an operation does to tables: nothing chaos may touch (control plane), reads or writes.
Access = Literal["control", "read", "write"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One write request or key of a call: what may be throttled, and what it would cost.

    ``position`` is its index in request order across the whole call; ``item`` is the new item of a
    put (None for deletes and reads), ``size`` its size. ``consistent`` matters for reads only.
    A Query or Scan is one unit for the whole call: ``read_cost`` is what its read already cost
    (priced from the bytes it read, not from the item under ``key``), ``index`` the GSI it read
    (its capacity, not the table's, is drawn on), and a ``key`` of ``(None, None)`` says the read
    is not confined to one partition of the table (a Scan, a GSI query). ``write_factor`` multiplies a
    write's table units: 2 for a transaction's writes, which cost twice. ``applies`` False: a write
    whose condition failed, which costs the table what the write would have (the larger of the new
    item, when known, and the stored one; at least one unit) and no index anything.
    """

    position: int
    table_name: str  # as the request named it (a name or an ARN)
    table: Table
    key: KeyValues
    write: bool
    item: Item | None = None
    size: int = 0
    consistent: bool = False
    read_cost: float | None = None
    index: str | None = None
    write_factor: int = 1
    applies: bool = True  # False: a write refused by its condition, charged but changing nothing


class Operation(Protocol):
    """An operation module (``operations/put_item.py``...), as the service pipeline sees it."""

    ACCESS: Access

    def parse(self, request: Mapping[str, Any]) -> Any: ...

    def plan(self, state: ServiceState, parsed: Any) -> Any: ...

    def apply(self, state: ServiceState, plan: Any) -> dict[str, Any]: ...

    def units(self, plan: Any) -> Sequence[Unit]: ...


class BatchOperation(Operation, Protocol):
    """A batch operation can also leave some of its units unprocessed and apply the rest."""

    def leave_unprocessed(self, plan: Any, positions: frozenset[int]) -> Any: ...


def raise_refusal(planned: Any) -> None:
    """Raise the error a plan was refused with after admission (a failed condition), if any."""
    refused = getattr(planned, "refused", None)
    if refused is not None:
        raise refused
