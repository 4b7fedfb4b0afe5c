"""What every end-to-end test shares: an AWS environment no machine setting can steer, the delays
botocore's standard and adaptive retry modes compute, and gates holding the server's decoding."""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.retries import standard

from aiodynamodb_fake import http_body


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No profile, credentials, region, endpoint override or proxy of the machine may steer the SDK,
    and no credential lookup may wait on an instance metadata service."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def standard_delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every delay standard and adaptive modes compute (jittered from the global random; aiobotocore
    uses botocore's backoff)."""
    delays: list[float] = []
    compute = standard.ExponentialBackoff.delay_amount

    def recorded(self: Any, context: Any) -> float:
        delay: float = compute(self, context)
        delays.append(delay)
        return delay

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", recorded)
    return delays


class Gate:
    """Holds a function of the server's (on whatever thread runs it) until the test opens the gate."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.entered = threading.Event()
        self.opened = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        if not self.opened.wait(30):
            raise RuntimeError("the gate was never opened")
        return self.function(*args, **kwargs)


@pytest.fixture
def gate_http_body(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Gate]:
    """``gate_http_body(name)``: ``http_body.<name>`` held in a ``Gate`` for the test."""

    def hold(name: str) -> Gate:
        gate = Gate(getattr(http_body, name))
        monkeypatch.setattr(http_body, name, gate)
        return gate

    return hold


def key_schema(
    hash_key: tuple[str, str] = ("pk", "S"), range_key: tuple[str, str] | None = None
) -> dict[str, Any]:
    """CreateTable's key members for an on-demand table keyed ``hash_key`` (and ``range_key``), each
    ``(name, type)``: ``client.create_table(TableName=name, **key_schema(...))``."""
    keys = [(hash_key, "HASH")] if range_key is None else [(hash_key, "HASH"), (range_key, "RANGE")]
    return {
        "KeySchema": [{"AttributeName": name, "KeyType": kind} for (name, _), kind in keys],
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": type_} for (name, type_), _ in keys
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def on_the_clock(expected: float, now: float, waits: int) -> Any:
    """``pytest.approx(expected)`` as precise as the fake's clock allows: it reads epoch seconds (about
    1.8e9), where floats are ``math.ulp(now)`` (2.4e-7 s) apart, and each of ``waits`` sleeps added to
    it may round by that much; pytest's default tolerance here (1e-6 of ~0.1 s) is finer than the clock."""
    return pytest.approx(expected, abs=waits * math.ulp(now))
