"""Python values <-> DynamoDB AttributeValues when nothing but the runtime value is known.

``encode`` dispatches on the value's type (one dict lookup for the common types) and ``decode`` on the
AttributeValue's type key. ``aiodynamodb.serialize`` uses these as the fallback beneath its per-field
converters, for ``Any``, unions and values whose type differs from the annotation. Numbers follow
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html:
sent as decimal text, at most 38 significant digits, magnitude between 1E-130 and 1E+126; floats are
written with ``repr`` (the shortest text that parses back to the same float), so they round-trip
exactly, and NaN/infinity are rejected here rather than by the service.

This module knows no model converter: a pydantic model met where no annotation says what it is (an
``Any`` field, a union of models) is stored as its ``model_dump(mode="python", exclude_none=True)``,
which is what a model's converter stores too, so nothing needs to be wired in at import time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

__all__ = [
    "AttributeValue",
    "decode",
    "decode_number",
    "encode",
    "encode_omitting_none",
    "encode_set",
    "format_decimal",
    "format_float",
    "resource_value",
]

AttributeValue = dict[str, Any]


def format_float(value: float) -> str:
    """``repr`` is the shortest decimal text that reads back as the same float: no binary noise."""
    if not math.isfinite(value):
        raise ValueError(f"DynamoDB numbers cannot be NaN or infinite (got {value!r})")
    magnitude = abs(value)
    if magnitude >= 1e126:
        raise ValueError(f"{value!r} is too large for a DynamoDB number (magnitude must be < 1E+126)")
    if 0 < magnitude < 1e-130:
        raise ValueError(f"{value!r} is too small for a DynamoDB number (magnitude must be >= 1E-130)")
    return repr(value)


def format_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"DynamoDB numbers cannot be NaN or infinite (got {value!r})")
    return str(value)


def decode_number(text: str) -> int | Decimal:
    """Integral text becomes ``int``; anything else ``Decimal`` (exact, as boto3 does)."""
    try:
        return int(text)
    except ValueError:
        return Decimal(text)


def encode_set(value: set[Any] | frozenset[Any]) -> AttributeValue | None:
    """SS, NS or BS by member type; an empty set has no DynamoDB form, so it is omitted (``None``)."""
    if not value:
        return None
    members = [m.value if isinstance(m, Enum) else m for m in value]
    if all(isinstance(m, str) for m in members):
        return {"SS": members}
    if all(isinstance(m, bytes | bytearray) for m in members):
        return {"BS": [bytes(m) for m in members]}
    if all(isinstance(m, int | float | Decimal) and not isinstance(m, bool) for m in members):
        return {"NS": [_number_text(m) for m in members]}
    raise TypeError("a DynamoDB set holds only strings, only numbers or only bytes; got " + repr(value))


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(int(value))


def _encode_map(value: Mapping[Any, Any]) -> AttributeValue:
    out: dict[str, AttributeValue] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            # A str-valued enum key is stored by its value, as a typed ``dict[MyEnum, T]`` field is.
            key = key.value if isinstance(key, Enum) and isinstance(key.value, str) else key
            if not isinstance(key, str):
                raise TypeError(f"DynamoDB map keys must be strings, got {type(key).__name__}: {key!r}")
        encoded = encode_omitting_none(item)
        if encoded is not None:
            out[key] = encoded
    return {"M": out}


def _encode_list(value: list[Any] | tuple[Any, ...]) -> AttributeValue:
    # A list cannot omit an element, so None (and an empty set) inside it is stored as NULL.
    return {"L": [encode(item) for item in value]}


_BY_TYPE: dict[type, Callable[[Any], AttributeValue | None]] = {
    str: lambda v: {"S": v},
    bool: lambda v: {"BOOL": v},
    int: lambda v: {"N": str(v)},
    float: lambda v: {"N": format_float(v)},
    Decimal: lambda v: {"N": format_decimal(v)},
    bytes: lambda v: {"B": v},
    bytearray: lambda v: {"B": bytes(v)},
    type(None): lambda v: {"NULL": True},
    list: _encode_list,
    tuple: _encode_list,
    dict: _encode_map,
    set: encode_set,
    frozenset: encode_set,
    datetime: lambda v: {"S": v.isoformat()},
    date: lambda v: {"S": v.isoformat()},
    time: lambda v: {"S": v.isoformat()},
    UUID: lambda v: {"S": str(v)},
}


def encode_omitting_none(value: Any) -> AttributeValue | None:
    """The AttributeValue for ``value``; ``None`` when the value is to be left out (None, empty set)."""
    if value is None:
        return None
    encoder = _BY_TYPE.get(type(value))
    if encoder is not None:
        return encoder(value)
    return _encode_subclass(value)


def encode(value: Any) -> AttributeValue:
    """Like ``encode_omitting_none`` but always an AttributeValue (NULL for what would be omitted)."""
    encoded = encode_omitting_none(value)
    return {"NULL": True} if encoded is None else encoded


def _encode_subclass(value: Any) -> AttributeValue | None:
    # Order matters: an IntEnum is an int and an Enum, and must be stored by its value.
    if isinstance(value, Enum):
        return encode_omitting_none(value.value)
    if isinstance(value, BaseModel):
        return _encode_map(value.model_dump(mode="python", exclude_none=True))
    for base in (bool, str, int, float, Decimal, bytes, datetime, date, time, UUID, dict, list, tuple):
        if isinstance(value, base):
            return _BY_TYPE[base](value)
    if isinstance(value, set | frozenset):
        return encode_set(value)
    raise TypeError(f"cannot store a {type(value).__name__} in DynamoDB: {value!r}")


def _decode_map(value: dict[str, AttributeValue]) -> dict[str, Any]:
    return {k: decode(v) for k, v in value.items()}


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "S": lambda v: v,
    "N": decode_number,
    "BOOL": lambda v: v,
    "B": bytes,
    "NULL": lambda v: None,
    "M": _decode_map,
    "L": lambda v: [decode(item) for item in v],
    "SS": set,
    "NS": lambda v: {decode_number(n) for n in v},
    "BS": lambda v: {bytes(b) for b in v},
}


def decode(value: AttributeValue) -> Any:
    """The plain Python value of an AttributeValue (pydantic then validates it into the field type)."""
    for kind, inner in value.items():
        decoder = _DECODERS.get(kind)
        if decoder is None:
            break
        return decoder(inner)
    raise ValueError(f"not a DynamoDB AttributeValue: {value!r}")


def resource_value(value: AttributeValue) -> Any:
    """The value boto3's *resource* layer uses for an AttributeValue: numbers as ``Decimal``.

    What the published package's builders and ``to_dynamo_compatible`` hand out, kept for code written
    against them.
    """
    return _as_resource(decode(value))


def _as_resource(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, dict):
        return {k: _as_resource(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_resource(v) for v in value]
    if isinstance(value, set):
        return {_as_resource(v) for v in value}
    return value
