"""The checks that depend on an expression's text alone, run once per parse (and cached with it).

These are the errors DynamoDB reports before any that need ExpressionAttributeNames or Values, in
dynalite's order (reference §7.1, §7.4): for a condition, redundant parentheses, then an unknown
function, a function used where it may not be, a reserved word used as a bare name; for an update, a
reserved word, an unknown function, a misused function, a section used twice. Within one kind of
error the first found wins, found in the order DynamoDB's parser reduces the text: arguments before
the call that holds them, operands left to right. One walk of the tree: O(nodes).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import messages as msg
from .ast import (
    CONDITION_FUNCTIONS,
    FUNCTIONS,
    And,
    Call,
    Condition,
    Not,
    Operand,
    Or,
    SetAction,
    UpdateAst,
    walk_operands,
)
from .parser import ParsedCondition, ParsedUpdate
from .paths import RESERVED_KEYWORD, Name, RawPath
from .reserved_words import is_reserved
from .tokens import invalid_expression

__all__ = ["check_condition_text", "check_update_text"]

# A condition may stand alone only as one of these; anywhere else a call must be ``size``.
_STANDALONE = CONDITION_FUNCTIONS - {"size"}


@dataclass(slots=True)
class _Found:
    """The first error of each text-only kind met so far."""

    unknown: str | None = None
    misused: str | None = None
    reserved: str | None = None

    def path(self, path: RawPath) -> None:
        if self.reserved is None:
            for element in path.elements:
                if isinstance(element, Name) and is_reserved(element.name):
                    self.reserved = element.name
                    return

    def call(self, name: str, *, misused: bool) -> None:
        if name not in FUNCTIONS:
            if self.unknown is None:
                self.unknown = name
        elif misused and self.misused is None:
            self.misused = name


def check_condition_text(parsed: ParsedCondition, kind: str) -> None:
    """Raise the first text-only error of a condition, in DynamoDB's order."""
    found = _Found()
    _condition(parsed.ast, found)
    if parsed.redundant_parentheses:
        raise invalid_expression(kind, msg.REDUNDANT_PARENTHESES)
    if found.unknown is not None:
        raise invalid_expression(kind, msg.INVALID_FUNCTION.format(name=found.unknown))
    if found.misused is not None:
        raise invalid_expression(kind, msg.MISUSED_FUNCTION.format(name=found.misused))
    if found.reserved is not None:
        raise invalid_expression(kind, RESERVED_KEYWORD.format(word=found.reserved))


def _condition(node: Condition, found: _Found) -> None:
    if isinstance(node, And | Or):
        for each in node.conditions:
            _condition(each, found)
    elif isinstance(node, Not):
        _condition(node.condition, found)
    elif isinstance(node, Call):
        for arg in node.args:
            _condition_operand(arg, found)
        found.call(node.name, misused=node.name not in _STANDALONE)
    else:
        for operand in walk_operands(node):
            _condition_operand(operand, found)


def _condition_operand(operand: Operand, found: _Found) -> None:
    if isinstance(operand, RawPath):
        found.path(operand)
    elif isinstance(operand, Call):
        for arg in operand.args:
            _condition_operand(arg, found)
        found.call(operand.name, misused=operand.name != "size")


def check_update_text(parsed: ParsedUpdate, kind: str) -> None:
    """Raise the first text-only error of an update, in DynamoDB's order."""
    found = _Found()
    for action in parsed.ast.actions:
        if isinstance(action.path, RawPath):
            found.path(action.path)
        if isinstance(action, SetAction):
            _update_operand(action.value, found, inside=None)
    duplicate = _duplicate_section(parsed.ast)
    if found.reserved is not None:
        raise invalid_expression(kind, RESERVED_KEYWORD.format(word=found.reserved))
    if found.unknown is not None:
        raise invalid_expression(kind, msg.INVALID_FUNCTION.format(name=found.unknown))
    if found.misused is not None:
        raise invalid_expression(kind, msg.MISUSED_FUNCTION.format(name=found.misused))
    if duplicate is not None:
        raise invalid_expression(kind, msg.DUPLICATE_SECTION.format(section=duplicate))


def _update_operand(operand: Operand, found: _Found, inside: str | None) -> None:
    """``inside`` names the call whose argument ``operand`` is.

    Condition functions are misused in an update, and so is ``list_append`` as an argument of
    ``list_append`` (ScyllaDB's alternator tests: DynamoDB refuses it, and accepts ``list_append``
    around ``if_not_exists``). Whether ``list_append`` may be an argument of ``if_not_exists`` is not
    known; we allow it.
    """
    if isinstance(operand, RawPath):
        found.path(operand)
    elif isinstance(operand, Call):
        for arg in operand.args:
            _update_operand(arg, found, operand.name)
        nested_append = operand.name == "list_append" and inside == "list_append"
        found.call(operand.name, misused=operand.name in CONDITION_FUNCTIONS or nested_append)
    else:
        for each in walk_operands(operand):
            _update_operand(each, found, inside)


def _duplicate_section(update: UpdateAst) -> str | None:
    seen: set[str] = set()
    for clause in update.clauses:
        if clause.keyword in seen:
            return clause.keyword
        seen.add(clause.keyword)
    return None
