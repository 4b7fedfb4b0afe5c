"""Validation's cost against request size: the worst shapes of bad input at 1x, 2x and 4x (issue 7).

Each shape is a request the fake rejects, sent in process through ``FakeDynamoDB.call_sync`` (no
table exists) at three sizes, each twice the one before. Printed per shape: the JSON body at 4x, the
CPU time per call at each size (best of ``--repeats`` rounds; a round repeats the call until it has
run ``MIN_ROUND`` seconds), the heap one call allocates at its peak (``tracemalloc``, a separate
call), the ratio per doubling of both, and the answer at 4x (the error and its message's length).
Then the worst CPU time of one call on a ~16 MB body (full size only).

Target, per shape: the two ratios per doubling average (geometric mean) at most ``MAX_RATIO``, for
CPU time and for heap (``--check`` exits 1 otherwise). Linear cost doubles per doubling, quadratic
quadruples; one ratio alone is noisier than the pair: a dict crossing a resize threshold, or a copy
outgrowing the CPU's caches, makes one step jump towards 3x and the next fall back. ``--quick`` runs
the same shapes at 1/16 of the size (4x about 1 MB), in about ten seconds, for CI.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake import FakeDynamoDB, limits

__all__ = ["SHAPES", "main"]

MAX_RATIO = 2.6
MIN_ROUND = 0.05  # seconds of CPU per timed round: short calls are repeated to get there
QUICK_ROUND = 0.02
REPEATS = 3
QUICK_REPEATS = 5  # --quick's calls take milliseconds: more rounds for a best-of that survives load
QUICK_SCALE = 1 / 16
Request = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Shape:
    name: str
    build: Callable[[int], Request]  # the request for a size parameter n
    base: int  # n at 1x, full size; 4x is about the JSON body given in ``target``
    target: str


def _bad_table_names_write(n: int) -> Request:
    entry = [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]
    return "BatchWriteItem", {"RequestItems": {f"bad!{i:07d}" + "x" * 150: entry for i in range(n)}}


def _bad_table_names_get(n: int) -> Request:
    entry = {"Keys": [{"pk": {"S": "a"}}]}
    return "BatchGetItem", {"RequestItems": {f"bad!{i:07d}" + "x" * 150: entry for i in range(n)}}


def _attribute_definitions(n: int) -> Request:
    """Many definitions and a duplicate at the very end: what a quadratic duplicate check hates most."""
    names = [f"attribute_{i:08d}" for i in range(n)] + ["attribute_00000000"]
    return "CreateTable", {
        "TableName": "tbl",
        "KeySchema": [{"AttributeName": "attribute_00000000", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for name in names],
        "BillingMode": "PAY_PER_REQUEST",
    }


def _tiny_attributes(n: int) -> Request:
    """One item of n attributes of 1 byte each: far past 400 KB, but every value still to check."""
    item = {"pk": {"S": "k"}, **{f"{i:x}": {"NULL": True} for i in range(n)}}
    return "PutItem", {"TableName": "tbl", "Item": item}


def _long_echo(n: int) -> Request:
    """26 writes (one too many) of n characters each: the message echoes the table's whole list."""
    writes = [{"PutRequest": {"Item": {"pk": {"S": f"{i}" + "é" * n}}}} for i in range(26)]
    return "BatchWriteItem", {"RequestItems": {"tbl": writes}}


def _deep_past_limit(n: int) -> Request:
    """A value nested n levels deep: DynamoDB stops at 32, and so must the walk."""
    value: dict[str, Any] = {"NULL": True}
    for _ in range(n):
        value = {"L": [value]}
    return "PutItem", {"TableName": "tbl", "Item": {"pk": {"S": "k"}, "deep": value}}


def _deep_chains(n: int) -> Request:
    """n values nested 31 levels deep, the deepest legal: every level must be walked (values are
    checked before the size). A 400 KB string makes the item too large at every n, so each size
    gets the same answer (the fast path for valid items would otherwise make small sizes look cheap)."""
    chain: dict[str, Any] = {"NULL": True}
    for _ in range(30):
        chain = {"L": [chain]}
    item = {"pk": {"S": "k"}, "pad": {"S": "x" * limits.MAX_ITEM_SIZE}, "chains": {"L": [chain] * n}}
    return "PutItem", {"TableName": "tbl", "Item": item}


SHAPES = (
    Shape("BatchWriteItem, bad table names", _bad_table_names_write, 19_800, "16 MB"),
    Shape("BatchGetItem, bad table names", _bad_table_names_get, 21_300, "16 MB"),
    Shape("CreateTable, AttributeDefinitions", _attribute_definitions, 70_000, "16 MB"),
    Shape("PutItem, tiny attributes", _tiny_attributes, 200_000, "16 MB"),
    Shape("BatchWriteItem, long echo", _long_echo, 75_000, "16 MB"),
    # 4x is 240,000 levels: 16 MB of it would be 700 MB of Python objects, and the walk stops at 32
    Shape("PutItem, nesting past 32", _deep_past_limit, 60_000, "2 MB"),
    Shape("PutItem, 31-level chains", _deep_chains, 17_900, "16 MB"),
)


@dataclass(frozen=True)
class Sample:
    body: int  # bytes of JSON (measured at 4x only)
    cpu: float  # seconds per call
    heap: int  # peak bytes allocated by one call
    answer: str  # the error code and the message's length, or "OK"


def _call(fake: FakeDynamoDB, request: Request) -> str:
    try:
        fake.call_sync(*request)
    except DynamoDBError as err:
        return f"{err.code} ({len(err.message):,} chars)"
    return "OK"


def _body_size(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON, walked without recursion (a shape nests 240,000 deep)."""
    size, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            size += 1 + len(item) + sum(len(json.dumps(k, ensure_ascii=False).encode()) for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            size += 1 + max(len(item), 1)
            stack.extend(item)
        else:
            size += len(json.dumps(item, ensure_ascii=False).encode())
    return size


def _measure(request: Request, repeats: int, round_: float, *, sized: bool) -> Sample:
    body = _body_size(request[1]) if sized else 0  # only the 4x body is printed
    fake = FakeDynamoDB()
    answer = _call(fake, request)  # warm-up, and the answer
    gc.collect()
    gc.freeze()  # the request itself stays out of the collector's full passes
    try:
        best = float("inf")
        for _ in range(repeats):
            calls, started = 0, time.process_time()
            while True:
                _call(fake, request)
                calls += 1
                elapsed = time.process_time() - started
                if elapsed >= round_:
                    break
            best = min(best, elapsed / calls)
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        _call(fake, request)
        heap = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    finally:
        gc.unfreeze()
    return Sample(body, best, heap, answer)


def _size(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} KB"


def _time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def run_shape(shape: Shape, scale: float, repeats: int) -> list[Sample]:
    samples = []
    for factor in (1, 2, 4):
        request = shape.build(max(1, round(shape.base * scale)) * factor)
        round_ = QUICK_ROUND if scale < 1 else MIN_ROUND
        samples.append(_measure(request, repeats, round_, sized=factor == 4))
        del request
        gc.collect()
    return samples


def report(shape: Shape, samples: list[Sample]) -> bool:
    """One row; True if both CPU time and heap grow at most MAX_RATIO per doubling on average."""
    cpu = [b.cpu / a.cpu for a, b in itertools.pairwise(samples)]
    heap = [b.heap / max(a.heap, 1) for a, b in itertools.pairwise(samples)]
    ok = math.prod(cpu) <= MAX_RATIO**2 and math.prod(heap) <= MAX_RATIO**2
    times = " ".join(f"{_time(s.cpu):>9}" for s in samples)
    print(
        f"  {shape.name:<34} {_size(samples[-1].body):>8} {times}  "
        f"{cpu[0]:.2f}x {cpu[1]:.2f}x  {_size(samples[-1].heap):>8}  {heap[0]:.2f}x {heap[1]:.2f}x  "
        f"{'PASS' if ok else 'FAIL'}  {samples[-1].answer}"
    )
    return ok


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks validation", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if a shape's cost grows over {MAX_RATIO}x per doubling"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help=f"timed rounds per size, the best kept ({REPEATS}; {QUICK_REPEATS} --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1/16 of the sizes (4x about 1 MB): about ten seconds"
    )
    parser.add_argument("--only", help="run the shapes whose name contains this text")
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = QUICK_REPEATS if args.quick else REPEATS
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    scale = QUICK_SCALE if args.quick else 1.0
    started = time.perf_counter()
    print(
        f"aiodynamodb fake validation benchmark: Python {platform.python_version()} "
        f"({platform.python_implementation()}), sizes 1x 2x 4x{' (--quick: 1/16)' if args.quick else ''}, "
        f"CPU time per call (best of {args.repeats}), peak heap of one call"
    )
    print(
        f"  {'shape':<34} {'body 4x':>8} {'cpu 1x':>9} {'cpu 2x':>9} {'cpu 4x':>9}  per doubling  "
        f"{'heap 4x':>8}  per doubling  <= {MAX_RATIO}x  answer at 4x"
    )
    passed, worst = [], (0.0, "")
    for shape in SHAPES:
        if args.only and args.only.lower() not in shape.name.lower():
            continue
        samples = run_shape(shape, scale, args.repeats)
        passed.append(report(shape, samples))
        if shape.target == "16 MB" and samples[-1].cpu > worst[0]:
            worst = (samples[-1].cpu, f"{shape.name}, {_size(samples[-1].body)}")
    if not args.quick and worst[1]:
        print(f"worst CPU time of one ~16 MB request: {_time(worst[0])} ({worst[1]})")
    verdict = "all targets met" if all(passed) else "TARGET MISSED"
    print(f"validation benchmark: {verdict} ({time.perf_counter() - started:.0f} s)")
    return 1 if args.check and not all(passed) else 0


if __name__ == "__main__":
    sys.exit(main())
