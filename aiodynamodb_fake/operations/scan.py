"""Scan: every item of a table or index, one page at a time, optionally one parallel-scan segment.

``parse`` runs the member table first (``members/reads.py``: every member's kind and constraint,
in DynamoDB's order), then what needs more than one member, in dynalite's validations/scan.js
order: Select, expression and legacy members mixed, AttributesToGet, the ScanFilter (with
ConditionalOperator), the ExclusiveStartKey's values, Segment and TotalSegments, then the
expressions. A ScanFilter becomes the expression engine's ``ConditionExpression``
(``expressions.legacy``), so it filters the page as a FilterExpression does. ``plan`` finds the
table or index, checks the ExclusiveStartKey against its keys and its segment (actions/scan.js's
order), then reads the page (``_pages``): a lazy walk of the segment's partitions in scan order
(``scan_order``), O(log n + k) for k items read. Segments are contiguous shares of the
partition-key hash space, so they are disjoint and together cover the table. Unlike Query, a Scan
may filter an index on an attribute it does not project: the filter finds it absent (DynamoDB
Local checks no such filter on Scan; what the filter sees is ``_pages``'). ``apply`` changes
nothing and only answers. Reference §6.5.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.ScanFilter.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..expressions import (
    parse_expressions,
    validate_expression_attribute_names,
    validate_expression_attribute_values,
)
from ..expressions.legacy import SCAN_PARAMETERS, filter_condition
from ..members.engine import check_request
from ..members.reads import SCAN
from ..scan_order import segment_of
from ..state import ServiceState, Table
from ..storage import Item
from ._common import require_table
from ._contract import Access, Unit
from ._pages import Page, PageSpec, answer, page_spec, read_page, read_unit
from ._reads import (
    NO_SUCH_INDEX,
    ReadTarget,
    attributes_to_get,
    check_expression_members,
    check_gsi_projection,
    check_gsi_select,
    check_key_paths,
    projection_member,
    resolve_select,
    resolve_target,
)
from ._start_keys import START_KEY_INVALID, check_start_piece, start_key, table_start_key

__all__ = ["ACCESS", "ScanPlan", "ScanRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "read"
VALUE_EXPRESSIONS = ("FilterExpression",)
TOTAL_SEGMENTS_REQUIRED = (
    "The TotalSegments parameter is required but was not present in the request "
    "when Segment parameter is present"
)
SEGMENT_REQUIRED = (
    "The Segment parameter is required but was not present in the request "
    "when parameter TotalSegments is present"
)
SEGMENT_OUT_OF_RANGE = (
    "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
    "Segment: {segment} is not less than TotalSegments: {total}"
)
WRONG_SEGMENT = (
    START_KEY_INVALID + ": Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
    "TotalSegments: {total} Segment: {segment}"
)


@dataclass(frozen=True, slots=True)
class ScanRequest:
    table_name: str
    index_name: str | None
    spec: PageSpec
    start_key: Item | None
    segment: int
    total_segments: int
    capacity_mode: str | None


@dataclass(frozen=True, slots=True)
class ScanPlan:
    request: ScanRequest
    target: ReadTarget
    page: Page


def parse(request: Mapping[str, Any]) -> ScanRequest:
    check_request(SCAN, request)
    index_name: str | None = request.get("IndexName")
    select = resolve_select(request.get("Select"), projection_member(request), index_name, query=False)
    check_expression_members(request, SCAN_PARAMETERS, VALUE_EXPRESSIONS)
    legacy_projection = attributes_to_get(request.get("AttributesToGet"))
    operator = request.get("ConditionalOperator")
    scan_filter = filter_condition(request.get("ScanFilter"), operator, "ScanFilter")
    start = start_key(request.get("ExclusiveStartKey"))
    segment, total = request.get("Segment"), request.get("TotalSegments")
    _check_segments(segment, total)
    parsed = parse_expressions(
        names=validate_expression_attribute_names(request.get("ExpressionAttributeNames")),
        values=validate_expression_attribute_values(request.get("ExpressionAttributeValues")),
        filter=request.get("FilterExpression"),
        projection=request.get("ProjectionExpression"),
    )
    spec = page_spec(request, parsed, legacy_projection, scan_filter, select)
    capacity_mode = request.get("ReturnConsumedCapacity")
    return ScanRequest(request["TableName"], index_name, spec, start, segment or 0, total or 1, capacity_mode)


def _check_segments(segment: int | None, total: int | None) -> None:
    """Segment and TotalSegments come together, Segment below TotalSegments ([CONF]: a Segment of 0
    without TotalSegments is refused too)."""
    if segment is not None and total is None:
        raise ValidationException(TOTAL_SEGMENTS_REQUIRED)
    if total is not None:
        if segment is None:
            raise ValidationException(SEGMENT_REQUIRED)
        if segment >= total:
            raise ValidationException(SEGMENT_OUT_OF_RANGE.format(segment=segment, total=total))


def plan(state: ServiceState, parsed: ScanRequest) -> ScanPlan:
    table = require_table(state, parsed.table_name)
    start = parsed.start_key
    index_name = parsed.index_name
    missing = NO_SUCH_INDEX.format(name=index_name)
    if index_name is not None and start is not None and table.schema.index(index_name) is None:
        missing = START_KEY_INVALID
    target = resolve_target(table, index_name, parsed.spec.consistent, missing)
    spec = parsed.spec
    position = None
    if start is None:
        check_gsi_select(target, spec.select)
    else:
        position = _start_position(table, target, start, parsed)
    if spec.projection is not None:
        check_key_paths(spec.projection.paths, table.schema)
    if spec.filter is not None:
        check_key_paths(spec.filter.paths, table.schema)
    check_gsi_projection(target, spec.projection)
    store = table.store
    walk = store if target.index is None else store.indexes[target.index.name]
    records = walk.scan(
        exclusive_start=position, segment=parsed.segment, total_segments=parsed.total_segments
    )
    return ScanPlan(parsed, target, read_page(records, target, spec))


def _start_position(table: Table, target: ReadTarget, start: Item, parsed: ScanRequest) -> tuple[Any, Any]:
    """Where the scan resumes, once the ExclusiveStartKey is checked: its attributes, its index key,
    Select on a GSI, its table key, then its segment (actions/scan.js's order)."""
    index = target.index
    if len(start) != len(target.start_key_names):
        if index is not None:
            raise ValidationException(START_KEY_INVALID)
        raise ValidationException(f"{START_KEY_INVALID}: {msg.KEY_SCHEMA_MISMATCH}")
    if index is not None:
        check_start_piece(start, index.key.hash_name, index.key.hash_type, True)
        if index.key.range_name is not None and index.key.range_type is not None:
            check_start_piece(start, index.key.range_name, index.key.range_type, False)
    check_gsi_select(target, parsed.spec.select)
    position: tuple[Any, Any] = table_start_key(table, start)
    if index is not None:
        # never None here: the start key was found to hold every key attribute of the index and table
        position = table.store.indexes[index.name].key_of(start) or position
    total, segment = parsed.total_segments, parsed.segment
    if total > 1 and segment_of(position[0], total) != segment:
        raise ValidationException(WRONG_SEGMENT.format(total=total, segment=segment))
    return position


def units(planned: ScanPlan) -> Sequence[Unit]:
    req = planned.request
    return (read_unit(req.table_name, planned.target, planned.page, (None, None), req.spec.consistent),)


def apply(state: ServiceState, planned: ScanPlan) -> dict[str, Any]:
    req = planned.request
    return answer(req.table_name, planned.target, planned.page, req.capacity_mode)
