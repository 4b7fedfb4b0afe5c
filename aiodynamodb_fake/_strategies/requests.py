"""Strategies for keys, items and batch requests of a ``TableSpec``, in botocore's low-level shapes.

Single items and keys first, then lists of write requests and keys meant for a client's batch calls
(longer than one call takes, keys from small pools so that they collide), then whole valid
BatchWriteItem and BatchGetItem requests (unique keys per table, within DynamoDB's limits).
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from .. import limits
from .specs import Item, TableSpec, key_identity
from .values import attribute_names, attribute_values, key_attribute_values

__all__ = [
    "MAX_BATCH_GET_KEYS",
    "MAX_BATCH_WRITES",
    "batch_get_requests",
    "batch_write_requests",
    "items",
    "key_lists",
    "keys",
    "write_request_lists",
    "write_requests",
]

Draw = st.DrawFn

MAX_BATCH_WRITES = limits.MAX_BATCH_WRITES
MAX_BATCH_GET_KEYS = limits.MAX_BATCH_GET_KEYS


@functools.cache
def keys(spec: TableSpec, *, pool: bool = True) -> st.SearchStrategy[Item]:
    """A valid ``Key`` parameter for the table."""
    return st.fixed_dictionaries(
        {name: key_attribute_values(kind, pool=pool) for name, kind in spec.key_types().items()}
    )


@functools.cache
def items(spec: TableSpec, *, pool: bool = True, max_attributes: int = 3) -> st.SearchStrategy[Item]:
    """A valid item: the key, each index key attribute present (right type) or absent (sparse),
    and up to ``max_attributes`` other attributes of any type."""
    return _items(spec, pool=pool, max_attributes=max_attributes)


@st.composite
def _items(draw: Draw, spec: TableSpec, *, pool: bool, max_attributes: int) -> Item:
    item: Item = dict(draw(keys(spec, pool=pool)))
    for name, kind in spec.index_key_types().items():
        if draw(st.booleans()):
            item[name] = draw(key_attribute_values(kind, pool=True))
    item.update(draw(_other_attributes((*spec.key_names, *spec.index_key_types()), max_attributes)))
    return item


@functools.cache
def _other_attributes(reserved: tuple[str, ...], max_size: int) -> st.SearchStrategy[Item]:
    return st.dictionaries(attribute_names(reserved), attribute_values(), max_size=max_size)


@functools.cache
def write_requests(
    spec: TableSpec, *, pool: bool = True, max_attributes: int = 3
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid WriteRequest: a PutRequest or a DeleteRequest."""
    return st.one_of(
        items(spec, pool=pool, max_attributes=max_attributes).map(
            lambda item: {"PutRequest": {"Item": item}}
        ),
        keys(spec, pool=pool).map(lambda key: {"DeleteRequest": {"Key": key}}),
    )


def _write_key(write_request: Mapping[str, Any]) -> Mapping[str, Any]:
    if "PutRequest" in write_request:
        item: Mapping[str, Any] = write_request["PutRequest"]["Item"]
        return item
    key: Mapping[str, Any] = write_request["DeleteRequest"]["Key"]
    return key


def _write_identity_of(spec: TableSpec) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    return lambda write_request: key_identity(spec, _write_key(write_request))


def _key_identity_of(spec: TableSpec) -> Callable[[Mapping[str, Mapping[str, Any]]], tuple[Any, ...]]:
    return lambda key: key_identity(spec, key)


def write_request_lists(
    spec: TableSpec,
    *,
    min_size: int = 0,
    max_size: int = 3 * MAX_BATCH_WRITES,
    unique_keys: bool = False,
    pool: bool = True,
    max_attributes: int = 3,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of WriteRequests for one table, as a client's batch call takes them: up to three
    BatchWriteItem calls' worth, keys from a small pool so that writes collide. With ``unique_keys``
    no two requests share a key by value (``"1"`` and ``"1.0"`` are one key; what a client must send
    in one call), without it the same key may come several times (what a client must refuse or
    split)."""
    strategy = write_requests(spec, pool=pool, max_attributes=max_attributes)
    unique_by = _write_identity_of(spec) if unique_keys else None
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique_by=unique_by)


def key_lists(
    spec: TableSpec,
    *,
    min_size: int = 0,
    max_size: int = 2 * MAX_BATCH_GET_KEYS,
    unique_keys: bool = False,
    pool: bool = True,
) -> st.SearchStrategy[list[Item]]:
    """Lists of keys for one table, as a client's batch get takes them: up to two BatchGetItem calls'
    worth, from a small pool so that they collide (unless ``unique_keys``, which compares by value)."""
    unique_by = _key_identity_of(spec) if unique_keys else None
    return st.lists(keys(spec, pool=pool), min_size=min_size, max_size=max_size, unique_by=unique_by)


@st.composite
def batch_write_requests(
    draw: Draw,
    specs: Sequence[TableSpec],
    *,
    pool: bool = True,
    max_requests: int = MAX_BATCH_WRITES,
    options: bool = True,
    max_attributes: int = 3,
    arns: bool = False,
) -> dict[str, Any]:
    """A valid BatchWriteItem request over some of ``specs``: 1..``max_requests`` writes in all, at
    least one per table named, no two on the same key (by value) in one table; with ``arns`` a
    table is sometimes named by its ARN."""
    chosen = draw(
        st.lists(
            st.sampled_from(list(specs)),
            min_size=1,
            max_size=min(len(specs), max_requests),
            unique_by=lambda spec: spec.name,
        )
    )
    budget = max_requests
    request_items: dict[str, list[dict[str, Any]]] = {}
    for position, spec in enumerate(chosen):
        room = budget - (len(chosen) - position - 1)
        ops = draw(
            st.lists(
                write_requests(spec, pool=pool, max_attributes=max_attributes),
                min_size=1,
                max_size=room,
                unique_by=_write_identity_of(spec),
            )
        )
        budget -= len(ops)
        request_items[spec.arn if arns and draw(st.booleans()) else spec.name] = ops
    request: dict[str, Any] = {"RequestItems": request_items}
    if options:
        capacity = draw(st.sampled_from([None, "NONE", "TOTAL", "INDEXES"]))
        if capacity is not None:
            request["ReturnConsumedCapacity"] = capacity
        metrics = draw(st.sampled_from([None, "NONE", "SIZE"]))
        if metrics is not None:
            request["ReturnItemCollectionMetrics"] = metrics
    return request


@st.composite
def batch_get_requests(
    draw: Draw,
    specs: Sequence[TableSpec],
    *,
    pool: bool = True,
    max_keys: int = MAX_BATCH_GET_KEYS,
    projection_names: Sequence[str] = (),
) -> dict[str, Any]:
    """A valid BatchGetItem request: unique keys per table (by value), at most ``max_keys`` in all;
    sometimes a projection over the key attributes and ``projection_names`` (a ProjectionExpression
    written plainly or through ``#placeholders``, or the legacy AttributesToGet), and sometimes
    ConsistentRead."""
    chosen = draw(
        st.lists(
            st.sampled_from(list(specs)), min_size=1, max_size=len(specs), unique_by=lambda spec: spec.name
        )
    )
    budget = max_keys
    request_items: dict[str, dict[str, Any]] = {}
    for position, spec in enumerate(chosen):
        room = budget - (len(chosen) - position - 1)
        table_keys = draw(
            st.lists(keys(spec, pool=pool), min_size=1, max_size=room, unique_by=_key_identity_of(spec))
        )
        budget -= len(table_keys)
        entry: dict[str, Any] = {"Keys": table_keys}
        style = draw(st.sampled_from(["none", "plain", "placeholders", "legacy"]))
        if style != "none":
            names = draw(
                st.lists(
                    st.sampled_from([*spec.key_names, *projection_names]), min_size=1, max_size=4, unique=True
                )
            )
            if style == "plain":
                entry["ProjectionExpression"] = ", ".join(names)
            elif style == "legacy":
                entry["AttributesToGet"] = names
            else:
                entry["ProjectionExpression"] = ", ".join(f"#p{i}" for i in range(len(names)))
                entry["ExpressionAttributeNames"] = {f"#p{i}": name for i, name in enumerate(names)}
        consistent = draw(st.sampled_from([None, True, False]))
        if consistent is not None:
            entry["ConsistentRead"] = consistent
        request_items[spec.name] = entry
    return {"RequestItems": request_items}
