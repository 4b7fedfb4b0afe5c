"""The admin endpoint (``--admin``) over real loopback sockets: faults set and cleared at run time as a
boto3 client sees them, for every tenant (those made later too) or one; reset, snapshot and journal;
errors as JSON with a clear message; and with the endpoint off, ``/_admin/`` is a DynamoDB path."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake.databases import Databases
from aiodynamodb_fake.server import ServerThread
from aiodynamodb_fake.service import FakeDynamoDB
from tests.e2e.conftest import key_schema
from tests.support.cli_server import CliServer, boto3_client

TABLE = "admin-items"


def call(
    port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """One HTTP request; the status and the JSON answer (raw bytes if it is not JSON)."""
    payload = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=payload, headers=headers or {})
        response = connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw
    finally:
        connection.close()


def admin(port: int, name: str, body: Any = None, method: str = "POST") -> Any:
    status, answer = call(port, method, "/_admin/" + name, body)
    assert status == 200, answer
    return answer


def create_table(client: Any, name: str = TABLE) -> None:
    client.create_table(TableName=name, **key_schema(("pk", "B")))


def puts(*keys: bytes) -> dict[str, Any]:
    return {TABLE: [{"PutRequest": {"Item": {"pk": {"B": key}, "n": {"N": "1.50"}}}} for key in keys]}


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(databases=Databases(), admin=True) as running:
        yield running


@pytest.fixture
def alice(server: ServerThread) -> Any:
    client = boto3_client(server.url, key="alice")
    create_table(client)
    return client


# --- faults ---------------------------------------------------------------------------------------


def test_a_throttle_set_and_cleared_at_run_time(server: ServerThread, alice: Any) -> None:
    answer = admin(server.port, "throttle", {"rate": 1.0, "operations": ["BatchWriteItem"]})
    assert answer == {"tenants": [{"access_key_id": "alice", "region": "us-east-1"}], "server_wide": True}
    with pytest.raises(ClientError) as caught:
        alice.batch_write_item(RequestItems=puts(b"a", b"b"))
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    alice.put_item(TableName=TABLE, Item={"pk": {"B": b"single"}})  # only BatchWriteItem was named

    admin(server.port, "clear-faults")
    assert alice.batch_write_item(RequestItems=puts(b"a", b"b"))["UnprocessedItems"] == {}


def test_a_scripted_failure_is_what_botocore_sees(server: ServerThread, alice: Any) -> None:
    admin(server.port, "fail", {"operation": "GetItem", "error": "InternalServerError", "times": 1})
    with pytest.raises(ClientError) as caught:
        alice.get_item(TableName=TABLE, Key={"pk": {"B": b"x"}})
    assert caught.value.response["Error"] == {
        "Code": "InternalServerError",
        "Message": "Internal server error",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "Item" not in alice.get_item(TableName=TABLE, Key={"pk": {"B": b"x"}})  # times=1: spent


def test_unprocess_takes_keys_in_dynamodb_json(server: ServerThread, alice: Any) -> None:
    key = {"pk": {"B": base64.b64encode(b"\x00\xff").decode()}}
    admin(server.port, "unprocess", {"operation": "BatchWriteItem", "keys": [key]})
    answer = alice.batch_write_item(RequestItems=puts(b"ok", b"\x00\xff"))
    assert answer["UnprocessedItems"] == {TABLE: puts(b"\x00\xff")[TABLE]}


def test_server_wide_faults_reach_tenants_made_later(server: ServerThread) -> None:
    admin(server.port, "fail", {"operation": "ListTables", "error": "LimitExceededException", "times": 1})
    latecomer = boto3_client(server.url, key="late")
    with pytest.raises(ClientError) as caught:
        latecomer.list_tables()
    assert caught.value.response["Error"] == {
        "Code": "LimitExceededException",
        "Message": "Too many operations for a given subscriber.",
    }
    admin(server.port, "clear-faults")
    assert boto3_client(server.url, key="later-still").list_tables()["TableNames"] == []


def test_a_fault_for_one_tenant_leaves_the_others_alone(server: ServerThread, alice: Any) -> None:
    bob = boto3_client(server.url, key="bob", region="eu-west-1")
    one = {"access_key_id": "bob", "region": "eu-west-1"}
    answer = admin(
        server.port, "fail", {**one, "operation": None, "error": "InternalServerError", "times": None}
    )
    assert answer == {"tenants": [one], "server_wide": False}  # made now: the fault waits for bob
    with pytest.raises(ClientError):
        bob.list_tables()
    assert alice.list_tables()["TableNames"] == [TABLE]
    assert boto3_client(server.url, key="carol").list_tables()["TableNames"] == []
    admin(server.port, "clear-faults", one)
    assert bob.list_tables()["TableNames"] == []


# --- reset, snapshot, journal -------------------------------------------------------------------------


def test_snapshot_shows_every_tenant_in_dynamodb_json(server: ServerThread, alice: Any) -> None:
    alice.put_item(TableName=TABLE, Item={"pk": {"B": b"\x01"}, "n": {"N": "1.50"}, "s": {"SS": ["x"]}})
    boto3_client(server.url, key="bob").list_tables()
    assert admin(server.port, "snapshot", method="GET") == {
        "tenants": [
            {
                "access_key_id": "alice",
                "region": "us-east-1",
                "tables": {
                    TABLE: {
                        "Count": 1,
                        "Items": [{"pk": {"B": "AQ=="}, "n": {"N": "1.5"}, "s": {"SS": ["x"]}}],
                    }
                },
            },
            {"access_key_id": "bob", "region": "us-east-1", "tables": {}},
        ]
    }
    status, one = call(server.port, "GET", "/_admin/snapshot?access_key_id=bob&region=us-east-1")
    assert (status, one) == (
        200,
        {"tenants": [{"access_key_id": "bob", "region": "us-east-1", "tables": {}}]},
    )


def test_reset_drops_every_table_but_keeps_faults(server: ServerThread, alice: Any) -> None:
    bob = boto3_client(server.url, key="bob")
    create_table(bob)
    admin(server.port, "throttle", {"rate": 1.0})
    assert admin(server.port, "reset", {"access_key_id": "bob", "region": "us-east-1"})["tenants"] == [
        {"access_key_id": "bob", "region": "us-east-1"}
    ]
    assert bob.list_tables()["TableNames"] == [] and alice.list_tables()["TableNames"] == [TABLE]
    admin(server.port, "reset")
    assert alice.list_tables()["TableNames"] == []
    create_table(alice)
    with pytest.raises(ClientError) as caught:  # the throttle outlived the reset
        alice.put_item(TableName=TABLE, Item={"pk": {"B": b"a"}})
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"


def test_the_journal_lists_requests_and_fault_events(server: ServerThread, alice: Any) -> None:
    admin(server.port, "unprocess", {"operation": "BatchWriteItem", "keys": [{"pk": {"B": "AA=="}}]})
    alice.batch_write_item(RequestItems=puts(b"\x00", b"\x01"))
    journal = admin(server.port, "journal", {"access_key_id": "alice", "region": "us-east-1"})
    (tenant,) = journal["tenants"]
    assert [
        (r["call"], r["operation"], r["tables"], r["requests"], r["outcome"], r["unprocessed"])
        for r in tenant["requests"]
    ] == [
        (1, "CreateTable", [TABLE], 0, "OK", 0),
        (2, "BatchWriteItem", [TABLE], 2, "OK", 1),
    ]
    assert [(e["call"], e["kind"], e["operation"], e["detail"]) for e in tenant["events"]] == [
        (2, "unprocess", "BatchWriteItem", "1 of 2 requests")
    ]


# --- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        (
            "POST",
            "/_admin/nope",
            None,
            404,
            "no admin endpoint /_admin/nope; there are /_admin/throttle, /_admin/fail, /_admin/unprocess, /_admin/clear-faults, /_admin/reset, /_admin/snapshot, /_admin/journal",
        ),
        ("GET", "/_admin/reset", None, 405, "/_admin/reset takes POST"),
        (
            "POST",
            "/_admin/throttle",
            b"{oops",
            400,
            "the body is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("POST", "/_admin/throttle", [1], 400, "the body must be a JSON object, got list"),
        ("POST", "/_admin/throttle", {}, 400, "throttle needs the field 'rate'"),
        ("POST", "/_admin/throttle", {"rate": 2}, 400, "'rate' must be a number between 0 and 1, got 2"),
        (
            "POST",
            "/_admin/throttle",
            {"rate": 0.5, "after": True},
            400,
            "'after' must be a whole number, 0 or more, got True",
        ),
        (
            "POST",
            "/_admin/throttle",
            {"rate": 0.5, "rates": 1},
            400,
            "unknown field 'rates' for throttle; expected rate, seed, tables, operations, after, times (and access_key_id and region to name one tenant)",
        ),
        (
            "POST",
            "/_admin/fail",
            {"operation": "PutItems", "error": "X"},
            400,
            "unknown operation 'PutItems' in 'operation'; known: BatchGetItem, BatchWriteItem, CreateTable, DeleteItem, DeleteTable, DescribeTable, GetItem, ListTables, PutItem, Query, Scan, TransactGetItems, TransactWriteItems, UpdateItem",
        ),
        (
            "POST",
            "/_admin/fail",
            {"operation": "GetItem", "error": ""},
            400,
            "'error' must be a non-empty string, got ''",
        ),
        (
            "POST",
            "/_admin/unprocess",
            {"operation": None, "keys": [{"pk": {"B": "!"}}]},
            400,
            "keys[0]: Base64 encoded length is expected a multiple of 4 bytes but found: 1",
        ),
        (
            "POST",
            "/_admin/unprocess",
            {"operation": None, "keys": [{"pk": {"Q": "x"}}]},
            400,
            "keys[0]: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            "POST",
            "/_admin/clear-faults",
            {"access_key_id": "alice"},
            400,
            "name a tenant with both access_key_id and region, or neither",
        ),
        (
            "GET",
            "/_admin/journal?access_key_id=zed&region=us-east-1",
            None,
            404,
            "no request from access key id 'zed' in region 'us-east-1' yet",
        ),
    ],
    ids=lambda value: value if isinstance(value, int) else None,
)
def test_errors_are_json_with_a_clear_message(
    server: ServerThread, method: str, path: str, body: Any, status: int, message: str
) -> None:
    kinds = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed"}
    assert call(server.port, method, path, body) == (status, {"error": kinds[status], "message": message})


def test_the_bare_prefix_lists_the_endpoints(server: ServerThread) -> None:
    assert admin(server.port, "", method="GET")["endpoints"][-2:] == ["/_admin/snapshot", "/_admin/journal"]


# --- off by default ----------------------------------------------------------------------------------


def test_without_admin_the_path_is_a_dynamodb_request() -> None:
    with ServerThread(databases=Databases()) as server:
        status, answer = call(
            server.port,
            "POST",
            "/_admin/reset",
            b"{}",
            {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"},
        )
        assert (status, answer) == (
            400,
            {
                "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                "message": "Request is missing Authentication Token",
            },
        )
        client = boto3_client(server.url + "/_admin/snapshot")  # DynamoDB ignores the path
        assert client.list_tables()["TableNames"] == []
        status, health = call(server.port, "GET", "/_admin/snapshot")
        assert (status, health) == (200, b"healthy: dynamodb.us-east-1.amazonaws.com ")


def test_the_cli_serves_admin_only_when_asked() -> None:
    with CliServer("--admin", "--throttle", "1", "--seed", "3") as server:
        client = boto3_client(server.url, key="cli")
        create_table(client)
        with pytest.raises(ClientError) as caught:
            client.put_item(TableName=TABLE, Item={"pk": {"B": b"a"}})
        assert caught.value.response["Error"]["Code"] == "ThrottlingException"
        admin(server.port, "clear-faults")  # --throttle is a server-wide fault like any other
        client.put_item(TableName=TABLE, Item={"pk": {"B": b"a"}})
        assert boto3_client(server.url, key="new").list_tables()["TableNames"] == []


def test_a_server_of_one_fake_has_the_endpoint_too() -> None:
    fake = FakeDynamoDB()
    with ServerThread(fake, admin=True) as server:
        named = {"access_key_id": "ignored", "region": "anywhere"}  # one database: any name means it
        assert admin(
            server.port, "fail", {**named, "operation": "ListTables", "error": "InternalServerError"}
        ) == {
            "tenants": [{"access_key_id": None, "region": None}],
            "server_wide": False,
        }
        assert fake.events == []
        with pytest.raises(DynamoDBError):
            fake.call_sync("ListTables", {})
        assert admin(server.port, "snapshot", method="GET") == {
            "tenants": [{"access_key_id": None, "region": None, "tables": {}}]
        }
