"""Tests for the legacy parameters' validation (``expressions/legacy*.py``): Expected, QueryFilter,
ScanFilter, ConditionalOperator, the constraint envelope and the legacy/expression mixing rule.

Sections: JSON shapes, the constraint envelope, Expected's own rules and their order, the arguments
of a ComparisonOperator (count, types, sameness, BETWEEN), filters, ConditionalOperator, mixing.
Messages are DynamoDB's (dynalite's and ExtendDB's tests, run against DynamoDB; DynamoDB Local where
no test pins a text), asserted whole with their error class.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions.legacy import (
    DELETE_ITEM_PARAMETERS,
    GET_ITEM_PARAMETERS,
    PUT_ITEM_PARAMETERS,
    QUERY_PARAMETERS,
    SCAN_PARAMETERS,
    UPDATE_ITEM_PARAMETERS,
    check_mixing,
    check_query_filter,
    condition_constraints,
    conditional_operator_constraints,
    expected_condition,
    expected_constraints,
    filter_condition,
    update_constraints,
)
from aiodynamodb_fake.shapes import Constraints

INVALID = "One or more parameter values were invalid: "
OPERATORS = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"
S = {"S": "a"}
N = {"N": "1"}


def expected_error(expected: Any, operator: Any = None) -> str:
    with pytest.raises(ValidationException) as err:
        expected_condition(expected, operator)
    return str(err.value.message)


def filter_error(conditions: Any, operator: Any = None, parameter: str = "ScanFilter") -> str:
    with pytest.raises(ValidationException) as err:
        filter_condition(conditions, operator, parameter)
    return str(err.value.message)


def cond(operator: str, *values: Any) -> dict[str, Any]:
    return {"ComparisonOperator": operator, "AttributeValueList": list(values)}


# --- JSON shapes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ("x", "Unexpected field type"),
        (
            [],
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue>",
        ),
        ({"a": 3}, "Unexpected value type in payload"),
        ({"a": {"Exists": "yes"}}, "Unexpected token received from parser"),
        ({"a": {"ComparisonOperator": 1}}, "NUMBER_VALUE cannot be converted to String"),
        ({"a": {"Value": "x"}}, "Unexpected field type"),
        ({"a": {"AttributeValueList": {}}}, "Start of structure or map found where not expected"),
    ],
)
def test_expected_of_the_wrong_json_kind_is_a_serialization_error(expected: Any, message: str) -> None:
    with pytest.raises(SerializationException) as err:
        expected_condition(expected, None)
    assert err.value.message == message


def test_a_wrong_kind_anywhere_wins_over_an_earlier_entrys_validation_error() -> None:
    """DynamoDB reads the whole request before validating it."""
    with pytest.raises(SerializationException):
        expected_condition({"a": {"Exists": True}, "b": {"Exists": 1}}, None)


def test_filter_and_conditional_operator_of_the_wrong_json_kind() -> None:
    with pytest.raises(SerializationException) as err:
        filter_condition({"a": {"ComparisonOperator": ["EQ"]}}, None, "QueryFilter")
    assert err.value.message == "Unrecognized collection type class java.lang.String"
    with pytest.raises(SerializationException) as err:
        filter_condition(None, 1, "QueryFilter")
    assert err.value.message == "NUMBER_VALUE cannot be converted to String"


def test_unknown_filter_parameter_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not a legacy filter parameter"):
        filter_condition({}, None, "Expected")


# --- the constraint envelope -----------------------------------------------------------------------


def test_a_bad_comparison_operator_is_an_enum_violation() -> None:
    assert expected_error({"a": {"ComparisonOperator": "XX"}}) == (
        "1 validation error detected: Value 'XX' at 'expected.a.member.comparisonOperator' "
        f"failed to satisfy constraint: Member must satisfy enum value set: {OPERATORS}"
    )


def test_a_condition_needs_a_comparison_operator() -> None:
    """dynalite's query test 'incorrect attributes' (run against DynamoDB)."""
    message = filter_error({"a": {}, "b": {"ComparisonOperator": ""}}, "AN", "QueryFilter")
    assert message == (
        "3 validation errors detected: "
        "Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: "
        "Member must not be null; "
        "Value '' at 'queryFilter.b.member.comparisonOperator' failed to satisfy constraint: "
        f"Member must satisfy enum value set: {OPERATORS}; "
        "Value 'AN' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]"
    )


def test_conditional_operator_enum() -> None:
    assert expected_error({"a": {"Value": S}, "b": {"Value": S}}, "and") == (
        "1 validation error detected: Value 'and' at 'conditionalOperator' failed to satisfy "
        "constraint: Member must satisfy enum value set: [OR, AND]"
    )


def test_constraint_helpers_add_to_the_operations_envelope() -> None:
    constraints = Constraints()
    constraints.add("hi", "returnValues", "Member must satisfy enum value set: [NONE]")
    expected_constraints(constraints, {"a": {"ComparisonOperator": "EQQ"}, "b": None})
    condition_constraints(constraints, {"k": {"AttributeValueList": []}}, "KeyConditions")
    update_constraints(constraints, {"u": {"Action": "SET", "Value": S}, "v": {"Value": S}})
    conditional_operator_constraints(constraints, "XOR")
    with pytest.raises(ValidationException) as err:
        constraints.raise_if_any()
    assert err.value.message == (
        "5 validation errors detected: "
        "Value 'hi' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [NONE]; "
        "Value 'EQQ' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: "
        f"Member must satisfy enum value set: {OPERATORS}; "
        "Value null at 'keyConditions.k.member.comparisonOperator' failed to satisfy constraint: "
        "Member must not be null; "
        "Value 'SET' at 'attributeUpdates.u.member.action' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ADD, PUT, DELETE]; "
        "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]"
    )


def test_constraint_helpers_leave_valid_members_alone() -> None:
    constraints = Constraints()
    expected_constraints(constraints, {"a": {"ComparisonOperator": "EQ"}, "b": {"Value": S}})
    condition_constraints(constraints, {"k": cond("NULL")}, "QueryFilter")
    update_constraints(constraints, {"u": {"Action": "ADD", "Value": N}, "v": {}})
    conditional_operator_constraints(constraints, "OR")
    expected_constraints(constraints, None)
    assert not constraints


# --- Expected: its own rules, in DynamoDB Local's order ---------------------------------------------


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({}, "Value must be provided when Exists is null for Attribute: a"),
        ({"Exists": True}, "Value must be provided when Exists is true for Attribute: a"),
        ({"Exists": False, "Value": S}, "Value cannot be used when Exists is false for Attribute: a"),
        (
            {"Exists": True, "ComparisonOperator": "LT"},
            "Exists and ComparisonOperator cannot be used together for Attribute: a",
        ),
        (
            {"Exists": False, "ComparisonOperator": "EQ", "AttributeValueList": [S]},
            "Exists and ComparisonOperator cannot be used together for Attribute: a",
        ),
        (
            {"Value": S, "ComparisonOperator": "LT", "AttributeValueList": [S]},
            "Value and AttributeValueList cannot be used together for Attribute: a",
        ),
        (
            {"Exists": True, "AttributeValueList": [S]},
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
        ),
        (
            {"AttributeValueList": []},
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
        ),
        (
            {"ComparisonOperator": "EQ"},
            "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a",
        ),
        (
            {"ComparisonOperator": "IN"},
            "Value or AttributeValueList must be used with ComparisonOperator: IN for Attribute: a",
        ),
    ],
)
def test_expected_entry_rules(entry: dict[str, Any], message: str) -> None:
    assert expected_error({"a": entry}) == INVALID + message


def test_expected_rules_are_checked_in_order() -> None:
    # Exists with ComparisonOperator, then Value with AttributeValueList (DynamoDB Local's order;
    # the conformance suite's 2026 capture agrees on the Value-and-list case alone).
    entry = {"Exists": True, "ComparisonOperator": "EQ", "Value": S, "AttributeValueList": [S]}
    assert expected_error({"a": entry}) == (
        INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: a"
    )
    entry = {"Exists": False, "Value": S, "AttributeValueList": [S]}
    assert expected_error({"a": entry}) == (
        INVALID + "Value and AttributeValueList cannot be used together for Attribute: a"
    )


def test_expected_entries_are_checked_in_request_order() -> None:
    assert expected_error({"b": {"Value": S}, "z": {"Exists": True}, "a": {}}) == (
        INVALID + "Value must be provided when Exists is true for Attribute: z"
    )


def test_expected_null_entry() -> None:
    assert expected_error({"a": None}) == INVALID + "ExpectedAttributeValue must not be null for Attribute: a"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        ({"a": ""}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        ({"NS": ["1", ""]}, "The parameter cannot be converted to a numeric value"),
        ({"SS": []}, INVALID + "An string set  may not be empty"),
        (
            {"S": "a", "N": "1"},
            "Supplied AttributeValue has more than one datatypes set, "
            "must contain exactly one of the supported datatypes",
        ),
        (
            {"N": "1e126"},
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
    ],
)
def test_expected_values_are_validated(value: Any, message: str) -> None:
    """dynalite's putItem tests 'empty expected value' and 'empty numeric in set'."""
    assert expected_error({"a": {"Value": value}}) == message
    assert expected_error({"a": cond("EQ", value)}) == message


def test_a_value_is_checked_before_the_argument_count() -> None:
    """dynalite's query tests send [N, bad, {}] to EQ: the bad value is reported."""
    assert expected_error({"a": cond("EQ", N, {"SS": ["a", "a"]}, {})}) == (
        INVALID + "Input collection [a, a] contains duplicates."
    )


def test_expected_over_the_item_size_is_refused() -> None:
    big = {"S": "x" * 300_000}
    assert expected_error({"a": {"Value": big}, "b": {"Value": big}}) == (
        "Item size has exceeded the maximum allowed size"
    )
    assert expected_condition({"a": {"Value": big}}, None) is not None


# --- the arguments of a ComparisonOperator --------------------------------------------------------

ONE = ["EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"]


@pytest.mark.parametrize(
    ("operator", "values"),
    [
        *[(operator, []) for operator in [*ONE, "IN", "BETWEEN"]],
        *[(operator, [S, S]) for operator in ONE],
        ("NULL", [S]),
        ("NOT_NULL", [S]),
        ("NULL", [S, S]),
        ("BETWEEN", [S]),
        ("BETWEEN", [S, S, S]),
    ],
)
def test_argument_count(operator: str, values: list[Any]) -> None:
    """dynalite's query tests 'incorrect number of QueryFilter arguments' (run against DynamoDB)."""
    message = INVALID + f"Invalid number of argument(s) for the {operator} ComparisonOperator"
    assert expected_error({"a": cond(operator, *values)}) == message
    assert filter_error({"a": cond(operator, *values)}) == message


def test_a_missing_attribute_value_list_counts_as_empty() -> None:
    assert filter_error({"a": {"ComparisonOperator": "EQ"}}) == (
        INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"
    )
    assert filter_condition({"a": {"ComparisonOperator": "NULL"}}, None, "ScanFilter") is not None


def test_value_counts_as_the_one_argument() -> None:
    assert expected_error({"a": {"ComparisonOperator": "NULL", "Value": S}}) == (
        INVALID + "Invalid number of argument(s) for the NULL ComparisonOperator"
    )
    assert expected_error({"a": {"ComparisonOperator": "BETWEEN", "Value": S}}) == (
        INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"
    )


BOOL: dict[str, Any] = {"BOOL": True}
NULL: dict[str, Any] = {"NULL": True}
SS: dict[str, Any] = {"SS": ["a"]}
NS: dict[str, Any] = {"NS": ["1"]}
BS: dict[str, Any] = {"BS": [b"ab"]}
M: dict[str, Any] = {"M": {}}
L: dict[str, Any] = {"L": []}


@pytest.mark.parametrize(
    ("operator", "values"),
    [
        *[(op, [value]) for op in ["LT", "LE", "GT", "GE", "IN"] for value in [BOOL, NULL, SS, NS, BS, M, L]],
        *[(op, [value]) for op in ["CONTAINS", "NOT_CONTAINS"] for value in [SS, NS, BS, M, L]],
        *[("BETWEEN", [value, value]) for value in [BOOL, NULL, SS, NS, BS, M, L]],
        *[("BEGINS_WITH", [value]) for value in [N, BOOL, NULL, SS, NS, BS, M, L]],
    ],
)
def test_argument_types(operator: str, values: list[Any]) -> None:
    """dynalite's query tests 'invalid ComparisonOperator types' (run against DynamoDB)."""
    tag = next(iter(values[0]))
    message = INVALID + f"ComparisonOperator {operator} is not valid for {tag} AttributeValue type"
    assert expected_error({"a": cond(operator, *values)}) == message
    assert filter_error({"a": cond(operator, *values)}, parameter="QueryFilter") == message


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        *[(op, value) for op in ["EQ", "NE"] for value in [S, N, {"B": b"x"}, BOOL, NULL, SS, NS, BS, M, L]],
        *[(op, value) for op in ["CONTAINS", "NOT_CONTAINS"] for value in [S, N, {"B": b"x"}, BOOL, NULL]],
        ("BEGINS_WITH", {"B": b"x"}),
    ],
)
def test_argument_types_accepted(operator: str, value: Any) -> None:
    """EQ and NE take any type, CONTAINS any scalar (DynamoDB Local; the API reference: "b cannot be
    a set, a map, or a list")."""
    assert expected_condition({"a": cond(operator, value)}, None) is not None


def test_mixed_types_in_attribute_value_list() -> None:
    """dynalite's query test 'AttributeValueList has different types' (IN [S, N])."""
    assert expected_error({"a": cond("IN", {"S": "b"}, N)}) == (
        INVALID + "AttributeValues inside AttributeValueList must be of same type"
    )
    assert filter_error({"a": cond("BETWEEN", N, S)}) == (
        INVALID + "AttributeValues inside AttributeValueList must be of same type"
    )


def test_types_are_checked_value_by_value() -> None:
    # DynamoDB Local: each value's type for the operator, then its sameness with the first.
    assert filter_error({"a": cond("IN", S, BOOL)}) == (
        INVALID + "ComparisonOperator IN is not valid for BOOL AttributeValue type"
    )
    assert filter_error({"a": cond("IN", S, N, BOOL)}) == (
        INVALID + "AttributeValues inside AttributeValueList must be of same type"
    )


@pytest.mark.parametrize(
    "bounds",
    [
        [{"S": "b"}, {"S": "a"}],
        [{"N": "10"}, {"N": "9"}],
        [{"B": b"\x80"}, {"B": b"\x7f"}],
        [{"N": "-1"}, {"N": "-2"}],
    ],
)
def test_between_bounds_out_of_order(bounds: list[Any]) -> None:
    message = (
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
    )
    assert expected_error({"a": cond("BETWEEN", *bounds)}) == message
    assert filter_error({"a": cond("BETWEEN", *bounds)}) == message


def test_between_equal_bounds_are_accepted() -> None:
    assert filter_condition({"a": cond("BETWEEN", N, {"N": "1.0"})}, None, "ScanFilter") is not None


# --- filters -----------------------------------------------------------------------------------------


def test_absent_or_empty_filter_is_no_condition() -> None:
    assert filter_condition(None, None, "QueryFilter") is None
    assert filter_condition({}, None, "ScanFilter") is None
    assert expected_condition(None, None) is None
    assert expected_condition({}, None) is None


def test_filter_null_entry() -> None:
    assert filter_error({"a": None}) == "The filter condition for an attribute cannot be null: a"


def test_filter_values_are_validated_in_order() -> None:
    """dynalite's query tests 'bad attribute values in QueryFilter'."""
    assert filter_error({"a": cond("EQ", {}, {"S": ""})}, parameter="QueryFilter") == (
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )
    assert filter_error({"a": cond("EQ", N, {"NULL": False}, {})}, parameter="QueryFilter") == (
        INVALID + "Null attribute value types must have the value of true"
    )


def test_filter_kind_names_the_parameter() -> None:
    query = filter_condition({"a": cond("EQ", S)}, None, "QueryFilter")
    scan = filter_condition({"a": cond("EQ", S)}, None, "ScanFilter")
    expected = expected_condition({"a": {"Value": S}}, None)
    assert (query and query.kind, scan and scan.kind, expected and expected.kind) == (
        "QueryFilter",
        "ScanFilter",
        "Expected",
    )
    assert query is not None and query.used_names == query.used_values == frozenset()


def test_query_filter_on_a_key_attribute() -> None:
    """dynalite's actions/query.js: the first key attribute of the schema queried (hash first)."""
    condition = filter_condition(
        {"x": cond("NULL"), "sk": cond("NULL"), "pk": cond("NULL")}, "OR", "QueryFilter"
    )
    with pytest.raises(ValidationException) as err:
        check_query_filter(condition, ("pk", "sk"))
    assert err.value.message == (
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk"
    )
    with pytest.raises(ValidationException) as err:
        check_query_filter(condition, ("g", "sk"))
    assert err.value.message == (
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"
    )
    check_query_filter(condition, ("g",))
    check_query_filter(None, ("pk",))


# --- ConditionalOperator -----------------------------------------------------------------------------

WITHOUT = "ConditionalOperator cannot be used without Filter or Expected"
WITH_ONE = "ConditionalOperator can only be used when Filter or Expected has two or more elements"


@pytest.mark.parametrize("operator", ["AND", "OR"])
def test_conditional_operator_needs_two_conditions(operator: str) -> None:
    """ExtendDB's tests (run against DynamoDB, 2026) and ScyllaDB's (an empty Expected)."""
    assert expected_error(None, operator) == WITHOUT
    assert expected_error({}, operator) == WITHOUT
    assert expected_error({"a": {"Value": S}}, operator) == WITH_ONE
    assert filter_error(None, operator, "QueryFilter") == WITHOUT
    assert filter_error({}, operator) == WITHOUT
    assert filter_error({"a": cond("EQ", S)}, operator) == WITH_ONE
    assert expected_condition({"a": {"Value": S}, "b": {"Exists": False}}, operator) is not None
    assert filter_condition({"a": cond("EQ", S), "b": cond("NULL")}, operator, "QueryFilter") is not None


def test_entries_are_checked_before_conditional_operator() -> None:
    # DynamoDB Local converts Expected before it counts it for ConditionalOperator.
    assert (
        expected_error({"a": {}}, "OR")
        == INVALID + "Value must be provided when Exists is null for Attribute: a"
    )
    assert (
        filter_error({"a": cond("EQ")}, "OR")
        == INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"
    )


# --- mixing legacy and expression parameters ------------------------------------------------------


def mixing_error(request: dict[str, Any], parameters: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    with pytest.raises(ValidationException) as err:
        check_mixing(request, legacy=parameters[0], expression=parameters[1])
    return str(err.value.message)


def mixed(legacy: str, expression: str) -> str:
    return (
        "Can not use both expression and non-expression parameters in the same request: "
        f"Non-expression parameters: {{{legacy}}} Expression parameters: {{{expression}}}"
    )


X: dict[str, Any] = {"x": 1}


@pytest.mark.parametrize(
    ("request_", "parameters", "message"),
    [
        (
            {"Expected": X, "ConditionExpression": "a"},
            PUT_ITEM_PARAMETERS,
            mixed("Expected", "ConditionExpression"),
        ),
        (
            {"ConditionalOperator": "AND", "ConditionExpression": "a"},
            DELETE_ITEM_PARAMETERS,
            mixed("ConditionalOperator", "ConditionExpression"),
        ),
        (
            {"ConditionExpression": "a", "ConditionalOperator": "AND", "Expected": X},
            PUT_ITEM_PARAMETERS,
            mixed("Expected, ConditionalOperator", "ConditionExpression"),
        ),
        # ExtendDB's "full sets ordering" tests: each side in a fixed order, not the request's.
        (
            {
                "ConditionExpression": "c",
                "UpdateExpression": "u",
                "ConditionalOperator": "AND",
                "Expected": X,
                "AttributeUpdates": X,
            },
            UPDATE_ITEM_PARAMETERS,
            mixed("AttributeUpdates, Expected, ConditionalOperator", "UpdateExpression, ConditionExpression"),
        ),
        (
            {
                "ProjectionExpression": "p",
                "FilterExpression": "f",
                "ConditionalOperator": "AND",
                "ScanFilter": X,
                "AttributesToGet": ["a"],
            },
            SCAN_PARAMETERS,
            mixed(
                "AttributesToGet, ScanFilter, ConditionalOperator", "ProjectionExpression, FilterExpression"
            ),
        ),
        (
            {
                "KeyConditionExpression": "k",
                "FilterExpression": "f",
                "ProjectionExpression": "p",
                "KeyConditions": X,
                "QueryFilter": X,
                "ConditionalOperator": "AND",
            },
            QUERY_PARAMETERS,
            mixed(
                "QueryFilter, ConditionalOperator, KeyConditions",
                "ProjectionExpression, FilterExpression, KeyConditionExpression",
            ),
        ),
        (
            {
                "KeyConditions": X,
                "AttributesToGet": ["a"],
                "QueryFilter": X,
                "ConditionalOperator": "OR",
                "FilterExpression": "f",
                "ProjectionExpression": "p",
            },
            QUERY_PARAMETERS,
            mixed(
                "AttributesToGet, QueryFilter, ConditionalOperator", "ProjectionExpression, FilterExpression"
            ),
        ),
        (
            {"AttributesToGet": ["a"], "KeyConditionExpression": "k"},
            QUERY_PARAMETERS,
            mixed("AttributesToGet", "KeyConditionExpression"),
        ),
        (
            {"ScanFilter": X, "ProjectionExpression": "b"},
            SCAN_PARAMETERS,
            mixed("ScanFilter", "ProjectionExpression"),
        ),
        (
            {"AttributesToGet": ["a"], "ProjectionExpression": "a"},
            GET_ITEM_PARAMETERS,
            mixed("AttributesToGet", "ProjectionExpression"),
        ),
    ],
)
def test_mixing_is_refused(
    request_: dict[str, Any], parameters: tuple[tuple[str, ...], tuple[str, ...]], message: str
) -> None:
    assert mixing_error(request_, parameters) == message


@pytest.mark.parametrize(
    ("request_", "parameters"),
    [
        # KeyConditions counts only beside a KeyConditionExpression (ExtendDB, dynalite).
        ({"KeyConditions": X, "FilterExpression": "f"}, QUERY_PARAMETERS),
        ({"KeyConditions": X, "ProjectionExpression": "a"}, QUERY_PARAMETERS),
        ({"Expected": X, "ConditionalOperator": "AND", "AttributeUpdates": X}, UPDATE_ITEM_PARAMETERS),
        ({"UpdateExpression": "u", "ConditionExpression": "c"}, UPDATE_ITEM_PARAMETERS),
        ({"Expected": None, "ConditionExpression": "c"}, PUT_ITEM_PARAMETERS),
        ({"Expected": X, "ProjectionExpression": "c"}, PUT_ITEM_PARAMETERS),  # not PutItem's parameter
        ({}, QUERY_PARAMETERS),
    ],
)
def test_mixing_is_accepted(
    request_: dict[str, Any], parameters: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    check_mixing(request_, legacy=parameters[0], expression=parameters[1])


def test_mixing_with_kinds_swapped_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="ConditionExpression"):
        check_mixing({}, legacy=["ConditionExpression"], expression=["Expected"])
