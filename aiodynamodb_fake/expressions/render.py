"""Expression text from an AST: the inverse of the parser, for tests, messages and debugging.

``render_condition`` and ``render_update`` write the fewest parentheses that keep the tree's shape
(a group only where an ``And`` holds an ``Or``, a ``Not`` holds either, or an ``And``/``Or`` holds one
of its own kind), so that parsing the text gives back an equal tree. Raw trees render as written
(``#aliases``, ``:names``); resolved ones render their names and the ``:name`` each literal came
from, which is text DynamoDB would read only if every name were a plain, unreserved word. O(nodes).
"""

from __future__ import annotations

from .ast import (
    AddAction,
    And,
    Between,
    Call,
    Compare,
    Condition,
    DeleteAction,
    In,
    Literal,
    Not,
    Operand,
    Or,
    RemoveAction,
    SetAction,
    UpdateAction,
    UpdateAst,
    ValueRef,
)
from .paths import Alias, DocumentPath, Index, RawPath

__all__ = ["render_condition", "render_operand", "render_path", "render_update"]


def render_path(path: RawPath | DocumentPath) -> str:
    parts: list[str] = []
    for element in path.elements:
        if isinstance(element, Index):
            parts.append(f"[{element.index}]")
        else:
            text = element.alias if isinstance(element, Alias) else element.name
            parts.append(text if not parts else "." + text)
    return "".join(parts)


def render_operand(operand: Operand) -> str:
    if isinstance(operand, RawPath | DocumentPath):
        return render_path(operand)
    if isinstance(operand, ValueRef | Literal):
        return operand.name
    if isinstance(operand, Call):
        return operand.name + "(" + ", ".join(render_operand(arg) for arg in operand.args) + ")"
    return f"{render_operand(operand.left)} {operand.op} {render_operand(operand.right)}"


def render_condition(condition: Condition) -> str:
    if isinstance(condition, Or):
        return " OR ".join(_grouped(each, (Or,)) for each in condition.conditions)
    if isinstance(condition, And):
        return " AND ".join(_grouped(each, (And, Or)) for each in condition.conditions)
    if isinstance(condition, Not):
        return "NOT " + _grouped(condition.condition, (And, Or))
    if isinstance(condition, Compare):
        return f"{render_operand(condition.left)} {condition.op} {render_operand(condition.right)}"
    if isinstance(condition, Between):
        low, high = render_operand(condition.low), render_operand(condition.high)
        return f"{render_operand(condition.operand)} BETWEEN {low} AND {high}"
    if isinstance(condition, In):
        choices = ", ".join(render_operand(choice) for choice in condition.choices)
        return f"{render_operand(condition.operand)} IN ({choices})"
    return render_operand(condition)


def _grouped(condition: Condition, needs_group: tuple[type, ...]) -> str:
    text = render_condition(condition)
    return f"({text})" if isinstance(condition, needs_group) else text


def render_update(update: UpdateAst) -> str:
    return " ".join(
        clause.keyword + " " + ", ".join(_render_action(action) for action in clause.actions)
        for clause in update.clauses
    )


def _render_action(action: UpdateAction) -> str:
    path = render_path(action.path)
    if isinstance(action, SetAction):
        return f"{path} = {render_operand(action.value)}"
    if isinstance(action, RemoveAction):
        return path
    assert isinstance(action, AddAction | DeleteAction)
    return f"{path} {action.value.name}"
