"""Separate data per client, as DynamoDB Local keeps it: one service per (access key id, region).

The server reads each request's SigV4 credential scope (``sigv4``; a malformed header is refused
there, before the body is looked at) and asks ``Tenants.for_scope`` for the service answering it:
each tenant's service is made on first use by ``make_service(scope)``, so its ARNs can name its
region, its data can live in its own directory and its chaos settings are the server's. With
``shared=True`` (the server's ``--shared-db``) every scope gets the one service made for scope None,
but a request must still carry a well-formed header. ``tenant_label`` names a tenant's directory.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .sigv4 import CredentialScope

__all__ = ["SHARED_LABEL", "Tenants", "tenant_label"]

S = TypeVar("S")

SHARED_LABEL = "shared-local-instance"  # DynamoDB Local's file name for -sharedDb
_MAX_LABEL = 120  # well under any file system's name limit; longer labels end in a digest


def _escape(text: str) -> str:
    # "_" separates key and region, so it is escaped inside them: labels never collide
    return "".join(c if c.isalnum() or c in "-." else f"%{ord(c):02X}" for c in text)


def tenant_label(scope: CredentialScope | None) -> str:
    """A file-name-safe label, unique per tenant (DynamoDB Local names its files ``<key>_<region>.db``).

    Never ``.`` or ``..`` (it always holds an ``_``); past ``_MAX_LABEL`` characters it is cut and
    ends in a digest of the whole, so distinct tenants keep distinct labels.
    """
    if scope is None:
        return SHARED_LABEL
    label = f"{_escape(scope.access_key_id)}_{_escape(scope.region)}"
    if len(label) <= _MAX_LABEL:
        return label
    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{label[: _MAX_LABEL - 17]}~{digest}"


class Tenants(Generic[S]):
    """The services of one server, by credential scope; safe to use from several threads."""

    def __init__(self, make_service: Callable[[CredentialScope | None], S], *, shared: bool = False) -> None:
        self._make_service = make_service
        self.shared = shared
        self._services: dict[CredentialScope | None, S] = {}
        self._lock = threading.Lock()

    def key(self, scope: CredentialScope | None) -> CredentialScope | None:
        """The scope whose service answers ``scope``: itself, or None when shared."""
        return None if self.shared else scope

    def for_scope(self, scope: CredentialScope | None) -> S:
        """The service of ``scope``, made now if it has none yet."""
        key = self.key(scope)
        with self._lock:
            service = self._services.get(key)
            if service is None:
                service = self._services[key] = self._make_service(key)
            return service

    def get(self, scope: CredentialScope | None) -> S | None:
        """The service of ``scope`` if it has one, without making it."""
        with self._lock:
            return self._services.get(self.key(scope))

    def __iter__(self) -> Iterator[tuple[CredentialScope | None, S]]:
        """Every service made so far with its scope (None for the shared one), in creation order."""
        with self._lock:
            return iter(list(self._services.items()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._services)
