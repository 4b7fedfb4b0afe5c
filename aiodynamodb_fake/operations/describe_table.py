"""DescribeTable: a table's TableDescription, or ResourceNotFoundException if there is none.

The name (or an ARN of this region and account) is validated like every TableName of the data
plane (model shape TableArn, 1..1024 characters, reported alone); a table that does not exist gives
the control plane's wording ``Requested resource not found: Table: <name> not found`` (reference
§6.1). The description is built fresh by ``table_description.py``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..members.engine import check_request
from ..members.tables import DESCRIBE_TABLE
from ..state import ServiceState, Table
from ..table_description import describe_table, find_table
from ._contract import Access, Unit

__all__ = ["ACCESS", "DescribeTablePlan", "DescribeTableRequest", "apply", "handle", "parse", "plan", "units"]

ACCESS: Final[Access] = "control"


@dataclass(frozen=True, slots=True)
class DescribeTableRequest:
    table_name: str  # as the request gave it: a name or an ARN


@dataclass(frozen=True, slots=True)
class DescribeTablePlan:
    table: Table


def parse(request: Mapping[str, Any]) -> DescribeTableRequest:
    """The TableName, or the first shape error / its constraint violations."""
    check_request(DESCRIBE_TABLE, request)
    return DescribeTableRequest(request["TableName"])


def plan(state: ServiceState, parsed: DescribeTableRequest) -> DescribeTablePlan:
    """The table, or ResourceNotFoundException."""
    return DescribeTablePlan(find_table(state, parsed.table_name))


def units(planned: DescribeTablePlan) -> Sequence[Unit]:
    return ()  # control plane: nothing for chaos to throttle


def apply(state: ServiceState, planned: DescribeTablePlan) -> dict[str, Any]:
    return {"Table": describe_table(planned.table)}


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    return apply(state, plan(state, parse(request)))
