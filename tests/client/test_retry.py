"""``RetryPolicy``: full-jitter delays within bounds, and resending only the errors worth resending."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import ConditionalCheckFailedException, ThrottlingException
from aiodynamodb.retry import RetryPolicy, send_with_retry

from .conftest import calm_fake, waits


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
    fake = calm_fake()
    fake.fail("BatchWriteItem", ThrottlingException, times=3)
    start = fake.clock.now()
    policy = RetryPolicy(max_attempts=3, clock=fake.clock, random=lambda: 0.5)
    with pytest.raises(ThrottlingException):
        await send_with_retry(fake, "BatchWriteItem", {"RequestItems": {}}, policy)
    assert [r.outcome for r in fake.requests] == ["ThrottlingException"] * 3
    assert waits(fake, "BatchWriteItem") == pytest.approx([0.025, 0.05], abs=1e-6)
    assert fake.clock.now() - start == pytest.approx(0.075, abs=1e-6)  # no wait after the last send
    fake.assert_faults_consumed()


async def test_errors_not_worth_resending_are_raised_at_once() -> None:
    fake = calm_fake()
    fake.fail("PutItem", ConditionalCheckFailedException, times=2)
    start = fake.clock.now()
    with pytest.raises(ConditionalCheckFailedException):
        await send_with_retry(fake, "PutItem", {}, RetryPolicy(clock=fake.clock))
    assert [r.outcome for r in fake.requests] == ["ConditionalCheckFailedException"]
    assert fake.clock.now() == start
