"""Tests for Query's legacy KeyConditions (``expressions/legacy_keys.py``).

Sections: errors of the parameter alone (dynalite's query tests, run against DynamoDB), errors
against a key schema in DynamoDB's order (where legacy differs from KeyConditionExpression: the
non-indexable operators), and the ``KeyCondition`` each indexable operator gives.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake.expressions import KeyCondition, KeyTerm, KeyTerms, SortKeyCondition
from aiodynamodb_fake.expressions.legacy import LegacyKeyTerms, key_conditions
from aiodynamodb_fake.schema import KeySchema

INVALID = "One or more parameter values were invalid: "
COMPOSITE = KeySchema("pk", "S", "sk", "N")
HASH_ONLY = KeySchema("a", "S")
P = {"S": "x"}


def c(operator: str, *values: Any) -> dict[str, Any]:
    return {"ComparisonOperator": operator, "AttributeValueList": list(values)}


def error(conditions: Any) -> str:
    with pytest.raises(ValidationException) as err:
        key_conditions(conditions)
    return str(err.value.message)


def bind_error(conditions: Any, schema: KeySchema = COMPOSITE) -> str:
    terms = key_conditions(conditions)
    with pytest.raises(ValidationException) as err:
        terms.bind(schema)
    return str(err.value.message)


# --- the parameter alone --------------------------------------------------------------------------


def test_absent_key_conditions() -> None:
    assert (
        error(None)
        == "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
    )


@pytest.mark.parametrize(
    "conditions",
    [{}, {"a": c("NULL"), "b": c("NULL"), "c": c("NULL")}],
)
def test_one_or_two_conditions(conditions: Any) -> None:
    assert error(conditions) == "Conditions can be of length 1 or 2 only"


def test_each_condition_is_checked_before_their_count() -> None:
    conditions = {"a": c("EQ"), "b": c("NULL"), "c": c("NULL")}
    assert error(conditions) == INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            {"a": {}},
            "1 validation error detected: Value null at 'keyConditions.a.member.comparisonOperator' "
            "failed to satisfy constraint: Member must not be null",
        ),
        (
            {"a": c("BEGINS_WITH", {"N": "1"})},
            INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
        ),
        (
            {"a": c("LT", {"BOOL": True})},
            INVALID + "ComparisonOperator LT is not valid for BOOL AttributeValue type",
        ),
        (
            {"a": c("CONTAINS", {"SS": ["a"]})},
            INVALID + "ComparisonOperator CONTAINS is not valid for SS AttributeValue type",
        ),
        (
            {"a": c("IN", {"S": "b"}, {"N": "1"})},
            INVALID + "AttributeValues inside AttributeValueList must be of same type",
        ),
        (
            {"a": c("BETWEEN", {"S": "b"}, {"S": "a"})},
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
        ),
        ({"a": c("EQ", {"N": "1"}, {"SS": []}, {})}, INVALID + "An string set  may not be empty"),
        ({"a": None}, "The filter condition for an attribute cannot be null: a"),
    ],
)
def test_parameter_errors(conditions: Any, message: str) -> None:
    assert error(conditions) == message


def test_key_conditions_are_key_terms() -> None:
    terms = key_conditions({"pk": c("EQ", P), "sk": c("NOT_NULL")})
    assert isinstance(terms, KeyTerms) and isinstance(terms, LegacyKeyTerms)
    assert terms.terms == (KeyTerm("pk", "=", (P,)),)
    assert [test.operator for test in terms.tests] == ["EQ", "NOT_NULL"]


# --- against a key schema -------------------------------------------------------------------------

NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"
NON_INDEXABLE = [
    c("NULL"),
    c("NOT_NULL"),
    c("NE", {"N": "1"}),
    c("CONTAINS", {"S": "a"}),
    c("NOT_CONTAINS", {"S": "a"}),
    c("IN", {"S": "a"}),
]


@pytest.mark.parametrize("condition", NON_INDEXABLE)
def test_non_indexable_operator_on_the_hash_key(condition: Any) -> None:
    """dynalite's query test 'querying with non-indexable operations'."""
    assert bind_error({"a": condition}, HASH_ONLY) == NOT_INDEXABLE


@pytest.mark.parametrize("condition", NON_INDEXABLE)
def test_non_indexable_operator_on_the_range_key(condition: Any) -> None:
    """dynalite's query test 'unsupported comparison on range' (NE is ours: its code refuses it too)."""
    assert bind_error({"pk": c("EQ", P), "sk": condition}) == NOT_INDEXABLE


@pytest.mark.parametrize(
    "conditions",
    [
        {"a": c("EQ", {"S": "a"}), "b": c("EQ", {"S": "a"})},
        {"a": c("LE", {"S": "a"})},
        {"a": c("LT", {"S": "a"})},
        {"a": c("GE", {"S": "a"})},
        {"a": c("GT", {"S": "a"})},
        {"a": c("BEGINS_WITH", {"S": "a"})},
        {"a": c("BETWEEN", {"S": "a"}, {"S": "a"})},
        {"y": c("EQ", {"S": "a"}), "z": c("NULL")},
    ],
)
def test_unsupported_key_condition(conditions: Any) -> None:
    """dynalite's query test 'querying with unsupported conditions'."""
    assert bind_error(conditions, HASH_ONLY) == "Query key condition not supported"


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"sk": c("EQ", {"N": "1"})}, "Query condition missed key schema element: pk"),
        ({"pk": c("EQ", P), "other": c("NULL")}, "Query condition missed key schema element: sk"),
        ({"pk": c("EQ", {"N": "1"})}, INVALID + "Condition parameter type does not match schema type"),
        (
            {"pk": c("EQ", P), "sk": c("EQ", {"S": "1"})},
            INVALID + "Condition parameter type does not match schema type",
        ),
        (
            {"pk": c("EQ", P), "sk": c("BEGINS_WITH", {"S": "1"})},
            INVALID + "Condition parameter type does not match schema type",
        ),
        ({"pk": c("GT", P)}, "Query key condition not supported"),
    ],
)
def test_schema_errors(conditions: Any, message: str) -> None:
    assert bind_error(conditions) == message


def test_schema_errors_come_in_dynamodbs_order() -> None:
    # a hash-only table with two conditions, before anything else
    assert (
        bind_error({"a": c("NULL"), "b": c("EQ", {"N": "1"})}, HASH_ONLY)
        == "Query key condition not supported"
    )
    # the hash key first: its non-indexable operator before the range key's missing
    assert bind_error({"pk": c("IN", {"N": "1"}), "x": c("NULL")}) == NOT_INDEXABLE
    # non-indexable before the value types, types before the hash key's operator
    assert bind_error({"pk": c("NE", {"N": "1"})}) == NOT_INDEXABLE
    assert (
        bind_error({"pk": c("LT", {"N": "1"})})
        == INVALID + "Condition parameter type does not match schema type"
    )
    # the hash key's errors before the range key's
    assert bind_error({"pk": c("GT", P), "sk": c("NULL")}) == "Query key condition not supported"
    assert bind_error({"pk": c("EQ", P), "sk": c("NULL")}) == NOT_INDEXABLE


def test_a_single_range_condition_misses_the_hash_key() -> None:
    assert bind_error({"sk": c("NULL")}) == "Query condition missed key schema element: pk"


# --- the key condition ----------------------------------------------------------------------------


def test_hash_only_condition() -> None:
    assert key_conditions({"pk": c("EQ", P)}).bind(COMPOSITE) == KeyCondition("pk", P, None)
    assert key_conditions({"a": c("EQ", {"S": "v"})}).bind(HASH_ONLY) == KeyCondition("a", {"S": "v"}, None)


@pytest.mark.parametrize(
    ("condition", "operator"),
    [
        (c("EQ", {"N": "1"}), "="),
        (c("LT", {"N": "1"}), "<"),
        (c("LE", {"N": "1"}), "<="),
        (c("GT", {"N": "1"}), ">"),
        (c("GE", {"N": "1"}), ">="),
        (c("BETWEEN", {"N": "1"}, {"N": "2"}), "BETWEEN"),
    ],
)
def test_range_condition(condition: Any, operator: str) -> None:
    bound = key_conditions({"sk": condition, "pk": c("EQ", P)}).bind(COMPOSITE)
    values = tuple(condition["AttributeValueList"])
    assert bound == KeyCondition("pk", P, SortKeyCondition("sk", operator, values))  # type: ignore[arg-type]  # operator is a KeyOperator


def test_begins_with_on_a_string_range_key_gives_a_prefix() -> None:
    schema = KeySchema("pk", "S", "sk", "S")
    bound = key_conditions({"pk": c("EQ", P), "sk": c("BEGINS_WITH", {"S": "ab"})}).bind(schema)
    assert bound.sort == SortKeyCondition("sk", "begins_with", ({"S": "ab"},))
    assert bound.sort is not None and bound.sort.range() == (None, None, False, False, "ab")


def test_numbers_are_normalised() -> None:
    bound = key_conditions({"pk": c("EQ", P), "sk": c("GE", {"N": "1.50"})}).bind(COMPOSITE)
    assert bound.sort == SortKeyCondition("sk", ">=", ({"N": "1.5"},))
