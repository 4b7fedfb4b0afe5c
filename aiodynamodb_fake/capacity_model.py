"""The capacity model (opt-in): what DynamoDB would refuse to serve for want of capacity.

Placeholder interface; see ``CapacityModel.choose``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .operations._contract import Unit
from .state import ServiceState
from .throttling import ThrottleReason

__all__ = ["CapacityModel"]


class CapacityModel:
    def __init__(self, state: ServiceState) -> None:
        self.state = state

    def choose(
        self, now: float, write: bool, units: Sequence[Unit], skip: frozenset[int]
    ) -> dict[int, ThrottleReason]:
        """Units (by position) not served at time ``now``; ``skip`` are already left unprocessed.

        Served units consume their capacity; refused ones consume nothing.
        """
        return {}
