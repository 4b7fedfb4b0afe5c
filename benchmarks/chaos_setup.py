"""Figure 1 of ``chaos_bench``: what setting up one test with two tables costs, ours against the published.

Ours, three ways, each a mean per test: ``async with mock_dynamodb(ModelA, ModelB)`` (a fresh
``FakeDynamoDB`` on its own ``VirtualClock``, a client, two ``CreateTable`` calls, close); the steps
the ``ddb_fake`` + ``ddb`` fixtures take, through public API; and the real ``ddb`` fixture in a pytest
run, as the set-up + teardown time of a test using it minus that of a fixture-less async test in the
same run (so pytest's and pytest-asyncio's own per-test work is not counted). The baseline: the
published package's moto-based ``mock_dynamodb(ModelA, ModelB)`` entered and left per test
(``published_bench.py setup`` in ``benchmarks/.venv-published``).
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiodynamodb import DynamoDB
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb_fake import FakeDynamoDB, VirtualClock

from .client_bench import HERE, _clean_env, published_python
from .fake_bench import BenchmarkError, Sample, _clock, _since
from .published_bench import ModelA, ModelB

__all__ = ["MIN_SETUP_RATIO", "ours_setup", "published_setup", "pytest_setup", "report_setup"]

MIN_SETUP_RATIO = 50.0  # published/ours, from issue 6's "Done when"


async def _mock_dynamodb_test() -> None:
    async with mock_dynamodb(ModelA, ModelB):
        pass


def _make_fixture_test() -> Callable[[], Any]:
    """The ``ddb_fake`` + ``ddb`` fixtures' steps through public API only: a fake with a per-test seed
    on a fresh ``VirtualClock``, both tables created by ``call_sync``, a client on it, closed after."""
    numbers = iter(range(1 << 62))

    async def one_test() -> None:
        digest = hashlib.sha256(f"0\x00tests/test_x.py::test_{next(numbers)}".encode()).digest()
        fake = FakeDynamoDB(clock=VirtualClock(), seed=int.from_bytes(digest[:4], "big"))
        builder = DynamoDB(transport=fake)
        for model in (ModelA, ModelB):
            fake.call_sync("CreateTable", builder.create_table_request(model))
        async with mock_dynamodb(fake=fake):
            pass

    return one_test


async def _per_test(one_test: Callable[[], Any], iterations: int) -> Sample:
    """Mean (wall, CPU) seconds of ``one_test`` over ``iterations``, after one untimed warm-up."""
    await one_test()
    gc.collect()
    start = _clock()
    for _ in range(iterations):
        await one_test()
    wall, cpu = _since(start)
    return wall / iterations, cpu / iterations


async def _check_setup() -> None:
    """``mock_dynamodb`` really creates the two tables (outside the timings)."""
    async with mock_dynamodb(ModelA, ModelB) as db:
        fake = db.transport
        names = fake.table_names() if isinstance(fake, FakeDynamoDB) else []
    if names != sorted([ModelA.Meta.table_name, ModelB.Meta.table_name]):
        raise BenchmarkError(f"mock_dynamodb created {names}, not the two tables")


def ours_setup(iterations: int) -> dict[str, Sample]:
    async def run() -> dict[str, Sample]:
        await _check_setup()
        return {
            "mock_dynamodb(ModelA, ModelB)": await _per_test(_mock_dynamodb_test, iterations),
            "ddb fixture steps, no pytest": await _per_test(_make_fixture_test(), iterations),
        }

    return asyncio.run(run())


# --- the real fixture, in a pytest run --------------------------------------------------------------

# Times each test's setup and teardown phases (fixtures are set up and torn down there, not in the call).
_CONFTEST = """
import json, os, time
import pytest

TIMES = {}


def _timed(item):
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        took = TIMES.setdefault(item.name, [0.0, 0.0])
        took[0] += time.perf_counter() - wall
        took[1] += time.process_time() - cpu


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    yield from _timed(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield from _timed(item)


def pytest_sessionfinish(session):
    with open(os.environ["CHAOS_BENCH_OUT"], "w") as out:
        json.dump(TIMES, out)
"""

# Tests with ``ddb`` and fixture-less tests alternate, so a change of load hits both kinds alike.
_TESTS = """
import pytest
from benchmarks.published_bench import ModelA, ModelB

TABLES = sorted([ModelA.Meta.table_name, ModelB.Meta.table_name])


def _with_ddb():
    @pytest.mark.asyncio
    @pytest.mark.ddb_tables(ModelA, ModelB)
    async def test(ddb):
        assert ddb.transport.table_names() == TABLES

    return test


def _plain():
    @pytest.mark.asyncio
    async def test():
        pass

    return test


for number in range({count}):
    globals()[f"test_ddb_{{number}}"] = _with_ddb()
    globals()[f"test_plain_{{number}}"] = _plain()
"""

_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"


def pytest_setup(iterations: int) -> dict[str, Sample] | str:
    """Mean (wall, CPU) of setup + teardown per test, ``ddb`` and fixture-less, over ``iterations``
    of each (the first of each left out as warm-up); or why the pytest run failed."""
    with tempfile.TemporaryDirectory(prefix="chaos_bench_") as tmp:
        root = Path(tmp)
        (root / "conftest.py").write_text(_CONFTEST)
        (root / "test_setup.py").write_text(_TESTS.format(count=iterations + 1))
        (root / "pytest.ini").write_text(_INI)
        out = root / "times.json"
        env = {**_clean_env(), "PYTHONPATH": str(HERE.parent), "CHAOS_BENCH_OUT": str(out)}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(root / "pytest.ini")],
            capture_output=True,
            text=True,
            cwd=root,
            env=env,
        )
        if done.returncode != 0 or not out.exists():
            said = (done.stdout + done.stderr).strip().splitlines()
            return said[-1] if said else f"exit status {done.returncode}"
        times: dict[str, list[float]] = json.loads(out.read_text())
    means: dict[str, Sample] = {}
    for kind in ("ddb", "plain"):
        took = [times[f"test_{kind}_{number}"] for number in range(1, iterations + 1)]
        means[kind] = (sum(t[0] for t in took) / iterations, sum(t[1] for t in took) / iterations)
    return means


# --- the published package ------------------------------------------------------------------------


def published_setup(iterations: int) -> dict[str, Any] | None:
    """The published ``mock_dynamodb(ModelA, ModelB)`` per test, or ``None`` when it cannot run."""
    python = published_python()
    if python is None:
        return None
    try:
        out = subprocess.run(
            [python, str(HERE / "published_bench.py"), "setup", str(iterations)],
            capture_output=True,
            text=True,
            check=True,
            cwd=HERE,  # whose path holds no ``aiodynamodb``, so the published package is imported
            env=_clean_env(),
        )
    except subprocess.CalledProcessError as err:
        print(err.stderr, file=sys.stderr)
        raise
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


# --- report ---------------------------------------------------------------------------------------


def report_setup(
    ours: dict[str, Sample],
    in_pytest: dict[str, Sample] | str,
    theirs: dict[str, Any] | None,
    published_n: int,
    skipped: bool,
) -> list[bool]:
    """The table; one verdict per row of ours (none when the baseline could not run)."""
    print("1. Set-up of one test: two tables created on a fresh service, client closed; mean per test")
    print(f"   {'':40} {'wall ms':>9} {'CPU ms':>9}  {'published/ours':>14} {'target':>8}")
    if theirs is None:
        why = "skipped" if skipped else "unavailable (needs Python 3.12, see published_venv.sh)"
        print(f"   published baseline {why}: not judged")
    else:
        print(
            f"   {'published mock_dynamodb (moto)':40} {theirs['setup_s'] * 1e3:>9.2f} "
            f"{theirs['setup_cpu_s'] * 1e3:>9.2f}  (mean of {published_n}; first, cold: "
            f"{theirs['setup_first_s'] * 1e3:.0f} ms)"
        )
    rows = {f"ours {name}": figure for name, figure in ours.items()}
    if isinstance(in_pytest, dict):
        (ddb_wall, ddb_cpu), (plain_wall, plain_cpu) = in_pytest["ddb"], in_pytest["plain"]
        rows["ours ddb fixture in pytest (*)"] = (ddb_wall - plain_wall, ddb_cpu - plain_cpu)
    passed: list[bool] = []
    for name, (wall, cpu) in rows.items():
        line = f"   {name:40} {wall * 1e3:>9.3f} {cpu * 1e3:>9.3f}"
        if theirs is not None:
            ratio = theirs["setup_s"] / wall
            ok = ratio >= MIN_SETUP_RATIO
            passed.append(ok)
            line += (
                f"  {ratio:>13.0f}x {'>= ' + format(MIN_SETUP_RATIO, 'g') + 'x':>8} "
                f"{'PASS' if ok else 'FAIL'}  (CPU {theirs['setup_cpu_s'] / cpu:.0f}x)"
            )
        print(line)
    if isinstance(in_pytest, dict):
        print(
            f"   (*) setup + teardown of a test using ddb with @ddb_tables(ModelA, ModelB), "
            f"{in_pytest['ddb'][0] * 1e3:.3f} ms,\n       minus a fixture-less async test's, "
            f"{in_pytest['plain'][0] * 1e3:.3f} ms, in one pytest run"
        )
    else:
        print(f"   ddb fixture in pytest: the pytest run failed ({in_pytest}); not measured")
    return passed
