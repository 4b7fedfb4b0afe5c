"""``mock_dynamodb(*models)``: a ``DynamoDB`` client on a fresh in-memory ``FakeDynamoDB``.

The only module of the client that imports the fake. Nothing touches the network or the process
environment: the published package's ``patch_env`` keyword is accepted for compatibility and has no
effect (the fake needs no credentials, so there is nothing to patch). Each ``async with`` gets its
own empty service with the models' tables created; the client is closed on exit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiodynamodb_fake import FakeDynamoDB

from .client import DynamoDB
from .models import DynamoModel

__all__ = ["mock_dynamodb"]


@asynccontextmanager
async def mock_dynamodb(
    *models: type[DynamoModel],
    patch_env: bool = True,
    fake: FakeDynamoDB | None = None,
    **client_options: Any,
) -> AsyncIterator[DynamoDB]:
    """Yield a ``DynamoDB`` on ``fake`` (a new ``FakeDynamoDB()`` by default) with these tables.

    ``client_options`` go to ``DynamoDB`` (``retry=``, ``max_concurrency=``). ``patch_env`` is ignored.
    """
    del patch_env  # kept so published call sites run unchanged; see the module docstring
    service = fake if fake is not None else FakeDynamoDB()
    db = DynamoDB(transport=service, **client_options)
    try:
        for model in models:
            await db.create_table(model)
        yield db
    finally:
        await db.close()
