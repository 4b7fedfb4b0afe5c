"""boto3's ``Key``/``Attr`` conditions rendered into expression text on a request's ``Placeholders``.

Users pass ``boto3.dynamodb.conditions`` objects unchanged (the published package took them too), and
each condition class already knows its text form (``get_expression()``: a format such as
``"{0} {operator} {1}"`` and its operands). Rendering walks that tree as boto3's own builder does, with
three differences that make one request's expressions safe to combine: placeholders come from the
shared ``Placeholders``; each value is encoded for the field it is compared with
(``fields.value_encoder``; the members of ``contains`` by the element type, the number of a
``size()`` comparison and the type code of ``attribute_type`` generically); and paths are checked
against the model first. boto3's ``DynamoDBNeedsConditionError`` and
``DynamoDBNeedsKeyConditionError`` are raised where boto3 raises them, so code catching them keeps
working (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import AttributeBase, AttributeType, ConditionBase, Contains, Key
from boto3.exceptions import DynamoDBNeedsConditionError, DynamoDBNeedsKeyConditionError
from pydantic import BaseModel

from .._codecs import Encoder
from .._values import encode_omitting_none
from .fields import check_path, element_encoder, encode_strictly, value_encoder
from .paths import parse_path
from .placeholders import Placeholders

__all__ = ["render_attribute", "render_condition"]


def render_attribute(model: type[BaseModel] | None, name: str, placeholders: Placeholders) -> str:
    """The placeholder text of the document path ``name``, checked against ``model``."""
    path = parse_path(name)
    check_path(model, path)
    return path.render(placeholders)


def render_condition(
    condition: Any,
    placeholders: Placeholders,
    model: type[BaseModel] | None,
    *,
    key_condition: bool = False,
) -> str:
    """The text of ``condition`` (a boto3 ``ConditionBase``), its names and values added to
    ``placeholders``. With ``key_condition``, only ``Key`` attributes are allowed, as in boto3."""
    if not isinstance(condition, ConditionBase):
        raise DynamoDBNeedsConditionError(condition)
    return _Renderer(placeholders, model, key_condition).render(condition)


class _Renderer:
    __slots__ = ("key_condition", "model", "placeholders")

    def __init__(
        self, placeholders: Placeholders, model: type[BaseModel] | None, key_condition: bool
    ) -> None:
        self.placeholders = placeholders
        self.model = model
        self.key_condition = key_condition

    def render(self, condition: ConditionBase) -> str:
        expression = condition.get_expression()
        encoder = self._encoder(condition, expression["values"])
        parts = [self._operand(v, encoder, condition.has_grouped_values) for v in expression["values"]]
        text: str = expression["format"].format(*parts, operator=expression["operator"])
        return text

    def _operand(self, operand: Any, encoder: Encoder, grouped: bool) -> str:
        # A ConditionBase first: Size is both a condition and an attribute, and renders as size(path).
        if isinstance(operand, ConditionBase):
            return self.render(operand)
        if isinstance(operand, AttributeBase):
            if self.key_condition and not isinstance(operand, Key):
                raise DynamoDBNeedsKeyConditionError(
                    f"Attribute object {operand.name} is of type {type(operand)}. "
                    "KeyConditionExpression only supports Attribute objects of type Key"
                )
            return render_attribute(self.model, operand.name, self.placeholders)
        if grouped:
            members = list(operand)
            if not members:
                raise ValueError("is_in() needs at least one value: DynamoDB has no empty IN list")
            return "(" + ", ".join(self._value(member, encoder) for member in members) + ")"
        return self._value(operand, encoder)

    def _value(self, value: Any, encoder: Encoder) -> str:
        return self.placeholders.value(encode_strictly(encoder, value))

    def _encoder(self, condition: ConditionBase, operands: Sequence[Any]) -> Encoder:
        """How this condition's values are stored: as the field its first operand names."""
        first = operands[0] if operands else None
        if isinstance(condition, AttributeType) or isinstance(first, ConditionBase):
            return encode_omitting_none  # a type code, or the number compared with size(path)
        if not isinstance(first, AttributeBase):
            return encode_omitting_none
        path = parse_path(first.name)
        if isinstance(condition, Contains):
            return element_encoder(self.model, path)
        return value_encoder(self.model, path)
