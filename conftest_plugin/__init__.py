"""aiodynamodb's pytest plugin, loaded by every pytest run through the ``pytest11`` entry point.

- Fixtures: ``ddb_fake`` (a fresh ``FakeDynamoDB`` on a ``VirtualClock``), ``ddb`` (an
  ``aiodynamodb.DynamoDB`` client on it, or on ``--ddb-endpoint``) and ``ddb_patch`` (``ddb_fake``
  with every boto3/aioboto3 DynamoDB client routed to it in process).
- Markers: ``ddb_tables(Model, ...)`` creates tables; ``ddb_throttle(rate, ...)`` throttles the fake.
- Options and ini keys: ``--ddb-throttle=RATE``, ``--ddb-seed=N``, ``--ddb-capacity`` run every fake
  the suite creates under chaos (with a seed per test derived from the suite seed and the test id);
  ``--ddb-endpoint=URL`` runs the ``ddb`` tests against a real endpoint.
- A failed test that used a fake gets an "aiodynamodb fake" report section: how to reproduce it,
  the faults injected and the last requests.

Importing this package stays cheap and free of side effects: nothing from the client, the fake,
pydantic, aioboto3 or hypothesis is imported until a fixture or an option needs it. Hypothesis
strategies for users live in ``aiodynamodb_fake.strategies``.
"""

from __future__ import annotations

from ._fixtures import ddb, ddb_fake, ddb_patch
from ._hooks import (
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_report_header,
    pytest_runtest_makereport,
    pytest_runtest_protocol,
    pytest_unconfigure,
)

__all__ = [
    "ddb",
    "ddb_fake",
    "ddb_patch",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_report_header",
    "pytest_runtest_makereport",
    "pytest_runtest_protocol",
    "pytest_unconfigure",
]
