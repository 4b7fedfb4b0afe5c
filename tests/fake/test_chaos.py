"""The fault plan: throttle, fail and unprocess, their scope (operations, tables, after, times),
determinism, the journal and events, and DynamoDB's throttling errors word for word."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb import errors
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.suite import SuiteChaos, set_suite_chaos
from aiodynamodb_fake.throttling import (
    ON_DEMAND_MESSAGE,
    TABLE_PROVISIONED_MESSAGE,
)
from tests.fake.operations.builders import create_table, item, key

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/{}"


def provisioned_table(fake: FakeDynamoDB, name: str) -> str:
    return create_table(fake, name, provisioned=(5, 5))


def puts(table: str, count: int, *, start: int = 0) -> dict[str, Any]:
    return {
        "RequestItems": {table: [{"PutRequest": {"Item": item("p", i)}} for i in range(start, start + count)]}
    }


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB()


# --- whole-call throttling: DynamoDB's errors ---------------------------------------------------


def test_a_batch_with_every_write_throttled_fails_whole_on_a_provisioned_table(fake: FakeDynamoDB) -> None:
    table = provisioned_table(fake, "prov")
    fake.throttle(1.0)
    with pytest.raises(errors.ProvisionedThroughputExceededException) as caught:
        fake.call_sync("BatchWriteItem", puts(table, 3))
    assert caught.value.message == TABLE_PROVISIONED_MESSAGE
    assert caught.value.operation_name == "BatchWriteItem"
    assert caught.value.response["ThrottlingReasons"] == [
        {"reason": "TableWriteProvisionedThroughputExceeded", "resource": ARN.format("prov")}
    ]
    assert fake.item_count(table) == 0


def test_an_on_demand_table_answers_throttling_exception_with_lower_case_reasons(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "ondemand")
    fake.throttle(1.0)
    with pytest.raises(errors.ThrottlingException) as caught:
        fake.call_sync("GetItem", {"TableName": table, "Key": key("p", 1)})
    assert caught.value.message == ON_DEMAND_MESSAGE
    assert caught.value.response["throttlingReasons"] == [
        {"reason": "TableReadKeyRangeThroughputExceeded", "resource": ARN.format("ondemand")}
    ]
    assert "ThrottlingReasons" not in caught.value.response


@pytest.mark.parametrize(
    ("operation", "request_for"),
    [
        ("PutItem", lambda t: {"TableName": t, "Item": item("p", 1)}),
        ("DeleteItem", lambda t: {"TableName": t, "Key": key("p", 1)}),
        ("GetItem", lambda t: {"TableName": t, "Key": key("p", 1)}),
    ],
)
def test_single_item_operations_fail_whole(fake: FakeDynamoDB, operation: str, request_for: Any) -> None:
    table = provisioned_table(fake, "prov")
    fake.call_sync("PutItem", {"TableName": table, "Item": item("p", 1, v={"S": "before"})})
    fake.throttle(1.0)
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        fake.call_sync(operation, request_for(table))
    fake.clear_faults()
    assert fake.items(table) == [item("p", 1, v={"S": "before"})]


def test_table_operations_are_never_throttled(fake: FakeDynamoDB) -> None:
    fake.throttle(1.0)
    create_table(fake, "tab1")
    fake.call_sync("DescribeTable", {"TableName": "tab1"})
    fake.call_sync("ListTables", {})
    fake.call_sync("DeleteTable", {"TableName": "tab1"})
    assert fake.events == []


def test_a_malformed_request_is_rejected_not_throttled(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    fake.throttle(1.0)
    with pytest.raises(errors.ValidationException):
        fake.call_sync("PutItem", {"TableName": table, "Item": {"pk": {"S": "a"}}})
    with pytest.raises(errors.ResourceNotFoundException):
        fake.call_sync("PutItem", {"TableName": "missing", "Item": item("a", 1)})
    assert fake.events == []


# --- item-level throttling in batches ------------------------------------------------------------


def test_throttled_writes_come_back_exactly_as_sent_and_are_not_applied(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    sent = [
        {"PutRequest": {"Item": item("p", i, n={"N": "1.50"}, m={"M": {"x": {"L": [{"S": "y"}]}}})}}
        for i in range(25)
    ]
    fake.throttle(0.5, seed=7)
    response = fake.call_sync("BatchWriteItem", {"RequestItems": {table: sent}})
    left = response["UnprocessedItems"][table]
    assert 0 < len(left) < 25
    assert all(request in sent for request in left)  # "1.50" as sent, not normalised
    applied = {int(i["sk"]["N"]) for i in fake.items(table)}
    left_keys = {int(r["PutRequest"]["Item"]["sk"]["N"]) for r in left}
    assert applied | left_keys == set(range(25)) and not applied & left_keys
    # resending what came back, as it is, converges
    request: dict[str, Any] = {"RequestItems": response["UnprocessedItems"]}
    for _ in range(50):
        try:
            request = {"RequestItems": fake.call_sync("BatchWriteItem", request)["UnprocessedItems"]}
        except errors.ThrottlingException:  # every request left throttled: nothing applied, resend
            continue
        if not request["RequestItems"]:
            break
    assert fake.item_count(table) == 25


def test_consumed_capacity_counts_only_the_writes_performed(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    fake.throttle(0.5, seed=3)
    response = fake.call_sync("BatchWriteItem", {**puts(table, 20), "ReturnConsumedCapacity": "TOTAL"})
    left = len(response["UnprocessedItems"][table])
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": float(20 - left)}]


def test_throttled_keys_keep_their_tables_read_options(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    other = create_table(fake, "uuu")
    for name in (table, other):
        fake.call_sync("BatchWriteItem", puts(name, 20))
    options = {
        "ProjectionExpression": "#p, sk",
        "ExpressionAttributeNames": {"#p": "pk"},
        "ConsistentRead": True,
    }
    request = {
        "RequestItems": {
            table: {"Keys": [key("p", i) for i in range(20)], **options},
            other: {"Keys": [key("p", i) for i in range(20)], "AttributesToGet": ["pk"]},
        }
    }
    fake.throttle(0.4, seed=11)
    response = fake.call_sync("BatchGetItem", request)
    unprocessed = response["UnprocessedKeys"]
    assert {n: {k: v for k, v in e.items() if k != "Keys"} for n, e in unprocessed.items()} == {
        table: options,
        other: {"AttributesToGet": ["pk"]},
    }
    for name in (table, other):
        got = {int(i["sk"]["N"]) for i in response["Responses"][name]} if name == table else set()
        left = {int(k["sk"]["N"]) for k in unprocessed[name]["Keys"]}
        if name == table:
            assert got | left == set(range(20)) and not got & left
        assert len(response["Responses"][name]) + len(left) == 20
    fake.clear_faults()
    again = fake.call_sync("BatchGetItem", {"RequestItems": unprocessed})
    assert again["UnprocessedKeys"] == {}
    assert all(set(i) == {"pk", "sk"} for i in again["Responses"][table])


def test_a_throttle_scoped_to_one_table_leaves_the_others_alone(fake: FakeDynamoDB) -> None:
    a, b = create_table(fake, "aaa"), create_table(fake, "bbb")
    fake.throttle(1.0, tables=["aaa"])
    request = {"RequestItems": {**puts(a, 5)["RequestItems"], **puts(b, 5)["RequestItems"]}}
    response = fake.call_sync("BatchWriteItem", request)
    assert len(response["UnprocessedItems"][a]) == 5 and b not in response["UnprocessedItems"]
    assert fake.item_count(a) == 0 and fake.item_count(b) == 5


def test_operations_after_and_times_bound_a_throttle(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    handle = fake.throttle(1.0, operations=["BatchWriteItem"], after=2, times=3)
    fake.call_sync("PutItem", {"TableName": table, "Item": item("x", 0)})  # other operation: untouched
    outcomes = []
    for n in range(8):
        try:
            fake.call_sync("BatchWriteItem", puts(table, 1, start=n))
            outcomes.append("ok")
        except errors.ThrottlingException:
            outcomes.append("throttled")
    assert outcomes == ["ok", "ok", "throttled", "throttled", "throttled", "ok", "ok", "ok"]
    assert handle.fired == 3
    fake.assert_faults_consumed()


def test_a_handle_is_a_context_manager(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    with fake.throttle(1.0), pytest.raises(errors.ThrottlingException):
        fake.call_sync("BatchWriteItem", puts(table, 2))
    assert fake.call_sync("BatchWriteItem", puts(table, 2))["UnprocessedItems"] == {}
    handle = fake.throttle(1.0)
    handle.remove()
    assert fake.call_sync("BatchWriteItem", puts(table, 2))["UnprocessedItems"] == {}


# --- determinism -----------------------------------------------------------------------------------


def run_load(fake: FakeDynamoDB, *, extra_tables: int = 0) -> list[int]:
    for n in range(extra_tables):
        create_table(fake, f"extra{n}")
    table = create_table(fake, "tbl")
    fake.throttle(0.3)
    return [
        len(
            fake.call_sync("BatchWriteItem", puts(table, 25, start=25 * n))["UnprocessedItems"].get(table, [])
        )
        for n in range(10)
    ]


def test_the_same_seed_replays_the_same_faults_and_table_creation_does_not_shift_them() -> None:
    first = run_load(FakeDynamoDB(seed=5))
    assert first == run_load(FakeDynamoDB(seed=5))
    assert first == run_load(FakeDynamoDB(seed=5), extra_tables=3)
    assert first != run_load(FakeDynamoDB(seed=6))


def test_an_explicit_throttle_seed_wins_over_the_fakes() -> None:
    def left(fake_seed: int) -> list[str]:
        fake = FakeDynamoDB(seed=fake_seed)
        table = create_table(fake, "tbl")
        fake.throttle(0.5, seed=99)
        return [str(fake.call_sync("BatchWriteItem", puts(table, 25))["UnprocessedItems"])]

    assert left(1) == left(2)


# --- fail and unprocess ----------------------------------------------------------------------------


def test_fail_raises_the_scripted_error_before_anything_is_read(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    fake.fail("BatchWriteItem", "InternalServerError", times=2)
    for _ in range(2):
        with pytest.raises(errors.InternalServerError) as caught:
            fake.call_sync("BatchWriteItem", {"RequestItems": {"no such table": []}})
        assert caught.value.message == "Internal server error"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert fake.call_sync("BatchWriteItem", puts(table, 1))["UnprocessedItems"] == {}
    fake.assert_faults_consumed()


def test_fail_takes_any_code_class_or_instance_and_a_scope(fake: FakeDynamoDB) -> None:
    a, b = create_table(fake, "aaa"), create_table(fake, "bbb")
    fake.fail(None, errors.RequestLimitExceeded, tables="bbb", after=1)
    fake.fail("PutItem", errors.ValidationException("custom words"))
    fake.fail("GetItem", "SomeFutureException", message="new")
    with pytest.raises(errors.ValidationException) as custom:
        fake.call_sync("PutItem", {"TableName": a, "Item": item("p", 1)})
    assert custom.value.message == "custom words"
    with pytest.raises(errors.error_class("SomeFutureException")) as future:
        fake.call_sync("GetItem", {"TableName": a, "Key": key("p", 1)})
    assert future.value.message == "new"
    fake.call_sync("GetItem", {"TableName": b, "Key": key("p", 1)})  # after=1: the first is spared
    with pytest.raises(errors.RequestLimitExceeded) as limited:
        fake.call_sync("GetItem", {"TableName": b, "Key": key("p", 1)})
    assert limited.value.message.startswith("Throughput exceeds the current throughput limit")
    fake.assert_faults_consumed()


def test_unprocess_leaves_exactly_the_chosen_keys(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    fake.unprocess("BatchWriteItem", keys=[key("p", 3), {"pk": {"S": "p"}, "sk": {"N": "7.0"}}])
    response = fake.call_sync("BatchWriteItem", puts(table, 10))
    assert response["UnprocessedItems"] == {table: [{"PutRequest": {"Item": item("p", i)}} for i in (3, 7)]}
    assert (
        fake.call_sync("BatchWriteItem", {"RequestItems": response["UnprocessedItems"]})["UnprocessedItems"]
        == {}
    )
    fake.assert_faults_consumed()


def test_assert_faults_consumed_names_what_never_fired(fake: FakeDynamoDB) -> None:
    fake.fail("GetItem", "InternalServerError")
    fake.unprocess("BatchGetItem", keys=[key("p", 1)])
    with pytest.raises(AssertionError, match=r"(?s)fail operations=\['GetItem'\].*unprocess"):
        fake.assert_faults_consumed()


def test_unknown_operation_names_are_refused(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValueError, match="unknown operation 'BatchWrite'"):
        fake.throttle(0.5, operations=["BatchWrite"])


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_a_rate_outside_zero_to_one_is_refused(fake: FakeDynamoDB, rate: float) -> None:
    with pytest.raises(ValueError, match="rate"):
        fake.throttle(rate)


# --- journal, events, inspection -------------------------------------------------------------------


def test_events_and_requests_record_what_happened(fake: FakeDynamoDB) -> None:
    table = create_table(fake, "tbl")
    fake.unprocess("BatchWriteItem", keys=[key("p", 0)])
    fake.call_sync("BatchWriteItem", puts(table, 3))
    with pytest.raises(errors.ResourceNotFoundException):
        fake.call_sync("GetItem", {"TableName": "nope", "Key": key("p", 0)})
    (event,) = fake.events
    assert (event.call, event.kind, event.operation, event.tables) == (
        2,
        "unprocess",
        "BatchWriteItem",
        ("tbl",),
    )
    records = fake.requests
    assert [(r.operation, r.tables, r.requests, r.outcome, r.unprocessed) for r in records] == [
        ("CreateTable", ("tbl",), 0, "OK", 0),
        ("BatchWriteItem", ("tbl",), 3, "OK", 1),
        ("GetItem", ("nope",), 1, "ResourceNotFoundException", 0),
    ]
    assert str(records[1]) == "#2 t=1767225600.000 BatchWriteItem [tbl] x3: OK, 1 unprocessed"
    assert str(event) == "#2 t=1767225600.000 unprocess BatchWriteItem [tbl]: 1 of 3 requests"


def test_the_journal_is_bounded(fake: FakeDynamoDB) -> None:
    for _ in range(1100):
        fake.call_sync("ListTables", {})
    records = fake.requests
    assert len(records) == 1000 and records[-1].call == 1100


def test_inspection_lists_tables_and_items_in_key_order(fake: FakeDynamoDB) -> None:
    create_table(fake, "bbb")
    create_table(fake, "aaa")
    users = create_table(fake, "users", hash_key=("id", "N"), range_key=None)
    fake.call_sync(
        "BatchWriteItem",
        {
            "RequestItems": {
                "aaa": [
                    {"PutRequest": {"Item": item(pk, sk)}}
                    for pk, sk in [("z", 2), ("b", 10), ("z", 1), ("b", 9)]
                ]
            }
        },
    )
    fake.call_sync(
        "BatchWriteItem",
        {"RequestItems": {users: [{"PutRequest": {"Item": {"id": {"N": n}}}} for n in ["10", "9", "-1"]]}},
    )
    assert fake.table_names() == ["aaa", "bbb", "users"]
    assert fake.items("aaa") == [item("b", 9), item("b", 10), item("z", 1), item("z", 2)]
    assert [i["id"]["N"] for i in fake.items(users)] == ["-1", "9", "10"]
    assert fake.item_count("aaa") == 4 and fake.item_count("bbb") == 0
    with pytest.raises(errors.ResourceNotFoundException):
        fake.items("missing")


def test_suite_chaos_applies_to_every_new_fake() -> None:
    set_suite_chaos(SuiteChaos(throttle=1.0, seed=42, capacity=True))
    try:
        fake = FakeDynamoDB()
        assert fake.seed == 42 and fake.capacity
        table = create_table(fake, "tbl")
        with pytest.raises(errors.ThrottlingException):
            fake.call_sync("BatchWriteItem", puts(table, 2))
    finally:
        set_suite_chaos(None)
    assert FakeDynamoDB().seed == 0 and not FakeDynamoDB().capacity
