"""Query and Scan against moto: a 10-item query flat in the partition's size, pages at least 30x moto.

``python -m benchmarks query [--check] [--quick] [--repeats N] [--seed N] [--profile]``. In one run,
on the same seeded items, ``FakeDynamoDB`` (called in-process, ``fake.call_sync``) and moto
(``mock_aws`` + a boto3 client) each hold three tables, one per partition size (1,000 / 10,000 /
100,000 items in the partition ``"hot"``, beside 99 partitions of 10 items), and answer the very same
requests through the standard DynamoDB JSON API:

1. ``Query`` with ``pk = :p AND sk BETWEEN :a AND :b`` reading 10 items at random places in ``"hot"``:
   the cost of one query at each size. Target: the fake's cost at 100,000 at most 1.5x its cost at 1,000.
2. ``Query`` of the whole 10,000-item partition, ``Limit`` 100 a page, resumed from each
   ``LastEvaluatedKey`` until there is none: items/s. Target: at least 30x moto.
3. ``Scan`` of the whole 10,000-item table (10,990 items), natural 1 MB pages, until no
   ``LastEvaluatedKey``: items/s. Target: at least 30x moto.

Timed loops are judged in CPU time (``time.process_time``: both backends run in this thread, and a busy
neighbour on a shared machine disturbs CPU time far less than wall time, which is printed beside). The
best of ``--repeats`` interleaved rounds is kept. Every answer is checked, outside the timer, against the
items written (so the two backends answered the same). See benchmarks/README.md for how to read it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import platform
import pstats
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiodynamodb_fake import FakeDynamoDB

from .fake_bench import (
    CREATE_TABLE,
    WRITE_BATCH,
    BenchmarkError,
    Sample,
    _clock,
    _frozen_heap,
    _load_warning,
    _moto_client,
    _since,
    _verdict,
    conclude,
    make_item,
    write_requests,
)

__all__ = ["Dataset", "Plan", "build_dataset", "main", "point_queries", "run"]

SEED = 20261126
SIZES = (1_000, 10_000, 100_000)  # items in the measured partition, one table each
QUICK_SIZES = (100, 1_000, 10_000)
NEIGHBOURS = 99  # partitions of NEIGHBOUR_ITEMS beside the measured one, in every table
NEIGHBOUR_ITEMS = 10
HOT = "hot"
PAGE_LIMIT = 100  # Limit of each page of the paginated query
FAKE_QUERIES = 2_000  # 10-item queries a round at each size (the fake answers one in well under 1 ms)
QUICK_FAKE_QUERIES = 300
# moto reads and sorts every item of the table for each query: it gets budget // size queries a round
# (between 2 and 50), about 1 s of moto's time at each size.
MOTO_QUERY_BUDGET = 40_000
# Targets from issue 8.
MAX_QUERY_GROWTH = 1.5  # the fake's 10-item query at the largest size / at the smallest
MIN_PAGED_QUERY_VS_MOTO = 30.0  # fake/moto items/s, paginated query
MIN_SCAN_VS_MOTO = 30.0  # fake/moto items/s, paginated full scan

Item = dict[str, dict[str, Any]]
Request = dict[str, Any]
Call = Callable[[str, Request], Request]


def table_name(size: int) -> str:
    return f"query_{size}"


def create_table_request(size: int) -> Request:
    """fake_bench's table (pk S, sk N, on demand) under another name."""
    return {**CREATE_TABLE, "TableName": table_name(size)}


# --- data and requests ----------------------------------------------------------------------------


def _item(rng: random.Random, pk: str, sk: int) -> Item:
    """fake_bench's item (a number, a 100-byte string, a list, a map) under the key (pk, sk)."""
    item = make_item(rng, 0)
    item["pk"], item["sk"] = {"S": pk}, {"N": str(sk)}
    return item


@dataclass(slots=True)
class Dataset:
    """Every table's items (the measured partition first, in sort-key order) and the write order."""

    sizes: tuple[int, ...]
    items: dict[int, list[Item]] = field(default_factory=dict)
    writes: dict[int, list[Request]] = field(default_factory=dict)

    @property
    def paged(self) -> int:
        """The size whose partition is paged through and whose table is scanned: the middle one."""
        return self.sizes[len(self.sizes) // 2]

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.items.values())


def build_dataset(sizes: Sequence[int], seed: int) -> Dataset:
    """Per table: ``"hot"`` with sort keys 0..size-1 and 99 ``"cold-NN"`` partitions of sort keys 0..9,
    written 25 per BatchWriteItem in that order, as a test's set-up loop would write them.

    Key order is moto's best case: it sorts the whole table on every Query and Scan, and its dicts keep
    the write order, which Python's sort then merges in linear time. Written in a shuffled order,
    moto's queries cost about 3x more (4.6 s instead of 1.5 s at 100,000); the fake's do not change.
    """
    rng = random.Random(seed)
    data = Dataset(tuple(sizes))
    for size in data.sizes:
        items = [_item(rng, HOT, sk) for sk in range(size)]
        items += [_item(rng, f"cold-{p:02d}", sk) for p in range(NEIGHBOURS) for sk in range(NEIGHBOUR_ITEMS)]
        data.items[size] = items
        data.writes[size] = write_requests(items, table_name(size))
    return data


def point_queries(size: int, count: int, seed: int) -> list[tuple[Request, int]]:
    """``count`` queries for 10 items of ``"hot"`` (sort keys a..a+9, a drawn at random), each with its a."""
    rng = random.Random(seed + size)
    queries = []
    for _ in range(count):
        low = rng.randrange(size - 9)
        request = {
            "TableName": table_name(size),
            "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
            "ExpressionAttributeValues": {":p": {"S": HOT}, ":a": {"N": str(low)}, ":b": {"N": str(low + 9)}},
        }
        queries.append((request, low))
    return queries


def paged_query_request(size: int) -> Request:
    return {
        "TableName": table_name(size),
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": HOT}},
        "Limit": PAGE_LIMIT,
    }


def scan_request(size: int) -> Request:
    return {"TableName": table_name(size)}


# --- backends ---------------------------------------------------------------------------------------


def load(call: Call, data: Dataset) -> Sample:
    """Create every table and batch-write its items; the (wall, CPU) seconds it took."""
    start = _clock()
    for size in data.sizes:
        call("CreateTable", create_table_request(size))
        for request in data.writes[size]:
            if call("BatchWriteItem", request)["UnprocessedItems"]:
                raise BenchmarkError("a batch write left unprocessed items")
    return _since(start)


def fake_backend() -> tuple[FakeDynamoDB, Call]:
    """A fresh fake and its synchronous entry point (``await fake.call`` only wraps it in a coroutine)."""
    fake = FakeDynamoDB()
    return fake, fake.call_sync


@contextmanager
def moto_backend() -> Iterator[Call]:
    """moto's answers through a boto3 client inside ``mock_aws`` (fake_bench's client)."""
    with _moto_client() as client:
        methods: dict[str, Callable[..., Request]] = {
            "CreateTable": client.create_table,
            "BatchWriteItem": client.batch_write_item,
            "Query": client.query,
            "Scan": client.scan,
        }
        yield lambda operation, request: methods[operation](**request)


# --- timed loops (each returns what it measured and what it got; checks come after) -------------------


def run_point_queries(call: Call, requests: Sequence[Request]) -> tuple[Sample, list[Request]]:
    responses = []
    gc.collect()
    start = _clock()
    for request in requests:
        responses.append(call("Query", request))
    return _since(start), responses


@dataclass(slots=True)
class Pages:
    """What paging through one request gave: every item in order, the pages, the summed counts."""

    items: list[Item] = field(default_factory=list)
    pages: int = 0
    count: int = 0
    scanned: int = 0


def run_pages(call: Call, operation: str, request: Request, most: int) -> tuple[Sample, Pages]:
    """Call ``operation`` from ``request`` on, resuming from each LastEvaluatedKey until there is none."""
    got = Pages()
    page = request
    gc.collect()
    start = _clock()
    while True:
        response = call(operation, page)
        got.pages += 1
        got.items += response["Items"]
        got.count += response["Count"]
        got.scanned += response["ScannedCount"]
        key = response.get("LastEvaluatedKey")
        if key is None:
            break
        if got.pages > most:
            raise BenchmarkError(f"{operation} is still paging after {most} pages")
        page = {**request, "ExclusiveStartKey": key}
    return _since(start), got


# --- checks ---------------------------------------------------------------------------------------


def check_point_queries(
    backend: str, responses: Sequence[Request], queries: Sequence[tuple[Request, int]], hot: list[Item]
) -> None:
    """Each answer holds exactly items low..low+9 of ``"hot"``, in order, whole."""
    for response, (_, low) in zip(responses, queries, strict=True):
        if (
            response["Count"] != 10
            or response["ScannedCount"] != 10
            or response["Items"] != hot[low : low + 10]
        ):
            raise BenchmarkError(f"{backend}: a 10-item query from sort key {low} answered other items")
        if "LastEvaluatedKey" in response:
            raise BenchmarkError(f"{backend}: a 10-item query without Limit answered a LastEvaluatedKey")


def check_paged_query(backend: str, got: Pages, hot: list[Item]) -> None:
    if got.items != hot or got.count != len(hot) or got.scanned != len(hot):
        raise BenchmarkError(f"{backend}: the paginated query did not answer the partition, in order")


def _key(item: Item) -> tuple[str, int]:
    return item["pk"]["S"], int(item["sk"]["N"])


def check_scan(backend: str, got: Pages, items: list[Item]) -> None:
    """Every item once and whole; the scan's order is each backend's own, so both sides are sorted."""
    if got.count != len(items) or got.scanned != len(items):
        raise BenchmarkError(f"{backend}: the scan counted {got.count} items, not {len(items)}")
    if sorted(got.items, key=_key) != sorted(items, key=_key):
        raise BenchmarkError(f"{backend}: the scan did not answer every item exactly once")


# --- rounds ---------------------------------------------------------------------------------------


BACKENDS = ("fake", "moto")


@dataclass(slots=True)
class Results:
    """The best (least) seconds of each timed loop per backend and clock, and the pages seen."""

    best: dict[tuple[str, str], Sample] = field(default_factory=dict)
    pages: dict[tuple[str, str], int] = field(default_factory=dict)
    loaded: dict[str, Sample] = field(default_factory=dict)

    def add(self, backend: str, measure: str, sample: Sample) -> None:
        old = self.best.get((backend, measure), (float("inf"), float("inf")))
        self.best[(backend, measure)] = (min(old[0], sample[0]), min(old[1], sample[1]))


@dataclass(slots=True)
class Plan:
    """The requests of one run, the same for both backends (moto gets a prefix of the point queries)."""

    data: Dataset
    queries: dict[int, list[tuple[Request, int]]]
    moto_queries: dict[int, int]

    @classmethod
    def make(cls, data: Dataset, fake_queries: int, seed: int) -> Plan:
        moto = {size: min(50, max(2, MOTO_QUERY_BUDGET // size)) for size in data.sizes}
        queries = {size: point_queries(size, max(fake_queries, moto[size]), seed) for size in data.sizes}
        return cls(data, queries, moto)

    def count(self, backend: str, size: int) -> int:
        return len(self.queries[size]) if backend == "fake" else self.moto_queries[size]


def one_round(backend: str, call: Call, plan: Plan, results: Results) -> None:
    """Every timed loop once on ``backend``, each answer checked after its loop."""
    data = plan.data
    for size in data.sizes:
        queries = plan.queries[size][: plan.count(backend, size)]
        sample, responses = run_point_queries(call, [request for request, _ in queries])
        check_point_queries(backend, responses, queries, data.items[size][:size])
        results.add(backend, f"query {size}", sample)
    hot = data.items[data.paged][: data.paged]
    sample, got = run_pages(call, "Query", paged_query_request(data.paged), data.paged // PAGE_LIMIT + 1)
    check_paged_query(backend, got, hot)
    results.add(backend, "paged", sample)
    results.pages[(backend, "paged")] = got.pages
    everything = data.items[data.paged]
    sample, got = run_pages(call, "Scan", scan_request(data.paged), len(everything))
    check_scan(backend, got, everything)
    results.add(backend, "scan", sample)
    results.pages[(backend, "scan")] = got.pages


def warm_up(call: Call, plan: Plan, sizes: Sequence[int]) -> None:
    """A 10-item query and a first page of each paginated read on each table of ``sizes``, untimed.

    moto needs only its smallest table (botocore loads each operation's shapes at its first call);
    the fake gets every table because its first scan of a table places the partitions written since
    in its scan order, a once-only cost of loading that a Scan round must not carry.
    """
    for size in sizes:
        call("Query", plan.queries[size][0][0])
        call("Query", paged_query_request(size))
        call("Scan", {**scan_request(size), "Limit": PAGE_LIMIT})


def run(plan: Plan, repeats: int) -> Results:
    results = Results()
    fake, fake_call = fake_backend()
    with moto_backend() as moto_call:
        calls = {"fake": fake_call, "moto": moto_call}
        for backend in BACKENDS:
            results.loaded[backend] = load(calls[backend], plan.data)
        for size in plan.data.sizes:
            if fake.state.tables[table_name(size)].store.item_count != len(plan.data.items[size]):
                raise BenchmarkError("the fake does not hold every item written")
        with _frozen_heap():
            warm_up(fake_call, plan, plan.data.sizes)
            warm_up(moto_call, plan, plan.data.sizes[:1])
            for _ in range(repeats):
                for backend in BACKENDS:
                    one_round(backend, calls[backend], plan, results)
    return results


# --- profile and report -----------------------------------------------------------------------------


def profile_fake(plan: Plan, top: int = 25) -> str:
    """cProfile of the fake answering one round's loops (on a fresh fake), sorted by own time."""
    _, call = fake_backend()
    load(call, plan.data)
    warm_up(call, plan, plan.data.sizes)
    profiler = cProfile.Profile()
    with _frozen_heap():  # else the loops' gc.collect() calls, over every loaded item, top the profile
        profiler.runcall(one_round, "fake", call, plan, Results())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def per_query(plan: Plan, results: Results, backend: str, size: int, clock: int) -> float:
    """Seconds a 10-item query at ``size``: the best loop over the queries it held (clock 0 wall, 1 CPU)."""
    return results.best[(backend, f"query {size}")][clock] / plan.count(backend, size)


def report_queries(plan: Plan, results: Results, repeats: int) -> bool:
    sizes = plan.data.sizes
    print(
        f"1. Query 'pk = :p AND sk BETWEEN :a AND :b', 10 items at random places in a partition of n items; "
        f"ms a query, best of {repeats} rounds"
    )
    print(
        f"   queries a round: fake {len(plan.queries[sizes[0]]):,} at each size; moto "
        + ", ".join(f"{plan.moto_queries[size]} at {size:,}" for size in sizes)
    )
    header = "".join(f"{size:>12,}" for size in sizes)
    print(f"   {'n =':<16}{header}{'growth':>10}   target")
    ok = True
    for backend in BACKENDS:
        for clock, label in ((1, "CPU"), (0, "wall")):
            costs = [per_query(plan, results, backend, size, clock) * 1e3 for size in sizes]
            growth = costs[-1] / costs[0]
            cells = "".join(f"{cost:>12.3f}" for cost in costs)
            judged = backend == "fake" and label == "CPU"
            target = f"<= {MAX_QUERY_GROWTH:g}x {_verdict(growth <= MAX_QUERY_GROWTH)}" if judged else ""
            ok = ok and (growth <= MAX_QUERY_GROWTH or not judged)
            print(f"   {backend + ' ' + label:<16}{cells}{growth:>9.2f}x   {target}".rstrip())
    ratios = [per_query(plan, results, "moto", s, 1) / per_query(plan, results, "fake", s, 1) for s in sizes]
    print(f"   {'moto/fake CPU':<16}" + "".join(f"{ratio:>11,.0f}x" for ratio in ratios))
    return ok


def report_pages(plan: Plan, results: Results, repeats: int) -> list[bool]:
    data = plan.data
    rows = (
        (
            "paged",
            f"Query of the {data.paged:,}-item partition, Limit {PAGE_LIMIT}",
            data.paged,
            MIN_PAGED_QUERY_VS_MOTO,
        ),
        (
            "scan",
            f"Scan of {table_name(data.paged)} ({len(data.items[data.paged]):,} items), 1 MB pages",
            len(data.items[data.paged]),
            MIN_SCAN_VS_MOTO,
        ),
    )
    print(f"2. Paginated reads until no LastEvaluatedKey; items/s (CPU time), best of {repeats} rounds")
    print(
        f"   {'':<58}{'pages':>11}{'fake/s':>11}{'moto/s':>10}{'fake/moto':>11}   target      "
        "(wall: fake/s  moto/s  fake/moto)"
    )
    passed = []
    for measure, label, count, target in rows:
        fake, moto = results.best[("fake", measure)], results.best[("moto", measure)]
        pages = f"{results.pages[('fake', measure)]}/{results.pages[('moto', measure)]}"
        rate = [count / fake[1], count / moto[1]]
        wall = [count / fake[0], count / moto[0]]
        ratio = rate[0] / rate[1]
        passed.append(ratio >= target)
        print(
            f"   {label:<58}{pages:>11}{rate[0]:>11,.0f}{rate[1]:>10,.0f}{ratio:>10.1f}x   "
            f">= {target:g}x {_verdict(ratio >= target)}   ({wall[0]:,.0f}  {wall[1]:,.0f}  "
            f"{wall[0] / wall[1]:.1f}x)"
        )
    print("   pages: fake/moto (moto leaves out LastEvaluatedKey when a Limit-full page ends the partition)")
    return passed


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks query", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any target is missed")
    parser.add_argument(
        "--quick", action="store_true", help="partitions of 100 / 1,000 / 10,000 items: a smoke run"
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds per backend; the best is kept")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one fake round")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run everything, print the tables; 0, or 1 under ``--check`` when a target is missed."""
    args = _parse(argv)
    import moto

    started = time.perf_counter()
    sizes = QUICK_SIZES if args.quick else SIZES
    data = build_dataset(sizes, args.seed)
    plan = Plan.make(data, QUICK_FAKE_QUERIES if args.quick else FAKE_QUERIES, args.seed)
    print(
        f"aiodynamodb query benchmark: seed {args.seed}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), moto {moto.__version__}"
    )
    busy = _load_warning(ours=0)
    results = run(plan, args.repeats)
    print(
        f"Data: tables {' / '.join(table_name(size) for size in sizes)}: partition '{HOT}' of n items (sort "
        f"key N 0..n-1) beside {NEIGHBOURS} partitions of {NEIGHBOUR_ITEMS}; {data.total:,} items"
    )
    fake_load, moto_load = results.loaded["fake"], results.loaded["moto"]
    print(
        f"   loaded by BatchWriteItem, {WRITE_BATCH} per call (not judged): fake {fake_load[1]:.1f} s, moto "
        f"{moto_load[1]:.1f} s of CPU ({fake_load[0]:.1f} s and {moto_load[0]:.1f} s of wall time)"
    )
    passed = [report_queries(plan, results, args.repeats), *report_pages(plan, results, args.repeats)]
    if args.profile:
        print(profile_fake(plan))
    return conclude("query", passed, busy, started, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
