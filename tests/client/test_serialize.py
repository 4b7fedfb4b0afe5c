"""Python values <-> AttributeValues: round trips of generated models, and the rules by example."""

from __future__ import annotations

import enum
import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Context, Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, create_model, field_serializer

from aiodynamodb import DynamoModel, HashKey, table
from aiodynamodb.custom_types import JSONStr, Timestamp, TimestampMicros, TimestampMillis, TimestampNanos


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Inner(BaseModel):
    a: int
    b: str | None = None
    tags: list[str] = Field(default_factory=list)


def _dynamodb_number(text: str) -> str:
    """What DynamoDB hands back for a stored number: canonical positional notation."""
    out = format(Decimal(text).normalize(Context(prec=39)), "f")
    return "0" if out in ("-0", "0") else out


def as_stored(av: Any) -> Any:
    """An AttributeValue as DynamoDB would return it (numbers canonicalised, recursively)."""
    kind, value = next(iter(av.items()))
    if kind == "N":
        return {"N": _dynamodb_number(value)}
    if kind == "NS":
        return {"NS": [_dynamodb_number(v) for v in value]}
    if kind == "M":
        return {"M": {k: as_stored(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [as_stored(v) for v in value]}
    return av


def _whole(unit: timedelta) -> st.SearchStrategy[datetime]:
    offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    base = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=offsets)
    return base.map(lambda d: d - (d - datetime(1900, 1, 1, tzinfo=d.tzinfo)) % unit)


finite_floats = st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda f: abs(f) < 1e125 and (f == 0 or abs(f) >= 1e-129)
)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d.is_finite() and len(d.as_tuple().digits) <= 38 and -120 < d.adjusted() < 120
)
any_datetime = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)

# (name, annotation, default or ..., strategy for values)
KINDS: list[tuple[str, Any, Any, st.SearchStrategy[Any]]] = [
    ("s", str, ..., st.text()),
    ("i", int, ..., st.integers(-(10**37), 10**37)),
    ("f", float, ..., finite_floats),
    ("d", Decimal, ..., decimals),
    ("b", bool, ..., st.booleans()),
    ("raw", bytes, ..., st.binary()),
    ("dt", datetime, ..., any_datetime),
    ("day", date, ..., st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1))),
    ("uid", UUID, ..., st.uuids()),
    ("color", Color, ..., st.sampled_from(Color)),
    ("level", Level, ..., st.sampled_from(Level)),
    ("ss", set[str], set(), st.sets(st.text(max_size=5), max_size=4)),
    ("fs", frozenset[int], frozenset(), st.frozensets(st.integers(-1000, 1000), max_size=4)),
    ("fl", set[float], set(), st.sets(finite_floats, max_size=3)),
    ("li", list[int], ..., st.lists(st.integers(-(10**10), 10**10), max_size=4)),
    ("lo", list[str | None], ..., st.lists(st.none() | st.text(max_size=3), max_size=4)),
    ("tu", tuple[str, ...], ..., st.lists(st.text(max_size=3), max_size=3).map(tuple)),
    ("dm", dict[str, float], ..., st.dictionaries(st.text(max_size=4), finite_floats, max_size=3)),
    ("inner", Inner, ..., st.builds(Inner, a=st.integers(-100, 100), b=st.none() | st.text(max_size=3))),
    ("inners", list[Inner], ..., st.lists(st.builds(Inner, a=st.integers(0, 9)), max_size=3)),
    ("opt", int | None, None, st.none() | st.integers()),
    ("ts", Timestamp, ..., _whole(timedelta(seconds=1))),
    ("ms", TimestampMillis, ..., _whole(timedelta(milliseconds=1))),
    ("us", TimestampMicros, ..., _whole(timedelta(microseconds=1))),
    ("ns", TimestampNanos, ..., _whole(timedelta(microseconds=1))),
    ("js", JSONStr[Inner], ..., st.builds(Inner, a=st.integers(-5, 5), tags=st.lists(st.text(max_size=2)))),
    ("union", int | str, ..., st.integers(-99, 99) | st.text(max_size=3)),
]

_MODELS: dict[tuple[int, ...], type[DynamoModel]] = {}


def model_for(indexes: tuple[int, ...]) -> type[DynamoModel]:
    if indexes not in _MODELS:
        fields: dict[str, Any] = {"pk": (HashKey[str], ...)}
        for i in indexes:
            name, annotation, default, _ = KINDS[i]
            fields[name] = (annotation, default)
        model = create_model(f"Generated{len(_MODELS)}", __base__=DynamoModel, **fields)
        _MODELS[indexes] = table("generated")(model)
    return _MODELS[indexes]


@st.composite
def generated_models(draw: st.DrawFn) -> DynamoModel:
    indexes = tuple(sorted(draw(st.sets(st.integers(0, len(KINDS) - 1), min_size=1, max_size=8))))
    model = model_for(indexes)
    values = {KINDS[i][0]: draw(KINDS[i][3]) for i in indexes}
    return model.model_validate({"pk": draw(st.text(min_size=1, max_size=5)), **values})


@settings(max_examples=400, derandomize=True, deadline=None)
@given(generated_models())
def test_generated_models_round_trip_through_dynamodb_storage(instance: DynamoModel) -> None:
    item = instance.to_dynamo()
    assert type(instance).from_dynamo(item) == instance
    assert type(instance).from_dynamo({k: as_stored(v) for k, v in item.items()}) == instance


@settings(max_examples=300, derandomize=True)
@given(finite_floats)
def test_floats_are_stored_without_binary_noise(value: float) -> None:
    @table("f")
    class F(DynamoModel):
        pk: HashKey[str]
        x: float

    text = F(pk="p", x=value).to_dynamo()["x"]["N"]
    assert float(text) == value and float(_dynamodb_number(text)) == value
    assert len(Decimal(text).as_tuple().digits) <= 17


@table("things")
class Thing(DynamoModel):
    pk: HashKey[str]
    x: float = 0.0
    tags: set[str] = Field(default_factory=set)
    note: str | None = None
    inner: Inner | None = None
    when: datetime | None = None
    ts: Timestamp | None = None
    nanos: TimestampNanos | None = None
    js: JSONStr[Inner] | None = None
    uid: UUID | None = None
    color: Color | None = None
    level: Level | None = None
    data: dict[str, Any] = Field(default_factory=dict)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="NaN or infinite"):
        Thing(pk="p", x=bad).to_dynamo()


@pytest.mark.parametrize("bad", [1e126, -1e200, 1e-131, 5e-324])
def test_numbers_out_of_dynamodb_range_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match=r"too (large|small)"):
        Thing(pk="p", x=bad).to_dynamo()


def test_the_rules_by_example() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    thing = Thing(
        pk="p",
        x=0.1,
        tags=set(),
        inner=Inner(a=1),
        when=when,
        ts=when,
        nanos=when,
        js=Inner(a=2),
        uid=UUID(int=1),
        color=Color.RED,
        level=Level.HIGH,
        data={"n": None, "k": [1, None], "e": set()},
    )
    assert thing.to_dynamo() == {
        "pk": {"S": "p"},
        "x": {"N": "0.1"},
        "inner": {"M": {"a": {"N": "1"}, "tags": {"L": []}}},
        "when": {"S": "2026-01-02T03:04:05.678901+00:00"},
        "ts": {"N": "1767323045"},
        "nanos": {"N": "1767323045678901000"},
        "js": {"S": '{"a":2,"b":null,"tags":[]}'},
        "uid": {"S": "00000000-0000-0000-0000-000000000001"},
        "color": {"S": "red"},
        "level": {"N": "2"},
        "data": {"M": {"k": {"L": [{"N": "1"}, {"NULL": True}]}}},
    }
    back = Thing.from_dynamo(thing.to_dynamo())
    assert back.ts == when.replace(microsecond=0) and back.nanos == when and back.js == Inner(a=2)


def test_timestamps_read_numbers_in_their_own_unit() -> None:
    @table("t")
    class T(DynamoModel):
        pk: HashKey[str]
        us: TimestampMicros
        ms: TimestampMillis

    t = T.from_dynamo({"pk": {"S": "p"}, "us": {"N": "1000000"}, "ms": {"N": "1000"}})
    assert t.us == t.ms == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    before_epoch = T(pk="p", us=datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), ms=t.ms)
    assert (
        before_epoch.to_dynamo()["us"] == {"N": "-1"}
        and T.from_dynamo(before_epoch.to_dynamo()) == before_epoch
    )


def test_values_dynamodb_cannot_hold_are_rejected() -> None:
    with pytest.raises(TypeError, match="map keys must be strings"):
        Thing(pk="p", data={"m": {1: "x"}}).to_dynamo()
    with pytest.raises(TypeError, match="only strings, only numbers or only bytes"):
        Thing(pk="p", data={"s": {1, "a"}}).to_dynamo()
    with pytest.raises(TypeError, match="cannot store"):
        Thing(pk="p", data={"o": object()}).to_dynamo()


def test_pydantic_serializers_are_honoured() -> None:
    @table("t")
    class Custom(DynamoModel):
        pk: HashKey[str]
        secret: str

        @field_serializer("secret")
        def hide(self, value: str) -> str:
            return value[::-1]

    assert Custom(pk="p", secret="abc").to_dynamo() == {"pk": {"S": "p"}, "secret": {"S": "cba"}}


def test_converters_are_built_once_per_class(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiodynamodb import serialize

    built: list[type] = []
    original = serialize.ModelConverter.__init__

    def counting(self: serialize.ModelConverter, model: type[BaseModel]) -> None:
        built.append(model)
        original(self, model)

    monkeypatch.setattr(serialize.ModelConverter, "__init__", counting)

    @table("once")
    class Once(DynamoModel):
        pk: HashKey[str]
        inner: Inner

    for i in range(50):
        Once.from_dynamo(Once(pk=str(i), inner=Inner(a=i)).to_dynamo())
    assert built.count(Once) == 1 and built.count(Inner) <= 1  # Inner may be built already


def test_resource_layer_values_use_decimal() -> None:
    assert Thing(pk="p", x=1.5, level=Level.LOW).to_dynamo_compatible() == {
        "pk": "p",
        "x": Decimal("1.5"),
        "level": Decimal(1),
        "data": {},
    }


def test_a_model_where_no_annotation_says_so_is_stored_as_its_converter_stores_it() -> None:
    # An ``Any`` field or a union of models takes the generic path (``_values``), which knows no
    # converter: it must store the same map the model's own converter writes.
    from aiodynamodb._values import encode

    class Pet(BaseModel):
        born: Timestamp
        tags: set[str] = Field(default_factory=set)
        inner: Inner | None = None
        by_color: dict[Color, int] = Field(default_factory=dict)

    @table("owners")
    class Owner(DynamoModel):
        k: HashKey[str]
        pet: Pet
        anything: Any = None
        either: Inner | Pet | None = None

    pet = Pet(born=datetime(2026, 1, 1, tzinfo=UTC), inner=Inner(a=1), by_color={Color.RED: 2})
    item = Owner(k="o", pet=pet, anything=pet, either=pet).to_dynamo()
    assert item["anything"] == item["either"] == item["pet"] == encode(pet)
    assert item["pet"] == {
        "M": {
            "born": {"N": "1767225600"},
            "inner": {"M": {"a": {"N": "1"}, "tags": {"L": []}}},
            "by_color": {"M": {"red": {"N": "2"}}},
        }
    }
