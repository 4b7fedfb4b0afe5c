"""aiodynamodb's pytest plugin, loaded by every pytest run through the ``pytest11`` entry point.

Importing this package must stay cheap and free of side effects: it imports nothing from the fake,
from hypothesis or from the client. Hypothesis strategies shared with the project's own property
tests live in ``conftest_plugin.strategies`` and are imported only by the tests that use them.
"""

from __future__ import annotations
