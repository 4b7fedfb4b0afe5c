"""Sample tables for the property tests, and the settings every property runs under.

Every key type in both key positions, and one table with a GSI, a KEYS_ONLY GSI and an INCLUDE
LSI. ``property_settings()`` fixes the budget (200 examples in CI, a quarter of that by default),
derandomized (the same examples on every run), no example database, no deadline.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

from aiodynamodb_fake.strategies import IndexSpec, TableSpec

__all__ = [
    "ALL_TABLES",
    "BINARY",
    "COMPOSITE",
    "HASH_N",
    "HASH_S",
    "INDEXED",
    "PLAIN_TABLES",
    "PROPERTY_EXAMPLES",
    "property_settings",
]

PROPERTY_EXAMPLES = 200
# The budget: "ci" runs every property's full count of examples; "dev" (the default, for ./run test
# on a laptop) a quarter of it, at least 10. CI sets AIODYNAMODB_HYPOTHESIS=ci.
BUDGET = os.environ.get("AIODYNAMODB_HYPOTHESIS", "dev")
if BUDGET not in ("dev", "ci"):
    raise ValueError(f"AIODYNAMODB_HYPOTHESIS must be 'dev' or 'ci', not {BUDGET!r}")


def property_settings(max_examples: int = PROPERTY_EXAMPLES, **overrides: Any) -> settings:
    """The settings of every property: derandomized (same examples on every run), no example
    database, no deadline (CI machines stall), and the reproduction blob printed on failure.
    ``max_examples`` is the CI budget; the dev budget takes a quarter of it."""
    options: dict[str, Any] = {
        "max_examples": max_examples if BUDGET == "ci" else max(10, max_examples // 4),
        "derandomize": True,
        "database": None,
        "deadline": None,
        "print_blob": True,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    }
    options.update(overrides)
    return settings(**options)


# --- sample tables: every key type in both positions, and one with indexes ----------------------

HASH_S = TableSpec("props_hash_s", "pk", "S")
COMPOSITE = TableSpec("props_composite", "pk", "S", "sk", "N")
HASH_N = TableSpec("props_hash_n", "k", "N")
BINARY = TableSpec("props_binary", "id", "B", "rk", "S")
PLAIN_TABLES = (HASH_S, COMPOSITE, HASH_N, BINARY)

# A GSI with a composite key (ALL), a hash-only GSI on a binary attribute (KEYS_ONLY) and an LSI
# (INCLUDE): items may lack any index attribute (sparse) and puts move them between index keys.
INDEXED = TableSpec(
    "props_indexed",
    "pk",
    "S",
    "sk",
    "N",
    indexes=(
        IndexSpec("by_g", "g", "S", "gs", "N", projection="ALL"),
        IndexSpec("by_h", "h", "B", projection="KEYS_ONLY"),
        IndexSpec(
            "by_l", "pk", "S", "l", "N", is_global=False, projection="INCLUDE", non_key_attributes=("a",)
        ),
    ),
)
ALL_TABLES = (*PLAIN_TABLES, INDEXED)
