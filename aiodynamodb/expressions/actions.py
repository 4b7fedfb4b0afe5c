"""``UpdateAttr``: one update action on one document path, recorded to be rendered later.

The published package's class and method names (``set``, ``remove``, ``add``, ``delete``, ``append``,
``prepend``; 0.0.16 adds ``set(..., if_not_exists=True)`` and ``remove(index)``) with its checks made
when the action is recorded, so a mistake points at the line that made it. ``increment`` is ours:
``SET path = if_not_exists(path, 0) + n``, a counter that also works on nested paths, where
DynamoDB's ``ADD`` takes top-level attributes only
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html).
Each method mutates the attribute and returns it, so actions are written inline in a list or set.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Self

from boto3.dynamodb.conditions import AttributeBase
from pydantic import BaseModel

__all__ = ["Action", "UpdateAction", "UpdateAttr"]


class Action(Enum):
    """The clause an action belongs to; clauses are written in this order."""

    SET = "SET"
    REMOVE = "REMOVE"
    ADD = "ADD"
    DELETE = "DELETE"


@dataclass(frozen=True, slots=True)
class UpdateAction:
    """What ``UpdateAttr`` recorded. ``list_position`` marks a ``list_append`` SET; ``increment`` a
    ``path + value`` SET; ``if_not_exists`` wraps the current value (or, for those two, the value the
    arithmetic starts from) in ``if_not_exists``."""

    action: Action
    value: Any = None
    if_not_exists: bool = False
    list_position: Literal["append", "prepend"] | None = None
    increment: bool = False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class UpdateAttr(AttributeBase):
    """One document path (``UpdateAttr("address.city")``) and the action to apply to it."""

    name: str

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.update: UpdateAction | None = None

    # --- the published attributes -------------------------------------------------------------

    @property
    def type(self) -> Action:
        """The action's clause; ``AttributeError`` before one is recorded (as in the published class)."""
        if self.update is None:
            raise AttributeError(f"UpdateAttr({self.name!r}) has no action yet")
        return self.update.action

    @property
    def value(self) -> Any:
        if self.update is None or self.update.action is Action.REMOVE:
            raise AttributeError(f"UpdateAttr({self.name!r}) has no value")
        return self.update.value

    def __eq__(self, other: object) -> bool:
        # boto3 compares attributes by name alone; two different actions on one path are not equal.
        return isinstance(other, UpdateAttr) and (self.name, self.update) == (other.name, other.update)

    def __hash__(self) -> int:
        # By content, as published: equal actions collapse in a set; different ones on one path stay
        # apart and are then refused as overlapping.
        update = self.update
        if update is None:
            return hash((self.name, None))
        kind = (update.action, update.if_not_exists, update.list_position, update.increment)
        return hash((self.name, kind, _freeze(update.value)))

    # --- actions ------------------------------------------------------------------------------

    def set(self, value: Any, *, if_not_exists: bool = False) -> Self:
        """``SET path = value`` (``if_not_exists``: only where the path holds nothing); ``None`` removes."""
        if value is None:
            if if_not_exists:
                raise ValueError("if_not_exists cannot be combined with set(None); use remove()")
            return self.remove()
        self.update = UpdateAction(Action.SET, value, if_not_exists=if_not_exists)
        return self

    def remove(self, index: int | None = None) -> Self:
        """``REMOVE path``, or with ``index`` the list element ``path[index]``."""
        if index is not None:
            if isinstance(index, bool) or not isinstance(index, int):
                raise TypeError("List index must be an integer")
            if index < 0:
                raise ValueError("List index must be non-negative")
            if self.name.endswith("]"):
                raise ValueError(
                    f"Path '{self.name}' already ends with a list index; "
                    "call remove() without an index or drop the index from the path"
                )
            self.name = f"{self.name}[{index}]"
        self.update = UpdateAction(Action.REMOVE)
        return self

    def add(self, value: int | float | Decimal | AbstractSet[Any]) -> Self:
        """``ADD path value``: add a number to a number, or members to a set (top-level paths only)."""
        if not (_is_number(value) or isinstance(value, AbstractSet)):
            raise TypeError("ADD requires a number or set; use append() for lists")
        self.update = UpdateAction(Action.ADD, value)
        return self

    def delete(self, value: AbstractSet[Any]) -> Self:
        """``DELETE path value``: remove these members from a set."""
        if not isinstance(value, AbstractSet):
            raise TypeError("DELETE requires a set; use remove(index) for list elements")
        self.update = UpdateAction(Action.DELETE, value)
        return self

    def append(self, value: list[Any], *, if_not_exists: bool = True) -> Self:
        """``SET path = list_append(path, value)``; a missing list counts as empty unless
        ``if_not_exists=False``."""
        return self._list_append(value, "append", if_not_exists)

    def prepend(self, value: list[Any], *, if_not_exists: bool = True) -> Self:
        """``SET path = list_append(value, path)``; a missing list counts as empty unless
        ``if_not_exists=False``."""
        return self._list_append(value, "prepend", if_not_exists)

    def increment(self, by: int | float | Decimal = 1, *, if_not_exists: bool = True) -> Self:
        """``SET path = path + by`` (``by`` may be negative); a missing number counts as 0 unless
        ``if_not_exists=False``."""
        if not _is_number(by):
            raise TypeError(f"increment() takes a number, got {by!r}")
        self.update = UpdateAction(Action.SET, by, if_not_exists=if_not_exists, increment=True)
        return self

    def _list_append(
        self, value: list[Any], position: Literal["append", "prepend"], if_not_exists: bool
    ) -> Self:
        if not isinstance(value, list):
            raise TypeError(f"{position}() requires a list of elements")
        self.update = UpdateAction(Action.SET, value, if_not_exists=if_not_exists, list_position=position)
        return self


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a value that may hold lists, dicts, sets or models."""
    if isinstance(value, BaseModel):
        return _freeze(value.model_dump())
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, AbstractSet):
        return tuple(sorted(repr(v) for v in value))
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
