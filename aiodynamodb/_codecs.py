"""Field annotation -> (encoder, decoder): how one field's values become AttributeValues and back.

``codec_for(annotation, converters)`` is called once per field when a model's converter is built
(``aiodynamodb.serialize``). Plain scalars get module-level functions that build the AttributeValue
directly; containers get closures over their members' codecs; ``Timestamp*`` and ``JSONStr`` are
recognised by their markers; other pydantic serializers are honoured by dumping through a
``TypeAdapter``; unions and unknown types use the generic, type-dispatched path of ``_values``.
A decoder returns what pydantic validates without guessing (an ``int`` field gets ``int``).

A field typed as a model is written and read by that model's own converter. Which converter that is
is the caller's to say (``converters``, passed down explicitly rather than patched into this module
at import time), and it is looked up when a value is converted, not when the codec is built, so a
self-referencing model does not recurse while its converter is being made.
"""

from __future__ import annotations

import types
import typing
from collections import abc
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol, Union, get_args, get_origin
from uuid import UUID

from pydantic import BaseModel, PlainSerializer, TypeAdapter, WrapSerializer

from . import _values
from ._values import AttributeValue, decode, decode_number, encode_omitting_none, encode_set
from .custom_types import JSONMarker, TimestampUnit

__all__ = ["Converters", "Decoder", "Encoder", "NestedConverter", "codec_for"]

Encoder = Callable[[Any], AttributeValue | None]
Decoder = Callable[[AttributeValue], Any]


class NestedConverter(Protocol):
    """What a codec needs of a nested model's converter (``aiodynamodb.serialize.ModelConverter``)."""

    def to_dynamo(self, instance: BaseModel) -> dict[str, AttributeValue]: ...

    def decode_fields(self, item: abc.Mapping[str, AttributeValue]) -> dict[str, Any]: ...


# The converter of a model class, e.g. ``aiodynamodb.serialize.converter_for``.
Converters = Callable[[type[BaseModel]], NestedConverter]


# Scalar encoders and decoders are plain module functions rather than closures over a type: they run
# once per attribute of every item, so they avoid extra calls; anything unexpected takes the generic path.


def _enc_str(v: Any) -> AttributeValue | None:
    return {"S": v} if type(v) is str else encode_omitting_none(v)


def _enc_bool(v: Any) -> AttributeValue | None:
    return {"BOOL": v} if type(v) is bool else encode_omitting_none(v)


def _enc_int(v: Any) -> AttributeValue | None:
    return {"N": str(v)} if type(v) is int else encode_omitting_none(v)


def _enc_float(v: Any) -> AttributeValue | None:
    return {"N": _values.format_float(v)} if type(v) is float else encode_omitting_none(v)


def _enc_decimal(v: Any) -> AttributeValue | None:
    return {"N": _values.format_decimal(v)} if type(v) is Decimal else encode_omitting_none(v)


def _enc_bytes(v: Any) -> AttributeValue | None:
    return {"B": v} if type(v) is bytes else encode_omitting_none(v)


def _enc_iso(v: Any) -> AttributeValue | None:
    return {"S": v.isoformat()} if isinstance(v, date | time) else encode_omitting_none(v)


def _enc_uuid(v: Any) -> AttributeValue | None:
    return {"S": str(v)} if type(v) is UUID else encode_omitting_none(v)


def _dec_s(av: AttributeValue) -> Any:
    try:
        return av["S"]
    except KeyError:
        return decode(av)


def _dec_bool(av: AttributeValue) -> Any:
    try:
        return av["BOOL"]
    except KeyError:
        return decode(av)


def _dec_b(av: AttributeValue) -> Any:
    try:
        return bytes(av["B"])
    except KeyError:
        return decode(av)


def _int_decoder(av: AttributeValue) -> Any:
    try:
        return int(av["N"])
    except KeyError:
        return decode(av)
    except ValueError:
        return decode_number(av["N"])  # "1.5" for an int field: let validation report it


def _float_decoder(av: AttributeValue) -> Any:
    try:
        return float(av["N"])
    except KeyError:
        return decode(av)


def _decimal_decoder(av: AttributeValue) -> Any:
    try:
        return Decimal(av["N"])
    except KeyError:
        return decode(av)


_SCALARS: dict[Any, tuple[Encoder, Decoder]] = {
    str: (_enc_str, _dec_s),
    bool: (_enc_bool, _dec_bool),
    int: (_enc_int, _int_decoder),
    float: (_enc_float, _float_decoder),
    Decimal: (_enc_decimal, _decimal_decoder),
    bytes: (_enc_bytes, _dec_b),
    datetime: (_enc_iso, _dec_s),
    date: (_enc_iso, _dec_s),
    time: (_enc_iso, _dec_s),
    UUID: (_enc_uuid, _dec_s),
}


def _scalar_codec(tp: type) -> tuple[Encoder, Decoder] | None:
    return _SCALARS.get(tp)


def _timestamp_codec(unit: TimestampUnit) -> tuple[Encoder, Decoder]:
    def enc(value: Any) -> AttributeValue | None:
        if isinstance(value, datetime):
            return {"N": str(unit.to_number(value))}
        return encode_omitting_none(value)

    # The field's own validator reads the number in this unit.
    return enc, _int_decoder


def _json_codec() -> tuple[Encoder, Decoder]:
    def enc(value: Any) -> AttributeValue | None:
        if isinstance(value, BaseModel):
            return {"S": value.model_dump_json()}
        return encode_omitting_none(value)

    return enc, _dec_s


def _adapter_codec(annotation: Any) -> tuple[Encoder, Decoder]:
    """A field with a pydantic serializer we do not know: let pydantic dump it, then store the dump."""
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def enc(value: Any) -> AttributeValue | None:
        return encode_omitting_none(adapter.dump_python(value, mode="python", exclude_none=True))

    return enc, decode


def _sequence_codec(item_annotation: Any, converters: Converters) -> tuple[Encoder, Decoder]:
    item_enc, item_dec = codec_for(item_annotation, converters)

    def enc(value: Any) -> AttributeValue | None:
        if isinstance(value, list | tuple):
            return {"L": [item_enc(v) or {"NULL": True} for v in value]}
        return encode_omitting_none(value)

    def dec(av: AttributeValue) -> Any:
        items = av.get("L")
        return decode(av) if items is None else [item_dec(v) for v in items]

    return enc, dec


def _set_codec(item_annotation: Any, converters: Converters) -> tuple[Encoder, Decoder]:
    _, item_dec = codec_for(item_annotation, converters)

    def dec(av: AttributeValue) -> Any:
        numbers = av.get("NS")
        if numbers is not None:
            return {item_dec({"N": n}) for n in numbers}
        return decode(av)

    return encode_set, dec


def _mapping_codec(value_annotation: Any, converters: Converters) -> tuple[Encoder, Decoder]:
    value_enc, value_dec = codec_for(value_annotation, converters)

    def enc(value: Any) -> AttributeValue | None:
        if not isinstance(value, dict):
            return encode_omitting_none(value)
        out: dict[str, AttributeValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                key = key.value if isinstance(key, Enum) and isinstance(key.value, str) else key
                if not isinstance(key, str):
                    raise TypeError(f"DynamoDB map keys must be strings, got {type(key).__name__}: {key!r}")
            if item is not None:
                encoded = value_enc(item)
                if encoded is not None:
                    out[key] = encoded
        return {"M": out}

    def dec(av: AttributeValue) -> Any:
        members = av.get("M")
        return decode(av) if members is None else {k: value_dec(v) for k, v in members.items()}

    return enc, dec


def _model_codec(model: type[BaseModel], converters: Converters) -> tuple[Encoder, Decoder]:
    # Resolved at call time, so self-referencing models do not recurse while being built.
    def enc(value: Any) -> AttributeValue | None:
        if isinstance(value, BaseModel):
            return {"M": converters(type(value)).to_dynamo(value)}
        return encode_omitting_none(value)

    def dec(av: AttributeValue) -> Any:
        members = av.get("M")
        return decode(av) if members is None else converters(model).decode_fields(members)

    return enc, dec


_NONE_TYPES = (type(None), None)


def codec_for(annotation: Any, converters: Converters) -> tuple[Encoder, Decoder]:
    """Encoder and decoder for values of ``annotation``; unknown shapes use the generic path.

    ``converters`` gives the converter of a nested model class (see the module docstring).
    """
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = get_args(annotation)
        for meta in metadata:
            if isinstance(meta, TimestampUnit):
                return _timestamp_codec(meta)
            if isinstance(meta, JSONMarker):
                return _json_codec()
        if any(isinstance(m, PlainSerializer | WrapSerializer) for m in metadata):
            return _adapter_codec(annotation)
        return codec_for(inner, converters)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a not in _NONE_TYPES]
        if len(members) == 1:
            return codec_for(members[0], converters)
        if any(_has_own_serializer(m) for m in members):
            return _adapter_codec(annotation)
        return encode_omitting_none, decode
    args = get_args(annotation)
    if origin in (list, tuple, abc.Sequence, abc.MutableSequence):
        items = [a for a in args if a is not Ellipsis]
        if origin is not tuple or len(set(items)) <= 1:
            return _sequence_codec(items[0] if items else Any, converters)
        return encode_omitting_none, decode
    if origin in (set, frozenset, abc.Set, abc.MutableSet):
        return _set_codec(args[0] if args else Any, converters)
    if origin in (dict, abc.Mapping, abc.MutableMapping):
        return _mapping_codec(args[1] if len(args) == 2 else Any, converters)
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return encode_omitting_none, decode
        if issubclass(annotation, BaseModel):
            return _model_codec(annotation, converters)
        scalar = _scalar_codec(annotation)
        if scalar is not None:
            return scalar
    return encode_omitting_none, decode


def _has_own_serializer(annotation: Any) -> bool:
    if get_origin(annotation) is typing.Annotated:
        return any(
            isinstance(m, PlainSerializer | WrapSerializer | TimestampUnit | JSONMarker)
            for m in get_args(annotation)[1:]
        )
    return False
