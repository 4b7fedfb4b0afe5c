"""Fixtures for the operation tests: a fresh fake and tables of the usual shapes."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import create_table, snapshot


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


@pytest.fixture(name="snapshot")
def snapshot_fixture() -> Any:
    return snapshot


@pytest.fixture(name="make_table")
def make_table_fixture(fake: FakeDynamoDB) -> Any:
    def make(name: str, **kwargs: Any) -> str:
        return create_table(fake, name, **kwargs)

    return make
