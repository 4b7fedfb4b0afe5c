"""Tests for what legacy conditions mean (``expressions/legacy_conditions.py``): every
ComparisonOperator on every attribute type, Value and Exists, ConditionalOperator, and a property
tying the operators whose legacy and expression semantics coincide to the parsed expression.

The expectations are written out here, from ScyllaDB's alternator tests of Expected (run against
DynamoDB), the API reference's Condition page and dynalite's tests; where legacy differs from
expressions (NOT_CONTAINS on a missing attribute), the difference is tested on its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb_fake.expressions import parse_expressions
from aiodynamodb_fake.expressions.legacy import expected_condition, filter_condition
from tests.support.expression_model import ITEM_NAMES, items, scalars, to_av, to_av_item, values
from tests.support.tables import property_settings

ITEM: dict[str, Any] = {
    "s": {"S": "hello"},
    "n": {"N": "5"},
    "b": {"B": b"\x01\x02\x03"},
    "hi": {"B": b"\x80"},
    "t": {"BOOL": True},
    "z": {"NULL": True},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "l": {"L": [{"S": "a"}, {"N": "1"}, {"BOOL": True}, {"NULL": True}]},
    "m": {"M": {"a": {"S": "a"}}},
}


def holds(name: str, operator: str, *args: Any, item: Any = ITEM) -> bool:
    condition = expected_condition(
        {name: {"ComparisonOperator": operator, "AttributeValueList": list(args)}}, None
    )
    assert condition is not None
    return condition.evaluate(item)


S, N, B = ({"S": "hello"}, {"N": "5"}, {"B": b"\x01\x02\x03"})

CASES = [
    # EQ: same type and value; sets in any order, numbers by value; a missing attribute is not equal.
    ("s", "EQ", [S], True),
    ("s", "EQ", [{"S": "hell"}], False),
    ("n", "EQ", [{"S": "5"}], False),
    ("n", "EQ", [{"N": "5.00"}], True),
    ("b", "EQ", [B], True),
    ("t", "EQ", [{"BOOL": True}], True),
    ("t", "EQ", [{"BOOL": False}], False),
    ("z", "EQ", [{"NULL": True}], True),
    ("ss", "EQ", [{"SS": ["b", "a"]}], True),
    ("ss", "EQ", [{"SS": ["a"]}], False),
    ("ns", "EQ", [{"NS": ["2.50", "1"]}], True),
    ("bs", "EQ", [{"BS": [b"\x02", b"\x01"]}], True),
    ("l", "EQ", [ITEM["l"]], True),
    ("l", "EQ", [{"L": [{"N": "1"}, {"S": "a"}, {"BOOL": True}, {"NULL": True}]}], False),
    ("m", "EQ", [{"M": {"a": {"S": "a"}}}], True),
    ("missing", "EQ", [S], False),
    # NE: the negation of EQ, so true on another type and on a missing attribute (ScyllaDB).
    ("s", "NE", [{"S": "other"}], True),
    ("s", "NE", [S], False),
    ("n", "NE", [{"S": "5"}], True),
    ("missing", "NE", [S], True),
    ("ss", "NE", [{"SS": ["b", "a"]}], False),
    # LT, LE, GT, GE: S by code point (UTF-8 byte order), N by value, B by unsigned bytes.
    ("n", "LT", [{"N": "6"}], True),
    ("n", "LT", [{"N": "5"}], False),
    ("n", "LE", [{"N": "5"}], True),
    ("n", "GT", [{"N": "-10"}], True),
    ("n", "GE", [{"N": "5.1"}], False),
    ("s", "GT", [{"S": "hell"}], True),
    ("s", "GE", [S], True),
    ("s", "LT", [{"S": "Z"}], False),
    ("b", "LT", [{"B": b"\x02"}], True),
    ("b", "GT", [{"B": b"\x01\x02"}], True),
    ("hi", "GT", [{"B": b"\x7f"}], True),
    ("n", "LT", [{"S": "9"}], False),
    ("ss", "GT", [{"S": "a"}], False),
    ("missing", "LT", [{"N": "1"}], False),
    # BETWEEN: inclusive bounds of the attribute's own type.
    ("n", "BETWEEN", [{"N": "1"}, {"N": "5"}], True),
    ("n", "BETWEEN", [{"N": "5"}, {"N": "5"}], True),
    ("n", "BETWEEN", [{"N": "6"}, {"N": "9"}], False),
    ("s", "BETWEEN", [{"S": "a"}, {"S": "z"}], True),
    ("b", "BETWEEN", [{"B": b"\x01"}, {"B": b"\x02"}], True),
    ("n", "BETWEEN", [{"S": "a"}, {"S": "z"}], False),
    ("missing", "BETWEEN", [{"N": "1"}, {"N": "9"}], False),
    # IN: the attribute equals one of the values (not: a set attribute holds them).
    ("n", "IN", [{"N": "1"}, {"N": "5"}], True),
    ("n", "IN", [{"N": "1"}, {"N": "2"}], False),
    ("s", "IN", [{"S": "x"}, S], True),
    ("n", "IN", [{"S": "5"}], False),
    ("ns", "IN", [{"N": "1"}], False),
    ("missing", "IN", [{"N": "1"}], False),
    # NULL / NOT_NULL: whether the attribute exists, whatever its type (a NULL value exists).
    ("missing", "NULL", [], True),
    ("s", "NULL", [], False),
    ("z", "NULL", [], False),
    ("z", "NOT_NULL", [], True),
    ("l", "NOT_NULL", [], True),
    ("missing", "NOT_NULL", [], False),
    # CONTAINS: substring of S and B, member of a set of the value's type, element of a list.
    ("s", "CONTAINS", [{"S": "ell"}], True),
    ("s", "CONTAINS", [{"S": "xyz"}], False),
    ("s", "CONTAINS", [{"N": "5"}], False),
    ("b", "CONTAINS", [{"B": b"\x02\x03"}], True),
    ("b", "CONTAINS", [{"S": "a"}], False),
    ("ss", "CONTAINS", [{"S": "a"}], True),
    ("ss", "CONTAINS", [{"S": "c"}], False),
    ("ns", "CONTAINS", [{"N": "2.50"}], True),
    ("ns", "CONTAINS", [{"S": "1"}], False),
    ("bs", "CONTAINS", [{"B": b"\x01"}], True),
    ("l", "CONTAINS", [{"S": "a"}], True),
    ("l", "CONTAINS", [{"N": "1.0"}], True),
    ("l", "CONTAINS", [{"BOOL": True}], True),
    ("l", "CONTAINS", [{"NULL": True}], True),
    ("l", "CONTAINS", [{"S": "b"}], False),
    ("m", "CONTAINS", [{"S": "a"}], False),
    ("n", "CONTAINS", [{"N": "5"}], False),
    ("t", "CONTAINS", [{"BOOL": True}], False),
    ("missing", "CONTAINS", [{"S": "a"}], False),
    # NOT_CONTAINS: the negation of CONTAINS on an attribute that exists; false on a missing one.
    ("s", "NOT_CONTAINS", [{"S": "xyz"}], True),
    ("s", "NOT_CONTAINS", [{"S": "ell"}], False),
    ("s", "NOT_CONTAINS", [{"N": "1"}], True),
    ("n", "NOT_CONTAINS", [{"S": "x"}], True),
    ("ss", "NOT_CONTAINS", [{"S": "c"}], True),
    ("ss", "NOT_CONTAINS", [{"S": "a"}], False),
    ("ns", "NOT_CONTAINS", [{"N": "1"}], False),
    ("bs", "NOT_CONTAINS", [{"B": b"\x03"}], True),
    ("l", "NOT_CONTAINS", [{"S": "a"}], False),
    ("l", "NOT_CONTAINS", [{"S": "z"}], True),
    ("b", "NOT_CONTAINS", [{"B": b"\x09"}], True),
    ("missing", "NOT_CONTAINS", [{"S": "a"}], False),
    # BEGINS_WITH: a prefix of S or B of the same type.
    ("s", "BEGINS_WITH", [{"S": "he"}], True),
    ("s", "BEGINS_WITH", [{"S": "lo"}], False),
    ("s", "BEGINS_WITH", [{"S": ""}], True),
    ("b", "BEGINS_WITH", [{"B": b"\x01"}], True),
    ("b", "BEGINS_WITH", [{"S": "x"}], False),
    ("n", "BEGINS_WITH", [{"S": "5"}], False),
    ("ss", "BEGINS_WITH", [{"S": "a"}], False),
    ("missing", "BEGINS_WITH", [{"S": "a"}], False),
]


@pytest.mark.parametrize(("name", "operator", "args", "expected"), CASES)
def test_comparison_operator(name: str, operator: str, args: list[Any], expected: bool) -> None:
    assert holds(name, operator, *args) is expected
    condition = filter_condition(
        {name: {"ComparisonOperator": operator, "AttributeValueList": args}}, None, "ScanFilter"
    )
    assert condition is not None and condition.evaluate(ITEM) is expected


@pytest.mark.parametrize(
    ("operator", "args", "expected"),
    [
        ("EQ", [S], False),
        ("NE", [S], True),
        ("NULL", [], True),
        ("NOT_NULL", [], False),
        ("CONTAINS", [{"S": "a"}], False),
        ("NOT_CONTAINS", [{"S": "a"}], False),
        ("IN", [S], False),
        ("BETWEEN", [{"N": "1"}, {"N": "2"}], False),
    ],
)
def test_no_item_is_an_item_without_attributes(operator: str, args: list[Any], expected: bool) -> None:
    assert holds("s", operator, *args, item=None) is expected


def test_not_contains_differs_from_not_contains_function_only_on_missing_attributes() -> None:
    """ScyllaDB: 'if an attribute does not exist at all, NOT_CONTAINS fails', unlike NE and unlike
    the expression ``NOT contains(a, :v)``."""
    parsed = parse_expressions(
        names={"#m": "missing"}, values={":v": {"S": "a"}}, condition="NOT contains(#m, :v)"
    )
    assert parsed.condition is not None and parsed.condition.evaluate(ITEM) is True
    assert holds("missing", "NOT_CONTAINS", {"S": "a"}) is False


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"Value": S}, True),
        ({"Value": {"S": "other"}}, False),
        ({"Value": {"N": "1"}, "Exists": True}, False),
        ({"Value": S, "Exists": True}, True),
        ({"Exists": False}, False),
        ({"ComparisonOperator": "GT", "Value": {"S": "a"}}, True),
        ({"ComparisonOperator": "IN", "Value": S}, True),
    ],
)
def test_value_and_exists(entry: dict[str, Any], expected: bool) -> None:
    """Value alone (or with Exists true) is EQ; Exists false is NULL; Value can stand for the one
    argument of a ComparisonOperator."""
    condition = expected_condition({"s": entry}, None)
    assert condition is not None and condition.evaluate(ITEM) is expected
    missing = expected_condition({"missing": entry}, None)
    assert missing is not None and missing.evaluate(ITEM) is (entry == {"Exists": False})


# A true and a false test on each of two attributes of ITEM.
TESTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "s": ({"Value": S}, {"Exists": False}),
    "n": ({"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]}, {"ComparisonOperator": "NULL"}),
}


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        (None, [True, False, False, False]),
        ("AND", [True, False, False, False]),
        ("OR", [True, True, True, False]),
    ],
)
def test_conditional_operator_joins_the_tests(operator: str | None, expected: list[bool]) -> None:
    """AND by default (ScyllaDB's multi tests); OR needs one true test."""
    got = []
    for s_holds, n_holds in ((True, True), (True, False), (False, True), (False, False)):
        entries = {"s": TESTS["s"][0 if s_holds else 1], "n": TESTS["n"][0 if n_holds else 1]}
        condition = expected_condition(entries, operator)
        assert condition is not None
        got.append(condition.evaluate(ITEM))
    assert got == expected


def test_condition_reads_top_level_attributes_literally() -> None:
    """A legacy attribute name is a name, never a document path: ``a.b`` is one attribute."""
    item: dict[str, Any] = {"a.b": {"S": "x"}, "a": {"M": {"b": {"S": "y"}}}}
    condition = expected_condition({"a.b": {"Value": {"S": "x"}}}, None)
    assert condition is not None and condition.evaluate(item) is True
    assert [path.render() for path in condition.paths] == ["[a.b]"]


# --- property: legacy operators that coincide with expressions ----------------------------------

_ORDERED = st.one_of(
    st.lists(st.text(alphabet="ab\u00e9", max_size=2), min_size=1, max_size=3),
    st.lists(
        st.sampled_from([Decimal(-1), Decimal("0.5"), Decimal(3), Decimal("1E+3")]), min_size=1, max_size=3
    ),
    st.lists(st.binary(max_size=2), min_size=1, max_size=3),
)


@st.composite
def legacy_tests(draw: st.DrawFn) -> tuple[str, list[Any]]:
    """An operator and its arguments (model values), valid for DynamoDB."""
    operator = draw(
        st.sampled_from(
            [
                "EQ",
                "NE",
                "LT",
                "LE",
                "GT",
                "GE",
                "BETWEEN",
                "IN",
                "NULL",
                "NOT_NULL",
                "BEGINS_WITH",
                "CONTAINS",
                "VALUE",
                "ABSENT",
            ]
        )
    )
    if operator in ("EQ", "NE", "VALUE"):
        return operator, [draw(values(max_leaves=3))]
    if operator in ("NULL", "NOT_NULL", "ABSENT"):
        return operator, []
    if operator == "CONTAINS":
        return operator, [draw(scalars())]
    if operator == "BEGINS_WITH":
        return operator, [draw(st.one_of(st.text(max_size=2), st.binary(max_size=2)))]
    same_type = draw(_ORDERED)
    if operator == "IN":
        return operator, same_type
    if operator == "BETWEEN":
        low, high = sorted([same_type[0], same_type[-1]])
        return operator, [low, high]
    return operator, same_type[:1]


_TEXT_FORMS = {
    "EQ": "#n{i} = :v{i}_0",
    "VALUE": "#n{i} = :v{i}_0",
    "NE": "#n{i} <> :v{i}_0",
    "LT": "#n{i} < :v{i}_0",
    "LE": "#n{i} <= :v{i}_0",
    "GT": "#n{i} > :v{i}_0",
    "GE": "#n{i} >= :v{i}_0",
    "BETWEEN": "#n{i} BETWEEN :v{i}_0 AND :v{i}_1",
    "NULL": "attribute_not_exists(#n{i})",
    "ABSENT": "attribute_not_exists(#n{i})",
    "NOT_NULL": "attribute_exists(#n{i})",
    "BEGINS_WITH": "begins_with(#n{i}, :v{i}_0)",
    "CONTAINS": "contains(#n{i}, :v{i}_0)",
}


def _entry(operator: str, args: list[Any]) -> dict[str, Any]:
    if operator == "VALUE":
        return {"Value": to_av(args[0])}
    if operator == "ABSENT":
        return {"Exists": False}
    return {"ComparisonOperator": operator, "AttributeValueList": [to_av(arg) for arg in args]}


@given(
    item=items(),
    tests=st.dictionaries(st.sampled_from(ITEM_NAMES), legacy_tests(), min_size=1, max_size=4),
    joiner=st.sampled_from([None, "AND", "OR"]),
)
@property_settings(200)
def test_legacy_agrees_with_the_equivalent_expression(
    item: dict[str, Any], tests: dict[str, tuple[str, list[Any]]], joiner: str | None
) -> None:
    operator = joiner if len(tests) > 1 else None
    expected = {name: _entry(op, args) for name, (op, args) in tests.items()}
    names: dict[str, str] = {}
    bound: dict[str, Any] = {}
    parts = []
    for i, (name, (op, args)) in enumerate(tests.items()):
        names[f"#n{i}"] = name
        bound.update({f":v{i}_{j}": to_av(arg) for j, arg in enumerate(args)})
        if op == "IN":
            parts.append(f"#n{i} IN ({', '.join(f':v{i}_{j}' for j in range(len(args)))})")
        else:
            parts.append(_TEXT_FORMS[op].format(i=i))
    text = (" OR " if operator == "OR" else " AND ").join(parts)
    parsed = parse_expressions(names=names, values=bound or None, condition=text).condition
    legacy = expected_condition(expected, operator)
    assert parsed is not None and legacy is not None
    av_item = to_av_item(item)
    assert legacy.evaluate(av_item) == parsed.evaluate(av_item)
    assert legacy.evaluate(None) == parsed.evaluate(None)
