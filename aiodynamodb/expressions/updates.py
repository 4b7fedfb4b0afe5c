"""``UpdateAttr`` actions rendered into one UpdateExpression on a request's ``Placeholders``.

Clauses come in the fixed order SET, REMOVE, ADD, DELETE (each once, as DynamoDB requires), actions
within a clause in the caller's order. Refused before anything is sent, as the published package 0.0.16
refuses them: no action at all, an ``UpdateAttr`` with no action recorded, and two actions on
overlapping paths (``items`` and ``items[0]``), which DynamoDB rejects with a much vaguer message
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html).
Values are encoded for the field at their path, as ``put`` would store them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from .._values import encode
from .actions import Action, UpdateAction, UpdateAttr
from .fields import check_path, encode_strictly, value_encoder
from .paths import DocumentPath, parse_path
from .placeholders import Placeholders

__all__ = ["render_update"]

_Model = type[BaseModel] | None


def render_update(actions: Iterable[Any], placeholders: Placeholders, model: _Model) -> str:
    """``"SET #n0 = :v0 REMOVE #n1"`` for ``actions``; names and values go to ``placeholders``."""
    if isinstance(actions, str | UpdateAttr):
        raise TypeError("update_expression must be a collection of UpdateAttr actions (a list keeps order)")
    checked = _checked(list(actions), model)
    clauses: list[str] = []
    for clause in Action:
        parts = [
            _render(update, path, placeholders, model) for update, path in checked if update.action is clause
        ]
        if parts:
            clauses.append(f"{clause.value} {', '.join(parts)}")
    return " ".join(clauses)


def _checked(actions: list[Any], model: _Model) -> list[tuple[UpdateAction, DocumentPath]]:
    if not actions:
        raise ValueError("update_expression must contain at least one UpdateAttr action")
    seen: list[tuple[str, DocumentPath]] = []
    checked: list[tuple[UpdateAction, DocumentPath]] = []
    for attr in actions:
        if not isinstance(attr, UpdateAttr):
            raise TypeError(f"update_expression holds UpdateAttr actions, got {attr!r}")
        if attr.update is None:
            raise ValueError(
                f"UpdateAttr('{attr.name}') has no action; call set/remove/add/delete/append on it"
            )
        path = parse_path(attr.name)
        check_path(model, path)
        for other_name, other in seen:
            if path.overlaps(other):
                raise ValueError(
                    f"Update actions target overlapping paths '{other_name}' and '{attr.name}'; "
                    "DynamoDB allows each document path to appear only once per update"
                )
        seen.append((attr.name, path))
        checked.append((attr.update, path))
    return checked


def _render(update: UpdateAction, path: DocumentPath, placeholders: Placeholders, model: _Model) -> str:
    target = path.render(placeholders)
    if update.action is Action.REMOVE:
        return target
    if update.increment:
        start = _if_not_exists(target, {"N": "0"}, placeholders) if update.if_not_exists else target
        return f"{target} = {start} + {placeholders.value(encode(update.value))}"
    if update.list_position == "append":
        current = _if_not_exists(target, {"L": []}, placeholders) if update.if_not_exists else target
        return f"{target} = list_append({current}, {_value(update, path, placeholders, model)})"
    value = _value(update, path, placeholders, model)  # numbered in the order the text reads
    if update.list_position == "prepend":
        current = _if_not_exists(target, {"L": []}, placeholders) if update.if_not_exists else target
        return f"{target} = list_append({value}, {current})"
    if update.action is Action.SET:
        return f"{target} = {_if_not_exists(target, value) if update.if_not_exists else value}"
    return f"{target} {value}"  # ADD / DELETE


def _if_not_exists(target: str, default: Any, placeholders: Placeholders | None = None) -> str:
    """``if_not_exists(target, default)``; ``default`` is a placeholder, or an AttributeValue to add."""
    text = default if placeholders is None else placeholders.value(default)
    return f"if_not_exists({target}, {text})"


def _value(update: UpdateAction, path: DocumentPath, placeholders: Placeholders, model: _Model) -> str:
    return placeholders.value(encode_strictly(value_encoder(model, path), update.value))
