"""Tests for UpdateItem's legacy AttributeUpdates (``expressions/legacy_updates.py``).

Sections: JSON shapes and the constraint envelope, each entry's rules in DynamoDB's order
(dynalite's updateItem tests, run against DynamoDB), the checks against the table (key attributes,
index key types), and the plan: PUT, ADD and DELETE on every type of stored value, on a missing
attribute and on a missing item, with the paths ReturnValues reads.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions import DocumentPath, Name, UpdateResult
from aiodynamodb_fake.expressions.legacy import LegacyUpdate, UpdateAction, attribute_updates
from aiodynamodb_fake.schema import IndexSchema, KeySchema, TableSchema

INVALID = "One or more parameter values were invalid: "
MISMATCH = "Type mismatch for attribute to update"
KEY = {"pk": {"S": "k"}}


def error(updates: Any) -> str:
    with pytest.raises(ValidationException) as err:
        attribute_updates(updates)
    return str(err.value.message)


def update(updates: dict[str, Any]) -> LegacyUpdate:
    checked = attribute_updates(updates)
    assert checked is not None
    return checked


def planned(updates: dict[str, Any], item: dict[str, Any] | None) -> dict[str, Any]:
    return update(updates).plan(item, KEY).item


def plan_error(updates: dict[str, Any], item: dict[str, Any] | None) -> str:
    with pytest.raises(ValidationException) as err:
        update(updates).plan(item, KEY)
    return str(err.value.message)


def paths(*names: str) -> tuple[DocumentPath, ...]:
    return tuple(DocumentPath((Name(name),)) for name in names)


# --- shapes and the envelope ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        ("x", "Unexpected field type"),
        ({"a": "x"}, "Unexpected value type in payload"),
        ({"a": {"Action": 1, "Value": {"S": "x"}}}, "NUMBER_VALUE cannot be converted to String"),
        (
            {"a": {"Value": ["x"]}},
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
        ),
    ],
)
def test_wrong_json_kind_is_a_serialization_error(updates: Any, message: str) -> None:
    with pytest.raises(SerializationException) as err:
        attribute_updates(updates)
    assert err.value.message == message


def test_action_enum() -> None:
    assert error({"a": {"Action": "SET", "Value": {"S": "x"}}, "b": {"Action": "put"}}) == (
        "2 validation errors detected: "
        "Value 'SET' at 'attributeUpdates.a.member.action' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ADD, PUT, DELETE]; "
        "Value 'put' at 'attributeUpdates.b.member.action' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ADD, PUT, DELETE]"
    )


def test_absent_and_empty() -> None:
    assert attribute_updates(None) is None
    empty = update({})
    assert empty.actions == () and empty.plan(None, KEY) == UpdateResult(dict(KEY), (), ())


# --- each entry's rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", [{}, {"Action": "PUT"}, {"Action": "ADD"}, {"x": "whatever"}])
def test_only_delete_goes_without_a_value(entry: dict[str, Any]) -> None:
    assert (
        error({"a": entry}) == INVALID + "Only DELETE action is allowed when no attribute value is specified"
    )


@pytest.mark.parametrize(
    "value",
    [{"S": "1"}, {"N": "1"}, {"B": b"b"}, {"NULL": True}, {"BOOL": True}, {"M": {}}, {"L": []}],
)
def test_delete_takes_only_a_set(value: Any) -> None:
    message = INVALID + f"DELETE action with value is not supported for the type {next(iter(value))}"
    assert error({"a": {"Action": "DELETE", "Value": value}}) == message


@pytest.mark.parametrize("value", [{"S": "1"}, {"B": b"b"}, {"NULL": True}, {"BOOL": True}, {"M": {}}])
def test_add_takes_a_number_a_set_or_a_list(value: Any) -> None:
    assert error({"a": {"Action": "ADD", "Value": value}}) == (
        INVALID + f"ADD action is not supported for the type {next(iter(value))}"
    )


def test_null_entry() -> None:
    assert (
        error({"a": None})
        == "Supplied AttributeValueUpdate is empty, must contain one of the supported actions: a is null"
    )


def test_the_value_is_checked_before_the_action() -> None:
    assert error({"a": {"Action": "ADD", "Value": {"SS": []}}}) == INVALID + "An string set  may not be empty"
    assert error({"a": {"Action": "DELETE", "Value": {}}}) == (
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )


def test_entries_are_checked_in_request_order() -> None:
    updates = {"z": {"Action": "DELETE", "Value": {"S": "x"}}, "a": {"Action": "ADD", "Value": {"S": "x"}}}
    assert error(updates) == INVALID + "DELETE action with value is not supported for the type S"


def test_what_an_update_writes_is_bounded_by_the_item_size() -> None:
    big = {"S": "x" * 250_000}
    assert error({"a": {"Value": big}, "b": {"Action": "ADD", "Value": {"L": [big]}}}) == (
        "Item size to update has exceeded the maximum allowed size"
    )
    # DELETE writes nothing, so its value does not count.
    update({"a": {"Value": big}, "b": {"Action": "DELETE", "Value": {"SS": ["x" * 250_000]}}})


def test_actions_are_normalised() -> None:
    checked = update(
        {
            "a": {"Value": {"N": "1.50"}},
            "b": {"Action": "DELETE"},
            "c": {"Action": "ADD", "Value": {"NS": ["1e2"]}},
        }
    )
    assert checked.actions == (
        UpdateAction("a", "PUT", {"N": "1.5"}),
        UpdateAction("b", "DELETE", None),
        UpdateAction("c", "ADD", {"NS": ["100"]}),
    )
    assert checked.paths == paths("a", "b", "c")


# --- against the table ----------------------------------------------------------------------------

SCHEMA = TableSchema(
    name="t",
    arn="arn:aws:dynamodb:us-east-1:000000000000:table/t",
    key=KeySchema("pk", "S", "sk", "N"),
    attribute_definitions=(("pk", "S"), ("sk", "N"), ("g", "S"), ("l", "N")),
    billing_mode="PAY_PER_REQUEST",
    throughput=None,
    global_indexes=(IndexSchema("by_g", True, KeySchema("g", "S", "sk", "N"), "ALL"),),
    local_indexes=(IndexSchema("by_l", False, KeySchema("pk", "S", "l", "N"), "ALL"),),
)


def table_error(updates: dict[str, Any]) -> str:
    with pytest.raises(ValidationException) as err:
        update(updates).check_table(SCHEMA)
    return str(err.value.message)


@pytest.mark.parametrize(
    ("updates", "name"),
    [
        ({"pk": {"Value": {"S": "x"}}}, "pk"),
        ({"a": {"Value": {"S": "x"}}, "sk": {"Action": "DELETE"}}, "sk"),
        ({"sk": {"Action": "ADD", "Value": {"N": "1"}}, "pk": {"Action": "DELETE"}}, "pk"),
    ],
)
def test_key_attributes_cannot_be_updated(updates: dict[str, Any], name: str) -> None:
    """dynalite's 'trying to update key' / 'range key' tests: the key schema's first, hash first."""
    assert (
        table_error(updates) == INVALID + f"Cannot update attribute {name}. This attribute is part of the key"
    )


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        ({"g": {"Value": {"N": "1"}}}, "Type mismatch for Index Key g Expected: S Actual: N IndexName: by_g"),
        (
            {"l": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
            "Type mismatch for Index Key l Expected: N Actual: NS IndexName: by_l",
        ),
        (
            {"a": {"Value": {"S": "x"}}, "l": {"Value": {"S": "x"}}, "g": {"Value": {"N": "1"}}},
            "Type mismatch for Index Key g Expected: S Actual: N IndexName: by_g",
        ),
    ],
)
def test_index_key_types(updates: dict[str, Any], message: str) -> None:
    """dynalite's 'trying to update wrong type on index' (its db.validateUpdates)."""
    assert table_error(updates) == INVALID + message


def test_table_checks_accept_valid_updates() -> None:
    update(
        {"g": {"Value": {"S": "x"}}, "l": {"Action": "ADD", "Value": {"N": "2"}}, "x": {"Action": "DELETE"}}
    ).check_table(SCHEMA)
    update({"g": {"Action": "DELETE"}}).check_table(SCHEMA)


# --- the plan -------------------------------------------------------------------------------------

STORED: dict[str, Any] = {
    "pk": {"S": "k"},
    "s": {"S": "x"},
    "n": {"N": "1.5"},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "l": {"L": [{"S": "a"}]},
    "m": {"M": {"a": {"N": "1"}}},
    "t": {"BOOL": False},
    "z": {"NULL": True},
}
PUT_VALUES = [
    {"S": "v"},
    {"N": "7"},
    {"B": b"\x09"},
    {"BOOL": True},
    {"NULL": True},
    {"SS": ["q"]},
    {"L": []},
    {"M": {}},
]


@pytest.mark.parametrize("value", PUT_VALUES)
@pytest.mark.parametrize("name", ["s", "n", "ss", "l", "m", "t", "z", "missing"])
def test_put_writes_the_value_whatever_was_there(name: str, value: Any) -> None:
    new = planned({name: {"Action": "PUT", "Value": value}}, STORED)
    assert new == {**STORED, name: value}


@pytest.mark.parametrize("name", [*STORED.keys() - {"pk"}, "missing"])
def test_delete_without_a_value_removes_the_attribute(name: str) -> None:
    assert planned({name: {"Action": "DELETE"}}, STORED) == {k: v for k, v in STORED.items() if k != name}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ss", {"SS": ["a", "c"]}, {"SS": ["b"]}),
        ("ss", {"SS": ["b", "a"]}, None),
        ("ns", {"NS": ["1.0"]}, {"NS": ["2"]}),
        ("ns", {"NS": ["3"]}, {"NS": ["1", "2"]}),
        ("bs", {"BS": [b"\x02"]}, {"BS": [b"\x01"]}),
        ("missing", {"SS": ["a"]}, None),
    ],
)
def test_delete_removes_set_members(name: str, value: Any, expected: Any) -> None:
    """A set left empty removes the attribute; DELETE on a missing attribute does nothing."""
    new = planned({name: {"Action": "DELETE", "Value": value}}, STORED)
    assert new.get(name) == expected and {k: v for k, v in new.items() if k != name} == {
        k: v for k, v in STORED.items() if k != name
    }


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("n", {"N": "2"}, {"N": "3.5"}),
        ("n", {"N": "-1.5"}, {"N": "0"}),
        ("missing", {"N": "-4"}, {"N": "-4"}),
        ("ss", {"SS": ["c", "a"]}, {"SS": ["a", "b", "c"]}),
        ("ns", {"NS": ["2.0", "3"]}, {"NS": ["1", "2", "3"]}),
        ("bs", {"BS": [b"\x03"]}, {"BS": [b"\x01", b"\x02", b"\x03"]}),
        ("missing", {"BS": [b"\x03"]}, {"BS": [b"\x03"]}),
        # ADD on a list appends (unlike an UpdateExpression's ADD), duplicates kept.
        ("l", {"L": [{"S": "a"}, {"N": "1"}]}, {"L": [{"S": "a"}, {"S": "a"}, {"N": "1"}]}),
        ("l", {"L": []}, {"L": [{"S": "a"}]}),
        ("missing", {"L": [{"S": "a"}]}, {"L": [{"S": "a"}]}),
    ],
)
def test_add(name: str, value: Any, expected: Any) -> None:
    """dynalite's 'add numerical value / set value / list value' and 'throw away duplicate' tests."""
    assert planned({name: {"Action": "ADD", "Value": value}}, STORED)[name] == expected


@pytest.mark.parametrize(
    ("name", "action", "value"),
    [
        ("ss", "DELETE", {"NS": ["1"]}),
        ("ss", "DELETE", {"BS": [b"a"]}),
        ("n", "DELETE", {"NS": ["1"]}),
        ("s", "DELETE", {"SS": ["x"]}),
        ("l", "DELETE", {"SS": ["a"]}),
        ("ss", "ADD", {"NS": ["1"]}),
        ("ns", "ADD", {"N": "1"}),
        ("n", "ADD", {"NS": ["1"]}),
        ("s", "ADD", {"N": "1"}),
        ("t", "ADD", {"N": "1"}),
        ("z", "ADD", {"L": []}),
        ("m", "ADD", {"L": [{"N": "1"}]}),
        ("ss", "ADD", {"L": [{"S": "a"}]}),
        ("l", "ADD", {"SS": ["a"]}),
        ("l", "ADD", {"N": "1"}),
    ],
)
def test_add_and_delete_on_another_type(name: str, action: str, value: Any) -> None:
    """dynalite's 'trying to delete/add incorrect types' test (run against DynamoDB)."""
    assert plan_error({name: {"Action": action, "Value": value}}, STORED) == MISMATCH


def test_add_keeps_dynamodbs_number_limits() -> None:
    big = "9" * 38 + "E+88"
    assert plan_error({"n": {"Action": "ADD", "Value": {"N": big}}}, {"n": {"N": big}}) == (
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )
    assert plan_error({"n": {"Action": "ADD", "Value": {"N": "1E-50"}}}, {"n": {"N": "1"}}) == (
        "Attempting to store more than 38 significant digits in a Number"
    )


def test_actions_apply_in_request_order_and_the_first_error_wins() -> None:
    updates = {
        "s": {"Action": "DELETE"},
        "n": {"Action": "ADD", "Value": {"SS": ["a"]}},
        "t": {"Action": "ADD", "Value": {"N": "1"}},
    }
    assert plan_error(updates, STORED) == MISMATCH
    result = update({"x": {"Action": "ADD", "Value": {"N": "1"}}, "y": {"Value": {"S": "y"}}}).plan(
        STORED, KEY
    )
    assert list(result.item)[-2:] == ["x", "y"]


def test_missing_item_starts_from_the_key() -> None:
    """dynalite's 'should just add valid ADD actions if nothing exists'."""
    updates = {
        "b": {"Action": "DELETE"},
        "c": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}},
        "d": {"Action": "ADD", "Value": {"N": "5"}},
        "e": {"Action": "ADD", "Value": {"SS": ["a", "b"]}},
        "f": {"Action": "ADD", "Value": {"L": [{"S": "a"}, {"N": "1"}]}},
    }
    result = update(updates).plan(None, KEY)
    assert result == UpdateResult(
        {**KEY, "d": {"N": "5"}, "e": {"SS": ["a", "b"]}, "f": {"L": [{"S": "a"}, {"N": "1"}]}},
        (),
        paths("d", "e", "f"),
    )
    assert update({}).plan(None, None).item == {}


def test_paths_for_return_values() -> None:
    """UPDATED_OLD: the updated attributes the old item had; UPDATED_NEW: those the new item has
    (dynalite's 'delete normal values and return updated new', 'updated old values')."""
    updates = {
        "s": {"Action": "DELETE"},
        "n": {"Value": {"N": "2"}},
        "ss": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}},
        "ns": {"Action": "DELETE", "Value": {"NS": ["1"]}},
        "new": {"Action": "ADD", "Value": {"N": "1"}},
        "gone": {"Action": "DELETE"},
    }
    result = update(updates).plan(STORED, KEY)
    assert result.old_paths == paths("s", "n", "ss", "ns")
    assert result.new_paths == paths("n", "ns", "new")


def test_the_stored_item_is_never_changed() -> None:
    stored = copy.deepcopy(STORED)
    updates = {
        "ss": {"Action": "ADD", "Value": {"SS": ["z"]}},
        "ns": {"Action": "DELETE", "Value": {"NS": ["1"]}},
        "l": {"Action": "ADD", "Value": {"L": [{"N": "2"}]}},
        "n": {"Action": "ADD", "Value": {"N": "1"}},
        "s": {"Action": "DELETE"},
    }
    result = update(updates).plan(stored, KEY)
    assert stored == STORED and result.item is not stored
    assert result.item["ss"] == {"SS": ["a", "b", "z"]} and result.item["l"] == {
        "L": [{"S": "a"}, {"N": "2"}]
    }
