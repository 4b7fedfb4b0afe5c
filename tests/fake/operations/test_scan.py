"""Scan: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ResourceNotFoundException, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.scan_order import segment_of
from aiodynamodb_fake.values import item_size
from tests.fake.operations.builders import COMPARISON_ENUM, INVALID_START, PARAM, SCHEMA, create_table, item


def scan(fake: FakeDynamoDB, table: str = "items", **members: Any) -> dict[str, Any]:
    request = {"TableName": table, **members}
    return fake.call_sync("Scan", {k: v for k, v in request.items() if v is not None})


def refused(fake: FakeDynamoDB, table: str = "items", **members: Any) -> str:
    with pytest.raises(ValidationException) as caught:
        scan(fake, table, **members)
    return caught.value.message


def keys_of(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(found["pk"]["S"], int(found["sk"]["N"])) for found in items]


def scan_all(fake: FakeDynamoDB, table: str = "items", **members: Any) -> tuple[list[dict[str, Any]], int]:
    """Every page of a scan to the end: the items of all pages, and how many pages."""
    found: list[dict[str, Any]] = []
    pages = 0
    start = None
    while True:
        response = scan(fake, table, ExclusiveStartKey=start, **members)
        pages += 1
        found += response.get("Items", [])
        start = response.get("LastEvaluatedKey")
        if start is None:
            return found, pages
        assert pages < 1000


@pytest.fixture
def filled(fake: FakeDynamoDB, table: str) -> list[dict[str, Any]]:
    """20 partitions of 3 items each (v = sk)."""
    stored = []
    for number in range(20):
        for sk in range(3):
            stored.append(item(f"p{number}", sk, v={"N": str(sk)}))
            fake.call_sync("PutItem", {"TableName": table, "Item": stored[-1]})
    return stored


def indexed(fake: FakeDynamoDB, gsi_projection: str = "KEYS_ONLY") -> str:
    """``idx``: pk S / sk N, GSI ``gsi`` (gh S, hash only), LSI ``lsi`` (pk, lr N; KEYS_ONLY)."""
    return create_table(
        fake,
        "idx",
        extra_attributes={"gh": "S", "lr": "N"},
        gsis=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "gh", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": gsi_projection},
            }
        ],
        lsis=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "lr", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"Segment": "1"}, "STRING_VALUE cannot be converted to Integer"),
        ({"ConsistentRead": "yes"}, "Unexpected token received from parser"),
        ({"FilterExpression": ["a"]}, "Unrecognized collection type class java.lang.String"),
        ({"ExclusiveStartKey": {"pk": {"N": 1}}}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, members: dict[str, Any], message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        scan(fake, **members)
    assert caught.value.message == message


# --- validation errors: the request alone ---------------------------------------------------------


def test_constraints_are_collected_in_dynamodbs_order(fake: FakeDynamoDB) -> None:
    """Every violation in one envelope, in the member table's order (``members/reads.py``)."""
    message = refused(
        fake,
        "nowhere",
        Select="hi",
        IndexName="abc;",
        TotalSegments=0,
        ReturnConsumedCapacity="hi",
        Segment=-1,
        Limit=0,
    )
    assert message == (
        "6 validation errors detected: "
        "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
        "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
        "Value 'abc;' at 'indexName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value '0' at 'totalSegments' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value '-1' at 'segment' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0; "
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    )


def test_every_member_at_once(fake: FakeDynamoDB) -> None:
    """Every member with a rule broken in one request: dynalite's "should return ValidationException
    for incorrect attributes" (run against DynamoDB), less its tableName, now reported alone; the
    listed order is the test's, attributesToGet (which DynamoDB left out of its ten) last."""
    message = refused(
        fake,
        "abc",
        ReturnConsumedCapacity="hi",
        AttributesToGet=[],
        IndexName="abc;",
        Segment=-1,
        TotalSegments=-1,
        Select="hi",
        Limit=-1,
        ScanFilter={"a": {}, "b": {"ComparisonOperator": ""}},
        ConditionalOperator="AN",
        ExpressionAttributeNames={},
        ExpressionAttributeValues={},
        ProjectionExpression="",
    )
    assert message == (
        "10 validation errors detected: "
        "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
        "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
        "Value 'abc;' at 'indexName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value '-1' at 'totalSegments' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value 'AN' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]; "
        "Value null at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: "
        "Member must not be null; "
        f"Value '' at 'scanFilter.b.member.comparisonOperator' failed to satisfy constraint: {COMPARISON_ENUM}; "
        "Value '-1' at 'segment' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0; "
        "Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; "
        "Value '[]' at 'attributesToGet' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"Segment": 1_000_000, "TotalSegments": 1_000_000},
            "1 validation error detected: Value '1000000' at 'segment' failed to satisfy constraint: "
            "Member must have value less than or equal to 999999",
        ),
        (
            {"Segment": 0, "TotalSegments": 1_000_001},
            "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: "
            "Member must have value less than or equal to 1000000",
        ),
    ],
)
def test_segment_maxima(fake: FakeDynamoDB, members: dict[str, Any], message: str) -> None:
    assert refused(fake, "nowhere", **members) == message


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"Segment": 0},
            "The TotalSegments parameter is required but was not present in the request "
            "when Segment parameter is present",
        ),
        (
            {"TotalSegments": 4},
            "The Segment parameter is required but was not present in the request "
            "when parameter TotalSegments is present",
        ),
        (
            {"Segment": 5, "TotalSegments": 5},
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            "Segment: 5 is not less than TotalSegments: 5",
        ),
        (
            {"Segment": 1, "ExclusiveStartKey": {"pk": {}}},
            INVALID_START
            + ": Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        ({"ExclusiveStartKey": {"pk": {"NS": ["1", "1"]}}}, "Input collection contains duplicates"),
        (
            {"Select": "SPECIFIC_ATTRIBUTES"},
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
        ),
        (
            {"Select": "ALL_PROJECTED_ATTRIBUTES"},
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        ),
        (
            {"Select": "ALL_ATTRIBUTES", "ProjectionExpression": "pk"},
            "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
        ),
        (
            {"ScanFilter": {}, "AttributesToGet": ["a"], "FilterExpression": "a = b"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributesToGet, ScanFilter} Expression parameters: {FilterExpression}",
        ),
        (
            {"ExpressionAttributeValues": {":a": {"S": "a"}}, "ProjectionExpression": "a"},
            "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
        ),
        (
            {"ScanFilter": {}, "ConditionalOperator": "AND"},
            "ConditionalOperator cannot be used without Filter or Expected",
        ),
        (
            {"ScanFilter": {"a": {}}},
            "1 validation error detected: Value null at 'scanFilter.a.member.comparisonOperator' "
            "failed to satisfy constraint: Member must not be null",
        ),
        ({"AttributesToGet": ["a", "a"]}, PARAM + "Duplicate value in attribute name: a"),
        ({"FilterExpression": ""}, "Invalid FilterExpression: The expression can not be empty;"),
    ],
)
def test_request_errors(fake: FakeDynamoDB, members: dict[str, Any], message: str) -> None:
    assert refused(fake, "nowhere", **members) == message


# --- validation errors: against the table ---------------------------------------------------------


def test_missing_table(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        scan(fake, "nowhere", ExclusiveStartKey={"x": {"S": "a"}})
    assert caught.value.message == "Requested resource not found"


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"IndexName": "nope"}, "The table does not have the specified index: nope"),
        ({"IndexName": "nope", "ExclusiveStartKey": {"pk": {"S": "a"}}}, INVALID_START),
        ({"ExclusiveStartKey": {"pk": {"S": "a"}}}, INVALID_START + ": " + SCHEMA),
        ({"ExclusiveStartKey": {"pk": {"S": "a"}, "x": {"N": "1"}}}, INVALID_START + ": " + SCHEMA),
        ({"ExclusiveStartKey": {"pk": {"S": "a"}, "sk": {"S": "1"}}}, INVALID_START + ": " + SCHEMA),
        (
            {"ProjectionExpression": "pk[1]"},
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
        ),
    ],
)
def test_table_errors(fake: FakeDynamoDB, table: str, members: dict[str, Any], message: str) -> None:
    assert refused(fake, **members) == message


def test_index_errors(fake: FakeDynamoDB) -> None:
    indexed(fake)
    start = {"pk": {"S": "a"}, "sk": {"N": "1"}, "gh": {"S": "g"}}
    assert refused(fake, "idx", IndexName="gsi", ConsistentRead=True) == (
        "Consistent reads are not supported on global secondary indexes"
    )
    assert refused(fake, "idx", IndexName="gsi", Select="ALL_ATTRIBUTES") == (
        PARAM + "Select type ALL_ATTRIBUTES is not supported for global secondary index gsi "
        "because its projection type is not ALL"
    )
    assert refused(fake, "idx", IndexName="gsi", ProjectionExpression="pk, v") == (
        PARAM + "Global secondary index gsi does not project [v]"
    )
    assert refused(fake, "idx", IndexName="gsi", ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "1"}}) == (
        INVALID_START
    )
    assert refused(fake, "idx", IndexName="gsi", ExclusiveStartKey={**start, "gh": {"N": "1"}}) == SCHEMA
    assert refused(fake, "idx", IndexName="gsi", ExclusiveStartKey={**start, "sk": {"S": "1"}}) == (
        INVALID_START + ": " + SCHEMA
    )
    # the start key's partition (the index's) must belong to the segment scanned
    segment = segment_of("g", 4)
    other = (segment + 1) % 4
    assert refused(fake, "idx", IndexName="gsi", ExclusiveStartKey=start, Segment=other, TotalSegments=4) == (
        INVALID_START + ": Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
        f"TotalSegments: 4 Segment: {other}"
    )
    assert scan(fake, "idx", IndexName="gsi", ExclusiveStartKey=start, Segment=segment, TotalSegments=4) == {
        "Items": [],
        "Count": 0,
        "ScannedCount": 0,
    }


def test_start_key_of_another_segment(fake: FakeDynamoDB, filled: list[dict[str, Any]]) -> None:
    start = {"pk": {"S": "p0"}, "sk": {"N": "0"}}
    other = (segment_of("p0", 3) + 1) % 3
    assert refused(fake, ExclusiveStartKey=start, Segment=other, TotalSegments=3) == (
        INVALID_START + ": Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
        f"TotalSegments: 3 Segment: {other}"
    )


# --- behaviour -------------------------------------------------------------------------------------


def test_scan_returns_every_item_once(fake: FakeDynamoDB, filled: list[dict[str, Any]]) -> None:
    found = scan(fake)
    assert sorted(keys_of(found["Items"])) == sorted(keys_of(filled))
    assert found["Count"] == found["ScannedCount"] == 60
    assert "LastEvaluatedKey" not in found
    # partitions come in one scan order, each in sort-key order
    order = keys_of(found["Items"])
    for position in range(0, 60, 3):
        assert [sk for _, sk in order[position : position + 3]] == [0, 1, 2]


@pytest.mark.parametrize("limit", [1, 2, 7, 60, 61])
def test_pagination_round_trip(fake: FakeDynamoDB, filled: list[dict[str, Any]], limit: int) -> None:
    found, pages = scan_all(fake, Limit=limit)
    assert keys_of(found) == keys_of(scan(fake)["Items"])
    assert pages == 60 // limit + 1


@pytest.mark.parametrize("total", [1, 2, 3, 7, 64])
def test_segments_are_disjoint_and_cover_the_table(
    fake: FakeDynamoDB, filled: list[dict[str, Any]], total: int
) -> None:
    seen: list[tuple[str, int]] = []
    for segment in range(total):
        found, _ = scan_all(fake, Segment=segment, TotalSegments=total, Limit=4)
        assert all(segment_of(pk, total) == segment for pk, _ in keys_of(found))
        seen += keys_of(found)
    assert sorted(seen) == sorted(keys_of(filled))


def test_filter_select_and_projection(fake: FakeDynamoDB, filled: list[dict[str, Any]]) -> None:
    filtered = scan(fake, FilterExpression="v = :v", ExpressionAttributeValues={":v": {"N": "1"}}, Limit=9)
    assert (filtered["Count"], filtered["ScannedCount"]) == (3, 9)
    assert all(found["v"] == {"N": "1"} for found in filtered["Items"])
    assert filtered["LastEvaluatedKey"] == {k: filtered["Items"][-1][k] for k in ("pk",)} | {"sk": {"N": "2"}}
    counted = scan(
        fake, Select="COUNT", FilterExpression="v > :v", ExpressionAttributeValues={":v": {"N": "0"}}
    )
    assert counted == {"Count": 40, "ScannedCount": 60}
    projected = scan(fake, ProjectionExpression="v", Limit=2)
    assert projected["Items"] == [{"v": {"N": "0"}}, {"v": {"N": "1"}}]
    legacy = scan(fake, AttributesToGet=["sk"], Limit=1, Select="SPECIFIC_ATTRIBUTES")
    assert legacy["Items"] == [{"sk": {"N": "0"}}]


def test_hash_only_table(fake: FakeDynamoDB, hash_table: str) -> None:
    for name in ("a", "b", "c", "d"):
        fake.call_sync("PutItem", {"TableName": hash_table, "Item": {"id": {"S": name}}})
    found, pages = scan_all(fake, hash_table, Limit=1)
    assert sorted(entry["id"]["S"] for entry in found) == ["a", "b", "c", "d"]
    assert pages == 5


def test_index_scans(fake: FakeDynamoDB) -> None:
    indexed(fake, "ALL")
    stored = []
    for sk in range(10):
        attrs: dict[str, Any] = {"lr": {"N": str(sk)}, "v": {"S": "x"}}
        if sk % 2:
            attrs["gh"] = {"S": f"g{sk % 3}"}  # sparse: only odd items are in the GSI
        stored.append(item(f"p{sk % 4}", sk, **attrs))
        fake.call_sync("PutItem", {"TableName": "idx", "Item": stored[-1]})
    in_gsi = [entry for entry in stored if "gh" in entry]
    found, _ = scan_all(fake, "idx", IndexName="gsi", Limit=2)
    assert sorted(keys_of(found)) == sorted(keys_of(in_gsi))
    assert found[0] == next(entry for entry in stored if keys_of([entry]) == keys_of(found[:1]))
    page = scan(fake, "idx", IndexName="gsi", Limit=1)
    assert set(page["LastEvaluatedKey"]) == {"pk", "sk", "gh"}
    keys_only = [{k: v for k, v in entry.items() if k in ("pk", "sk", "lr")} for entry in stored]
    found, _ = scan_all(fake, "idx", IndexName="lsi", Limit=3)
    assert sorted(keys_of(found)) == sorted(keys_of(keys_only))
    assert all(set(entry) == {"pk", "sk", "lr"} for entry in found)
    fetched, _ = scan_all(fake, "idx", IndexName="lsi", Select="ALL_ATTRIBUTES", Limit=3)
    assert sorted(keys_of(fetched)) == sorted(keys_of(stored))
    assert all("v" in entry for entry in fetched)


def test_a_filter_on_what_an_index_does_not_project(fake: FakeDynamoDB) -> None:
    """Not refused, unlike Query's: the filter reads what the read holds, so an index entry lacks the
    attribute; when Select fetches the table items, it reads those (a choice: no source says)."""
    indexed(fake)
    for sk in range(4):
        fake.call_sync(
            "PutItem", {"TableName": "idx", "Item": item("p", sk, lr={"N": str(sk)}, v={"N": str(sk)})}
        )
    members: dict[str, Any] = {
        "IndexName": "lsi",
        "FilterExpression": "v >= :two",
        "ExpressionAttributeValues": {":two": {"N": "2"}},
        "ReturnConsumedCapacity": "TOTAL",
        "ConsistentRead": True,
    }
    entries = scan(fake, "idx", **members)
    assert (entries["Items"], entries["Count"], entries["ScannedCount"]) == ([], 0, 4)
    assert entries["ConsumedCapacity"]["CapacityUnits"] == 1.0
    fetched = scan(fake, "idx", Select="ALL_ATTRIBUTES", **members)
    assert keys_of(fetched["Items"]) == [("p", 2), ("p", 3)]
    # the index read, and each of the four table items fetched, one unit each
    assert fetched["ConsumedCapacity"]["CapacityUnits"] == 5.0


def test_one_megabyte_pages(fake: FakeDynamoDB, table: str) -> None:
    big = "x" * 300_000
    for sk in range(8):
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", sk, blob={"S": big})})
    size = item_size(item("a", 0, blob={"S": big}))
    first = scan(fake, ReturnConsumedCapacity="TOTAL")
    # 3 items make 900 KB, the 4th crosses 1 MB and is read whole
    assert (first["Count"], first["ScannedCount"]) == (4, 4)
    assert first["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "3"}}
    assert first["ConsumedCapacity"] == {"TableName": "items", "CapacityUnits": -(-4 * size // 4096) / 2}
    # the second page reads the last 4 and crosses 1 MB too: a LastEvaluatedKey, then an empty page
    _, pages = scan_all(fake, Select="COUNT")
    assert pages == 3


def test_capacity(fake: FakeDynamoDB, filled: list[dict[str, Any]]) -> None:
    total = sum(item_size(entry) for entry in filled)
    units = float(-(-total // 4096))
    consistent = scan(fake, ConsistentRead=True, ReturnConsumedCapacity="INDEXES", Select="COUNT")
    assert consistent["ConsumedCapacity"] == {
        "TableName": "items",
        "CapacityUnits": units,
        "Table": {"CapacityUnits": units},
    }
    assert all(segment_of(f"p{number}", 1_000_000) != 0 for number in range(20))
    empty = scan(fake, ReturnConsumedCapacity="TOTAL", Segment=0, TotalSegments=1_000_000)
    assert empty["Count"] == 0
    assert empty["ConsumedCapacity"] == {"TableName": "items", "CapacityUnits": 0.5}
