"""BatchWriteItem: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import PARAM, SCHEMA

DUPLICATES = "Provided list of item keys contains duplicates"


def put(pk: str, sk: str | int, **attrs: Any) -> dict[str, Any]:
    item = {"pk": {"S": pk}, "sk": {"N": str(sk)}, **attrs}
    return {"PutRequest": {"Item": item}}


def delete(pk: str, sk: str | int) -> dict[str, Any]:
    return {"DeleteRequest": {"Key": {"pk": {"S": pk}, "sk": {"N": str(sk)}}}}


def write(fake: FakeDynamoDB, request_items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return fake.call_sync("BatchWriteItem", {"RequestItems": request_items, **extra})


def get(fake: FakeDynamoDB, table: str, pk: str, sk: str | int) -> dict[str, Any] | None:
    response = fake.call_sync("GetItem", {"TableName": table, "Key": {"pk": {"S": pk}, "sk": {"N": str(sk)}}})
    item: dict[str, Any] | None = response.get("Item")
    return item


# --- shape errors ---------------------------------------------------------------------------------

MAP_OF_VALUES = "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"


@pytest.mark.parametrize(
    ("request_items", "message"),
    [
        (
            [],
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>",
        ),
        ({"items": {"PutRequest": {}}}, "Start of structure or map found where not expected"),
        ({"items": [[]]}, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.WriteRequest"),
        ({"items": ["x"]}, "Unexpected value type in payload"),
        (
            {"items": [{"PutRequest": []}]},
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.PutRequest",
        ),
        ({"items": [{"PutRequest": True}]}, "Unexpected field type"),
        ({"items": [{"PutRequest": {"Item": 5}}]}, "Unexpected field type"),
        ({"items": [put("a", 1, s={"S": 5})]}, "NUMBER_VALUE cannot be converted to String"),
        ({"items": [put("a", 1, s={"S": True})]}, "TRUE_VALUE cannot be converted to String"),
        ({"items": [put("a", 1, s={"S": 1.5})]}, "DECIMAL_VALUE cannot be converted to String"),
        ({"items": [put("a", 1, s={"S": ["x"]})]}, "Unrecognized collection type class java.lang.String"),
        ({"items": [put("a", 1, b={"BOOL": "yes"})]}, "Unexpected token received from parser"),
        ({"items": [put("a", 1, b={"B": 5})]}, "only base-64-encoded strings are convertible to bytes"),
        ({"items": [put("a", 1, m={"M": []})]}, MAP_OF_VALUES),
        ({"items": [put("a", 1, m={"M": {"x": 5}})]}, "Unexpected value type in payload"),
        ({"items": [put("a", 1, l={"L": {}})]}, "Start of structure or map found where not expected"),
        ({"items": [put("a", 1, l={"L": "x"})]}, "Unexpected field type"),
        ({"items": [put("a", 1, ss={"SS": [1]})]}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds_are_serialization_errors(
    fake: FakeDynamoDB, table: str, request_items: Any, message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        write(fake, request_items)
    assert caught.value.message == message


# --- validation errors ----------------------------------------------------------------------------


def test_missing_request_items(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("BatchWriteItem", {})
    assert caught.value.message == (
        "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_empty_request_items(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {})
    assert caught.value.message == "The requestItems parameter is required for BatchWriteItem"


def test_bad_enums_are_collected_in_order(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [put("a", 1)]}, ReturnConsumedCapacity="hi", ReturnItemCollectionMetrics="lo")
    assert caught.value.message == (
        "2 validation errors detected: "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value 'lo' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SIZE, NONE]"
    )


@pytest.mark.parametrize("name", ["ab", "a" * 256, "bad name!"])
def test_bad_table_name(fake: FakeDynamoDB, name: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {name: [put("a", 1)]})
    message = caught.value.message
    assert message.startswith("1 validation error detected: Value '{")
    assert message.endswith(
        "' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "
        "[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
    )


@pytest.mark.parametrize("count", [0, 26])
def test_list_length_out_of_bounds(fake: FakeDynamoDB, table: str, count: int) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [put("a", i) for i in range(count)]})
    message = caught.value.message
    assert message.startswith(f"1 validation error detected: Value '{{{table}=[")
    assert message.endswith(
        "]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"
    )


def test_put_without_item_and_delete_without_key(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [put("a", 1), {"PutRequest": {}}, {"DeleteRequest": {}}]})
    assert caught.value.message == (
        "2 validation errors detected: "
        f"Value null at 'requestItems.{table}.member.2.member.putRequest.item' failed to satisfy constraint: "
        "Member must not be null; "
        f"Value null at 'requestItems.{table}.member.3.member.deleteRequest.key' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_more_than_25_across_tables(fake: FakeDynamoDB, table: str, make_table: Any) -> None:
    other = make_table("other")
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [put("a", i) for i in range(13)], other: [put("b", i) for i in range(13)]})
    assert caught.value.message == "Too many items requested for the BatchWriteItem call"


@pytest.mark.parametrize("write_request", [{}, {**put("a", 1), **delete("a", 2)}])
def test_write_request_must_hold_exactly_one_request(
    fake: FakeDynamoDB, table: str, write_request: dict[str, Any]
) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [write_request]})
    assert caught.value.message == (
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        ({"S": "a", "N": "b"}, "The parameter cannot be converted to a numeric value: b"),
        (
            {"S": "a", "BOOL": True},
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
            "datatypes",
        ),
        ({"NULL": False}, PARAM + "Null attribute value types must have the value of true"),
        ({"SS": []}, PARAM + "An string set  may not be empty"),
        ({"NS": []}, PARAM + "An number set  may not be empty"),
        ({"BS": []}, PARAM + "Binary sets should not be empty"),
        ({"SS": ["a", "a"]}, PARAM + "Input collection [a, a] contains duplicates."),
        ({"NS": ["1", "1.0"]}, "Input collection contains duplicates"),
        ({"BS": [b"b", b"b"]}, PARAM + "Input collection [Yg==, Yg==]of type BS contains duplicates."),
        ({"N": ""}, "The parameter cannot be converted to a numeric value"),
        ({"N": "1e"}, "The parameter cannot be converted to a numeric value: 1e"),
        ({"N": "1" * 39}, "Attempting to store more than 38 significant digits in a Number"),
        (
            {"N": "1E+126"},
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        (
            {"N": "1E-131"},
            "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        ),
        ({"M": {"x": {"L": [{"SS": []}]}}}, PARAM + "An string set  may not be empty"),
        ({"NS": ["1", "x"]}, "The parameter cannot be converted to a numeric value: x"),
    ],
)
def test_attribute_values_checked_before_table_lookup(fake: FakeDynamoDB, value: Any, message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {"missing": [put("a", 1, v=value)]})
    assert caught.value.message == message


def test_item_size_limit_checked_before_table_lookup(fake: FakeDynamoDB, table: str) -> None:
    # pk (2+1) + sk (2+2) + "v" (1) = 8 bytes around the string
    exact = put("a", 1, v={"S": "x" * (409_600 - 8)})
    write(fake, {table: [exact]})
    too_big = put("a", 2, v={"S": "x" * (409_600 - 7)})
    for target in (table, "missing"):
        with pytest.raises(ValidationException) as caught:
            write(fake, {target: [too_big]})
        assert caught.value.message == "Item size has exceeded the maximum allowed size"


def test_missing_table_checked_before_duplicates(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        write(fake, {"missing": [put("a", 1), put("a", 1)]})
    assert caught.value.message == "Requested resource not found"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"PutRequest": {"Item": {"pk": {"S": "a"}}}}, SCHEMA),
        ({"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"S": "1"}}}}, SCHEMA),
        ({"PutRequest": {"Item": {"pk": {"N": "1"}, "sk": {"N": "1"}}}}, SCHEMA),
        (
            {"PutRequest": {"Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}},
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
            "empty string value. Key: pk",
        ),
        (
            {"DeleteRequest": {"Key": {"pk": {"S": ""}, "sk": {"N": "1"}}}},
            PARAM + "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
        ),
        ({"DeleteRequest": {"Key": {"pk": {"S": "a"}}}}, SCHEMA),
        ({"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}}}}, SCHEMA),
        ({"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}}}, SCHEMA),
        (
            {"PutRequest": {"Item": {"pk": {"S": "a" * 2049}, "sk": {"N": "1"}}}},
            PARAM + "Size of hashkey has exceeded the maximum size limit of2048 bytes",
        ),
    ],
)
def test_key_schema(fake: FakeDynamoDB, table: str, request_: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [request_]})
    assert caught.value.message == message


def test_key_size_limits_are_inclusive(fake: FakeDynamoDB, make_table: Any) -> None:
    name = make_table("strings", range_key=("sk", "S"))
    write(fake, {name: [{"PutRequest": {"Item": {"pk": {"S": "é" * 1024}, "sk": {"S": "b" * 1024}}}}]})
    with pytest.raises(ValidationException) as caught:
        write(fake, {name: [{"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"S": "é" * 512 + "b"}}}}]})
    assert caught.value.message == (
        PARAM + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
    )


def test_index_key_type_mismatch(fake: FakeDynamoDB, indexed_table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {indexed_table: [put("a", 1, status={"N": "1"})]})
    assert caught.value.message == (
        PARAM + "Type mismatch for Index Key status Expected: S Actual: N IndexName: by_status"
    )


@pytest.mark.parametrize(
    "requests",
    [
        [put("a", 1), put("a", 1, x={"S": "y"})],
        [put("a", 1), delete("a", 1)],
        [delete("a", 1), delete("a", 1)],
        [put("a", 1), delete("a", "1.0")],
        [put("a", "1E0"), put("a", "100e-2")],
    ],
)
def test_duplicate_keys(fake: FakeDynamoDB, table: str, requests: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: requests})
    assert caught.value.message == DUPLICATES


def test_same_key_in_two_tables_is_fine(fake: FakeDynamoDB, table: str, make_table: Any) -> None:
    other = make_table("other")
    write(fake, {table: [put("a", 1)], other: [put("a", 1)]})
    assert get(fake, table, "a", 1) == get(fake, other, "a", 1) == {"pk": {"S": "a"}, "sk": {"N": "1"}}


def test_rejected_batch_changes_nothing(fake: FakeDynamoDB, table: str, snapshot: Any) -> None:
    write(fake, {table: [put("a", 1, v={"S": "old"}), put("a", 2)]})
    before = snapshot(fake)
    for bad in (
        [put("a", 1, v={"S": "new"}), delete("a", 2), put("b", 1, v={"NULL": False})],
        [delete("a", 2), {"PutRequest": {"Item": {"pk": {"S": "a"}}}}],
        [put("c", 1), put("c", 1)],
    ):
        with pytest.raises(ValidationException):
            write(fake, {table: bad})
    assert snapshot(fake) == before
    fake._check()


# --- behaviour ------------------------------------------------------------------------------------


def test_applies_puts_and_deletes(fake: FakeDynamoDB, table: str) -> None:
    assert write(fake, {table: [put("a", i, v={"N": str(i)}) for i in range(25)]}) == {"UnprocessedItems": {}}
    response = write(fake, {table: [delete("a", 0), delete("zzz", 1), put("a", 1, w={"BOOL": True})]})
    assert response == {"UnprocessedItems": {}}
    assert get(fake, table, "a", 0) is None
    assert get(fake, table, "a", 1) == {
        "pk": {"S": "a"},
        "sk": {"N": "1"},
        "w": {"BOOL": True},
    }  # replaced whole
    assert fake.item_count(table) == 24
    fake._check()


def test_numbers_come_back_normalised(fake: FakeDynamoDB, table: str) -> None:
    write(fake, {table: [put("a", "0001.50", n={"N": "-0"}, ns={"NS": ["1.50", "2E3"]}, e={"N": "1.5E2"})]})
    assert get(fake, table, "a", "1.5") == {
        "pk": {"S": "a"},
        "sk": {"N": "1.5"},
        "n": {"N": "0"},
        "ns": {"NS": ["1.5", "2000"]},
        "e": {"N": "150"},
    }


def test_binary_and_empty_values_outside_keys(fake: FakeDynamoDB, table: str) -> None:
    attrs = {
        "b": {"B": b""},
        "s": {"S": ""},
        "bs": {"BS": [b"", b"x"]},
        "ss": {"SS": ["", "x"]},
        "m": {"M": {}},
    }
    write(fake, {table: [put("a", 1, **attrs)]})
    assert get(fake, table, "a", 1) == {"pk": {"S": "a"}, "sk": {"N": "1"}, **attrs}


def test_caller_cannot_change_stored_items(fake: FakeDynamoDB, table: str) -> None:
    nested = {"M": {"l": {"L": [{"S": "x"}]}}}
    request = {table: [put("a", 1, m=nested)]}
    write(fake, request)
    nested["M"]["l"]["L"].append({"S": "y"})
    request[table][0]["PutRequest"]["Item"]["pk"]["S"] = "changed"
    first = get(fake, table, "a", 1)
    assert first is not None
    first["m"]["M"]["l"]["L"].clear()
    assert get(fake, table, "a", 1) == {
        "pk": {"S": "a"},
        "sk": {"N": "1"},
        "m": {"M": {"l": {"L": [{"S": "x"}]}}},
    }


def test_table_arn_accepted(fake: FakeDynamoDB, table: str) -> None:
    arn = fake.state.table_arn(table)
    write(fake, {arn: [put("a", 1)]})
    assert get(fake, table, "a", 1) is not None


def test_consumed_capacity_total_per_table(fake: FakeDynamoDB, table: str, make_table: Any) -> None:
    other = make_table("other")
    # 500 B and 3.5 KB items: rounded per item to 1 + 4 = 5 units (Developer Guide example)
    small = put("a", 1, v={"S": "x" * (500 - 8)})
    large = put("a", 2, v={"S": "x" * (3584 - 8)})
    response = write(
        fake, {table: [small, large], other: [delete("nope", 1)]}, ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 5.0},
        {"TableName": other, "CapacityUnits": 1.0},
    ]
    # overwriting costs the larger of the old and new item; deleting costs the deleted item's size
    response = write(fake, {table: [put("a", 2), delete("a", 1)]}, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 5.0}]


def test_no_consumed_capacity_unless_asked(fake: FakeDynamoDB, table: str) -> None:
    assert "ConsumedCapacity" not in write(fake, {table: [put("a", 1)]}, ReturnConsumedCapacity="NONE")


def test_consumed_capacity_indexes(fake: FakeDynamoDB, indexed_table: str) -> None:
    in_both = put("a", 1, status={"S": "new"}, total={"N": "5"}, date={"S": "2026-01-01"})
    in_none = put("a", 2, other={"S": "x"})
    response = write(fake, {indexed_table: [in_both, in_none]}, ReturnConsumedCapacity="INDEXES")
    assert response["ConsumedCapacity"] == [
        {
            "TableName": indexed_table,
            "CapacityUnits": 4.0,
            "Table": {"CapacityUnits": 2.0},
            "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 1.0}},
            "LocalSecondaryIndexes": {"by_date": {"CapacityUnits": 1.0}},
        }
    ]
    # changing the GSI key moves the entry: a delete and a put on the index
    moved = put("a", 1, status={"S": "done"}, total={"N": "5"}, date={"S": "2026-01-01"})
    response = write(fake, {indexed_table: [moved]}, ReturnConsumedCapacity="INDEXES")
    assert response["ConsumedCapacity"][0]["GlobalSecondaryIndexes"] == {"by_status": {"CapacityUnits": 2.0}}
    fake._check()


def test_sparse_indexes(fake: FakeDynamoDB, indexed_table: str) -> None:
    write(
        fake,
        {
            indexed_table: [
                put("a", 1, status={"S": "new"}),
                put("a", 2, status={"S": "new"}, total={"N": "1"}),
            ]
        },
    )
    store = fake.state.tables[indexed_table].store
    entries = list(store.indexes["by_status"].entries())
    assert [entry for _, _, entry in entries] == [
        {"pk": {"S": "a"}, "sk": {"N": "2"}, "status": {"S": "new"}, "total": {"N": "1"}}
    ]
    assert len(store.indexes["by_date"]) == 0
    write(fake, {indexed_table: [delete("a", 2)]})
    assert len(store.indexes["by_status"]) == 0
    fake._check()


def test_item_collection_metrics_for_lsi_tables_only(
    fake: FakeDynamoDB, table: str, indexed_table: str
) -> None:
    response = write(
        fake,
        {indexed_table: [put("a", 1, date={"S": "d"}), put("a", 2), put("b", 1)], table: [put("a", 1)]},
        ReturnItemCollectionMetrics="SIZE",
    )
    assert response["ItemCollectionMetrics"] == {
        indexed_table: [
            {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
            {"ItemCollectionKey": {"pk": {"S": "b"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
        ]
    }
    assert "ItemCollectionMetrics" not in write(
        fake, {table: [put("c", 1)]}, ReturnItemCollectionMetrics="SIZE"
    )


def test_describe_table_counts_items(fake: FakeDynamoDB, hash_table: str) -> None:
    items = [{"PutRequest": {"Item": {"id": {"S": f"u{i}"}, "name": {"S": "x" * i}}}} for i in range(10)]
    write(fake, {hash_table: items})
    table = fake.call_sync("DescribeTable", {"TableName": hash_table})["Table"]
    assert table["ItemCount"] == 10
    assert table["TableSizeBytes"] == sum(2 + len(f"u{i}") + 4 + i for i in range(10))


async def test_async_call_matches_sync(fake: FakeDynamoDB, table: str) -> None:
    assert await fake.call("BatchWriteItem", {"RequestItems": {table: [put("a", 1)]}}) == {
        "UnprocessedItems": {}
    }
    with pytest.raises(ValidationException) as caught:
        await fake.call("BatchWriteItem", {"RequestItems": {}})
    assert caught.value.operation_name == "BatchWriteItem"
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_null_write_request(fake: FakeDynamoDB, table: str) -> None:
    with pytest.raises(ValidationException) as caught:
        write(fake, {table: [put("a", 1), None]})
    assert caught.value.message == (
        f"1 validation error detected: Value null at 'requestItems.{table}.member.2.member' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_400_kb_limit_counts_lsi_entries(fake: FakeDynamoDB, indexed_table: str, snapshot: Any) -> None:
    # the LSI projects ALL: an item in it counts twice towards the limit
    half = 409_600 // 2
    fits = put("a", 1, date={"S": "d"}, v={"S": "x" * (half - 40)})
    write(fake, {indexed_table: [fits]})
    before = snapshot(fake)
    too_big = put("a", 2, date={"S": "d"}, v={"S": "x" * (half + 10)})
    with pytest.raises(ValidationException) as caught:
        write(fake, {indexed_table: [too_big]})
    assert caught.value.message == "Item size has exceeded the maximum allowed size"
    not_indexed = put("a", 3, v={"S": "x" * (half + 10)})  # no LSI key: no LSI entry
    write(fake, {indexed_table: [not_indexed]})
    assert snapshot(fake)[indexed_table][:1] == before[indexed_table]
