"""``UpdateAttr`` and the published update-expression builder.

``UpdateAttr("count").add(1)``, ``.set(v)``, ``.remove()``, ``.delete(members)``, ``.append(values)``,
``.prepend(values)`` and ``.increment(n)`` record one action each (see
``aiodynamodb.expressions.actions``); ``DynamoDB.update`` and ``TransactUpdate`` render them with
``aiodynamodb.expressions``. ``UpdateExpressionBuilder`` is the published class, kept for code that
builds expressions itself: it shares its placeholder numbering with the condition it may also have
built (it is a ``CustomConditionExpressionBuilder``) and returns values in boto3's resource form
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ._values import resource_value
from .conditions import CustomConditionExpressionBuilder
from .expressions import Action, UpdateAction, UpdateAttr, render_update

__all__ = ["Action", "BuiltUpdateExpression", "UpdateAction", "UpdateAttr", "UpdateExpressionBuilder"]


@dataclass
class BuiltUpdateExpression:
    update_expression: str
    expression_attribute_names: dict[str, str]
    expression_attribute_values: dict[str, Any]


class UpdateExpressionBuilder(CustomConditionExpressionBuilder):
    """``UpdateExpressionBuilder(Model).build_update_expression([UpdateAttr(...).set(...), ...])``."""

    def build_update_expression(self, expression: Iterable[UpdateAttr]) -> BuiltUpdateExpression:
        """Clauses in the order SET, REMOVE, ADD, DELETE; ``ValueError`` for no action, an action-less
        ``UpdateAttr`` or overlapping paths."""
        placeholders = self._placeholders()
        text = render_update(expression, placeholders, self._model)
        self._advance(placeholders)
        return BuiltUpdateExpression(
            update_expression=text,
            expression_attribute_names=placeholders.names,
            expression_attribute_values={k: resource_value(v) for k, v in placeholders.values.items()},
        )
