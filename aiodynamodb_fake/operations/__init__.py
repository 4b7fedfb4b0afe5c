"""The dispatcher: DynamoDB action name -> the module implementing it (see ``_contract``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from . import (
    batch_get_item,
    batch_write_item,
    create_table,
    delete_item,
    delete_table,
    describe_table,
    get_item,
    list_tables,
    put_item,
    query,
    scan,
    transact_get_items,
    transact_write_items,
    update_item,
)
from ._contract import Operation

__all__ = ["OPERATIONS", "OperationName"]

OperationName = Literal[
    "CreateTable",
    "DescribeTable",
    "ListTables",
    "DeleteTable",
    "PutItem",
    "GetItem",
    "DeleteItem",
    "BatchWriteItem",
    "BatchGetItem",
    "UpdateItem",
    "Query",
    "Scan",
    "TransactWriteItems",
    "TransactGetItems",
]

OPERATIONS: Final[Mapping[str, Operation]] = {
    "CreateTable": create_table,
    "DescribeTable": describe_table,
    "ListTables": list_tables,
    "DeleteTable": delete_table,
    "PutItem": put_item,
    "GetItem": get_item,
    "DeleteItem": delete_item,
    "BatchWriteItem": batch_write_item,
    "BatchGetItem": batch_get_item,
    "UpdateItem": update_item,
    "Query": query,
    "Scan": scan,
    "TransactWriteItems": transact_write_items,
    "TransactGetItems": transact_get_items,
}
