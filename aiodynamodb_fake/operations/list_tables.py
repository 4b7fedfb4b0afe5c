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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..shapes import TABLE_NAME_PATTERN, Constraints, expect_int, expect_map, expect_str
from ..state import ServiceState

__all__ = ["ListTablesRequest", "handle", "parse_request"]

DEFAULT_LIMIT = 100
_NAME_RE = re.compile(r"[a-zA-Z0-9_.\-]+\Z")


@dataclass(frozen=True, slots=True)
class ListTablesRequest:
    exclusive_start_table_name: str | None
    limit: int


def parse_request(request: Mapping[str, Any]) -> ListTablesRequest:
    """Kinds first, then constraints: exclusiveStartTableName (pattern, min, max), then limit."""
    request = expect_map(request, "") or {}
    start = expect_str(request.get("ExclusiveStartTableName"), "ExclusiveStartTableName")
    limit = expect_int(request.get("Limit"), "Limit")
    c = Constraints()
    if start is not None:
        if not _NAME_RE.match(start):
            c.add(
                start,
                "exclusiveStartTableName",
                f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}",
            )
        c.length(start, "exclusiveStartTableName", 3, 255)
    c.minimum(limit, "limit", 1)
    c.maximum(limit, "limit", 100)
    c.raise_if_any()
    return ListTablesRequest(start, DEFAULT_LIMIT if limit is None else limit)


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    """One page of names. O(t log t) in the number of tables t."""
    req = parse_request(request)
    names = sorted(state.tables)
    first = (
        0
        if req.exclusive_start_table_name is None
        else bisect.bisect_right(names, req.exclusive_start_table_name)
    )
    page = names[first : first + req.limit]
    response: dict[str, Any] = {"TableNames": page}
    if first + req.limit < len(names):
        response["LastEvaluatedTableName"] = page[-1]
    return response
