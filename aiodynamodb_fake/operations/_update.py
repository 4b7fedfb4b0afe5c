"""UpdateItem's new item: the checks on what an UpdateExpression (or the legacy AttributeUpdates) may
touch, the item it makes of the stored one (or of the key: an upsert), the checks on that item, and
the ``Attributes`` answered.

Shared by UpdateItem and TransactWriteItems' Update. The order is dynalite's actions/updateItem.js
(its tests ran against DynamoDB): before the item is read, ``check_update_paths`` refuses an update
of a key attribute, a literal of the wrong type (or empty) for a secondary-index key and a nested
path through a key attribute; after the condition, ``updated_item`` plans the update
(``UpdateExpression.plan`` raises the evaluation errors), then refuses an index key left with an
unsupported type or an empty value, an item nested too deep, and an item over 400 KB (with its LSI
entries). AttributeUpdates (``expressions.legacy.LegacyUpdate``) takes the same road: its
``check_table`` stands for ``check_update_paths`` and its ``plan`` for the UpdateExpression's, so
the checks on the new item, the size message and ReturnValues are shared. The exact messages are
reference §6.3, dynalite's and the dynamodb-conformance suite's.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..expressions import (
    AddAction,
    Arith,
    Call,
    DeleteAction,
    DocumentPath,
    Literal,
    Name,
    Operand,
    Projection,
    SetAction,
    UpdateAction,
    UpdateExpression,
    UpdateResult,
)
from ..expressions.legacy import LegacyUpdate
from ..schema import TableSchema
from ..state import Table
from ..storage import Item
from ..values import MAX_ITEM_SIZE, validate_item
from ._common import check_size_with_local_indexes

__all__ = [
    "ITEM_TOO_LARGE_TO_UPDATE",
    "UpdatedItem",
    "check_update_paths",
    "return_values",
    "updated_item",
]

KEY_ATTRIBUTE_UPDATE = msg.PARAM_INVALID + "Cannot update attribute {name}. This attribute is part of the key"
_NOT_SCALAR = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
NESTED_KEY_PATH = _NOT_SCALAR + "Key: {name}"
NESTED_INDEX_KEY_PATH = _NOT_SCALAR + "IndexKey: {name}"
INDEX_KEY_UNSUPPORTED_TYPE = (
    "The update expression attempted to update the secondary index key to unsupported type"
)
# The dynamodb-conformance suite's capture (real DynamoDB, 2026) for an empty string; the binary
# wording ("empty binary value") is ours, by analogy with every other empty-key message.
INDEX_KEY_EMPTY = (
    "One or more parameter values are not valid. The update expression attempted to update a secondary "
    "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
    "an empty {kind} value."
)
ITEM_TOO_LARGE_TO_UPDATE = "Item size to update has exceeded the maximum allowed size"
_EMPTY_KINDS = {"S": "string", "B": "binary"}


@dataclass(frozen=True, slots=True)
class UpdatedItem:
    """The item an update leaves (a fresh copy, numbers canonical), its size, and where the update
    wrote (None when the request had neither an UpdateExpression nor AttributeUpdates)."""

    item: Item
    size: int
    result: UpdateResult | None


# --- before the item is read ----------------------------------------------------------------------


def _index_keys(schema: TableSchema) -> list[tuple[str, str, str]]:
    """(attribute, declared type, index name) for each secondary-index key attribute that is not a
    table key attribute, once each, indexes in name order.

    An attribute keying several indexes is reported under the alphabetically first one: the
    dynamodb-conformance suite's capture names it so for PutItem and TransactWriteItems' Update.
    """
    table_keys = schema.key.names
    seen: dict[str, tuple[str, str, str]] = {}
    for index in sorted(schema.indexes, key=lambda each: each.name):
        key = index.key
        for name, kind in ((key.hash_name, key.hash_type), (key.range_name, key.range_type)):
            if name is not None and kind is not None and name not in table_keys and name not in seen:
                seen[name] = (name, kind, index.name)
    return list(seen.values())


def _top_name(path: DocumentPath) -> str:
    first = path.elements[0]
    assert isinstance(first, Name)  # a document path always starts with an attribute name
    return first.name


def _operand_paths(operand: Operand) -> Iterator[DocumentPath]:
    if isinstance(operand, DocumentPath):
        yield operand
    elif isinstance(operand, Call):
        for arg in operand.args:
            yield from _operand_paths(arg)
    elif isinstance(operand, Arith):
        yield from _operand_paths(operand.left)
        yield from _operand_paths(operand.right)


def _every_path(update: UpdateExpression) -> Iterator[DocumentPath]:
    """Every path the update writes or reads, in text order."""
    for action in update.ast.actions:
        assert isinstance(action.path, DocumentPath)
        yield action.path
        if isinstance(action, SetAction):
            yield from _operand_paths(action.value)


def _static_value(action: UpdateAction) -> tuple[str | None, Any]:
    """(type, literal value) an action gives its path before any item is read: a literal's type,
    N for ``+``/``-`` and ADD of a number, L for ``list_append``; (None, None) when unknown."""
    value = action.value if isinstance(action, SetAction | AddAction | DeleteAction) else None
    if isinstance(value, Literal):
        return next(iter(value.value)), value.value
    if isinstance(value, Arith):
        return "N", None
    if isinstance(value, Call) and value.name == "list_append":
        return "L", None
    return None, None


def _empty_key_value(kind: str, raw: Any) -> bool:
    return kind in _EMPTY_KINDS and len(raw) == 0


def check_update_paths(table: Table, update: UpdateExpression | LegacyUpdate | None) -> None:
    """What an UpdateExpression may not touch, known from the schema alone (dynalite's order).

    A key attribute as the first element of any action's path; then, per index key attribute, the
    action writing it whole with a value of known type: a type other than the declared one, or an
    empty literal; then any path (written or read) going inside a key attribute, table keys first.
    For AttributeUpdates, ``LegacyUpdate.check_table`` (a key attribute, then an index key's type).
    O(paths × key attributes).
    """
    if update is None:
        return
    if isinstance(update, LegacyUpdate):
        update.check_table(table.schema)
        return
    schema = table.schema
    targets = update.paths
    for name in schema.key.names:
        if any(_top_name(path) == name for path in targets):
            raise ValidationException(KEY_ATTRIBUTE_UPDATE.format(name=name))
    index_keys = _index_keys(schema)
    for name, expected, index_name in index_keys:
        for action in update.ast.actions:
            path = action.path
            assert isinstance(path, DocumentPath)
            if len(path.elements) != 1 or _top_name(path) != name:
                continue
            kind, literal = _static_value(action)
            if kind is not None and kind != expected:
                detail = {"name": name, "expected": expected, "actual": kind, "index": index_name}
                raise ValidationException(msg.INDEX_KEY_TYPE_MISMATCH.format(**detail))
            if literal is not None and kind is not None and _empty_key_value(kind, literal[kind]):
                raise ValidationException(INDEX_KEY_EMPTY.format(kind=_EMPTY_KINDS[kind]))
            break
    nested = {_top_name(path) for path in _every_path(update) if len(path.elements) > 1}
    for name in schema.key.names:
        if name in nested:
            raise ValidationException(NESTED_KEY_PATH.format(name=name))
    for name, _, _ in index_keys:
        if name in nested:
            raise ValidationException(NESTED_INDEX_KEY_PATH.format(name=name))


# --- the new item ---------------------------------------------------------------------------------


def _check_index_values(schema: TableSchema, item: Mapping[str, Any]) -> None:
    """An index key the update left with another type than declared, or empty (a value the update
    computed from the item: literals were refused by ``check_update_paths``)."""
    for name, expected, _ in _index_keys(schema):
        value = item.get(name)
        if value is None:
            continue
        kind, raw = next(iter(value.items()))
        if kind != expected:
            raise ValidationException(INDEX_KEY_UNSUPPORTED_TYPE)
        if _empty_key_value(kind, raw):
            raise ValidationException(INDEX_KEY_EMPTY.format(kind=_EMPTY_KINDS[kind]))


def updated_item(
    table: Table, key_item: Item, old: Item | None, update: UpdateExpression | LegacyUpdate | None
) -> UpdatedItem:
    """The item ``update`` (an UpdateExpression or AttributeUpdates) makes of ``old`` (None: none
    stored, so it starts from ``key_item``, the validated Key), or DynamoDB's error for it. Changes
    nothing; ``old`` is not modified.

    Callers run ``check_update_paths`` first, before the condition (DynamoDB's order), so it is not
    run again here. No update stores the item as it is, or the bare key (an upsert).
    choice: an AttributeUpdates leaving an index key empty gets the UpdateExpression's message (no
    source gives DynamoDB's for this parameter). O(item size + the update's work).
    """
    result: UpdateResult | None = None
    if update is None:
        base: Mapping[str, Any] = old if old is not None else key_item
    else:
        result = update.plan(old, key_item)
        base = result.item
    _check_index_values(table.schema, base)
    # A fresh, canonical copy (nothing shared with ``old`` or the request's values); this also
    # refuses values nested past 32 levels, as PutItem does, before the size.
    item, size = validate_item(base, MAX_ITEM_SIZE)
    if size > MAX_ITEM_SIZE:
        raise ValidationException(ITEM_TOO_LARGE_TO_UPDATE)
    check_size_with_local_indexes(table, item, size, ITEM_TOO_LARGE_TO_UPDATE)
    return UpdatedItem(item, size, result)


# --- ReturnValues ---------------------------------------------------------------------------------


def return_values(mode: str | None, old: Item | None, new: UpdatedItem) -> Item | None:
    """The ``Attributes`` of an UpdateItem answer for ReturnValues ``mode``, or None to leave it out.

    ALL_OLD: the old item, if there was one. ALL_NEW: the new item. UPDATED_OLD / UPDATED_NEW: only
    the paths the update touched (AttributeUpdates: the attributes it names), nested as in the item
    (list elements compacted, as a projection does), read from the old item (what was replaced or
    removed) or the new one (what was written).
    choice: ``Attributes`` is left out whenever it would be empty (UPDATED_OLD on a new attribute or
    a new item, UPDATED_NEW after only REMOVEs, or either without any update), as
    DynamoDB leaves out an empty ALL_OLD; the API reference does not say. Answers are fresh copies.
    """
    if mode == "ALL_OLD":
        return old
    if mode == "ALL_NEW":
        return new.item
    result = new.result
    if result is None:
        return None
    found: Item | None = None
    if mode == "UPDATED_OLD" and old is not None and result.old_paths:
        found = Projection(result.old_paths).apply(old)
    elif mode == "UPDATED_NEW" and result.new_paths:
        found = Projection(result.new_paths).apply(new.item)
    return found or None
