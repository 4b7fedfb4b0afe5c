"""The fixtures and markers as a downstream project uses them: documented, creating tables,
throttling, in pytest-asyncio's auto and strict modes; and a run without options changes nothing."""

from __future__ import annotations

import pytest

from tests.plugin.snippets import AUTO_INI, MODELS, STRICT_INI

FIXTURE_TESTS = """
import pytest
from aiodynamodb_fake import FakeDynamoDB
from models import Order, User, put_requests, users

pytestmark = pytest.mark.ddb_tables([User])


def test_fake_is_fresh_with_marked_tables(ddb_fake):
    assert isinstance(ddb_fake, FakeDynamoDB)
    assert ddb_fake.table_names() == ["users"]
    assert ddb_fake.requests == [] or all(r.operation == "CreateTable" for r in ddb_fake.requests)


@pytest.mark.ddb_tables.with_args(Order)
class TestClassMarker:
    def test_module_and_class_markers_add_up(self, ddb_fake):
        assert ddb_fake.table_names() == ["orders", "users"]


@pytest.mark.asyncio
async def test_ddb_client_on_the_fake(ddb, ddb_fake):
    assert ddb.transport is ddb_fake
    result = await ddb.batch_write(users(60))
    assert not result.unprocessed
    assert ddb_fake.item_count("users") == 60


@pytest.mark.asyncio
async def test_ddb_alone_gets_its_own_fake(ddb):
    await ddb.batch_write(users(3))
    assert ddb.transport.item_count("users") == 3


@pytest.mark.ddb_throttle(0.5, tables=[User])
@pytest.mark.asyncio
async def test_throttle_leaves_batch_items_unprocessed(ddb_fake):
    answer = await ddb_fake.call("BatchWriteItem", {"RequestItems": {"users": put_requests(25)}})
    left = answer["UnprocessedItems"].get("users", [])
    assert 0 < len(left) < 25
    assert [e.kind for e in ddb_fake.events] == ["throttle"] * len(ddb_fake.events) != []


@pytest.mark.ddb_throttle(0.5, operations=["BatchWriteItem"], times=4)
@pytest.mark.asyncio
async def test_client_resends_what_the_throttle_left(ddb, ddb_fake):
    result = await ddb.batch_write(users(100))
    assert not result.unprocessed
    assert ddb_fake.item_count("users") == 100
    assert any(r.unprocessed for r in ddb_fake.requests)


def test_seeds_differ_per_test_and_are_stable(ddb_fake, request):
    from conftest_plugin._settings import derive_seed

    assert ddb_fake.seed == derive_seed(0, request.node.nodeid)
"""


@pytest.mark.parametrize("ini", [AUTO_INI, STRICT_INI], ids=["auto", "strict"])
def test_fixtures_and_markers_work_in_both_asyncio_modes(pytester: pytest.Pytester, ini: str) -> None:
    pytester.makeini(ini)
    pytester.makepyfile(models=MODELS, test_fixtures=FIXTURE_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=7)


def test_auto_mode_needs_no_asyncio_marker(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(
        models=MODELS,
        test_auto="""
import pytest
from models import User, users


@pytest.mark.ddb_tables([User])
async def test_unmarked_coroutine(ddb):
    await ddb.batch_write(users(2))
    assert ddb.transport.item_count("users") == 2
""",
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_marker_misuse_is_explained(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(
        models=MODELS,
        test_misuse="""
import pytest


@pytest.mark.ddb_tables("users")
def test_table_name_instead_of_model(ddb_fake):
    pass


@pytest.mark.ddb_throttle()
def test_throttle_without_rate(ddb_fake):
    pass
""",
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ddb_tables takes @table-decorated DynamoModel classes, got 'users'*",
            "*ddb_throttle takes one rate*",
        ]
    )


def test_fixtures_and_markers_are_documented(pytester: pytest.Pytester) -> None:
    """Through the entry point of the installed package, in a project with no conftest."""
    fixtures = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    fixtures.stdout.fnmatch_lines(
        [
            "*ddb -- *conftest_plugin*",
            "*An ``aiodynamodb.DynamoDB`` client on ``ddb_fake``*",
            "*ddb_fake -- *conftest_plugin*",
            "*A fresh in-memory ``FakeDynamoDB`` on a ``VirtualClock`` for this test.*",
        ]
    )
    markers = pytester.runpytest_subprocess("--markers", "-p", "no:cacheprovider")
    markers.stdout.fnmatch_lines(
        [
            "@pytest.mark.ddb_tables(Model, ...): create these DynamoModel tables*",
            "@pytest.mark.ddb_throttle(rate, seed=None, tables=None, operations=None, after=0, times=None):*",
        ]
    )
    help_text = pytester.runpytest_subprocess("--help", "-p", "no:cacheprovider")
    help_text.stdout.fnmatch_lines(
        [
            "*--ddb-throttle=RATE*",
            "*--ddb-seed=N*",
            "*--ddb-capacity*",
            "*--ddb-endpoint=URL*",
            "*ddb_throttle (string)*",
            "*ddb_seed (string)*",
            "*ddb_capacity (bool)*",
            "*ddb_endpoint (string)*",
        ]
    )


def test_without_options_nothing_changes(pytester: pytest.Pytester) -> None:
    """No option: a test that does not use the fixtures imports nothing of ours, and fakes made by
    hand or by mock_dynamodb are calm, with seed 0; the header names the default seed."""
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(
        test_aaa_untouched="""
import sys


def test_nothing_of_ours_is_imported():
    loaded = [m for m in sys.modules if m.split(".")[0] in ("aiodynamodb", "aiodynamodb_fake", "aioboto3", "pydantic")]
    assert loaded == []
""",
        models=MODELS,
        test_calm="""
# imported inside the tests, so that test_aaa_untouched (collected before them) sees a clean process


def test_bare_fake_is_calm():
    from aiodynamodb_fake import FakeDynamoDB
    from models import USERS_TABLE, put_requests

    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", USERS_TABLE)
    answer = fake.call_sync("BatchWriteItem", {"RequestItems": {"users": put_requests(25)}})
    assert answer["UnprocessedItems"] == {}
    assert fake.seed == 0 and fake.events == [] and not fake.capacity


async def test_mock_dynamodb_is_calm():
    from aiodynamodb.testing import mock_dynamodb
    from models import User, users

    async with mock_dynamodb(User) as db:
        await db.batch_write(users(50))
        assert db.transport.seed == 0 and db.transport.events == []
""",
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["aiodynamodb: seed 0 (default)"])
