"""DescribeTable: shape errors, TableName constraints, ResourceNotFoundException, behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import create_table


def describe(fake: FakeDynamoDB, request: Any) -> dict[str, Any]:
    table: dict[str, Any] = fake.call_sync("DescribeTable", request)["Table"]
    return table


# --- shape errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_", [{"TableName": 5}, {"TableName": ["items"]}, {"TableName": {}}, ["items"]]
)
def test_wrong_kinds_are_serialization_errors(fake: FakeDynamoDB, request_: Any) -> None:
    with pytest.raises(SerializationException):
        fake.call_sync("DescribeTable", request_)


# --- validation errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({}, "Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
        ({"TableName": None}, "Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
        ({"TableName": ""}, "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        ({"TableName": "a" * 256}, f"Value '{'a' * 256}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255"),
        ({"TableName": "bad table!"}, "Value 'bad table!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ],
)  # fmt: skip
def test_table_name_constraints(fake: FakeDynamoDB, request_: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationException) as info:
        fake.call_sync("DescribeTable", request_)
    assert info.value.message == "1 validation error detected: " + message


@pytest.mark.parametrize(
    "name",
    [
        "nope",
        "ab",  # the model's TableArn shape allows 1..1024 characters, so this is only missing
    ],
)
def test_a_missing_table_is_not_found(fake: FakeDynamoDB, table: str, name: str) -> None:
    with pytest.raises(ResourceNotFoundException) as info:
        fake.call_sync("DescribeTable", {"TableName": name})
    assert info.value.message == f"Requested resource not found: Table: {name} not found"
    assert info.value.operation_name == "DescribeTable"


# --- behaviour ----------------------------------------------------------------------------------


def test_a_new_table_is_active_and_empty(fake: FakeDynamoDB, table: str) -> None:
    described = describe(fake, {"TableName": table})
    assert described["TableStatus"] == "ACTIVE"
    assert (described["ItemCount"], described["TableSizeBytes"]) == (0, 0)
    assert described["TableName"] == table
    assert described["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]


def test_a_table_arn_finds_the_table(fake: FakeDynamoDB, table: str) -> None:
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/items"
    assert describe(fake, {"TableName": arn}) == describe(fake, {"TableName": table})


def test_describe_reflects_create(fake: FakeDynamoDB, indexed_table: str) -> None:
    described = describe(fake, {"TableName": indexed_table})
    assert [i["IndexName"] for i in described["GlobalSecondaryIndexes"]] == ["by_status"]
    assert [i["IndexName"] for i in described["LocalSecondaryIndexes"]] == ["by_date"]
    assert described["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    assert described["LocalSecondaryIndexes"][0]["KeySchema"][0] == {"AttributeName": "pk", "KeyType": "HASH"}
    assert "IndexStatus" not in described["LocalSecondaryIndexes"][0]
    assert described["AttributeDefinitions"] == [
        {"AttributeName": n, "AttributeType": t}
        for n, t in (("date", "S"), ("pk", "S"), ("sk", "N"), ("status", "S"), ("total", "N"))
    ]


def test_each_answer_is_built_fresh(fake: FakeDynamoDB, table: str) -> None:
    first = describe(fake, {"TableName": table})
    first["KeySchema"].append({"AttributeName": "x", "KeyType": "RANGE"})
    first["ProvisionedThroughput"]["ReadCapacityUnits"] = 99
    second = describe(fake, {"TableName": table})
    assert len(second["KeySchema"]) == 2
    assert second["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert second["TableId"] == first["TableId"]


def test_tables_are_told_apart(fake: FakeDynamoDB) -> None:
    create_table(fake, "one")
    create_table(fake, "two", range_key=None)
    assert len(describe(fake, {"TableName": "one"})["KeySchema"]) == 2
    assert len(describe(fake, {"TableName": "two"})["KeySchema"]) == 1


async def test_describe_through_the_async_transport(fake: FakeDynamoDB, table: str) -> None:
    answer = await fake.call("DescribeTable", {"TableName": table})
    assert answer["Table"]["TableName"] == table
