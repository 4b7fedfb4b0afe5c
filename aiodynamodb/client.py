"""``DynamoDB``: the client users hold; thin methods that build a request, send it, parse the answer.

Every call goes through one ``Transport`` (the aioboto3 one unless another is given, such as the
in-memory fake) and is resent under the client's ``RetryPolicy`` when the whole request is throttled
or fails internally. Table definitions come from the model's ``@table`` metadata: ``create_table``
infers ``AttributeDefinitions`` from the key and index fields' types
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html). The batch
methods live in ``batch_write``/``batch_get``; this module only passes them the transport and policy.
"""

from __future__ import annotations

import random
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import TracebackType, UnionType
from typing import Any, Literal, Self, TypeVar, Union, get_args, get_origin
from uuid import UUID

import aioboto3
from boto3.dynamodb.conditions import ConditionBase
from botocore.exceptions import ClientError

from . import errors
from .aioboto3_transport import Aioboto3Transport
from .batch import DEFAULT, _Default, resolve_policy
from .batch_get import batch_get as _batch_get
from .batch_write import batch_write as _batch_write
from .conditions import condition_request
from .custom_types import JSONMarker, TimestampUnit
from .keys import build_key
from .models import DynamoModel
from .operations import BatchDelete, BatchGet, BatchGetResult, BatchPut, BatchWriteResult
from .projection import ProjectionAttr, build_projection
from .retry import Clock, RetryPolicy, paced, send_with_retry
from .serialize import converter_for
from .transport import Transport

__all__ = ["DynamoDB", "ErrorNamespace"]

T = TypeVar("T", bound=DynamoModel)

_DEFAULT_RETRY = RetryPolicy()


class ErrorNamespace:
    """``await db.exceptions()``: DynamoDB's error classes by code (``.ConditionalCheckFailedException``).

    They are the ``aiodynamodb.errors`` classes every call raises, subclasses of botocore's
    ``ClientError``; a code not known yet gets its class made on first access.
    """

    ClientError = ClientError

    def __getattr__(self, name: str) -> type[errors.DynamoDBError]:
        if name.startswith("_"):
            raise AttributeError(name)
        return errors.error_class(name)


def _pace_of(transport: Transport) -> tuple[Clock, Callable[[], float]] | None:
    """The clock and seeded jitter of a transport that keeps its own time (the fake), else None."""
    clock = getattr(transport, "clock", None)
    if clock is None or not callable(getattr(clock, "sleep", None)):
        return None
    seed = getattr(transport, "seed", 0)
    return clock, random.Random(seed if isinstance(seed, int) else 0).random


class DynamoDB:
    """Async DynamoDB client for ``DynamoModel`` classes.

    ``DynamoDB(session=None, *, transport=None, retry=RetryPolicy(), max_concurrency=8, **client_kwargs)``:
    without a ``transport`` it talks to AWS (or ``endpoint_url``) through aioboto3, passing
    ``client_kwargs`` to ``session.client("dynamodb", ...)``. ``retry`` is the policy every call is
    resent under; ``retry=None`` sends each request (each batch chunk) once. ``hash_key_types``
    (published API) maps extra Python key types to ``"S"``/``"N"``/``"B"`` for ``create_table``.
    """

    def __init__(
        self,
        session: aioboto3.Session | None = None,
        *,
        transport: Transport | None = None,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
        max_concurrency: int = 8,
        hash_key_types: Mapping[Any, str] | None = None,
        **client_kwargs: Any,
    ) -> None:
        if transport is not None and (session is not None or client_kwargs):
            raise TypeError("pass either a transport or aioboto3 session/client arguments, not both")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self._transport: Transport = (
            transport if transport is not None else Aioboto3Transport(session, **client_kwargs)
        )
        resolve_policy(retry, None)  # a wrong type fails here, not at the first resend
        self._pace = _pace_of(self._transport)
        self.retry = None if retry is None else self._paced(retry)
        self.max_concurrency = max_concurrency
        self.hash_key_types: Mapping[Any, str] = dict(hash_key_types or {})
        self._errors = ErrorNamespace()

    @property
    def transport(self) -> Transport:
        return self._transport

    async def __aenter__(self) -> Self:
        if isinstance(self._transport, Aioboto3Transport):
            await self._transport.client()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Release the transport's connections; safe twice, and the client reopens lazily if used again."""
        await self._transport.close()

    async def exceptions(self) -> ErrorNamespace:
        return self._errors

    def _paced(self, policy: RetryPolicy) -> RetryPolicy:
        """``policy`` on the transport's own clock, if it has one (see ``aiodynamodb.transport``)."""
        return policy if self._pace is None else paced(policy, *self._pace)

    def _policy(self, retry: RetryPolicy | _Default | None) -> RetryPolicy:
        return self._paced(resolve_policy(retry, self.retry))

    async def _call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        return await send_with_retry(self._transport, operation, request, self._policy(DEFAULT))

    # --- tables -------------------------------------------------------------------------------

    async def create_table(
        self,
        model: type[DynamoModel],
        *,
        billing_mode: str = "PAY_PER_REQUEST",
        provisioned_throughput: Mapping[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
        table_class: str | None = None,
    ) -> dict[str, Any]:
        """``CreateTable`` for ``model``'s table; returns the raw response (no wait for ACTIVE)."""
        return await self._call(
            "CreateTable",
            self.create_table_request(
                model,
                billing_mode=billing_mode,
                provisioned_throughput=provisioned_throughput,
                tags=tags,
                table_class=table_class,
            ),
        )

    def create_table_request(
        self,
        model: type[DynamoModel],
        *,
        billing_mode: str = "PAY_PER_REQUEST",
        provisioned_throughput: Mapping[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
        table_class: str | None = None,
    ) -> dict[str, Any]:
        """The ``CreateTable`` request ``create_table`` sends; unsupported key types raise ``TypeError``."""
        meta = model.Meta
        types: dict[str, str] = {}

        def add(field_name: str) -> None:
            types[field_name] = self._attribute_type(model, field_name)

        key_schema = [{"AttributeName": meta.hash_key, "KeyType": "HASH"}]
        add(meta.hash_key)
        if meta.range_key:
            key_schema.append({"AttributeName": meta.range_key, "KeyType": "RANGE"})
            add(meta.range_key)
        gsis = [index.to_dynamo() for index in meta.global_secondary_indexes.values()]
        lsis = [index.to_dynamo(meta.hash_key) for index in meta.local_secondary_indexes.values()]
        for index in (*gsis, *lsis):
            for element in index["KeySchema"]:
                add(element["AttributeName"])
        request: dict[str, Any] = {
            "TableName": meta.table_name,
            "KeySchema": key_schema,
            "AttributeDefinitions": [
                {"AttributeName": n, "AttributeType": t} for n, t in sorted(types.items())
            ],
            "BillingMode": billing_mode,
        }
        if provisioned_throughput is not None:
            request["ProvisionedThroughput"] = dict(provisioned_throughput)
        if gsis:
            request["GlobalSecondaryIndexes"] = gsis
        if lsis:
            request["LocalSecondaryIndexes"] = lsis
        if tags:
            request["Tags"] = tags
        if table_class:
            request["TableClass"] = table_class
        return request

    def _attribute_type(self, model: type[DynamoModel], field_name: str) -> str:
        info = model.model_fields[field_name]
        annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        found = _key_type(annotation, self.hash_key_types)
        if found is None:
            raise TypeError(
                f"Unsupported key type for field '{field_name}' of {model.__name__}: {info.annotation!r}. "
                "Keys must be str, bytes, int, float, Decimal, datetime, date, UUID, Timestamp*, "
                "a str/int Enum or Literal, or a type given in hash_key_types."
            )
        return found

    async def delete_table(self, model: type[DynamoModel]) -> dict[str, Any]:
        """``DeleteTable``; returns the raw response (no wait)."""
        return await self._call("DeleteTable", {"TableName": model.Meta.table_name})

    # --- items --------------------------------------------------------------------------------

    async def put(
        self, item: DynamoModel, *, condition_expression: ConditionBase | str | None = None
    ) -> None:
        """Write ``item``, replacing any item with the same key.

        With a ``condition_expression`` (boto3 ``Attr(...)``), a false condition raises
        ``ConditionalCheckFailedException``.
        """
        model = type(item)
        request = {"TableName": model.Meta.table_name, "Item": item.to_dynamo()}
        request.update(condition_request(model, condition_expression))
        await self._call("PutItem", request)

    async def get(
        self,
        model: type[T],
        *,
        hash_key: Any,
        range_key: Any = None,
        consistent_read: bool = False,
        projection_expression: list[ProjectionAttr] | None = None,
        consistent_reads: bool | None = None,
    ) -> T | None:
        """The item with this key, or ``None``; with a projection, a model holding only those fields.

        ``consistent_reads`` is the published package's spelling of ``consistent_read``.
        """
        request: dict[str, Any] = {
            "TableName": model.Meta.table_name,
            "Key": build_key(model, hash_key, range_key),
        }
        if consistent_read or consistent_reads:
            request["ConsistentRead"] = True
        if projection_expression is not None:
            text, names = build_projection(projection_expression)
            request["ProjectionExpression"] = text
            request["ExpressionAttributeNames"] = names
        response = await self._call("GetItem", request)
        item = response.get("Item")
        if item is None:
            return None
        converter = converter_for(model)
        found: T = (
            converter.from_dynamo(item) if projection_expression is None else converter.from_partial(item)
        )
        return found

    async def delete(
        self,
        model: type[DynamoModel],
        *,
        hash_key: Any,
        range_key: Any = None,
        condition_expression: ConditionBase | str | None = None,
    ) -> None:
        """Delete the item with this key; a missing item is no error (unless a condition fails)."""
        request = {"TableName": model.Meta.table_name, "Key": build_key(model, hash_key, range_key)}
        request.update(condition_request(model, condition_expression))
        await self._call("DeleteItem", request)

    # --- batches ------------------------------------------------------------------------------

    async def batch_write(
        self,
        operations: Iterable[BatchPut[Any] | BatchDelete[Any]],
        *,
        return_consumed_capacity: bool = False,
        return_item_collection_metrics: bool = False,
        retry: RetryPolicy | _Default | None = DEFAULT,
        max_concurrency: int | None = None,
    ) -> BatchWriteResult:
        """Write any number of puts and deletes, 25 per ``BatchWriteItem`` call, resending unprocessed ones.

        ``retry`` overrides the client's policy for this call; ``retry=None`` sends each call once.
        What is not written when a call's attempts run out, whether items came back unprocessed or
        the whole call was throttled, is in ``result.unprocessed`` (the operation objects, ready to
        pass back) and ``result.unprocessed_items`` (wire format); throttling raises nothing. Any
        other error (``ValidationException``, ``ResourceNotFoundException``...) starts no further
        call, lets those in flight finish, and is raised with ``err.partial_result``: a
        ``BatchWriteResult`` whose ``unprocessed`` holds every operation not known to be written, so
        ``batch_write(err.partial_result.unprocessed)`` resumes. Two operations on one key raise
        ``ValueError`` before anything is sent.
        """
        return await _batch_write(
            self._transport,
            operations,
            policy=self._policy(retry),
            max_concurrency=max_concurrency or self.max_concurrency,
            return_consumed_capacity=return_consumed_capacity,
            return_item_collection_metrics=return_item_collection_metrics,
        )

    async def batch_get(
        self,
        requests: Iterable[BatchGet[Any]],
        *,
        return_consumed_capacity: bool = False,
        retry: RetryPolicy | _Default | None = DEFAULT,
        max_concurrency: int | None = None,
    ) -> BatchGetResult[Any]:
        """Read any number of keys, 100 per ``BatchGetItem`` call, resending unprocessed keys.

        Results are grouped by model class (``result.items[User]``) in no particular order; a key
        requested twice comes back once. Keys not read when a call's attempts run out (left
        unprocessed, or the whole call throttled) are in ``result.unprocessed`` and
        ``result.unprocessed_keys``; throttling raises nothing. Any other error is raised once calls
        in flight finish, with ``err.partial_result``: a ``BatchGetResult`` of the items read so far
        and, as unprocessed, every key not read.
        """
        return await _batch_get(
            self._transport,
            requests,
            policy=self._policy(retry),
            max_concurrency=max_concurrency or self.max_concurrency,
            return_consumed_capacity=return_consumed_capacity,
        )


_SCALAR_KEY_TYPES: tuple[tuple[type, str], ...] = (
    (bool, ""),  # before int: a bool is an int, but DynamoDB has no boolean key type
    (Enum, "?"),
    (str, "S"),
    (bytes, "B"),
    (int, "N"),
    (float, "N"),
    (Decimal, "N"),
    (datetime, "S"),
    (date, "S"),
    (UUID, "S"),
)


def _key_type(annotation: Any, overrides: Mapping[Any, str]) -> str | None:
    if annotation in overrides:
        return overrides[annotation]
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = get_args(annotation)
        for meta in metadata:
            if isinstance(meta, TimestampUnit):
                return "N"
            if isinstance(meta, JSONMarker):
                return "S"
        return _key_type(inner, overrides)
    if origin in (Union, UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return _key_type(members[0], overrides) if len(members) == 1 else None
    if origin is Literal:
        kinds = {_key_type(type(v), overrides) for v in get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else None
    if not isinstance(annotation, type):
        return None
    for base, kind in overrides.items():
        if (
            isinstance(base, type)
            and issubclass(annotation, base)
            and not (annotation is bool and base is int)
        ):
            return kind
    for base, kind in _SCALAR_KEY_TYPES:
        if issubclass(annotation, base):
            if kind == "?":
                values = [m.value for m in typing.cast(type[Enum], annotation)]
                kinds = {_key_type(type(v), overrides) for v in values}
                return kinds.pop() if len(kinds) == 1 else None
            return kind or None
    return None
