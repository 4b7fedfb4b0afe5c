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


CHAOS = Path(__file__).resolve().parents[1] / "examples" / "chaos_demo.py"


async def test_chaos_demo_lands_every_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("chaos_demo", CHAOS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "chaos_demo", module)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ORDERS", 600)  # the same paths, a fifth of the work
    await module.main()
    out = capsys.readouterr().out
    assert out.count("landed 600/600, read back 600/600; still unprocessed: 0 writes, 0 reads") == 2
    throttled, capacity = out.split("capacity model on")
    assert "calls throttled whole" in throttled and "retries: 0 calls" not in throttled
    # 600 one-WCU writes into 25 WCU: at least (600 - 25) / 25 = 23 virtual seconds of waiting
    waited = float(capacity.split("virtual time spent backing off: ")[1].split(" s")[0])
    assert waited >= 23.0
