"""The legacy (pre-expression) parameters of PutItem, DeleteItem and UpdateItem: Expected with
ConditionalOperator as a condition on all three, AttributeUpdates on UpdateItem.

Sections as elsewhere: shape errors, validation errors (class and full message, in DynamoDB's order:
dynalite's validations/putItem.js, deleteItem.js, updateItem.js and its actions/updateItem.js, run
against DynamoDB; the dynamodb-conformance capture for an UpdateItem's ConditionalOperator beside a
missing Key), behaviour of every operator and action, and a property: an Expected map of the
operators whose legacy and expression meanings coincide does on a write exactly what the equivalent
ConditionExpression does. Every rejected request is checked to change nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from aiodynamodb.errors import (
    ConditionalCheckFailedException,
    DynamoDBError,
    ResourceNotFoundException,
    SerializationException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import COMPARISON_ENUM, MIXED, PARAM, create_table, item, key
from tests.support.expression_model import items, scalars, to_av, to_av_item, values
from tests.support.tables import property_settings

FAILED = "The conditional request failed"
WRITES = ["PutItem", "DeleteItem", "UpdateItem"]
STORED = item("a", 1, s={"S": "hello"}, n={"N": "5"}, ss={"SS": ["x", "y"]}, l={"L": [{"S": "x"}]})


def write(operation: str, table: str, **members: Any) -> dict[str, Any]:
    """A ``operation`` request on item ("a", 1) of the usual pk/sk table; a PutItem writes STORED."""
    target = {"Item": STORED} if operation == "PutItem" else {"Key": key("a", 1)}
    return {"TableName": table, **target, **members}


def reject(fake: FakeDynamoDB, snapshot: Any, error: type[Exception], operation: str, request: Any) -> str:
    """Send ``request``, expect ``error``, check that nothing changed; the error's message."""
    before = snapshot(fake)
    with pytest.raises(error) as caught:
        fake.call_sync(operation, request)
    assert snapshot(fake) == before
    return str(caught.value.message)  # type: ignore[attr-defined]  # DynamoDBError has .message


def stored(fake: FakeDynamoDB, table: str, item_key: dict[str, Any] | None = None) -> dict[str, Any] | None:
    found = fake.call_sync("GetItem", {"TableName": table, "Key": item_key or key("a", 1)})
    return found.get("Item")


@pytest.fixture
def filled(fake: FakeDynamoDB, table: str) -> str:
    """The usual table holding STORED."""
    fake.call_sync("PutItem", {"TableName": table, "Item": STORED})
    return table


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"Expected": 5}, "Unexpected field type"),
        ({"Expected": {"a": 5}}, "Unexpected value type in payload"),
        ({"Expected": {"a": {"Exists": "yes"}}}, "Unexpected token received from parser"),
        ({"ConditionalOperator": 5}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds_before_the_table_name(
    fake: FakeDynamoDB, snapshot: Any, operation: str, members: dict[str, Any], message: str
) -> None:
    request = {**write(operation, "bad name"), **members}
    assert reject(fake, snapshot, SerializationException, operation, request) == message


@pytest.mark.parametrize("operation", WRITES)
def test_wrong_json_kind_inside_a_value(
    fake: FakeDynamoDB, table: str, snapshot: Any, operation: str
) -> None:
    """An AttributeValue's contents are read with the value, as the Item's and Key's are."""
    request = write(operation, table, Expected={"a": {"Value": {"S": 5}}})
    message = reject(fake, snapshot, SerializationException, operation, request)
    assert message == "NUMBER_VALUE cannot be converted to String"


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        (
            [],
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValueUpdate>",
        ),
        ({"a": {"Action": 1}}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_attribute_updates_of_the_wrong_json_kind(
    fake: FakeDynamoDB, snapshot: Any, updates: Any, message: str
) -> None:
    request = write("UpdateItem", "bad name", AttributeUpdates=updates)
    assert reject(fake, snapshot, SerializationException, "UpdateItem", request) == message


def test_transactions_do_not_read_legacy_members(fake: FakeDynamoDB, filled: str) -> None:
    """A TransactWriteItems action's shape has no Expected, ConditionalOperator nor AttributeUpdates:
    what a shape lacks is not read, whatever its kind."""
    put = {"TableName": filled, "Item": item("a", 1), "Expected": 5, "ConditionalOperator": "XOR"}
    update = {
        "TableName": filled,
        "Key": key("a", 2),
        "UpdateExpression": "SET v = :v",
        "ExpressionAttributeValues": {":v": {"S": "x"}},
        "AttributeUpdates": {"w": {"Value": {"S": "y"}}},
        "Expected": {"v": {"Value": {"S": "never"}}},
    }
    assert fake.call_sync("TransactWriteItems", {"TransactItems": [{"Put": put}, {"Update": update}]}) == {}
    assert stored(fake, filled) == item("a", 1)
    assert stored(fake, filled, key("a", 2)) == item("a", 2, v={"S": "x"})


# --- validation errors: the constraint envelope ---------------------------------------------------


def test_update_item_conditional_operator_beside_a_missing_key(fake: FakeDynamoDB, snapshot: Any) -> None:
    """dynamodb-conformance (real DynamoDB, 2026): the two errors joined, ConditionalOperator first."""
    request = {
        "TableName": "absent_table",
        "AttributeUpdates": {"x": {"Action": "PUT", "Value": {"S": "1"}}},
        "Expected": {"a": {"Exists": False}, "b": {"Exists": False}},
        "ConditionalOperator": "XOR",
    }
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == (
        "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]; "
        "Value null at 'key' failed to satisfy constraint: Member must not be null"
    )


def test_update_item_envelope_with_every_legacy_member(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    request = {
        "TableName": table,
        "ReturnConsumedCapacity": "hi",
        "ReturnValues": "hi",
        "ConditionalOperator": "XOR",
        "Expected": {
            "a": {"ComparisonOperator": "FOO"},
            "b": {"Exists": False},
            "c": {"ComparisonOperator": ""},
        },
        "AttributeUpdates": {"x": {"Action": "BAD"}, "y": {"Action": "PUT"}},
    }
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == (
        "7 validation errors detected: "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value 'hi' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
        "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]; "
        "Value 'FOO' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: "
        f"{COMPARISON_ENUM}; "
        "Value '' at 'expected.c.member.comparisonOperator' failed to satisfy constraint: "
        f"{COMPARISON_ENUM}; "
        "Value 'BAD' at 'attributeUpdates.x.member.action' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ADD, PUT, DELETE]; "
        "Value null at 'key' failed to satisfy constraint: Member must not be null"
    )


_METRICS = "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: " + (
    "Member must satisfy enum value set: [SIZE, NONE]"
)
_ON_FAILURE = "Value 'hi' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: " + (
    "Member must satisfy enum value set: [ALL_OLD, NONE]"
)
_OPERATOR = "Value 'and' at 'conditionalOperator' failed to satisfy constraint: " + (
    "Member must satisfy enum value set: [OR, AND]"
)
_EXPECTED = f"Value 'EQUALS' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: {COMPARISON_ENUM}"


@pytest.mark.parametrize(
    ("operation", "order"),
    [
        # dynalite's validations/putItem.js: the Item, then the legacy members, then the enums
        ("PutItem", ["item", _OPERATOR, _EXPECTED, _METRICS, _ON_FAILURE]),
        # the legacy members before the Key, as UpdateItem's capture shows (members.items)
        ("DeleteItem", [_METRICS, _OPERATOR, _EXPECTED, "key", _ON_FAILURE]),
    ],
)
def test_put_and_delete_envelope(
    fake: FakeDynamoDB, table: str, snapshot: Any, operation: str, order: list[str]
) -> None:
    request = {
        "TableName": table,
        "ReturnItemCollectionMetrics": "hi",
        "ReturnValuesOnConditionCheckFailure": "hi",
        "ConditionalOperator": "and",
        "Expected": {"a": {"ComparisonOperator": "EQUALS", "Value": {"S": "x"}}},
    }
    missing = "Value null at '{}' failed to satisfy constraint: Member must not be null"
    listed = [missing.format(each) if each in ("item", "key") else each for each in order]
    assert reject(fake, snapshot, ValidationException, operation, request) == (
        "5 validation errors detected: " + "; ".join(listed)
    )


@pytest.mark.parametrize("operation", WRITES)
def test_legacy_envelope_alone(fake: FakeDynamoDB, table: str, snapshot: Any, operation: str) -> None:
    """A well-formed request but for one legacy member: its error alone, in the envelope's form."""
    request = write(operation, table, Expected={"a": {"Exists": False}, "b": {"Exists": False}})
    request["ConditionalOperator"] = "NOT"
    assert reject(fake, snapshot, ValidationException, operation, request) == (
        "1 validation error detected: Value 'NOT' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]"
    )


# --- validation errors: mixing legacy and expression members --------------------------------------


@pytest.mark.parametrize(
    ("operation", "members", "legacy", "expression"),
    [
        ("PutItem", {"Expected": {}, "ConditionExpression": "a = a"}, "Expected", "ConditionExpression"),
        (
            "DeleteItem",
            {"ConditionalOperator": "OR", "ConditionExpression": "x"},
            "ConditionalOperator",
            "ConditionExpression",
        ),
        (
            "DeleteItem",
            {"ConditionExpression": "x", "ConditionalOperator": "OR", "Expected": {}},
            "Expected, ConditionalOperator",
            "ConditionExpression",
        ),
        (
            "UpdateItem",
            {"UpdateExpression": "x", "AttributeUpdates": {}},
            "AttributeUpdates",
            "UpdateExpression",
        ),
        (
            "UpdateItem",
            {"ConditionExpression": "x", "AttributeUpdates": {}},
            "AttributeUpdates",
            "ConditionExpression",
        ),
        ("UpdateItem", {"UpdateExpression": "x", "Expected": {}}, "Expected", "UpdateExpression"),
        (
            "UpdateItem",
            {"UpdateExpression": "x", "ConditionalOperator": "AND"},
            "ConditionalOperator",
            "UpdateExpression",
        ),
        (
            "UpdateItem",
            {
                "ConditionalOperator": "AND",
                "ConditionExpression": "x",
                "Expected": {},
                "UpdateExpression": "x",
                "AttributeUpdates": {},
            },
            "AttributeUpdates, Expected, ConditionalOperator",
            "UpdateExpression, ConditionExpression",
        ),
    ],
)
def test_legacy_and_expression_members_mixed(
    fake: FakeDynamoDB,
    table: str,
    snapshot: Any,
    operation: str,
    members: dict[str, Any],
    legacy: str,
    expression: str,
) -> None:
    """Refused first, before the Item's or Key's values, whatever the members hold; each side is
    listed in DynamoDB's fixed order, not the request's."""
    target: dict[str, Any] = {"Item": {"pk": {}}} if operation == "PutItem" else {"Key": {"pk": {}}}
    request = {"TableName": "missing", **target, **members}
    message = reject(fake, snapshot, ValidationException, operation, request)
    assert message == MIXED.format(legacy=legacy, expression=expression)


@pytest.mark.parametrize("operation", WRITES)
def test_null_members_count_as_absent(fake: FakeDynamoDB, filled: str, operation: str) -> None:
    request = write(operation, filled, Expected=None, ConditionalOperator=None, ConditionExpression="a <> b")
    if operation == "UpdateItem":
        request["AttributeUpdates"] = None
    fake.call_sync(operation, request)  # raises if null legacy members were taken as mixed with expressions


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"ExpressionAttributeNames": {"#a": "a"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {"ExpressionAttributeValues": {":a": {"S": "a"}}},
            "ExpressionAttributeValues can only be specified when using expressions: {which}",
        ),
    ],
)
def test_names_and_values_beside_legacy_members_only(
    fake: FakeDynamoDB, filled: str, snapshot: Any, operation: str, members: dict[str, Any], message: str
) -> None:
    which = (
        "UpdateExpression and ConditionExpression are null"
        if operation == "UpdateItem"
        else ("ConditionExpression is null")
    )
    request = write(operation, filled, Expected={"s": {"Value": {"S": "hello"}}}, **members)
    if operation == "UpdateItem":
        request["AttributeUpdates"] = {"v": {"Value": {"S": "x"}}}
    assert reject(fake, snapshot, ValidationException, operation, request) == message.format(which=which)


# --- validation errors: where the legacy members' own checks sit ----------------------------------


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("expected", "message"),
    [
        (
            {"a": {"Exists": True, "ComparisonOperator": "NULL"}},
            PARAM + "Exists and ComparisonOperator cannot be used together for Attribute: a",
        ),
        (
            {"a": {"Value": {"S": "x"}, "AttributeValueList": [], "ComparisonOperator": "EQ"}},
            PARAM + "Value and AttributeValueList cannot be used together for Attribute: a",
        ),
        (
            {"a": {"AttributeValueList": [{"S": "x"}]}},
            PARAM + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
        ),
        (
            {"a": {"Exists": False, "Value": {"S": "x"}}},
            PARAM + "Value cannot be used when Exists is false for Attribute: a",
        ),
        (
            {"a": {"ComparisonOperator": "GT"}},
            PARAM + "Value or AttributeValueList must be used with ComparisonOperator: GT for Attribute: a",
        ),
        ({"a": {}}, PARAM + "Value must be provided when Exists is null for Attribute: a"),
        ({"a": {"Exists": True}}, PARAM + "Value must be provided when Exists is true for Attribute: a"),
        ({"a": None}, PARAM + "ExpectedAttributeValue must not be null for Attribute: a"),
        (
            {"a": {"ComparisonOperator": "NULL", "AttributeValueList": [{"S": "x"}]}},
            PARAM + "Invalid number of argument(s) for the NULL ComparisonOperator",
        ),
        (
            {"a": {"ComparisonOperator": "LT", "Value": {"BOOL": True}}},
            PARAM + "ComparisonOperator LT is not valid for BOOL AttributeValue type",
        ),
        (
            {"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"N": "1"}]}},
            PARAM + "AttributeValues inside AttributeValueList must be of same type",
        ),
        (
            {"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "1"}]}},
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound",
        ),
        ({"a": {"Value": {"NULL": False}}}, PARAM + "Null attribute value types must have the value of true"),
        ({"a": {"Value": {"S": "x" * 409_600}}}, "Item size has exceeded the maximum allowed size"),
    ],
)
def test_expected_errors_before_the_table(
    fake: FakeDynamoDB, snapshot: Any, operation: str, expected: dict[str, Any], message: str
) -> None:
    request = write(operation, "missing", Expected=expected)
    assert reject(fake, snapshot, ValidationException, operation, request) == message


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("expected", "operator", "message"),
    [
        ({}, "AND", "ConditionalOperator cannot be used without Filter or Expected"),
        (None, "OR", "ConditionalOperator cannot be used without Filter or Expected"),
        (
            {"a": {"Exists": False}},
            "OR",
            "ConditionalOperator can only be used when Filter or Expected has two or more elements",
        ),
    ],
)
def test_conditional_operator_needs_two_conditions(
    fake: FakeDynamoDB, snapshot: Any, operation: str, expected: Any, operator: str, message: str
) -> None:
    request = write(operation, "missing", Expected=expected, ConditionalOperator=operator)
    assert reject(fake, snapshot, ValidationException, operation, request) == message


BAD_EXPECTED = {"a": {"Exists": True}}
BAD_EXPECTED_MESSAGE = PARAM + "Value must be provided when Exists is true for Attribute: a"


@pytest.mark.parametrize(
    ("operation", "members", "message"),
    [
        # the Item's or Key's values first (dynalite's validations/*.js)
        (
            "PutItem",
            {"Item": item("a", 1, bad={"NULL": False})},
            PARAM + "Null attribute value types must have the value of true",
        ),
        (
            "DeleteItem",
            {"Key": {"pk": {}}},
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            "UpdateItem",
            {"Key": {"pk": {}}},
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        # then PutItem's ReturnValues and item size
        ("PutItem", {"ReturnValues": "ALL_NEW"}, "ReturnValues can only be ALL_OLD or NONE"),
        (
            "PutItem",
            {"Item": item("a", 1, v={"S": "x" * 409_600})},
            "Item size has exceeded the maximum allowed size",
        ),
        ("DeleteItem", {"ReturnValues": "UPDATED_NEW"}, "ReturnValues can only be ALL_OLD or NONE"),
        # then UpdateItem's AttributeUpdates, before Expected
        (
            "UpdateItem",
            {"AttributeUpdates": {"v": {"Action": "ADD"}}},
            PARAM + "Only DELETE action is allowed when no attribute value is specified",
        ),
        # then Expected, before the table and the key schema
        ("PutItem", {"Item": {"pk": {"S": "a"}}}, BAD_EXPECTED_MESSAGE),
        ("UpdateItem", {"Key": {"pk": {"N": "1"}}}, BAD_EXPECTED_MESSAGE),
        ("DeleteItem", {"TableName": "missing"}, BAD_EXPECTED_MESSAGE),
    ],
)
def test_check_order(
    fake: FakeDynamoDB, table: str, snapshot: Any, operation: str, members: dict[str, Any], message: str
) -> None:
    request = {**write(operation, table, Expected=BAD_EXPECTED), **members}
    assert reject(fake, snapshot, ValidationException, operation, request) == message


def test_missing_table_after_every_legacy_check(fake: FakeDynamoDB, snapshot: Any) -> None:
    request = write(
        "UpdateItem",
        "missing",
        AttributeUpdates={"pk": {"Value": {"S": "x"}}},
        Expected={"a": {"Exists": False}},
    )
    assert reject(fake, snapshot, ResourceNotFoundException, "UpdateItem", request) == (
        "Requested resource not found"
    )


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        ({"v": {"Value": {"NULL": False}}}, PARAM + "Null attribute value types must have the value of true"),
        (
            {"v": {"Action": "PUT"}},
            PARAM + "Only DELETE action is allowed when no attribute value is specified",
        ),
        ({"v": {}}, PARAM + "Only DELETE action is allowed when no attribute value is specified"),
        (
            {"v": {"Action": "DELETE", "Value": {"S": "x"}}},
            PARAM + "DELETE action with value is not supported for the type S",
        ),
        ({"v": {"Action": "ADD", "Value": {"S": "x"}}}, PARAM + "ADD action is not supported for the type S"),
        ({"v": {"Action": "ADD", "Value": {"M": {}}}}, PARAM + "ADD action is not supported for the type M"),
        (
            {"v": None},
            "Supplied AttributeValueUpdate is empty, must contain one of the supported actions: v is null",
        ),
        (
            {"v": {"Value": {"S": "x" * 204_800}}, "w": {"Value": {"S": "x" * 204_800}}},
            "Item size to update has exceeded the maximum allowed size",
        ),
    ],
)
def test_attribute_updates_errors_before_the_table(
    fake: FakeDynamoDB, snapshot: Any, updates: dict[str, Any], message: str
) -> None:
    request = write("UpdateItem", "missing", AttributeUpdates=updates)
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == message


def test_what_attribute_updates_writes_counts_names_and_values_only(
    fake: FakeDynamoDB, hash_table: str
) -> None:
    """The early check counts the names and values written (a DELETE writes nothing); the item made
    (the key included) must then fit too."""
    updates = {"v": {"Value": {"S": "x" * 409_596}}, "gone" * 1000: {"Action": "DELETE"}}
    fake.call_sync(
        "UpdateItem", {"TableName": hash_table, "Key": {"id": {"S": "a"}}, "AttributeUpdates": updates}
    )
    found = stored(fake, hash_table, {"id": {"S": "a"}})
    assert found is not None and len(found["v"]["S"]) == 409_596
    request = {
        "TableName": hash_table,
        "Key": {"id": {"S": "b"}},
        "AttributeUpdates": {"v": {"Value": {"S": "x" * 409_597}}},
    }
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", request)
    assert caught.value.message == "Item size to update has exceeded the maximum allowed size"
    assert stored(fake, hash_table, {"id": {"S": "b"}}) is None


# --- validation errors that need the table ----------------------------------------------------------


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        (
            {"pk": {"Value": {"S": "x"}}},
            PARAM + "Cannot update attribute pk. This attribute is part of the key",
        ),
        (
            {"v": {"Action": "DELETE"}, "sk": {"Action": "DELETE"}},
            PARAM + "Cannot update attribute sk. This attribute is part of the key",
        ),
        (
            {"sk": {"Value": {"N": "1"}}, "pk": {"Action": "DELETE"}},
            PARAM + "Cannot update attribute pk. This attribute is part of the key",
        ),
    ],
)
def test_key_attributes_cannot_be_updated_before_the_condition(
    fake: FakeDynamoDB, filled: str, snapshot: Any, updates: dict[str, Any], message: str
) -> None:
    request = write("UpdateItem", filled, AttributeUpdates=updates, Expected={"s": {"Exists": False}})
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == message


def test_key_schema_before_the_key_attribute_check(fake: FakeDynamoDB, filled: str, snapshot: Any) -> None:
    request = {
        "TableName": filled,
        "Key": {"pk": {"S": "a"}},
        "AttributeUpdates": {"pk": {"Value": {"S": "x"}}},
    }
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == (
        "The provided key element does not match the schema"
    )


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        (
            {"status": {"Value": {"N": "1"}}},
            PARAM + "Type mismatch for Index Key status Expected: S Actual: N IndexName: by_status",
        ),
        (
            {"total": {"Action": "ADD", "Value": {"NS": ["1"]}}},
            PARAM + "Type mismatch for Index Key total Expected: N Actual: NS IndexName: by_status",
        ),
        (
            {"date": {"Action": "DELETE", "Value": {"SS": ["x"]}}},
            PARAM + "Type mismatch for Index Key date Expected: S Actual: SS IndexName: by_date",
        ),
    ],
)
def test_index_key_types(
    fake: FakeDynamoDB, indexed_table: str, snapshot: Any, updates: dict[str, Any], message: str
) -> None:
    request = write(
        "UpdateItem",
        indexed_table,
        AttributeUpdates=updates,
        Expected={"x": {"Exists": True, "Value": {"S": "never"}}},
    )
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == message


def test_index_key_left_empty(fake: FakeDynamoDB, indexed_table: str, snapshot: Any) -> None:
    """choice: the UpdateExpression's message (no source gives AttributeUpdates' own)."""
    request = write("UpdateItem", indexed_table, AttributeUpdates={"date": {"Value": {"S": ""}}})
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == (
        "One or more parameter values are not valid. The update expression attempted to update a secondary "
        "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
        "an empty string value."
    )


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        ({"s": {"Action": "ADD", "Value": {"N": "1"}}}, "Type mismatch for attribute to update"),
        ({"n": {"Action": "ADD", "Value": {"SS": ["a"]}}}, "Type mismatch for attribute to update"),
        ({"ss": {"Action": "DELETE", "Value": {"NS": ["1"]}}}, "Type mismatch for attribute to update"),
        ({"l": {"Action": "ADD", "Value": {"NS": ["1"]}}}, "Type mismatch for attribute to update"),
        # the first action passes: the whole update is still refused
        (
            {"new": {"Value": {"S": "x"}}, "s": {"Action": "DELETE", "Value": {"SS": ["h"]}}},
            "Type mismatch for attribute to update",
        ),
        (
            {"big": {"Value": {"S": "x" * 409_590}}},
            "Item size to update has exceeded the maximum allowed size",
        ),
    ],
)
def test_errors_against_the_stored_item(
    fake: FakeDynamoDB, filled: str, snapshot: Any, updates: dict[str, Any], message: str
) -> None:
    request = write("UpdateItem", filled, AttributeUpdates=updates, ReturnValues="ALL_NEW")
    assert reject(fake, snapshot, ValidationException, "UpdateItem", request) == message


def test_condition_before_the_stored_item_checks(fake: FakeDynamoDB, filled: str, snapshot: Any) -> None:
    request = write(
        "UpdateItem",
        filled,
        AttributeUpdates={"s": {"Action": "ADD", "Value": {"N": "1"}}},
        Expected={"s": {"Exists": False}},
    )
    assert reject(fake, snapshot, ConditionalCheckFailedException, "UpdateItem", request) == FAILED


# --- behaviour: Expected --------------------------------------------------------------------------

# (Expected, holds for STORED) across every comparison operator, Value and Exists.
CONDITIONS = [
    ({"s": {"Value": {"S": "hello"}}}, True),
    ({"s": {"Value": {"S": "hello"}, "Exists": True}}, True),
    ({"n": {"Value": {"N": "5.00"}}}, True),
    ({"s": {"Value": {"S": "other"}}}, False),
    ({"s": {"Exists": False}}, False),
    ({"missing": {"Exists": False}}, True),
    ({"missing": {"Value": {"S": "hello"}}}, False),
    ({"s": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "hello"}]}}, True),
    ({"ss": {"ComparisonOperator": "EQ", "Value": {"SS": ["y", "x"]}}}, True),
    ({"s": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "hello"}]}}, False),
    ({"missing": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "hello"}]}}, True),
    ({"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "10"}]}}, True),
    ({"n": {"ComparisonOperator": "LE", "AttributeValueList": [{"N": "4"}]}}, False),
    ({"s": {"ComparisonOperator": "GT", "AttributeValueList": [{"S": "a"}]}}, True),
    ({"n": {"ComparisonOperator": "GE", "AttributeValueList": [{"S": "5"}]}}, False),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "6"}]}}, True),
    ({"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "4"}, {"N": "5"}]}}, True),
    ({"s": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}]}}, False),
    ({"s": {"ComparisonOperator": "NULL"}}, False),
    ({"missing": {"ComparisonOperator": "NULL"}}, True),
    ({"s": {"ComparisonOperator": "NOT_NULL"}}, True),
    ({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "he"}]}}, True),
    ({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "lo"}]}}, False),
    ({"s": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "ell"}]}}, True),
    ({"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}}, True),
    ({"l": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}}, True),
    ({"ss": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "z"}]}}, True),
    ({"ss": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "x"}]}}, False),
    # unlike the expression NOT contains(...), NOT_CONTAINS fails on a missing attribute
    ({"missing": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "x"}]}}, False),
    # names are taken literally: no document paths
    ({"l[0]": {"ComparisonOperator": "NOT_NULL"}}, False),
    ({}, True),
]


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(("expected", "holds"), CONDITIONS)
def test_expected_on_every_write(
    fake: FakeDynamoDB, filled: str, snapshot: Any, operation: str, expected: dict[str, Any], holds: bool
) -> None:
    request = write(operation, filled, Expected=expected, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    if operation == "PutItem":
        request["Item"] = item("a", 1, v={"S": "new"})
    if operation == "UpdateItem":
        request["AttributeUpdates"] = {"v": {"Value": {"S": "new"}}}
    if not holds:
        before = snapshot(fake)
        with pytest.raises(ConditionalCheckFailedException) as caught:
            fake.call_sync(operation, request)
        assert caught.value.message == FAILED
        assert caught.value.item == STORED
        assert snapshot(fake) == before
        return
    fake.call_sync(operation, request)
    after = {
        "PutItem": item("a", 1, v={"S": "new"}),
        "DeleteItem": None,
        "UpdateItem": {**STORED, "v": {"S": "new"}},
    }[operation]
    assert stored(fake, filled) == after
    fake._check()


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("operator", "outcomes"),
    [
        (None, [True, False, False, False]),
        ("AND", [True, False, False, False]),
        ("OR", [True, True, True, False]),
    ],
)
def test_conditional_operator_joins_the_conditions(
    fake: FakeDynamoDB, filled: str, operation: str, operator: str | None, outcomes: list[bool]
) -> None:
    tests = {
        "s": ({"Value": {"S": "hello"}}, {"Exists": False}),
        "n": (
            {"ComparisonOperator": "NOT_NULL"},
            {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "5"}]},
        ),
    }
    got = []
    for s_holds, n_holds in ((True, True), (True, False), (False, True), (False, False)):
        expected = {"s": tests["s"][0 if s_holds else 1], "n": tests["n"][0 if n_holds else 1]}
        request = write(operation, filled, Expected=expected, ConditionalOperator=operator)
        try:
            fake.call_sync(operation, request)
        except ConditionalCheckFailedException:
            got.append(False)
        else:
            got.append(True)
            fake.call_sync("PutItem", {"TableName": filled, "Item": STORED})
    assert got == outcomes


@pytest.mark.parametrize("operation", WRITES)
def test_expected_on_a_missing_item(fake: FakeDynamoDB, table: str, snapshot: Any, operation: str) -> None:
    """No item: only absence tests hold; the failure carries no Item even with ALL_OLD."""
    request = write(operation, table, Expected={"pk": {"Exists": True, "Value": {"S": "a"}}})
    request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    before = snapshot(fake)
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync(operation, request)
    assert caught.value.item is None
    assert snapshot(fake) == before
    request["Expected"] = {"pk": {"Exists": False}, "s": {"ComparisonOperator": "NE", "Value": {"S": "x"}}}
    fake.call_sync(operation, request)
    after = {"PutItem": STORED, "DeleteItem": None, "UpdateItem": key("a", 1)}[operation]
    assert stored(fake, table) == after


def test_return_values_with_expected(fake: FakeDynamoDB, filled: str) -> None:
    request = write("PutItem", filled, Expected={"n": {"Value": {"N": "5"}}}, ReturnValues="ALL_OLD")
    request["Item"] = item("a", 1)
    assert fake.call_sync("PutItem", request) == {"Attributes": STORED}
    request = write("DeleteItem", filled, Expected={"n": {"Exists": False}}, ReturnValues="ALL_OLD")
    assert fake.call_sync("DeleteItem", request) == {"Attributes": item("a", 1)}
    assert fake.items(filled) == []


# --- behaviour: AttributeUpdates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("updates", "after"),
    [
        # PUT (the default action) writes the value whole
        ({"s": {"Value": {"S": "new"}}}, {"s": {"S": "new"}}),
        ({"s": {"Action": "PUT", "Value": {"L": [{"N": "1"}]}}}, {"s": {"L": [{"N": "1"}]}}),
        ({"x.y": {"Value": {"N": "01"}}}, {"x.y": {"N": "1"}}),
        # ADD: a sum, a union, a concatenation; on a missing attribute, the value
        ({"n": {"Action": "ADD", "Value": {"N": "-7.5"}}}, {"n": {"N": "-2.5"}}),
        ({"ss": {"Action": "ADD", "Value": {"SS": ["y", "z"]}}}, {"ss": {"SS": ["x", "y", "z"]}}),
        (
            {"l": {"Action": "ADD", "Value": {"L": [{"S": "x"}, {"N": "2"}]}}},
            {"l": {"L": [{"S": "x"}, {"S": "x"}, {"N": "2"}]}},
        ),
        ({"new": {"Action": "ADD", "Value": {"NS": ["2", "1"]}}}, {"new": {"NS": ["2", "1"]}}),
        ({"new": {"Action": "ADD", "Value": {"N": "3"}}}, {"new": {"N": "3"}}),
        # DELETE: the attribute, or set members (a set left empty goes); nothing on a missing one
        ({"s": {"Action": "DELETE"}}, {"s": None}),
        ({"ss": {"Action": "DELETE", "Value": {"SS": ["x", "q"]}}}, {"ss": {"SS": ["y"]}}),
        ({"ss": {"Action": "DELETE", "Value": {"SS": ["y", "x"]}}}, {"ss": None}),
        ({"new": {"Action": "DELETE", "Value": {"SS": ["x"]}}}, {}),
        ({"new": {"Action": "DELETE"}}, {}),
        # several actions, in request order
        (
            {
                "n": {"Action": "DELETE"},
                "s": {"Value": {"S": "x"}},
                "m": {"Action": "ADD", "Value": {"N": "1"}},
            },
            {"n": None, "s": {"S": "x"}, "m": {"N": "1"}},
        ),
        ({}, {}),
    ],
)
def test_attribute_updates(
    fake: FakeDynamoDB, filled: str, updates: dict[str, Any], after: dict[str, Any]
) -> None:
    new = {**STORED, **after}
    expected = {name: value for name, value in new.items() if value is not None}
    request = write("UpdateItem", filled, AttributeUpdates=updates, ReturnValues="ALL_NEW")
    assert fake.call_sync("UpdateItem", request) == {"Attributes": expected}
    assert stored(fake, filled) == expected
    fake._check()


def test_attribute_updates_on_a_missing_item_start_from_the_key(fake: FakeDynamoDB, table: str) -> None:
    updates = {
        "s": {"Value": {"S": "x"}},
        "n": {"Action": "ADD", "Value": {"N": "2"}},
        "ss": {"Action": "DELETE", "Value": {"SS": ["x"]}},
        "gone": {"Action": "DELETE"},
    }
    request = write("UpdateItem", table, AttributeUpdates=updates, ReturnValues="ALL_OLD")
    assert fake.call_sync("UpdateItem", request) == {}
    assert stored(fake, table) == item("a", 1, s={"S": "x"}, n={"N": "2"})
    fake.call_sync("UpdateItem", write("UpdateItem", table, Key=key("b", 2), AttributeUpdates={}))
    assert stored(fake, table, key("b", 2)) == key("b", 2)


@pytest.mark.parametrize(
    ("mode", "attributes"),
    [
        ("NONE", None),
        ("ALL_OLD", STORED),
        ("ALL_NEW", item("a", 1, s={"S": "x"}, ss={"SS": ["x", "y"]}, l={"L": [{"S": "x"}]}, new={"N": "1"})),
        # the attributes the update names: as they were, or as they are (absent ones left out)
        ("UPDATED_OLD", {"s": {"S": "hello"}, "n": {"N": "5"}}),
        ("UPDATED_NEW", {"s": {"S": "x"}, "new": {"N": "1"}}),
    ],
)
def test_return_values(fake: FakeDynamoDB, filled: str, mode: str, attributes: dict[str, Any] | None) -> None:
    updates = {
        "s": {"Value": {"S": "x"}},
        "n": {"Action": "DELETE"},
        "new": {"Action": "ADD", "Value": {"N": "1"}},
        "absent": {"Action": "DELETE"},
    }
    answer = fake.call_sync(
        "UpdateItem", write("UpdateItem", filled, AttributeUpdates=updates, ReturnValues=mode)
    )
    assert answer == ({} if attributes is None else {"Attributes": attributes})


def test_updated_values_left_out_when_empty(fake: FakeDynamoDB, filled: str) -> None:
    request = write(
        "UpdateItem", filled, AttributeUpdates={"new": {"Value": {"S": "x"}}}, ReturnValues="UPDATED_OLD"
    )
    assert fake.call_sync("UpdateItem", request) == {}
    request = write(
        "UpdateItem", filled, AttributeUpdates={"new": {"Action": "DELETE"}}, ReturnValues="UPDATED_NEW"
    )
    assert fake.call_sync("UpdateItem", request) == {}


def test_updated_values_name_attributes_literally(fake: FakeDynamoDB, table: str) -> None:
    """``x.y`` and ``l[0]`` are attribute names, never document paths, in ReturnValues too."""
    updates = {"x.y": {"Value": {"S": "1"}}, "l[0]": {"Value": {"S": "2"}}}
    request = write("UpdateItem", table, AttributeUpdates=updates, ReturnValues="UPDATED_NEW")
    assert fake.call_sync("UpdateItem", request) == {"Attributes": {"x.y": {"S": "1"}, "l[0]": {"S": "2"}}}
    request = write(
        "UpdateItem", table, AttributeUpdates={"x.y": {"Action": "DELETE"}}, ReturnValues="UPDATED_OLD"
    )
    assert fake.call_sync("UpdateItem", request) == {"Attributes": {"x.y": {"S": "1"}}}
    assert stored(fake, table) == item("a", 1, **{"l[0]": {"S": "2"}})


def test_expected_without_attribute_updates(fake: FakeDynamoDB, filled: str) -> None:
    """An UpdateItem with only a condition stores the item as it is (or the bare key)."""
    request = write("UpdateItem", filled, Expected={"s": {"Value": {"S": "hello"}}}, ReturnValues="ALL_NEW")
    assert fake.call_sync("UpdateItem", request) == {"Attributes": STORED}


def test_indexes_follow_attribute_updates(fake: FakeDynamoDB, indexed_table: str) -> None:
    put = {
        "status": {"Value": {"S": "open"}},
        "total": {"Action": "ADD", "Value": {"N": "2"}},
        "date": {"Value": {"S": "2024"}},
    }
    fake.call_sync("UpdateItem", write("UpdateItem", indexed_table, AttributeUpdates=put))
    found = fake.call_sync(
        "Query",
        {
            "TableName": indexed_table,
            "IndexName": "by_status",
            "KeyConditionExpression": "#s = :s",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": "open"}},
        },
    )
    assert found["Items"] == [item("a", 1, status={"S": "open"}, total={"N": "2"})]
    fake.call_sync(
        "UpdateItem", write("UpdateItem", indexed_table, AttributeUpdates={"status": {"Action": "DELETE"}})
    )
    assert len(fake.state.tables[indexed_table].store.indexes["by_status"]) == 0
    fake._check()


def test_consumed_capacity_of_a_legacy_update(fake: FakeDynamoDB, hash_table: str) -> None:
    """Charged as any update: by the larger of the old and new item, 1 KB a unit."""
    request = {
        "TableName": hash_table,
        "Key": {"id": {"S": "a"}},
        "AttributeUpdates": {"v": {"Value": {"S": "x" * 1500}}},
        "ReturnConsumedCapacity": "TOTAL",
    }
    assert fake.call_sync("UpdateItem", request)["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": 2.0,
    }
    request["AttributeUpdates"] = {"v": {"Action": "DELETE"}}
    assert fake.call_sync("UpdateItem", request)["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": 2.0,
    }


# --- property: Expected means what its ConditionExpression means -----------------------------------

TABLE = "props"
KEY = {"pk": {"S": "k"}}
NAMES = ("a", "b", "c", "pk")
_ORDERED = st.one_of(
    st.lists(st.text(alphabet="ab\u00e9", max_size=2), min_size=1, max_size=3),
    st.lists(
        st.sampled_from([Decimal(-1), Decimal("0.5"), Decimal(3), Decimal("1E+3")]), min_size=1, max_size=3
    ),
    st.lists(st.binary(max_size=2), min_size=1, max_size=3),
)
# Each form's ConditionExpression text, ``{n}`` the attribute's name placeholder, ``{v0}``... its values'.
_TEXTS = {
    "VALUE": "{n} = {v0}",
    "EXISTS_VALUE": "{n} = {v0}",
    "ABSENT": "attribute_not_exists({n})",
    "EQ": "{n} = {v0}",
    "NE": "{n} <> {v0}",
    "LT": "{n} < {v0}",
    "LE": "{n} <= {v0}",
    "GT": "{n} > {v0}",
    "GE": "{n} >= {v0}",
    "BETWEEN": "{n} BETWEEN {v0} AND {v1}",
    "IN": "{n} IN ({vs})",
    "NULL": "attribute_not_exists({n})",
    "NOT_NULL": "attribute_exists({n})",
    "BEGINS_WITH": "begins_with({n}, {v0})",
    "CONTAINS": "contains({n}, {v0})",
}


@st.composite
def legacy_tests(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    """One Expected form whose legacy meaning is its expression's (NOT_CONTAINS is not: it differs
    on a missing attribute) and its arguments, valid for DynamoDB."""
    form = draw(st.sampled_from(sorted(_TEXTS)))
    if form in ("VALUE", "EXISTS_VALUE", "EQ", "NE"):
        args = [draw(values(max_leaves=3))]
    elif form in ("ABSENT", "NULL", "NOT_NULL"):
        args = []
    elif form == "CONTAINS":
        args = [draw(scalars())]
    elif form == "BEGINS_WITH":
        args = [draw(st.one_of(st.text(alphabet="ab\u00e9", max_size=2), st.binary(max_size=2)))]
    else:
        same_type = draw(_ORDERED)
        if form == "BETWEEN":
            args = sorted([same_type[0], same_type[-1]])
        else:
            args = same_type if form == "IN" else same_type[:1]
    return form, [to_av(arg) for arg in args]


def _entry(form: str, args: list[dict[str, Any]], as_value: bool) -> dict[str, Any]:
    if form == "VALUE":
        return {"Value": args[0]}
    if form == "EXISTS_VALUE":
        return {"Value": args[0], "Exists": True}
    if form == "ABSENT":
        return {"Exists": False}
    if as_value and len(args) == 1:  # Value stands for a one-value AttributeValueList
        return {"ComparisonOperator": form, "Value": args[0]}
    return {"ComparisonOperator": form, "AttributeValueList": args}


def _expression(tests: dict[str, tuple[str, list[dict[str, Any]]]], joiner: str | None) -> dict[str, Any]:
    """The ConditionExpression (with its names and values) that means what ``tests`` mean."""
    names: dict[str, str] = {}
    bound: dict[str, dict[str, Any]] = {}
    clauses = []
    for number, (name, (form, args)) in enumerate(tests.items()):
        names[f"#n{number}"] = name
        placeholders = []
        for index, arg in enumerate(args):
            bound[f":v{number}_{index}"] = arg
            placeholders.append(f":v{number}_{index}")
        fields = {f"v{index}": placeholder for index, placeholder in enumerate(placeholders)}
        clauses.append("(" + _TEXTS[form].format(n=f"#n{number}", vs=", ".join(placeholders), **fields) + ")")
    members: dict[str, Any] = {
        "ConditionExpression": f" {joiner or 'AND'} ".join(clauses),
        "ExpressionAttributeNames": names,
    }
    if bound:
        members["ExpressionAttributeValues"] = bound
    return members


def _fresh(old: dict[str, Any] | None) -> FakeDynamoDB:
    fake = FakeDynamoDB()
    create_table(fake, TABLE, range_key=None)
    if old is not None:
        fake.call_sync("PutItem", {"TableName": TABLE, "Item": old})
    return fake


def _outcome(fake: FakeDynamoDB, operation: str, request: dict[str, Any]) -> Any:
    try:
        return fake.call_sync(operation, request)
    except DynamoDBError as error:
        return type(error), error.message, getattr(error, "item", None)


@given(
    stored_item=st.none() | items(),
    replacement=items(),
    tests=st.dictionaries(st.sampled_from(NAMES), legacy_tests(), min_size=1, max_size=3),
    as_value=st.booleans(),
    joiner=st.sampled_from([None, "AND", "OR"]),
    operation=st.sampled_from(WRITES),
)
@property_settings(200)
def test_expected_behaves_as_its_condition_expression(
    stored_item: dict[str, Any] | None,
    replacement: dict[str, Any],
    tests: dict[str, tuple[str, list[dict[str, Any]]]],
    as_value: bool,
    joiner: str | None,
    operation: str,
) -> None:
    """The same write (a PutItem mostly: DeleteItem and UpdateItem too) with an Expected map and with
    the equivalent ConditionExpression, on the same item: the same answer or error (the old item
    with it), and the same items stored afterwards."""
    old = None if stored_item is None else {**to_av_item(stored_item), **KEY}
    request: dict[str, Any] = {
        "TableName": TABLE,
        "ReturnValues": "ALL_OLD",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    request.update({"Item": {**to_av_item(replacement), **KEY}} if operation == "PutItem" else {"Key": KEY})
    legacy_request = {
        **request,
        "Expected": {name: _entry(form, args, as_value) for name, (form, args) in tests.items()},
    }
    if joiner is not None and len(tests) > 1:
        legacy_request["ConditionalOperator"] = joiner
    expression_request = {**request, **_expression(tests, joiner if len(tests) > 1 else None)}
    legacy_fake, expression_fake = _fresh(old), _fresh(old)
    legacy_outcome = _outcome(legacy_fake, operation, legacy_request)
    assert legacy_outcome == _outcome(expression_fake, operation, expression_request)
    failed = isinstance(legacy_outcome, tuple)
    event("condition failed" if failed else "condition held")
    if failed:
        assert legacy_outcome[0] is ConditionalCheckFailedException
    else:
        assert legacy_outcome in ({}, {"Attributes": old})
    assert legacy_fake.items(TABLE) == expression_fake.items(TABLE)
    legacy_fake._check()
