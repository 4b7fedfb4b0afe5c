"""storage.py: DynamoDB's key order, sparse and projected indexes kept in step, and ``_check`` catching drift."""

from __future__ import annotations

import gc
from decimal import Decimal
from typing import Any

import pytest

from aiodynamodb_fake.keys import item_key
from aiodynamodb_fake.schema import IndexSchema, KeySchema, TableSchema
from aiodynamodb_fake.storage import TableStore


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
