"""What a document path points at in a model, so expression values are stored as the field stores them.

``Attr("created").lt(datetime)`` on a ``Timestamp`` field must compare numbers, and
``UpdateAttr("address.city").set("Oslo")`` must write what ``put`` would have written there. So every
value in an expression is encoded with the codec of the field its path leads to, following nested
models, ``dict[str, T]`` values and ``list[T]`` indexes. A path the model does not describe (an
attribute that is not a field, a field typed ``Any``) falls back to the generic encoding of
``aiodynamodb._values``. A path that walks through a list without an index (``items.qty``) is a
``ValueError``, as in the published package 0.0.16: DynamoDB would read it as a map key of the list.
"""

from __future__ import annotations

import types
import typing
from collections import abc
from functools import lru_cache
from typing import Any, Union

from pydantic import BaseModel

from .._codecs import Encoder
from .._values import AttributeValue, encode_omitting_none
from ..serialize import codec_for, converter_for
from .paths import DocumentPath

__all__ = ["check_path", "element_encoder", "encode_strictly", "value_encoder"]

_SEQUENCES = (list, tuple, set, frozenset, abc.Sequence, abc.MutableSequence, abc.Set, abc.MutableSet)
_MAPPINGS = (dict, abc.Mapping, abc.MutableMapping)
_UNKNOWN: Any = Any


def _field_annotation(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    return typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def _shape(annotation: Any) -> Any:
    """``annotation`` without ``Annotated`` metadata and without ``| None``, for walking into it."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _item_type(shape: Any) -> Any | None:
    """The element type of a list/tuple/set annotation, ``None`` when ``shape`` is not one."""
    if shape in (list, tuple, set, frozenset):
        return _UNKNOWN
    if typing.get_origin(shape) not in _SEQUENCES:
        return None
    args = [a for a in typing.get_args(shape) if a is not Ellipsis]
    return args[0] if len(set(args)) == 1 else _UNKNOWN


def _is_model(shape: Any) -> bool:
    return isinstance(shape, type) and issubclass(shape, BaseModel)


@lru_cache(maxsize=4096)
def check_path(model: type[BaseModel] | None, path: DocumentPath) -> Any:
    """The annotation of what ``path`` points at in ``model`` (``Any`` when the model does not say).

    Raises ``ValueError`` for a path that continues by name past a list or set field.
    """
    current: Any = model if model is not None else _UNKNOWN
    segments = path.segments
    for position, segment in enumerate(segments):
        shape = _shape(current)
        if isinstance(segment, int):
            item = _item_type(shape)
            current = _UNKNOWN if item is None else item
        elif _is_model(shape):
            current = _field_annotation(shape, segment) if segment in shape.model_fields else _UNKNOWN
        elif typing.get_origin(shape) in _MAPPINGS and len(typing.get_args(shape)) == 2:
            current = typing.get_args(shape)[1]
        else:
            current = _UNKNOWN
        following = segments[position + 1] if position + 1 < len(segments) else None
        if isinstance(following, str) and _item_type(_shape(current)) is not None:
            raise ValueError(
                f"Path '{path.text}' traverses list field '{segment}' without an index; "
                f"use an explicit index such as '{segment}[0]'"
            )
        if current is _UNKNOWN:
            return _UNKNOWN
    return current


@lru_cache(maxsize=4096)
def value_encoder(model: type[BaseModel] | None, path: DocumentPath) -> Encoder:
    """How a value at ``path`` is stored: the codec of the field there, or the generic encoding."""
    annotation = check_path(model, path)
    if annotation is _UNKNOWN:
        return encode_omitting_none
    return codec_for(annotation, converter_for)[0]


@lru_cache(maxsize=4096)
def element_encoder(model: type[BaseModel] | None, path: DocumentPath) -> Encoder:
    """How one member of the list or set at ``path`` is stored (for ``contains``); for any other field
    (``contains`` on a string is a substring test) the field's own encoder."""
    annotation = check_path(model, path)
    item = _item_type(_shape(annotation))
    if item is None:
        return value_encoder(model, path)
    if item is _UNKNOWN:
        return encode_omitting_none
    return codec_for(item, converter_for)[0]


def encode_strictly(encoder: Encoder, value: Any) -> AttributeValue:
    """``encoder(value)``, with ``None`` as NULL; a value with no DynamoDB form (an empty set) raises.

    Writing an item leaves such values out, but an expression cannot: ``ADD tags :v`` with nothing
    to add would change its meaning silently.
    """
    encoded = encoder(value)
    if encoded is not None:
        return encoded
    if value is None:
        return {"NULL": True}
    raise ValueError(f"{value!r} cannot be sent to DynamoDB as a value: it has no empty sets")
