"""Resolution: a raw AST's ``#aliases`` and ``:values`` replaced by what the request binds them to.

Shared by conditions and updates. ``Resolver`` turns ``RawPath`` leaves into ``DocumentPath``s and
``ValueRef`` leaves into ``Literal``s, recording which ExpressionAttributeNames and Values the
expression used (for the request-wide unused check, reference §7.5), and raising DynamoDB's message
for the first alias or value that is not defined. Values are taken as given: the caller validated
them (``values.validate_value``), so numbers are canonical and binary is ``bytes``. The helpers below
it answer the questions the type checks ask of an operand before any item is seen. Each step is
O(size of the operand).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from typing import Any

from . import messages as msg
from .ast import Arith, AttributeValue, Call, Literal, Operand, ValueRef, walk_operands
from .evaluate import type_of
from .paths import UNDEFINED_NAME, Alias, DocumentPath, Name, PathElement, RawPath
from .tokens import invalid_expression

__all__ = ["ARITY", "Resolver", "iter_calls", "iter_operand_leaves", "show_value", "static_type"]

# The number of operands each function takes (dynalite's grammars).
ARITY = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
    "size": 1,
    "if_not_exists": 2,
    "list_append": 2,
}


class Resolver:
    """Binds one expression's aliases and values; ``used_names``/``used_values`` grow as it does."""

    __slots__ = ("kind", "names", "used_names", "used_values", "values")

    def __init__(
        self, names: Mapping[str, str] | None, values: Mapping[str, AttributeValue] | None, kind: str
    ) -> None:
        self.names = names or {}
        self.values = values or {}
        self.kind = kind
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()

    def path(self, raw: RawPath) -> DocumentPath:
        elements: list[PathElement] = []
        for element in raw.elements:
            if not isinstance(element, Alias):
                elements.append(element)
                continue
            name = self.names.get(element.alias)
            if name is None:
                raise invalid_expression(self.kind, UNDEFINED_NAME.format(alias=element.alias))
            self.used_names.add(element.alias)
            elements.append(Name(name))
        return DocumentPath(tuple(elements))

    def value(self, ref: ValueRef) -> Literal:
        value = self.values.get(ref.name)
        if value is None:
            raise invalid_expression(self.kind, msg.UNDEFINED_VALUE.format(name=ref.name))
        self.used_values.add(ref.name)
        return Literal(ref.name, value)

    def operand(self, operand: Operand) -> Operand:
        """The operand with every leaf resolved, the first undefined one (in text order) refused."""
        if isinstance(operand, RawPath):
            return self.path(operand)
        if isinstance(operand, ValueRef):
            return self.value(operand)
        if isinstance(operand, Call):
            return Call(operand.name, tuple(self.operand(arg) for arg in operand.args))
        if isinstance(operand, Arith):
            return Arith(operand.op, self.operand(operand.left), self.operand(operand.right))
        return operand


def iter_operand_leaves(operand: Operand) -> Iterator[Operand]:
    """The leaves (paths and values) under ``operand``, in text order."""
    if isinstance(operand, Call | Arith):
        for each in walk_operands(operand):
            yield from iter_operand_leaves(each)
    else:
        yield operand


def iter_calls(operand: Operand) -> Iterator[Call]:
    """The calls under ``operand`` (itself included), arguments before the call holding them."""
    for each in walk_operands(operand):
        yield from iter_calls(each)
    if isinstance(operand, Call):
        yield operand


def static_type(operand: Operand) -> str | None:
    """The type an operand has before any item is read: a literal's, ``N`` for ``size`` and for
    ``+``/``-``, ``L`` for ``list_append``; None for a path or ``if_not_exists``."""
    if isinstance(operand, Literal):
        return type_of(operand.value)
    if isinstance(operand, Arith) or (isinstance(operand, Call) and operand.name == "size"):
        return "N"
    if isinstance(operand, Call) and operand.name == "list_append":
        return "L"
    return None


def show_value(value: AttributeValue) -> str:
    """A value as DynamoDB's BETWEEN messages print it: ``{N:1}``, ``{S:a}``.

    Only the S and N forms are known; binary is shown in base64 as on the wire, and other types in
    a form of our own.
    """
    tag, raw = next(iter(value.items()))
    return "{" + tag + ":" + _show_raw(tag, raw) + "}"


def _show_raw(tag: str, raw: Any) -> str:
    if tag == "B":
        return base64.b64encode(raw).decode("ascii")
    if tag in ("BOOL", "NULL"):
        return "true" if raw else "false"
    if tag == "BS":
        return "[" + ", ".join(base64.b64encode(member).decode("ascii") for member in raw) + "]"
    if tag in ("SS", "NS"):
        return "[" + ", ".join(raw) + "]"
    if tag == "L":
        return "[" + ", ".join(show_value(member) for member in raw) + "]"
    if tag == "M":
        return "{" + ", ".join(f"{key}={show_value(member)}" for key, member in raw.items()) + "}"
    return str(raw)
