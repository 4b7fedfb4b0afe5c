"""Projection expressions: ``ProjectionAttr("a.b[0].c")`` paths rendered with ``#n`` name placeholders.

Every path segment becomes a placeholder, so reserved words (``name``, ``size``...) and odd
characters need no care from the caller; list indexes stay literal. Used by ``get`` and ``BatchGet``
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from boto3.dynamodb.conditions import AttributeBase

__all__ = [
    "BuiltProjectionExpression",
    "ProjectionAttr",
    "ProjectionExpressionArg",
    "ProjectionExpressionBuilder",
    "build_projection",
    "top_level_names",
]

# A name segment: anything but dots and brackets, and not inside brackets (same rule as boto3's).
_SEGMENT = re.compile(r"[^.\[\]]+(?![^\[]*\])")


class ProjectionAttr(AttributeBase):
    """One attribute path to project, e.g. ``ProjectionAttr("address.city")``."""

    name: str


ProjectionExpressionArg: TypeAlias = list[ProjectionAttr]


@dataclass(frozen=True, slots=True)
class BuiltProjectionExpression:
    projection_expression: str
    expression_attribute_names: dict[str, str]


def top_level_names(paths: Sequence[ProjectionAttr]) -> frozenset[str]:
    """The top-level attributes a projection returns (what a partial model can hold)."""
    found = set()
    for attr in paths:
        match = _SEGMENT.search(attr.name)
        if match:
            found.add(match.group(0))
    return frozenset(found)


def build_projection(
    paths: Sequence[ProjectionAttr], names: dict[str, str] | None = None
) -> tuple[str, dict[str, str]]:
    """``("#n0.#n1[0], #n2", {"#n0": "a", ...})``; ``names`` is extended in place when given.

    A name used twice reuses its placeholder, so two projections of the same paths render identically.
    """
    if not paths:
        raise ValueError("a projection needs at least one ProjectionAttr")
    placeholders = {} if names is None else names
    by_name = {v: k for k, v in placeholders.items()}

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(0)
        ph = by_name.get(name)
        if ph is None:
            ph = by_name[name] = f"#n{len(placeholders)}"
            placeholders[ph] = name
        return ph

    parts = []
    for attr in paths:
        if not isinstance(attr, AttributeBase):
            raise TypeError(f"projection paths must be ProjectionAttr, got {attr!r}")
        parts.append(_SEGMENT.sub(placeholder, attr.name))
    return ", ".join(parts), placeholders


class ProjectionExpressionBuilder:
    """The published interface: ``ProjectionExpressionBuilder(Model).build_projection_expression(paths)``."""

    def __init__(self, model: Any = None) -> None:
        self._model = model

    def build_projection_expression(self, expression: ProjectionExpressionArg) -> BuiltProjectionExpression:
        text, names = build_projection(expression)
        return BuiltProjectionExpression(text, names)
