"""Client benchmark: our batch paths and serialization against their baselines, measured in one run.

``python -m benchmarks.client_bench [N]`` (default 10,000 models) prints a table and one JSON line:

* write / read: N models through ``batch_write`` then ``batch_get`` with this client on the in-memory
  fake, against the published ``aiodynamodb`` on its moto-based ``mock_dynamodb`` (run by
  ``published_bench.py`` in ``benchmarks/.venv-published``, built on demand by ``published_venv.sh``;
  it needs Python 3.12 and PyPI the first time). Targets: write >= 10x, read >= 30x.
* serialization: N ``to_dynamo`` + ``from_dynamo`` against boto3's ``TypeSerializer`` on
  ``model_dump()`` output plus ``TypeDeserializer`` and ``model_validate``. Target >= 2x.

Each figure is the best of ``--repeat`` runs (default 3) to damp noise from other processes.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from aiodynamodb import BatchGet, BatchPut
from aiodynamodb.testing import mock_dynamodb

# The very model and data the baseline uses: published_bench.py only imports names our package keeps.
from benchmarks.published_bench import Item, make_items

HERE = Path(__file__).resolve().parent
TARGETS = {"write": 10.0, "read": 30.0, "serialization": 2.0}


async def ours(items: list[Item]) -> dict[str, float]:
    n = len(items)
    async with mock_dynamodb(Item) as db:
        gc.collect()
        start = time.perf_counter()
        written = await db.batch_write([BatchPut(item) for item in items])
        write_s = time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        got = await db.batch_get([BatchGet(Item, hash_key=item.pk) for item in items])
        read_s = time.perf_counter() - start
    assert not written.unprocessed and len(got.items[Item]) == n
    return {"write_per_s": n / write_s, "read_per_s": n / read_s}


def serialization(items: list[Item]) -> dict[str, float]:
    n = len(items)
    gc.collect()
    start = time.perf_counter()
    for item in items:
        Item.from_dynamo(item.to_dynamo())
    ours_s = time.perf_counter() - start
    serializer, deserializer = TypeSerializer(), TypeDeserializer()
    gc.collect()
    start = time.perf_counter()
    for item in items:
        raw = {k: serializer.serialize(v) for k, v in item.model_dump(exclude_none=True).items()}
        Item.model_validate({k: deserializer.deserialize(v) for k, v in raw.items()})
    boto_s = time.perf_counter() - start
    return {"ours_per_s": n / ours_s, "boto3_per_s": n / boto_s}


def best(results: list[dict[str, float]]) -> dict[str, float]:
    return {key: max(r[key] for r in results) for key in results[0]}


def published_python() -> str | None:
    """The published package's venv (built now if needed), or ``None`` with the reason on stderr."""
    try:
        built = subprocess.run(
            ["bash", str(HERE / "published_venv.sh")],
            capture_output=True,
            text=True,
            check=True,
            env=_clean_env(),
        )
        return built.stdout.strip().splitlines()[-1]
    except (subprocess.CalledProcessError, OSError, IndexError) as err:
        print(f"published baseline unavailable: {err}\n{getattr(err, 'stderr', '') or ''}", file=sys.stderr)
        return None


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def published(python: str, n: int) -> dict[str, float]:
    # Run from benchmarks/, whose path holds no ``aiodynamodb``, so the published package is imported.
    out = subprocess.run(
        [python, str(HERE / "published_bench.py"), str(n)],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
        env=_clean_env(),
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {key: float(figures[key]) for key in ("write_per_s", "read_per_s")}


def main(argv: Sequence[str] | None = None) -> int | None:
    """Run and print; with ``--check``, 1 when a target is missed (``None`` otherwise)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.client_bench", description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=10_000, help="models per run (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--skip-published", action="store_true", help="do not run the published baseline")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    items = make_items(args.n)
    python = None if args.skip_published else published_python()
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "codec": [], "published": []}
    # Interleaved, so a change in machine load affects both sides of each ratio alike.
    for _ in range(args.repeat):
        runs["ours"].append(asyncio.run(ours(items)))
        runs["codec"].append(serialization(items))
        if python is not None:
            runs["published"].append(published(python, args.n))
    mine, codec = best(runs["ours"]), best(runs["codec"])
    baseline = best(runs["published"]) if runs["published"] else None
    report: dict[str, Any] = {"n": args.n, "ours": mine, "serialization": codec, "published": baseline}
    ratios = {"serialization": codec["ours_per_s"] / codec["boto3_per_s"]}
    if baseline is not None:
        ratios["write"] = mine["write_per_s"] / baseline["write_per_s"]
        ratios["read"] = mine["read_per_s"] / baseline["read_per_s"]
    report["ratios"] = ratios
    print(f"{'figure':<15}{'ours /s':>12}{'baseline /s':>14}{'ratio':>9}{'target':>9}")
    rows = [("serialization", codec["ours_per_s"], codec["boto3_per_s"])]
    if baseline is not None:
        rows += [
            ("write", mine["write_per_s"], baseline["write_per_s"]),
            ("read", mine["read_per_s"], baseline["read_per_s"]),
        ]
    else:
        print(
            f"(published baseline skipped; ours: write {mine['write_per_s']:.0f}/s, "
            f"read {mine['read_per_s']:.0f}/s)"
        )
    for name, value, base in rows:
        ratio = value / base
        mark = "ok" if ratio >= TARGETS[name] else "MISS"
        print(f"{name:<15}{value:>12.0f}{base:>14.0f}{ratio:>8.1f}x{TARGETS[name]:>7.0f}x {mark}")
    print(json.dumps(report))
    missed = [name for name, ratio in ratios.items() if ratio < TARGETS[name]]
    return 1 if args.check and missed else None


if __name__ == "__main__":
    sys.exit(main())
