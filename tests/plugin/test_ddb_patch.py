"""The ``ddb_patch`` fixture as a downstream project uses it: boto3 and aioboto3 code under test
reaches ``ddb_fake`` with no credentials, region or server; the markers and the suite-wide chaos
options apply; the patch is gone after the test; the fixture is skipped under ``--ddb-endpoint``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest_plugin._settings import derive_seed
from tests.plugin.snippets import AUTO_INI, MODELS, STRICT_INI

PATCH_TESTS = """
import json

import aioboto3
import boto3
import pytest
from aiodynamodb_fake.interception import active_patches
from models import User

pytestmark = pytest.mark.ddb_tables([User])


def dump(name, fake):
    with open(f"{name}.json", "w") as out:
        json.dump({"seed": fake.seed, "kinds": sorted({e.kind for e in fake.events})}, out)


def test_boto3_code_reaches_the_fake(ddb_patch, ddb_fake):
    assert ddb_patch is ddb_fake
    assert active_patches()[-1].fake is ddb_patch
    table = boto3.resource("dynamodb").Table("users")
    with table.batch_writer() as writer:
        for n in range(60):
            writer.put_item(Item={"user_id": f"u{n}", "name": "n"})
    assert ddb_patch.item_count("users") == 60
    assert table.get_item(Key={"user_id": "u7"})["Item"] == {"user_id": "u7", "name": "n"}
    dump("test_boto3_code_reaches_the_fake", ddb_patch)


@pytest.mark.asyncio
async def test_aioboto3_code_reaches_the_fake(ddb_patch):
    async with aioboto3.Session().resource("dynamodb") as dynamodb:
        table = await dynamodb.Table("users")
        async with table.batch_writer() as writer:
            for n in range(30):
                await writer.put_item(Item={"user_id": f"a{n}", "name": "n"})
    assert ddb_patch.item_count("users") == 30
    dump("test_aioboto3_code_reaches_the_fake", ddb_patch)


@pytest.mark.ddb_throttle(0.5, operations=["BatchWriteItem"], times=3)
def test_the_throttle_marker_applies(ddb_patch):
    with boto3.resource("dynamodb").Table("users").batch_writer() as writer:
        for n in range(60):
            writer.put_item(Item={"user_id": f"t{n}", "name": "n"})
    assert ddb_patch.item_count("users") == 60
    assert any(record.unprocessed for record in ddb_patch.requests)


def test_after_the_tests_no_patch_is_left():
    assert active_patches() == ()
"""


@pytest.fixture
def no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither this process nor pytester's subprocess sees credentials, a region or a profile."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, dict[str, object]]]:
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
    return result, {path.stem: json.loads(path.read_text()) for path in pytester.path.glob("test_*.json")}


@pytest.mark.usefixtures("no_aws_configuration")
@pytest.mark.parametrize("ini", [AUTO_INI, STRICT_INI], ids=["auto", "strict"])
def test_ddb_patch_routes_sdk_clients_to_ddb_fake(pytester: pytest.Pytester, ini: str) -> None:
    pytester.makeini(ini)
    pytester.makepyfile(models=MODELS, test_patch=PATCH_TESTS)
    result, seen = run(pytester)
    result.assert_outcomes(passed=4)
    assert seen["test_boto3_code_reaches_the_fake"]["kinds"] == []  # calm without chaos options


@pytest.mark.usefixtures("no_aws_configuration")
def test_the_suite_chaos_options_apply_to_ddb_patch(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(models=MODELS, test_patch=PATCH_TESTS)
    result, seen = run(pytester, "--ddb-throttle=0.5", "--ddb-seed=7")
    result.assert_outcomes(passed=4)
    for name in ("test_boto3_code_reaches_the_fake", "test_aioboto3_code_reaches_the_fake"):
        assert seen[name]["seed"] == derive_seed(7, f"test_patch.py::{name}")
        assert seen[name]["kinds"] == ["throttle"], "the SDK's own resends got every item through"


def test_ddb_patch_is_skipped_under_an_endpoint(pytester: pytest.Pytester) -> None:
    pytester.makeini(AUTO_INI)
    pytester.makepyfile(test_patch="def test_uses_it(ddb_patch):\n    raise AssertionError('ran')\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs", "--ddb-endpoint=http://127.0.0.1:9")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*uses the ddb_fake fixture*"])
