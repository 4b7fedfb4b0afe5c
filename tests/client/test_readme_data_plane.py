"""The README's "Queries, updates and transactions" block runs as written, on the fake."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def data_plane_block() -> str:
    text = README.read_text()
    section = text[text.index("### Queries, updates and transactions") :]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)[0]


async def test_the_readme_block_runs_on_the_fake() -> None:
    block = data_plane_block()
    head, _, body = block.partition("async with ")
    source = head + "async def main() -> None:\n" + textwrap.indent("async with " + body, "    ")
    namespace: dict[str, object] = {}
    exec(compile(source, "README.md", "exec", dont_inherit=True), namespace)
    await namespace["main"]()  # type: ignore[operator]
