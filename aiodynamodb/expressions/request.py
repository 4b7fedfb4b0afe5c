"""All the expressions of one request, rendered on one set of placeholders.

``build_expressions`` is what every client call uses: a query's key condition, filter and projection,
or an update's condition and actions, come out with placeholders that never collide and maps holding
exactly the placeholders the texts use. The order of rendering (key condition, filter, condition,
update, projection) fixes the numbering, so a request renders the same on every run. A plain string
in place of a condition (or of the update actions) is sent verbatim, as the published package did;
it gets no placeholders, so it must use attribute names and values DynamoDB can read as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from .conditions import render_condition
from .placeholders import Placeholders
from .projection import render_projection
from .updates import render_update

__all__ = ["build_expressions"]


def build_expressions(
    model: type[BaseModel] | None,
    *,
    key_condition_expression: Any = None,
    filter_expression: Any = None,
    condition_expression: Any = None,
    update_expression: Iterable[Any] | str | None = None,
    projection_expression: Iterable[Any] | None = None,
) -> dict[str, Any]:
    """The request members for these expressions (``None`` ones left out), with
    ``ExpressionAttributeNames``/``ExpressionAttributeValues`` when any placeholder is used."""
    placeholders = Placeholders()
    members: dict[str, Any] = {}
    for member, condition, key in (
        ("KeyConditionExpression", key_condition_expression, True),
        ("FilterExpression", filter_expression, False),
        ("ConditionExpression", condition_expression, False),
    ):
        if condition is not None:
            members[member] = (
                condition
                if isinstance(condition, str)
                else render_condition(condition, placeholders, model, key_condition=key)
            )
    if isinstance(update_expression, str):
        members["UpdateExpression"] = update_expression
    elif update_expression is not None:
        members["UpdateExpression"] = render_update(update_expression, placeholders, model)
    if projection_expression is not None:
        members["ProjectionExpression"] = render_projection(projection_expression, placeholders, model)
    members.update(placeholders.members())
    return members
