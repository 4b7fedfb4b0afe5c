"""storage.py: DynamoDB's key order, sparse and projected indexes kept in step, and ``_check`` catching drift.

Queries are range walks checked against a sorted filter of the same values (every bound, both
directions, exclusive starts, begins_with as a byte-prefix range), on tables and on indexes; scans
walk partitions in a stable hash order, resume after any key (even a deleted one) and split into
contiguous segments.
"""

from __future__ import annotations

import gc
import zlib
from decimal import Decimal
from itertools import islice, pairwise
from typing import Any

import pytest

from aiodynamodb_fake import storage
from aiodynamodb_fake.key_range import prefix_successor
from aiodynamodb_fake.keys import item_key
from aiodynamodb_fake.scan_order import HASH_SPACE, hash_order, segment_bounds, segment_of
from aiodynamodb_fake.schema import IndexSchema, KeySchema, TableSchema
from aiodynamodb_fake.storage import TableStore
from aiodynamodb_fake.values import item_size


def schema(range_type: str = "N", *, indexes: tuple[IndexSchema, ...] = ()) -> TableSchema:
    return TableSchema(
        name="t1x",
        arn="arn:aws:dynamodb:us-east-1:123456789012:table/t1x",
        key=KeySchema("pk", "S", "sk", range_type),
        attribute_definitions=(),
        billing_mode="PAY_PER_REQUEST",
        throughput=None,
        global_indexes=tuple(i for i in indexes if i.is_global),
        local_indexes=tuple(i for i in indexes if not i.is_global),
    )


def put(store: TableStore, item: dict[str, Any]) -> None:
    store.put(item_key(store.schema, item), item)


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("N", ["10", "2", "-1", "0.5", "-1.5", "1E+2"], ["-1.5", "-1", "0.5", "2", "10", "1E+2"]),
        ("S", ["z", "a", "A", "¿", "aa", "b"], ["A", "a", "aa", "b", "z", "¿"]),
        (
            "B",
            [b"\xff", b"\x00", b"\x7f", b"\x80", b"\x00\x00"],
            [b"\x00", b"\x00\x00", b"\x7f", b"\x80", b"\xff"],
        ),
    ],
)
def test_range_keys_in_dynamodb_order(kind: str, values: list[Any], expected: list[Any]) -> None:
    store = TableStore(schema(kind))
    for value in values:
        put(store, {"pk": {"S": "p"}, "sk": {kind: value}})
    assert [item["sk"][kind] for item in store.items()] == expected
    store._check()


def test_numbers_equal_numerically_are_one_key() -> None:
    store = TableStore(schema())
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}})
    assert store.get(("p", Decimal("1.00"))) is not None
    assert store.item_count == 1


def test_indexes_follow_writes_with_projection_and_sparseness() -> None:
    gsi = IndexSchema(
        name="g",
        is_global=True,
        key=KeySchema("gk", "S"),
        projection_type="INCLUDE",
        non_key_attributes=("keep",),
        key_names=frozenset({"pk", "sk", "gk"}),
    )
    store = TableStore(schema(indexes=(gsi,)))
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}, "gk": {"S": "x"}, "keep": {"S": "k"}, "drop": {"S": "d"}})
    put(store, {"pk": {"S": "p"}, "sk": {"N": "2"}})  # no gk: not in the index
    entries = list(store.indexes["g"].entries())
    assert [entry for _, _, entry in entries] == [
        {"pk": {"S": "p"}, "sk": {"N": "1"}, "gk": {"S": "x"}, "keep": {"S": "k"}}
    ]
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}, "gk": {"S": "y"}})  # index key moved
    assert [h for h, _, _ in store.indexes["g"].entries()] == ["y"]
    store.delete(("p", Decimal(1)))
    assert len(store.indexes["g"]) == 0
    store._check()


def test_check_detects_an_index_out_of_step() -> None:
    gsi = IndexSchema("g", True, KeySchema("gk", "S"), "ALL", key_names=frozenset({"pk", "sk", "gk"}))
    store = TableStore(schema(indexes=(gsi,)))
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}, "gk": {"S": "x"}})
    store.indexes["g"].replace({"pk": {"S": "p"}, "sk": {"N": "1"}, "gk": {"S": "x"}}, None)
    with pytest.raises(AssertionError, match="index g does not match the table"):
        store._check()


def test_check_detects_wrong_counts() -> None:
    store = TableStore(schema())
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}})
    store._count += 1
    with pytest.raises(AssertionError, match="item count"):
        store._check()


def test_stored_items_are_invisible_to_the_garbage_collector() -> None:
    """Encoded records are plain tuples of atoms, which CPython untracks: big fakes cost no GC time."""
    gsi = IndexSchema("g", True, KeySchema("gk", "S"), "ALL", key_names=frozenset({"pk", "sk", "gk"}))
    store = TableStore(schema(indexes=(gsi,)))
    for n in range(50):
        put(
            store,
            {"pk": {"S": "p"}, "sk": {"N": str(n)}, "gk": {"S": "x"}, "l": {"L": [{"M": {"a": {"S": "b"}}}]}},
        )
    gc.collect()
    records = list(store._records())
    assert len(records) == 50
    assert not any(gc.is_tracked(record) for record in records)
    # what comes out is a fresh copy every time
    first, second = store.get(("p", Decimal(1))), store.get(("p", Decimal(1)))
    assert first == second and first is not second


# --- queries: range walks of one partition --------------------------------------------------------

S_VALUES = ["A", "a", "aa", "ab", "a\U0010ffff", "a\U0010ffffb", "b", "z", "¿", "\U0001f600"]
B_VALUES = [
    b"\x00",
    b"\x00\x00",
    b"\x7f",
    b"\x80",
    b"\x80\xff",
    b"\x80\xff\x00",
    b"\x81",
    b"\xff",
    b"\xff\xff",
]
N_VALUES = [
    Decimal(v)
    for v in ("-10", "-1.5", "0", "0.5", "1", "2", "10", "1E+2", "12345678901234567890123456789012345678")
]
TYPED_VALUES: dict[str, list[Any]] = {"S": S_VALUES, "B": B_VALUES, "N": N_VALUES}


def wire(kind: str, value: Any) -> dict[str, Any]:
    return {kind: str(value) if kind == "N" else value}


def filled(kind: str, *, other_partitions: bool = True) -> TableStore:
    store = TableStore(schema(kind))
    for value in TYPED_VALUES[kind]:
        put(store, {"pk": {"S": "p"}, "sk": wire(kind, value), "v": {"S": "x"}})
        if other_partitions:  # neighbours on either side must never leak into a query of "p"
            put(store, {"pk": {"S": "o"}, "sk": wire(kind, value)})
            put(store, {"pk": {"S": "q"}, "sk": wire(kind, value)})
    store._check()
    return store


def sorts(records: Any, kind: str) -> list[Any]:
    return [Decimal(r.item["sk"]["N"]) if kind == "N" else r.item["sk"][kind] for r in records]


def expected(values: list[Any], keep: Any, forward: bool = True, after: Any = None) -> list[Any]:
    """The model: a sorted filter, reversed for a descending query, strictly after ``after``."""
    chosen = sorted(v for v in values if keep(v))
    if not forward:
        chosen.reverse()
    if after is not None:
        chosen = [v for v in chosen if (v > after if forward else v < after)]
    return chosen


@pytest.mark.parametrize("kind", ["N", "S", "B"])
@pytest.mark.parametrize("forward", [True, False])
def test_query_ranges_every_bound_both_directions(kind: str, forward: bool) -> None:
    store = filled(kind)
    values = TYPED_VALUES[kind]
    bounds = [None, *values[1:-1:2]]
    for low in bounds:
        for high in bounds:
            for low_inclusive in (True, False):
                for high_inclusive in (True, False):

                    def keep(
                        v: Any,
                        low: Any = low,
                        high: Any = high,
                        li: bool = low_inclusive,
                        hi: bool = high_inclusive,
                    ) -> bool:
                        above = low is None or v > low or (li and v == low)
                        return above and (high is None or v < high or (hi and v == high))

                    got = store.query(
                        "p",
                        low=low,
                        high=high,
                        low_inclusive=low_inclusive,
                        high_inclusive=high_inclusive,
                        forward=forward,
                    )
                    assert sorts(got, kind) == expected(values, keep, forward), (low, high)


@pytest.mark.parametrize("kind", ["N", "S", "B"])
@pytest.mark.parametrize("forward", [True, False])
def test_query_resumes_strictly_after_the_exclusive_start(kind: str, forward: bool) -> None:
    store = filled(kind)
    values = TYPED_VALUES[kind]
    low, high = values[2], values[-3]
    for start in values:

        def keep(v: Any) -> bool:
            return bool(low <= v <= high)

        got = store.query("p", low=low, high=high, forward=forward, exclusive_start=("p", start))
        assert sorts(got, kind) == expected(values, keep, forward, after=start), start
    # an equality condition resumed at its own key is over
    assert list(store.query("p", low=values[3], high=values[3], exclusive_start=("p", values[3]))) == []


@pytest.mark.parametrize(
    ("kind", "prefix"),
    [
        ("S", "a"), ("S", "a\U0010ffff"), ("S", "\U0010ffff"), ("S", "¿"), ("S", "zz"), ("S", ""),
        ("B", b"\x80"), ("B", b"\x80\xff"), ("B", b"\xff"), ("B", b"\x00"), ("B", b""),
    ],
)  # fmt: skip
@pytest.mark.parametrize("forward", [True, False])
def test_query_begins_with_is_a_byte_prefix_range(kind: str, prefix: Any, forward: bool) -> None:
    store = filled(kind)
    values = TYPED_VALUES[kind]
    got = sorts(store.query("p", prefix=prefix, forward=forward), kind)
    assert got == expected(values, lambda v: v.startswith(prefix), forward)
    if kind == "S":  # UTF-8 byte prefixes and code-point prefixes agree for valid strings
        encoded = [v.encode() for v in got]
        assert all(e.startswith(prefix.encode()) for e in encoded)


@pytest.mark.parametrize(
    ("prefix", "successor"),
    [
        ("a", "b"), ("a\U0010ffff", "b"), ("\U0010ffff\U0010ffff", None), ("", None), ("ab\ud7ff", "ab\ud800"),
        (b"a", b"b"), (b"a\xff\xff", b"b"), (b"\xff", None), (b"\x00", b"\x01"),
    ],
)  # fmt: skip
def test_prefix_successor(prefix: Any, successor: Any) -> None:
    assert prefix_successor(prefix) == successor


def test_query_on_a_hash_only_table_gives_the_one_item() -> None:
    store = TableStore(hash_only_schema())
    put(store, {"pk": {"S": "p"}, "v": {"N": "1"}})
    put(store, {"pk": {"S": "q"}})
    assert [r.item for r in store.query("p")] == [{"pk": {"S": "p"}, "v": {"N": "1"}}]
    assert list(store.query("p", forward=False)) == list(store.query("p"))
    assert list(store.query("missing")) == []
    assert list(store.query("p", exclusive_start=("p", None))) == []
    with pytest.raises(ValueError, match="no sort key"):
        store.query("p", low="a")


def test_query_reads_lazily_and_records_are_fresh_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    store = TableStore(schema())
    for n in range(1000):
        put(store, {"pk": {"S": "p"}, "sk": {"N": str(n)}})
    decoded: list[Any] = []
    real = storage.decode

    def counting(encoded: Any) -> storage.Record:
        decoded.append(encoded)
        return real(encoded)

    monkeypatch.setattr(storage, "decode", counting)
    first_three = list(islice(store.query("p", low=Decimal(500)), 3))
    assert sorts(first_three, "N") == [500, 501, 502] and len(decoded) == 3
    first_three[0].item["sk"]["N"] = "scrambled"
    assert store.get(("p", Decimal(500))) == {"pk": {"S": "p"}, "sk": {"N": "500"}}
    assert first_three[1].size == item_size(first_three[1].item)


def test_query_with_both_a_range_and_a_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="a range or a prefix"):
        filled("S").query("p", low="a", prefix="a")


# --- index queries: entries sharing an index key are ordered by the table key ----------------------

GSI_RANGED = IndexSchema(
    "g", True, KeySchema("gk", "S", "gs", "S"), "KEYS_ONLY", key_names=frozenset({"pk", "sk", "gk", "gs"})
)
GSI_HASH = IndexSchema("h", True, KeySchema("hk", "N"), "ALL", key_names=frozenset({"pk", "sk", "hk"}))


def indexed() -> tuple[TableStore, list[tuple[Any, Any, Any]]]:
    """A table whose GSI ``g`` holds several entries per index key; returns (store, [(gs, pk, sk)])."""
    store = TableStore(schema(indexes=(GSI_RANGED, GSI_HASH)))
    positions = []
    for p in ("p", "q", "r"):
        for n in range(6):
            gs = ["a", "ab", "b", "ba", "b", "c"][n]
            item = {"pk": {"S": p}, "sk": {"N": str(n)}, "gk": {"S": "x"}, "gs": {"S": gs}, "hk": {"N": "7"}}
            put(store, {**item, "other": {"S": "not projected by g"}})
            positions.append((gs, p, Decimal(n)))
        put(store, {"pk": {"S": p}, "sk": {"N": "99"}, "gk": {"S": "y"}, "gs": {"S": "a"}})  # other index key
    store._check()
    return store, positions


def entry_positions(records: Any) -> list[tuple[Any, Any, Any]]:
    return [(r.item["gs"]["S"], r.item["pk"]["S"], Decimal(r.item["sk"]["N"])) for r in records]


@pytest.mark.parametrize("forward", [True, False])
def test_index_query_walks_the_index_in_index_then_table_key_order(forward: bool) -> None:
    store, positions = indexed()
    index = store.indexes["g"]
    conditions: list[tuple[dict[str, Any], Any]] = [
        ({}, lambda gs: True),
        ({"low": "b", "high": "b"}, lambda gs: gs == "b"),
        ({"low": "ab", "low_inclusive": False}, lambda gs: gs > "ab"),
        ({"high": "b", "high_inclusive": False}, lambda gs: gs < "b"),
        ({"low": "ab", "high": "ba"}, lambda gs: "ab" <= gs <= "ba"),
        ({"prefix": "b"}, lambda gs: gs.startswith("b")),
        ({"prefix": "a"}, lambda gs: gs.startswith("a")),
    ]
    for condition, keep in conditions:
        want = expected(positions, lambda p, keep=keep: keep(p[0]), forward)
        records = list(index.query("x", forward=forward, **condition))
        assert entry_positions(records) == want, condition
        assert all(set(r.item) == {"pk", "sk", "gk", "gs"} and r.size == item_size(r.item) for r in records)
        for start in positions:  # resuming after any entry, the table key deciding among equal index keys
            key = ("x", start)
            assert (
                index.key_of(
                    {
                        "pk": {"S": start[1]},
                        "sk": {"N": str(start[2])},
                        "gk": {"S": "x"},
                        "gs": {"S": start[0]},
                    }
                )
                == key
            )
            got = entry_positions(index.query("x", forward=forward, exclusive_start=key, **condition))
            assert got == expected(positions, lambda p, keep=keep: keep(p[0]), forward, after=start)


def test_hash_only_index_query_orders_entries_by_table_key() -> None:
    store, _ = indexed()
    records = list(store.indexes["h"].query(Decimal(7)))
    keys = [(r.item["pk"]["S"], Decimal(r.item["sk"]["N"])) for r in records]
    assert keys == sorted(keys) and len(keys) == 18
    assert "other" in records[0].item  # projection ALL
    resumed = store.indexes["h"].query(
        Decimal(7), forward=False, exclusive_start=(Decimal(7), (None, "q", Decimal(2)))
    )
    assert [(r.item["pk"]["S"], int(r.item["sk"]["N"])) for r in resumed][:3] == [
        ("q", 1),
        ("q", 0),
        ("p", 5),
    ]
    with pytest.raises(ValueError, match="no sort key"):
        store.indexes["h"].query(Decimal(7), low=Decimal(1))
    assert list(store.indexes["h"].query(Decimal(8))) == []


# --- scans: partitions in a stable hash order, pages resumed by bisection, segments ---------------


def hash_only_schema(indexes: tuple[IndexSchema, ...] = ()) -> TableSchema:
    return TableSchema(
        name="t1h",
        arn="arn:aws:dynamodb:us-east-1:123456789012:table/t1h",
        key=KeySchema("pk", "S"),
        attribute_definitions=(),
        billing_mode="PAY_PER_REQUEST",
        throughput=None,
        global_indexes=indexes,
    )


def keys_of(records: Any) -> list[tuple[Any, Any]]:
    return [(r.item["pk"]["S"], Decimal(r.item["sk"]["N"]) if "sk" in r.item else None) for r in records]


def paged(scan: Any, size: int, **segment: int) -> list[tuple[Any, Any]]:
    """Every page of ``size`` concatenated, each resumed after the previous page's last key."""
    pages: list[tuple[Any, Any]] = []
    start = None
    while True:
        page = keys_of(islice(scan(exclusive_start=start, **segment), size))
        pages.extend(page)
        if len(page) < size:
            return pages
        start = page[-1]


def test_hash_order_is_stable_and_numbers_equal_by_value_hash_alike() -> None:
    assert hash_order("a") == 0xE8B7BE43  # CRC-32 of UTF-8: the same in every process and on every OS
    assert hash_order(b"a") == hash_order("a")
    assert hash_order("é") == zlib.crc32("é".encode())
    assert len({hash_order(Decimal(v)) for v in ("1", "1.0", "1.00", "1E0", "0.1E1")}) == 1
    assert hash_order(Decimal("0")) == hash_order(Decimal("-0")) == hash_order(Decimal("0E+5"))
    assert hash_order(Decimal(10)) == hash_order(Decimal("1E+1")) != hash_order(Decimal(1))
    big = Decimal("12345678901234567890123456789012345678")
    assert hash_order(big) != hash_order(big + 1)  # 38 digits are not rounded away


def test_segment_bounds_split_the_hash_space_into_contiguous_ranges() -> None:
    for total in (1, 2, 3, 7, 1000, 1_000_000):
        bounds = [segment_bounds(s, total) for s in range(min(total, 50))]
        assert bounds[0][0] == 0
        assert all(a[1] == b[0] for a, b in pairwise(bounds))
        for s, (low, high) in enumerate(bounds):
            assert low < high or total > HASH_SPACE
            assert low * total >> 32 == s and (high - 1) * total >> 32 == s
    assert segment_bounds(999_999, 1_000_000)[1] == HASH_SPACE


@pytest.mark.parametrize("ranged", [True, False])
def test_scan_pages_and_segments(ranged: bool) -> None:
    store = TableStore(schema() if ranged else hash_only_schema())
    for n in range(300):
        put(store, {"pk": {"S": f"p{n % 60 if ranged else n}"}, **({"sk": {"N": str(n)}} if ranged else {})})
    whole = keys_of(store.scan())
    assert sorted(whole, key=repr) == sorted(keys_of(r for r in store.scan()), key=repr)
    assert len(set(whole)) == 300
    partitions = [h for h, _ in whole]
    assert partitions == sorted(partitions, key=lambda h: (hash_order(h), h))  # hash order, not key order
    assert partitions != sorted(partitions)
    for h in set(partitions):  # a partition's items together, in sort-key order
        mine = [i for i, (p, _) in enumerate(whole) if p == h]
        assert mine == list(range(mine[0], mine[-1] + 1))
        assert [whole[i][1] for i in mine] == sorted(whole[i][1] for i in mine)
    for size in (1, 7, 100, 1000):
        assert paged(store.scan, size) == whole
    for total in (1, 2, 5, 64):
        segments = [paged(store.scan, 13, segment=s, total_segments=total) for s in range(total)]
        assert [k for segment in segments for k in segment] == whole  # contiguous shares, in order
        for s, segment in enumerate(segments):
            assert all(segment_of(h, total) == s for h, _ in segment)
    # a start from another segment: the walk keeps to its own
    first_of_1 = paged(store.scan, 100, segment=1, total_segments=2)[0]
    assert keys_of(store.scan(exclusive_start=first_of_1, segment=0, total_segments=2)) == []
    assert keys_of(store.scan(exclusive_start=whole[0], segment=1, total_segments=2)) == paged(
        store.scan, 100, segment=1, total_segments=2
    )


def test_scan_resumes_after_a_key_deleted_since() -> None:
    store = TableStore(schema())
    for n in range(40):
        put(store, {"pk": {"S": f"p{n % 8}"}, "sk": {"N": str(n)}})
    whole = keys_of(store.scan())
    for i in (0, 3, 4, 20, 39):
        gone = whole[i]
        store.delete(gone)
        assert keys_of(store.scan(exclusive_start=gone)) == [k for k in whole[i + 1 :] if store.get(k)]
        put(store, {"pk": {"S": gone[0]}, "sk": {"N": str(gone[1])}})
    partition = [k for k in whole if k[0] == "p3"]
    for key in partition:  # empty a partition entirely: its place still resumes the scan
        store.delete(key)
    last = partition[-1]
    assert keys_of(store.scan(exclusive_start=last)) == whole[whole.index(last) + 1 :]
    store._check()


def test_scan_order_places_changes_incrementally_and_stays_bounded() -> None:
    store = TableStore(hash_only_schema())
    for n in range(4000):
        put(store, {"pk": {"S": f"k{n}"}})
    assert len(keys_of(store.scan())) == 4000  # the first scan builds the order
    order = store._scan._order
    for n in range(4000, 4100):  # a few changes are placed into the same order, not a rebuilt one
        put(store, {"pk": {"S": f"k{n}"}})
        store.delete((f"k{n - 4000}", None))
    assert len(keys_of(store.scan())) == 4000 and store._scan._order is order
    store._check()
    for n in range(4100, 40_000):  # churn without a scan: notes and order do not keep removed keys
        put(store, {"pk": {"S": f"k{n}"}})
        store.delete((f"k{n}", None))
        assert len(store._scan._notes) <= 2 * 4000 + 1024
    assert store._scan._order is None or len(store._scan._order) <= 2 * 4000 + 1024
    store._check()
    for n in range(100, 4100):
        store.delete((f"k{n}", None))
    assert keys_of(store.scan()) == [] and store.item_count == 0
    store._check()


def test_index_scans_follow_the_index_hash_order() -> None:
    store, positions = indexed()
    index = store.indexes["g"]
    whole = [
        (r.item["gk"]["S"], *p) for r, p in zip(index.scan(), entry_positions(index.scan()), strict=True)
    ]
    assert sorted(whole) == sorted(
        [("x", *p) for p in positions] + [("y", "a", p, Decimal(99)) for p in "pqr"]
    )
    assert [w[0] for w in whole] == sorted((w[0] for w in whole), key=lambda h: (hash_order(h), h))
    start = None
    pages: list[Any] = []
    while True:
        page = list(islice(index.scan(exclusive_start=start), 4))
        pages.extend(page)
        if len(page) < 4:
            break
        start = index.key_of(page[-1].item)
    assert [r.item for r in pages] == [r.item for r in index.scan()]
    halves = [list(index.scan(segment=s, total_segments=2)) for s in (0, 1)]
    assert [r.item for half in halves for r in half] == [r.item for r in index.scan()]


def test_check_detects_a_scan_order_out_of_step() -> None:
    store = TableStore(schema())
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}})
    put(store, {"pk": {"S": "q"}, "sk": {"N": "1"}})
    list(store.scan())
    assert store._scan._order is not None
    store._scan._order.discard((hash_order("q"), "q"))  # as if "q"'s creation had not been noted
    with pytest.raises(
        AssertionError, match=r"table scan order missed partitions created or removed: \{'q'\}"
    ):
        store._check()
    gsi = IndexSchema("g", True, KeySchema("gk", "S"), "ALL", key_names=frozenset({"pk", "sk", "gk"}))
    store = TableStore(schema(indexes=(gsi,)))
    put(store, {"pk": {"S": "p"}, "sk": {"N": "1"}, "gk": {"S": "x"}})
    list(store.indexes["g"].scan())
    scan_order = store.indexes["g"]._scan
    assert scan_order._order is not None
    scan_order._notes.append("y")
    scan_order._order.add((hash_order("y"), "y"))  # a place with no partition, but noted
    store._check()  # a noted change is placed, so the order is right again
    scan_order._order.add((hash_order("z"), "z"))
    with pytest.raises(AssertionError, match="index g scan order missed partitions"):
        store._check()
