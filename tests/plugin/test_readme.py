"""The README's plugin snippets run as a user would run them: copied into a project of their own,
in pytest-asyncio's auto and strict modes, and under the suite-wide chaos options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.plugin.snippets import AUTO_INI, STRICT_INI

README = Path(__file__).resolve().parents[2] / "README.md"


def plugin_snippets() -> list[str]:
    """The python blocks of the README's pytest-plugin section, in order."""
    text = README.read_text()
    section = text[text.index("## Testing with the fake: the pytest plugin") :]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_has_the_chaos_test_and_the_strategies_example() -> None:
    snippets = plugin_snippets()
    assert len(snippets) == 2
    assert "ddb_throttle" in snippets[0] and "throttle_schedules" in snippets[1]


@pytest.mark.parametrize("ini", [AUTO_INI, STRICT_INI], ids=["auto", "strict"])
@pytest.mark.parametrize("chaos", [[], ["--ddb-throttle=0.3", "--ddb-seed=7"]], ids=["calm", "chaos"])
def test_the_readme_snippets_pass_as_written(pytester: pytest.Pytester, ini: str, chaos: list[str]) -> None:
    users, strategies = plugin_snippets()
    pytester.makeini(ini)
    pytester.makepyfile(test_users=users, test_strategies=strategies)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *chaos)
    result.assert_outcomes(passed=2)
