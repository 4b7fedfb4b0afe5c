"""Shared tables and helpers for the property tests.

Each Hypothesis example needs a fresh fake, so the fixtures here are session-scoped *factories*
(a function-scoped fixture would be shared by every example of a test). Settings come from
``tests.support.tables.property_settings()``, applied per test, never as a global profile, so
the rest of the suite keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import TableSpec
from tests.support.tables import ALL_TABLES

Snapshot = tuple[tuple[str, str, int, int, tuple[str, ...]], ...]


def new_fake(specs: Iterable[TableSpec] = ALL_TABLES) -> FakeDynamoDB:
    """A fresh fake holding the given (empty) tables."""
    fake = FakeDynamoDB()
    for spec in specs:
        fake.call_sync("CreateTable", spec.create_table_request())
    return fake


def snapshot(fake: FakeDynamoDB) -> Snapshot:
    """Everything a failed call must leave alone, byte for byte: each table's name, status, item
    count, size and the ``repr`` of every stored item in storage order."""
    return tuple(
        (
            name,
            table.status,
            table.store.item_count,
            table.store.size_bytes,
            tuple(repr(item) for item in table.store.items()),
        )
        for name, table in sorted(fake.state.tables.items())
    )


def list_tables(fake: FakeDynamoDB) -> list[str]:
    names: list[str] = []
    request: dict[str, Any] = {}
    while True:
        page = fake.call_sync("ListTables", request)
        names.extend(page["TableNames"])
        if "LastEvaluatedTableName" not in page:
            return names
        request = {"ExclusiveStartTableName": page["LastEvaluatedTableName"]}


@pytest.fixture(scope="session")
def make_fake() -> Callable[..., FakeDynamoDB]:
    return new_fake


@pytest.fixture(scope="session")
def take_snapshot() -> Callable[[FakeDynamoDB], Snapshot]:
    return snapshot


@pytest.fixture(scope="session")
def table_names() -> Callable[[FakeDynamoDB], list[str]]:
    """Every table name, as ListTables pages through them."""
    return list_tables
