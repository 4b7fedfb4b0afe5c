"""The one seam between the client and a DynamoDB service, real or fake.

``operation`` is DynamoDB's action name (as in ``X-Amz-Target``); ``request`` and the returned dict
are that action's shapes exactly as botocore's low-level client takes and returns them
(AttributeValues like ``{"S": "x"}``, numbers as ``str``, binary as ``bytes``, no
``ResponseMetadata``). Errors are raised as ``aiodynamodb.errors`` classes. A transport never
retries, paginates or touches Python values: that is the client's job.

A transport whose service keeps its own time (the in-memory fake, on a virtual clock) may also
expose ``clock`` (with ``async sleep(seconds)``) and ``seed`` (an int): the client then backs off on
that clock, with jitter from ``random.Random(seed)``, wherever its retry policy was left at the
real clock and the global random. Nothing else about the service is visible to the client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["Transport"]


@runtime_checkable
class Transport(Protocol):
    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send one DynamoDB action and return its response, or raise an ``aiodynamodb.errors`` class."""
        ...

    async def close(self) -> None:
        """Release what the transport holds (connections, clients). Safe to call twice."""
        ...
