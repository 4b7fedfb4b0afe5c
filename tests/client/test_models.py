"""``@table`` and the metadata it attaches: key sources, the errors at decoration time, index entries."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb import DynamoModel, HashKey, RangeKey, TableMeta, table
from aiodynamodb.models import GSI, LSI


def test_keys_from_annotations_and_from_arguments_give_the_same_meta() -> None:
    @table("orders")
    class A(DynamoModel):
        order_id: HashKey[str]
        created: RangeKey[int]

    @table("orders", hash_key="order_id", range_key="created")
    class B(DynamoModel):
        order_id: str
        created: int

    assert A.Meta == B.Meta == TableMeta("orders", "order_id", "created")


def test_the_decorator_returns_the_class_itself() -> None:
    class C(DynamoModel):
        k: HashKey[str]

    assert table("c")(C) is C


def test_a_key_given_both_ways_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="annotation or decorator argument, not both"):

        @table("t", hash_key="k")
        class T(DynamoModel):
            k: HashKey[str]


def test_two_hash_keys_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="multiple HashKey"):

        @table("t")
        class T(DynamoModel):
            a: HashKey[str]
            b: HashKey[str]


def test_two_range_keys_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="multiple RangeKey"):

        @table("t")
        class T(DynamoModel):
            a: HashKey[str]
            b: RangeKey[str]
            c: RangeKey[str]


def test_no_hash_key_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="No hash key"):

        @table("t")
        class T(DynamoModel):
            a: str


@pytest.mark.parametrize(
    ("kwargs", "label"),
    [({"hash_key": "nope"}, "hash_key"), ({"hash_key": "a", "range_key": "zz"}, "range_key")],
)
def test_a_key_naming_no_field_is_a_value_error(kwargs: dict[str, Any], label: str) -> None:
    with pytest.raises(ValueError, match=label):

        @table("t", **kwargs)
        class T(DynamoModel):
            a: str


def test_indexes_are_checked_and_rendered() -> None:
    with pytest.raises(ValueError, match="unique"):

        @table("t", indexes=[GSI("i", "a"), GSI("i", "b")])
        class Dup(DynamoModel):
            a: HashKey[str]
            b: str

    with pytest.raises(ValueError, match="'missing' is not a field"):

        @table("t", indexes=[GSI("i", "missing")])
        class Missing(DynamoModel):
            a: HashKey[str]

    @table(
        "t", indexes=[GSI("by_b", "b", "c", projection="INCLUDE", non_key_attributes=["d"]), LSI("by_c", "c")]
    )
    class T(DynamoModel):
        a: HashKey[str]
        b: str
        c: int
        d: str = ""

    assert T.Meta.global_secondary_indexes["by_b"].to_dynamo() == {
        "IndexName": "by_b",
        "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["d"]},
    }
    assert T.Meta.local_secondary_indexes["by_c"].to_dynamo("a")["KeySchema"][0] == {
        "AttributeName": "a",
        "KeyType": "HASH",
    }


def test_published_import_paths_still_work() -> None:
    from aiodynamodb.models import BatchGet, BatchPut, QueryResult, Raw  # noqa: F401
    from aiodynamodb.projection import ProjectionAttr, ProjectionExpressionBuilder

    built = ProjectionExpressionBuilder(None).build_projection_expression([ProjectionAttr("a.b[0]")])
    assert (built.projection_expression, built.expression_attribute_names) == (
        "#n0.#n1[0]",
        {"#n0": "a", "#n1": "b"},
    )


async def test_a_model_without_table_fails_with_a_message_naming_the_decorator() -> None:
    from boto3.dynamodb.conditions import Key

    from aiodynamodb import BatchPut, DynamoDB, TransactGet
    from aiodynamodb_fake import FakeDynamoDB

    class Loose(DynamoModel):
        k: str

    db = DynamoDB(transport=FakeDynamoDB())
    message = r"Loose has no table: decorate the class with @table\(\"table_name\"\)"
    with pytest.raises(TypeError, match=message):
        await db.put(Loose(k="a"))
    with pytest.raises(TypeError, match=message):
        await db.get(Loose, hash_key="a")
    with pytest.raises(TypeError, match=message):
        db.query(Loose, key_condition_expression=Key("k").eq("a"))
    with pytest.raises(TypeError, match=message):
        await db.transact_get([TransactGet(Loose, "a")])
    with pytest.raises(TypeError, match=message):
        await db.batch_write([BatchPut(Loose(k="a"))])
    with pytest.raises(TypeError, match=message):
        await db.create_table(Loose)
