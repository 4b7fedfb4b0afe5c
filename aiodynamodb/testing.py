"""``mock_dynamodb(*models)``: a ``DynamoDB`` client on a fresh in-memory ``FakeDynamoDB``.

The only module of the client that imports the fake. Nothing touches the network or the process
environment: the published package's ``patch_env`` keyword is accepted for compatibility and has no
effect (the fake needs no credentials, so there is nothing to patch). Each ``async with`` gets its
own empty service with the models' tables created; the client is closed on exit.

Client and fake share one clock: the client's backoff sleeps on the fake's ``VirtualClock`` (so a
throttled test waits no wall time, and the fake's token buckets refill by exactly the waits) and
draws its jitter from a ``random.Random`` seeded with the fake's seed (so the waits are the same on
every run). The client makes that pairing itself from the transport's ``clock`` and ``seed`` (see
``aiodynamodb.transport``); ``policy_for_fake`` makes it for a client whose transport wraps a fake.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiodynamodb_fake import FakeDynamoDB

from .batch import DEFAULT, _Default
from .client import DynamoDB
from .models import DynamoModel
from .retry import RetryPolicy, paced

__all__ = ["mock_dynamodb", "policy_for_fake"]


def policy_for_fake(fake: FakeDynamoDB, retry: RetryPolicy | _Default | None = DEFAULT) -> RetryPolicy | None:
    """``retry`` made to run on ``fake``'s clock and seed; ``DEFAULT`` (no policy given) is a default
    ``RetryPolicy``, ``None`` ("send once") stays ``None``.

    Only what the caller left at its default is replaced: the real ``AsyncioClock`` and the global
    ``random.random``. A clock or random of the caller's own is kept.
    """
    if retry is None:
        return None
    policy = RetryPolicy() if isinstance(retry, _Default) else retry
    if not isinstance(policy, RetryPolicy):
        raise TypeError(f"retry must be a RetryPolicy or None, got {retry!r}")
    return paced(policy, fake.clock, random.Random(fake.seed).random)


@asynccontextmanager
async def mock_dynamodb(
    *models: type[DynamoModel],
    patch_env: bool = True,
    fake: FakeDynamoDB | None = None,
    **client_options: Any,
) -> AsyncIterator[DynamoDB]:
    """Yield a ``DynamoDB`` on ``fake`` (a new ``FakeDynamoDB()`` by default) with these tables.

    ``client_options`` go to ``DynamoDB`` (``retry=``, ``max_concurrency=``); the client backs off on
    the fake's clock, as it does on any transport with a clock. ``patch_env`` is ignored.
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
