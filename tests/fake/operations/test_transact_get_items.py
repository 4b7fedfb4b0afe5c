"""TransactGetItems: shape errors, validation errors (class and full message), cancellations,
behaviour (Responses aligned with the request, projections), capacity and chaos."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aiodynamodb.errors import (
    ResourceNotFoundException,
    SerializationException,
    TransactionCanceledException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.operations._transactions import TOO_LARGE
from tests.fake.operations.builders import SCHEMA, create_table, item, key

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]"
MODEL = "com.amazonaws.dynamodb.v20120810."
NONE = {"Code": "None"}


def get(table: str, k: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Get": {"TableName": table, "Key": k, **extra}}


def transact(fake: FakeDynamoDB, *gets: Any, **extra: Any) -> dict[str, Any]:
    return fake.call_sync("TransactGetItems", {"TransactItems": list(gets), **extra})


def refusal(fake: FakeDynamoDB, error: type[Exception], *gets: Any, **extra: Any) -> Any:
    with pytest.raises(error) as caught:
        transact(fake, *gets, **extra)
    return caught.value


@pytest.fixture
def stocked(fake: FakeDynamoDB, table: str) -> str:
    for pk, sk in (("a", 1), ("a", 2), ("b", 1)):
        fake.call_sync(
            "PutItem", {"TableName": table, "Item": item(pk, sk, v={"S": f"{pk}{sk}"}, n={"N": "1"})}
        )
    return table


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"TransactItems": "x"}, "Unexpected field type"),
        ({"TransactItems": [[]]}, f"Unrecognized collection type class {MODEL}TransactGetItem"),
        ({"TransactItems": [{"Get": []}]}, f"Unrecognized collection type class {MODEL}Get"),
        (
            {"TransactItems": [get("items", key("a", 1), ProjectionExpression=5)]},
            "NUMBER_VALUE cannot be converted to String",
        ),
        ({"TransactItems": [], "ReturnConsumedCapacity": True}, "TRUE_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds_are_serialization_errors(
    fake: FakeDynamoDB, table: str, request_body: Any, message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("TransactGetItems", request_body)
    assert caught.value.message == message


# As for TransactWriteItems (see its tests): the whole body is read, in document order and down into
# every AttributeValue, before any constraint is reported (dynalite validations/index.js: checkTypes,
# then checkValidations; run against DynamoDB).
@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"TransactItems": [{"Get": 5}], "ReturnConsumedCapacity": True}, "Unexpected field type"),
        (
            {"ReturnConsumedCapacity": True, "TransactItems": [{"Get": 5}]},
            "TRUE_VALUE cannot be converted to String",
        ),
        (
            {"TransactItems": [None, get("items", {"pk": {"S": "a"}, "sk": {"N": 1}})]},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            {"TransactItems": [get("items", key("a", 1), ExpressionAttributeNames={"#n": True})]},
            "TRUE_VALUE cannot be converted to String",
        ),
    ],
)
def test_every_kind_is_read_before_any_constraint(
    fake: FakeDynamoDB, table: str, request_body: Any, message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("TransactGetItems", request_body)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_empty_and_too_many_gets(fake: FakeDynamoDB, table: str) -> None:
    assert refusal(fake, ValidationException).message == (
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )
    many = [get(table, key(f"k{n}", n)) for n in range(101)]
    message = refusal(fake, ValidationException, *many).message
    assert re.fullmatch(
        r"1 validation error detected: Value '\[\{Get=\{TableName=items, .+' at 'transactItems' failed to "
        r"satisfy constraint: Member must have length less than or equal to 100",
        message,
        re.DOTALL,
    )
    assert len(transact(fake, *many[:100])["Responses"]) == 100


def test_member_constraints_are_collected(fake: FakeDynamoDB, table: str) -> None:
    error = refusal(
        fake,
        ValidationException,
        None,
        {},
        {"Get": {"TableName": "x" * 256, "Key": key("a", 1)}},
        {"Get": {}},
        ReturnConsumedCapacity="SOME",
    )
    assert error.message == (
        "6 validation errors detected: "
        "Value 'SOME' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value null at 'transactItems.1.member' failed to satisfy constraint: Member must not be null; "
        "Value null at 'transactItems.2.member.get' failed to satisfy constraint: Member must not be null; "
        f"Value '{'x' * 256}' at 'transactItems.3.member.get.tableName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255; "
        "Value null at 'transactItems.4.member.get.tableName' failed to satisfy constraint: "
        "Member must not be null; "
        "Value null at 'transactItems.4.member.get.key' failed to satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"ProjectionExpression": "!!!"},
            'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
        ),
        (
            {"ProjectionExpression": "#a", "ExpressionAttributeNames": {"#a": "v", "#b": "n"}},
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}",
        ),
        (
            {"ProjectionExpression": "name"},
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
        ),
    ],
)
def test_projection_errors_are_request_level(
    fake: FakeDynamoDB, table: str, extra: dict[str, Any], message: str
) -> None:
    assert refusal(fake, ValidationException, get(table, key("a", 1), **extra)).message == message


def test_names_without_a_projection_are_accepted(fake: FakeDynamoDB, stocked: str) -> None:
    response = transact(fake, get(stocked, key("a", 1), ExpressionAttributeNames={"#x": "v"}))
    assert response == {"Responses": [{"Item": item("a", 1, v={"S": "a1"}, n={"N": "1"})}]}


def test_bad_key_values_and_empty_keys(fake: FakeDynamoDB, table: str) -> None:
    assert refusal(fake, ValidationException, get(table, {"pk": {"S": "a"}, "sk": {"N": "x"}})).message == (
        "The parameter cannot be converted to a numeric value: x"
    )
    assert refusal(fake, ValidationException, get(table, {"pk": {"S": ""}, "sk": {"N": "1"}})).message == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
        "an empty string value. Key: pk"
    )


def test_a_missing_table(fake: FakeDynamoDB, table: str) -> None:
    error = refusal(fake, ResourceNotFoundException, get(table, key("a", 1)), get("nope", key("a", 1)))
    assert error.message == "Requested resource not found"


def test_two_gets_of_one_item(fake: FakeDynamoDB, table: str) -> None:
    error = refusal(fake, ValidationException, get(table, key("a", 1)), get(table, key("a", "1.00")))
    assert error.message == "Transaction request cannot include multiple operations on one item"


@pytest.mark.parametrize(
    "bad_key",
    [{}, {"pk": {"S": "a"}}, {"pk": {"N": "1"}, "sk": {"N": "1"}}, {**key("a", 1), "x": {"S": "y"}}],
)
def test_a_key_that_does_not_fit_cancels_with_a_validation_error(
    fake: FakeDynamoDB, table: str, bad_key: dict[str, Any]
) -> None:
    error = refusal(fake, TransactionCanceledException, get(table, key("a", 1)), get(table, bad_key))
    assert error.message == CANCELLED.format("None, ValidationError")
    assert error.cancellation_reasons == [NONE, {"Code": "ValidationError", "Message": SCHEMA}]


def test_more_than_4_mb_read(fake: FakeDynamoDB, table: str) -> None:
    big = {"S": "x" * 400_000}
    for n in range(11):
        fake.call_sync("PutItem", {"TableName": table, "Item": item("big", n, blob=big)})
    assert (
        refusal(fake, ValidationException, *[get(table, key("big", n)) for n in range(11)]).message
        == TOO_LARGE
    )
    assert len(transact(fake, *[get(table, key("big", n)) for n in range(10)])["Responses"]) == 10


# --- behaviour ------------------------------------------------------------------------------------


def test_responses_are_aligned_with_the_request(fake: FakeDynamoDB, stocked: str, hash_table: str) -> None:
    fake.call_sync(
        "PutItem",
        {
            "TableName": hash_table,
            "Item": {"id": {"S": "u"}, "m": {"M": {"a": {"L": [{"N": "1"}, {"N": "2"}]}}}},
        },
    )
    response = transact(
        fake,
        get(stocked, key("b", 1)),
        get(stocked, key("zzz", 1)),
        get(
            hash_table,
            {"id": {"S": "u"}},
            ProjectionExpression="m.a[1], #g",
            ExpressionAttributeNames={"#g": "gone"},
        ),
        get(stocked, key("a", 2), ProjectionExpression="v"),
    )
    assert response == {
        "Responses": [
            {"Item": item("b", 1, v={"S": "b1"}, n={"N": "1"})},
            {},
            {"Item": {"m": {"M": {"a": {"L": [{"N": "2"}]}}}}},
            {"Item": {"v": {"S": "a2"}}},
        ]
    }


def test_answers_are_fresh_copies(fake: FakeDynamoDB, stocked: str) -> None:
    first = transact(fake, get(stocked, key("a", 1)))
    first["Responses"][0]["Item"]["v"]["S"] = "changed"
    assert transact(fake, get(stocked, key("a", 1)))["Responses"][0]["Item"]["v"] == {"S": "a1"}


def test_a_table_may_be_named_by_arn(fake: FakeDynamoDB, stocked: str) -> None:
    arn = fake.call_sync("DescribeTable", {"TableName": stocked})["Table"]["TableArn"]
    response = transact(fake, get(arn, key("a", 1), ProjectionExpression="v"), ReturnConsumedCapacity="TOTAL")
    assert response == {
        "Responses": [{"Item": {"v": {"S": "a1"}}}],
        "ConsumedCapacity": [{"TableName": arn, "CapacityUnits": 2.0}],
    }


# --- capacity -------------------------------------------------------------------------------------


def test_each_get_costs_two_strong_reads_missing_items_included(
    fake: FakeDynamoDB, stocked: str, hash_table: str
) -> None:
    fake.call_sync("PutItem", {"TableName": stocked, "Item": item("big", 1, blob={"S": "x" * 5000})})
    response = transact(
        fake,
        get(hash_table, {"id": {"S": "nobody"}}),
        get(stocked, key("a", 1), ProjectionExpression="v"),
        get(stocked, key("big", 1)),
        ReturnConsumedCapacity="INDEXES",
    )
    assert response["ConsumedCapacity"] == [
        {
            "TableName": hash_table,
            "CapacityUnits": 2.0,
            "Table": {"CapacityUnits": 2.0, "ReadCapacityUnits": 2.0},
        },
        {
            "TableName": stocked,
            "CapacityUnits": 6.0,
            "Table": {"CapacityUnits": 6.0, "ReadCapacityUnits": 6.0},
        },
    ]
    assert "ConsumedCapacity" not in transact(fake, get(stocked, key("a", 1)), ReturnConsumedCapacity="NONE")


# --- chaos ----------------------------------------------------------------------------------------


def test_a_throttled_get_cancels_the_transaction(fake: FakeDynamoDB, stocked: str) -> None:
    create_table(fake, "prov", provisioned=(5, 5))
    fake.unprocess("TransactGetItems", [key("a", 2)])
    error = refusal(fake, TransactionCanceledException, get(stocked, key("a", 1)), get(stocked, key("a", 2)))
    assert error.message == CANCELLED.format("None, TransactionConflict")
    assert error.cancellation_reasons == [
        NONE,
        {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"},
    ]
    fake.throttle(1.0, operations="TransactGetItems", times=1)
    error = refusal(fake, TransactionCanceledException, get("prov", key("a", 1)))
    assert error.cancellation_reasons == [
        {
            "Code": "ProvisionedThroughputExceeded",
            "Message": "The level of configured provisioned throughput for the table was exceeded. Consider "
            "increasing your provisioning level with the UpdateTable API.",
        }
    ]
    assert transact(fake, get(stocked, key("a", 1)))["Responses"][0]["Item"]["v"] == {"S": "a1"}


def test_the_capacity_model_prices_a_get_at_two_strong_reads() -> None:
    fake = FakeDynamoDB(capacity=True)
    create_table(fake, "prov", provisioned=(2, 5))  # a new table holds one second: 2 RCUs
    assert transact(fake, get("prov", key("a", 1))) == {"Responses": [{}]}  # 2 RCUs: the bucket is empty
    error = refusal(fake, TransactionCanceledException, get("prov", key("a", 1)))
    assert [reason["Code"] for reason in error.cancellation_reasons] == ["ProvisionedThroughputExceeded"]
    fake.clock.advance(1)  # type: ignore[attr-defined]
    assert transact(fake, get("prov", key("a", 1))) == {"Responses": [{}]}
