"""Tests for ``aiodynamodb_fake.server``: the JSON 1.0 protocol, spoken over real HTTP to the app.

Most tests put a scripted stand-in behind the app, so they exercise the protocol alone: target
dispatch, body parsing, base64, error bodies (namespaces, message casing, extra members, status),
headers (request id, crc32) and internal errors. A few run the real ``FakeDynamoDB``; the last ones
call ``protocol.handle`` directly and find it answering exactly what the server sends.
"""

from __future__ import annotations

import gc
import gzip
import json
import logging
import re
import socket
import zlib
from collections.abc import AsyncIterator, Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import ClientResponse, ClientSession
from aiohttp.test_utils import TestClient, TestServer

from aiodynamodb.errors import (
    AccessDeniedException,
    ConditionalCheckFailedException,
    DynamoDBError,
    IdempotentParameterMismatchException,
    IncompleteSignatureException,
    InternalServerError,
    ItemCollectionSizeLimitExceededException,
    LimitExceededException,
    MissingAuthenticationTokenException,
    ProvisionedThroughputExceededException,
    ReplicatedWriteConflictException,
    RequestLimitExceeded,
    ResourceInUseException,
    ResourceNotFoundException,
    SerializationException,
    ThrottlingException,
    TransactionCanceledException,
    TransactionConflictException,
    TransactionInProgressException,
    UnrecognizedClientException,
    ValidationException,
    error_class,
)
from aiodynamodb_fake import protocol
from aiodynamodb_fake import server as server_module
from aiodynamodb_fake.server import ServerThread, error_body, make_app, start_server
from aiodynamodb_fake.service import FakeDynamoDB
from tests.fake.operations.builders import create_table

TARGET = "DynamoDB_20120810."
AMZ_JSON = "application/x-amz-json-1.0"


class ScriptedService:
    """A stand-in fake: records each call and answers with ``reply`` (a value, or an exception to raise)."""

    def __init__(self, reply: Any = None, operations: frozenset[str] = frozenset({"GetItem", "PutItem"})):
        self.reply: Any = {} if reply is None else reply
        self.calls: list[tuple[str, Mapping[str, Any]]] = []
        self._operations = operations

    @property
    def operations(self) -> frozenset[str]:
        return self._operations

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append((operation, request))
        if isinstance(self.reply, BaseException):
            raise self.reply
        result: dict[str, Any] = self.reply
        return result


@pytest.fixture
def service() -> ScriptedService:
    return ScriptedService()


@pytest.fixture
async def client(service: ScriptedService) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(make_app(service, seed=7))) as test_client:
        yield test_client


async def post(
    client: TestClient[Any, Any],
    operation: str | None,
    body: bytes | str | Mapping[str, Any] | None,
    *,
    content_type: str = AMZ_JSON,
    headers: Mapping[str, str] | None = None,
) -> tuple[ClientResponse, bytes]:
    """POST like botocore does; returns the response and its raw body, checking the crc32 on the way."""
    sent = dict(headers or {})
    if operation is not None:
        sent["X-Amz-Target"] = TARGET + operation
    if content_type:
        sent["Content-Type"] = content_type
    data = json.dumps(body).encode() if isinstance(body, Mapping) else body
    response = await client.post("/", data=data, headers=sent)
    raw = await response.read()
    assert_crc32(response, raw)
    return response, raw


def assert_crc32(response: ClientResponse, raw: bytes) -> None:
    assert response.headers["x-amz-crc32"] == str(zlib.crc32(raw) & 0xFFFFFFFF)


def assert_request_id(response: ClientResponse) -> None:
    assert re.fullmatch(r"[A-Z0-9]{52}", response.headers["x-amzn-RequestId"])


# --- dispatch and success -------------------------------------------------------------------------


async def test_target_dispatches_to_the_operation_with_binary_decoded(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    service.reply = {"Item": {"k": {"B": b"\x00\x01"}, "s": {"BS": [b"a"]}, "n": {"N": "1"}}}
    request = {"TableName": "t", "Key": {"k": {"B": "AAE="}}}
    response, raw = await post(client, "GetItem", request, headers={"Authorization": "AWS4-HMAC-SHA256 x"})
    assert response.status == 200
    assert response.headers["Content-Type"] == AMZ_JSON
    assert_request_id(response)
    assert json.loads(raw) == {"Item": {"k": {"B": "AAE="}, "s": {"BS": ["YQ=="]}, "n": {"N": "1"}}}
    assert service.calls == [("GetItem", {"TableName": "t", "Key": {"k": {"B": b"\x00\x01"}}})]


async def test_any_or_no_authorization_is_accepted(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    for headers in ({}, {"Authorization": "nonsense"}, {"Authorization": "AWS4-HMAC-SHA256 Credential=x"}):
        response, raw = await post(client, "PutItem", {"TableName": "t"}, headers=headers)
        assert (response.status, raw) == (200, b"{}")
    assert len(service.calls) == 3


async def test_application_json_requests_get_application_json_back(client: TestClient[Any, Any]) -> None:
    response, _ = await post(client, "GetItem", {"TableName": "t"}, content_type="application/json")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    charset, _ = await post(client, "GetItem", {"TableName": "t"}, content_type=AMZ_JSON + "; charset=utf-8")
    assert charset.status == 200
    assert charset.headers["Content-Type"] == AMZ_JSON


async def test_request_ids_differ_and_a_seed_repeats_them(service: ScriptedService) -> None:
    ids: list[list[str]] = []
    for _ in range(2):
        async with TestClient(TestServer(make_app(service, seed=42))) as test_client:
            run = []
            for _ in range(3):
                response, _ = await post(test_client, "GetItem", {})
                run.append(response.headers["x-amzn-RequestId"])
            ids.append(run)
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 3


async def test_the_body_is_compact_json_and_crc32_covers_exactly_its_bytes(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    service.reply = {"Item": {"s": {"S": "é ☃"}}}
    response, raw = await post(client, "GetItem", {"TableName": "t"})
    assert raw == b'{"Item":{"s":{"S":"\\u00e9 \\u2603"}}}'
    assert int(response.headers["x-amz-crc32"]) == zlib.crc32(raw)
    assert int(response.headers["Content-Length"]) == len(raw)


# --- what never reaches the operation -------------------------------------------------------------

UNKNOWN_OPERATION = {"__type": "com.amazon.coral.service#UnknownOperationException"}
SERIALIZATION = {"__type": "com.amazon.coral.service#SerializationException"}


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "GetItem",
        "DynamoDB_20120810.",
        "DynamoDB_20120810.NoSuchThing",
        "DynamoDB_20120810.getitem",
        "DynamoDB_20111205.GetItem",
        "DynamoDB_20120810.GetItem.x",
        "DynamoDB_20120810.Query",  # real, but not one this service answers
    ],
)
async def test_unknown_target_is_unknown_operation(
    client: TestClient[Any, Any], service: ScriptedService, target: str | None
) -> None:
    headers = {"Content-Type": AMZ_JSON}
    if target is not None:
        headers["X-Amz-Target"] = target
    response = await client.post("/", data=b'{"TableName": "t"}', headers=headers)
    raw = await response.read()
    assert_crc32(response, raw)
    assert_request_id(response)
    assert response.status == 400
    assert response.headers["Content-Type"] == AMZ_JSON
    assert json.loads(raw) == UNKNOWN_OPERATION
    assert service.calls == []


@pytest.mark.parametrize(
    "body",
    [b"{", b"not json", b'{"TableName": NaN}', b"\xff\xfe\x00", b'{"a": 1}{"b": 2}', b"[" * 50_000],
)
async def test_a_body_that_is_not_json_is_a_serialization_exception(
    client: TestClient[Any, Any], service: ScriptedService, body: bytes
) -> None:
    response, raw = await post(client, "GetItem", body)
    assert response.status == 400
    assert json.loads(raw) == SERIALIZATION
    assert service.calls == []


@pytest.mark.parametrize("body", [b"[]", b'"GetItem"', b"5", b"null", b"true", b" "])
async def test_json_that_is_not_an_object_is_a_serialization_exception(
    client: TestClient[Any, Any], service: ScriptedService, body: bytes
) -> None:
    response, raw = await post(client, "GetItem", body)
    assert (response.status, json.loads(raw)) == (400, SERIALIZATION)
    assert service.calls == []


async def test_no_body_is_a_serialization_exception(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    response, raw = await post(client, "GetItem", None, content_type="")
    assert (response.status, json.loads(raw)) == (400, SERIALIZATION)
    assert service.calls == []


async def test_json_is_parsed_before_the_target_is_checked(client: TestClient[Any, Any]) -> None:
    bad_json, raw = await post(client, "NoSuchThing", b"{")
    assert (bad_json.status, json.loads(raw)) == (400, SERIALIZATION)
    no_body, raw = await post(client, "NoSuchThing", None, content_type="")
    assert (no_body.status, json.loads(raw)) == (400, UNKNOWN_OPERATION)


async def test_bad_base64_is_a_serialization_exception_with_capital_message(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    response, raw = await post(client, "GetItem", {"TableName": "t", "Key": {"k": {"B": "23456"}}})
    assert response.status == 400
    assert json.loads(raw) == {
        "__type": "com.amazon.coral.service#SerializationException",
        "Message": "Base64 encoded length is expected a multiple of 4 bytes but found: 5",
    }
    assert service.calls == []


async def test_wrong_json_types_reach_the_operation_untouched(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    request = {"TableName": 5, "Key": {"k": {"B": 12}, "l": {"L": "x"}}}
    response, _ = await post(client, "GetItem", request)
    assert response.status == 200
    assert service.calls == [("GetItem", request)]


async def test_get_is_a_health_check(client: TestClient[Any, Any]) -> None:
    response = await client.get("/")
    raw = await response.read()
    assert (response.status, raw) == (200, b"healthy: dynamodb.us-east-1.amazonaws.com ")
    assert_crc32(response, raw)


@pytest.mark.parametrize(
    ("method", "content_type"), [("PUT", AMZ_JSON), ("DELETE", AMZ_JSON), ("POST", "text/plain")]
)
async def test_other_methods_and_content_types_are_not_found(
    client: TestClient[Any, Any], service: ScriptedService, method: str, content_type: str
) -> None:
    headers = {"X-Amz-Target": TARGET + "GetItem", "Content-Type": content_type}
    response = await client.request(method, "/", data=b"{}", headers=headers)
    raw = await response.read()
    assert (response.status, raw) == (404, b"<UnknownOperationException/>\n")
    assert_crc32(response, raw)
    assert service.calls == []


async def test_a_body_over_16_mb_is_refused(client: TestClient[Any, Any], service: ScriptedService) -> None:
    response, raw = await post(client, "PutItem", b" " * (16 * 1024 * 1024 + 1))
    assert response.status == 413
    assert response.headers["Content-Type"] == AMZ_JSON
    assert_request_id(response)
    assert json.loads(raw) == {
        "__type": CORAL + "RequestEntityTooLargeException",
        "message": "Request size exceeds the limit of 16777216 bytes",
    }
    assert service.calls == []


async def test_a_body_of_16_mb_is_read(client: TestClient[Any, Any], service: ScriptedService) -> None:
    body = b'{"TableName": "t"}'
    response, _ = await post(client, "PutItem", body + b" " * (16 * 1024 * 1024 - len(body)))
    assert response.status == 200
    assert service.calls == [("PutItem", {"TableName": "t"})]


# --- error bodies ---------------------------------------------------------------------------------

DYNAMODB = "com.amazonaws.dynamodb.v20120810#"
CORAL = "com.amazon.coral.service#"


@pytest.mark.parametrize(
    ("error", "namespace", "message_key", "status"),
    [
        (ValidationException, "com.amazon.coral.validate#", "message", 400),
        (SerializationException, CORAL, "Message", 400),
        (AccessDeniedException, CORAL, "message", 400),
        (UnrecognizedClientException, CORAL, "message", 400),
        (MissingAuthenticationTokenException, CORAL, "message", 400),
        (IncompleteSignatureException, CORAL, "message", 400),
        (ThrottlingException, "com.amazon.coral.availability#", "message", 400),
        (ResourceNotFoundException, DYNAMODB, "message", 400),
        (ResourceInUseException, DYNAMODB, "message", 400),
        (ConditionalCheckFailedException, DYNAMODB, "message", 400),
        (ProvisionedThroughputExceededException, DYNAMODB, "message", 400),
        (RequestLimitExceeded, DYNAMODB, "message", 400),
        (ItemCollectionSizeLimitExceededException, DYNAMODB, "message", 400),
        (LimitExceededException, DYNAMODB, "message", 400),
        (TransactionCanceledException, DYNAMODB, "Message", 400),
        (TransactionConflictException, DYNAMODB, "message", 400),
        (IdempotentParameterMismatchException, DYNAMODB, "Message", 400),
        (TransactionInProgressException, DYNAMODB, "Message", 400),
        (ReplicatedWriteConflictException, DYNAMODB, "message", 409),
        (InternalServerError, DYNAMODB, "message", 500),
        (error_class("SomethingNewException"), DYNAMODB, "message", 400),
    ],
)
async def test_error_body_namespace_message_key_and_status(
    client: TestClient[Any, Any],
    service: ScriptedService,
    error: type[DynamoDBError],
    namespace: str,
    message_key: str,
    status: int,
) -> None:
    service.reply = error("Something went wrong: x", "GetItem")
    response, raw = await post(client, "GetItem", {"TableName": "t"})
    assert response.status == status
    assert response.headers["Content-Type"] == AMZ_JSON
    assert_request_id(response)
    assert json.loads(raw) == {"__type": namespace + error.code, message_key: "Something went wrong: x"}


async def test_an_error_status_can_be_set_per_instance(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    service.reply = error_class("ServiceUnavailable")("Service unavailable", http_status=503)
    response, raw = await post(client, "GetItem", {})
    assert response.status == 503
    assert json.loads(raw)["__type"] == DYNAMODB + "ServiceUnavailable"


async def test_transaction_canceled_carries_its_reasons_with_binary_encoded(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    reasons = [
        {"Code": "None"},
        {
            "Code": "ConditionalCheckFailed",
            "Message": "The conditional request failed",
            "Item": {"k": {"B": b"a"}},
        },
    ]
    message = (
        "Transaction cancelled, please refer cancellation reasons for specific reasons"
        " [None, ConditionalCheckFailed]"
    )
    service.reply = TransactionCanceledException(message, extra={"CancellationReasons": reasons})
    response, raw = await post(client, "GetItem", {})
    assert response.status == 400
    assert json.loads(raw) == {
        "__type": DYNAMODB + "TransactionCanceledException",
        "Message": message,
        "CancellationReasons": [
            {"Code": "None"},
            {
                "Code": "ConditionalCheckFailed",
                "Message": "The conditional request failed",
                "Item": {"k": {"B": "YQ=="}},
            },
        ],
    }


async def test_conditional_check_failed_carries_the_old_item(
    client: TestClient[Any, Any], service: ScriptedService
) -> None:
    service.reply = ConditionalCheckFailedException(
        "The conditional request failed", extra={"Item": {"k": {"BS": [b"a"]}, "n": {"N": "1"}}}
    )
    _, raw = await post(client, "PutItem", {})
    assert json.loads(raw) == {
        "__type": DYNAMODB + "ConditionalCheckFailedException",
        "message": "The conditional request failed",
        "Item": {"k": {"BS": ["YQ=="]}, "n": {"N": "1"}},
    }


async def test_throttling_reasons_are_kept(client: TestClient[Any, Any], service: ScriptedService) -> None:
    reasons = [{"reason": "TableReadProvisionedThroughputExceeded", "resource": "arn:aws:dynamodb:x"}]
    service.reply = ProvisionedThroughputExceededException("slow down", extra={"ThrottlingReasons": reasons})
    _, raw = await post(client, "GetItem", {})
    assert json.loads(raw)["ThrottlingReasons"] == reasons


def test_error_body_never_lets_extras_override_type_or_message() -> None:
    err = ValidationException("real", extra={"__type": "x#Y", "message": "fake", "Other": 1})
    assert error_body(err) == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "Other": 1,
        "message": "real",
    }


def test_an_empty_message_is_left_out() -> None:
    assert error_body(SerializationException("")) == SERIALIZATION


# --- internal errors ------------------------------------------------------------------------------

INTERNAL = {"__type": DYNAMODB + "InternalServerError", "message": "Internal server error"}


async def test_an_unexpected_exception_is_a_logged_500(
    client: TestClient[Any, Any], service: ScriptedService, caplog: pytest.LogCaptureFixture
) -> None:
    service.reply = RuntimeError("boom")
    with caplog.at_level(logging.ERROR, logger="aiodynamodb_fake.server"):
        response, raw = await post(client, "GetItem", {"TableName": "t"})
    assert response.status == 500
    assert response.headers["Content-Type"] == AMZ_JSON
    assert_request_id(response)
    assert json.loads(raw) == INTERNAL
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)
    # the server keeps answering afterwards
    service.reply = {}
    again, raw = await post(client, "GetItem", {"TableName": "t"})
    assert (again.status, raw) == (200, b"{}")


@pytest.mark.parametrize(
    "reply",
    [
        {"Item": {"k": {"S": object()}}},  # cannot be JSON
        ["not", "a", "dict"],
        ValidationException("x", extra={"Bad": object()}),
    ],
)
async def test_a_response_that_cannot_be_encoded_is_a_500(
    client: TestClient[Any, Any], service: ScriptedService, reply: Any
) -> None:
    service.reply = reply
    response, raw = await post(client, "GetItem", {})
    assert (response.status, json.loads(raw)) == (500, INTERNAL)


async def test_operations_failing_in_odd_ways_still_get_an_answer(service: ScriptedService) -> None:
    class Exploding(ScriptedService):
        @property
        def operations(self) -> frozenset[str]:
            raise KeyError("operations")

    async with TestClient(TestServer(make_app(Exploding()))) as test_client:
        response, raw = await post(test_client, "GetItem", {})
        assert (response.status, json.loads(raw)) == (500, INTERNAL)


# --- the real fake behind the app -----------------------------------------------------------------


@pytest.fixture
async def fake_client() -> AsyncIterator[tuple[FakeDynamoDB, TestClient[Any, Any]]]:
    fake = FakeDynamoDB()
    async with TestClient(TestServer(make_app(fake))) as test_client:
        yield fake, test_client


def needs(fake: FakeDynamoDB, *operations: str) -> None:
    missing = sorted(set(operations) - fake.operations)
    if missing:
        pytest.skip(f"FakeDynamoDB does not implement {', '.join(missing)} yet")


async def test_the_real_fake_answers_and_its_errors_come_back_as_dynamodb_sends_them(
    fake_client: tuple[FakeDynamoDB, TestClient[Any, Any]],
) -> None:
    fake, test_client = fake_client
    needs(fake, "GetItem")
    response, raw = await post(test_client, "GetItem", {"TableName": "missing", "Key": {"k": {"S": "x"}}})
    assert response.status == 400
    assert json.loads(raw) == {
        "__type": DYNAMODB + "ResourceNotFoundException",
        "message": "Requested resource not found",
    }
    response, raw = await post(test_client, "GetItem", {"Key": {"k": {"S": "x"}}})
    assert response.status == 400
    body = json.loads(raw)
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    assert (
        "Value null at 'tableName' failed to satisfy constraint: Member must not be null" in body["message"]
    )


async def test_the_real_fake_round_trips_binary(
    fake_client: tuple[FakeDynamoDB, TestClient[Any, Any]],
) -> None:
    fake, test_client = fake_client
    needs(fake, "CreateTable", "PutItem", "GetItem")
    create_table(fake, "bin", hash_key=("k", "B"), range_key=None)
    item: dict[str, Any] = {
        "k": {"B": "AAEC"},
        "bs": {"BS": ["YQ==", "Yg=="]},
        "m": {"M": {"b": {"B": "/w=="}}},
    }
    response, _ = await post(test_client, "PutItem", {"TableName": "bin", "Item": item})
    assert response.status == 200
    stored = fake.call_sync("GetItem", {"TableName": "bin", "Key": {"k": {"B": b"\x00\x01\x02"}}})
    assert stored["Item"]["m"] == {"M": {"b": {"B": b"\xff"}}}
    response, raw = await post(test_client, "GetItem", {"TableName": "bin", "Key": {"k": {"B": "AAEC"}}})
    got = json.loads(raw)["Item"]
    assert got["k"] == item["k"] and got["m"] == item["m"]
    assert sorted(got["bs"]["BS"]) == sorted(item["bs"]["BS"])


# --- running it -----------------------------------------------------------------------------------


async def test_start_server_serves_on_the_running_loop(service: ScriptedService) -> None:
    running = await start_server(service, "127.0.0.1", 0)
    try:
        assert running.port > 0
        assert running.url == f"http://127.0.0.1:{running.port}"
        async with ClientSession() as session:
            headers = {"X-Amz-Target": TARGET + "GetItem", "Content-Type": AMZ_JSON}
            async with session.post(running.url, data=b'{"TableName": "t"}', headers=headers) as response:
                assert (response.status, await response.read()) == (200, b"{}")
    finally:
        await running.close()
    assert service.calls == [("GetItem", {"TableName": "t"})]


def test_server_thread_binds_a_free_port_and_stops(service: ScriptedService) -> None:
    server = ServerThread(service).start()
    try:
        assert server.port > 0
        with socket.create_connection(("127.0.0.1", server.port), timeout=10):
            pass
        with pytest.raises(RuntimeError, match="already started"):
            server.start()
    finally:
        server.stop()
    server.stop()  # twice is fine
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=10):
        pass


def test_server_thread_raises_when_the_port_is_taken(service: ScriptedService) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            ServerThread(service, port=taken.getsockname()[1]).start()


def test_server_thread_makes_its_own_fake_when_given_none() -> None:
    with ServerThread() as server:
        assert isinstance(server.fake, FakeDynamoDB)


def test_only_serve_tunes_the_collector_of_its_process(monkeypatch: pytest.MonkeyPatch) -> None:
    thresholds = gc.get_threshold()
    with ServerThread():
        assert gc.get_threshold() == thresholds  # a server in the tests' process leaves it alone
    monkeypatch.setattr(gc, "set_threshold", lambda *values: setattr(tuned, "values", values))
    tuned = SimpleNamespace(values=())
    server_module._tune_collector()
    assert tuned.values == (server_module.SERVER_GC_THRESHOLD, *thresholds[1:])


# --- the protocol without HTTP --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "body", "content_type"),
    [
        ("GetItem", b'{"TableName": "t", "Key": {"k": {"B": "AAE="}}}', AMZ_JSON),
        ("GetItem", b'{"TableName": "t"}', "application/json"),
        ("NoSuchThing", b"{}", AMZ_JSON),
        ("GetItem", b"{", AMZ_JSON),
        ("GetItem", b'{"Key": {"k": {"B": "23456"}}}', AMZ_JSON),
        ("GetItem", b"{}", "text/plain"),
    ],
)
async def test_handle_answers_exactly_what_the_server_sends(
    client: TestClient[Any, Any], service: ScriptedService, operation: str, body: bytes, content_type: str
) -> None:
    service.reply = {"Item": {"k": {"B": b"\x00\x01"}}}
    response, raw = await post(client, operation, body, content_type=content_type)
    reply = protocol.handle(
        service,
        TARGET + operation,
        {"Content-Type": content_type},
        body,
        request_id=response.headers["x-amzn-RequestId"],
    )
    assert (reply.status, reply.body) == (response.status, raw)
    for name, value in reply.headers.items():
        assert response.headers[name] == value


def test_handle_reads_headers_in_any_case_and_inflates_gzip(service: ScriptedService) -> None:
    body = gzip.compress(b'{"TableName": "t"}')
    reply = protocol.handle(
        service, TARGET + "PutItem", {"CONTENT-TYPE": AMZ_JSON, "content-ENCODING": "gzip"}, body
    )
    assert (reply.status, reply.body) == (200, b"{}")
    assert service.calls == [("PutItem", {"TableName": "t"})]
    assert re.fullmatch(r"[A-Z0-9]{52}", reply.headers["x-amzn-RequestId"])
    assert reply.headers["x-amz-crc32"] == str(zlib.crc32(b"{}"))


def test_handle_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(ScriptedService):
        @property
        def operations(self) -> frozenset[str]:
            raise KeyError("operations")

    with caplog.at_level(logging.ERROR, logger="aiodynamodb_fake.protocol"):
        reply = protocol.handle(
            Broken(), TARGET + "GetItem", {"Content-Type": AMZ_JSON}, b"{}", request_id="R"
        )
    assert (reply.status, json.loads(reply.body)) == (500, INTERNAL)
    assert reply.headers["x-amzn-RequestId"] == "R"
    assert any(record.exc_info and "operations" in str(record.exc_info[1]) for record in caplog.records)


def test_a_body_over_16_mb_is_refused_by_the_protocol_too(service: ScriptedService) -> None:
    reply = protocol.handle(service, TARGET + "PutItem", {}, b" " * (16 * 1024 * 1024 + 1))
    assert reply.status == 413
    assert json.loads(reply.body)["__type"] == CORAL + "RequestEntityTooLargeException"
    assert service.calls == []
