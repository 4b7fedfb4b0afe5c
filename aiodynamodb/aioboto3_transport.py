"""The production transport: DynamoDB actions sent through one held aioboto3 low-level client.

The client is opened on first use behind a lock and kept until ``close()``; ``session.client``
receives the caller's keyword arguments (``endpoint_url``, ``region_name``, ``config``...) unchanged,
except that botocore's own retries are switched off: the ``DynamoDB`` client retries under its
``RetryPolicy``, and two layers of retries would multiply. Botocore's ``ClientError`` is translated
into ``aiodynamodb.errors`` here and nowhere else. Requests and responses are the low-level client's
shapes (``ResponseMetadata`` removed), as ``aiodynamodb.transport`` specifies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .errors import from_client_error

__all__ = ["Aioboto3Transport"]

# total_max_attempts counts the first send, so 1 means botocore never resends.
_NO_BOTOCORE_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


class Aioboto3Transport:
    """``Transport`` over ``session.client("dynamodb", **client_kwargs)``."""

    def __init__(self, session: aioboto3.Session | None = None, **client_kwargs: Any) -> None:
        self._session = session if session is not None else aioboto3.Session()
        config = client_kwargs.pop("config", None)
        self._client_kwargs = client_kwargs
        self._config = _NO_BOTOCORE_RETRIES if config is None else config.merge(_NO_BOTOCORE_RETRIES)
        self._context: AbstractAsyncContextManager[Any] | None = None
        self._client: Any = None
        self._methods: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def client(self) -> Any:
        """The held low-level client (opened now if needed)."""
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                context = self._session.client("dynamodb", config=self._config, **self._client_kwargs)
                client = await context.__aenter__()
                self._methods = {api: method for method, api in client.meta.method_to_api_mapping.items()}
                self._context, self._client = context, client
        return self._client

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        client = await self.client()
        method = self._methods.get(operation)
        if method is None:
            raise ValueError(f"DynamoDB has no action named {operation!r}")
        try:
            response: dict[str, Any] = await getattr(client, method)(**request)
        except ClientError as err:
            raise from_client_error(err) from err
        response.pop("ResponseMetadata", None)
        return response

    async def exceptions(self) -> Any:
        """botocore's exception namespace of the held client."""
        return (await self.client()).exceptions

    async def close(self) -> None:
        async with self._lock:
            context, self._context, self._client = self._context, None, None
            if context is not None:
                await context.__aexit__(None, None, None)
