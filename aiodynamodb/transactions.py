"""``transact_get`` and ``transact_write``: ``Transact*`` objects to ``TransactItems``, and results back.

Every action is built with the same expression renderer as the single-item calls (each action has its
own placeholder maps, as DynamoDB scopes them). Two actions on one item are refused here with
``ValueError``, before anything is sent: DynamoDB would refuse the whole transaction ("Transaction
request cannot include multiple operations on one item"). A cancelled transaction raises
``aiodynamodb.errors.TransactionCanceledException``; its ``cancellation_reasons`` list one reason per
action, in request order
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html,
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .expressions import build_expressions
from .keys import KeyIdentity, build_key, describe_key, key_identity, key_names
from .models import table_meta
from .operations import (
    TransactConditionCheck,
    TransactDelete,
    TransactGet,
    TransactPut,
    TransactUpdate,
    TransactWriteOperation,
)
from .serialize import converter_for

__all__ = ["transact_get_request", "transact_get_results", "transact_write_request"]


def transact_get_request(
    requests: Sequence[TransactGet[Any]], *, return_consumed_capacity: bool
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for request in requests:
        if not isinstance(request, TransactGet):
            raise TypeError(f"transact_get takes TransactGet requests, got {request!r}")
        get: dict[str, Any] = {
            "TableName": table_meta(request.model).table_name,
            "Key": build_key(request.model, request.hash_key, request.range_key),
        }
        get.update(build_expressions(request.model, projection_expression=request.projection_expression))
        items.append({"Get": get})
    body: dict[str, Any] = {"TransactItems": items}
    if return_consumed_capacity:
        body["ReturnConsumedCapacity"] = "TOTAL"
    return body


def transact_get_results(requests: Sequence[TransactGet[Any]], response: Mapping[str, Any]) -> list[Any]:
    """One model or ``None`` per request, in request order (partial models for projected reads)."""
    responses = response.get("Responses") or []
    results: list[Any] = []
    for position, request in enumerate(requests):
        item = responses[position].get("Item") if position < len(responses) else None
        if item is None:
            results.append(None)
            continue
        converter = converter_for(request.model)
        partial = request.projection_expression is not None
        results.append(converter.from_partial(item) if partial else converter.from_dynamo(item))
    return results


def transact_write_request(
    operations: Iterable[TransactWriteOperation],
    *,
    client_request_token: str | None,
    return_consumed_capacity: bool,
    return_item_collection_metrics: bool,
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, KeyIdentity]] = set()
    for operation in operations:
        action, body = _action(operation)
        names = key_names(operation.model)
        identity = (body["TableName"], key_identity(body.get("Key") or body["Item"], names))
        if identity in seen:
            raise ValueError(
                f"transact_write has two operations on one item (table {identity[0]!r}, key "
                f"{describe_key(body.get('Key') or body['Item'], names)}); DynamoDB refuses a transaction "
                "that touches an item twice"
            )
        seen.add(identity)
        items.append({action: body})
    request: dict[str, Any] = {"TransactItems": items}
    if client_request_token is not None:
        request["ClientRequestToken"] = client_request_token
    if return_consumed_capacity:
        request["ReturnConsumedCapacity"] = "TOTAL"
    if return_item_collection_metrics:
        request["ReturnItemCollectionMetrics"] = "SIZE"
    return request


def _action(operation: Any) -> tuple[str, dict[str, Any]]:
    """The ``TransactItems`` entry of one operation: its action name and body."""
    if isinstance(operation, TransactPut):
        model = operation.model
        body: dict[str, Any] = {"TableName": table_meta(model).table_name}
        body["Item"] = converter_for(model).to_dynamo(operation.item)
        body.update(build_expressions(model, condition_expression=operation.condition_expression))
        return "Put", body
    if not isinstance(operation, TransactDelete | TransactConditionCheck | TransactUpdate):
        raise TypeError(
            "transact_write takes TransactPut, TransactDelete, TransactConditionCheck and TransactUpdate "
            f"operations, got {operation!r}"
        )
    model = operation.model
    body = {
        "TableName": table_meta(model).table_name,
        "Key": build_key(model, operation.hash_key, operation.range_key),
    }
    if isinstance(operation, TransactUpdate):
        expressions = build_expressions(
            model,
            condition_expression=operation.condition_expression,
            update_expression=operation.update_expression,
        )
        return "Update", {**body, **expressions}
    if isinstance(operation, TransactConditionCheck) and operation.condition_expression is None:
        raise ValueError("TransactConditionCheck needs a condition_expression")
    body.update(build_expressions(model, condition_expression=operation.condition_expression))
    return ("Delete" if isinstance(operation, TransactDelete) else "ConditionCheck"), body
