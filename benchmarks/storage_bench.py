"""Storage's benchmark: writes as fast as before the range walks, queries and scan pages flat in n.

``python -m benchmarks.storage_bench [--check] [--quick] [--repeats N] [--baseline REV]``. Three
figures, each a ratio measured in the same run (no stored numbers), on data from a fixed seed:

1. Put (and delete) throughput of ``TableStore`` against the storage module of ``--baseline`` (by
   default the newest commit whose ``storage.py`` predates the scan order), loaded from git into a
   temporary module beside the real one: the same writes, rounds interleaved, the best of
   ``--repeats`` kept. Target: new/old <= 1.10 for every kind of write.
2. A query reading 10 items (a range, a range descending from an exclusive start, a begins_with
   prefix) from a partition of 1,000 / 10,000 / 100,000 items. Target: 100,000/1,000 <= 1.5.
3. A scan page of 100 items from the start, resumed from the middle (an ExclusiveStartKey half way
   through the scan order) and from one parallel-scan segment, on a hash-only table and on a
   composite one (100,000 items each). Target: middle/start <= 1.5.

Times are CPU seconds (``time.process_time``), which a busy neighbour on a shared machine disturbs
far less than wall time; each figure is the best of its rounds.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from aiodynamodb_fake import storage
from aiodynamodb_fake.schema import IndexSchema, KeySchema, TableSchema
from aiodynamodb_fake.values import item_size

__all__ = ["main"]

SEED = 20261126
STORAGE_PATH = "aiodynamodb_fake/storage.py"
REPO = Path(__file__).resolve().parent.parent
MAX_WRITE_RATIO = 1.10
MAX_GROWTH = 1.5
QUERY_SIZES = (1_000, 10_000, 100_000)
Item = dict[str, dict[str, Any]]
Key = tuple[Any, Any]


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _best(repeats: int, run: Callable[[], None]) -> float:
    """The least CPU time of ``repeats`` runs of ``run``."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


# --- the baseline: storage.py as it was --------------------------------------------------------


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True, text=True).stdout


def baseline_revision() -> str:
    """The newest commit whose storage module has no scan order: what the new one must keep up with."""
    for revision in _git("log", "--format=%H", "-n", "50", "--", STORAGE_PATH).split():
        if "ScanOrder" not in _git("show", f"{revision}:{STORAGE_PATH}"):
            return revision
    raise SystemExit("no commit of storage.py before the scan order: pass --baseline REV")


def load_baseline(revision: str, directory: Path) -> ModuleType:
    """``storage.py`` at ``revision`` as ``aiodynamodb_fake._storage_baseline`` (its relative imports
    resolve to today's keys, schema and values modules, which it shares with the new one)."""
    path = directory / "storage_baseline.py"
    path.write_text(_git("show", f"{revision}:{STORAGE_PATH}"))
    name = "aiodynamodb_fake._storage_baseline"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --- data ----------------------------------------------------------------------------------------


def table_schema(range_type: Literal["S", "N"] | None, *, gsi: bool = False) -> TableSchema:
    index = IndexSchema(
        "by_g", True, KeySchema("g", "S", "gs", "N"), "ALL", key_names=frozenset({"pk", "sk", "g", "gs"})
    )
    return TableSchema(
        name="bench",
        arn="arn:aws:dynamodb:us-east-1:123456789012:table/bench",
        key=KeySchema("pk", "S", "sk", range_type) if range_type else KeySchema("pk", "S"),
        attribute_definitions=(),
        billing_mode="PAY_PER_REQUEST",
        throughput=None,
        global_indexes=(index,) if gsi else (),
    )


def make_item(rng: random.Random, pk: str, sk: Any = None, sk_kind: str = "N") -> Item:
    item: Item = {
        "pk": {"S": pk},
        "n": {"N": str(rng.randrange(10**6))},
        "s": {"S": "".join(rng.choices("abcdefghij", k=40))},
        "g": {"S": f"g{rng.randrange(1000)}"},
        "gs": {"N": str(rng.randrange(100))},
    }
    if sk is not None:
        item["sk"] = {sk_kind: str(sk) if sk_kind == "N" else sk}
    return item


Writes = list[tuple[Key, Item, int]]


def write_sets(count: int, seed: int) -> dict[str, tuple[TableSchema, Writes]]:
    """The kinds of write measured: (schema, [(key, item, size)]) each."""
    rng = random.Random(seed)
    hash_only = [make_item(rng, f"user#{i}") for i in range(count)]
    partitions = max(1, count // 500)
    composite = [make_item(rng, f"p{i % partitions}", i) for i in range(count)]
    fresh = [make_item(rng, f"solo#{i}", 0) for i in range(count // 5)]

    def writes(items: list[Item], ranged: bool) -> Writes:
        return [
            ((it["pk"]["S"], Decimal(it["sk"]["N"]) if ranged else None), it, item_size(it)) for it in items
        ]

    return {
        "hash-only, new items": (table_schema(None), writes(hash_only, False)),
        "composite, 500 a partition": (table_schema("N"), writes(composite, True)),
        "composite, a partition each": (table_schema("N"), writes(fresh, True)),
        "hash-only with a GSI": (table_schema(None, gsi=True), writes(hash_only, False)),
    }


# --- 1. writes -----------------------------------------------------------------------------------


def _write_round(module: ModuleType, schema: TableSchema, writes: Writes) -> tuple[float, float, float]:
    """CPU seconds to put every item into a fresh store, to overwrite them all, to delete them all."""
    store = module.TableStore(schema)
    put, delete = store.put, store.delete
    start = time.process_time()
    for key, item, size in writes:
        put(key, item, size)
    fresh = time.process_time() - start
    start = time.process_time()
    for key, item, size in writes:
        put(key, item, size)
    overwrite = time.process_time() - start
    start = time.process_time()
    for key, _, _ in writes:
        delete(key)
    deleted = time.process_time() - start
    assert store.item_count == 0
    return fresh, overwrite, deleted


def run_writes(old: ModuleType, count: int, repeats: int, seed: int) -> list[bool]:
    print(f"\n1. Writes: {count:,} items a round, best of {repeats} interleaved rounds (CPU µs a write)")
    print(f"   {'data':<30}{'write':<11}{'before':>8}{'after':>8}{'after/before':>14}")
    verdicts = []
    for label, (schema, writes) in write_sets(count, seed).items():
        best: dict[str, list[float]] = {"old": [float("inf")] * 3, "new": [float("inf")] * 3}
        for _ in range(repeats):
            for name, module in (("old", old), ("new", storage)):
                gc.collect()
                times = _write_round(module, schema, writes)
                best[name] = [min(a, b) for a, b in zip(best[name], times, strict=True)]
        for column, what in enumerate(("put new", "overwrite", "delete")):
            before, after = (best[name][column] / len(writes) * 1e6 for name in ("old", "new"))
            ratio = after / before
            verdicts.append(ratio <= MAX_WRITE_RATIO)
            print(
                f"   {label:<30}{what:<11}{before:>8.2f}{after:>8.2f}{ratio:>10.3f} "
                f"{_verdict(ratio <= MAX_WRITE_RATIO)}"
            )
    print(f"   target: after/before <= {MAX_WRITE_RATIO}")
    return verdicts


# --- 2. queries ----------------------------------------------------------------------------------


def _query_store(size: int, seed: int) -> storage.TableStore:
    """One composite table: the measured partition ``"hot"`` of ``size`` items (sort keys N 0..size-1,
    S ``"k<digits>"``) and 99 small ones beside it."""
    rng = random.Random(seed)
    store = storage.TableStore(table_schema("S"))
    for i in range(size):
        item = make_item(rng, "hot", f"k{i:07d}", "S")
        store.put(("hot", item["sk"]["S"]), item)
    for p in range(99):
        for i in range(10):
            item = make_item(rng, f"cold{p}", f"k{i:07d}", "S")
            store.put((f"cold{p}", item["sk"]["S"]), item)
    return store


def _queries(store: storage.TableStore, size: int, count: int, seed: int) -> dict[str, Callable[[], None]]:
    """Each kind of 10-item query, ``count`` times at random places; each checks it read 10 items."""
    rng = random.Random(seed)
    starts = [rng.randrange(size // 10 - 1) * 10 for _ in range(count)]

    def ranged() -> None:
        for i in starts:
            got = list(store.query("hot", low=f"k{i:07d}", high=f"k{i + 9:07d}"))
            assert len(got) == 10

    def descending() -> None:
        for i in starts:
            start = ("hot", f"k{i + 10:07d}")
            got = list(islice(store.query("hot", forward=False, exclusive_start=start), 10))
            assert len(got) == 10 and got[0].item["sk"]["S"] == f"k{i + 9:07d}"

    def prefix() -> None:
        for i in starts:
            got = list(store.query("hot", prefix=f"k{i // 10:06d}"))
            assert len(got) == 10

    return {"range (BETWEEN)": ranged, "descending, resumed": descending, "begins_with": prefix}


def run_queries(count: int, repeats: int, seed: int) -> list[bool]:
    print(f"\n2. A query reading 10 items from one partition ({count:,} queries a round; CPU µs a query)")
    results: dict[str, list[float]] = {}
    for size in QUERY_SIZES:
        store = _query_store(size, seed)
        for label, run in _queries(store, size, count, seed).items():
            results.setdefault(label, []).append(_best(repeats, run) / count * 1e6)
    header = "".join(f"{size:>10,}" for size in QUERY_SIZES)
    print(f"   {'query':<24}{header}{'growth':>10}")
    verdicts = []
    for label, figures in results.items():
        growth = figures[-1] / figures[0]
        verdicts.append(growth <= MAX_GROWTH)
        cells = "".join(f"{figure:>10.2f}" for figure in figures)
        print(f"   {label:<24}{cells}{growth:>9.2f}x {_verdict(growth <= MAX_GROWTH)}")
    print(f"   target: growth ({QUERY_SIZES[-1]:,} / {QUERY_SIZES[0]:,}) <= {MAX_GROWTH}x")
    return verdicts


# --- 3. scan pages -------------------------------------------------------------------------------


def _scan_store(ranged: bool, count: int, seed: int) -> storage.TableStore:
    rng = random.Random(seed)
    store = storage.TableStore(table_schema("N" if ranged else None))
    for i in range(count):
        item = make_item(rng, f"p{i // 100}" if ranged else f"user#{i}", i if ranged else None)
        store.put((item["pk"]["S"], Decimal(item["sk"]["N"]) if ranged else None), item)
    return store


def _page(records: Iterator[storage.Record]) -> list[storage.Record]:
    page = list(islice(records, 100))
    assert len(page) == 100
    return page


def _scan_figures(store: storage.TableStore, pages: int, repeats: int) -> tuple[float, list[float]]:
    """(ms to place every partition at the first scan, [µs a page from the start, from the middle,
    of segment 7 of 16]); each page checked against the scan order."""
    ranged = store.schema.key.range_name is not None
    start = time.process_time()
    records = store.scan()  # places every partition written since the last scan: once
    settle = time.process_time() - start
    order = [(r.item["pk"]["S"], Decimal(r.item["sk"]["N"]) if ranged else None) for r in records]
    middle = order[len(order) // 2]
    resumed_page = [
        (r.item["pk"]["S"], Decimal(r.item["sk"]["N"]) if ranged else None)
        for r in _page(store.scan(exclusive_start=middle))
    ]
    assert resumed_page == order[len(order) // 2 + 1 :][:100], "a resumed page is not the next 100 items"

    def first() -> None:
        for _ in range(pages):
            _page(store.scan())

    def resumed() -> None:
        for _ in range(pages):
            _page(store.scan(exclusive_start=middle))

    def segment() -> None:
        for _ in range(pages):
            _page(store.scan(segment=7, total_segments=16))

    return settle * 1e3, [_best(repeats, run) / pages * 1e6 for run in (first, resumed, segment)]


def run_scans(count: int, pages: int, repeats: int, seed: int) -> list[bool]:
    print(f"\n3. A scan page of 100 items ({count:,} items a table, {pages:,} pages a round; CPU µs a page)")
    print(f"   {'table':<12}{'from start':>12}{'middle':>10}{'segment':>10}{'middle/start':>14}")
    verdicts = []
    notes = []
    for ranged in (False, True):
        store = _scan_store(ranged, count, seed)
        settle, figures = _scan_figures(store, pages, repeats)
        ratio = figures[1] / figures[0]
        verdicts.append(ratio <= MAX_GROWTH)
        kind = "composite" if ranged else "hash-only"
        cells = "".join(f"{figure:>10.1f}" for figure in figures[1:])
        print(f"   {kind:<12}{figures[0]:>12.1f}{cells}{ratio:>13.2f}x {_verdict(ratio <= MAX_GROWTH)}")
        notes.append(f"{kind}: {len(store._partitions):,} partitions placed in {settle:.0f} ms")
    print(f"   target: middle/start <= {MAX_GROWTH}x")
    print(f"   first scan after loading (once, then O(log n) a partition created): {'; '.join(notes)}")
    return verdicts


# --- main ----------------------------------------------------------------------------------------


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.storage_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if any target is missed")
    parser.add_argument("--quick", action="store_true", help="smaller rounds, for a smoke run")
    parser.add_argument("--repeats", type=int, default=5, help="rounds of each figure; the best is kept")
    parser.add_argument("--baseline", help="git revision of the storage module to compare writes with")
    parser.add_argument("--seed", type=int, default=SEED)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three figures and print them; 0, or 1 under ``--check`` when a target is missed."""
    args = _parse(argv)
    writes, queries, scan_items, pages = (
        (20_000, 500, 20_000, 200) if args.quick else (100_000, 2_000, 100_000, 1_000)
    )
    revision = args.baseline or baseline_revision()
    python = sys.version.split()[0]
    print(f"storage benchmark: seed {args.seed}, baseline storage.py at {revision[:12]}, Python {python}")
    with tempfile.TemporaryDirectory() as directory:
        old = load_baseline(revision, Path(directory))
        verdicts = run_writes(old, writes, args.repeats, args.seed)
    verdicts += run_queries(queries, args.repeats, args.seed)
    verdicts += run_scans(scan_items, pages, args.repeats, args.seed)
    print(f"\n{sum(verdicts)}/{len(verdicts)} targets met")
    return 1 if args.check and not all(verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
