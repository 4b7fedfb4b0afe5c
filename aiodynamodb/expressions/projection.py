"""A list of ``ProjectionAttr`` paths rendered into one ProjectionExpression on a request's placeholders.

Nested maps and list indexes (``address.city``, ``items[0].qty``) are projected as written; every name
becomes a placeholder. A path given twice is sent once: DynamoDB refuses a projection whose paths
repeat or overlap
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.conditions import AttributeBase
from pydantic import BaseModel

from .conditions import render_attribute
from .placeholders import Placeholders

__all__ = ["projection_names", "render_projection"]


def projection_names(paths: Iterable[Any]) -> list[str]:
    """The path texts of a projection argument (``ProjectionAttr``s, or plain path strings), in order
    and without repeats; ``TypeError``/``ValueError`` for what is not a non-empty list of paths."""
    if isinstance(paths, str | AttributeBase):
        raise TypeError("projection_expression must be a list of ProjectionAttr paths")
    names: dict[str, None] = {}
    for attr in paths:
        if isinstance(attr, AttributeBase):
            names[attr.name] = None
        elif isinstance(attr, str):
            names[attr] = None
        else:
            raise TypeError(f"projection paths must be ProjectionAttr, got {attr!r}")
    if not names:
        raise ValueError("a projection needs at least one ProjectionAttr")
    return list(names)


def render_projection(paths: Iterable[Any], placeholders: Placeholders, model: type[BaseModel] | None) -> str:
    """``"#n0, #n1.#n2[0]"`` for ``paths``; names go to ``placeholders``."""
    return ", ".join(render_attribute(model, name, placeholders) for name in projection_names(paths))
