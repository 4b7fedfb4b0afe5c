"""values.py: number normalisation and limits, item size, and copies that share nothing mutable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.values import (
    _check_value,
    copy_value,
    item_size,
    normalise_number,
    validate_item,
    validate_value,
)

PROPERTY = settings(max_examples=300, derandomize=True, deadline=None)


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("00042", "42"),
        ("1.0", "1"),
        ("3.1400", "3.14"),
        ("1.5E2", "150"),
        ("-0", "0"),
        ("0.000", "0"),
        (".5", "0.5"),
        ("5.", "5"),
        ("-12.5e-3", "-0.0125"),
        ("1E+125", "1" + "0" * 125),
        ("9.9999999999999999999999999999999999999E+125", "9" * 38 + "0" * 88),
        ("1E-130", "0." + "0" * 129 + "1"),
        ("-1E-130", "-0." + "0" * 129 + "1"),
        ("1" * 38, "1" * 38),
        ("1" * 38 + "000", "1" * 38 + "000"),
    ],
)
def test_canonical_form(sent: str, canonical: str) -> None:
    assert normalise_number(sent)[0] == canonical


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("", "The parameter cannot be converted to a numeric value"),
        ("abc", "The parameter cannot be converted to a numeric value: abc"),
        ("1e", "The parameter cannot be converted to a numeric value: 1e"),
        (" 1", "The parameter cannot be converted to a numeric value:  1"),
        ("NaN", "The parameter cannot be converted to a numeric value: NaN"),
        ("Infinity", "The parameter cannot be converted to a numeric value: Infinity"),
        ("0x10", "The parameter cannot be converted to a numeric value: 0x10"),
        ("١٢", "The parameter cannot be converted to a numeric value: ١٢"),
        (".", "The parameter cannot be converted to a numeric value: ."),
        (
            "1E+126",
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        (
            "-1E+126",
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        (
            "1E-131",
            "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        ),
        (
            "1e-99999999999",
            "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        ),
        ("1" * 39, "Attempting to store more than 38 significant digits in a Number"),
        ("1." + "1" * 38, "Attempting to store more than 38 significant digits in a Number"),
    ],
)
def test_number_errors(sent: str, message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        normalise_number(sent)
    assert caught.value.message == message


def significant_digits(value: Decimal) -> int:
    return len("".join(map(str, value.as_tuple().digits)).strip("0"))


in_range = (
    st.decimals(allow_nan=False, allow_infinity=False, places=None)
    .filter(lambda d: d == 0 or Decimal("1E-130") <= abs(d) < Decimal("1E+126"))
    .filter(lambda d: significant_digits(d) <= 38)
)


@PROPERTY
@given(in_range)
def test_normalisation_keeps_the_value_and_is_idempotent(value: Decimal) -> None:
    canonical, _ = normalise_number(str(value))
    assert Decimal(canonical) == value
    assert normalise_number(canonical)[0] == canonical
    assert "e" not in canonical.lower() and canonical != "-0"
    assert not canonical.startswith(("00", "-00"))
    if "." in canonical:
        assert not canonical.endswith(("0", "."))
    # every textual form of the value normalises alike
    assert normalise_number(f"{value:E}")[0] == canonical


@pytest.mark.parametrize(
    ("number", "size"),
    [("0", 1), ("1", 2), ("12", 2), ("1.2", 3), ("123", 3), ("1234", 3), ("-1", 3), ("10", 2), ("0.123", 3)],
)
def test_number_sizes(number: str, size: int) -> None:
    assert normalise_number(number)[1] == size


def test_item_size_worked_example() -> None:
    # Developer Guide, service quotas page: 23 bytes
    item = {"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}}
    assert validate_item(item)[1] == item_size(item) == 23


def test_container_sizes() -> None:
    assert validate_value({"L": [{"S": "ab"}, {"BOOL": True}]})[1] == 3 + (1 + 2) + (1 + 1)
    assert validate_value({"M": {"k": {"NULL": True}}})[1] == 3 + 1 + 1 + 1
    assert validate_value({"SS": ["ab", "é"]})[1] == 2 + 2
    assert validate_value({"BS": [b"\x00", b""]})[1] == 1


def test_nesting_limit() -> None:
    value: dict[str, Any] = {"S": "leaf"}
    for _ in range(31):
        value = {"L": [value]}
    validate_value(value)
    with pytest.raises(ValidationException) as caught:
        validate_value({"M": {"x": value}})
    assert caught.value.message == "Nesting Levels have exceeded supported limits"


def test_validated_and_echoed_copies_share_nothing_mutable() -> None:
    raw = {"m": {"M": {"l": {"L": [{"SS": ["a"]}]}}}, "b": {"B": bytearray(b"x")}}
    stored, _ = validate_item(raw)
    raw["m"]["M"]["l"]["L"][0]["SS"].append("b")
    raw["b"]["B"].extend(b"y")
    assert stored == {"m": {"M": {"l": {"L": [{"SS": ["a"]}]}}}, "b": {"B": b"x"}}
    out = {name: copy_value(value) for name, value in stored.items()}
    out["m"]["M"]["l"]["L"][0]["SS"].append("c")
    assert stored["m"]["M"]["l"]["L"][0]["SS"] == ["a"]


# --- long inputs (issue 7) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("1e" + "0" * 4400 + "1", "10"),  # leading zeros of an exponent are not significant
        ("1E-" + "0" * 4400 + "1", "0.1"),
        ("-25e+" + "0" * 5000, "-25"),
        ("0e" + "9" * 5000, "0"),
        ("0" * 5000 + "7." + "0" * 5000, "7"),
    ],
)
def test_long_forms_of_ordinary_numbers(sent: str, canonical: str) -> None:
    assert normalise_number(sent)[0] == canonical


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("1e" + "0" * 4400 + "126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        ("1e" + "9" * 4400, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        ("1e-" + "0" * 4400 + "131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
        ("1" * 5000, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        ("0." + "1" * 5000, "Attempting to store more than 38 significant digits in a Number"),
    ],
)  # fmt: skip
def test_long_numbers_are_validation_errors(sent: str, message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        normalise_number(sent)
    assert caught.value.message == message


def test_echoed_inputs_are_clipped() -> None:
    with pytest.raises(ValidationException) as caught:
        normalise_number("x" * 5000)
    assert (
        caught.value.message == "The parameter cannot be converted to a numeric value: " + "x" * 2048 + "..."
    )
    with pytest.raises(ValidationException) as caught:
        validate_value({"SS": ["a" * 3000, "a" * 3000]})
    shown = ("a" * 3000 + ", " + "a" * 3000)[:2048]
    assert (
        caught.value.message
        == f"One or more parameter values were invalid: Input collection [{shown}...] contains duplicates."
    )


# Values of every kind and shape, valid or not: what the check-only walk must judge as validate_value does.
_TEXT = st.sampled_from(["", "a", "1", "-1.5e3", "1e400", "x", "\ud800", "é", "0"])
_LEAF = st.one_of(_TEXT, st.booleans(), st.none(), st.integers(-2, 2), st.binary(max_size=2))
_RAW = st.recursive(
    _LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8
)
_KINDS = st.sampled_from(["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X"])
_VALUES = st.recursive(
    st.dictionaries(_KINDS, _RAW, max_size=2),
    lambda inner: st.one_of(
        st.dictionaries(_KINDS, inner, max_size=2),
        st.builds(lambda m: {"M": m}, st.dictionaries(_TEXT, inner, max_size=3)),
        st.builds(lambda m: {"L": m}, st.lists(inner, max_size=3)),
    ),
    max_leaves=10,
)


def _outcome(check: Any, *args: Any) -> tuple[str, str]:
    try:
        check(*args)
    except (ValidationException, SerializationException) as err:
        return type(err).__name__, err.message
    return "ok", ""


@PROPERTY
@given(_VALUES, st.integers(1, 33))
def test_checking_past_the_size_limit_judges_as_validating(value: Any, depth: int) -> None:
    assert _outcome(_check_value, value, depth) == _outcome(validate_value, value, depth)


@PROPERTY
@given(st.dictionaries(_TEXT, _VALUES, max_size=4), st.integers(0, 40))
def test_an_item_over_the_limit_gets_the_error_it_gets_without_one(item: dict[str, Any], limit: int) -> None:
    whole = _outcome(validate_item, item)
    assert _outcome(validate_item, item, limit) == whole
    if whole[0] == "ok":
        copied, size = validate_item(item)
        cut, cut_size = validate_item(item, limit)
        assert (cut_size > limit) == (size > limit)
        if size <= limit:
            assert (cut, cut_size) == (copied, size)
