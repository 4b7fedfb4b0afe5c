"""Real boto3 clients and resources answered in process by the fake under ``patch(fake)``.

No server and no sockets: botocore builds, signs and parses every request as it would for AWS, and
the fake answers through the ``before-send`` event. These tests show which clients are reached
(made before, inside, in other threads; DynamoDB only), what is restored on leaving, how patches
nest, that errors reach the caller as they would from AWS, and that botocore's retry back-off is
taken on the fake's virtual clock in all three retry modes, with ``time.sleep`` never sleeping.
"""

from __future__ import annotations

import math
import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import aiobotocore.hooks
import aiobotocore.session
import boto3
import botocore.hooks
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, NoRegionError

from aiodynamodb_fake import sdk_backoff
from aiodynamodb_fake.clock import SystemClock, VirtualClock
from aiodynamodb_fake.interception import Patch, active_patches, patch
from aiodynamodb_fake.service import FakeDynamoDB
from tests.e2e.conftest import key_schema, on_the_clock

NO_RETRIES = Config(retries={"max_attempts": 0, "mode": "legacy"}, connect_timeout=5, read_timeout=5)
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
TABLE = "patched"


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB()


@pytest.fixture
def patched(fake: FakeDynamoDB) -> Iterator[FakeDynamoDB]:
    with patch(fake) as entered:
        yield entered


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: a request that really goes out fails to connect."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_table(client: Any, name: str = TABLE) -> None:
    client.create_table(TableName=name, **key_schema(range_key=("sk", "N")))


def sent_authorization(client: Any) -> list[str]:
    """The Authorization header of every request ``client`` sends from now on (a user's own hook)."""
    seen: list[str] = []

    def spy(request: Any, **_: Any) -> None:
        value = request.headers["Authorization"]
        seen.append(value.decode() if isinstance(value, bytes) else value)

    client.meta.events.register("before-send.dynamodb", spy)
    return seen


CLASS_ATTRIBUTES = (
    (botocore.hooks.HierarchicalEmitter, "_emit"),
    (botocore.session.Session, "create_client"),
    (aiobotocore.hooks.AioHierarchicalEmitter, "_emit"),
    (aiobotocore.session.AioSession, "_create_client"),
)


def class_attributes() -> list[Any]:
    return [owner.__dict__[name] for owner, name in CLASS_ATTRIBUTES]


# --- which clients are reached ---------------------------------------------------------------------


def test_a_client_made_inside_needs_no_credentials_nor_region(patched: FakeDynamoDB) -> None:
    client = boto3.client("dynamodb")
    authorization = sent_authorization(client)
    assert client.meta.region_name == "us-east-1"  # the fake's region
    create_table(client)
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "blob": {"B": b"\x00\xff"}, "set": {"BS": [b"x"]}}
    client.put_item(TableName=TABLE, Item=item)
    got = client.get_item(TableName=TABLE, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert got["Item"] == item
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert patched.items(TABLE) == [item]
    assert all("Credential=testing/" in header for header in authorization) and len(authorization) == 3


def test_configured_credentials_and_region_are_kept(
    patched: FakeDynamoDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    client = boto3.session.Session().client("dynamodb")
    authorization = sent_authorization(client)
    assert client.meta.region_name == "eu-west-1"
    assert client.list_tables()["TableNames"] == []
    assert len(authorization) == 1
    assert "Credential=AKIDFROMENV/" in authorization[0] and "/eu-west-1/dynamodb/" in authorization[0]


def test_explicit_arguments_are_kept(patched: FakeDynamoDB) -> None:
    client = boto3.client("dynamodb", region_name="ap-south-1", **KEYS)
    authorization = sent_authorization(client)
    client.list_tables()
    assert client.meta.region_name == "ap-south-1"
    assert "Credential=AKIDEXAMPLE/" in authorization[0]


def test_clients_made_before_are_reached_and_released_after(fake: FakeDynamoDB, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}"
    client = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1", config=NO_RETRIES, **KEYS)
    with pytest.raises(EndpointConnectionError):
        client.list_tables()
    with patch(fake):
        create_table(client)
        assert client.list_tables()["TableNames"] == [TABLE]
    with pytest.raises(EndpointConnectionError):
        client.list_tables()
    assert fake.table_names() == [TABLE]


def test_clients_in_other_threads_are_reached(patched: FakeDynamoDB) -> None:
    create_table(boto3.client("dynamodb"))
    errors: list[BaseException] = []

    def write(lane: int) -> None:
        try:
            client = boto3.session.Session().client("dynamodb")
            for n in range(10):
                client.put_item(TableName=TABLE, Item={"pk": {"S": f"lane{lane}"}, "sk": {"N": str(n)}})
        except BaseException as err:  # handed to the test's thread
            errors.append(err)

    threads = [threading.Thread(target=write, args=(lane,)) for lane in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert patched.item_count(TABLE) == 40


def test_other_services_are_not_intercepted(patched: FakeDynamoDB, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}"
    s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", config=NO_RETRIES, **KEYS)
    with pytest.raises(EndpointConnectionError):
        s3.list_buckets()
    streams = boto3.client(
        "dynamodbstreams", endpoint_url=url, region_name="us-east-1", config=NO_RETRIES, **KEYS
    )
    with pytest.raises(EndpointConnectionError):
        streams.list_streams()
    # nor given credentials or a region: they are made exactly as without the patch
    with pytest.raises(NoCredentialsError):
        boto3.client("s3", endpoint_url=url, region_name="us-east-1", config=NO_RETRIES).list_buckets()
    with pytest.raises(NoRegionError):
        boto3.client("sqs")
    assert patched.requests == []


def test_leaving_restores_every_class_attribute_and_no_region_is_given_after(fake: FakeDynamoDB) -> None:
    before = class_attributes()
    with patch(fake):
        assert all(now is not then for now, then in zip(class_attributes(), before, strict=True))
    assert class_attributes() == before
    assert active_patches() == ()
    with pytest.raises(NoRegionError):
        boto3.client("dynamodb")


def test_a_before_send_hook_that_answers_keeps_precedence(patched: FakeDynamoDB) -> None:
    client = boto3.client("dynamodb")

    class Canned:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield b'{"TableNames":["canned"]}'

    def stub(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {}, Canned())

    client.meta.events.register("before-send.dynamodb.ListTables", stub)
    assert client.list_tables()["TableNames"] == ["canned"]
    assert patched.requests == []


# --- nesting ----------------------------------------------------------------------------------------


def test_nested_patches_inner_wins_and_the_outer_resumes() -> None:
    outer, inner = FakeDynamoDB(), FakeDynamoDB()
    client = boto3.client("dynamodb", region_name="us-east-1", **KEYS)
    with patch(outer):
        create_table(client, "outer")
        with patch(inner):
            assert client.list_tables()["TableNames"] == []
            create_table(client, "inner")
        assert client.list_tables()["TableNames"] == ["outer"]
    assert (outer.table_names(), inner.table_names()) == (["outer"], ["inner"])


def test_overlapping_patches_the_latest_active_one_answers(closed_port: int) -> None:
    first, second = patch(FakeDynamoDB()), patch(FakeDynamoDB())
    url = f"http://127.0.0.1:{closed_port}"
    client = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1", config=NO_RETRIES, **KEYS)
    first.start()
    second.start()
    try:
        first.stop()  # left out of order: the second stays in charge
        assert active_patches() == (second,)
        create_table(client)
        assert second.fake.table_names() == [TABLE] and first.fake.table_names() == []
    finally:
        second.stop()
    with pytest.raises(EndpointConnectionError):
        client.list_tables()


def test_entering_an_active_patch_again_is_an_error(fake: FakeDynamoDB) -> None:
    entered = patch(fake)
    with entered:
        with pytest.raises(RuntimeError, match="is already active; leave it before entering it again"):
            entered.start()
        with patch(fake):  # a second Patch of the same fake is fine
            assert len(active_patches()) == 2
    with entered:  # and a patch can be used again once left
        assert entered.active
    assert not entered.active


def test_the_patch_gives_back_the_fake_and_is_one(fake: FakeDynamoDB) -> None:
    made = patch(fake)
    assert isinstance(made, Patch) and made.fake is fake
    with made as entered:
        assert entered is fake


# --- errors as from AWS ---------------------------------------------------------------------------


def test_errors_reach_the_caller_as_from_dynamodb(patched: FakeDynamoDB) -> None:
    client = boto3.client("dynamodb", config=NO_RETRIES)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
        client.get_item(TableName="absent", Key={"pk": {"S": "x"}})
    assert missing.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Requested resource not found",
    }
    create_table(client)
    with pytest.raises(ClientError) as invalid:
        client.put_item(TableName=TABLE, Item={"pk": {"S": "only the hash key"}})
    assert invalid.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: Missing the key sk in the item",
    }
    assert invalid.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    patched.fail("GetItem", "InternalServerError")
    with pytest.raises(client.exceptions.InternalServerError) as internal:
        client.get_item(TableName=TABLE, Key={"pk": {"S": "x"}, "sk": {"N": "1"}})
    assert internal.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_botocore_still_validates_parameters_before_anything_is_sent(patched: FakeDynamoDB) -> None:
    client = boto3.client("dynamodb")
    with pytest.raises(Exception, match="Missing required parameter"):
        client.get_item(TableName=TABLE)
    assert patched.requests == []


def test_a_failed_condition_is_the_modelled_exception(patched: FakeDynamoDB) -> None:
    client = boto3.client("dynamodb", config=NO_RETRIES)
    create_table(client)
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    client.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(client.exceptions.ConditionalCheckFailedException) as failed:
        client.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(pk)")
    assert failed.value.response["Error"] == {
        "Code": "ConditionalCheckFailedException",
        "Message": "The conditional request failed",
    }


# --- the resource API and batch_writer ----------------------------------------------------------


def test_the_resource_api_and_batch_writer_under_throttling(patched: FakeDynamoDB) -> None:
    dynamodb = boto3.resource("dynamodb")
    create_table(dynamodb.meta.client)
    table = dynamodb.Table(TABLE)
    patched.throttle(0.5, operations="BatchWriteItem", times=6)  # batch_writer resends without pause
    with table.batch_writer() as writer:
        for n in range(100):
            writer.put_item(Item={"pk": f"p{n % 7}", "sk": n, "data": b"\x01", "price": Decimal("1.50")})
    assert patched.item_count(TABLE) == 100
    assert any(record.unprocessed for record in patched.requests)
    assert len([e for e in patched.events if e.kind == "throttle"]) > 0
    got = table.get_item(Key={"pk": "p3", "sk": 3})["Item"]
    assert got["price"] == Decimal("1.5") and got["data"].value == b"\x01"


def test_a_throttled_put_is_retried_by_botocore_on_the_fake_clock(patched: FakeDynamoDB) -> None:
    table = boto3.resource("dynamodb").Table(TABLE)
    create_table(table.meta.client)
    patched.throttle(1.0, operations="PutItem", times=3)
    start = patched.clock.now()
    answer = table.put_item(Item={"pk": "a", "sk": 1})
    assert answer["ResponseMetadata"]["RetryAttempts"] == 3
    now = patched.clock.now()
    assert now - start == on_the_clock(0.05 + 0.1 + 0.2, now, 3)  # DynamoDB's legacy back-off
    assert patched.item_count(TABLE) == 1


# --- retry back-off on the fake's clock ---------------------------------------------------------


@pytest.fixture
def no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``time.sleep`` refusing any real wait; returns the (zero) sleeps it was asked for."""
    asked: list[float] = []

    def refuse(seconds: float) -> None:
        asked.append(seconds)
        if seconds > 0:
            raise AssertionError(f"time.sleep({seconds}) under the patch")

    monkeypatch.setattr(time, "sleep", refuse)
    return asked


def test_legacy_mode_makes_up_to_ten_attempts_in_virtual_time(
    patched: FakeDynamoDB, no_real_sleep: list[float]
) -> None:
    client = boto3.client("dynamodb")  # legacy mode is botocore's default
    create_table(client)
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    patched.fail("GetItem", "ProvisionedThroughputExceededException", times=9)
    start = patched.clock.now()
    assert client.get_item(TableName=TABLE, Key=key)["ResponseMetadata"]["RetryAttempts"] == 9
    now = patched.clock.now()
    assert now - start == on_the_clock(0.05 * (2**9 - 1), now, 9)
    patched.fail("GetItem", "ProvisionedThroughputExceededException", times=10)
    with pytest.raises(client.exceptions.ProvisionedThroughputExceededException) as throttled:
        client.get_item(TableName=TABLE, Key=key)
    assert throttled.value.response["ResponseMetadata"]["RetryAttempts"] == 9
    patched.assert_faults_consumed()
    assert no_real_sleep == [0] * 18  # botocore still calls time.sleep, for nothing


@pytest.mark.parametrize("mode", ["standard", "adaptive"])
def test_standard_and_adaptive_modes_back_off_in_virtual_time(
    patched: FakeDynamoDB, no_real_sleep: list[float], standard_delays: list[float], mode: str
) -> None:
    client = boto3.client("dynamodb", config=Config(retries={"mode": mode}))  # 3 attempts by default
    create_table(client)
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    for _ in range(3):
        patched.fail("GetItem", "ProvisionedThroughputExceededException", times=2)
        start, first = patched.clock.now(), len(standard_delays)
        assert client.get_item(TableName=TABLE, Key=key)["ResponseMetadata"]["RetryAttempts"] == 2
        backoff = sum(standard_delays[first:])
        assert len(standard_delays) - first == 2
        now = patched.clock.now()
        if mode == "standard":
            assert now - start == on_the_clock(backoff, now, 2)
        else:  # adaptive mode also paces its sends once throttled: that waits on the fake's clock too
            assert now - start >= backoff - 2 * math.ulp(now)
    assert set(no_real_sleep) <= {0}


def test_adaptive_mode_pacing_is_virtual_and_its_state_comes_back(
    fake: FakeDynamoDB, no_real_sleep: list[float]
) -> None:
    config = Config(retries={"mode": "adaptive"})
    client = boto3.client("dynamodb", region_name="us-east-1", config=config, **KEYS)
    limiter = next(  # botocore's own ClientRateLimiter, found among the client's handlers (private)
        handler.__self__
        for handler in client.meta.events._emitter._handlers.prefix_search("before-send.dynamodb.ListTables")
        if type(getattr(handler, "__self__", None)).__name__ == "ClientRateLimiter"
    )
    bucket = limiter._token_bucket
    with patch(fake):
        fake.fail("ListTables", "ProvisionedThroughputExceededException", times=9)
        for _ in range(3):  # three attempts each
            with pytest.raises(client.exceptions.ProvisionedThroughputExceededException):
                client.list_tables()
        assert limiter._enabled, "throttled: the limiter now paces every send, on the fake's clock"
        assert limiter._token_bucket is not bucket
        assert client.list_tables()["TableNames"] == []
    assert (limiter._token_bucket, limiter._enabled) == (bucket, False)
    assert set(no_real_sleep) <= {0}


def test_a_fake_on_the_system_clock_leaves_botocore_sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)  # recorded, not slept
    fake = FakeDynamoDB(clock=SystemClock())
    with patch(fake):
        client = boto3.client("dynamodb")
        fake.fail("ListTables", "ProvisionedThroughputExceededException", times=2)
        assert client.list_tables()["ResponseMetadata"]["RetryAttempts"] == 2
    assert slept == [0.05, 0.1]


def test_adaptive_pacing_waits_out_its_token_bucket_on_the_fake_clock() -> None:
    clock = VirtualClock()
    bucket = sdk_backoff._SyncBucket(sdk_backoff._LimiterClock(lambda: clock), max_rate=1.0)
    start = clock.now()
    for _ in range(3):  # empty at first, then one token a second
        assert bucket.acquire()
    assert clock.now() - start == pytest.approx(3.0)
    bucket.max_rate = 1e9  # a wait shorter than the clock can tick is no wait, never an endless one
    assert bucket.acquire() and clock.now() - start == pytest.approx(3.0, abs=1e-5)


def test_a_bug_in_the_fake_reaches_botocore_as_a_500(
    patched: FakeDynamoDB, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(operation: str, request: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(patched, "call_sync", explode)
    client = boto3.client("dynamodb", config=NO_RETRIES)
    with pytest.raises(ClientError) as failed:
        client.list_tables()
    assert failed.value.response["Error"] == {
        "Code": "InternalServerError",
        "Message": "Internal server error",
    }
    assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)
