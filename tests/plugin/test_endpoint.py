"""``--ddb-endpoint``: the same ``ddb`` tests against a real endpoint (here the fake's own HTTP
server), tables created before each test and deleted after; tests that need the fake are skipped."""

from __future__ import annotations

import pytest

from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.server import ServerThread
from tests.plugin.snippets import MODELS, STRICT_INI

ENDPOINT_TESTS = """
import pytest
from aiodynamodb import DynamoDB
from models import Order, User, users

pytestmark = pytest.mark.ddb_tables(User, Order)


@pytest.mark.asyncio
async def test_runs_on_the_endpoint(ddb):
    assert isinstance(ddb, DynamoDB)
    result = await ddb.batch_write(users(30))
    assert not result.unprocessed
    got = await ddb.get(User, hash_key="u7")
    assert got is not None and got.name == "n"


@pytest.mark.asyncio
async def test_tables_are_fresh_for_each_test(ddb):
    assert await ddb.get(User, hash_key="u7") is None


def test_needs_the_fake(ddb_fake):
    pass


@pytest.mark.ddb_throttle(0.5)
@pytest.mark.asyncio
async def test_needs_the_throttle(ddb):
    pass
"""


@pytest.fixture
def server() -> ServerThread:
    with ServerThread(FakeDynamoDB()) as running:
        yield running


def test_ddb_tests_run_against_the_endpoint_and_fake_tests_skip(
    pytester: pytest.Pytester, server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeini(STRICT_INI)
    pytester.makepyfile(models=MODELS, test_endpoint=ENDPOINT_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs", f"--ddb-endpoint={server.url}")
    result.assert_outcomes(passed=2, skipped=2)
    reason = f"which needs the in-memory fake; --ddb-endpoint={server.url} runs ddb tests on that endpoint"
    result.stdout.fnmatch_lines(
        [
            f"aiodynamodb: seed 0 (default), --ddb-endpoint={server.url}",
            f"SKIPPED [[]1[]] test_endpoint.py*: uses the ddb_fake fixture, {reason}",
            f"SKIPPED [[]1[]] test_endpoint.py*: carries the ddb_throttle marker, {reason}",
        ]
    )
    fake = server.fake
    assert isinstance(fake, FakeDynamoDB)
    assert fake.table_names() == []  # every table deleted after its test
    operations = [record.operation for record in fake.requests]
    assert operations.count("CreateTable") == operations.count("DeleteTable") == 4
    assert "BatchWriteItem" in operations


def test_an_existing_table_is_never_deleted(
    pytester: pytest.Pytester, server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    fake = server.fake
    assert isinstance(fake, FakeDynamoDB)
    fake.call_sync(
        "CreateTable",
        {
            "TableName": "users",
            "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    pytester.makeini(STRICT_INI)
    pytester.makepyfile(models=MODELS, test_endpoint=ENDPOINT_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", f"--ddb-endpoint={server.url}", "-k", "fresh")
    result.assert_outcomes(errors=1, deselected=3)
    result.stdout.fnmatch_lines(
        ["*table 'users' already exists at the --ddb-endpoint; the plugin never deletes*"]
    )
    assert fake.table_names() == ["users"]
