"""PutItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import item, key

PARAM = "One or more parameter values were invalid: "
SCHEMA = "The provided key element does not match the schema"


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"TableName": 5, "Item": {}}, "NUMBER_VALUE cannot be converted to String"),
        ({"TableName": "items", "Item": []}, "Start of list found where not expected"),
        ({"TableName": "items", "Item": {"pk": {"S": 1}}}, "NUMBER_VALUE cannot be converted to String"),
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
    assert caught.value.message == (
        "2 validation errors detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]; "
        "Value null at 'item' failed to satisfy constraint: Member must not be null"
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


def test_not_yet_supported_parameters_are_refused(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1), "ConditionExpression": "a = b"})
    assert caught.value.message == "ConditionExpression is not supported by aiodynamodb_fake yet"
    assert snapshot(fake) == {table: []}


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
