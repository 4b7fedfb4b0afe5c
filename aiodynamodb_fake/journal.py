"""What a fake remembers of its calls: a bounded journal of requests and the faults it injected.

Every call leaves one ``RequestRecord`` (operation, tables, how many write requests or keys it
carried, its outcome, how many came back unprocessed); every injected fault one ``FaultEvent``
naming the call it hit. Both are bounded deques, so a fake serving a long test run keeps constant
memory; ``str()`` of either is one line, for failure reports.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FaultEvent", "Journal", "RequestRecord", "request_shape"]

MAX_RECORDS = 1000
MAX_EVENTS = 10_000


@dataclass(frozen=True, slots=True)
class RequestRecord:
    call: int  # 1 for the fake's first call
    time: float  # the fake's clock when the call was made
    operation: str
    tables: tuple[str, ...]
    requests: int  # write requests / keys in a batch; 1 for a single-item call; 0 for table calls
    outcome: str  # "OK", or the error code the call answered with
    unprocessed: int = 0

    def __str__(self) -> str:
        left = f", {self.unprocessed} unprocessed" if self.unprocessed else ""
        tables = ",".join(self.tables) or "-"
        head = f"#{self.call} t={self.time:.3f} {self.operation} [{tables}]"
        return f"{head} x{self.requests}: {self.outcome}{left}"


@dataclass(frozen=True, slots=True)
class FaultEvent:
    call: int
    time: float
    kind: str  # "throttle", "fail", "unprocess", "capacity"
    operation: str
    tables: tuple[str, ...]
    detail: str

    def __str__(self) -> str:
        tables = ",".join(self.tables) or "-"
        return f"#{self.call} t={self.time:.3f} {self.kind} {self.operation} [{tables}]: {self.detail}"


class Journal:
    """The last ``MAX_RECORDS`` requests and ``MAX_EVENTS`` fault events, oldest first."""

    __slots__ = ("calls", "events", "records")

    def __init__(self) -> None:
        self.calls = 0
        self.records: deque[RequestRecord] = deque(maxlen=MAX_RECORDS)
        self.events: deque[FaultEvent] = deque(maxlen=MAX_EVENTS)


# What a record keeps of the names a request gives: a table name is at most 255 characters in a
# valid request (an ARN a little more) and a batch names at most 100 tables; a rejected request may
# carry megabytes of names, and the journal must not keep them for its next thousand calls.
MAX_NAME_CHARS = 1024
MAX_NAMES = 100
MAX_ACTIONS_READ = 1000  # a transaction has at most 100 actions; a hostile list is not walked whole


def _kept(name: str) -> str:
    return name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS] + "..."


def request_shape(request: Any) -> tuple[tuple[str, ...], int]:
    """The tables a raw request names (bounded, see ``MAX_NAMES``) and how many write requests /
    keys it carries.

    Read before validation (a rejected request is journaled too), so nothing here trusts the shape.
    """
    if not isinstance(request, Mapping):
        return (), 0
    name = request.get("TableName")
    if isinstance(name, str):
        return (_kept(name),), int("Key" in request or "Item" in request)
    actions = request.get("TransactItems")
    if isinstance(actions, list | tuple):
        return _transaction_tables(actions), len(actions)
    items = request.get("RequestItems")
    if not isinstance(items, Mapping):
        return (), 0
    count = 0
    for entry in items.values():
        if isinstance(entry, list | tuple):
            count += len(entry)
        elif isinstance(entry, Mapping) and isinstance(entry.get("Keys"), list | tuple):
            count += len(entry["Keys"])
    names = (_kept(name) for name in items if isinstance(name, str))
    return tuple(itertools.islice(names, MAX_NAMES)), count


def _transaction_tables(actions: list[Any] | tuple[Any, ...]) -> tuple[str, ...]:
    """The distinct tables a transaction's actions name, in order (each action: ``{"Put": {...}}``)."""
    names: dict[str, None] = {}
    for action in itertools.islice(actions, MAX_ACTIONS_READ):
        if isinstance(action, Mapping):
            for body in itertools.islice(action.values(), 4):
                name = body.get("TableName") if isinstance(body, Mapping) else None
                if isinstance(name, str):
                    names.setdefault(_kept(name), None)
        if len(names) >= MAX_NAMES:
            break
    return tuple(names)


def count_unprocessed(response: Mapping[str, Any]) -> int:
    """Write requests or keys a batch response hands back."""
    items = response.get("UnprocessedItems")
    if items:
        return sum(len(requests) for requests in items.values())
    keys = response.get("UnprocessedKeys")
    if keys:
        return sum(len(entry.get("Keys", ())) for entry in keys.values())
    return 0
