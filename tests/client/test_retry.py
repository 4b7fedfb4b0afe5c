"""``RetryPolicy``: full-jitter delays within bounds, and resending only the errors worth resending."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import ConditionalCheckFailedException, ThrottlingException
from aiodynamodb.retry import RetryPolicy, send_with_retry

from .conftest import RecordingClock, ScriptedTransport


@settings(max_examples=300, derandomize=True)
@given(
    retry=st.integers(1, 200),
    base=st.floats(0, 10),
    cap=st.floats(0, 100),
    seed=st.integers(0, 2**32),
)
def test_delays_are_full_jitter_below_the_exponential_ceiling(
    retry: int, base: float, cap: float, seed: int
) -> None:
    policy = RetryPolicy(base_delay=base, max_delay=cap, random=random.Random(seed).random)
    assert 0 <= policy.delay(retry) <= min(cap, base * 2.0 ** (retry - 1))


def test_max_delay_bounds_late_retries() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=3, random=lambda: 0.999)
    assert [round(policy.delay(n), 3) for n in (1, 2, 3, 10)] == [0.999, 1.998, 2.997, 2.997]


def test_invalid_policies_are_rejected() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base_delay=-1)


async def test_throttling_is_resent_until_attempts_run_out() -> None:
    clock = RecordingClock()
    transport = ScriptedTransport()
    transport.errors = [ThrottlingException("x", "PutItem") for _ in range(3)]
    policy = RetryPolicy(max_attempts=3, clock=clock, random=lambda: 0.5)
    with pytest.raises(ThrottlingException):
        await send_with_retry(transport, "BatchWriteItem", {"RequestItems": {}}, policy)
    assert len(transport.calls) == 3 and clock.sleeps == [0.025, 0.05]


async def test_errors_not_worth_resending_are_raised_at_once() -> None:
    transport = ScriptedTransport()
    transport.errors = [ConditionalCheckFailedException("no", "PutItem")]
    with pytest.raises(ConditionalCheckFailedException):
        await send_with_retry(transport, "PutItem", {}, RetryPolicy(clock=RecordingClock()))
    assert len(transport.calls) == 1
