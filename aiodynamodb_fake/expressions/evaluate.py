"""Evaluating a resolved condition against an item: DynamoDB's comparison and function semantics.

Implements the semantics of the Developer Guide page
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
as reference §1.5 and §7.1 give them, with the corners ScyllaDB's alternator tests pin against
DynamoDB: values of different types are never equal nor ordered; only S, N and B order (N by value,
S and B by bytes: Python's ``str`` order is UTF-8 byte order); a missing attribute makes ``=``, the
ordering comparators, BETWEEN, IN and every function false, but ``<>`` true (``a <> b`` is ``NOT a =
b``); ``size`` counts a string in UTF-16 code units (measured against DynamoDB by ExtendDB), binary
in bytes, sets, lists and maps in members, and has no value for N, BOOL or NULL. Evaluation cannot
fail: every error was raised when the expression was resolved. The walk is O(nodes + the parts of
the item the paths reach); equality of two values is O(their size).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .ast import And, AttributeValue, Between, Call, Compare, Condition, In, Literal, Not, Operand, Or
from .paths import DocumentPath, Index

__all__ = [
    "compare_values",
    "evaluate",
    "lookup",
    "operand_value",
    "size_of",
    "sort_value",
    "type_of",
    "values_equal",
]

Item = Mapping[str, AttributeValue]
ORDERED_TYPES = frozenset({"S", "N", "B"})
_SETS = {"SS": "S", "NS": "N", "BS": "B"}


def type_of(value: AttributeValue) -> str:
    """The type tag of an AttributeValue (``S``, ``NS``, ``M``...)."""
    return next(iter(value))


def sort_value(value: AttributeValue) -> Any:
    """What orders an S, N or B value: ``str``, ``Decimal`` or ``bytes``."""
    tag, raw = next(iter(value.items()))
    return Decimal(raw) if tag == "N" else raw


def lookup(item: Item | None, path: DocumentPath) -> AttributeValue | None:
    """The value at ``path`` in ``item``, or None if some step is missing or of the wrong type."""
    first, *rest = path.elements
    if item is None or isinstance(first, Index):
        return None
    current = item.get(first.name)
    for element in rest:
        if current is None:
            return None
        if isinstance(element, Index):
            members = current.get("L")
            if members is None or element.index >= len(members):
                return None
            current = members[element.index]
        else:
            entries = current.get("M")
            current = None if entries is None else entries.get(element.name)
    return current


def size_of(value: AttributeValue) -> int | None:
    """``size()`` of a value, or None for the types that have none (N, BOOL, NULL)."""
    tag, raw = next(iter(value.items()))
    if tag == "S":
        return len(raw.encode("utf-16-le", "surrogatepass")) // 2
    if tag in ("N", "BOOL", "NULL"):
        return None
    return len(raw)


def values_equal(left: AttributeValue, right: AttributeValue) -> bool:
    """DynamoDB equality: same type and same value; sets ignore order, numbers compare by value."""
    tag = type_of(left)
    if tag != type_of(right):
        return False
    a, b = left[tag], right[tag]
    if tag == "N":
        return bool(Decimal(a) == Decimal(b))
    if tag == "NS":
        return {Decimal(x) for x in a} == {Decimal(x) for x in b}
    if tag in ("SS", "BS"):
        return len(a) == len(b) and set(a) == set(b)
    if tag == "L":
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    if tag == "M":
        return a.keys() == b.keys() and all(values_equal(a[key], b[key]) for key in a)
    return bool(a == b)


def compare_values(left: AttributeValue, right: AttributeValue) -> int | None:
    """-1, 0 or 1 for two values of one ordered type (S, N, B); None when they do not order."""
    tag = type_of(left)
    if tag not in ORDERED_TYPES or tag != type_of(right):
        return None
    a, b = sort_value(left), sort_value(right)
    return -1 if a < b else (1 if a > b else 0)


def operand_value(operand: Operand, item: Item | None) -> AttributeValue | None:
    """The value of a resolved operand (a path, a literal or ``size(...)``), None when it has none."""
    if isinstance(operand, DocumentPath):
        return lookup(item, operand)
    if isinstance(operand, Literal):
        return operand.value
    if isinstance(operand, Call) and operand.name == "size":
        inner = operand_value(operand.args[0], item)
        size = None if inner is None else size_of(inner)
        return None if size is None else {"N": str(size)}
    return None


def evaluate(condition: Condition, item: Item | None) -> bool:
    """Whether ``item`` (None: no item) satisfies a resolved, validated condition."""
    if isinstance(condition, And):
        return all(evaluate(each, item) for each in condition.conditions)
    if isinstance(condition, Or):
        return any(evaluate(each, item) for each in condition.conditions)
    if isinstance(condition, Not):
        return not evaluate(condition.condition, item)
    if isinstance(condition, Compare):
        return _compare(condition, item)
    if isinstance(condition, Between):
        return _between(condition, item)
    if isinstance(condition, In):
        value = operand_value(condition.operand, item)
        if value is None:
            return False
        choices = (operand_value(choice, item) for choice in condition.choices)
        return any(choice is not None and values_equal(value, choice) for choice in choices)
    return _function(condition, item)


def _compare(condition: Compare, item: Item | None) -> bool:
    left = operand_value(condition.left, item)
    right = operand_value(condition.right, item)
    if condition.op in ("=", "<>"):
        equal = left is not None and right is not None and values_equal(left, right)
        return equal if condition.op == "=" else not equal
    order = None if left is None or right is None else compare_values(left, right)
    if order is None:
        return False
    if condition.op == "<":
        return order < 0
    if condition.op == "<=":
        return order <= 0
    if condition.op == ">":
        return order > 0
    return order >= 0


def _between(condition: Between, item: Item | None) -> bool:
    value = operand_value(condition.operand, item)
    low = operand_value(condition.low, item)
    high = operand_value(condition.high, item)
    if value is None or low is None or high is None:
        return False
    above = compare_values(value, low)
    below = compare_values(value, high)
    return above is not None and below is not None and above >= 0 and below <= 0


def _function(call: Call, item: Item | None) -> bool:
    values = [operand_value(arg, item) for arg in call.args]
    if call.name == "attribute_exists":
        return values[0] is not None
    if call.name == "attribute_not_exists":
        return values[0] is None
    first, second = values[0], values[1]
    if first is None or second is None:
        return False
    if call.name == "attribute_type":
        return bool(type_of(first) == second["S"])
    if call.name == "begins_with":
        tag = type_of(first)
        return tag in ("S", "B") and type_of(second) == tag and bool(first[tag].startswith(second[tag]))
    return _contains(first, second)


def _contains(container: AttributeValue, member: AttributeValue) -> bool:
    """Substring for S and B, membership for a set (of the member's type) and for a list."""
    tag, raw = next(iter(container.items()))
    member_tag = type_of(member)
    if tag in ("S", "B"):
        return member_tag == tag and bool(member[tag] in raw)
    if tag == "L":
        return any(values_equal(element, member) for element in raw)
    if _SETS.get(tag) != member_tag:
        return False
    if tag == "NS":
        return Decimal(member["N"]) in {Decimal(x) for x in raw}
    return bool(member[member_tag] in raw)
