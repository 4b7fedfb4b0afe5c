"""The README's boto3 examples ("Three ways in") run as written, in an environment with no AWS
credentials or region configured (the e2e conftest clears them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def three_ways_in_blocks() -> list[str]:
    text = README.read_text()
    start = text.index("### Three ways in")
    section = text[start : text.index("\n## ", start)]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_shows_the_patch_and_the_server() -> None:
    patch, server = three_ways_in_blocks()
    assert "fake.patch()" in patch and "batch_writer" in patch and "ServerThread" in server


@pytest.mark.parametrize("index", [0, 1], ids=["patch", "server"])
def test_each_example_runs_as_written(index: int) -> None:
    source = three_ways_in_blocks()[index]
    exec(compile(source, "README.md", "exec", dont_inherit=True), {"__name__": "readme"})


def readme_curl_commands() -> list[tuple[str, str, str | None]]:
    """(method, admin path, JSON body or None) of each curl line of the README's admin example."""
    text = README.read_text()
    commands = []
    for line in re.findall(r"^curl .*$", text, flags=re.MULTILINE):
        command = line.split("#")[0].strip()
        method = "POST" if "-X POST" in command else "GET"
        path = re.search(r"localhost:8000(/_admin/[\w-]+)", command)
        body = re.search(r"-d '(.*)'", command)
        assert path is not None, line
        commands.append((method, path.group(1), None if body is None else body.group(1)))
    return commands


def test_the_readme_admin_commands_work_as_written() -> None:
    from aiodynamodb_fake.databases import Databases
    from aiodynamodb_fake.server import ServerThread
    from tests.e2e.test_admin import call

    commands = readme_curl_commands()
    assert [path for _, path, _ in commands] == [
        "/_admin/throttle",
        "/_admin/fail",
        "/_admin/clear-faults",
        "/_admin/journal",
    ]
    with ServerThread(databases=Databases(), admin=True) as server:
        for method, path, body in commands:
            status, answer = call(server.port, method, path, None if body is None else body.encode())
            assert status == 200, (path, answer)
