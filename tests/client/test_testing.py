"""``mock_dynamodb`` and ``policy_for_fake``: the client backs off on the fake's clock with seeded jitter.

A throttled test must spend no wall time and wait the same on every run, so the client's policy
sleeps on the fake's ``VirtualClock`` and draws from ``random.Random(fake.seed)``; only what the user
left at its default is replaced. The throttling is the fake's own (``fake.throttle`` scoped to
``PutItem``), and the sends are counted on its journal.
"""

from __future__ import annotations

import random

import pytest

from aiodynamodb import RetryPolicy
from aiodynamodb.errors import ThrottlingException
from aiodynamodb.retry import AsyncioClock
from aiodynamodb.testing import mock_dynamodb, policy_for_fake
from aiodynamodb_fake import FakeDynamoDB

from .conftest import RecordingClock, User, calm_fake


def puts(fake: FakeDynamoDB) -> list[str]:
    """The outcome of every PutItem the fake was sent, oldest first."""
    return [record.outcome for record in fake.requests if record.operation == "PutItem"]


async def virtual_wait_of_ten_backoffs(seed: int) -> float:
    fake = calm_fake(seed)
    async with mock_dynamodb(User, fake=fake, retry=RetryPolicy(max_attempts=11)) as db:
        # Checked first so that, were the policy on real time, the test fails instead of sleeping.
        assert isinstance(db.retry, RetryPolicy) and db.retry.clock is fake.clock
        fake.throttle(1.0, operations="PutItem", times=10)
        start = fake.clock.now()
        await db.put(User(user_id="a", name="A"))
        assert puts(fake) == ["ThrottlingException"] * 10 + ["OK"]
        assert await db.get(User, hash_key="a") == User(user_id="a", name="A")
        fake.assert_faults_consumed()
        return fake.clock.now() - start


async def test_ten_backoffs_pass_on_the_fakes_clock_and_wait_the_same_on_every_run() -> None:
    waited = await virtual_wait_of_ten_backoffs(seed=5)
    jitter = random.Random(5).random
    expected = RetryPolicy(max_attempts=11, random=jitter)
    assert waited == pytest.approx(sum(expected.delay(n) for n in range(1, 11)))
    assert waited > 5  # seconds the test would have slept on real time
    assert await virtual_wait_of_ten_backoffs(seed=5) == waited
    assert await virtual_wait_of_ten_backoffs(seed=6) != waited


async def test_without_a_policy_the_client_gets_a_default_one_on_the_fakes_clock_and_seed() -> None:
    fake = FakeDynamoDB(seed=42)
    async with mock_dynamodb(User, fake=fake) as db:
        policy = db.retry
        assert isinstance(policy, RetryPolicy) and policy == RetryPolicy()
        assert policy.clock is fake.clock
        draws = random.Random(42)
        assert [policy.random() for _ in range(3)] == [draws.random() for _ in range(3)]


def test_a_users_own_clock_and_random_are_kept() -> None:
    fake = FakeDynamoDB(seed=1)
    own_clock, own_random = RecordingClock(), random.Random(9).random
    mine = RetryPolicy(max_attempts=3, clock=own_clock, random=own_random)
    assert policy_for_fake(fake, mine) is mine
    clock_only = policy_for_fake(fake, RetryPolicy(max_attempts=3, clock=own_clock))
    assert clock_only is not None and clock_only.clock is own_clock and clock_only.random is not random.random
    random_only = policy_for_fake(fake, RetryPolicy(max_attempts=3, random=own_random))
    assert random_only is not None and random_only.clock is fake.clock and random_only.random is own_random
    assert random_only.max_attempts == 3


def test_a_subclassed_real_clock_counts_as_the_users_own() -> None:
    class LoggedClock(AsyncioClock):
        pass

    clock = LoggedClock()
    policy = policy_for_fake(FakeDynamoDB(), RetryPolicy(clock=clock))
    assert policy is not None and policy.clock is clock


async def test_retry_none_still_sends_once() -> None:
    fake = calm_fake()
    async with mock_dynamodb(User, fake=fake, retry=None) as db:
        assert db.retry is None
        fake.throttle(1.0, operations="PutItem", times=2)
        with pytest.raises(ThrottlingException):
            await db.put(User(user_id="a", name="A"))
        assert puts(fake) == ["ThrottlingException"]
        assert fake.item_count("users") == 0


def test_policy_for_fake_rejects_what_is_not_a_policy() -> None:
    with pytest.raises(TypeError, match="retry must be a RetryPolicy or None"):
        policy_for_fake(FakeDynamoDB(), 3)  # type: ignore[arg-type]  # the wrong type is the point


async def test_a_client_put_straight_on_a_fake_backs_off_on_its_clock_too() -> None:
    from aiodynamodb import BatchPut, DynamoDB

    fake = calm_fake(9)
    db = DynamoDB(transport=fake)  # no mock_dynamodb, no policy_for_fake
    assert isinstance(db.retry, RetryPolicy) and db.retry.clock is fake.clock
    await db.create_table(User)
    fake.throttle(1.0, operations="BatchWriteItem", times=3)
    start = fake.clock.now()
    result = await db.batch_write([BatchPut(User(user_id="a", name="A"))], retry=RetryPolicy(max_attempts=4))
    assert result.unprocessed == [] and fake.item_count("users") == 1
    expected = RetryPolicy(random=random.Random(9).random)
    assert fake.clock.now() - start == pytest.approx(sum(expected.delay(n) for n in range(1, 4)))


async def test_a_transport_without_a_clock_keeps_the_real_one() -> None:
    from aiodynamodb import DynamoDB

    class Plain:
        async def call(self, operation: str, request: object) -> dict[str, object]:
            return {}

        async def close(self) -> None:
            pass

    db = DynamoDB(transport=Plain())
    assert isinstance(db.retry, RetryPolicy) and type(db.retry.clock) is AsyncioClock
