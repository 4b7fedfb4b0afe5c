"""CreateTable's request, parsed: the JSON kinds, then the model's member constraints.

A value of the wrong JSON kind anywhere raises SerializationException at once (DynamoDB's parser
fails before it validates anything); a missing TableName gets DynamoDB's standalone message; every
other broken member constraint is collected into one ``N validation errors detected`` envelope, in
DynamoDB's order where dynalite's tests (run against DynamoDB) or the conformance suite pin it and
by our ``choice:`` elsewhere. Nothing here reads the service state: a TableName that is a table
ARN is stripped of the prefix the caller says (``table_arn_prefix`` finds it), and whether that
prefix is this region's and account's is for ``create_table.plan`` to say. The semantic rules live
in ``create_table.py``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from aiodynamodb.errors import ValidationException

from .. import limits
from ..messages import clip_join
from ..schema import OnDemandThroughput, Throughput
from ..shapes import (
    MAX_LENGTH,
    MIN_LENGTH,
    Constraints,
    expect_bool,
    expect_int,
    expect_list,
    expect_map,
    expect_str,
    java_repr,
    structure,
    table_name_rules,
)

__all__ = [
    "ByArn",
    "CreateTableRequest",
    "IndexSpec",
    "KeyElement",
    "Projection",
    "parse_request",
    "table_arn_prefix",
]

_T = TypeVar("_T")
_Parse = Callable[[Mapping[str, Any], str, Constraints], _T]


# --- the parsed request -------------------------------------------------------------------------
# A required member that is missing is recorded as a violation and parsed as a placeholder ("" or
# ()); any violation ends the request before the rules could see a placeholder.


@dataclass(frozen=True, slots=True)
class KeyElement:
    name: str
    key_type: str


@dataclass(frozen=True, slots=True)
class Projection:
    projection_type: str | None
    non_key_attributes: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class IndexSpec:
    name: str
    key_schema: tuple[KeyElement, ...]
    projection: Projection
    throughput: Throughput | None
    on_demand: OnDemandThroughput | None = None


@dataclass(frozen=True, slots=True)
class CreateTableRequest:
    table_name: str
    definitions: tuple[tuple[str, str], ...]
    key_schema: tuple[KeyElement, ...]
    global_indexes: tuple[IndexSpec, ...] | None
    local_indexes: tuple[IndexSpec, ...] | None
    billing_mode: str
    throughput: Throughput | None
    stream: tuple[bool, str | None] | None  # (StreamEnabled, StreamViewType)
    sse: tuple[bool | None, str | None, str | None] | None  # (Enabled, SSEType, KMSMasterKeyId)
    table_class: str | None
    tags: tuple[tuple[str | None, str | None], ...]
    on_demand: OnDemandThroughput | None = None

    @property
    def indexes(self) -> tuple[IndexSpec, ...]:
        """LSIs then GSIs: the order DynamoDB checks them in (dynalite's validations)."""
        return (self.local_indexes or ()) + (self.global_indexes or ())


@dataclass(frozen=True, slots=True)
class ByArn:
    """A request naming its table by a DynamoDB table ARN, checked both ways by ``create_table.parse``.

    Whose ARN it is only the state knows, and today's check order asks before the envelope and the
    rules: stripped of ``prefix``, the request passes (``if_ours`` is it) or fails (``if_ours`` is
    the ValidationException's message); unstripped, an ARN always breaks the name's pattern
    (``if_not_ours``). ``create_table.plan`` picks one.
    """

    prefix: str  # arn:aws:dynamodb:<region>:<account>:table/
    if_ours: CreateTableRequest | str
    if_not_ours: str

    def resolve(self, own_prefix: str) -> CreateTableRequest:
        """The request if ``own_prefix`` (this service's) is the ARN's; else its ValidationException."""
        outcome = self.if_ours if self.prefix == own_prefix else self.if_not_ours
        if isinstance(outcome, str):
            raise ValidationException(outcome)
        return outcome


# --- shapes and member constraints --------------------------------------------------------------


def _list_of(value: Any, path: str, c: Constraints, parse: _Parse[_T], shape: str) -> tuple[_T, ...] | None:
    """Each element of a list of ``shape`` structures; a null element breaks ``<path>.<n>.member``."""
    items = expect_list(value, path)
    if items is None:
        return None
    element_target = structure(shape, in_collection=True)
    parsed: list[_T] = []
    for number, item in enumerate(items, 1):
        element = expect_map(item, path, element_target)
        if element is None:  # reported once; its members' violations would only repeat it
            c.required(None, f"{path}.{number}.member")
        parsed.append(
            parse(element or {}, f"{path}.{number}.member", Constraints() if element is None else c)
        )
    return tuple(parsed)


def _java(value: Any) -> str:
    """A member as Java prints it, ``clip``-ped (``java_repr``: safe for any value, of any size)."""
    return java_repr(value)


def _name(value: Any, path: str, c: Constraints) -> str:
    """An attribute name: required, 1..255 characters (model shape KeySchemaAttributeName)."""
    text = expect_str(value, path)
    if c.required(text, path):
        c.length(text, path, limits.MIN_KEY_ATTRIBUTE_NAME, limits.MAX_KEY_ATTRIBUTE_NAME)
    return text or ""


def _definition(raw: Mapping[str, Any], path: str, c: Constraints) -> tuple[str, str]:
    name = _name(raw.get("AttributeName"), f"{path}.attributeName", c)
    kind = expect_str(raw.get("AttributeType"), f"{path}.attributeType")
    if c.required(kind, f"{path}.attributeType"):
        c.enum(kind, f"{path}.attributeType", ["B", "N", "S"])
    return name, kind or ""


def _key_element(raw: Mapping[str, Any], path: str, c: Constraints) -> KeyElement:
    name = _name(raw.get("AttributeName"), f"{path}.attributeName", c)
    key_type = expect_str(raw.get("KeyType"), f"{path}.keyType")
    if c.required(key_type, f"{path}.keyType"):
        c.enum(key_type, f"{path}.keyType", ["HASH", "RANGE"])
    return KeyElement(name, key_type or "")


def _key_element_repr(raw: Any) -> str:
    """A KeySchemaElement as DynamoDB echoes it in a constraint message (Java record syntax)."""
    if not isinstance(raw, Mapping):
        return "null"
    name, key_type = _java(raw.get("AttributeName")), _java(raw.get("KeyType"))
    return f"KeySchemaElement(attributeName={name}, keyType={key_type})"


def _key_schema(value: Any, path: str, c: Constraints) -> tuple[KeyElement, ...]:
    """A KeySchema (1..2 elements); too long a list is echoed as Java records (CONF createTable)."""
    items = expect_list(value, path)
    if items is None:
        c.required(None, path)
        return ()
    if len(items) > limits.MAX_KEY_SCHEMA or len(items) < limits.MIN_KEY_SCHEMA:
        shown = clip_join(_key_element_repr(e) for e in items)  # renders only the elements it shows
        too_long = len(items) > limits.MAX_KEY_SCHEMA
        rule = MAX_LENGTH if too_long else MIN_LENGTH
        c.add(
            "[" + shown + "]",
            path,
            rule.format(limit=limits.MAX_KEY_SCHEMA if too_long else limits.MIN_KEY_SCHEMA),
        )
    return _list_of(value, path, c, _key_element, "KeySchemaElement") or ()


def _capacity(value: Any, path: str, c: Constraints) -> Throughput | None:
    raw = expect_map(value, path, structure("ProvisionedThroughput"))
    if raw is None:
        return None
    units: dict[str, int] = {}
    for member in ("WriteCapacityUnits", "ReadCapacityUnits"):  # DynamoDB reports write first
        member_path = f"{path}.{member[0].lower()}{member[1:]}"
        number = expect_int(raw.get(member), member_path, long=True)
        if c.required(number, member_path):
            c.minimum(number, member_path, limits.MIN_CAPACITY_UNITS)
        units[member] = number or 0
    return Throughput(units["ReadCapacityUnits"], units["WriteCapacityUnits"])


def _on_demand(value: Any) -> OnDemandThroughput | None:
    """OnDemandThroughput: two optional Longs, range-checked by the rules; ``{}`` is as if absent
    (2026 captures: accepted, and nothing is described)."""
    raw = expect_map(value, "OnDemandThroughput")
    if raw is None:
        return None
    read = expect_int(raw.get("MaxReadRequestUnits"), "MaxReadRequestUnits", long=True)
    write = expect_int(raw.get("MaxWriteRequestUnits"), "MaxWriteRequestUnits", long=True)
    return None if read is None and write is None else OnDemandThroughput(read, write)


def _projection(value: Any, path: str, c: Constraints) -> Projection:
    raw = expect_map(value, path, structure("Projection"))
    if raw is None:
        c.required(None, path)
        return Projection(None, None)
    kind = expect_str(raw.get("ProjectionType"), f"{path}.projectionType")
    c.enum(kind, f"{path}.projectionType", ["ALL", "INCLUDE", "KEYS_ONLY"])
    names_path = f"{path}.nonKeyAttributes"
    items = expect_list(raw.get("NonKeyAttributes"), names_path)
    names: list[str] = []
    for number, item in enumerate(items or (), 1):
        names.append(_name(item, f"{names_path}.{number}.member", c))
    if items is not None:
        c.length(list(items), names_path, limits.MIN_NON_KEY_ATTRIBUTES, limits.MAX_NON_KEY_ATTRIBUTES)
    return Projection(kind, None if items is None else tuple(names))


def _index_name(value: Any, path: str, c: Constraints) -> str:
    """Pattern, then minimum, then maximum length: the order of dynalite's tests."""
    name = expect_str(value, path)
    if c.required(name, path):
        assert name is not None
        for rule in table_name_rules(name, min_length=limits.MIN_INDEX_NAME, arn=False, pattern_first=True):
            c.add(name, path, rule)
    return name or ""


def _index(raw: Mapping[str, Any], path: str, c: Constraints, *, is_global: bool) -> IndexSpec:
    # choice: indexName, provisionedThroughput, keySchema, projection (dynalite's bad-names test)
    name = _index_name(raw.get("IndexName"), f"{path}.indexName", c)
    # An LSI has no ProvisionedThroughput member: like any unknown member, it is ignored.
    throughput = (
        _capacity(raw.get("ProvisionedThroughput"), f"{path}.provisionedThroughput", c) if is_global else None
    )
    key_schema = _key_schema(raw.get("KeySchema"), f"{path}.keySchema", c)
    projection = _projection(raw.get("Projection"), f"{path}.projection", c)
    on_demand = None
    if is_global:
        on_demand = _on_demand(raw.get("OnDemandThroughput"))
        expect_map(raw.get("WarmThroughput"), "WarmThroughput")
    return IndexSpec(name, key_schema, projection, throughput, on_demand)


def _global_index(raw: Mapping[str, Any], path: str, c: Constraints) -> IndexSpec:
    return _index(raw, path, c, is_global=True)


def _local_index(raw: Mapping[str, Any], path: str, c: Constraints) -> IndexSpec:
    return _index(raw, path, c, is_global=False)


def table_arn_prefix(request: Any) -> str | None:
    """The ``arn:aws:dynamodb:<region>:<account>:table/`` the TableName starts with, if it has one.

    Read without checking kinds (``parse_request`` does that, in its order). The prefix ends at the
    first ``:table/``, so a region or account that holds ``:table/`` is not told apart (choice).
    """
    name = request.get("TableName") if isinstance(request, Mapping) else None
    if not isinstance(name, str) or not name.startswith("arn:aws:dynamodb:"):
        return None
    end = name.find(":table/")
    return None if end < 0 else name[: end + len(":table/")]


def _table_name(value: Any, c: Constraints, arn_prefix: str | None) -> str | None:
    """The table's name; with ``arn_prefix``, the ARN names the table after ``table/``."""
    name = expect_str(value, "TableName")
    if name is None:
        return None
    # choice: unstripped, any other ARN fails the pattern
    bare = name[len(arn_prefix) :] if arn_prefix is not None and name.startswith(arn_prefix) else name
    for rule in table_name_rules(bare, min_length=limits.MIN_TABLE_NAME, arn=False):
        c.add(name, "tableName", rule)
    return bare


def _stream(value: Any, c: Constraints) -> tuple[bool, str | None] | None:
    raw = expect_map(value, "StreamSpecification")
    if raw is None:
        return None
    enabled = expect_bool(raw.get("StreamEnabled"), "StreamEnabled")
    c.required(enabled, "streamSpecification.streamEnabled")
    view = expect_str(raw.get("StreamViewType"), "StreamViewType")
    # The enum's order as DynamoDB prints it (2026 capture), not the model's.
    c.enum(
        view,
        "streamSpecification.streamViewType",
        ["OLD_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES", "NEW_IMAGE"],
    )
    return bool(enabled), view


def _sse(value: Any, c: Constraints) -> tuple[bool | None, str | None, str | None] | None:
    raw = expect_map(value, "SSESpecification")
    if raw is None:
        return None
    enabled = expect_bool(raw.get("Enabled"), "Enabled")
    sse_type = expect_str(raw.get("SSEType"), "SSEType")
    c.enum(sse_type, "sSESpecification.sSEType", ["AES256", "KMS"])
    return enabled, sse_type, expect_str(raw.get("KMSMasterKeyId"), "KMSMasterKeyId")


def _tag(raw: Mapping[str, Any], path: str, c: Constraints) -> tuple[str | None, str | None]:
    return expect_str(raw.get("Key"), "Key"), expect_str(raw.get("Value"), "Value")


def parse_request(request: Mapping[str, Any], arn_prefix: str | None) -> CreateTableRequest:
    """The request's members, or the first shape error / the envelope of constraint violations.

    ``arn_prefix``: the ARN prefix to strip from TableName, if the caller takes it to be this
    service's (``table_arn_prefix``); None checks the name as given.
    """
    request = expect_map(request, "CreateTableInput") or {}
    c = Constraints()
    # choice: DynamoDB's order for members dynalite does not cover (GSIs before LSIs: CONF 2026)
    definitions = _list_of(
        request.get("AttributeDefinitions"), "attributeDefinitions", c, _definition, "AttributeDefinition"
    )
    c.required(definitions, "attributeDefinitions")
    name = _table_name(request.get("TableName"), c, arn_prefix)
    throughput = _capacity(request.get("ProvisionedThroughput"), "provisionedThroughput", c)
    key_schema = _key_schema(request.get("KeySchema"), "keySchema", c)
    gsis = _list_of(
        request.get("GlobalSecondaryIndexes"),
        "globalSecondaryIndexes",
        c,
        _global_index,
        "GlobalSecondaryIndex",
    )
    lsis = _list_of(
        request.get("LocalSecondaryIndexes"), "localSecondaryIndexes", c, _local_index, "LocalSecondaryIndex"
    )
    billing = expect_str(request.get("BillingMode"), "BillingMode")
    c.enum(billing, "billingMode", ["PROVISIONED", "PAY_PER_REQUEST"])
    stream = _stream(request.get("StreamSpecification"), c)
    sse = _sse(request.get("SSESpecification"), c)
    table_class = expect_str(request.get("TableClass"), "TableClass")
    tags = _list_of(request.get("Tags"), "tags", Constraints(), _tag, "Tag") or ()  # tags have own messages
    expect_bool(request.get("DeletionProtectionEnabled"), "DeletionProtectionEnabled")
    on_demand = _on_demand(request.get("OnDemandThroughput"))
    expect_map(request.get("WarmThroughput"), "WarmThroughput")
    expect_str(request.get("ResourcePolicy"), "ResourcePolicy")
    if name is None:  # before the envelope, and alone (dynalite; CONF createTable)
        raise ValidationException("The parameter 'TableName' is required but was not present in the request")
    c.raise_if_any()
    return CreateTableRequest(
        name, definitions or (), key_schema, gsis, lsis, billing or "PROVISIONED",
        throughput, stream, sse, table_class, tags, on_demand,
    )  # fmt: skip
