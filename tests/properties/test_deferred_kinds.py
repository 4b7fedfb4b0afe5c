"""Deferring the kind walk inside AttributeValues (``members.engine.Deferral``) changes no answer.

PutItem, BatchWriteItem and BatchGetItem leave their items' and keys' JSON kinds to
``values.validate_item`` and run the full kind walk only for a request they refuse. Each property
sends one request to two fakes holding the same items: one as the operation runs today, one with
the operation's deferral swapped for the path it replaced (``check_request`` whole, then the rest of
``parse``). Both must give the same response, or the same error class and message, and leave the
same stored items. Requests: the fuzzers' (junk, mutated valid requests, members nested hundreds of
levels deep), and valid requests spoiled inside their items and keys (a wrong kind at any depth, a
null in a list or set, an unknown member, a key that is not a string, a bad number) together with
errors outside them (a constraint, a wrong kind, a value the operation refuses), members in any
order, so that which error DynamoDB reports first is what is tested.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any
from unittest import mock

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.members.batches import BATCH_GET_ITEM, BATCH_WRITE_ITEM
from aiodynamodb_fake.members.engine import Struct, check_request
from aiodynamodb_fake.members.items import PUT_ITEM
from aiodynamodb_fake.operations import batch_get_item, batch_write_item, put_item
from tests.support.fuzz import deeply_nested, json_like, json_objects, mutated
from tests.support.fuzz_requests import requests_for
from tests.support.tables import ALL_TABLES, property_settings

OPERATIONS: dict[str, tuple[ModuleType, Struct]] = {
    "PutItem": (put_item, PUT_ITEM),
    "BatchWriteItem": (batch_write_item, BATCH_WRITE_ITEM),
    "BatchGetItem": (batch_get_item, BATCH_GET_ITEM),
}
TABLE_NAMES = tuple(spec.name for spec in ALL_TABLES)
SEED: dict[str, list[dict[str, Any]]] = {
    "props_hash_s": [{"pk": {"S": "a"}, "a": {"N": "1"}}],
    "props_composite": [{"pk": {"S": "a"}, "sk": {"N": "1"}, "a": {"SS": ["z"]}}],
    "props_binary": [{"id": {"B": b"a"}, "rk": {"S": "a"}}],
}


class _FullWalk:
    """The path the deferral replaced: ``check_request`` whole, then the body."""

    def __init__(self, table: Struct) -> None:
        self.table = table

    @contextlib.contextmanager
    def checking(self, request: Mapping[str, Any]) -> Iterator[None]:
        check_request(self.table, request)
        yield


def seeded(make_fake: Callable[..., FakeDynamoDB]) -> FakeDynamoDB:
    fake = make_fake(ALL_TABLES)
    for table, table_items in SEED.items():
        for item in table_items:
            fake.call_sync("PutItem", {"TableName": table, "Item": copy.deepcopy(item)})
    return fake


def answer(fake: FakeDynamoDB, operation: str, request: Any) -> tuple[Any, ...]:
    try:
        return ("ok", fake.call_sync(operation, request))
    except DynamoDBError as err:
        return (type(err).__name__, err.message)


def assert_same_answers(
    make_fake: Callable[..., FakeDynamoDB],
    snapshot: Callable[[FakeDynamoDB], Any],
    operation: str,
    request: Any,
) -> None:
    module, table = OPERATIONS[operation]
    deferred_fake, full_fake = seeded(make_fake), seeded(make_fake)
    deferred = answer(deferred_fake, operation, request)
    with mock.patch.object(module, "_MEMBERS", _FullWalk(table)):
        full = answer(full_fake, operation, request)
    event(f"{operation}: {deferred[0]}")
    assert deferred == full
    assert snapshot(deferred_fake) == snapshot(full_fake)


# --- spoiling a valid request inside its items and keys, and outside them --------------------------

# Inside an attribute map: values that are not AttributeValues, and AttributeValues holding a wrong
# kind, a null, an unknown member, a non-string key, or contents validate_value refuses.
_SPOILED_VALUES: tuple[Any, ...] = (
    None, 5, 1.5, True, "S", b"x", [], [{"S": "a"}], {}, {"S": 5}, {"S": None}, {"N": 1}, {"N": "abc"},
    {"N": ""}, {"B": 5}, {"B": []}, {"BOOL": "true"}, {"NULL": "true"}, {"NULL": False}, {"BOOL": None},
    {"SS": ["a", None]}, {"SS": "a"}, {"SS": {}}, {"NS": ["1", True]}, {"NS": ["1", "1.0"]},
    {"BS": [5]}, {"BS": [b"a", None]}, {"L": [None]}, {"L": [5]}, {"L": [[]]}, {"L": {"S": "a"}},
    {"M": {"x": []}}, {"M": {"x": None}}, {"M": {1: {"S": "a"}}}, {"M": []}, {"M": "x"},
    {"Q": 1}, {"Q": 1, "S": "a"}, {"S": "a", "N": "1"}, {"S": "a", "X": [None]}, {"S": "a", "N": None},
    {"S": "\ud800"}, {"L": [{"M": {"x": {"S": 5}}}]}, {"M": {"x": {"L": [{"SS": [None]}]}}},
)  # fmt: skip
_ATTRIBUTE_MAPS = frozenset(("Item", "Key"))


def _nested_value(depth: int, leaf: Any) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "a"} if leaf is None else leaf
    for level in range(depth):
        value = {"M": {"x": value}} if level % 2 else {"L": [value]}
    return value


def _attribute_maps(request: Any) -> list[dict[Any, Any]]:
    """The request's Items and Keys (BatchGetItem's Keys' members too), in document order."""
    found: list[dict[Any, Any]] = []
    pending: list[Any] = [request]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            for name, member in node.items():
                if name in _ATTRIBUTE_MAPS and isinstance(member, dict):
                    found.append(member)
                elif name == "Keys" and isinstance(member, list):
                    found.extend(key for key in member if isinstance(key, dict))
                else:
                    pending.append(member)
        elif isinstance(node, list):
            pending.extend(node)
    return found


def _spoil_inside(draw: st.DrawFn, request: dict[str, Any]) -> None:
    maps = _attribute_maps(request)
    if not maps:
        return
    target = draw(st.sampled_from(maps))
    names = list(target)
    value = draw(st.sampled_from(_SPOILED_VALUES))
    how = draw(st.sampled_from(["replace", "add_first", "add_last", "nest", "deep", "odd_key"]))
    if how == "replace" and names:
        target[draw(st.sampled_from(names))] = value
    elif how == "nest":
        target["n"] = _nested_value(draw(st.integers(1, 6)), value)
    elif how == "deep":  # at the nesting limit and past it
        target["n"] = _nested_value(draw(st.sampled_from([30, 31, 32, 33, 40])), value)
    elif how == "odd_key":
        target[draw(st.sampled_from([1, None, b"k"]))] = {"S": "a"}
    else:
        spoiled = {"zz": value, **target} if how == "add_first" else {**target, "zz": value}
        target.clear()
        target.update(spoiled)


_OUTSIDE: dict[str, tuple[tuple[str, Any], ...]] = {
    "PutItem": (
        ("ReturnConsumedCapacity", "x"),  # a constraint
        ("ReturnConsumedCapacity", 5),  # a wrong kind outside the item
        ("ReturnValues", "ALL_NEW"),  # refused by parse, after the item's values
        ("TableName", "x"),  # the standalone envelope
        ("ConditionExpression", "a = :nope"),  # an expression error
        ("Expected", {"a": {"Value": {"S": 5}}}),  # a wrong kind in a value that is not deferred
        ("ExpressionAttributeValues", {":u": {"N": "x"}}),
    ),
    "BatchWriteItem": (
        ("ReturnConsumedCapacity", "x"),
        ("ReturnItemCollectionMetrics", []),
        ("RequestItems", {"x": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}),
        ("RequestItems", {"props_hash_s": [{"PutRequest": {"Item": {"pk": {"S": str(n)}}}} for n in range(26)]}),
        ("RequestItems", {"props_hash_s": [{"PutRequest": {"Item": {"pk": {"N": 5}}}, "DeleteRequest": None}]}),
        ("RequestItems", {"props_hash_s": [{}]}),
        ("RequestItems", {"props_hash_s": [{"PutRequest": 5}]}),
    ),
    "BatchGetItem": (
        ("ReturnConsumedCapacity", "x"),
        ("ReturnConsumedCapacity", True),
        ("RequestItems", {"x": {"Keys": [{"pk": {"S": "a"}}]}}),
        ("RequestItems", {"props_hash_s": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}}),
        ("RequestItems", {"props_hash_s": {"Keys": [{"pk": {"S": "a"}}], "ProjectionExpression": "#x"}}),
        ("RequestItems", {"props_hash_s": {"Keys": [{"pk": {"S": 1}}], "ConsistentRead": "yes"}}),
        ("RequestItems", {"props_hash_s": {"Keys": []}}),
        ("RequestItems", {"props_hash_s": {"Keys": {"pk": {"S": "a"}}}}),
    ),
}  # fmt: skip


def _spoil_outside(draw: st.DrawFn, operation: str, request: dict[str, Any]) -> None:
    name, value = draw(st.sampled_from(_OUTSIDE[operation]))
    value = copy.deepcopy(value)
    existing = request.get(name)
    if name == "RequestItems" and isinstance(existing, dict) and draw(st.booleans()):
        entries = [*existing.items(), *value.items()]  # another table's entry, before or after the rest
        if draw(st.booleans()):
            entries.reverse()
        value = dict(entries)
    request[name] = value


@st.composite
def spoiled(draw: st.DrawFn, operation: str) -> dict[str, Any]:
    """A valid request with errors inside its items and keys, outside them, or both, its members in
    any order."""
    request: dict[str, Any] = copy.deepcopy(draw(requests_for(operation, ALL_TABLES)))
    for _ in range(draw(st.integers(0, 2))):
        _spoil_inside(draw, request)
    if draw(st.booleans()):
        _spoil_outside(draw, operation, request)
    order = draw(st.permutations(list(request)))
    return {name: request[name] for name in order}


# --- the properties -----------------------------------------------------------------------------------

OPERATION_NAMES = sorted(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATION_NAMES)
@property_settings(300)
@given(data=st.data())
def test_spoiled_requests_get_the_same_answer(
    make_fake: Callable[..., FakeDynamoDB],
    take_snapshot: Callable[[FakeDynamoDB], Any],
    operation: str,
    data: st.DataObject,
) -> None:
    request = data.draw(spoiled(operation), label="request")
    assert_same_answers(make_fake, take_snapshot, operation, request)


@pytest.mark.parametrize("operation", OPERATION_NAMES)
@property_settings(300)
@given(data=st.data())
def test_mutated_requests_get_the_same_answer(
    make_fake: Callable[..., FakeDynamoDB],
    take_snapshot: Callable[[FakeDynamoDB], Any],
    operation: str,
    data: st.DataObject,
) -> None:
    base = st.one_of(requests_for(operation, ALL_TABLES), spoiled(operation))
    request = data.draw(mutated(base, strings=TABLE_NAMES, min_mutations=0), label="request")
    assert_same_answers(make_fake, take_snapshot, operation, request)


@pytest.mark.parametrize("operation", OPERATION_NAMES)
@property_settings(300)
@given(request=st.one_of(json_objects(strings=TABLE_NAMES), json_like(strings=TABLE_NAMES)))
def test_junk_requests_get_the_same_answer(
    make_fake: Callable[..., FakeDynamoDB],
    take_snapshot: Callable[[FakeDynamoDB], Any],
    operation: str,
    request: Any,
) -> None:
    assert_same_answers(make_fake, take_snapshot, operation, request)


@pytest.mark.parametrize("operation", OPERATION_NAMES)
@property_settings(300)
@given(data=st.data())
def test_deeply_nested_requests_get_the_same_answer(
    make_fake: Callable[..., FakeDynamoDB],
    take_snapshot: Callable[[FakeDynamoDB], Any],
    operation: str,
    data: st.DataObject,
) -> None:
    request = data.draw(deeply_nested(requests_for(operation, ALL_TABLES)), label="request")
    assert_same_answers(make_fake, take_snapshot, operation, request)
