"""Rules PutItem, GetItem, DeleteItem and UpdateItem share: the table name is checked first, and alone;
the conditional writes check their expression parameters alike. Each operation's own rules are in
test_<operation>.py."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ConditionalCheckFailedException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import item, key

WRITES = ["PutItem", "DeleteItem", "UpdateItem"]


def write(operation: str, table: str, **members: Any) -> dict[str, Any]:
    """A ``operation`` request on the usual pk/sk table's item ("a", 1)."""
    target = {"Item": item("a", 1)} if operation == "PutItem" else {"Key": key("a", 1)}
    return {"TableName": table, **target, **members}


# --- validation errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["PutItem", "GetItem", "DeleteItem", "UpdateItem"])
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


@pytest.mark.parametrize("operation", WRITES)
def test_return_values_on_condition_check_failure_enum(
    fake: FakeDynamoDB, table: str, operation: str
) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, write(operation, table, ReturnValuesOnConditionCheckFailure="ALL_NEW"))
    assert caught.value.message == (
        "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to "
        "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"
    )


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"ExpressionAttributeNames": {}}, "ExpressionAttributeNames must not be empty"),
        (
            {"ExpressionAttributeNames": {"v": "v"}},
            'ExpressionAttributeNames contains invalid key: Syntax error; key: "v"',
        ),
        ({"ExpressionAttributeValues": {}}, "ExpressionAttributeValues must not be empty"),
        (
            {"ExpressionAttributeValues": {":v": {"S": "a", "N": "b"}}},
            "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
            "numeric value: b for key :v",
        ),
        ({"ConditionExpression": "   "}, "Invalid ConditionExpression: The expression can not be empty;"),
        (
            {"ConditionExpression": "attribute_exists(#v)"},
            "Invalid ConditionExpression: An expression attribute name used in the document path is not "
            "defined; attribute name: #v",
        ),
        (
            {
                "ConditionExpression": "v = :v",
                "ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "y"}},
            },
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
        ),
        (
            {"ConditionExpression": "v = :v", "ExpressionAttributeNames": {"#a": "a", "#b": "b"}},
            "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
            "attribute value: :v",
        ),
        (
            {
                "ConditionExpression": "attribute_exists(v)",
                "ExpressionAttributeNames": {"#a": "a", "#b": "b"},
            },
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
        ),
        (
            {"ConditionExpression": "name = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
        ),
    ],
)
def test_expression_validation(
    fake: FakeDynamoDB, table: str, snapshot: Any, operation: str, members: dict[str, Any], message: str
) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, v={"S": "old"})})
    before = snapshot(fake)
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, write(operation, table, **{"ConditionExpression": "v = v", **members}))
    assert caught.value.message == message
    assert snapshot(fake) == before


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize("member", ["Expected", "ConditionalOperator"])
def test_legacy_members_refused_beside_a_condition_expression(
    fake: FakeDynamoDB, table: str, snapshot: Any, operation: str, member: str
) -> None:
    value = {"v": {"Exists": False}} if member == "Expected" else "AND"
    request = write(operation, table, **{member: value, "ConditionExpression": "attribute_exists(v)"})
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(operation, request)
    assert caught.value.message == (
        "Can not use both expression and non-expression parameters in the same request: "
        f"Non-expression parameters: {{{member}}} Expression parameters: {{ConditionExpression}}"
    )
    assert snapshot(fake) == {table: []}


# --- behaviour ------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ("attribute_exists(pk)", True),
        ("attribute_not_exists(v)", False),
        ("v = :old AND size(v) = :three", True),
        ("v IN (:x, :old)", True),
        ("NOT contains(v, :x)", True),
        ("v BETWEEN :x AND :y", False),
        ("attribute_type(v, :n)", False),
    ],
)
def test_condition_decides_each_write(
    fake: FakeDynamoDB, table: str, snapshot: Any, operation: str, condition: str, holds: bool
) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, v={"S": "old"})})
    candidates = {
        ":old": {"S": "old"},
        ":three": {"N": "3"},
        ":x": {"S": "x"},
        ":y": {"S": "y"},
        ":n": {"S": "N"},
    }
    values = {name: value for name, value in candidates.items() if name in condition}
    request = write(operation, table, ConditionExpression=condition, ReturnValues="ALL_OLD")
    if operation == "UpdateItem":
        request["UpdateExpression"] = "REMOVE v"
    if values:
        request["ExpressionAttributeValues"] = values
    before = snapshot(fake)
    if not holds:
        with pytest.raises(ConditionalCheckFailedException):
            fake.call_sync(operation, request)
        assert snapshot(fake) == before
        return
    assert fake.call_sync(operation, request) == {"Attributes": item("a", 1, v={"S": "old"})}
    assert snapshot(fake) != before
