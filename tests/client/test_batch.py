"""Batch logic against the scripted transport: chunking, concurrency, resends, duplicates, options."""

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
    RetryPolicy,
)
from aiodynamodb import table as table_decorator
from aiodynamodb.errors import (
    InternalServerError,
    ProvisionedThroughputExceededException,
    RequestLimitExceeded,
    ServiceUnavailable,
    ThrottlingException,
    ValidationException,
)

from .conftest import Counter, Order, RecordingClock, ScriptedTransport, User


def make_db(transport: ScriptedTransport, policy: RetryPolicy, **kwargs: Any) -> DynamoDB:
    return DynamoDB(transport=transport, retry=policy, **kwargs)


def users(n: int, prefix: str = "u") -> list[User]:
    return [User(user_id=f"{prefix}{i}", name=f"name {i}") for i in range(n)]


# --- chunking and concurrency -----------------------------------------------------------------


@settings(max_examples=200, derandomize=True, deadline=None)
@given(n=st.integers(min_value=0, max_value=260), limit=st.integers(min_value=1, max_value=12))
async def test_writes_are_chunked_by_25_and_run_at_most_max_concurrency_at_once(n: int, limit: int) -> None:
    transport = ScriptedTransport()
    db = DynamoDB(transport=transport, max_concurrency=limit)
    result = await db.batch_write([BatchPut(u) for u in users(n)])
    calls = transport.calls_of("BatchWriteItem")
    assert [sum(len(v) for v in c["RequestItems"].values()) for c in calls] == [25] * (n // 25) + (
        [n % 25] if n % 25 else []
    )
    assert transport.max_in_flight <= limit
    assert len(transport.store) == n
    assert result.unprocessed_items == {} and result.unprocessed == []


@settings(max_examples=200, derandomize=True, deadline=None)
@given(n=st.integers(min_value=0, max_value=450), limit=st.integers(min_value=1, max_value=12))
async def test_gets_are_chunked_by_100_and_every_stored_item_comes_back(n: int, limit: int) -> None:
    transport = ScriptedTransport()
    db = DynamoDB(transport=transport, max_concurrency=limit)
    stored = users(n)
    await db.batch_write([BatchPut(u) for u in stored])
    result = await db.batch_get(
        [BatchGet(User, hash_key=u.user_id) for u in stored] + [BatchGet(User, "missing")]
    )
    sizes = [
        sum(len(e["Keys"]) for e in c["RequestItems"].values()) for c in transport.calls_of("BatchGetItem")
    ]
    assert all(s <= 100 for s in sizes) and sum(sizes) == n + 1
    assert transport.max_in_flight <= limit
    assert sorted(result.items[User], key=lambda u: u.user_id) == sorted(stored, key=lambda u: u.user_id)


async def test_concurrency_is_used_when_allowed() -> None:
    transport = ScriptedTransport()
    await DynamoDB(transport=transport, max_concurrency=8).batch_write([BatchPut(u) for u in users(500)])
    assert transport.max_in_flight == 8


async def test_empty_batches_send_nothing(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    db = make_db(scripted, policy)
    assert (await db.batch_write([])).unprocessed_items == {}
    assert (await db.batch_get([])).items == {}
    assert scripted.calls == []


# --- unprocessed items and retries ------------------------------------------------------------


def leave_first(times: int) -> Any:
    """Leave the first request of each call unprocessed, for the first ``times`` calls."""
    state = {"left": times}

    def leave(requests: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        if state["left"] <= 0:
            return []
        state["left"] -= 1
        return requests[:1]

    return leave


async def test_unprocessed_writes_are_resent_with_backoff(
    scripted: ScriptedTransport, policy: RetryPolicy, clock: RecordingClock
) -> None:
    scripted.leave = leave_first(3)
    result = await make_db(scripted, policy).batch_write([BatchPut(u) for u in users(3)])
    assert result.unprocessed == [] and result.unprocessed_items == {}
    assert len(scripted.store) == 3
    sends = scripted.calls_of("BatchWriteItem")
    assert [len(c["RequestItems"]["users"]) for c in sends] == [3, 1, 1, 1]
    assert len(clock.sleeps) == 3
    assert all(0 <= s <= min(1.0, 0.1 * 2**i) for i, s in enumerate(clock.sleeps))


async def test_what_stays_unprocessed_is_reported_as_objects_and_wire_format(
    scripted: ScriptedTransport, clock: RecordingClock
) -> None:
    scripted.leave = lambda requests: requests[:2]
    ops: list[Any] = [
        BatchPut(User(user_id="a", name="A")),
        BatchDelete(User, hash_key="b"),
        BatchPut(users(1)[0]),
    ]
    db = DynamoDB(transport=scripted, retry=RetryPolicy(max_attempts=3, clock=clock))
    result = await db.batch_write(ops)
    assert result.unprocessed == ops[:2]
    assert result.unprocessed_items == {
        "users": [
            {"PutRequest": {"Item": {"user_id": {"S": "a"}, "name": {"S": "A"}}}},
            {"DeleteRequest": {"Key": {"user_id": {"S": "b"}}}},
        ]
    }
    assert len(scripted.calls) == 3 and len(clock.sleeps) == 2
    # The objects go straight back in.
    scripted.leave = lambda requests: []
    again = await db.batch_write(result.unprocessed)
    assert again.unprocessed == [] and ("users", ("S", "a")) in scripted.store


async def test_retry_none_sends_each_chunk_once(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    scripted.leave = lambda requests: requests[:1]
    db = make_db(scripted, policy)
    result = await db.batch_write([BatchPut(u) for u in users(30)], retry=None)
    assert len(scripted.calls) == 2 and len(result.unprocessed) == 2
    got = await db.batch_get([BatchGet(User, u.user_id) for u in users(30)], retry=None)
    assert len(scripted.calls) == 3 and len(got.unprocessed) == 1
    assert got.unprocessed_keys["users"]["Keys"] == [{"user_id": {"S": "u0"}}]


async def test_per_call_policy_overrides_the_client_policy(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    scripted.leave = lambda requests: requests[:1]
    result = await make_db(scripted, policy).batch_write(
        [BatchPut(u) for u in users(2)], retry=RetryPolicy(max_attempts=2, clock=RecordingClock())
    )
    assert len(scripted.calls) == 2 and len(result.unprocessed) == 1


async def test_unprocessed_keys_are_resent_and_mapped_back_to_requests(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = make_db(scripted, policy)
    await db.batch_write([BatchPut(u) for u in users(5)])
    scripted.leave = leave_first(2)
    result = await db.batch_get([BatchGet(User, f"u{i}") for i in range(5)])
    assert len(result.items[User]) == 5 and result.unprocessed == []
    scripted.leave = lambda requests: [r for r in requests if r[1]["user_id"]["S"] in ("u1", "u3")]
    result = await db.batch_get([BatchGet(User, f"u{i}", consistent_read=True) for i in range(5)])
    assert [r.hash_key for r in result.unprocessed] == ["u1", "u3"]
    assert result.unprocessed_keys == {
        "users": {"Keys": [{"user_id": {"S": "u1"}}, {"user_id": {"S": "u3"}}], "ConsistentRead": True}
    }
    assert sorted(u.user_id for u in result.items[User]) == ["u0", "u2", "u4"]


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
    scripted: ScriptedTransport, policy: RetryPolicy, clock: RecordingClock, error: type[Exception]
) -> None:
    db = make_db(scripted, policy)
    scripted.errors = [error("slow down", "BatchWriteItem") for _ in range(4)]
    result = await db.batch_write([BatchPut(u) for u in users(2)])
    assert result.unprocessed == [] and len(scripted.store) == 2 and len(clock.sleeps) == 4
    scripted.errors = [error("slow down", "BatchGetItem") for _ in range(5)]
    got = await db.batch_get([BatchGet(User, "u0")])
    assert got.unprocessed == [BatchGet(User, "u0")] and got.items == {User: []}
    assert got.unprocessed_keys == {"users": {"Keys": [{"user_id": {"S": "u0"}}]}}
    assert len(scripted.calls) == 5 + 5


async def test_other_errors_are_raised_at_once(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    scripted.errors = [ValidationException("bad", "BatchWriteItem")]
    with pytest.raises(ValidationException):
        await make_db(scripted, policy).batch_write([BatchPut(u) for u in users(2)])
    assert len(scripted.calls) == 1


async def test_after_a_failure_no_new_chunk_starts(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    scripted.errors = [ValidationException("bad", "BatchWriteItem")]
    with pytest.raises(ValidationException):
        await make_db(scripted, policy, max_concurrency=1).batch_write([BatchPut(u) for u in users(100)])
    assert len(scripted.calls) == 1


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
    scripted: ScriptedTransport, policy: RetryPolicy, ops: list[Any]
) -> None:
    with pytest.raises(ValueError, match=r"same key of table 'users': \{'user_id': 'x'\}"):
        await make_db(scripted, policy).batch_write([BatchPut(u) for u in users(40)] + ops)
    assert scripted.calls == []


async def test_numeric_keys_are_compared_as_numbers(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    with pytest.raises(ValueError, match="counters"):
        await make_db(scripted, policy).batch_write(
            [BatchPut(Counter(n=1)), BatchDelete(Counter, hash_key=1)]
        )


async def test_same_key_in_different_tables_is_fine(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    db = make_db(scripted, policy)
    await db.batch_write([BatchPut(User(user_id="x", name="n")), BatchPut(Order(order_id="x", created="c"))])
    assert len(scripted.store) == 2


async def test_duplicate_gets_are_requested_once_and_returned_once(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = make_db(scripted, policy)
    await db.batch_write([BatchPut(u) for u in users(2)])
    result = await db.batch_get([BatchGet(User, "u0"), BatchGet(User, "u1"), BatchGet(User, hash_key="u0")])
    (call,) = scripted.calls_of("BatchGetItem")
    assert call["RequestItems"]["users"]["Keys"] == [{"user_id": {"S": "u0"}}, {"user_id": {"S": "u1"}}]
    assert sorted(u.user_id for u in result.items[User]) == ["u0", "u1"]


@pytest.mark.parametrize("first", [True, False])
async def test_mixed_consistent_read_for_one_table_raises_in_either_order(
    scripted: ScriptedTransport, policy: RetryPolicy, first: bool
) -> None:
    requests = [BatchGet(User, "a", consistent_read=first), BatchGet(User, "b", consistent_read=not first)]
    with pytest.raises(ValueError, match="Conflicting consistent_read values for table 'users'"):
        await make_db(scripted, policy).batch_get(requests)
    assert scripted.calls == []


async def test_consistent_read_may_differ_between_tables(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = make_db(scripted, policy)
    await db.batch_get([BatchGet(User, "a", consistent_read=True), BatchGet(Order, "o", "c")])
    (call,) = scripted.calls
    assert call[1]["RequestItems"]["users"]["ConsistentRead"] is True
    assert "ConsistentRead" not in call[1]["RequestItems"]["orders"]


async def test_different_projections_for_one_table_raise(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    requests = [
        BatchGet(User, "a", projection_expression=[ProjectionAttr("name")]),
        BatchGet(User, "b", projection_expression=[ProjectionAttr("email")]),
    ]
    with pytest.raises(ValueError, match="Conflicting projection_expression values for table 'users'"):
        await make_db(scripted, policy).batch_get(requests)


async def test_projected_and_plain_reads_of_one_table_come_back_as_asked(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = make_db(scripted, policy)
    await db.batch_write([BatchPut(User(user_id=f"u{i}", name="N", email="e")) for i in range(2)])
    result = await db.batch_get(
        [BatchGet(User, "u0"), BatchGet(User, "u1", projection_expression=[ProjectionAttr("user_id")])]
    )
    by_id = {u.user_id: u for u in result.items[User]}
    assert by_id["u0"] == User(user_id="u0", name="N", email="e")
    assert by_id["u1"].model_fields_set == {"user_id"}
    assert not hasattr(by_id["u1"], "name") and by_id["u1"].email is None
    assert len(scripted.calls_of("BatchGetItem")) == 2  # a call carries one option set per table


@table_decorator("users")
class UserView(DynamoModel):
    user_id: HashKey[str]
    name: str


async def test_two_models_sharing_a_table_each_get_their_own_items(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = make_db(scripted, policy)
    await db.batch_write([BatchPut(u) for u in users(3)])
    result = await db.batch_get(
        [BatchGet(User, "u0"), BatchGet(UserView, "u1"), BatchGet(UserView, "u0"), BatchGet(User, "u2")]
    )
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


async def test_every_requested_model_has_a_list_even_when_nothing_is_found(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    result = await make_db(scripted, policy).batch_get([BatchGet(User, "nobody"), BatchGet(Order, "o", "c")])
    assert result.items == {User: [], Order: []}


async def test_composite_keys_need_the_range_key(scripted: ScriptedTransport, policy: RetryPolicy) -> None:
    with pytest.raises(ValueError, match="range_key is required"):
        await make_db(scripted, policy).batch_get([BatchGet(Order, "o1")])


# --- consumed capacity and metrics ------------------------------------------------------------


async def test_consumed_capacity_and_metrics_are_summed_over_every_call(
    scripted: ScriptedTransport, policy: RetryPolicy
) -> None:
    db = make_db(scripted, policy)
    scripted.leave = leave_first(1)
    ops: list[Any] = [BatchPut(u) for u in users(60)] + [BatchPut(Order(order_id="o", created="c"))]
    result = await db.batch_write(ops, return_consumed_capacity=True, return_item_collection_metrics=True)
    assert sorted((c["TableName"], c["CapacityUnits"]) for c in result.consumed_capacity or []) == [
        ("orders", 1.0),
        ("users", 60.0),
    ]
    assert result.item_collection_metrics is not None and set(result.item_collection_metrics) == {
        "users",
        "orders",
    }
    assert all(c.get("ReturnConsumedCapacity") == "TOTAL" for _, c in scripted.calls)
    got = await db.batch_get([BatchGet(User, u.user_id) for u in users(150)], return_consumed_capacity=True)
    assert got.consumed_capacity == [{"TableName": "users", "CapacityUnits": 75.0}]
    plain = await db.batch_get([BatchGet(User, "u0")])
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


def _key(op: Any) -> tuple[str, str]:
    if isinstance(op, BatchPut):
        return (op.item.Meta.table_name, op.item.user_id if isinstance(op.item, User) else op.item.order_id)
    return (op.model.Meta.table_name, str(op.hash_key))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    ops=operations, leave_mask=st.lists(st.booleans(), min_size=1, max_size=20), attempts=st.integers(1, 4)
)
async def test_a_batch_is_rejected_whole_or_every_operation_is_applied_or_reported(
    ops: list[Any], leave_mask: list[bool], attempts: int
) -> None:
    transport = ScriptedTransport()
    transport.store[("users", ("S", "a"))] = {"user_id": {"S": "a"}, "name": {"S": "old"}}
    before = dict(transport.store)
    rounds = iter(leave_mask)
    transport.leave = lambda requests: [r for r, drop in zip(requests, rounds, strict=False) if drop]
    db = DynamoDB(transport=transport, retry=RetryPolicy(max_attempts=attempts, clock=RecordingClock()))
    keys = [_key(op) for op in ops]
    if len(set(keys)) != len(keys):
        with pytest.raises(ValueError, match="same key"):
            await db.batch_write(ops)
        assert transport.calls == [] and transport.store == before
        return
    result = await db.batch_write(ops)
    assert len(transport.calls) <= attempts * max(1, -(-len(ops) // 25))
    unprocessed = {_key(op) for op in result.unprocessed}
    assert len(result.unprocessed) == sum(len(v) for v in result.unprocessed_items.values())
    for op, key in zip(ops, keys, strict=True):
        where = (key[0], ("S", key[1])) + ((("S", "c"),) if key[0] == "orders" else ())
        stored = transport.store.get(where)
        if key in unprocessed:
            assert stored == before.get(where)
        elif isinstance(op, BatchPut):
            assert stored == op.item.to_dynamo()
        else:
            assert stored is None


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    wanted=st.lists(key_space, max_size=15),
    stored=st.sets(key_space),
    leave_mask=st.lists(st.booleans(), max_size=20),
    attempts=st.integers(1, 4),
)
async def test_every_requested_key_is_found_once_missing_or_reported(
    wanted: list[str], stored: set[str], leave_mask: list[bool], attempts: int
) -> None:
    transport = ScriptedTransport()
    for k in stored:
        transport.store[("users", ("S", k))] = {"user_id": {"S": k}, "name": {"S": k.upper()}}
    rounds = iter(leave_mask)
    transport.leave = lambda requests: [r for r, drop in zip(requests, rounds, strict=False) if drop]
    db = DynamoDB(transport=transport, retry=RetryPolicy(max_attempts=attempts, clock=RecordingClock()))
    result = await db.batch_get([BatchGet(User, hash_key=k) for k in wanted])
    found = [u.user_id for u in result.items.get(User, [])]
    unprocessed = {r.hash_key for r in result.unprocessed}
    assert len(found) == len(set(found))
    for k in set(wanted):
        if k in unprocessed:
            assert k not in found
        else:
            assert (k in found) == (k in stored)
    assert all(u == User(user_id=u.user_id, name=u.user_id.upper()) for u in result.items.get(User, []))
