"""PutItem, GetItem and DeleteItem: shape errors, validation errors (class and full message), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB

PARAM = "One or more parameter values were invalid: "
SCHEMA = "The provided key element does not match the schema"


def item(pk: str, sk: int, **attrs: Any) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}, **attrs}


def key(pk: str, sk: int | str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "request_", "message"),
    [
        ("PutItem", {"TableName": 5, "Item": {}}, "NUMBER_VALUE cannot be converted to String"),
        ("PutItem", {"TableName": "items", "Item": []}, "Start of list found where not expected"),
        (
            "GetItem",
            {"TableName": "items", "Key": key("a", 1), "ConsistentRead": 1},
            "NUMBER_VALUE cannot be converted to Boolean",
        ),
        (
            "DeleteItem",
            {"TableName": "items", "Key": {"pk": {"S": ["a"]}}},
            "Start of list found where not expected",
        ),
    ],
)
def test_wrong_json_kinds(
    fake: FakeDynamoDB, table: str, operation: str, request_: Any, message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync(operation, request_)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["PutItem", "GetItem", "DeleteItem"])
@pytest.mark.parametrize(
    ("name", "rule"),
    [
        (None, "Member must not be null"),
        ("a" * 256, "Member must have length less than or equal to 255"),
        ("bad name", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ],
)
def test_table_name_reported_alone(fake: FakeDynamoDB, operation: str, name: str | None, rule: str) -> None:
    request: dict[str, Any] = {"ReturnConsumedCapacity": "bogus"}
    if name is not None:
        request["TableName"] = name
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, request)
    shown = "null" if name is None else f"'{name}'"
    assert caught.value.message == (
        f"1 validation error detected: Value {shown} at 'tableName' failed to satisfy constraint: {rule}"
    )


def test_put_item_required(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "ReturnValues": "SOME"})
    assert caught.value.message == (
        "2 validation errors detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]; "
        "Value null at 'item' failed to satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize("operation", ["PutItem", "DeleteItem"])
def test_return_values_only_all_old_or_none(fake: FakeDynamoDB, table: str, operation: str) -> None:
    member = "Item" if operation == "PutItem" else "Key"
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, {"TableName": table, member: key("a", 1), "ReturnValues": "ALL_NEW"})
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
    ],
)
def test_put_item_key_schema(fake: FakeDynamoDB, table: str, bad_item: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "Item": bad_item})
    assert caught.value.message == message


def test_put_item_size_checked_before_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": "missing", "Item": item("a", 1, v={"S": "x" * 409_600})})
    assert caught.value.message == "Item size has exceeded the maximum allowed size"


@pytest.mark.parametrize("operation", ["PutItem", "GetItem", "DeleteItem"])
def test_missing_table(fake: FakeDynamoDB, operation: str) -> None:
    member = "Item" if operation == "PutItem" else "Key"
    with pytest.raises(ResourceNotFoundException) as caught:
        fake.call_sync(operation, {"TableName": "missing", member: key("a", 1)})
    assert caught.value.message == "Requested resource not found"


@pytest.mark.parametrize("operation", ["GetItem", "DeleteItem"])
@pytest.mark.parametrize(
    "bad_key", [{"pk": {"S": "a"}}, {"pk": {"S": "a"}, "sk": {"B": b"1"}}, {"x": {"S": "a"}}]
)
def test_key_schema_mismatch(fake: FakeDynamoDB, table: str, operation: str, bad_key: dict[str, Any]) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, {"TableName": table, "Key": bad_key})
    assert caught.value.message == SCHEMA


def test_not_yet_supported_parameters_are_refused(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1), "ConditionExpression": "a = b"})
    assert caught.value.message == "ConditionExpression is not supported by aiodynamodb_fake yet"
    assert snapshot(fake) == {table: []}


# --- behaviour ------------------------------------------------------------------------------------


def test_put_get_delete_round_trip(fake: FakeDynamoDB, table: str) -> None:
    assert fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, v={"N": "01.10"})}) == {}
    got = fake.call_sync("GetItem", {"TableName": table, "Key": key("a", "1.0"), "ConsistentRead": True})
    assert got == {"Item": item("a", 1, v={"N": "1.1"})}
    old = fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1), "ReturnValues": "ALL_OLD"})
    assert old == {"Attributes": item("a", 1, v={"N": "1.1"})}
    deleted = fake.call_sync(
        "DeleteItem", {"TableName": table, "Key": key("a", 1), "ReturnValues": "ALL_OLD"}
    )
    assert deleted == {"Attributes": item("a", 1)}
    assert fake.call_sync("GetItem", {"TableName": table, "Key": key("a", 1)}) == {}
    assert (
        fake.call_sync("DeleteItem", {"TableName": table, "Key": key("a", 1), "ReturnValues": "ALL_OLD"})
        == {}
    )
    fake._check()


def test_get_item_projection(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync(
        "PutItem", {"TableName": table, "Item": item("a", 1, m={"M": {"x": {"S": "1"}, "y": {"S": "2"}}})}
    )
    got = fake.call_sync(
        "GetItem",
        {
            "TableName": table,
            "Key": key("a", 1),
            "ProjectionExpression": "#m.y",
            "ExpressionAttributeNames": {"#m": "m"},
        },
    )
    assert got == {"Item": {"m": {"M": {"y": {"S": "2"}}}}}


def test_consumed_capacity(fake: FakeDynamoDB, indexed_table: str) -> None:
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
    get = {"TableName": indexed_table, "Key": key("a", 1), "ReturnConsumedCapacity": "TOTAL"}
    assert fake.call_sync("GetItem", get)["ConsumedCapacity"] == {
        "TableName": indexed_table,
        "CapacityUnits": 0.5,
    }
    delete = {"TableName": indexed_table, "Key": key("a", 1), "ReturnConsumedCapacity": "TOTAL"}
    assert fake.call_sync("DeleteItem", delete)["ConsumedCapacity"] == {
        "TableName": indexed_table,
        "CapacityUnits": 3.0,
    }
    missing = {"TableName": indexed_table, "Key": key("a", 1), "ReturnConsumedCapacity": "TOTAL"}
    assert fake.call_sync("DeleteItem", missing)["ConsumedCapacity"] == {
        "TableName": indexed_table,
        "CapacityUnits": 1.0,
    }


def test_item_collection_metrics(fake: FakeDynamoDB, indexed_table: str) -> None:
    response = fake.call_sync(
        "PutItem",
        {
            "TableName": indexed_table,
            "Item": item("a", 1, date={"S": "d"}),
            "ReturnItemCollectionMetrics": "SIZE",
        },
    )
    assert response == {
        "ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    }
