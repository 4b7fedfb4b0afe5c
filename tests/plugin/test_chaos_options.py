"""``--ddb-throttle``/``--ddb-seed``/``--ddb-capacity`` and their ini keys: every fake the suite
creates runs under them, with a seed per test that depends only on the suite seed and the test id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiodynamodb_fake.suite import suite_chaos
from conftest_plugin._settings import derive_seed
from tests.plugin.snippets import AUTO_INI, MODELS

# Each test writes the seed and the faults of the fakes it made to <test name>.json, for comparison.
CHAOS_TESTS = """
import json

from aiodynamodb.testing import mock_dynamodb
from aiodynamodb_fake import FakeDynamoDB
from models import USERS_TABLE, User, put_requests, users


def dump(name, fake):
    with open(f"{name}.json", "w") as out:
        json.dump({"seed": fake.seed, "capacity": fake.capacity, "events": [str(e) for e in fake.events]}, out)


def test_bare_fake():
    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", USERS_TABLE)
    for _ in range(4):
        fake.call_sync("BatchWriteItem", {"RequestItems": {"users": put_requests(25)}})
    dump("test_bare_fake", fake)


async def test_mock_dynamodb():
    async with mock_dynamodb(User) as db:
        result = await db.batch_write(users(100))
        assert not result.unprocessed  # the client resends what the chaos left unprocessed
        dump("test_mock_dynamodb", db.transport)
"""


def run_chaos(pytester: pytest.Pytester, *args: str) -> dict[str, dict[str, object]]:
    for stale in pytester.path.glob("test_*.json"):
        stale.unlink()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=len(list(pytester.path.glob("test_*.json"))))
    return {path.stem: json.loads(path.read_text()) for path in pytester.path.glob("test_*.json")}


def test_options_apply_to_every_fake_with_a_seed_per_test(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(models=MODELS, test_chaos=CHAOS_TESTS)
    first = run_chaos(pytester, "--ddb-throttle=0.3", "--ddb-seed=5", "--ddb-capacity")
    assert set(first) == {"test_bare_fake", "test_mock_dynamodb"}
    for name, seen in first.items():
        assert seen["seed"] == derive_seed(5, f"test_chaos.py::{name}")
        assert seen["capacity"] is True
        assert seen["events"], f"{name}: the throttle never fired"
        assert all(" throttle " in event for event in seen["events"])  # type: ignore[attr-defined]
    assert first["test_bare_fake"]["events"] != first["test_mock_dynamodb"]["events"]

    # the same test alone (as under xdist, in any order) sees the same faults; another seed, others
    alone = run_chaos(
        pytester, "--ddb-throttle=0.3", "--ddb-seed=5", "--ddb-capacity", "test_chaos.py::test_mock_dynamodb"
    )
    assert alone == {"test_mock_dynamodb": first["test_mock_dynamodb"]}
    other = run_chaos(pytester, "--ddb-throttle=0.3", "--ddb-seed=6")
    for name, seen in other.items():
        assert seen["seed"] != first[name]["seed"]
        assert seen["events"] != first[name]["events"]
        assert seen["capacity"] is False


def test_seeds_and_faults_are_the_same_under_xdist(pytester: pytest.Pytester) -> None:
    """Two workers run the tests in an order of their own: each test still gets the seed and the
    faults it gets in a plain run, because its seed depends only on the suite seed and its id."""
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(models=MODELS, test_chaos=CHAOS_TESTS)
    plain = run_chaos(pytester, "--ddb-throttle=0.3", "--ddb-seed=5")
    distributed = run_chaos(pytester, "-n", "2", "--ddb-throttle=0.3", "--ddb-seed=5")
    assert distributed == plain and len(plain) == 2


def test_ini_keys_set_the_same_and_options_win(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI + "ddb_throttle = 0.3\nddb_seed = 5\nddb_capacity = true\n")
    pytester.makepyfile(models=MODELS, test_chaos=CHAOS_TESTS)
    outer = suite_chaos()
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "bare_fake", "--ddb-seed=7")
    result.assert_outcomes(passed=1)
    assert suite_chaos() == outer  # the inline run put this run's chaos back
    result.stdout.fnmatch_lines(["aiodynamodb: --ddb-seed=7, --ddb-throttle=0.3, --ddb-capacity"])
    seen = json.loads(Path(pytester.path, "test_bare_fake.json").read_text())
    assert seen["seed"] == derive_seed(7, "test_chaos.py::test_bare_fake")
    assert seen["capacity"] is True and seen["events"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--ddb-throttle=1.5", "--ddb-throttle must be a number from 0 to 1, got '1.5'"),
        ("--ddb-throttle=lots", "--ddb-throttle must be a number from 0 to 1, got 'lots'"),
        ("--ddb-seed=x", "--ddb-seed must be an integer, got 'x'"),
    ],
    ids=["rate-above-1", "rate-not-a-number", "seed-not-an-integer"],
)
def test_bad_values_are_usage_errors(pytester: pytest.Pytester, option: str, message: str) -> None:
    pytester.makeini(AUTO_INI)
    result = pytester.runpytest(option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


FAILING_TESTS = """
import pytest
from aiodynamodb_fake import FakeDynamoDB
from models import USERS_TABLE, User, put_requests


@pytest.mark.ddb_tables([User])
@pytest.mark.ddb_throttle(0.5)
async def test_fixture_fake_fails(ddb_fake):
    await ddb_fake.call("BatchWriteItem", {"RequestItems": {"users": put_requests(25)}})
    assert ddb_fake.item_count("users") == 25


def test_two_bare_fakes_fail():
    first, second = FakeDynamoDB(), FakeDynamoDB()
    second.call_sync("CreateTable", USERS_TABLE)
    second.call_sync("BatchWriteItem", {"RequestItems": {"users": put_requests(25)}})
    assert second.item_count("users") == 25


def test_passes_without_a_section(ddb_fake):
    pass


def test_fails_without_a_fake():
    assert False
"""


def test_failure_report_names_the_seed_the_faults_and_the_journal(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(models=MODELS, test_failing=FAILING_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "--ddb-throttle=0.2", "--ddb-seed=3")
    result.assert_outcomes(passed=1, failed=3)
    fixture_seed = derive_seed(3, "test_failing.py::test_fixture_fake_fails")
    bare_seed = derive_seed(3, "test_failing.py::test_two_bare_fakes_fail")
    result.stdout.fnmatch_lines(
        [
            "*_ test_fixture_fake_fails _*",
            "*- aiodynamodb fake -*",
            f"test seed: {fixture_seed} (from --ddb-seed 3 and this test's id)",
            "reproduce: pytest test_failing.py::test_fixture_fake_fails --ddb-seed=3 --ddb-throttle=0.2",
            f"fake (ddb_fake): seed {fixture_seed}, tables ['users']",
            "faults injected (*):",
            "  #2 t=* throttle BatchWriteItem [[]users[]]*",
            "requests (2):",
            "  #1 t=* CreateTable [[]users[]] x0: OK",
            "  #2 t=* BatchWriteItem [[]users[]] x25: OK, * unprocessed",
            "*_ test_two_bare_fakes_fail _*",
            "*- aiodynamodb fake -*",
            f"test seed: {bare_seed} (from --ddb-seed 3 and this test's id)",
            f"fake 1 of 2: seed {bare_seed}, tables -",
            "faults injected: none",
            "requests: none",
            f"fake 2 of 2: seed {bare_seed}, tables ['users']",
            "*_ test_fails_without_a_fake _*",
        ]
    )
    assert result.stdout.str().count("- aiodynamodb fake -") == 2


def test_failure_report_without_options_reproduces_with_the_test_alone(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(models=MODELS, test_failing=FAILING_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "fixture_fake")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines(
        [
            "*- aiodynamodb fake -*",
            "test seed: * (from the default suite seed 0 and this test's id)",
            "reproduce: pytest test_failing.py::test_fixture_fake_fails",
        ]
    )


def test_failure_report_shows_the_last_fakes_of_many(pytester: pytest.Pytester) -> None:
    """A hypothesis test makes a fake per example: the report keeps the ddb_fake and the last three."""
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(
        test_many="""
from aiodynamodb_fake import FakeDynamoDB


def test_many_fakes(ddb_fake):
    made = [FakeDynamoDB(seed=n) for n in range(10, 16)]
    assert not made
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- aiodynamodb fake -*",
            "reproduce: pytest test_many.py::test_many_fakes",
            "ddb_fake: seed *, tables -",
            "*",
            "fakes 1 to 4 of 7 not shown",
            "fake 5 of 7: seed 13, tables -",
            "*",
            "fake 6 of 7: seed 14, tables -",
            "*",
            "fake 7 of 7: seed 15, tables -",
        ]
    )
