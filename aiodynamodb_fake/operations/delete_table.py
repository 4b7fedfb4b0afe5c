"""DeleteTable: remove a table at once and answer its description with ``TableStatus: DELETING``.

DynamoDB keeps a deleted table in DELETING for a while; the fake removes it in the same call (as it
creates tables ACTIVE at once), so a DescribeTable right after gets ResourceNotFoundException
``Requested resource not found: Table: <name> not found``, as DynamoDB's does once deletion ends.
Deletion protection is not stored by CreateTable yet, so it is not enforced here.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..state import ServiceState
from ..table_description import describe_table
from .describe_table import find_table

__all__ = ["handle"]


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    table = find_table(state, request)
    description = describe_table(table, status="DELETING")
    del state.tables[table.schema.name]
    return {"TableDescription": description}
