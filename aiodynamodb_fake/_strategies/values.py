"""Strategies for AttributeValues: numbers in their many written forms, every value type, key values.

Numbers are drawn as values (up to 38 significant digits, magnitudes 1E-130 to 1E+126, DynamoDB's
range) and then written in one of the many texts DynamoDB reads as that value (``"1.50"``,
``"15E-1"``, ``".15e1"``...), so code that compares number texts instead of values is caught. Key
values come from small pools by default, plus the extremes DynamoDB accepts, so that keys collide.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
"""

from __future__ import annotations

import functools
from decimal import Context, Decimal

from hypothesis import strategies as st

from .. import limits
from .specs import AttributeValue, KeyType

__all__ = [
    "B_POOL",
    "N_POOL",
    "S_POOL",
    "attribute_names",
    "attribute_values",
    "key_attribute_values",
    "number_forms",
    "number_texts",
    "number_values",
]

Draw = st.DrawFn

# Wide enough for 38 digits at either end of DynamoDB's range; the default context (28 digits) would
# round a 38-digit number.
_EXACT = Context(prec=400, Emax=999_999, Emin=-999_999)


@st.composite
def number_values(draw: Draw, *, max_digits: int = limits.MAX_NUMBER_DIGITS) -> Decimal:
    """Any number DynamoDB stores: up to ``max_digits`` significant digits, magnitude in
    [1E-130, 1E+126), either sign, or zero; small integers are the most common."""
    kind = draw(st.sampled_from(["small", "decimal", "wide"]))
    if kind == "small":
        return Decimal(draw(st.integers(-1000, 1000)))
    if kind == "decimal":
        return Decimal(draw(st.integers(-(10**8), 10**8))).scaleb(-draw(st.integers(0, 6)))
    digits = draw(st.integers(1, max_digits))
    coefficient = draw(st.integers(10 ** (digits - 1), 10**digits - 1))
    # the exponent of the leading digit
    adjusted = draw(st.integers(limits.MIN_NUMBER_EXPONENT, limits.MAX_NUMBER_EXPONENT))
    sign = draw(st.sampled_from([1, -1]))
    return Decimal(sign * coefficient).scaleb(adjusted - digits + 1, _EXACT)


@functools.lru_cache(maxsize=1024)
def number_forms(value: Decimal) -> st.SearchStrategy[str]:
    """One of the many texts DynamoDB reads as ``value`` (see ``_number_forms``)."""
    return _number_forms(value)


@st.composite
def _number_forms(draw: Draw, value: Decimal) -> str:
    """One of the many texts DynamoDB reads as ``value``: leading zeros, trailing zeros, a trailing
    or leading point, ``e``/``E`` exponents with or without ``+``, and ``-0`` for zero."""
    sign, digit_tuple, exponent = value.as_tuple()
    assert isinstance(exponent, int), "finite numbers only"
    coefficient = int("".join(map(str, digit_tuple)) or "0")
    while coefficient and coefficient % 10 == 0:
        coefficient //= 10
        exponent += 1
    if coefficient == 0:
        exponent = 0
        minus = draw(st.sampled_from(["", "-"]))
    else:
        minus = "-" if sign else ""
    shift = draw(st.integers(0, 3))  # trailing zeros written into the mantissa
    mantissa = str(coefficient) + "0" * shift
    exponent -= shift
    if draw(st.booleans()):  # positional notation
        if exponent >= 0:
            body = mantissa + "0" * exponent
            body += draw(st.sampled_from(["", ".", ".0", ".000"]))
        else:
            fraction_digits = -exponent
            padded = mantissa.rjust(fraction_digits + 1, "0")
            whole = padded[:-fraction_digits]
            if whole == "0" and draw(st.booleans()):
                whole = ""  # ".5"
            body = whole + "." + padded[-fraction_digits:] + "0" * draw(st.integers(0, 2))
        if body and body[0] != ".":
            body = "0" * draw(st.integers(0, 2)) + body
        return minus + body
    fraction_digits = draw(st.integers(0, len(mantissa)))
    whole, fraction = mantissa[: len(mantissa) - fraction_digits], mantissa[len(mantissa) - fraction_digits :]
    body = whole + ("." + fraction if fraction else "")
    written = exponent + fraction_digits
    exponent_text = str(written)
    if written >= 0 and draw(st.booleans()):
        exponent_text = "+" + exponent_text
    return minus + body + draw(st.sampled_from(["e", "E"])) + exponent_text


@functools.cache
def number_texts(*, max_digits: int = limits.MAX_NUMBER_DIGITS) -> st.SearchStrategy[str]:
    """Valid number texts in varied forms."""
    return number_values(max_digits=max_digits).flatmap(number_forms)


# Key pools: a handful of values, so writes collide, plus the extremes DynamoDB allows (the largest
# and smallest magnitudes, 38 digits, a 1024-byte string or binary, valid as a hash or a range key).
S_POOL = ("a", "b", "A", "ab", "é", "a b", "\U0001f600", "z" * limits.MAX_RANGE_KEY_BYTES)
N_POOL = (
    Decimal(-2), Decimal(-1), Decimal(0), Decimal(1), Decimal("1.5"), Decimal(100), Decimal("1E-5"),
    Decimal("9.9999999999999999999999999999999999999E+125"), Decimal("-1E-130"),
    Decimal("12345678901234567890123456789012345678"),
)  # fmt: skip
B_POOL = (b"\x00", b"a", b"\xff", b"\x00\x01", b"ab", b"\xfe" * limits.MAX_RANGE_KEY_BYTES)

_NAMES = ("a", "b", "c", "x", "attr", "nested", "list", "ü", "a.b", "x y", "#h", ":v")


@functools.cache
def attribute_names(exclude: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Attribute names: a few common ones (so puts overwrite attributes) and arbitrary text."""
    names = st.one_of(st.sampled_from(_NAMES), st.text(min_size=1, max_size=8))
    return names.filter(lambda name: name not in exclude) if exclude else names


@functools.cache
def _number_sets() -> st.SearchStrategy[AttributeValue]:
    values = st.lists(number_values(), min_size=1, max_size=4, unique_by=lambda d: d.normalize(_EXACT))
    return values.flatmap(lambda vs: st.tuples(*(number_forms(v) for v in vs))).map(lambda t: {"NS": list(t)})


@functools.cache
def attribute_values(*, max_leaves: int = 6) -> st.SearchStrategy[AttributeValue]:
    """Every valid AttributeValue, nested through M and L (sets never empty, never duplicated)."""
    scalars: st.SearchStrategy[AttributeValue] = st.one_of(
        st.text(max_size=12).map(lambda s: {"S": s}),
        number_texts().map(lambda n: {"N": n}),
        st.binary(max_size=12).map(lambda b: {"B": b}),
        st.booleans().map(lambda b: {"BOOL": b}),
        st.just(True).map(lambda true: {"NULL": true}),  # a fresh dict every time
        st.lists(st.text(max_size=6), min_size=1, max_size=4, unique=True).map(lambda ss: {"SS": ss}),
        _number_sets(),
        st.lists(st.binary(max_size=6), min_size=1, max_size=4, unique=True).map(lambda bs: {"BS": bs}),
    )

    def containers(children: st.SearchStrategy[AttributeValue]) -> st.SearchStrategy[AttributeValue]:
        return st.one_of(
            st.lists(children, max_size=4).map(lambda members: {"L": members}),
            st.dictionaries(st.text(max_size=6), children, max_size=4).map(lambda members: {"M": members}),
        )

    return st.recursive(scalars, containers, max_leaves=max_leaves)


@functools.cache
def key_attribute_values(kind: KeyType, *, pool: bool = True) -> st.SearchStrategy[AttributeValue]:
    """Valid key values of ``kind``; ``pool`` draws from a handful (collisions are the point), with
    numbers written in random equivalent forms."""
    if kind == "S":
        return (st.sampled_from(S_POOL) if pool else st.text(min_size=1, max_size=12)).map(lambda s: {"S": s})
    if kind == "N":
        values = st.sampled_from(N_POOL) if pool else number_values()
        return values.flatmap(number_forms).map(lambda n: {"N": n})
    return (st.sampled_from(B_POOL) if pool else st.binary(min_size=1, max_size=12)).map(lambda b: {"B": b})
