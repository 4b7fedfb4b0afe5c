"""Every client-side fault, in process, is a DynamoDB error (issue 7): never AttributeError & co.

Examples pinned here, one per way a request can be wrong before any operation looks inside it; the
property ``tests/properties/test_fuzz_operations.py`` generates the rest. A request that is not a
mapping gets what DynamoDB answers a JSON body that is not an object (defect 9), with the very body
the server sends for one; a lone surrogate in base64 gets DynamoDB's base64 message through the wire
codec the server uses (defect 6).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from aiodynamodb.errors import DynamoDBError, SerializationException, UnknownOperationException
from aiodynamodb_fake import FakeDynamoDB, wire
from aiodynamodb_fake.server import error_body, make_app

OPERATIONS = sorted(FakeDynamoDB().operations)
NOT_MAPPINGS = [
    pytest.param(None, id="None"),
    pytest.param([], id="empty-list"),
    pytest.param([{"TableName": "tab"}], id="list"),
    pytest.param(("TableName", "tab"), id="tuple"),
    pytest.param("", id="empty-str"),
    pytest.param('{"TableName": "tab"}', id="str"),
    pytest.param(b"{}", id="bytes"),
    pytest.param(0, id="zero"),
    pytest.param(10**5000, id="huge-int"),
    pytest.param(1.5, id="float"),
    pytest.param(True, id="bool"),
    pytest.param({"TableName"}, id="set"),
]
TABLE = {
    "TableName": "faults",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "B"}],
    "BillingMode": "PAY_PER_REQUEST",
}


# --- a request that is not a mapping (defect 9) ------------------------------------------------------


@pytest.mark.parametrize("request_", NOT_MAPPINGS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_request_that_is_not_a_mapping_is_a_serialization_exception(operation: str, request_: Any) -> None:
    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", TABLE)
    with pytest.raises(SerializationException) as caught:
        fake.call_sync(operation, request_)
    assert caught.value.message == ""  # DynamoDB's answer to a body that is not a JSON object has none
    assert caught.value.operation_name == operation
    assert fake.table_names() == ["faults"]


@pytest.mark.parametrize("operation", [None, 5, b"GetItem", ["GetItem"], {"GetItem": 1}, "getitem"])
def test_an_operation_that_is_not_a_known_name_is_an_unknown_operation(operation: Any) -> None:
    requests: list[Any] = [{"TableName": "faults"}, None]
    for request in requests:
        with pytest.raises(UnknownOperationException) as caught:
            FakeDynamoDB().call_sync(operation, request)
        assert caught.value.message == ""


async def test_the_async_call_answers_the_same() -> None:
    with pytest.raises(SerializationException) as caught:
        await FakeDynamoDB().call("GetItem", None)  # type: ignore[arg-type]  # the fault under test
    assert caught.value.message == ""


async def test_in_process_and_over_http_the_error_body_is_the_same() -> None:
    fake = FakeDynamoDB()
    async with TestClient(TestServer(make_app(fake, seed=1))) as client:
        for operation in OPERATIONS:
            for request, body in ((None, b"null"), ([], b"[]"), ("x", b'"x"'), (5, b"5")):
                with pytest.raises(DynamoDBError) as caught:
                    fake.call_sync(operation, request)  # type: ignore[arg-type]  # the fault under test
                headers = {
                    "X-Amz-Target": f"DynamoDB_20120810.{operation}",
                    "Content-Type": "application/x-amz-json-1.0",
                }
                response = await client.post("/", data=body, headers=headers)
                assert response.status == caught.value.http_status == 400
                assert json.loads(await response.read()) == error_body(caught.value)


# --- a lone surrogate in base64 (defect 6) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "request_"),
    [
        ("PutItem", {"TableName": "faults", "Item": {"pk": {"B": "\ud800"}}}),
        ("PutItem", {"TableName": "faults", "Item": {"pk": {"B": "YQ=="}, "s": {"BS": ["YQ==", "\udfff"]}}}),
        ("GetItem", {"TableName": "faults", "Key": {"pk": {"B": "\ud800"}}}),
        ("DeleteItem", {"TableName": "faults", "Key": {"pk": {"B": "\ud800"}}}),
        ("BatchGetItem", {"RequestItems": {"faults": {"Keys": [{"pk": {"B": "\ud800"}}]}}}),
        ("BatchWriteItem", {"RequestItems": {"faults": [{"PutRequest": {"Item": {"pk": {"B": "\ud800"}}}}]}}),
    ],
)
def test_a_lone_surrogate_in_base64_is_a_serialization_exception(operation: str, request_: Any) -> None:
    """As the server runs a request: the wire codec, then the fake."""
    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", TABLE)
    with pytest.raises(SerializationException) as caught:
        fake.call_sync(operation, wire.decode_request(operation, request_))
    assert caught.value.message == "Base64 encoded length is expected a multiple of 4 bytes but found: 1"
    assert fake.item_count("faults") == 0


async def test_a_lone_surrogate_in_base64_over_http_is_a_400() -> None:
    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", TABLE)
    headers = {"X-Amz-Target": "DynamoDB_20120810.PutItem", "Content-Type": "application/x-amz-json-1.0"}
    body = b'{"TableName": "faults", "Item": {"pk": {"B": "YQ=\\udfff"}}}'
    async with TestClient(TestServer(make_app(fake, seed=1))) as client:
        response = await client.post("/", data=body, headers=headers)
        assert response.status == 400
        assert json.loads(await response.read()) == {
            "__type": "com.amazon.coral.service#SerializationException",
            "Message": "Invalid last non-pad Base64 character dectected",
        }
    assert fake.item_count("faults") == 0
