"""GetItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import SCHEMA, item, key


@pytest.fixture
def stored(fake: FakeDynamoDB, table: str) -> str:
    document = {"M": {"x": {"S": "1"}, "y": {"L": [{"S": "a"}, {"S": "b"}]}}}
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, m=document, v={"N": "01.10"})})
    return table


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"TableName": "items", "Key": key("a", 1), "ConsistentRead": 1},
            "NUMBER_VALUE cannot be converted to Boolean",
        ),
        (
            {"TableName": "items", "Key": []},
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>",
        ),
        (
            {"TableName": "items", "Key": key("a", 1), "ProjectionExpression": 5},
            "NUMBER_VALUE cannot be converted to String",
        ),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, request_: Any, message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("GetItem", request_)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_key_required(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("GetItem", {"TableName": table})
    assert caught.value.message == (
        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize(
    "bad_key", [{"pk": {"S": "a"}}, {"pk": {"S": "a"}, "sk": {"B": b"1"}}, {"x": {"S": "a"}}]
)
def test_key_schema_mismatch(fake: FakeDynamoDB, table: str, bad_key: dict[str, Any]) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("GetItem", {"TableName": table, "Key": bad_key})
    assert caught.value.message == SCHEMA


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"AttributesToGet": ["a"], "ProjectionExpression": "a"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
        ),
        (
            {"ExpressionAttributeNames": {"#a": "a"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {"ProjectionExpression": "a,"},
            'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","',
        ),
    ],
)
def test_projection_checked_before_table(fake: FakeDynamoDB, options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("GetItem", {"TableName": "missing", "Key": key("a", 1), **options})
    assert caught.value.message == message


def test_missing_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        fake.call_sync("GetItem", {"TableName": "missing", "Key": key("a", 1)})
    assert caught.value.message == "Requested resource not found"


# --- behaviour ------------------------------------------------------------------------------------


def test_found_and_missing(fake: FakeDynamoDB, stored: str) -> None:
    got = fake.call_sync("GetItem", {"TableName": stored, "Key": key("a", "1.0"), "ConsistentRead": True})
    assert got["Item"]["v"] == {"N": "1.1"}
    assert fake.call_sync("GetItem", {"TableName": stored, "Key": key("a", 2)}) == {}


def test_projection_expression(fake: FakeDynamoDB, stored: str) -> None:
    request = {
        "TableName": stored,
        "Key": key("a", 1),
        "ProjectionExpression": "#m.y[1], sk, nope",
        "ExpressionAttributeNames": {"#m": "m"},
    }
    assert fake.call_sync("GetItem", request) == {
        "Item": {"m": {"M": {"y": {"L": [{"S": "b"}]}}}, "sk": {"N": "1"}}
    }


def test_attributes_to_get(fake: FakeDynamoDB, stored: str) -> None:
    request = {"TableName": stored, "Key": key("a", 1), "AttributesToGet": ["v", "nope"]}
    assert fake.call_sync("GetItem", request) == {"Item": {"v": {"N": "1.1"}}}


def test_answers_are_fresh_copies(fake: FakeDynamoDB, stored: str) -> None:
    first = fake.call_sync("GetItem", {"TableName": stored, "Key": key("a", 1)})["Item"]
    first["m"]["M"]["y"]["L"].clear()
    second = fake.call_sync("GetItem", {"TableName": stored, "Key": key("a", 1)})["Item"]
    assert second["m"]["M"]["y"]["L"] == [{"S": "a"}, {"S": "b"}]


def test_consumed_capacity(fake: FakeDynamoDB, stored: str) -> None:
    request: dict[str, Any] = {"TableName": stored, "Key": key("a", 1), "ReturnConsumedCapacity": "TOTAL"}
    assert fake.call_sync("GetItem", request)["ConsumedCapacity"] == {
        "TableName": stored,
        "CapacityUnits": 0.5,
    }
    request = {**request, "Key": key("zz", 1), "ConsistentRead": True, "ReturnConsumedCapacity": "INDEXES"}
    assert fake.call_sync("GetItem", request)["ConsumedCapacity"] == {
        "TableName": stored,
        "CapacityUnits": 1.0,
        "Table": {"CapacityUnits": 1.0},
    }
