"""The AWS CLI (``awscli`` from PyPI, a test-only dependency) as a subprocess against the fake's server.

A user points ``aws dynamodb ... --endpoint-url`` at the server exactly as at DynamoDB Local: the CLI
creates a table, batch-writes items from a JSON file (``file://``), and reads them back with ``scan``
and ``get-item``; its JSON output is compared with what was written and with what the fake holds.
Errors come back as the CLI prints DynamoDB's (``An error occurred (Code) when calling the ...``), and
an item the fake leaves unprocessed is printed in ``UnprocessedItems``, ready to be resent from a file.
Dummy credentials and a region are set in the subprocess's environment only; the e2e conftest has
already removed every ``AWS_*`` setting of the machine from this process's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aiodynamodb_fake.server import ServerThread
from aiodynamodb_fake.service import FakeDynamoDB

TABLE = "cli_things"
REGION = "eu-west-1"
CLI_TIMEOUT = 120  # seconds for one CLI run: a hung server fails the test instead of stalling the suite

Item = dict[str, Any]


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB(region=REGION)


@pytest.fixture
def server(fake: FakeDynamoDB) -> Iterator[ServerThread]:
    with ServerThread(fake) as running:
        yield running


def cli_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment (already free of AWS settings) plus dummy keys and a region."""
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="AKIDAWSCLITEST",
        AWS_SECRET_ACCESS_KEY="dummy-secret",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_PAGER="",
    )
    return env


class Cli:
    """``aws dynamodb <args> --endpoint-url <server> --output json``, run by this interpreter."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url = url
        self.env = env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "awscli", "dynamodb", *args]
        command += ["--endpoint-url", self.url, "--output", "json"]
        return subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=CLI_TIMEOUT, check=False
        )

    def json(self, *args: str) -> Any:
        """The parsed output of a run that must succeed."""
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    def error(self, *args: str) -> str:
        """The message of a run that must fail (the CLI's exit status 255 for a service error)."""
        done = self.run(*args)
        assert done.returncode == 255, (done.returncode, done.stdout, done.stderr)
        assert done.stdout == ""
        return done.stderr.strip()


@pytest.fixture
def aws(server: ServerThread, tmp_path: Path) -> Cli:
    return Cli(server.url, cli_environment(tmp_path))


def create_table(aws: Cli) -> Any:
    return aws.json(
        "create-table",
        "--table-name",
        TABLE,
        "--attribute-definitions",
        "AttributeName=pk,AttributeType=S",
        "AttributeName=sk,AttributeType=N",
        "--key-schema",
        "AttributeName=pk,KeyType=HASH",
        "AttributeName=sk,KeyType=RANGE",
        "--billing-mode",
        "PAY_PER_REQUEST",
    )


def make_item(index: int) -> Item:
    """Item ``index`` of partition ``index % 3``, with every type the CLI's JSON carries unchanged."""
    return {
        "pk": {"S": f"user#{index % 3}"},
        "sk": {"N": str(index)},
        "name": {"S": f"name {index} ☃"},
        "score": {"N": f"{index}.5"},
        "active": {"BOOL": index % 2 == 0},
        "nothing": {"NULL": True},
        "tags": {"SS": sorted({f"t{index % 4}", "common"})},
        "counts": {"NS": sorted({str(index), "0"})},
        "doc": {"M": {"depth": {"N": "1"}, "list": {"L": [{"S": "a"}, {"N": str(index)}, {"BOOL": False}]}}},
    }


def key_of(item: Item) -> Item:
    return {"pk": item["pk"], "sk": item["sk"]}


def canonical(item: Item) -> Item:
    """``item`` with set members sorted: DynamoDB does not promise an order inside a set."""
    out: Item = {}
    for name, value in item.items():
        ((kind, inner),) = value.items()
        out[name] = {kind: sorted(inner)} if kind in ("SS", "NS", "BS") else value
    return out


def by_key(items: list[Item]) -> list[Item]:
    return sorted((canonical(item) for item in items), key=lambda it: (it["pk"]["S"], int(it["sk"]["N"])))


def request_file(tmp_path: Path, name: str, requests: list[Item]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps({TABLE: requests}), encoding="utf-8")
    return f"file://{path}"


def test_the_cli_creates_a_table_batch_writes_from_a_file_and_reads_it_back(
    aws: Cli, fake: FakeDynamoDB, tmp_path: Path
) -> None:
    created = create_table(aws)["TableDescription"]
    assert created["TableName"] == TABLE
    assert created["TableStatus"] == "ACTIVE"
    assert created["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert created["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert created["TableArn"] == f"arn:aws:dynamodb:{REGION}:123456789012:table/{TABLE}"

    items = [make_item(index) for index in range(25)]
    puts = request_file(tmp_path, "puts.json", [{"PutRequest": {"Item": item}} for item in items])
    assert aws.json("batch-write-item", "--request-items", puts) == {"UnprocessedItems": {}}

    scanned = aws.json("scan", "--table-name", TABLE)
    assert scanned["Count"] == scanned["ScannedCount"] == 25
    assert by_key(scanned["Items"]) == by_key(items)
    assert by_key(fake.items(TABLE)) == by_key(items)

    got = aws.json("get-item", "--table-name", TABLE, "--key", json.dumps(key_of(items[7])))
    assert canonical(got["Item"]) == canonical(items[7])
    assert (
        aws.json("get-item", "--table-name", TABLE, "--key", '{"pk": {"S": "user#9"}, "sk": {"N": "0"}}')
        is None
    )


def test_a_batch_of_puts_and_deletes_and_a_query_through_the_cli(
    aws: Cli, fake: FakeDynamoDB, tmp_path: Path
) -> None:
    create_table(aws)
    items = [make_item(index) for index in range(12)]
    first = request_file(tmp_path, "first.json", [{"PutRequest": {"Item": item}} for item in items])
    assert aws.json("batch-write-item", "--request-items", first) == {"UnprocessedItems": {}}
    replaced = {**items[3], "name": {"S": "replaced"}}
    mixed = [
        {"DeleteRequest": {"Key": key_of(items[0])}},
        {"DeleteRequest": {"Key": key_of(items[6])}},
        {"PutRequest": {"Item": replaced}},
    ]
    assert aws.json("batch-write-item", "--request-items", request_file(tmp_path, "mixed.json", mixed)) == {
        "UnprocessedItems": {}
    }
    expected = [replaced if item is items[3] else item for item in items if item not in (items[0], items[6])]
    assert by_key(fake.items(TABLE)) == by_key(expected)

    queried = aws.json(
        "query",
        "--table-name",
        TABLE,
        "--key-condition-expression",
        "pk = :p",
        "--expression-attribute-values",
        '{":p": {"S": "user#0"}}',
    )
    assert [item["sk"]["N"] for item in queried["Items"]] == ["3", "9"]  # 0 and 6 were deleted
    assert queried["Items"][0]["name"] == {"S": "replaced"}


def test_an_item_left_unprocessed_is_printed_and_can_be_resent(
    aws: Cli, fake: FakeDynamoDB, tmp_path: Path
) -> None:
    create_table(aws)
    items = [make_item(index) for index in range(5)]
    fake.unprocess("BatchWriteItem", [key_of(items[2])])
    puts = request_file(tmp_path, "puts.json", [{"PutRequest": {"Item": item}} for item in items])
    left = aws.json("batch-write-item", "--request-items", puts)["UnprocessedItems"]
    assert {table: [canonical(r["PutRequest"]["Item"]) for r in rs] for table, rs in left.items()} == {
        TABLE: [canonical(items[2])]
    }
    assert fake.item_count(TABLE) == 4

    resend = tmp_path / "resend.json"
    resend.write_text(json.dumps(left), encoding="utf-8")
    assert aws.json("batch-write-item", "--request-items", f"file://{resend}") == {"UnprocessedItems": {}}
    assert by_key(fake.items(TABLE)) == by_key(items)
    fake.assert_faults_consumed()


def test_errors_are_printed_as_the_cli_prints_dynamodbs(aws: Cli) -> None:
    missing = aws.error("get-item", "--table-name", "no_such_table", "--key", '{"pk": {"S": "a"}}')
    assert missing == (
        "An error occurred (ResourceNotFoundException) when calling the GetItem operation: "
        "Requested resource not found"
    )
    create_table(aws)
    assert aws.error("get-item", "--table-name", TABLE, "--key", '{"pk": {"S": "a"}}') == (
        "An error occurred (ValidationException) when calling the GetItem operation: "
        "The provided key element does not match the schema"
    )
    assert aws.error(
        "create-table",
        "--table-name",
        TABLE,
        "--attribute-definitions",
        "AttributeName=pk,AttributeType=S",
        "--key-schema",
        "AttributeName=pk,KeyType=HASH",
        "--billing-mode",
        "PAY_PER_REQUEST",
    ) == (
        "An error occurred (ResourceInUseException) when calling the CreateTable operation: "
        f"Table already exists: {TABLE}"
    )
    listed = aws.json("list-tables")
    assert listed == {"TableNames": [TABLE]}
