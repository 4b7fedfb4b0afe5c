"""Planning an update: the item an UpdateExpression's actions make of a stored item, or the error.

The semantics of reference §6.3 and §7.4 with the corners ScyllaDB's alternator tests pin against
DynamoDB: every operand reads the item as it was before the update (``SET a = b, b = :v`` copies the
old ``b``); a list index names a position in the list as it was, so ``REMOVE l[1] SET l[3] = :v``
writes the old fourth element, and ``SET l[n]`` past the end appends, several in index order;
REMOVE of a missing attribute, map key or list position does nothing; a parent that is missing or of
the wrong type makes the path invalid for SET, REMOVE, ADD and DELETE alike, except that REMOVE on
an item that does not exist does nothing; DELETE that empties a set removes the attribute.

``plan_update`` does all the work and all the raising before returning; the caller stores
``UpdateResult.item`` and cannot fail doing so. The old item is never changed: containers on the
paths the update writes are copied, everything else is shared with it (treat both as immutable).
O(sum of the paths' lengths + the sizes of the values computed + the lists changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

from aiodynamodb.errors import ValidationException

from ..values import normalise_number
from . import messages as msg
from .ast import (
    AddAction,
    Arith,
    AttributeValue,
    Call,
    DeleteAction,
    Literal,
    Operand,
    RemoveAction,
    SetAction,
)
from .ast import UpdateAction as Action
from .evaluate import Item, lookup, type_of
from .paths import DocumentPath, Index, PathElement

__all__ = ["UpdateResult", "plan_update"]

# Exact for any two DynamoDB numbers: 38 digits each, exponents within 1E-130..1E+126.
_EXACT = Context(prec=400)


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """The new item, and where the update wrote: ``old_paths`` into the old item (the values it
    replaced or removed, for ReturnValues UPDATED_OLD), ``new_paths`` into the new item (the values
    it wrote, for UPDATED_NEW), each in action order."""

    item: dict[str, AttributeValue]
    old_paths: tuple[DocumentPath, ...]
    new_paths: tuple[DocumentPath, ...]


def plan_update(actions: Sequence[Action], item: Item | None, key: Item | None = None) -> UpdateResult:
    """Apply resolved ``actions`` to a copy of ``item`` (or of ``key`` when there is no item).

    Raises ValidationException, as DynamoDB does while updating: first for any SET value (in text
    order), then for each action's path and operand.
    """
    base: Item = item if item is not None else (key or {})
    values = [_value(action.value, base) if isinstance(action, SetAction) else None for action in actions]
    plan = _Plan(dict(base), item is None)
    old_paths: list[DocumentPath] = []
    for action, value in zip(actions, values, strict=True):
        assert isinstance(action.path, DocumentPath)
        if lookup(item, action.path) is not None:
            old_paths.append(action.path)
        plan.act(action, value)
    return UpdateResult(plan.root, tuple(old_paths), plan.finish())


# --- values of SET -------------------------------------------------------------------------------


def _value(operand: Operand, item: Item) -> AttributeValue:
    """A SET value, read from the item as it was (dynalite's order of checks)."""
    if isinstance(operand, DocumentPath):
        found = lookup(item, operand)
        if found is None:
            raise ValidationException(msg.MISSING_OPERAND)
        return found
    if isinstance(operand, Literal):
        return operand.value
    if isinstance(operand, Arith):
        left = _typed(_value(operand.left, item), "N")
        right = _typed(_value(operand.right, item), "N")
        return {"N": add_numbers(left["N"], right["N"], negate=operand.op == "-")}
    assert isinstance(operand, Call)
    if operand.name == "if_not_exists":
        assert isinstance(operand.args[0], DocumentPath)
        current = lookup(item, operand.args[0])
        return current if current is not None else _value(operand.args[1], item)
    first = _typed(_value(operand.args[0], item), "L")
    second = _typed(_value(operand.args[1], item), "L")
    return {"L": [*first["L"], *second["L"]]}


def _typed(value: AttributeValue, tag: str) -> AttributeValue:
    if type_of(value) != tag:
        raise ValidationException(msg.WRONG_OPERAND_TYPE)
    return value


def add_numbers(left: str, right: str, *, negate: bool = False) -> str:
    """``left + right`` (or ``-``) exactly, in canonical form; DynamoDB's number errors when the
    result is out of range or needs more than 38 digits (our reading for the latter)."""
    a, b = Decimal(left), Decimal(right)
    total = _EXACT.subtract(a, b) if negate else _EXACT.add(a, b)
    return normalise_number(format(total, "f"))[0]


# --- ADD and DELETE on the current value ---------------------------------------------------------


def _added(current: AttributeValue | None, operand: AttributeValue) -> AttributeValue:
    if current is None:
        return operand
    tag = type_of(operand)
    _typed(current, tag)
    if tag == "N":
        return {"N": add_numbers(current["N"], operand["N"])}
    present = _members(tag, current[tag])
    extra = [member for member in operand[tag] if _key(tag, member) not in present]
    return {tag: [*current[tag], *extra]}


def _deleted(current: AttributeValue, operand: AttributeValue) -> AttributeValue | None:
    tag = type_of(_typed(current, type_of(operand)))
    gone = _members(tag, operand[tag])
    kept = [member for member in current[tag] if _key(tag, member) not in gone]
    return {tag: kept} if kept else None


def _key(tag: str, member: Any) -> Any:
    return Decimal(member) if tag == "NS" else member


def _members(tag: str, members: Sequence[Any]) -> set[Any]:
    return {_key(tag, member) for member in members}


# --- writing the new item ------------------------------------------------------------------------


@dataclass(slots=True)
class _ListChange:
    length: int  # the list's length before the update
    appended: list[tuple[int, AttributeValue]] = field(default_factory=list)
    removed: set[int] = field(default_factory=set)

    def position(self, index: int) -> int:
        """Where the element at (or appended for) ``index`` ends up once the changes are made."""
        if index >= self.length:
            indexes = sorted(position for position, _ in self.appended)
            return self.length - len(self.removed) + indexes.index(index)
        return index - sum(1 for removed in self.removed if removed < index)


class _Plan:
    """The new item being built; structural list changes wait for ``finish`` so that every path
    resolves against the lists as they were."""

    __slots__ = ("fresh", "lists", "missing_item", "root", "written")

    def __init__(self, root: dict[str, AttributeValue], missing_item: bool) -> None:
        self.root = root
        self.missing_item = missing_item
        self.fresh: set[int] = set()  # ids of containers this plan copied, safe to change
        self.lists: dict[int, tuple[list[AttributeValue], _ListChange]] = {}
        # per written action: the containers along its path, and its path
        self.written: list[tuple[list[Any], DocumentPath]] = []

    def act(self, action: Action, value: AttributeValue | None) -> None:
        path = action.path
        assert isinstance(path, DocumentPath)
        found = self._parent(path, quiet=self.missing_item and isinstance(action, RemoveAction))
        if found is None:
            return
        chain, parent, last = found
        current = _child(parent, last)
        if isinstance(action, RemoveAction):
            if current is not None:
                self._remove(parent, last)
            return
        if isinstance(action, AddAction | DeleteAction):
            assert isinstance(action.value, Literal)
            if isinstance(action, AddAction):
                value = _added(current, action.value.value)
            elif current is None:
                return
            else:
                value = _deleted(current, action.value.value)
                if value is None:
                    self._remove(parent, last)
                    return
        assert value is not None
        self._write(parent, last, value)
        self.written.append((chain, path))

    def _parent(self, path: DocumentPath, *, quiet: bool) -> tuple[list[Any], Any, PathElement] | None:
        """The containers along ``path`` (copied for writing), its parent and its last element.

        An invalid path raises, unless ``quiet`` (a REMOVE on an item that does not exist): None.
        """
        container: Any = self.root
        chain: list[Any] = [container]
        for element, following in zip(path.elements, path.elements[1:], strict=False):
            child = _child(container, element)
            wanted = "L" if isinstance(following, Index) else "M"
            if child is None or type_of(child) != wanted:
                if quiet:
                    return None
                raise ValidationException(msg.INVALID_UPDATE_PATH)
            inner = child[wanted]
            if id(inner) not in self.fresh:
                inner = list(inner) if wanted == "L" else dict(inner)
                self.fresh.add(id(inner))
                _put(container, element, {wanted: inner})
            container = inner
            chain.append(container)
        return chain, container, path.elements[-1]

    def _write(self, parent: Any, last: PathElement, value: AttributeValue) -> None:
        if isinstance(last, Index) and last.index >= len(parent):
            self._change(parent).appended.append((last.index, value))
        else:
            _put(parent, last, value)

    def _remove(self, parent: Any, last: PathElement) -> None:
        if isinstance(last, Index):
            self._change(parent).removed.add(last.index)
        else:
            parent.pop(last.name, None)

    def _change(self, container: list[AttributeValue]) -> _ListChange:
        entry = self.lists.get(id(container))
        if entry is None:
            entry = self.lists[id(container)] = (container, _ListChange(len(container)))
        return entry[1]

    def finish(self) -> tuple[DocumentPath, ...]:
        """Make the list changes; the paths, in the new item, of the values written."""
        new_paths = [self._final_path(chain, path) for chain, path in self.written]
        for container, change in self.lists.values():
            container.extend(value for _, value in sorted(change.appended, key=lambda pair: pair[0]))
            for index in sorted(change.removed, reverse=True):
                del container[index]
        return tuple(new_paths)

    def _final_path(self, chain: list[Any], path: DocumentPath) -> DocumentPath:
        elements: list[PathElement] = []
        for container, element in zip(chain, path.elements, strict=True):
            entry = self.lists.get(id(container))
            if isinstance(element, Index) and entry is not None:
                element = Index(entry[1].position(element.index))
            elements.append(element)
        return DocumentPath(tuple(elements))


def _child(container: Any, element: PathElement) -> AttributeValue | None:
    if isinstance(element, Index):
        return container[element.index] if element.index < len(container) else None
    child: AttributeValue | None = container.get(element.name)
    return child


def _put(container: Any, element: PathElement, value: AttributeValue) -> None:
    if isinstance(element, Index):
        container[element.index] = value
    else:
        container[element.name] = value
