"""Query: shape errors, validation errors (class and full message, in DynamoDB's order), behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import (
    ProvisionedThroughputExceededException,
    ResourceNotFoundException,
    SerializationException,
    ThrottlingException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.values import item_size
from tests.fake.operations.builders import COMPARISON_ENUM, INVALID_START, PARAM, SCHEMA, create_table, item


def query(fake: FakeDynamoDB, table: str = "items", **members: Any) -> dict[str, Any]:
    """A Query of partition ``a`` of ``table`` unless the members say otherwise."""
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "a"}},
    }
    request.update(members)
    return fake.call_sync("Query", {k: v for k, v in request.items() if v is not None})


def refused(fake: FakeDynamoDB, table: str = "items", **members: Any) -> str:
    with pytest.raises(ValidationException) as caught:
        query(fake, table, **members)
    return caught.value.message


def sks(response: dict[str, Any]) -> list[int]:
    return [int(found["sk"]["N"]) for found in response["Items"]]


@pytest.fixture
def filled(fake: FakeDynamoDB, table: str) -> str:
    """Partition ``a`` holds sk 1..10 (v = sk), partition ``b`` sk 1..3."""
    for sk in range(1, 11):
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", sk, v={"N": str(sk)})})
    for sk in range(1, 4):
        fake.call_sync("PutItem", {"TableName": table, "Item": item("b", sk)})
    return table


def indexed(fake: FakeDynamoDB, gsi_projection: dict[str, Any], lsi_projection: dict[str, Any]) -> str:
    """``idx``: pk S / sk N, GSI ``gsi`` (gh S, gr N), LSI ``lsi`` (pk, lr N), with the given projections."""
    return create_table(
        fake,
        "idx",
        extra_attributes={"gh": "S", "gr": "N", "lr": "N"},
        gsis=[
            {
                "IndexName": "gsi",
                "KeySchema": [
                    {"AttributeName": "gh", "KeyType": "HASH"},
                    {"AttributeName": "gr", "KeyType": "RANGE"},
                ],
                "Projection": gsi_projection,
            }
        ],
        lsis=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "lr", "KeyType": "RANGE"},
                ],
                "Projection": lsi_projection,
            }
        ],
    )


def fill_indexed(fake: FakeDynamoDB, count: int = 6) -> list[dict[str, Any]]:
    stored = []
    for sk in range(count):
        attrs = {"gh": {"S": "g"}, "gr": {"N": str(sk % 3)}, "lr": {"N": str(100 - sk)}}
        attrs.update({"x": {"S": f"x{sk}"}, "y": {"S": f"y{sk}"}})
        stored.append(item("a", sk, **attrs))
        fake.call_sync("PutItem", {"TableName": "idx", "Item": stored[-1]})
    return stored


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"Limit": "1"}, "STRING_VALUE cannot be converted to Integer"),
        ({"ScanIndexForward": 1}, "NUMBER_VALUE cannot be converted to Boolean"),
        ({"KeyConditionExpression": 5}, "NUMBER_VALUE cannot be converted to String"),
        (
            {"ExclusiveStartKey": []},
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>",
        ),
        ({"AttributesToGet": "a"}, "Unexpected field type"),
        ({"ExclusiveStartKey": {"pk": {"S": 1}}}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds(fake: FakeDynamoDB, table: str, members: dict[str, Any], message: str) -> None:
    with pytest.raises(SerializationException) as caught:
        query(fake, **members)
    assert caught.value.message == message


# --- validation errors: the request alone -----------------------------------------------------------


def test_table_name_required(fake: FakeDynamoDB) -> None:
    with pytest.raises(ValidationException) as caught:
        fake.call_sync("Query", {"KeyConditionExpression": "pk = :p"})
    assert caught.value.message == (
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_limit_zero_is_reported_in_the_newer_form(fake: FakeDynamoDB, table: str) -> None:
    assert refused(fake, Limit=0) == (
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


def test_constraints_are_collected_in_dynamodbs_order(fake: FakeDynamoDB, table: str) -> None:
    """Every violation in one envelope, in the member table's order (``members/reads.py``)."""
    message = refused(
        fake, Select="hi", IndexName="a;", ReturnConsumedCapacity="hi", AttributesToGet=[], Limit=-1
    )
    assert message == (
        "6 validation errors detected: "
        "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
        "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
        "Value 'a;' at 'indexName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value 'a;' at 'indexName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3; "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value '[]' at 'attributesToGet' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; "
        "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    )


def test_every_member_at_once(fake: FakeDynamoDB) -> None:
    """Every member with a rule broken in one request: dynalite's "should return ValidationException
    for incorrect attributes" (run against DynamoDB), less its tableName, now reported alone; the
    listed order is the test's."""
    message = refused(
        fake,
        "abc",
        ReturnConsumedCapacity="hi",
        AttributesToGet=[],
        IndexName="abc;",
        Select="hi",
        Limit=-1,
        KeyConditions={"a": {}, "b": {"ComparisonOperator": ""}},
        ConditionalOperator="AN",
        QueryFilter={"a": {}, "b": {"ComparisonOperator": ""}},
        KeyConditionExpression=None,
        ExpressionAttributeValues=None,
    )
    assert message == (
        "10 validation errors detected: "
        "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
        "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
        "Value 'abc;' at 'indexName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: "
        "Member must not be null; "
        f"Value '' at 'queryFilter.b.member.comparisonOperator' failed to satisfy constraint: {COMPARISON_ENUM}; "
        "Value 'AN' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]; "
        "Value '[]' at 'attributesToGet' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; "
        "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1; "
        "Value null at 'keyConditions.a.member.comparisonOperator' failed to satisfy constraint: "
        "Member must not be null; "
        f"Value '' at 'keyConditions.b.member.comparisonOperator' failed to satisfy constraint: {COMPARISON_ENUM}"
    )


def test_a_bad_table_name_is_reported_before_the_other_members(fake: FakeDynamoDB) -> None:
    assert refused(fake, "abc;", Select="hi", Limit=0) == (
        "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    )


def test_key_condition_required(fake: FakeDynamoDB, table: str) -> None:
    message = refused(fake, KeyConditionExpression=None, ExpressionAttributeValues=None)
    assert message == (
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
    )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"Select": "SPECIFIC_ATTRIBUTES"},
            "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression "
            "when choosing to get SPECIFIC_ATTRIBUTES",
        ),
        (
            {"Select": "ALL_PROJECTED_ATTRIBUTES"},
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        ),
        (
            {"Select": "ALL_ATTRIBUTES", "ProjectionExpression": "v"},
            "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
        ),
        (
            {"Select": "COUNT", "ProjectionExpression": "v"},
            "Cannot specify the ProjectionExpression when choosing to get only the Count",
        ),
        (
            {"Select": "ALL_PROJECTED_ATTRIBUTES", "IndexName": "idx", "AttributesToGet": ["v"]},
            "Cannot specify the AttributesToGet when choosing to get ALL_PROJECTED_ATTRIBUTES",
        ),
    ],
)
def test_select_rules(fake: FakeDynamoDB, table: str, members: dict[str, Any], message: str) -> None:
    assert refused(fake, **members) == message


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"QueryFilter": {}, "AttributesToGet": ["a"], "ProjectionExpression": "a"},
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributesToGet, QueryFilter} "
            "Expression parameters: {ProjectionExpression, KeyConditionExpression}",
        ),
        (
            # KeyConditions may go with a FilterExpression; then it is checked on its own
            {"KeyConditionExpression": None, "KeyConditions": {}, "FilterExpression": "v > :p"},
            "Conditions can be of length 1 or 2 only",
        ),
        (
            {"KeyConditionExpression": None, "ExpressionAttributeNames": {"#a": "a"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {"KeyConditionExpression": None, "ProjectionExpression": "a"},
            "ExpressionAttributeValues can only be specified when using expressions: "
            "FilterExpression and KeyConditionExpression are null",
        ),
        (
            {"ConditionalOperator": "OR", "KeyConditionExpression": None, "ExpressionAttributeValues": None},
            "ConditionalOperator cannot be used without Filter or Expected",
        ),
        (
            {
                "AttributesToGet": ["a", "a"],
                "KeyConditionExpression": None,
                "ExpressionAttributeValues": None,
            },
            PARAM + "Duplicate value in attribute name: a",
        ),
    ],
)
def test_expression_and_legacy_members(
    fake: FakeDynamoDB, table: str, members: dict[str, Any], message: str
) -> None:
    assert refused(fake, **members) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {},
            INVALID_START
            + ": Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            {"NULL": False},
            INVALID_START + ": " + PARAM + "Null attribute value types must have the value of true",
        ),
        ({"SS": []}, INVALID_START + ": " + PARAM + "An string set  may not be empty"),
        ({"NS": []}, PARAM + "An number set  may not be empty"),
        ({"SS": ["a", "a"]}, PARAM + "Input collection [a, a] contains duplicates."),
        ({"N": "x"}, "The parameter cannot be converted to a numeric value: x"),
        (
            {"N": "1e126"},
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
    ],
)
def test_start_key_values(fake: FakeDynamoDB, value: dict[str, Any], message: str) -> None:
    # checked before the table is looked up: there is no table here
    assert refused(fake, "nowhere", ExclusiveStartKey={"pk": value}) == message


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"KeyConditionExpression": "pk = :p OR sk > :p"},
            "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR",
        ),
        (
            {"KeyConditionExpression": "pk = :p AND sk > :p AND v = :p"},
            "Conditions can be of length 1 or 2 only",
        ),
        ({"KeyConditionExpression": ""}, "Invalid KeyConditionExpression: The expression can not be empty;"),
        (
            {"FilterExpression": "#m = :p"},
            "Invalid FilterExpression: An expression attribute name used in "
            "the document path is not defined; attribute name: #m",
        ),
        (
            {"ExpressionAttributeNames": {"#u": "u"}},
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}",
        ),
    ],
)
def test_expression_errors(fake: FakeDynamoDB, members: dict[str, Any], message: str) -> None:
    assert refused(fake, "nowhere", **members) == message


# --- validation errors: against the table ---------------------------------------------------------


def test_missing_table_before_key_schema(fake: FakeDynamoDB) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        query(fake, "nowhere", KeyConditionExpression="z = :p", ExclusiveStartKey={"b": {"S": "a"}})
    assert caught.value.message == "Requested resource not found"


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"KeyConditionExpression": "sk = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}},
            "Query condition missed key schema element: pk",
        ),
        ({"KeyConditionExpression": "pk = :p AND v = :p"}, "Query condition missed key schema element: sk"),
        ({"KeyConditionExpression": "pk > :p"}, "Query key condition not supported"),
        (
            {"KeyConditionExpression": "pk = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}},
            PARAM + "Condition parameter type does not match schema type",
        ),
        (
            {"KeyConditionExpression": "pk = :p AND sk > :p"},
            PARAM + "Condition parameter type does not match schema type",
        ),
        (
            {"FilterExpression": "sk > :p"},
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
        ),
        (
            {"FilterExpression": "attribute_exists(pk.x)"},
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk",
        ),
        (
            {"ProjectionExpression": "sk.x"},
            "Key attributes must be scalars; list random access '[]' and map "
            "lookup '.' are not allowed: Key: sk",
        ),
        ({"IndexName": "nope"}, "The table does not have the specified index: nope"),
    ],
)
def test_key_schema_errors(fake: FakeDynamoDB, table: str, members: dict[str, Any], message: str) -> None:
    assert refused(fake, **members) == message


def test_hash_only_table_takes_one_condition(fake: FakeDynamoDB, hash_table: str) -> None:
    message = refused(fake, hash_table, KeyConditionExpression="id = :p AND v = :p")
    assert message == "Query key condition not supported"


@pytest.mark.parametrize(
    ("start", "members", "message"),
    [
        ({"pk": {"S": "a"}}, {}, INVALID_START),
        ({"pk": {"S": "a"}, "x": {"N": "1"}}, {}, INVALID_START),
        ({"pk": {"N": "1"}, "sk": {"N": "1"}}, {}, SCHEMA),
        ({"pk": {"S": "a"}, "sk": {"S": "1"}}, {}, SCHEMA),
        # the hash condition is checked before the range's start-key piece
        (
            {"pk": {"S": "a"}, "x": {"N": "1"}},
            {"KeyConditionExpression": "v = :p"},
            "Query condition missed key schema element: pk",
        ),
        (
            {"pk": {"S": "b"}, "sk": {"N": "1"}},
            {},
            "The provided starting key is outside query boundaries based on provided conditions",
        ),
        (
            {"pk": {"S": "a"}, "sk": {"N": "1"}},
            {
                "KeyConditionExpression": "pk = :p AND sk > :n",
                "ExpressionAttributeValues": {":p": {"S": "a"}, ":n": {"N": "5"}},
            },
            "The provided starting key does not match the range key predicate",
        ),
        (
            {"pk": {"S": "b"}, "sk": {"N": "9"}},
            {
                "KeyConditionExpression": "pk = :p AND sk > :n",
                "ExpressionAttributeValues": {":p": {"S": "a"}, ":n": {"N": "5"}},
            },
            "The query can return at most one row and cannot be restarted",
        ),
    ],
)
def test_start_key_against_the_table(
    fake: FakeDynamoDB, table: str, start: dict[str, Any], members: dict[str, Any], message: str
) -> None:
    assert refused(fake, ExclusiveStartKey=start, **members) == message


def test_index_errors(fake: FakeDynamoDB) -> None:
    indexed(fake, {"ProjectionType": "KEYS_ONLY"}, {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]})
    gsi = {"IndexName": "gsi", "KeyConditionExpression": "gh = :p"}
    assert refused(fake, "idx", ConsistentRead=True, **gsi) == (
        "Consistent reads are not supported on global secondary indexes"
    )
    assert refused(fake, "idx", Select="ALL_ATTRIBUTES", **gsi) == (
        PARAM + "Select type ALL_ATTRIBUTES is not supported for global secondary index gsi "
        "because its projection type is not ALL"
    )
    assert refused(fake, "idx", ProjectionExpression="pk, x, y, x.z", **gsi) == (
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite "
        "one of these paths; path one: [x], path two: [x, z]"
    )
    assert refused(fake, "idx", ProjectionExpression="pk, y, gr, x", **gsi) == (
        PARAM + "Global secondary index gsi does not project [y, x]"
    )
    assert refused(fake, "idx", FilterExpression="gr > :p", **gsi) == (
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: gr"
    )
    assert refused(fake, "idx", FilterExpression="lr[0] = :p", **gsi) == (
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
        "IndexKey: lr"
    )
    # an index query may filter on the table's keys (only the index's are refused)
    assert (
        query(
            fake,
            "idx",
            FilterExpression="sk > :n",
            ExpressionAttributeValues={":p": {"S": "g"}, ":n": {"N": "1"}},
            **gsi,
        )["Count"]
        == 0
    )


NOT_PROJECTED = PARAM + "Secondary index {index} does not project one or more filter attributes: [{names}]"


def s(text: str) -> dict[str, str]:
    return {"S": text}


@pytest.mark.parametrize(
    ("members", "names"),
    [
        ({"FilterExpression": "y = :p"}, "y"),
        ({"FilterExpression": "z = :p AND (attribute_exists(y.a) OR size(w) > :n)"}, "w, y, z"),
        ({"FilterExpression": "y = :p AND y <> :n AND x = :p"}, "y"),
        ({"FilterExpression": "y = :p", "Select": "ALL_ATTRIBUTES"}, "y"),
        ({"FilterExpression": "y = :p", "ProjectionExpression": "y"}, "y"),
        (
            {"FilterExpression": "#B = :p OR #a = :p", "ExpressionAttributeNames": {"#B": "B", "#a": "a"}},
            "B, a",
        ),
    ],
)
def test_a_filter_on_what_an_lsi_does_not_project_is_refused(
    fake: FakeDynamoDB, members: dict[str, Any], names: str
) -> None:
    """DynamoDB does not fetch table items to evaluate a filter: ScyllaDB's test_lsi.py (run against
    DynamoDB) has a KEYS_ONLY LSI refuse one, even with Select=ALL_ATTRIBUTES or a projection naming
    it; the names are listed sorted (DynamoDB Local), Java's way: upper case first."""
    indexed(fake, {"ProjectionType": "ALL"}, {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]})
    values = {":p": s("a"), **({":n": {"N": "1"}} if ":n" in members["FilterExpression"] else {})}
    request = {"IndexName": "lsi", "ExpressionAttributeValues": values, **members}
    assert refused(fake, "idx", **request) == NOT_PROJECTED.format(index="lsi", names=names)


def test_a_filter_on_what_a_gsi_does_not_project_is_refused(fake: FakeDynamoDB) -> None:
    indexed(fake, {"ProjectionType": "KEYS_ONLY"}, {"ProjectionType": "ALL"})
    gsi = {
        "IndexName": "gsi",
        "KeyConditionExpression": "gh = :p",
        "ExpressionAttributeValues": {":p": s("g")},
    }
    assert refused(fake, "idx", FilterExpression="x = :p", **gsi) == NOT_PROJECTED.format(
        index="gsi", names="x"
    )
    # an LSI's sort key is not projected into the GSI either
    assert refused(fake, "idx", FilterExpression="lr = :p", **gsi) == NOT_PROJECTED.format(
        index="gsi", names="lr"
    )
    # before the projection against the index; after a nested path into a key attribute
    assert refused(fake, "idx", FilterExpression="x = :p", ProjectionExpression="y", **gsi) == (
        NOT_PROJECTED.format(index="gsi", names="x")
    )


def test_a_filter_on_projected_attributes_reads_the_index(fake: FakeDynamoDB) -> None:
    indexed(fake, {"ProjectionType": "KEYS_ONLY"}, {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]})
    stored = fill_indexed(fake, 3)
    # a non-key attribute it projects, and the table's sort key (projected, not the index's key)
    found = query(
        fake,
        "idx",
        IndexName="lsi",
        FilterExpression="x = :x",
        ExpressionAttributeValues={":p": s("a"), ":x": s("x1")},
    )
    assert found["Items"] == [{k: v for k, v in stored[1].items() if k in ("pk", "sk", "lr", "x")}]
    two = {":p": s("a"), ":k": {"N": "2"}}
    found = query(
        fake,
        "idx",
        IndexName="lsi",
        FilterExpression="sk = :k",
        Select="ALL_ATTRIBUTES",
        ExpressionAttributeValues=two,
    )
    assert found["Items"] == [stored[2]]
    gsi = {
        "IndexName": "gsi",
        "KeyConditionExpression": "gh = :p",
        "ExpressionAttributeValues": {":p": s("g"), ":k": {"N": "2"}},
    }
    assert query(fake, "idx", FilterExpression="sk = :k", **gsi)["Count"] == 1


def test_an_index_projecting_all_takes_any_filter(fake: FakeDynamoDB) -> None:
    indexed(fake, {"ProjectionType": "ALL"}, {"ProjectionType": "ALL"})
    stored = fill_indexed(fake, 3)
    members = {"IndexName": "lsi", "ExpressionAttributeValues": {":p": s("a"), ":y": s("y0")}}
    assert query(fake, "idx", FilterExpression="y = :y", **members)["Items"] == [stored[0]]
    gsi = {
        "IndexName": "gsi",
        "KeyConditionExpression": "gh = :p",
        "ExpressionAttributeValues": {":p": s("g"), ":y": s("y1")},
    }
    assert query(fake, "idx", FilterExpression="y = :y", **gsi)["Items"] == [stored[1]]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ({"pk": {"S": "a"}, "sk": {"N": "1"}}, INVALID_START),
        ({"pk": {"S": "a"}, "sk": {"N": "1"}, "gh": {"S": "g"}}, INVALID_START),
        ({"pk": {"S": "a"}, "sk": {"N": "1"}, "gh": {"N": "1"}, "gr": {"N": "1"}}, SCHEMA),
        (
            {"pk": {"S": "a"}, "sk": {"S": "1"}, "gh": {"S": "g"}, "gr": {"N": "1"}},
            INVALID_START + ": " + SCHEMA,
        ),
        (
            {"pk": {"S": "a"}, "x": {"S": "1"}, "gh": {"S": "g"}, "gr": {"N": "1"}},
            INVALID_START + ": " + SCHEMA,
        ),
        (
            {"pk": {"S": "a"}, "sk": {"N": "1"}, "gh": {"S": "h"}, "gr": {"N": "1"}},
            "The provided starting key is outside query boundaries based on provided conditions",
        ),
    ],
)
def test_start_key_against_an_index(fake: FakeDynamoDB, start: dict[str, Any], message: str) -> None:
    indexed(fake, {"ProjectionType": "ALL"}, {"ProjectionType": "ALL"})
    members = {
        "IndexName": "gsi",
        "KeyConditionExpression": "gh = :p",
        "ExpressionAttributeValues": {":p": {"S": "g"}},
    }
    assert refused(fake, "idx", ExclusiveStartKey=start, **members) == message


def test_rejected_query_changes_nothing(fake: FakeDynamoDB, filled: str, snapshot: Any) -> None:
    before = snapshot(fake)
    refused(fake, FilterExpression="sk > :p")
    assert snapshot(fake) == before


# --- behaviour -------------------------------------------------------------------------------------


CONDITIONS = [
    ("sk = :n", 4, [4]),
    ("sk < :n", 4, [1, 2, 3]),
    ("sk <= :n", 4, [1, 2, 3, 4]),
    ("sk > :n", 8, [9, 10]),
    ("sk >= :n", 8, [8, 9, 10]),
    (":n < sk", 8, [9, 10]),
    (":n >= sk", 2, [1, 2]),
    ("sk BETWEEN :n AND :m", 3, [3, 4, 5]),
]


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize(("condition", "bound", "expected"), CONDITIONS)
def test_sort_conditions(
    fake: FakeDynamoDB, filled: str, condition: str, bound: int, expected: list[int], forward: bool
) -> None:
    values = {":p": {"S": "a"}, ":n": {"N": str(bound)}, ":m": {"N": "5"}}
    if ":m" not in condition:
        del values[":m"]
    found = query(
        fake,
        KeyConditionExpression=f"pk = :p AND {condition}",
        ExpressionAttributeValues=values,
        ScanIndexForward=forward,
    )
    assert sks(found) == (expected if forward else expected[::-1])
    assert found["Count"] == found["ScannedCount"] == len(expected)
    assert "LastEvaluatedKey" not in found


BEGINS_WITH: list[tuple[str, list[Any], Any, list[Any]]] = [
    ("S", ["a", "ab", "abc", "abd", "ac", "b", "\U0001f600"], "ab", ["ab", "abc", "abd"]),
    ("S", ["\U0001f600", "\U0001f600a", "\U0001f601", "z"], "\U0001f600", ["\U0001f600", "\U0001f600a"]),
    (
        "B",
        [b"\x00", b"\x01", b"\x01\x00", b"\x01\xff", b"\x02", b"\xff"],
        b"\x01",
        [b"\x01", b"\x01\x00", b"\x01\xff"],
    ),
    ("B", [b"\xfe", b"\xff", b"\xff\x00", b"\xff\xff"], b"\xff", [b"\xff", b"\xff\x00", b"\xff\xff"]),
]


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize(("kind", "values", "prefix", "expected"), BEGINS_WITH)
def test_begins_with_on_strings_and_binary(
    fake: FakeDynamoDB, kind: str, values: list[Any], prefix: Any, expected: list[Any], forward: bool
) -> None:
    create_table(fake, "prefixed", range_key=("sk", kind))
    for value in values:
        fake.call_sync("PutItem", {"TableName": "prefixed", "Item": {"pk": {"S": "a"}, "sk": {kind: value}}})
    found = query(
        fake,
        "prefixed",
        KeyConditionExpression="pk = :p AND begins_with(sk, :x)",
        ExpressionAttributeValues={":p": {"S": "a"}, ":x": {kind: prefix}},
        ScanIndexForward=forward,
    )
    got = [entry["sk"][kind] for entry in found["Items"]]
    assert got == (expected if forward else expected[::-1])


def test_hash_only_table(fake: FakeDynamoDB, hash_table: str) -> None:
    fake.call_sync("PutItem", {"TableName": hash_table, "Item": {"id": {"S": "a"}, "v": {"N": "1"}}})
    fake.call_sync("PutItem", {"TableName": hash_table, "Item": {"id": {"S": "b"}}})
    found = query(fake, hash_table, KeyConditionExpression="id = :p", Limit=1)
    assert found == {
        "Items": [{"id": {"S": "a"}, "v": {"N": "1"}}],
        "Count": 1,
        "ScannedCount": 1,
        "LastEvaluatedKey": {"id": {"S": "a"}},
    }
    after = query(
        fake, hash_table, KeyConditionExpression="id = :p", ExclusiveStartKey=found["LastEvaluatedKey"]
    )
    assert after == {"Items": [], "Count": 0, "ScannedCount": 0}


def page_through(fake: FakeDynamoDB, table: str, key: str, **members: Any) -> tuple[list[Any], int]:
    """Every page of a query to the end: the items of all pages (by ``key``), and how many pages."""
    found: list[Any] = []
    pages = 0
    start = None
    while True:
        response = query(fake, table, ExclusiveStartKey=start, **members)
        pages += 1
        found += [entry[key] for entry in response["Items"]]
        start = response.get("LastEvaluatedKey")
        if start is None:
            return found, pages
        assert pages < 100


@pytest.mark.parametrize("limit", [1, 3, 5, 10, 11])
@pytest.mark.parametrize("forward", [True, False])
def test_pagination_round_trip(fake: FakeDynamoDB, filled: str, limit: int, forward: bool) -> None:
    found, pages = page_through(fake, filled, "sk", Limit=limit, ScanIndexForward=forward)
    expected = [{"N": str(n)} for n in range(1, 11)]
    assert found == (expected if forward else expected[::-1])
    # a page stopped by Limit has a LastEvaluatedKey even when nothing is left
    assert pages == 10 // limit + 1


def test_limit_counts_before_the_filter(fake: FakeDynamoDB, filled: str) -> None:
    found = query(
        fake,
        Limit=4,
        FilterExpression="v > :n",
        ExpressionAttributeValues={":p": {"S": "a"}, ":n": {"N": "3"}},
    )
    assert sks(found) == [4]
    assert (found["Count"], found["ScannedCount"]) == (1, 4)
    assert found["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "4"}}
    empty = query(
        fake,
        Limit=2,
        FilterExpression="v > :n",
        ExpressionAttributeValues={":p": {"S": "a"}, ":n": {"N": "3"}},
    )
    assert (empty["Items"], empty["Count"], empty["ScannedCount"]) == ([], 0, 2)
    assert empty["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "2"}}


def test_select_count_and_projection(fake: FakeDynamoDB, filled: str) -> None:
    counted = query(
        fake,
        Select="COUNT",
        FilterExpression="v <> :n",
        ExpressionAttributeValues={":p": {"S": "a"}, ":n": {"N": "3"}},
    )
    assert counted == {"Count": 9, "ScannedCount": 10}
    projected = query(fake, ProjectionExpression="v", Limit=2)
    assert projected["Items"] == [{"v": {"N": "1"}}, {"v": {"N": "2"}}]
    # AttributesToGet is a legacy member: it cannot go with a KeyConditionExpression
    assert refused(fake, AttributesToGet=["sk"]) == (
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}"
    )


def test_one_megabyte_pages(fake: FakeDynamoDB, table: str) -> None:
    big = "x" * 400_000
    for sk in range(7):
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", sk, blob={"S": big})})
    size = item_size(item("a", 0, blob={"S": big}))
    first = query(fake, ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    # the third item crosses 1 MB and is still read whole
    assert (first["Count"], first["ScannedCount"]) == (3, 3)
    assert first["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "2"}}
    assert first["ConsumedCapacity"] == {"TableName": "items", "CapacityUnits": float(-(-3 * size // 4096))}
    found, pages = page_through(fake, table, "sk", ProjectionExpression="sk")
    assert found == [{"N": str(n)} for n in range(7)]
    assert pages == 3


def test_capacity_is_read_bytes_rounded_once(fake: FakeDynamoDB, filled: str) -> None:
    sizes = [item_size(item("a", sk, v={"N": str(sk)})) for sk in range(1, 11)]
    assert sum(sizes) < 4096
    eventual = query(
        fake,
        ReturnConsumedCapacity="INDEXES",
        FilterExpression="v > :n",
        ExpressionAttributeValues={":p": {"S": "a"}, ":n": {"N": "100"}},
    )
    assert eventual["ConsumedCapacity"] == {
        "TableName": "items",
        "CapacityUnits": 0.5,
        "Table": {"CapacityUnits": 0.5},
    }
    consistent = query(fake, ReturnConsumedCapacity="TOTAL", ConsistentRead=True, Select="COUNT")
    assert consistent["ConsumedCapacity"] == {"TableName": "items", "CapacityUnits": 1.0}
    nothing = query(fake, ReturnConsumedCapacity="TOTAL", ExpressionAttributeValues={":p": {"S": "zzz"}})
    assert nothing["ConsumedCapacity"] == {"TableName": "items", "CapacityUnits": 0.5}


def test_table_name_may_be_an_arn(fake: FakeDynamoDB, filled: str) -> None:
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/items"
    found = query(fake, arn, Limit=1, ReturnConsumedCapacity="TOTAL")
    assert sks(found) == [1]
    assert found["ConsumedCapacity"]["TableName"] == arn


@pytest.mark.parametrize("projection", ["KEYS_ONLY", "INCLUDE", "ALL"])
def test_gsi_query_and_pages(fake: FakeDynamoDB, projection: str) -> None:
    spec: dict[str, Any] = {"ProjectionType": projection}
    if projection == "INCLUDE":
        spec["NonKeyAttributes"] = ["x"]
    indexed(fake, spec, {"ProjectionType": "ALL"})
    stored = fill_indexed(fake)
    kept = {"pk", "sk", "gh", "gr"} | ({"x"} if projection == "INCLUDE" else set())
    entries = [e if projection == "ALL" else {k: v for k, v in e.items() if k in kept} for e in stored]
    # ordered by gr, then by the table key
    expected = sorted(entries, key=lambda e: (int(e["gr"]["N"]), int(e["sk"]["N"])))
    members = {
        "IndexName": "gsi",
        "KeyConditionExpression": "gh = :p",
        "ExpressionAttributeValues": {":p": {"S": "g"}},
    }
    whole = query(fake, "idx", ReturnConsumedCapacity="INDEXES", **members)
    assert whole["Items"] == expected
    size = sum(item_size(e) for e in entries)
    units = -(-size // 4096) / 2
    assert whole["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": units,
        "Table": {"CapacityUnits": 0.0},
        "GlobalSecondaryIndexes": {"gsi": {"CapacityUnits": units}},
    }
    first = query(fake, "idx", Limit=2, **members)
    assert first["LastEvaluatedKey"] == {k: expected[1][k] for k in ("pk", "sk", "gh", "gr")}
    for limit in (1, 2, 4):
        found, _ = page_through(fake, "idx", "sk", Limit=limit, ScanIndexForward=False, **members)
        assert found == [e["sk"] for e in expected[::-1]]


def test_lsi_fetches_what_it_does_not_project(fake: FakeDynamoDB) -> None:
    indexed(fake, {"ProjectionType": "ALL"}, {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]})
    stored = fill_indexed(fake, 3)
    members = {"IndexName": "lsi", "ConsistentRead": True, "ReturnConsumedCapacity": "INDEXES"}
    entries = [{k: v for k, v in e.items() if k in ("pk", "sk", "lr", "x")} for e in stored]
    # ordered by lr: 98, 99, 100 -> sk 2, 1, 0
    projected = query(fake, "idx", **members)
    assert projected["Items"] == entries[::-1]
    entries_units = float(-(-sum(item_size(entry) for entry in entries) // 4096))
    assert projected["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": entries_units,
        "Table": {"CapacityUnits": 0.0},
        "LocalSecondaryIndexes": {"lsi": {"CapacityUnits": entries_units}},
    }
    everything = query(fake, "idx", Select="ALL_ATTRIBUTES", **members)
    assert everything["Items"] == stored[::-1]
    # each table item fetched is a read of its own: 3 items of under 4 KB, 1 unit each
    assert everything["ConsumedCapacity"]["Table"] == {"CapacityUnits": 3.0}
    assert everything["ConsumedCapacity"]["CapacityUnits"] == 3.0 + entries_units
    named = query(fake, "idx", ProjectionExpression="y, x", Limit=1, **members)
    assert named["Items"] == [{"x": stored[2]["x"], "y": stored[2]["y"]}]
    assert named["LastEvaluatedKey"] == {k: stored[2][k] for k in ("pk", "sk", "lr")}
    assert refused(fake, "idx", IndexName="lsi", FilterExpression="lr > :p") == (
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: lr"
    )


def test_lsi_pages_in_both_directions(fake: FakeDynamoDB) -> None:
    indexed(fake, {"ProjectionType": "KEYS_ONLY"}, {"ProjectionType": "KEYS_ONLY"})
    fill_indexed(fake, 7)
    for forward in (True, False):
        found, _ = page_through(fake, "idx", "lr", IndexName="lsi", Limit=2, ScanIndexForward=forward)
        expected = [{"N": str(100 - sk)} for sk in range(7)][::-1]
        assert found == (expected if forward else expected[::-1])


def test_a_throttled_query_fails_whole(fake: FakeDynamoDB, filled: str) -> None:
    fake.throttle(1.0, operations="Query", times=1)
    with pytest.raises(ThrottlingException):
        query(fake)
    assert query(fake)["Count"] == 10


def test_the_capacity_model_prices_the_bytes_read() -> None:
    fake = FakeDynamoDB(capacity=True)
    create_table(fake, "tight", provisioned=(1, 100))
    for sk in range(3):
        fake.call_sync("PutItem", {"TableName": "tight", "Item": item("a", sk, blob={"S": "x" * 4000})})
    members = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}
    # 3 items of ~4 KB: 3 units consistent; the table holds 1 unit for now, and may go into debt once
    fake.call_sync("Query", {"TableName": "tight", "ConsistentRead": True, **members})
    with pytest.raises(ProvisionedThroughputExceededException):
        fake.call_sync("Query", {"TableName": "tight", "ConsistentRead": True, **members})


def test_a_gsi_query_draws_on_the_gsi_capacity() -> None:
    fake = FakeDynamoDB(capacity=True)
    throughput = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 100}
    create_table(
        fake,
        "tight",
        provisioned=(100, 100),
        extra_attributes={"gh": "S"},
        gsis=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "gh", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": throughput,
            }
        ],
    )
    for sk in range(3):
        new = item("a", sk, gh={"S": "g"}, blob={"S": "x" * 4000})
        fake.call_sync("PutItem", {"TableName": "tight", "Item": new})
    on_gsi = {
        "IndexName": "gsi",
        "KeyConditionExpression": "gh = :p",
        "ExpressionAttributeValues": {":p": {"S": "g"}},
    }
    fake.call_sync("Query", {"TableName": "tight", **on_gsi})  # 1.5 units from the GSI's 1: in debt
    with pytest.raises(ProvisionedThroughputExceededException) as caught:
        fake.call_sync("Query", {"TableName": "tight", **on_gsi})
    assert caught.value.message.startswith(
        "The level of configured provisioned throughput for one or more global"
    )
    # the table's own capacity is untouched
    assert query(fake, "tight", ConsistentRead=True)["Count"] == 3
