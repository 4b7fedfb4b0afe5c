"""A table's parsed, immutable definition: key schema, indexes, billing, as CreateTable set it.

Operations read these to validate keys and to keep indexes in step; storage reads them to know
which attributes make up each key. Built once by ``operations/create_table.py``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["IndexSchema", "KeySchema", "OnDemandThroughput", "TableSchema", "Throughput"]

KeyType = Literal["S", "N", "B"]
ProjectionType = Literal["ALL", "KEYS_ONLY", "INCLUDE"]


@dataclass(frozen=True, slots=True)
class KeySchema:
    """A primary key: the hash (partition) attribute and optionally the range (sort) attribute."""

    hash_name: str
    hash_type: KeyType
    range_name: str | None = None
    range_type: KeyType | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.hash_name,) if self.range_name is None else (self.hash_name, self.range_name)

    def to_wire(self) -> list[dict[str, str]]:
        """The ``KeySchema`` list as DynamoDB describes it."""
        elements = [{"AttributeName": self.hash_name, "KeyType": "HASH"}]
        if self.range_name is not None:
            elements.append({"AttributeName": self.range_name, "KeyType": "RANGE"})
        return elements


@dataclass(frozen=True, slots=True)
class Throughput:
    read_capacity_units: int
    write_capacity_units: int


@dataclass(frozen=True, slots=True)
class OnDemandThroughput:
    """The most request units per second an on-demand table or GSI may serve; None (or -1): no maximum."""

    max_read_request_units: int | None = None
    max_write_request_units: int | None = None

    def maximum(self, write: bool) -> int | None:
        """The maximum for writes or for reads, None when there is none."""
        units = self.max_write_request_units if write else self.max_read_request_units
        return None if units is None or units < 0 else units

    def to_wire(self) -> dict[str, int]:
        """Only the members that were set, as DescribeTable shows them."""
        wire = {}
        if self.max_read_request_units is not None:
            wire["MaxReadRequestUnits"] = self.max_read_request_units
        if self.max_write_request_units is not None:
            wire["MaxWriteRequestUnits"] = self.max_write_request_units
        return wire


@dataclass(frozen=True, slots=True)
class IndexSchema:
    """A GSI or LSI. ``projected`` is None for ALL, else the non-key attribute names kept."""

    name: str
    is_global: bool
    key: KeySchema
    projection_type: ProjectionType
    non_key_attributes: tuple[str, ...] = ()
    throughput: Throughput | None = None
    on_demand: OnDemandThroughput | None = None
    # every attribute an index entry holds besides the non-key ones: the table's and the index's keys
    key_names: frozenset[str] = frozenset()

    def projects(self, attribute: str) -> bool:
        """Does an index entry keep ``attribute``?"""
        if self.projection_type == "ALL" or attribute in self.key_names:
            return True
        return self.projection_type == "INCLUDE" and attribute in self.non_key_attributes


@dataclass(frozen=True, slots=True)
class TableSchema:
    name: str
    arn: str
    key: KeySchema
    attribute_definitions: tuple[tuple[str, KeyType], ...]
    billing_mode: Literal["PROVISIONED", "PAY_PER_REQUEST"]
    throughput: Throughput | None
    on_demand: OnDemandThroughput | None = None
    global_indexes: tuple[IndexSchema, ...] = ()
    local_indexes: tuple[IndexSchema, ...] = ()
    created_at: float = 0.0
    table_id: str = ""
    table_class: str | None = None
    tags: tuple[tuple[str, str], ...] = field(default=())

    @property
    def indexes(self) -> tuple[IndexSchema, ...]:
        return self.global_indexes + self.local_indexes

    def index(self, name: str) -> IndexSchema | None:
        for idx in self.indexes:
            if idx.name == name:
                return idx
        return None
