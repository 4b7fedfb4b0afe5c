"""``UpdateAttr``: the published package's update actions on one attribute path, recorded for later.

``UpdateAttr("count").add(1)`` records an ADD action; ``.set(v)``, ``.remove()``, ``.delete(members)``,
``.append(values)`` and ``.prepend(values)`` likewise (each mutates and returns ``self``, so it can be
built in a set literal). Only the recording exists so far: this client has no ``update`` method yet,
so nothing renders these into an UpdateExpression
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Self

from boto3.dynamodb.conditions import AttributeBase

__all__ = ["Action", "UpdateAction", "UpdateAttr"]


class Action(Enum):
    SET = "SET"
    REMOVE = "REMOVE"
    ADD = "ADD"
    DELETE = "DELETE"


@dataclass(frozen=True, slots=True)
class UpdateAction:
    action: Action
    value: Any = None
    if_not_exists: bool = False
    list_position: str | None = None  # "append" / "prepend" for list_append
    index: int | None = None


class UpdateAttr(AttributeBase):
    """One attribute path and the action to apply to it."""

    name: str

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.update: UpdateAction | None = None

    def __hash__(self) -> int:
        # Identity hash: two actions on one path are two members of an update set.
        return id(self)

    def set(self, value: Any, *, if_not_exists: bool = False) -> Self:
        """``SET path = value``; ``None`` means ``REMOVE path``."""
        if value is None:
            return self.remove()
        self.update = UpdateAction(Action.SET, value, if_not_exists=if_not_exists)
        return self

    def remove(self, index: int | None = None) -> Self:
        self.update = UpdateAction(Action.REMOVE, index=index)
        return self

    def add(self, value: Any) -> Self:
        if isinstance(value, bool) or (
            not isinstance(value, int | float | set | frozenset) and not _is_number(value)
        ):
            raise TypeError(f"ADD takes a number or a set, got {value!r}")
        self.update = UpdateAction(Action.ADD, value)
        return self

    def delete(self, value: Any) -> Self:
        if not isinstance(value, set | frozenset):
            raise TypeError(f"DELETE takes a set of members to remove, got {value!r}")
        self.update = UpdateAction(Action.DELETE, value)
        return self

    def append(self, values: list[Any], *, if_not_exists: bool = True) -> Self:
        self.update = UpdateAction(Action.SET, list(values), if_not_exists, list_position="append")
        return self

    def prepend(self, values: list[Any], *, if_not_exists: bool = True) -> Self:
        self.update = UpdateAction(Action.SET, list(values), if_not_exists, list_position="prepend")
        return self


def _is_number(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal)
