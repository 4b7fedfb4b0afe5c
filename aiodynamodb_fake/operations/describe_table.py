"""DescribeTable: a table's TableDescription, or ResourceNotFoundException if there is none.

The name (or an ARN of this region and account) is validated like every TableName of the data
plane (model shape TableArn, 1..1024 characters, reported alone); a table that does not exist gives
the control plane's wording ``Requested resource not found: Table: <name> not found`` (reference
§6.1). The description is built fresh by ``table_description.py``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.errors import ResourceNotFoundException

from ..shapes import expect_map, validate_table_name
from ..state import ServiceState, Table
from ..table_description import describe_table

__all__ = ["find_table", "handle"]

TABLE_NOT_FOUND = "Requested resource not found: Table: {name} not found"


def find_table(state: ServiceState, request: Mapping[str, Any]) -> Table:
    """The table the request's TableName names; shared with DeleteTable."""
    name = validate_table_name(expect_map(request, "") or {})
    table = state.lookup(name)
    if table is None:
        raise ResourceNotFoundException(TABLE_NOT_FOUND.format(name=name))
    return table


def handle(state: ServiceState, request: Mapping[str, Any]) -> dict[str, Any]:
    return {"Table": describe_table(find_table(state, request))}
