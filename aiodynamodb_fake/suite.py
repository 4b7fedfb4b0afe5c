"""Suite-wide chaos: settings every ``FakeDynamoDB`` created in this process starts with.

The pytest plugin sets them from ``--ddb-throttle``/``--ddb-seed``/``--ddb-capacity`` (with a seed
derived per test), so fakes made by the fixtures, by ``mock_dynamodb`` or bare ``FakeDynamoDB()``
in a user's test all run under the same chaos. Creation hooks let the plugin see every fake a test
made, for its failure report. Nothing here is set unless someone asks: by default a fake is calm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .service import FakeDynamoDB

__all__ = ["SuiteChaos", "add_creation_hook", "fake_created", "set_suite_chaos", "suite_chaos"]


@dataclass(frozen=True, slots=True)
class SuiteChaos:
    """``throttle``: the rate every new fake throttles at (0: none); ``seed``: its fault seed;
    ``capacity``: whether it enforces the capacity model."""

    throttle: float = 0.0
    seed: int | None = None
    capacity: bool = False


_current: SuiteChaos | None = None
_hooks: list[Callable[[FakeDynamoDB], None]] = []


def set_suite_chaos(chaos: SuiteChaos | None) -> None:
    """Set (or with None, clear) the settings new fakes start with."""
    global _current
    _current = chaos


def suite_chaos() -> SuiteChaos | None:
    return _current


def add_creation_hook(hook: Callable[[FakeDynamoDB], None]) -> Callable[[], None]:
    """Call ``hook(fake)`` for every fake created from now on; returns a function that removes it."""
    _hooks.append(hook)

    def remove() -> None:
        if hook in _hooks:
            _hooks.remove(hook)

    return remove


def fake_created(fake: FakeDynamoDB) -> None:
    """Called by ``FakeDynamoDB.__init__``."""
    for hook in list(_hooks):
        hook(fake)
