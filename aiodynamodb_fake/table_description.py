"""A table's ``TableDescription``, as CreateTable, DescribeTable and DeleteTable return it.

Built fresh on every call from the table's schema and its store, so nothing the caller holds
aliases stored state. Timestamps are ``datetime`` (botocore parses them so); counts and sizes are
live, where DynamoDB refreshes them about every six hours. DynamoDB answers AttributeDefinitions and
NonKeyAttributes sorted by name and index lists in the order they were created (2026 captures);
on-demand tables and their GSIs show ProvisionedThroughput 0/0 (reference §5.3), and
OnDemandThroughput only when it was set, with only the members set (2026 captures). Not described:
streams, SSE, WarmThroughput and DeletionProtectionEnabled, which the schema does not keep.
``find_table`` is the lookup DescribeTable and DeleteTable share, with the control plane's
not-found wording (reference §6.1), not the data plane's.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiodynamodb.errors import ResourceNotFoundException

from .schema import IndexSchema, TableSchema, Throughput
from .state import ServiceState, Table
from .storage import IndexStore
from .values import item_size

__all__ = ["TABLE_NOT_FOUND", "describe_table", "find_table"]

TABLE_NOT_FOUND = "Requested resource not found: Table: {name} not found"


def find_table(state: ServiceState, name: str) -> Table:
    """The ACTIVE table ``name`` names (a name, or an ARN of this region and account)."""
    table = state.lookup(name)
    if table is None:
        raise ResourceNotFoundException(TABLE_NOT_FOUND.format(name=name))
    return table


def _java_order(name: str) -> bytes:
    """Java's ``String.compareTo`` order (UTF-16 code units), which DynamoDB sorts names by."""
    return name.encode("utf-16-be", "surrogatepass")


def _throughput(throughput: Throughput | None) -> dict[str, int]:
    read, write = (
        (0, 0) if throughput is None else (throughput.read_capacity_units, throughput.write_capacity_units)
    )
    return {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": read, "WriteCapacityUnits": write}


def _projection(index: IndexSchema) -> dict[str, Any]:
    projection: dict[str, Any] = {"ProjectionType": index.projection_type}
    if index.projection_type == "INCLUDE":
        projection["NonKeyAttributes"] = sorted(index.non_key_attributes, key=_java_order)
    return projection


def _index(schema: TableSchema, index: IndexSchema, store: IndexStore | None) -> dict[str, Any]:
    """One GSI or LSI description. O(n) in the index's entries (for IndexSizeBytes)."""
    entries = [] if store is None else [entry for _, _, entry in store.entries()]
    described: dict[str, Any] = {
        "IndexName": index.name,
        "KeySchema": index.key.to_wire(),
        "Projection": _projection(index),
    }
    if index.is_global:
        described["IndexStatus"] = "ACTIVE"
        described["ProvisionedThroughput"] = _throughput(index.throughput)
        if index.on_demand is not None:
            described["OnDemandThroughput"] = index.on_demand.to_wire()
    described["IndexSizeBytes"] = sum(item_size(entry) for entry in entries)
    described["ItemCount"] = len(entries)
    described["IndexArn"] = f"{schema.arn}/index/{index.name}"
    return described


def describe_table(table: Table, *, status: str | None = None) -> dict[str, Any]:
    """The TableDescription of ``table``; ``status`` overrides its TableStatus (DeleteTable: DELETING)."""
    schema = table.schema
    created = datetime.fromtimestamp(schema.created_at, tz=UTC)
    definitions = sorted(schema.attribute_definitions, key=lambda pair: _java_order(pair[0]))
    described: dict[str, Any] = {
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind} for name, kind in definitions
        ],
        "TableName": schema.name,
        "KeySchema": schema.key.to_wire(),
        "TableStatus": table.status if status is None else status,
        "CreationDateTime": created,
        "ProvisionedThroughput": _throughput(schema.throughput),
        "TableSizeBytes": table.store.size_bytes,
        "ItemCount": table.store.item_count,
        "TableArn": schema.arn,
        "TableId": schema.table_id,
    }
    if schema.billing_mode == "PAY_PER_REQUEST":
        described["BillingModeSummary"] = {
            "BillingMode": "PAY_PER_REQUEST",
            "LastUpdateToPayPerRequestDateTime": created,
        }
    if schema.on_demand is not None:
        described["OnDemandThroughput"] = schema.on_demand.to_wire()
    stores = table.store.indexes
    if schema.local_indexes:
        described["LocalSecondaryIndexes"] = [
            _index(schema, index, stores.get(index.name)) for index in schema.local_indexes
        ]
    if schema.global_indexes:
        described["GlobalSecondaryIndexes"] = [
            _index(schema, index, stores.get(index.name)) for index in schema.global_indexes
        ]
    if schema.table_class is not None:
        described["TableClassSummary"] = {"TableClass": schema.table_class}
    return described
