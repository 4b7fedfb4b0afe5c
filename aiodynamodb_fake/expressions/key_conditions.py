"""KeyConditionExpression: from a parsed condition to the key range a Query walks.

Implements the Developer Guide page
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
in three steps, each with DynamoDB's messages in dynalite's order (reference §6.4, §7.3):
``parse_condition(..., kind="KeyConditionExpression")`` checks it as any condition; after the
request's unused-names and unused-values checks, ``key_terms`` checks its shape (only AND, the
comparators but ``<>``, BETWEEN and ``begins_with``; one plain attribute per condition, compared
with values; at most one condition per attribute, one or two in all) and mirrors ``:v < k`` into
``k > :v``; once the table or index is known, ``KeyTerms.bind`` checks the terms against its key
schema and gives the ``KeyCondition``: the partition key's value and an optional sort-key condition
whose ``range`` feeds ``key_range.sort_bounds``. All three are O(size of the expression).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias
from typing import Literal as TypingLiteral

from aiodynamodb.errors import ValidationException

from ..schema import KeySchema
from . import messages as msg
from .ast import And, AttributeValue, Between, Call, Compare, Condition, In, Literal, Not, Or
from .conditions import ConditionExpression
from .evaluate import sort_value, type_of
from .paths import DocumentPath, Name
from .tokens import invalid_expression

__all__ = ["KeyCondition", "KeyTerm", "KeyTerms", "SortKeyCondition", "key_terms"]

KIND = "KeyConditionExpression"
KeyOperator: TypeAlias = TypingLiteral["=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"]
_AS_WRITTEN: dict[str, KeyOperator] = {"=": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_MIRRORED: dict[str, KeyOperator] = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_REFUSED_FUNCTIONS = frozenset({"attribute_exists", "attribute_not_exists", "attribute_type", "contains"})


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """One condition on one key attribute: ``name <operator> values``, the attribute on the left."""

    name: str
    operator: KeyOperator
    values: tuple[AttributeValue, ...]


@dataclass(frozen=True, slots=True)
class SortKeyCondition:
    """The condition on the sort key: ``=``, ``<``, ``<=``, ``>``, ``>=``, BETWEEN or begins_with."""

    name: str
    operator: KeyOperator
    values: tuple[AttributeValue, ...]

    def range(self) -> tuple[Any, Any, bool, bool, str | bytes | None]:
        """``(low, high, low_inclusive, high_inclusive, prefix)`` in sort values (``Decimal``,
        ``str``, ``bytes``; None for no bound), as ``key_range.sort_bounds`` takes them."""
        first = sort_value(self.values[0])
        if self.operator == "begins_with":
            return None, None, False, False, first
        if self.operator == "BETWEEN":
            return first, sort_value(self.values[1]), True, True, None
        if self.operator == "=":
            return first, first, True, True, None
        if self.operator in ("<", "<="):
            return None, first, False, self.operator == "<=", None
        return first, None, self.operator == ">=", False, None

    def matches(self, value: Any) -> bool:
        """Whether a sort value (``Decimal``, ``str`` or ``bytes``) satisfies the condition."""
        low, high, low_inclusive, high_inclusive, prefix = self.range()
        if isinstance(prefix, str):
            return isinstance(value, str) and value.startswith(prefix)
        if isinstance(prefix, bytes):
            return isinstance(value, bytes) and value.startswith(prefix)
        if low is not None and (value < low or (value == low and not low_inclusive)):
            return False
        return high is None or value < high or (value == high and high_inclusive)


@dataclass(frozen=True, slots=True)
class KeyCondition:
    """A Query's key condition for one key schema: the partition key's value, and maybe a sort-key
    condition. ``hash_sort_value`` is the value as storage orders and hashes it."""

    hash_name: str
    hash_value: AttributeValue
    sort: SortKeyCondition | None

    @property
    def hash_sort_value(self) -> Any:
        return sort_value(self.hash_value)


@dataclass(frozen=True, slots=True)
class KeyTerms:
    """The one or two conditions of a KeyConditionExpression, before the key schema is known."""

    terms: tuple[KeyTerm, ...]

    def bind(self, schema: KeySchema) -> KeyCondition:
        """The ``KeyCondition`` for a table's or index's key schema, or DynamoDB's error for it
        (dynalite's order: too many terms for a hash-only key, a key attribute missing, a value of
        the wrong type, a partition key not compared with ``=``)."""
        by_name = {term.name: term for term in self.terms}
        count = len(self.terms)
        if schema.range_name is None and count > 1:
            raise ValidationException(msg.KEY_NOT_SUPPORTED)
        hash_term = by_name.get(schema.hash_name)
        if hash_term is None:
            raise ValidationException(msg.KEY_MISSED_ELEMENT.format(name=schema.hash_name))
        _check_types(hash_term, schema.hash_type)
        if hash_term.operator != "=":
            raise ValidationException(msg.KEY_NOT_SUPPORTED)
        sort = None
        if schema.range_name is not None and count > 1:
            range_term = by_name.get(schema.range_name)
            if range_term is None:
                raise ValidationException(msg.KEY_MISSED_ELEMENT.format(name=schema.range_name))
            assert schema.range_type is not None
            _check_types(range_term, schema.range_type)
            sort = SortKeyCondition(range_term.name, range_term.operator, range_term.values)
        return KeyCondition(schema.hash_name, hash_term.values[0], sort)


def _check_types(term: KeyTerm, key_type: str) -> None:
    if any(type_of(value) != key_type for value in term.values):
        raise ValidationException(msg.KEY_TYPE_MISMATCH)


def key_terms(condition: ConditionExpression) -> KeyTerms:
    """The terms of a KeyConditionExpression, or DynamoDB's error for its shape (reference §7.3).

    Walks the condition as DynamoDB does: an operator is refused before its operands are looked at,
    and operands are looked at left to right.
    """
    terms: dict[str, KeyTerm] = {}
    _walk(condition.ast, terms)
    if len(terms) not in (1, 2):
        raise ValidationException(msg.KEY_CONDITION_COUNT)
    return KeyTerms(tuple(terms.values()))


def _refused(node: Condition | Call) -> str | None:
    """The message for an operator KeyConditionExpression refuses outright, if ``node`` is one."""
    if isinstance(node, Or | Not | In):
        return msg.KEY_INVALID_OPERATOR.format(name=type(node).__name__.upper())
    if isinstance(node, Compare) and node.op == "<>":
        return msg.KEY_INVALID_OPERATOR.format(name="<>")
    if isinstance(node, Call) and node.name in _REFUSED_FUNCTIONS:
        return msg.KEY_INVALID_OPERATOR.format(name=node.name)
    if isinstance(node, Call) and node.name == "size":
        return msg.KEY_NESTED_OPERATION
    if isinstance(node, Between) and not isinstance(node.operand, DocumentPath):
        return msg.KEY_FIRST_OPERAND.format(name="BETWEEN")
    if isinstance(node, Call) and node.name == "begins_with" and not isinstance(node.args[0], DocumentPath):
        return msg.KEY_FIRST_OPERAND.format(name="begins_with")
    return None


def _walk(node: Condition | Call, terms: dict[str, KeyTerm]) -> None:
    refused = _refused(node)
    if refused is not None:
        raise invalid_expression(KIND, refused)
    if isinstance(node, And):
        for each in node.conditions:
            _walk(each, terms)
        return
    operands = _operands(node)
    name: str | None = None
    position = 0
    for index, operand in enumerate(operands):
        if isinstance(operand, DocumentPath):
            if name is not None:
                raise invalid_expression(KIND, msg.KEY_MULTIPLE_NAMES)
            if len(operand.elements) > 1:
                raise invalid_expression(KIND, msg.KEY_NESTED_ATTRIBUTE)
            first = operand.elements[0]
            assert isinstance(first, Name)  # a path starts with a name
            name, position = first.name, index
        elif isinstance(operand, Call):
            _walk(operand, terms)
    if name is None:
        raise invalid_expression(KIND, msg.KEY_NO_ATTRIBUTE)
    if name in terms:
        raise invalid_expression(KIND, msg.KEY_ONE_PER_KEY)
    terms[name] = _term(node, name, position, operands)


def _operands(node: Condition | Call) -> tuple[object, ...]:
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, Between):
        return (node.operand, node.low, node.high)
    assert isinstance(node, Call)
    return node.args


def _term(node: Condition | Call, name: str, position: int, operands: tuple[object, ...]) -> KeyTerm:
    values = tuple(operand.value for operand in operands if isinstance(operand, Literal))
    if isinstance(node, Compare):
        operator = _MIRRORED[node.op] if position else _AS_WRITTEN[node.op]
        return KeyTerm(name, operator, values)
    return KeyTerm(name, "BETWEEN" if isinstance(node, Between) else "begins_with", values)
