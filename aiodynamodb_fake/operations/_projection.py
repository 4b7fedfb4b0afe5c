"""Which attributes a read returns: ProjectionExpression with ExpressionAttributeNames, or the
legacy AttributesToGet, checked in DynamoDB's order (reference §4.2 step 2, §7.5).

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..expressions import (
    Projection,
    check_unused_names,
    parse_projection,
    projection_from_attributes_to_get,
    validate_expression_attribute_names,
)
from ..shapes import expect_list, expect_str

DUPLICATE_ATTRIBUTE = msg.PARAM_INVALID + "Duplicate value in attribute name: {name}"


def read_projection(options: Mapping[str, Any]) -> Projection | None:
    """The projection a GetItem request (or one BatchGetItem table entry) asks for, if any."""
    expression = expect_str(options.get("ProjectionExpression"), "ProjectionExpression")
    attributes = expect_list(options.get("AttributesToGet"), "AttributesToGet")
    raw_names = options.get("ExpressionAttributeNames")
    if attributes is not None and expression is not None:
        raise ValidationException(
            msg.EXPRESSION_AND_LEGACY.format(legacy="AttributesToGet", expression="ProjectionExpression")
        )
    if raw_names is not None and expression is None:
        raise ValidationException(msg.NAMES_WITHOUT_EXPRESSION)
    if attributes is not None:
        return names_projection([expect_str(a, "AttributesToGet") or "" for a in attributes])
    if expression is None:
        return None
    names_map = validate_expression_attribute_names(raw_names)
    projection = parse_projection(expression, names_map)
    check_unused_names(names_map, projection.used_names)
    return projection


def names_projection(names: list[str]) -> Projection:
    """AttributesToGet's names as a projection; a name given twice is refused."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValidationException(DUPLICATE_ATTRIBUTE.format(name=msg.clip(name)))
        seen.add(name)
    return projection_from_attributes_to_get(names)
