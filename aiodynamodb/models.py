"""The model layer: ``DynamoModel`` (pydantic v2), ``@table`` and the table metadata it attaches.

``@table(name, hash_key=..., range_key=..., indexes=[GSI(...), LSI(...)])`` checks the key
definition when the class is decorated (keys from ``HashKey[T]``/``RangeKey[T]`` annotations or from
the decorator's arguments, never both) and sets ``Model.Meta`` to a ``TableMeta``. ``GSI``/``LSI``
render their ``CreateTable`` entries
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html).
Item (de)serialization lives in ``aiodynamodb.serialize``; the methods here delegate to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, Self, TypeAlias, TypeVar

from pydantic import BaseModel

from ._values import resource_value
from .custom_types import _KeyMarker
from .serialize import converter_for

__all__ = ["GSI", "LSI", "DynamoModel", "QueryResult", "Raw", "TableMeta", "table", "table_meta"]

Raw: TypeAlias = dict[str, Any]
ProjectionType: TypeAlias = Literal["ALL", "KEYS_ONLY", "INCLUDE"]


@dataclass
class GSI:
    """A global secondary index of the table, for ``@table(..., indexes=[...])``."""

    name: str
    hash_key: str
    range_key: str | None = None
    projection: ProjectionType = "ALL"
    non_key_attributes: list[str] | None = None
    provisioned_throughput: dict[str, Any] | None = None
    on_demand_throughput: dict[str, Any] | None = None
    warm_throughput: dict[str, Any] | None = None

    def to_dynamo(self) -> dict[str, Any]:
        """This index as a ``GlobalSecondaryIndexes`` entry of ``CreateTable``."""
        key_schema = [{"AttributeName": self.hash_key, "KeyType": "HASH"}]
        if self.range_key:
            key_schema.append({"AttributeName": self.range_key, "KeyType": "RANGE"})
        entry: dict[str, Any] = {
            "IndexName": self.name,
            "KeySchema": key_schema,
            "Projection": _projection(self.projection, self.non_key_attributes),
        }
        if self.provisioned_throughput:
            entry["ProvisionedThroughput"] = self.provisioned_throughput
        if self.on_demand_throughput:
            entry["OnDemandThroughput"] = self.on_demand_throughput
        if self.warm_throughput:
            entry["WarmThroughput"] = self.warm_throughput
        return entry


@dataclass
class LSI:
    """A local secondary index (same partition key as the table, another sort key)."""

    name: str
    range_key: str
    projection: ProjectionType = "ALL"
    non_key_attributes: list[str] | None = None

    def to_dynamo(self, hash_key: str) -> dict[str, Any]:
        """This index as a ``LocalSecondaryIndexes`` entry of ``CreateTable``."""
        return {
            "IndexName": self.name,
            "KeySchema": [
                {"AttributeName": hash_key, "KeyType": "HASH"},
                {"AttributeName": self.range_key, "KeyType": "RANGE"},
            ],
            "Projection": _projection(self.projection, self.non_key_attributes),
        }


def _projection(kind: str, non_key_attributes: list[str] | None) -> dict[str, Any]:
    projection: dict[str, Any] = {"ProjectionType": kind}
    if non_key_attributes:
        projection["NonKeyAttributes"] = list(non_key_attributes)
    return projection


@dataclass
class TableMeta:
    """What ``@table`` attaches to a model as ``Model.Meta``."""

    table_name: str
    hash_key: str
    range_key: str | None = None
    global_secondary_indexes: dict[str, GSI] = field(default_factory=dict)
    local_secondary_indexes: dict[str, LSI] = field(default_factory=dict)


def table_meta(model: Any) -> TableMeta:
    """``model.Meta``, or a ``TypeError`` that names ``@table`` when the class was never decorated.

    Every client call reads the table through here: without it an undecorated model fails deep in a
    call with pydantic's bare ``AttributeError: Meta``, which says nothing about the missing decorator.
    """
    meta = getattr(model, "Meta", None)
    if isinstance(meta, TableMeta):
        return meta
    name = getattr(model, "__name__", None) or type(model).__name__
    if isinstance(model, type) and issubclass(model, BaseModel):
        raise TypeError(
            f'{name} has no table: decorate the class with @table("table_name") '
            "(from aiodynamodb import table) before using it with DynamoDB"
        )
    raise TypeError(f"expected a DynamoModel class decorated with @table, got {model!r}")


class DynamoModel(BaseModel):
    """Base class for models stored in DynamoDB; decorate subclasses with ``@table``."""

    Meta: ClassVar[TableMeta]
    _has_float_fields: ClassVar[bool] = False

    def to_dynamo(self) -> dict[str, Any]:
        """This model as a DynamoDB item of AttributeValues (``{"name": {"S": "Alice"}}``)."""
        return converter_for(type(self)).to_dynamo(self)

    def to_dynamo_compatible(self) -> dict[str, Any]:
        """This model as plain values boto3's resource layer accepts (numbers as ``Decimal``)."""
        return {k: resource_value(v) for k, v in self.to_dynamo().items()}

    @classmethod
    def from_dynamo(cls, raw: dict[str, Any]) -> Self:
        """The model for a DynamoDB item of AttributeValues; raises pydantic's ``ValidationError``."""
        result: Self = converter_for(cls).from_dynamo(raw)
        return result


_Model = TypeVar("_Model", bound=DynamoModel)


def table(
    name: str,
    *,
    hash_key: str | None = None,
    range_key: str | None = None,
    indexes: list[GSI | LSI] | None = None,
) -> Callable[[type[_Model]], type[_Model]]:
    """Attach table metadata to a ``DynamoModel`` subclass; the class itself is returned unchanged.

    Raises ``TypeError`` for a key given both ways, two ``HashKey``/``RangeKey`` fields or no hash key,
    and ``ValueError`` for a key or index key naming no field, or duplicate index names.
    """

    def decorator(cls: type[_Model]) -> type[_Model]:
        annotated_hash, annotated_range = _annotated_keys(cls)
        effective_hash = _one_source("hash_key", hash_key, annotated_hash, cls)
        effective_range = _one_source("range_key", range_key, annotated_range, cls)
        if effective_hash is None:
            raise TypeError(
                f"No hash key specified for {cls.__name__}. "
                "Use HashKey[T] on a field or pass hash_key='field_name' to @table."
            )
        for label, key in (("hash_key", effective_hash), ("range_key", effective_range)):
            if key is not None and key not in cls.model_fields:
                raise ValueError(f"{label} '{key}' is not a field on {cls.__name__}")
        idxs = list(indexes or [])
        for kind in (GSI, LSI):
            names = [i.name for i in idxs if isinstance(i, kind)]
            if len(names) != len(set(names)):
                raise ValueError(f"Index names must be unique ({kind.__name__}s of {cls.__name__}: {names})")
        for index in idxs:
            keys = [index.hash_key, index.range_key] if isinstance(index, GSI) else [index.range_key]
            for key in keys:
                if key is not None and key not in cls.model_fields:
                    raise ValueError(f"index {index.name!r} key '{key}' is not a field on {cls.__name__}")
        cls.Meta = TableMeta(
            table_name=name,
            hash_key=effective_hash,
            range_key=effective_range,
            global_secondary_indexes={i.name: i for i in idxs if isinstance(i, GSI)},
            local_secondary_indexes={i.name: i for i in idxs if isinstance(i, LSI)},
        )
        cls._has_float_fields = any("float" in repr(f.annotation) for f in cls.model_fields.values())
        return cls

    return decorator


def _annotated_keys(cls: type[BaseModel]) -> tuple[str | None, str | None]:
    found: dict[str, str] = {}
    for field_name, info in cls.model_fields.items():
        for meta in info.metadata:
            if not isinstance(meta, _KeyMarker):
                continue
            marker = meta
            label = "HashKey" if marker.kind == "hash" else "RangeKey"
            if marker.kind in found:
                raise TypeError(
                    f"Model {cls.__name__} has multiple {label} fields: "
                    f"'{found[marker.kind]}' and '{field_name}'"
                )
            found[marker.kind] = field_name
    return found.get("hash"), found.get("range")


def _one_source(label: str, argument: str | None, annotated: str | None, cls: type) -> str | None:
    if argument is not None and annotated is not None:
        raise TypeError(
            f"Specify {label} for {cls.__name__} either via annotation or decorator argument, "
            f"not both (got '{argument}' and '{annotated}')"
        )
    return argument or annotated


_T = TypeVar("_T", bound=DynamoModel)


@dataclass
class QueryResult(Generic[_T]):
    """One page of ``query``/``scan`` results, typed.

    ``last_evaluated_key`` is ``None`` on the last page; otherwise it is the key as boto3's resource
    layer writes it (``{"user_id": "u1", "n": Decimal("3")}``), which ``exclusive_start_key`` takes
    back to resume. ``consumed_capacity`` is DynamoDB's ``ConsumedCapacity`` for this page when
    ``return_consumed_capacity=True`` was asked for (the published package requested it and dropped it).
    """

    items: list[_T]
    last_evaluated_key: dict[str, Any] | None
    consumed_capacity: dict[str, Any] | None = None


def __getattr__(name: str) -> Any:
    # The published package defined the batch/transact classes in this module; they live in
    # aiodynamodb.operations now (imported lazily: that module imports this one).
    from . import operations

    if name in operations.__all__:
        return getattr(operations, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
