"""Batch logic on the fake: chunking, concurrency, resends, duplicates, options, capacity.

Faults are the fake's own (``unprocess``, ``fail``); what the client did is read off the fake's
items and journal, and its backoff off the fake's virtual clock. ``RecordingTransport`` shows
requests as sent and overlaps concurrent calls; ``ScriptedTransport`` is left only for answers the
fake never gives (items out of order, work nobody asked for).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb import (
    BatchDelete,
    BatchGet,
    BatchPut,
    DynamoDB,
    DynamoModel,
    HashKey,
    ProjectionAttr,
    RangeKey,
    RetryPolicy,
)
from aiodynamodb import table as table_decorator
from aiodynamodb.errors import (
    DynamoDBError,
    InternalServerError,
    ProvisionedThroughputExceededException,
    RequestLimitExceeded,
    ServiceUnavailable,
    ThrottlingException,
    ValidationException,
)
from aiodynamodb.models import LSI
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb_fake import FakeDynamoDB

from .conftest import (
    Counter,
    Order,
    RecordingTransport,
    Request,
    ScriptedTransport,
    User,
    batch_calls,
    calm_fake,
    fake_policy,
    key_of,
    reference_policy,
    waits,
)


def users(n: int, prefix: str = "u") -> list[User]:
    return [User(user_id=f"{prefix}{i}", name=f"name {i}") for i in range(n)]


def stored(fake: FakeDynamoDB, table: str = "users") -> dict[str, dict[str, Any]]:
    """The fake's items of a table keyed by their hash key's string value."""
    hash_name = {"users": "user_id", "orders": "order_id", "counters": "n"}[table]
    return {next(iter(item[hash_name].values())): item for item in fake.items(table)}


def as_stored(people: list[User]) -> dict[str, dict[str, Any]]:
    return {u.user_id: u.to_dynamo() for u in people}


def on_wire(fake: FakeDynamoDB, **options: Any) -> tuple[RecordingTransport, DynamoDB]:
    """A second client on ``fake`` (tables already made) that goes through a ``RecordingTransport``."""
    wire = RecordingTransport(fake)
    return wire, DynamoDB(transport=wire, retry=fake_policy(fake), **options)


# --- chunking and concurrency -----------------------------------------------------------------


@settings(max_examples=200, derandomize=True, deadline=None)
@given(n=st.integers(min_value=0, max_value=260), limit=st.integers(min_value=1, max_value=12))
async def test_writes_are_chunked_by_25_and_run_at_most_max_concurrency_at_once(n: int, limit: int) -> None:
    fake = calm_fake()
    wire, db = on_wire(fake, max_concurrency=limit)
    await db.create_table(User)
    people = users(n)
    result = await db.batch_write([BatchPut(u) for u in people])
    calls = batch_calls(fake)
    assert [r.requests for r in calls] == [25] * (n // 25) + ([n % 25] if n % 25 else [])
    assert all(r.outcome == "OK" for r in calls)
    assert wire.max_in_flight <= limit
    assert stored(fake) == as_stored(people)
    assert result.unprocessed_items == {} and result.unprocessed == []


@settings(max_examples=200, derandomize=True, deadline=None)
@given(n=st.integers(min_value=0, max_value=450), limit=st.integers(min_value=1, max_value=12))
async def test_gets_are_chunked_by_100_and_every_stored_item_comes_back(n: int, limit: int) -> None:
    fake = calm_fake()
    wire, db = on_wire(fake, max_concurrency=limit)
    await db.create_table(User)
    people = users(n)
    await db.batch_write([BatchPut(u) for u in people])
    wire.max_in_flight = 0
    result = await db.batch_get(
        [BatchGet(User, hash_key=u.user_id) for u in people] + [BatchGet(User, "missing")]
    )
    sizes = [r.requests for r in batch_calls(fake, "BatchGetItem")]
    assert all(s <= 100 for s in sizes) and sum(sizes) == n + 1
    assert wire.max_in_flight <= limit
    assert sorted(result.items[User], key=lambda u: u.user_id) == sorted(people, key=lambda u: u.user_id)
    assert result.unprocessed == []


async def test_concurrency_is_used_when_allowed(fake: FakeDynamoDB, db: DynamoDB) -> None:
    wire, client = on_wire(fake, max_concurrency=8)
    await client.batch_write([BatchPut(u) for u in users(500)])
    assert wire.max_in_flight == 8
    assert fake.item_count("users") == 500


async def test_empty_batches_send_nothing(fake: FakeDynamoDB, db: DynamoDB) -> None:
    journal = fake.requests
    assert (await db.batch_write([])).unprocessed_items == {}
    assert (await db.batch_get([])).items == {}
    assert fake.requests == journal


# --- unprocessed items and retries ------------------------------------------------------------


async def test_unprocessed_writes_are_resent_with_backoff(fake: FakeDynamoDB, db: DynamoDB) -> None:
    fake.unprocess("BatchWriteItem", [key_of("u0")], times=3)
    start = fake.clock.now()
    result = await db.batch_write([BatchPut(u) for u in users(3)])
    assert result.unprocessed == [] and result.unprocessed_items == {}
    assert stored(fake) == as_stored(users(3))
    # A resend whose only request is left again fails whole, as DynamoDB fails it.
    assert [(r.requests, r.outcome, r.unprocessed) for r in batch_calls(fake)] == [
        (3, "OK", 1),
        (1, "ThrottlingException", 0),
        (1, "ThrottlingException", 0),
        (1, "OK", 0),
    ]
    waited = waits(fake, "BatchWriteItem")
    assert all(0 < w <= min(1.0, 0.1 * 2**i) for i, w in enumerate(waited))
    expected = reference_policy(fake)
    assert waited == pytest.approx([expected.delay(n) for n in (1, 2, 3)], abs=1e-6)
    assert fake.clock.now() - start == pytest.approx(sum(waited), abs=1e-6)  # no wait after the last send
    fake.assert_faults_consumed()


async def test_what_stays_unprocessed_is_reported_as_objects_and_wire_format(fake: FakeDynamoDB) -> None:
    async with mock_dynamodb(User, fake=fake, retry=RetryPolicy(max_attempts=3)) as db:
        await db.put(User(user_id="b", name="B"))
        # Every send serves something (a send serving nothing would fail whole): u2 the second, u1 the third.
        fake.unprocess("BatchWriteItem", [key_of("a"), key_of("b")], times=3)
        fake.unprocess("BatchWriteItem", [key_of("u1")], times=2)
        fake.unprocess("BatchWriteItem", [key_of("u2")], times=1)
        ops: list[Any] = [
            BatchPut(User(user_id="a", name="A")),
            BatchDelete(User, hash_key="b"),
            *(BatchPut(u) for u in users(3)),
        ]
        start = fake.clock.now()
        result = await db.batch_write(ops)
        assert result.unprocessed == ops[:2]
        assert result.unprocessed_items == {
            "users": [
                {"PutRequest": {"Item": {"user_id": {"S": "a"}, "name": {"S": "A"}}}},
                {"DeleteRequest": {"Key": {"user_id": {"S": "b"}}}},
            ]
        }
        assert [(r.requests, r.outcome, r.unprocessed) for r in batch_calls(fake)] == [
            (5, "OK", 4),
            (4, "OK", 3),
            (3, "OK", 2),
        ]
        # Two backoffs, none after the last send.
        expected = RetryPolicy(max_attempts=3, random=reference_policy(fake).random)
        assert fake.clock.now() - start == pytest.approx(expected.delay(1) + expected.delay(2), abs=1e-6)
        assert stored(fake) == {"b": {"user_id": {"S": "b"}, "name": {"S": "B"}}, **as_stored(users(3))}
        fake.assert_faults_consumed()
        # The objects go straight back in.
        again = await db.batch_write(result.unprocessed)
        assert again.unprocessed == []
        assert stored(fake) == {"a": {"user_id": {"S": "a"}, "name": {"S": "A"}}, **as_stored(users(3))}


async def test_retry_none_sends_each_chunk_once(fake: FakeDynamoDB, db: DynamoDB) -> None:
    fake.unprocess("BatchWriteItem", [key_of("u0"), key_of("u25")], times=5)
    start = fake.clock.now()
    result = await db.batch_write([BatchPut(u) for u in users(30)], retry=None)
    assert [(r.requests, r.unprocessed) for r in batch_calls(fake)] == [(25, 1), (5, 1)]
    assert result.unprocessed == [BatchPut(users(30)[0]), BatchPut(users(30)[25])]
    written = {f"u{i}" for i in range(30)} - {"u0", "u25"}
    assert set(stored(fake)) == written
    fake.unprocess("BatchGetItem", [key_of("u1")], times=5)
    got = await db.batch_get([BatchGet(User, u.user_id) for u in users(30)], retry=None)
    assert [(r.requests, r.unprocessed) for r in batch_calls(fake, "BatchGetItem")] == [(30, 1)]
    assert got.unprocessed == [BatchGet(User, "u1")]
    assert got.unprocessed_keys["users"]["Keys"] == [key_of("u1")]
    assert {u.user_id for u in got.items[User]} == written - {"u1"}
    assert fake.clock.now() == start


async def test_per_call_policy_overrides_the_client_policy(fake: FakeDynamoDB, db: DynamoDB) -> None:
    # Left twice: the client's five attempts would finish the batch, the call's two do not.
    fake.unprocess("BatchWriteItem", [key_of("u0")], times=2)
    ops = [BatchPut(u) for u in users(2)]
    result = await db.batch_write(ops, retry=fake_policy(fake, max_attempts=2))
    assert len(batch_calls(fake)) == 2 and result.unprocessed == ops[:1]
    assert stored(fake) == as_stored(users(2)[1:])


async def test_unprocessed_keys_are_resent_and_mapped_back_to_requests(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    await db.batch_write([BatchPut(u) for u in users(5)])
    fake.unprocess("BatchGetItem", [key_of("u0")], times=2)
    result = await db.batch_get([BatchGet(User, f"u{i}") for i in range(5)])
    assert sorted(result.items[User], key=lambda u: u.user_id) == users(5) and result.unprocessed == []
    assert [(r.requests, r.outcome, r.unprocessed) for r in batch_calls(fake, "BatchGetItem")] == [
        (5, "OK", 1),
        (1, "ThrottlingException", 0),
        (1, "OK", 0),
    ]
    fake.unprocess("BatchGetItem", [key_of("u1"), key_of("u3")], times=5)
    result = await db.batch_get([BatchGet(User, f"u{i}", consistent_read=True) for i in range(5)])
    assert [r.hash_key for r in result.unprocessed] == ["u1", "u3"]
    assert result.unprocessed_keys == {
        "users": {"Keys": [key_of("u1"), key_of("u3")], "ConsistentRead": True}
    }
    assert sorted(u.user_id for u in result.items[User]) == ["u0", "u2", "u4"]
    assert [(r.requests, r.outcome) for r in batch_calls(fake, "BatchGetItem")[3:]] == [(5, "OK")] + [
        (2, "ThrottlingException")
    ] * 4
    fake.assert_faults_consumed()


@pytest.mark.parametrize(
    "error",
    [
        ProvisionedThroughputExceededException,
        ThrottlingException,
        RequestLimitExceeded,
        InternalServerError,
        ServiceUnavailable,
    ],
)
async def test_request_level_errors_are_retried_then_reported_as_unprocessed(
    fake: FakeDynamoDB, db: DynamoDB, error: type[DynamoDBError]
) -> None:
    fake.fail("BatchWriteItem", error, times=4)
    start = fake.clock.now()
    result = await db.batch_write([BatchPut(u) for u in users(2)])
    assert result.unprocessed == [] and stored(fake) == as_stored(users(2))
    assert [r.outcome for r in batch_calls(fake)] == [error.code] * 4 + ["OK"]
    expected = reference_policy(fake)
    assert waits(fake, "BatchWriteItem") == pytest.approx([expected.delay(n) for n in range(1, 5)], abs=1e-6)
    fake.fail("BatchGetItem", error, times=5)
    got = await db.batch_get([BatchGet(User, "u0")])
    assert got.unprocessed == [BatchGet(User, "u0")] and got.items == {User: []}
    assert got.unprocessed_keys == {"users": {"Keys": [key_of("u0")]}}
    assert [r.outcome for r in batch_calls(fake, "BatchGetItem")] == [error.code] * 5
    assert waits(fake, "BatchGetItem") == pytest.approx([expected.delay(n) for n in range(1, 5)], abs=1e-6)
    waited = sum(waits(fake, "BatchWriteItem") + waits(fake, "BatchGetItem"))
    assert fake.clock.now() - start == pytest.approx(waited, abs=1e-6)  # no wait after a last send
    fake.assert_faults_consumed()


async def test_other_errors_are_raised_at_once(fake: FakeDynamoDB, db: DynamoDB) -> None:
    fake.fail("BatchWriteItem", ValidationException)
    with pytest.raises(ValidationException):
        await db.batch_write([BatchPut(u) for u in users(2)])
    assert [r.outcome for r in batch_calls(fake)] == ["ValidationException"]
    assert fake.item_count("users") == 0


async def test_after_a_failure_no_new_chunk_starts(fake: FakeDynamoDB) -> None:
    async with mock_dynamodb(User, fake=fake, max_concurrency=1) as db:
        fake.fail("BatchWriteItem", ValidationException)
        with pytest.raises(ValidationException):
            await db.batch_write([BatchPut(u) for u in users(100)])
    assert len(batch_calls(fake)) == 1 and fake.item_count("users") == 0


# --- duplicates and per-table options ---------------------------------------------------------


@pytest.mark.parametrize(
    "ops",
    [
        [BatchPut(User(user_id="x", name="1")), BatchPut(User(user_id="x", name="2"))],
        [BatchPut(User(user_id="x", name="1")), BatchDelete(User, hash_key="x")],
        [BatchDelete(User, "x"), BatchDelete(User, hash_key="x")],
    ],
)
async def test_two_operations_on_one_key_raise_before_sending(
    fake: FakeDynamoDB, db: DynamoDB, ops: list[Any]
) -> None:
    with pytest.raises(ValueError, match=r"same key of table 'users': \{'user_id': 'x'\}"):
        await db.batch_write([BatchPut(u) for u in users(40)] + ops)
    assert batch_calls(fake) == [] and fake.item_count("users") == 0


async def test_numeric_keys_are_compared_as_numbers(fake: FakeDynamoDB, db: DynamoDB) -> None:
    with pytest.raises(ValueError, match="counters"):
        await db.batch_write([BatchPut(Counter(n=1)), BatchDelete(Counter, hash_key=1)])
    assert batch_calls(fake) == []


async def test_same_key_in_different_tables_is_fine(fake: FakeDynamoDB, db: DynamoDB) -> None:
    await db.batch_write([BatchPut(User(user_id="x", name="n")), BatchPut(Order(order_id="x", created="c"))])
    assert stored(fake) == {"x": {"user_id": {"S": "x"}, "name": {"S": "n"}}}
    assert stored(fake, "orders") == {
        "x": {"order_id": {"S": "x"}, "created": {"S": "c"}, "total": {"N": "0"}}
    }


async def test_duplicate_gets_are_requested_once_and_returned_once(fake: FakeDynamoDB, db: DynamoDB) -> None:
    await db.batch_write([BatchPut(u) for u in users(2)])
    wire, client = on_wire(fake)
    result = await client.batch_get(
        [BatchGet(User, "u0"), BatchGet(User, "u1"), BatchGet(User, hash_key="u0")]
    )
    (call,) = wire.calls_of("BatchGetItem")
    assert call["RequestItems"]["users"]["Keys"] == [key_of("u0"), key_of("u1")]
    assert sorted(u.user_id for u in result.items[User]) == ["u0", "u1"]


@pytest.mark.parametrize("first", [True, False])
async def test_mixed_consistent_read_for_one_table_raises_in_either_order(
    fake: FakeDynamoDB, db: DynamoDB, first: bool
) -> None:
    requests = [BatchGet(User, "a", consistent_read=first), BatchGet(User, "b", consistent_read=not first)]
    with pytest.raises(ValueError, match="Conflicting consistent_read values for table 'users'"):
        await db.batch_get(requests)
    assert batch_calls(fake) == []


async def test_consistent_read_may_differ_between_tables(fake: FakeDynamoDB, db: DynamoDB) -> None:
    await db.batch_write([BatchPut(User(user_id="a", name="A")), BatchPut(Order(order_id="o", created="c"))])
    wire, client = on_wire(fake)
    result = await client.batch_get([BatchGet(User, "a", consistent_read=True), BatchGet(Order, "o", "c")])
    (call,) = wire.calls
    assert call[1]["RequestItems"]["users"]["ConsistentRead"] is True
    assert "ConsistentRead" not in call[1]["RequestItems"]["orders"]
    assert result.items == {User: [User(user_id="a", name="A")], Order: [Order(order_id="o", created="c")]}


async def test_different_projections_for_one_table_raise(fake: FakeDynamoDB, db: DynamoDB) -> None:
    requests = [
        BatchGet(User, "a", projection_expression=[ProjectionAttr("name")]),
        BatchGet(User, "b", projection_expression=[ProjectionAttr("email")]),
    ]
    with pytest.raises(ValueError, match="Conflicting projection_expression values for table 'users'"):
        await db.batch_get(requests)
    assert batch_calls(fake) == []


async def test_projected_and_plain_reads_of_one_table_come_back_as_asked(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    await db.batch_write([BatchPut(User(user_id=f"u{i}", name="N", email="e")) for i in range(2)])
    result = await db.batch_get(
        [BatchGet(User, "u0"), BatchGet(User, "u1", projection_expression=[ProjectionAttr("user_id")])]
    )
    by_id = {u.user_id: u for u in result.items[User]}
    assert by_id["u0"] == User(user_id="u0", name="N", email="e")
    assert by_id["u1"].model_fields_set == {"user_id"}
    assert not hasattr(by_id["u1"], "name") and by_id["u1"].email is None
    assert len(batch_calls(fake, "BatchGetItem")) == 2  # a call carries one option set per table


@table_decorator("users")
class UserView(DynamoModel):
    user_id: HashKey[str]
    name: str


SHARED: list[BatchGet[Any]] = [
    BatchGet(User, "u0"),
    BatchGet(UserView, "u1"),
    BatchGet(UserView, "u0"),
    BatchGet(User, "u2"),
]


async def test_two_models_sharing_a_table_each_get_their_own_items(fake: FakeDynamoDB, db: DynamoDB) -> None:
    await db.batch_write([BatchPut(u) for u in users(3)])
    result = await db.batch_get(SHARED)
    assert sorted(u.user_id for u in result.items[User]) == ["u0", "u2"]
    assert sorted(u.user_id for u in result.items[UserView]) == ["u0", "u1"]
    assert all(type(u) is UserView for u in result.items[UserView])
    projected = await db.batch_get(
        [
            BatchGet(User, "u0", projection_expression=[ProjectionAttr("name")]),
            BatchGet(UserView, "u1", projection_expression=[ProjectionAttr("name")]),
        ]
    )
    # The key was fetched to tell the items apart, and removed again: only ``name`` is set.
    assert [u.model_fields_set for u in projected.items[User]] == [{"name"}]
    assert [u.name for u in projected.items[UserView]] == ["name 1"]


def reversed_answers(operation: str, request: Request, response: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB answers BatchGetItem in no particular order; the fake keeps request order."""
    for items in response.get("Responses", {}).values():
        items.reverse()
    return response


async def test_items_are_matched_to_requests_by_key_in_whatever_order_they_come_back(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    await db.batch_write([BatchPut(u) for u in users(3)])
    scripted = ScriptedTransport(fake, reversed_answers)
    result = await DynamoDB(transport=scripted, retry=fake_policy(fake)).batch_get(SHARED)
    assert sorted(result.items[User], key=lambda u: u.user_id) == [users(3)[0], users(3)[2]]
    views = sorted(result.items[UserView], key=lambda u: u.user_id)
    assert views == [UserView(user_id="u0", name="name 0"), UserView(user_id="u1", name="name 1")]
    assert len(scripted.calls) == 1


def strangers(operation: str, request: Request, response: dict[str, Any]) -> dict[str, Any]:
    """A misbehaving service: hands back as unprocessed work nobody sent, in tables nobody named."""
    if operation == "BatchWriteItem":
        response["UnprocessedItems"] = {
            "users": [{"PutRequest": {"Item": {"user_id": {"S": "stranger"}, "name": {"S": "?"}}}}],
            "elsewhere": [{"DeleteRequest": {"Key": {"id": {"S": "x"}}}}],
        }
    else:
        response["UnprocessedKeys"] = {
            "users": {"Keys": [key_of("stranger")]},
            "elsewhere": {"Keys": [{"id": {"S": "x"}}]},
        }
    return response


async def test_unprocessed_work_nobody_asked_for_is_neither_resent_nor_reported(
    fake: FakeDynamoDB, db: DynamoDB
) -> None:
    scripted = ScriptedTransport(fake, strangers)
    client = DynamoDB(transport=scripted, retry=fake_policy(fake))
    written = await client.batch_write([BatchPut(u) for u in users(3)])
    assert written.unprocessed == [] and written.unprocessed_items == {}
    read = await client.batch_get([BatchGet(User, u.user_id) for u in users(3)])
    assert read.unprocessed == [] and read.unprocessed_keys == {}
    assert sorted(read.items[User], key=lambda u: u.user_id) == users(3)
    assert [op for op, _ in scripted.calls] == ["BatchWriteItem", "BatchGetItem"]
    assert stored(fake) == as_stored(users(3))


async def test_every_requested_model_has_a_list_even_when_nothing_is_found(db: DynamoDB) -> None:
    result = await db.batch_get([BatchGet(User, "nobody"), BatchGet(Order, "o", "c")])
    assert result.items == {User: [], Order: []}


async def test_composite_keys_need_the_range_key(fake: FakeDynamoDB, db: DynamoDB) -> None:
    with pytest.raises(ValueError, match="range_key is required"):
        await db.batch_get([BatchGet(Order, "o1")])
    assert batch_calls(fake) == []


# --- consumed capacity and metrics ------------------------------------------------------------


@table_decorator("readings", indexes=[LSI("by_value", "value")])
class Reading(DynamoModel):
    sensor: HashKey[str]
    at: RangeKey[int]
    value: int


async def test_consumed_capacity_and_metrics_are_summed_over_every_call(fake: FakeDynamoDB) -> None:
    async with mock_dynamodb(User, Reading, fake=fake) as setup:
        wire, db = on_wire(fake)
        # DynamoDB returns item collection metrics for tables with a local index only: readings.
        # Its two collections are written by the first and the last of three calls.
        fake.unprocess("BatchWriteItem", [key_of("u0")], times=1)
        ops: list[Any] = [
            BatchPut(Reading(sensor="s1", at=1, value=5)),
            *(BatchPut(u) for u in users(60)),
            BatchPut(Reading(sensor="s2", at=1, value=6)),
        ]
        result = await db.batch_write(ops, return_consumed_capacity=True, return_item_collection_metrics=True)
        assert result.unprocessed == []
        calls = sorted((r.requests, r.unprocessed) for r in batch_calls(fake))
        assert calls == [(1, 0), (12, 0), (25, 0), (25, 1)]
        # One unit per small item written (the resent one once); a reading adds one for its index entry.
        assert sorted((c["TableName"], c["CapacityUnits"]) for c in result.consumed_capacity or []) == [
            ("readings", 4.0),
            ("users", 60.0),
        ]
        assert result.item_collection_metrics == {
            "readings": [
                {"ItemCollectionKey": {"sensor": {"S": s}}, "SizeEstimateRangeGB": [0.0, 1.0]}
                for s in ("s1", "s2")
            ]
        }
        assert all(c.get("ReturnConsumedCapacity") == "TOTAL" for _, c in wire.calls)
        got = await db.batch_get(
            [BatchGet(User, u.user_id) for u in users(150)], return_consumed_capacity=True
        )
        # Half a unit per eventually consistent read of a small item, found or not, over two calls.
        assert got.consumed_capacity == [{"TableName": "users", "CapacityUnits": 75.0}]
        assert [r.requests for r in batch_calls(fake, "BatchGetItem")] == [100, 50]
        plain = await setup.batch_get([BatchGet(User, "u0")])
        assert plain.consumed_capacity is None


# --- properties over random batches -------------------------------------------------------------

key_space = st.sampled_from(["a", "b", "c", "d", "e", "f"])
operations = st.lists(
    st.one_of(
        st.builds(lambda k, n: BatchPut(User(user_id=k, name=n)), key_space, st.text(max_size=3)),
        st.builds(lambda k: BatchDelete(User, hash_key=k), key_space),
        st.builds(lambda k: BatchPut(Order(order_id=k, created="c")), key_space),
    ),
    max_size=12,
)
# How many sends leave a key unprocessed before it is served (absent: never left).
left_times = st.dictionaries(st.tuples(st.sampled_from(["users", "orders"]), key_space), st.integers(1, 4))


def _key(op: Any) -> tuple[str, str]:
    if isinstance(op, BatchPut):
        return (op.item.Meta.table_name, op.item.user_id if isinstance(op.item, User) else op.item.order_id)
    return (op.model.Meta.table_name, str(op.hash_key))


def _wire_key(table: str, k: str) -> dict[str, Any]:
    return key_of(k) if table == "users" else {"order_id": {"S": k}, "created": {"S": "c"}}


def _unprocess(fake: FakeDynamoDB, operation: str, left: dict[tuple[str, str], int]) -> None:
    for table in ("users", "orders"):
        for times in set(left.values()):
            keys = [_wire_key(t, k) for (t, k), n in left.items() if t == table and n == times]
            if keys:
                fake.unprocess(operation, keys, tables=table, times=times)


def _snapshot(fake: FakeDynamoDB) -> dict[tuple[str, str], dict[str, Any]]:
    return {(t, k): item for t in ("users", "orders") for k, item in stored(fake, t).items()}


@settings(max_examples=300, derandomize=True, deadline=None)
@given(ops=operations, left=left_times, attempts=st.integers(1, 4))
async def test_a_batch_is_rejected_whole_or_every_operation_is_applied_or_reported(
    ops: list[Any], left: dict[tuple[str, str], int], attempts: int
) -> None:
    fake = calm_fake()
    async with mock_dynamodb(User, Order, fake=fake, retry=RetryPolicy(max_attempts=attempts)) as db:
        await db.put(User(user_id="a", name="old"))
        before = _snapshot(fake)
        _unprocess(fake, "BatchWriteItem", left)
        keys = [_key(op) for op in ops]
        if len(set(keys)) != len(keys):
            with pytest.raises(ValueError, match="same key"):
                await db.batch_write(ops)
            assert batch_calls(fake) == [] and _snapshot(fake) == before
            return
        result = await db.batch_write(ops)
    # A key left on its first t sends is still pending after ``attempts`` sends iff t >= attempts;
    # sends stop when nothing is pending or attempts run out.
    expected_left = {key for key in keys if left.get(key, 0) >= attempts}
    assert {_key(op) for op in result.unprocessed} == expected_left
    assert len(result.unprocessed) == sum(len(v) for v in result.unprocessed_items.values())
    rounds = 1 + max((left.get(key, 0) for key in keys), default=0)
    assert len(batch_calls(fake)) == (min(attempts, rounds) if ops else 0)
    after = _snapshot(fake)
    for op, key in zip(ops, keys, strict=True):
        if key in expected_left:
            assert after.get(key) == before.get(key)
        elif isinstance(op, BatchPut):
            assert key in after and type(op.item).from_dynamo(after[key]) == op.item
        else:
            assert key not in after
    assert set(after) - set(keys) == set(before) - set(keys)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    wanted=st.lists(key_space, max_size=15),
    present=st.sets(key_space),
    left=st.dictionaries(key_space, st.integers(1, 4)),
    attempts=st.integers(1, 4),
)
async def test_every_requested_key_is_found_once_missing_or_reported(
    wanted: list[str], present: set[str], left: dict[str, int], attempts: int
) -> None:
    fake = calm_fake()
    async with mock_dynamodb(User, fake=fake, retry=RetryPolicy(max_attempts=attempts)) as db:
        await db.batch_write([BatchPut(User(user_id=k, name=k.upper())) for k in present])
        _unprocess(fake, "BatchGetItem", {("users", k): n for k, n in left.items()})
        result = await db.batch_get([BatchGet(User, hash_key=k) for k in wanted])
    expected_left = {k for k in wanted if left.get(k, 0) >= attempts}
    found = [u.user_id for u in result.items.get(User, [])]
    assert sorted(r.hash_key for r in result.unprocessed) == sorted(k for k in wanted if k in expected_left)
    assert sorted(found) == sorted((set(wanted) & present) - expected_left)
    assert all(u == User(user_id=u.user_id, name=u.user_id.upper()) for u in result.items.get(User, []))
    rounds = 1 + max((left.get(k, 0) for k in wanted), default=0)
    assert len(batch_calls(fake, "BatchGetItem")) == (min(attempts, rounds) if wanted else 0)
