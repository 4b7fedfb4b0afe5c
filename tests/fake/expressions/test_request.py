"""Tests for one request's expressions checked together (``request.py``, reference §7.5).

Sections: ExpressionAttributeValues contents, the order of the expressions, the unused-names and
unused-values checks across all of them, what the result holds.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions import (
    KeyCondition,
    RequestExpressions,
    normalise_attribute_values,
    parse_expressions,
    validate_expression_attribute_names,
    validate_expression_attribute_values,
)
from aiodynamodb_fake.schema import KeySchema

N1 = {"N": "1"}


def error(**request: Any) -> str:
    with pytest.raises(ValidationException) as err:
        parse_expressions(**{"names": None, "values": None, **request})
    return str(err.value.message)


# --- ExpressionAttributeValues contents ----------------------------------------------------------


def test_values_are_validated_and_normalised() -> None:
    assert normalise_attribute_values({":a": {"N": "1.50"}, ":b": {"B": "YQ=="}}) == {
        ":a": {"N": "1.5"},
        ":b": {"B": b"YQ=="},  # botocore sends bytes; a str is taken as its UTF-8 bytes
    }
    assert normalise_attribute_values(None) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"N": "x"}, "The parameter cannot be converted to a numeric value: x"),
        ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
        (
            {"NULL": False},
            "One or more parameter values were invalid: Null attribute value types must have the value of true",
        ),
    ],
)
def test_an_invalid_value_names_its_key(value: Any, message: str) -> None:
    assert error(values={":ok": N1, ":bad": value}, condition="a = :ok AND b = :bad") == (
        f"ExpressionAttributeValues contains invalid value: {message} for key :bad"
    )


def test_a_value_of_the_wrong_json_kind_is_a_serialization_error() -> None:
    with pytest.raises(SerializationException):
        parse_expressions(names=None, values={":a": {"S": 5}}, condition="a = :a")


def test_values_are_checked_before_any_expression() -> None:
    assert error(values={":a": {"N": ""}}, update="INVALID").startswith(
        "ExpressionAttributeValues contains invalid value"
    )


# --- the order of the expressions ----------------------------------------------------------------


BAD = {
    "update": ("SET", "Invalid UpdateExpression: "),
    "condition": ("a =", "Invalid ConditionExpression: "),
    "key_condition": ("pk =", "Invalid KeyConditionExpression: "),
    "filter": ("f =", "Invalid FilterExpression: "),
    "projection": ("p,", "Invalid ProjectionExpression: "),
}


@pytest.mark.parametrize("first", list(BAD))
def test_expressions_are_checked_in_dynamodb_order(first: str) -> None:
    order = list(BAD)
    request = {kind: BAD[kind][0] if order.index(kind) >= order.index(first) else None for kind in order}
    request = {kind: text for kind, text in request.items() if text is not None}
    assert error(**request).startswith(BAD[first][1] + "Syntax error")


def test_unused_names_come_after_every_expression_then_unused_values() -> None:
    names = {"#a": "a", "#unused": "u"}
    values = {":v": N1, ":unused": N1}
    assert error(names=names, values=values, condition="#a = :v", projection="p,").startswith(
        "Invalid ProjectionExpression"
    )
    assert error(names=names, values=values, condition="#a = :v") == (
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"
    )
    assert error(names={"#a": "a"}, values=values, condition="#a = :v") == (
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    )


def test_unused_keys_are_listed_in_request_order() -> None:
    assert error(names={"#z": "z", "#a": "a", "#y": "y"}, values={":v": N1}, condition="#a = :v") == (
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#z, #y}"
    )


def test_a_name_or_value_used_by_any_expression_counts() -> None:
    names = {"#c": "c", "#k": "pk", "#f": "f", "#p": "p", "#u": "u"}
    values = {":c": N1, ":k": {"S": "k"}, ":f": N1, ":u": N1}
    result = parse_expressions(
        names=names,
        values=values,
        update="SET #u = :u",
        condition="#c = :c",
        key_condition="#k = :k",
        filter="#f = :f OR #c = :c",
        projection="#p",
    )
    assert result.key_terms is not None
    assert result.key_terms.bind(KeySchema("pk", "S")) == KeyCondition("pk", {"S": "k"}, None)
    assert result.values == values
    assert result.projection is not None and result.update is not None
    assert result.filter is not None and result.filter.evaluate({"f": N1})


def test_values_not_used_by_the_projection() -> None:
    # a projection takes no values: one that only it could use is unused
    assert error(values={":v": N1}, projection="a") == (
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
    )


def test_the_key_condition_shape_is_checked_after_the_unused_checks() -> None:
    assert error(values={":v": N1, ":unused": N1}, key_condition="a = :v OR b = :v") == (
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    )
    assert error(values={":v": N1}, key_condition="a = :v OR b = :v") == (
        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR"
    )


def test_works_with_the_validated_maps() -> None:
    names = validate_expression_attribute_names({"#a": "a"})
    values = validate_expression_attribute_values({":v": {"N": "01"}})
    result = parse_expressions(names=names, values=values, condition="#a = :v")
    assert result.condition is not None and result.condition.evaluate({"a": {"N": "1"}})
    assert parse_expressions(names=None, values=None) == RequestExpressions()  # nothing parsed, all None
