"""16 aioboto3 clients batch-writing at once through the fake's HTTP server; then everything is read back.

Each client sends 40 ``BatchWriteItem`` calls of 25 puts over its own connection pool: 20 puts a call in
its own partition (its last 200 of 800 overwrite its first 200) and 5 in a partition every client
writes (50 sort keys, so keys collide across clients all the time). A client resends whatever comes
back in ``UnprocessedItems``, and a whole call refused by a throttle, before its next call, as a batch
loop does; SDK retries are off, so every resend is the test's own and nothing waits. The same run is
repeated under ``fake.throttle(0.3, seed=...)``, which leaves about 30% of the puts (and of the read
keys) unprocessed and refuses some calls whole.

Then every acknowledged write is read back, by ``BatchGetItem`` (resending ``UnprocessedKeys``) and
by a paginated ``Scan``: every key is there exactly once (nothing lost, nothing duplicated), each
holds one of the items written to it, whole, and which one obeys the order the clients observed.
All clients run in one event loop, so a shared counter, read just before a call is sent and just
after its answer arrives, orders those moments: a put acknowledged before another put to the same
key was sent must have been overwritten by it. So a client's later write of a key always beats its
earlier one, and across clients the winner is one of the writes not known to precede another.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import aioboto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb_fake.server import ServerThread
from aiodynamodb_fake.service import FakeDynamoDB
from tests.e2e.conftest import key_schema

CLIENTS = 16
BATCHES = 40  # BatchWriteItem calls per client, each acknowledged whole before the next is sent
OWN_PER_BATCH = 20  # puts per call into the client's own partition
SHARED_PER_BATCH = 5  # puts per call into the partition every client writes
OWN_KEYS = 600  # sort keys of a client's partition: its writes 600..799 overwrite 0..199
SHARED_KEYS = 50
READ_BATCH = 100
MAX_ATTEMPTS = 60  # sends of one batch (under a 30% throttle, 0.3**60 for any single put)
THROTTLE_SEED = 20261126
TABLE = "concurrent_writes"
SHARED = "shared"

Key = tuple[str, int]
Item = dict[str, Any]
T = TypeVar("T")

CONFIG = Config(
    retries={"max_attempts": 0, "mode": "legacy"},  # every resend is the test's, and none sleeps
    connect_timeout=10,
    read_timeout=60,
    max_pool_connections=4,
)
CLIENT_ARGS: dict[str, Any] = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIDCONCURRENT",
    "aws_secret_access_key": "dummy-secret",
    "config": CONFIG,
}
RESENT_WHOLE = ("ThrottlingException", "ProvisionedThroughputExceededException")


@dataclass(frozen=True, slots=True)
class Write:
    """One put: which client sent it in which of its calls, and the item."""

    client: int
    batch: int
    key: Key
    item: Item


@dataclass(frozen=True, slots=True)
class Landed:
    """A put the server acknowledged: ticks just before the call that applied it and just after."""

    write: Write
    sent: int
    acked: int


@dataclass(slots=True)
class Stats:
    calls: int = 0
    refused_whole: int = 0
    resent_puts: int = 0


def own_partition(client: int) -> str:
    return f"client-{client:02d}"


def make_write(client: int, batch: int, key: Key) -> Write:
    item = {
        "pk": {"S": key[0]},
        "sk": {"N": str(key[1])},
        "writer": {"N": str(client)},
        "batch": {"N": str(batch)},
        "payload": {"S": f"{client}/{batch}/{key[0]}/{key[1]}" * 3},
    }
    return Write(client, batch, key, item)


def planned_writes(client: int) -> list[list[Write]]:
    """The client's 40 calls: 20 own keys (wrapping at 600) and 5 shared keys (offset per client)."""
    calls = []
    for batch in range(BATCHES):
        own = [(own_partition(client), (batch * OWN_PER_BATCH + j) % OWN_KEYS) for j in range(OWN_PER_BATCH)]
        start = batch * SHARED_PER_BATCH + client * 3
        shared = [(SHARED, (start + j) % SHARED_KEYS) for j in range(SHARED_PER_BATCH)]
        calls.append([make_write(client, batch, key) for key in own + shared])
    return calls


def key_of(item: Item) -> Key:
    return item["pk"]["S"], int(item["sk"]["N"])


def key_attributes(key: Key) -> Item:
    return {"pk": {"S": key[0]}, "sk": {"N": str(key[1])}}


async def resent_whole(send: Callable[[], Awaitable[T]], stats: Stats) -> T:
    """``send()``, again at once while the whole call is refused by a throttle (nothing was applied)."""
    for _ in range(MAX_ATTEMPTS):
        stats.calls += 1
        try:
            return await send()
        except ClientError as err:
            if err.response["Error"]["Code"] not in RESENT_WHOLE:
                raise
            stats.refused_whole += 1
    raise AssertionError(f"a call was still refused after {MAX_ATTEMPTS} attempts")


async def write_all(
    client: Any, calls: list[list[Write]], ticks: Iterator[int], stats: Stats
) -> list[Landed]:
    """Each call until nothing is left unprocessed, in order; every put that landed, with its ticks."""
    landed: list[Landed] = []
    for call in calls:
        pending = call
        for _ in range(MAX_ATTEMPTS):
            sent = next(ticks)
            requests = [{"PutRequest": {"Item": write.item}} for write in pending]
            try:
                stats.calls += 1
                response = await client.batch_write_item(RequestItems={TABLE: requests})
            except ClientError as err:
                if err.response["Error"]["Code"] not in RESENT_WHOLE:
                    raise
                stats.refused_whole += 1
                continue
            acked = next(ticks)
            left = response["UnprocessedItems"].get(TABLE, [])
            assert set(response["UnprocessedItems"]) <= {TABLE}
            left_keys = {key_of(request["PutRequest"]["Item"]) for request in left}
            by_key = {write.key: write for write in pending}
            for request in left:  # an unprocessed put comes back exactly as it was sent
                assert request == {"PutRequest": {"Item": by_key[key_of(request["PutRequest"]["Item"])].item}}
            landed += [Landed(write, sent, acked) for write in pending if write.key not in left_keys]
            pending = [write for write in pending if write.key in left_keys]
            stats.resent_puts += len(pending)
            if not pending:
                break
        else:
            raise AssertionError(f"puts still unprocessed after {MAX_ATTEMPTS} attempts")
    return landed


async def read_back(client: Any, keys: list[Key], stats: Stats) -> list[Item]:
    """Every key by BatchGetItem, 100 a call, resending UnprocessedKeys."""
    found: list[Item] = []
    for start in range(0, len(keys), READ_BATCH):
        pending = [key_attributes(key) for key in keys[start : start + READ_BATCH]]
        for _ in range(MAX_ATTEMPTS):
            request = {TABLE: {"Keys": pending, "ConsistentRead": True}}
            response = await resent_whole(partial(client.batch_get_item, RequestItems=request), stats)
            found += response["Responses"].get(TABLE, [])
            pending = response["UnprocessedKeys"].get(TABLE, {}).get("Keys", [])
            if not pending:
                break
        else:
            raise AssertionError(f"keys still unprocessed after {MAX_ATTEMPTS} attempts")
    return found


async def scan_all(client: Any, stats: Stats) -> list[Item]:
    items: list[Item] = []
    request: dict[str, Any] = {"TableName": TABLE, "ConsistentRead": True}
    while True:
        page = await resent_whole(partial(client.scan, **request), stats)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def winners_allowed(landed: list[Landed]) -> dict[Key, set[tuple[int, int]]]:
    """Per key, the (client, batch) of every put no other put to that key is known to follow.

    A put acknowledged (tick ``acked``) before another was sent (tick ``sent`` > ``acked``) was applied
    first, so it cannot be the key's final value.
    """
    per_key: dict[Key, list[Landed]] = defaultdict(list)
    for put in landed:
        per_key[put.write.key].append(put)
    allowed = {}
    for key, puts in per_key.items():
        latest_send = max(put.sent for put in puts)
        allowed[key] = {(put.write.client, put.write.batch) for put in puts if put.acked > latest_send}
        assert allowed[key], key
    return allowed


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB()


@pytest.fixture
def server(fake: FakeDynamoDB) -> Iterator[ServerThread]:
    with ServerThread(fake) as running:
        yield running


@pytest.fixture
async def clients(server: ServerThread) -> AsyncIterator[list[Any]]:
    """16 aioboto3 clients of one session, each with its own connection pool."""
    session = aioboto3.Session()
    async with AsyncExitStack() as stack:
        made = [
            await stack.enter_async_context(
                session.client("dynamodb", endpoint_url=server.url, **CLIENT_ARGS)
            )
            for _ in range(CLIENTS)
        ]
        yield made


async def create_table(client: Any) -> None:
    await client.create_table(TableName=TABLE, **key_schema(range_key=("sk", "N")))


@pytest.mark.parametrize("throttled", [False, True], ids=["calm", "throttle-0.3"])
async def test_sixteen_clients_lose_and_duplicate_nothing(
    clients: list[Any], fake: FakeDynamoDB, throttled: bool
) -> None:
    await create_table(clients[0])
    if throttled:
        fake.throttle(0.3, seed=THROTTLE_SEED)
    ticks = itertools.count()
    stats = [Stats() for _ in clients]
    plans = [planned_writes(c) for c in range(CLIENTS)]
    results = await asyncio.gather(
        *(write_all(client, plans[c], ticks, stats[c]) for c, client in enumerate(clients))
    )
    landed = [put for result in results for put in result]

    # every put sent was acknowledged exactly once
    assert sorted((p.write.client, p.write.batch, p.write.key) for p in landed) == sorted(
        (w.client, w.batch, w.key) for plan in plans for call in plan for w in call
    )
    assert len(landed) == CLIENTS * BATCHES * (OWN_PER_BATCH + SHARED_PER_BATCH)
    assert all(s.calls >= BATCHES for s in stats)
    if throttled:
        assert sum(s.resent_puts for s in stats) > 0
        assert any(event.kind == "throttle" for event in fake.events)
    else:
        assert sum(s.calls for s in stats) == CLIENTS * BATCHES
        assert sum(s.resent_puts + s.refused_whole for s in stats) == 0

    allowed = winners_allowed(landed)
    written = {(p.write.client, p.write.batch, p.write.key): p.write.item for p in landed}
    keys = sorted(allowed)
    assert len(keys) == CLIENTS * OWN_KEYS + SHARED_KEYS

    last_own = {
        p.write.key: (p.write.client, p.write.batch)
        for p in sorted(landed, key=lambda p: p.write.batch)
        if p.write.key[0] != SHARED
    }
    reads = Stats()
    got = await read_back(clients[1], keys, reads)
    scanned = await scan_all(clients[2], reads)
    if throttled:
        assert reads.refused_whole + reads.calls > len(keys) // READ_BATCH + 2

    for source in (got, scanned, fake.items(TABLE)):
        found_keys = [key_of(item) for item in source]
        assert len(found_keys) == len(set(found_keys)), "a key came back twice"
        assert sorted(found_keys) == keys, "a key is missing or was never written"
        for item in source:
            key = key_of(item)
            winner = (int(item["writer"]["N"]), int(item["batch"]["N"]))
            assert winner in allowed[key], (key, winner, allowed[key])
            assert item == written[(*winner, key)], "the stored item is not one the client wrote"
            if key[0] != SHARED:  # only its own client writes it: that client's last write wins
                assert allowed[key] == {last_own[key]}


def test_the_plan_writes_colliding_and_rewritten_keys() -> None:
    """The workload is what the test claims: shared keys written by every client, own keys rewritten."""
    plans = [planned_writes(c) for c in range(CLIENTS)]
    for plan in plans:
        assert len(plan) == BATCHES
        for call in plan:
            assert len(call) == OWN_PER_BATCH + SHARED_PER_BATCH
            assert len({write.key for write in call}) == len(call)  # no key twice in one call
    writers: dict[Key, set[int]] = defaultdict(set)
    own_writes: dict[Key, int] = defaultdict(int)
    for c, plan in enumerate(plans):
        for call in plan:
            for write in call:
                writers[write.key].add(c)
                if write.key[0] != SHARED:
                    own_writes[write.key] += 1
    shared = [key for key in writers if key[0] == SHARED]
    assert len(shared) == SHARED_KEYS
    assert min(len(writers[key]) for key in shared) >= CLIENTS // 2
    assert sum(1 for count in own_writes.values() if count == 2) == CLIENTS * (
        BATCHES * OWN_PER_BATCH - OWN_KEYS
    )


def test_only_puts_not_known_to_precede_another_may_win() -> None:
    key = (SHARED, 1)
    first, second, third = (make_write(c, 0, key) for c in range(3))
    # first was acknowledged (tick 1) before second was sent (tick 2): it cannot be the final value
    assert winners_allowed([Landed(first, 0, 1), Landed(second, 2, 5)]) == {key: {(1, 0)}}
    # second and third were in flight together: either may have been applied last
    assert winners_allowed([Landed(first, 0, 1), Landed(second, 2, 5), Landed(third, 3, 4)]) == {
        key: {(1, 0), (2, 0)}
    }
