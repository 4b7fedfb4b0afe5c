"""The public strategies (``aiodynamodb_fake.strategies``) draw what they promise: valid data the
fake accepts, colliding keys, table specs read from models and requests, throttle schedules."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb import DynamoDB, DynamoModel, HashKey, RangeKey, table
from aiodynamodb.errors import DynamoDBError
from aiodynamodb.models import GSI
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import (
    IndexSpec,
    TableSpec,
    ThrottleSchedule,
    attribute_values,
    items,
    key_identity,
    key_lists,
    number_forms,
    throttle_schedules,
    write_request_lists,
)
from tests.support.tables import property_settings

SPEC = TableSpec("strategy_t", "pk", "S", "sk", "N")
QUICK = property_settings(max_examples=30)


def fake_with(spec: TableSpec) -> FakeDynamoDB:
    fake = FakeDynamoDB()
    fake.clear_faults()  # these tests count faults of their own: none from --ddb-throttle
    fake.call_sync("CreateTable", spec.create_table_request())
    return fake


@QUICK
@given(item=items(SPEC), value=attribute_values())
def test_items_and_values_are_accepted_by_the_fake(item: dict[str, Any], value: dict[str, Any]) -> None:
    fake = fake_with(SPEC)
    fake.call_sync("PutItem", {"TableName": SPEC.name, "Item": {**item, "extra": value}})
    assert fake.item_count(SPEC.name) == 1


@QUICK
@given(value=st.sampled_from([Decimal("1.5"), Decimal(0), Decimal("-1E-130")]), data=st.data())
def test_number_forms_read_as_the_same_value(value: Decimal, data: st.DataObject) -> None:
    assert Decimal(data.draw(number_forms(value))) == value


@property_settings(max_examples=20)
@given(writes=write_request_lists(SPEC, min_size=30))
def test_write_request_lists_collide(writes: list[dict[str, Any]]) -> None:
    identities = [
        key_identity(SPEC, w.get("PutRequest", {}).get("Item") or w["DeleteRequest"]["Key"]) for w in writes
    ]
    assert len(set(identities)) < len(identities)  # 30 writes over a small key pool always collide


@QUICK
@given(
    writes=write_request_lists(SPEC, unique_keys=True, max_size=25), keys=key_lists(SPEC, unique_keys=True)
)
def test_unique_keys_are_unique_by_value(writes: list[dict[str, Any]], keys: list[dict[str, Any]]) -> None:
    fake = fake_with(SPEC)
    if writes:  # one call takes them all: DynamoDB rejects a batch naming one key twice
        fake.call_sync("BatchWriteItem", {"RequestItems": {SPEC.name: writes}})
    assert len({key_identity(SPEC, key) for key in keys}) == len(keys)


@table("strategy_orders", indexes=[GSI("by_status", "status", "number")])
class Order(DynamoModel):
    customer: HashKey[str]
    number: RangeKey[int]
    status: str


def test_table_specs_come_from_models_and_requests() -> None:
    spec = TableSpec.from_create_table_request(DynamoDB(transport=FakeDynamoDB()).create_table_request(Order))
    assert spec == TableSpec(
        "strategy_orders",
        "customer",
        "S",
        "number",
        "N",
        indexes=(IndexSpec("by_status", "status", "S", "number", "N", projection="ALL"),),
    )
    assert TableSpec.from_create_table_request(spec.create_table_request()) == spec


@QUICK
@given(
    schedule=throttle_schedules(tables=["strategy_t", "other"], operations=["BatchWriteItem"], max_times=5)
)
def test_throttle_schedules_install_on_a_fake(schedule: ThrottleSchedule) -> None:
    assert 0.0 <= schedule.rate <= 0.5 and 0 <= schedule.after <= 10
    assert schedule.times is None or 1 <= schedule.times <= 5
    fake = fake_with(SPEC)
    write = {"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}}
    with schedule.apply(fake):
        for _ in range(12):
            with contextlib.suppress(DynamoDBError):  # a batch left with nothing fails whole
                fake.call_sync("BatchWriteItem", {"RequestItems": {SPEC.name: [write]}})
    assert len(fake.requests) == 13
    for event in fake.events:
        assert event.kind == "throttle" and event.operation == "BatchWriteItem"
    if schedule.times is not None:
        assert len(fake.events) <= schedule.times
