"""Query: the items of one partition of a table or index, between sort-key bounds, one page at a time.

``parse`` runs the member table first (``members/reads.py``: every member's kind and constraint,
in DynamoDB's order), then what needs more than one member, in dynalite's validations/query.js
order: Select, expression and legacy members mixed, the QueryFilter (with ConditionalOperator),
AttributesToGet, the ExclusiveStartKey's values, a key condition of either kind present, the
expressions, then the KeyConditions. The legacy members become the expression engine's objects
(``expressions.legacy``): KeyConditions ``KeyTerms``, a QueryFilter a ``ConditionExpression``, so
both kinds of request are planned and read alike. ``plan`` finds the table or index, checks the
ExclusiveStartKey and the key condition against its key schema (interleaved per key attribute, as
actions/query.js does), the filter and projection against the keys and against what an index
projects, then reads the page (``_pages``): a lazy walk of one partition between the condition's
bounds, O(log n + k) for k items read, never a sort. ``apply`` changes nothing and only answers.
Reference §6.4, §7.3.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.KeyConditions.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from ..expressions import (
    ConditionExpression,
    KeyCondition,
    KeyTerms,
    Name,
    parse_expressions,
    validate_expression_attribute_names,
    validate_expression_attribute_values,
)
from ..expressions import messages as expression_messages
from ..expressions.legacy import QUERY_PARAMETERS, check_query_filter, filter_condition, key_conditions
from ..expressions.legacy_messages import MISSING_KEY_CONDITIONS, NOT_INDEXABLE
from ..keys import KeyValues
from ..members.engine import check_request
from ..members.reads import QUERY
from ..schema import KeySchema
from ..state import ServiceState
from ..storage import Item, Record
from ._common import require_table
from ._contract import Access, Unit
from ._pages import Page, PageSpec, answer, page_spec, read_page, read_unit
from ._reads import (
    NO_SUCH_INDEX,
    ReadTarget,
    attributes_to_get,
    check_expression_members,
    check_filter_projection,
    check_gsi_projection,
    check_gsi_select,
    check_key_paths,
    projection_member,
    resolve_select,
    resolve_target,
)
from ._start_keys import START_KEY_INVALID, check_start_piece, sort_value, start_key, table_start_key

__all__ = ["ACCESS", "QueryPlan", "QueryRequest", "apply", "parse", "plan", "units"]

ACCESS: Final[Access] = "read"
VALUE_EXPRESSIONS = ("FilterExpression", "KeyConditionExpression")
OUTSIDE_BOUNDARIES = "The provided starting key is outside query boundaries based on provided conditions"
OFF_PREDICATE = "The provided starting key does not match the range key predicate"
AT_MOST_ONE_ROW = "The query can return at most one row and cannot be restarted"
FILTER_ON_KEY = "Filter Expression can only contain non-primary key attributes: Primary key attribute: {name}"


@dataclass(frozen=True, slots=True)
class QueryRequest:
    table_name: str
    index_name: str | None
    key_terms: KeyTerms
    spec: PageSpec
    forward: bool
    start_key: Item | None
    capacity_mode: str | None


@dataclass(frozen=True, slots=True)
class QueryPlan:
    request: QueryRequest
    target: ReadTarget
    condition: KeyCondition
    page: Page


def parse(request: Mapping[str, Any]) -> QueryRequest:
    check_request(QUERY, request)
    index_name: str | None = request.get("IndexName")
    select = resolve_select(request.get("Select"), projection_member(request), index_name, query=True)
    check_expression_members(request, QUERY_PARAMETERS, VALUE_EXPRESSIONS)
    operator = request.get("ConditionalOperator")
    query_filter = filter_condition(request.get("QueryFilter"), operator, "QueryFilter")
    legacy_projection = attributes_to_get(request.get("AttributesToGet"))
    start = start_key(request.get("ExclusiveStartKey"))
    if request.get("KeyConditionExpression") is None and request.get("KeyConditions") is None:
        raise ValidationException(MISSING_KEY_CONDITIONS)
    parsed = parse_expressions(
        names=validate_expression_attribute_names(request.get("ExpressionAttributeNames")),
        values=validate_expression_attribute_values(request.get("ExpressionAttributeValues")),
        key_condition=request.get("KeyConditionExpression"),
        filter=request.get("FilterExpression"),
        projection=request.get("ProjectionExpression"),
    )
    # One of each pair at most: check_expression_members refused a request mixing them.
    terms = parsed.key_terms if parsed.key_terms is not None else key_conditions(request.get("KeyConditions"))
    spec = page_spec(request, parsed, legacy_projection, query_filter, select)
    forward = request.get("ScanIndexForward") is not False
    return QueryRequest(
        request["TableName"],
        index_name,
        terms,
        spec,
        forward,
        start,
        request.get("ReturnConsumedCapacity"),
    )


def plan(state: ServiceState, parsed: QueryRequest) -> QueryPlan:
    table = require_table(state, parsed.table_name)
    index_name = parsed.index_name
    missing = NO_SUCH_INDEX.format(name=index_name)
    target = resolve_target(table, index_name, parsed.spec.consistent, missing)
    start = parsed.start_key
    if start is not None and len(start) != len(target.start_key_names):
        raise ValidationException(START_KEY_INVALID)
    condition = _bind(parsed.key_terms, target.key, start)
    position: tuple[Any, Any] | None = None
    if start is not None:
        position = table_start_key(table, start)
        _check_start_in_range(condition, target.key, start)
        if target.index is not None:
            position = table.store.indexes[target.index.name].key_of(start)
    _check_paths(target, parsed.spec)
    records = _walk(target, condition, parsed.forward, position)
    return QueryPlan(parsed, target, condition, read_page(records, target, parsed.spec))


def _bind(terms: KeyTerms, key: KeySchema, start: Item | None) -> KeyCondition:
    """The key condition for ``key``, checked with the ExclusiveStartKey's attributes of that key as
    dynalite walks them: the hash attribute's start-key piece, then its condition; the range's piece,
    then its condition."""
    if start is not None:
        check_start_piece(start, key.hash_name, key.hash_type, True)
    failure: ValidationException | None = None
    try:
        condition = terms.bind(key)
    except ValidationException as error:
        if start is None or not _about_range(error, terms, key):
            raise
        failure = error
    if start is not None and key.range_name is not None and key.range_type is not None:
        check_start_piece(start, key.range_name, key.range_type, False)
    if failure is not None:
        raise failure
    return condition


def _about_range(error: ValidationException, terms: KeyTerms, key: KeySchema) -> bool:
    """Whether ``bind``'s error is about the sort key (it checks the partition key first). A
    KeyConditions operator that selects no range is about the sort key when the partition key's
    operator does (``terms.terms`` holds only the tests that select a range)."""
    if key.range_name is None:
        return False
    if error.message == expression_messages.KEY_MISSED_ELEMENT.format(name=key.range_name):
        return True
    if error.message == NOT_INDEXABLE:
        return any(term.name == key.hash_name for term in terms.terms)
    if error.message != expression_messages.KEY_TYPE_MISMATCH:
        return False
    hash_term = next((term for term in terms.terms if term.name == key.hash_name), None)
    return hash_term is not None and all(next(iter(value)) == key.hash_type for value in hash_term.values)


def _check_start_in_range(condition: KeyCondition, key: KeySchema, start: Item) -> None:
    """An ExclusiveStartKey must lie in the queried partition and meet the sort-key condition."""
    same_partition = sort_value(start[key.hash_name]) == condition.hash_sort_value
    if key.range_name is None or condition.sort is None:
        if not same_partition:
            raise ValidationException(OUTSIDE_BOUNDARIES)
        return
    if not condition.sort.matches(sort_value(start[key.range_name])):
        raise ValidationException(OFF_PREDICATE)
    if not same_partition:
        raise ValidationException(AT_MOST_ONE_ROW)


def _check_paths(target: ReadTarget, spec: PageSpec) -> None:
    """The projection and filter against the keys, in actions/query.js's order, then the filter
    against what an index projects, before the projection is (DynamoDB Local's QueryFunction puts
    the nested key paths before it and the projection after it; that it also comes after Select's
    check here is a choice)."""
    schema = target.table.schema
    if spec.projection is not None:
        check_key_paths(spec.projection.paths, schema)
    if spec.filter is not None and spec.filter.kind == "QueryFilter":
        check_query_filter(spec.filter, target.key.names)
    elif spec.filter is not None:
        _check_filter_keys(spec.filter, target.key)
    check_gsi_select(target, spec.select)
    if spec.filter is not None:
        check_key_paths(spec.filter.paths, schema)
    check_filter_projection(target, spec.filter)
    check_gsi_projection(target, spec.projection)


def _check_filter_keys(condition: ConditionExpression, key: KeySchema) -> None:
    """A filter may not read the queried key's attributes (at any depth under them)."""
    heads = {head.name for path in condition.paths if isinstance(head := path.elements[0], Name)}
    for name in key.names:
        if name in heads:
            raise ValidationException(FILTER_ON_KEY.format(name=name))


def _walk(
    target: ReadTarget, condition: KeyCondition, forward: bool, position: tuple[Any, Any] | None
) -> Iterator[Record]:
    """The lazy storage walk of the queried partition between the condition's bounds."""
    low = high = prefix = None
    low_inclusive = high_inclusive = True
    if condition.sort is not None:
        low, high, low_inclusive, high_inclusive, prefix = condition.sort.range()
    store = target.table.store
    walk = store if target.index is None else store.indexes[target.index.name]
    return walk.query(
        condition.hash_sort_value,
        low=low,
        high=high,
        low_inclusive=low_inclusive,
        high_inclusive=high_inclusive,
        prefix=prefix,
        forward=forward,
        exclusive_start=position,
    )


def units(planned: QueryPlan) -> Sequence[Unit]:
    req, target = planned.request, planned.target
    # a GSI's partitions are not the table's: only a table or LSI query draws on a table partition
    key: KeyValues = (None, None) if target.gsi else (planned.condition.hash_sort_value, None)
    return (read_unit(req.table_name, target, planned.page, key, req.spec.consistent),)


def apply(state: ServiceState, planned: QueryPlan) -> dict[str, Any]:
    req = planned.request
    return answer(req.table_name, planned.target, planned.page, req.capacity_mode)
