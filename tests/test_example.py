"""The README's first command runs examples/batch_roundtrip.py: keep it working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "batch_roundtrip.py"


async def test_example_round_trip(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("batch_roundtrip", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "batch_roundtrip", module)  # pydantic resolves annotations there
    spec.loader.exec_module(module)
    await module.main()
    out = capsys.readouterr().out
    assert "wrote 300 orders (300 WCU), deleted one; unprocessed: []" in out
    assert "read back 299 orders (150 RCU); unprocessed: []" in out
    assert "table orders: 299 items" in out
