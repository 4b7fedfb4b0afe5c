"""The capacity model (``FakeDynamoDB(capacity=True)``): provisioned and GSI token buckets with burst,
on-demand maxima, per-partition limits, what each unit costs, and the errors DynamoDB answers with;
and CreateTable/DescribeTable's OnDemandThroughput, which the on-demand maxima come from."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aiodynamodb import DynamoDB, DynamoModel, HashKey, RetryPolicy, errors, table
from aiodynamodb.batch import BatchPut
from aiodynamodb.testing import policy_for_fake
from aiodynamodb_fake import FakeDynamoDB, VirtualClock
from aiodynamodb_fake.suite import SuiteChaos, set_suite_chaos
from aiodynamodb_fake.throttling import (
    INDEX_PROVISIONED_MESSAGE,
    ON_DEMAND_MESSAGE,
    TABLE_PROVISIONED_MESSAGE,
)

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/{}"
INVALID = "One or more parameter values were invalid: "
GSI_KEY = [{"AttributeName": "g", "KeyType": "HASH"}]


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def fake(clock: VirtualClock) -> FakeDynamoDB:
    return FakeDynamoDB(clock=clock, capacity=True)


def create(
    fake: FakeDynamoDB,
    name: str,
    *,
    rcu: int | None = None,
    wcu: int | None = None,
    gsi: dict[str, Any] | None = None,
    **members: Any,
) -> str:
    """A table pk (S) / sk (N): PROVISIONED when ``rcu``/``wcu`` are given, else on-demand; ``gsi``
    adds GSI ``g-a`` on ``g`` (S, projection ALL) with these extra members."""
    request: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        **members,
    }
    if rcu is not None or wcu is not None:
        request["ProvisionedThroughput"] = {"ReadCapacityUnits": rcu or 1, "WriteCapacityUnits": wcu or 1}
    else:
        request["BillingMode"] = "PAY_PER_REQUEST"
    if gsi is not None:
        request["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
        request["GlobalSecondaryIndexes"] = [
            {"IndexName": "g-a", "KeySchema": GSI_KEY, "Projection": {"ProjectionType": "ALL"}, **gsi}
        ]
    fake.call_sync("CreateTable", request)
    return name


def item(pk: str, sk: int, *, pad: int = 0, **attrs: Any) -> dict[str, Any]:
    """An item of ``create``'s tables; ``pad`` bytes of padding make it bigger (1 KB per WCU)."""
    found = {"pk": {"S": pk}, "sk": {"N": str(sk)}, **attrs}
    if pad:
        found["pad"] = {"S": "x" * pad}
    return found


def key(pk: str, sk: int) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def put(fake: FakeDynamoDB, name: str, new: dict[str, Any]) -> dict[str, Any]:
    return fake.call_sync("PutItem", {"TableName": name, "Item": new, "ReturnConsumedCapacity": "INDEXES"})


def batch_put(fake: FakeDynamoDB, requests: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """BatchWriteItem of these items per table; returns its UnprocessedItems."""
    items = {name: [{"PutRequest": {"Item": i}} for i in found] for name, found in requests.items()}
    unprocessed: dict[str, Any] = fake.call_sync("BatchWriteItem", {"RequestItems": items})[
        "UnprocessedItems"
    ]
    return unprocessed


def served(fake: FakeDynamoDB, name: str, items: list[dict[str, Any]]) -> int:
    """How many of ``items`` (sent 25 per BatchWriteItem, once each) were written."""
    written = 0
    for start in range(0, len(items), 25):
        chunk = items[start : start + 25]
        try:
            left = batch_put(fake, {name: chunk})
        except (errors.ProvisionedThroughputExceededException, errors.ThrottlingException):
            continue
        written += len(chunk) - len(left.get(name, []))
    return written


def reasons(err: errors.DynamoDBError) -> list[dict[str, str]]:
    """The error's throttling reasons, whichever casing its class uses."""
    response: dict[str, Any] = dict(err.response)
    found = response.get("ThrottlingReasons") or response.get("throttlingReasons")
    assert isinstance(found, list)
    return found


# --- OnDemandThroughput at CreateTable and DescribeTable ------------------------------------------


def describe(fake: FakeDynamoDB, name: str) -> dict[str, Any]:
    described: dict[str, Any] = fake.call_sync("DescribeTable", {"TableName": name})["Table"]
    return described


def test_on_demand_maxima_are_described_with_only_the_members_set(fake: FakeDynamoDB) -> None:
    create(fake, "both", OnDemandThroughput={"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50})
    create(fake, "reads", OnDemandThroughput={"MaxReadRequestUnits": 100})
    create(fake, "empty", OnDemandThroughput={})
    create(fake, "none")
    assert describe(fake, "both")["OnDemandThroughput"] == {
        "MaxReadRequestUnits": 100,
        "MaxWriteRequestUnits": 50,
    }
    assert describe(fake, "reads")["OnDemandThroughput"] == {"MaxReadRequestUnits": 100}
    assert "OnDemandThroughput" not in describe(fake, "empty")  # {} is as if absent (2026 capture)
    assert "OnDemandThroughput" not in describe(fake, "none")


def test_a_global_index_describes_its_own_maxima(fake: FakeDynamoDB) -> None:
    answer = fake.call_sync(
        "CreateTable",
        {
            "TableName": "gsis",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "g-a",
                    "KeySchema": GSI_KEY,
                    "Projection": {"ProjectionType": "ALL"},
                    "OnDemandThroughput": {"MaxWriteRequestUnits": 7},
                }
            ],
        },
    )
    (index,) = answer["TableDescription"]["GlobalSecondaryIndexes"]
    assert index["OnDemandThroughput"] == {"MaxWriteRequestUnits": 7}
    assert describe(fake, "gsis")["GlobalSecondaryIndexes"][0]["OnDemandThroughput"] == {
        "MaxWriteRequestUnits": 7
    }


@pytest.mark.parametrize(
    ("on_demand", "message"),
    [
        ({"MaxReadRequestUnits": 0, "MaxWriteRequestUnits": 0}, "Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range"),
        ({"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1}, "Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range"),
        ({"MaxReadRequestUnits": 5, "MaxWriteRequestUnits": -2}, "Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range"),
    ],
)  # fmt: skip
def test_on_demand_maxima_are_at_least_one_at_creation(
    fake: FakeDynamoDB, on_demand: dict[str, int], message: str
) -> None:
    """-1 removes a maximum through UpdateTable; at creation it is out of range (2026 captures)."""
    with pytest.raises(errors.ValidationException) as caught:
        create(fake, "odt", OnDemandThroughput=on_demand)
    assert caught.value.message == INVALID + message


def test_on_demand_maxima_are_refused_on_a_provisioned_table(fake: FakeDynamoDB) -> None:
    """The gate names the first member set, read before write, and comes before the range check."""
    with pytest.raises(errors.ValidationException) as caught:
        create(fake, "prov", rcu=1, wcu=1, OnDemandThroughput={"MaxWriteRequestUnits": 0})
    assert caught.value.message == (
        INVALID
        + "MaxWriteRequestUnits for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED."
    )


def test_a_global_index_maximum_has_its_own_messages(fake: FakeDynamoDB) -> None:
    with pytest.raises(errors.ValidationException) as caught:
        create(fake, "odt", gsi={"OnDemandThroughput": {"MaxReadRequestUnits": 0}})
    assert caught.value.message == (
        INVALID
        + "Requested MaxReadRequestUnits for OnDemandThroughput for index : g-a is outside of valid range"
    )
    with pytest.raises(errors.ValidationException) as caught:
        create(
            fake,
            "prov",
            rcu=1,
            wcu=1,
            gsi={
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                "OnDemandThroughput": {"MaxReadRequestUnits": 3},
            },
        )
    assert caught.value.message == (
        INVALID
        + "MaxReadRequestUnits for OnDemandThroughput for index: g-a cannot be specified when table BillingMode is PROVISIONED."
    )


@pytest.mark.parametrize("on_demand", [{"MaxReadRequestUnits": "5"}, {"MaxWriteRequestUnits": 1.5}, 7])
def test_on_demand_members_of_the_wrong_kind_are_serialization_errors(
    fake: FakeDynamoDB, on_demand: Any
) -> None:
    with pytest.raises(errors.SerializationException):
        create(fake, "odt", OnDemandThroughput=on_demand)


# --- provisioned tables: burst, refill, the debit rule --------------------------------------------


def test_a_new_table_starts_with_one_second_of_capacity(fake: FakeDynamoDB) -> None:
    """Burst capacity is built from unused capacity, and a new table has left none unused yet."""
    create(fake, "tbl", wcu=25)
    unprocessed = batch_put(fake, {"tbl": [item("p", i) for i in range(25)]})
    assert unprocessed == {}
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        put(fake, "tbl", item("p", 25))
    assert fake.item_count("tbl") == 25


def test_unused_capacity_accrues_up_to_300_seconds(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(fake, "tbl", wcu=2)
    clock.advance(10)
    assert served(fake, "tbl", [item(f"p{i}", 0) for i in range(50)]) == 2 + 10 * 2
    clock.advance(3600)
    assert served(fake, "tbl", [item(f"q{i}", 0) for i in range(700)]) == 300 * 2


def test_capacity_refills_continuously_on_the_fake_clock(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(fake, "tbl", wcu=4)
    assert served(fake, "tbl", [item(f"a{i}", 0) for i in range(10)]) == 4
    clock.advance(0.5)
    assert served(fake, "tbl", [item(f"b{i}", 0) for i in range(10)]) == 2
    clock.advance(0.25)
    assert served(fake, "tbl", [item(f"c{i}", 0) for i in range(10)]) == 1


def test_a_unit_is_served_while_capacity_remains_then_the_debt_is_repaid(
    fake: FakeDynamoDB, clock: VirtualClock
) -> None:
    """A write bigger than the bucket still goes through (a 5 KB item on a 1-WCU table), and the
    table then waits until the debt is repaid: allow while > 0, then debit the whole cost."""
    create(fake, "tbl", wcu=1)
    answer = put(fake, "tbl", item("p", 1, pad=5000))
    assert answer["ConsumedCapacity"]["CapacityUnits"] == 5.0
    for wait in (1, 1, 1, 1):  # level -4, -3, -2, -1, 0: still nothing to serve with
        clock.advance(wait)
        with pytest.raises(errors.ProvisionedThroughputExceededException):
            put(fake, "tbl", item("p", 2))
    clock.advance(0.5)
    put(fake, "tbl", item("p", 2))


def test_a_single_put_beyond_capacity_is_provisioned_throughput_exceeded(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", wcu=1)
    put(fake, "tbl", item("p", 1))
    with pytest.raises(errors.ProvisionedThroughputExceededException) as caught:
        put(fake, "tbl", item("p", 2))
    assert caught.value.message == TABLE_PROVISIONED_MESSAGE
    assert reasons(caught.value) == [
        {"reason": "TableWriteProvisionedThroughputExceeded", "resource": ARN.format("tbl")}
    ]


def test_reads_charge_the_read_bucket_by_size_and_consistency(
    fake: FakeDynamoDB, clock: VirtualClock
) -> None:
    create(fake, "tbl", rcu=2, wcu=100)
    put(fake, "tbl", item("p", 1, pad=5000))  # 2 RCU consistent, 1 eventual
    get = {"TableName": "tbl", "Key": key("p", 1)}
    fake.call_sync("GetItem", get)  # eventual: 1 of 2
    fake.call_sync("GetItem", {**get, "Key": key("p", 9)})  # missing, eventual: 0.5
    fake.call_sync("GetItem", {**get, "Key": key("p", 9)})  # 0.5 left: served, level 0
    with pytest.raises(errors.ProvisionedThroughputExceededException) as caught:
        fake.call_sync("GetItem", {**get, "ConsistentRead": True})
    assert reasons(caught.value) == [
        {"reason": "TableReadProvisionedThroughputExceeded", "resource": ARN.format("tbl")}
    ]
    clock.advance(0.5)  # 1 RCU: a consistent read of 2 is served, leaving -1
    fake.call_sync("GetItem", {**get, "ConsistentRead": True})
    clock.advance(0.5)
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        fake.call_sync("GetItem", get)


def test_writes_do_not_draw_on_reads(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", rcu=1, wcu=1)
    put(fake, "tbl", item("p", 1))
    fake.call_sync("GetItem", {"TableName": "tbl", "Key": key("p", 1), "ConsistentRead": True})
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        fake.call_sync("GetItem", {"TableName": "tbl", "Key": key("p", 1)})


def test_batch_get_leaves_the_keys_over_capacity_unprocessed(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", rcu=3, wcu=10)
    keys = [key("p", i) for i in range(5)]
    answer = fake.call_sync("BatchGetItem", {"RequestItems": {"tbl": {"Keys": keys, "ConsistentRead": True}}})
    assert answer["UnprocessedKeys"]["tbl"]["Keys"] == keys[3:]
    assert answer["UnprocessedKeys"]["tbl"]["ConsistentRead"] is True


# --- what a write costs --------------------------------------------------------------------------


def test_a_replace_costs_the_larger_item_and_a_delete_the_stored_one(
    fake: FakeDynamoDB, clock: VirtualClock
) -> None:
    create(fake, "tbl", wcu=3)
    put(fake, "tbl", item("p", 1, pad=2500))  # 3 WCU: level 0
    clock.advance(1)
    put(fake, "tbl", item("p", 1))  # small, but replaces 3 KB: 3 WCU
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        put(fake, "tbl", item("q", 1))
    clock.advance(1)
    fake.call_sync("DeleteItem", {"TableName": "tbl", "Key": key("nothing", 1)})  # 1
    fake.call_sync("DeleteItem", {"TableName": "tbl", "Key": key("p", 1)})  # 1 (it is small now)
    fake.call_sync("DeleteItem", {"TableName": "tbl", "Key": key("nothing", 2)})  # 1
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        fake.call_sync("DeleteItem", {"TableName": "tbl", "Key": key("nothing", 3)})


ABSENT = {"ConditionExpression": "attribute_not_exists(pk)"}  # fails on an item that is there


def refused(fake: FakeDynamoDB, operation: str, request: dict[str, Any]) -> None:
    with pytest.raises(errors.ConditionalCheckFailedException):
        fake.call_sync(operation, {"TableName": "tbl", **ABSENT, **request})


def test_a_put_refused_by_its_condition_still_costs_the_larger_item(
    fake: FakeDynamoDB, clock: VirtualClock
) -> None:
    """DynamoDB still consumes write capacity for a conditional write whose condition is false: as
    much as the write would have (Developer Guide, WorkingWithItems and read-write-operations)."""
    create(fake, "tbl", wcu=10)
    put(fake, "tbl", item("p", 1, pad=2500))  # 3 WCU: 7 left
    refused(fake, "PutItem", {"Item": item("p", 1)})  # small, over 3 KB: 3
    assert served(fake, "tbl", [item(f"q{i}", 0) for i in range(10)]) == 4
    assert fake.call_sync("GetItem", {"TableName": "tbl", "Key": key("p", 1)})["Item"]["pad"]


def test_a_refused_update_costs_the_item_it_would_have_made(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", wcu=10)
    put(fake, "tbl", item("p", 1))  # 1: 9 left
    big = {":big": {"S": "x" * 2500}}
    refused(fake, "UpdateItem", {"Key": key("p", 1), "UpdateExpression": "SET padding = :big", **values(big)})
    assert served(fake, "tbl", [item(f"q{i}", 0) for i in range(10)]) == 6  # 3 KB it would have been


def test_a_refused_update_that_could_not_apply_costs_the_stored_item(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", wcu=10)
    put(fake, "tbl", item("p", 1, pad=1500))  # 2: 8 left
    # n + 1 with no n fails on its own; the condition's failure is the answer, the stored item the cost
    update = {"Key": key("p", 1), "UpdateExpression": "SET n = n + :one", **values({":one": {"N": "1"}})}
    refused(fake, "UpdateItem", update)
    assert served(fake, "tbl", [item(f"q{i}", 0) for i in range(10)]) == 6


def test_a_refused_delete_costs_the_stored_item(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", wcu=10)
    put(fake, "tbl", item("p", 1, pad=2500))  # 3: 7 left
    refused(fake, "DeleteItem", {"Key": key("p", 1)})  # 3: 4 left
    assert served(fake, "tbl", [item(f"q{i}", 0) for i in range(10)]) == 4
    assert fake.item_count("tbl") == 1 + 4


def test_a_refused_write_costs_no_index_anything(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(
        fake, "tbl", wcu=10, gsi={"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}
    )
    put(fake, "tbl", item("p", 1, g={"S": "a"}))  # the GSI's one unit: 0 left
    clock.advance(1)  # the GSI: 1
    refused(fake, "PutItem", {"Item": item("p", 1, g={"S": "b"})})  # would move its entry: no GSI write
    put(fake, "tbl", item("p", 2, g={"S": "c"}))  # the GSI still has its unit


def test_a_conditional_write_is_throttled_before_its_condition_is_judged(fake: FakeDynamoDB) -> None:
    """Over capacity, DynamoDB refuses the request before it reaches the item: throttled, even when
    the condition would have failed."""
    create(fake, "tbl", wcu=1)
    put(fake, "tbl", item("p", 1))  # 0 left
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        fake.call_sync("PutItem", {"TableName": "tbl", "Item": item("p", 1), **ABSENT})


def test_without_the_model_a_refused_write_answers_as_before(clock: VirtualClock) -> None:
    fake = FakeDynamoDB(clock=clock)
    create(fake, "tbl", wcu=1)
    put(fake, "tbl", item("p", 1))
    refused(
        fake, "PutItem", {"Item": item("p", 1, pad=9000), "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    )
    with pytest.raises(errors.ConditionalCheckFailedException) as caught:
        fake.call_sync(
            "DeleteItem",
            {
                "TableName": "tbl",
                "Key": key("p", 1),
                **ABSENT,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            },
        )
    assert caught.value.item == item("p", 1)


def values(found: dict[str, Any]) -> dict[str, Any]:
    return {"ExpressionAttributeValues": found}


def test_a_gsi_short_of_capacity_throttles_base_table_writes_with_the_gsi_message(
    fake: FakeDynamoDB, clock: VirtualClock
) -> None:
    create(
        fake,
        "tbl",
        rcu=1000,
        wcu=1000,
        gsi={"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}},
    )
    answer = put(fake, "tbl", item("p", 1, g={"S": "x"}))
    assert answer["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"g-a": {"CapacityUnits": 1.0}}
    put(fake, "tbl", item("p", 2))  # not in the index: the GSI is not drawn on
    with pytest.raises(errors.ProvisionedThroughputExceededException) as caught:
        put(fake, "tbl", item("p", 3, g={"S": "y"}))
    assert caught.value.message == INDEX_PROVISIONED_MESSAGE
    assert reasons(caught.value) == [
        {"reason": "IndexWriteProvisionedThroughputExceeded", "resource": ARN.format("tbl") + "/index/g-a"}
    ]
    left = batch_put(fake, {"tbl": [item("p", 4, g={"S": "z"}), item("p", 5), item("p", 6, g={"S": "z"})]})
    assert left == {
        "tbl": [
            {"PutRequest": {"Item": item("p", 4, g={"S": "z"})}},
            {"PutRequest": {"Item": item("p", 6, g={"S": "z"})}},
        ]
    }
    clock.advance(1)
    put(fake, "tbl", item("p", 3, g={"S": "y"}))


def test_moving_an_index_key_costs_the_gsi_a_delete_and_a_put(fake: FakeDynamoDB) -> None:
    create(
        fake, "tbl", wcu=100, gsi={"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2}}
    )
    put(fake, "tbl", item("p", 1, g={"S": "x"}))  # GSI: 2 - 1
    answer = put(fake, "tbl", item("p", 1, g={"S": "y"}))  # remove x, put y: 1 - 2
    assert answer["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"g-a": {"CapacityUnits": 2.0}}
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        put(fake, "tbl", item("p", 1, g={"S": "z"}))
    put(fake, "tbl", item("p", 1, g={"S": "y"}))  # same entry: the GSI is not written


def test_units_the_fault_plan_leaves_unprocessed_cost_nothing(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", wcu=2)
    fake.unprocess("BatchWriteItem", [key("p", 0)])
    left = batch_put(fake, {"tbl": [item("p", 0), item("p", 1), item("p", 2), item("p", 3)]})
    assert [r["PutRequest"]["Item"]["sk"] for r in left["tbl"]] == [{"N": "0"}, {"N": "3"}]
    assert fake.item_count("tbl") == 2


def test_later_units_that_fit_are_still_served(fake: FakeDynamoDB) -> None:
    create(fake, "full", wcu=1)
    create(fake, "roomy", wcu=10)
    left = batch_put(fake, {"full": [item("a", 1), item("a", 2)], "roomy": [item("b", 1), item("b", 2)]})
    assert left == {"full": [{"PutRequest": {"Item": item("a", 2)}}]}
    assert fake.item_count("roomy") == 2
    assert [e.kind for e in fake.events] == ["capacity"]


def test_a_table_made_again_starts_afresh(fake: FakeDynamoDB) -> None:
    create(fake, "tbl", wcu=1)
    put(fake, "tbl", item("p", 1))
    fake.call_sync("DeleteTable", {"TableName": "tbl"})
    create(fake, "tbl", wcu=1)
    put(fake, "tbl", item("p", 1))


# --- on-demand tables: maxima and partitions ----------------------------------------------------


def test_on_demand_maxima_are_enforced_per_second(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(fake, "ond", OnDemandThroughput={"MaxWriteRequestUnits": 10})
    assert served(fake, "ond", [item(f"p{i}", 0) for i in range(50)]) == 10
    clock.advance(60)  # no burst: a minute idle still gives one second's worth
    assert served(fake, "ond", [item(f"q{i}", 0) for i in range(50)]) == 10
    with pytest.raises(errors.ThrottlingException) as caught:
        put(fake, "ond", item("r", 0))
    assert caught.value.message == ON_DEMAND_MESSAGE
    assert reasons(caught.value) == [
        {"reason": "TableWriteMaxOnDemandThroughputExceeded", "resource": ARN.format("ond")}
    ]
    fake.call_sync("GetItem", {"TableName": "ond", "Key": key("p0", 0)})  # reads have no maximum


def test_a_global_index_maximum_throttles_writes_that_change_it(fake: FakeDynamoDB) -> None:
    create(fake, "ond", gsi={"OnDemandThroughput": {"MaxWriteRequestUnits": 1}})
    put(fake, "ond", item("p", 1, g={"S": "x"}))
    put(fake, "ond", item("p", 2))
    with pytest.raises(errors.ThrottlingException) as caught:
        put(fake, "ond", item("p", 3, g={"S": "x"}))
    assert reasons(caught.value) == [
        {"reason": "IndexWriteMaxOnDemandThroughputExceeded", "resource": ARN.format("ond") + "/index/g-a"}
    ]


def test_an_on_demand_maximum_limits_reads(fake: FakeDynamoDB) -> None:
    create(fake, "ond", OnDemandThroughput={"MaxReadRequestUnits": 1})
    for _ in range(2):  # eventual reads of a missing item: 0.5 each
        fake.call_sync("GetItem", {"TableName": "ond", "Key": key("p", 1)})
    with pytest.raises(errors.ThrottlingException) as caught:
        fake.call_sync("GetItem", {"TableName": "ond", "Key": key("p", 1)})
    assert reasons(caught.value)[0]["reason"] == "TableReadMaxOnDemandThroughputExceeded"


def test_a_hot_key_on_a_provisioned_table_answers_as_the_table_is_billed(fake: FakeDynamoDB) -> None:
    create(fake, "prov", wcu=5000)  # plenty for the table; one key still gets 1,000 WCU a second
    assert served(fake, "prov", [item("hot", i) for i in range(1100)]) == 1000
    with pytest.raises(errors.ProvisionedThroughputExceededException) as caught:
        put(fake, "prov", item("hot", 5000))
    assert caught.value.message == TABLE_PROVISIONED_MESSAGE
    assert reasons(caught.value) == [
        {"reason": "TableWriteKeyRangeThroughputExceeded", "resource": ARN.format("prov")}
    ]


def test_one_hash_key_takes_at_most_1000_wcu_a_second(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(fake, "ond")
    assert served(fake, "ond", [item("hot", i) for i in range(1100)]) == 1000
    with pytest.raises(errors.ThrottlingException) as caught:
        put(fake, "ond", item("hot", 5000))
    assert reasons(caught.value) == [
        {"reason": "TableWriteKeyRangeThroughputExceeded", "resource": ARN.format("ond")}
    ]
    put(fake, "ond", item("cold", 0))  # another hash key has its own budget
    fake.call_sync("GetItem", {"TableName": "ond", "Key": key("hot", 0)})  # reads have theirs
    clock.advance(0.5)
    assert served(fake, "ond", [item("hot", i) for i in range(2000, 3000)]) == 500


def test_one_hash_key_takes_at_most_3000_rcu_a_second(fake: FakeDynamoDB) -> None:
    create(fake, "ond")
    keys = [key("hot", i) for i in range(3100)]
    unprocessed = 0
    for start in range(0, len(keys), 100):
        request = {"RequestItems": {"ond": {"Keys": keys[start : start + 100], "ConsistentRead": True}}}
        try:
            answer = fake.call_sync("BatchGetItem", request)
        except errors.ThrottlingException as err:
            assert reasons(err)[0]["reason"] == "TableReadKeyRangeThroughputExceeded"
            unprocessed += 100
            continue
        unprocessed += len(answer["UnprocessedKeys"].get("ond", {}).get("Keys", []))
    assert unprocessed == 100


def test_idle_partitions_are_forgotten_and_busy_ones_kept(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    """From 4,096 hash keys on, buckets that are full again are dropped (made again, they are the same)."""
    create(fake, "ond")
    assert served(fake, "ond", [item("hot", i) for i in range(1000)]) == 1000
    clock.advance(0.5)  # hot: 500 of 1000
    assert served(fake, "ond", [item(f"k{i}", 0) for i in range(4095)]) == 4095
    clock.advance(0.01)  # the others are full again (999 + 10); hot is not (510)
    put(fake, "ond", item("new", 0))  # the 4,097th hash key: prunes first
    partitions = fake._model._capacity(fake.state.tables["ond"]).partitions  # type: ignore[union-attr]  # capacity=True: a model
    assert sorted(hash_value for _, hash_value in partitions) == ["hot", "new"]
    assert served(fake, "ond", [item("hot", i) for i in range(1000, 2000)]) == 510


def test_burst_does_not_lift_the_partition_limit(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(fake, "tbl", wcu=2000)
    clock.advance(600)
    assert served(fake, "tbl", [item("hot", i) for i in range(1100)]) == 1000


# --- the consequence: a bulk load into a small table takes time -----------------------------------


def test_a_bulk_load_takes_as_long_as_its_capacity_needs(fake: FakeDynamoDB, clock: VirtualClock) -> None:
    create(fake, "tbl", wcu=25)
    pending = [{"PutRequest": {"Item": item(f"p{i}", i, pad=1500)}} for i in range(300)]  # 2 WCU each
    start = clock.now()
    while pending:
        batch, pending = pending[:25], pending[25:]
        try:
            left = fake.call_sync("BatchWriteItem", {"RequestItems": {"tbl": batch}})["UnprocessedItems"]
        except errors.ProvisionedThroughputExceededException:
            left = {"tbl": batch}
        pending = left.get("tbl", []) + pending
        if pending:
            clock.advance(1)
    assert fake.item_count("tbl") == 300
    elapsed = clock.now() - start
    assert (600 - 25) / 25 <= elapsed <= (600 - 25) / 25 + 1


def test_a_bulk_load_through_the_client_waits_on_the_fake_clock(
    fake: FakeDynamoDB, clock: VirtualClock
) -> None:
    @table("loaded")
    class Row(DynamoModel):
        row_id: HashKey[str]
        body: str

    async def load() -> None:
        client = DynamoDB(transport=fake, retry=policy_for_fake(fake, RetryPolicy(max_attempts=50)))
        await client.create_table(
            Row,
            billing_mode="PROVISIONED",
            provisioned_throughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 25},
        )
        result = await client.batch_write(BatchPut(Row(row_id=f"r{i}", body="x" * 1500)) for i in range(500))
        assert result.unprocessed == []

    start = clock.now()
    asyncio.run(load())
    assert fake.item_count("loaded") == 500
    assert clock.now() - start >= (500 * 2 - 25) / 25 - 2 / 25  # one unit may overdraw by < 2 WCU


# --- off by default -------------------------------------------------------------------------------


def test_capacity_off_changes_nothing() -> None:
    fake = FakeDynamoDB()
    assert not fake.capacity
    create(fake, "tbl", rcu=1, wcu=1)
    assert served(fake, "tbl", [item("hot", i) for i in range(1500)]) == 1500
    for _ in range(10):
        fake.call_sync("GetItem", {"TableName": "tbl", "Key": key("hot", 1), "ConsistentRead": True})


def test_the_suite_setting_turns_it_on() -> None:
    set_suite_chaos(SuiteChaos(capacity=True))
    try:
        fake = FakeDynamoDB()
    finally:
        set_suite_chaos(None)
    create(fake, "tbl", wcu=1)
    put(fake, "tbl", item("p", 1))
    with pytest.raises(errors.ProvisionedThroughputExceededException):
        put(fake, "tbl", item("p", 2))
