"""One wording for a wrong JSON kind, whichever path reads the value (issue 8 §1).

The same value where a string is expected gets the same SerializationException from a top-level
member, an AttributeValue in an item, an ExpressionAttributeNames value, an expression, and the
shared ``shapes.expect_*`` readers: all of them word it with ``members/kinds.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import SerializationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.expressions import require_str, validate_expression_attribute_names
from aiodynamodb_fake.members import kinds
from aiodynamodb_fake.shapes import expect_bool, expect_int, expect_list, expect_map, expect_str
from aiodynamodb_fake.values import validate_item, validate_value
from tests.fake.operations.builders import create_table, key

STRING_TEXTS = [
    (True, "TRUE_VALUE cannot be converted to String"),
    (False, "FALSE_VALUE cannot be converted to String"),
    (7, "NUMBER_VALUE cannot be converted to String"),
    (7.5, "DECIMAL_VALUE cannot be converted to String"),
    (["x"], "Unrecognized collection type class java.lang.String"),
    ({"x": 1}, "Start of structure or map found where not expected"),
]


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB()


@pytest.fixture
def table(fake: FakeDynamoDB) -> str:
    return create_table(fake, "items")  # pk S, sk N


def refused(call: Any) -> str:
    with pytest.raises(SerializationException) as caught:
        call()
    return caught.value.message


@pytest.mark.parametrize(("value", "message"), STRING_TEXTS)
def test_every_path_words_a_wrong_kind_alike(
    fake: FakeDynamoDB, table: str, value: Any, message: str
) -> None:
    paths = {
        "PutItem item value": lambda: fake.call_sync(
            "PutItem", {"TableName": table, "Item": {"pk": {"S": value}}}
        ),
        "GetItem ExpressionAttributeNames": lambda: fake.call_sync(
            "GetItem",
            {
                "TableName": table,
                "Key": key("a", 1),
                "ProjectionExpression": "#a",
                "ExpressionAttributeNames": {"#a": value},
            },
        ),
        "GetItem ProjectionExpression": lambda: fake.call_sync(
            "GetItem", {"TableName": table, "Key": key("a", 1), "ProjectionExpression": value}
        ),
        "GetItem TableName": lambda: fake.call_sync("GetItem", {"TableName": value, "Key": key("a", 1)}),
        "BatchGetItem key value": lambda: fake.call_sync(
            "BatchGetItem", {"RequestItems": {table: {"Keys": [{"pk": {"S": value}, "sk": {"N": "1"}}]}}}
        ),
        "DescribeTable TableName": lambda: fake.call_sync("DescribeTable", {"TableName": value}),
        "ListTables ExclusiveStartTableName": lambda: fake.call_sync(
            "ListTables", {"ExclusiveStartTableName": value}
        ),
        "values.validate_value": lambda: validate_value({"S": value}),
        "values.validate_item": lambda: validate_item({"a": {"N": value}}),
        "names.validate_expression_attribute_names": lambda: validate_expression_attribute_names(
            {"#a": value}
        ),
        "names.require_str": lambda: require_str(value, "X"),
        "shapes.expect_str": lambda: expect_str(value, "X"),
    }
    assert {name: refused(call) for name, call in paths.items()} == dict.fromkeys(paths, message)


def test_the_issues_two_examples_now_agree(fake: FakeDynamoDB, table: str) -> None:
    put = refused(lambda: fake.call_sync("PutItem", {"TableName": table, "Item": {"pk": {"S": True}}}))
    get = refused(
        lambda: fake.call_sync(
            "GetItem",
            {
                "TableName": table,
                "Key": key("a", 1),
                "ProjectionExpression": "#a",
                "ExpressionAttributeNames": {"#a": True},
            },
        )
    )
    assert put == get == "TRUE_VALUE cannot be converted to String"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: expect_bool("yes", "X"), "Unexpected token received from parser"),
        (lambda: expect_bool(1, "X"), "NUMBER_VALUE cannot be converted to Boolean"),
        (lambda: expect_int("1", "X"), "STRING_VALUE cannot be converted to Integer"),
        (lambda: expect_int(True, "X", long=True), "TRUE_VALUE cannot be converted to Long"),
        (lambda: expect_int(1.5, "X"), "DECIMAL_VALUE cannot be converted to Integer"),
        (lambda: expect_int(2**63, "X"), "NUMBER_VALUE cannot be converted to Long"),
        (lambda: expect_list("x", "X"), "Unexpected field type"),
        (lambda: expect_list({}, "X"), "Start of structure or map found where not expected"),
        (lambda: expect_map(5, "StreamSpecification"), "Unexpected field type"),
        (
            lambda: expect_map([], "StreamSpecification"),
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.StreamSpecification",
        ),
        (
            lambda: expect_map([], "Item"),
            "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
        ),
        (
            lambda: expect_map([], "ExpressionAttributeNames"),
            "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>",
        ),
        (lambda: expect_map({1: "a"}, "X"), "Map keys must be strings"),
        (lambda: expect_str(b"x", "Thing"), "Thing must be a string, not bytes"),
        (lambda: validate_value(None), "A value must be a map, not NoneType"),
        (lambda: validate_value({"B": 5}), "only base-64-encoded strings are convertible to bytes"),
    ],
)
def test_the_shared_readers(call: Any, message: str) -> None:
    assert refused(call) == message


@pytest.mark.parametrize(
    ("value", "target", "message"),
    [
        (1, kinds.map_of("AttributeValue", in_collection=True), kinds.PARAMETERIZED),
        (1, kinds.Target("List", in_collection=True), kinds.PARAMETERIZED),
        ("x", kinds.structure("Put", in_collection=True), "Unexpected value type in payload"),
        ("x", kinds.structure("Put"), "Unexpected field type"),
        (object(), kinds.LIST, "A value must be a list, not object"),
    ],
)
def test_kind_message_by_position(value: Any, target: kinds.Target, message: str) -> None:
    assert kinds.kind_message(value, target) == message
    assert kinds.wrong_kind(value, target).message == message
