"""The member tables of the control-plane operations: DescribeTable, DeleteTable, ListTables.

DescribeTable and DeleteTable take the data plane's TableName (a name or a table ARN, reported
alone). ListTables' ExclusiveStartTableName is held to the table-name rules in dynalite's order for
it (pattern, minimum, maximum), then its Limit to 1..100 (dynalite's tests, run against DynamoDB).
CreateTable's table, with its KeySchemaElement echoes and ARN handling, is ``create_table``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
"""

from __future__ import annotations

from typing import Final

from .. import limits
from .common import TABLE_NAME
from .engine import INTEGER, STRING, Member, Struct
from .rules import MaxValue, MinValue, TableName

__all__ = ["DELETE_TABLE", "DESCRIBE_TABLE", "LIST_TABLES"]

DESCRIBE_TABLE: Final = Struct("DescribeTableInput", (TABLE_NAME,))
DELETE_TABLE: Final = Struct("DeleteTableInput", (TABLE_NAME,))
LIST_TABLES: Final = Struct(
    "ListTablesInput",
    (
        Member(
            "ExclusiveStartTableName",
            STRING,
            (TableName(min_length=limits.MIN_TABLE_NAME, arn=False, pattern_first=True),),
        ),
        Member("Limit", INTEGER, (MinValue(limits.MIN_LIST_TABLES), MaxValue(limits.MAX_LIST_TABLES))),
    ),
)
