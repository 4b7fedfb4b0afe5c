"""``query`` and ``scan``: their requests, and the pages that follow ``LastEvaluatedKey`` to the end.

Each DynamoDB page becomes one ``QueryResult`` of typed items, in DynamoDB's order; a page can be empty
when a filter rejected everything on it, and paging goes on while DynamoDB returns a
``LastEvaluatedKey`` (``limit`` bounds the items *evaluated* per page, as DynamoDB's ``Limit`` does, not
the total). A page's key is handed out in boto3's resource form so published code can pass it back as
``exclusive_start_key``; either form is accepted there. Items are validated as whole models unless the
read may return only some attributes (a projection, or an index that does not project ``ALL``): then
they are partial models, as ``get`` with a projection builds them
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html,
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

from .expressions import build_expressions
from .keys import resource_key, wire_key
from .models import DynamoModel, QueryResult, table_meta
from .serialize import converter_for

__all__ = ["Send", "pages", "query_request", "reads_partial_items", "scan_request"]

T = TypeVar("T", bound=DynamoModel)

# How a page is fetched: the client's retried call.
Send = Callable[[str, Mapping[str, Any]], Awaitable[dict[str, Any]]]


def _read_options(
    request: dict[str, Any],
    *,
    index_name: str | None,
    limit: int | None,
    exclusive_start_key: Mapping[str, Any] | None,
    consistent_read: bool,
    return_consumed_capacity: bool,
) -> None:
    if index_name is not None:
        request["IndexName"] = index_name
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive int (items evaluated per page), got {limit!r}")
        request["Limit"] = limit
    if exclusive_start_key is not None:
        request["ExclusiveStartKey"] = wire_key(exclusive_start_key)
    if consistent_read:
        request["ConsistentRead"] = True
    if return_consumed_capacity:
        request["ReturnConsumedCapacity"] = "TOTAL"


def query_request(
    model: type[DynamoModel],
    *,
    key_condition_expression: Any,
    index_name: str | None = None,
    limit: int | None = None,
    filter_expression: Any = None,
    exclusive_start_key: Mapping[str, Any] | None = None,
    return_consumed_capacity: bool = False,
    consistent_read: bool = False,
    scan_index_forward: bool = True,
    projection_expression: Any = None,
) -> dict[str, Any]:
    """The first ``Query`` request; ``ValueError`` without a key condition (DynamoDB requires one)."""
    if key_condition_expression is None:
        raise ValueError("query needs a key_condition_expression, e.g. Key('user_id').eq('u1')")
    request: dict[str, Any] = {"TableName": table_meta(model).table_name}
    _read_options(
        request,
        index_name=index_name,
        limit=limit,
        exclusive_start_key=exclusive_start_key,
        consistent_read=consistent_read,
        return_consumed_capacity=return_consumed_capacity,
    )
    if not scan_index_forward:
        request["ScanIndexForward"] = False
    request.update(
        build_expressions(
            model,
            key_condition_expression=key_condition_expression,
            filter_expression=filter_expression,
            projection_expression=projection_expression,
        )
    )
    return request


def scan_request(
    model: type[DynamoModel],
    *,
    index_name: str | None = None,
    limit: int | None = None,
    filter_expression: Any = None,
    exclusive_start_key: Mapping[str, Any] | None = None,
    consistent_read: bool = False,
    return_consumed_capacity: bool = False,
    projection_expression: Any = None,
    segment: int | None = None,
    total_segments: int | None = None,
) -> dict[str, Any]:
    """The first ``Scan`` request; a parallel scan's ``segment`` and ``total_segments`` come together."""
    request: dict[str, Any] = {"TableName": table_meta(model).table_name}
    _read_options(
        request,
        index_name=index_name,
        limit=limit,
        exclusive_start_key=exclusive_start_key,
        consistent_read=consistent_read,
        return_consumed_capacity=return_consumed_capacity,
    )
    if (segment is None) != (total_segments is None):
        raise ValueError("a parallel scan needs both segment and total_segments")
    if segment is not None and total_segments is not None:
        if not 0 <= segment < total_segments:
            raise ValueError(f"segment must be in [0, total_segments), got {segment} of {total_segments}")
        request["Segment"] = segment
        request["TotalSegments"] = total_segments
    expressions = build_expressions(
        model, filter_expression=filter_expression, projection_expression=projection_expression
    )
    request.update(expressions)
    return request


def reads_partial_items(model: type[DynamoModel], index_name: str | None, projection: Any) -> bool:
    """Whether items may lack some attributes: a projection, or an index that does not project ALL."""
    if projection is not None:
        return True
    if index_name is None:
        return False
    meta = table_meta(model)
    index = meta.global_secondary_indexes.get(index_name) or meta.local_secondary_indexes.get(index_name)
    return index is not None and index.projection != "ALL"


async def pages(
    send: Send, operation: str, request: Mapping[str, Any], model: type[T], *, partial: bool
) -> AsyncIterator[QueryResult[T]]:
    """One ``QueryResult`` per page of ``operation`` (``"Query"``/``"Scan"``), until the last page."""
    converter = converter_for(model)
    parse = converter.from_partial if partial else converter.from_dynamo
    current = dict(request)
    while True:
        response = await send(operation, current)
        last = response.get("LastEvaluatedKey")
        yield QueryResult(
            items=[parse(item) for item in response.get("Items", ())],
            last_evaluated_key=resource_key(last) if last else None,
            consumed_capacity=response.get("ConsumedCapacity"),
        )
        if not last:
            return
        current = {**current, "ExclusiveStartKey": last}
