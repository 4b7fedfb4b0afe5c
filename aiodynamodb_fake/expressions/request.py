"""All of one request's expressions, checked together in DynamoDB's order (reference §7.5).

An operation validates its ExpressionAttributeNames and the keys of its ExpressionAttributeValues
(``names``), then calls ``parse_expressions`` with every expression parameter it has. That checks
the values' contents (``ExpressionAttributeValues contains invalid value: ... for key :v``), parses
UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression and
ProjectionExpression in that order, refuses unused names and then unused values (across all of
them, so a name used only by the projection counts), and last checks the KeyConditionExpression's
shape (dynalite's validations/query.js does it after the unused checks). What needs the table (the
key schema for ``KeyTerms.bind``, a FilterExpression on a key attribute) is the operation's.
O(size of the expressions and values).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiodynamodb.errors import ValidationException

from ..values import validate_value
from . import messages as msg
from .ast import AttributeValue
from .conditions import ConditionExpression, parse_condition
from .key_conditions import KeyTerms, key_terms
from .names import check_unused_names, check_unused_values, require_str
from .projection import Projection, parse_projection
from .updates import UpdateExpression, parse_update

__all__ = ["RequestExpressions", "normalise_attribute_values", "parse_expressions"]


@dataclass(frozen=True, slots=True)
class RequestExpressions:
    """A request's parsed expressions (None where the request has none) and its normalised values."""

    update: UpdateExpression | None = None
    condition: ConditionExpression | None = None
    key_condition: ConditionExpression | None = None
    key_terms: KeyTerms | None = None
    filter: ConditionExpression | None = None
    projection: Projection | None = None
    values: Mapping[str, AttributeValue] | None = None


def normalise_attribute_values(values: Mapping[str, Any] | None) -> dict[str, AttributeValue] | None:
    """Each ExpressionAttributeValues entry validated and normalised (numbers canonical, binary
    ``bytes``), in request order; the first invalid one refused with its key."""
    if values is None:
        return None
    normalised: dict[str, AttributeValue] = {}
    for key, value in values.items():
        try:
            normalised[key] = validate_value(value)[0]
        except ValidationException as error:
            raise ValidationException(msg.INVALID_VALUE.format(message=error.message, key=key)) from None
    return normalised


def parse_expressions(
    *,
    names: Mapping[str, str] | None,
    values: Mapping[str, Any] | None,
    update: object = None,
    condition: object = None,
    key_condition: object = None,
    filter: object = None,  # the parameter's own name (FilterExpression)
    projection: object = None,
) -> RequestExpressions:
    """Every expression of one request, checked in DynamoDB's order; None for a parameter not sent.

    ``names`` and ``values`` come from ``validate_expression_attribute_names`` / ``..._values``.
    Raises the first error DynamoDB would report, ValidationException or SerializationException.
    """
    bound = normalise_attribute_values(values)
    parsed_update = None if update is None else parse_update(update, names, bound)
    conditions = [
        None if text is None else parse_condition(text, names, bound, kind)
        for text, kind in (
            (condition, "ConditionExpression"),
            (key_condition, "KeyConditionExpression"),
            (filter, "FilterExpression"),
        )
    ]
    parsed_projection = None
    if projection is not None:
        parsed_projection = parse_projection(require_str(projection, "ProjectionExpression"), names)
    parts = [part for part in (parsed_update, *conditions) if part is not None]
    used_names = {name for part in parts for name in part.used_names}
    if parsed_projection is not None:
        used_names |= parsed_projection.used_names
    check_unused_names(names, frozenset(used_names))
    check_unused_values(bound, frozenset(value for part in parts for value in part.used_values))
    parsed_condition, parsed_key, parsed_filter = conditions
    return RequestExpressions(
        update=parsed_update,
        condition=parsed_condition,
        key_condition=parsed_key,
        key_terms=None if parsed_key is None else key_terms(parsed_key),
        filter=parsed_filter,
        projection=parsed_projection,
        values=bound,
    )
