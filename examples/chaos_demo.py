"""The main job under chaos: thousands of orders batch-written and read back while DynamoDB throttles.

Run it with ``./run example`` (after ``batch_roundtrip.py``). Two runs on the in-memory fake:

1. 30% of write requests and keys throttled at random (``fake.throttle(0.3, seed=...)``): the fake
   hands them back in ``UnprocessedItems`` / ``UnprocessedKeys`` as DynamoDB does, and fails a call
   whole when every request in it was throttled;
2. the capacity model on a small provisioned table (25 WCU, 50 RCU): what does not fit in the
   table's capacity comes back unprocessed, so the load takes the virtual time it would really take.

The client resends with backoff on the fake's virtual clock: the waits are real waits to the code
under test, yet cost no wall time. Per attempt, the demo prints how many calls were made, how many
requests they carried and how many came back unprocessed, then checks that every order landed.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from aiodynamodb import (
    BatchGet,
    BatchPut,
    DynamoDB,
    DynamoModel,
    HashKey,
    RangeKey,
    RetryPolicy,
    errors,
    table,
)
from aiodynamodb.testing import policy_for_fake
from aiodynamodb_fake import FakeDynamoDB

ORDERS = 3000
SEED = 7


@table("orders")
class Order(DynamoModel):
    customer: HashKey[str]
    order_id: RangeKey[int]
    total: Decimal
    note: str


def order(number: int) -> Order:
    return Order(
        customer=f"customer-{number % 40}", order_id=number, total=Decimal(number) / 4, note="x" * 200
    )


@dataclass
class Attempt:
    calls: int = 0
    sent: int = 0
    unprocessed: int = 0
    throttled_whole: int = 0


@dataclass
class AttemptLog:
    """A transport in front of the fake that sorts each batch call by attempt number.

    A request's attempt is how many times its first key has been sent: a resend carries only keys
    that came back, all sent the same number of times before.
    """

    fake: FakeDynamoDB
    sends: Counter[tuple[str, str, Any, Any]] = field(default_factory=Counter)
    attempts: dict[str, dict[int, Attempt]] = field(default_factory=lambda: defaultdict(dict))

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        if not operation.startswith("Batch"):
            return await self.fake.call(operation, request)
        keys = list(_keys(operation, request))
        for key in keys:
            self.sends[key] += 1
        attempt = self.attempts[operation].setdefault(self.sends[keys[0]] if keys else 1, Attempt())
        attempt.calls += 1
        attempt.sent += len(keys)
        try:
            response = await self.fake.call(operation, request)
        except (errors.ProvisionedThroughputExceededException, errors.ThrottlingException):
            attempt.throttled_whole += 1
            attempt.unprocessed += len(keys)
            raise
        attempt.unprocessed += sum(len(r) for r in response.get("UnprocessedItems", {}).values())
        attempt.unprocessed += sum(len(e["Keys"]) for e in response.get("UnprocessedKeys", {}).values())
        return response

    async def close(self) -> None:
        await self.fake.close()


def _keys(operation: str, request: Mapping[str, Any]) -> list[tuple[str, str, Any, Any]]:
    found = []
    for table_name, entry in request.get("RequestItems", {}).items():
        if operation == "BatchWriteItem":
            attributes = [r.get("PutRequest", {}).get("Item") or r["DeleteRequest"]["Key"] for r in entry]
        else:
            attributes = entry["Keys"]
        found += [(operation, table_name, a["customer"]["S"], a["order_id"]["N"]) for a in attributes]
    return found


def report(title: str, log: AttemptLog, fake: FakeDynamoDB, started: float, wall: float) -> None:
    print(title)
    for operation, by_attempt in log.attempts.items():
        print(f"  {operation}")
        print("    attempt   calls    sent  unprocessed  calls throttled whole")
        for number in sorted(by_attempt):
            a = by_attempt[number]
            print(f"    {number:>7} {a.calls:>7} {a.sent:>7} {a.unprocessed:>12} {a.throttled_whole:>22}")
        first = by_attempt.get(1, Attempt()).calls
        retries = sum(a.calls for a in by_attempt.values()) - first
        print(f"    retries: {retries} calls after the first {first}")
    waited = fake.clock.now() - started
    print(f"  virtual time spent backing off: {waited:.1f} s; wall time: {wall:.2f} s")


async def run(title: str, fake: FakeDynamoDB, **create: Any) -> None:
    log = AttemptLog(fake)
    orders = [order(n) for n in range(ORDERS)]
    started = fake.clock.now()
    wall = time.perf_counter()
    policy = policy_for_fake(fake, RetryPolicy(max_attempts=60, max_delay=2.0))
    async with DynamoDB(transport=log, retry=policy) as db:
        await db.create_table(Order, **create)
        written = await db.batch_write([BatchPut(o) for o in orders])
        got = await db.batch_get([BatchGet(Order, hash_key=o.customer, range_key=o.order_id) for o in orders])
    report(title, log, fake, started, time.perf_counter() - wall)
    landed = fake.item_count("orders")
    read_back = len(got.items[Order])
    print(
        f"  landed {landed}/{ORDERS}, read back {read_back}/{ORDERS}; still unprocessed: "
        f"{len(written.unprocessed)} writes, {len(got.unprocessed)} reads"
    )
    assert landed == ORDERS and read_back == ORDERS
    assert not written.unprocessed and not got.unprocessed


async def main() -> None:
    throttled = FakeDynamoDB(seed=SEED)
    throttled.throttle(0.3)
    await run(f"{ORDERS} orders, 30% of requests throttled (seed {SEED})", throttled)
    print()
    await run(
        f"{ORDERS} orders into a provisioned table of 25 WCU / 50 RCU, capacity model on",
        FakeDynamoDB(seed=SEED, capacity=True),
        billing_mode="PROVISIONED",
        provisioned_throughput={"ReadCapacityUnits": 50, "WriteCapacityUnits": 25},
    )


if __name__ == "__main__":
    asyncio.run(main())
