"""UpdateItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour
of every action and ReturnValues mode, upserts, what an update may not touch, capacity."""

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

NOT_SCALAR = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
EMPTY_INDEX_KEY = (
    "One or more parameter values are not valid. The update expression attempted to update a secondary "
    "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
    "an empty string value."
)
INDEX_NAMES = {"#s": "status", "#t": "total", "#d": "date"}


def update(
    fake: FakeDynamoDB,
    table: str,
    expression: str | None,
    values: dict[str, Any] | None = None,
    *,
    item_key: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    request: dict[str, Any] = {"TableName": table, "Key": item_key or key("a", 1), **extra}
    if expression is not None:
        request["UpdateExpression"] = expression
    if values is not None:
        request["ExpressionAttributeValues"] = values
    return fake.call_sync("UpdateItem", request)


def stored(fake: FakeDynamoDB, table: str, item_key: dict[str, Any] | None = None) -> dict[str, Any] | None:
    found = fake.call_sync("GetItem", {"TableName": table, "Key": item_key or key("a", 1)})
    return found.get("Item")


def reject(fake: FakeDynamoDB, snapshot: Any, error: type[Exception], request: dict[str, Any]) -> str:
    """Send ``request``, expect ``error``, check that nothing changed; the error's message."""
    before = snapshot(fake)
    with pytest.raises(error) as caught:
        fake.call_sync("UpdateItem", request)
    assert snapshot(fake) == before
    return str(caught.value.message)  # type: ignore[attr-defined]  # DynamoDBError has .message


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"TableName": "items", "Key": [], "UpdateExpression": "SET a = :v"},
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>",
        ),
        (
            {"TableName": "items", "Key": key("a", 1), "UpdateExpression": 5},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            {"TableName": "bad name", "Key": key("a", 1), "ConditionExpression": ["a"]},
            "Unrecognized collection type class java.lang.String",
        ),
        (
            {"TableName": "items", "Key": key("a", 1), "ReturnValuesOnConditionCheckFailure": True},
            "TRUE_VALUE cannot be converted to String",
        ),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, request_: Any, message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        fake.call_sync("UpdateItem", request_)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_member_constraints_in_one_envelope(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync(
            "UpdateItem",
            {
                "TableName": table,
                "ReturnConsumedCapacity": "hi",
                "ReturnItemCollectionMetrics": "hi",
                "ReturnValues": "hi",
                "ReturnValuesOnConditionCheckFailure": "UPDATED_OLD",
            },
        )
    assert caught.value.message == (
        "5 validation errors detected: "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SIZE, NONE]; "
        "Value 'hi' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
        "Value null at 'key' failed to satisfy constraint: Member must not be null; "
        "Value 'UPDATED_OLD' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_OLD, NONE]"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # names or values with no expression come before the Key's values (dynalite's order)
        (
            {"ExpressionAttributeNames": {"#a": "a"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {"ExpressionAttributeValues": {":a": {"S": "a"}}},
            "ExpressionAttributeValues can only be specified when using expressions: "
            "UpdateExpression and ConditionExpression are null",
        ),
        # legacy and expression members mixed come first; names or values beside legacy members only
        # are refused as with no member at all
        (
            {"AttributeUpdates": {"a": {"Value": {"S": "x"}}}, "UpdateExpression": "REMOVE b"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
        ),
        (
            {
                "Expected": {"a": {"Exists": False}},
                "UpdateExpression": "REMOVE b",
                "ConditionExpression": "c",
            },
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {UpdateExpression, ConditionExpression}",
        ),
        (
            {
                "AttributeUpdates": {"a": {"Value": {"S": "x"}}},
                "ExpressionAttributeValues": {":a": {"S": "a"}},
            },
            "ExpressionAttributeValues can only be specified when using expressions: "
            "UpdateExpression and ConditionExpression are null",
        ),
    ],
)
def test_expression_parameters_before_key_values(
    fake: FakeDynamoDB, table: str, snapshot: Any, extra: dict[str, Any], message: str
) -> None:
    request = {"TableName": table, "Key": {"pk": {}}, **extra}
    assert reject(fake, snapshot, ValidationException, request) == message


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        (
            {"ExpressionAttributeNames": {}},
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
    ],
)
def test_key_values_before_expressions(
    fake: FakeDynamoDB, table: str, extra: dict[str, Any], message: str
) -> None:
    request = {
        "TableName": table,
        "Key": {"pk": {}},
        "UpdateExpression": "",
        "ConditionExpression": "",
        **extra,
    }
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", request)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}},
            "ExpressionAttributeNames must not be empty",
        ),
        ({"ExpressionAttributeValues": {}}, "ExpressionAttributeValues must not be empty"),
        (
            {"ExpressionAttributeValues": {":b": {"a": ""}, "b": {"S": "a"}}},
            'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
        ),
        (
            {"ExpressionAttributeValues": {":b": {"SS": []}}},
            "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: "
            "An string set  may not be empty for key :b",
        ),
        ({}, "Invalid UpdateExpression: The expression can not be empty;"),
    ],
)
def test_expression_checks_in_order(
    fake: FakeDynamoDB, table: str, extra: dict[str, Any], message: str
) -> None:
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "UpdateExpression": "",
        "ConditionExpression": "",
        **extra,
    }
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", request)
    assert caught.value.message == message


def test_update_expression_before_condition_then_unused(fake: FakeDynamoDB, table: str) -> None:
    base = {"TableName": table, "Key": key("a", 1)}
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", {**base, "UpdateExpression": "SET", "ConditionExpression": ")"})
    assert caught.value.message.startswith("Invalid UpdateExpression: Syntax error; ")
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", {**base, "UpdateExpression": "SET a = :v", "ConditionExpression": ""})
    assert caught.value.message == (
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"
    )
    request = {
        **base,
        "UpdateExpression": "remove a",
        "ConditionExpression": "b = :b",
        "ExpressionAttributeNames": {"#x": "x"},
        "ExpressionAttributeValues": {":a": {"S": "a"}, ":b": {"S": "b"}},
    }
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", request)
    assert (
        caught.value.message == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"
    )
    del request["ExpressionAttributeNames"]
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", request)
    assert (
        caught.value.message
        == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a}"
    )


def test_expressions_checked_before_the_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException):
        fake.call_sync("UpdateItem", {"TableName": "missing", "Key": key("a", 1), "UpdateExpression": "SET"})
    with pytest.raises(ResourceNotFoundException) as caught:
        fake.call_sync(
            "UpdateItem",
            {
                "TableName": "missing",
                "Key": key("a", 1),
                "UpdateExpression": "SET pk = :v",
                "ExpressionAttributeValues": {":v": {"S": "x"}},
            },
        )
    assert caught.value.message == "Requested resource not found"


@pytest.mark.parametrize(
    "bad_key",
    [
        {"pk": {"S": "a"}},
        {"pk": {"S": "a"}, "sk": {"S": "1"}},
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}},
    ],
)
def test_key_schema_before_update_checks(
    fake: FakeDynamoDB, table: str, snapshot: Any, bad_key: dict[str, Any]
) -> None:
    request = {
        "TableName": table,
        "Key": bad_key,
        "UpdateExpression": "SET pk = :v",
        "ExpressionAttributeValues": {":v": {"S": "x"}},
    }
    assert reject(fake, snapshot, ValidationException, request) == SCHEMA


def test_empty_key_value(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("UpdateItem", {"TableName": table, "Key": {"pk": {"S": ""}, "sk": {"N": "1"}}})
    assert caught.value.message == (
        PARAM + "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
    )


@pytest.mark.parametrize(
    ("expression", "values", "attribute"),
    [
        ("SET pk = :v", {":v": {"S": "x"}}, "pk"),
        ("REMOVE sk", None, "sk"),
        ("ADD sk :n", {":n": {"N": "1"}}, "sk"),
        ("SET pk.b = :v", {":v": {"S": "x"}}, "pk"),  # a nested path on a key is still an update of it
        ("SET b = :v, sk = :n", {":v": {"S": "x"}, ":n": {"N": "1"}}, "sk"),
        ("DELETE pk :s REMOVE sk", {":s": {"SS": ["a"]}}, "pk"),  # hash key reported first
    ],
)
def test_key_attributes_cannot_be_updated(
    fake: FakeDynamoDB, table: str, snapshot: Any, expression: str, values: Any, attribute: str
) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, b={"S": "old"})})
    request: dict[str, Any] = {"TableName": table, "Key": key("a", 1), "UpdateExpression": expression}
    if values:
        request["ExpressionAttributeValues"] = values
    assert reject(fake, snapshot, ValidationException, request) == (
        PARAM + f"Cannot update attribute {attribute}. This attribute is part of the key"
    )


def test_key_update_refused_before_the_condition(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "UpdateExpression": "SET pk = :v",
        "ConditionExpression": "attribute_exists(pk)",
        "ExpressionAttributeValues": {":v": {"S": "x"}},
    }
    assert reject(fake, snapshot, ValidationException, request) == (
        PARAM + "Cannot update attribute pk. This attribute is part of the key"
    )


@pytest.mark.parametrize(
    ("expression", "values", "message"),
    [
        ("SET q = pk.x", None, NOT_SCALAR + "Key: pk"),
        ("SET q = list_append(sk[0], :l)", {":l": {"L": []}}, NOT_SCALAR + "Key: sk"),
        ("SET #s.x = :v", {":v": {"S": "x"}}, NOT_SCALAR + "IndexKey: status"),
        ("SET q = if_not_exists(#d[1], :v)", {":v": {"S": "x"}}, NOT_SCALAR + "IndexKey: date"),
        # a whole-attribute write of known wrong type is found first (dynalite: "set d.a = a add c :a")
        (
            "SET #d.a = :v ADD #s :n",
            {":v": {"S": "x"}, ":n": {"N": "1"}},
            PARAM + "Type mismatch for Index Key status Expected: S Actual: N IndexName: by_status",
        ),
        (
            "SET #s = :n",
            {":n": {"N": "1"}},
            PARAM + "Type mismatch for Index Key status Expected: S Actual: N IndexName: by_status",
        ),
        ("SET #t = :a + :a", {":a": {"N": "1"}}, None),
        (
            "SET #s = list_append(:l, :l)",
            {":l": {"L": []}},
            PARAM + "Type mismatch for Index Key status Expected: S Actual: L IndexName: by_status",
        ),
        ("SET #d = :e", {":e": {"S": ""}}, EMPTY_INDEX_KEY),
    ],
)
def test_what_an_update_may_not_touch(
    fake: FakeDynamoDB, indexed_table: str, snapshot: Any, expression: str, values: Any, message: str | None
) -> None:
    names = {alias: name for alias, name in INDEX_NAMES.items() if alias in expression}
    request: dict[str, Any] = {"TableName": indexed_table, "Key": key("a", 1), "UpdateExpression": expression}
    if names:
        request["ExpressionAttributeNames"] = names
    if values:
        request["ExpressionAttributeValues"] = values
    if message is None:  # "+" gives N, the declared type of total: accepted
        fake.call_sync("UpdateItem", request)
        assert stored(fake, indexed_table) == item("a", 1, total={"N": "2"})
        return
    # refused before the condition is read, so ALL_OLD never comes into it
    request["ConditionExpression"] = "attribute_exists(pk)"
    assert reject(fake, snapshot, ValidationException, request) == message


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "SET #s = v",
            "The update expression attempted to update the secondary index key to unsupported type",
        ),
        (
            "SET #d = if_not_exists(q, v)",
            "The update expression attempted to update the secondary index key to unsupported type",
        ),
        ("SET #s = e", EMPTY_INDEX_KEY),
    ],
)
def test_index_key_values_computed_from_the_item(
    fake: FakeDynamoDB, indexed_table: str, snapshot: Any, expression: str, message: str
) -> None:
    fake.call_sync("PutItem", {"TableName": indexed_table, "Item": item("a", 1, v={"N": "1"}, e={"S": ""})})
    names = {alias: name for alias, name in INDEX_NAMES.items() if alias in expression}
    request = {
        "TableName": indexed_table,
        "Key": key("a", 1),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
    }
    assert reject(fake, snapshot, ValidationException, request) == message


@pytest.mark.parametrize(
    ("expression", "values", "message"),
    [
        ("SET c = b", None, "The provided expression refers to an attribute that does not exist in the item"),
        (
            "SET v = v + :n",
            {":n": {"N": "1"}},
            "An operand in the update expression has an incorrect data type",
        ),
        ("ADD s :n", {":n": {"N": "1"}}, "An operand in the update expression has an incorrect data type"),
        (
            "SET m.x.y = :n",
            {":n": {"N": "1"}},
            "The document path provided in the update expression is invalid for update",
        ),
        (
            "SET n = :big + :big",
            {":big": {"N": "9" * 38 + "E+88"}},
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
    ],
)
def test_evaluation_errors_change_nothing(
    fake: FakeDynamoDB, table: str, snapshot: Any, expression: str, values: Any, message: str
) -> None:
    fake.call_sync(
        "PutItem", {"TableName": table, "Item": item("a", 1, v={"S": "x"}, s={"SS": ["a"]}, m={"M": {}})}
    )
    request: dict[str, Any] = {"TableName": table, "Key": key("a", 1), "UpdateExpression": expression}
    if values:
        request["ExpressionAttributeValues"] = values
    assert reject(fake, snapshot, ValidationException, request) == message


def test_item_size_to_update(fake: FakeDynamoDB, hash_table: str, snapshot: Any) -> None:
    big = {"id": {"S": "a"}, "b": {"S": "x" * 409_000}}
    fake.call_sync("PutItem", {"TableName": hash_table, "Item": big})
    request = {
        "TableName": hash_table,
        "Key": {"id": {"S": "a"}},
        "UpdateExpression": "SET c = :c",
        "ExpressionAttributeValues": {":c": {"S": "y" * 1000}},
    }
    assert reject(fake, snapshot, ValidationException, request) == (
        "Item size to update has exceeded the maximum allowed size"
    )
    # exactly 409,600 bytes is fine: 2 (id) + 1 (a) + 1 (b) + 409,000 + 1 (c) + 595
    fake.call_sync("UpdateItem", {**request, "ExpressionAttributeValues": {":c": {"S": "y" * 595}}})
    assert fake.state.tables[hash_table].store.size_bytes == 409_600


def test_item_size_counts_local_index_entries(fake: FakeDynamoDB, indexed_table: str, snapshot: Any) -> None:
    fake.call_sync("PutItem", {"TableName": indexed_table, "Item": item("a", 1, b={"S": "x" * 250_000})})
    request = {
        "TableName": indexed_table,
        "Key": key("a", 1),
        "UpdateExpression": "SET #d = :d",
        "ExpressionAttributeNames": {"#d": "date"},
        "ExpressionAttributeValues": {":d": {"S": "2024"}},
    }
    assert reject(fake, snapshot, ValidationException, request) == (
        "Item size to update has exceeded the maximum allowed size"
    )


def test_nesting_past_32_levels(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    deep: dict[str, Any] = {"S": "x"}
    for _ in range(31):
        deep = {"M": {"k": deep}}
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, m={"M": {}})})
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "UpdateExpression": "SET m.k = :deep",
        "ExpressionAttributeValues": {":deep": deep},
    }
    assert (
        reject(fake, snapshot, ValidationException, request)
        == "Nesting Levels have exceeded supported limits"
    )


# --- behaviour: conditions ------------------------------------------------------------------------


def test_condition_failure_changes_nothing_and_returns_old_item_on_request(
    fake: FakeDynamoDB, table: str, snapshot: Any
) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, v={"N": "1"})})
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "UpdateExpression": "SET v = :two",
        "ConditionExpression": "v = :two",
        "ExpressionAttributeValues": {":two": {"N": "2"}},
    }
    assert (
        reject(fake, snapshot, ConditionalCheckFailedException, request) == "The conditional request failed"
    )
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("UpdateItem", {**request, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert caught.value.item == item("a", 1, v={"N": "1"})
    assert fake.call_sync("UpdateItem", {**request, "ConditionExpression": "v < :two"}) == {}
    assert stored(fake, table) == item("a", 1, v={"N": "2"})


def test_condition_on_a_missing_item_creates_nothing(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    request = {
        "TableName": table,
        "Key": key("a", 1),
        "UpdateExpression": "SET v = :v",
        "ConditionExpression": "attribute_exists(pk)",
        "ExpressionAttributeValues": {":v": {"N": "2"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    with pytest.raises(ConditionalCheckFailedException) as caught:
        fake.call_sync("UpdateItem", request)
    assert caught.value.item is None
    assert "Item" not in caught.value.response
    assert snapshot(fake) == {table: []}
    fake.call_sync("UpdateItem", {**request, "ConditionExpression": "attribute_not_exists(pk)"})
    assert stored(fake, table) == item("a", 1, v={"N": "2"})


# --- behaviour: actions and upserts ---------------------------------------------------------------


def test_upsert_starts_from_the_key(fake: FakeDynamoDB, table: str) -> None:
    result = update(
        fake, table, "SET v = :v", {":v": {"N": "01.50"}}, item_key=key("a", "1.0"), ReturnValues="ALL_NEW"
    )
    assert result == {"Attributes": item("a", 1, v={"N": "1.5"})}
    assert fake.items(table) == [item("a", 1, v={"N": "1.5"})]
    fake._check()


@pytest.mark.parametrize("expression", [None, "REMOVE v", "DELETE s :s"])
def test_update_of_a_missing_item_without_writes_stores_the_bare_key(
    fake: FakeDynamoDB, table: str, expression: str | None
) -> None:
    values = {":s": {"SS": ["a"]}} if expression and ":s" in expression else None
    assert update(fake, table, expression, values, ReturnValues="ALL_OLD") == {}
    assert fake.items(table) == [key("a", 1)]


def test_no_update_expression_keeps_an_existing_item(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, v={"N": "1"})})
    assert update(fake, table, None, ReturnValues="UPDATED_NEW") == {}
    assert update(fake, table, None, ReturnValues="ALL_NEW") == {"Attributes": item("a", 1, v={"N": "1"})}
    assert fake.items(table) == [item("a", 1, v={"N": "1"})]


def test_every_action_with_nested_paths(fake: FakeDynamoDB, table: str) -> None:
    start = item(
        "a",
        1,
        n={"N": "10"},
        m={"M": {"x": {"L": [{"S": "p"}, {"S": "q"}, {"S": "r"}]}, "y": {"N": "1"}}},
        s={"SS": ["a", "b"]},
        ns={"NS": ["1", "2"]},
        gone={"S": "bye"},
    )
    fake.call_sync("PutItem", {"TableName": table, "Item": start})
    expression = (
        "SET n = n - :one, m.y = if_not_exists(m.z, :one) + m.y, m.x[1] = :new, m.x[7] = :tail, "
        "l = list_append(:front, m.x), c = n REMOVE gone, m.x[0] ADD s :more, fresh :one DELETE ns :two"
    )
    values = {
        ":one": {"N": "1"},
        ":new": {"S": "Q"},
        ":tail": {"S": "t"},
        ":front": {"L": [{"BOOL": True}]},
        ":more": {"SS": ["b", "c"]},
        ":two": {"NS": ["2.0"]},
    }
    update(fake, table, expression, values)
    assert stored(fake, table) == item(
        "a",
        1,
        n={"N": "9"},
        m={"M": {"x": {"L": [{"S": "Q"}, {"S": "r"}, {"S": "t"}]}, "y": {"N": "2"}}},
        s={"SS": ["a", "b", "c"]},
        ns={"NS": ["1"]},
        # every operand reads the item as it was
        l={"L": [{"BOOL": True}, {"S": "p"}, {"S": "q"}, {"S": "r"}]},
        c={"N": "10"},
        fresh={"N": "1"},
    )
    fake._check()


def test_delete_emptying_a_set_removes_the_attribute(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, s={"SS": ["a"]})})
    assert update(fake, table, "DELETE s :s", {":s": {"SS": ["a", "z"]}}, ReturnValues="UPDATED_NEW") == {}
    assert stored(fake, table) == key("a", 1)


# --- behaviour: ReturnValues ----------------------------------------------------------------------


@pytest.fixture
def nested(fake: FakeDynamoDB, table: str) -> dict[str, Any]:
    start = item(
        "a",
        1,
        m={"M": {"x": {"L": [{"S": "p"}, {"S": "q"}]}, "y": {"N": "1"}}},
        keep={"S": "k"},
        r={"S": "r"},
    )
    fake.call_sync("PutItem", {"TableName": table, "Item": start})
    return start


UPDATE = "SET m.x[1] = :v, m.x[5] = :w, fresh = :v REMOVE r"
UPDATE_VALUES = {":v": {"S": "V"}, ":w": {"S": "W"}}


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("NONE", None),
        ("ALL_OLD", "old"),
        ("ALL_NEW", "new"),
        # the old values replaced or removed, nested as in the item (list elements compacted)
        ("UPDATED_OLD", {"m": {"M": {"x": {"L": [{"S": "q"}]}}}, "r": {"S": "r"}}),
        # the values written, at their places in the new item
        ("UPDATED_NEW", {"m": {"M": {"x": {"L": [{"S": "V"}, {"S": "W"}]}}}, "fresh": {"S": "V"}}),
    ],
)
def test_return_values(
    fake: FakeDynamoDB, table: str, nested: dict[str, Any], mode: str, expected: Any
) -> None:
    new = item(
        "a",
        1,
        m={"M": {"x": {"L": [{"S": "p"}, {"S": "V"}, {"S": "W"}]}, "y": {"N": "1"}}},
        keep={"S": "k"},
        fresh={"S": "V"},
    )
    result = update(fake, table, UPDATE, UPDATE_VALUES, ReturnValues=mode)
    attributes = (
        {"old": nested, "new": new}.get(expected, expected) if isinstance(expected, str) else expected
    )
    assert result == ({} if attributes is None else {"Attributes": attributes})
    assert stored(fake, table) == new


@pytest.mark.parametrize("mode", ["ALL_OLD", "UPDATED_OLD"])
def test_old_values_of_a_new_item_are_left_out(fake: FakeDynamoDB, table: str, mode: str) -> None:
    assert update(fake, table, "SET v = :v", {":v": {"S": "x"}}, ReturnValues=mode) == {}


def test_updated_values_left_out_when_nothing_is_there(fake: FakeDynamoDB, table: str) -> None:
    fake.call_sync("PutItem", {"TableName": table, "Item": item("a", 1, r={"S": "r"})})
    assert update(fake, table, "SET v = :v", {":v": {"S": "x"}}, ReturnValues="UPDATED_OLD") == {}
    assert update(fake, table, "REMOVE v", ReturnValues="UPDATED_NEW") == {}
    assert update(fake, table, "REMOVE nothing", ReturnValues="UPDATED_OLD") == {}


def test_answers_do_not_alias_storage(fake: FakeDynamoDB, table: str) -> None:
    result = update(fake, table, "SET m = :m", {":m": {"M": {"x": {"S": "1"}}}}, ReturnValues="ALL_NEW")
    result["Attributes"]["m"]["M"]["x"]["S"] = "changed"
    result = update(fake, table, "SET v = :v", {":v": {"S": "x"}}, ReturnValues="ALL_OLD")
    result["Attributes"]["m"]["M"].clear()
    assert stored(fake, table) == item("a", 1, m={"M": {"x": {"S": "1"}}}, v={"S": "x"})


# --- behaviour: capacity and metrics --------------------------------------------------------------


def test_consumed_capacity_is_the_larger_image_and_index_changes(
    fake: FakeDynamoDB, indexed_table: str
) -> None:
    fake.call_sync(
        "PutItem",
        {
            "TableName": indexed_table,
            "Item": item("a", 1, v={"S": "x" * 2500}, status={"S": "s"}, total={"N": "1"}),
        },
    )
    request = {
        "TableName": indexed_table,
        "Key": key("a", 1),
        "UpdateExpression": "REMOVE v SET #t = :t",
        "ExpressionAttributeNames": {"#t": "total"},
        "ExpressionAttributeValues": {":t": {"N": "2"}},
        "ReturnConsumedCapacity": "INDEXES",
    }
    # the old image (about 2.5 KB) is the larger: 3 units; the GSI key moved: 1 out + 1 in
    assert fake.call_sync("UpdateItem", request)["ConsumedCapacity"] == {
        "TableName": indexed_table,
        "CapacityUnits": 5.0,
        "Table": {"CapacityUnits": 3.0},
        "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 2.0}},
    }
    total = fake.call_sync(
        "UpdateItem", {**request, "UpdateExpression": "SET #t = :t", "ReturnConsumedCapacity": "TOTAL"}
    )
    # nothing changed in the index entry: only the small item's one unit
    assert total["ConsumedCapacity"] == {"TableName": indexed_table, "CapacityUnits": 1.0}
    fake._check()


def test_item_collection_metrics(fake: FakeDynamoDB, indexed_table: str) -> None:
    request = {
        "TableName": indexed_table,
        "Key": key("a", 1),
        "UpdateExpression": "SET #d = :d",
        "ExpressionAttributeNames": {"#d": "date"},
        "ExpressionAttributeValues": {":d": {"S": "d"}},
        "ReturnItemCollectionMetrics": "SIZE",
    }
    assert fake.call_sync("UpdateItem", request) == {
        "ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    }


def test_throttled_like_a_put(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    fake.throttle(1.0, operations="UpdateItem", times=1)
    before = snapshot(fake)
    with pytest.raises(Exception) as caught:
        update(fake, table, "SET v = :v", {":v": {"S": "x"}})
    assert type(caught.value).__name__ in ("ThrottlingException", "ProvisionedThroughputExceededException")
    assert snapshot(fake) == before
    update(fake, table, "SET v = :v", {":v": {"S": "x"}})
    assert stored(fake, table) == item("a", 1, v={"S": "x"})
