"""Primary and index keys: checking them against a table's schema and turning them into sort values.

A key's *sort value* is what storage orders and hashes by (``Decimal`` for N, ``str`` for S,
``bytes`` for B), so ``"1"`` and ``"1.0"`` are one key. Messages follow reference §1.4: a key in an
``Item`` and a key in a ``Key`` parameter are worded differently, and BatchWriteItem rewrites the
PutItem wording to ``The provided key element does not match the schema``.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from aiodynamodb.errors import ValidationException

from . import limits
from . import messages as msg
from .schema import KeySchema, TableSchema
from .values import utf8_len

__all__ = ["KeyValues", "check_item_keys", "item_key", "key_values", "validate_key"]

# (hash sort value, range sort value or None)
KeyValues = tuple[Any, Any]

# The old names, kept for importers: the limits are ``limits``'s.
MAX_HASH_KEY_BYTES = limits.MAX_HASH_KEY_BYTES
MAX_RANGE_KEY_BYTES = limits.MAX_RANGE_KEY_BYTES
_EMPTY_INDEX_KEY = (
    "One or more parameter values are not valid. A value specified for a secondary index key is not "
    "supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. "
    "IndexName: {index}, IndexKey: {name}"
)


def _only(av: Mapping[str, Any]) -> tuple[str, Any]:
    for kind, raw in av.items():
        return kind, raw
    return "", None


def _sort_of(kind: str, raw: Any) -> Any:
    return Decimal(raw) if kind == "N" else raw


def _key_bytes(kind: str, raw: Any) -> int:
    if kind == "S":
        return utf8_len(raw)
    if kind == "B":
        return len(raw)
    return 0  # numbers are not size-checked


def item_key(
    schema: TableSchema, item: Mapping[str, Mapping[str, Any]], *, in_batch: bool = False
) -> KeyValues:
    """The sort values of a (validated) item's primary key, or DynamoDB's error for it (worded for
    PutItem, or as BatchWriteItem rewords it), then the index key attributes the item carries."""
    found = _key_values(item, schema.key, "batch" if in_batch else "item")
    if schema.global_indexes or schema.local_indexes:
        check_item_keys(schema, item)
    return found


# How a key's errors are worded: a ``Key`` parameter, an ``Item`` (PutItem), a BatchWriteItem's item
_Wording = Literal["key", "item", "batch"]


def _key_values(
    attributes: Mapping[str, Mapping[str, Any]], names: KeySchema, wording: _Wording
) -> KeyValues:
    """Sort values of the key attributes in ``attributes``, checked in DynamoDB's order: each key
    attribute's presence, type and emptiness (hash, then range), then their sizes."""
    hash_kind, hash_raw = _key_part(attributes, names.hash_name, names.hash_type, wording)
    range_name = names.range_name
    range_kind, range_raw = "", None
    if range_name is not None:
        range_kind, range_raw = _key_part(attributes, range_name, names.range_type, wording)
    if _key_bytes(hash_kind, hash_raw) > MAX_HASH_KEY_BYTES:
        raise ValidationException(msg.HASH_KEY_TOO_LONG)
    if range_name is None:
        return _sort_of(hash_kind, hash_raw), None
    if _key_bytes(range_kind, range_raw) > MAX_RANGE_KEY_BYTES:
        raise ValidationException(msg.RANGE_KEY_TOO_LONG)
    return _sort_of(hash_kind, hash_raw), _sort_of(range_kind, range_raw)


def _key_part(
    attributes: Mapping[str, Mapping[str, Any]], name: str, expected: str | None, wording: _Wording
) -> tuple[str, Any]:
    """(kind, raw) of key attribute ``name``, or DynamoDB's error for it in ``wording``."""
    av = attributes.get(name)
    if av is None:
        text = msg.MISSING_KEY_IN_ITEM.format(name=name) if wording == "item" else msg.KEY_SCHEMA_MISMATCH
        raise ValidationException(text)
    kind, raw = _only(av)
    if kind != expected:
        if wording == "item":
            raise ValidationException(msg.KEY_TYPE_MISMATCH.format(name=name, expected=expected, actual=kind))
        raise ValidationException(msg.KEY_SCHEMA_MISMATCH)
    if kind != "N" and len(raw) == 0:
        template = msg.EMPTY_KEY_IN_KEY if wording == "key" else msg.EMPTY_KEY_IN_ITEM
        raise ValidationException(template.format(kind="string" if kind == "S" else "binary", name=name))
    return kind, raw


def check_item_keys(schema: TableSchema, item: Mapping[str, Mapping[str, Any]]) -> None:
    """Index key attributes an item carries must have the index's type and be non-empty.

    An item lacking one is legal: it is simply not in that index (a sparse index).
    """
    table_keys = schema.key.names
    for index in schema.indexes:
        for name, expected in (
            (index.key.hash_name, index.key.hash_type),
            (index.key.range_name, index.key.range_type),
        ):
            if name is None or name in table_keys:
                continue
            av = item.get(name)
            if av is None:
                continue
            kind, raw = _only(av)
            if kind != expected:
                raise ValidationException(
                    msg.INDEX_KEY_TYPE_MISMATCH.format(
                        name=name, expected=expected, actual=kind, index=index.name
                    )
                )
            if kind != "N" and len(raw) == 0:
                kind_name = "string" if kind == "S" else "binary"
                raise ValidationException(
                    _EMPTY_INDEX_KEY.format(kind=kind_name, index=index.name, name=name)
                )


def validate_key(schema: TableSchema, key: Mapping[str, Mapping[str, Any]]) -> KeyValues:
    """Sort values of a ``Key`` parameter (already AttributeValue-checked) for this table's schema:
    the attribute count first, then as ``_key_values``."""
    names = schema.key
    if len(key) != (1 if names.range_name is None else 2):
        raise ValidationException(msg.KEY_SCHEMA_MISMATCH)
    return _key_values(key, names, "key")


def key_values(key: KeySchema, item: Mapping[str, Mapping[str, Any]]) -> KeyValues | None:
    """Sort values of ``key`` in a stored item, or None if the item lacks one (sparse index)."""
    hash_av = item.get(key.hash_name)
    if hash_av is None:
        return None
    hash_sort = _sort_of(*_only(hash_av))
    if key.range_name is None:
        return hash_sort, None
    range_av = item.get(key.range_name)
    if range_av is None:
        return None
    return hash_sort, _sort_of(*_only(range_av))
