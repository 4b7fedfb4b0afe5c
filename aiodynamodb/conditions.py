"""Condition expressions from boto3's ``Attr``/``Key`` objects, with values stored as the model stores them.

The published package takes boto3's ``boto3.dynamodb.conditions`` objects for ``condition_expression``,
``key_condition_expression`` and ``filter_expression``, and so does this client: they are rendered by
``aiodynamodb.expressions`` with each value encoded for the field it is compared with (dotted paths
into nested models followed), so ``Attr("created").lt(datetime)`` on a ``Timestamp`` field compares
numbers. A plain string is passed through verbatim, without placeholders
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).

``CustomConditionExpressionBuilder`` is the published builder class, kept for code that calls it
directly: like boto3's builder (its base class) it keeps numbering placeholders across
``build_expression`` calls until ``reset()``, and like the published one it returns values in boto3's
*resource* form (numbers as ``Decimal``), ready for a boto3 ``Table``.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import BuiltConditionExpression, ConditionBase, ConditionExpressionBuilder
from pydantic import BaseModel

from ._values import resource_value
from .expressions import Placeholders, build_expressions, render_condition

__all__ = ["CustomConditionExpressionBuilder", "condition_request"]


class CustomConditionExpressionBuilder(ConditionExpressionBuilder):
    """boto3's builder, with values encoded for ``model``'s fields (``None``: generic encoding)."""

    # Set by boto3's __init__ and reset(); declared for the type checker.
    _name_count: int
    _value_count: int

    def __init__(self, model: type[BaseModel] | None = None) -> None:
        super().__init__()
        self._model = model

    def build_expression(
        self, condition: ConditionBase, is_key_condition: bool = False
    ) -> BuiltConditionExpression:
        placeholders = self._placeholders()
        text = render_condition(condition, placeholders, self._model, key_condition=is_key_condition)
        self._advance(placeholders)
        return BuiltConditionExpression(
            condition_expression=text,
            attribute_name_placeholders=placeholders.names,
            attribute_value_placeholders={k: resource_value(v) for k, v in placeholders.values.items()},
        )

    def _placeholders(self) -> Placeholders:
        """Placeholders numbered on from what this builder has handed out so far."""
        return Placeholders(name_start=self._name_count, value_start=self._value_count)

    def _advance(self, placeholders: Placeholders) -> None:
        self._name_count += len(placeholders.names)
        self._value_count += len(placeholders.values)


def condition_request(model: type[BaseModel] | None, condition: ConditionBase | str | None) -> dict[str, Any]:
    """The ``ConditionExpression`` members of a request (empty for ``None``), AttributeValues and all."""
    if condition is not None and not isinstance(condition, str | ConditionBase):
        raise TypeError(f"condition_expression must be a boto3 condition or a string, got {condition!r}")
    return build_expressions(model, condition_expression=condition)
