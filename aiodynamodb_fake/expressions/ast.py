"""The expression AST: frozen, slotted nodes for conditions (Condition, Filter, KeyCondition) and updates.

One set of nodes serves both stages of the engine described on the Developer Guide pages
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
and .../Expressions.UpdateExpressions.html. The parser (``parser``) builds trees whose leaves are
*raw*: ``RawPath`` (``#aliases`` unresolved) and ``ValueRef`` (``:name``), so a parse depends on the
text alone and is cached by it. Resolution (``conditions``, ``updates``) rebuilds the tree with
*resolved* leaves: ``DocumentPath`` and ``Literal`` (the AttributeValue itself). Interior nodes are
shared by both. ``And``/``Or`` hold two or more operands; ``a OR b OR c`` is one ``Or`` but ``(a OR
b) OR c`` two, so rendering a tree (``render``) and parsing the text gives the same tree back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias
from typing import Literal as TypingLiteral

from .. import limits
from .paths import DocumentPath, RawPath

__all__ = [
    "COMPARATORS",
    "CONDITION_FUNCTIONS",
    "FUNCTIONS",
    "MAX_IN_OPERANDS",
    "UPDATE_FUNCTIONS",
    "AddAction",
    "And",
    "Arith",
    "AttributeValue",
    "Between",
    "Call",
    "Clause",
    "Comparator",
    "Compare",
    "Condition",
    "DeleteAction",
    "In",
    "Keyword",
    "Literal",
    "Not",
    "Operand",
    "Or",
    "RemoveAction",
    "SetAction",
    "UpdateAction",
    "UpdateAst",
    "ValueRef",
    "walk_operands",
]

AttributeValue: TypeAlias = Mapping[str, Any]
Comparator: TypeAlias = TypingLiteral["=", "<>", "<", "<=", ">", ">="]
COMPARATORS: tuple[Comparator, ...] = ("=", "<>", "<", "<=", ">", ">=")
# Function names are case-sensitive; each is known in both expression kinds, and one of the other
# kind's is "misused" there rather than unknown (ScyllaDB's alternator tests, run against DynamoDB).
CONDITION_FUNCTIONS = frozenset(
    {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"}
)
UPDATE_FUNCTIONS = frozenset({"if_not_exists", "list_append"})
FUNCTIONS = CONDITION_FUNCTIONS | UPDATE_FUNCTIONS
MAX_IN_OPERANDS = limits.MAX_IN_OPERANDS  # the old name, kept for importers


@dataclass(frozen=True, slots=True)
class ValueRef:
    """An unresolved ``:name`` (an ExpressionAttributeValues key)."""

    name: str


@dataclass(frozen=True, slots=True)
class Literal:
    """A resolved ``:name``: the AttributeValue it stands for (validated, numbers canonical)."""

    name: str
    value: AttributeValue = field(hash=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A function call, as an operand (``size``, ``if_not_exists``...) or as a condition."""

    name: str
    args: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Arith:
    """``left + right`` or ``left - right`` (UpdateExpression SET values only)."""

    op: TypingLiteral["+", "-"]
    left: Operand
    right: Operand


Operand: TypeAlias = RawPath | ValueRef | DocumentPath | Literal | Call | Arith


@dataclass(frozen=True, slots=True)
class Compare:
    op: Comparator
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class Between:
    operand: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True, slots=True)
class In:
    operand: Operand
    choices: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Not:
    condition: Condition


@dataclass(frozen=True, slots=True)
class And:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    conditions: tuple[Condition, ...]


Condition: TypeAlias = Compare | Between | In | Call | Not | And | Or


@dataclass(frozen=True, slots=True)
class SetAction:
    path: RawPath | DocumentPath
    value: Operand


@dataclass(frozen=True, slots=True)
class RemoveAction:
    path: RawPath | DocumentPath


@dataclass(frozen=True, slots=True)
class AddAction:
    path: RawPath | DocumentPath
    value: ValueRef | Literal


@dataclass(frozen=True, slots=True)
class DeleteAction:
    path: RawPath | DocumentPath
    value: ValueRef | Literal


UpdateAction: TypeAlias = SetAction | RemoveAction | AddAction | DeleteAction
Keyword: TypeAlias = TypingLiteral["SET", "REMOVE", "ADD", "DELETE"]


@dataclass(frozen=True, slots=True)
class Clause:
    """One section of an UpdateExpression: its keyword and its actions, in the order written."""

    keyword: Keyword
    actions: tuple[UpdateAction, ...]


@dataclass(frozen=True, slots=True)
class UpdateAst:
    clauses: tuple[Clause, ...]

    @property
    def actions(self) -> tuple[UpdateAction, ...]:
        """Every action in the order written, across sections."""
        return tuple(action for clause in self.clauses for action in clause.actions)


def walk_operands(node: Condition | Operand) -> tuple[Operand, ...]:
    """The operands directly under ``node`` (a condition's, a call's or an ``Arith``'s), in order."""
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, Between):
        return (node.operand, node.low, node.high)
    if isinstance(node, In):
        return (node.operand, *node.choices)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Arith):
        return (node.left, node.right)
    return ()
