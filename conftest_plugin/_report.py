"""The "aiodynamodb fake" section of a failed test's report, and the tracking of fakes behind it.

Every fake created while a test runs is remembered for that test (through the fake's creation
hooks), so the report covers the ``ddb_fake`` fixture, ``mock_dynamodb`` and bare ``FakeDynamoDB()``
alike. The hook is installed only once ``aiodynamodb_fake`` has been imported by someone (a test
module, a fixture, the chaos options): a run that never touches the fake never imports it.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pytest

from ._settings import Settings

if TYPE_CHECKING:
    from aiodynamodb_fake import FakeDynamoDB

__all__ = ["SECTION", "Fakes", "Tracker", "describe"]

SECTION = "aiodynamodb fake"
LAST_REQUESTS = 20
LAST_EVENTS = 50
LAST_FAKES = 3  # a hypothesis test makes one per example; the last ones ran the failing example


class Fakes:
    """The fakes one test made: how many, and the last ``LAST_FAKES`` (only those are kept alive,
    so a test making thousands of fakes does not hold them all)."""

    def __init__(self) -> None:
        self.count = 0
        self.recent: deque[tuple[int, Any]] = deque(maxlen=LAST_FAKES)

    def add(self, fake: FakeDynamoDB) -> None:
        if not any(known is fake for _, known in self.recent):
            self.count += 1
            self.recent.append((self.count, fake))


class Tracker:
    """The fakes created during the running test (``current``), fed by one creation hook per run."""

    def __init__(self) -> None:
        self.current: Fakes | None = None
        self._remove: Callable[[], None] | None = None

    def install(self, *, force: bool = False) -> None:
        """Install the creation hook if the fake is loaded (or, with ``force``, load it)."""
        if self._remove is not None or not (force or "aiodynamodb_fake" in sys.modules):
            return
        from aiodynamodb_fake.suite import add_creation_hook

        self._remove = add_creation_hook(self.adopt)

    def uninstall(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None

    def adopt(self, fake: FakeDynamoDB) -> None:
        """Track ``fake`` for the running test (once, even if its creation hook already did)."""
        if self.current is not None:
            self.current.add(fake)


TRACKER = pytest.StashKey[Tracker]()
FAKES = pytest.StashKey[Fakes]()
FIXTURE_FAKE = pytest.StashKey[Any]()
REPORTED = pytest.StashKey[bool]()


def _lines(entries: Sequence[object], last: int, what: str) -> list[str]:
    if not entries:
        return [f"{what}: none"]
    shown = entries[-last:]
    title = (
        f"{what} ({len(entries)})"
        if len(shown) == len(entries)
        else f"{what} (last {last} of {len(entries)})"
    )
    return [f"{title}:", *(f"  {entry}" for entry in shown)]


def _describe_fake(fake: Any, label: str) -> list[str]:
    try:
        lines = [f"{label}: seed {fake.seed}, tables {fake.table_names() or '-'}"]
        lines += _lines(fake.events, LAST_EVENTS, "faults injected")
        lines += _lines(fake.requests, LAST_REQUESTS, "requests")
    except Exception as err:  # a broken fake must not hide the test's own failure
        return [f"{label}: could not be described ({type(err).__name__}: {err})"]
    return lines


def describe(item: pytest.Item, settings: Settings, seed: int, fakes: Fakes) -> str:
    """The report section: how to reproduce, then per fake its seed, faults and last requests."""
    origin = "--ddb-seed" if settings.seed_given else "the default suite seed"
    lines = [
        f"test seed: {seed} (from {origin} {settings.seed} and this test's id)",
        f"reproduce: {settings.reproduce(item.nodeid)}",
    ]
    fixture_fake = item.stash.get(FIXTURE_FAKE, None)
    shown = list(fakes.recent)
    if fixture_fake is not None and not any(fake is fixture_fake for _, fake in shown):
        lines += _describe_fake(fixture_fake, "ddb_fake")
    if shown and shown[0][0] > 1:
        lines.append(f"fakes 1 to {shown[0][0] - 1} of {fakes.count} not shown")
    for number, fake in shown:
        label = f"fake {number} of {fakes.count}" if fakes.count > 1 else "fake"
        if fake is fixture_fake:
            label += " (ddb_fake)"
        lines += _describe_fake(fake, label)
    return "\n".join(lines)
