"""Property (d): storage invariants hold after every step of random writes on an indexed table.

A Hypothesis state machine drives PutItem, DeleteItem and BatchWriteItem on ``INDEXED`` (a GSI
with a composite key projecting ALL, a hash-only GSI projecting KEYS_ONLY, an LSI projecting
INCLUDE ``a``) and on plain tables written in the same batches (an N sort key, a binary hash key
with an S sort key, hash-only). Items sometimes lack index key attributes (sparse), overwrites
move them between index keys, and some writes are rejected (an index key of the wrong type),
which must change nothing. PutItem and DeleteItem sometimes ask for ALL_OLD, which must be the
replaced item exactly and must not alias the store. After every step: ``fake._check()``, the
table equals a dict model, and every index holds exactly the entries the model predicts, computed
here from the index definitions alone (which items are indexed, and which attributes each entry
projects).

Between writes, storage's read primitives are compared with that model on every table and index.
A query (a range with any bounds, an equality, a begins_with prefix; either direction; from no
start and from every key of the partition) gives the model's sorted filter, also when read in
pages each resumed after the last key of the one before. Scan pages, resumed the same way, give
every item (or entry) exactly once, and the pages of ``TotalSegments`` segments are contiguous
shares of the one scan order.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import islice, product
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.storage import Record
from aiodynamodb_fake.strategies import (
    B_POOL,
    N_POOL,
    S_POOL,
    IndexSpec,
    TableSpec,
    batch_write_requests,
    items,
    key_attribute_values,
    key_identity,
    keys,
)
from tests.support.oracle import canonical_item, scramble
from tests.support.tables import BINARY, COMPOSITE, HASH_S, INDEXED, property_settings

TABLES = (INDEXED, COMPOSITE, BINARY, HASH_S)
SPECS: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}
Model = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def index_entries_expected(spec: TableSpec, index: IndexSpec, table_items: list[dict[str, Any]]) -> list[str]:
    """The index's entries per its definition: items holding every index key attribute, projected."""
    return sorted(
        repr(sorted(canonical_item(entry).items())) for _, _, entry in index_rows(spec, index, table_items)
    )


# --- the model of storage's reads: sorted filters over (hash value, position, item) rows ---------

# (hash sort value, position in the partition, canonical item or projected entry); a position is
# the sort value for a table (None if hash-only), (index sort value or None, table hash, table
# range or None) for an index: Python orders Decimal, str and bytes as DynamoDB does (§1.5).
Row = tuple[Any, Any, dict[str, Any]]
POOLS: dict[str, tuple[Any, ...]] = {"S": S_POOL, "N": N_POOL, "B": B_POOL}


def sort_value(av: dict[str, Any] | None) -> Any:
    if av is None:
        return None
    ((kind, raw),) = av.items()
    return Decimal(raw) if kind == "N" else bytes(raw) if kind == "B" else raw


def table_rows(spec: TableSpec, table_items: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for item in table_items:
        range_value = None if spec.range_name is None else sort_value(item[spec.range_name])
        rows.append((sort_value(item[spec.hash_name]), range_value, item))
    return rows


def index_rows(spec: TableSpec, index: IndexSpec, table_items: list[dict[str, Any]]) -> list[Row]:
    """The entries the index should hold, by its definition (as ``index_entries_expected``)."""
    kept = set(spec.key_names) | set(index.key_names)
    extra = set(index.non_key_attributes) if index.projection == "INCLUDE" else set()
    rows = []
    for item in table_items:
        if not all(name in item for name in index.key_names):
            continue
        entry = item if index.projection == "ALL" else {n: v for n, v in item.items() if n in kept | extra}
        table_range = None if spec.range_name is None else sort_value(item[spec.range_name])
        index_range = None if index.range_name is None else sort_value(item[index.range_name])
        position = (index_range, sort_value(item[spec.hash_name]), table_range)
        rows.append((sort_value(item[index.hash_name]), position, entry))
    return rows


@st.composite
def conditions(draw: st.DrawFn, kind: str | None, present: list[Any]) -> dict[str, Any]:
    """A sort-key condition as storage takes it: none, a range (any bounds), an equality, a prefix;
    bounds are often values the partition holds, where exclusiveness decides."""
    if kind is None:
        return {}
    values = st.sampled_from(POOLS[kind])
    if present:
        values = st.one_of(st.sampled_from(present), values)
    choice = draw(
        st.sampled_from(["none", "range", "equal", "prefix"] if kind != "N" else ["none", "range", "equal"])
    )
    if choice == "range":
        return draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "low": values,
                    "high": values,
                    "low_inclusive": st.booleans(),
                    "high_inclusive": st.booleans(),
                },
            )
        )
    if choice == "equal":
        value = draw(values)
        return {"low": value, "high": value}
    if choice == "prefix":
        whole = draw(values)
        return {"prefix": whole[: draw(st.integers(1, min(len(whole), 3)))]}
    return {}


def boundary_conditions(kind: str | None, present: list[Any]) -> list[dict[str, Any]]:
    """Every one-sided bound, inclusive and not, at every value held; prefixes of them for S and B."""
    found: list[dict[str, Any]] = []
    for value in present if kind else ():
        for inclusive in (True, False):
            found += [
                {"low": value, "low_inclusive": inclusive},
                {"high": value, "high_inclusive": inclusive},
            ]
        if kind != "N":
            found += [{"prefix": value[:length]} for length in range(1, min(len(value), 2) + 1)]
    return found


def meets(value: Any, condition: dict[str, Any]) -> bool:
    if "prefix" in condition:
        return bool(value.startswith(condition["prefix"]))
    low, high = condition.get("low"), condition.get("high")
    if low is not None and (value < low or (value == low and not condition.get("low_inclusive", True))):
        return False
    return high is None or value < high or (value == high and condition.get("high_inclusive", True))


def model_query(
    rows: list[Row], hash_value: Any, condition: dict[str, Any], forward: bool, start: Any
) -> list[dict[str, Any]]:
    """Rows under ``hash_value`` whose sort value meets the condition, sorted, strictly after ``start``."""
    mine = [row for row in rows if row[0] == hash_value]
    if condition:
        mine = [row for row in mine if meets(row[1][0] if isinstance(row[1], tuple) else row[1], condition)]
    mine.sort(key=lambda row: row[1], reverse=not forward)
    if start is not None:
        mine = [row for row in mine if (row[1] > start if forward else row[1] < start)]
    return [row[2] for row in mine]


class IndexedTableMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeDynamoDB()
        for spec in TABLES:
            self.fake.call_sync("CreateTable", spec.create_table_request())
        self.model: Model = {spec.name: {} for spec in TABLES}

    def _put_in_model(self, spec: TableSpec, item: dict[str, Any]) -> None:
        self.model[spec.name][key_identity(spec, item)] = canonical_item(item)

    def _check_old(self, response: dict[str, Any], old: dict[str, Any] | None) -> None:
        """ALL_OLD gives back the replaced item exactly; the caller may then do what it likes with it."""
        if old is None:
            assert "Attributes" not in response
        else:
            assert canonical_item(response["Attributes"], numbers=False) == old
            scramble(response["Attributes"])  # must not reach the store (checked by the invariant)

    @rule(item=items(INDEXED), all_old=st.booleans())
    def put_item(self, item: dict[str, Any], all_old: bool = False) -> None:
        old = self.model[INDEXED.name].get(key_identity(INDEXED, item))
        request = {"TableName": INDEXED.name, "Item": item, "ReturnValues": "ALL_OLD" if all_old else "NONE"}
        response = self.fake.call_sync("PutItem", request)
        self._put_in_model(INDEXED, item)
        if all_old:
            self._check_old(response, old)

    @rule(key=keys(INDEXED), all_old=st.booleans())
    def delete_item(self, key: dict[str, Any], all_old: bool) -> None:
        old = self.model[INDEXED.name].pop(key_identity(INDEXED, key), None)
        request = {"TableName": INDEXED.name, "Key": key, "ReturnValues": "ALL_OLD" if all_old else "NONE"}
        response = self.fake.call_sync("DeleteItem", request)
        if all_old:
            self._check_old(response, old)

    @rule(batch=batch_write_requests(TABLES))
    def batch_write(self, batch: dict[str, Any]) -> None:
        self.fake.call_sync("BatchWriteItem", batch)
        for table, writes in batch["RequestItems"].items():
            spec = SPECS[table]
            for write in writes:
                if "PutRequest" in write:
                    self._put_in_model(spec, write["PutRequest"]["Item"])
                else:
                    self.model[table].pop(key_identity(spec, write["DeleteRequest"]["Key"]), None)

    @precondition(lambda self: bool(self.model[INDEXED.name]))
    @rule(data=st.data())
    def move_between_index_keys(self, data: st.DataObject) -> None:
        """Rewrite a stored item with index key attributes changed, added or removed."""
        stored = data.draw(st.sampled_from(sorted(self.model[INDEXED.name].values(), key=repr)))
        item = dict(stored)
        for name, kind in INDEXED.index_key_types().items():
            change = data.draw(st.sampled_from(["keep", "drop", "set"]))
            if change == "drop":
                item.pop(name, None)
            elif change == "set":
                item[name] = data.draw(key_attribute_values(kind))
        use_batch = data.draw(st.booleans())
        if use_batch:
            self.batch_write({"RequestItems": {INDEXED.name: [{"PutRequest": {"Item": item}}]}})
        else:
            self.put_item(item)

    @rule(item=items(INDEXED), data=st.data())
    def rejected_write(self, item: dict[str, Any], data: st.DataObject) -> None:
        """An index key attribute of the wrong type: the write is refused and nothing changes."""
        name, kind = data.draw(st.sampled_from(sorted(INDEXED.index_key_types().items())))
        item[name] = data.draw(
            key_attribute_values(data.draw(st.sampled_from([k for k in "SNB" if k != kind])))
        )
        request: tuple[str, dict[str, Any]] = data.draw(
            st.sampled_from(
                [
                    ("PutItem", {"TableName": INDEXED.name, "Item": item}),
                    ("BatchWriteItem", {"RequestItems": {INDEXED.name: [{"PutRequest": {"Item": item}}]}}),
                ]
            )
        )
        with pytest.raises(ValidationException):
            self.fake.call_sync(*request)

    # --- the read primitives against the model ---------------------------------------------------

    def _rows(self, spec: TableSpec, index: IndexSpec | None) -> list[Row]:
        table_items = list(self.model[spec.name].values())
        return table_rows(spec, table_items) if index is None else index_rows(spec, index, table_items)

    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        """Queries on every table and index equal the model's sorted filter: for drawn conditions
        and both directions, on every partition (and one absent), from no start and from every key
        in it, and read in drawn-size pages each resumed after the last key of the one before; and
        for every one-sided bound and prefix at every sort value held."""
        page_size = data.draw(st.integers(1, 4))
        for spec in TABLES:
            for index in (None, *spec.indexes):
                keyed = spec if index is None else index
                rows = self._rows(spec, index)
                absent = sort_value(data.draw(key_attribute_values(keyed.hash_type)))
                hash_values = [*sorted({row[0] for row in rows}, key=repr), absent]
                present = sorted({row[1][0] if index else row[1] for row in rows} - {None}, key=repr)
                drawn = data.draw(st.lists(conditions(keyed.range_type, present), min_size=1, max_size=4))
                for hash_value, forward in product(hash_values, (True, False)):
                    for condition in drawn:
                        self._check_query(spec, index, rows, hash_value, condition, forward, page_size)
                    for condition in boundary_conditions(keyed.range_type, present):
                        want = model_query(rows, hash_value, condition, forward, None)
                        got = self._target(spec, index).query(hash_value, forward=forward, **condition)
                        assert records(got) == want, (spec.name, index, hash_value, condition, forward)

    def _target(self, spec: TableSpec, index: IndexSpec | None) -> Any:
        store = self.fake.state.tables[spec.name].store
        return store if index is None else store.indexes[index.name]

    def _check_query(
        self,
        spec: TableSpec,
        index: IndexSpec | None,
        rows: list[Row],
        hash_value: Any,
        condition: dict[str, Any],
        forward: bool,
        page_size: int,
    ) -> None:
        target = self._target(spec, index)
        mine = [row[1] for row in rows if row[0] == hash_value]
        for start in [None, *mine]:
            exclusive_start = None if start is None else (hash_value, start)
            want = model_query(rows, hash_value, condition, forward, start)
            got = target.query(hash_value, forward=forward, exclusive_start=exclusive_start, **condition)
            assert records(got) == want, (spec.name, index, hash_value, condition, forward, start)
        pages: list[dict[str, Any]] = []
        exclusive_start = None
        while len(pages) <= len(mine):  # a resume that does not advance fails, not hangs
            query = target.query(hash_value, forward=forward, exclusive_start=exclusive_start, **condition)
            page = list(islice(query, page_size))
            pages.extend(records(page))
            if len(page) < page_size:
                break
            exclusive_start = self._position(spec, index, page[-1])
        assert pages == model_query(rows, hash_value, condition, forward, None)

    def _position(self, spec: TableSpec, index: IndexSpec | None, record: Record) -> tuple[Any, Any]:
        """Where a record sits: (hash value, position in its partition), from its key attributes."""
        for row in self._rows(spec, index):
            if row[2] == canonical_item(record.item, numbers=False):
                return row[0], row[1]
        raise AssertionError(f"{record.item!r} is not in the model")

    @rule(total=st.sampled_from([1, 2, 3, 7]), page_size=st.integers(1, 5))
    def scan(self, total: int, page_size: int) -> None:
        """On every table and index: the whole scan holds each item (or entry) once; the pages of
        each segment, every page resumed after the last key of the one before, are contiguous
        shares of it, so together they hold everything once."""
        for spec in TABLES:
            for index in (None, *spec.indexes):
                target = self._target(spec, index)
                want = sorted(repr(sorted(row[2].items())) for row in self._rows(spec, index))
                whole = records(target.scan())
                assert sorted(repr(sorted(item.items())) for item in whole) == want
                everything: list[dict[str, Any]] = []
                for segment in range(total):
                    start = None
                    while len(everything) <= len(whole):  # a resume that does not advance fails, not hangs
                        scan = target.scan(exclusive_start=start, segment=segment, total_segments=total)
                        page = list(islice(scan, page_size))
                        everything.extend(records(page))
                        if len(page) < page_size:
                            break
                        start = self._position(spec, index, page[-1])
                assert everything == whole, (spec.name, index, total, page_size)

    @invariant()
    def storage_matches_model_and_indexes(self) -> None:
        self.fake._check()
        for spec in TABLES:
            store = self.fake.state.tables[spec.name].store
            table_items = list(store.items())
            by_key = {key_identity(spec, item): canonical_item(item, numbers=False) for item in table_items}
            assert len(by_key) == len(table_items) == store.item_count
            assert by_key == self.model[spec.name]
            for index in spec.indexes:
                actual = sorted(
                    repr(sorted(canonical_item(entry).items()))
                    for _, _, entry in store.indexes[index.name].entries()
                )
                assert actual == index_entries_expected(spec, index, table_items), index.name


def records(found: Any) -> list[dict[str, Any]]:
    return [canonical_item(record.item, numbers=False) for record in found]


IndexedTableMachine.TestCase.settings = property_settings(stateful_step_count=25)
TestIndexedTableInvariants = IndexedTableMachine.TestCase
