"""aiodynamodb_fake: an in-memory DynamoDB for tests, exact in its validation, errors and limits.

``FakeDynamoDB()`` is a fresh, empty service; ``await fake.call(operation, request)`` answers like
DynamoDB's low-level API and satisfies ``aiodynamodb.transport.Transport``. ``fake.patch()`` routes
boto3 / aioboto3 clients to it in process; ``ServerThread(fake)`` serves it over HTTP from a
background thread (imported on first use: the server pulls in aiohttp's web machinery).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import Clock, SystemClock, VirtualClock
from .service import FakeDynamoDB

if TYPE_CHECKING:
    from .server import ServerThread

__all__ = ["Clock", "FakeDynamoDB", "ServerThread", "SystemClock", "VirtualClock"]


def __getattr__(name: str) -> Any:
    if name == "ServerThread":
        from .server import ServerThread

        return ServerThread
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
