"""Importing the plugin stays cheap (every pytest run pays for it), and the public strategies
module says which extra to install when hypothesis is missing. Fresh interpreters, so nothing this
test process already imported can hide an import."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("aiodynamodb", "aiodynamodb_fake", "pydantic", "aioboto3", "aiobotocore", "botocore", "hypothesis")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    probe = run_python(
        "import json, sys; import conftest_plugin; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == []


def test_strategies_without_hypothesis_name_the_extra() -> None:
    probe = run_python(
        "import sys; sys.modules['hypothesis'] = None\n"  # what an environment without it looks like
        "try:\n"
        "    import aiodynamodb_fake.strategies\n"
        "except ImportError as err:\n"
        "    print(err)\n"
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == (
        "aiodynamodb_fake.strategies needs hypothesis, which aiodynamodb does not install by default: "
        "pip install 'aiodynamodb[testing]'"
    )


def test_the_fake_does_not_need_hypothesis() -> None:
    probe = run_python(
        "import sys; sys.modules['hypothesis'] = None; import aiodynamodb_fake, aiodynamodb.testing"
    )
    assert probe.returncode == 0, probe.stderr
