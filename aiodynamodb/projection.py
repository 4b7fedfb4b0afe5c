"""Projection expressions: ``ProjectionAttr("a.b[0].c")`` paths rendered with ``#n`` name placeholders.

Every path segment becomes a placeholder, so reserved words (``name``, ``size``...) and odd
characters need no care from the caller; list indexes stay literal. Used by ``get``, ``query``,
``scan``, ``TransactGet`` and ``BatchGet`` through ``aiodynamodb.expressions``; the published
``ProjectionExpressionBuilder`` is kept as an adapter over it
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

from boto3.dynamodb.conditions import AttributeBase

from .conditions import CustomConditionExpressionBuilder
from .expressions import Placeholders, parse_path, projection_names, render_projection

__all__ = [
    "BuiltProjectionExpression",
    "ProjectionAttr",
    "ProjectionExpressionArg",
    "ProjectionExpressionBuilder",
    "build_projection",
    "top_level_names",
]


class ProjectionAttr(AttributeBase):
    """One attribute path to project, e.g. ``ProjectionAttr("address.city")``."""

    name: str


ProjectionExpressionArg: TypeAlias = list[ProjectionAttr]


@dataclass(frozen=True, slots=True)
class BuiltProjectionExpression:
    projection_expression: str
    expression_attribute_names: dict[str, str]


def top_level_names(paths: Iterable[Any]) -> frozenset[str]:
    """The top-level attributes a projection returns (what a partial model can hold)."""
    return frozenset(parse_path(name).top for name in projection_names(paths))


def build_projection(paths: Iterable[Any]) -> tuple[str, dict[str, str]]:
    """``("#n0.#n1[0], #n2", {"#n0": "a", ...})`` for a request whose only expression is this one."""
    placeholders = Placeholders()
    return render_projection(paths, placeholders, None), placeholders.names


class ProjectionExpressionBuilder(CustomConditionExpressionBuilder):
    """The published interface: ``ProjectionExpressionBuilder(Model).build_projection_expression(paths)``."""

    def build_projection_expression(self, expression: ProjectionExpressionArg) -> BuiltProjectionExpression:
        placeholders = self._placeholders()
        text = render_projection(expression, placeholders, self._model)
        self._advance(placeholders)
        return BuiltProjectionExpression(text, placeholders.names)
