"""Property: rendering an AST as text and parsing the text again gives an equal AST.

Trees are drawn node by node from ``ast`` (raw leaves: paths with names, ``#aliases`` and indexes,
``:values``, calls of any name and argument count), for conditions and for updates, and go through
``render`` and the parser alone (the checks after the parse would refuse many of them, on purpose).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb_fake.expressions.ast import (
    COMPARATORS,
    AddAction,
    And,
    Arith,
    Between,
    Call,
    Clause,
    Compare,
    Condition,
    DeleteAction,
    In,
    Not,
    Operand,
    Or,
    RemoveAction,
    SetAction,
    UpdateAst,
    ValueRef,
)
from aiodynamodb_fake.expressions.parser import parse_condition_ast, parse_update_ast
from aiodynamodb_fake.expressions.paths import Alias, Index, Name, RawPath
from aiodynamodb_fake.expressions.render import render_condition, render_update
from tests.support.tables import property_settings

CONDITION_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN"}
UPDATE_KEYWORDS = {"SET", "REMOVE", "ADD", "DELETE"}


LETTERS = "abcdinorstABDINORST"
WORD_CHARACTERS = LETTERS + "0123456789_"


def words(first: str, rest: str, max_size: int) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(first), st.text(rest, max_size=max_size)).map("".join)


def identifiers(keywords: set[str]) -> st.SearchStrategy[str]:
    return words(LETTERS, WORD_CHARACTERS, 3).filter(lambda name: name.upper() not in keywords)


def raw_paths(keywords: set[str]) -> st.SearchStrategy[RawPath]:
    alias = words("#", WORD_CHARACTERS, 3).filter(lambda text: len(text) > 1).map(Alias)
    head = st.one_of(identifiers(keywords).map(Name), alias)
    step = st.one_of(identifiers(set()).map(Name), alias, st.integers(0, 99).map(Index))
    return st.tuples(head, st.lists(step, max_size=3)).map(lambda pair: RawPath((pair[0], *pair[1])))


def value_refs() -> st.SearchStrategy[ValueRef]:
    return words(":", WORD_CHARACTERS, 3).filter(lambda text: len(text) > 1).map(ValueRef)


def operands(keywords: set[str]) -> st.SearchStrategy[Operand]:
    leaves: st.SearchStrategy[Operand] = st.one_of(raw_paths(keywords), value_refs())
    return st.recursive(
        leaves,
        lambda children: st.builds(
            Call, identifiers(keywords), st.lists(children, min_size=1, max_size=2).map(tuple)
        ),
        max_leaves=3,
    )


def conditions() -> st.SearchStrategy[Condition]:
    operand = operands(CONDITION_KEYWORDS)
    calls = st.builds(
        Call, identifiers(CONDITION_KEYWORDS), st.lists(operand, min_size=1, max_size=3).map(tuple)
    )
    leaves: st.SearchStrategy[Condition] = st.one_of(
        st.builds(Compare, st.sampled_from(COMPARATORS), operand, operand),
        st.builds(Between, operand, operand, operand),
        st.builds(In, operand, st.lists(operand, min_size=1, max_size=3).map(tuple)),
        calls,
    )
    several = st.lists  # And/Or hold two or more
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.builds(Not, children),
            several(children, min_size=2, max_size=3).map(lambda each: And(tuple(each))),
            several(children, min_size=2, max_size=3).map(lambda each: Or(tuple(each))),
        ),
        max_leaves=4,
    )


def updates() -> st.SearchStrategy[UpdateAst]:
    path, operand, value = raw_paths(UPDATE_KEYWORDS), operands(UPDATE_KEYWORDS), value_refs()
    set_value = st.one_of(operand, st.builds(Arith, st.sampled_from(["+", "-"]), operand, operand))
    actions = {
        "SET": st.builds(SetAction, path, set_value),
        "REMOVE": st.builds(RemoveAction, path),
        "ADD": st.builds(AddAction, path, value),
        "DELETE": st.builds(DeleteAction, path, value),
    }
    clause = st.sampled_from(list(actions)).flatmap(
        lambda keyword: st.lists(actions[keyword], min_size=1, max_size=3).map(
            lambda each: Clause(keyword, tuple(each))  # type: ignore[arg-type]  # a Keyword
        )
    )
    return st.lists(clause, min_size=1, max_size=3).map(lambda each: UpdateAst(tuple(each)))


@property_settings()
@given(condition=conditions())
def test_condition_round_trip(condition: Condition) -> None:
    text = render_condition(condition)
    parsed = parse_condition_ast(text, "ConditionExpression")
    assert parsed.ast == condition, text
    assert not parsed.redundant_parentheses


@property_settings()
@given(update=updates())
def test_update_round_trip(update: UpdateAst) -> None:
    text = render_update(update)
    assert parse_update_ast(text, "UpdateExpression").ast == update, text


def test_rendering_examples() -> None:
    text = "a.#b[2] = :v OR NOT (x < y AND f(z, :w)) AND c IN (:v, size(d)) AND e BETWEEN :l AND :h"
    parsed = parse_condition_ast(text, "ConditionExpression").ast
    assert render_condition(parsed) == text
    nested = Or(
        (Or((Call("f", (ValueRef(":a"),)), Call("g", (ValueRef(":b"),)))), Call("h", (ValueRef(":c"),)))
    )
    assert render_condition(nested) == "(f(:a) OR g(:b)) OR h(:c)"
    update = "SET a = b + :c, d[1] = list_append(if_not_exists(d, :e), :f) REMOVE g.h ADD i :j DELETE k :l"
    assert render_update(parse_update_ast(update, "UpdateExpression").ast) == update
