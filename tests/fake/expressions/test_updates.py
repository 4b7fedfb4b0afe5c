"""Tests for UpdateExpression parsing and validation (``updates.py``) and planning (``update_plan.py``).

Sections: shape errors, syntax errors, text-only errors and their order, errors against names and
values and their order, planning (SET, REMOVE, ADD, DELETE, lists, arithmetic), errors while
planning and their order, the paths reported for ReturnValues, the old item left alone.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions import UpdateExpression, parse_update
from aiodynamodb_fake.expressions.update_plan import add_numbers

P = "Invalid UpdateExpression: "
N1 = {"N": "1"}
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"
WRONG_TYPE = "An operand in the update expression has an incorrect data type"
INVALID_PATH = "The document path provided in the update expression is invalid for update"


def vals(**values: Any) -> dict[str, Any]:
    return {":" + key: value for key, value in values.items()}


def error(expression: Any, values: Any = None, names: Any = None) -> str:
    with pytest.raises(ValidationException) as err:
        parse_update(expression, names, values)
    return str(err.value.message)


def plan(expression: str, item: Any, values: Any = None, names: Any = None, key: Any = None) -> Any:
    return parse_update(expression, names, values).plan(item, key)


def plan_error(expression: str, item: Any, values: Any = None, key: Any = None) -> str:
    update = parse_update(expression, None, values)
    with pytest.raises(ValidationException) as err:
        update.plan(item, key)
    return str(err.value.message)


# --- shape, size and syntax ----------------------------------------------------------------------


def test_non_string_expression_is_a_serialization_error() -> None:
    with pytest.raises(SerializationException) as err:
        parse_update(7, None, None)
    assert err.value.message == "NUMBER_VALUE cannot be converted to String"


def test_empty_and_oversized_expressions() -> None:
    assert error("") == P + "The expression can not be empty;"
    assert error(" \n") == P + "The expression can not be empty;"
    long = "SET " + ", ".join(f"a{i} = :v" for i in range(500))
    assert error(long, vals(v=N1)) == P + "Expression size has exceeded the maximum allowed size;"


@pytest.mark.parametrize(
    ("expression", "token", "near"),
    [
        ("INVALID SYNTAX HERE", "INVALID", "INVALID SYNTAX"),
        ("SET", "<EOF>", "SET"),
        ("SET a", "<EOF>", "a"),
        ("SET a =", "<EOF>", "="),
        ("SET a = :v + :v + :v", "+", ":v + :v"),
        ("SET a = :v,", "<EOF>", ","),
        ("SET :a = :v", ":a", "SET :a ="),
        ("SET _123 = :v", "_", "SET _123"),
        ("SET a[:x] = :v", ":x", "[:x]"),
        ("SET a[#x] = :v", "#x", "[#x]"),
        ("SET c = if_not_exists(c, :v + :v)", "+", ":v + :v"),
        ("SET a = (((:v)))", "(", "((:v"),
        ("REMOVE", "<EOF>", "REMOVE"),
        ("REMOVE a = :v", "=", "a = :v"),
        ("ADD a", "<EOF>", "a"),
        ("ADD a b", "b", "a b"),
        ("DELETE a :v, b", "<EOF>", "b"),
        ("SET a = :v, REMOVE b", "REMOVE", ", REMOVE b"),
        ("SET a = remove", "remove", "= remove"),
        ("HELLO b = :v", "HELLO", "HELLO b"),
        ("SET a = :v WHERE b = :v", "WHERE", ":v WHERE b"),
    ],
)
def test_syntax_errors(expression: str, token: str, near: str) -> None:
    assert error(expression, vals(v=N1)) == P + f'Syntax error; token: "{token}", near: "{near}"'


def test_sections_and_their_keywords() -> None:
    update = parse_update("set a = :v remove b aDd c :v Delete d :s", None, vals(v=N1, s={"SS": ["x"]}))
    assert [clause.keyword for clause in update.ast.clauses] == ["SET", "REMOVE", "ADD", "DELETE"]
    assert [path.render() for path in update.paths] == ["[a]", "[b]", "[c]", "[d]"]
    assert plan("SET a = (:v)", {}, vals(v=N1)).item == {"a": N1}
    assert plan("SET a = (b)", {"b": N1}).item == {"a": N1, "b": N1}
    assert plan("SET a = (:v + :v)", {}, vals(v=N1)).item == {"a": {"N": "2"}}
    assert plan("SET a = (:v) + (:v)", {}, vals(v=N1)).item == {"a": {"N": "2"}}


# --- errors of the text alone --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("SET status = :v", "Attribute name is a reserved keyword; reserved keyword: status"),
        ("SET a = b.#x.Value", "Attribute name is a reserved keyword; reserved keyword: Value"),
        ("SET a = f(b, c, d)", "Invalid function name; function: f"),
        ("SET a = LIST_APPEND(:v, :v)", "Invalid function name; function: LIST_APPEND"),
        (
            "SET a = size(b)",
            "The function is not allowed to be used this way in an expression; function: size",
        ),
        (
            "SET a = if_not_exists(b, attribute_exists(c))",
            "The function is not allowed to be used this way in an expression; function: attribute_exists",
        ),
        (
            "SET a = list_append(list_append(:v, :v), :v)",
            "The function is not allowed to be used this way in an expression; function: list_append",
        ),
        ("SET a = :v SET b = :v", 'The "SET" section can only be used once in an update expression;'),
        (
            "SET a = :v REMOVE b SET c = :v",
            'The "SET" section can only be used once in an update expression;',
        ),
        ("REMOVE a REMOVE b", 'The "REMOVE" section can only be used once in an update expression;'),
        # in order: reserved word, unknown function, misused function, duplicated section
        (
            "SET a = f(b) REMOVE c REMOVE status",
            "Attribute name is a reserved keyword; reserved keyword: status",
        ),
        ("SET a = size(b), c = f(d) REMOVE e REMOVE g", "Invalid function name; function: f"),
        (
            "SET a = size(b) REMOVE e REMOVE g",
            "The function is not allowed to be used this way in an expression; function: size",
        ),
    ],
)
def test_text_errors(expression: str, message: str) -> None:
    assert error(expression, vals(v=N1), {"#x": "x"}) == P + message


def test_list_append_around_if_not_exists_is_allowed() -> None:
    update = parse_update(
        "SET a = list_append(if_not_exists(a, :e), :v)", None, vals(e={"L": []}, v={"L": [N1]})
    )
    assert update.plan(None, {"pk": {"S": "k"}}).item == {"pk": {"S": "k"}, "a": {"L": [N1]}}


# --- errors against names and values, in dynalite's order ----------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "SET #a = :v",
            "An expression attribute name used in the document path is not defined; attribute name: #a",
        ),
        (
            "SET a = :x",
            "An expression attribute value used in expression is not defined; attribute value: :x",
        ),
        (
            "SET a = if_not_exists(#b, :v)",
            "An expression attribute name used in the document path is not defined; attribute name: #b",
        ),
        ("ADD a :x", "An expression attribute value used in expression is not defined; attribute value: :x"),
        # every undefined name comes before every undefined value
        (
            "SET a = :x, #b = :v",
            "An expression attribute name used in the document path is not defined; attribute name: #b",
        ),
        (
            "SET a = :v, a = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
        ),
        (
            "SET a = :v REMOVE a",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
        ),
        (
            "SET a.b = :v, a = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]",
        ),
        (
            "SET a[1][1] = :v, a[1] = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1], [1]], path two: [a, [1]]",
        ),
        (
            "SET #n = :v, #m = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [x], path two: [x]",
        ),
        (
            "SET a.b = :v, a[1] = :v",
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]",
        ),
        (
            "SET a.b.c = :v REMOVE a.b[2]",
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b, c], path two: [a, b, [2]]",
        ),
        # an overlap anywhere before a conflict
        (
            "SET a.b = :v, a[1] = :v, c = :v, c = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c], path two: [c]",
        ),
        ("ADD a :s", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
        ("ADD a :l", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST"),
        ("ADD a :m", "Incorrect operand type for operator or function; operator: ADD, operand type: MAP"),
        ("ADD a :t", "Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN"),
        ("ADD a :z", "Incorrect operand type for operator or function; operator: ADD, operand type: NULL"),
        ("ADD a :b", "Incorrect operand type for operator or function; operator: ADD, operand type: BINARY"),
        (
            "DELETE a :v",
            "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
        ),
        (
            "DELETE a :s",
            "Incorrect operand type for operator or function; operator: DELETE, operand type: STRING",
        ),
        (
            "SET a = list_append(:v)",
            "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1",
        ),
        (
            "SET a = if_not_exists(a, :v, :v)",
            "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 3",
        ),
        (
            "SET a = if_not_exists(:v, :v)",
            "Operator or function requires a document path; operator or function: if_not_exists",
        ),
        (
            "SET a = if_not_exists(if_not_exists(a, :v), :v)",
            "Operator or function requires a document path; operator or function: if_not_exists",
        ),
        (
            "SET a = list_append(:l, :s)",
            "Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
        ),
        (
            "SET a = list_append(b, :m)",
            "Incorrect operand type for operator or function; operator or function: list_append, operand type: M",
        ),
        (
            "SET a = :s + :v",
            "Incorrect operand type for operator or function; operator or function: +, operand type: S",
        ),
        (
            "SET a = b - :l",
            "Incorrect operand type for operator or function; operator or function: -, operand type: L",
        ),
        # operand types of ADD/DELETE before a function's own errors; arguments before their call
        (
            "SET a = list_append(:v) ADD b :s",
            "Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
        ),
        (
            "SET a = if_not_exists(:v, list_append(:s, :v))",
            "Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
        ),
        (
            "SET a = if_not_exists(b, :s) + :s",
            "Incorrect operand type for operator or function; operator or function: +, operand type: S",
        ),
    ],
)
def test_value_errors(expression: str, message: str) -> None:
    values = vals(
        v=N1, s={"S": "x"}, l={"L": []}, m={"M": {}}, t={"BOOL": True}, z={"NULL": True}, b={"B": b"x"}
    )
    assert error(expression, values, {"#n": "x", "#m": "x"}) == P + message


def test_nesting_beyond_32_levels() -> None:
    assert error("SET a" + ".b" * 32 + " = :v", vals(v=N1)) == (
        P + "The document path has too many nesting levels; nesting levels: 33"
    )


def test_used_names_and_values() -> None:
    update = parse_update(
        "SET #a = if_not_exists(#b, :v) REMOVE c ADD d :w", {"#a": "a", "#b": "b"}, vals(v=N1, w=N1)
    )
    assert (update.used_names, update.used_values) == (frozenset({"#a", "#b"}), frozenset({":v", ":w"}))
    assert isinstance(update, UpdateExpression)


# --- planning ------------------------------------------------------------------------------------

ITEM: dict[str, Any] = {
    "pk": {"S": "k"},
    "n": {"N": "2"},
    "s": {"S": "hello"},
    "l": {"L": [{"N": "2"}, {"N": "3"}, {"N": "4"}, {"N": "5"}, {"N": "6"}, {"N": "7"}]},
    "m": {"M": {"x": {"N": "3"}, "c": {"M": {"y": {"N": "3"}}}}},
    "ss": {"SS": ["dog", "cat"]},
    "ns": {"NS": ["1", "2"]},
    "bs": {"BS": [b"\x01"]},
}


def changed(expression: str, values: Any = None, item: Any = None, names: Any = None) -> dict[str, Any]:
    """The attributes whose values the update changed or added (None for removed ones)."""
    before = ITEM if item is None else item
    after = plan(expression, before, values, names).item
    return {key: after.get(key) for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("SET a = :v", vals(v=N1), {"a": N1}),
        ("SET n = :v", vals(v={"S": "x"}), {"n": {"S": "x"}}),
        ("SET a = s, b = n", None, {"a": {"S": "hello"}, "b": {"N": "2"}}),
        ("SET s = n, n = s", None, {"s": {"N": "2"}, "n": {"S": "hello"}}),
        ("SET a = m.c.y", None, {"a": {"N": "3"}}),
        ("SET n = n + :v", vals(v={"N": "0.5"}), {"n": {"N": "2.5"}}),
        ("SET n = :v - n", vals(v={"N": "1"}), {"n": {"N": "-1"}}),
        ("SET a = n + n", None, {"a": {"N": "4"}}),
        ("SET a = :x + :y", vals(x={"N": "0.1"}, y={"N": "0.2"}), {"a": {"N": "0.3"}}),
        ("SET n = n - n", None, {"n": {"N": "0"}}),
        ("SET a = if_not_exists(a, :v)", vals(v=N1), {"a": N1}),
        ("SET n = if_not_exists(n, :v)", vals(v=N1), {}),
        ("SET a = if_not_exists(n, :v)", vals(v=N1), {"a": {"N": "2"}}),
        ("SET a = if_not_exists(a, :v) + :v", vals(v=N1), {"a": {"N": "2"}}),
        ("SET l = list_append(l, :v)", vals(v={"L": [N1]}), {"l": {"L": [*ITEM["l"]["L"], N1]}}),
        ("SET l = list_append(:v, l)", vals(v={"L": [N1]}), {"l": {"L": [N1, *ITEM["l"]["L"]]}}),
        ("SET a = list_append(:v, :v)", vals(v={"L": [N1]}), {"a": {"L": [N1, N1]}}),
        ("SET m.x = :v", vals(v=N1), {"m": {"M": {"x": N1, "c": {"M": {"y": {"N": "3"}}}}}}),
        (
            "SET m.c.z = :v",
            vals(v=N1),
            {"m": {"M": {"x": {"N": "3"}, "c": {"M": {"y": {"N": "3"}, "z": N1}}}}},
        ),
        ("SET #d = :v", vals(v=N1), {"a.b": N1}),
        ("REMOVE n, s", None, {"n": None, "s": None}),
        ("REMOVE absent, m.absent, l[17]", None, {}),
        ("REMOVE m.c.y", None, {"m": {"M": {"x": {"N": "3"}, "c": {"M": {}}}}}),
        ("REMOVE l[0], l[5]", None, {"l": {"L": [{"N": "3"}, {"N": "4"}, {"N": "5"}, {"N": "6"}]}}),
        ("ADD n :v", vals(v={"N": "-2"}), {"n": {"N": "0"}}),
        ("ADD a :v", vals(v={"N": "7"}), {"a": {"N": "7"}}),
        ("ADD ss :v", vals(v={"SS": ["cat", "pig"]}), {"ss": {"SS": ["dog", "cat", "pig"]}}),
        ("ADD ns :v", vals(v={"NS": ["1.0", "3"]}), {"ns": {"NS": ["1", "2", "3"]}}),
        ("ADD bs :v", vals(v={"BS": [b"\x02"]}), {"bs": {"BS": [b"\x01", b"\x02"]}}),
        ("ADD a :v", vals(v={"SS": ["x"]}), {"a": {"SS": ["x"]}}),
        (
            "ADD m.nu :v",
            vals(v={"N": "1"}),
            {"m": {"M": {"x": {"N": "3"}, "c": {"M": {"y": {"N": "3"}}}, "nu": N1}}},
        ),
        ("DELETE ss :v", vals(v={"SS": ["cat", "pig"]}), {"ss": {"SS": ["dog"]}}),
        ("DELETE ns :v", vals(v={"NS": ["2.0"]}), {"ns": {"NS": ["1"]}}),
        ("DELETE ss :v", vals(v={"SS": ["cat", "dog"]}), {"ss": None}),
        ("DELETE absent :v", vals(v={"SS": ["cat"]}), {}),
        (
            "SET a = :v REMOVE n ADD b :v DELETE ss :s",
            vals(v=N1, s={"SS": ["dog"]}),
            {"a": N1, "n": None, "b": N1, "ss": {"SS": ["cat"]}},
        ),
    ],
)
def test_plan(expression: str, values: Any, expected: dict[str, Any]) -> None:
    assert changed(expression, values, names={"#d": "a.b"} if "#d" in expression else None) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("SET l[1] = :v", [2, 9, 4, 5, 6, 7]),
        ("SET l[6] = :v", [2, 3, 4, 5, 6, 7, 9]),
        ("SET l[84] = :v, l[37] = :w, l[50] = :x", [2, 3, 4, 5, 6, 7, 10, 8, 9]),
        ("REMOVE l[1] SET l[3] = :v", [2, 4, 9, 6, 7]),
        ("SET l[3] = :v REMOVE l[1]", [2, 4, 9, 6, 7]),
        ("REMOVE l[0], l[1], l[2]", [5, 6, 7]),
        ("REMOVE l[5], l[0]", [3, 4, 5, 6]),
        ("REMOVE l[0] SET l[9] = :v", [3, 4, 5, 6, 7, 9]),
        ("ADD l[0] :v, l[7] :w", [11, 3, 4, 5, 6, 7, 10]),
    ],
)
def test_list_positions_are_those_before_the_update(expression: str, expected: list[int]) -> None:
    values = vals(v={"N": "9"}, w={"N": "10"}, x={"N": "8"})
    after = plan(expression, ITEM, {key: value for key, value in values.items() if key in expression}).item
    assert [int(element["N"]) for element in after["l"]["L"]] == expected


def test_nested_list_changes_at_two_levels() -> None:
    item = {"l": {"L": [{"N": "0"}, {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}]}}
    result = plan("REMOVE l[0], l[1][0] SET l[1][5] = :v", item, vals(v={"N": "9"}))
    assert result.item == {"l": {"L": [{"L": [{"N": "2"}, {"N": "3"}, {"N": "9"}]}]}}
    assert [path.render() for path in result.new_paths] == ["[l, [0], [2]]"]


def test_update_of_a_missing_item_starts_from_the_key() -> None:
    key = {"pk": {"S": "k"}}
    assert plan("SET a = pk ADD b :v", None, vals(v=N1), key=key).item == {
        "pk": {"S": "k"},
        "a": {"S": "k"},
        "b": N1,
    }
    assert plan("REMOVE x.y, w[0], z", None, key=key).item == key  # DynamoDB ignores these on no item
    assert plan("SET a = :v", None, vals(v=N1)).item == {"a": N1}


# --- errors while planning -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values", "message"),
    [
        ("SET a = absent", None, MISSING_OPERAND),
        ("SET a = m.absent", None, MISSING_OPERAND),
        ("SET a = l[6]", None, MISSING_OPERAND),
        ("SET a = absent + :v", vals(v=N1), MISSING_OPERAND),
        ("SET a = list_append(absent, :l)", vals(l={"L": []}), MISSING_OPERAND),
        ("SET a = s + :v", vals(v=N1), WRONG_TYPE),
        ("SET a = :v - ss", vals(v=N1), WRONG_TYPE),
        ("SET a = list_append(s, :l)", vals(l={"L": []}), WRONG_TYPE),
        ("SET a = list_append(:l, m)", vals(l={"L": []}), WRONG_TYPE),
        ("SET a = if_not_exists(a, :s) + :v", vals(v=N1, s={"S": "x"}), WRONG_TYPE),
        ("ADD s :v", vals(v=N1), WRONG_TYPE),
        ("ADD n :v", vals(v={"NS": ["1"]}), WRONG_TYPE),
        ("ADD l :v", vals(v={"SS": ["1"]}), WRONG_TYPE),
        ("ADD ss :v", vals(v={"NS": ["1"]}), WRONG_TYPE),
        ("DELETE ss :v", vals(v={"NS": ["1"]}), WRONG_TYPE),
        ("DELETE s :v", vals(v={"SS": ["1"]}), WRONG_TYPE),
        ("SET s.c = :v", vals(v=N1), INVALID_PATH),
        ("SET l.c = :v", vals(v=N1), INVALID_PATH),
        ("SET absent.c = :v", vals(v=N1), INVALID_PATH),
        ("SET s[0] = :v", vals(v=N1), INVALID_PATH),
        ("SET m[0] = :v", vals(v=N1), INVALID_PATH),
        ("SET m.absent.c = :v", vals(v=N1), INVALID_PATH),
        ("SET l[9].c = :v", vals(v=N1), INVALID_PATH),
        ("REMOVE s.c", None, INVALID_PATH),
        ("REMOVE absent[0]", None, INVALID_PATH),
        ("ADD absent.c :v", vals(v=N1), INVALID_PATH),
        ("DELETE s.c :v", vals(v={"SS": ["x"]}), INVALID_PATH),
        # every SET value is read before any path is followed
        ("REMOVE s.c SET a = absent", None, MISSING_OPERAND),
        ("SET s.c = :v, a = absent", vals(v=N1), MISSING_OPERAND),
        # then the actions in order
        ("ADD s :v SET absent.c = :v", vals(v=N1), WRONG_TYPE),
        ("SET absent.c = :v ADD s :v", vals(v=N1), INVALID_PATH),
    ],
)
def test_errors_while_planning(expression: str, values: Any, message: str) -> None:
    assert plan_error(expression, ITEM, values) == message


def test_set_on_a_missing_item_with_a_nested_path_is_invalid() -> None:
    assert plan_error("SET c.c = :v", None, vals(v=N1), key={"pk": {"S": "k"}}) == INVALID_PATH


@pytest.mark.parametrize(
    ("left", "right", "message"),
    [
        (
            "9.9999999999999999999999999999999999999E+125",
            "1E+125",
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        (
            "-9.9999999999999999999999999999999999999E+125",
            "-1E+125",
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        ("1E+100", "1", "Attempting to store more than 38 significant digits in a Number"),
    ],
)
def test_arithmetic_out_of_range(left: str, right: str, message: str) -> None:
    assert plan_error("SET a = :x + :y", {}, vals(x={"N": left}, y={"N": right})) == message
    assert plan_error("ADD a :y", {"a": {"N": left}}, vals(y={"N": right})) == message


@pytest.mark.parametrize(
    ("left", "right", "negate", "expected"),
    [
        ("1", "2", False, "3"),
        ("0.1", "0.2", False, "0.3"),
        ("1", "1", True, "0"),
        ("1E-130", "1E-130", False, "0." + "0" * 129 + "2"),
        ("99999999999999999999999999999999999999", "1", True, "99999999999999999999999999999999999998"),
        ("1E+125", "-1E+125", False, "0"),
    ],
)
def test_exact_arithmetic(left: str, right: str, negate: bool, expected: str) -> None:
    assert add_numbers(left, right, negate=negate) == expected


# --- the paths reported, and the old item ---------------------------------------------------------


def test_old_and_new_paths() -> None:
    result = plan(
        "SET n = :v, a = :v, l[1] = :v, l[20] = :v REMOVE s, absent, l[0] ADD ss :s DELETE ns :n",
        ITEM,
        vals(v=N1, s={"SS": ["x"]}, n={"NS": ["1", "2"]}),
    )
    assert [path.render() for path in result.old_paths] == [
        "[n]",
        "[l, [1]]",
        "[s]",
        "[l, [0]]",
        "[ss]",
        "[ns]",
    ]
    assert [path.render() for path in result.new_paths] == ["[n]", "[a]", "[l, [0]]", "[l, [5]]", "[ss]"]


def test_the_old_item_is_never_changed() -> None:
    item = copy.deepcopy(ITEM)
    result = plan(
        "SET m.c.y = :v, l[0] = :v, l[9] = :v REMOVE l[1], m.x ADD ss :s, n :v DELETE ns :n",
        item,
        vals(v=N1, s={"SS": ["x"]}, n={"NS": ["1"]}),
    )
    assert item == ITEM
    assert result.item["m"] == {"M": {"c": {"M": {"y": N1}}}}
    assert result.item["l"]["L"][0] == N1
