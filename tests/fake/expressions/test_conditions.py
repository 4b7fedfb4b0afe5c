"""Tests for ConditionExpression / FilterExpression parsing, validation and evaluation (``conditions.py``).

Sections: shape and size errors, syntax errors, text-only errors and their order, errors against
names and values and their order, evaluation truth tables (comparators, BETWEEN, IN, functions,
boolean logic and precedence, document paths), the parse cache.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions import ConditionExpression, parse_condition
from aiodynamodb_fake.expressions.conditions import _parse_text

P = "Invalid ConditionExpression: "
N1 = {"N": "1"}


def error(expression: Any, values: Any = None, names: Any = None, kind: str = "ConditionExpression") -> str:
    with pytest.raises(ValidationException) as err:
        parse_condition(expression, names, values, kind)
    return str(err.value.message)


def holds(expression: str, item: Any, values: Any = None, names: Any = None) -> bool:
    return parse_condition(expression, names, values).evaluate(item)


def vals(**values: Any) -> dict[str, Any]:
    return {":" + key: value for key, value in values.items()}


# --- shape and size ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (5, "NUMBER_VALUE cannot be converted to String"),
        (True, "TRUE_VALUE cannot be converted to String"),
        ({"a": 1}, "Start of structure or map found where not expected"),
        (["a"], "Unrecognized collection type class java.lang.String"),
    ],
)
def test_non_string_expression_is_a_serialization_error(expression: Any, message: str) -> None:
    with pytest.raises(SerializationException) as err:
        parse_condition(expression, None, None)
    assert err.value.message == message


@pytest.mark.parametrize("kind", ["ConditionExpression", "FilterExpression", "KeyConditionExpression"])
@pytest.mark.parametrize("expression", ["", "  ", "\t\r\n"])
def test_empty_expression_names_its_parameter(kind: str, expression: str) -> None:
    assert error(expression, kind=kind) == f"Invalid {kind}: The expression can not be empty;"


def test_expression_over_4_kb_names_its_size() -> None:
    expression = "a = :v" + " AND a = :v" * 373  # 4109 bytes
    assert error(expression, vals(v=N1)) == (
        P + "Expression size has exceeded the maximum allowed size; expression size: 4109"
    )
    assert parse_condition("a = :v" + " " * 4090, None, vals(v=N1)).evaluate({"a": N1})


def test_size_counts_utf8_bytes() -> None:
    expression = "#a = :v" + " " * 2044 + "é" * 1024  # 2051 characters, 4099 bytes
    assert error(expression).endswith("expression size: 4099")


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_condition("a = :v", None, vals(v=N1), "ProjectionExpression")


# --- syntax errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "token", "near"),
    [
        ("INVALID SYNTAX", "SYNTAX", "INVALID SYNTAX"),
        ("!!! INVALID !!!", "!", "!!"),
        ("a", "<EOF>", "a"),
        ("foo", "<EOF>", "foo"),
        ("a = = :v", "=", "= = :v"),
        ("a = :v b", "b", ":v b"),
        ("a = b = c", "=", "b = c"),
        ("a != :v", "!", "a !="),
        ("a IN ()", ")", "()"),
        ("a BETWEEN :x", "<EOF>", ":x"),
        ("a BETWEEN :x OR :y", "OR", ":x OR :y"),
        ("a = :v AND", "<EOF>", "AND"),
        ("(a = :v", "<EOF>", ":v"),
        ("a = :v)", ")", ":v)"),
        ("NOT", "<EOF>", "NOT"),
        ("a = and", "and", "= and"),
        ("a = :v OR between = :v", "between", "OR between ="),
        ("_a = :v", "_", "_a"),
        ("a[x] = :v", "x", "[x]"),
        ("a.:v = :v", ":v", ".:v ="),
        ("attribute_exists()", ")", "()"),
        (":v", "<EOF>", ":v"),
        ("size(a)[0] > :v", "[", ")[0"),
    ],
)
def test_syntax_errors_name_the_token_and_its_neighbours(expression: str, token: str, near: str) -> None:
    assert error(expression, vals(v=N1, x=N1, y=N1)) == P + f'Syntax error; token: "{token}", near: "{near}"'


def test_keywords_are_case_insensitive() -> None:
    item = {"a": {"N": "5"}}
    values = vals(lo={"N": "1"}, hi={"N": "9"}, v={"N": "5"})
    assert holds("a between :lo and :hi And not a in (:lo) oR a = :v", item, values)


# --- errors of the text alone, in DynamoDB's order -----------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("((a = :v))", "The expression has redundant parentheses;"),
        ("NOT ((a = :v))", "The expression has redundant parentheses;"),
        ("((a)) = :v", "The expression has redundant parentheses;"),
        ("(((a = :v)))", "The expression has redundant parentheses;"),
        ("foo(a)", "Invalid function name; function: foo"),
        ("ATTRIBUTE_EXISTS(a)", "Invalid function name; function: ATTRIBUTE_EXISTS"),
        ("a = bar(b)", "Invalid function name; function: bar"),
        ("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
        (
            "attribute_exists(a) = :v",
            "The function is not allowed to be used this way in an expression; function: attribute_exists",
        ),
        (
            "if_not_exists(a, :v) = :v",
            "The function is not allowed to be used this way in an expression; function: if_not_exists",
        ),
        (
            "list_append(a, :v)",
            "The function is not allowed to be used this way in an expression; function: list_append",
        ),
        (
            "begins_with(contains(a, :v), :v)",
            "The function is not allowed to be used this way in an expression; function: contains",
        ),
        ("name = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
        ("a.Size = :v", "Attribute name is a reserved keyword; reserved keyword: Size"),
        ("attribute_exists(a.b[1].status)", "Attribute name is a reserved keyword; reserved keyword: status"),
    ],
)
def test_text_errors(expression: str, message: str) -> None:
    assert error(expression, vals(v=N1)) == P + message


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # redundant parentheses, then unknown function, then misused function, then reserved word
        ("name = :v AND size(a) AND foo(b) AND ((c = :v))", "The expression has redundant parentheses;"),
        ("name = :v AND size(a) AND foo(b)", "Invalid function name; function: foo"),
        (
            "name = :v AND size(a)",
            "The function is not allowed to be used this way in an expression; function: size",
        ),
        ("name = :v AND #undefined = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
        # within one kind, the first met: arguments before the call holding them
        ("foo(bar(a))", "Invalid function name; function: bar"),
        ("name = :v AND status = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
    ],
)
def test_text_errors_order(expression: str, message: str) -> None:
    assert error(expression, vals(v=N1)) == P + message


def test_text_errors_come_before_names_and_values() -> None:
    assert error("#x = :absent AND size(a)") == (
        P + "The function is not allowed to be used this way in an expression; function: size"
    )


# --- errors against names and values, in DynamoDB's order ----------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "#x = :v",
            "An expression attribute name used in the document path is not defined; attribute name: #x",
        ),
        ("a = :x", "An expression attribute value used in expression is not defined; attribute value: :x"),
        (
            "a.#x[2] = :v",
            "An expression attribute name used in the document path is not defined; attribute name: #x",
        ),
        (
            "begins_with(a)",
            "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
        ),
        (
            "size(a, b) = :v",
            "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2",
        ),
        (
            "attribute_exists(a, b)",
            "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
        ),
        (
            "a = a",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
        ),
        (
            "a.b[1] < a.b[1]",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: <, first operand: [a, b, [1]]",
        ),
        (
            "contains(a, a)",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]",
        ),
        (
            "attribute_exists(:v)",
            "Operator or function requires a document path; operator or function: attribute_exists",
        ),
        (
            "attribute_not_exists(size(a))",
            "Operator or function requires a document path; operator or function: attribute_not_exists",
        ),
        (
            "begins_with(a, :v)",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "begins_with(size(a), :s)",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "size(:v) = :v",
            "Incorrect operand type for operator or function; operator or function: size, operand type: N",
        ),
        (
            "size(size(a)) = :v",
            "Incorrect operand type for operator or function; operator or function: size, operand type: N",
        ),
        (
            "size(:t) = :v",
            "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL",
        ),
        (
            "attribute_type(a, :v)",
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
        ),
        (
            "attribute_type(a, b)",
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}",
        ),
        (
            "attribute_type(a, :s)",
            "Invalid attribute type name found; type: x, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
        ),
        (
            "a < :l",
            "Incorrect operand type for operator or function; operator or function: <, operand type: L",
        ),
        (
            ":t >= a",
            "Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL",
        ),
        (
            "a BETWEEN :v AND :s",
            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}",
        ),
        (
            "a BETWEEN :five AND :v",
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
        ),
        (
            "a BETWEEN :t AND :t",
            "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL",
        ),
        (
            "a BETWEEN :l AND b",
            "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L",
        ),
        (
            "a IN (" + ", ".join([":v"] * 101) + ")",
            "The IN operator is provided with too many operands; number of operands: 101",
        ),
    ],
)
def test_value_errors(expression: str, message: str) -> None:
    values = vals(v=N1, s={"S": "x"}, t={"BOOL": True}, l={"L": []}, five={"N": "5"})
    assert error(expression, values) == P + message


def test_binary_between_bounds_are_shown_in_base64() -> None:
    values = vals(hi={"B": b"\x01"}, lo={"B": b"\x02"})
    assert error("a BETWEEN :lo AND :hi", values) == P + (
        "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
        "lower bound operand: AttributeValue: {B:Ag==}, upper bound operand: AttributeValue: {B:AQ==}"
    )


def test_a_hundred_in_operands_are_accepted() -> None:
    expression = "a IN (" + ", ".join([":v"] * 100) + ")"
    assert holds(expression, {"a": N1}, vals(v=N1))


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # the first condition with an error reports it, whatever comes later
        (
            "begins_with(a, :v) AND #x = :v",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "#x = :v AND begins_with(a, :v)",
            "An expression attribute name used in the document path is not defined; attribute name: #x",
        ),
        # within one condition: undefined name or value, operand count, distinct operands, types
        (
            "begins_with(a, :absent, :v)",
            "An expression attribute value used in expression is not defined; attribute value: :absent",
        ),
        (
            "size(a, a) = #x",
            "An expression attribute name used in the document path is not defined; attribute name: #x",
        ),
        (
            "contains(size(:v, a), :v) AND a = a",
            "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2",
        ),
        (
            "begins_with(a, a) AND begins_with(b, :v)",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a]",
        ),
        (
            "size(:v) = size(:v) AND x = x",
            "Incorrect operand type for operator or function; operator or function: size, operand type: N",
        ),
        (
            "a = :x AND #y = :v",
            "An expression attribute value used in expression is not defined; attribute value: :x",
        ),
    ],
)
def test_value_errors_order(expression: str, message: str) -> None:
    assert error(expression, vals(v=N1)) == P + message


def test_each_kind_prefixes_its_messages() -> None:
    assert error("a = :x", kind="FilterExpression") == (
        "Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :x"
    )


def test_nesting_beyond_32_levels() -> None:
    deep = "a" + ".b" * 32
    assert (
        error(deep + " = :v", vals(v=N1))
        == P + "The document path has too many nesting levels; nesting levels: 33"
    )
    assert not holds("a" + ".b" * 31 + " = :v", {}, vals(v=N1))


def test_used_names_and_values() -> None:
    condition = parse_condition(
        "#a = :v OR (#b.c < :w AND attribute_exists(#a))",
        {"#a": "x", "#b": "y", "#z": "z"},
        vals(v=N1, w=N1, u=N1),
    )
    assert condition.used_names == frozenset({"#a", "#b"})
    assert condition.used_values == frozenset({":v", ":w"})
    assert [path.render() for path in condition.paths] == ["[x]", "[y, c]", "[x]"]


# --- evaluation ----------------------------------------------------------------------------------

ITEM: dict[str, Any] = {
    "n": {"N": "10"},
    "s": {"S": "banana"},
    "b": {"B": b"\x01\x02\x03"},
    "t": {"BOOL": True},
    "z": {"NULL": True},
    "ss": {"SS": ["red", "green"]},
    "ns": {"NS": ["1", "5"]},
    "bs": {"BS": [b"\x01", b"\xff"]},
    "l": {"L": [{"S": "a"}, {"N": "3"}, {"L": [{"S": "x"}]}]},
    "m": {"M": {"deep": {"M": {"v": {"S": "x"}}}, "arr": {"L": [{"M": {"v": {"N": "1"}}}]}}},
    "u": {"S": "\U0001f600"},
    "e": {"S": ""},
}


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("n = :v", vals(v={"N": "10.0"}), True),
        ("n = :v", vals(v={"S": "10"}), False),
        ("n <> :v", vals(v={"S": "10"}), True),
        ("n < :v", vals(v={"N": "9.99"}), False),
        ("n > :v", vals(v={"N": "9.99"}), True),
        ("n <= :v", vals(v={"N": "1E1"}), True),
        ("n >= :v", vals(v={"N": "100"}), False),
        ("n > :v", vals(v={"S": "1"}), False),
        ("s < :v", vals(v={"S": "banana_"}), True),
        ("s > :v", vals(v={"S": "Banana"}), True),
        ("u > :v", vals(v={"S": "\ufffd"}), True),
        ("b < :v", vals(v={"B": b"\x01\x02\x04"}), True),
        ("b > :v", vals(v={"B": b"\x01\x02"}), True),
        ("t = :v", vals(v={"BOOL": True}), True),
        ("t = :v", vals(v={"N": "1"}), False),
        ("z = :v", vals(v={"NULL": True}), True),
        ("ss = :v", vals(v={"SS": ["green", "red"]}), True),
        ("ss = :v", vals(v={"SS": ["green"]}), False),
        ("ns = :v", vals(v={"NS": ["5", "1"]}), True),
        ("bs = :v", vals(v={"BS": [b"\xff", b"\x01"]}), True),
        ("l = :v", vals(v={"L": [{"S": "a"}, {"N": "3.0"}, {"L": [{"S": "x"}]}]}), True),
        ("l = :v", vals(v={"L": [{"N": "3"}, {"S": "a"}, {"L": [{"S": "x"}]}]}), False),
        ("m.deep = :v", vals(v={"M": {"v": {"S": "x"}}}), True),
        ("absent = :v", vals(v=N1), False),
        ("absent <> :v", vals(v=N1), True),
        ("absent < :v", vals(v=N1), False),
        (":v >= absent", vals(v=N1), False),
        ("l > :v", vals(v=N1), False),
        ("e = :v", vals(v={"S": ""}), True),
    ],
)
def test_comparisons(expression: str, values: dict[str, Any], expected: bool) -> None:
    assert holds(expression, ITEM, values) is expected


@pytest.mark.parametrize("op", ["=", "<", "<=", ">", ">="])
def test_two_absent_attributes_compare_false_except_not_equal(op: str) -> None:
    assert not holds(f"q {op} r", ITEM)
    assert holds("q <> r", ITEM)
    assert not holds("q BETWEEN r AND w", ITEM)


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("n BETWEEN :lo AND :hi", vals(lo={"N": "10"}, hi={"N": "20"}), True),
        ("n BETWEEN :lo AND :hi", vals(lo={"N": "11"}, hi={"N": "20"}), False),
        ("n BETWEEN :lo AND :hi", vals(lo={"N": "1"}, hi={"N": "10"}), True),
        ("s BETWEEN :lo AND :hi", vals(lo={"S": "b"}, hi={"S": "c"}), True),
        ("b BETWEEN :lo AND :hi", vals(lo={"B": b"\x01"}, hi={"B": b"\x02"}), True),
        ("n BETWEEN :lo AND :hi", vals(lo={"S": "1"}, hi={"S": "z"}), False),
        ("absent BETWEEN :lo AND :hi", vals(lo={"N": "1"}, hi={"N": "2"}), False),
        ("n BETWEEN ns AND :hi", vals(hi={"N": "20"}), False),
        ("ns[0] BETWEEN :lo AND :hi", vals(lo={"N": "1"}, hi={"N": "2"}), False),
        ("l[1] BETWEEN :lo AND n", vals(lo={"N": "1"}), True),
        ("n BETWEEN n2 AND :hi", vals(hi={"N": "20"}), False),
        ("s IN (:a, :b)", vals(a={"S": "apple"}, b={"S": "banana"}), True),
        ("s IN (:a)", vals(a={"S": "apple"}), False),
        ("n IN (:a, :b)", vals(a={"S": "10"}, b={"N": "1E1"}), True),
        ("ss IN (:a)", vals(a={"SS": ["green", "red"]}), True),
        ("absent IN (:a)", vals(a={"N": "1"}), False),
        ("n IN (absent, l[1], n)", {}, True),
    ],
)
def test_between_and_in(expression: str, values: dict[str, Any], expected: bool) -> None:
    assert holds(expression, ITEM, values) is expected


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("attribute_exists(n)", {}, True),
        ("attribute_exists(z)", {}, True),
        ("attribute_exists(absent)", {}, False),
        ("attribute_exists(l[2][0])", {}, True),
        ("attribute_exists(l[3])", {}, False),
        ("attribute_exists(n.x)", {}, False),
        ("attribute_exists(l.x)", {}, False),
        ("attribute_exists(m[0])", {}, False),
        ("attribute_not_exists(absent)", {}, True),
        ("attribute_not_exists(m.arr[0].v)", {}, False),
        ("attribute_type(ss, :t)", vals(t={"S": "SS"}), True),
        ("attribute_type(z, :t)", vals(t={"S": "NULL"}), True),
        ("attribute_type(n, :t)", vals(t={"S": "S"}), False),
        ("attribute_type(absent, :t)", vals(t={"S": "S"}), False),
        ("attribute_type(:v, :t)", vals(v={"N": "0"}, t={"S": "N"}), True),
        ("begins_with(s, :p)", vals(p={"S": "ban"}), True),
        ("begins_with(s, :p)", vals(p={"S": "nan"}), False),
        ("begins_with(s, :p)", vals(p={"S": ""}), True),
        ("begins_with(b, :p)", vals(p={"B": b"\x01\x02"}), True),
        ("begins_with(b, :p)", vals(p={"S": "a"}), False),
        ("begins_with(n, :p)", vals(p={"S": "1"}), False),
        ("begins_with(:p, s)", vals(p={"S": "bananas"}), True),
        ("begins_with(absent, :p)", vals(p={"S": "a"}), False),
        ("contains(s, :v)", vals(v={"S": "nan"}), True),
        ("contains(s, :v)", vals(v={"S": "x"}), False),
        ("contains(b, :v)", vals(v={"B": b"\x02\x03"}), True),
        ("contains(b, :v)", vals(v={"S": "a"}), False),
        ("contains(ss, :v)", vals(v={"S": "red"}), True),
        ("contains(ss, :v)", vals(v={"S": "blue"}), False),
        ("contains(ns, :v)", vals(v={"N": "5.0"}), True),
        ("contains(ns, :v)", vals(v={"S": "5"}), False),
        ("contains(bs, :v)", vals(v={"B": b"\xff"}), True),
        ("contains(l, :v)", vals(v={"N": "3"}), True),
        ("contains(l, :v)", vals(v={"L": [{"S": "x"}]}), True),
        ("contains(l, :v)", vals(v={"S": "x"}), False),
        ("contains(n, :v)", vals(v={"N": "1"}), False),
        ("contains(m, :v)", vals(v={"S": "deep"}), False),
        ("contains(s, m.deep.v)", {}, False),
        ("contains(absent, :v)", vals(v={"S": "a"}), False),
        ("size(s) = :v", vals(v={"N": "6"}), True),
        ("size(u) = :v", vals(v={"N": "2"}), True),
        ("size(e) = :v", vals(v={"N": "0"}), True),
        ("size(b) = :v", vals(v={"N": "3"}), True),
        ("size(ss) = :v", vals(v={"N": "2"}), True),
        ("size(l) = :v", vals(v={"N": "3"}), True),
        ("size(m) = :v", vals(v={"N": "2"}), True),
        ("size(n) = :v", vals(v={"N": "2"}), False),
        ("size(n) <> :v", vals(v={"N": "2"}), True),
        ("size(t) >= :v", vals(v={"N": "0"}), False),
        ("size(absent) = :v", vals(v={"N": "0"}), False),
        ("size(s) = :v", vals(v={"S": "6"}), False),
        ("size(s) > size(ss)", {}, True),
        ("size(:v) = :six", vals(v={"S": "banana"}, six={"N": "6"}), True),
        ("size(s) BETWEEN :lo AND :hi", vals(lo={"N": "5"}, hi={"N": "7"}), True),
        ("size(s) IN (:lo, :hi)", vals(lo={"N": "5"}, hi={"N": "6"}), True),
    ],
)
def test_functions(expression: str, values: dict[str, Any], expected: bool) -> None:
    assert holds(expression, ITEM, values) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("n = :yes OR n = :yes AND n = :no", True),  # AND before OR
        ("(n = :yes OR n = :yes) AND n = :no", False),
        ("NOT n = :no AND n = :yes", True),  # NOT before AND
        ("NOT (n = :yes AND n = :no)", True),
        ("NOT n = :yes OR n = :yes", True),
        ("NOT NOT NOT NOT n = :yes", True),
        ("NOT NOT NOT n = :yes", False),
        ("n BETWEEN :yes AND :yes AND n = :yes", True),  # BETWEEN's AND binds first
        ("n = :no OR n = :no OR n = :yes", True),
        ("n = :yes AND n = :yes AND n = :no", False),
        ("(n = :yes) AND ((n = :yes) OR (n = :no))", True),
        ("n IN (:no) OR NOT attribute_exists(absent) AND (n) = :yes", True),
    ],
)
def test_boolean_logic_and_precedence(expression: str, expected: bool) -> None:
    assert holds(expression, ITEM, vals(yes={"N": "10"}, no={"N": "11"})) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("m.deep.v = :x", True),
        ("#m.#d.#v = :x", True),
        ("m.arr[0].v = :one", True),
        ("m.arr[1].v = :one", False),
        ("l[2][0] = :x", True),
        ("l[0][0] = :x", False),
        ("#dotted = :x", True),
        ("dotted = :x", False),
    ],
)
def test_document_paths(expression: str, expected: bool) -> None:
    item = {**ITEM, "dotted.name": {"S": "x"}}
    names = {"#m": "m", "#d": "deep", "#v": "v", "#dotted": "dotted.name"}
    used = {key: value for key, value in names.items() if key in expression}
    assert holds(expression, item, vals(x={"S": "x"}, one={"N": "1"}), used or None) is expected


def test_absent_item_is_an_empty_item() -> None:
    assert not holds("attribute_exists(pk)", None)
    assert holds("attribute_not_exists(pk)", None)
    assert holds("pk <> :v", None, vals(v={"S": "x"}))


def test_evaluation_reads_but_never_changes_the_item() -> None:
    import copy

    item = copy.deepcopy(ITEM)
    holds("contains(l, :v) OR size(m) > :v", item, vals(v={"N": "1"}))
    assert item == ITEM


def test_condition_is_frozen() -> None:
    condition = parse_condition("a = :v", None, vals(v=N1))
    assert isinstance(condition, ConditionExpression)
    with pytest.raises(AttributeError):
        condition.kind = "x"  # type: ignore[misc]  # the frozen dataclass under test


# --- the parse cache -----------------------------------------------------------------------------


def test_the_parse_is_cached_by_text_and_bounded() -> None:
    _parse_text.cache_clear()
    parse_condition("a = :v", None, vals(v=N1))
    parse_condition("a = :v", None, vals(v={"S": "other"}))
    info = _parse_text.cache_info()
    assert (info.hits, info.misses, info.entries) == (1, 1, 1)
    assert info.max_entries <= 1024 and info.max_cost <= 2 * 1024 * 1024


def test_errors_and_long_texts_are_not_cached() -> None:
    _parse_text.cache_clear()
    with pytest.raises(ValidationException):
        parse_condition("((a = :v))", None, vals(v=N1))
    long = "a = :v" + " OR a = :v" * 300  # 3006 characters: past the cached size
    parse_condition(long, None, vals(v=N1))
    assert _parse_text.cache_info().entries == 0
