"""``--ddb-endpoint``: the ``ddb`` fixture's client on a real endpoint, its tables made and removed.

DynamoDB Local, DynamoDB itself or the fake's own HTTP server, through the aioboto3 transport.
Credentials are dummies unless the environment has some (DynamoDB Local and the fake accept any).
Tables are created before the test and deleted after it, waiting for ACTIVE and for the deletion to
finish (DynamoDB does both in the background). A table that already exists is never deleted: it
might be someone's data, so the test errors instead, naming it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from aiodynamodb import DynamoDB, DynamoModel

__all__ = ["endpoint_client", "skip_reason"]

DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
WAIT_SECONDS = 120.0
POLL_SECONDS = 0.2


def skip_reason(item: pytest.Item, endpoint: str) -> str | None:
    """Why ``item`` cannot run against ``endpoint``: it needs the in-memory fake's controls."""
    if "ddb_fake" in getattr(item, "fixturenames", ()):
        need = "uses the ddb_fake fixture"
    elif item.get_closest_marker("ddb_throttle") is not None:
        need = "carries the ddb_throttle marker"
    else:
        return None
    return (
        f"{need}, which needs the in-memory fake; --ddb-endpoint={endpoint} runs ddb tests on that endpoint"
    )


def client_options(endpoint: str) -> dict[str, Any]:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    options: dict[str, Any] = {"endpoint_url": endpoint, "region_name": region}
    has_credentials = (
        os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY")
    ) or os.environ.get("AWS_PROFILE")
    if not has_credentials:
        options.update(DUMMY_CREDENTIALS)
    return options


async def _wait(db: DynamoDB, table: str, *, gone: bool) -> None:
    from aiodynamodb.errors import ResourceNotFoundException

    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        try:
            answer = await db.transport.call("DescribeTable", {"TableName": table})
        except ResourceNotFoundException:
            if gone:
                return
            answer = {}
        if not gone and answer.get("Table", {}).get("TableStatus") == "ACTIVE":
            return
        if loop.time() > deadline:
            state = "deleted" if gone else "ACTIVE"
            raise TimeoutError(f"table {table!r} was not {state} after {WAIT_SECONDS:g} s")
        await asyncio.sleep(POLL_SECONDS)


async def _create(db: DynamoDB, model: type[DynamoModel]) -> None:
    from aiodynamodb.errors import ResourceInUseException

    name = model.Meta.table_name
    try:
        await db.create_table(model)
    except ResourceInUseException:
        pytest.fail(
            f"table {name!r} already exists at the --ddb-endpoint; the plugin never deletes a table it "
            "did not create (delete it yourself if it is left over from an interrupted run)",
            pytrace=False,
        )
    await _wait(db, name, gone=False)


async def _delete(db: DynamoDB, model: type[DynamoModel]) -> None:
    from aiodynamodb.errors import ResourceNotFoundException

    try:
        await db.delete_table(model)
    except ResourceNotFoundException:
        return
    await _wait(db, model.Meta.table_name, gone=True)


@asynccontextmanager
async def endpoint_client(endpoint: str, models: Sequence[type[DynamoModel]]) -> AsyncIterator[DynamoDB]:
    """A client on ``endpoint`` with the models' tables, deleted again on exit (even on failure)."""
    from aiodynamodb import DynamoDB

    async with DynamoDB(**client_options(endpoint)) as db:
        created: list[type[DynamoModel]] = []
        try:
            for model in models:
                await _create(db, model)
                created.append(model)
            yield db
        finally:
            for model in reversed(created):
                await _delete(db, model)
