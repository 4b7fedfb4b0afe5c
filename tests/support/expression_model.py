"""A plain-Python model of DynamoDB values, for the expression engine's property tests.

Items here are dicts of Python values, not AttributeValues: ``str`` (S), ``Decimal`` (N), ``bytes``
(B), ``bool`` (BOOL), ``NULL`` (NULL), non-empty ``frozenset``s of one of the first three (SS, NS,
BS), ``list`` (L) and ``dict`` (M). The reference evaluator and applier in the tests work on these,
so they share no code with the engine, which works on AttributeValues; ``to_av``/``from_av``
convert. The strategies draw from a small universe of names and values so that generated
expressions often find what they look for.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from aiodynamodb_fake.values import validate_item, validate_value

__all__ = [
    "ITEM_NAMES",
    "MAP_KEYS",
    "MISSING",
    "NULL",
    "from_av",
    "items",
    "lookup",
    "ordered",
    "paths",
    "scalars",
    "size_of",
    "tag_of",
    "to_av",
    "to_av_item",
    "typed_equal",
    "values",
]

ITEM_NAMES = ("a", "b", "c", "d")
MAP_KEYS = ("a", "b", "x")


class _Null:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL"


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


NULL: Any = _Null()
MISSING: Any = _Missing()


# --- conversion ----------------------------------------------------------------------------------


def to_av(value: Any) -> dict[str, Any]:
    """The AttributeValue for a model value (validated and normalised as the fake stores it)."""
    return validate_value(_raw_av(value))[0]


def to_av_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return validate_item({name: _raw_av(value) for name, value in item.items()})[0]


def _raw_av(value: Any) -> dict[str, Any]:
    if value is NULL:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, Decimal):
        return {"N": str(value)}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, frozenset):
        tag = tag_of(value)
        return {tag: [str(member) if tag == "NS" else member for member in value]}
    if isinstance(value, list):
        return {"L": [_raw_av(member) for member in value]}
    return {"M": {key: _raw_av(member) for key, member in value.items()}}


def from_av(av: Mapping[str, Any]) -> Any:
    (tag, raw), *_ = av.items()
    if tag == "NULL":
        return NULL
    if tag == "N":
        return Decimal(raw)
    if tag in ("S", "B", "BOOL"):
        return raw
    if tag == "NS":
        return frozenset(Decimal(member) for member in raw)
    if tag in ("SS", "BS"):
        return frozenset(raw)
    if tag == "L":
        return [from_av(member) for member in raw]
    return {key: from_av(member) for key, member in raw.items()}


# --- semantics -----------------------------------------------------------------------------------


def tag_of(value: Any) -> str:
    if value is NULL:
        return "NULL"
    if isinstance(value, frozenset):
        return {str: "SS", Decimal: "NS", bytes: "BS"}[type(next(iter(value)))]
    types = {bool: "BOOL", str: "S", Decimal: "N", bytes: "B", list: "L", dict: "M"}
    return types[type(value)]


def typed_equal(left: Any, right: Any) -> bool:
    """Equality that never mixes types (Python has ``True == Decimal(1)``)."""
    if left is MISSING or right is MISSING or tag_of(left) != tag_of(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(typed_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(typed_equal(left[key], right[key]) for key in left)
    return bool(left == right)


def ordered(left: Any, right: Any) -> bool:
    """Whether two values order against each other (same type, S, N or B)."""
    return left is not MISSING and right is not MISSING and tag_of(left) == tag_of(right) in ("S", "N", "B")


def size_of(value: Any) -> Any:
    if isinstance(value, str):
        return Decimal(len(value.encode("utf-16-le")) // 2)
    if isinstance(value, bytes | frozenset | list | dict):
        return Decimal(len(value))
    return MISSING


def lookup(item: Mapping[str, Any] | None, path: tuple[str | int, ...]) -> Any:
    current: Any = item if item is not None else {}
    for step in path:
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return MISSING
        elif not isinstance(current, dict) or step not in current:
            return MISSING
        current = current[step]
    return current


# --- strategies ----------------------------------------------------------------------------------

_TEXT = st.text(alphabet="ab\u00e9\U0001f600", max_size=3)
_NUMBERS = st.one_of(
    st.integers(-3, 3).map(Decimal),
    st.sampled_from([Decimal("0.5"), Decimal("-1.25"), Decimal("1E+3"), Decimal("10")]),
)
_BINARY = st.binary(max_size=2)


def scalars(*, ordered_only: bool = False) -> st.SearchStrategy[Any]:
    if ordered_only:
        return st.one_of(_TEXT, _NUMBERS, _BINARY)
    return st.one_of(_TEXT, _NUMBERS, _BINARY, st.booleans(), st.just(NULL))


def sets() -> st.SearchStrategy[frozenset[Any]]:
    return st.one_of(*(st.frozensets(each, min_size=1, max_size=3) for each in (_TEXT, _NUMBERS, _BINARY)))


def values(*, max_leaves: int = 6) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(scalars(), sets()),
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(st.sampled_from(MAP_KEYS), children, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def items() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(ITEM_NAMES), values(), max_size=4)


def paths(max_depth: int = 3) -> st.SearchStrategy[tuple[str | int, ...]]:
    step: st.SearchStrategy[str | int] = st.one_of(st.sampled_from(MAP_KEYS), st.integers(0, 3))
    return st.tuples(st.sampled_from(ITEM_NAMES), st.lists(step, max_size=max_depth - 1)).map(
        lambda pair: (pair[0], *pair[1])
    )
