"""A smoke test of ``benchmarks/sdk_bench.py`` on a few items: its servers, requests, checks and wiring.

Nothing here is timed or judged by speed. One small round runs over HTTP against the floor, our server
and moto's server (each started as its own process, as the benchmark starts them; dynalite is left
out: it needs npm), and one in process (boto3 through ``fake.patch()`` and under ``mock_aws``), so
that every backend's answers keep passing the benchmark's own checks.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator

import pytest

from benchmarks import __main__ as bench_main
from benchmarks import sdk_bench as sdk
from benchmarks.fake_bench import BenchmarkError, make_items, read_requests, write_requests
from benchmarks.query_bench import Plan, build_dataset

ITEMS = make_items(120, sdk.SEED)


@pytest.fixture
def no_machine_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No AWS setting of the machine may steer boto3 (the benchmark passes its own keys and region)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield


def test_requests_are_full_batches_of_the_items() -> None:
    writes = write_requests(ITEMS, "t_1")
    reads = read_requests(ITEMS, "t_1")
    assert [len(w["RequestItems"]["t_1"]) for w in writes] == [25, 25, 25, 25, 20]
    assert [len(r["RequestItems"]["t_1"]["Keys"]) for r in reads] == [100, 20]
    assert [w["PutRequest"]["Item"] for r in writes for w in r["RequestItems"]["t_1"]] == ITEMS


def test_the_floor_answers_what_the_benchmark_sends() -> None:
    floor = sdk.FloorStore()
    create = json.dumps(sdk.create_table_request("floor_t")).encode()
    assert floor.answer("DynamoDB_20120810.CreateTable", create)[0] == 200
    for request in write_requests(ITEMS, "floor_t"):
        status, body = floor.answer("DynamoDB_20120810.BatchWriteItem", json.dumps(request).encode())
        assert (status, json.loads(body)) == (200, {"UnprocessedItems": {}})
    answers = [
        json.loads(floor.answer("DynamoDB_20120810.BatchGetItem", json.dumps(request).encode())[1])
        for request in read_requests(ITEMS, "floor_t")
    ]
    sdk.check_reads("floor", answers, "floor_t", ITEMS)
    status, body = floor.answer("DynamoDB_20120810.Scan", b"{}")
    assert status == 400 and b"UnknownOperationException" in body


def test_a_wrong_answer_is_caught() -> None:
    with pytest.raises(BenchmarkError, match="left items unprocessed"):
        sdk.check_writes("x", [{"UnprocessedItems": {}}, {"UnprocessedItems": {"t": [{}]}}])
    short = {"Responses": {"t": ITEMS[:-1]}, "UnprocessedKeys": {}}
    with pytest.raises(BenchmarkError, match="not the items written"):
        sdk.check_reads("x", [short], "t", ITEMS)
    changed = [{**ITEMS[0], "n": {"N": "0"}}, *ITEMS[1:]]
    with pytest.raises(BenchmarkError, match="not the items written"):
        sdk.check_reads("x", [{"Responses": {"t": changed}, "UnprocessedKeys": {}}], "t", ITEMS)


def test_a_round_over_http_passes_every_check(no_machine_aws: None) -> None:
    with sdk.http_servers(None) as servers:
        assert [server.name for server in servers] == ["floor", "ours", "moto"]
        results = asyncio.run(sdk.run_http(servers, ITEMS, repeats=1, in_flights=(1, 3)))
    loops = ("write 1", "read 1", "write 3", "read 3")
    assert set(results.best) == {(server.name, loop) for server in servers for loop in loops}
    assert all(wall > 0 for wall, _, _ in results.best.values())


def test_a_round_in_process_passes_every_check(no_machine_aws: None) -> None:
    plan = Plan.make(build_dataset((10, 40), sdk.SEED), fake_queries=5, seed=sdk.SEED)
    results = sdk.run_in_process(ITEMS, plan, repeats=1)
    loops = ("write", "read", "query 10", "query 40")
    assert set(results.best) == {(backend, loop) for backend in sdk.IN_PROCESS for loop in loops}
    assert set(results.loaded) == set(sdk.IN_PROCESS)


def test_server_costs_measure_each_side() -> None:
    costs = sdk.server_costs(ITEMS, repeats=1)
    for side in (costs.floor, costs.ours, costs.fake):
        assert len(side) == 2 and all(0 <= seconds < 60 for seconds in side)
    assert "aiodynamodb_fake/" in sdk.profile_ours(ITEMS[:50], top=40)


def test_the_sdk_suite_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "sdk" in bench_main.SUITES
    seen: list[list[str]] = []

    def main(argv: list[str]) -> int:
        seen.append(argv)
        return 1

    monkeypatch.setattr(sdk, "main", main)
    assert bench_main.main(["sdk", "--check", "--quick"]) == 1  # its status, under --check
    assert seen == [["--quick", "--check"]]
