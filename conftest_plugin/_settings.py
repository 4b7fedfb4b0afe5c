"""The plugin's settings, read once per run from the command line and the ini file, and per-test seeds.

Options win over ini keys of the same name (``--ddb-throttle`` / ``ddb_throttle``...). A test's
seed is derived from the suite seed and the test's node id with a stable hash (never Python's
salted ``hash()``), so it does not depend on which tests ran before it, nor on the worker that runs
it under pytest-xdist: the test alone, with the same options, sees the same faults.
"""

from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass

import pytest

__all__ = ["DEFAULT_SEED", "SETTINGS", "Settings", "derive_seed", "read_settings"]

DEFAULT_SEED = 0

THROTTLE_HELP = (
    "run the suite under chaos: every FakeDynamoDB it creates (the ddb/ddb_fake fixtures, mock_dynamodb, "
    "a bare FakeDynamoDB()) leaves each batch item or key unprocessed, and throttles single-item calls, "
    "with probability RATE (0..1)"
)
SEED_HELP = (
    f"suite seed (default {DEFAULT_SEED}); each test's fake seed is derived from it and the test id, so a "
    "failure reproduces when the test runs alone with the same options"
)
CAPACITY_HELP = (
    "every FakeDynamoDB the suite creates enforces the capacity model (provisioned tables throttle when "
    "their token buckets run dry)"
)
ENDPOINT_HELP = (
    "run the ddb fixture's tests against this DynamoDB endpoint (DynamoDB Local, DynamoDB, or "
    "`aiodynamodb-fake serve`); tests that need the fake's controls are skipped"
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What this run asked for. ``chaos`` is true when any chaos option was given: only then does
    the plugin touch fakes it did not create itself."""

    seed: int = DEFAULT_SEED
    throttle: float | None = None
    seed_given: bool = False
    capacity: bool = False
    endpoint: str | None = None

    @property
    def chaos(self) -> bool:
        return self.throttle is not None or self.seed_given or self.capacity

    def flags(self) -> list[str]:
        """The command-line flags that recreate this run's chaos (empty when there is none)."""
        flags = []
        if self.seed_given:
            flags.append(f"--ddb-seed={self.seed}")
        if self.throttle is not None:
            flags.append(f"--ddb-throttle={self.throttle!r}")
        if self.capacity:
            flags.append("--ddb-capacity")
        return flags

    def reproduce(self, nodeid: str) -> str:
        """The command that runs one test alone under this run's options."""
        return shlex.join(["pytest", nodeid, *self.flags()])

    def header(self) -> str:
        seed = f"--ddb-seed={self.seed}" if self.seed_given else f"seed {self.seed} (default)"
        parts = [f"aiodynamodb: {seed}"]
        if self.throttle is not None:
            parts.append(f"--ddb-throttle={self.throttle!r}")
        if self.capacity:
            parts.append("--ddb-capacity")
        if self.endpoint is not None:
            parts.append(f"--ddb-endpoint={self.endpoint}")
        return ", ".join(parts)


SETTINGS = pytest.StashKey[Settings]()


def derive_seed(suite_seed: int, nodeid: str) -> int:
    """A 32-bit seed for one test, the same in every process and every run."""
    digest = hashlib.sha256(f"{suite_seed}\x00{nodeid}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _value(config: pytest.Config, option: str, ini: str) -> str | None:
    given = config.getoption(option)
    if given is not None:
        return str(given)
    from_ini = str(config.getini(ini) or "").strip()
    return from_ini or None


def read_settings(config: pytest.Config) -> Settings:
    """Settings from the options and ini keys; a bad value is a usage error naming the option."""
    throttle_text = _value(config, "--ddb-throttle", "ddb_throttle")
    seed_text = _value(config, "--ddb-seed", "ddb_seed")
    endpoint = _value(config, "--ddb-endpoint", "ddb_endpoint")
    throttle: float | None = None
    if throttle_text is not None:
        try:
            throttle = float(throttle_text)
        except ValueError:
            throttle = -1.0
        if not 0.0 <= throttle <= 1.0:
            raise pytest.UsageError(f"--ddb-throttle must be a number from 0 to 1, got {throttle_text!r}")
    seed = DEFAULT_SEED
    if seed_text is not None:
        try:
            seed = int(seed_text)
        except ValueError:
            raise pytest.UsageError(f"--ddb-seed must be an integer, got {seed_text!r}") from None
    capacity = bool(config.getoption("--ddb-capacity")) or bool(config.getini("ddb_capacity"))
    return Settings(
        seed=seed, throttle=throttle, seed_given=seed_text is not None, capacity=capacity, endpoint=endpoint
    )


def add_options(parser: pytest.Parser) -> None:
    """``--ddb-*`` options and their ini keys (same names, snake_case)."""
    group = parser.getgroup("aiodynamodb", "aiodynamodb fake DynamoDB")
    group.addoption("--ddb-throttle", dest="ddb_throttle", metavar="RATE", default=None, help=THROTTLE_HELP)
    group.addoption("--ddb-seed", dest="ddb_seed", metavar="N", default=None, help=SEED_HELP)
    group.addoption(
        "--ddb-capacity", dest="ddb_capacity", action="store_true", default=False, help=CAPACITY_HELP
    )
    group.addoption("--ddb-endpoint", dest="ddb_endpoint", metavar="URL", default=None, help=ENDPOINT_HELP)
    parser.addini("ddb_throttle", "default for --ddb-throttle (RATE)", default="")
    parser.addini("ddb_seed", "default for --ddb-seed (N)", default="")
    parser.addini("ddb_capacity", "default for --ddb-capacity", type="bool", default=False)
    parser.addini("ddb_endpoint", "default for --ddb-endpoint (URL)", default="")
