"""Hypothesis strategies for DynamoDB's low-level shapes, and the model helpers that go with them.

Valid data first: AttributeValues (every type, numbers written in many equivalent forms), items and
keys for a ``TableSpec`` (a small key pool makes overwrites, deletes of present items and
``"1"``/``"1.0"`` collisions common), BatchWriteItem and BatchGetItem requests with unique keys per
table. Then the tools of a model: ``key_identity`` and ``canonical_item`` compare keys and items the
way DynamoDB does (numbers by value, sets as sets), computed here independently of the fake. Last,
the hostile side: ``json_like`` junk, ``mutated`` valid requests (a member dropped, retyped, wrapped,
nested far too deep) and ``requests_for`` any operation. Every strategy is deterministic under
``property_settings()``, which fixes the CI budget (200 examples, derandomized, no database).
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any, Literal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = [
    "ALL_TABLES",
    "BINARY",
    "B_POOL",
    "COMPOSITE",
    "HASH_N",
    "HASH_S",
    "INDEXED",
    "KNOWN_MEMBERS",
    "N_POOL",
    "PLAIN_TABLES",
    "PROPERTY_EXAMPLES",
    "S_POOL",
    "TOP_LEVEL_MEMBERS",
    "IndexSpec",
    "KeySpec",
    "TableSpec",
    "attribute_names",
    "attribute_values",
    "batch_get_requests",
    "batch_write_requests",
    "canonical_item",
    "canonical_number",
    "canonical_value",
    "deeply_nested",
    "items",
    "json_like",
    "json_objects",
    "key_attribute_values",
    "key_identity",
    "keys",
    "mutated",
    "number_forms",
    "number_texts",
    "number_values",
    "property_settings",
    "requests_for",
    "scramble",
    "write_request_identity",
    "write_requests",
]

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]
KeyType = Literal["S", "N", "B"]
ProjectionType = Literal["ALL", "KEYS_ONLY", "INCLUDE"]
Draw = st.DrawFn

PROPERTY_EXAMPLES = 200
DEFAULT_REGION, DEFAULT_ACCOUNT = "us-east-1", "123456789012"  # FakeDynamoDB()'s defaults
MAX_BATCH_WRITES = 25
MAX_BATCH_GET_KEYS = 100


def property_settings(max_examples: int = PROPERTY_EXAMPLES, **overrides: Any) -> settings:
    """The CI settings of every property: derandomized (same examples on every run), no example
    database, no deadline (CI machines stall), and the reproduction blob printed on failure."""
    options: dict[str, Any] = {
        "max_examples": max_examples,
        "derandomize": True,
        "database": None,
        "deadline": None,
        "print_blob": True,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    }
    options.update(overrides)
    return settings(**options)


# --- table specs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A named key schema: what tables and indexes have in common."""

    name: str
    hash_name: str
    hash_type: KeyType
    range_name: str | None = None
    range_type: KeyType | None = None

    @property
    def key_names(self) -> tuple[str, ...]:
        return (self.hash_name,) if self.range_name is None else (self.hash_name, self.range_name)

    def key_types(self) -> dict[str, KeyType]:
        types: dict[str, KeyType] = {self.hash_name: self.hash_type}
        if self.range_name is not None and self.range_type is not None:
            types[self.range_name] = self.range_type
        return types

    def key_schema(self) -> list[dict[str, str]]:
        """The ``KeySchema`` list CreateTable takes."""
        schema = [{"AttributeName": self.hash_name, "KeyType": "HASH"}]
        if self.range_name is not None:
            schema.append({"AttributeName": self.range_name, "KeyType": "RANGE"})
        return schema


@dataclass(frozen=True, slots=True)
class IndexSpec(KeySpec):
    """A GSI or LSI as CreateTable takes it."""

    is_global: bool = True
    projection: ProjectionType = "ALL"
    non_key_attributes: tuple[str, ...] = ()

    def to_request(self) -> dict[str, Any]:
        projection: dict[str, Any] = {"ProjectionType": self.projection}
        if self.projection == "INCLUDE":
            projection["NonKeyAttributes"] = list(self.non_key_attributes)
        return {"IndexName": self.name, "KeySchema": self.key_schema(), "Projection": projection}


@dataclass(frozen=True, slots=True)
class TableSpec(KeySpec):
    """A table's name, primary key and indexes; ``create_table_request()`` makes it (on demand)."""

    indexes: tuple[IndexSpec, ...] = ()

    def index_key_types(self) -> dict[str, KeyType]:
        """Index key attributes that are not table key attributes (they may be absent: sparse)."""
        types: dict[str, KeyType] = {}
        for index in self.indexes:
            for name, kind in index.key_types().items():
                if name not in self.key_names:
                    types[name] = kind
        return types

    def create_table_request(self) -> dict[str, Any]:
        definitions = {**self.key_types(), **self.index_key_types()}
        request: dict[str, Any] = {
            "TableName": self.name,
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": kind} for name, kind in definitions.items()
            ],
            "KeySchema": self.key_schema(),
            "BillingMode": "PAY_PER_REQUEST",
        }
        gsis = [index.to_request() for index in self.indexes if index.is_global]
        lsis = [index.to_request() for index in self.indexes if not index.is_global]
        if gsis:
            request["GlobalSecondaryIndexes"] = gsis
        if lsis:
            request["LocalSecondaryIndexes"] = lsis
        return request

    @property
    def arn(self) -> str:
        """The table's ARN in a ``FakeDynamoDB()`` with its default region and account."""
        return f"arn:aws:dynamodb:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:table/{self.name}"

    def key_of(self, attributes: Mapping[str, AttributeValue]) -> Item:
        """The key attributes of an item, as a ``Key`` parameter."""
        return {name: attributes[name] for name in self.key_names}


# --- sample tables: every key type in both positions, and one with indexes ----------------------

HASH_S = TableSpec("props_hash_s", "pk", "S")
COMPOSITE = TableSpec("props_composite", "pk", "S", "sk", "N")
HASH_N = TableSpec("props_hash_n", "k", "N")
BINARY = TableSpec("props_binary", "id", "B", "rk", "S")
PLAIN_TABLES = (HASH_S, COMPOSITE, HASH_N, BINARY)

# A GSI with a composite key (ALL), a hash-only GSI on a binary attribute (KEYS_ONLY) and an LSI
# (INCLUDE): items may lack any index attribute (sparse) and puts move them between index keys.
INDEXED = TableSpec(
    "props_indexed",
    "pk",
    "S",
    "sk",
    "N",
    indexes=(
        IndexSpec("by_g", "g", "S", "gs", "N", projection="ALL"),
        IndexSpec("by_h", "h", "B", projection="KEYS_ONLY"),
        IndexSpec(
            "by_l", "pk", "S", "l", "N", is_global=False, projection="INCLUDE", non_key_attributes=("a",)
        ),
    ),
)
ALL_TABLES = (*PLAIN_TABLES, INDEXED)


# --- numbers --------------------------------------------------------------------------------------

# Wide enough for 38 digits at either end of DynamoDB's range; the default context (28 digits) would
# round a 38-digit number in normalize().
_EXACT = Context(prec=400, Emax=999_999, Emin=-999_999)


def canonical_number(text: str) -> str:
    """DynamoDB's canonical form of a valid number (reference §1.3), computed with ``Decimal``."""
    value = Decimal(text).normalize(_EXACT)
    plain = format(value, "f")
    return "0" if value == 0 else plain


@st.composite
def number_values(draw: Draw, *, max_digits: int = 38) -> Decimal:
    """Any number DynamoDB stores: up to ``max_digits`` significant digits, magnitude in
    [1E-130, 1E+126), either sign, or zero; small integers are the most common."""
    kind = draw(st.sampled_from(["small", "decimal", "wide"]))
    if kind == "small":
        return Decimal(draw(st.integers(-1000, 1000)))
    if kind == "decimal":
        return Decimal(draw(st.integers(-(10**8), 10**8))).scaleb(-draw(st.integers(0, 6)))
    digits = draw(st.integers(1, max_digits))
    coefficient = draw(st.integers(10 ** (digits - 1), 10**digits - 1))
    adjusted = draw(st.integers(-130, 125))  # exponent of the leading digit
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
def number_texts(*, max_digits: int = 38) -> st.SearchStrategy[str]:
    """Valid number texts in varied forms."""
    return number_values(max_digits=max_digits).flatmap(number_forms)


# --- attribute values ----------------------------------------------------------------------------

# Key pools: a handful of values, so writes collide, plus the extremes DynamoDB allows (the largest
# and smallest magnitudes, 38 digits, a 1024-byte string or binary, valid as a hash or a range key).
S_POOL = ("a", "b", "A", "ab", "é", "a b", "\U0001f600", "z" * 1024)
N_POOL = (
    Decimal(-2), Decimal(-1), Decimal(0), Decimal(1), Decimal("1.5"), Decimal(100), Decimal("1E-5"),
    Decimal("9.9999999999999999999999999999999999999E+125"), Decimal("-1E-130"),
    Decimal("12345678901234567890123456789012345678"),
)  # fmt: skip
B_POOL = (b"\x00", b"a", b"\xff", b"\x00\x01", b"ab", b"\xfe" * 1024)

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


@functools.cache
def keys(spec: TableSpec, *, pool: bool = True) -> st.SearchStrategy[Item]:
    """A valid ``Key`` parameter for the table."""
    return st.fixed_dictionaries(
        {name: key_attribute_values(kind, pool=pool) for name, kind in spec.key_types().items()}
    )


@functools.cache
def items(spec: TableSpec, *, pool: bool = True, max_attributes: int = 3) -> st.SearchStrategy[Item]:
    """A valid item: the key, each index key attribute present (right type) or absent (sparse),
    and a few other attributes of any type."""
    return _items(spec, pool=pool, max_attributes=max_attributes)


@st.composite
def _items(draw: Draw, spec: TableSpec, *, pool: bool, max_attributes: int) -> Item:
    """A valid item: the key, each index key attribute present (right type) or absent (sparse),
    and a few other attributes of any type."""
    item: Item = dict(draw(keys(spec, pool=pool)))
    for name, kind in spec.index_key_types().items():
        if draw(st.booleans()):
            item[name] = draw(key_attribute_values(kind, pool=True))
    item.update(draw(_other_attributes((*spec.key_names, *spec.index_key_types()), max_attributes)))
    return item


@functools.cache
def _other_attributes(reserved: tuple[str, ...], max_size: int) -> st.SearchStrategy[Item]:
    return st.dictionaries(attribute_names(reserved), attribute_values(), max_size=max_size)


@functools.cache
def write_requests(
    spec: TableSpec, *, pool: bool = True, max_attributes: int = 3
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid WriteRequest: a PutRequest or a DeleteRequest."""
    return st.one_of(
        items(spec, pool=pool, max_attributes=max_attributes).map(
            lambda item: {"PutRequest": {"Item": item}}
        ),
        keys(spec, pool=pool).map(lambda key: {"DeleteRequest": {"Key": key}}),
    )


def write_request_identity(spec: TableSpec, write_request: Mapping[str, Any]) -> tuple[Any, ...]:
    """The key identity (see ``key_identity``) of a valid WriteRequest."""
    if "PutRequest" in write_request:
        return key_identity(spec, write_request["PutRequest"]["Item"])
    return key_identity(spec, write_request["DeleteRequest"]["Key"])


def _write_identity_of(spec: TableSpec) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    return lambda write_request: write_request_identity(spec, write_request)


def _key_identity_of(spec: TableSpec) -> Callable[[Mapping[str, Mapping[str, Any]]], tuple[Any, ...]]:
    return lambda key: key_identity(spec, key)


@st.composite
def batch_write_requests(
    draw: Draw,
    specs: Sequence[TableSpec],
    *,
    pool: bool = True,
    max_requests: int = MAX_BATCH_WRITES,
    options: bool = True,
    max_attributes: int = 3,
    arns: bool = False,
) -> dict[str, Any]:
    """A valid BatchWriteItem request over some of ``specs``: 1..``max_requests`` writes in all, at
    least one per table named, no two on the same key (by value) in one table; with ``arns`` a
    table is sometimes named by its ARN."""
    chosen = draw(
        st.lists(
            st.sampled_from(list(specs)),
            min_size=1,
            max_size=min(len(specs), max_requests),
            unique_by=lambda spec: spec.name,
        )
    )
    budget = max_requests
    request_items: dict[str, list[dict[str, Any]]] = {}
    for position, spec in enumerate(chosen):
        room = budget - (len(chosen) - position - 1)
        ops = draw(
            st.lists(
                write_requests(spec, pool=pool, max_attributes=max_attributes),
                min_size=1,
                max_size=room,
                unique_by=_write_identity_of(spec),
            )
        )
        budget -= len(ops)
        request_items[spec.arn if arns and draw(st.booleans()) else spec.name] = ops
    request: dict[str, Any] = {"RequestItems": request_items}
    if options:
        capacity = draw(st.sampled_from([None, "NONE", "TOTAL", "INDEXES"]))
        if capacity is not None:
            request["ReturnConsumedCapacity"] = capacity
        metrics = draw(st.sampled_from([None, "NONE", "SIZE"]))
        if metrics is not None:
            request["ReturnItemCollectionMetrics"] = metrics
    return request


@st.composite
def batch_get_requests(
    draw: Draw,
    specs: Sequence[TableSpec],
    *,
    pool: bool = True,
    max_keys: int = MAX_BATCH_GET_KEYS,
    projection_names: Sequence[str] = (),
) -> dict[str, Any]:
    """A valid BatchGetItem request: unique keys per table (by value), at most ``max_keys`` in all;
    sometimes a projection over the key attributes and ``projection_names`` (a ProjectionExpression
    written plainly or through ``#placeholders``, or the legacy AttributesToGet), and sometimes
    ConsistentRead."""
    chosen = draw(
        st.lists(
            st.sampled_from(list(specs)), min_size=1, max_size=len(specs), unique_by=lambda spec: spec.name
        )
    )
    budget = max_keys
    request_items: dict[str, dict[str, Any]] = {}
    for position, spec in enumerate(chosen):
        room = budget - (len(chosen) - position - 1)
        table_keys = draw(
            st.lists(keys(spec, pool=pool), min_size=1, max_size=room, unique_by=_key_identity_of(spec))
        )
        budget -= len(table_keys)
        entry: dict[str, Any] = {"Keys": table_keys}
        style = draw(st.sampled_from(["none", "plain", "placeholders", "legacy"]))
        if style != "none":
            names = draw(
                st.lists(
                    st.sampled_from([*spec.key_names, *projection_names]), min_size=1, max_size=4, unique=True
                )
            )
            if style == "plain":
                entry["ProjectionExpression"] = ", ".join(names)
            elif style == "legacy":
                entry["AttributesToGet"] = names
            else:
                entry["ProjectionExpression"] = ", ".join(f"#p{i}" for i in range(len(names)))
                entry["ExpressionAttributeNames"] = {f"#p{i}": name for i, name in enumerate(names)}
        consistent = draw(st.sampled_from([None, True, False]))
        if consistent is not None:
            entry["ConsistentRead"] = consistent
        request_items[spec.name] = entry
    return {"RequestItems": request_items}


# --- the model's view: identities and canonical items ---------------------------------------------


def _scalar_identity(av: Mapping[str, Any]) -> tuple[str, Any]:
    ((kind, raw),) = av.items()
    if kind == "N":
        return kind, Decimal(raw)  # Decimal("1") == Decimal("1.0"), with equal hashes
    if kind == "B":
        return kind, bytes(raw)
    return kind, raw


def key_identity(spec: TableSpec, attributes: Mapping[str, Mapping[str, Any]]) -> tuple[Any, ...]:
    """A hashable identity of an item's or key's primary key: equal exactly when DynamoDB would
    consider the keys the same (numbers by value)."""
    return tuple(_scalar_identity(attributes[name]) for name in spec.key_names)


def canonical_value(av: Mapping[str, Any], *, numbers: bool = True) -> AttributeValue:
    """An AttributeValue as DynamoDB gives it back: numbers canonical, binary as ``bytes``; sets
    sorted, because DynamoDB keeps no set order (so no comparison here depends on one).

    With ``numbers=False`` number texts are kept as they are, to check that the fake normalised
    them itself."""
    ((kind, raw),) = av.items()
    number: Callable[[str], str] = canonical_number if numbers else str
    if kind == "N":
        return {"N": number(raw)}
    if kind == "B":
        return {"B": bytes(raw)}
    if kind == "M":
        return {"M": {name: canonical_value(member, numbers=numbers) for name, member in raw.items()}}
    if kind == "L":
        return {"L": [canonical_value(member, numbers=numbers) for member in raw]}
    if kind == "SS":
        return {"SS": sorted(raw)}
    if kind == "NS":
        return {"NS": sorted((number(m) for m in raw), key=Decimal)}
    if kind == "BS":
        return {"BS": sorted(bytes(m) for m in raw)}
    return {kind: raw}


def canonical_item(item: Mapping[str, Mapping[str, Any]], *, numbers: bool = True) -> Item:
    """``canonical_value`` of every attribute."""
    return {name: canonical_value(value, numbers=numbers) for name, value in item.items()}


# --- junk and mutations ----------------------------------------------------------------------------

KNOWN_MEMBERS = (
    "TableName", "RequestItems", "Item", "Key", "Keys", "PutRequest", "DeleteRequest",
    "ProjectionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues", "AttributesToGet",
    "ConsistentRead", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "ReturnValues",
    "ConditionExpression", "Expected", "ConditionalOperator", "KeySchema", "AttributeDefinitions",
    "AttributeName", "AttributeType", "KeyType", "BillingMode", "ProvisionedThroughput",
    "ReadCapacityUnits", "WriteCapacityUnits", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
    "IndexName", "Projection", "ProjectionType", "NonKeyAttributes", "Limit", "ExclusiveStartTableName",
    "Tags", "Value", "StreamSpecification", "StreamEnabled", "StreamViewType", "SSESpecification",
    "Enabled", "SSEType", "KMSMasterKeyId", "TableClass", "DeletionProtectionEnabled",
    "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS",
)  # fmt: skip


@functools.cache
def json_like(*, strings: tuple[str, ...] = (), max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Random JSON-like values (plus bytes, NaN and huge ints): dicts keyed by DynamoDB's member
    names or arbitrary text, lists, and every scalar; ``strings`` adds known values (table names)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=10),
        st.binary(max_size=10),
        st.sampled_from(["", "S", "N", "1", "1.5", "TOTAL", "ALL_OLD", "HASH", "arn:", *strings]),
    )
    member_names = st.one_of(st.sampled_from(KNOWN_MEMBERS), st.text(max_size=8))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(member_names, children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


# Members the operations read at the top level of a request; junk names them often, so it gets past
# "Value null at 'tableName'" and into the checks behind it.
TOP_LEVEL_MEMBERS = (
    "TableName", "RequestItems", "Item", "Key", "ProjectionExpression", "ExpressionAttributeNames",
    "AttributesToGet", "ConsistentRead", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics",
    "ReturnValues", "KeySchema", "AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
    "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "Limit", "ExclusiveStartTableName", "Tags",
)  # fmt: skip


@functools.cache
def json_objects(*, strings: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """Random JSON objects, the outer shape of every request: known top-level members (each present
    or not, ``TableName`` often a real one) holding junk, plus a few arbitrary members."""
    junk = json_like(strings=strings)
    known = st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.sampled_from(strings), junk) if name == "TableName" and strings else junk
            for name in TOP_LEVEL_MEMBERS
        },
    )
    member_names = st.one_of(st.sampled_from(KNOWN_MEMBERS), st.text(max_size=8))
    extra = st.dictionaries(member_names, junk, max_size=3)
    return st.builds(lambda a, b: {**b, **a}, known, extra)


Path = tuple[Any, ...]


def _paths(value: Any) -> Iterator[Path]:
    """Every position inside ``value`` (dict keys and list indexes), outermost first; iterative, so a
    request nested hundreds of levels deep is walked without recursion."""
    pending: list[tuple[Path, Any]] = [((), value)]
    while pending:
        prefix, node = pending.pop(0)
        members = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        for key, member in members:
            yield (*prefix, key)
            pending.append(((*prefix, key), member))


def _copy_tree(value: Any) -> Any:
    """A copy of every dict and list inside ``value`` (leaves shared: they are immutable here),
    without recursion, so a value nested hundreds of levels deep can be duplicated."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    pending: list[tuple[Any, Any]] = [(value, root)]
    while pending:
        source, target = pending.pop()
        members = source.items() if isinstance(source, dict) else enumerate(source)
        for key, member in members:
            if isinstance(member, dict | list):
                child: Any = {} if isinstance(member, dict) else []
                pending.append((member, child))
            else:
                child = member
            if isinstance(target, dict):
                target[key] = child
            else:
                target.append(child)
    return root


def _node(root: Any, path: Path) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def _parent(root: Any, path: Path) -> Any:
    return _node(root, path[:-1])


def _nest(value: Any, depth: int, style: str) -> Any:
    """``value`` inside ``depth`` containers, built without recursion."""
    for level in range(depth):
        if style == "M":
            value = {"M": {"a": value}}
        elif style == "L":
            value = {"L": [value]}
        elif style == "list":
            value = [value]
        elif style == "dict":
            value = {"x": value}
        else:  # alternate AttributeValue containers
            value = {"M": {"a": value}} if level % 2 else {"L": [value]}
    return value


@functools.cache
def _of_another_type(old: str, strings: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A JSON-like value whose type is not the one named ``old`` (no filtering, so no retries)."""
    junk = json_like(strings=strings)
    by_type: dict[type, st.SearchStrategy[Any]] = {
        type(None): st.none(),
        bool: st.booleans(),
        int: st.integers(),
        float: st.floats(),
        str: st.one_of(st.text(max_size=10), st.sampled_from(["", "S", "1", *strings])),
        bytes: st.binary(max_size=10),
        list: st.lists(junk, max_size=3),
        dict: st.dictionaries(st.sampled_from(KNOWN_MEMBERS), junk, max_size=3),
    }
    return st.one_of(*(strategy for kind, strategy in by_type.items() if kind.__name__ != old))


MUTATIONS = (
    "drop", "null", "retype", "wrap_list", "wrap_map", "wrap_av", "deep", "duplicate", "empty",
    "add_member", "rename",
)  # fmt: skip
# Names a renamed member (or table) gets: empty, too short, too long, not matching the table-name
# pattern, or a table that does not exist.
ODD_NAMES = ("", "x", "ab", "a" * 256, "bad name!", "props_missing", "arn:aws:dynamodb:eu-west-1:1:table/x")


def _draw_path(draw: Draw, paths: list[Path]) -> Path:
    """A position, its depth chosen first: the few shallow positions (members, table entries,
    WriteRequests) get as much attention as the many deep ones inside items."""
    depths = sorted({len(path) for path in paths})
    depth = draw(st.sampled_from(depths))
    path: Path = draw(st.sampled_from([p for p in paths if len(p) == depth]))
    return path


@st.composite
def mutated(
    draw: Draw,
    base: st.SearchStrategy[dict[str, Any]],
    *,
    strings: tuple[str, ...] = (),
    min_mutations: int = 1,
    max_mutations: int = 3,
) -> dict[str, Any]:
    """A request from ``base`` with ``min_mutations``..``max_mutations`` defects at random positions:
    a member dropped, renamed (table names too), set to null, replaced by one of another type, wrapped
    in a list/map/AttributeValue, nested 31..300 levels deep, duplicated, emptied, or an unexpected
    member added. (Deeper nesting: see ``deeply_nested``.)"""
    request: dict[str, Any] = copy.deepcopy(draw(base))
    nested = False  # one deep nesting at most: two could stack past the test's own recursion limit
    for _ in range(draw(st.integers(min_mutations, max_mutations))):
        kind = draw(st.sampled_from(MUTATIONS))
        if kind == "deep" and nested:
            kind = "wrap_list"
        paths = list(_paths(request))
        if kind == "add_member" or not paths:
            target = request
            inner = [p for p in paths if isinstance(_node(request, p), dict)]
            use_inner: bool = bool(inner) and draw(st.booleans())
            if use_inner:
                target = _node(request, draw(st.sampled_from(inner)))
            target[draw(st.sampled_from(KNOWN_MEMBERS))] = draw(json_like(strings=strings))
            continue
        path = _draw_path(draw, paths)
        parent, last = _parent(request, path), path[-1]
        value = parent[last]
        if kind == "drop":
            del parent[last]
        elif kind == "null":  # JSON null: present but empty, unlike a dropped member
            parent[last] = None
        elif kind == "retype":
            parent[last] = draw(_of_another_type(type(value).__name__, strings))
        elif kind == "wrap_list":
            parent[last] = [value]
        elif kind == "wrap_map":
            parent[last] = {draw(st.sampled_from(KNOWN_MEMBERS)): value}
        elif kind == "wrap_av":
            parent[last] = {draw(st.sampled_from(["S", "N", "B", "M", "L", "SS", "NS", "BS", "NULL"])): value}
        elif kind == "rename" and isinstance(parent, dict):
            del parent[last]
            parent[draw(st.sampled_from([*ODD_NAMES, *KNOWN_MEMBERS[:10], *strings]))] = value
        elif kind == "deep":
            nested = True
            depth = draw(st.sampled_from([31, 32, 33, 100, 300]))
            parent[last] = _nest(value, depth, draw(st.sampled_from(["M", "L", "list", "dict", "mixed"])))
        elif kind == "duplicate":
            if isinstance(parent, list):
                parent.insert(last, _copy_tree(value))
            else:
                parent[f"{last}_copy" if isinstance(last, str) else "copy"] = _copy_tree(value)
        elif kind == "empty":
            parent[last] = type(value)() if isinstance(value, dict | list | str | bytes) else None
        else:  # rename of a list member: nothing to rename, so drop it instead
            del parent[last]
    return request


@st.composite
def deeply_nested(
    draw: Draw, base: st.SearchStrategy[dict[str, Any]], *, depths: Sequence[int] = (200, 350, 500, 650)
) -> dict[str, Any]:
    """A request from ``base`` with one member nested ``depths`` levels deep (JSON parsers accept
    several hundred levels; DynamoDB's own limit is 32 levels of M/L), and sometimes a renamed
    member too, so that an error message that echoes values has to print the deep one."""
    request: dict[str, Any] = copy.deepcopy(draw(base))
    paths = list(_paths(request))
    rename: bool = bool(paths) and draw(st.booleans())
    if rename:
        path = draw(st.sampled_from(paths))
        parent = _parent(request, path)
        if isinstance(parent, dict):
            parent[draw(st.sampled_from(ODD_NAMES))] = parent.pop(path[-1])
        paths = list(_paths(request))
    style = draw(st.sampled_from(["M", "L", "list", "dict", "mixed"]))
    depth = draw(st.sampled_from(list(depths)))
    if not paths:
        request[draw(st.sampled_from(TOP_LEVEL_MEMBERS))] = _nest({}, depth, style)
        return request
    path = draw(st.sampled_from(paths))
    parent = _parent(request, path)
    parent[path[-1]] = _nest(parent[path[-1]], depth, style)
    return request


def requests_for(operation: str, specs: Sequence[TableSpec]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid-looking requests for ``operation`` on the tables ``specs`` (some fail only because of
    state: a table already there, a name not found). Unknown operations get a generic table+key
    request, so mutations still reach past the first checks."""
    names = [spec.name for spec in specs]
    table_names = st.sampled_from([*names, "missing_table"])
    spec_choice = st.sampled_from(list(specs))
    if operation == "CreateTable":
        fresh = st.builds(
            TableSpec,
            name=st.sampled_from([*names, "fuzz_new", "fuzz.other-1"]),
            hash_name=st.sampled_from(["pk", "id"]),
            hash_type=st.sampled_from(["S", "N", "B"]),
        )
        return st.one_of(fresh, spec_choice).map(lambda spec: spec.create_table_request())
    if operation in ("DescribeTable", "DeleteTable"):
        return st.fixed_dictionaries({"TableName": table_names})
    if operation == "ListTables":
        return st.fixed_dictionaries(
            {}, optional={"Limit": st.integers(1, 100), "ExclusiveStartTableName": table_names}
        )
    if operation == "PutItem":
        return spec_choice.flatmap(
            lambda spec: st.fixed_dictionaries(
                {"TableName": st.just(spec.name), "Item": items(spec)},
                optional={
                    "ReturnValues": st.sampled_from(["NONE", "ALL_OLD"]),
                    "ReturnConsumedCapacity": st.sampled_from(["NONE", "TOTAL", "INDEXES"]),
                },
            )
        )
    if operation == "GetItem":
        return spec_choice.flatmap(
            lambda spec: st.fixed_dictionaries(
                {"TableName": st.just(spec.name), "Key": keys(spec)},
                optional={
                    "ConsistentRead": st.booleans(),
                    "ProjectionExpression": st.just(", ".join(spec.key_names)),
                },
            )
        )
    if operation == "DeleteItem":
        return spec_choice.flatmap(
            lambda spec: st.fixed_dictionaries(
                {"TableName": st.just(spec.name), "Key": keys(spec)},
                optional={"ReturnValues": st.sampled_from(["NONE", "ALL_OLD"])},
            )
        )
    if operation == "BatchWriteItem":
        return batch_write_requests(specs)
    if operation == "BatchGetItem":
        return batch_get_requests(specs, max_keys=10)
    return spec_choice.flatmap(
        lambda spec: st.fixed_dictionaries(
            {"TableName": st.just(spec.name)}, optional={"Key": keys(spec), "Item": items(spec)}
        )
    )


def scramble(value: Any) -> None:
    """Empty every dict and list inside ``value`` in place: what a careless caller might do to a
    request or an answer it still holds, which must never reach the fake's stored state."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            node.clear()
        elif isinstance(node, list):
            stack.extend(node)
            node.clear()
