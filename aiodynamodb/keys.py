"""Primary keys: building them from ``hash_key``/``range_key`` arguments and comparing them as DynamoDB does.

A key value is validated and stored with its field's own type (a ``Timestamp`` range key becomes an
N, an enum its value). ``key_identity`` gives a hashable form in which keys DynamoDB considers equal
are equal: numbers compare numerically (``"1"`` and ``"1.0"`` are one key, see "Numbers" in
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import Any

from ._values import AttributeValue, decode, encode
from .models import DynamoModel, table_meta
from .serialize import converter_for

__all__ = [
    "KeyIdentity",
    "build_key",
    "describe_key",
    "key_identity",
    "key_names",
    "resource_key",
    "wire_key",
]

# A string, a Decimal, ("B", bytes), or a pair of those for a key with a sort key. Batch calls keep
# one per key for their whole length; made of atomic values only, the garbage collector ignores them.
KeyIdentity = Hashable


def key_names(model: type[DynamoModel]) -> tuple[str, ...]:
    meta = table_meta(model)
    return (meta.hash_key,) if meta.range_key is None else (meta.hash_key, meta.range_key)


def build_key(model: type[DynamoModel], hash_key: Any, range_key: Any = None) -> dict[str, AttributeValue]:
    """The ``Key`` map for this model's table.

    A ``range_key`` for a table without one is ignored, as the published package does; a missing
    ``range_key`` on a table that has one is a ``ValueError`` here rather than a service error.
    """
    meta = table_meta(model)
    converter = converter_for(model)
    if hash_key is None:
        raise ValueError(f"hash_key is required for {model.__name__} (table {meta.table_name!r})")
    key = {meta.hash_key: converter.encode_key_value(meta.hash_key, hash_key)}
    if meta.range_key is not None:
        if range_key is None:
            raise ValueError(
                f"range_key is required for {model.__name__}: table {meta.table_name!r} "
                f"has the sort key {meta.range_key!r}"
            )
        key[meta.range_key] = converter.encode_key_value(meta.range_key, range_key)
    return key


def _component(value: AttributeValue) -> Hashable:
    """One key attribute's identity: its string, its number as a ``Decimal``, or ``("B", bytes)``.

    A string and a number never compare equal; bytes are tagged so that they are never compared
    with a string either (which ``python -b`` warns about).
    """
    text: str | None = value.get("S")
    if text is not None:
        return text
    number = value.get("N")
    if number is not None:
        return Decimal(number)
    binary = value.get("B")
    if binary is not None:
        return ("B", bytes(binary))
    raise ValueError(f"a key attribute must be S, N or B, got {value!r}")


def key_identity(item: Mapping[str, AttributeValue], names: tuple[str, ...]) -> KeyIdentity:
    """Hashable form of the key of ``item`` (an item or a key map); raises ``KeyError`` if one is missing."""
    if len(names) == 1:
        return _component(item[names[0]])
    return tuple(_component(item[name]) for name in names)


def describe_key(item: Mapping[str, AttributeValue], names: tuple[str, ...]) -> str:
    """``{'user_id': 'u1'}``: the key as plain values, for error messages."""
    return repr({name: decode(item[name]) for name in names if name in item})


def resource_key(key: Mapping[str, AttributeValue]) -> dict[str, Any]:
    """A ``LastEvaluatedKey`` as boto3's resource layer hands it out: ``{"pk": "a", "n": Decimal("1")}``.

    The published ``QueryResult.last_evaluated_key`` had that form, and users pass it back as
    ``exclusive_start_key``; ``wire_key`` reads it back.
    """
    out: dict[str, Any] = {}
    for name, value in key.items():
        if "N" in value:
            out[name] = Decimal(value["N"])
        elif "B" in value:
            out[name] = bytes(value["B"])
        else:
            out[name] = decode(value)
    return out


def wire_key(key: Mapping[str, Any]) -> dict[str, AttributeValue]:
    """An ``ExclusiveStartKey`` in DynamoDB's format, from the resource form ``resource_key`` gives or
    from a key already in the wire format (``{"pk": {"S": "a"}}``, as a low-level response has it).

    The two cannot be confused: a key attribute is a string, number or bytes, never a map.
    """
    out: dict[str, AttributeValue] = {}
    for name, value in key.items():
        if isinstance(value, Mapping):
            out[name] = dict(value)
        elif isinstance(value, str):
            out[name] = {"S": value}
        elif isinstance(value, bytes | bytearray):
            out[name] = {"B": bytes(value)}
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            out[name] = encode(value)
        elif hasattr(value, "value") and isinstance(value.value, bytes):  # boto3's Binary wrapper
            out[name] = {"B": bytes(value.value)}
        else:
            raise TypeError(f"exclusive_start_key[{name!r}] must be a string, number or bytes, got {value!r}")
    return out
