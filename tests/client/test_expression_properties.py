"""Property: one request's expressions never share a placeholder wrongly, and send exactly what they use.

For random combinations of a key condition, a filter, a condition, update actions and a projection,
rendered together as one request:

- the maps hold exactly the placeholders the texts use (DynamoDB rejects unused ones and undefined
  ones), each value placeholder is used once, and no name has two placeholders;
- putting the maps' names and values back into the texts gives what a naive renderer, written here
  with raw names and values, writes. A placeholder claimed twice (two expressions numbering from
  zero, say) would put a wrong name or value back somewhere and fail this.

Names come from a small pool with reserved words, odd characters and shared prefixes, so the same
names meet across expressions.
"""

from __future__ import annotations

import re
from typing import Any

from boto3.dynamodb.conditions import Attr, AttributeBase, ConditionBase, Key
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb import ProjectionAttr, UpdateAttr
from aiodynamodb._values import encode
from aiodynamodb.expressions import Action, build_expressions, parse_path
from tests.support.tables import property_settings

NAMES = st.sampled_from(["a", "b", "name", "size", "my-attr", "x y", "ab", "n0", "#n0", ":v0"])
INDEXES = st.integers(0, 3).map(lambda i: f"[{i}]")
PATHS = st.builds(
    lambda top, rest: top + "".join(rest),
    NAMES,
    st.lists(st.one_of(NAMES.map(".".__add__), INDEXES), max_size=2),
)
SCALARS = st.one_of(st.integers(-5, 5), st.text("ab", max_size=3), st.booleans(), st.none())
VALUES = st.one_of(
    SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(st.sampled_from("pq"), SCALARS, max_size=2)
)


def _comparison(attr: Any, draw: st.DrawFn) -> Any:
    ops = ["eq", "lt", "lte", "gt", "gte", "between", "begins_with", "path"]
    if isinstance(attr, Attr):  # size() has only the comparisons every attribute has
        ops += ["ne", "in", "contains"]
    op = draw(st.sampled_from(ops))
    if op == "between":
        return attr.between(draw(SCALARS), draw(SCALARS))
    if op == "in":
        return attr.is_in(draw(st.lists(SCALARS, min_size=1, max_size=3)))
    if op == "path":
        return attr.eq(Attr(draw(PATHS)))
    return getattr(attr, op)(draw(VALUES))


@st.composite
def leaf(draw: st.DrawFn) -> ConditionBase:
    attr = Attr(draw(PATHS))
    kind = draw(st.sampled_from(["compare", "exists", "not_exists", "type", "size"]))
    if kind == "exists":
        return attr.exists()
    if kind == "not_exists":
        return attr.not_exists()
    if kind == "type":
        return attr.attribute_type(draw(st.sampled_from(["S", "N", "L", "M"])))
    if kind == "size":
        return _comparison(attr.size(), draw)
    return _comparison(attr, draw)


CONDITIONS = st.recursive(
    leaf(),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: pair[0] & pair[1]),
        st.tuples(inner, inner).map(lambda pair: pair[0] | pair[1]),
        inner.map(lambda c: ~c),
    ),
    max_leaves=6,
)


@st.composite
def key_conditions(draw: st.DrawFn) -> ConditionBase:
    condition = Key(draw(NAMES)).eq(draw(SCALARS))
    if draw(st.booleans()):
        sort = Key(draw(NAMES))
        op = draw(st.sampled_from(["eq", "lt", "lte", "gt", "gte", "begins_with", "between"]))
        second = (
            sort.between(draw(SCALARS), draw(SCALARS))
            if op == "between"
            else getattr(sort, op)(draw(SCALARS))
        )
        condition = condition & second
    return condition


@st.composite
def update_actions(draw: st.DrawFn) -> list[UpdateAttr]:
    actions: list[UpdateAttr] = []
    for path in draw(st.lists(PATHS, min_size=1, max_size=5)):
        if any(parse_path(path).overlaps(parse_path(a.name)) for a in actions):
            continue  # DynamoDB refuses overlapping paths; the builder does too (tested elsewhere)
        attr = UpdateAttr(path)
        kind = draw(
            st.sampled_from(
                ["set", "set_ine", "remove", "add", "add_set", "delete", "append", "prepend", "increment"]
            )
        )
        if kind == "set":
            attr.set(draw(VALUES.filter(lambda v: v is not None)))
        elif kind == "set_ine":
            attr.set(draw(st.integers()), if_not_exists=True)
        elif kind == "remove":
            attr.remove()
        elif kind == "add":
            attr.add(draw(st.integers(-9, 9)))
        elif kind in ("add_set", "delete"):
            members = draw(st.sets(st.text("xyz", min_size=1, max_size=2), min_size=1, max_size=3))
            attr.add(members) if kind == "add_set" else attr.delete(members)
        elif kind in ("append", "prepend"):
            getattr(attr, kind)(draw(st.lists(SCALARS, max_size=2)), if_not_exists=draw(st.booleans()))
        else:
            attr.increment(draw(st.integers(-9, 9)), if_not_exists=draw(st.booleans()))
        actions.append(attr)
    return actions


PROJECTIONS = st.lists(PATHS.map(ProjectionAttr), min_size=1, max_size=4)


# --- the naive renderer: raw names, values written as their AttributeValue's repr ------------------


def show(value: Any) -> str:
    return repr(_canonical_sets(encode(value)))


def naive_condition(condition: Any) -> str:
    expression = condition.get_expression()
    parts = []
    for operand in expression["values"]:
        if isinstance(operand, ConditionBase):
            parts.append(naive_condition(operand))
        elif isinstance(operand, AttributeBase):
            parts.append(operand.name)
        elif condition.has_grouped_values:
            parts.append("(" + ", ".join(show(v) for v in operand) + ")")
        else:
            parts.append(show(operand))
    return str(expression["format"].format(*parts, operator=expression["operator"]))


def naive_update(actions: list[UpdateAttr]) -> str:
    clauses = []
    for clause in Action:
        parts = []
        for attr in actions:
            update = attr.update
            assert update is not None
            if update.action is not clause:
                continue
            p, value = attr.name, show(update.value)
            if clause is Action.REMOVE:
                parts.append(p)
            elif update.increment:
                start = f"if_not_exists({p}, {{'N': '0'}})" if update.if_not_exists else p
                parts.append(f"{p} = {start} + {value}")
            elif update.list_position is not None:
                current = f"if_not_exists({p}, {{'L': []}})" if update.if_not_exists else p
                pair = (current, value) if update.list_position == "append" else (value, current)
                parts.append(f"{p} = list_append({pair[0]}, {pair[1]})")
            elif clause is Action.SET:
                parts.append(
                    f"{p} = if_not_exists({p}, {value})" if update.if_not_exists else f"{p} = {value}"
                )
            else:
                parts.append(f"{p} {value}")
        if parts:
            clauses.append(f"{clause.value} {', '.join(parts)}")
    return " ".join(clauses)


def naive_projection(paths: list[ProjectionAttr]) -> str:
    return ", ".join(dict.fromkeys(p.name for p in paths))


def _canonical_sets(av: Any) -> Any:
    """Set members in sorted order, so a set's repr does not depend on iteration order."""
    if isinstance(av, dict):
        return {k: sorted(v) if k in ("SS", "NS", "BS") else _canonical_sets(v) for k, v in av.items()}
    if isinstance(av, list):
        return [_canonical_sets(v) for v in av]
    return av


@given(
    key=st.none() | key_conditions(),
    filter_=st.none() | CONDITIONS,
    condition=st.none() | CONDITIONS,
    actions=st.none() | update_actions(),
    projection=st.none() | PROJECTIONS,
)
@property_settings(max_examples=300)
def test_placeholders_never_collide_and_all_are_used(
    key: Any, filter_: Any, condition: Any, actions: Any, projection: Any
) -> None:
    built = build_expressions(
        None,
        key_condition_expression=key,
        filter_expression=filter_,
        condition_expression=condition,
        update_expression=actions,
        projection_expression=projection,
    )
    names: dict[str, str] = built.pop("ExpressionAttributeNames", {})
    values: dict[str, Any] = built.pop("ExpressionAttributeValues", {})
    texts = " ".join(built.values())
    name_uses = re.findall(r"#n\d+", texts)
    value_uses = re.findall(r":v\d+", texts)
    assert set(name_uses) == set(names)
    assert sorted(value_uses) == sorted(values)  # each value placeholder used exactly once
    assert len(set(names.values())) == len(names)  # one placeholder per name
    assert "ExpressionAttributeNames" not in built and all(names.values())

    def restore(text: str) -> str:
        text = re.sub(r":v\d+", lambda m: repr(_canonical_sets(values[m.group(0)])), text)
        return re.sub(r"#n\d+", lambda m: names[m.group(0)], text)

    expected = {
        "KeyConditionExpression": key and naive_condition(key),
        "FilterExpression": filter_ and naive_condition(filter_),
        "ConditionExpression": condition and naive_condition(condition),
        "UpdateExpression": actions and naive_update(actions),
        "ProjectionExpression": projection and naive_projection(projection),
    }
    assert {member: restore(text) for member, text in built.items()} == {
        member: text for member, text in expected.items() if text
    }
