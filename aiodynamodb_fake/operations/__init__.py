"""The dispatcher: DynamoDB action name -> the module implementing it.

Every handler takes the service state and the request (botocore-shaped) and returns the response
dict; it validates the whole request before it changes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..state import ServiceState

Handler = Callable[["ServiceState", Mapping[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {}


def _register() -> None:
    from importlib import import_module

    modules = {
        "CreateTable": "create_table",
        "DescribeTable": "describe_table",
        "ListTables": "list_tables",
        "DeleteTable": "delete_table",
        "PutItem": "put_item",
        "GetItem": "get_item",
        "DeleteItem": "delete_item",
        "BatchWriteItem": "batch_write_item",
        "BatchGetItem": "batch_get_item",
    }
    for action, module_name in modules.items():
        try:
            module = import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as err:  # an operation still being written
            if err.name != f"{__name__}.{module_name}":
                raise
            continue
        OPERATIONS[action] = module.handle


_register()
