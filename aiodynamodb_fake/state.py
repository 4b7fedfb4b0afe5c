"""What one fake service holds: its tables (schema + storage), its clock, region and account.

Operations receive the ``ServiceState`` and do their reads and writes on it; the service holds a
lock around each operation, so nothing here locks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .clock import Clock
from .schema import TableSchema
from .storage import TableStore

__all__ = ["ServiceState", "Table"]


@dataclass(slots=True)
class Table:
    schema: TableSchema
    store: TableStore
    status: str = "ACTIVE"


@dataclass(slots=True)
class ServiceState:
    clock: Clock
    region: str
    account_id: str
    tables: dict[str, Table] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(0))  # ids; never the global random

    def table_arn(self, name: str) -> str:
        return f"arn:aws:dynamodb:{self.region}:{self.account_id}:table/{name}"

    def lookup(self, name_or_arn: str) -> Table | None:
        """The ACTIVE table with this name or ARN, else None."""
        name = name_or_arn
        if name_or_arn.startswith("arn:"):
            prefix = f"arn:aws:dynamodb:{self.region}:{self.account_id}:table/"
            if not name_or_arn.startswith(prefix):
                return None
            name = name_or_arn[len(prefix) :]
        table = self.tables.get(name)
        if table is None or table.status != "ACTIVE":
            return None
        return table
