"""The member tables and their engine (``aiodynamodb_fake/members``), tests generated from the tables.

Every member of every table gets, for each JSON kind it is not, the SerializationException DynamoDB
answers (the texts are written out here from dynalite's ``assertType`` tables, run against DynamoDB,
not taken from the code under test); every rule of every member gets a request breaking only it,
and the exact ``1 validation error detected`` message, its path and echo derived here from the
rule's declared parameters. Hand-written tests below pin the order of several violations.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.members.batches import BATCH_GET_ITEM, BATCH_WRITE_ITEM, KEYS_AND_ATTRIBUTES
from aiodynamodb_fake.members.common import ITEM, TABLE_NAME
from aiodynamodb_fake.members.common import KEY as KEY_MEMBER
from aiodynamodb_fake.members.create_table import CREATE_TABLE, KeySchemaLength
from aiodynamodb_fake.members.engine import (
    ATTRIBUTE_VALUE,
    Kind,
    ListOf,
    MapOf,
    Member,
    Scalar,
    Struct,
    check_request,
    deferring,
)
from aiodynamodb_fake.members.items import DELETE_ITEM, GET_ITEM, PUT_ITEM, UPDATE_ITEM
from aiodynamodb_fake.members.reads import QUERY, SCAN
from aiodynamodb_fake.members.rules import (
    BareIfEmpty,
    BareIfMissing,
    Enum,
    MapKeys,
    MapValues,
    MaxLength,
    MaxValue,
    MinLength,
    MinValue,
    NotNull,
    Rule,
    TableName,
)
from aiodynamodb_fake.members.tables import DELETE_TABLE, DESCRIBE_TABLE, LIST_TABLES
from aiodynamodb_fake.members.transactions import TRANSACT_GET_ITEMS, TRANSACT_WRITE_ITEMS
from aiodynamodb_fake.shapes import java_repr
from aiodynamodb_fake.values import validate_item

TABLES: dict[str, Struct] = {
    "GetItem": GET_ITEM,
    "PutItem": PUT_ITEM,
    "DeleteItem": DELETE_ITEM,
    "UpdateItem": UPDATE_ITEM,
    "Query": QUERY,
    "Scan": SCAN,
    "BatchWriteItem": BATCH_WRITE_ITEM,
    "BatchGetItem": BATCH_GET_ITEM,
    "TransactWriteItems": TRANSACT_WRITE_ITEMS,
    "TransactGetItems": TRANSACT_GET_ITEMS,
    "DescribeTable": DESCRIBE_TABLE,
    "DeleteTable": DELETE_TABLE,
    "ListTables": LIST_TABLES,
    "CreateTable": CREATE_TABLE,
}
MODEL = "com.amazonaws.dynamodb.v20120810."
KEY = "tbl"  # the map key every generated request uses: a valid table name

# --- DynamoDB's texts, written out (dynalite test/helpers.js assertType) ---------------------------

START_OF_OBJECT = "Start of structure or map found where not expected"
FIELD = "Unexpected field type"
VALUE = "Unexpected value type in payload"
CAST = (
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class "
    "are in module java.base of loader 'bootstrap')"
)
SCALAR_SAMPLES: dict[str, list[tuple[Any, str]]] = {
    "String": [
        (True, "TRUE_VALUE cannot be converted to String"),
        (False, "FALSE_VALUE cannot be converted to String"),
        (23, "NUMBER_VALUE cannot be converted to String"),
        (34.56, "DECIMAL_VALUE cannot be converted to String"),
        ([], "Unrecognized collection type class java.lang.String"),
        ({}, START_OF_OBJECT),
    ],
    "Boolean": [
        ("23", "Unexpected token received from parser"),
        (23, "NUMBER_VALUE cannot be converted to Boolean"),
        (34.56, "DECIMAL_VALUE cannot be converted to Boolean"),
        ([], "Unrecognized collection type class java.lang.Boolean"),
        ({}, START_OF_OBJECT),
    ],
    "Integer": [
        ("23", "STRING_VALUE cannot be converted to Integer"),
        (True, "TRUE_VALUE cannot be converted to Integer"),
        (False, "FALSE_VALUE cannot be converted to Integer"),
        ([], "Unrecognized collection type class java.lang.Integer"),
        ({}, START_OF_OBJECT),
    ],
    "Long": [
        ("23", "STRING_VALUE cannot be converted to Long"),
        (True, "TRUE_VALUE cannot be converted to Long"),
        ([], "Unrecognized collection type class java.lang.Long"),
        ({}, START_OF_OBJECT),
    ],
    "Blob": [
        (True, "only base-64-encoded strings are convertible to bytes"),
        (23, "only base-64-encoded strings are convertible to bytes"),
        (34.56, "only base-64-encoded strings are convertible to bytes"),
        ([], "Unrecognized collection type class java.nio.ByteBuffer"),
        ({}, START_OF_OBJECT),
    ],
}
SCALARS: list[Any] = ["23", True, 23, -2147483648, 2147483648, 34.56]


def java_name(kind: Kind) -> str:
    """The Java class a map of ``kind`` names (``Map<java.util.List<...WriteRequest>>``)."""
    if isinstance(kind, Scalar):
        return "java.nio.ByteBuffer" if kind.name == "Blob" else f"java.lang.{kind.name}"
    if isinstance(kind, Struct):
        return MODEL + kind.shape
    if isinstance(kind, ListOf):
        return f"java.util.List<{java_name(kind.element)}>"
    if isinstance(kind, MapOf):
        return f"java.util.Map<java.lang.String, {java_name(kind.value)}>"
    return MODEL + "AttributeValue"


def wrong_kinds(kind: Kind, in_collection: bool) -> list[tuple[Any, str]]:
    """Each value of another JSON kind and DynamoDB's text for it, at a field or in a collection."""
    if isinstance(kind, Scalar):
        return SCALAR_SAMPLES[kind.name]
    if isinstance(kind, ListOf):
        return [(s, CAST if in_collection else FIELD) for s in SCALARS] + [({}, START_OF_OBJECT)]
    if isinstance(kind, MapOf):
        listed = f"Unrecognized collection type java.util.Map<java.lang.String, {java_name(kind.value)}>"
        return [(s, CAST if in_collection else FIELD) for s in SCALARS] + [([], listed)]
    shape = kind.shape if isinstance(kind, Struct) else "AttributeValue"
    return [(s, VALUE if in_collection else FIELD) for s in SCALARS] + [
        ([], f"Unrecognized collection type class {MODEL}{shape}")
    ]


# --- walking a table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    how: str  # "field" (a member), "element" (a list's first), "value" (a map's, under KEY)
    name: str
    kind: Kind
    rules: tuple[Rule, ...]
    modern: bool = False
    alone: bool = False


def member_steps(table: Struct) -> Iterator[tuple[Step, ...]]:
    """Every member reachable in ``table`` (AttributeValue contents excepted), as the steps to it."""

    def walk(kind: Kind, trail: tuple[Step, ...]) -> Iterator[tuple[Step, ...]]:
        if isinstance(kind, Struct):
            for member in kind.members:
                step = Step("field", member.name, member.kind, member.rules, member.modern, member.alone)
                yield (*trail, step)
                yield from walk(member.kind, (*trail, step))
        elif isinstance(kind, ListOf):
            step = Step("element", "member", kind.element, kind.element_rules)
            yield (*trail, step)
            yield from walk(kind.element, (*trail, step))
        elif isinstance(kind, MapOf):
            step = Step("value", "member", kind.value, kind.value_rules)
            yield (*trail, step)
            yield from walk(kind.value, (*trail, step))

    return walk(table, ())


def valid(kind: Kind, rules: tuple[Rule, ...] = ()) -> Any:
    """A small value of ``kind`` that breaks none of ``rules`` (nor its own members')."""
    if isinstance(kind, Scalar):
        if kind.name == "String":
            enums = [r for r in rules if isinstance(r, Enum)]
            return enums[0].values[0] if enums else "tbl"
        if kind.name == "Boolean":
            return True
        if kind.name == "Blob":
            return b"x"
        lows = [r.limit for r in rules if isinstance(r, MinValue)]
        return max([*lows, 1])
    if isinstance(kind, Struct):
        return {
            m.name: valid(m.kind, m.rules)
            for m in kind.members
            if any(isinstance(r, NotNull | BareIfMissing) for r in m.rules)
        }
    if isinstance(kind, ListOf):
        return [valid(kind.element, kind.element_rules)]
    if isinstance(kind, MapOf):
        return {KEY: valid(kind.value, kind.value_rules)}
    return {"S": "v"}


def place(request: dict[str, Any], steps: tuple[Step, ...], value: Any) -> dict[str, Any]:
    """A copy of ``request`` with ``value`` at ``steps``, valid parents made on the way."""
    result = copy.deepcopy(request)
    holder: Any = result
    for number, step in enumerate(steps):
        key: Any = {"field": step.name, "element": 0, "value": KEY}[step.how]
        if number == len(steps) - 1:
            holder[key] = value
            break
        present = holder[key] if step.how == "element" else holder.get(key)
        if present is None:
            present = valid(step.kind, step.rules)
            holder[key] = present
        holder = present
    return result


def path_of(steps: tuple[Step, ...], modern: bool) -> str:
    """DynamoDB's path: lowerCamel names (as sent when ``modern``), ``.1.member``, ``.<key>.member``."""
    parts = []
    for step in steps:
        if step.how == "field":
            parts.append(step.name if modern else step.name[0].lower() + step.name[1:])
        else:
            parts.append(f"{1 if step.how == 'element' else KEY}.member")
    return ".".join(parts)


def label(steps: tuple[Step, ...]) -> str:
    return ".".join(step.name if step.how == "field" else "member" for step in steps)


def kind_cases() -> Iterator[Any]:
    for operation, table in TABLES.items():
        for steps in member_steps(table):
            last = steps[-1]
            for value, message in wrong_kinds(last.kind, in_collection=last.how != "field"):
                yield pytest.param(table, steps, value, message, id=f"{operation}.{label(steps)}={value!r}")


@pytest.mark.parametrize(("table", "steps", "value", "message"), list(kind_cases()))
def test_every_member_refuses_every_other_json_kind(
    table: Struct, steps: tuple[Step, ...], value: Any, message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        check_request(table, place({}, steps, value))
    assert caught.value.message == message


# --- every rule, broken alone ---------------------------------------------------------------------


def violations(step: Step, rule: Rule) -> Iterator[tuple[Any, Any, str]]:
    """(value sent, echo, text) for each way to break ``rule`` alone; echo None for ``null``."""
    kind = step.kind
    if isinstance(rule, NotNull):
        yield None, None, "Member must not be null"
    elif isinstance(rule, Enum):
        yield "bad", "bad", f"Member must satisfy enum value set: [{', '.join(rule.values)}]"
    elif isinstance(rule, MinValue):
        yield rule.limit - 1, rule.limit - 1, f"Member must have value greater than or equal to {rule.limit}"
    elif isinstance(rule, MaxValue):
        yield rule.limit + 1, rule.limit + 1, f"Member must have value less than or equal to {rule.limit}"
    elif isinstance(rule, MaxLength | MinLength):
        size = rule.limit + 1 if isinstance(rule, MaxLength) else rule.limit - 1
        if isinstance(kind, Scalar):
            sent: Any = "a" * size
        elif isinstance(kind, ListOf):
            sent = [valid(kind.element, kind.element_rules)] * size
        else:
            sent = {f"k{n}": valid(kind.value) for n in range(size)}  # type: ignore[attr-defined]
        bound = "less" if isinstance(rule, MaxLength) else "greater"
        yield sent, sent, f"Member must have length {bound} than or equal to {rule.limit}"
    elif isinstance(rule, TableName):
        yield "a" * 256, "a" * 256, "Member must have length less than or equal to 255"
        yield "bad name!", "bad name!", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        short = "a" * (rule.min_length - 1)
        yield short, short, f"Member must have length greater than or equal to {rule.min_length}"
    elif isinstance(rule, KeySchemaLength):  # CreateTable's KeySchema: echoed as Java records (CONF)
        assert isinstance(kind, ListOf)
        element = valid(kind.element, kind.element_rules)
        record = f"KeySchemaElement(attributeName={element['AttributeName']}, keyType={element['KeyType']})"
        size = rule.maximum + 1
        echo = "[" + ", ".join([record] * size) + "]"
        yield [element] * size, echo, f"Member must have length less than or equal to {rule.maximum}"
        yield [], "[]", f"Member must have length greater than or equal to {rule.minimum}"


def rule_cases() -> Iterator[Any]:
    for operation, table in TABLES.items():
        base = valid(table)
        for steps in member_steps(table):
            last = steps[-1]
            for rule in last.rules:
                for sent, echo, text in violations(last, rule):
                    yield pytest.param(
                        table, base, steps, sent, echo, text, id=f"{operation}.{label(steps)}:{text[:40]}"
                    )


@pytest.mark.parametrize(("table", "base", "steps", "sent", "echo", "text"), list(rule_cases()))
def test_every_rule_reports_its_message(
    table: Struct, base: dict[str, Any], steps: tuple[Step, ...], sent: Any, echo: Any, text: str
) -> None:
    last = steps[-1]
    request = place(base, steps, sent)
    with pytest.raises(ValidationException) as caught:
        check_request(table, request)
    where = path_of(steps, last.modern)
    if last.modern:
        violation = f"Value at '{where}' failed to satisfy constraint: {text}"
    else:
        shown = "null" if echo is None else f"'{java_repr(echo)}'"
        violation = f"Value {shown} at '{where}' failed to satisfy constraint: {text}"
    assert caught.value.message == "1 validation error detected: " + violation


def map_rule_cases() -> Iterator[Any]:
    for operation, table in TABLES.items():
        for steps in member_steps(table):
            for rule in steps[-1].rules:
                if isinstance(rule, MapKeys | MapValues | BareIfEmpty):
                    yield pytest.param(
                        table, steps, rule, id=f"{operation}.{label(steps)}:{type(rule).__name__}"
                    )


@pytest.mark.parametrize(("table", "steps", "rule"), list(map_rule_cases()))
def test_every_map_rule_reports_its_message(table: Struct, steps: tuple[Step, ...], rule: Rule) -> None:
    last = steps[-1]
    assert isinstance(last.kind, MapOf)
    entry = valid(last.kind.value, last.kind.value_rules)
    if isinstance(rule, BareIfEmpty):
        sent: Any = {}
        expected = rule.text
    elif isinstance(rule, MapKeys):
        sent = {"a!": entry}
        expected = (
            f"1 validation error detected: Value '{java_repr(sent)}' at '{path_of(steps, False)}' failed to "
            "satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal "
            "to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression "
            "pattern: [a-zA-Z0-9_.-]+]"
        )
    else:
        assert isinstance(rule, MapValues)
        sent = {KEY: [entry[0]] * 26}
        bounds = ", ".join(
            f"Member must have length {'less' if isinstance(r, MaxLength) else 'greater'} than or equal to "
            f"{r.limit}"
            for r in rule.rules
            if isinstance(r, MaxLength | MinLength)
        )
        expected = (
            f"1 validation error detected: Value '{java_repr(sent)}' at '{path_of(steps, False)}' failed to "
            f"satisfy constraint: Map value must satisfy constraint: [{bounds}]"
        )
    with pytest.raises(ValidationException) as caught:
        check_request(table, place(valid(table), steps, sent))
    assert caught.value.message == expected


@pytest.mark.parametrize("operation", TABLES)
def test_a_valid_request_passes(operation: str) -> None:
    check_request(TABLES[operation], valid(TABLES[operation]))


# --- the operations answer as their tables --------------------------------------------------------

# The operations whose parse starts with ``check_request`` and whose modules this file may pin (the
# other adopted ones have their own tests of the same kind).
ADOPTED: dict[str, Struct] = {
    "PutItem": PUT_ITEM,
    "DeleteItem": DELETE_ITEM,
    "UpdateItem": UPDATE_ITEM,
    "TransactWriteItems": TRANSACT_WRITE_ITEMS,
    "TransactGetItems": TRANSACT_GET_ITEMS,
    "Query": QUERY,
    "Scan": SCAN,
    "CreateTable": CREATE_TABLE,
}


def adopted_cases() -> Iterator[Any]:
    """Every wrong kind and every broken rule of an adopted operation's table, as whole requests."""
    for operation, table in ADOPTED.items():
        base = valid(table)
        for steps in member_steps(table):
            last = steps[-1]
            for value, _ in wrong_kinds(last.kind, in_collection=last.how != "field"):
                yield pytest.param(
                    operation, place({}, steps, value), id=f"{operation}.{label(steps)}={value!r}"
                )
            for rule in last.rules:
                for sent, _, text in violations(last, rule):
                    yield pytest.param(
                        operation, place(base, steps, sent), id=f"{operation}.{label(steps)}:{text[:40]}"
                    )


@pytest.fixture(scope="module")
def service() -> FakeDynamoDB:
    return FakeDynamoDB()  # no tables: every case is refused before any is looked up


@pytest.mark.parametrize(("operation", "body"), list(adopted_cases()))
def test_the_operation_answers_as_its_table(
    service: FakeDynamoDB, operation: str, body: dict[str, Any]
) -> None:
    with pytest.raises((SerializationException, ValidationException)) as expected:
        check_request(ADOPTED[operation], body)
    with pytest.raises(type(expected.value)) as caught:
        service.call_sync(operation, copy.deepcopy(body))
    assert caught.value.message == expected.value.message


# --- order and the envelope -----------------------------------------------------------------------

ENUM_CAPACITY = "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"


def rejected(table: Struct, request: dict[str, Any]) -> str:
    with pytest.raises(ValidationException) as caught:
        check_request(table, request)
    return caught.value.message


def enum_error(echo: str, path: str, values: str) -> str:
    return f"Value '{echo}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{values}]"


def null_error(path: str) -> str:
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


# Every member of a conditional write with a rule, broken at once (the TableName valid: a bad one is
# reported alone). Sources: dynalite's tests (run against DynamoDB) for the enums and the Item or
# Key among themselves, the 2026 capture for UpdateItem's ConditionalOperator before its Key; the
# rest is ``members.items``' stated choice.
EVERY_MEMBER = {
    "ReturnConsumedCapacity": "hi",
    "ConditionalOperator": "hi",
    "Expected": {"a": {"ComparisonOperator": "hi"}},
    "ReturnValues": "hi",
    "ReturnItemCollectionMetrics": "hi",
    "ReturnValuesOnConditionCheckFailure": "hi",
    "ConditionExpression": "a = :a",
    "ExpressionAttributeValues": {":a": {"S": "x"}},
    "ExpressionAttributeNames": {"#a": "a"},
}
CAPACITY = enum_error("hi", "returnConsumedCapacity", "INDEXES, TOTAL, NONE")
OPERATOR = enum_error("hi", "conditionalOperator", "OR, AND")
COMPARISON = enum_error(
    "hi",
    "expected.a.member.comparisonOperator",
    "IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS",
)
RETURN_VALUES = enum_error("hi", "returnValues", "ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW")
METRICS = enum_error("hi", "returnItemCollectionMetrics", "SIZE, NONE")
ON_FAILURE = enum_error("hi", "returnValuesOnConditionCheckFailure", "ALL_OLD, NONE")
ACTION = enum_error("hi", "attributeUpdates.a.member.action", "ADD, PUT, DELETE")


@pytest.mark.parametrize(
    ("operation", "extra", "order"),
    [
        (
            "PutItem",
            {},
            [CAPACITY, null_error("item"), OPERATOR, COMPARISON, RETURN_VALUES, METRICS, ON_FAILURE],
        ),
        (
            "DeleteItem",
            {},
            [CAPACITY, RETURN_VALUES, METRICS, OPERATOR, COMPARISON, null_error("key"), ON_FAILURE],
        ),
        (
            "UpdateItem",
            {"AttributeUpdates": {"a": {"Action": "hi"}}, "UpdateExpression": "SET a = :a"},
            [CAPACITY, METRICS, RETURN_VALUES, OPERATOR, COMPARISON, ACTION, null_error("key"), ON_FAILURE],
        ),
    ],
)
def test_a_conditional_write_lists_every_member_in_dynamodbs_order(
    service: FakeDynamoDB, operation: str, extra: dict[str, Any], order: list[str]
) -> None:
    request = {"TableName": "abc", **EVERY_MEMBER, **extra}
    expected = f"{len(order)} validation errors detected: " + "; ".join(order)
    assert rejected(TABLES[operation], request) == expected
    with pytest.raises(ValidationException) as caught:
        service.call_sync(operation, copy.deepcopy(request))
    assert caught.value.message == expected


def test_a_bad_table_name_is_reported_alone_before_the_envelope() -> None:
    assert rejected(GET_ITEM, {"TableName": "a" * 256 + "!", "ReturnConsumedCapacity": "hi"}) == (
        f"2 validation errors detected: Value '{'a' * 256}!' at 'tableName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255; "
        f"Value '{'a' * 256}!' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    )


@pytest.mark.parametrize(
    "name", ["arn:aws:dynamodb:us-east-1:123456789012:table/t", "a", "arn:" + "x" * 1020]
)
def test_a_data_plane_table_name_may_be_short_or_an_arn(name: str) -> None:
    check_request(GET_ITEM, {"TableName": name, "Key": {"k": {"S": "v"}}})


def test_a_table_arn_is_held_to_1024_characters() -> None:
    name = "arn:" + "x" * 1021
    assert rejected(GET_ITEM, {"TableName": name, "Key": {}}) == (
        f"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: "
        "Member must have length less than or equal to 1024"
    )


def test_a_standalone_message_comes_before_the_envelope() -> None:
    request = {"RequestItems": {}, "ReturnConsumedCapacity": "hi"}
    assert rejected(BATCH_WRITE_ITEM, request) == "The requestItems parameter is required for BatchWriteItem"


def test_a_wrong_kind_wins_over_every_constraint() -> None:
    with pytest.raises(SerializationException) as caught:
        check_request(PUT_ITEM, {"ReturnValues": "hi", "Item": {"a": {"S": "x"}, "b": {"N": 5}}})
    assert caught.value.message == "NUMBER_VALUE cannot be converted to String"


def test_the_first_wrong_kind_in_document_order_is_reported() -> None:
    request: dict[str, Any] = {"ConsistentRead": "yes", "TableName": 5}
    with pytest.raises(SerializationException) as caught:
        check_request(GET_ITEM, request)
    assert caught.value.message == "Unexpected token received from parser"
    with pytest.raises(SerializationException) as caught:
        check_request(GET_ITEM, dict(reversed(request.items())))
    assert caught.value.message == "NUMBER_VALUE cannot be converted to String"


def test_members_a_table_does_not_declare_are_ignored() -> None:
    request: dict[Any, Any] = {"TableName": "tbl", "Key": {"k": {"S": "v"}}, "Unknown": [1, {}], 5: "x"}
    check_request(GET_ITEM, request)


def test_the_envelope_counts_every_violation_and_lists_ten() -> None:
    request = {"RequestItems": {KEY: [None] * 30}}
    message = rejected(BATCH_WRITE_ITEM, request)
    assert message.startswith("31 validation errors detected: ")
    assert message.count("; ") == 9
    assert f"Value null at 'requestItems.{KEY}.member.9.member' failed" in message


def test_a_null_list_element_is_reported_at_its_position() -> None:
    request = {"RequestItems": {KEY: [{"PutRequest": {"Item": {"k": {"S": "v"}}}}, None]}}
    assert rejected(BATCH_WRITE_ITEM, request) == (
        f"1 validation error detected: Value null at 'requestItems.{KEY}.member.2.member' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_a_write_request_reports_its_delete_before_its_put() -> None:
    request: dict[str, Any] = {"RequestItems": {KEY: [{"PutRequest": {}, "DeleteRequest": {}}]}}
    assert rejected(BATCH_WRITE_ITEM, request) == (
        f"2 validation errors detected: Value null at 'requestItems.{KEY}.member.1.member.deleteRequest.key' "
        "failed to satisfy constraint: Member must not be null; "
        f"Value null at 'requestItems.{KEY}.member.1.member.putRequest.item' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_query_limit_is_reported_by_the_newer_validator_and_scan_limit_by_the_older() -> None:
    assert rejected(QUERY, {"TableName": "tbl", "Limit": 0}) == (
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )
    assert rejected(SCAN, {"TableName": "tbl", "Limit": 0}) == (
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


def test_select_lists_its_values_as_dynamodb_prints_them() -> None:
    assert rejected(QUERY, {"TableName": "tbl", "Select": "X"}) == (
        "1 validation error detected: Value 'X' at 'select' failed to satisfy constraint: Member must satisfy "
        "enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
    )


def test_a_transaction_action_reports_its_table_name_in_the_envelope() -> None:
    request = {
        "TransactItems": [{"Put": {"TableName": "", "Item": {"k": {"S": "v"}}}}],
        "ReturnConsumedCapacity": "x",
    }
    assert rejected(TRANSACT_WRITE_ITEMS, request) == (
        f"2 validation errors detected: Value 'x' at 'returnConsumedCapacity' failed to satisfy constraint: "
        f"{ENUM_CAPACITY}; Value '' at 'transactItems.1.member.put.tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_a_map_key_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(SerializationException) as caught:
        check_request(GET_ITEM, {"TableName": "tbl", "Key": {1: {"S": "v"}}})
    assert caught.value.message == "Map keys must be strings"


def test_a_wrong_kind_deep_in_an_attribute_value_is_found() -> None:
    value: dict[str, Any] = {"S": 5}
    for _ in range(30):
        value = {"L": [{"M": {"x": value}}]} if len(str(value)) % 2 else {"M": {"x": value}}
    with pytest.raises(SerializationException) as caught:
        check_request(PUT_ITEM, {"TableName": "tbl", "Item": {"a": value}})
    assert caught.value.message == "NUMBER_VALUE cannot be converted to String"


def test_a_value_nested_past_the_limit_is_left_to_the_nesting_rule() -> None:
    value: dict[str, Any] = {"S": 5}
    for _ in range(40):
        value = {"M": {"x": value}}
    check_request(PUT_ITEM, {"TableName": "tbl", "Item": {"a": value}})  # values.py refuses the nesting


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ({"B": []}, None, "Unrecognized collection type class java.nio.ByteBuffer"),
        ({"BS": [5]}, None, "only base-64-encoded strings are convertible to bytes"),
        ({"NS": ["1", True]}, None, "TRUE_VALUE cannot be converted to String"),
        ({"NULL": "true"}, None, "Unexpected token received from parser"),
        ({"L": [5]}, None, VALUE),
        ({"L": [[]]}, None, f"Unrecognized collection type class {MODEL}AttributeValue"),
        ({"M": {"x": []}}, None, f"Unrecognized collection type class {MODEL}AttributeValue"),
        ({"SS": {}}, None, START_OF_OBJECT),
    ],
)
def test_attribute_value_kinds(kind: dict[str, Any], value: Any, message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        check_request(PUT_ITEM, {"TableName": "tbl", "Item": {"a": kind}})
    assert caught.value.message == message


def test_a_legacy_value_is_an_attribute_value_in_a_field() -> None:
    with pytest.raises(SerializationException) as caught:
        check_request(PUT_ITEM, {"TableName": "tbl", "Item": {}, "Expected": {"a": {"Value": "x"}}})
    assert caught.value.message == FIELD


def test_member_lookup() -> None:
    assert GET_ITEM.member("Key").rules == (NotNull(),)
    assert isinstance(GET_ITEM.member("Key").kind, MapOf)
    assert GET_ITEM.member("Key").kind.value is ATTRIBUTE_VALUE  # type: ignore[attr-defined]
    assert isinstance(Member("X", ATTRIBUTE_VALUE).kind, Kind)


def test_the_limits_are_read_from_one_module() -> None:
    from aiodynamodb_fake import limits, values
    from aiodynamodb_fake.operations import batch_get_item, batch_write_item

    assert values.MAX_ITEM_SIZE == limits.MAX_ITEM_SIZE == 409_600
    assert values.MAX_NESTING == limits.MAX_NESTING == 32
    assert batch_write_item.MAX_WRITES == limits.MAX_BATCH_WRITES == 25
    assert batch_get_item.MAX_KEYS == limits.MAX_BATCH_GET_KEYS == 100
    from aiodynamodb_fake import expressions, http_body
    from aiodynamodb_fake import keys as key_module
    from aiodynamodb_fake._strategies import requests as strategy_requests
    from aiodynamodb_fake.expressions import ast
    from aiodynamodb_fake.operations import _transactions, transact_write_items

    assert key_module.MAX_HASH_KEY_BYTES == limits.MAX_HASH_KEY_BYTES == 2048
    assert key_module.MAX_RANGE_KEY_BYTES == limits.MAX_RANGE_KEY_BYTES == 1024
    assert expressions.MAX_EXPRESSION_BYTES == limits.MAX_EXPRESSION_BYTES == 4096
    assert expressions.MAX_NESTING_LEVELS == limits.MAX_NESTING == 32
    assert ast.MAX_IN_OPERANDS == limits.MAX_IN_OPERANDS == 100
    assert _transactions.MAX_ACTIONS == limits.MAX_TRANSACT_ITEMS == 100
    assert _transactions.MAX_TRANSACTION_BYTES == limits.MAX_TRANSACTION_BYTES == 4 * 1024 * 1024
    assert _transactions.TOKEN_LIFETIME == limits.CLIENT_REQUEST_TOKEN_SECONDS == 600
    assert transact_write_items.MAX_TOKEN_LENGTH == limits.MAX_CLIENT_REQUEST_TOKEN == 36
    assert http_body.MAX_REQUEST_BYTES == limits.MAX_REQUEST_BYTES == 16 * 1024 * 1024
    assert strategy_requests.MAX_BATCH_WRITES == limits.MAX_BATCH_WRITES
    assert strategy_requests.MAX_BATCH_GET_KEYS == limits.MAX_BATCH_GET_KEYS
    items = TRANSACT_WRITE_ITEMS.member("TransactItems")
    assert MaxLength(limits.MAX_TRANSACT_ITEMS) in items.rules
    keys = BATCH_GET_ITEM.member("RequestItems").kind.value.member("Keys")  # type: ignore[attr-defined]
    assert MaxLength(limits.MAX_BATCH_GET_KEYS) in keys.rules


# --- CreateTable ------------------------------------------------------------------------------------


def test_create_table_reports_a_missing_table_name_alone() -> None:
    request = {"AttributeDefinitions": [{}], "KeySchema": [], "BillingMode": "x"}
    assert rejected(CREATE_TABLE, request) == (
        "The parameter 'TableName' is required but was not present in the request"
    )  # dynalite "no TableName", CONF


def _model_kind(shape: Any) -> str:
    """A botocore shape as this file names kinds: ``String``, ``List<...>``, ``Tag{Key, Value}``."""
    if shape.type_name == "structure":
        members = ", ".join(
            f"{name}: {_model_kind(member)}" for name, member in sorted(shape.members.items())
        )
        return f"{shape.name}{{{members}}}"
    if shape.type_name == "list":
        return f"List<{_model_kind(shape.member)}>"
    return {"string": "String", "long": "Long", "boolean": "Boolean"}[shape.type_name]


def _table_kind(kind: Kind) -> str:
    if isinstance(kind, Struct):
        members = ", ".join(
            f"{m.name}: {_table_kind(m.kind)}" for m in sorted(kind.members, key=lambda m: m.name)
        )
        return f"{kind.shape}{{{members}}}"
    if isinstance(kind, ListOf):
        return f"List<{_table_kind(kind.element)}>"
    assert isinstance(kind, Scalar)
    return kind.name


def test_create_table_declares_every_member_botocore_models() -> None:
    from aiodynamodb_fake.wire import service_model

    shape = service_model().operation_model("CreateTable").input_shape
    assert _table_kind(CREATE_TABLE) == _model_kind(shape)


# --- the kind walk deferred to the values' validation (``deferring``) ---------------------------------

PUT_ITEM_DEFERRAL = deferring(PUT_ITEM, ITEM)


def test_a_deferral_leaves_out_only_the_attribute_maps_it_names() -> None:
    assert [m.name for m in PUT_ITEM_DEFERRAL.lean.members] == [
        m.name for m in PUT_ITEM.members if m.name != "Item"
    ]
    assert TABLE_NAME in PUT_ITEM_DEFERRAL.lean.members  # the same objects where nothing is deferred
    assert PUT_ITEM_DEFERRAL.lean.member("Expected") is PUT_ITEM.member("Expected")
    writes = deferring(BATCH_WRITE_ITEM, ITEM, KEY_MEMBER).lean
    write_request = writes.member("RequestItems").kind.value.element  # type: ignore[attr-defined]
    assert [m.kind.members for m in write_request.members] == [(), ()]  # DeleteRequest, PutRequest
    keys = KEYS_AND_ATTRIBUTES.member("Keys")
    reads = deferring(BATCH_GET_ITEM, keys).lean
    lean_keys = reads.member("RequestItems").kind.value.member("Keys")  # type: ignore[attr-defined]
    assert isinstance(lean_keys.kind, ListOf)  # the list is still walked, its keys are not
    assert lean_keys.kind.element is not keys.kind.element  # type: ignore[attr-defined]


def test_a_member_the_table_lacks_cannot_be_deferred() -> None:
    with pytest.raises(ValueError, match=r"GetItemInput has no member \['Item'\]"):
        deferring(GET_ITEM, ITEM)


def test_a_wrong_kind_inside_a_deferred_item_waits_for_the_body() -> None:
    request = {"TableName": "tbl", "Item": {"a": {"S": 5}}}
    with PUT_ITEM_DEFERRAL.checking(request):
        pass  # the contract: a body that returns has validated the Item (here: it did not)
    with pytest.raises(SerializationException) as caught, PUT_ITEM_DEFERRAL.checking(request):
        raise ValidationException("the body's own error")
    assert caught.value.message == "NUMBER_VALUE cannot be converted to String"
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("error", [ValidationException("body"), KeyError("x"), TypeError("y")])
def test_the_body_s_error_stands_when_every_kind_is_right(error: Exception) -> None:
    with pytest.raises(type(error)) as caught, PUT_ITEM_DEFERRAL.checking({"TableName": "tbl", "Item": {}}):
        raise error
    assert caught.value is error


def test_a_constraint_waits_for_a_wrong_kind_inside_a_deferred_item() -> None:
    request = {"ReturnValues": "bad", "TableName": "x", "Item": {"a": {"L": [None, 5]}}}
    with pytest.raises(SerializationException) as caught, PUT_ITEM_DEFERRAL.checking(request):
        pytest.fail("the body must not run")
    assert caught.value.message == VALUE
    with pytest.raises(ValidationException) as envelope, PUT_ITEM_DEFERRAL.checking({"ReturnValues": "bad"}):
        pytest.fail("the body must not run")
    assert envelope.value.message == rejected(PUT_ITEM, {"ReturnValues": "bad"})


@pytest.mark.parametrize("item_first", [True, False])
def test_the_first_wrong_kind_in_document_order_wins_over_a_deferred_one(item_first: bool) -> None:
    members: list[tuple[str, Any]] = [("Item", {"a": {"NULL": "true"}}), ("ReturnValues", 5)]
    request = dict(members if item_first else reversed(members))
    with pytest.raises(SerializationException) as expected:
        check_request(PUT_ITEM, request)
    with pytest.raises(SerializationException) as caught, PUT_ITEM_DEFERRAL.checking(request):
        pytest.fail("the body must not run")
    assert caught.value.message == expected.value.message
    assert caught.value.message == (
        "Unexpected token received from parser"
        if item_first
        else "NUMBER_VALUE cannot be converted to String"
    )


# Wrong inside an AttributeValue: the kind walk refuses each (but a null, which it passes over, and
# anything past the nesting it reads); ``validate_item`` must refuse every one, if with another
# error, or a deferred walk would let it through.
WRONG_INSIDE: list[Any] = [
    None, 5, "S", [], {"S": 5}, {"S": b"x"}, {"N": 1}, {"B": 5}, {"B": []}, {"BOOL": "true"}, {"BOOL": 1},
    {"NULL": "true"}, {"SS": "a"}, {"SS": ["a", None]}, {"SS": ["a", 1]}, {"NS": ["1", True]},
    {"BS": [5]}, {"BS": [b"a", None]}, {"BS": {}}, {"L": {}}, {"L": [None]}, {"L": [5]}, {"L": [[]]},
    {"M": []}, {"M": {"x": None}}, {"M": {"x": []}}, {"M": {1: {"S": "a"}}}, {"Q": 1, "S": 5},
    {"S": "a", "N": 5}, {"S": "a", "L": [None]}, {"L": [{"M": {"x": {"SS": [None]}}}]},
]  # fmt: skip


@pytest.mark.parametrize("value", WRONG_INSIDE, ids=repr)
@pytest.mark.parametrize("depth", [0, 1, 5, 30, 31, 32])
def test_validate_item_refuses_every_wrong_kind_the_walk_refuses(value: Any, depth: int) -> None:
    has_null = "None" in repr(value)
    for level in range(depth):
        value = {"M": {"x": value}} if level % 2 else {"L": [value]}
    item = {"k": {"S": "a"}, "a": value}
    if depth <= 30 and not has_null:
        with pytest.raises(SerializationException):
            check_request(PUT_ITEM, {"TableName": "tbl", "Item": item})
    with pytest.raises((SerializationException, ValidationException)):
        validate_item(item, 400 * 1024)
    with pytest.raises((SerializationException, ValidationException)):
        validate_item({"big": {"S": "x" * 500_000}, **item}, 400 * 1024)  # past the size: checked, not copied


@pytest.mark.parametrize(
    ("operation", "request_", "message"),
    [
        ("PutItem", {"Item": {"a": {"S": 5}}, "TableName": "x", "ReturnValues": "ALL_NEW"}, "NUMBER_VALUE cannot be converted to String"),
        ("PutItem", {"TableName": "tbl", "ReturnValues": "ALL_NEW", "Item": {"a": {"L": [{"N": True}]}}}, "TRUE_VALUE cannot be converted to String"),
        ("BatchWriteItem", {"RequestItems": {"tbl": [{"PutRequest": {"Item": {"a": {"S": str(n)}}}} for n in range(25)] + [{"DeleteRequest": {"Key": {"a": {"SS": [1]}}}}]}}, "NUMBER_VALUE cannot be converted to String"),
        ("BatchWriteItem", {"RequestItems": {"tbl": [{"PutRequest": {"Item": {"a": {"S": "a"}}}}, {"PutRequest": {"Item": {"a": {"BOOL": "x"}}}}], "x": []}}, "Unexpected token received from parser"),
        ("BatchGetItem", {"RequestItems": {"tbl": {"Keys": [{"a": {"S": "a"}}, {"a": {"S": "a"}}, {"a": {"M": {"x": 5}}}]}}}, VALUE),
    ],
)  # fmt: skip
def test_the_operations_report_a_deferred_wrong_kind_first(
    service: FakeDynamoDB, operation: str, request_: dict[str, Any], message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        service.call_sync(operation, request_)
    assert caught.value.message == message
