"""Condition expressions from boto3's ``Attr``/``Key`` objects, with values stored as the model stores them.

The published package takes boto3's ``boto3.dynamodb.conditions`` objects for ``condition_expression``
and so does this client: boto3's builder renders the ``#n``/``:v`` placeholders, and this subclass
turns each value into an AttributeValue, using the compared field's own encoder for a top-level
scalar field (so ``Attr("created").lt(datetime)`` on a ``Timestamp`` field compares numbers) and the
generic encoder otherwise. A plain string is passed through verbatim, without placeholders
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import AttributeBase, ConditionBase, ConditionExpressionBuilder
from pydantic import BaseModel

from ._values import encode
from .serialize import converter_for

__all__ = ["CustomConditionExpressionBuilder", "condition_request"]

_CONTAINERS = (list, tuple, set, frozenset, dict)


class CustomConditionExpressionBuilder(ConditionExpressionBuilder):
    """boto3's builder, with values encoded for ``model``'s fields (``None``: generic encoding)."""

    def __init__(self, model: type[BaseModel] | None = None) -> None:
        super().__init__()
        self._model = model
        self._current_attribute: str | None = None

    def _build_expression_component(
        self,
        value: Any,
        attribute_name_placeholders: dict[str, str],
        attribute_value_placeholders: dict[str, Any],
        has_grouped_values: bool,
        is_key_condition: bool,
    ) -> str:
        # boto3 renders an operator's attribute before its values: remember whose values follow.
        if isinstance(value, AttributeBase):
            self._current_attribute = value.name
        result: str = super()._build_expression_component(  # type: ignore[misc]  # private, not in stubs
            value,
            attribute_name_placeholders,
            attribute_value_placeholders,
            has_grouped_values,
            is_key_condition,
        )
        return result

    def _build_value_placeholder(
        self, value: Any, attribute_value_placeholders: dict[str, Any], has_grouped_values: bool = False
    ) -> str:
        if not has_grouped_values:
            return self._one_value(value, attribute_value_placeholders)
        return "(" + ", ".join(self._one_value(v, attribute_value_placeholders) for v in value) + ")"

    def _one_value(self, value: Any, placeholders: dict[str, Any]) -> str:
        # Private members of boto3's builder (absent from its stubs), used as the published package does.
        placeholder: str = self._get_value_placeholder()  # type: ignore[attr-defined]
        self._value_count += 1  # type: ignore[attr-defined]
        placeholders[placeholder] = self._encode(value)
        return placeholder

    def _encode(self, value: Any) -> dict[str, Any]:
        name = self._current_attribute
        if self._model is not None and name is not None and not isinstance(value, _CONTAINERS):
            field = converter_for(self._model).fields.get(name)
            if field is not None and not _is_container_field(field.annotation):
                encoded = field.encode(value)
                if encoded is not None:
                    return encoded
        return encode(value)


def _is_container_field(annotation: Any) -> bool:
    import typing

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_container_field(typing.get_args(annotation)[0])
    return origin in _CONTAINERS or annotation in _CONTAINERS


def condition_request(model: type[BaseModel], condition: ConditionBase | str | None) -> dict[str, Any]:
    """The ``ConditionExpression`` members of a request (empty for ``None``)."""
    if condition is None:
        return {}
    if isinstance(condition, str):
        return {"ConditionExpression": condition}
    if not isinstance(condition, ConditionBase):
        raise TypeError(f"condition_expression must be a boto3 condition or a string, got {condition!r}")
    built = CustomConditionExpressionBuilder(model).build_expression(condition)
    request: dict[str, Any] = {"ConditionExpression": built.condition_expression}
    if built.attribute_name_placeholders:
        request["ExpressionAttributeNames"] = built.attribute_name_placeholders
    if built.attribute_value_placeholders:
        request["ExpressionAttributeValues"] = built.attribute_value_placeholders
    return request
