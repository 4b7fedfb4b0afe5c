"""ConditionExpression and FilterExpression (and the condition KeyConditionExpression starts as).

Implements the Developer Guide page
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
with the checks of reference §7.1, in dynalite's order: the text (a string, not blank, at most
4 KB), its syntax, then the errors of the text alone (``checks``), cached with the parse; then,
against the request's ExpressionAttributeNames and Values, condition by condition in text order, the
first condition with an error reports it, its undefined name or value first, then a function given
the wrong number of operands (or IN more than 100), then two operands that must differ, then an
operand of the wrong type. The result, ``ConditionExpression``, evaluates against items and cannot
fail doing so. Parsing is O(length of the text), resolving O(nodes), evaluating see ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from . import messages as msg
from .ast import (
    MAX_IN_OPERANDS,
    And,
    AttributeValue,
    Between,
    Call,
    Compare,
    Condition,
    In,
    Literal,
    Not,
    Or,
    walk_operands,
)
from .checks import check_condition_text
from .evaluate import ORDERED_TYPES, Item, compare_values, evaluate
from .parser import parse_condition_ast
from .paths import DocumentPath, check_nesting
from .resolve import ARITY, Resolver, iter_calls, iter_operand_leaves, show_value, static_type
from .text import checked_text, parse_cache
from .tokens import invalid_expression

__all__ = ["CONDITION_KINDS", "ConditionExpression", "parse_condition"]

CONDITION_KINDS = frozenset({"ConditionExpression", "FilterExpression", "KeyConditionExpression"})
_ATTRIBUTE_TYPES = frozenset({"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})


@dataclass(frozen=True, slots=True)
class ConditionExpression:
    """A resolved, validated condition of expression parameter ``kind``."""

    kind: str
    ast: Condition
    used_names: frozenset[str]
    used_values: frozenset[str]

    def evaluate(self, item: Item | None) -> bool:
        """Whether ``item`` (None when there is none) satisfies the condition. Never raises."""
        return evaluate(self.ast, item)

    @property
    def paths(self) -> tuple[DocumentPath, ...]:
        """Every document path the condition reads, in text order (repeats kept)."""
        return tuple(_paths(self.ast))


def _paths(node: Condition) -> Iterator[DocumentPath]:
    if isinstance(node, And | Or):
        for each in node.conditions:
            yield from _paths(each)
    elif isinstance(node, Not):
        yield from _paths(node.condition)
    else:
        for operand in walk_operands(node):
            for leaf in iter_operand_leaves(operand):
                if isinstance(leaf, DocumentPath):
                    yield leaf


@parse_cache
def _parse_text(text: str, kind: str) -> Condition:
    """Syntax and the text-only checks: everything that does not depend on names and values."""
    parsed = parse_condition_ast(text, kind)
    check_condition_text(parsed, kind)
    return parsed.ast


def parse_condition(
    expression: object,
    names: Mapping[str, str] | None,
    values: Mapping[str, AttributeValue] | None,
    kind: str = "ConditionExpression",
) -> ConditionExpression:
    """The ``ConditionExpression`` for ``expression`` with the request's names and values.

    ``kind`` is the parameter (``ConditionExpression``, ``FilterExpression`` or
    ``KeyConditionExpression``) that prefixes every message. ``names`` and ``values`` are the
    request's validated maps (values normalised by ``values.validate_value``). Unused entries are
    not checked here: that is request-wide (``request.parse_expressions``). Raises
    ValidationException with DynamoDB's messages, SerializationException for a non-string text.
    """
    if kind not in CONDITION_KINDS:
        raise ValueError(f"not a condition kind: {kind}")
    text = checked_text(expression, kind, with_size=True)
    raw = _parse_text(text, kind)
    resolver = Resolver(names, values, kind)
    resolved = _resolve(raw, resolver)
    condition = ConditionExpression(
        kind, resolved, frozenset(resolver.used_names), frozenset(resolver.used_values)
    )
    check_nesting(condition.paths, kind)
    return condition


def _resolve(node: Condition, resolver: Resolver) -> Condition:
    """The condition with its leaves resolved, each comparison or function checked as it is met."""
    if isinstance(node, And):
        return And(tuple(_resolve(each, resolver) for each in node.conditions))
    if isinstance(node, Or):
        return Or(tuple(_resolve(each, resolver) for each in node.conditions))
    if isinstance(node, Not):
        return Not(_resolve(node.condition, resolver))
    leaf = _resolve_leaf(node, resolver)
    _check_leaf(leaf, resolver.kind)
    return leaf


def _resolve_leaf(node: Compare | Between | In | Call, resolver: Resolver) -> Compare | Between | In | Call:
    operand = resolver.operand
    if isinstance(node, Compare):
        return Compare(node.op, operand(node.left), operand(node.right))
    if isinstance(node, Between):
        return Between(operand(node.operand), operand(node.low), operand(node.high))
    if isinstance(node, In):
        return In(operand(node.operand), tuple(operand(choice) for choice in node.choices))
    return Call(node.name, tuple(operand(arg) for arg in node.args))


def _leaf_calls(leaf: Compare | Between | In | Call) -> list[Call]:
    if isinstance(leaf, Call):
        return list(iter_calls(leaf))
    return [call for operand in walk_operands(leaf) for call in iter_calls(operand)]


def _check_leaf(leaf: Compare | Between | In | Call, kind: str) -> None:
    """One comparison's or function's errors after its names and values: count, distinct, types."""
    calls = _leaf_calls(leaf)
    for call in calls:
        if len(call.args) != ARITY[call.name]:
            detail = msg.OPERAND_COUNT.format(name=call.name, count=len(call.args))
            raise invalid_expression(kind, detail)
    if isinstance(leaf, In) and len(leaf.choices) > MAX_IN_OPERANDS:
        raise invalid_expression(kind, msg.TOO_MANY_IN_OPERANDS.format(count=len(leaf.choices)))
    pairs = [(call.name, call.args) for call in calls if len(call.args) == 2]
    if isinstance(leaf, Compare):
        pairs.append((leaf.op, (leaf.left, leaf.right)))
    for name, (first, second) in pairs:
        if isinstance(first, DocumentPath) and first == second:
            raise invalid_expression(kind, msg.NOT_DISTINCT.format(name=name, path=first.render()))
    for call in calls:
        _check_call_types(call, kind)
    if isinstance(leaf, Compare) and leaf.op not in ("=", "<>"):
        _check_ordered(leaf.op, (leaf.left, leaf.right), kind)
    elif isinstance(leaf, Between):
        _check_between(leaf, kind)


def _check_call_types(call: Call, kind: str) -> None:
    if call.name in ("attribute_exists", "attribute_not_exists"):
        if not isinstance(call.args[0], DocumentPath):
            raise invalid_expression(kind, msg.REQUIRES_PATH.format(name=call.name))
    elif call.name == "attribute_type":
        _check_type_name(call.args[1], kind)
    elif call.name in ("begins_with", "size"):
        for arg in call.args:
            tag = static_type(arg)
            if tag is not None and not _accepts(call.name, tag):
                raise invalid_expression(kind, msg.OPERAND_TYPE.format(name=call.name, type=tag))


def _accepts(function: str, tag: str) -> bool:
    """Whether a literal operand of type ``tag`` suits ``begins_with`` (S, B) or ``size`` (no N,
    BOOL or NULL)."""
    if function == "begins_with":
        return tag in ("S", "B")
    return tag not in ("N", "BOOL", "NULL")


def _check_type_name(operand: object, kind: str) -> None:
    """attribute_type's second operand: a literal string naming one of the ten types."""
    tag = static_type(operand) if isinstance(operand, DocumentPath | Literal | Call) else None
    if tag != "S":
        detail = msg.OPERAND_TYPE.format(name="attribute_type", type=tag or msg.ANY_TYPE)
        raise invalid_expression(kind, detail)
    assert isinstance(operand, Literal)  # only a literal has type S before any item is read
    if operand.value["S"] not in _ATTRIBUTE_TYPES:
        raise invalid_expression(kind, msg.INVALID_TYPE_NAME.format(type=operand.value["S"]))


def _check_ordered(name: str, operands: tuple[object, ...], kind: str) -> None:
    """A literal compared by order must be of a type that orders (S, N, B)."""
    for operand in operands:
        if isinstance(operand, Literal) and (tag := static_type(operand)) not in ORDERED_TYPES:
            raise invalid_expression(kind, msg.OPERAND_TYPE.format(name=name, type=tag))


def _check_between(leaf: Between, kind: str) -> None:
    low, high = leaf.low, leaf.high
    both = isinstance(low, Literal) and isinstance(high, Literal)
    if both and static_type(low) != static_type(high):
        assert isinstance(low, Literal) and isinstance(high, Literal)
        detail = msg.BETWEEN_TYPES.format(low=show_value(low.value), high=show_value(high.value))
        raise invalid_expression(kind, detail)
    _check_ordered("BETWEEN", (leaf.operand, low, high), kind)
    if isinstance(low, Literal) and isinstance(high, Literal) and compare_values(low.value, high.value) == 1:
        detail = msg.BETWEEN_ORDER.format(low=show_value(low.value), high=show_value(high.value))
        raise invalid_expression(kind, detail)
