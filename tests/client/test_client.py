"""The client's CRUD, batch and error tests, each run on the fake and on moto's server over loopback.

The ``moto`` runs go through the production transport (botocore serialization, signing, HTTP and
error parsing) against an emulator this project did not write.
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Literal
from uuid import UUID

import aioboto3
import pytest
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field

from aiodynamodb import (
    BatchDelete,
    BatchGet,
    BatchPut,
    DynamoDB,
    DynamoModel,
    HashKey,
    ProjectionAttr,
    RangeKey,
    table,
)
from aiodynamodb.custom_types import Timestamp
from aiodynamodb.errors import ResourceNotFoundException, ThrottlingException
from aiodynamodb.models import GSI, LSI
from aiodynamodb.testing import mock_dynamodb, policy_for_fake
from aiodynamodb_fake import FakeDynamoDB

from .backends import BACKENDS, open_db
from .conftest import calm_fake


@table("users")
class User(DynamoModel):
    user_id: HashKey[str]
    name: str


@table("orders")
class Order(DynamoModel):
    order_id: HashKey[str]
    created: RangeKey[str]
    total: float = 0.0


class Tier(IntEnum):
    FREE = 0
    PAID = 1


@table("events", indexes=[GSI("by_tier", "tier", "at"), LSI("by_at", "at")])
class Event(DynamoModel):
    device: HashKey[int]
    when: RangeKey[datetime]
    at: Timestamp
    tier: Tier
    payload: dict[str, Any] = Field(default_factory=dict)


MODELS: list[type[DynamoModel]] = [User, Order, Event]


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest) -> AsyncIterator[DynamoDB]:
    async with open_db(request, MODELS) as client:
        yield client


# --- the seed's examples, as written --------------------------------------------------------


async def test_seed_batch_write_example(db: DynamoDB) -> None:
    result = await db.batch_write(
        [
            BatchPut(User(user_id="u1", name="Alice")),
            BatchPut(User(user_id="u2", name="Bob")),
            BatchDelete(User, hash_key="u3"),
        ]
    )
    assert result.unprocessed_items == {}  # {} if all succeeded
    assert await db.get(User, hash_key="u2") == User(user_id="u2", name="Bob")


async def test_seed_batch_get_example(db: DynamoDB) -> None:
    await db.batch_write(
        [
            BatchPut(item=User(user_id="u1", name="Alice")),
            BatchPut(User(user_id="u2", name="Bob")),
            BatchPut(Order(order_id="o1", created="2026-01-01T00:00:00", total=9.99)),
        ]
    )
    result = await db.batch_get(
        [
            BatchGet(User, hash_key="u1"),
            BatchGet(User, hash_key="u2", projection_expression=[ProjectionAttr("user_id")]),
            BatchGet(Order, hash_key="o1", range_key="2026-01-01T00:00:00"),
        ]
    )
    users = result.items[User]  # list[User]
    orders = result.items[Order]  # list[Order]
    assert result.unprocessed_keys == {}  # {} if all succeeded
    by_id = {u.user_id: u for u in users}
    assert by_id["u1"] == User(user_id="u1", name="Alice")
    assert by_id["u2"].model_fields_set == {"user_id"} and not hasattr(by_id["u2"], "name")
    assert orders == [Order(order_id="o1", created="2026-01-01T00:00:00", total=9.99)]


async def test_seed_delete_forms(db: DynamoDB) -> None:
    await db.batch_write([BatchPut(Order(order_id="o1", created="2026-01-01T00:00:00"))])
    result = await db.batch_write(
        [BatchDelete(User, hash_key="u1"), BatchDelete(Order, hash_key="o1", range_key="2026-01-01T00:00:00")]
    )
    assert result.unprocessed_items == {}
    assert await db.get(Order, hash_key="o1", range_key="2026-01-01T00:00:00") is None


async def write_all(db: DynamoDB, operations: list[Any]) -> None:
    """``batch_write``, then resend what is still unprocessed, as the README tells users to (under
    ``--ddb-throttle`` a few of 1,234 writes may outlast the default eight attempts)."""
    result = await db.batch_write(operations)
    for _ in range(5):
        if not result.unprocessed:
            break
        result = await db.batch_write(result.unprocessed)
    assert result.unprocessed == []


async def read_all(db: DynamoDB, requests: list[Any]) -> list[User]:
    got = await db.batch_get(requests)
    found = list(got.items[User])
    for _ in range(5):
        if not got.unprocessed:
            break
        got = await db.batch_get(got.unprocessed)
        found += got.items[User]
    assert got.unprocessed == []
    return found


async def test_large_batches_round_trip(db: DynamoDB) -> None:
    people = [User(user_id=f"u{i:05}", name=f"n{i}") for i in range(1234)]
    await write_all(db, [BatchPut(p) for p in people])
    got = await read_all(db, [BatchGet(User, p.user_id) for p in people] + [BatchGet(User, "u00001")])
    assert sorted(got, key=lambda u: u.user_id) == people
    await write_all(db, [BatchDelete(User, p.user_id) for p in people])
    assert await read_all(db, [BatchGet(User, p.user_id) for p in people]) == []


async def test_capacity_is_summed_over_the_calls(db: DynamoDB, request: pytest.FixtureRequest) -> None:
    result = await db.batch_write(
        [BatchPut(User(user_id=f"u{i}", name="n")) for i in range(30)], return_consumed_capacity=True
    )
    assert result.consumed_capacity and result.consumed_capacity[0]["TableName"] == "users"
    # Two calls (25 + 5). The fake charges 1 WCU per small item; moto charges 1 unit per call.
    expected = 30 if request.node.callspec.params["db"] == "fake" else 2
    assert result.consumed_capacity[0]["CapacityUnits"] == expected


# --- items ----------------------------------------------------------------------------------


async def test_put_get_delete(db: DynamoDB) -> None:
    await db.put(User(user_id="a", name="A"))
    assert await db.get(User, hash_key="a") == User(user_id="a", name="A")
    assert await db.get(User, hash_key="a", consistent_reads=True) == User(user_id="a", name="A")
    assert await db.get(User, hash_key="a", consistent_read=True) == User(user_id="a", name="A")
    projected = await db.get(User, hash_key="a", projection_expression=[ProjectionAttr("name")])
    assert projected is not None and projected.name == "A" and not hasattr(projected, "user_id")
    await db.delete(User, hash_key="a")
    await db.delete(User, hash_key="a")  # a missing item is no error
    assert await db.get(User, hash_key="a") is None


async def test_keys_are_serialized_with_the_field_type(db: DynamoDB) -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    event = Event(device=7, when=when, at=when, tier=Tier.PAID, payload={"x": [1, 2.5]})
    await db.put(event)
    assert await db.get(Event, hash_key=7, range_key=when) == event
    assert (
        await db.get(Event, hash_key="7", range_key=when.isoformat()) == event
    )  # validated into the field type
    got = await db.batch_get([BatchGet(Event, 7, when)])
    assert got.items[Event] == [event]
    assert event.to_dynamo()["device"] == {"N": "7"} and event.to_dynamo()["at"] == {"N": "1772600767"}


# --- tables ---------------------------------------------------------------------------------


def test_create_table_infers_attribute_definitions() -> None:
    request = DynamoDB(transport=FakeDynamoDB()).create_table_request(Event)
    assert request["AttributeDefinitions"] == [
        {"AttributeName": "at", "AttributeType": "N"},
        {"AttributeName": "device", "AttributeType": "N"},
        {"AttributeName": "tier", "AttributeType": "N"},
        {"AttributeName": "when", "AttributeType": "S"},
    ]
    assert request["KeySchema"] == [
        {"AttributeName": "device", "KeyType": "HASH"},
        {"AttributeName": "when", "KeyType": "RANGE"},
    ]
    assert request["BillingMode"] == "PAY_PER_REQUEST"
    assert [i["IndexName"] for i in request["GlobalSecondaryIndexes"]] == ["by_tier"]
    assert [i["IndexName"] for i in request["LocalSecondaryIndexes"]] == ["by_at"]


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [(bytes, "B"), (UUID, "S"), (Literal["a", "b"], "S"), (Literal[1, 2], "N"), (float, "N"), (Tier, "N")],
)
def test_key_types(annotation: Any, expected: str) -> None:
    from pydantic import create_model

    model = table("t", hash_key="k")(create_model("K", __base__=DynamoModel, k=(annotation, ...)))
    request = DynamoDB(transport=FakeDynamoDB()).create_table_request(model)
    assert request["AttributeDefinitions"] == [{"AttributeName": "k", "AttributeType": expected}]


async def test_unsupported_key_types_fail_before_sending() -> None:
    @table("flags")
    class Flag(DynamoModel):
        on: HashKey[bool]

    fake = FakeDynamoDB()
    with pytest.raises(TypeError, match="Unsupported key type for field 'on'"):
        await DynamoDB(transport=fake).create_table(Flag)


async def test_create_and_delete_table(db: DynamoDB) -> None:
    await db.delete_table(User)
    with pytest.raises(ResourceNotFoundException):
        await db.put(User(user_id="a", name="A"))
    response = await db.create_table(User)
    assert response["TableDescription"]["TableName"] == "users"


# --- errors, lifecycle, testing helper ------------------------------------------------------


async def test_errors_are_client_errors_and_in_the_exceptions_namespace(db: DynamoDB) -> None:
    @table("nowhere")
    class Lost(DynamoModel):
        k: HashKey[str]

    exceptions = await db.exceptions()
    with pytest.raises(exceptions.ResourceNotFoundException) as caught:
        await db.get(Lost, hash_key="x")
    assert isinstance(caught.value, ClientError)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert exceptions.ThrottlingException is ThrottlingException


async def test_every_operation_is_retried_on_throttling() -> None:
    from aiodynamodb import RetryPolicy

    fake = calm_fake(seed=3)
    db = DynamoDB(transport=fake, retry=policy_for_fake(fake, RetryPolicy(max_attempts=3)))
    start = fake.clock.now()
    for operation in ("CreateTable", "PutItem", "GetItem", "DeleteItem"):
        fake.fail(operation, ThrottlingException, times=2)
    await db.create_table(User)
    await db.put(User(user_id="a", name="A"))
    assert await db.get(User, hash_key="a") == User(user_id="a", name="A")
    await db.delete(User, hash_key="a")
    fake.assert_faults_consumed()
    assert [(r.operation, r.outcome) for r in fake.requests] == [
        (operation, outcome)
        for operation in ("CreateTable", "PutItem", "GetItem", "DeleteItem")
        for outcome in ("ThrottlingException", "ThrottlingException", "OK")
    ]
    assert fake.items("users") == []
    # Two backoffs per operation, drawn in order from the fake's seed, all on its virtual clock.
    expected = RetryPolicy(max_attempts=3, random=random.Random(fake.seed).random)
    assert fake.clock.now() - start == pytest.approx(
        sum(expected.delay(n) for _ in range(4) for n in (1, 2)), abs=1e-6
    )
    fake.fail("GetItem", ThrottlingException, times=3)
    with pytest.raises(ThrottlingException):
        await db.get(User, hash_key="a")
    assert [r.outcome for r in fake.requests[-3:]] == ["ThrottlingException"] * 3


async def test_mock_dynamodb_is_isolated_and_leaves_the_environment_alone() -> None:
    before = dict(os.environ)
    async with mock_dynamodb(User, patch_env=True) as first, mock_dynamodb(User) as second:
        await first.put(User(user_id="a", name="A"))
        assert await second.get(User, hash_key="a") is None
        assert dict(os.environ) == before
    assert dict(os.environ) == before


async def test_client_lifecycle() -> None:
    with pytest.raises(TypeError):
        DynamoDB(transport=FakeDynamoDB(), region_name="us-east-1")
    async with DynamoDB(transport=FakeDynamoDB()) as db:
        await db.create_table(User)
    await db.close()  # twice is fine


async def test_service_validation_errors_are_translated(db: DynamoDB) -> None:
    exceptions = await db.exceptions()
    with pytest.raises(exceptions.ValidationException) as caught:
        await db.put(User(user_id="", name="empty key"))
    assert caught.value.response["Error"]["Code"] == "ValidationException"


async def test_the_aioboto3_transport_holds_one_client_and_passes_options_through(moto_endpoint: str) -> None:
    from botocore.config import Config

    from aiodynamodb.aioboto3_transport import Aioboto3Transport

    session = aioboto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    db = DynamoDB(
        session, endpoint_url=moto_endpoint, region_name="eu-west-1", config=Config(connect_timeout=7)
    )
    transport = db.transport
    assert isinstance(transport, Aioboto3Transport)
    async with db:
        client = await transport.client()
        assert client is await transport.client()
        assert client.meta.region_name == "eu-west-1" and client.meta.endpoint_url == moto_endpoint
        assert client.meta.config.connect_timeout == 7
        assert client.meta.config.retries["total_max_attempts"] == 1  # the client retries, not botocore
        await db.create_table(User)
        await db.put(User(user_id="a", name="A"))
    # Closed, then used again: it reopens.
    assert await db.get(User, hash_key="a") == User(user_id="a", name="A")
    await db.delete_table(User)
    await db.close()
    await db.close()


class Address(BaseModel):
    city: str
    street: str


@table("people")
class Person(DynamoModel):
    pid: HashKey[str]
    name: str
    address: Address
    nick: str | None = None


async def test_projections_give_partial_models_down_to_nested_fields() -> None:
    async with mock_dynamodb(Person) as db:
        await db.put(Person(pid="p", name="P", address=Address(city="Oslo", street="Main"), nick="pp"))
        got = await db.get(Person, hash_key="p", projection_expression=[ProjectionAttr("address.city")])
        assert got is not None and got.model_fields_set == {"address"}
        assert got.address.city == "Oslo" and not hasattr(got.address, "street")
        assert got.nick is None and not hasattr(got, "name")
        result = await db.batch_get(
            [BatchGet(Person, "p", projection_expression=[ProjectionAttr("name"), ProjectionAttr("nick")])]
        )
        (only,) = result.items[Person]
        assert (only.name, only.nick, only.model_fields_set) == ("P", "pp", {"name", "nick"})


async def test_conditional_put_and_delete(db: DynamoDB) -> None:
    from boto3.dynamodb.conditions import Attr

    exceptions = await db.exceptions()
    await db.put(User(user_id="c", name="first"), condition_expression=Attr("user_id").not_exists())
    with pytest.raises(exceptions.ConditionalCheckFailedException):
        await db.put(User(user_id="c", name="second"), condition_expression=Attr("user_id").not_exists())
    assert await db.get(User, hash_key="c") == User(user_id="c", name="first")
    with pytest.raises(exceptions.ConditionalCheckFailedException):
        await db.delete(User, hash_key="c", condition_expression=Attr("name").eq("other"))
    await db.delete(User, hash_key="c", condition_expression=Attr("name").eq("first"))
    assert await db.get(User, hash_key="c") is None


def test_condition_values_use_the_field_encoding() -> None:
    from boto3.dynamodb.conditions import Attr

    from aiodynamodb.conditions import condition_request

    when = datetime(2026, 1, 1, tzinfo=UTC)
    built = condition_request(
        Event, Attr("at").lt(when) & Attr("payload.x").eq(1.5) & Attr("tier").is_in([Tier.PAID])
    )
    assert built["ExpressionAttributeValues"] == {
        ":v0": {"N": "1767225600"},
        ":v1": {"N": "1.5"},
        ":v2": {"N": "1"},
    }
    assert built["ConditionExpression"] == "((#n0 < :v0 AND #n1.#n2 = :v1) AND #n3 IN (:v2))"
    assert condition_request(Event, "attribute_exists(device)") == {
        "ConditionExpression": "attribute_exists(device)"
    }
