"""``DynamoDB``: the client users hold; thin methods that build a request, send it, parse the answer.

Every call goes through one ``Transport`` (the aioboto3 one unless another is given, such as the
in-memory fake) and is resent under the client's ``RetryPolicy`` when the whole request is throttled
or fails internally, or a transaction is cancelled only by throttling or a conflict; a failed
condition is never resent. The work lives beside it: ``tables`` (``CreateTable`` from ``@table``),
``expressions`` (conditions, updates, projections), ``reads`` (query/scan paging), ``transactions``
and ``batch_write``/``batch_get``; this module wires them to the transport and the policy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

import aioboto3
from boto3.dynamodb.conditions import ConditionBase

from .aioboto3_transport import Aioboto3Transport
from .batch import DEFAULT, _Default, resolve_policy
from .batch_get import batch_get as _batch_get
from .batch_write import batch_write as _batch_write
from .custom_types import ReturnValues
from .errors import ErrorNamespace
from .expressions import build_expressions
from .keys import build_key
from .models import DynamoModel, QueryResult, table_meta
from .operations import (
    BatchDelete,
    BatchGet,
    BatchGetResult,
    BatchPut,
    BatchWriteResult,
    TransactGet,
    TransactWriteOperation,
)
from .projection import ProjectionAttr
from .reads import pages, query_request, reads_partial_items, scan_request
from .retry import RetryPolicy, pace_of, paced, send_with_retry
from .serialize import converter_for
from .tables import create_table_request
from .transactions import transact_get_request, transact_get_results, transact_write_request
from .transport import Transport

__all__ = ["DynamoDB", "ErrorNamespace"]

T = TypeVar("T", bound=DynamoModel)

_DEFAULT_RETRY = RetryPolicy()


class DynamoDB:
    """Async DynamoDB client for ``DynamoModel`` classes.

    ``DynamoDB(session=None, hash_key_types=None, *, transport=None, retry=RetryPolicy(),
    max_concurrency=8, **client_kwargs)``:
    without a ``transport`` it talks to AWS (or ``endpoint_url``) through aioboto3, passing
    ``client_kwargs`` to ``session.client("dynamodb", ...)``. ``retry`` is the policy every call is
    resent under; ``retry=None`` sends each request (each batch chunk) once. ``hash_key_types``
    (published API) maps extra Python key types to ``"S"``/``"N"``/``"B"`` for ``create_table``.
    """

    def __init__(
        self,
        session: aioboto3.Session | None = None,
        hash_key_types: Mapping[Any, str] | None = None,
        *,
        transport: Transport | None = None,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
        max_concurrency: int = 8,
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
        self._pace = pace_of(self._transport)
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

    def create_table_request(self, model: type[DynamoModel], **options: Any) -> dict[str, Any]:
        """The ``CreateTable`` request ``create_table`` sends; unsupported key types raise ``TypeError``."""
        return create_table_request(model, self.hash_key_types, **options)

    async def delete_table(self, model: type[DynamoModel]) -> dict[str, Any]:
        """``DeleteTable``; returns the raw response (no wait)."""
        return await self._call("DeleteTable", {"TableName": table_meta(model).table_name})

    # --- items --------------------------------------------------------------------------------

    async def put(
        self, item: DynamoModel, *, condition_expression: ConditionBase | str | None = None
    ) -> None:
        """Write ``item``, replacing any item with the same key.

        With a ``condition_expression`` (boto3 ``Attr(...)``), a false condition raises
        ``ConditionalCheckFailedException`` and writes nothing.
        """
        model = type(item)
        request = {"TableName": table_meta(model).table_name, "Item": converter_for(model).to_dynamo(item)}
        request.update(build_expressions(model, condition_expression=condition_expression))
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
            "TableName": table_meta(model).table_name,
            "Key": build_key(model, hash_key, range_key),
        }
        if consistent_read or consistent_reads:
            request["ConsistentRead"] = True
        request.update(build_expressions(model, projection_expression=projection_expression))
        item = (await self._call("GetItem", request)).get("Item")
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
        request = {"TableName": table_meta(model).table_name, "Key": build_key(model, hash_key, range_key)}
        request.update(build_expressions(model, condition_expression=condition_expression))
        await self._call("DeleteItem", request)

    async def update(
        self,
        model: type[T],
        *,
        hash_key: Any,
        update_expression: Collection[Any],
        range_key: Any = None,
        condition_expression: ConditionBase | str | None = None,
        return_values: ReturnValues | None = None,
    ) -> T | None:
        """Apply ``update_expression`` (``UpdateAttr`` actions) to the item with this key, creating it if
        missing (as DynamoDB does).

        Returns a model only when DynamoDB returns attributes: ``ALL_OLD``/``ALL_NEW`` give the whole
        item, ``UPDATED_OLD``/``UPDATED_NEW`` a partial model of the updated fields; otherwise ``None``.
        A false ``condition_expression`` raises ``ConditionalCheckFailedException`` and changes nothing.
        """
        request: dict[str, Any] = {
            "TableName": table_meta(model).table_name,
            "Key": build_key(model, hash_key, range_key),
        }
        request.update(
            build_expressions(
                model, condition_expression=condition_expression, update_expression=update_expression
            )
        )
        if return_values is not None:
            request["ReturnValues"] = return_values
        attributes = (await self._call("UpdateItem", request)).get("Attributes")
        if not attributes:
            return None
        converter = converter_for(model)
        partial = return_values in ("UPDATED_OLD", "UPDATED_NEW")
        result: T = converter.from_partial(attributes) if partial else converter.from_dynamo(attributes)
        return result

    # --- reads --------------------------------------------------------------------------------

    def query(
        self,
        model: type[T],
        *,
        index_name: str | None = None,
        limit: int | None = None,
        key_condition_expression: ConditionBase | str | None = None,
        filter_expression: ConditionBase | str | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: bool = False,
        consistent_read: bool = False,
        scan_index_forward: bool = True,
        projection_expression: list[ProjectionAttr] | None = None,
    ) -> AsyncIterator[QueryResult[T]]:
        """Pages of the items matching ``key_condition_expression`` (boto3 ``Key(...)``), as
        ``async for page in db.query(...)``: ``page.items``, ``page.last_evaluated_key``.

        Follows ``LastEvaluatedKey`` to the last page (``limit`` is items evaluated per page); pass a
        page's ``last_evaluated_key`` as ``exclusive_start_key`` to resume later. ``filter_expression``
        (boto3 ``Attr(...)``) is applied by DynamoDB after the page is read, so pages may be empty.
        """
        request = query_request(
            model,
            index_name=index_name,
            limit=limit,
            key_condition_expression=key_condition_expression,
            filter_expression=filter_expression,
            exclusive_start_key=exclusive_start_key,
            return_consumed_capacity=return_consumed_capacity,
            consistent_read=consistent_read,
            scan_index_forward=scan_index_forward,
            projection_expression=projection_expression,
        )
        partial = reads_partial_items(model, index_name, projection_expression)
        return pages(self._call, "Query", request, model, partial=partial)

    def scan(
        self,
        model: type[T],
        *,
        index_name: str | None = None,
        limit: int | None = None,
        filter_expression: ConditionBase | str | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        consistent_read: bool = False,
        return_consumed_capacity: bool = False,
        projection_expression: list[ProjectionAttr] | None = None,
        segment: int | None = None,
        total_segments: int | None = None,
    ) -> AsyncIterator[QueryResult[T]]:
        """Pages of every item of the table (or index), as ``query`` pages them.

        ``segment``/``total_segments`` read one part of a parallel scan: run ``total_segments`` scans,
        one per segment, concurrently to read the table faster.
        """
        request = scan_request(
            model,
            index_name=index_name,
            limit=limit,
            filter_expression=filter_expression,
            exclusive_start_key=exclusive_start_key,
            consistent_read=consistent_read,
            return_consumed_capacity=return_consumed_capacity,
            projection_expression=projection_expression,
            segment=segment,
            total_segments=total_segments,
        )
        partial = reads_partial_items(model, index_name, projection_expression)
        return pages(self._call, "Scan", request, model, partial=partial)

    # --- transactions -------------------------------------------------------------------------

    async def transact_get(
        self, requests: Sequence[TransactGet[T]], *, return_consumed_capacity: bool = False
    ) -> list[T | None]:
        """Read up to 100 items in one snapshot: a model or ``None`` per request, in request order."""
        response = await self._call(
            "TransactGetItems",
            transact_get_request(requests, return_consumed_capacity=return_consumed_capacity),
        )
        return transact_get_results(requests, response)

    async def transact_write(
        self,
        operations: Iterable[TransactWriteOperation],
        *,
        client_request_token: str | None = None,
        return_consumed_capacity: bool = False,
        return_item_collection_metrics: bool = False,
    ) -> dict[str, Any]:
        """Apply ``TransactPut``/``TransactDelete``/``TransactConditionCheck``/``TransactUpdate``
        operations all together or not at all; returns the raw ``TransactWriteItems`` response.

        A failed condition (or any other cancellation) raises ``TransactionCanceledException`` whose
        ``cancellation_reasons`` give one ``{"Code": ...}`` per operation, in order. A transaction
        cancelled only by throttling or a conflicting transaction is resent under the retry policy
        (it applied nothing); ``client_request_token`` makes resends idempotent for ten minutes.
        """
        request = transact_write_request(
            operations,
            client_request_token=client_request_token,
            return_consumed_capacity=return_consumed_capacity,
            return_item_collection_metrics=return_item_collection_metrics,
        )
        return await self._call("TransactWriteItems", request)

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
