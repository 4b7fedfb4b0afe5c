"""One page of a Query or Scan: read lazily until Limit or 1 MB, filter, shape, price and answer.

A page is read from storage's range walks until ``Limit`` items or 1 MB have been *evaluated* (the
item that crosses 1 MB is read whole: a 1 MB page of 1,042-byte items costs 128.5 RCU), then the
filter keeps what it keeps: ``ScannedCount`` counts what was read, ``Count`` what was kept, and
``LastEvaluatedKey`` is the key of the last item read whenever Limit or 1 MB stopped the read, even
if nothing remains. Capacity is the bytes read summed, rounded up to 4 KB once (at least one unit),
halved unless consistent. An LSI read fetches its table items when Select or the projection asks
for attributes it does not project (the Developer Guide's LSI page: "These fetches occur when you
include any non-projected attributes in the Select or ProjectionExpression parameters"), and pays
for each table item it fetches, rounded one by one. A filter never causes a fetch: Query refuses a
filter naming an attribute the index does not project (``_reads.check_filter_projection``), and a
Scan's filter reads what the read holds, the index entry (such an attribute is absent) or the table
item when Select or the projection fetched it (choice: no source says which a Scan sees then).
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ThroughputConsiderations.Reads
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .. import limits
from ..capacity import CapacityLedger, read_units
from ..expressions import ConditionExpression, Projection, RequestExpressions
from ..keys import KeyValues, key_values
from ..storage import Item, Record
from ..values import copy_value
from ._contract import Unit
from ._reads import ReadTarget, top_names

__all__ = ["MAX_PAGE_BYTES", "Page", "PageSpec", "answer", "page_spec", "read_page", "read_unit"]

MAX_PAGE_BYTES: Final = limits.PAGE_BYTES


@dataclass(frozen=True, slots=True)
class Page:
    """What one Query or Scan read and what it answers: items (None for COUNT), counts, the
    LastEvaluatedKey, and the units read from the table and from the index."""

    items: list[Item] | None
    count: int
    scanned: int
    last_key: Item | None
    table_units: float
    index_units: float


@dataclass(frozen=True, slots=True)
class PageSpec:
    """How to read a page: Limit, filter, projection, Select (in force), consistency."""

    limit: int | None
    filter: ConditionExpression | None
    projection: Projection | None
    select: str
    consistent: bool


def page_spec(
    request: Mapping[str, Any],
    parsed: RequestExpressions,
    legacy_projection: Projection | None,
    legacy_filter: ConditionExpression | None,
    select: str,
) -> PageSpec:
    """A Query's or Scan's page: the expressions, or the legacy members they replace (a request
    holds one of each pair at most: ``_reads.check_expression_members`` refused one mixing them)."""
    projection = parsed.projection if parsed.projection is not None else legacy_projection
    condition = parsed.filter if parsed.filter is not None else legacy_filter
    consistent = request.get("ConsistentRead") is True
    return PageSpec(request.get("Limit"), condition, projection, select, consistent)


def _fetches(target: ReadTarget, spec: PageSpec) -> bool:
    """Whether an LSI read needs its table items: for ALL_ATTRIBUTES, or a projection naming an
    attribute it does not project (the Select and ProjectionExpression cases of the LSI page)."""
    index = target.index
    if index is None or index.is_global or index.projection_type == "ALL":
        return False
    if spec.select == "ALL_ATTRIBUTES":
        return True
    projection = spec.projection
    return projection is not None and any(not index.projects(name) for name in top_names(projection.paths))


def read_page(records: Iterator[Record], target: ReadTarget, spec: PageSpec) -> Page:
    """Read ``records`` (a lazy storage walk) until Limit or 1 MB, then filter and shape them.

    O(k · item size) for the k records read; nothing past them is touched.
    """
    limit = spec.limit
    evaluated: list[Record] = []
    read_bytes = 0
    for record in records:
        evaluated.append(record)
        read_bytes += record.size
        if len(evaluated) == limit or read_bytes >= MAX_PAGE_BYTES:
            break
    stopped = len(evaluated) == limit or read_bytes >= MAX_PAGE_BYTES
    fetch = _fetches(target, spec)
    table_units = 0.0
    items: list[Item] | None = None if spec.select == "COUNT" else []
    count = 0
    store = target.table.store
    for record in evaluated:
        view = record.item
        if fetch:
            table_key = key_values(target.table.schema.key, view)
            assert table_key is not None  # an index entry always holds its item's table key
            fetched = store.lookup(table_key)
            if fetched is not None:  # an index entry always has its item; storage keeps them in step
                view = fetched.item
                table_units += read_units(fetched.size, spec.consistent)
        if spec.filter is not None and not spec.filter.evaluate(view):
            continue
        count += 1
        if items is not None:
            items.append(view if spec.projection is None else spec.projection.apply(view))
    last_key = None
    if stopped and evaluated:
        last = evaluated[-1].item
        last_key = {name: copy_value(last[name]) for name in target.start_key_names if name in last}
    units = float(max(1, -(-read_bytes // 4096)))
    units = units if spec.consistent else units / 2
    if target.index is None:
        return Page(items, count, len(evaluated), last_key, units, 0.0)
    return Page(items, count, len(evaluated), last_key, table_units, units)


def read_unit(table_name: str, target: ReadTarget, page: Page, key: KeyValues, consistent: bool) -> Unit:
    """The call as one unit: chaos may throttle it whole, and the capacity model draws what it read
    (a GSI's units from the GSI; an LSI shares its table's capacity)."""
    cost = page.table_units + page.index_units
    return Unit(
        0, table_name, target.table, key, False, consistent=consistent, read_cost=cost, index=target.gsi
    )


def answer(table_name: str, target: ReadTarget, page: Page, capacity_mode: str | None) -> dict[str, Any]:
    """The response: Items (unless COUNT), Count, ScannedCount, LastEvaluatedKey, ConsumedCapacity."""
    response: dict[str, Any] = {}
    if page.items is not None:
        response["Items"] = page.items
    response["Count"] = page.count
    response["ScannedCount"] = page.scanned
    if page.last_key is not None:
        response["LastEvaluatedKey"] = page.last_key
    ledger = CapacityLedger(capacity_mode, [table_name])
    ledger.charge(table_name, page.table_units)
    index = target.index
    if index is not None:
        ledger.charge_index(table_name, index.name, index.is_global, page.index_units)
    return ledger.add_to(response, single=table_name)
