"""The request and result objects of batch and transaction calls, as the published package names them.

``BatchPut``/``BatchDelete``/``BatchGet`` (and their results) are what ``DynamoDB.batch_write`` and
``DynamoDB.batch_get`` take and return; ``result.unprocessed`` holds these same objects, so what was
not processed can be passed straight back. The ``Transact*`` classes are what ``DynamoDB.transact_get``
and ``DynamoDB.transact_write`` take, with the published constructors (field order and defaults), so
user code building them keeps working. Conditions are boto3 ``Attr`` objects (or verbatim strings),
updates collections of ``UpdateAttr``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Generic, TypeAlias, TypeVar

from .custom_types import KeyT
from .models import DynamoModel
from .projection import ProjectionExpressionArg

__all__ = [
    "BatchDelete",
    "BatchGet",
    "BatchGetResult",
    "BatchPut",
    "BatchWriteOperation",
    "BatchWriteResult",
    "TransactConditionCheck",
    "TransactDelete",
    "TransactGet",
    "TransactPut",
    "TransactUpdate",
    "TransactWriteOperation",
]

T = TypeVar("T", bound=DynamoModel)


@dataclass(frozen=True)
class BatchPut(Generic[T]):
    """Write ``item`` (replacing any item with its key) in ``batch_write``."""

    item: T

    @property
    def model(self) -> type[T]:
        return type(self.item)


@dataclass(frozen=True)
class BatchDelete(Generic[T]):
    """Delete the item of ``model`` with this key in ``batch_write`` (a missing item is no error)."""

    model: type[T]
    hash_key: KeyT
    range_key: KeyT | None = None


@dataclass(frozen=True)
class BatchGet(Generic[T]):
    """Read the item of ``model`` with this key in ``batch_get``."""

    model: type[T]
    hash_key: KeyT
    range_key: KeyT | None = None
    consistent_read: bool = False
    projection_expression: ProjectionExpressionArg | None = None


BatchWriteOperation: TypeAlias = "BatchPut[Any] | BatchDelete[Any]"


@dataclass
class BatchWriteResult:
    """What ``batch_write`` could not write after its retries, and what the calls reported.

    ``unprocessed_items`` is DynamoDB's wire format (``{table: [{"PutRequest": {"Item": ...}}]}``);
    ``unprocessed`` holds the same requests as the ``BatchPut``/``BatchDelete`` objects passed in:
    everything left unprocessed or throttled when attempts ran out (and, in an error's
    ``partial_result``, everything not known to be written).
    ``consumed_capacity`` (one entry per table, summed over every call) and
    ``item_collection_metrics`` are set only when asked for.
    """

    unprocessed_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unprocessed: list[BatchPut[Any] | BatchDelete[Any]] = field(default_factory=list)
    consumed_capacity: list[dict[str, Any]] | None = None
    item_collection_metrics: dict[str, list[dict[str, Any]]] | None = None


@dataclass
class BatchGetResult(Generic[T]):
    """Items found, grouped by the model class that asked for them, and what stayed unprocessed.

    A key nobody has is simply absent. ``unprocessed_keys`` is DynamoDB's wire format, resendable as
    ``RequestItems``; ``unprocessed`` holds the matching ``BatchGet`` objects: every key left
    unprocessed or throttled when attempts ran out (and, in an error's ``partial_result``, every key
    not read). (When one table had both
    projected and plain requests left over, the wire format, one entry per table, carries the first
    one's options; ``unprocessed`` is exact.)
    """

    items: dict[type[T], list[T]] = field(default_factory=dict)
    unprocessed_keys: dict[str, Any] = field(default_factory=dict)
    unprocessed: list[BatchGet[Any]] = field(default_factory=list)
    consumed_capacity: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class TransactGet(Generic[T]):
    """One read of ``transact_get`` (always strongly consistent)."""

    model: type[T]
    hash_key: KeyT
    range_key: KeyT | None = None
    projection_expression: ProjectionExpressionArg | None = None


@dataclass(frozen=True)
class TransactPut(Generic[T]):
    """Write ``item`` in ``transact_write``, if ``condition_expression`` (when given) holds."""

    item: T
    condition_expression: Any = None

    @property
    def model(self) -> type[T]:
        return type(self.item)


@dataclass(frozen=True)
class TransactDelete(Generic[T]):
    """Delete the item with this key in ``transact_write`` (a missing item is no error)."""

    model: type[T]
    hash_key: KeyT
    range_key: KeyT | None = None
    condition_expression: Any = None


@dataclass(frozen=True)
class TransactConditionCheck(Generic[T]):
    """Require ``condition_expression`` to hold for the item with this key, writing nothing to it."""

    model: type[T]
    hash_key: KeyT
    condition_expression: Any
    range_key: KeyT | None = None


@dataclass(frozen=True)
class TransactUpdate(Generic[T]):
    """Apply ``update_expression`` (``UpdateAttr`` actions) to the item with this key."""

    model: type[T]
    hash_key: KeyT
    update_expression: Collection[Any]
    range_key: KeyT | None = None
    condition_expression: Any = None


TransactWriteOperation: TypeAlias = (
    "TransactPut[Any] | TransactDelete[Any] | TransactConditionCheck[Any] | TransactUpdate[Any]"
)
