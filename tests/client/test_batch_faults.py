"""Batches under faults: throttling never loses work, other errors carry what was done, ``retry=None``.

A chunk whose attempts run out (items left unprocessed, or the whole call throttled) is reported in
``result.unprocessed`` and the batch goes on; an error worth no resend stops the batch and carries
``partial_result``, whose ``unprocessed`` resumes it. All against the scripted transport.
"""

from __future__ import annotations

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
    InternalServerError,
    ProvisionedThroughputExceededException,
    ResourceNotFoundException,
    ThrottlingException,
    ValidationException,
)

from .conftest import RecordingClock, ScriptedTransport, User

Leave = Any  # ScriptedTransport.leave: (table, request) pairs of one call -> those left unprocessed


def users(n: int) -> list[User]:
    return [User(user_id=f"u{i:03}", name=f"name {i}") for i in range(n)]


def stored_ids(transport: ScriptedTransport) -> list[str]:
    return sorted(key[1][1] for key in transport.store)


def leave_on_call(number: int, count: int) -> Leave:
    """Leave the first ``count`` requests unprocessed in the ``number``-th answered call (1-based)."""
    answered = [0]

    def leave(requests: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        answered[0] += 1
        return requests[:count] if answered[0] == number else []

    return leave


def throttled(times: int) -> list[Exception | None]:
    return [ThrottlingException("Rate of requests exceeds the allowed throughput.", "") for _ in range(times)]


# --- throttling is reported, never raised -----------------------------------------------------


async def test_a_chunk_throttled_until_attempts_run_out_is_reported_and_the_others_still_run(
    scripted: ScriptedTransport, policy: RetryPolicy, clock: RecordingClock
) -> None:
    ops = [BatchPut(u) for u in users(60)]
    scripted.errors = [None, *throttled(5)]  # chunk 2 is throttled on all 5 attempts
    result = await DynamoDB(transport=scripted, retry=policy, max_concurrency=1).batch_write(ops)
    assert result.unprocessed == ops[25:50]
    assert result.unprocessed_items == {
        "users": [{"PutRequest": {"Item": op.item.to_dynamo()}} for op in ops[25:50]]
    }
    assert stored_ids(scripted) == [u.item.user_id for u in ops[:25] + ops[50:]]
    assert len(scripted.calls) == 1 + 5 + 1 and len(clock.sleeps) == 4


async def test_throttling_after_some_items_were_written_reports_only_the_rest(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    ops: list[Any] = [BatchPut(u) for u in users(4)] + [BatchDelete(User, "gone")]
    scripted.leave = leave_on_call(1, 2)
    scripted.errors = [None, *throttled(4)]
    result = await DynamoDB(transport=scripted, retry=policy).batch_write(ops)
    assert result.unprocessed == ops[:2]
    assert stored_ids(scripted) == ["u002", "u003"]


async def test_keys_of_a_call_throttled_until_attempts_run_out_are_reported(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = DynamoDB(transport=scripted, retry=policy, max_concurrency=1)
    await db.batch_write([BatchPut(u) for u in users(250)])
    scripted.calls.clear()
    requests = [BatchGet(User, u.user_id) for u in users(250)]
    scripted.errors = [None, *throttled(5)]
    result = await db.batch_get(requests)
    assert result.unprocessed == requests[100:200]
    assert result.unprocessed_keys == {
        "users": {"Keys": [{"user_id": {"S": r.hash_key}} for r in requests[100:200]]}
    }
    assert sorted(u.user_id for u in result.items[User]) == [
        r.hash_key for r in requests[:100] + requests[200:]
    ]
    assert len(scripted.calls) == 1 + 5 + 1


# --- other errors carry the partial result ----------------------------------------------------


async def test_an_error_stops_the_batch_and_its_partial_result_resumes_it(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    ops = [BatchPut(u) for u in users(100)]
    missing = ResourceNotFoundException("Requested resource not found", "BatchWriteItem")
    scripted.leave = leave_on_call(2, 2)  # chunk 2 writes 23 of its 25...
    scripted.errors = [None, None, missing]  # ...then its resend fails
    db = DynamoDB(transport=scripted, retry=policy, max_concurrency=1)
    with pytest.raises(ResourceNotFoundException) as caught:
        await db.batch_write(ops)
    assert caught.value is missing and isinstance(caught.value, ClientError)
    partial = caught.value.partial_result
    assert isinstance(partial, BatchWriteResult)
    assert partial.unprocessed == ops[25:27] + ops[50:]  # the failed chunk's pending, then chunks never sent
    assert sum(len(v) for v in partial.unprocessed_items.values()) == 52
    assert stored_ids(scripted) == [op.item.user_id for op in ops[:25] + ops[27:50]]
    assert len(scripted.calls) == 3
    again = await db.batch_write(partial.unprocessed)
    assert again.unprocessed == [] and len(scripted.store) == 100


async def test_chunks_in_flight_finish_and_count_as_done_in_the_partial_result(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    ops = [BatchPut(u) for u in users(100)]
    scripted.errors = [ValidationException("bad", "BatchWriteItem")]  # chunk 1; chunk 2 is in flight
    with pytest.raises(ValidationException) as caught:
        await DynamoDB(transport=scripted, retry=policy, max_concurrency=2).batch_write(
            ops, return_consumed_capacity=True
        )
    partial = caught.value.partial_result
    assert isinstance(partial, BatchWriteResult)
    assert partial.unprocessed == ops[:25] + ops[50:]
    assert stored_ids(scripted) == [op.item.user_id for op in ops[25:50]]
    assert partial.consumed_capacity == [{"TableName": "users", "CapacityUnits": 25.0}]
    assert len(scripted.calls) == 2


async def test_a_failed_read_carries_the_items_read_so_far(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = DynamoDB(transport=scripted, retry=policy, max_concurrency=1)
    await db.batch_write([BatchPut(u) for u in users(250)])
    requests = [BatchGet(User, u.user_id) for u in users(250)]
    scripted.errors = [None, ResourceNotFoundException("Requested resource not found", "BatchGetItem")]
    with pytest.raises(ResourceNotFoundException) as caught:
        await db.batch_get(requests)
    partial = caught.value.partial_result
    assert isinstance(partial, BatchGetResult)
    assert sorted(u.user_id for u in partial.items[User]) == [r.hash_key for r in requests[:100]]
    assert partial.unprocessed == requests[100:]
    assert len(partial.unprocessed_keys["users"]["Keys"]) == 150
    rest = await db.batch_get(partial.unprocessed)
    assert sorted(u.user_id for u in rest.items[User]) == [r.hash_key for r in requests[100:]]


# --- retry=None on the client -----------------------------------------------------------------


async def test_client_retry_none_sends_each_chunk_once(scripted: ScriptedTransport) -> None:
    scripted.leave = lambda requests: requests[:1]
    db = DynamoDB(transport=scripted, retry=None)
    result = await db.batch_write([BatchPut(u) for u in users(30)])
    assert len(scripted.calls) == 2 and len(result.unprocessed) == 2
    got = await db.batch_get([BatchGet(User, u.user_id) for u in users(30)])
    assert len(scripted.calls) == 3 and got.unprocessed == [BatchGet(User, "u000")]


async def test_client_retry_none_reports_a_throttled_batch_and_raises_a_throttled_call(
    scripted: ScriptedTransport,
) -> None:
    db = DynamoDB(transport=scripted, retry=None)
    ops = [BatchPut(u) for u in users(3)]
    scripted.errors = throttled(1)
    assert (await db.batch_write(ops)).unprocessed == ops
    scripted.errors = [ProvisionedThroughputExceededException("slow down", "PutItem")]
    with pytest.raises(ProvisionedThroughputExceededException):
        await db.put(users(1)[0])
    assert len(scripted.calls) == 2 and scripted.store == {}


def test_a_client_policy_of_the_wrong_type_is_rejected_at_once(scripted: ScriptedTransport) -> None:
    with pytest.raises(TypeError, match="retry must be a RetryPolicy or None"):
        DynamoDB(transport=scripted, retry=3)  # type: ignore[arg-type]  # the wrong type is the point


# --- property: nothing is lost, whatever the faults -------------------------------------------

FAULTS: dict[str, type[Exception] | None] = {
    "ok": None,
    "throttle": ThrottlingException,
    "busy": ProvisionedThroughputExceededException,
    "internal": InternalServerError,
    "fatal": ValidationException,
}


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    n=st.integers(0, 120),
    faults=st.lists(st.sampled_from(sorted(FAULTS)), max_size=30),
    leave_mask=st.lists(st.booleans(), max_size=200),
    attempts=st.integers(1, 4),
    limit=st.integers(1, 3),
)
async def test_every_write_is_applied_or_reported_and_resuming_finishes_the_batch(
    n: int, faults: list[str], leave_mask: list[bool], attempts: int, limit: int
) -> None:
    transport = ScriptedTransport()
    transport.errors = [None if (error := FAULTS[f]) is None else error(f, "BatchWriteItem") for f in faults]
    drops = iter(leave_mask)
    transport.leave = lambda requests: [r for r, drop in zip(requests, drops, strict=False) if drop]
    db = DynamoDB(
        transport=transport,
        retry=RetryPolicy(max_attempts=attempts, clock=RecordingClock()),
        max_concurrency=limit,
    )
    ops = [BatchPut(u) for u in users(n)]
    try:
        result = await db.batch_write(ops)
    except ValidationException as err:
        assert "fatal" in faults
        assert isinstance(err.partial_result, BatchWriteResult)
        result = err.partial_result
    left = {op.item.user_id for op in result.unprocessed if isinstance(op, BatchPut)}
    assert len(left) == len(result.unprocessed) == sum(len(v) for v in result.unprocessed_items.values())
    assert set(stored_ids(transport)) == {op.item.user_id for op in ops} - left
    transport.errors, transport.leave = [], lambda requests: []
    assert (await db.batch_write(result.unprocessed)).unprocessed == []
    assert stored_ids(transport) == sorted(op.item.user_id for op in ops)
