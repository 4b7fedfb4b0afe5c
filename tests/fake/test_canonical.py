"""``checked_item`` answers exactly as ``validate_item`` does, and skips the copy when it can."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.canonical import checked_item
from aiodynamodb_fake.strategies import TableSpec, attribute_names, attribute_values
from aiodynamodb_fake.values import MAX_ITEM_SIZE, validate_item
from tests.support.tables import property_settings

# Values of every kind and shape, valid or not, canonical or not (numbers to normalise, tuples, bytearrays,
# lone surrogates, JSON nulls beside a type, sets with duplicates...)
_TEXT = st.sampled_from(["", "a", "1", "10", "007", "-1.5e3", "1e400", "1.0", "x", "\ud800", "é", "0", "-0"])
_LEAF = st.one_of(
    _TEXT,
    st.booleans(),
    st.none(),
    st.integers(-2, 2),
    st.binary(max_size=2),
    st.builds(bytearray, st.binary()),
)
_RAW = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=2).map(tuple)
        | st.dictionaries(_TEXT, inner, max_size=3)
    ),
    max_leaves=8,
)
_KINDS = st.sampled_from(["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X"])
_SETS = st.builds(
    lambda kind, members: {kind: members},
    st.sampled_from(["SS", "NS", "BS"]),
    st.lists(st.sampled_from(["1", "1.0", "a", b"a", b"b"]), max_size=3),
)
_VALUES = st.recursive(
    st.dictionaries(_KINDS, _RAW, max_size=2) | _SETS,
    lambda inner: st.one_of(
        st.dictionaries(_KINDS, inner, max_size=2),
        st.builds(lambda m: {"M": m}, st.dictionaries(_TEXT, inner, max_size=3)),
        st.builds(lambda m: {"L": m}, st.lists(inner, max_size=3)),
    ),
    max_leaves=10,
)
_ANY_ITEM = st.one_of(st.dictionaries(_TEXT, _VALUES, max_size=4), _RAW)


def _outcome(item: Any, limit: int | None, check: Any) -> tuple[str, Any]:
    try:
        return "ok", check(item, limit)
    except (ValidationException, SerializationException) as err:
        return type(err).__name__, err.message


@property_settings(max_examples=1000)
@given(_ANY_ITEM, st.one_of(st.none(), st.integers(0, 40)))
def test_every_answer_is_validate_items(item: Any, limit: int | None) -> None:
    checked = _outcome(item, limit, checked_item)
    validated = _outcome(item, limit, validate_item)
    if checked[0] == "ok" and limit is not None and checked[1][1] > limit:
        # past the limit the item is refused: validate_item stops copying, checked_item copied nothing
        assert validated[0] == "ok"
        assert validated[1][1] > limit
    else:
        assert checked == validated


@property_settings(max_examples=300)
@given(st.dictionaries(attribute_names(), attribute_values(), max_size=6))
def test_a_canonical_item_is_returned_itself_with_validate_items_size(item: dict[str, Any]) -> None:
    canonical, size = validate_item(item)
    checked, checked_size = checked_item(canonical, MAX_ITEM_SIZE)
    assert checked is canonical
    assert checked_size == size


@property_settings(max_examples=300)
@given(st.integers(1, 10**38 - 1))
def test_plain_integers_are_sized_as_normalised(number: int) -> None:
    item = {"n": {"N": str(number)}, "m": {"M": {"n": {"N": str(number)}}}}
    assert checked_item(item) == validate_item(item)
    assert checked_item(item)[0] is item


def test_numbers_to_normalise_are_copied() -> None:
    item = {"n": {"N": "1.50"}, "m": {"M": {"z": {"N": "007"}}}}
    checked, _ = checked_item(item)
    assert checked is not item
    assert checked == {"n": {"N": "1.5"}, "m": {"M": {"z": {"N": "7"}}}}


def test_past_the_limit_every_value_is_still_checked() -> None:
    item = {"a": {"S": "x" * 10}, "b": {"N": "nope"}}
    with_limit = _outcome(item, 5, checked_item)
    assert with_limit == _outcome(item, 5, validate_item)
    assert with_limit[0] == "ValidationException"


def test_past_the_limit_a_canonical_item_comes_back_whole_and_sized() -> None:
    item = {"a": {"S": "x" * 10}, "b": {"L": [{"N": "1"}] * 3}}
    checked, size = checked_item(item, 5)
    assert checked is item
    assert size == validate_item(item)[1] == 1 + 10 + 1 + 3 + 3 * (1 + 2)


class _Text(StrEnum):
    S = "S"
    N = "N"
    BOOL = "BOOL"
    PK = "pk"
    ONE = "1"
    A = "a"


def _plain_strings(value: Any) -> bool:
    """Whether every string in ``value`` (keys included) is a plain ``str``."""
    if isinstance(value, dict):
        return all(type(k) is str and _plain_strings(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_strings(v) for v in value)
    return not isinstance(value, str) or type(value) is str


@pytest.mark.parametrize(
    "item",
    [
        {
            "pk": {_Text.S: "a"},
            "n": {_Text.N: "1"},
            "m": {"M": {"x": {_Text.S: "b"}}},
            "b": {_Text.BOOL: True},
        },
        {_Text.PK: {"S": "a"}, "m": {"M": {_Text.A: {"S": "b"}}}},
        {
            "pk": {"S": _Text.A},
            "n": {"N": _Text.ONE},
            "ss": {"SS": [_Text.A, "b"]},
            "ns": {"NS": [_Text.ONE]},
        },
    ],
)
def test_str_subclasses_are_stored_as_plain_strings(item: dict[Any, Any]) -> None:
    """An enum member where a string goes (a common way to spell values in Python) is stored as its
    characters, as botocore would send it; ``marshal`` (storage) refuses str subclasses."""
    checked, _ = checked_item(item)
    assert checked == validate_item(item)[0]
    assert _plain_strings(checked)
    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", TableSpec("things", "pk", "S").create_table_request())
    fake.call_sync("PutItem", {"TableName": "things", "Item": item})
    got = fake.call_sync("GetItem", {"TableName": "things", "Key": {"pk": {"S": "a"}}})["Item"]
    assert got == checked
