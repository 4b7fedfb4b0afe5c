"""Table definitions: the ``CreateTable`` request a model's ``@table`` metadata implies.

Key schema from the table's keys; ``AttributeDefinitions`` (sorted by name) from the Python types of
every key field of the table and its indexes: ``str``/``datetime``/``date``/``UUID`` and str enums or
literals are S, numbers, ``Timestamp*`` and int enums or literals are N, ``bytes`` is B; ``bool`` has no
key type in DynamoDB and is refused before anything is sent. ``hash_key_types`` (published
``DynamoDB`` argument) adds or overrides types
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin
from uuid import UUID

from .custom_types import JSONMarker, TimestampUnit
from .models import DynamoModel, table_meta

__all__ = ["create_table_request"]


def create_table_request(
    model: type[DynamoModel],
    hash_key_types: Mapping[Any, str],
    *,
    billing_mode: str = "PAY_PER_REQUEST",
    provisioned_throughput: Mapping[str, Any] | None = None,
    tags: list[dict[str, str]] | None = None,
    table_class: str | None = None,
) -> dict[str, Any]:
    """The ``CreateTable`` request for ``model``'s table; unsupported key types raise ``TypeError``."""
    meta = table_meta(model)
    types: dict[str, str] = {}

    def add(field_name: str) -> None:
        types[field_name] = _attribute_type(model, field_name, hash_key_types)

    key_schema = [{"AttributeName": meta.hash_key, "KeyType": "HASH"}]
    add(meta.hash_key)
    if meta.range_key:
        key_schema.append({"AttributeName": meta.range_key, "KeyType": "RANGE"})
        add(meta.range_key)
    gsis = [index.to_dynamo() for index in meta.global_secondary_indexes.values()]
    lsis = [index.to_dynamo(meta.hash_key) for index in meta.local_secondary_indexes.values()]
    for index in (*gsis, *lsis):
        for element in index["KeySchema"]:
            add(element["AttributeName"])
    request: dict[str, Any] = {
        "TableName": meta.table_name,
        "KeySchema": key_schema,
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in sorted(types.items())],
        "BillingMode": billing_mode,
    }
    if provisioned_throughput is not None:
        request["ProvisionedThroughput"] = dict(provisioned_throughput)
    if gsis:
        request["GlobalSecondaryIndexes"] = gsis
    if lsis:
        request["LocalSecondaryIndexes"] = lsis
    if tags:
        request["Tags"] = tags
    if table_class:
        request["TableClass"] = table_class
    return request


def _attribute_type(model: type[DynamoModel], field_name: str, hash_key_types: Mapping[Any, str]) -> str:
    info = model.model_fields[field_name]
    annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    found = _key_type(annotation, hash_key_types)
    if found is None:
        raise TypeError(
            f"Unsupported key type for field '{field_name}' of {model.__name__}: {info.annotation!r}. "
            "Keys must be str, bytes, int, float, Decimal, datetime, date, UUID, Timestamp*, "
            "a str/int Enum or Literal, or a type given in hash_key_types."
        )
    return found


_SCALAR_KEY_TYPES: tuple[tuple[type, str], ...] = (
    (bool, ""),  # before int: a bool is an int, but DynamoDB has no boolean key type
    (Enum, "?"),
    (str, "S"),
    (bytes, "B"),
    (int, "N"),
    (float, "N"),
    (Decimal, "N"),
    (datetime, "S"),
    (date, "S"),
    (UUID, "S"),
)


def _key_type(annotation: Any, overrides: Mapping[Any, str]) -> str | None:
    if annotation in overrides:
        return overrides[annotation]
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = get_args(annotation)
        for meta in metadata:
            if isinstance(meta, TimestampUnit):
                return "N"
            if isinstance(meta, JSONMarker):
                return "S"
        return _key_type(inner, overrides)
    if origin in (Union, UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return _key_type(members[0], overrides) if len(members) == 1 else None
    if origin is Literal:
        kinds = {_key_type(type(v), overrides) for v in get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else None
    if not isinstance(annotation, type):
        return None
    for base, kind in overrides.items():
        if (
            isinstance(base, type)
            and issubclass(annotation, base)
            and not (annotation is bool and base is int)
        ):
            return kind
    for base, kind in _SCALAR_KEY_TYPES:
        if issubclass(annotation, base):
            if kind == "?":
                values = [m.value for m in typing.cast(type[Enum], annotation)]
                kinds = {_key_type(type(v), overrides) for v in values}
                return kinds.pop() if len(kinds) == 1 else None
            return kind or None
    return None
