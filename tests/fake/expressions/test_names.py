"""Tests for the ExpressionAttributeNames / ExpressionAttributeValues rules (``names.py``)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions import (
    check_unused_names,
    check_unused_values,
    parse_projection,
    require_str,
    validate_expression_attribute_names,
    validate_expression_attribute_values,
)

# --- shape errors -------------------------------------------------------------------------------


# DynamoDB's deserializer texts (``members/kinds.py``): ExpressionAttributeNames is a
# Map<String, String> field, ExpressionAttributeValues a Map<String, AttributeValue> field.
AV_CLASS = "com.amazonaws.dynamodb.v20120810.AttributeValue"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["#a"], "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>"),
        ("#a", "Unexpected field type"),
        (5, "Unexpected field type"),
        ({"#a": 5}, "NUMBER_VALUE cannot be converted to String"),
        ({"#a": 1.5}, "DECIMAL_VALUE cannot be converted to String"),
        ({"#a": True}, "TRUE_VALUE cannot be converted to String"),
        ({"#a": False}, "FALSE_VALUE cannot be converted to String"),
        ({"#a": {"S": "x"}}, "Start of structure or map found where not expected"),
        ({"#a": ["x"]}, "Unrecognized collection type class java.lang.String"),
        ({"#a": None}, "ExpressionAttributeNames[#a] must be a string, not NoneType"),
        ({5: "a"}, "Map keys must be strings"),
        ({1, 2}, "ExpressionAttributeNames must be a map, not set"),
    ],
)
def test_names_shape_errors(names: Any, message: str) -> None:
    with pytest.raises(SerializationException) as err:
        validate_expression_attribute_names(names)
    assert err.value.message == message


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([":a"], f"Unrecognized collection type java.util.Map<java.lang.String, {AV_CLASS}>"),
        (5, "Unexpected field type"),
        ({":a": "x"}, "Unexpected value type in payload"),
        ({":a": [{"S": "x"}]}, f"Unrecognized collection type class {AV_CLASS}"),
        ({(1,): {"S": "x"}}, "Map keys must be strings"),
        ({":a": None}, "ExpressionAttributeValues[:a] must be a map, not NoneType"),
    ],
)
def test_values_shape_errors(values: Any, message: str) -> None:
    with pytest.raises(SerializationException) as err:
        validate_expression_attribute_values(values)
    assert err.value.message == message


def test_require_str() -> None:
    assert require_str("x", "Thing") == "x"
    with pytest.raises(SerializationException) as err:
        require_str(object(), "Thing")
    assert err.value.message == "Thing must be a string, not object"


# --- validation errors --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["a", "#", "#a-b", "#a b", "# a", "#é", "##a", "#a#", ":a", "#a\n", ""])
def test_invalid_name_key(key: str) -> None:
    with pytest.raises(ValidationException) as err:
        validate_expression_attribute_names({"#ok": "ok", key: "x"})
    assert err.value.message == f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"'


@pytest.mark.parametrize("key", ["b", ":", ":a-b", ":é", "#a", "::a", ":a\n"])
def test_invalid_value_key(key: str) -> None:
    with pytest.raises(ValidationException) as err:
        validate_expression_attribute_values({key: {"S": "x"}})
    assert err.value.message == f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"'


def test_empty_maps() -> None:
    with pytest.raises(ValidationException) as err:
        validate_expression_attribute_names({})
    assert err.value.message == "ExpressionAttributeNames must not be empty"
    with pytest.raises(ValidationException) as err:
        validate_expression_attribute_values({})
    assert err.value.message == "ExpressionAttributeValues must not be empty"


def test_empty_name_value() -> None:
    with pytest.raises(ValidationException) as err:
        validate_expression_attribute_names({"#a": "a", "#DE": ""})
    assert (
        err.value.message
        == "ExpressionAttributeNames contains invalid value: Empty attribute name for key #DE"
    )


def test_first_bad_entry_in_request_order_is_reported() -> None:
    with pytest.raises(ValidationException) as err:
        validate_expression_attribute_names({"#a": "", "b": "b"})
    assert "key #a" in err.value.message


# --- behaviour ----------------------------------------------------------------------------------


def test_absent_maps_are_none() -> None:
    assert validate_expression_attribute_names(None) is None
    assert validate_expression_attribute_values(None) is None


def test_valid_maps_come_back_as_fresh_dicts() -> None:
    names = {"#a": "a", "#0": "zero", "#_": "any thing!", "#Aa_9": "status"}
    checked = validate_expression_attribute_names(MappingProxyType(names))
    assert checked == names
    assert isinstance(checked, dict)
    values = {":v": {"S": "x"}, ":0": {"N": "1"}, ":_": {"NULL": True}}
    assert validate_expression_attribute_values(values) == values


def test_unused_names() -> None:
    check_unused_names(None, frozenset())
    check_unused_names({"#a": "a"}, frozenset({"#a", "#other"}))
    with pytest.raises(ValidationException) as err:
        check_unused_names({"#unused": "u", "#a": "a"}, frozenset({"#a"}))
    assert (
        err.value.message
        == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"
    )


def test_several_unused_names_in_request_order() -> None:
    with pytest.raises(ValidationException) as err:
        check_unused_names({"#b": "b", "#used": "u", "#a": "a"}, frozenset({"#used"}))
    assert (
        err.value.message
        == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #a}"
    )


def test_unused_values() -> None:
    check_unused_values(None, frozenset())
    check_unused_values({":v": {"S": "x"}}, frozenset({":v"}))
    with pytest.raises(ValidationException) as err:
        check_unused_values({":v": {"S": "x"}, ":unused": {"S": "y"}}, frozenset({":v"}))
    assert (
        err.value.message
        == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    )


def test_projection_then_unused_check_as_an_operation_does_it() -> None:
    names = validate_expression_attribute_names({"#n": "name", "#extra": "x"})
    projection = parse_projection("#n, b", names)
    with pytest.raises(ValidationException) as err:
        check_unused_names(names, projection.used_names)
    assert err.value.message.endswith("keys: {#extra}")


# --- properties ---------------------------------------------------------------------------------

_KEY_CHARS = st.sampled_from(list("#:aZ09_ -é\n"))


@settings(max_examples=200, derandomize=True)
@given(
    st.one_of(
        st.none(),
        st.dictionaries(st.text(_KEY_CHARS, max_size=5), st.text(max_size=3) | st.integers(), max_size=4),
        st.lists(st.text(max_size=2), max_size=2),
        st.integers(),
    )
)
def test_names_validation_raises_only_dynamodb_errors(names: Any) -> None:
    try:
        checked = validate_expression_attribute_names(names)
    except (ValidationException, SerializationException):
        return
    if checked is not None:
        assert all(key.startswith("#") and value for key, value in checked.items())


@settings(max_examples=200, derandomize=True)
@given(
    st.one_of(
        st.none(),
        st.dictionaries(
            st.text(_KEY_CHARS, max_size=5), st.just({"S": "x"}) | st.text(max_size=2), max_size=4
        ),
        st.text(max_size=3),
    )
)
def test_values_validation_raises_only_dynamodb_errors(values: Any) -> None:
    try:
        checked = validate_expression_attribute_values(values)
    except (ValidationException, SerializationException):
        return
    if checked is not None:
        assert all(key.startswith(":") for key in checked)
