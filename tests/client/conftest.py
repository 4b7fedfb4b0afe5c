"""Shared fixtures for the client tests: the seed's models, a recording clock and a scripted transport.

``ScriptedTransport`` is a tiny DynamoDB for batch calls only, written here so the batch logic can be
tested on its own: it stores items, and on demand raises request-level errors or leaves chosen
requests unprocessed, while recording every request and the peak number of calls in flight.
"""

from __future__ import annotations

import asyncio
import copy
import random
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest

from aiodynamodb import DynamoModel, HashKey, RetryPolicy, table

Request = dict[str, Any]


@table("users")
class User(DynamoModel):
    user_id: HashKey[str]
    name: str
    email: str | None = None


@table("orders", hash_key="order_id", range_key="created")
class Order(DynamoModel):
    order_id: str
    created: str
    total: float = 0.0


@table("counters")
class Counter(DynamoModel):
    n: HashKey[int]
    label: str = ""


class RecordingClock:
    """Sleeps instantly and remembers each requested wait."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def _identity(table: str, key: Mapping[str, Any], names: tuple[str, ...]) -> tuple[Any, ...]:
    parts = []
    for name in names:
        av = key[name]
        kind, value = next(iter(av.items()))
        parts.append((kind, Decimal(value) if kind == "N" else value))
    return (table, *parts)


class ScriptedTransport:
    """Answers BatchWriteItem/BatchGetItem from a dict, with scripted faults."""

    def __init__(self, key_names: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.key_names = dict(key_names or {"users": ("user_id",), "orders": ("order_id", "created")})
        self.key_names.setdefault("counters", ("n",))
        self.store: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.calls: list[tuple[str, Request]] = []
        # Popped one per call: an error to raise instead of answering, or None to answer.
        self.errors: list[Exception | None] = []
        # Given the requests (WriteRequests or Keys, with their table) of one call, pick those to
        # leave unprocessed.
        self.leave: Callable[[list[tuple[str, Any]]], list[tuple[str, Any]]] = lambda requests: []
        self.in_flight = 0
        self.max_in_flight = 0
        self.closed = False

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append((operation, copy.deepcopy(dict(request))))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # a yield, not a wait: lets concurrent chunks overlap
            error = self.errors.pop(0) if self.errors else None
            if error is not None:
                raise error
            handler = getattr(self, "_" + operation)
            response: dict[str, Any] = handler(request)
            return response
        finally:
            self.in_flight -= 1

    async def close(self) -> None:
        self.closed = True

    def calls_of(self, operation: str) -> list[Request]:
        return [r for op, r in self.calls if op == operation]

    def _BatchWriteItem(self, request: Request) -> dict[str, Any]:
        flat = [(t, w) for t, ws in request["RequestItems"].items() for w in ws]
        assert 0 < len(flat) <= 25
        left = self.leave(flat)
        unprocessed: dict[str, list[Any]] = {}
        capacity: dict[str, float] = {}
        for table_name, write in flat:
            if any(write is w for _, w in left):
                unprocessed.setdefault(table_name, []).append(write)
                continue
            names = self.key_names[table_name]
            if "PutRequest" in write:
                item = write["PutRequest"]["Item"]
                self.store[_identity(table_name, item, names)] = copy.deepcopy(item)
            else:
                self.store.pop(_identity(table_name, write["DeleteRequest"]["Key"], names), None)
            capacity[table_name] = capacity.get(table_name, 0.0) + 1.0
        response: dict[str, Any] = {"UnprocessedItems": unprocessed}
        if request.get("ReturnConsumedCapacity"):
            response["ConsumedCapacity"] = [{"TableName": t, "CapacityUnits": c} for t, c in capacity.items()]
        if request.get("ReturnItemCollectionMetrics"):
            response["ItemCollectionMetrics"] = {
                t: [{"ItemCollectionKey": {"k": {"S": t}}, "SizeEstimateRangeGB": [0.0, 1.0]}]
                for t in capacity
            }
        return response

    def _BatchGetItem(self, request: Request) -> dict[str, Any]:
        flat = [(t, k) for t, entry in request["RequestItems"].items() for k in entry["Keys"]]
        assert 0 < len(flat) <= 100
        left = self.leave(flat)
        responses: dict[str, list[Any]] = {t: [] for t in request["RequestItems"]}
        unprocessed: dict[str, Any] = {}
        for table_name, key in flat:
            entry = request["RequestItems"][table_name]
            if any(key is k for _, k in left):
                options = {k: v for k, v in entry.items() if k != "Keys"}
                unprocessed.setdefault(table_name, {"Keys": [], **options})["Keys"].append(key)
                continue
            item = self.store.get(_identity(table_name, key, self.key_names[table_name]))
            if item is not None:
                responses[table_name].append(_project(item, entry))
        order = random.Random(len(self.calls))  # DynamoDB answers in no particular order
        for items in responses.values():
            order.shuffle(items)
        response: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
        if request.get("ReturnConsumedCapacity"):
            response["ConsumedCapacity"] = [
                {"TableName": t, "CapacityUnits": 0.5 * len(e["Keys"])}
                for t, e in request["RequestItems"].items()
            ]
        return response


def _project(item: dict[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    if "ProjectionExpression" not in entry:
        return copy.deepcopy(item)
    names = entry["ExpressionAttributeNames"]
    wanted = {names[p.strip()] for p in entry["ProjectionExpression"].split(",")}
    return {k: copy.deepcopy(v) for k, v in item.items() if k in wanted}


@pytest.fixture
def clock() -> RecordingClock:
    return RecordingClock()


@pytest.fixture
def policy(clock: RecordingClock) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=5, base_delay=0.1, max_delay=1.0, clock=clock, random=random.Random(7).random
    )


@pytest.fixture
def scripted() -> ScriptedTransport:
    return ScriptedTransport()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's DynamoDB emulator (a project we did not write) on a free loopback port, for the real path.

    Port 0 lets the OS pick a free port at bind time, so there is no probe-then-bind race.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
