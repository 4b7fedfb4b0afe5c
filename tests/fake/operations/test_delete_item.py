"""DeleteItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import (
    ConditionalCheckFailedException,
    ResourceNotFoundException,
    SerializationException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import PARAM, SCHEMA, item, key

# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"TableName": "items", "Key": {"pk": {"S": ["a"]}}},
            "Unrecognized collection type class java.lang.String",
        ),
        (
            {"TableName": "items", "Key": key("a", 1), "ReturnValues": 1},
            "NUMBER_VALUE cannot be converted to String",
        ),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, request_: Any, message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("DeleteItem", request_)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_return_values_only_all_old_or_none(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("DeleteItem", {"TableName": table, "Key": key("a", 1), "ReturnValues": "UPDATED_OLD"})
    assert caught.value.message == "ReturnValues can only be ALL_OLD or NONE"


@pytest.mark.parametrize(
    ("bad_key", "message"),
    [
        ({"pk": {"S": "a"}}, SCHEMA),
        ({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}}, SCHEMA),
        ({"pk": {"N": "1"}, "sk": {"N": "1"}}, SCHEMA),
        (
            {"pk": {"S": ""}, "sk": {"N": "1"}},
            PARAM + "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
        ),
    ],
)
def test_key_schema(fake: FakeDynamoDB, table: str, bad_key: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("DeleteItem", {"TableName": table, "Key": bad_key})
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"Expected": {"v": {"Exists": False}}, "ConditionExpression": "attribute_exists(v)"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
        ),
        (
            {"Expected": {"v": {"Exists": False}}, "ExpressionAttributeNames": {"#v": "v"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {"ExpressionAttributeNames": {"#v": "v"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {"ExpressionAttributeValues": {":v": {"S": "v"}}},
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
        ),
    ],
)
def test_expression_parameters_before_key_values(
    fake: FakeDynamoDB, table: str, extra: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("DeleteItem", {"TableName": table, "Key": {"pk": {}}, **extra})
    assert caught.value.message == message


def test_key_values_then_return_values_then_expressions(fake: FakeDynamoDB) -> None:
    request = {"TableName": "missing", "ConditionExpression": "", "ReturnValues": "ALL_NEW"}
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("DeleteItem", {**request, "Key": {"pk": {}}})
    assert caught.value.message == (
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("DeleteItem", {**request, "Key": key("a", 1)})
    assert caught.value.message == "ReturnValues can only be ALL_OLD or NONE"
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("DeleteItem", {**request, "Key": key("a", 1), "ReturnValues": "ALL_OLD"})
    assert caught.value.message == "Invalid ConditionExpression: The expression can not be empty;"


def test_missing_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        fake.call_sync("DeleteItem", {"TableName": "missing", "Key": key("a", 1)})
    assert caught.value.message == "Requested resource not found"


# --- behaviour ------------------------------------------------------------------------------------


def test_delete_returns_the_old_item_and_missing_is_fine(fake: FakeDynamoDB, indexed_table: str) -> None:
    fake.call_sync(
        "PutItem", {"TableName": indexed_table, "Item": item("a", 1, status={"S": "s"}, total={"N": "1"})}
    )
    request = {"TableName": indexed_table, "Key": key("a", "1.00"), "ReturnValues": "ALL_OLD"}
    assert fake.call_sync("DeleteItem", request) == {
        "Attributes": item("a", 1, status={"S": "s"}, total={"N": "1"})
    }
    assert fake.call_sync("DeleteItem", request) == {}
    assert fake.item_count(indexed_table) == 0
    assert len(fake.state.tables[indexed_table].store.indexes["by_status"]) == 0
    fake._check()


def test_consumed_capacity(fake: FakeDynamoDB, indexed_table: str) -> None:
    big = item("a", 1, v={"S": "x" * 2000}, status={"S": "s"}, total={"N": "1"})
    fake.call_sync("PutItem", {"TableName": indexed_table, "Item": big})
    request = {"TableName": indexed_table, "Key": key("a", 1), "ReturnConsumedCapacity": "INDEXES"}
    assert fake.call_sync("DeleteItem", request)["ConsumedCapacity"] == {
        "TableName": indexed_table,
        "CapacityUnits": 3.0,
        "Table": {"CapacityUnits": 2.0},
        "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 1.0}},
    }
    # a missing item still costs one unit
    assert fake.call_sync("DeleteItem", {**request, "ReturnConsumedCapacity": "TOTAL"})[
        "ConsumedCapacity"
    ] == {
        "TableName": indexed_table,
        "CapacityUnits": 1.0,
    }


def test_item_collection_metrics(fake: FakeDynamoDB, indexed_table: str) -> None:
    request = {"TableName": indexed_table, "Key": key("a", 1), "ReturnItemCollectionMetrics": "SIZE"}
    assert fake.call_sync("DeleteItem", request) == {
        "ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    }


# --- behaviour: conditions ------------------------------------------------------------------------


def test_conditional_delete(fake: FakeDynamoDB, indexed_table: str, snapshot: Any) -> None:
    fake.call_sync(
        "PutItem", {"TableName": indexed_table, "Item": item("a", 1, status={"S": "s"}, total={"N": "1"})}
    )
    request = {
        "TableName": indexed_table,
        "Key": key("a", 1),
        "ConditionExpression": "#s = :s",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": {"S": "other"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    before = snapshot(fake)
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("DeleteItem", request)
    assert caught.value.message == "The conditional request failed"
    assert caught.value.item == item("a", 1, status={"S": "s"}, total={"N": "1"})
    assert snapshot(fake) == before
    deleted = fake.call_sync(
        "DeleteItem", {**request, "ExpressionAttributeValues": {":s": {"S": "s"}}, "ReturnValues": "ALL_OLD"}
    )
    assert deleted == {"Attributes": item("a", 1, status={"S": "s"}, total={"N": "1"})}
    assert fake.item_count(indexed_table) == 0
    fake._check()


def test_condition_on_a_missing_item(fake: FakeDynamoDB, table: str) -> None:
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "ConditionExpression": "attribute_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("DeleteItem", request)
    assert "Item" not in caught.value.response  # nothing existed to return
    # a missing attribute is unequal to anything: <> holds on a missing item
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "ConditionExpression": "v <> :v",
        "ExpressionAttributeValues": {":v": {"S": "x"}},
        "ReturnConsumedCapacity": "TOTAL",
    }
    assert fake.call_sync("DeleteItem", request) == {
        "ConsumedCapacity": {"TableName": table, "CapacityUnits": 1.0}
    }
