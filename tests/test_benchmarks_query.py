"""A smoke test of ``benchmarks/query_bench.py`` on tiny tables: its requests, its checks, its wiring.

Nothing here is timed or judged by speed: a round runs on both backends so that every answer passes the
benchmark's own checks (the items written, in order, on the fake and on moto alike).
"""

from __future__ import annotations

import pytest

from benchmarks import __main__ as bench_main
from benchmarks import query_bench as q
from benchmarks.fake_bench import WRITE_BATCH, BenchmarkError

SIZES = (10, 250, 300)  # the middle partition spans three pages of Limit 100


def test_dataset_holds_each_partition_and_its_neighbours() -> None:
    data = q.build_dataset(SIZES, q.SEED)
    assert data.paged == 250
    for size in SIZES:
        items = data.items[size]
        assert len(items) == size + q.NEIGHBOURS * q.NEIGHBOUR_ITEMS
        assert [it["sk"]["N"] for it in items[:size]] == [str(sk) for sk in range(size)]
        written = [
            w["PutRequest"]["Item"] for r in data.writes[size] for w in r["RequestItems"][q.table_name(size)]
        ]
        assert sorted(map(q._key, written)) == sorted(map(q._key, items))
        assert all(len(r["RequestItems"][q.table_name(size)]) <= WRITE_BATCH for r in data.writes[size])


def test_point_queries_ask_for_ten_items_inside_the_partition() -> None:
    queries = q.point_queries(100, 50, q.SEED)
    assert len(queries) == 50
    for request, low in queries:
        values = request["ExpressionAttributeValues"]
        assert 0 <= low <= 90
        assert values[":a"] == {"N": str(low)} and values[":b"] == {"N": str(low + 9)}


def test_a_round_passes_every_check_on_both_backends() -> None:
    plan = q.Plan.make(q.build_dataset(SIZES, q.SEED), fake_queries=20, seed=q.SEED)
    results = q.run(plan, repeats=1)
    assert results.pages[("fake", "paged")] in (3, 4)  # 4 if a Limit-full last page keeps its key
    assert results.pages[("moto", "paged")] == 3
    assert set(results.best) == {
        (b, m) for b in q.BACKENDS for m in ("query 10", "query 250", "query 300", "paged", "scan")
    }


def test_a_wrong_answer_is_caught() -> None:
    data = q.build_dataset(SIZES, q.SEED)
    hot = data.items[10][:10]
    request, low = q.point_queries(10, 1, q.SEED)[0]
    wrong = {"Items": hot[:9], "Count": 9, "ScannedCount": 9}
    with pytest.raises(BenchmarkError, match="answered other items"):
        q.check_point_queries("fake", [wrong], [(request, low)], hot)
    with pytest.raises(BenchmarkError, match="did not answer every item"):
        q.check_scan("fake", q.Pages(hot[:9] + hot[:1], 1, 10, 10), hot)


def test_the_query_suite_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "query" in bench_main.SUITES
    seen: list[list[str]] = []

    def main(argv: list[str]) -> int:
        seen.append(argv)
        return 1

    monkeypatch.setattr(q, "main", main)
    assert bench_main.main(["query", "--check", "--quick"]) == 1  # its status, under --check
    assert seen == [["--quick", "--check"]]
