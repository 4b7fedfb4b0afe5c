"""Real aioboto3 clients and resources, and this project's own client over its aioboto3 transport,
answered in process by the fake under ``async with patch(fake)``.

aiobotocore awaits the response's content, runs its own async emitter and sleeps with
``asyncio.sleep``: the patch answers through the same ``before-send`` event with aiobotocore's
response class, and aiobotocore's back-off is slept on the fake's virtual clock, where concurrent
tasks' waits overlap as they would in real time.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aioboto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb import BatchPut, DynamoDB, DynamoModel, HashKey, table
from aiodynamodb.testing import policy_for_fake
from aiodynamodb_fake.interception import active_patches, patch
from aiodynamodb_fake.service import FakeDynamoDB
from tests.e2e.conftest import key_schema, on_the_clock

NO_RETRIES = Config(retries={"max_attempts": 0, "mode": "legacy"})
TABLE = "patched"
KEY_SCHEMA = key_schema()


@pytest.fixture
async def patched() -> AsyncIterator[FakeDynamoDB]:
    async with patch(FakeDynamoDB()) as fake:
        yield fake


@pytest.fixture
def no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``asyncio.sleep`` refusing any real wait (zero-second yields still allowed, and recorded)."""
    asked: list[float] = []
    yield_once = asyncio.sleep

    async def refuse(seconds: float, result: Any = None) -> Any:
        asked.append(seconds)
        if seconds > 0:
            raise AssertionError(f"asyncio.sleep({seconds}) under the patch")
        return await yield_once(0, result)

    monkeypatch.setattr(asyncio, "sleep", refuse)
    return asked


async def test_a_client_made_inside_needs_no_credentials_nor_region(patched: FakeDynamoDB) -> None:
    async with aioboto3.Session().client("dynamodb") as client:
        assert client.meta.region_name == "us-east-1"
        await client.create_table(TableName=TABLE, **KEY_SCHEMA)
        item = {"pk": {"S": "a"}, "blob": {"B": b"\x00\x01"}, "n": {"N": "1.50"}}
        await client.put_item(TableName=TABLE, Item=item)
        got = await client.get_item(TableName=TABLE, Key={"pk": {"S": "a"}})
        assert got["Item"] == {"pk": {"S": "a"}, "blob": {"B": b"\x00\x01"}, "n": {"N": "1.5"}}
        with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
            await client.get_item(TableName="absent", Key={"pk": {"S": "a"}})
        assert missing.value.response["Error"]["Message"] == "Requested resource not found"


async def test_a_client_opened_before_the_patch_is_reached_and_released() -> None:
    fake = FakeDynamoDB()
    session = aioboto3.Session()
    options = {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    async with session.client("dynamodb", config=NO_RETRIES, **options) as client:
        async with patch(fake):
            await client.create_table(TableName=TABLE, **KEY_SCHEMA)
            assert (await client.list_tables())["TableNames"] == [TABLE]
        assert active_patches() == ()
    assert fake.table_names() == [TABLE]


async def test_errors_and_the_modelled_exception(patched: FakeDynamoDB) -> None:
    async with aioboto3.Session().client("dynamodb", config=NO_RETRIES) as client:
        await client.create_table(TableName=TABLE, **KEY_SCHEMA)
        with pytest.raises(ClientError) as invalid:
            await client.put_item(TableName=TABLE, Item={"other": {"S": "x"}})
        assert invalid.value.response["Error"] == {
            "Code": "ValidationException",
            "Message": "One or more parameter values were invalid: Missing the key pk in the item",
        }
        item = {"pk": {"S": "a"}}
        await client.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(pk)")
        with pytest.raises(client.exceptions.ConditionalCheckFailedException):
            await client.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(pk)")


async def test_the_resource_api_and_batch_writer_under_throttling(patched: FakeDynamoDB) -> None:
    async with aioboto3.Session().resource("dynamodb") as dynamodb:
        await dynamodb.meta.client.create_table(TableName=TABLE, **KEY_SCHEMA)
        table = await dynamodb.Table(TABLE)
        patched.throttle(0.5, operations="BatchWriteItem", times=6)
        async with table.batch_writer() as writer:
            for n in range(100):
                await writer.put_item(Item={"pk": f"k{n}", "price": Decimal("2.50")})
        assert patched.item_count(TABLE) == 100
        assert any(record.unprocessed for record in patched.requests)
        got = await table.get_item(Key={"pk": "k7"})
        assert got["Item"] == {"pk": "k7", "price": Decimal("2.5")}


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
async def test_retries_back_off_on_the_fake_clock_in_every_mode(
    patched: FakeDynamoDB, no_real_sleep: list[float], standard_delays: list[float], mode: str
) -> None:
    async with aioboto3.Session().client("dynamodb", config=Config(retries={"mode": mode})) as client:
        await client.create_table(TableName=TABLE, **KEY_SCHEMA)
        for _ in range(3):
            patched.fail("GetItem", "ProvisionedThroughputExceededException", times=2)
            start, first = patched.clock.now(), len(standard_delays)
            answer = await client.get_item(TableName=TABLE, Key={"pk": {"S": "a"}})
            assert answer["ResponseMetadata"]["RetryAttempts"] == 2
            now = patched.clock.now()
            waited, backoff = now - start, sum(standard_delays[first:])
            if mode == "legacy":
                assert waited == on_the_clock(0.05 + 0.1, now, 2)  # DynamoDB's legacy back-off, not jittered
            elif mode == "standard":
                assert waited == on_the_clock(backoff, now, 2) and len(standard_delays) - first == 2
            else:  # adaptive mode also paces its sends once throttled, on the fake's clock too
                assert waited >= backoff - 2 * math.ulp(now) and len(standard_delays) - first == 2
    patched.assert_faults_consumed()
    assert set(no_real_sleep) <= {0}


async def test_concurrent_back_offs_overlap_in_virtual_time(
    patched: FakeDynamoDB, no_real_sleep: list[float]
) -> None:
    async with aioboto3.Session().client("dynamodb") as client:
        await client.create_table(TableName=TABLE, **KEY_SCHEMA)
        patched.fail("GetItem", "ProvisionedThroughputExceededException", times=8)
        start = patched.clock.now()
        answers = await asyncio.gather(
            *(client.get_item(TableName=TABLE, Key={"pk": {"S": f"k{n}"}}) for n in range(8))
        )
    assert [a["ResponseMetadata"]["RetryAttempts"] for a in answers] == [1] * 8
    now = patched.clock.now()
    assert now - start == on_the_clock(0.05, now, 1)  # eight waits of 0.05 s at once


@table("users")
class User(DynamoModel):
    user_id: HashKey[str]
    name: str


async def test_this_projects_client_over_its_aioboto3_transport(
    patched: FakeDynamoDB, no_real_sleep: list[float]
) -> None:
    async with DynamoDB(retry=policy_for_fake(patched)) as db:  # the production transport, unchanged
        assert type(db.transport).__name__ == "Aioboto3Transport"
        await db.create_table(User)
        patched.throttle(0.5, operations="BatchWriteItem", times=4)
        result = await db.batch_write([BatchPut(User(user_id=f"u{n}", name="n")) for n in range(60)])
        assert not result.unprocessed
        assert patched.item_count("users") == 60
        assert await db.get(User, hash_key="u7") == User(user_id="u7", name="n")
    assert any(record.unprocessed for record in patched.requests)


async def test_the_fakes_own_patch_method_when_it_has_one() -> None:
    fake = FakeDynamoDB()
    if not hasattr(fake, "patch"):
        pytest.skip("FakeDynamoDB.patch() is not there yet; aiodynamodb_fake.interception.patch is")
    async with fake.patch() as entered:
        assert entered is fake
        async with aioboto3.Session().client("dynamodb") as client:
            assert (await client.list_tables())["TableNames"] == []
    assert active_patches() == ()
