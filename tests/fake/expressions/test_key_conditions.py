"""Tests for KeyConditionExpression (``key_conditions.py``): its shape, its key schema, its key range.

Sections: condition errors under the KeyConditionExpression prefix, shape errors (dynalite's tests,
which ran against DynamoDB), schema errors, the resulting ``KeyCondition`` and its range.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake.expressions import KeyCondition, SortKeyCondition, key_terms, parse_condition
from aiodynamodb_fake.key_range import sort_bounds
from aiodynamodb_fake.schema import KeySchema

P = "Invalid KeyConditionExpression: "
COMPOSITE = KeySchema("pk", "S", "sk", "N")
HASH_ONLY = KeySchema("a", "S")
STRING_RANGE = KeySchema("pk", "S", "sk", "S")
BINARY_RANGE = KeySchema("pk", "B", "sk", "B")
VALUES: dict[str, Any] = {
    ":p": {"S": "x"},
    ":n": {"N": "3"},
    ":m": {"N": "5"},
    ":s": {"S": "a"},
    ":b": {"B": b"\x01"},
    ":t": {"S": "S"},
}


def bound(
    expression: str, schema: KeySchema = COMPOSITE, values: Any = None, names: Any = None
) -> KeyCondition:
    condition = parse_condition(
        expression, names, VALUES if values is None else values, "KeyConditionExpression"
    )
    return key_terms(condition).bind(schema)


def error(expression: str, schema: KeySchema = COMPOSITE, values: Any = None) -> str:
    with pytest.raises(ValidationException) as err:
        bound(expression, schema, values)
    return str(err.value.message)


# --- errors any condition can have ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("pk = :p AND", 'Syntax error; token: "<EOF>", near: "AND"'),
        ("a > 4", 'Syntax error; token: "4", near: "> 4"'),
        ("pk = :q", "An expression attribute value used in expression is not defined; attribute value: :q"),
        ("dog(pk, :p)", "Invalid function name; function: dog"),
        ("BEGINS_WITH(pk, :p)", "Invalid function name; function: BEGINS_WITH"),
        ("((pk = :p) AND ((sk = :n)))", "The expression has redundant parentheses;"),
        (
            "pk = :p AND begins_with(sk, :n)",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "attribute_type(a, :n)",
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
        ),
        (
            "pk BETWEEN :m AND :n",
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:3}",
        ),
    ],
)
def test_condition_errors(expression: str, message: str) -> None:
    assert error(expression) == P + message


# --- the shape of a key condition ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("pk = :p OR sk = :n", "Invalid operator used in KeyConditionExpression: OR"),
        ("a > b and size(b) > c or a > c", "Invalid operator used in KeyConditionExpression: OR"),
        ("NOT pk = :p", "Invalid operator used in KeyConditionExpression: NOT"),
        ("pk = :p AND NOT sk = :n", "Invalid operator used in KeyConditionExpression: NOT"),
        ("a in (b, size(c), d)", "Invalid operator used in KeyConditionExpression: IN"),
        ("a <> b", "Invalid operator used in KeyConditionExpression: <>"),
        ("attribute_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
        ("attribute_not_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_not_exists"),
        ("attribute_type(a, :t)", "Invalid operator used in KeyConditionExpression: attribute_type"),
        ("contains(a.d, b)", "Invalid operator used in KeyConditionExpression: contains"),
        ("size(b) > a AND a.b > b AND b > c", "KeyConditionExpressions cannot contain nested operations"),
        ("a > size(b.d)", "KeyConditionExpressions cannot contain nested operations"),
        ("a between size(b) and size(a)", "KeyConditionExpressions cannot contain nested operations"),
        (
            ":n between size(b) and size(a) and b > :n",
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
        ),
        (
            "begins_with(:s, b) and a > :s",
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
        ),
        (
            "b > a.b",
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        (
            "b between c[1] and d",
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        (
            "a between b and size(a)",
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        (
            "begins_with(a, b)",
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        ("b.d > a AND c.d > e.f", "KeyConditionExpressions cannot have conditions on nested attributes"),
        ("a.d > c", "KeyConditionExpressions cannot have conditions on nested attributes"),
        ("b[0] > a", "KeyConditionExpressions cannot have conditions on nested attributes"),
        ("pk = :p AND #s.foo = :n", "KeyConditionExpressions cannot have conditions on nested attributes"),
        (":n > :m AND a < :m", "Invalid condition in KeyConditionExpression: No key attribute specified"),
        (":n > b AND :n < :m", "Invalid condition in KeyConditionExpression: No key attribute specified"),
        (
            "b > :n AND b < :n and c = :n and d = :n",
            "KeyConditionExpressions must only contain one condition per key",
        ),
        (
            "(a > :n and b > :n) and (b > :n and c > :n)",
            "KeyConditionExpressions must only contain one condition per key",
        ),
        ("pk = :p AND pk = :p", "KeyConditionExpressions must only contain one condition per key"),
    ],
)
def test_shape_errors(expression: str, message: str) -> None:
    with pytest.raises(ValidationException) as err:
        condition = parse_condition(
            expression, {"#s": "sk"} if "#s" in expression else None, VALUES, "KeyConditionExpression"
        )
        key_terms(condition)
    assert err.value.message == P + message


@pytest.mark.parametrize(
    "expression",
    [":n = a and b = :n and :n = c", "(a > :n and b > :n) and (c > :n and d > :n) and (e > :n and f > :n)"],
)
def test_more_than_two_conditions(expression: str) -> None:
    with pytest.raises(ValidationException) as err:
        key_terms(parse_condition(expression, None, VALUES, "KeyConditionExpression"))
    assert err.value.message == "Conditions can be of length 1 or 2 only"


# --- the key schema ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "schema", "message"),
    [
        ("sk = :n", COMPOSITE, "Query condition missed key schema element: pk"),
        ("attr1 = :p", COMPOSITE, "Query condition missed key schema element: pk"),
        ("y = :p and z = :p", COMPOSITE, "Query condition missed key schema element: pk"),
        ("pk = :p AND attr1 = :n", COMPOSITE, "Query condition missed key schema element: sk"),
        ("y = :s and z = :s", HASH_ONLY, "Query key condition not supported"),
        ("a = :s AND b = :s", HASH_ONLY, "Query key condition not supported"),
        ("a > :s", HASH_ONLY, "Query key condition not supported"),
        (":s <= a", HASH_ONLY, "Query key condition not supported"),
        ("begins_with(a, :s)", HASH_ONLY, "Query key condition not supported"),
        ("a between :s and :s", HASH_ONLY, "Query key condition not supported"),
        ("pk > :p AND sk < :n", COMPOSITE, "Query key condition not supported"),
        (
            ":n > a",
            HASH_ONLY,
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        (
            "pk = :n",
            COMPOSITE,
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        (
            "pk = :p AND sk = :s",
            COMPOSITE,
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        (
            "pk = :p AND begins_with(sk, :s)",
            COMPOSITE,
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        (
            "pk = :p AND sk BETWEEN :n AND :m",
            STRING_RANGE,
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
    ],
)
def test_schema_errors(expression: str, schema: KeySchema, message: str) -> None:
    assert error(expression, schema) == message


# --- the key condition and its range --------------------------------------------------------------


def test_partition_key_only() -> None:
    condition = bound("pk = :p")
    assert condition == KeyCondition("pk", {"S": "x"}, None)
    assert condition.hash_sort_value == "x"
    assert bound("#k = :p", names={"#k": "pk"}) == condition
    assert bound("(pk = :p)") == condition


@pytest.mark.parametrize(
    ("expression", "operator", "values", "expected_range"),
    [
        ("pk = :p AND sk = :n", "=", ("3",), (Decimal(3), Decimal(3), True, True, None)),
        ("pk = :p AND sk < :n", "<", ("3",), (None, Decimal(3), False, False, None)),
        ("pk = :p AND sk <= :n", "<=", ("3",), (None, Decimal(3), False, True, None)),
        ("pk = :p AND sk > :n", ">", ("3",), (Decimal(3), None, False, False, None)),
        ("pk = :p AND sk >= :n", ">=", ("3",), (Decimal(3), None, True, False, None)),
        (
            "pk = :p AND sk BETWEEN :n AND :m",
            "BETWEEN",
            ("3", "5"),
            (Decimal(3), Decimal(5), True, True, None),
        ),
        (":p = pk AND :n < sk", ">", ("3",), (Decimal(3), None, False, False, None)),
        (":n >= sk AND pk = :p", "<=", ("3",), (None, Decimal(3), False, True, None)),
        ("((sk = :n) AND (pk = :p))", "=", ("3",), (Decimal(3), Decimal(3), True, True, None)),
        (
            "pk = :p aNd sk bEtWeEn :n AnD :m",
            "BETWEEN",
            ("3", "5"),
            (Decimal(3), Decimal(5), True, True, None),
        ),
    ],
)
def test_sort_key_conditions(
    expression: str, operator: str, values: tuple[str, ...], expected_range: tuple[Any, ...]
) -> None:
    condition = bound(expression)
    assert condition.hash_value == {"S": "x"}
    assert condition.sort == SortKeyCondition("sk", operator, tuple({"N": value} for value in values))  # type: ignore[arg-type]  # a KeyOperator
    assert condition.sort.range() == expected_range


def test_begins_with_on_string_and_binary_sort_keys() -> None:
    text = bound("pk = :p AND begins_with(sk, :s)", STRING_RANGE).sort
    assert text is not None and text.range() == (None, None, False, False, "a")
    assert text.matches("abc") and text.matches("a") and not text.matches("b") and not text.matches(b"a")
    assert sort_bounds(*text.range()) == (("a", True), ("b", False))
    values = {":p": {"B": b"k"}, ":b": {"B": b"\x01"}}
    binary = bound("pk = :p AND begins_with(sk, :b)", BINARY_RANGE, values).sort
    assert binary is not None and binary.range()[4] == b"\x01"
    assert binary.matches(b"\x01\xff") and not binary.matches(b"\x02")


@pytest.mark.parametrize(
    ("expression", "inside", "outside"),
    [
        ("pk = :p AND sk = :n", [3], [2, 4]),
        ("pk = :p AND sk < :n", [2, -10], [3, 4]),
        ("pk = :p AND sk <= :n", [3, 2], [4]),
        ("pk = :p AND sk > :n", [4], [3, 2]),
        ("pk = :p AND sk >= :n", [3, 4], [2]),
        ("pk = :p AND sk BETWEEN :n AND :m", [3, 4, 5], [2, 6]),
    ],
)
def test_matches(expression: str, inside: list[int], outside: list[int]) -> None:
    sort = bound(expression).sort
    assert sort is not None
    assert all(sort.matches(Decimal(value)) for value in inside)
    assert not any(sort.matches(Decimal(value)) for value in outside)


def test_a_single_partition_condition_on_a_table_with_a_sort_key() -> None:
    assert bound("pk = :p", COMPOSITE).sort is None
    assert bound("a = :s", HASH_ONLY) == KeyCondition("a", {"S": "a"}, None)
