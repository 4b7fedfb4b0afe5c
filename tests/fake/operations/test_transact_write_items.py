"""TransactWriteItems: shape errors, validation errors (class and full message), cancellations (one
reason per action, in request order), behaviour of every action, capacity, idempotency, chaos."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aiodynamodb.errors import (
    IdempotentParameterMismatchException,
    ResourceNotFoundException,
    SerializationException,
    TransactionCanceledException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.clock import VirtualClock
from aiodynamodb_fake.operations._transactions import IDEMPOTENT_MISMATCH, TOO_LARGE
from aiodynamodb_fake.state import RememberedToken, TokenStore
from tests.fake.operations.builders import SCHEMA, create_table, item, key, snapshot

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]"
FAILED = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
NONE = {"Code": "None"}
MULTIPLE = "Transaction request cannot include multiple operations on one item"


def transact(fake: FakeDynamoDB, *actions: Any, **extra: Any) -> dict[str, Any]:
    return fake.call_sync("TransactWriteItems", {"TransactItems": list(actions), **extra})


def put(table: str, attributes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": attributes, **extra}}


def update(table: str, k: dict[str, Any], expression: str, **extra: Any) -> dict[str, Any]:
    return {"Update": {"TableName": table, "Key": k, "UpdateExpression": expression, **extra}}


def delete(table: str, k: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Delete": {"TableName": table, "Key": k, **extra}}


def check(table: str, k: dict[str, Any], condition: str, **extra: Any) -> dict[str, Any]:
    return {"ConditionCheck": {"TableName": table, "Key": k, "ConditionExpression": condition, **extra}}


def cancellation(fake: FakeDynamoDB, *actions: Any, **extra: Any) -> TransactionCanceledException:
    before = snapshot(fake)
    with pytest.raises(TransactionCanceledException) as caught:
        transact(fake, *actions, **extra)
    assert snapshot(fake) == before
    return caught.value


def refusal(fake: FakeDynamoDB, error: type[Exception], *actions: Any, **extra: Any) -> str:
    before = snapshot(fake)
    with pytest.raises(error) as caught:
        transact(fake, *actions, **extra)
    assert snapshot(fake) == before
    message: str = caught.value.message  # type: ignore[attr-defined]
    return message


def assert_cancelled(error: TransactionCanceledException, reasons: list[dict[str, Any]]) -> None:
    assert error.message == CANCELLED.format(", ".join(reason["Code"] for reason in reasons))
    assert error.cancellation_reasons == reasons


# --- shape errors ---------------------------------------------------------------------------------


MODEL = "com.amazonaws.dynamodb.v20120810."


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"TransactItems": {}}, "Start of structure or map found where not expected"),
        ({"TransactItems": [[]]}, f"Unrecognized collection type class {MODEL}TransactWriteItem"),
        ({"TransactItems": [5]}, "Unexpected value type in payload"),
        ({"TransactItems": [{"Put": []}]}, f"Unrecognized collection type class {MODEL}Put"),
        (
            {"TransactItems": [{"Put": {"TableName": 5, "Item": {}}}]},
            "NUMBER_VALUE cannot be converted to String",
        ),
        ({"TransactItems": [{"Delete": {"TableName": "items", "Key": "k"}}]}, "Unexpected field type"),
        (
            {"TransactItems": [{"Delete": {"TableName": "items", "Key": []}}]},
            f"Unrecognized collection type java.util.Map<java.lang.String, {MODEL}AttributeValue>",
        ),
        (
            {
                "TransactItems": [
                    check("items", key("a", 1), "attribute_exists(pk)", ExpressionAttributeNames=[])
                ]
            },
            "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>",
        ),
        ({"TransactItems": [], "ClientRequestToken": 7}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds_are_serialization_errors(
    fake: FakeDynamoDB, table: str, request_body: Any, message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("TransactWriteItems", request_body)
    assert caught.value.message == message


# The member table (``members.transactions``) is checked as dynalite's validations/index.js does it,
# run against DynamoDB: ``checkTypes`` reads the whole body, down into every AttributeValue, before
# ``checkValidations`` reports any constraint. So, unlike the hand-written checks this replaced, a
# wrong kind is found in document order (not top-level members first), a wrong kind deep in an Item,
# Key or ExpressionAttributeValues wins over every envelope violation, and a map an action sends but
# never uses must still deserialize.
@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        (
            {"TransactItems": [{"Put": 5}], "ReturnConsumedCapacity": True},
            "Unexpected field type",
        ),
        (
            {"ReturnConsumedCapacity": True, "TransactItems": [{"Put": 5}]},
            "TRUE_VALUE cannot be converted to String",
        ),
        (
            {"TransactItems": [None, put("items", item("a", 1, x={"S": 5}))], "ClientRequestToken": ""},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            {"TransactItems": [check("items", key("a", 1), "x = :v", ExpressionAttributeValues={":v": 5})]},
            "Unexpected value type in payload",
        ),
        (
            {"TransactItems": [put("items", item("a", 1), ExpressionAttributeNames={"#n": 5})]},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            {"TransactItems": [delete("items", key("a", 1), ExpressionAttributeValues={":v": {"L": "x"}})]},
            "Unexpected field type",
        ),
    ],
)
def test_every_kind_is_read_before_any_constraint(
    fake: FakeDynamoDB, table: str, request_body: Any, message: str
) -> None:
    before = snapshot(fake)
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("TransactWriteItems", request_body)
    assert caught.value.message == message
    assert snapshot(fake) == before


# --- validation errors ----------------------------------------------------------------------------


def test_missing_and_empty_transact_items(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("TransactWriteItems", {})
    assert caught.value.message == (
        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: "
        "Member must not be null"
    )
    with pytest.raises(ValidationException) as caught:
        transact(fake)
    assert caught.value.message == (
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_more_than_100_actions(fake: FakeDynamoDB, table: str) -> None:
    message = refusal(fake, ValidationException, *[put(table, item(f"p{n}", n)) for n in range(101)])
    assert re.fullmatch(
        # the echo is the project's (clipped after 2,048 characters: ``messages.clip``)
        r"1 validation error detected: Value '\[\{Put=\{TableName=items, .+\.\.\.' at 'transactItems' "
        r"failed to satisfy constraint: "
        r"Member must have length less than or equal to 100",
        message,
        re.DOTALL,
    )


def test_100_actions_are_accepted(fake: FakeDynamoDB, table: str) -> None:
    transact(fake, *[put(table, item(f"p{n}", n)) for n in range(100)])
    assert fake.item_count(table) == 100


def test_member_constraints_are_collected_in_one_envelope(fake: FakeDynamoDB, table: str) -> None:
    message = refusal(
        fake,
        ValidationException,
        None,
        {"Put": {"TableName": "bad!name"}},
        {"Update": {"Key": key("a", 1), "ReturnValuesOnConditionCheckFailure": "SOME"}},
        {"ConditionCheck": {"TableName": table}},
        ReturnConsumedCapacity="ALL",
        ClientRequestToken="x" * 37,
    )
    assert message == (
        "10 validation errors detected: "
        "Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        f"Value '{'x' * 37}' at 'clientRequestToken' failed to satisfy constraint: "
        "Member must have length less than or equal to 36; "
        "Value null at 'transactItems.1.member' failed to satisfy constraint: Member must not be null; "
        "Value 'bad!name' at 'transactItems.2.member.put.tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value null at 'transactItems.2.member.put.item' failed to satisfy constraint: "
        "Member must not be null; "
        "Value null at 'transactItems.3.member.update.tableName' failed to satisfy constraint: "
        "Member must not be null; "
        "Value null at 'transactItems.3.member.update.updateExpression' failed to satisfy constraint: "
        "Member must not be null; "
        "Value 'SOME' at 'transactItems.3.member.update.returnValuesOnConditionCheckFailure' failed to "
        "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]; "
        "Value null at 'transactItems.4.member.conditionCheck.key' failed to satisfy constraint: "
        "Member must not be null; "
        "Value null at 'transactItems.4.member.conditionCheck.conditionExpression' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_an_empty_token_is_too_short(fake: FakeDynamoDB, table: str) -> None:
    message = refusal(fake, ValidationException, put(table, item("a", 1)), ClientRequestToken="")
    assert message == (
        "1 validation error detected: Value '' at 'clientRequestToken' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_an_action_needs_exactly_one_operation(fake: FakeDynamoDB, table: str) -> None:
    assert refusal(fake, ValidationException, {}) == (
        "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"
    )
    both = {**put(table, item("a", 1)), **delete(table, key("b", 1))}
    assert refusal(fake, ValidationException, both) == (
        "TransactItems can only contain one of Check, Put, Update or Delete"
    )


def test_attribute_values_are_checked_up_front(fake: FakeDynamoDB, table: str) -> None:
    assert refusal(fake, ValidationException, put(table, item("a", 1, x={"N": "x"}))) == (
        "The parameter cannot be converted to a numeric value: x"
    )
    assert refusal(fake, ValidationException, delete(table, {"pk": {}})) == (
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )


def test_an_item_over_400_kb(fake: FakeDynamoDB, table: str) -> None:
    big = item("a", 1, blob={"S": "x" * 409_600})
    assert refusal(fake, ValidationException, put(table, big)) == (
        "Item size has exceeded the maximum allowed size"
    )


def test_more_than_4_mb_in_total(fake: FakeDynamoDB, table: str) -> None:
    actions = [put(table, item(f"p{n}", n, blob={"S": "x" * 350_000})) for n in range(12)]
    assert refusal(fake, ValidationException, *actions) == TOO_LARGE
    transact(fake, *actions[:11])
    assert fake.item_count(table) == 11


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            put("items", item("a", 1), ConditionExpression="attribute_not_exists("),
            'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
        ),
        (
            delete("items", key("a", 1), ConditionExpression=""),
            "Invalid ConditionExpression: The expression can not be empty;",
        ),
        (
            update("items", key("a", 1), "SET"),
            'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"',
        ),
        (
            check(
                "items", key("a", 1), "attribute_not_exists(pk)", ExpressionAttributeValues={":v": {"S": "x"}}
            ),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
        ),
        (
            update(
                "items",
                key("a", 1),
                "SET a = :a",
                ExpressionAttributeValues={":a": {"S": "x"}, ":v": {"S": "x"}},
            ),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
        ),
        (
            check("items", key("a", 1), "#a = :a", ExpressionAttributeValues={":a": {"S": "x"}}),
            "Invalid ConditionExpression: An expression attribute name used in the document path is not "
            "defined; attribute name: #a",
        ),
    ],
)
def test_expressions_are_request_level_errors(
    fake: FakeDynamoDB, table: str, action: dict[str, Any], message: str
) -> None:
    transact_first = put(table, item("first", 1))
    assert refusal(fake, ValidationException, transact_first, action) == message


def test_names_and_values_with_no_expression_to_use_them_are_accepted(fake: FakeDynamoDB, table: str) -> None:
    transact(
        fake,
        put(table, item("a", 1), ExpressionAttributeNames={"#n": "x"}),
        delete(table, key("b", 1), ExpressionAttributeValues={":v": {"S": "x"}}),
    )
    assert fake.items(table) == [item("a", 1)]


def test_a_missing_table(fake: FakeDynamoDB, table: str) -> None:
    message = refusal(fake, ResourceNotFoundException, put(table, item("a", 1)), put("nope", item("b", 1)))
    assert message == "Requested resource not found"


def test_two_actions_on_one_item(fake: FakeDynamoDB, table: str) -> None:
    arn = fake.call_sync("DescribeTable", {"TableName": table})["Table"]["TableArn"]
    assert (
        refusal(
            fake,
            ValidationException,
            put(table, item("a", 1)),
            check(arn, key("a", "1.0"), "attribute_exists(pk)"),
        )
        == MULTIPLE
    )
    assert (
        refusal(
            fake,
            ValidationException,
            update(table, key("a", 1), "SET x = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
            delete(table, key("a", 1)),
        )
        == MULTIPLE
    )
    transact(fake, put(table, item("a", 1)), put(table, item("a", 2)))  # another item: fine


# --- keys: request-level or a cancellation reason -------------------------------------------------


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            put("items", {"pk": {"N": "5"}, "sk": {"N": "1"}}),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
        ),
        (
            put("items", {"pk": {"L": [{"S": "x"}]}, "sk": {"N": "1"}}),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: L",
        ),
        (
            put("items", {"pk": {"S": "a"}}),
            "One or more parameter values were invalid: Missing the key sk in the item",
        ),
        (delete("items", {"pk": {"N": "5"}, "sk": {"N": "1"}}), SCHEMA),
        (check("items", {"pk": {"L": [{"S": "x"}]}, "sk": {"N": "1"}}, "attribute_not_exists(pk)"), SCHEMA),
        (
            update("items", {"pk": {"S": "a"}}, "SET x = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
            SCHEMA,
        ),
        (
            update("items", key("a", 1), "SET pk = :v", ExpressionAttributeValues={":v": {"S": "b"}}),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of "
            "the key",
        ),
    ],
)
def test_a_key_that_does_not_fit_the_schema_cancels_with_a_validation_error(
    fake: FakeDynamoDB, table: str, action: dict[str, Any], message: str
) -> None:
    error = cancellation(fake, action)
    assert_cancelled(error, [{"Code": "ValidationError", "Message": message}])


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            put("items", {"pk": {"S": ""}, "sk": {"N": "1"}}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
            "contain an empty string value. Key: pk",
        ),
        (
            delete("items", {"pk": {"S": ""}, "sk": {"N": "1"}}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
            "contain an empty string value. Key: pk",
        ),
        (
            check("items", {"pk": {"S": ""}, "sk": {"N": "1"}}, "attribute_exists(pk)"),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
            "contain an empty string value. Key: pk",
        ),
    ],
)
def test_an_empty_key_value_fails_the_whole_request(
    fake: FakeDynamoDB, table: str, action: dict[str, Any], message: str
) -> None:
    # even after an action whose key does not fit its schema
    wrong = put(table, {"pk": {"N": "5"}, "sk": {"N": "1"}})
    assert refusal(fake, ValidationException, wrong, action) == message


def test_an_empty_binary_key_names_binary(fake: FakeDynamoDB) -> None:
    create_table(fake, "blobs", hash_key=("id", "B"), range_key=None)
    assert refusal(fake, ValidationException, delete("blobs", {"id": {"B": b""}})) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
        "an empty binary value. Key: id"
    )


def test_only_the_first_key_schema_failure_is_reported_before_duplicates_and_conditions(
    fake: FakeDynamoDB, table: str
) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1)})
    error = cancellation(
        fake,
        put(table, item("a", 1), ConditionExpression="attribute_not_exists(pk)"),
        delete(table, {"pk": {"N": "1"}, "sk": {"N": "1"}}),
        put(table, item("b", 1)),
        put(table, item("b", 1)),
        delete(table, {"pk": {"B": b"x"}, "sk": {"N": "1"}}),
    )
    assert_cancelled(error, [NONE, {"Code": "ValidationError", "Message": SCHEMA}, NONE, NONE, NONE])


def test_index_keys_in_a_transaction(fake: FakeDynamoDB, indexed_table: str) -> None:
    wrong = item("a", 1, status={"N": "5"})
    error = cancellation(fake, put(indexed_table, wrong))
    assert_cancelled(
        error,
        [
            {
                "Code": "ValidationError",
                "Message": "One or more parameter values were invalid: Type mismatch for Index Key status "
                "Expected: S Actual: N IndexName: by_status",
            }
        ],
    )
    empty = item("a", 1, status={"S": ""})
    assert refusal(fake, ValidationException, put(indexed_table, empty)) == (
        "One or more parameter values are not valid. A value specified for a secondary index key is not "
        "supported. The AttributeValue for a key attribute cannot contain an empty string value. "
        "IndexName: by_status, IndexKey: status"
    )
    set_empty = update(
        indexed_table,
        key("a", 1),
        "SET #s = :v",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":v": {"S": ""}},
    )
    assert refusal(fake, ValidationException, set_empty) == (
        "One or more parameter values are not valid. The update expression attempted to update a secondary "
        "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
        "an empty string value."
    )


# --- conditions and cancellation ------------------------------------------------------------------


def test_reasons_are_listed_per_action_in_request_order(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("old", 1, x={"S": "kept"})})
    fake.call_sync("PutItem", {"TableName": table, "Item": item("other", 1)})
    error = cancellation(
        fake,
        put(table, item("new", 1), ConditionExpression="attribute_not_exists(pk)"),
        put(
            table,
            item("old", 1),
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
        check(
            table, key("missing", 1), "attribute_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD"
        ),
        delete(table, key("other", 1), ConditionExpression="attribute_exists(nothing)"),
        update(table, key("u", 1), "SET y = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
    )
    assert_cancelled(
        error,
        [NONE, {**FAILED, "Item": item("old", 1, x={"S": "kept"})}, FAILED, FAILED, NONE],
    )


def test_an_update_that_cannot_be_applied_is_a_validation_error_reason(
    fake: FakeDynamoDB, table: str
) -> None:
    error = cancellation(
        fake,
        put(table, item("a", 1)),
        update(table, key("b", 1), "SET x = nope + :one", ExpressionAttributeValues={":one": {"N": "1"}}),
    )
    assert_cancelled(
        error,
        [
            NONE,
            {
                "Code": "ValidationError",
                "Message": "The provided expression refers to an attribute that does not exist in the item",
            },
        ],
    )


def test_a_failed_condition_on_an_update_creates_no_item(fake: FakeDynamoDB, table: str) -> None:
    error = cancellation(
        fake,
        update(
            table,
            key("ghost", 1),
            "ADD hits :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": {"N": "1"}},
        ),
    )
    assert_cancelled(error, [FAILED])
    assert fake.items(table) == []


# --- behaviour ------------------------------------------------------------------------------------


def test_every_action_applies_together(fake: FakeDynamoDB, table: str, hash_table: str) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("upd", 1, n={"N": "1"})})
    fake.call_sync("PutItem", {"TableName": table, "Item": item("del", 1)})
    fake.call_sync("PutItem", {"TableName": hash_table, "Item": {"id": {"S": "u"}, "active": {"BOOL": True}}})
    response = transact(
        fake,
        put(table, item("new", 1, v={"S": "x"}), ConditionExpression="attribute_not_exists(pk)"),
        update(
            table,
            key("upd", 1),
            "ADD n :two SET m = :m",
            ExpressionAttributeValues={":two": {"N": "2"}, ":m": {"SS": ["a"]}},
        ),
        delete(table, key("del", 1), ConditionExpression="attribute_exists(pk)"),
        check(
            hash_table, {"id": {"S": "u"}}, "active = :t", ExpressionAttributeValues={":t": {"BOOL": True}}
        ),
        update(
            table,
            key("upsert", 1),
            "SET s = :s",
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeValues={":s": {"S": "made"}},
        ),
    )
    assert response == {}
    assert fake.items(table) == [
        item("new", 1, v={"S": "x"}),
        item("upd", 1, n={"N": "3"}, m={"SS": ["a"]}),
        item("upsert", 1, s={"S": "made"}),
    ]
    assert fake.items(hash_table) == [{"id": {"S": "u"}, "active": {"BOOL": True}}]


def test_nothing_the_caller_holds_aliases_stored_items(fake: FakeDynamoDB, table: str) -> None:
    mine = item("a", 1, m={"M": {"x": {"S": "1"}}})
    transact(fake, put(table, mine))
    mine["m"]["M"]["x"]["S"] = "changed"
    assert fake.items(table) == [item("a", 1, m={"M": {"x": {"S": "1"}}})]


def test_indexes_follow_the_transaction(fake: FakeDynamoDB, indexed_table: str) -> None:
    transact(fake, put(indexed_table, item("a", 1, status={"S": "open"}, total={"N": "5"}, date={"S": "d"})))
    transact(
        fake,
        update(
            indexed_table,
            key("a", 1),
            "SET #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "shut"}},
        ),
    )
    fake._check()
    by_status = fake.state.tables[indexed_table].store.indexes["by_status"]
    assert [entry[0] for entry in by_status.entries()] == ["shut"]


# --- capacity and item collection metrics ---------------------------------------------------------


def test_consumed_capacity_is_twice_the_writes_per_table_in_request_order(
    fake: FakeDynamoDB, table: str, hash_table: str
) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("big", 1, blob={"S": "x" * 1500})})
    response = transact(
        fake,
        put(hash_table, {"id": {"S": "a"}}),
        put(table, item("a", 1)),
        delete(table, key("big", 1)),
        check(table, key("none", 1), "attribute_not_exists(pk)"),
        ReturnConsumedCapacity="TOTAL",
    )
    # users: 2 x 1; items: 2 x 1 (put) + 2 x 2 (a 1.5 KB delete) + 2 x 1 (check of a missing item)
    assert response["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": 2.0},
        {"TableName": table, "CapacityUnits": 8.0},
    ]


def test_indexes_capacity_names_write_units(fake: FakeDynamoDB, indexed_table: str) -> None:
    response = transact(
        fake,
        put(indexed_table, item("a", 1, status={"S": "open"}, total={"N": "5"})),
        ReturnConsumedCapacity="INDEXES",
    )
    assert response["ConsumedCapacity"] == [
        {
            "TableName": indexed_table,
            "CapacityUnits": 3.0,
            "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
            "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}},
        }
    ]


def test_no_capacity_unless_asked(fake: FakeDynamoDB, table: str) -> None:
    assert transact(fake, put(table, item("a", 1)), ReturnConsumedCapacity="NONE") == {}


def test_item_collection_metrics_for_tables_with_an_lsi(
    fake: FakeDynamoDB, indexed_table: str, table: str
) -> None:
    response = transact(
        fake,
        put(indexed_table, item("a", 1, date={"S": "d"})),
        put(indexed_table, item("a", 2)),
        delete(indexed_table, key("b", 1)),
        put(table, item("x", 1)),
        ReturnItemCollectionMetrics="SIZE",
    )
    assert response["ItemCollectionMetrics"] == {
        indexed_table: [
            {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
            {"ItemCollectionKey": {"pk": {"S": "b"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
        ]
    }


# --- idempotency ----------------------------------------------------------------------------------


def counter_update(table: str) -> dict[str, Any]:
    return update(table, key("c", 1), "ADD n :one", ExpressionAttributeValues={":one": {"N": "1"}})


def test_a_replay_within_10_minutes_changes_nothing_and_reads(table: str) -> None:
    clock = VirtualClock()
    fake = FakeDynamoDB(clock=clock)
    create_table(fake, table)
    first = transact(fake, counter_update(table), ClientRequestToken="t", ReturnConsumedCapacity="TOTAL")
    assert first["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 2.0}]
    clock.advance(599)
    again = transact(fake, counter_update(table), ClientRequestToken="t", ReturnConsumedCapacity="INDEXES")
    assert again["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}}
    ]
    assert transact(fake, counter_update(table), ClientRequestToken="t") == {}
    assert fake.items(table) == [item("c", 1, n={"N": "1"})]


def test_a_replay_ignores_the_order_of_map_members(fake: FakeDynamoDB, table: str) -> None:
    action = update(
        table,
        key("c", 1),
        "SET a = :a, b = :b",
        ExpressionAttributeValues={":a": {"N": "1"}, ":b": {"N": "2"}},
    )
    transact(fake, action, ClientRequestToken="t")
    reordered = {"Update": dict(reversed(list(action["Update"].items())))}
    reordered["Update"]["ExpressionAttributeValues"] = {":b": {"N": "2"}, ":a": {"N": "1"}}
    fake.call_sync("TransactWriteItems", {"ClientRequestToken": "t", "TransactItems": [reordered]})
    assert fake.items(table) == [item("c", 1, a={"N": "1"}, b={"N": "2"})]


def test_the_same_token_with_another_payload(fake: FakeDynamoDB, table: str) -> None:
    transact(fake, put(table, item("a", 1, v={"S": "first"})), ClientRequestToken="t")
    message = refusal(
        fake,
        IdempotentParameterMismatchException,
        put(table, item("a", 1, v={"S": "second"})),
        ClientRequestToken="t",
    )
    assert message == IDEMPOTENT_MISMATCH
    other_metrics = refusal(
        fake,
        IdempotentParameterMismatchException,
        put(table, item("a", 1, v={"S": "first"})),
        ClientRequestToken="t",
        ReturnItemCollectionMetrics="SIZE",
    )
    assert other_metrics == IDEMPOTENT_MISMATCH


def test_a_mismatch_is_found_before_the_tables(fake: FakeDynamoDB, table: str) -> None:
    transact(fake, put(table, item("a", 1)), ClientRequestToken="t")
    refusal(fake, IdempotentParameterMismatchException, put("gone", item("a", 1)), ClientRequestToken="t")


def test_a_token_expires_after_10_minutes(table: str) -> None:
    clock = VirtualClock()
    fake = FakeDynamoDB(clock=clock)
    create_table(fake, table)
    transact(fake, counter_update(table), ClientRequestToken="t")
    clock.advance(600)
    transact(fake, counter_update(table), ClientRequestToken="t")
    assert fake.items(table) == [item("c", 1, n={"N": "2"})]
    # the second call is remembered afresh: another payload with the token is now refused
    refusal(fake, IdempotentParameterMismatchException, put(table, item("other", 1)), ClientRequestToken="t")


def test_another_payload_may_reuse_an_expired_token(table: str) -> None:
    clock = VirtualClock()
    fake = FakeDynamoDB(clock=clock)
    create_table(fake, table)
    transact(fake, put(table, item("a", 1)), ClientRequestToken="t")
    clock.advance(600.5)
    transact(fake, put(table, item("b", 1)), ClientRequestToken="t")
    assert fake.item_count(table) == 2


def test_a_cancelled_call_is_not_remembered(fake: FakeDynamoDB, table: str) -> None:
    guarded = put(table, item("a", 1), ConditionExpression="attribute_exists(pk)")
    cancellation(fake, guarded, ClientRequestToken="t")
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, was={"S": "here"})})
    transact(fake, guarded, ClientRequestToken="t")
    assert fake.items(table) == [item("a", 1)]


def test_the_token_store_is_bounded_and_forgets_expired_tokens() -> None:
    store = TokenStore(limit=3)
    for number in range(5):
        store.remember(f"t{number}", RememberedToken(100.0 + number, b"", {}), now=0.0)
    assert len(store) == 3
    assert store.get("t0", 0.0) is None and store.get("t4", 0.0) is not None
    assert store.get("t3", 103.0) is None  # expired exactly at its time
    assert len(store) == 1


# --- chaos ----------------------------------------------------------------------------------------


def test_a_throttled_action_cancels_an_on_demand_transaction(fake: FakeDynamoDB, table: str) -> None:
    handle = fake.throttle(1.0, operations="TransactWriteItems", times=1)
    error = cancellation(fake, put(table, item("a", 1)), put(table, item("b", 1)))
    message = (
        "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your "
        "table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
    )
    assert_cancelled(error, [{"Code": "ThrottlingError", "Message": message}] * 2)
    assert handle.fired == 1
    transact(fake, put(table, item("a", 1)))
    assert fake.item_count(table) == 1


def test_a_throttled_action_of_a_provisioned_table(fake: FakeDynamoDB, table: str) -> None:
    create_table(fake, "prov", provisioned=(5, 5))
    fake.throttle(1.0, operations="TransactWriteItems", times=1)
    error = cancellation(fake, put("prov", item("a", 1)))
    assert_cancelled(
        error,
        [
            {
                "Code": "ProvisionedThroughputExceeded",
                "Message": "The level of configured provisioned throughput for the table was exceeded. "
                "Consider increasing your provisioning level with the UpdateTable API.",
            }
        ],
    )


def test_unprocess_makes_a_transaction_conflict(fake: FakeDynamoDB, table: str) -> None:
    fake.unprocess("TransactWriteItems", [key("b", 1)])
    error = cancellation(fake, put(table, item("a", 1)), delete(table, key("b", 1)), put(table, item("c", 1)))
    assert_cancelled(
        error, [NONE, {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}, NONE]
    )
    fake.assert_faults_consumed()
    transact(fake, put(table, item("a", 1)), delete(table, key("b", 1)))
    assert fake.items(table) == [item("a", 1)]


def test_a_condition_failure_is_reported_before_any_throttling(fake: FakeDynamoDB, table: str) -> None:
    fake.throttle(1.0, operations="TransactWriteItems")
    error = cancellation(fake, put(table, item("a", 1), ConditionExpression="attribute_exists(pk)"))
    assert_cancelled(error, [FAILED])


def test_a_replay_is_never_throttled(fake: FakeDynamoDB, table: str) -> None:
    transact(fake, put(table, item("a", 1)), ClientRequestToken="t")
    fake.throttle(1.0, operations="TransactWriteItems")
    assert transact(fake, put(table, item("a", 1)), ClientRequestToken="t") == {}


def test_the_capacity_model_cancels_a_transaction_over_capacity() -> None:
    fake = FakeDynamoDB(capacity=True)
    create_table(fake, "prov", provisioned=(1, 1))
    big = {"S": "x" * 3000}
    error = cancellation(fake, put("prov", item("a", 1, blob=big)), put("prov", item("b", 1, blob=big)))
    codes = [reason["Code"] for reason in error.cancellation_reasons]
    assert "ProvisionedThroughputExceeded" in codes and set(codes) <= {
        "None",
        "ProvisionedThroughputExceeded",
    }


def test_a_transactional_write_draws_twice_its_units_from_the_capacity_model() -> None:
    """A 1 KB put costs 2 WCU in a transaction (1 outside one): a 2-WCU table serves the first at once
    and has nothing left for the second, where two plain puts would both be served."""
    fake = FakeDynamoDB(capacity=True)
    create_table(fake, "prov", provisioned=(1, 2))
    plain = FakeDynamoDB(capacity=True)
    create_table(plain, "prov", provisioned=(1, 2))
    for n in (1, 2):
        plain.call_sync("PutItem", {"TableName": "prov", "Item": item("a", n)})
    transact(fake, put("prov", item("a", 1)))
    error = cancellation(fake, put("prov", item("a", 2)))
    assert [reason["Code"] for reason in error.cancellation_reasons] == ["ProvisionedThroughputExceeded"]
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(1.0)  # one second refills the 2 WCU
    transact(fake, put("prov", item("a", 2)))
    assert fake.item_count("prov") == 2


# --- over the wire --------------------------------------------------------------------------------


def test_boto3_sees_the_cancellation_reasons_over_http(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    boto3 = pytest.importorskip("boto3")
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from aiodynamodb_fake.server import ServerThread

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeDynamoDB()
    create_table(fake, "items", hash_key=("pk", "S"), range_key=("sk", "N"))
    fake.call_sync("PutItem", {"TableName": "items", "Item": item("old", 1, b={"B": b"\x00\xff"})})
    with ServerThread(fake) as server:
        client = boto3.session.Session().client(
            "dynamodb",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
            config=Config(retries={"max_attempts": 0, "mode": "legacy"}),
        )
        try:
            with pytest.raises(ClientError) as caught:
                client.transact_write_items(
                    TransactItems=[
                        put("items", item("new", 1)),
                        put(
                            "items",
                            item("old", 1),
                            ConditionExpression="attribute_not_exists(pk)",
                            ReturnValuesOnConditionCheckFailure="ALL_OLD",
                        ),
                    ]
                )
        finally:
            client.close()
    response = caught.value.response
    assert response["Error"] == {
        "Code": "TransactionCanceledException",
        "Message": CANCELLED.format("None, ConditionalCheckFailed"),
    }
    assert response["CancellationReasons"] == [
        NONE,
        {**FAILED, "Item": item("old", 1, b={"B": b"\x00\xff"})},
    ]
    assert fake.items("items") == [item("old", 1, b={"B": b"\x00\xff"})]


def test_faults_scoped_to_a_table_match_the_transactions_naming_it(fake: FakeDynamoDB, table: str) -> None:
    create_table(fake, "other")
    fake.throttle(1.0, tables="other", operations="TransactWriteItems", times=1)
    transact(fake, put(table, item("a", 1)))  # names only `items`: not throttled
    error = cancellation(fake, put(table, item("b", 1)), put("other", item("b", 1)))
    # only the action on the scoped table is throttled; the whole transaction is cancelled for it
    assert [reason["Code"] for reason in error.cancellation_reasons] == ["None", "ThrottlingError"]
    assert fake.requests[-1].tables == (table, "other")
    assert fake.item_count("other") == 0 and fake.items(table) == [item("a", 1)]
