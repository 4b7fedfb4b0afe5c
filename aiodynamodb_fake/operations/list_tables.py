"""ListTables: the table names in order, a page at a time (Limit 1..100, default 100).

Names come sorted (they are ASCII, so Python's order is DynamoDB's); ``ExclusiveStartTableName``
starts the page after that name, whether or not such a table exists. ``LastEvaluatedTableName`` is
the page's last name and is present only when more names follow: a page that is exactly full and
ends the list has none (dynalite's test "should have no LastEvaluatedTableName if the limit is
large enough", run against DynamoDB). Constraint order and wording follow the same tests.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .. import limits
from ..members.engine import check_request
from ..members.tables import LIST_TABLES
from ..state import ServiceState
from ._contract import Access, Unit

__all__ = ["ACCESS", "ListTablesPlan", "ListTablesRequest", "apply", "handle", "parse", "plan", "units"]

ACCESS: Final[Access] = "control"
DEFAULT_LIMIT = limits.MAX_LIST_TABLES


@dataclass(frozen=True, slots=True)
class ListTablesRequest:
    exclusive_start_table_name: str | None
    limit: int


@dataclass(frozen=True, slots=True)
class ListTablesPlan:
    page: tuple[str, ...]
    last_evaluated_table_name: str | None  # None when no names follow the page


def parse(request: Mapping[str, Any]) -> ListTablesRequest:
    """Kinds first, then constraints: exclusiveStartTableName (pattern, min, max), then limit."""
    check_request(LIST_TABLES, request)
    limit = request.get("Limit")
    start = request.get("ExclusiveStartTableName")
    return ListTablesRequest(start, DEFAULT_LIMIT if limit is None else limit)


def plan(state: ServiceState, parsed: ListTablesRequest) -> ListTablesPlan:
    """One page of names. O(t log t) in the number of tables t."""
    names = sorted(state.tables)
    start = parsed.exclusive_start_table_name
    first = 0 if start is None else bisect.bisect_right(names, start)
    page = tuple(names[first : first + parsed.limit])
    more = first + parsed.limit < len(names)
    return ListTablesPlan(page, page[-1] if more else None)


def units(planned: ListTablesPlan) -> Sequence[Unit]:
    return ()  # control plane: nothing for chaos to throttle


def apply(state: ServiceState, planned: ListTablesPlan) -> dict[str, Any]:
    response: dict[str, Any] = {"TableNames": list(planned.page)}
    if planned.last_evaluated_table_name is not None:
        response["LastEvaluatedTableName"] = planned.last_evaluated_table_name
    return response


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    return apply(state, plan(state, parse(request)))
