"""CreateTable's request, read into plain records once its member table has passed it.

``create_table.parse`` runs ``check_request(CREATE_TABLE, request)`` first (``members/create_table``:
the JSON kinds, the standalone TableName message, the ``N validation errors detected`` envelope),
so ``read_request`` only reads: every kind is right and every required member present. Nothing
here reads the service state: a TableName that is a table ARN is stripped of the prefix the caller
says (``table_arn_prefix`` finds it), and whether that prefix is this region's and account's is for
``create_table.plan`` to say. The semantic rules live in ``create_table.py``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiodynamodb.errors import ValidationException

from ..members.create_table import arn_prefix
from ..schema import OnDemandThroughput, Throughput

__all__ = [
    "ByArn",
    "CreateTableRequest",
    "IndexSpec",
    "KeyElement",
    "Projection",
    "read_request",
    "table_arn_prefix",
]


# --- the parsed request -------------------------------------------------------------------------
# Read from a request ``check_request(CREATE_TABLE, ...)`` passed: every kind is right and every
# required member present, so reading cannot fail; optional members are None when absent.


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


# --- reading ---------------------------------------------------------------------------------------


def table_arn_prefix(request: Any) -> str | None:
    """The ``arn:aws:dynamodb:<region>:<account>:table/`` the TableName starts with, if it has one
    (read before any check: ``None`` for a request or name of the wrong kind)."""
    name = request.get("TableName") if isinstance(request, Mapping) else None
    return arn_prefix(name) if isinstance(name, str) else None


def _elements(raw: Any) -> Sequence[Any]:
    return raw if isinstance(raw, list | tuple) else ()


def _key_schema(raw: Sequence[Any]) -> tuple[KeyElement, ...]:
    return tuple(KeyElement(element["AttributeName"], element["KeyType"]) for element in raw)


def _throughput(raw: Mapping[str, Any] | None) -> Throughput | None:
    if raw is None:
        return None
    return Throughput(raw["ReadCapacityUnits"], raw["WriteCapacityUnits"])


def _on_demand(raw: Mapping[str, Any] | None) -> OnDemandThroughput | None:
    """Two optional Longs; ``{}`` is as if absent (2026 captures: accepted, and nothing described)."""
    if raw is None:
        return None
    read, write = raw.get("MaxReadRequestUnits"), raw.get("MaxWriteRequestUnits")
    return None if read is None and write is None else OnDemandThroughput(read, write)


def _index(raw: Mapping[str, Any], *, is_global: bool) -> IndexSpec:
    projection = raw["Projection"]
    names = projection.get("NonKeyAttributes")
    return IndexSpec(
        raw["IndexName"],
        _key_schema(raw["KeySchema"]),
        Projection(projection.get("ProjectionType"), None if names is None else tuple(names)),
        _throughput(raw.get("ProvisionedThroughput")) if is_global else None,  # an LSI's is ignored
        _on_demand(raw.get("OnDemandThroughput")) if is_global else None,
    )


def _indexes(raw: Any, *, is_global: bool) -> tuple[IndexSpec, ...] | None:
    if raw is None:
        return None
    return tuple(_index(index, is_global=is_global) for index in raw)


def _tag(raw: Any) -> tuple[str | None, str | None]:
    """A tag's key and value; a null tag is one of null members (tags have their own messages)."""
    if not isinstance(raw, Mapping):
        return None, None
    return raw.get("Key"), raw.get("Value")


def read_request(request: Mapping[str, Any], arn_prefix: str | None) -> CreateTableRequest:
    """The members of a request its member table passed (``check_request(CREATE_TABLE, ...)``, or
    ``CREATE_TABLE_BY_ARN`` with ``arn_prefix``, the prefix to strip from TableName). O(request)."""
    name: str = request["TableName"]
    if arn_prefix is not None and name.startswith(arn_prefix):
        name = name[len(arn_prefix) :]
    stream, sse = request.get("StreamSpecification"), request.get("SSESpecification")
    return CreateTableRequest(
        table_name=name,
        definitions=tuple((d["AttributeName"], d["AttributeType"]) for d in request["AttributeDefinitions"]),
        key_schema=_key_schema(request["KeySchema"]),
        global_indexes=_indexes(request.get("GlobalSecondaryIndexes"), is_global=True),
        local_indexes=_indexes(request.get("LocalSecondaryIndexes"), is_global=False),
        billing_mode=request.get("BillingMode") or "PROVISIONED",
        throughput=_throughput(request.get("ProvisionedThroughput")),
        stream=None if stream is None else (stream["StreamEnabled"], stream.get("StreamViewType")),
        sse=None if sse is None else (sse.get("Enabled"), sse.get("SSEType"), sse.get("KMSMasterKeyId")),
        table_class=request.get("TableClass"),
        tags=tuple(_tag(tag) for tag in _elements(request.get("Tags"))),
        on_demand=_on_demand(request.get("OnDemandThroughput")),
    )
