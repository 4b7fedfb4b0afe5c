"""Batches under faults: throttling never loses work, other errors carry what was done, ``retry=None``.

A chunk whose attempts run out (items left unprocessed, or the whole call throttled) is reported in
``result.unprocessed`` and the batch goes on; an error worth no resend stops the batch and carries
``partial_result``, whose ``unprocessed`` resumes it. All on the fake with its own faults declared
(``throttle``, ``fail``, ``unprocess``), checked against its items, its journal and its virtual clock;
the last section lets ``throttle(0.3)`` loose on a few hundred items and watches the client converge.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb import (
    BatchDelete,
    BatchGet,
    BatchGetResult,
    BatchPut,
    BatchWriteResult,
    DynamoDB,
    RetryPolicy,
)
from aiodynamodb.errors import (
    DynamoDBError,
    InternalServerError,
    ProvisionedThroughputExceededException,
    ResourceNotFoundException,
    ThrottlingException,
    ValidationException,
)
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb_fake import FakeDynamoDB

from .conftest import (
    Order,
    RecordingTransport,
    User,
    batch_calls,
    calm_fake,
    fake_policy,
    key_of,
    reference_policy,
    waits,
)


def users(n: int) -> list[User]:
    return [User(user_id=f"u{i:03}", name=f"name {i}") for i in range(n)]


def stored_ids(fake: FakeDynamoDB) -> list[str]:
    return sorted(item["user_id"]["S"] for item in fake.items("users"))


def stored_users(fake: FakeDynamoDB) -> list[User]:
    """The fake's users as models, by key (a table of hash keys only holds them in no useful order)."""
    return sorted((User.from_dynamo(item) for item in fake.items("users")), key=lambda u: u.user_id)


def outcomes(fake: FakeDynamoDB, operation: str | None = None) -> list[str]:
    return [record.outcome for record in batch_calls(fake, operation)]


@pytest.fixture
async def db(fake: FakeDynamoDB) -> Any:
    """One chunk at a time, so the fake's journal reads in chunk order."""
    async with mock_dynamodb(User, fake=fake, retry=fake_policy(fake), max_concurrency=1) as client:
        yield client


# --- throttling is reported, never raised -----------------------------------------------------


async def test_a_chunk_throttled_until_attempts_run_out_is_reported_and_the_others_still_run(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    ops = [BatchPut(u) for u in users(60)]
    fake.throttle(1.0, after=1, times=5)  # chunk 2 is throttled whole on all 5 attempts
    start = fake.clock.now()
    result = await db.batch_write(ops)
    assert result.unprocessed == ops[25:50]
    assert result.unprocessed_items == {
        "users": [{"PutRequest": {"Item": op.item.to_dynamo()}} for op in ops[25:50]]
    }
    assert stored_ids(fake) == [u.item.user_id for u in ops[:25] + ops[50:]]
    assert outcomes(fake) == ["OK", *["ThrottlingException"] * 5, "OK"]
    # Four backoffs between chunk 2's five sends; none before the next chunk.
    expected = reference_policy(fake)
    assert waits(fake, "BatchWriteItem") == pytest.approx(
        [0.0, *(expected.delay(n) for n in range(1, 5)), 0.0], abs=1e-6
    )
    assert fake.clock.now() - start == pytest.approx(sum(waits(fake, "BatchWriteItem")), abs=1e-6)
    fake.assert_faults_consumed()


async def test_throttling_after_some_items_were_written_reports_only_the_rest(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    await db.put(User(user_id="gone", name="G"))
    ops: list[Any] = [BatchPut(u) for u in users(4)] + [BatchDelete(User, "gone")]
    fake.unprocess("BatchWriteItem", [key_of("u000"), key_of("u001")])
    fake.throttle(1.0, operations="BatchWriteItem", after=1, times=4)
    result = await db.batch_write(ops)
    assert result.unprocessed == ops[:2]
    assert stored_ids(fake) == ["u002", "u003"]
    assert [(r.requests, r.outcome, r.unprocessed) for r in batch_calls(fake)] == [
        (5, "OK", 2),
        *[(2, "ThrottlingException", 0)] * 4,
    ]
    fake.assert_faults_consumed()


async def test_keys_of_a_call_throttled_until_attempts_run_out_are_reported(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    await db.batch_write([BatchPut(u) for u in users(250)])
    requests = [BatchGet(User, u.user_id) for u in users(250)]
    fake.throttle(1.0, operations="BatchGetItem", after=1, times=5)
    result = await db.batch_get(requests)
    assert result.unprocessed == requests[100:200]
    assert result.unprocessed_keys == {
        "users": {"Keys": [key_of(str(r.hash_key)) for r in requests[100:200]]}
    }
    assert sorted(u.user_id for u in result.items[User]) == [
        r.hash_key for r in requests[:100] + requests[200:]
    ]
    assert [(r.requests, r.outcome) for r in batch_calls(fake, "BatchGetItem")] == [
        (100, "OK"),
        *[(100, "ThrottlingException")] * 5,
        (50, "OK"),
    ]
    fake.assert_faults_consumed()


# --- other errors carry the partial result ----------------------------------------------------


async def test_an_error_stops_the_batch_and_its_partial_result_resumes_it(fake: FakeDynamoDB) -> None:
    ops = [BatchPut(u) for u in users(100)]
    async with mock_dynamodb(User, fake=fake, retry=fake_policy(fake)) as setup:
        wire = RecordingTransport(fake)
        db = DynamoDB(transport=wire, retry=fake_policy(fake), max_concurrency=1)
        fake.unprocess("BatchWriteItem", [key_of("u025"), key_of("u026")])  # chunk 2 writes 23 of its 25...
        fake.fail("BatchWriteItem", ResourceNotFoundException, after=2)  # ...then its resend fails
        with pytest.raises(ResourceNotFoundException) as caught:
            await db.batch_write(ops)
        # The service's own error object, not a wrapper around it.
        assert wire.raised == [caught.value] and isinstance(caught.value, ClientError)
        partial = caught.value.partial_result
        assert isinstance(partial, BatchWriteResult)
        # The failed chunk's pending requests, then the chunks never sent.
        assert partial.unprocessed == ops[25:27] + ops[50:]
        assert sum(len(v) for v in partial.unprocessed_items.values()) == 52
        assert stored_ids(fake) == [op.item.user_id for op in ops[:25] + ops[27:50]]
        assert [(r.requests, r.outcome) for r in batch_calls(fake)] == [
            (25, "OK"),
            (25, "OK"),
            (2, "ResourceNotFoundException"),
        ]
        fake.assert_faults_consumed()
        again = await setup.batch_write(partial.unprocessed)
        assert again.unprocessed == [] and stored_ids(fake) == [op.item.user_id for op in ops]


async def test_chunks_in_flight_finish_and_count_as_done_in_the_partial_result(fake: FakeDynamoDB) -> None:
    ops = [BatchPut(u) for u in users(100)]
    async with mock_dynamodb(User, fake=fake):
        wire = RecordingTransport(fake)  # its yield keeps chunk 2 in flight while chunk 1 fails
        fake.fail("BatchWriteItem", ValidationException)
        with pytest.raises(ValidationException) as caught:
            await DynamoDB(transport=wire, retry=fake_policy(fake), max_concurrency=2).batch_write(
                ops, return_consumed_capacity=True
            )
    partial = caught.value.partial_result
    assert isinstance(partial, BatchWriteResult)
    assert partial.unprocessed == ops[:25] + ops[50:]
    assert stored_ids(fake) == [op.item.user_id for op in ops[25:50]]
    assert partial.consumed_capacity == [{"TableName": "users", "CapacityUnits": 25.0}]
    assert outcomes(fake) == ["ValidationException", "OK"] and wire.max_in_flight == 2


async def test_a_failed_read_carries_the_items_read_so_far(fake: FakeDynamoDB, db: DynamoDB) -> None:
    await db.batch_write([BatchPut(u) for u in users(250)])
    requests = [BatchGet(User, u.user_id) for u in users(250)]
    fake.fail("BatchGetItem", ResourceNotFoundException, after=1)
    with pytest.raises(ResourceNotFoundException) as caught:
        await db.batch_get(requests)
    partial = caught.value.partial_result
    assert isinstance(partial, BatchGetResult)
    assert sorted(u.user_id for u in partial.items[User]) == [r.hash_key for r in requests[:100]]
    assert partial.unprocessed == requests[100:]
    assert len(partial.unprocessed_keys["users"]["Keys"]) == 150
    assert outcomes(fake, "BatchGetItem") == ["OK", "ResourceNotFoundException"]
    rest = await db.batch_get(partial.unprocessed)
    assert sorted(u.user_id for u in rest.items[User]) == [r.hash_key for r in requests[100:]]


# --- retry=None on the client -----------------------------------------------------------------


async def test_client_retry_none_sends_each_chunk_once(fake: FakeDynamoDB) -> None:
    async with mock_dynamodb(User, fake=fake, retry=None) as db:
        fake.unprocess("BatchWriteItem", [key_of("u000"), key_of("u025")], times=5)
        result = await db.batch_write([BatchPut(u) for u in users(30)])
        assert [(r.requests, r.unprocessed) for r in batch_calls(fake)] == [(25, 1), (5, 1)]
        assert result.unprocessed == [BatchPut(users(30)[0]), BatchPut(users(30)[25])]
        fake.unprocess("BatchGetItem", [key_of("u001")], times=5)
        got = await db.batch_get([BatchGet(User, u.user_id) for u in users(30)])
        assert [(r.requests, r.unprocessed) for r in batch_calls(fake, "BatchGetItem")] == [(30, 1)]
        assert got.unprocessed == [BatchGet(User, "u001")]
        assert len(got.items[User]) == 27


async def test_client_retry_none_reports_a_throttled_batch_and_raises_a_throttled_call(
    fake: FakeDynamoDB,
) -> None:
    async with DynamoDB(transport=fake, retry=None) as db:
        capacity = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        await db.create_table(User, billing_mode="PROVISIONED", provisioned_throughput=capacity)
        ops = [BatchPut(u) for u in users(3)]
        fake.throttle(1.0, times=2)
        assert (await db.batch_write(ops)).unprocessed == ops
        with pytest.raises(ProvisionedThroughputExceededException):
            await db.put(users(1)[0])
    assert [(r.operation, r.outcome) for r in fake.requests[1:]] == [
        ("BatchWriteItem", "ProvisionedThroughputExceededException"),
        ("PutItem", "ProvisionedThroughputExceededException"),
    ]
    assert fake.item_count("users") == 0


def test_a_client_policy_of_the_wrong_type_is_rejected_at_once(fake: FakeDynamoDB) -> None:
    with pytest.raises(TypeError, match="retry must be a RetryPolicy or None"):
        DynamoDB(transport=fake, retry=3)  # type: ignore[arg-type]  # the wrong type is the point


# --- property: nothing is lost, whatever the faults -------------------------------------------

FAULTS: dict[str, type[DynamoDBError] | None] = {
    "ok": None,
    "throttle": ThrottlingException,
    "busy": ProvisionedThroughputExceededException,
    "internal": InternalServerError,
    "fatal": ValidationException,
}


def declare_call_faults(fake: FakeDynamoDB, faults: list[str]) -> None:
    """Fail the i-th BatchWriteItem call with ``FAULTS[faults[i]]`` (``ok``: let it through).

    The first fail rule a call triggers raises, and later rules never see that call, so the rule for
    position i skips as many calls as there are ``ok`` positions before it.
    """
    passed = 0
    for fault in faults:
        error = FAULTS[fault]
        if error is None:
            passed += 1
        else:
            fake.fail("BatchWriteItem", error, after=passed, message=fault)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    n=st.integers(0, 120),
    faults=st.lists(st.sampled_from(sorted(FAULTS)), max_size=30),
    left=st.dictionaries(st.integers(0, 119), st.integers(1, 4)),
    rate=st.sampled_from([0.0, 0.2, 0.5]),
    seed=st.integers(0, 2**16),
    attempts=st.integers(1, 4),
    limit=st.integers(1, 3),
)
async def test_every_write_is_applied_or_reported_and_resuming_finishes_the_batch(
    n: int, faults: list[str], left: dict[int, int], rate: float, seed: int, attempts: int, limit: int
) -> None:
    fake = calm_fake(seed)
    await DynamoDB(transport=fake).create_table(User)
    declare_call_faults(fake, faults)
    for times in set(left.values()):
        fake.unprocess(
            "BatchWriteItem", [key_of(f"u{i:03}") for i, t in left.items() if t == times], times=times
        )
    if rate:
        fake.throttle(rate, seed=seed)
    wire = RecordingTransport(fake)
    db = DynamoDB(transport=wire, retry=fake_policy(fake, max_attempts=attempts), max_concurrency=limit)
    ops = [BatchPut(u) for u in users(n)]
    try:
        result = await db.batch_write(ops)
    except ValidationException as err:
        assert "fatal" in faults and err.message == "fatal"
        assert isinstance(err.partial_result, BatchWriteResult)
        result = err.partial_result
    left_ids = {op.item.user_id for op in result.unprocessed if isinstance(op, BatchPut)}
    assert len(left_ids) == len(result.unprocessed) == sum(len(v) for v in result.unprocessed_items.values())
    assert set(stored_ids(fake)) == {op.item.user_id for op in ops} - left_ids
    assert len(wire.calls) <= attempts * -(-n // 25)
    fake.clear_faults()
    assert (await db.batch_write(result.unprocessed)).unprocessed == []
    assert stored_users(fake) == [op.item for op in ops]


# --- convergence under random throttling --------------------------------------------------------

SEEDS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", SEEDS)
async def test_a_few_hundred_writes_and_reads_converge_under_a_throttle_of_30_percent(seed: int) -> None:
    fake = calm_fake(seed)
    people = users(300)
    async with mock_dynamodb(User, fake=fake, retry=RetryPolicy(max_attempts=15)) as db:
        throttle = fake.throttle(0.3, seed=seed)
        start = fake.clock.now()
        written = await db.batch_write([BatchPut(u) for u in people])
        assert written.unprocessed == [] and written.unprocessed_items == {}
        assert stored_users(fake) == people
        read = await db.batch_get([BatchGet(User, u.user_id) for u in people])
        assert read.unprocessed == [] and read.unprocessed_keys == {}
        assert sorted(read.items[User], key=lambda u: u.user_id) == people
    assert throttle.fired > 0 and fake.clock.now() > start
    # Each request was served exactly once: the client resent only what came back, nothing else.
    for operation in ("BatchWriteItem", "BatchGetItem"):
        calls = batch_calls(fake, operation)
        assert sum(r.requests - r.unprocessed for r in calls if r.outcome == "OK") == 300
        assert sum(r.unprocessed for r in calls) > 0


@pytest.mark.parametrize("seed", SEEDS)
async def test_a_throttle_that_never_stops_leaves_exactly_the_reported_remainder(seed: int) -> None:
    fake = calm_fake(seed)
    people = users(300)
    # One chunk at a time, so that each backoff adds to the virtual clock.
    async with mock_dynamodb(User, fake=fake, retry=RetryPolicy(max_attempts=2), max_concurrency=1) as db:
        fake.throttle(0.3, seed=seed)
        start = fake.clock.now()
        ops = [BatchPut(u) for u in people]
        written = await db.batch_write(ops)
        left = {op.item.user_id for op in written.unprocessed if isinstance(op, BatchPut)}
        assert left and len(left) == len(written.unprocessed)
        assert written.unprocessed == [op for op in ops if op.item.user_id in left]  # in request order
        assert written.unprocessed_items == {
            "users": [{"PutRequest": {"Item": u.to_dynamo()}} for u in people if u.user_id in left]
        }
        assert stored_users(fake) == [u for u in people if u.user_id not in left]
        # One backoff per chunk resent, none after its last send.
        resent = len(batch_calls(fake, "BatchWriteItem")) - 12
        expected = RetryPolicy(max_attempts=2, random=random.Random(seed).random)
        assert 0 < resent <= 12
        assert fake.clock.now() - start == pytest.approx(
            sum(expected.delay(1) for _ in range(resent)), abs=1e-6
        )
        requests = [BatchGet(User, u.user_id) for u in people]
        start = fake.clock.now()
        read = await db.batch_get(requests)
        resent = len(batch_calls(fake, "BatchGetItem")) - 3
        assert 0 < resent <= 3
        assert fake.clock.now() - start == pytest.approx(
            sum(expected.delay(1) for _ in range(resent)), abs=1e-6
        )
        found = {u.user_id for u in read.items[User]}
        missed = {r.hash_key for r in read.unprocessed}
        # Every item written and not reported is found; nothing reported or never written is.
        assert missed and found == {u.user_id for u in people} - left - missed
        assert len(read.unprocessed) == len(missed)  # each reported once
        assert read.unprocessed_keys == {
            "users": {"Keys": [key_of(str(r.hash_key)) for r in read.unprocessed]}
        }
        fake.clear_faults()
        assert (await db.batch_write(written.unprocessed)).unprocessed == []
    assert stored_users(fake) == people


@pytest.mark.parametrize("seed", SEEDS)
async def test_puts_and_deletes_across_two_provisioned_tables_converge_under_throttling(seed: int) -> None:
    fake = calm_fake(seed)
    throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    async with mock_dynamodb(fake=fake, retry=RetryPolicy(max_attempts=15)) as db:
        for model in (User, Order):
            await db.create_table(model, billing_mode="PROVISIONED", provisioned_throughput=throughput)
        await db.batch_write([BatchPut(u) for u in users(100)])
        fake.throttle(0.3, seed=seed)
        orders = [Order(order_id=f"o{i:03}", created="2026", total=i) for i in range(150)]
        ops: list[Any] = [BatchDelete(User, f"u{i:03}") for i in range(0, 100, 2)]
        ops += [BatchPut(o) for o in orders]
        result = await db.batch_write(ops)
        assert result.unprocessed == []
    assert stored_ids(fake) == [f"u{i:03}" for i in range(1, 100, 2)]
    assert sorted((Order.from_dynamo(i) for i in fake.items("orders")), key=lambda o: o.order_id) == orders
    throttled = [r for r in batch_calls(fake) if r.unprocessed or r.outcome != "OK"]
    assert throttled and {r.outcome for r in throttled} <= {"OK", "ProvisionedThroughputExceededException"}
