"""Property: Query and Scan, read page by page through the API, agree with a plain-dict model.

Random PutItem / DeleteItem calls go to ``INDEXED`` (a composite GSI projecting ALL, a hash-only
binary GSI projecting KEYS_ONLY, an INCLUDE LSI; items may lack any index attribute) and to
``BINARY`` (a binary hash key, a string sort key, so begins_with on S is exercised), and to a dict
model keyed by ``key_identity``. Then, for the table and each index: every query (a drawn sort-key
condition of every kind, both directions, a drawn Limit or none, with or without a filter) paginated
to the end through LastEvaluatedKey gives exactly the model's rows, sorted the DynamoDB way (N by
value, S and B by bytes; an index by its sort key, then the table's key), projected as the index
projects; Count and ScannedCount add up to the filtered and unfiltered counts; a filter on an
attribute the index does not project is refused. Every segmented scan
(each segment paginated to its end) gives each row exactly once, every partition's rows together and
in sort order, and the segments are disjoint and cover the table.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import (
    B_POOL,
    N_POOL,
    S_POOL,
    IndexSpec,
    KeySpec,
    TableSpec,
    items,
    key_attribute_values,
    key_identity,
    keys,
)
from tests.support.oracle import canonical_item
from tests.support.tables import BINARY, INDEXED, property_settings

TABLES = (INDEXED, BINARY)
POOLS: dict[str, tuple[Any, ...]] = {"S": S_POOL, "N": N_POOL, "B": B_POOL}
Item = dict[str, Any]
# (hash sort value, position within the partition, the row as the read returns it)
Row = tuple[Any, Any, Item]


def sort_value(av: Item | None) -> Any:
    """How DynamoDB orders an S, N or B value (reference §1.5): Python's order of Decimal, str, bytes."""
    if av is None:
        return None
    ((kind, raw),) = av.items()
    return Decimal(raw) if kind == "N" else bytes(raw) if kind == "B" else raw


def rows(spec: TableSpec, index: IndexSpec | None, model: dict[Any, Item]) -> list[Row]:
    """The model's rows of the table or of one index: which items an index holds, what it projects,
    and where each row sits in its partition."""
    found: list[Row] = []
    for stored in model.values():
        table_range = None if spec.range_name is None else sort_value(stored[spec.range_name])
        if index is None:
            found.append((sort_value(stored[spec.hash_name]), table_range, stored))
            continue
        if not all(name in stored for name in index.key_names):
            continue  # sparse: an item without the index's key attributes is not in it
        kept = set(spec.key_names) | set(index.key_names)
        if index.projection == "INCLUDE":
            kept |= set(index.non_key_attributes)
        entry = stored if index.projection == "ALL" else {n: v for n, v in stored.items() if n in kept}
        index_range = None if index.range_name is None else sort_value(stored[index.range_name])
        position = (index_range, sort_value(stored[spec.hash_name]), table_range)
        found.append((sort_value(stored[index.hash_name]), position, entry))
    return found


def sort_of(position: Any, index: IndexSpec | None) -> Any:
    return position if index is None else position[0]


def meets(value: Any, condition: tuple[str, Any, Any]) -> bool:
    operator, first, second = condition
    if operator == "begins_with":
        return isinstance(value, type(first)) and bool(value.startswith(first))
    if operator == "BETWEEN":
        return bool(first <= value <= second)
    return bool(
        {
            "=": value == first,
            "<": value < first,
            "<=": value <= first,
            ">": value > first,
            ">=": value >= first,
        }[operator]
    )


@st.composite
def sort_conditions(draw: st.DrawFn, kind: str | None, present: list[Any]) -> tuple[str, Item, Item] | None:
    """None, or (operator, value AV, second value AV) for a sort key of ``kind``."""
    if kind is None or draw(st.booleans()):
        return None
    operators = ["=", "<", "<=", ">", ">=", "BETWEEN"] + (["begins_with"] if kind != "N" else [])
    operator = draw(st.sampled_from(operators))
    values = (
        st.one_of(st.sampled_from(present), key_attribute_values(kind))
        if present
        else key_attribute_values(kind)
    )
    first, second = draw(values), draw(values)
    if operator == "BETWEEN" and sort_value(first) > sort_value(second):
        first, second = second, first
    if operator == "begins_with":
        whole = first[kind]
        first = {kind: whole[: draw(st.integers(1, max(1, min(3, len(whole)))))]}
    return operator, first, second


def query_request(
    spec: TableSpec, target: KeySpec, index: IndexSpec | None, hash_av: Item, condition: Any, **extra: Any
) -> dict[str, Any]:
    names = {"#h": target.hash_name}
    values: dict[str, Any] = {":h": hash_av}
    text = "#h = :h"
    if condition is not None:
        operator, first, second = condition
        assert target.range_name is not None
        names["#r"] = target.range_name
        values[":r"] = first
        if operator == "BETWEEN":
            values[":s"] = second
            text += " AND #r BETWEEN :r AND :s"
        elif operator == "begins_with":
            text += " AND begins_with(#r, :r)"
        else:
            text += f" AND #r {operator} :r"
    request: dict[str, Any] = {
        "TableName": spec.name,
        "KeyConditionExpression": text,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        **extra,
    }
    if index is not None:
        request["IndexName"] = index.name
    return request


def with_filter(request: dict[str, Any]) -> dict[str, Any]:
    """``request`` keeping only rows with attribute ``a`` (never a key attribute of these tables)."""
    names = {**request.get("ExpressionAttributeNames", {}), "#f": "a"}
    return {**request, "FilterExpression": "attribute_exists(#f)", "ExpressionAttributeNames": names}


FILTER_NOT_PROJECTED = (
    "One or more parameter values were invalid: Secondary index {name} does not project one or more "
    "filter attributes: [a]"
)


def projects_a(index: IndexSpec | None) -> bool:
    """Whether a read of ``index`` (None: the table) holds attribute ``a``: a Query filter on one
    that does not is refused, whatever Select would fetch."""
    if index is None or index.projection == "ALL":
        return True
    return index.projection == "INCLUDE" and "a" in index.non_key_attributes


def refusal(fake: FakeDynamoDB, request: dict[str, Any]) -> str:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("Query", request)
    return caught.value.message


def pages(
    fake: FakeDynamoDB, operation: str, request: dict[str, Any], limit: int | None
) -> tuple[list[Item], int]:
    """All pages of a Query or Scan: the items in order, and the ScannedCounts summed."""
    found: list[Item] = []
    scanned = 0
    start = None
    for _ in range(1000):
        page_request = dict(request)
        if limit is not None:
            page_request["Limit"] = limit
        if start is not None:
            page_request["ExclusiveStartKey"] = start
        page = fake.call_sync(operation, page_request)
        assert page["Count"] == len(page["Items"])
        assert page["ScannedCount"] >= page["Count"]
        if limit is not None:
            assert page["ScannedCount"] <= limit
            assert ("LastEvaluatedKey" in page) == (page["ScannedCount"] == limit)
        else:
            assert "LastEvaluatedKey" not in page  # the model's tables hold far less than 1 MB
        found += page["Items"]
        scanned += page["ScannedCount"]
        start = page.get("LastEvaluatedKey")
        if start is None:
            return found, scanned
    raise AssertionError("pagination did not end")


def canonical(found: list[Item]) -> list[Item]:
    return [canonical_item(entry) for entry in found]


def check_queries(fake: FakeDynamoDB, spec: TableSpec, model: dict[Any, Item], data: st.DataObject) -> None:
    for index in (None, *spec.indexes):
        target: KeySpec = spec if index is None else index
        table_rows = rows(spec, index, model)
        hash_avs = {
            repr(sort_value(row_item[target.hash_name])): row_item[target.hash_name]
            for *_, row_item in table_rows
        }
        absent = data.draw(key_attribute_values(target.hash_type))
        present_sorts = sorted(
            {
                repr(row[2][target.range_name]): row[2][target.range_name]
                for row in table_rows
                if target.range_name
            }.items()
        )
        present = [av for _, av in present_sorts]
        for hash_av in [*sorted(hash_avs.values(), key=repr)[:3], absent]:
            condition = data.draw(sort_conditions(target.range_type, present))
            limit = data.draw(st.none() | st.integers(1, 4))
            filtered = data.draw(st.booleans())
            for forward in (True, False):
                hash_sort = sort_value(hash_av)
                mine = [row for row in table_rows if row[0] == hash_sort]
                if condition is not None:
                    bounds = (condition[0], sort_value(condition[1]), sort_value(condition[2]))
                    mine = [row for row in mine if meets(sort_of(row[1], index), bounds)]
                mine.sort(key=lambda row: row[1], reverse=not forward)
                request = query_request(spec, target, index, hash_av, condition, ScanIndexForward=forward)
                expected = [row[2] for row in mine]
                if filtered:
                    request = with_filter(request)
                    expected = [entry for entry in expected if "a" in entry]
                    if index is not None and not projects_a(index):
                        assert refusal(fake, request) == FILTER_NOT_PROJECTED.format(name=index.name)
                        continue
                found, scanned = pages(fake, "Query", request, limit)
                assert canonical(found) == canonical(expected), (
                    spec.name,
                    index,
                    hash_av,
                    condition,
                    forward,
                )
                assert scanned == len(mine)


def check_scans(fake: FakeDynamoDB, spec: TableSpec, model: dict[Any, Item], data: st.DataObject) -> None:
    total = data.draw(st.sampled_from([1, 2, 3, 7]))
    limit = data.draw(st.none() | st.integers(1, 5))
    for index in (None, *spec.indexes):
        table_rows = rows(spec, index, model)
        seen: list[Item] = []
        for segment in range(total):
            request: dict[str, Any] = {"TableName": spec.name, "Segment": segment, "TotalSegments": total}
            if index is not None:
                request["IndexName"] = index.name
            found, scanned = pages(fake, "Scan", request, limit)
            assert scanned == len(found)
            # within a segment, each partition's rows come together and in sort-key order
            by_row = {repr(canonical_item(row[2])): row for row in table_rows}
            placed = [by_row[repr(canonical_item(entry))] for entry in found]
            partitions = [row[0] for row in placed]
            for first in range(len(placed)):
                for later in range(first + 1, len(placed)):
                    if partitions[first] == partitions[later]:
                        assert all(
                            partitions[between] == partitions[first] for between in range(first, later)
                        )
                        assert placed[first][1] < placed[later][1]
            seen += found
        want = sorted(repr(sorted(canonical_item(row[2]).items())) for row in table_rows)
        assert sorted(repr(sorted(canonical_item(entry).items())) for entry in seen) == want, (
            spec.name,
            index,
        )


def writes(spec: TableSpec) -> st.SearchStrategy[tuple[str, TableSpec, Item]]:
    return st.one_of(
        items(spec).map(lambda new: ("put", spec, new)),
        keys(spec).map(lambda key: ("delete", spec, key)),
    )


@property_settings(200)
@given(changes=st.lists(st.one_of(*(writes(spec) for spec in TABLES)), max_size=30), data=st.data())
def test_queries_and_scans_agree_with_the_model(
    changes: list[tuple[str, TableSpec, Item]], data: st.DataObject
) -> None:
    fake = FakeDynamoDB()
    for spec in TABLES:
        fake.call_sync("CreateTable", spec.create_table_request())
    models: dict[str, dict[Any, Item]] = {spec.name: {} for spec in TABLES}
    for action, spec, value in changes:
        identity = key_identity(spec, value)
        if action == "put":
            fake.call_sync("PutItem", {"TableName": spec.name, "Item": value})
            models[spec.name][identity] = value
        else:
            fake.call_sync("DeleteItem", {"TableName": spec.name, "Key": value})
            models[spec.name].pop(identity, None)
    fake._check()
    for spec in TABLES:
        check_queries(fake, spec, models[spec.name], data)
        check_scans(fake, spec, models[spec.name], data)
    fake._check()
