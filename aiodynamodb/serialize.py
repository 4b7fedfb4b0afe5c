"""Model instances <-> DynamoDB items, with converters built once per model class.

``converter_for(Model)`` reads the model's field annotations once and picks, per field (see
``_codecs``), an encoder (value -> AttributeValue, or ``None`` to omit the attribute) and a decoder
(AttributeValue -> a value pydantic validates without further guessing: an ``int`` field gets
``int``, a ``float`` field ``float``). Writing reads field values straight from the instance instead
of calling ``model_dump``; models whose dump pydantic would change (``@field_serializer``,
``@model_serializer``, computed fields, ``extra="allow"``) and fields carrying foreign pydantic
serializers go through pydantic's serializer first, so what is stored is what
``model_dump(mode="python", exclude_none=True)`` says. Reading decodes every attribute and validates
once with ``model_validate``; projected items are validated field by field and built with
``model_construct`` (absent required fields stay unset).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._codecs import Decoder, Encoder, codec_for
from ._values import AttributeValue, decode, encode_omitting_none
from .custom_types import _KeyMarker

__all__ = ["FieldCodec", "ModelConverter", "codec_for", "converter_for"]

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class FieldCodec:
    """How one field is written and read; ``annotation`` is the field's full type, for key checks."""

    name: str
    validation_key: str
    annotation: Any
    encode: Encoder
    decode: Decoder


def _field_annotation(model: type[BaseModel], name: str) -> Any:
    """The field's annotation with its pydantic metadata put back (pydantic splits ``Annotated``)."""
    info = model.model_fields[name]
    if info.metadata:
        return typing.Annotated[(info.annotation, *info.metadata)]
    return info.annotation


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model class of a field typed as a model (possibly ``Annotated`` or optional)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _nested_model(typing.get_args(annotation)[0])
    if origin is not None:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _nested_model(members[0]) if len(members) == 1 else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _dump_is_custom(model: type[BaseModel]) -> bool:
    """Whether ``model_dump`` differs from the field values (then we must ask pydantic for it)."""
    decorators = model.__pydantic_decorators__
    return bool(
        decorators.field_serializers
        or decorators.model_serializers
        or model.model_computed_fields
        or model.model_config.get("extra") == "allow"
    )


class ModelConverter:
    """Item encoding and decoding for one model class; get it from ``converter_for``."""

    __slots__ = (
        "_by_attribute",
        "_custom_dump",
        "_decoders",
        "_encoders",
        "_fields",
        "_partial_adapters",
        "_plain_key_types",
        "model",
    )

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self._custom_dump = _dump_is_custom(model)
        fields: list[FieldCodec] = []
        for name, info in model.model_fields.items():
            if info.exclude:
                continue
            annotation = _field_annotation(model, name)
            enc, dec = codec_for(annotation, converter_for)
            alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
            fields.append(FieldCodec(name, alias or name, annotation, enc, dec))
        self._by_attribute = {f.name: f for f in fields}
        # Flat tables for the per-item loops (no attribute lookups on FieldCodec there).
        self._encoders = tuple((f.name, f.encode) for f in fields)
        self._decoders = {f.name: (f.validation_key, f.decode) for f in fields}
        self._partial_adapters: dict[str, TypeAdapter[Any]] = {}
        # Fields of plain str/int with no constraints: a value of that exact type needs no validation.
        self._plain_key_types = {
            name: info.annotation
            for name, info in model.model_fields.items()
            if info.annotation in (str, int) and all(isinstance(m, _KeyMarker) for m in info.metadata)
        }

    @property
    def fields(self) -> Mapping[str, FieldCodec]:
        return self._by_attribute

    def to_dynamo(self, instance: BaseModel) -> dict[str, AttributeValue]:
        """The item for ``instance``; ``None`` fields and empty sets are left out."""
        if self._custom_dump:
            dumped = instance.model_dump(mode="python", exclude_none=True)
            return {k: av for k, v in dumped.items() if (av := encode_omitting_none(v)) is not None}
        values = instance.__dict__
        out: dict[str, AttributeValue] = {}
        for name, encode_field in self._encoders:
            value = values.get(name)
            if value is not None:
                av = encode_field(value)
                if av is not None:
                    out[name] = av
        return out

    def decode_fields(self, item: Mapping[str, AttributeValue]) -> dict[str, Any]:
        """Plain values keyed for ``model_validate``; attributes that are not fields are dropped."""
        decoders = self._decoders
        data: dict[str, Any] = {}
        for attribute, av in item.items():
            found = decoders.get(attribute)
            if found is not None:
                data[found[0]] = found[1](av)
            elif self._custom_dump:
                data[attribute] = decode(av)
        return data

    def from_dynamo(self, item: Mapping[str, AttributeValue]) -> Any:
        return self.model.model_validate(self.decode_fields(item))

    def from_partial(self, item: Mapping[str, AttributeValue]) -> Any:
        """A model from a projected item: present fields validated one by one, absent required ones unset.

        Absent optional fields get their defaults (``model_construct`` fills them in). A nested model
        projected in part (``address.city``) becomes a partial nested model the same way.
        """
        values: dict[str, Any] = {}
        for attribute, av in item.items():
            field = self._by_attribute.get(attribute)
            if field is None:
                continue
            adapter = self._partial_adapters.get(attribute)
            if adapter is None:
                adapter = TypeAdapter(field.annotation)
                self._partial_adapters[attribute] = adapter
            try:
                values[attribute] = adapter.validate_python(field.decode(av))
            except ValidationError:
                nested = _nested_model(field.annotation)
                if nested is None or "M" not in av:
                    raise
                values[attribute] = converter_for(nested).from_partial(av["M"])
        return self.model.model_construct(**values)

    def encode_key_value(self, field_name: str, value: Any) -> AttributeValue:
        """A key attribute's value as the field's own type stores it (a datetime key, an int key...)."""
        field = self._by_attribute.get(field_name)
        if field is None:
            raise ValueError(f"{field_name!r} is not a field of {self.model.__name__}")
        if type(value) is self._plain_key_types.get(field_name):
            av = field.encode(value)  # already the field's type: validating it would change nothing
        else:
            adapter = self._partial_adapters.get(field_name)
            if adapter is None:
                adapter = TypeAdapter(field.annotation)
                self._partial_adapters[field_name] = adapter
            av = field.encode(adapter.validate_python(value))
        if av is None or len(av) != 1 or next(iter(av)) not in ("S", "N", "B"):
            raise TypeError(
                f"key {self.model.__name__}.{field_name} must be stored as a string, number or bytes, "
                f"got {av!r} for {value!r}"
            )
        return av


_CONVERTERS: dict[type[BaseModel], ModelConverter] = {}


def converter_for(model: type[_M]) -> ModelConverter:
    """The converter for ``model``, built on first use and kept (built once per class, not per item)."""
    converter = _CONVERTERS.get(model)
    if converter is None:
        converter = _CONVERTERS[model] = ModelConverter(model)
    return converter
