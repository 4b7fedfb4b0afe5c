"""Property: for generated items and conditions, the engine agrees with a reference evaluator.

The reference, written here, evaluates the test's own description of a condition on plain Python
values (``tests.support.expression_model``); the engine parses the text rendered from that
description, with its values as AttributeValues and some names behind ``#aliases``, and evaluates
the item converted to AttributeValues. Generated conditions are valid (literal operand types as
DynamoDB requires them), so every one must parse.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from aiodynamodb_fake.expressions import parse_condition
from tests.support.expression_model import (
    MISSING,
    items,
    lookup,
    ordered,
    paths,
    scalars,
    size_of,
    tag_of,
    to_av,
    to_av_item,
    typed_equal,
    values,
)
from tests.support.tables import property_settings

Spec = tuple[Any, ...]
TYPE_NAMES = ("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M")

# --- the test's own description of conditions ----------------------------------------------------


def path_operand() -> st.SearchStrategy[Spec]:
    return paths().map(lambda path: ("path", path))


def operand(*, ordered_only: bool = False) -> st.SearchStrategy[Spec]:
    literal = (scalars(ordered_only=True) if ordered_only else values(max_leaves=3)).map(
        lambda v: ("value", v)
    )
    return st.one_of(path_operand(), literal, paths().map(lambda path: ("size", path)))


def _distinct(spec: Spec) -> bool:
    first, second = spec[2], spec[3]
    return not (first[0] == second[0] == "path" and first[1] == second[1])


@st.composite
def between(draw: st.DrawFn) -> Spec:
    subject = draw(operand(ordered_only=True))
    low, high = draw(operand(ordered_only=True)), draw(operand(ordered_only=True))
    if low[0] == high[0] == "value":
        assume(ordered(low[1], high[1]))
        low, high = sorted((low, high), key=lambda spec: spec[1])
    return ("between", subject, low, high)


def leaves() -> st.SearchStrategy[Spec]:
    text_or_binary = st.one_of(st.text(max_size=2), st.binary(max_size=2)).map(lambda v: ("value", v))
    comparison = st.one_of(
        st.tuples(st.just("cmp"), st.sampled_from(["=", "<>"]), operand(), operand()),
        st.tuples(st.just("cmp"), st.sampled_from(["<", "<=", ">", ">="]), *[operand(ordered_only=True)] * 2),
    ).filter(_distinct)
    return st.one_of(
        comparison,
        between(),
        st.tuples(st.just("in"), operand(), st.lists(operand(), min_size=1, max_size=3)),
        st.tuples(st.sampled_from(["exists", "not_exists"]), paths()),
        st.tuples(st.just("type"), path_operand(), st.sampled_from(TYPE_NAMES)),
        st.tuples(
            st.just("fn"),
            st.just("begins_with"),
            st.one_of(path_operand(), text_or_binary),
            st.one_of(path_operand(), text_or_binary),
        ).filter(_distinct),
        st.tuples(st.just("fn"), st.just("contains"), operand(), operand()).filter(_distinct),
    )


def conditions() -> st.SearchStrategy[Spec]:
    return st.recursive(
        leaves(),
        lambda children: st.one_of(
            children.map(lambda child: ("not", child)),
            st.tuples(st.sampled_from(["and", "or"]), children, children),
        ),
        max_leaves=5,
    )


# --- rendering the description as DynamoDB text --------------------------------------------------


class Renderer:
    def __init__(self, aliases: list[bool]) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self.aliases = aliases

    def path(self, path: tuple[str | int, ...]) -> str:
        text = ""
        for step in path:
            if isinstance(step, int):
                text += f"[{step}]"
                continue
            if self.aliases and self.aliases.pop():
                alias = f"#n{len(self.names)}"
                self.names[alias] = step
                step = alias
            text += ("." if text else "") + step
        return text

    def operand(self, spec: Spec) -> str:
        if spec[0] == "path":
            return self.path(spec[1])
        if spec[0] == "size":
            return f"size({self.path(spec[1])})"
        key = f":v{len(self.values)}"
        self.values[key] = to_av(spec[1])
        return key

    def condition(self, spec: Spec) -> str:
        kind = spec[0]
        if kind == "not":
            return f"NOT ({self.condition(spec[1])})"
        if kind in ("and", "or"):
            return f"({self.condition(spec[1])}) {kind.upper()} ({self.condition(spec[2])})"
        if kind == "cmp":
            return f"{self.operand(spec[2])} {spec[1]} {self.operand(spec[3])}"
        if kind == "between":
            return f"{self.operand(spec[1])} BETWEEN {self.operand(spec[2])} AND {self.operand(spec[3])}"
        if kind == "in":
            return f"{self.operand(spec[1])} IN ({', '.join(self.operand(each) for each in spec[2])})"
        if kind in ("exists", "not_exists"):
            return f"attribute_{kind}({self.path(spec[1])})"
        if kind == "type":
            return f"attribute_type({self.operand(spec[1])}, {self.operand(('value', spec[2]))})"
        return f"{spec[1]}({self.operand(spec[2])}, {self.operand(spec[3])})"


# --- the reference evaluator ---------------------------------------------------------------------


def value_of(spec: Spec, item: dict[str, Any]) -> Any:
    if spec[0] == "path":
        return lookup(item, spec[1])
    if spec[0] == "size":
        found = lookup(item, spec[1])
        return MISSING if found is MISSING else size_of(found)
    return spec[1]


def reference(spec: Spec, item: dict[str, Any]) -> bool:
    kind = spec[0]
    if kind == "not":
        return not reference(spec[1], item)
    if kind == "and":
        return reference(spec[1], item) and reference(spec[2], item)
    if kind == "or":
        return reference(spec[1], item) or reference(spec[2], item)
    if kind in ("exists", "not_exists"):
        return bool((lookup(item, spec[1]) is not MISSING) == (kind == "exists"))
    if kind == "type":
        found = value_of(spec[1], item)
        return found is not MISSING and bool(tag_of(found) == spec[2])
    if kind == "in":
        found = value_of(spec[1], item)
        return any(typed_equal(found, value_of(choice, item)) for choice in spec[2])
    if kind == "between":
        found, low, high = (value_of(each, item) for each in spec[1:])
        return ordered(found, low) and ordered(found, high) and bool(low <= found <= high)
    if kind == "cmp":
        return _compare(spec[1], value_of(spec[2], item), value_of(spec[3], item))
    return _function(spec[1], value_of(spec[2], item), value_of(spec[3], item))


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("=", "<>"):
        return typed_equal(left, right) == (op == "=")
    if not ordered(left, right):
        return False
    return bool({"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op])


def _function(name: str, first: Any, second: Any) -> bool:
    if first is MISSING or second is MISSING:
        return False
    if isinstance(first, str | bytes) and type(second) is type(first):
        text: Any = first
        return bool(text.startswith(second) if name == "begins_with" else second in text)
    if name == "begins_with":
        return False
    if isinstance(first, frozenset):
        return tag_of(first) == tag_of(second) + "S" and second in first
    return isinstance(first, list) and any(typed_equal(member, second) for member in first)


# --- the property --------------------------------------------------------------------------------


@property_settings()
@given(item=items(), spec=conditions(), aliases=st.lists(st.booleans(), max_size=12))
def test_evaluation_agrees_with_the_reference(item: dict[str, Any], spec: Spec, aliases: list[bool]) -> None:
    renderer = Renderer(aliases)
    text = renderer.condition(spec)
    condition = parse_condition(text, renderer.names or None, renderer.values or None)
    assert condition.evaluate(to_av_item(item)) is reference(spec, item), text


@property_settings()
@given(spec=conditions())
def test_a_missing_item_is_evaluated_as_an_empty_one(spec: Spec) -> None:
    renderer = Renderer([])
    condition = parse_condition(renderer.condition(spec), None, renderer.values or None)
    assert condition.evaluate(None) is condition.evaluate({}) is reference(spec, {})


def test_the_reference_itself() -> None:
    item = {"a": Decimal(1), "b": "xy", "c": [True, frozenset({"s"})]}
    assert reference(("cmp", "=", ("path", ("a",)), ("value", Decimal("1.0"))), item)
    assert not reference(("cmp", "=", ("path", ("c", 0)), ("value", Decimal(1))), item)
    assert reference(("fn", "contains", ("path", ("c",)), ("value", frozenset({"s"}))), item)
    assert reference(("fn", "contains", ("path", ("c", 1)), ("value", "s")), item)
    assert reference(("cmp", "=", ("size", ("b",)), ("value", Decimal(2))), item)
