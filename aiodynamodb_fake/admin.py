"""The admin endpoint (``serve --admin``): chaos and inspection at run time, as JSON over HTTP.

Framework-free: ``Admin(backend).handle(method, name, query, body)`` answers a request for
``/_admin/<name>`` with a status and a JSON object. The server routes ``/_admin/`` here only when
the admin endpoint is on; otherwise such paths are DynamoDB requests like any other (DynamoDB
ignores the path). Requests need no ``Authorization`` header. Endpoints:

- ``POST throttle`` / ``fail`` / ``unprocess``: declare a fault, with the keywords of the
  ``FakeDynamoDB`` method of that name (``admin_faults``);
- ``POST clear-faults``: remove every fault (``--throttle`` included);
- ``POST reset``: drop every table and item (on disk too with ``--data-dir``); faults and the
  request journal stay;
- ``GET snapshot``: every tenant's tables and items, items in DynamoDB JSON (blobs in base64);
- ``GET journal``: every tenant's last requests and the fault events they met;
- ``GET`` (the bare prefix): this list.

Each applies to every tenant, and a fault or ``clear-faults`` to every tenant made later too,
unless ``access_key_id`` and ``region`` (JSON body, or query string for GET) name one tenant (made
now for a fault, so it is in place before that client's first request). Under ``--shared-db`` or a
server of one fake, any name means the one database. Errors are ``{"error": <kind>, "message":
<text>}`` with status 400, 404 or 405.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

from aiodynamodb.errors import DynamoDBError

from .admin_faults import TENANT_FIELDS, FaultRequestError, parse_fault
from .databases import Backend, FaultKind, Tenant
from .service import FakeDynamoDB
from .sigv4 import CredentialScope
from .wire import encode_response

__all__ = ["ADMIN_PREFIX", "Admin", "AdminReply"]

ADMIN_PREFIX = "/_admin/"
_FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)


@dataclass(frozen=True, slots=True)
class AdminReply:
    status: int
    body: dict[str, Any] = field(default_factory=dict)

    def json(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=True).encode("ascii")


class _Refused(Exception):
    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.reply = AdminReply(status, {"error": kind, "message": message})


def _bad_request(message: str) -> _Refused:
    return _Refused(400, "BadRequest", message)


Handler = Callable[[dict[str, Any]], AdminReply]


class Admin:
    """The endpoint over one server's databases."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._routes: dict[str, tuple[frozenset[str], Handler]] = {
            "": (frozenset({"GET"}), self._index),
            **{kind: (frozenset({"POST"}), self._fault_handler(kind)) for kind in _FAULT_KINDS},
            "clear-faults": (frozenset({"POST"}), self._clear_faults),
            "reset": (frozenset({"POST"}), self._reset),
            "snapshot": (frozenset({"GET", "POST"}), self._snapshot),
            "journal": (frozenset({"GET", "POST"}), self._journal),
        }

    def handle(self, method: str, name: str, query: Mapping[str, str], body: bytes) -> AdminReply:
        """Answer ``method`` on ``/_admin/<name>``; never raises for anything a client sends."""
        route = self._routes.get(name.strip("/"))
        try:
            if route is None:
                raise _Refused(
                    404, "NotFound", f"no admin endpoint {ADMIN_PREFIX}{name}; there are {self._names()}"
                )
            methods, handler = route
            if method not in methods:
                raise _Refused(
                    405, "MethodNotAllowed", f"{ADMIN_PREFIX}{name} takes {' or '.join(sorted(methods))}"
                )
            return handler({**query, **_fields(body)})
        except _Refused as refused:
            return refused.reply

    def _names(self) -> str:
        return ", ".join(ADMIN_PREFIX + name for name in self._routes if name)

    # --- endpoints ----------------------------------------------------------------------------------

    def _index(self, fields: dict[str, Any]) -> AdminReply:
        return AdminReply(200, {"endpoints": [ADMIN_PREFIX + name for name in self._routes if name]})

    def _fault_handler(self, kind: FaultKind) -> Handler:
        def declare(fields: dict[str, Any]) -> AdminReply:
            try:
                spec = parse_fault(kind, fields, self._backend.operations)
            except FaultRequestError as err:
                raise _bad_request(str(err)) from None
            one = self._named(fields, create=True)
            targets = [one] if one is not None else self._backend.tenants()
            for tenant in targets:
                try:
                    spec.apply(_fake_of(tenant))
                except (ValueError, TypeError, DynamoDBError) as err:  # checked already: a safety net
                    raise _bad_request(f"{kind}: {err}") from None
            if one is None:
                self._backend.remember(spec)
            return _applied(targets, server_wide=one is None)

        return declare

    def _clear_faults(self, fields: dict[str, Any]) -> AdminReply:
        one = self._named(fields, create=False)
        targets = [one] if one is not None else self._backend.tenants()
        for tenant in targets:
            _fake_of(tenant).clear_faults()
        if one is None:
            self._backend.forget_faults()
        return _applied(targets, server_wide=one is None)

    def _reset(self, fields: dict[str, Any]) -> AdminReply:
        targets = self._targets(fields)
        for tenant in targets:
            _fake_of(tenant)
            tenant.reset()
        return _applied(targets, server_wide=False)

    def _snapshot(self, fields: dict[str, Any]) -> AdminReply:
        tenants = []
        for tenant in self._targets(fields):
            fake = _fake_of(tenant)
            tables: dict[str, Any] = {}
            for name in fake.table_names():
                try:
                    items = fake.items(name)
                except DynamoDBError:  # deleted since it was listed (by a caller of the fake's own)
                    continue
                tables[name] = {"Count": len(items), **encode_response("Scan", {"Items": items})}
            tenants.append({**tenant.describe(), "tables": tables})
        return AdminReply(200, {"tenants": tenants})

    def _journal(self, fields: dict[str, Any]) -> AdminReply:
        tenants = []
        for tenant in self._targets(fields):
            fake = _fake_of(tenant)
            tenants.append(
                {
                    **tenant.describe(),
                    "requests": [asdict(record) for record in fake.requests],
                    "events": [asdict(event) for event in fake.events],
                }
            )
        return AdminReply(200, {"tenants": tenants})

    # --- which tenants --------------------------------------------------------------------------------

    def _targets(self, fields: dict[str, Any]) -> list[Tenant]:
        one = self._named(fields, create=False)
        return [one] if one is not None else self._backend.tenants()

    def _named(self, fields: dict[str, Any], *, create: bool) -> Tenant | None:
        """The tenant ``fields`` name, or None when they name none (meaning: every tenant)."""
        given = [name for name in TENANT_FIELDS if fields.get(name) is not None]
        if not given:
            return None
        if len(given) != len(TENANT_FIELDS):
            raise _bad_request("name a tenant with both access_key_id and region, or neither")
        key, region = fields["access_key_id"], fields["region"]
        if not (isinstance(key, str) and isinstance(region, str) and key and region):
            raise _bad_request("access_key_id and region must be non-empty strings")
        scope = CredentialScope(key, region)
        if create:
            return self._backend.tenant(scope)
        tenant = self._backend.existing(scope)
        if tenant is None:
            raise _Refused(
                404,
                "NotFound",
                f"no request from access key id {key!r} in region {region!r} yet",
            )
        return tenant


def _fields(body: bytes) -> dict[str, Any]:
    """The JSON object a request body holds ({} for no body)."""
    if not body.strip():
        return {}
    try:
        fields = json.loads(body)
    except (ValueError, RecursionError) as err:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise _bad_request(f"the body is not JSON: {err}") from None
    if not isinstance(fields, dict):
        raise _bad_request(f"the body must be a JSON object, got {type(fields).__name__}")
    return fields


def _fake_of(tenant: Tenant) -> FakeDynamoDB:
    if tenant.fake is None:
        raise _bad_request("this server's service is not a FakeDynamoDB: it has no faults, tables or journal")
    return tenant.fake


def _applied(targets: list[Tenant], *, server_wide: bool) -> AdminReply:
    return AdminReply(200, {"tenants": [tenant.describe() for tenant in targets], "server_wide": server_wide})
