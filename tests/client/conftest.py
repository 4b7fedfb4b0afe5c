"""Shared fixtures for the client tests: the seed's models, a fake with its tables, and two wrappers.

Batch behaviour under faults runs on a real ``FakeDynamoDB``: faults are declared with its
``throttle``/``fail``/``unprocess``, and tests read its state (``fake.items``) and journal
(``fake.requests``). The client's policy sleeps on the fake's ``VirtualClock`` with jitter drawn from
``random.Random(fake.seed)``, so ``reference_policy`` draws exactly the waits the client waited and
``waits`` reads them back off the journal. ``RecordingTransport`` puts the fake behind a network-like
yield (to see requests as sent and overlap concurrent calls); ``ScriptedTransport`` rewrites the
fake's answers for what the fake itself never answers.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import random
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import pytest

from aiodynamodb import DynamoDB, DynamoModel, HashKey, RetryPolicy, table
from aiodynamodb.testing import mock_dynamodb, policy_for_fake
from aiodynamodb_fake import FakeDynamoDB

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


MODELS: tuple[type[DynamoModel], ...] = (User, Order, Counter)


class RecordingClock:
    """Sleeps instantly and remembers each requested wait (for policies not run on a fake)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


# --- the fake and the policy the client runs on it ------------------------------------------------

# The policy of the batch tests: five attempts, waits of at most 0.1, 0.2, 0.4, 0.8 s.
POLICY: dict[str, Any] = {"max_attempts": 5, "base_delay": 0.1, "max_delay": 1.0}


def calm_fake(seed: int = 7) -> FakeDynamoDB:
    """A fake with no faults but those the test declares.

    A suite run with the plugin's ``--ddb-throttle``/``--ddb-capacity`` starts every new fake
    throttled; these tests count calls exactly, so they opt out.
    """
    fake = FakeDynamoDB(seed=seed, capacity=False)
    fake.clear_faults()
    return fake


def fake_policy(fake: FakeDynamoDB, **overrides: Any) -> RetryPolicy:
    """``POLICY`` (with ``overrides``) on the fake's clock, jitter from ``random.Random(fake.seed)``."""
    policy = policy_for_fake(fake, RetryPolicy(**{**POLICY, **overrides}))
    assert policy is not None
    return policy


def reference_policy(fake: FakeDynamoDB, **overrides: Any) -> RetryPolicy:
    """The same policy with its own ``random.Random(fake.seed)``: while a test's backoffs happen one
    after another, ``delay(1), delay(2), ...`` drawn from it are exactly the client's waits."""
    return RetryPolicy(**{**POLICY, **overrides}, random=random.Random(fake.seed).random)


def batch_calls(fake: FakeDynamoDB, operation: str | None = None) -> list[Any]:
    """The journal's records of ``operation`` (default: both batch operations), oldest first."""
    wanted = {operation} if operation else {"BatchWriteItem", "BatchGetItem"}
    return [record for record in fake.requests if record.operation in wanted]


def waits(fake: FakeDynamoDB, operation: str) -> list[float]:
    """Virtual seconds between consecutive ``operation`` calls: the backoffs, when calls are sequential."""
    times = [record.time for record in batch_calls(fake, operation)]
    return [after - before for before, after in itertools.pairwise(times)]


def key_of(user_id: str) -> dict[str, Any]:
    return {"user_id": {"S": user_id}}


@pytest.fixture
def fake() -> FakeDynamoDB:
    return calm_fake()


@pytest.fixture
async def db(fake: FakeDynamoDB) -> AsyncIterator[DynamoDB]:
    """A client on ``fake`` with every model's table created, under ``POLICY``."""
    async with mock_dynamodb(*MODELS, fake=fake, retry=RetryPolicy(**POLICY)) as client:
        yield client


# --- wrappers for what the fake alone does not show -----------------------------------------------


class RecordingTransport:
    """The fake behind a network-like yield: records each request as sent and each error raised, and
    the peak number of calls in flight.

    ``FakeDynamoDB.call`` answers without suspending, so on the bare fake concurrent chunks would run
    one after another; the yield lets them overlap as they do over a network.
    """

    def __init__(self, fake: FakeDynamoDB) -> None:
        self.fake = fake
        self.calls: list[tuple[str, Request]] = []
        self.raised: list[Exception] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append((operation, copy.deepcopy(dict(request))))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # a yield, not a wait: lets concurrent chunks overlap
            return await self.fake.call(operation, request)
        except Exception as err:
            self.raised.append(err)
            raise
        finally:
            self.in_flight -= 1

    async def close(self) -> None:
        await self.fake.close()

    def calls_of(self, operation: str) -> list[Request]:
        return [r for op, r in self.calls if op == operation]


Script = Callable[[str, Request, dict[str, Any]], dict[str, Any]]


class ScriptedTransport(RecordingTransport):
    """The fake with each answer rewritten by ``script(operation, request, response)``.

    Kept only for answers the fake never gives, so the client's handling of them can be tested:
    items in another order than asked (DynamoDB answers BatchGetItem in no particular order; the fake
    keeps request order), and a misbehaving service's answers (unprocessed keys, write requests or
    tables nobody asked for). Unprocessed items and keys, throttling, errors, backoff and capacity are
    the fake's own faults (``throttle``/``fail``/``unprocess``), not scripted here.
    """

    def __init__(self, fake: FakeDynamoDB, script: Script) -> None:
        super().__init__(fake)
        self.script = script

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        response = await super().call(operation, request)
        return self.script(operation, copy.deepcopy(dict(request)), response)


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
