"""End to end: real boto3 (and aioboto3) clients over real sockets to the fake's HTTP server.

The server runs in a background thread on a free loopback port. Besides the basics (every
AttributeValue type through the wire, batches, errors as botocore ``ClientError``), an
equivalence test sends one scripted sequence to an in-process ``FakeDynamoDB``, through boto3
under ``patch`` to a second and through boto3 and HTTP to a third: the answers must be the same,
and the patch and the server must send botocore the same bytes, so neither adds nor loses anything.
The CLI is started once as a subprocess.
"""

from __future__ import annotations

import copy
import json
import re
import signal
import socket
from collections.abc import Iterator
from typing import Any

import aioboto3
import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake.interception import patch
from aiodynamodb_fake.server import ServerThread
from aiodynamodb_fake.service import FakeDynamoDB
from tests.e2e.conftest import key_schema
from tests.support.cli_server import CliServer, run_cli

CONFIG = Config(retries={"max_attempts": 0, "mode": "legacy"}, connect_timeout=10, read_timeout=60)
CLIENT_ARGS: dict[str, Any] = {
    "region_name": "us-east-1",
    "aws_access_key_id": "x",
    "aws_secret_access_key": "x",
    "config": CONFIG,
}
ITEM_OPERATIONS = ("CreateTable", "PutItem", "GetItem", "DeleteItem")
ALL_OPERATIONS = (
    *ITEM_OPERATIONS,
    "DescribeTable",
    "ListTables",
    "DeleteTable",
    "BatchWriteItem",
    "BatchGetItem",
)


def needs(fake: FakeDynamoDB, *operations: str) -> None:
    missing = sorted(set(operations) - fake.operations)
    if missing:
        pytest.skip(f"FakeDynamoDB does not implement {', '.join(missing)} yet")


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(FakeDynamoDB()) as running:
        yield running


def boto3_client(url: str) -> Any:
    return boto3.session.Session().client("dynamodb", endpoint_url=url, **CLIENT_ARGS)


@pytest.fixture
def client(server: ServerThread) -> Iterator[Any]:
    dynamodb = boto3_client(server.url)
    yield dynamodb
    dynamodb.close()


def fake_of(server: ServerThread) -> FakeDynamoDB:
    assert isinstance(server.fake, FakeDynamoDB)
    return server.fake


def create_table(client: Any, name: str = "things") -> None:
    client.create_table(TableName=name, **key_schema(range_key=("sk", "N")))


EVERY_TYPE: dict[str, Any] = {
    "pk": {"S": "user#1"},
    "sk": {"N": "42"},
    "text": {"S": "héllo ☃"},
    "number": {"N": "-12.5"},
    "blob": {"B": b"\x00\xff\x10binary"},
    "blobs": {"BS": [b"a", b"\x00", b"\xff\xfe"]},
    "strings": {"SS": ["x", "y"]},
    "numbers": {"NS": ["1", "2.5"]},
    "flag": {"BOOL": True},
    "nothing": {"NULL": True},
    "doc": {
        "M": {
            "inner": {"B": b"\x01\x02"},
            "list": {"L": [{"S": "a"}, {"N": "1"}, {"B": b"\x03"}, {"M": {"deep": {"BS": [b"z"]}}}]},
            "empty": {"M": {}},
        }
    },
    "list": {"L": [{"L": [{"B": b""}]}, {"NULL": True}]},
}


def canonical(value: Any) -> Any:
    """``value`` with set members sorted: DynamoDB does not promise an order inside a set."""
    if isinstance(value, dict):
        out = {k: canonical(v) for k, v in value.items()}
        for set_type in ("SS", "NS", "BS"):
            if set_type in out and isinstance(out[set_type], list):
                out[set_type] = sorted(out[set_type])
        return out
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


# --- basics ---------------------------------------------------------------------------------------


def test_put_get_delete_every_attribute_type(server: ServerThread, client: Any) -> None:
    needs(fake_of(server), *ITEM_OPERATIONS)
    create_table(client)
    key = {"pk": EVERY_TYPE["pk"], "sk": EVERY_TYPE["sk"]}
    assert "Attributes" not in client.put_item(TableName="things", Item=EVERY_TYPE)
    got = client.get_item(TableName="things", Key=key, ConsistentRead=True)
    assert canonical(got["Item"]) == canonical(EVERY_TYPE)
    assert isinstance(got["Item"]["blob"]["B"], bytes)
    # the server's fake holds the same bytes the SDK sent
    held = fake_of(server).call_sync("GetItem", {"TableName": "things", "Key": key})
    assert canonical(held["Item"]) == canonical(EVERY_TYPE)
    deleted = client.delete_item(TableName="things", Key=key, ReturnValues="ALL_OLD")
    assert canonical(deleted["Attributes"]) == canonical(EVERY_TYPE)
    assert "Item" not in client.get_item(TableName="things", Key=key)


def test_binary_keys(server: ServerThread, client: Any) -> None:
    needs(fake_of(server), *ITEM_OPERATIONS)
    client.create_table(
        TableName="blobs",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "B"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for raw in (b"\x00", b"\xff" * 3, bytes(range(256))):
        client.put_item(TableName="blobs", Item={"k": {"B": raw}, "v": {"N": str(len(raw))}})
    got = client.get_item(TableName="blobs", Key={"k": {"B": bytes(range(256))}})
    assert got["Item"] == {"k": {"B": bytes(range(256))}, "v": {"N": "256"}}


def test_batch_write_25_then_batch_get_them(server: ServerThread, client: Any) -> None:
    needs(fake_of(server), "CreateTable", "BatchWriteItem", "BatchGetItem")
    create_table(client)
    items: list[dict[str, Any]] = [
        {
            "pk": {"S": f"p{i % 5}"},
            "sk": {"N": str(i)},
            "blob": {"B": bytes([i])},
            "tags": {"BS": [b"t", bytes([i])]},
        }
        for i in range(25)
    ]
    written = client.batch_write_item(
        RequestItems={"things": [{"PutRequest": {"Item": item}} for item in items]}
    )
    assert written["UnprocessedItems"] == {}
    keys = [{"pk": item["pk"], "sk": item["sk"]} for item in items]
    got = client.batch_get_item(RequestItems={"things": {"Keys": keys, "ConsistentRead": True}})
    assert got["UnprocessedKeys"] == {}
    by_sort_key = {item["sk"]["N"]: canonical(item) for item in got["Responses"]["things"]}
    assert by_sort_key == {item["sk"]["N"]: canonical(item) for item in items}


def test_validation_exception_is_a_client_error(server: ServerThread, client: Any) -> None:
    needs(fake_of(server), "CreateTable", "PutItem")
    create_table(client)
    with pytest.raises(ClientError) as info:
        client.put_item(TableName="things", Item={"pk": {"S": "only the hash key"}})
    error = info.value.response
    assert error["Error"] == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: Missing the key sk in the item",
    }
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert info.value.operation_name == "PutItem"


def test_resource_not_found_is_a_client_error(server: ServerThread, client: Any) -> None:
    needs(fake_of(server), "GetItem")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as info:
        client.get_item(TableName="missing", Key={"pk": {"S": "x"}})
    assert info.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Requested resource not found",
    }
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_responses_carry_dynamodb_headers(server: ServerThread, client: Any) -> None:
    needs(fake_of(server), "ListTables")
    metadata = client.list_tables()["ResponseMetadata"]
    assert re.fullmatch(r"[A-Z0-9]{52}", metadata["RequestId"])
    assert "x-amz-crc32" in metadata["HTTPHeaders"], "botocore checked it and found it right"


async def test_aioboto3_over_the_wire(server: ServerThread) -> None:
    needs(fake_of(server), *ITEM_OPERATIONS)
    session = aioboto3.Session()
    async with session.client("dynamodb", endpoint_url=server.url, **CLIENT_ARGS) as dynamodb:
        await dynamodb.create_table(
            TableName="async",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        await dynamodb.put_item(TableName="async", Item={"k": {"S": "a"}, "b": {"B": b"\x00\x01"}})
        got = await dynamodb.get_item(TableName="async", Key={"k": {"S": "a"}})
        assert got["Item"] == {"k": {"S": "a"}, "b": {"B": b"\x00\x01"}}


# --- equivalence: in process and over the wire ---------------------------------------------------

TABLE = {
    "TableName": "equivalence",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "B"},
    ],
    "BillingMode": "PAY_PER_REQUEST",
}


def _item(i: int) -> dict[str, Any]:
    return {
        "pk": {"S": f"p{i % 3}"},
        "sk": {"B": bytes([i, 255 - i])},
        "n": {"N": str(i * 1.5)},
        "doc": {"M": {"b": {"B": bytes([i])}, "l": {"L": [{"S": str(i)}, {"BS": [b"x", bytes([i])]}]}}},
    }


def _key(i: int) -> dict[str, Any]:
    return {"pk": {"S": f"p{i % 3}"}, "sk": {"B": bytes([i, 255 - i])}}


SCRIPT: list[tuple[str, dict[str, Any]]] = [
    ("ListTables", {}),
    ("CreateTable", TABLE),
    ("CreateTable", TABLE),  # ResourceInUseException
    ("DescribeTable", {"TableName": "equivalence"}),
    ("DescribeTable", {"TableName": "absent"}),  # ResourceNotFoundException
    ("ListTables", {"Limit": 1}),
    ("PutItem", {"TableName": "equivalence", "Item": _item(1)}),
    (
        "PutItem",
        {
            "TableName": "equivalence",
            "Item": {**_item(1), "extra": {"BOOL": False}},
            "ReturnValues": "ALL_OLD",
        },
    ),
    ("PutItem", {"TableName": "equivalence", "Item": {"pk": {"S": "no sort key"}}}),  # ValidationException
    ("PutItem", {"TableName": "equivalence", "Item": {"pk": {"S": "a"}, "sk": {"S": "wrong type"}}}),
    ("PutItem", {"TableName": "equivalence", "Item": {**_item(2), "bad": {"N": "not a number"}}}),
    ("PutItem", {"TableName": "equivalence", "Item": {**_item(2), "dup": {"BS": [b"a", b"a"]}}}),
    ("PutItem", {"TableName": "equivalence", "Item": {**_item(2), "sk": {"B": b""}}}),  # empty binary key
    ("PutItem", {"TableName": "equivalence", "Item": _item(2), "ReturnValues": "ALL_NEW"}),
    ("PutItem", {"TableName": "absent", "Item": _item(2)}),
    (
        "GetItem",
        {
            "TableName": "equivalence",
            "Key": _key(1),
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        },
    ),
    ("GetItem", {"TableName": "equivalence", "Key": _key(9)}),
    ("GetItem", {"TableName": "equivalence", "Key": {"pk": {"S": "p1"}}}),  # ValidationException
    ("GetItem", {"TableName": "absent", "Key": _key(1)}),
    (
        "BatchWriteItem",
        {"RequestItems": {"equivalence": [{"PutRequest": {"Item": _item(i)}} for i in range(3, 28)]}},
    ),
    (
        "BatchWriteItem",
        {"RequestItems": {"equivalence": [{"PutRequest": {"Item": _item(i)}} for i in range(30, 56)]}},
    ),
    ("BatchWriteItem", {"RequestItems": {"equivalence": [{"DeleteRequest": {"Key": _key(3)}}] * 2}}),
    ("BatchWriteItem", {"RequestItems": {}}),
    ("BatchWriteItem", {"RequestItems": {"absent": [{"DeleteRequest": {"Key": _key(3)}}]}}),
    (
        "BatchWriteItem",
        {
            "RequestItems": {
                "equivalence": [{"DeleteRequest": {"Key": _key(4)}}, {"PutRequest": {"Item": _item(60)}}]
            },
            "ReturnConsumedCapacity": "TOTAL",
            "ReturnItemCollectionMetrics": "SIZE",
        },
    ),
    (
        "BatchGetItem",
        {
            "RequestItems": {
                "equivalence": {"Keys": [_key(i) for i in range(0, 40)], "ConsistentRead": True}
            },
            "ReturnConsumedCapacity": "INDEXES",
        },
    ),
    ("BatchGetItem", {"RequestItems": {"equivalence": {"Keys": [_key(1), _key(1)]}}}),
    ("BatchGetItem", {"RequestItems": {"absent": {"Keys": [_key(1)]}}}),
    ("BatchGetItem", {"RequestItems": {"equivalence": {"Keys": [_key(i) for i in range(101)]}}}),
    ("DeleteItem", {"TableName": "equivalence", "Key": _key(1), "ReturnValues": "ALL_OLD"}),
    ("DeleteItem", {"TableName": "equivalence", "Key": _key(1), "ReturnValues": "ALL_OLD"}),
    ("DeleteItem", {"TableName": "equivalence", "Key": {"pk": {"S": "p1"}, "sk": {"N": "1"}}}),
    ("DeleteTable", {"TableName": "equivalence"}),
    ("DescribeTable", {"TableName": "equivalence"}),
    ("DeleteTable", {"TableName": "equivalence"}),
    ("ListTables", {}),
]


def _outcome_in_process(fake: FakeDynamoDB, operation: str, request: dict[str, Any]) -> Any:
    try:
        return ("ok", fake.call_sync(operation, copy.deepcopy(request)))
    except DynamoDBError as err:
        return ("error", err.code, err.message, err.extra)


def _outcome_over_the_wire(client: Any, operation: str, request: dict[str, Any]) -> Any:
    try:
        response = getattr(client, xform_name(operation))(**copy.deepcopy(request))
    except ClientError as err:
        # botocore also copies the message into the response as a modelled member; it is not extra
        skipped = ("Error", "ResponseMetadata", "message", "Message")
        extra = {k: v for k, v in err.response.items() if k not in skipped}
        return ("error", err.response["Error"]["Code"], err.response["Error"]["Message"], extra)
    response.pop("ResponseMetadata")
    return ("ok", response)


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _comparable(operation: str, outcome: Any) -> Any:
    """Sets sorted; BatchGetItem's Responses sorted too, since DynamoDB returns them in no set order.

    A table's ``TableId`` is a fresh random UUID in each fake, so only its form is compared.
    """
    outcome = canonical(outcome)
    if outcome[0] == "ok":
        for description in (outcome[1].get("TableDescription"), outcome[1].get("Table")):
            if isinstance(description, dict) and "TableId" in description:
                assert UUID.fullmatch(description["TableId"]), description["TableId"]
                description["TableId"] = "<uuid4>"
    if operation == "BatchGetItem" and outcome[0] == "ok":
        for table, found in outcome[1].get("Responses", {}).items():
            outcome[1]["Responses"][table] = sorted(found, key=lambda item: json.dumps(item, default=repr))
    return outcome


def _raw_bodies(client: Any) -> list[bytes]:
    """The body of every answer ``client`` receives from now on, as botocore got it, before parsing."""
    bodies: list[bytes] = []

    def capture(response_dict: dict[str, Any], **_: Any) -> None:
        bodies.append(response_dict["body"])

    client.meta.events.register("before-parse.dynamodb", capture)
    return bodies


def test_in_process_under_the_patch_and_over_http_the_answers_are_the_same(
    server: ServerThread, client: Any
) -> None:
    """One protocol, three ways in: the fake called directly, boto3 under ``patch`` and boto3 over
    HTTP give the same outcome, and the last two receive the very same bytes."""
    in_process, patched = FakeDynamoDB(), FakeDynamoDB()
    needs(in_process, *ALL_OPERATIONS)
    with socket.socket() as unused:  # a port nobody listens on: nothing may reach the network
        unused.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{unused.getsockname()[1]}"
    patched_client = boto3_client(nowhere)
    over_http, under_patch = _raw_bodies(client), _raw_bodies(patched_client)
    for step, (operation, request) in enumerate(SCRIPT):
        expected = _comparable(operation, _outcome_in_process(in_process, operation, request))
        with patch(patched):
            via_patch = _comparable(operation, _outcome_over_the_wire(patched_client, operation, request))
        via_http = _comparable(operation, _outcome_over_the_wire(client, operation, request))
        assert via_patch == expected, f"step {step}: {operation} under the patch"
        assert via_http == expected, f"step {step}: {operation} over HTTP"
        assert len(under_patch) == len(over_http) == step + 1
        assert under_patch[-1] == over_http[-1], f"step {step}: {operation} bodies"
    assert len(patched.requests) == len(SCRIPT)


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=lambda sig: sig.name)
def test_cli_serves_until_signalled(stop_signal: signal.Signals) -> None:
    with CliServer() as cli:  # the port is bound before the URL is printed
        assert cli.port > 0
        dynamodb = boto3_client(cli.url)
        assert dynamodb.list_tables()["TableNames"] == []
        dynamodb.close()
        assert cli.stop(stop_signal) == 0, "".join(cli.stderr)


def test_cli_reports_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


# --- chaos over the wire: what botocore sees of the fault plan ----------------------------------


def test_boto3_sees_throttling_and_injected_errors_as_it_would_from_dynamodb() -> None:
    fake = FakeDynamoDB()
    with ServerThread(fake) as running:
        client = boto3_client(running.url)
        client.create_table(
            TableName="chaos",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        )
        puts = [{"PutRequest": {"Item": {"pk": {"S": f"k{n}"}, "n": {"N": "1.50"}}}} for n in range(10)]

        with fake.unprocess("BatchWriteItem", keys=[{"pk": {"S": "k3"}}]):
            answer = client.batch_write_item(RequestItems={"chaos": puts})
        assert answer["UnprocessedItems"] == {"chaos": [puts[3]]}  # "1.50" exactly as sent

        with fake.throttle(1.0), pytest.raises(ClientError) as throttled:
            client.batch_write_item(RequestItems={"chaos": puts[:2]})
        error = throttled.value.response
        assert error["Error"]["Code"] == "ProvisionedThroughputExceededException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error["ThrottlingReasons"] == [
            {
                "reason": "TableWriteProvisionedThroughputExceeded",
                "resource": "arn:aws:dynamodb:us-east-1:123456789012:table/chaos",
            }
        ]

        fake.fail("GetItem", "InternalServerError")
        with pytest.raises(ClientError) as failed:
            client.get_item(TableName="chaos", Key={"pk": {"S": "k1"}})
        assert failed.value.response["Error"] == {
            "Code": "InternalServerError",
            "Message": "Internal server error",
        }
        assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        fake.assert_faults_consumed()
