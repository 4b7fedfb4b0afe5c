"""aiodynamodb_fake: an in-memory DynamoDB for tests, exact in its validation, errors and limits.

``FakeDynamoDB()`` is a fresh, empty service; ``await fake.call(operation, request)`` answers like
DynamoDB's low-level API and satisfies ``aiodynamodb.transport.Transport``.
"""

from __future__ import annotations

from .clock import Clock, SystemClock, VirtualClock
from .service import FakeDynamoDB

__all__ = ["Clock", "FakeDynamoDB", "SystemClock", "VirtualClock"]
