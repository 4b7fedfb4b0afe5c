"""DynamoDB's SerializationException texts for a value of the wrong JSON kind: the one place they
are written, used by every path that reads a request (members, item values, expression names).

DynamoDB's deserializer words a wrong kind by the Java type it was reading into and by where the
value sits: in a structure's field, or inside a list or a map (``Target``). The texts are those of
dynalite's type tests (test/helpers.js ``assertType``, run against DynamoDB, current in its v3
releases), which agree with 2023-2026 user reports of real responses ("NUMBER_VALUE cannot be
converted to String", "Unexpected value type in payload"). Older DynamoDB said "class
java.lang.Boolean can not be converted to an String" and "Start of list found where not expected";
neither is used now, and Jackson's own token names (``VALUE_TRUE``) never were DynamoDB's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import SerializationException

__all__ = [
    "ATTRIBUTE_MAP",
    "ATTRIBUTE_MAP_IN_LIST",
    "ATTRIBUTE_VALUE",
    "BLOB",
    "BOOLEAN",
    "INTEGER",
    "JAVA_LONG_MAX",
    "JAVA_LONG_MIN",
    "LIST",
    "LONG",
    "LONG_OVERFLOW",
    "PARAMETERIZED",
    "START_OF_OBJECT",
    "STRING",
    "STRING_MAP",
    "Target",
    "java_class",
    "kind_message",
    "map_of",
    "structure",
    "wrong_kind",
]

_MODEL = "com.amazonaws.dynamodb.v20120810."
_SCALAR_CLASSES = {
    "String": "java.lang.String",
    "Boolean": "java.lang.Boolean",
    "Integer": "java.lang.Integer",
    "Long": "java.lang.Long",
    "Blob": "java.nio.ByteBuffer",
}
START_OF_OBJECT: Final = "Start of structure or map found where not expected"
UNEXPECTED_FIELD: Final = "Unexpected field type"
UNEXPECTED_VALUE: Final = "Unexpected value type in payload"
UNEXPECTED_TOKEN: Final = "Unexpected token received from parser"
NOT_BASE64: Final = "only base-64-encoded strings are convertible to bytes"
# A scalar where a list or map sits inside another list or map (a BatchWriteItem table's requests, a
# BatchGetItem key): DynamoDB's deserializer fails on its own generics, and says so.
PARAMETERIZED: Final = (
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class "
    "are in module java.base of loader 'bootstrap')"
)
# An Integer or Long member is read into a Java long: a number outside it never reaches validation.
# choice: the text (no source shows DynamoDB's), worded like its other conversion failures.
JAVA_LONG_MIN: Final = -(2**63)
JAVA_LONG_MAX: Final = 2**63 - 1
LONG_OVERFLOW: Final = "NUMBER_VALUE cannot be converted to Long"
# Ours, for Python values JSON cannot carry (None inside a container, bytes for a string, objects):
# DynamoDB never sees them.
_DESCRIPTIONS = {
    "String": "a string",
    "Boolean": "a boolean",
    "Integer": "an integer",
    "Long": "an integer",
    "Blob": "binary",
    "List": "a list",
    "Map": "a map",
    "Structure": "a map",
}


def java_class(shape: str) -> str:
    """The Java class DynamoDB names a model shape by (``AttributeValue``), or ``shape`` if it is one."""
    return shape if "." in shape else _MODEL + shape


@dataclass(frozen=True, slots=True)
class Target:
    """What DynamoDB's deserializer was reading when it met a value: a Java type, and where.

    ``kind`` is ``String``, ``Boolean``, ``Integer``, ``Long``, ``Blob``, ``List``, ``Map`` or
    ``Structure``; ``java`` is a map's value class or a structure's class; ``in_collection`` is True
    for a value inside a list or a map, False for a structure's field.
    """

    kind: str
    java: str = ""
    in_collection: bool = False


STRING: Final = Target("String")
BOOLEAN: Final = Target("Boolean")
INTEGER: Final = Target("Integer")
LONG: Final = Target("Long")
BLOB: Final = Target("Blob")
LIST: Final = Target("List")


def map_of(value_shape: str, *, in_collection: bool = False) -> Target:
    """A map whose values are ``value_shape`` (a model shape or a Java class)."""
    return Target("Map", java_class(value_shape), in_collection)


def structure(shape: str, *, in_collection: bool = False) -> Target:
    return Target("Structure", java_class(shape), in_collection)


STRING_MAP: Final = map_of("java.lang.String")  # ExpressionAttributeNames
ATTRIBUTE_MAP: Final = map_of("AttributeValue")  # Item, Key, ExpressionAttributeValues, an M's value
ATTRIBUTE_MAP_IN_LIST: Final = map_of("AttributeValue", in_collection=True)  # one of BatchGetItem's Keys
ATTRIBUTE_VALUE: Final = structure("AttributeValue", in_collection=True)  # a value in an item or an L


def _token(value: Any) -> str | None:
    """The deserializer's name for a JSON scalar, None for a value JSON has no scalar for."""
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, int):
        return "NUMBER_VALUE"
    if isinstance(value, float):
        return "DECIMAL_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    return None


def kind_message(value: Any, target: Target, member: str = "") -> str:
    """The text of ``wrong_kind``; ``value`` must not be of ``target``'s kind."""
    kind = target.kind
    if isinstance(value, Mapping):
        return START_OF_OBJECT
    if isinstance(value, list | tuple):
        if kind == "Map":
            return f"Unrecognized collection type java.util.Map<java.lang.String, {target.java}>"
        if kind == "Structure":
            return f"Unrecognized collection type class {target.java}"
        return f"Unrecognized collection type class {_SCALAR_CLASSES.get(kind, 'java.util.List')}"
    token = _token(value)
    if token is None:
        expected = _DESCRIPTIONS.get(kind, "a value")
        return f"{member or 'A value'} must be {expected}, not {type(value).__name__}"
    if kind in ("List", "Map"):
        return PARAMETERIZED if target.in_collection else UNEXPECTED_FIELD
    if kind == "Structure":
        return UNEXPECTED_VALUE if target.in_collection else UNEXPECTED_FIELD
    if kind == "Blob":
        return NOT_BASE64
    if kind == "Boolean" and token == "STRING_VALUE":
        return UNEXPECTED_TOKEN
    # choice: a decimal where an Integer or Long is read; dynalite's tests do not send one.
    return f"{token} cannot be converted to {kind}"


def wrong_kind(value: Any, target: Target, member: str = "") -> SerializationException:
    """The SerializationException DynamoDB answers ``value`` with where it expected ``target``.

    ``member`` names the member only in the text for a Python value JSON cannot carry (ours).
    """
    return SerializationException(kind_message(value, target, member))
