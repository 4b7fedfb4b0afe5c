"""Baseline for ``benchmarks/client_bench.py``: the *published* aiodynamodb on its moto-based mock.

Run inside ``benchmarks/.venv-published`` (Python 3.12, ``aiodynamodb[testing]`` from PyPI; built by
``benchmarks/published_venv.sh``), never with this repository on ``sys.path``: it must import the
published package. Writes N models with ``batch_write`` and reads them back with ``batch_get``,
chunked by hand to 25 writes / 100 keys per call as the published docs require of callers, and
prints one JSON line of figures.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from decimal import Decimal

from aiodynamodb import BatchGet, BatchPut, DynamoModel, HashKey, table
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(asyncio.run(run(n))))


if __name__ == "__main__":
    main()
