"""UpdateExpression: parse, resolve and validate; ``UpdateExpression.plan`` then computes the new item.

Implements the Developer Guide page
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
with the checks of reference §7.4 in dynalite's order: the text (a string, not blank, at most
4 KB), its syntax, the text-only errors (``checks``: reserved word, unknown or misused function, a
section used twice), cached with the parse; then the first undefined name anywhere, the first
undefined value anywhere, a path nested too deep, overlapping then conflicting target paths, an ADD
or DELETE operand of the wrong type, and a function's or ``+``/``-``'s own errors (operand count,
``if_not_exists`` without a path, a literal operand of the wrong type), arguments before the call
that holds them. What depends on the item is for ``update_plan``. Parsing is O(length), resolving
O(nodes + n·depth) for n target paths.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from . import messages as msg
from .ast import (
    AddAction,
    Arith,
    AttributeValue,
    Call,
    Clause,
    DeleteAction,
    Literal,
    Operand,
    RemoveAction,
    SetAction,
    UpdateAction,
    UpdateAst,
    ValueRef,
    walk_operands,
)
from .checks import check_update_text
from .evaluate import Item
from .parser import parse_update_ast
from .paths import DocumentPath, RawPath, check_nesting, check_overlaps
from .resolve import ARITY, Resolver, iter_operand_leaves, static_type
from .text import checked_text, parse_cache
from .tokens import invalid_expression
from .update_plan import UpdateResult, plan_update

__all__ = ["KIND", "UpdateExpression", "parse_update"]

KIND = "UpdateExpression"
# The type names ADD and DELETE messages use (reference §7.4); sets are never refused.
_LONG_TYPE_NAMES = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "NULL": "NULL", "BOOL": "BOOLEAN"}
_LONG_TYPE_NAMES |= {"L": "LIST", "M": "MAP"}
_SET_TYPES = frozenset({"SS", "NS", "BS"})


@dataclass(frozen=True, slots=True)
class UpdateExpression:
    """A resolved, validated UpdateExpression: its actions, and the names and values it used."""

    ast: UpdateAst
    used_names: frozenset[str]
    used_values: frozenset[str]

    @property
    def paths(self) -> tuple[DocumentPath, ...]:
        """The path each action writes or removes, in text order."""
        return tuple(_target(action) for action in self.ast.actions)

    def plan(self, item: Item | None, key: Item | None = None) -> UpdateResult:
        """The item after the update, or DynamoDB's error for it; ``item`` is never changed.

        ``item`` is the stored item, None if there is none: the update then starts from ``key``.
        See ``update_plan.plan_update``.
        """
        return plan_update(self.ast.actions, item, key)


def _target(action: UpdateAction) -> DocumentPath:
    assert isinstance(action.path, DocumentPath)
    return action.path


@parse_cache
def _parse_text(text: str, kind: str) -> UpdateAst:
    parsed = parse_update_ast(text, kind)
    check_update_text(parsed, kind)
    return parsed.ast


def parse_update(
    expression: object, names: Mapping[str, str] | None, values: Mapping[str, AttributeValue] | None
) -> UpdateExpression:
    """The ``UpdateExpression`` for ``expression`` with the request's names and values.

    ``names`` and ``values`` are the request's validated maps (values normalised). Unused entries
    are checked request-wide (``request.parse_expressions``). Raises ValidationException with
    DynamoDB's ``Invalid UpdateExpression: ...`` messages, SerializationException for a non-string.
    """
    text = checked_text(expression, KIND, with_size=False)
    raw = _parse_text(text, KIND)
    resolver = Resolver(names, values, KIND)
    leaves = list(_leaves(raw))
    for leaf in leaves:
        if isinstance(leaf, RawPath):
            resolver.path(leaf)
    for leaf in leaves:
        if isinstance(leaf, ValueRef):
            resolver.value(leaf)
    update = UpdateExpression(
        _resolved(raw, resolver), frozenset(resolver.used_names), frozenset(resolver.used_values)
    )
    check_nesting([leaf for leaf in _leaves(update.ast) if isinstance(leaf, DocumentPath)], KIND)
    check_overlaps(update.paths, KIND)
    for action in update.ast.actions:
        if isinstance(action, AddAction | DeleteAction):
            _check_action_operand(action)
    for action in update.ast.actions:
        if isinstance(action, SetAction):
            for node in _post_order(action.value):
                _check_function(node)
    return update


def _leaves(update: UpdateAst) -> Iterator[Operand]:
    """Every path and value of the update, in text order."""
    for action in update.actions:
        yield action.path
        if not isinstance(action, RemoveAction):
            yield from iter_operand_leaves(action.value)


def _resolved(update: UpdateAst, resolver: Resolver) -> UpdateAst:
    clauses: list[Clause] = []
    for clause in update.clauses:
        actions: list[UpdateAction] = []
        for action in clause.actions:
            path = resolver.path(action.path) if isinstance(action.path, RawPath) else action.path
            if isinstance(action, SetAction):
                actions.append(SetAction(path, resolver.operand(action.value)))
            elif isinstance(action, RemoveAction):
                actions.append(RemoveAction(path))
            else:
                value = resolver.value(action.value) if isinstance(action.value, ValueRef) else action.value
                actions.append(type(action)(path, value))
        clauses.append(Clause(clause.keyword, tuple(actions)))
    return UpdateAst(tuple(clauses))


def _check_action_operand(action: AddAction | DeleteAction) -> None:
    """ADD takes a number or a set, DELETE a set: any other literal is refused by its type name."""
    assert isinstance(action.value, Literal)
    tag = static_type(action.value)
    if tag in _SET_TYPES or (tag == "N" and isinstance(action, AddAction)):
        return
    name = "ADD" if isinstance(action, AddAction) else "DELETE"
    detail = msg.ACTION_OPERAND_TYPE.format(name=name, type=_LONG_TYPE_NAMES.get(tag or "", tag))
    raise invalid_expression(KIND, detail)


def _post_order(operand: Operand) -> Iterator[Call | Arith]:
    for each in walk_operands(operand):
        yield from _post_order(each)
    if isinstance(operand, Call | Arith):
        yield operand


def _check_function(node: Call | Arith) -> None:
    """A function's or ``+``/``-``'s own errors, known before the item is read."""
    name = node.name if isinstance(node, Call) else node.op
    args = walk_operands(node)
    if isinstance(node, Call) and len(args) != ARITY[name]:
        raise invalid_expression(KIND, msg.OPERAND_COUNT.format(name=name, count=len(args)))
    if name == "if_not_exists":
        if not isinstance(args[0], DocumentPath):
            raise invalid_expression(KIND, msg.REQUIRES_PATH.format(name=name))
        return
    wanted = "L" if name == "list_append" else "N"
    for arg in args:
        tag = static_type(arg) if isinstance(arg, Literal) else None
        if tag is not None and tag != wanted:
            raise invalid_expression(KIND, msg.OPERAND_TYPE.format(name=name, type=tag))
