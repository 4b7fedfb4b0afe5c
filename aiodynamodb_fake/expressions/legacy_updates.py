"""AttributeUpdates: UpdateItem's legacy update, checked and planned like an UpdateExpression.

Implements https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.AttributeUpdates.html.
Each entry names a top-level attribute, taken literally (``a.b`` is one name), with an Action
(default PUT) and a Value. PUT writes the value. DELETE without a value removes the attribute;
with a set it removes those members, and a set left empty removes the attribute. ADD adds a number,
unions a set and, unlike an UpdateExpression's ADD, *appends* to a list (duplicates kept); on a
missing attribute ADD and PUT write the value and DELETE does nothing. ADD and DELETE on a value of
another type fail with ``Type mismatch for attribute to update`` (dynalite's tests, run against
DynamoDB). ``attribute_updates`` checks the parameter entry by entry in request order (its value,
then the action's rules, then the running size, DynamoDB Local's order); ``LegacyUpdate`` then
checks it against the table and plans the new item, returning the ``UpdateResult`` an
UpdateExpression's plan gives. Checking is O(size of the parameter), planning O(size of the values
written and the sets and lists they change).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from aiodynamodb.errors import ValidationException

from .. import messages as base_msg
from ..members.common import ATTRIBUTE_ACTION_VALUES
from ..members.kinds import structure
from ..schema import TableSchema
from ..shapes import ENUM, Constraints, expect_map, expect_str
from ..values import MAX_ITEM_SIZE, utf8_len, validate_value
from . import legacy_messages as msg
from .ast import AttributeValue
from .evaluate import Item, type_of
from .paths import DocumentPath, Name
from .update_plan import UpdateResult, add_numbers

__all__ = ["LegacyUpdate", "UpdateAction", "attribute_updates", "update_constraints"]

Action = Literal["ADD", "PUT", "DELETE"]
_SETS = frozenset({"SS", "NS", "BS"})
_ADDABLE = _SETS | {"N", "L"}
_ACTION_ENUM = ENUM.format(values=", ".join(ATTRIBUTE_ACTION_VALUES))


@dataclass(frozen=True, slots=True)
class UpdateAction:
    """One entry of AttributeUpdates: ``action`` on attribute ``name`` with ``value`` (validated)."""

    name: str
    action: Action
    value: AttributeValue | None


# --- shapes and the constraint envelope ----------------------------------------------------------


def _shape(updates: object) -> Mapping[str, Any] | None:
    entries = expect_map(updates, "AttributeUpdates")
    for entry in (entries or {}).values():
        if entry is not None:  # a JSON null entry has its own message, after the shapes
            expect_map(entry, "AttributeUpdates", structure("AttributeValueUpdate", in_collection=True))
            expect_str(entry.get("Action"), "Action")
            expect_map(entry.get("Value"), "Value", structure("AttributeValue"))
    return entries


def _action_path(name: str) -> Callable[[], str]:
    """The envelope's path to an entry's Action, built only if it is reported."""

    def path() -> str:
        return f"attributeUpdates.{name}.member.action"

    return path


def _update_violations(constraints: Constraints, entries: Mapping[str, Any] | None) -> None:
    for name, entry in (entries or {}).items():
        action = None if entry is None else entry.get("Action")
        if action is not None and action not in ATTRIBUTE_ACTION_VALUES:
            constraints.add(action, _action_path(name), _ACTION_ENUM)


def update_constraints(constraints: Constraints, updates: object) -> None:
    """Record AttributeUpdates' constraint violations (an Action outside the enum) in the operation's
    envelope; raise SerializationException at once for a value of the wrong JSON kind."""
    _update_violations(constraints, _shape(updates))


def _action(name: str, entry: Mapping[str, Any] | None) -> tuple[UpdateAction, int]:
    """One entry's action and the size it writes (0 for DELETE), or DynamoDB's error for it."""
    if entry is None:
        raise ValidationException(msg.UPDATE_NULL.format(name=name))
    action: Action = entry.get("Action") or "PUT"
    raw = entry.get("Value")
    value, size = (None, 0) if raw is None else validate_value(raw)
    if value is None:
        if action != "DELETE":
            raise ValidationException(msg.VALUE_REQUIRED_FOR_ACTION)
    elif action == "DELETE" and type_of(value) not in _SETS:
        raise ValidationException(msg.DELETE_TYPE.format(type=type_of(value)))
    elif action == "ADD" and type_of(value) not in _ADDABLE:
        raise ValidationException(msg.ADD_TYPE.format(type=type_of(value)))
    return UpdateAction(name, action, value), 0 if action == "DELETE" else utf8_len(name) + size


def attribute_updates(updates: object) -> LegacyUpdate | None:
    """UpdateItem's ``AttributeUpdates``, checked; None when absent ({} updates nothing).

    Call it where DynamoDB validates AttributeUpdates: after the Key's values, before Expected.
    Raises SerializationException for a value of the wrong JSON kind, ValidationException with
    DynamoDB's message otherwise.
    """
    entries = _shape(updates)
    constraints = Constraints()
    _update_violations(constraints, entries)
    constraints.raise_if_any()
    if entries is None:
        return None
    actions: list[UpdateAction] = []
    size = 0
    for name, entry in entries.items():
        action, written = _action(name, entry)
        size += written
        if size > MAX_ITEM_SIZE:
            raise ValidationException(msg.UPDATE_TOO_LARGE)
        actions.append(action)
    return LegacyUpdate(tuple(actions))


# --- the update ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegacyUpdate:
    """A checked AttributeUpdates: its actions in request order."""

    actions: tuple[UpdateAction, ...]

    @property
    def paths(self) -> tuple[DocumentPath, ...]:
        """The attribute each action writes or removes, in request order (one-name paths)."""
        return tuple(DocumentPath((Name(action.name),)) for action in self.actions)

    def check_table(self, schema: TableSchema) -> None:
        """The errors that need the table, before the item is read (dynalite's db.validateUpdates):
        an update of a key attribute (the key schema's first such, hash first), then a value whose
        type is not an index key's (indexes in the schema's order)."""
        names = {action.name: action for action in self.actions}
        for key_name in schema.key.names:
            if key_name in names:
                raise ValidationException(msg.KEY_ATTRIBUTE.format(name=key_name))
        for index in schema.indexes:
            for name, expected in (
                (index.key.hash_name, index.key.hash_type),
                (index.key.range_name, index.key.range_type),
            ):
                action = names.get(name) if name is not None else None
                if action is None or action.value is None or type_of(action.value) == expected:
                    continue
                detail = base_msg.INDEX_KEY_TYPE_MISMATCH.format(
                    name=name, expected=expected, actual=type_of(action.value), index=index.name
                )
                raise ValidationException(detail)

    def plan(self, item: Item | None, key: Item | None = None) -> UpdateResult:
        """The item after the update, or DynamoDB's error for it; ``item`` is never changed.

        ``item`` is the stored item, None if there is none: the update then starts from ``key``. Key
        attributes are ``check_table``'s (the operation calls it first). ``old_paths`` are the
        attributes the old item had, ``new_paths`` those the new item has (ReturnValues UPDATED_OLD
        and UPDATED_NEW), in request order. Values are shared with this update: treat them as
        immutable, as ``update_plan`` does.
        """
        new: dict[str, AttributeValue] = dict(item if item is not None else (key or {}))
        for action in self.actions:
            _apply(new, action)
        written = list(zip(self.actions, self.paths, strict=True))
        old_paths = tuple(path for action, path in written if item is not None and action.name in item)
        new_paths = tuple(path for action, path in written if action.name in new)
        return UpdateResult(new, old_paths, new_paths)


def _apply(item: dict[str, AttributeValue], action: UpdateAction) -> None:
    current, value = item.get(action.name), action.value
    if action.action == "PUT":
        assert value is not None  # attribute_updates refused PUT without a value
        item[action.name] = value
    elif value is None:  # DELETE of the whole attribute
        item.pop(action.name, None)
    elif current is None:
        if action.action == "ADD":
            item[action.name] = value
    elif type_of(current) != type_of(value):
        raise ValidationException(msg.TYPE_MISMATCH)
    elif action.action == "ADD":
        item[action.name] = _added(current, value)
    else:
        kept = _deleted(current, value)
        if kept is None:
            del item[action.name]
        else:
            item[action.name] = kept


def _member(tag: str, member: Any) -> Any:
    return Decimal(member) if tag == "NS" else member


def _added(current: AttributeValue, value: AttributeValue) -> AttributeValue:
    """ADD on a value of the same type: a sum, a union (new members after the old), a concatenation."""
    tag = type_of(value)
    if tag == "N":
        return {"N": add_numbers(current["N"], value["N"])}
    if tag == "L":
        return {"L": [*current["L"], *value["L"]]}
    present = {_member(tag, member) for member in current[tag]}
    return {tag: [*current[tag], *(member for member in value[tag] if _member(tag, member) not in present)]}


def _deleted(current: AttributeValue, value: AttributeValue) -> AttributeValue | None:
    """DELETE of set members; None when no member is left."""
    tag = type_of(value)
    gone = {_member(tag, member) for member in value[tag]}
    kept = [member for member in current[tag] if _member(tag, member) not in gone]
    return {tag: kept} if kept else None
