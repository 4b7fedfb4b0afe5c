"""BatchGetItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import PARAM, SCHEMA, key

PARAMETERIZED = (
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class "
    "are in module java.base of loader 'bootstrap')"
)


def batch_get(fake: FakeDynamoDB, request_items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return fake.call_sync("BatchGetItem", {"RequestItems": request_items, **extra})


def load(fake: FakeDynamoDB, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        chunk = items[start : start + 25]
        fake.call_sync(
            "BatchWriteItem", {"RequestItems": {table: [{"PutRequest": {"Item": i}} for i in chunk]}}
        )


@pytest.fixture
def filled(fake: FakeDynamoDB, table: str) -> str:
    load(
        fake,
        table,
        [
            {**key("a", i), "v": {"S": f"v{i}"}, "doc": {"M": {"l": {"L": [{"N": "1"}, {"N": "2"}]}}}}
            for i in range(10)
        ],
    )
    return table


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_items", "message"),
    [
        (
            [],
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.KeysAndAttributes>",
        ),
        ("x", "Unexpected field type"),
        (
            {"items": []},
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes",
        ),
        ({"items": 5}, "Unexpected value type in payload"),
        ({"items": {"Keys": {}}}, "Start of structure or map found where not expected"),
        ({"items": {"Keys": [5]}}, PARAMETERIZED),
        (
            {"items": {"Keys": [key("a", 1)], "ConsistentRead": "yes"}},
            "Unexpected token received from parser",
        ),
        (
            {"items": {"Keys": [{"pk": {"S": 1}, "sk": {"N": "1"}}]}},
            "NUMBER_VALUE cannot be converted to String",
        ),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, request_items: Any, message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        batch_get(fake, request_items)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_missing_and_empty_request_items(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("BatchGetItem", {})
    assert caught.value.message == (
        "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
        "Member must not be null"
    )
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {})
    assert caught.value.message == "The requestItems parameter is required for BatchGetItem"


def test_more_than_100_keys_in_one_table(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {table: {"Keys": [key("a", i) for i in range(101)]}})
    assert caught.value.message == (
        f"1 validation error detected: Value at 'RequestItems.{table}.member.Keys' failed to satisfy constraint: "
        "Member must have length less than or equal to 100"
    )


def test_bad_enum(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {table: {"Keys": [key("a", 1)]}}, ReturnConsumedCapacity="ALL")
    assert caught.value.message == (
        "1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
    )


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
        ({"AttributesToGet": ["a", "b", "a"]}, PARAM + "Duplicate value in attribute name: a"),
        ({"ProjectionExpression": ""}, "Invalid ProjectionExpression: The expression can not be empty;"),
        (
            {"ProjectionExpression": "#a", "ExpressionAttributeNames": {"#a": "a", "#b": "b"}},
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}",
        ),
        (
            {"ProjectionExpression": "#x"},
            "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; "
            "attribute name: #x",
        ),
        (
            {"ProjectionExpression": "name"},
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
        ),
        (
            {"ProjectionExpression": "a.b, a"},
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one "
            "of these paths; path one: [a, b], path two: [a]",
        ),
    ],
)
def test_projection_checks_come_before_table_lookup(
    fake: FakeDynamoDB, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {"missing": {"Keys": [key("a", 1)], **options}})
    assert caught.value.message == message


def test_duplicate_keys_found_before_table_lookup(fake: FakeDynamoDB) -> None:
    reordered = {"sk": {"N": "1.0"}, "pk": {"S": "a"}}
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {"missing": {"Keys": [key("a", 1), reordered]}})
    assert caught.value.message == "Provided list of item keys contains duplicates"


def test_key_101_overall(fake: FakeDynamoDB, table: str, make_table: Any) -> None:
    other = make_table("other")
    with pytest.raises(ValidationException) as caught:
        batch_get(
            fake,
            {
                table: {"Keys": [key("a", i) for i in range(60)]},
                other: {"Keys": [key("a", i) for i in range(41)]},
            },
        )
    assert caught.value.message == "Too many items requested for the BatchGetItem call"


def test_exactly_100_keys_to_a_missing_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        batch_get(fake, {"missing": {"Keys": [key("a", i) for i in range(100)]}})
    assert caught.value.message == "Requested resource not found"


def test_attribute_values_checked(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {table: {"Keys": [{"pk": {"S": "a"}, "sk": {"N": "x1"}}]}})
    assert caught.value.message == "The parameter cannot be converted to a numeric value: x1"


@pytest.mark.parametrize(
    ("bad_key", "message"),
    [
        ({"pk": {"S": "a"}}, SCHEMA),
        ({"pk": {"S": "a"}, "sk": {"S": "1"}}, SCHEMA),
        ({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"N": "1"}}, SCHEMA),
        (
            {"pk": {"S": ""}, "sk": {"N": "1"}},
            PARAM + "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
        ),
    ],
)
def test_key_schema(fake: FakeDynamoDB, table: str, bad_key: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        batch_get(fake, {table: {"Keys": [key("a", 1), bad_key]}})
    assert caught.value.message == message


# --- behaviour ------------------------------------------------------------------------------------


def test_returns_existing_items_and_every_table(fake: FakeDynamoDB, filled: str, make_table: Any) -> None:
    other = make_table("other")
    response = batch_get(
        fake,
        {filled: {"Keys": [key("a", 3), key("a", 99), key("a", "1.00")]}, other: {"Keys": [key("a", 1)]}},
    )
    assert response["UnprocessedKeys"] == {}
    assert response["Responses"][other] == []
    assert sorted(i["sk"]["N"] for i in response["Responses"][filled]) == ["1", "3"]
    assert "ConsumedCapacity" not in response


def test_projection_expression_nested_paths(fake: FakeDynamoDB, filled: str) -> None:
    response = batch_get(
        fake,
        {
            filled: {
                "Keys": [key("a", 2)],
                "ProjectionExpression": "#v, doc.l[1], nope",
                "ExpressionAttributeNames": {"#v": "v"},
            }
        },
    )
    assert response["Responses"][filled] == [{"v": {"S": "v2"}, "doc": {"M": {"l": {"L": [{"N": "2"}]}}}}]


def test_attributes_to_get(fake: FakeDynamoDB, filled: str) -> None:
    response = batch_get(fake, {filled: {"Keys": [key("a", 2)], "AttributesToGet": ["sk", "v"]}})
    assert response["Responses"][filled] == [{"sk": {"N": "2"}, "v": {"S": "v2"}}]


def test_consumed_capacity(fake: FakeDynamoDB, table: str, make_table: Any) -> None:
    other = make_table("other")
    load(fake, table, [{**key("a", 1), "v": {"S": "x" * 4000}}, key("a", 2)])
    request = {table: {"Keys": [key("a", 1), key("a", 2), key("a", 3)]}, other: {"Keys": [key("a", 1)]}}
    # eventually consistent: ~4 KB item 0.5 + tiny item 0.5 + missing key 0.5; missing key elsewhere 0.5
    assert batch_get(fake, request, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 1.5},
        {"TableName": other, "CapacityUnits": 0.5},
    ]
    consistent = {table: {"Keys": [key("a", 1)], "ConsistentRead": True}}
    assert batch_get(fake, consistent, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}
    ]


def test_each_item_rounded_separately(fake: FakeDynamoDB, table: str) -> None:
    # 1.5 KB + 6.5 KB -> 1 + 2 = 3 units consistent (Developer Guide example)
    load(
        fake,
        table,
        [{**key("a", 1), "v": {"S": "x" * (1536 - 8)}}, {**key("a", 2), "v": {"S": "x" * (6656 - 8)}}],
    )
    response = batch_get(
        fake,
        {table: {"Keys": [key("a", 1), key("a", 2)], "ConsistentRead": True}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 3.0}]


def test_response_cap_returns_the_rest_as_unprocessed_keys(fake: FakeDynamoDB, table: str) -> None:
    # the API page's example: 100 items of 300 KB -> 52 returned, the rest unprocessed
    item_body = "x" * (300 * 1024 - 8 - 1)
    load(fake, table, [{**key("a", i), "v": {"S": item_body}} for i in range(100)])
    options = {"ProjectionExpression": "pk, sk, v", "ConsistentRead": False}
    keys = [key("a", i) for i in range(100)]
    response = batch_get(fake, {table: {"Keys": keys, **options}}, ReturnConsumedCapacity="TOTAL")
    returned = response["Responses"][table]
    assert len(returned) == 52
    assert response["UnprocessedKeys"] == {table: {"Keys": keys[52:], **options}}
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 52 * 75 / 2}]
    # resending UnprocessedKeys as they are fetches the rest
    again = fake.call_sync("BatchGetItem", {"RequestItems": response["UnprocessedKeys"]})
    assert len(again["Responses"][table]) == 48
    assert again["UnprocessedKeys"] == {}
    assert {i["sk"]["N"] for i in returned + again["Responses"][table]} == {str(i) for i in range(100)}


def test_results_do_not_alias_storage(fake: FakeDynamoDB, filled: str) -> None:
    first = batch_get(fake, {filled: {"Keys": [key("a", 1)]}})["Responses"][filled][0]
    first["doc"]["M"]["l"]["L"].clear()
    first["v"]["S"] = "changed"
    second = batch_get(fake, {filled: {"Keys": [key("a", 1)]}})["Responses"][filled][0]
    assert second["v"] == {"S": "v1"}
    assert second["doc"]["M"]["l"]["L"] == [{"N": "1"}, {"N": "2"}]


def test_binary_keys(fake: FakeDynamoDB, make_table: Any) -> None:
    name = make_table("blobs", hash_key=("id", "B"), range_key=None)
    fake.call_sync(
        "BatchWriteItem", {"RequestItems": {name: [{"PutRequest": {"Item": {"id": {"B": b"\x00\xff"}}}}]}}
    )
    response = batch_get(fake, {name: {"Keys": [{"id": {"B": b"\x00\xff"}}, {"id": {"B": b"\x00"}}]}})
    assert response["Responses"][name] == [{"id": {"B": b"\x00\xff"}}]
