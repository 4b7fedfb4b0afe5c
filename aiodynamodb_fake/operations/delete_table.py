"""DeleteTable: remove a table at once and answer its description with ``TableStatus: DELETING``.

DynamoDB keeps a deleted table in DELETING for a while; the fake removes it in the same call (as it
creates tables ACTIVE at once), so a DescribeTable right after gets ResourceNotFoundException
``Requested resource not found: Table: <name> not found``, as DynamoDB's does once deletion ends.
The TableName is checked and looked up as DescribeTable does. Deletion protection is not stored by
CreateTable yet, so it is not enforced here.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..members.engine import check_request
from ..members.tables import DELETE_TABLE
from ..state import ServiceState, Table
from ..table_description import describe_table, find_table
from ._contract import Access, Unit

__all__ = ["ACCESS", "DeleteTablePlan", "DeleteTableRequest", "apply", "handle", "parse", "plan", "units"]

ACCESS: Final[Access] = "control"


@dataclass(frozen=True, slots=True)
class DeleteTableRequest:
    table_name: str  # as the request gave it: a name or an ARN


@dataclass(frozen=True, slots=True)
class DeleteTablePlan:
    table: Table


def parse(request: Mapping[str, Any]) -> DeleteTableRequest:
    """The TableName, or the first shape error / its constraint violations."""
    check_request(DELETE_TABLE, request)
    return DeleteTableRequest(request["TableName"])


def plan(state: ServiceState, parsed: DeleteTableRequest) -> DeleteTablePlan:
    """The table, or ResourceNotFoundException."""
    return DeleteTablePlan(find_table(state, parsed.table_name))


def units(planned: DeleteTablePlan) -> Sequence[Unit]:
    return ()  # control plane: nothing for chaos to throttle


def apply(state: ServiceState, planned: DeleteTablePlan) -> dict[str, Any]:
    """Describe the table as DELETING, then drop it (plan found it under its schema's name)."""
    table = planned.table
    description = describe_table(table, status="DELETING")
    del state.tables[table.schema.name]
    return {"TableDescription": description}


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    return apply(state, plan(state, parse(request)))
