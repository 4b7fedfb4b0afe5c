"""Property: for generated items and updates, the engine's plan agrees with a reference applier.

The reference, written here, applies the test's own description of an update to plain Python values
(``tests.support.expression_model``) by rebuilding each container from the actions under it, where
the engine copies along paths and defers list changes: two different ways to the same semantics.
Both must agree on the new item or on the error (DynamoDB's message while updating). Targets never
overlap, literal operands have the types DynamoDB requires, so every update parses.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from decimal import Decimal, localcontext
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake.expressions import parse_update
from aiodynamodb_fake.expressions.evaluate import lookup as av_lookup
from tests.support.expression_model import (
    MISSING,
    from_av,
    items,
    lookup,
    paths,
    scalars,
    sets,
    tag_of,
    to_av,
    to_av_item,
    typed_equal,
    values,
)
from tests.support.tables import property_settings

Path = tuple[str | int, ...]
Spec = tuple[Any, ...]
KEY = {"pk": "k"}
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"
WRONG_TYPE = "An operand in the update expression has an incorrect data type"
INVALID_PATH = "The document path provided in the update expression is invalid for update"
MAX_NUMBER = Decimal("9.9999999999999999999999999999999999999E+125")
NUMBERS = st.one_of(
    st.integers(-3, 3).map(Decimal), st.sampled_from([Decimal("0.5"), MAX_NUMBER, Decimal("1E+100")])
)


class Refused(Exception):
    """The reference's error: DynamoDB's message."""


# --- the test's own description of updates -------------------------------------------------------


def _independent(path: Path, taken: list[Path]) -> bool:
    """Neither a prefix of another target (overlap) nor diverging from one by kind (conflict)."""
    for other in taken:
        common = 0
        while common < min(len(path), len(other)) and path[common] == other[common]:
            common += 1
        if common == min(len(path), len(other)):
            return False
        if common < min(len(path), len(other)) and type(path[common]) is not type(other[common]):
            return False
    return True


def set_values() -> st.SearchStrategy[Spec]:
    path = paths().map(lambda p: ("path", p))
    number = st.one_of(path, NUMBERS.map(lambda v: ("value", v)))
    listed = st.one_of(path, st.lists(scalars(), max_size=2).map(lambda v: ("value", v)))
    return st.one_of(
        values(max_leaves=3).map(lambda v: ("value", v)),
        path,
        st.tuples(st.sampled_from(["+", "-"]), number, number),
        st.tuples(st.just("if_not_exists"), paths(), st.one_of(path, scalars().map(lambda v: ("value", v)))),
        st.tuples(st.just("list_append"), listed, listed),
    )


def actions() -> st.SearchStrategy[Spec]:
    target = st.one_of(paths(max_depth=1), paths())  # nested paths into random items are often invalid
    return st.one_of(
        st.tuples(st.just("SET"), target, set_values()),
        st.tuples(st.just("REMOVE"), target),
        st.tuples(st.just("ADD"), target, st.one_of(NUMBERS, sets())),
        st.tuples(st.just("DELETE"), target, sets()),
    )


@st.composite
def updates(draw: st.DrawFn) -> list[Spec]:
    chosen: list[Spec] = []
    for action in draw(st.lists(actions(), min_size=1, max_size=4)):
        if _independent(action[1], [each[1] for each in chosen]):
            chosen.append(action)
    return chosen


def render(update: list[Spec]) -> tuple[str, dict[str, Any]]:
    values_used: dict[str, Any] = {}

    def value(literal: Any) -> str:
        key = f":v{len(values_used)}"
        values_used[key] = to_av(literal)
        return key

    def path(steps: Path) -> str:
        return "".join(
            f"[{step}]" if isinstance(step, int) else ("." if i else "") + step
            for i, step in enumerate(steps)
        )

    def operand(spec: Spec) -> str:
        if spec[0] == "path":
            return path(spec[1])
        if spec[0] == "value":
            return value(spec[1])
        if spec[0] in ("+", "-"):
            return f"{operand(spec[1])} {spec[0]} {operand(spec[2])}"
        first = path(spec[1]) if spec[0] == "if_not_exists" else operand(spec[1])
        return f"{spec[0]}({first}, {operand(spec[2])})"

    sections: dict[str, list[str]] = defaultdict(list)
    for action in update:
        text = path(action[1])
        if action[0] == "SET":
            text += " = " + operand(action[2])
        elif action[0] in ("ADD", "DELETE"):
            text += " " + value(action[2])
        sections[action[0]].append(text)
    return " ".join(f"{keyword} {', '.join(texts)}" for keyword, texts in sections.items()), values_used


def in_engine_order(update: list[Spec]) -> list[Spec]:
    """The actions in the order of the rendered text: grouped by section, sections as first met."""
    order = list(dict.fromkeys(action[0] for action in update))
    return [action for keyword in order for action in update if action[0] == keyword]


# --- the reference applier -----------------------------------------------------------------------


def number(value: Decimal) -> Decimal:
    """DynamoDB's checks on a computed number, in its order."""
    if value == 0:
        return Decimal(0)
    digits = len(value.normalize().as_tuple().digits)
    if value.adjusted() > 125:
        raise Refused(
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        )
    if value.adjusted() < -130:
        raise Refused(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        )
    if digits > 38:
        raise Refused("Attempting to store more than 38 significant digits in a Number")
    return value


def evaluate(spec: Spec, item: dict[str, Any]) -> Any:
    if spec[0] == "path":
        found = lookup(item, spec[1])
        if found is MISSING:
            raise Refused(MISSING_OPERAND)
        return found
    if spec[0] == "value":
        return spec[1]
    if spec[0] == "if_not_exists":
        found = lookup(item, spec[1])
        return found if found is not MISSING else evaluate(spec[2], item)
    wanted = "L" if spec[0] == "list_append" else "N"
    left = evaluate(spec[1], item)
    if tag_of(left) != wanted:
        raise Refused(WRONG_TYPE)
    right = evaluate(spec[2], item)
    if tag_of(right) != wanted:
        raise Refused(WRONG_TYPE)
    if spec[0] == "list_append":
        return [*left, *right]
    return exactly(left, right, spec[0])


def exactly(left: Decimal, right: Decimal, op: str) -> Decimal:
    with localcontext() as context:
        context.prec = 1000
        return number(left + right if op == "+" else left - right)


def parent_is_valid(item: dict[str, Any], path: Path) -> bool:
    current: Any = item
    for step, following in itertools.pairwise(path):
        current = current.get(step, MISSING) if isinstance(current, dict) else lookup_index(current, step)
        wanted = list if isinstance(following, int) else dict
        if not isinstance(current, wanted):
            return False
    return True


def lookup_index(container: list[Any], step: str | int) -> Any:
    return container[step] if isinstance(step, int) and step < len(container) else MISSING


def terminal(current: Any, action: Spec, value: Any) -> Any:
    if action[0] == "SET":
        return value
    if action[0] == "REMOVE":
        return MISSING
    operand = action[2]
    if current is MISSING:
        return operand if action[0] == "ADD" else MISSING
    if tag_of(current) != tag_of(operand):
        raise Refused(WRONG_TYPE)
    if action[0] == "ADD":
        return exactly(current, operand, "+") if isinstance(operand, Decimal) else current | operand
    remaining = current - operand
    return remaining if remaining else MISSING


def rebuild(container: Any, changes: list[tuple[Path, Spec, Any]]) -> Any:
    """``container`` with ``changes`` (relative path, action, SET value) made, children first."""
    grouped: dict[str | int, list[tuple[Path, Spec, Any]]] = defaultdict(list)
    for path, action, value in changes:
        grouped[path[0]].append((path[1:], action, value))

    def changed(key: str | int, current: Any) -> Any:
        below = grouped[key]
        if len(below) == 1 and not below[0][0]:
            return terminal(current, below[0][1], below[0][2])
        return rebuild(current, below)

    if isinstance(container, dict):
        result = dict(container)
        for key in grouped:
            new = changed(key, container.get(key, MISSING))
            if new is MISSING:
                result.pop(key, None)
            else:
                result[key] = new
        return result
    kept = [changed(i, member) if i in grouped else member for i, member in enumerate(container)]
    appended = [
        changed(key, MISSING)
        for key in sorted(k for k in grouped if isinstance(k, int) and k >= len(container))
    ]
    return [member for member in kept + appended if member is not MISSING]


def reference(update: list[Spec], item: dict[str, Any] | None) -> dict[str, Any]:
    base = item if item is not None else dict(KEY)
    update = in_engine_order(update)
    set_values = [evaluate(action[2], base) if action[0] == "SET" else None for action in update]
    changes = []
    for action, value in zip(update, set_values, strict=True):
        if not parent_is_valid(base, action[1]):
            if action[0] == "REMOVE" and item is None:
                continue
            raise Refused(INVALID_PATH)
        terminal(lookup(base, action[1]), action, value)  # raises as DynamoDB does, in action order
        changes.append((action[1], action, value))
    return rebuild(base, changes)  # type: ignore[no-any-return]  # a dict from a dict


# --- the property --------------------------------------------------------------------------------


@property_settings()
@given(item=st.one_of(st.none(), items()), update=updates())
def test_plan_agrees_with_the_reference(item: dict[str, Any] | None, update: list[Spec]) -> None:
    text, values_used = render(update)
    parsed = parse_update(text, None, values_used or None)
    stored = None if item is None else to_av_item({**item, **KEY})
    try:
        expected: Any = reference(update, None if item is None else {**item, **KEY})
    except Refused as refused:
        expected = refused.args[0]
    try:
        result = parsed.plan(stored, to_av_item(KEY))
    except ValidationException as error:
        assert error.message == expected, text
        return
    assert not isinstance(expected, str), (text, expected)
    assert typed_equal({name: from_av(value) for name, value in result.item.items()}, expected), text
    assert stored == (None if item is None else to_av_item({**item, **KEY}))  # never changed
    assert all(av_lookup(result.item, path) is not None for path in result.new_paths)
    assert all(av_lookup(stored, path) is not None for path in result.old_paths)


def test_the_reference_itself() -> None:
    item = {"a": [Decimal(1), Decimal(2), Decimal(3)], "b": {"x": "s"}}
    update = [
        ("REMOVE", ("a", 0)),
        ("SET", ("a", 2), ("value", "z")),
        ("SET", ("a", 9), ("path", ("b", "x"))),
    ]
    assert reference(update, item) == {"a": [Decimal(2), "z", "s"], "b": {"x": "s"}}
    try:
        reference([("SET", ("c", "x"), ("value", "v"))], item)
    except Refused as refused:
        assert refused.args[0] == INVALID_PATH
    assert reference([("REMOVE", ("c", "x"))], None) == KEY
