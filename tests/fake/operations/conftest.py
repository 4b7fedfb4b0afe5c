"""Fixtures for the operation tests: a fresh fake and tables of the usual shapes."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb_fake import FakeDynamoDB


def create_table(
    fake: FakeDynamoDB,
    name: str,
    *,
    hash_key: tuple[str, str] = ("pk", "S"),
    range_key: tuple[str, str] | None = ("sk", "N"),
    gsis: list[dict[str, Any]] | None = None,
    lsis: list[dict[str, Any]] | None = None,
    extra_attributes: dict[str, str] | None = None,
) -> str:
    """Create an on-demand table through CreateTable itself; returns its name."""
    key_schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    definitions = {hash_key[0]: hash_key[1]}
    if range_key is not None:
        key_schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        definitions[range_key[0]] = range_key[1]
    definitions.update(extra_attributes or {})
    request: dict[str, Any] = {
        "TableName": name,
        "KeySchema": key_schema,
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in definitions.items()],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if gsis:
        request["GlobalSecondaryIndexes"] = gsis
    if lsis:
        request["LocalSecondaryIndexes"] = lsis
    fake.call_sync("CreateTable", request)
    return name


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB()


@pytest.fixture
def table(fake: FakeDynamoDB) -> str:
    """``items``: hash key pk (S), range key sk (N)."""
    return create_table(fake, "items")


@pytest.fixture
def hash_table(fake: FakeDynamoDB) -> str:
    """``users``: hash key id (S) only."""
    return create_table(fake, "users", hash_key=("id", "S"), range_key=None)


@pytest.fixture
def indexed_table(fake: FakeDynamoDB) -> str:
    """``orders``: pk/sk plus GSI ``by_status`` (status S, total N; KEYS_ONLY) and LSI ``by_date`` (date S)."""
    return create_table(
        fake,
        "orders",
        extra_attributes={"status": "S", "total": "N", "date": "S"},
        gsis=[
            {
                "IndexName": "by_status",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "total", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        lsis=[
            {
                "IndexName": "by_date",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "date", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


def snapshot(fake: FakeDynamoDB) -> dict[str, list[dict[str, Any]]]:
    """Every table's items, for asserting that a rejected request changed nothing."""
    return {name: [dict(item) for item in t.store.items()] for name, t in fake.state.tables.items()}


@pytest.fixture(name="snapshot")
def snapshot_fixture() -> Any:
    return snapshot


@pytest.fixture(name="make_table")
def make_table_fixture(fake: FakeDynamoDB) -> Any:
    def make(name: str, **kwargs: Any) -> str:
        return create_table(fake, name, **kwargs)

    return make
