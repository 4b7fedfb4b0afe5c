"""What one fake service holds: its tables (schema + storage), its clock, region and account, and
the ClientRequestTokens of recent transactions.

Operations receive the ``ServiceState`` and do their reads and writes on it; the service holds a
lock around each operation, so nothing here locks.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock
from .schema import TableSchema
from .storage import TableStore

__all__ = ["RememberedToken", "ServiceState", "Table", "TokenStore"]

# choice: at most this many tokens are remembered (the oldest is forgotten first). DynamoDB keeps
# every token for its 10 minutes; a fake on a virtual clock that never advances would otherwise grow
# without bound, since botocore gives every TransactWriteItems call a fresh token.
MAX_REMEMBERED_TOKENS = 10_000


@dataclass(slots=True)
class Table:
    schema: TableSchema
    store: TableStore
    status: str = "ACTIVE"


@dataclass(frozen=True, slots=True)
class RememberedToken:
    """A successful TransactWriteItems call: when its token expires, a digest of what it asked, and
    the parts of its answer a replay repeats."""

    expires: float
    fingerprint: bytes
    answer: dict[str, Any]


class TokenStore:
    """ClientRequestToken -> ``RememberedToken``, forgetting a token once it expires (or, past
    ``limit``, the oldest). Tokens are kept in the order they were remembered, which is their expiry
    order (one lifetime for all), so forgetting is O(1) amortised per token."""

    __slots__ = ("_limit", "_tokens")

    def __init__(self, limit: int = MAX_REMEMBERED_TOKENS) -> None:
        self._limit = limit
        self._tokens: OrderedDict[str, RememberedToken] = OrderedDict()

    def get(self, token: str, now: float) -> RememberedToken | None:
        self._expire(now)
        return self._tokens.get(token)

    def remember(self, token: str, entry: RememberedToken, now: float) -> None:
        self._expire(now)
        self._tokens[token] = entry
        self._tokens.move_to_end(token)
        while len(self._tokens) > self._limit:
            self._tokens.popitem(last=False)

    def __len__(self) -> int:
        return len(self._tokens)

    def _expire(self, now: float) -> None:
        tokens = self._tokens
        while tokens:
            oldest = next(iter(tokens.values()))
            if oldest.expires > now:
                return
            tokens.popitem(last=False)


@dataclass(slots=True)
class ServiceState:
    clock: Clock
    region: str
    account_id: str
    tables: dict[str, Table] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(0))  # ids; never the global random
    transaction_tokens: TokenStore = field(default_factory=TokenStore)

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
