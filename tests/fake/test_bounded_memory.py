"""Memory after a stream of large requests, accepted or rejected, returns to its level before.

Issue 7, defect 3: every cache keyed by request text (parsed projections, AttributesToGet lists, the
wire codec's per-operation tables) is bounded by entries and by an estimate of the bytes it holds,
and a text too large to be worth keeping is not kept at all. Memory is measured with ``tracemalloc``
after ``gc.collect()``: deterministic, and the margins are small next to what the same streams kept
before the bound (10 to 56 MB, figures beside each test).
"""

from __future__ import annotations

import contextlib
import gc
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake import FakeDynamoDB, wire
from aiodynamodb_fake.expressions import cache as expression_cache
from aiodynamodb_fake.expressions import parse_projection, projection, projection_from_attributes_to_get

MIB = 1024 * 1024
# What may stay behind a stream of requests too large to cache: the journal's small records, the
# allocator's and interpreter's own noise. One such request used to keep 5 to 30 MB.
NOISE = 1 * MIB

TABLE = "bounded"
MISSING = "bounded_missing"


def retained(action: Callable[[], object]) -> int:
    """Bytes allocated by ``action`` that are still allocated after it and a full collection."""
    gc.collect()
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        action()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        if started:
            tracemalloc.stop()


def cache_budget() -> int:
    """The most every bounded cache together may hold, by its own estimate."""
    return sum(info.max_cost for info in (c.cache_info() for c in expression_cache.caches()))


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    for each in expression_cache.caches():
        each.cache_clear()
    yield
    for each in expression_cache.caches():
        each.cache_clear()


@pytest.fixture
def fake() -> FakeDynamoDB:
    fake = FakeDynamoDB()
    fake.call_sync(
        "CreateTable",
        {
            "TableName": TABLE,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    fake.call_sync("PutItem", {"TableName": TABLE, "Item": {"pk": {"S": "a"}, "a0_1": {"S": "x"}}})
    return fake


def send(fake: FakeDynamoDB, operation: str, request: dict[str, Any]) -> None:
    with contextlib.suppress(DynamoDBError):
        fake.call_sync(operation, request)


def warm_up(fake: FakeDynamoDB) -> None:
    """One small call of each kind, so first-use allocations (error classes, the journal) are not
    counted as retained by the stream."""
    for table in (TABLE, MISSING):
        send(fake, "GetItem", {"TableName": table, "Key": {"pk": {"S": "a"}}, "AttributesToGet": ["w"]})
        send(fake, "GetItem", {"TableName": table, "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "w"})
        send(fake, "BatchGetItem", {"RequestItems": {table: {"Keys": [{"pk": {"S": "a"}}]}}})
    for each in expression_cache.caches():
        each.cache_clear()


# --- AttributesToGet: the 1.3 MB GetItems ---------------------------------------------------


def attributes(tag: str, request: int, count: int) -> list[str]:
    return [f"{tag}{request}_{n}" for n in range(count)]


def test_rejected_get_items_with_long_attributes_to_get_leave_nothing_behind(fake: FakeDynamoDB) -> None:
    # Before the bound: 8 requests of 0.25 MB kept 56 MB (the issue: 40 of 1.3 MB kept 1 GB).
    warm_up(fake)

    def stream() -> None:
        for n in range(8):
            request = {
                "TableName": MISSING,
                "Key": {"pk": {"S": "a"}},
                "AttributesToGet": attributes("r", n, 30_000),
            }
            send(fake, "GetItem", request)

    assert retained(stream) < NOISE


def test_accepted_reads_with_long_attributes_to_get_leave_nothing_behind(fake: FakeDynamoDB) -> None:
    # Before the bound: 28 MB kept.
    warm_up(fake)

    def stream() -> None:
        for n in range(4):
            names = attributes("a", n, 30_000)
            fake.call_sync(
                "GetItem", {"TableName": TABLE, "Key": {"pk": {"S": "a"}}, "AttributesToGet": names}
            )
            entry = {"Keys": [{"pk": {"S": "a"}}], "AttributesToGet": names}
            send(fake, "BatchGetItem", {"RequestItems": {TABLE: entry, MISSING: entry}})
            fake.call_sync("BatchGetItem", {"RequestItems": {TABLE: entry}})

    assert retained(stream) < NOISE


# --- ProjectionExpression: long names behind the aliases, many distinct expressions ------------------


def aliased(request: int, aliases: int, name_length: int) -> dict[str, Any]:
    """A 4 KB-bounded expression ``#n0, #n1...`` whose aliases each stand for a long name."""
    expression = ", ".join(f"#n{k}" for k in range(aliases))
    names = {f"#n{k}": f"{request}_{k}_".ljust(name_length, "x") for k in range(aliases)}
    return {"ProjectionExpression": expression, "ExpressionAttributeNames": names}


def test_projections_with_long_aliased_names_leave_nothing_behind(fake: FakeDynamoDB) -> None:
    # Before the bound: 6 requests of 4 MB (400 aliases, 10 KB names) kept 24 MB.
    warm_up(fake)

    def stream() -> None:
        for n in range(6):
            options = aliased(n, 400, 10_000)
            for table in (TABLE, MISSING):
                send(fake, "GetItem", {"TableName": table, "Key": {"pk": {"S": "a"}}, **options})

    assert retained(stream) < NOISE


def distinct_expression(n: int, size: int = 4096) -> str:
    """A valid ProjectionExpression of about ``size`` bytes, different for every ``n``."""
    parts: list[str] = []
    length = -2
    k = 0
    while length + len(f", p{n}_{k}.q[1]") <= size:
        parts.append(f"p{n}_{k}.q[1]")
        length += len(parts[-1]) + 2
        k += 1
    return ", ".join(parts)


def test_a_stream_of_distinct_projections_keeps_at_most_the_caches_budget(fake: FakeDynamoDB) -> None:
    # Before the bound: 160 distinct 2 KB expressions kept 21 MB (and 1,100 of 4 KB, 250 MB).
    warm_up(fake)

    def stream() -> None:
        for n in range(160):
            table = TABLE if n % 2 else MISSING
            options = {"ProjectionExpression": distinct_expression(n, 2048)}
            send(fake, "GetItem", {"TableName": table, "Key": {"pk": {"S": "a"}}, **options})

    assert retained(stream) < cache_budget() + NOISE
    for each in expression_cache.caches():
        info = each.cache_info()
        assert info.cost <= info.max_cost
        assert info.entries <= info.max_entries


# --- the caches themselves ---------------------------------------------------------------------------


def test_each_cache_stays_within_its_entries_and_bytes() -> None:
    """Filling the projection caches far past their bounds with the largest entries they accept: no
    cache's estimate of what it holds passes its budget, and the estimate is honest (tracemalloc
    agrees)."""

    def fill() -> None:
        for n in range(1200):  # past the entry bound: small entries
            parse_projection(f"#a{n}, b{n}", {f"#a{n}": f"name{n}"})
        for n in range(40):  # past the byte bound: 2 KB texts
            parse_projection(distinct_expression(n, 2048), None)
        for n in range(200):
            projection_from_attributes_to_get([f"x{n}_{k}" for k in range(100)])

    assert retained(fill) < cache_budget() + NOISE
    for each in expression_cache.caches():
        info = each.cache_info()
        assert info.entries <= info.max_entries
        assert info.cost <= info.max_cost
    for each in (projection._parse_text, projection._resolve, projection._from_attributes):
        assert each.cache_info().entries > 0


def test_texts_larger_than_an_entry_may_be_are_not_cached() -> None:
    names = [f"x{k}" for k in range(100_000)]
    first = projection_from_attributes_to_get(names)
    assert projection_from_attributes_to_get(names) == first
    assert all(c.cache_info().entries == 0 for c in expression_cache.caches())


def test_a_call_that_raises_caches_nothing() -> None:
    with pytest.raises(DynamoDBError):
        parse_projection("a, a.b", None)  # overlapping paths: rejected after the syntax is parsed
    with pytest.raises(DynamoDBError):
        parse_projection("a b", None)
    assert sum(c.cache_info().entries for c in expression_cache.caches()) <= 1  # "a, a.b"'s syntax


# --- the journal -----------------------------------------------------------------------------------


def test_rejected_requests_with_long_table_names_leave_nothing_behind(fake: FakeDynamoDB) -> None:
    # Before the journal bounded names: this stream kept 5.4 MB (16 MB bodies: up to 16 GB).
    for _ in range(1000):  # the journal full of small records, as in a long run
        send(fake, "GetItem", {"TableName": MISSING, "Key": {"pk": {"S": "a"}}})

    def stream() -> None:
        for n in range(20):
            send(fake, "GetItem", {"TableName": f"{n}".ljust(200_000, "x"), "Key": {"pk": {"S": "a"}}})
            tables = {f"{n}_{k}".ljust(300, "y"): {"Keys": [{"pk": {"S": "a"}}]} for k in range(200)}
            send(fake, "BatchGetItem", {"RequestItems": tables})

    assert retained(stream) < NOISE


# --- the wire codec ----------------------------------------------------------------------------------


def test_unknown_operations_and_error_codes_are_not_remembered() -> None:
    # Before: every distinct name was cached for good (here 100 names of 100 KB: 10 MB).
    wire.decode_request("PutItem", {})
    wire.encode_error("ValidationException", {})

    def stream() -> None:
        for n in range(100):
            name = f"{n}".ljust(100_000, "x")
            wire.decode_request(name, {})
            wire.encode_response(name, {})
            wire.encode_error(name, {})

    assert retained(stream) < NOISE
