"""Batch semantics under chaos (issue 6 §6), for any generated throttle schedule:

(a) processed and unprocessed requests partition the request: nothing lost, nothing applied twice;
(b) the state equals a dict model with exactly the processed requests applied;
(c) resending what comes back until none remains converges to the model with every request applied;
(d) the client's ``batch_write``/``batch_get`` converge, or report the complete remainder when the
    schedule outlasts the attempts;
(e) no retry loop sleeps in wall time;
(f) with the capacity model on, a load takes at least the work divided by the provisioned rate,
    minus what the bucket held at the start.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb import (
    BatchGet,
    BatchPut,
    DynamoDB,
    DynamoModel,
    HashKey,
    RangeKey,
    RetryPolicy,
    errors,
    table,
)
from aiodynamodb.testing import policy_for_fake
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.capacity import write_units
from aiodynamodb_fake.strategies import (
    ThrottleSchedule,
    key_identity,
    key_lists,
    throttle_schedules,
    write_request_lists,
)
from aiodynamodb_fake.values import item_size
from tests.support.oracle import canonical_item
from tests.support.tables import COMPOSITE, HASH_S, property_settings

THROTTLED = (errors.ProvisionedThroughputExceededException, errors.ThrottlingException)
Model = dict[tuple[Any, ...], dict[str, Any]]
RESENDS = 300  # at a rate of at most 0.9 a request survives 300 resends with odds below 1e-13


def identity(write: dict[str, Any]) -> tuple[Any, ...]:
    attributes = write["PutRequest"]["Item"] if "PutRequest" in write else write["DeleteRequest"]["Key"]
    return key_identity(COMPOSITE, attributes)


def apply(model: Model, writes: list[dict[str, Any]]) -> None:
    for write in writes:
        if "PutRequest" in write:
            model[identity(write)] = canonical_item(write["PutRequest"]["Item"])
        else:
            model.pop(identity(write), None)


def stored(fake: FakeDynamoDB) -> Model:
    return {key_identity(COMPOSITE, i): canonical_item(i, numbers=False) for i in fake.items(COMPOSITE.name)}


def send(fake: FakeDynamoDB, writes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One BatchWriteItem of ``writes``; what came back unprocessed (everything, if throttled whole)."""
    try:
        response = fake.call_sync("BatchWriteItem", {"RequestItems": {COMPOSITE.name: copy.deepcopy(writes)}})
    except THROTTLED:
        return writes
    assert fake.requests[-1].unprocessed == sum(len(v) for v in response["UnprocessedItems"].values())
    assert set(response["UnprocessedItems"]) <= {COMPOSITE.name}
    left: list[dict[str, Any]] = response["UnprocessedItems"].get(COMPOSITE.name, [])
    return left


@property_settings()
@given(
    schedule=throttle_schedules(max_rate=0.9, tables=[COMPOSITE.name, HASH_S.name]),
    batches=st.lists(
        write_request_lists(COMPOSITE, min_size=1, max_size=25, unique_keys=True), min_size=1, max_size=4
    ),
)
def test_throttled_writes_partition_the_request_and_resending_converges(
    make_fake: Callable[..., FakeDynamoDB], schedule: ThrottleSchedule, batches: list[list[dict[str, Any]]]
) -> None:
    fake = make_fake([COMPOSITE, HASH_S])
    schedule.apply(fake)
    model: Model = {}
    for writes in batches:
        left = send(fake, writes)
        # (a) every request comes back at most once, exactly as sent, or was applied
        assert all(request in writes for request in left)
        left_ids = [identity(request) for request in left]
        assert len(set(left_ids)) == len(left_ids)
        # (b) the state is the model with exactly the processed requests applied
        apply(model, [w for w in writes if identity(w) not in set(left_ids)])
        assert stored(fake) == model
        # (c) resending what comes back, as it is, converges to every request applied
        for _ in range(RESENDS):
            if not left:
                break
            resent = left
            left = send(fake, resent)
            apply(model, [w for w in resent if w not in left])
        assert not left
        assert stored(fake) == model
        fake._check()


@property_settings()
@given(
    schedule=throttle_schedules(max_rate=0.9),
    present=key_lists(COMPOSITE, max_size=40, unique_keys=True),
    wanted=key_lists(COMPOSITE, min_size=1, max_size=100, unique_keys=True),
)
def test_throttled_keys_partition_the_request(
    make_fake: Callable[..., FakeDynamoDB],
    schedule: ThrottleSchedule,
    present: list[dict[str, Any]],
    wanted: list[dict[str, Any]],
) -> None:
    fake = make_fake([COMPOSITE])
    for start in range(0, len(present), 25):
        chunk = [{"PutRequest": {"Item": {**k, "v": {"S": "x"}}}} for k in present[start : start + 25]]
        fake.call_sync("BatchWriteItem", {"RequestItems": {COMPOSITE.name: chunk}})
    stored_ids = {key_identity(COMPOSITE, k) for k in present}
    schedule.apply(fake)
    found: set[tuple[Any, ...]] = set()
    left = wanted
    for _ in range(RESENDS):
        if not left:
            break
        try:
            response = fake.call_sync("BatchGetItem", {"RequestItems": {COMPOSITE.name: {"Keys": left}}})
        except THROTTLED:
            continue
        got = [key_identity(COMPOSITE, item) for item in response["Responses"][COMPOSITE.name]]
        back = response["UnprocessedKeys"].get(COMPOSITE.name, {"Keys": []})["Keys"]
        assert all(key in left for key in back)  # as sent
        back_ids = {key_identity(COMPOSITE, k) for k in back}
        asked = {key_identity(COMPOSITE, k) for k in left}
        assert not set(got) & back_ids and not set(got) & found and len(set(got)) == len(got)
        assert set(got) == (asked - back_ids) & stored_ids  # every served key that exists, once
        found.update(got)
        left = back
    assert not left
    assert found == {key_identity(COMPOSITE, k) for k in wanted} & stored_ids


# --- the client under the same schedules -------------------------------------------------------------


@table("chaos_things")
class Thing(DynamoModel):
    pk: HashKey[str]
    sk: RangeKey[int]
    pad: str = ""


@contextmanager
def no_wall_clock_sleeps() -> Iterator[list[float]]:
    """Record every real sleep (asyncio's or time's) asked for while the client runs."""
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_asyncio_sleep(delay: float, *args: Any, **kwargs: Any) -> Any:
        if delay > 0:
            slept.append(delay)
        return await real_sleep(0, *args, **kwargs)

    with mock.patch("asyncio.sleep", fake_asyncio_sleep), mock.patch("time.sleep", slept.append):
        yield slept


@property_settings(max_examples=50)
@given(
    schedule=throttle_schedules(max_rate=1.0, max_times=60),
    count=st.integers(1, 120),
    attempts=st.integers(1, 8),
)
def test_the_client_converges_or_reports_the_complete_remainder(
    schedule: ThrottleSchedule, count: int, attempts: int
) -> None:
    things = [Thing(pk=f"p{n % 7}", sk=n) for n in range(count)]
    wanted = {(t.pk, t.sk) for t in things}

    async def scenario() -> None:
        fake = FakeDynamoDB(seed=1)
        policy = policy_for_fake(fake, RetryPolicy(max_attempts=attempts))
        async with DynamoDB(transport=fake, retry=policy) as db:
            await db.create_table(Thing)
            schedule.apply(fake)
            started = fake.clock.now()
            written = await db.batch_write([BatchPut(t) for t in things])
            waited = fake.clock.now() - started
            sends = sum(1 for record in fake.requests if record.operation == "BatchWriteItem")
            # (e) the client waited (on the virtual clock) exactly when it resent something
            assert (waited > 0) == (sends > -(-count // 25))
            landed = {(i["pk"]["S"], int(i["sk"]["N"])) for i in fake.items("chaos_things")}
            reported = [(op.item.pk, op.item.sk) for op in written.unprocessed]
            # (d) applied and reported partition the batch; wire and model forms agree
            assert len(reported) == len(set(reported)) and landed | set(reported) == wanted
            assert not landed & set(reported)
            wire = written.unprocessed_items.get("chaos_things", [])
            assert [
                (w["PutRequest"]["Item"]["pk"]["S"], int(w["PutRequest"]["Item"]["sk"]["N"])) for w in wire
            ] == reported
            got = await db.batch_get(
                [BatchGet(Thing, hash_key=pk, range_key=sk) for pk, sk in sorted(wanted)]
            )
            read = [(t.pk, t.sk) for t in got.items[Thing]]
            missed = [(r.hash_key, r.range_key) for r in got.unprocessed]
            assert len(read) == len(set(read)) and not set(read) & set(missed)
            assert set(read) | set(missed) >= landed and set(read) <= landed

    with no_wall_clock_sleeps() as slept:
        asyncio.run(scenario())
    assert slept == []  # (e)


@property_settings(max_examples=25)
@given(wcu=st.integers(1, 40), count=st.integers(1, 150), pad=st.integers(0, 2500))
def test_a_load_takes_at_least_the_work_over_the_provisioned_rate(wcu: int, count: int, pad: int) -> None:
    things = [Thing(pk=f"p{n}", sk=n, pad="x" * pad) for n in range(count)]

    async def scenario() -> float:
        fake = FakeDynamoDB(capacity=True)
        policy = policy_for_fake(fake, RetryPolicy(max_attempts=400, max_delay=1.0))
        async with DynamoDB(transport=fake, retry=policy) as db:
            await db.create_table(
                Thing,
                billing_mode="PROVISIONED",
                provisioned_throughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": wcu},
            )
            started = fake.clock.now()
            written = await db.batch_write([BatchPut(t) for t in things])
            took = fake.clock.now() - started
            assert not written.unprocessed
            stored_items = fake.items("chaos_things")
            assert len(stored_items) == count
            work = sum(write_units(item_size(i)) for i in stored_items)
            biggest = max(write_units(item_size(i)) for i in stored_items)
            # (f) a new table's bucket holds one second's worth; the last write may overdraw it
            assert took >= (work - wcu - biggest) / wcu
            return took

    with no_wall_clock_sleeps() as slept:
        asyncio.run(scenario())
    assert slept == []
