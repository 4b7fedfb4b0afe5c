"""Hypothesis strategies for testing code that talks to DynamoDB (needs ``aiodynamodb[testing]``).

Everything is in botocore's low-level shapes (``{"S": "x"}``, numbers as text, binary as bytes),
valid by construction, and chosen to find the bugs batch code has: numbers written in many
equivalent forms (``"1.50"``, ``"15E-1"``), keys drawn from small pools so that writes collide,
lists of writes longer than one call takes, and throttle schedules for a ``FakeDynamoDB``.

- Tables: ``TableSpec`` (name, key schema, ``IndexSpec`` indexes), written out or read from a
  CreateTable request: ``TableSpec.from_create_table_request(db.create_table_request(User))``;
  ``key_identity`` compares keys by value.
- Values: ``attribute_values()``, ``attribute_names()``, ``number_values()``, ``number_texts()``,
  ``number_forms(Decimal)``, ``key_attribute_values("S" | "N" | "B")``.
- Keys and items: ``keys(spec)``, ``items(spec)``, ``write_requests(spec)``.
- Batches: ``write_request_lists(spec, unique_keys=False)`` and ``key_lists(spec)`` (colliding keys,
  several calls' worth), ``batch_write_requests(specs)`` and ``batch_get_requests(specs)`` (whole
  valid requests).
- Chaos: ``throttle_schedules(...)`` draws ``ThrottleSchedule`` values; ``schedule.apply(fake)``.

hypothesis is not a runtime dependency of aiodynamodb, so importing this module without it raises
an ``ImportError`` saying which extra to install.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (only to fail early, with the fix in the message)
except ImportError as err:  # pragma: no cover - exercised in a subprocess by the plugin tests
    raise ImportError(
        "aiodynamodb_fake.strategies needs hypothesis, which aiodynamodb does not install by default: "
        "pip install 'aiodynamodb[testing]'"
    ) from err

from ._strategies.chaos import ThrottleSchedule, throttle_schedules
from ._strategies.requests import (
    MAX_BATCH_GET_KEYS,
    MAX_BATCH_WRITES,
    batch_get_requests,
    batch_write_requests,
    items,
    key_lists,
    keys,
    write_request_lists,
    write_requests,
)
from ._strategies.specs import IndexSpec, KeySpec, KeyType, ProjectionType, TableSpec, key_identity
from ._strategies.values import (
    B_POOL,
    N_POOL,
    S_POOL,
    attribute_names,
    attribute_values,
    key_attribute_values,
    number_forms,
    number_texts,
    number_values,
)

__all__ = [
    "B_POOL",
    "MAX_BATCH_GET_KEYS",
    "MAX_BATCH_WRITES",
    "N_POOL",
    "S_POOL",
    "IndexSpec",
    "KeySpec",
    "KeyType",
    "ProjectionType",
    "TableSpec",
    "ThrottleSchedule",
    "attribute_names",
    "attribute_values",
    "batch_get_requests",
    "batch_write_requests",
    "items",
    "key_attribute_values",
    "key_identity",
    "key_lists",
    "keys",
    "number_forms",
    "number_texts",
    "number_values",
    "throttle_schedules",
    "write_request_lists",
    "write_requests",
]
