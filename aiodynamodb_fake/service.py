"""``FakeDynamoDB``: an in-memory DynamoDB that satisfies ``aiodynamodb.transport.Transport``.

Each call runs one operation module from ``operations`` (validate everything, then apply, then
answer) while holding a lock, so a call is atomic on the event loop and across threads.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import DynamoDBError, UnknownOperationException

from .clock import Clock, VirtualClock
from .operations import OPERATIONS
from .state import ServiceState

__all__ = ["FakeDynamoDB"]


class FakeDynamoDB:
    """A fresh, empty DynamoDB service living in this process."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int = 0,
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> None:
        self.state = ServiceState(
            clock=clock or VirtualClock(), region=region, account_id=account_id, rng=random.Random(seed)
        )
        self._lock = threading.RLock()

    @property
    def operations(self) -> frozenset[str]:
        """The action names this fake answers."""
        return frozenset(OPERATIONS)

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Run ``operation`` now, from any thread; raises ``aiodynamodb.errors`` classes."""
        handler = OPERATIONS.get(operation)
        if handler is None:
            raise UnknownOperationException("", operation)
        try:
            with self._lock:
                return handler(self.state, request)
        except DynamoDBError as err:
            raise err.for_operation(operation) from None

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        return self.call_sync(operation, request)

    async def close(self) -> None:
        """Nothing to release; present so the fake satisfies ``Transport``."""

    def _check(self) -> None:
        """Assert every table's invariants (indexes match their tables)."""
        with self._lock:
            for table in self.state.tables.values():
                table.store._check()
