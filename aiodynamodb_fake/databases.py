"""What a server serves: one fake for every request, or one per tenant as DynamoDB Local keeps them.

``SingleDatabase(fake)`` is what ``ServerThread(fake)`` and ``start_server(fake)`` serve: the given
service answers every request, whatever its ``Authorization`` header (or none). ``Databases(settings)``
is what the command line serves: a ``FakeDynamoDB`` per (access key id, region) of the SigV4
credential scope (``tenants``), or one for all with ``shared``; each made on first use with the
tenant's region (its ARNs) and the server's chaos settings (throttle rate, seed, capacity model),
kept durable in ``data_dir/<tenant label>/`` when a data directory is given (``durability``), and
given every server-wide fault declared so far (``FaultSpec``, from the admin endpoint or
``--throttle``), so a tenant made later runs under the same chaos as those before it. Tenants kept
in ``data_dir`` are loaded (and compacted) when the ``Databases`` is made; ``close`` compacts them.
DynamoDB Local's model: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from aiodynamodb.errors import DynamoDBError

from .clock import Clock, SystemClock
from .durability import DurableService, WriteLog
from .operations import OPERATIONS
from .protocol import SyncService
from .service import FakeDynamoDB
from .sigv4 import CredentialScope
from .tenants import SHARED_LABEL, Tenants, tenant_label

__all__ = [
    "Backend",
    "DatabaseSettings",
    "Databases",
    "FaultKind",
    "FaultSpec",
    "SingleDatabase",
    "Tenant",
]

logger = logging.getLogger("aiodynamodb_fake.server")

FaultKind = Literal["throttle", "fail", "unprocess"]
DEFAULT_REGION = "us-east-1"  # the shared database's region (its ARNs); DynamoDB Local's default too
_TENANT_FILE = "tenant.json"  # who a data directory belongs to: labels may be cut short


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """A fault to declare on fakes: ``kind`` is the ``FakeDynamoDB`` method, ``arguments`` its keywords."""

    kind: FaultKind
    arguments: Mapping[str, Any]

    def apply(self, fake: FakeDynamoDB) -> None:
        """Declare it on ``fake``; raises what the method raises for bad arguments (ValueError...)."""
        method: Callable[..., object] = getattr(fake, self.kind)
        method(**self.arguments)


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    """How a ``Databases`` makes each tenant's fake. ``throttle``: a server-wide throttle rate (0:
    none); ``seed``: each fake's seed (table ids, fault draws); ``clock``: made once per fake."""

    throttle: float = 0.0
    seed: int | None = None
    capacity: bool = False
    data_dir: Path | None = None
    shared: bool = False
    clock: Callable[[], Clock] = SystemClock
    region: str = DEFAULT_REGION  # of the shared database


@dataclass(eq=False, slots=True)
class Tenant:
    """One tenant: the service answering it, and the fake behind it (None for a stand-in service)."""

    scope: CredentialScope | None
    service: SyncService
    fake: FakeDynamoDB | None
    durable: DurableService | None = None

    @property
    def name(self) -> str:
        """How logs name it: ``key/region``, or ``shared``."""
        return "shared" if self.scope is None else f"{self.scope.access_key_id}/{self.scope.region}"

    def describe(self) -> dict[str, str | None]:
        """Its identity as the admin endpoint shows it (nulls for the shared database)."""
        scope = self.scope
        return {
            "access_key_id": None if scope is None else scope.access_key_id,
            "region": None if scope is None else scope.region,
        }

    def reset(self) -> None:
        """Drop every table and item (on disk too); faults and the request journal stay."""
        if self.durable is not None:
            self.durable.reset()
        elif self.fake is not None:
            self.fake.drop_tables()
        else:
            raise TypeError("this server's service is not a FakeDynamoDB: it cannot be reset")

    def close(self) -> None:
        if self.durable is not None:
            self.durable.close()


class Backend(Protocol):
    """What the HTTP handler and the admin endpoint need of the databases they serve."""

    @property
    def requires_auth(self) -> bool: ...

    @property
    def operations(self) -> frozenset[str]: ...

    def tenant(self, scope: CredentialScope | None) -> Tenant:
        """The tenant answering ``scope``, made now if new."""
        ...

    def existing(self, scope: CredentialScope | None) -> Tenant | None:
        """The tenant answering ``scope`` if it was made already."""
        ...

    def tenants(self) -> list[Tenant]: ...

    def remember(self, fault: FaultSpec) -> None:
        """Declare ``fault`` on every tenant made from now on."""
        ...

    def forget_faults(self) -> None: ...

    def close(self) -> None: ...


class SingleDatabase:
    """One service for every request: no ``Authorization`` header is needed, any is accepted."""

    requires_auth = False

    def __init__(self, service: SyncService) -> None:
        fake = service if isinstance(service, FakeDynamoDB) else None
        self._tenant = Tenant(None, service, fake)

    @property
    def operations(self) -> frozenset[str]:
        return self._tenant.service.operations

    def tenant(self, scope: CredentialScope | None) -> Tenant:
        return self._tenant

    def existing(self, scope: CredentialScope | None) -> Tenant | None:
        return self._tenant

    def tenants(self) -> list[Tenant]:
        return [self._tenant]

    def remember(self, fault: FaultSpec) -> None:
        """Nothing to remember: no tenant is ever made after this one."""

    def forget_faults(self) -> None:
        """Nothing remembered."""

    def close(self) -> None:
        """The service is the caller's: it is left open."""


class Databases:
    """A fake per tenant (or one shared), made on first use; see the module docstring."""

    requires_auth = True

    def __init__(self, settings: DatabaseSettings | None = None) -> None:
        self.settings = settings = settings or DatabaseSettings()
        self._faults: list[FaultSpec] = []
        self._faults_lock = threading.Lock()
        if settings.throttle:
            self._faults.append(FaultSpec("throttle", {"rate": settings.throttle}))
        self._tenants: Tenants[Tenant] = Tenants(self._make, shared=settings.shared)
        self._operations = frozenset(OPERATIONS)
        if settings.data_dir is not None:
            settings.data_dir.mkdir(parents=True, exist_ok=True)  # an unusable directory fails now
            self._load_kept(settings.data_dir)

    @property
    def operations(self) -> frozenset[str]:
        return self._operations

    def tenant(self, scope: CredentialScope | None) -> Tenant:
        return self._tenants.for_scope(scope)

    def existing(self, scope: CredentialScope | None) -> Tenant | None:
        return self._tenants.get(scope)

    def tenants(self) -> list[Tenant]:
        return [tenant for _, tenant in self._tenants]

    def remember(self, fault: FaultSpec) -> None:
        with self._faults_lock:
            self._faults.append(fault)

    def forget_faults(self) -> None:
        with self._faults_lock:
            self._faults.clear()

    def close(self) -> None:
        """Compact and release every durable tenant (a clean shutdown leaves only snapshots)."""
        for tenant in self.tenants():
            try:
                tenant.close()
            except OSError:
                logger.exception("could not compact the data of tenant %s", tenant.name)

    # --- making tenants ---------------------------------------------------------------------------

    def _make(self, scope: CredentialScope | None) -> Tenant:
        settings = self.settings
        fake = FakeDynamoDB(
            clock=settings.clock(),
            seed=settings.seed,
            region=settings.region if scope is None else scope.region,
            capacity=settings.capacity,
        )
        with self._faults_lock:
            faults = list(self._faults)
        for fault in faults:
            try:
                fault.apply(fake)
            except (ValueError, TypeError, DynamoDBError) as err:  # the admin endpoint checks them first
                logger.warning(
                    "fault %s %s not declared on tenant %s: %s", fault.kind, fault.arguments, scope, err
                )
        if settings.data_dir is None:
            return Tenant(scope, fake, fake)
        directory = settings.data_dir / tenant_label(scope)
        directory.mkdir(parents=True, exist_ok=True)
        _write_owner(directory, scope)
        durable = DurableService(fake, WriteLog(directory))
        return Tenant(scope, durable, fake, durable)

    def _load_kept(self, data_dir: Path) -> None:
        """Make (load and compact) every tenant kept in ``data_dir`` of this server's kind."""
        for directory in sorted(data_dir.iterdir()):
            owner = _read_owner(directory)
            if owner is None:
                continue
            shared, scope = owner
            if shared == self.settings.shared:
                self._tenants.for_scope(scope)


def _write_owner(directory: Path, scope: CredentialScope | None) -> None:
    path = directory / _TENANT_FILE
    if path.exists():
        return
    owner: dict[str, Any] = (
        {"shared": True}
        if scope is None
        else {
            "access_key_id": scope.access_key_id,
            "region": scope.region,
        }
    )
    temporary = directory / (_TENANT_FILE + ".tmp")
    temporary.write_text(json.dumps(owner), encoding="utf-8")
    os.replace(temporary, path)


def _read_owner(directory: Path) -> tuple[bool, CredentialScope | None] | None:
    """``(shared, scope)`` of a tenant's directory; None for anything else (logged if unreadable)."""
    path = directory / _TENANT_FILE
    if not path.is_file():
        return None
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
        if owner.get("shared") is True:
            return (True, None) if directory.name == SHARED_LABEL else None
        key, region = owner["access_key_id"], owner["region"]
        if not (isinstance(key, str) and isinstance(region, str) and key and region):
            raise ValueError("access_key_id and region must be non-empty strings")
    except (OSError, ValueError, KeyError, AttributeError) as err:
        logger.warning("skipping %s: %s is unreadable (%s)", directory, _TENANT_FILE, err)
        return None
    scope = CredentialScope(key, region)
    if directory.name != tenant_label(scope):
        logger.warning("skipping %s: it holds the data of %s/%s", directory, key, region)
        return None
    return False, scope
