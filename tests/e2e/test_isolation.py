"""Isolation as DynamoDB Local keeps it, over real loopback sockets: a database per access key id and
region of the SigV4 ``Authorization`` header, one for all with ``--shared-db``, and a request that
is not signed refused with DynamoDB's error, in DynamoDB's order (dynalite's index.js: method and
content type, JSON, target, then the signature, then the body's own checks)."""

from __future__ import annotations

import http.client
import json
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb_fake.databases import Databases, DatabaseSettings
from aiodynamodb_fake.server import ServerThread
from tests.e2e.conftest import key_schema
from tests.support.cli_server import NO_RETRIES, CliServer, boto3_client

CORAL = "com.amazon.coral.service#"
SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0",
    "X-Amz-Date": "20260101T000000Z",
}
MISSING = {
    "__type": CORAL + "MissingAuthenticationTokenException",
    "message": "Request is missing Authentication Token",
}


def create_table(client: Any, name: str) -> None:
    client.create_table(TableName=name, **key_schema())


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(databases=Databases()) as running:
        yield running


def post(
    port: int,
    body: bytes,
    target: str | None = "DynamoDB_20120810.ListTables",
    headers: dict[str, str] | None = None,
    *,
    content_type: str = "application/x-amz-json-1.0",
) -> tuple[int, Any]:
    """One raw request; the status and the JSON body (or the raw body if it is not JSON)."""
    fields = {"Content-Type": content_type, **(headers or {})}
    if target is not None:
        fields["X-Amz-Target"] = target
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/", body=body, headers=fields)
        response = connection.getresponse()
        raw = response.read()
        assert response.getheader("x-amz-crc32") == str(zlib.crc32(raw) & 0xFFFFFFFF)
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw
    finally:
        connection.close()


# --- separate databases -----------------------------------------------------------------------------


def test_two_access_keys_see_separate_tables(server: ServerThread) -> None:
    alice, bob = boto3_client(server.url, key="alice"), boto3_client(server.url, key="bob")
    create_table(alice, "orders")
    alice.put_item(TableName="orders", Item={"pk": {"S": "a"}})
    assert bob.list_tables()["TableNames"] == []
    with pytest.raises(ClientError) as caught:
        bob.get_item(TableName="orders", Key={"pk": {"S": "a"}})
    assert caught.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Requested resource not found",
    }
    create_table(bob, "orders")  # the same name is free in bob's database
    assert "Item" not in bob.get_item(TableName="orders", Key={"pk": {"S": "a"}})
    assert alice.get_item(TableName="orders", Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}


def test_two_regions_see_separate_tables_and_their_own_arns(server: ServerThread) -> None:
    east = boto3_client(server.url, key="same", region="us-east-1")
    west = boto3_client(server.url, key="same", region="eu-west-1")
    create_table(east, "events")
    assert west.list_tables()["TableNames"] == []
    create_table(west, "events")
    assert east.describe_table(TableName="events")["Table"]["TableArn"].startswith(
        "arn:aws:dynamodb:us-east-1:"
    )
    assert west.describe_table(TableName="events")["Table"]["TableArn"].startswith(
        "arn:aws:dynamodb:eu-west-1:"
    )
    assert [tenant.name for tenant in server.databases.tenants()] == ["same/us-east-1", "same/eu-west-1"]


def test_a_shared_database_is_seen_by_every_key_and_region() -> None:
    with ServerThread(databases=Databases(DatabaseSettings(shared=True))) as server:
        alice = boto3_client(server.url, key="alice", region="us-east-1")
        bob = boto3_client(server.url, key="bob", region="ap-south-1")
        create_table(alice, "shared")
        bob.put_item(TableName="shared", Item={"pk": {"S": "from-bob"}})
        assert alice.get_item(TableName="shared", Key={"pk": {"S": "from-bob"}})["Item"] == {
            "pk": {"S": "from-bob"}
        }
        assert [tenant.name for tenant in server.databases.tenants()] == ["shared"]


def test_the_cli_keeps_tenants_apart_unless_shared_db() -> None:
    with CliServer() as server:
        create_table(boto3_client(server.url, key="alice"), "tab")
        assert boto3_client(server.url, key="bob").list_tables()["TableNames"] == []
    with CliServer("--shared-db") as server:
        create_table(boto3_client(server.url, key="alice"), "tab")
        assert boto3_client(server.url, key="bob", region="eu-west-1").list_tables()["TableNames"] == ["tab"]


def test_a_server_of_one_fake_still_takes_unsigned_requests() -> None:
    with ServerThread() as server:
        assert post(server.port, b"{}") == (200, {"TableNames": []})


# --- refused as DynamoDB refuses ---------------------------------------------------------------------


def test_an_unsigned_boto3_client_gets_missing_authentication_token(server: ServerThread) -> None:
    config = NO_RETRIES.merge(Config(signature_version=UNSIGNED))
    client = boto3_client(server.url, config=config)
    with pytest.raises(ClientError) as caught:
        client.list_tables()
    assert caught.value.response["Error"] == {
        "Code": "MissingAuthenticationTokenException",
        "Message": "Request is missing Authentication Token",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def _garbling(replace: tuple[str, str]) -> Any:
    def garble(request: Any, **_: Any) -> None:
        signed = request.headers["Authorization"]
        text = signed.decode() if isinstance(signed, bytes) else signed
        request.headers["Authorization"] = text.replace(*replace, 1)

    return garble


@pytest.mark.parametrize(
    ("replace", "code", "message"),
    [
        (
            ("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
            "IncompleteSignatureException",
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). ",
        ),
        (
            ("/dynamodb/", "/s3/"),
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'dynamodb'.",
        ),
        (
            ("Credential=garbler", "Credential="),
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ),
    ],
    ids=["algorithm", "service", "no-key"],
)
def test_a_garbled_signature_is_refused_with_the_code_botocore_sees(
    server: ServerThread, replace: tuple[str, str], code: str, message: str
) -> None:
    client = boto3_client(server.url, key="garbler")
    client.meta.events.register("before-send.dynamodb.*", _garbling(replace))
    with pytest.raises(ClientError) as caught:
        client.list_tables()
    assert caught.value.response["Error"] == {"Code": code, "Message": message}
    assert server.databases.tenants() == []  # a refused request makes no database


def test_an_incomplete_header_names_every_missing_part(server: ServerThread) -> None:
    header = "AWS4-HMAC-SHA256 Signature=abc"
    assert post(server.port, b"{}", headers={"Authorization": header}) == (
        400,
        {
            "__type": CORAL + "IncompleteSignatureException",
            "message": "Authorization header requires 'Credential' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=AWS4-HMAC-SHA256 Signature=abc",
        },
    )


@pytest.mark.parametrize(
    ("body", "target", "content_type", "expected"),
    [
        (b"{}", "DynamoDB_20120810.ListTables", "text/plain", (404, b"<UnknownOperationException/>\n")),
        (
            b"{not json",
            "DynamoDB_20120810.ListTables",
            "application/x-amz-json-1.0",
            (400, {"__type": CORAL + "SerializationException"}),
        ),
        (
            b"{}",
            "DynamoDB_20120810.Nope",
            "application/x-amz-json-1.0",
            (400, {"__type": CORAL + "UnknownOperationException"}),
        ),
        (b"{}", None, "application/x-amz-json-1.0", (400, {"__type": CORAL + "UnknownOperationException"})),
        # past the target, the signature comes before anything about the body itself
        (b"", "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", (400, MISSING)),
        (b"[]", "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", (400, MISSING)),
        (b'{"Limit": "x"}', "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", (400, MISSING)),
        (
            b'{"Key": {"k": {"B": "!"}}}',
            "DynamoDB_20120810.GetItem",
            "application/x-amz-json-1.0",
            (400, MISSING),
        ),
    ],
    ids=[
        "content-type",
        "json",
        "unknown-target",
        "no-target",
        "empty-body",
        "not-an-object",
        "bad-member",
        "bad-base64",
    ],
)
def test_an_unsigned_request_is_refused_in_dynamodbs_order(
    server: ServerThread, body: bytes, target: str | None, content_type: str, expected: tuple[int, Any]
) -> None:
    assert post(server.port, body, target, content_type=content_type) == expected


def test_a_signed_request_goes_on_to_the_bodys_own_checks(server: ServerThread) -> None:
    assert post(server.port, b"[]", headers=SIGNED) == (400, {"__type": CORAL + "SerializationException"})
    assert post(server.port, b"{}", headers=SIGNED) == (200, {"TableNames": []})
