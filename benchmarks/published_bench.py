"""Baseline for ``benchmarks/client_bench.py`` and ``chaos_bench.py``: the *published* aiodynamodb on its
moto-based mock.

Run inside ``benchmarks/.venv-published`` (Python 3.12, ``aiodynamodb[testing]`` from PyPI; built by
``benchmarks/published_venv.sh``), never with this repository on ``sys.path``: it must import the
published package. ``published_bench.py N`` writes N models with ``batch_write`` and reads them back
with ``batch_get``, chunked by hand to 25 writes / 100 keys per call as the published docs require of
callers. ``published_bench.py setup N`` enters and leaves ``mock_dynamodb(ModelA, ModelB)`` N times,
as N tests would, after one untimed warm-up. Either prints one JSON line of figures.
"""

from __future__ import annotations

import asyncio
import gc
import json
import platform
import sys
import time
from decimal import Decimal
from importlib import metadata

from aiodynamodb import BatchGet, BatchPut, DynamoModel, HashKey, RangeKey, table
from aiodynamodb.testing import mock_dynamodb


@table("bench_items")
class Item(DynamoModel):
    pk: HashKey[str]
    name: str
    count: int
    price: Decimal
    active: bool
    tags: list[str]
    attrs: dict[str, str]
    note: str | None = None


# The two tables of a typical test (chaos_bench.py's set-up figure): a hash key, and a hash + range key.
@table("bench_users")
class ModelA(DynamoModel):
    user_id: HashKey[str]
    name: str
    email: str | None = None


@table("bench_orders")
class ModelB(DynamoModel):
    customer: HashKey[str]
    order: RangeKey[int]
    total: Decimal


def make_items(n: int) -> list[Item]:
    return [
        Item(
            pk=f"item-{i:06d}",
            name=f"name {i}",
            count=i,
            price=Decimal(i) / 100,
            active=i % 2 == 0,
            tags=["a", "b", str(i % 7)],
            attrs={"colour": "red", "size": str(i % 5)},
            note=None if i % 3 else "note",
        )
        for i in range(n)
    ]


async def run(n: int) -> dict[str, float]:
    items = make_items(n)
    async with mock_dynamodb(Item) as db:
        gc.collect()
        start = time.perf_counter()
        for i in range(0, n, 25):
            result = await db.batch_write([BatchPut(item) for item in items[i : i + 25]])
            assert not result.unprocessed_items
        write_s = time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        found = 0
        for i in range(0, n, 100):
            got = await db.batch_get([BatchGet(Item, hash_key=item.pk) for item in items[i : i + 100]])
            found += len(got.items.get(Item, []))
        read_s = time.perf_counter() - start
    assert found == n, found
    return {
        "n": n,
        "write_s": write_s,
        "read_s": read_s,
        "write_per_s": n / write_s,
        "read_per_s": n / read_s,
    }


async def setup(n: int) -> dict[str, object]:
    """Seconds (wall and CPU) per ``async with mock_dynamodb(ModelA, ModelB)``, mean of ``n``."""

    async def one_test() -> None:
        async with mock_dynamodb(ModelA, ModelB):
            pass

    first = time.perf_counter()
    await one_test()  # warm-up: moto and botocore load their models on first use
    first_s = time.perf_counter() - first
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        await one_test()
    return {
        "setup_n": n,
        "setup_s": (time.perf_counter() - wall) / n,
        "setup_cpu_s": (time.process_time() - cpu) / n,
        "setup_first_s": first_s,
        "version": metadata.version("aiodynamodb"),
        "python": platform.python_version(),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "setup":
        print(json.dumps(asyncio.run(setup(int(sys.argv[2]) if len(sys.argv) > 2 else 30))))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(asyncio.run(run(n))))


if __name__ == "__main__":
    main()
