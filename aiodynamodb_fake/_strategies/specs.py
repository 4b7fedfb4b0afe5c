"""Table specs for the strategies: a table's name, key schema and indexes, and key identity.

A ``TableSpec`` is what the strategies need to know of a table to draw valid keys and items for it.
It builds its own CreateTable request, or is read from one: for a model,
``TableSpec.from_create_table_request(db.create_table_request(User))`` (the fake never imports the
client). ``key_identity`` says when two keys are the same key to DynamoDB (numbers by value, so
``"1"`` and ``"1.0"`` collide). No hypothesis here.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

__all__ = ["IndexSpec", "KeySpec", "KeyType", "ProjectionType", "TableSpec", "key_identity"]

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]
KeyType = Literal["S", "N", "B"]
ProjectionType = Literal["ALL", "KEYS_ONLY", "INCLUDE"]

DEFAULT_REGION, DEFAULT_ACCOUNT = "us-east-1", "123456789012"  # FakeDynamoDB()'s defaults


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A named key schema: what tables and indexes have in common."""

    name: str
    hash_name: str
    hash_type: KeyType
    range_name: str | None = None
    range_type: KeyType | None = None

    @property
    def key_names(self) -> tuple[str, ...]:
        return (self.hash_name,) if self.range_name is None else (self.hash_name, self.range_name)

    def key_types(self) -> dict[str, KeyType]:
        types: dict[str, KeyType] = {self.hash_name: self.hash_type}
        if self.range_name is not None and self.range_type is not None:
            types[self.range_name] = self.range_type
        return types

    def key_schema(self) -> list[dict[str, str]]:
        """The ``KeySchema`` list CreateTable takes."""
        schema = [{"AttributeName": self.hash_name, "KeyType": "HASH"}]
        if self.range_name is not None:
            schema.append({"AttributeName": self.range_name, "KeyType": "RANGE"})
        return schema


@dataclass(frozen=True, slots=True)
class IndexSpec(KeySpec):
    """A GSI or LSI as CreateTable takes it."""

    is_global: bool = True
    projection: ProjectionType = "ALL"
    non_key_attributes: tuple[str, ...] = ()

    def to_request(self) -> dict[str, Any]:
        projection: dict[str, Any] = {"ProjectionType": self.projection}
        if self.projection == "INCLUDE":
            projection["NonKeyAttributes"] = list(self.non_key_attributes)
        return {"IndexName": self.name, "KeySchema": self.key_schema(), "Projection": projection}


@dataclass(frozen=True, slots=True)
class TableSpec(KeySpec):
    """A table's name, primary key and indexes; ``create_table_request()`` makes it (on demand)."""

    indexes: tuple[IndexSpec, ...] = ()

    @classmethod
    def from_create_table_request(cls, request: Mapping[str, Any]) -> TableSpec:
        """The spec of the table a (valid) CreateTable request makes."""
        types: dict[str, KeyType] = {
            d["AttributeName"]: cast(KeyType, d["AttributeType"]) for d in request["AttributeDefinitions"]
        }

        def key(name: str, schema: list[Mapping[str, str]]) -> dict[str, Any]:
            by_role = {element["KeyType"]: element["AttributeName"] for element in schema}
            hash_name, range_name = by_role["HASH"], by_role.get("RANGE")
            return {
                "name": name,
                "hash_name": hash_name,
                "hash_type": types[hash_name],
                "range_name": range_name,
                "range_type": None if range_name is None else types[range_name],
            }

        indexes = []
        for member, is_global in (("GlobalSecondaryIndexes", True), ("LocalSecondaryIndexes", False)):
            for index in request.get(member, ()):
                projection = index["Projection"]
                indexes.append(
                    IndexSpec(
                        **key(index["IndexName"], index["KeySchema"]),
                        is_global=is_global,
                        projection=projection.get("ProjectionType", "ALL"),
                        non_key_attributes=tuple(projection.get("NonKeyAttributes", ())),
                    )
                )
        return cls(**key(request["TableName"], request["KeySchema"]), indexes=tuple(indexes))

    def index_key_types(self) -> dict[str, KeyType]:
        """Index key attributes that are not table key attributes (they may be absent: sparse)."""
        types: dict[str, KeyType] = {}
        for index in self.indexes:
            for name, kind in index.key_types().items():
                if name not in self.key_names:
                    types[name] = kind
        return types

    def create_table_request(self) -> dict[str, Any]:
        definitions = {**self.key_types(), **self.index_key_types()}
        request: dict[str, Any] = {
            "TableName": self.name,
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": kind} for name, kind in definitions.items()
            ],
            "KeySchema": self.key_schema(),
            "BillingMode": "PAY_PER_REQUEST",
        }
        gsis = [index.to_request() for index in self.indexes if index.is_global]
        lsis = [index.to_request() for index in self.indexes if not index.is_global]
        if gsis:
            request["GlobalSecondaryIndexes"] = gsis
        if lsis:
            request["LocalSecondaryIndexes"] = lsis
        return request

    @property
    def arn(self) -> str:
        """The table's ARN in a ``FakeDynamoDB()`` with its default region and account."""
        return f"arn:aws:dynamodb:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:table/{self.name}"

    def key_of(self, attributes: Mapping[str, AttributeValue]) -> Item:
        """The key attributes of an item, as a ``Key`` parameter."""
        return {name: attributes[name] for name in self.key_names}


def _scalar_identity(av: Mapping[str, Any]) -> tuple[str, Any]:
    ((kind, raw),) = av.items()
    if kind == "N":
        return kind, Decimal(raw)  # Decimal("1") == Decimal("1.0"), with equal hashes
    if kind == "B":
        return kind, bytes(raw)
    return kind, raw


def key_identity(spec: KeySpec, attributes: Mapping[str, Mapping[str, Any]]) -> tuple[Any, ...]:
    """A hashable identity of an item's or key's primary key: equal exactly when DynamoDB would
    consider the keys the same (numbers by value)."""
    return tuple(_scalar_identity(attributes[name]) for name in spec.key_names)
