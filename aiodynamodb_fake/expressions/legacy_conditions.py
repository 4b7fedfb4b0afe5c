"""Expected, QueryFilter and ScanFilter: legacy conditions turned into the expression engine's AST.

Implements https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.Expected.html
(and .QueryFilter / .ScanFilter) so that evaluation is the engine's own: each attribute's test becomes
a node of ``ast`` (EQ ``=``, NE ``<>``, LT..GE, IN, BETWEEN, NULL ``attribute_not_exists``, NOT_NULL
``attribute_exists``, BEGINS_WITH, CONTAINS), joined by ConditionalOperator's AND (the default) or
OR, and wrapped in a ``ConditionExpression`` whose ``kind`` is the legacy parameter's name. Where the
legacy semantics differ from the expression ones the tree says so: NOT_CONTAINS is false on a missing
attribute (ScyllaDB's tests, run against DynamoDB: both CONTAINS and NOT_CONTAINS are false then), so
it becomes ``attribute_exists(a) AND NOT contains(a, v)``. The other operators coincide with their
expression forms: NE is true on a missing attribute, values of different types are never equal nor
ordered, CONTAINS is a substring test on S and B and membership in a set or a list.

Checks run in DynamoDB's order: the JSON shape of every entry (SerializationException), the
constraint envelope (a ComparisonOperator outside the enum, a missing one in a Condition), then
attribute by attribute in request order the entry's own rules, its values (``values.validate_value``)
and its arguments (count, then each value's type, then BETWEEN's bounds), then ConditionalOperator.
Everything is O(size of the parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as base_msg
from ..members.common import COMPARISON_OPERATOR_VALUES, CONDITIONAL_OPERATOR_VALUES
from ..members.kinds import ATTRIBUTE_VALUE, structure
from ..shapes import ENUM, Constraints, expect_bool, expect_list, expect_map, expect_str
from ..values import MAX_ITEM_SIZE, utf8_len, validate_value
from . import legacy_messages as msg
from .ast import And, AttributeValue, Between, Call, Comparator, Compare, Condition, In, Literal, Not, Or
from .conditions import ConditionExpression
from .evaluate import compare_values, type_of
from .paths import DocumentPath, Name

__all__ = [
    "FILTER_PARAMETERS",
    "ComparisonTest",
    "check_query_filter",
    "condition_constraints",
    "conditional_operator_constraints",
    "expected_condition",
    "expected_constraints",
    "filter_condition",
    "read_conditions",
    "validate_arguments",
]

FILTER_PARAMETERS = ("QueryFilter", "ScanFilter")
_ORDERED = frozenset({"S", "N", "B"})
_SCALARS = frozenset({"S", "N", "B", "BOOL", "NULL"})
_ALL_TYPES = frozenset({"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"})
# Which AttributeValue types each operator's arguments may have (DynamoDB Local's table; dynalite's
# tests, run against DynamoDB, pin the refusals: sets, M and L for CONTAINS, all but S/N/B for the
# ordering operators and IN, N for BEGINS_WITH).
_ARGUMENT_TYPES: dict[str, frozenset[str]] = {
    "EQ": _ALL_TYPES,
    "NE": _ALL_TYPES,
    "NULL": _ALL_TYPES,
    "NOT_NULL": _ALL_TYPES,
    "IN": _ORDERED,
    "LT": _ORDERED,
    "LE": _ORDERED,
    "GT": _ORDERED,
    "GE": _ORDERED,
    "BETWEEN": _ORDERED,
    "CONTAINS": _SCALARS,
    "NOT_CONTAINS": _SCALARS,
    "BEGINS_WITH": frozenset({"S", "B"}),
}
_OPERATOR_ENUM = ENUM.format(values=", ".join(COMPARISON_OPERATOR_VALUES))
_COMPARATORS: dict[str, Comparator] = {"EQ": "=", "NE": "<>", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}
_MEMBER_PATHS = {
    "Expected": "expected",
    "QueryFilter": "queryFilter",
    "ScanFilter": "scanFilter",
    "KeyConditions": "keyConditions",
}


@dataclass(frozen=True, slots=True)
class ComparisonTest:
    """One attribute's legacy test: ``name <operator> values`` (values validated and normalised)."""

    name: str
    operator: str
    values: tuple[AttributeValue, ...]


# --- shapes and the constraint envelope ----------------------------------------------------------


def _entries(value: object, member: str, shape: str) -> Mapping[str, Any] | None:
    """The map of a legacy member, each entry a structure ``shape`` (a JSON null entry is left for
    the validation that follows, which has a message for it)."""
    entries = expect_map(value, member)
    for entry in (entries or {}).values():
        if entry is not None:
            expect_map(entry, member, structure(shape, in_collection=True))
    return entries


def _shape_values(entry: Mapping[str, Any]) -> None:
    for each in expect_list(entry.get("AttributeValueList"), "AttributeValueList") or ():
        expect_map(each, "AttributeValueList", ATTRIBUTE_VALUE)


def _shape_expected(expected: object) -> Mapping[str, Any] | None:
    entries = _entries(expected, "Expected", "ExpectedAttributeValue")
    for entry in (entries or {}).values():
        if entry is not None:
            expect_bool(entry.get("Exists"), "Exists")
            expect_str(entry.get("ComparisonOperator"), "ComparisonOperator")
            expect_map(entry.get("Value"), "Value", structure("AttributeValue"))
            _shape_values(entry)
    return entries


def _shape_conditions(conditions: object, member: str) -> Mapping[str, Any] | None:
    entries = _entries(conditions, member, "Condition")
    for entry in (entries or {}).values():
        if entry is not None:
            expect_str(entry.get("ComparisonOperator"), "ComparisonOperator")
            _shape_values(entry)
    return entries


def _operator_path(member: str, name: str) -> Callable[[], str]:
    """The envelope's path to an entry's ComparisonOperator, built only if it is reported."""

    def path() -> str:
        return f"{_MEMBER_PATHS[member]}.{name}.member.comparisonOperator"

    return path


def _expected_violations(constraints: Constraints, entries: Mapping[str, Any] | None) -> None:
    for name, entry in (entries or {}).items():
        operator = None if entry is None else entry.get("ComparisonOperator")
        if operator is not None and operator not in COMPARISON_OPERATOR_VALUES:
            constraints.add(operator, _operator_path("Expected", name), _OPERATOR_ENUM)


def expected_constraints(constraints: Constraints, expected: object) -> None:
    """Record Expected's constraint violations (a ComparisonOperator outside the enum) in the
    operation's envelope; raise SerializationException at once for a value of the wrong JSON kind."""
    _expected_violations(constraints, _shape_expected(expected))


def _condition_violations(constraints: Constraints, entries: Mapping[str, Any] | None, member: str) -> None:
    for name, entry in (entries or {}).items():
        if entry is None:
            continue
        operator = entry.get("ComparisonOperator")
        if constraints.required(operator, _operator_path(member, name)) and (
            operator not in COMPARISON_OPERATOR_VALUES
        ):
            constraints.add(operator, _operator_path(member, name), _OPERATOR_ENUM)


def condition_constraints(constraints: Constraints, conditions: object, member: str) -> None:
    """Record the violations of a map of Conditions (``member``: QueryFilter, ScanFilter or
    KeyConditions): each needs a ComparisonOperator, one of the enum."""
    _condition_violations(constraints, _shape_conditions(conditions, member), member)


def conditional_operator_constraints(constraints: Constraints, operator: object) -> None:
    """Record a ConditionalOperator outside ``[OR, AND]``."""
    constraints.enum(
        expect_str(operator, "ConditionalOperator"), "conditionalOperator", CONDITIONAL_OPERATOR_VALUES
    )


# --- validation ----------------------------------------------------------------------------------


def validate_arguments(operator: str, values: Sequence[AttributeValue]) -> None:
    """DynamoDB's checks of a ComparisonOperator's AttributeValueList (validated values): their
    count, then value by value its type for the operator and its sameness with the first, then
    BETWEEN's bounds (DynamoDB Local's order)."""
    count = len(values)
    if operator in ("NULL", "NOT_NULL"):
        valid = count == 0
    elif operator == "IN":
        valid = count >= 1
    else:
        valid = count == (2 if operator == "BETWEEN" else 1)
    if not valid:
        raise ValidationException(msg.ARGUMENT_COUNT.format(operator=operator))
    first = type_of(values[0]) if values else None
    for value in values:
        tag = type_of(value)
        if tag not in _ARGUMENT_TYPES[operator]:
            raise ValidationException(msg.OPERATOR_TYPE.format(operator=operator, type=tag))
        if tag != first:
            raise ValidationException(msg.MIXED_TYPES)
    if operator == "BETWEEN" and compare_values(values[0], values[1]) == 1:
        raise ValidationException(msg.BETWEEN_BOUNDS)


def _expected_test(name: str, entry: Mapping[str, Any]) -> tuple[ComparisonTest, int]:
    """One ExpectedAttributeValue's test and the size its name and values count for, or the error."""
    exists: bool | None = entry.get("Exists")
    operator: str | None = entry.get("ComparisonOperator")
    value, listed = entry.get("Value"), entry.get("AttributeValueList")
    if exists is not None and operator is not None:
        raise ValidationException(msg.EXISTS_WITH_OPERATOR.format(name=name))
    if value is not None and listed is not None:
        raise ValidationException(msg.VALUE_WITH_LIST.format(name=name))
    if operator is None and listed is not None:
        raise ValidationException(msg.LIST_WITHOUT_OPERATOR.format(name=name))
    if exists is False and value is not None:
        raise ValidationException(msg.VALUE_WHEN_NOT_EXISTS.format(name=name))
    if value is None and listed is None:
        if operator is not None and operator not in ("NULL", "NOT_NULL"):
            raise ValidationException(msg.OPERATOR_WITHOUT_VALUE.format(operator=operator, name=name))
        if operator is None and exists is not False:
            raise ValidationException(
                msg.VALUE_REQUIRED.format(exists="null" if exists is None else "true", name=name)
            )
    checked = [validate_value(each) for each in ([value] if value is not None else listed or [])]
    values = tuple(each for each, _ in checked)
    size = utf8_len(name) + sum(each_size for _, each_size in checked)
    if operator is not None:
        return ComparisonTest(name, operator, values), size
    return ComparisonTest(name, "NULL" if exists is False else "EQ", values), size


def _read_expected(expected: object, operator: object) -> list[ComparisonTest] | None:
    entries = _shape_expected(expected)
    constraints = Constraints()
    conditional_operator_constraints(constraints, operator)  # raises for a non-string first
    _expected_violations(constraints, entries)
    constraints.raise_if_any()
    if entries is None:
        return None
    tests: list[ComparisonTest] = []
    size = 0
    for name, entry in entries.items():
        if entry is None:
            raise ValidationException(msg.EXPECTED_NULL.format(name=name))
        test, entry_size = _expected_test(name, entry)
        size += entry_size
        if size > MAX_ITEM_SIZE:
            raise ValidationException(base_msg.ITEM_TOO_LARGE)
        if entry.get("ComparisonOperator") is not None:
            validate_arguments(test.operator, test.values)
        tests.append(test)
    return tests


def read_conditions(conditions: object, member: str) -> list[ComparisonTest] | None:
    """The tests of a map of Conditions (QueryFilter, ScanFilter, KeyConditions), checked."""
    entries = _shape_conditions(conditions, member)
    constraints = Constraints()
    _condition_violations(constraints, entries, member)
    constraints.raise_if_any()
    return _condition_tests(entries)


def _condition_tests(entries: Mapping[str, Any] | None) -> list[ComparisonTest] | None:
    """The tests of a map of Conditions whose shapes and constraints have passed."""
    if entries is None:
        return None
    tests: list[ComparisonTest] = []
    for name, entry in entries.items():
        if entry is None:
            raise ValidationException(msg.CONDITION_NULL.format(name=name))
        values = tuple(validate_value(each)[0] for each in entry.get("AttributeValueList") or ())
        validate_arguments(entry["ComparisonOperator"], values)
        tests.append(ComparisonTest(name, entry["ComparisonOperator"], values))
    return tests


def _check_operator(operator: object, tests: Sequence[ComparisonTest] | None) -> None:
    """ConditionalOperator needs two or more conditions to join."""
    if operator is None:
        return
    if not tests:
        raise ValidationException(msg.OPERATOR_WITHOUT_CONDITIONS)
    if len(tests) == 1:
        raise ValidationException(msg.OPERATOR_WITH_ONE_CONDITION)


# --- the public entry points ---------------------------------------------------------------------


def expected_condition(expected: object, operator: object) -> ConditionExpression | None:
    """The condition of PutItem's, DeleteItem's or UpdateItem's ``Expected`` joined by
    ``ConditionalOperator``; None when Expected is absent or empty (nothing to check).

    Call it where DynamoDB validates Expected: after the item's (or key's) values. Raises
    SerializationException for a value of the wrong JSON kind, ValidationException with DynamoDB's
    message otherwise. An empty Expected always passes (ScyllaDB's tests, run against DynamoDB).
    """
    tests = _read_expected(expected, operator)
    _check_operator(operator, tests)
    return _condition(tests, operator, "Expected")


def filter_condition(conditions: object, operator: object, parameter: str) -> ConditionExpression | None:
    """The condition of Query's ``QueryFilter`` or Scan's ``ScanFilter`` (``parameter``) joined by
    ``ConditionalOperator``; None when the filter is absent or empty. See ``expected_condition``."""
    if parameter not in FILTER_PARAMETERS:
        raise ValueError(f"not a legacy filter parameter: {parameter}")
    entries = _shape_conditions(conditions, parameter)
    # dynalite's tests (run against DynamoDB) list a filter's violations before ConditionalOperator's.
    # Recording them raises nothing, so a non-string ConditionalOperator still fails before any is.
    constraints = Constraints()
    _condition_violations(constraints, entries, parameter)
    conditional_operator_constraints(constraints, operator)
    constraints.raise_if_any()
    tests = _condition_tests(entries)
    _check_operator(operator, tests)
    return _condition(tests, operator, parameter)


def check_query_filter(condition: ConditionExpression | None, key_names: Sequence[str]) -> None:
    """Refuse a QueryFilter naming a key attribute of the table or index queried: the first of
    ``key_names`` (the key schema's order, hash first) that the filter tests."""
    if condition is None:
        return
    tested = {path.elements[0] for path in condition.paths}
    for name in key_names:
        if Name(name) in tested:
            raise ValidationException(msg.QUERY_FILTER_ON_KEY.format(name=name))


# --- building the AST ----------------------------------------------------------------------------


def _condition(
    tests: Sequence[ComparisonTest] | None, operator: object, kind: str
) -> ConditionExpression | None:
    if not tests:
        return None
    leaves = [_leaf(test, number) for number, test in enumerate(tests)]
    if len(leaves) == 1:
        ast: Condition = leaves[0]
    elif operator == "OR":
        ast = Or(tuple(leaves))
    else:
        ast = And(tuple(leaves))
    return ConditionExpression(kind=kind, ast=ast, used_names=frozenset(), used_values=frozenset())


def _leaf(test: ComparisonTest, number: int) -> Condition:
    """The expression-engine node for one legacy test. Literal names (``:legacy0_1``) are ours:
    they only label values in renderings, no request names them."""
    path = DocumentPath((Name(test.name),))
    literals = tuple(Literal(f":legacy{number}_{index}", value) for index, value in enumerate(test.values))
    operator = test.operator
    if operator in _COMPARATORS:
        return Compare(_COMPARATORS[operator], path, literals[0])
    if operator == "IN":
        return In(path, literals)
    if operator == "BETWEEN":
        return Between(path, literals[0], literals[1])
    if operator == "NULL":
        return Call("attribute_not_exists", (path,))
    if operator == "NOT_NULL":
        return Call("attribute_exists", (path,))
    if operator == "BEGINS_WITH":
        return Call("begins_with", (path, literals[0]))
    contains = Call("contains", (path, literals[0]))
    if operator == "CONTAINS":
        return contains
    return And((Call("attribute_exists", (path,)), Not(contains)))  # NOT_CONTAINS
