"""Request builders the operation tests share (imported as ``tests.fake.operations.builders``)."""

from __future__ import annotations

from typing import Any

from aiodynamodb_fake import FakeDynamoDB

# DynamoDB's wording that several operations' tests expect.
PARAM = "One or more parameter values were invalid: "
SCHEMA = "The provided key element does not match the schema"
INVALID_START = "The provided starting key is invalid"
MIXED = (
    "Can not use both expression and non-expression parameters in the same request: "
    "Non-expression parameters: {{{legacy}}} Expression parameters: {{{expression}}}"
)
COMPARISON_ENUM = (
    "Member must satisfy enum value set: "
    "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"
)


def create_table(
    fake: FakeDynamoDB,
    name: str,
    *,
    hash_key: tuple[str, str] = ("pk", "S"),
    range_key: tuple[str, str] | None = ("sk", "N"),
    gsis: list[dict[str, Any]] | None = None,
    lsis: list[dict[str, Any]] | None = None,
    extra_attributes: dict[str, str] | None = None,
    provisioned: tuple[int, int] | None = None,
) -> str:
    """Create a table through CreateTable itself, on-demand unless ``provisioned`` (RCU, WCU) is
    given; returns its name."""
    key_schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    definitions = {hash_key[0]: hash_key[1]}
    if range_key is not None:
        key_schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        definitions[range_key[0]] = range_key[1]
    definitions.update(extra_attributes or {})
    request: dict[str, Any] = {
        "TableName": name,
        "KeySchema": key_schema,
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in definitions.items()],
    }
    if provisioned is None:
        request["BillingMode"] = "PAY_PER_REQUEST"
    else:
        request["ProvisionedThroughput"] = {
            "ReadCapacityUnits": provisioned[0],
            "WriteCapacityUnits": provisioned[1],
        }
    if gsis:
        request["GlobalSecondaryIndexes"] = gsis
    if lsis:
        request["LocalSecondaryIndexes"] = lsis
    fake.call_sync("CreateTable", request)
    return name


def item(pk: str, sk: int | str, **attrs: Any) -> dict[str, Any]:
    """An item of the usual ``pk`` (S) / ``sk`` (N) table."""
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}, **attrs}


def key(pk: str, sk: int | str) -> dict[str, Any]:
    """A key of the usual ``pk`` (S) / ``sk`` (N) table."""
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def snapshot(fake: FakeDynamoDB) -> dict[str, list[dict[str, Any]]]:
    """Every table's items, for asserting that a rejected request changed nothing."""
    return {name: fake.items(name) for name in fake.table_names()}
