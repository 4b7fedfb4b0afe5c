"""Field types with a DynamoDB meaning: key markers, timestamps stored as numbers, JSON-text fields.

These are ``Annotated`` aliases, so pydantic sees ordinary types plus metadata: ``HashKey[str]`` is
``Annotated[str, _KeyMarker("hash")]``, ``Timestamp`` is a ``datetime`` stored as integer Unix seconds
(N), ``JSONStr[Model]`` a model stored as its JSON text (S). Each alias carries a marker object that
``aiodynamodb.serialize`` recognises, so converters for them are chosen once per model class. The
pydantic serializers and validators attached here keep ``model_dump()`` and ``Model(field=<int>)``
meaning the same as the published package (section 5 of the published API).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Literal, TypeAlias, TypeVar
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, PlainSerializer

__all__ = (
    "HashKey",
    "JSONStr",
    "KeyT",
    "RangeKey",
    "ReturnValues",
    "Timestamp",
    "TimestampMicros",
    "TimestampMillis",
    "TimestampNanos",
)

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_T = TypeVar("_T")
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class _KeyMarker:
    """Marks a field as the table's partition (``"hash"``) or sort (``"range"``) key."""

    kind: str


@dataclass(frozen=True, slots=True)
class TimestampUnit:
    """Marks a ``datetime`` field stored as an integer count of ``per_second`` units since the epoch."""

    per_second: int

    def to_number(self, value: datetime) -> int:
        """Exact integer arithmetic, truncating toward zero like ``int(d.timestamp() * k)`` means to.

        A naive datetime is read as local time, as ``datetime.timestamp()`` does and as the published
        package stores it; use aware datetimes to avoid depending on the machine's timezone.
        """
        if value.tzinfo is None:
            value = value.astimezone()
        delta = value - _UNIX_EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        if self.per_second >= 1_000_000:
            return micros * (self.per_second // 1_000_000)
        divisor = 1_000_000 // self.per_second
        return micros // divisor if micros >= 0 else -((-micros) // divisor)

    def from_number(self, value: int | Decimal | str) -> datetime:
        """The UTC-aware datetime for a stored count; sub-microsecond digits are dropped."""
        micros = int(Decimal(value) * 1_000_000 / self.per_second)
        try:
            return _UNIX_EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            # A ValueError is what pydantic reports as a validation error of the field.
            raise ValueError(f"{value} is out of range for a datetime") from None

    def validate(self, value: Any) -> Any:
        # Numbers are parsed with this unit: pydantic alone would guess the unit from the magnitude
        # and read microseconds or nanoseconds as milliseconds.
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return self.from_number(value)
        if isinstance(value, float):
            return self.from_number(Decimal(repr(value)))
        return value


_SECONDS = TimestampUnit(1)
_MILLIS = TimestampUnit(1_000)
_MICROS = TimestampUnit(1_000_000)
_NANOS = TimestampUnit(1_000_000_000)

Timestamp: TypeAlias = Annotated[
    datetime, PlainSerializer(_SECONDS.to_number), BeforeValidator(_SECONDS.validate), _SECONDS
]
TimestampMillis: TypeAlias = Annotated[
    datetime, PlainSerializer(_MILLIS.to_number), BeforeValidator(_MILLIS.validate), _MILLIS
]
TimestampMicros: TypeAlias = Annotated[
    datetime, PlainSerializer(_MICROS.to_number), BeforeValidator(_MICROS.validate), _MICROS
]
TimestampNanos: TypeAlias = Annotated[
    datetime, PlainSerializer(_NANOS.to_number), BeforeValidator(_NANOS.validate), _NANOS
]
DynamoUUID: TypeAlias = Annotated[UUID, PlainSerializer(str)]


class JSONMarker:
    """Marks a model field stored as its JSON text (S) rather than as a map (M)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "JSONMarker()"


_JSON = JSONMarker()


def _dump_json(value: BaseModel) -> str:
    return value.model_dump_json()


def _load_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


JSONStr: TypeAlias = Annotated[_M, PlainSerializer(_dump_json), BeforeValidator(_load_json), _JSON]

# For type checkers these are just ``T``; at runtime pydantic finds the marker in the field metadata.
HashKey: TypeAlias = Annotated[_T, _KeyMarker("hash")]
RangeKey: TypeAlias = Annotated[_T, _KeyMarker("range")]

KeyT: TypeAlias = int | str | bytes | datetime | IntEnum | StrEnum | UUID | Decimal | float

ReturnValues: TypeAlias = Literal["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]
