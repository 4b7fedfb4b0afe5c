"""PutItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

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
from aiodynamodb_fake.http_errors import error_body
from tests.fake.operations.builders import PARAM, item, key

# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"TableName": 5, "Item": {}}, "NUMBER_VALUE cannot be converted to String"),
        (
            {"TableName": "items", "Item": []},
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>",
        ),
        ({"TableName": "items", "Item": {"pk": {"S": 1}}}, "NUMBER_VALUE cannot be converted to String"),
        # expression members are read before anything is validated, even the table name
        (
            {"TableName": "bad name", "Item": {}, "ConditionExpression": 1},
            "NUMBER_VALUE cannot be converted to String",
        ),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, request_: Any, message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("PutItem", request_)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_item_required_and_enums(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "ReturnValues": "SOME"})
    # dynalite's order (its tests ran against DynamoDB): the item before ReturnValues
    assert caught.value.message == (
        "2 validation errors detected: "
        "Value null at 'item' failed to satisfy constraint: Member must not be null; "
        "Value 'SOME' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
    )


def test_return_values_only_all_old_or_none(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1), "ReturnValues": "ALL_NEW"})
    assert caught.value.message == "ReturnValues can only be ALL_OLD or NONE"


@pytest.mark.parametrize(
    ("bad_item", "message"),
    [
        ({"pk": {"S": "a"}}, PARAM + "Missing the key sk in the item"),
        ({"pk": {"S": "a"}, "sk": {"S": "1"}}, PARAM + "Type mismatch for key sk expected: N actual: S"),
        (
            {"pk": {"S": ""}, "sk": {"N": "1"}},
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
            "empty string value. Key: pk",
        ),
        (
            {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"NULL": False}},
            PARAM + "Null attribute value types must have the value of true",
        ),
    ],
)
def test_key_schema_and_values(
    fake: FakeDynamoDB, table: str, bad_item: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "Item": bad_item})
    assert caught.value.message == message


def test_item_size_checked_before_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": "missing", "Item": item("a", 1, v={"S": "x" * 409_600})})
    assert caught.value.message == "Item size has exceeded the maximum allowed size"


def test_missing_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        fake.call_sync("PutItem", {"TableName": "missing", "Item": item("a", 1)})
    assert caught.value.message == "Requested resource not found"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"Expected": {"v": {"Exists": False}}, "ConditionExpression": "attribute_exists(v)"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
        ),
        (
            {"ConditionalOperator": "OR", "ConditionExpression": "attribute_exists(v)"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}",
        ),
        (
            {"Expected": {"v": {"Exists": False}}, "ExpressionAttributeValues": {":v": {"S": "v"}}},
            "ExpressionAttributeValues can only be specified when using expressions: "
            "ConditionExpression is null",
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
def test_expression_parameters_before_item_values(
    fake: FakeDynamoDB, table: str, snapshot: Any, extra: dict[str, Any], message: str
) -> None:
    request = {"TableName": table, "Item": item("a", 1, bad={"NULL": False}), **extra}
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", request)
    assert caught.value.message == message
    assert snapshot(fake) == {table: []}


def test_item_values_and_size_before_expressions(fake: FakeDynamoDB) -> None:
    request = {"TableName": "missing", "ConditionExpression": "", "ExpressionAttributeNames": {}}
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {**request, "Item": item("a", 1, bad={"NULL": False})})
    assert caught.value.message == PARAM + "Null attribute value types must have the value of true"
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {**request, "Item": item("a", 1, v={"S": "x" * 409_600})})
    assert caught.value.message == "Item size has exceeded the maximum allowed size"
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {**request, "Item": item("a", 1)})
    assert caught.value.message == "ExpressionAttributeNames must not be empty"
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(
            "PutItem", {"TableName": "missing", "Item": item("a", 1), "ConditionExpression": "a ="}
        )
    assert caught.value.message == 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="'


def test_condition_after_table_and_key_schema(fake: FakeDynamoDB, table: str) -> None:
    condition = {"ConditionExpression": "attribute_exists(pk)"}
    with pytest.raises(ResourceNotFoundException):
        fake.call_sync("PutItem", {"TableName": "missing", "Item": item("a", 1), **condition})
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "Item": {"pk": {"S": "a"}}, **condition})
    assert caught.value.message == PARAM + "Missing the key sk in the item"


# --- behaviour ------------------------------------------------------------------------------------


def test_put_replaces_and_returns_the_old_item(fake: FakeDynamoDB, table: str) -> None:
    assert fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, v={"N": "01.10"})}) == {}
    old = fake.call_sync("PutItem", {"TableName": table, "Item": item("a", "1.0"), "ReturnValues": "ALL_OLD"})
    assert old == {"Attributes": item("a", 1, v={"N": "1.1"})}
    assert fake.call_sync("GetItem", {"TableName": table, "Key": key("a", 1)}) == {"Item": item("a", 1)}
    assert (
        fake.call_sync("PutItem", {"TableName": table, "Item": item("b", 1), "ReturnValues": "ALL_OLD"}) == {}
    )
    fake._check()


def test_consumed_capacity_with_indexes(fake: FakeDynamoDB, indexed_table: str) -> None:
    put = {
        "TableName": indexed_table,
        "Item": item("a", 1, v={"S": "x" * 2000}, status={"S": "s"}, total={"N": "1"}),
        "ReturnConsumedCapacity": "INDEXES",
    }
    assert fake.call_sync("PutItem", put)["ConsumedCapacity"] == {
        "TableName": indexed_table,
        "CapacityUnits": 3.0,
        "Table": {"CapacityUnits": 2.0},
        "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 1.0}},
    }


def test_item_collection_metrics(fake: FakeDynamoDB, indexed_table: str) -> None:
    request = {
        "TableName": indexed_table,
        "Item": item("a", 1, date={"S": "d"}),
        "ReturnItemCollectionMetrics": "SIZE",
    }
    assert fake.call_sync("PutItem", request) == {
        "ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    }


# --- behaviour: conditions ------------------------------------------------------------------------


def test_conditional_put(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    request = {
        "TableName": table,
        "Item": item("a", 1, v={"N": "1"}),
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    assert fake.call_sync("PutItem", request) == {}
    before = snapshot(fake)
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("PutItem", {**request, "Item": item("a", 1, v={"N": "2"})})
    assert caught.value.message == "The conditional request failed"
    assert caught.value.item is None  # ALL_OLD was not asked for
    assert snapshot(fake) == before
    replaced = fake.call_sync(
        "PutItem",
        {
            "TableName": table,
            "Item": item("a", 1, v={"N": "2"}),
            "ConditionExpression": "#v < :v AND begins_with(pk, :a)",
            "ExpressionAttributeNames": {"#v": "v"},
            "ExpressionAttributeValues": {":v": {"N": "1.5"}, ":a": {"S": "a"}},
            "ReturnValues": "ALL_OLD",
        },
    )
    assert replaced == {"Attributes": item("a", 1, v={"N": "1"})}
    assert fake.items(table) == [item("a", 1, v={"N": "2"})]


@pytest.mark.parametrize("existing", [True, False])
def test_return_old_item_on_condition_failure(fake: FakeDynamoDB, table: str, existing: bool) -> None:
    if existing:
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, b={"B": b"\x00"})})
    request = {
        "TableName": table,
        "Item": item("a", 1),
        "ConditionExpression": "attribute_exists(nothing)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("PutItem", request)
    # only an item that existed comes back, and only when ALL_OLD was asked for
    assert caught.value.item == (item("a", 1, b={"B": b"\x00"}) if existing else None)
    assert ("Item" in caught.value.response) is existing
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("PutItem", {**request, "ReturnValuesOnConditionCheckFailure": "NONE"})
    assert "Item" not in caught.value.response


def test_condition_failure_item_on_the_wire(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, b={"B": b"\x00\xff"})})
    request = {
        "TableName": table,
        "Item": item("a", 1),
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("PutItem", request)
    assert error_body(caught.value) == {
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed",
        "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "b": {"B": "AP8="}},
    }


def test_conditional_put_consumed_capacity(fake: FakeDynamoDB, table: str) -> None:
    request = {
        "TableName": table,
        "Item": item("a", 1, v={"S": "x" * 1500}),
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnConsumedCapacity": "TOTAL",
    }
    assert fake.call_sync("PutItem", request)["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": 2.0,
    }
