"""The legacy (pre-expression) parameters of Query and Scan: KeyConditions, QueryFilter, ScanFilter,
ConditionalOperator and AttributesToGet, and DynamoDB's rule against mixing them with expressions.

Sections as elsewhere: shape errors, validation errors of the request alone (class and full message,
in the order of dynalite's validations/query.js and scan.js, whose tests ran against DynamoDB),
errors that need the table (actions/query.js's order), behaviour of every member on each operation,
and properties: a legacy Query (KeyConditions + QueryFilter) and the equivalent expression Query
return identical pages in both directions with random Limits, and so do a Scan with a ScanFilter and
one with the equivalent FilterExpression. Every rejected request is checked to change nothing.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import (
    DynamoDBError,
    ResourceNotFoundException,
    SerializationException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import COMPARISON_ENUM, MIXED, PARAM, create_table, item, snapshot
from tests.support.expression_model import items, scalars, to_av, to_av_item, values
from tests.support.tables import property_settings

MISSING_KEY_CONDITION = (
    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
)
NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"
NOT_SUPPORTED = "Query key condition not supported"
TYPE_MISMATCH = PARAM + "Condition parameter type does not match schema type"
WITHOUT_FILTER = "ConditionalOperator cannot be used without Filter or Expected"
ONE_CONDITION = "ConditionalOperator can only be used when Filter or Expected has two or more elements"


def cond(operator: str, *args: dict[str, Any]) -> dict[str, Any]:
    """One legacy Condition: ``operator`` over ``args`` (no AttributeValueList when there are none)."""
    condition: dict[str, Any] = {"ComparisonOperator": operator}
    if args:
        condition["AttributeValueList"] = list(args)
    return condition


def s(value: str) -> dict[str, Any]:
    return {"S": value}


def n(value: int | str) -> dict[str, Any]:
    return {"N": str(value)}


PARTITION_A = {"pk": cond("EQ", s("a"))}


def run(fake: FakeDynamoDB, operation: str, table: str, **members: Any) -> dict[str, Any]:
    return fake.call_sync(operation, {"TableName": table, **members})


def reject_with(
    error: type[Exception], fake: FakeDynamoDB, operation: str, table: str, **members: Any
) -> str:
    """Send the request, expect ``error``, check that nothing changed; the error's message."""
    before = snapshot(fake)
    with pytest.raises(error) as caught:
        run(fake, operation, table, **members)
    assert snapshot(fake) == before
    return str(caught.value.message)  # type: ignore[attr-defined]  # DynamoDBError has .message


def reject(fake: FakeDynamoDB, operation: str, table: str, **members: Any) -> str:
    return reject_with(ValidationException, fake, operation, table, **members)


def sks(response: dict[str, Any]) -> list[Any]:
    return [found["sk"].get("N", found["sk"].get("S")) for found in response["Items"]]


def ints(response: dict[str, Any]) -> list[int]:
    return [int(found["sk"]["N"]) for found in response["Items"]]


@pytest.fixture
def filled(fake: FakeDynamoDB, table: str) -> str:
    """Partition ``a``: sk 1..10 with v = sk, s "alpha" (odd) / "beta" (even), set {"red"} (sk <= 5)
    or {"blue"}, and opt "o" on multiples of 3 only. Partition ``b``: sk 1..3, keys only."""
    for sk in range(1, 11):
        attrs: dict[str, Any] = {
            "v": n(sk),
            "s": s("alpha" if sk % 2 else "beta"),
            "set": {"SS": ["red"] if sk <= 5 else ["blue"]},
        }
        if sk % 3 == 0:
            attrs["opt"] = s("o")
        fake.call_sync("PutItem", {"TableName": table, "Item": item("a", sk, **attrs)})
    for sk in range(1, 4):
        fake.call_sync("PutItem", {"TableName": table, "Item": item("b", sk)})
    return table


@pytest.fixture
def words(fake: FakeDynamoDB) -> str:
    """``words``: pk S, sk S; partition ``a`` holds apple, apricot, banana, cherry."""
    name = create_table(fake, "words", range_key=("sk", "S"))
    for word in ("apple", "apricot", "banana", "cherry"):
        fake.call_sync("PutItem", {"TableName": name, "Item": {"pk": s("a"), "sk": s(word)}})
    return name


@pytest.fixture
def orders(fake: FakeDynamoDB, indexed_table: str) -> str:
    """``orders`` (GSI by_status: status/total KEYS_ONLY; LSI by_date: pk/date ALL), six items."""
    for sk in range(6):
        attrs = {
            "status": s("open" if sk % 2 else "closed"),
            "total": n(sk * 10),
            "date": s(f"2024-0{1 + sk // 3}-1{sk}"),
            "note": s(f"n{sk}"),
        }
        fake.call_sync("PutItem", {"TableName": indexed_table, "Item": item("a", sk, **attrs)})
    return indexed_table


# --- shape errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "members", "message"),
    [
        (
            "Query",
            {"QueryFilter": []},
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.Condition>",
        ),
        ("Query", {"KeyConditions": {"pk": "x"}}, "Unexpected value type in payload"),
        ("Query", {"ConditionalOperator": 5}, "NUMBER_VALUE cannot be converted to String"),
        (
            "Scan",
            {"ScanFilter": {"x": {"ComparisonOperator": "EQ", "AttributeValueList": "a"}}},
            "Unexpected field type",
        ),
        ("Scan", {"ConditionalOperator": 5}, "NUMBER_VALUE cannot be converted to String"),
    ],
)
def test_wrong_json_kinds(
    fake: FakeDynamoDB, table: str, operation: str, members: dict[str, Any], message: str
) -> None:
    assert reject_with(SerializationException, fake, operation, table, **members) == message


# --- validation errors: the request alone (a missing table is never reached) ----------------------


def test_constraints_share_the_envelope(fake: FakeDynamoDB) -> None:
    message = reject(
        fake,
        "Query",
        "nowhere",
        QueryFilter={"a": {}},
        ConditionalOperator="XOR",
        KeyConditions={"pk": {"ComparisonOperator": "EQX"}},
    )
    assert message == (
        "3 validation errors detected: "
        "Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: "
        "Member must not be null; "
        "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]; "
        f"Value 'EQX' at 'keyConditions.pk.member.comparisonOperator' failed to satisfy constraint: {COMPARISON_ENUM}"
    )
    assert reject(fake, "Scan", "nowhere", ScanFilter={"a": {"ComparisonOperator": "EQQ"}}) == (
        "1 validation error detected: Value 'EQQ' at 'scanFilter.a.member.comparisonOperator' "
        f"failed to satisfy constraint: {COMPARISON_ENUM}"
    )


KEYED = {"KeyConditions": PARTITION_A}
EXPRESSION_KEY = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": s("a")}}


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {**KEYED, "QueryFilter": {"v": cond("NOT_NULL")}, "FilterExpression": "attribute_exists(v)"},
            MIXED.format(legacy="QueryFilter", expression="FilterExpression"),
        ),
        (
            {**EXPRESSION_KEY, **KEYED},
            MIXED.format(legacy="KeyConditions", expression="KeyConditionExpression"),
        ),
        (
            {**EXPRESSION_KEY, "ConditionalOperator": "OR"},
            MIXED.format(legacy="ConditionalOperator", expression="KeyConditionExpression"),
        ),
        (
            {
                **EXPRESSION_KEY,
                **KEYED,
                "ConditionalOperator": "OR",
                "QueryFilter": {},
                "AttributesToGet": ["v"],
                "FilterExpression": "attribute_exists(v)",
                "ProjectionExpression": "v",
            },
            MIXED.format(
                legacy="AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions",
                expression="ProjectionExpression, FilterExpression, KeyConditionExpression",
            ),
        ),
        (
            # KeyConditions beside a FilterExpression is allowed, so only the QueryFilter is listed
            {**KEYED, "QueryFilter": {}, "ProjectionExpression": "v"},
            MIXED.format(legacy="QueryFilter", expression="ProjectionExpression"),
        ),
        (
            {**KEYED, "ExpressionAttributeNames": {"#v": "v"}},
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            {**KEYED, "ExpressionAttributeValues": {":v": s("a")}},
            "ExpressionAttributeValues can only be specified when using expressions: "
            "FilterExpression and KeyConditionExpression are null",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("EQ")}},
            PARAM + "Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("NULL", s("a"))}},
            PARAM + "Invalid number of argument(s) for the NULL ComparisonOperator",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("LT", {"BOOL": True})}},
            PARAM + "ComparisonOperator LT is not valid for BOOL AttributeValue type",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("CONTAINS", {"SS": ["a"]})}},
            PARAM + "ComparisonOperator CONTAINS is not valid for SS AttributeValue type",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("IN", s("a"), n(1))}},
            PARAM + "AttributeValues inside AttributeValueList must be of same type",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("BETWEEN", n(2), n(1))}},
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
        ),
        (
            {**KEYED, "QueryFilter": {"v": cond("EQ", {"NULL": False})}},
            PARAM + "Null attribute value types must have the value of true",
        ),
        ({**KEYED, "QueryFilter": {"v": None}}, "The filter condition for an attribute cannot be null: v"),
        ({**KEYED, "ConditionalOperator": "AND"}, WITHOUT_FILTER),
        ({**KEYED, "QueryFilter": {}, "ConditionalOperator": "AND"}, WITHOUT_FILTER),
        ({**KEYED, "QueryFilter": {"v": cond("NOT_NULL")}, "ConditionalOperator": "OR"}, ONE_CONDITION),
        (
            # the QueryFilter before AttributesToGet's duplicates (validations/query.js)
            {**KEYED, "QueryFilter": {"v": cond("EQ")}, "AttributesToGet": ["v", "v"]},
            PARAM + "Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {**KEYED, "AttributesToGet": ["v", "v"], "ExclusiveStartKey": {"pk": {}}},
            PARAM + "Duplicate value in attribute name: v",
        ),
        (
            # the QueryFilter before the missing key condition
            {"QueryFilter": {"v": cond("EQ")}},
            PARAM + "Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {"QueryFilter": {"v": cond("NOT_NULL")}, "ExclusiveStartKey": {"pk": {}}},
            "The provided starting key is invalid: "
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        # the missing key condition before the expressions, the expressions before KeyConditions
        (
            {"QueryFilter": {}, "ProjectionExpression": ""},
            MIXED.format(legacy="QueryFilter", expression="ProjectionExpression"),
        ),
        ({"FilterExpression": ""}, MISSING_KEY_CONDITION),
        (
            {"KeyConditions": {}, "FilterExpression": ""},
            "Invalid FilterExpression: The expression can not be empty;",
        ),
        ({"KeyConditions": {}}, "Conditions can be of length 1 or 2 only"),
        (
            {"KeyConditions": {"pk": cond("EQ", s("a")), "sk": cond("EQ", n(1)), "x": cond("NULL")}},
            "Conditions can be of length 1 or 2 only",
        ),
        (
            # each condition's arguments before the count
            {"KeyConditions": {"pk": cond("EQ"), "sk": cond("EQ", n(1)), "x": cond("NULL")}},
            PARAM + "Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {"KeyConditions": {"pk": cond("BEGINS_WITH", n(1))}},
            PARAM + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
        ),
        (
            {"KeyConditions": {"pk": cond("BETWEEN", s("b"), s("a"))}},
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
        ),
        (
            {"KeyConditions": {"pk": cond("EQ", {"N": "x"})}},
            "The parameter cannot be converted to a numeric value: x",
        ),
        ({"KeyConditions": {"pk": None}}, "The filter condition for an attribute cannot be null: pk"),
        (
            {**KEYED, "Select": "SPECIFIC_ATTRIBUTES"},
            "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression "
            "when choosing to get SPECIFIC_ATTRIBUTES",
        ),
        (
            {**KEYED, "Select": "ALL_ATTRIBUTES", "AttributesToGet": ["v"]},
            "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES",
        ),
        (
            {**KEYED, "Select": "COUNT", "AttributesToGet": ["v"]},
            "Cannot specify the AttributesToGet when choosing to get only the Count",
        ),
    ],
)
def test_query_request_errors(fake: FakeDynamoDB, members: dict[str, Any], message: str) -> None:
    assert reject(fake, "Query", "nowhere", **members) == message


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"ScanFilter": {"v": cond("NOT_NULL")}, "FilterExpression": "attribute_exists(v)"},
            MIXED.format(legacy="ScanFilter", expression="FilterExpression"),
        ),
        (
            {"ConditionalOperator": "OR", "ProjectionExpression": "v"},
            MIXED.format(legacy="ConditionalOperator", expression="ProjectionExpression"),
        ),
        (
            {
                "AttributesToGet": ["v"],
                "ScanFilter": {},
                "ConditionalOperator": "OR",
                "ProjectionExpression": "v",
                "FilterExpression": "attribute_exists(v)",
            },
            MIXED.format(
                legacy="AttributesToGet, ScanFilter, ConditionalOperator",
                expression="ProjectionExpression, FilterExpression",
            ),
        ),
        (
            {"ScanFilter": {}, "ExpressionAttributeValues": {":v": s("a")}},
            "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
        ),
        (
            {"ScanFilter": {"v": cond("GE")}},
            PARAM + "Invalid number of argument(s) for the GE ComparisonOperator",
        ),
        (
            {"ScanFilter": {"v": cond("BEGINS_WITH", n(1))}},
            PARAM + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
        ),
        (
            {"ScanFilter": {"v": cond("BETWEEN", {"M": {}}, {"M": {}})}},
            PARAM + "ComparisonOperator BETWEEN is not valid for M AttributeValue type",
        ),
        ({"ScanFilter": {"v": None}}, "The filter condition for an attribute cannot be null: v"),
        ({"ConditionalOperator": "OR"}, WITHOUT_FILTER),
        ({"ScanFilter": {"v": cond("NULL")}, "ConditionalOperator": "AND"}, ONE_CONDITION),
        (
            # AttributesToGet's duplicates before the ScanFilter (validations/scan.js)
            {"ScanFilter": {"v": cond("EQ")}, "AttributesToGet": ["v", "v"]},
            PARAM + "Duplicate value in attribute name: v",
        ),
        (
            {"ScanFilter": {"v": cond("EQ")}, "ExclusiveStartKey": {"pk": {}}},
            PARAM + "Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {"ScanFilter": {"v": cond("EQ")}, "Segment": 1},
            PARAM + "Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {"ScanFilter": {"v": cond("NULL")}, "Segment": 1},
            "The TotalSegments parameter is required but was not present in the request "
            "when Segment parameter is present",
        ),
        (
            {"Select": "SPECIFIC_ATTRIBUTES", "ScanFilter": {"v": cond("NULL")}},
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
        ),
    ],
)
def test_scan_request_errors(fake: FakeDynamoDB, members: dict[str, Any], message: str) -> None:
    assert reject(fake, "Scan", "nowhere", **members) == message


def test_a_valid_request_then_looks_for_the_table(fake: FakeDynamoDB) -> None:
    """Key conditions that need the key schema are checked after the table lookup."""
    requests: list[tuple[str, dict[str, Any]]] = [
        ("Query", {"KeyConditions": {"z": cond("NULL")}, "QueryFilter": {}}),
        ("Query", {"KeyConditions": PARTITION_A, "QueryFilter": {"pk": cond("NOT_NULL")}}),
        ("Scan", {"ScanFilter": {"a": cond("NULL"), "b": cond("NULL")}, "ConditionalOperator": "OR"}),
    ]
    for operation, members in requests:
        message = reject_with(ResourceNotFoundException, fake, operation, "nowhere", **members)
        assert message == "Requested resource not found"


# --- validation errors that need the table (Query) -------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"sk": cond("EQ", n(1))}, "Query condition missed key schema element: pk"),
        ({"pk": cond("EQ", s("a")), "x": cond("EQ", n(1))}, "Query condition missed key schema element: sk"),
        ({"pk": cond("LT", s("a"))}, NOT_SUPPORTED),
        ({"pk": cond("BEGINS_WITH", s("a"))}, NOT_SUPPORTED),
        ({"pk": cond("BETWEEN", s("a"), s("b"))}, NOT_SUPPORTED),
        ({"pk": cond("NULL")}, NOT_INDEXABLE),
        ({"pk": cond("NOT_NULL")}, NOT_INDEXABLE),
        ({"pk": cond("NE", s("a"))}, NOT_INDEXABLE),
        ({"pk": cond("IN", s("a"))}, NOT_INDEXABLE),
        ({"pk": cond("EQ", s("a")), "sk": cond("CONTAINS", n(1))}, NOT_INDEXABLE),
        ({"pk": cond("EQ", s("a")), "sk": cond("NOT_CONTAINS", n(1))}, NOT_INDEXABLE),
        ({"pk": cond("EQ", s("a")), "sk": cond("NULL")}, NOT_INDEXABLE),
        ({"pk": cond("EQ", n(1))}, TYPE_MISMATCH),
        ({"pk": cond("EQ", s("a")), "sk": cond("GT", s("1"))}, TYPE_MISMATCH),
        # the partition key's operator before the sort key's type
        ({"pk": cond("NULL"), "sk": cond("GT", s("1"))}, NOT_INDEXABLE),
    ],
)
def test_key_conditions_against_the_table(
    fake: FakeDynamoDB, table: str, conditions: dict[str, Any], message: str
) -> None:
    assert reject(fake, "Query", table, KeyConditions=conditions) == message


def test_key_conditions_against_a_hash_only_table(fake: FakeDynamoDB, hash_table: str) -> None:
    two = {"id": cond("EQ", s("a")), "x": cond("EQ", s("a"))}
    assert reject(fake, "Query", hash_table, KeyConditions=two) == NOT_SUPPORTED
    assert reject(fake, "Query", hash_table, KeyConditions={"id": cond("GE", s("a"))}) == NOT_SUPPORTED
    assert reject(fake, "Query", hash_table, KeyConditions={"id": cond("CONTAINS", s("a"))}) == NOT_INDEXABLE


def test_key_conditions_against_an_index(fake: FakeDynamoDB, orders: str) -> None:
    gsi = {"IndexName": "by_status"}
    only_table_key = {"KeyConditions": PARTITION_A}
    assert reject(fake, "Query", orders, **gsi, **only_table_key) == (
        "Query condition missed key schema element: status"
    )
    not_indexable = {"status": cond("EQ", s("open")), "total": cond("NOT_NULL")}
    assert reject(fake, "Query", orders, **gsi, KeyConditions=not_indexable) == NOT_INDEXABLE
    wrong_type = {"pk": cond("EQ", s("a")), "date": cond("LT", n(1))}
    assert reject(fake, "Query", orders, IndexName="by_date", KeyConditions=wrong_type) == TYPE_MISMATCH
    assert reject(fake, "Query", orders, IndexName="nope", **only_table_key) == (
        "The table does not have the specified index: nope"
    )
    assert reject(fake, "Query", orders, **gsi, ConsistentRead=True, KeyConditions={"z": cond("NULL")}) == (
        "Consistent reads are not supported on global secondary indexes"
    )


def test_key_conditions_interleave_with_the_start_key(fake: FakeDynamoDB, table: str) -> None:
    """Per key attribute, its ExclusiveStartKey piece and then its condition (actions/query.js)."""
    bad_range_piece = {"pk": s("a"), "sk": s("x")}
    range_not_indexable = {"pk": cond("EQ", s("a")), "sk": cond("NULL")}
    assert reject(
        fake, "Query", table, KeyConditions=range_not_indexable, ExclusiveStartKey=bad_range_piece
    ) == ("The provided key element does not match the schema")
    hash_not_indexable = {"pk": cond("NULL"), "sk": cond("EQ", n(1))}
    assert reject(
        fake, "Query", table, KeyConditions=hash_not_indexable, ExclusiveStartKey=bad_range_piece
    ) == (NOT_INDEXABLE)
    missing_range = {"pk": cond("EQ", s("a")), "x": cond("NULL")}
    assert reject(fake, "Query", table, KeyConditions=missing_range, ExclusiveStartKey=bad_range_piece) == (
        "The provided key element does not match the schema"
    )
    start_in_b = {"pk": s("b"), "sk": n(1)}
    assert reject(fake, "Query", table, KeyConditions=PARTITION_A, ExclusiveStartKey=start_in_b) == (
        "The provided starting key is outside query boundaries based on provided conditions"
    )
    after_five = {"pk": cond("EQ", s("a")), "sk": cond("GT", n(5))}
    start_at_three = {"pk": s("a"), "sk": n(3)}
    assert reject(fake, "Query", table, KeyConditions=after_five, ExclusiveStartKey=start_at_three) == (
        "The provided starting key does not match the range key predicate"
    )


def test_query_filter_on_a_key_attribute(fake: FakeDynamoDB, orders: str) -> None:
    """Only the keys of the table or index queried (dynalite's actions/query.js)."""
    on_range = {"KeyConditions": PARTITION_A, "QueryFilter": {"v": cond("NULL"), "sk": cond("GT", n(1))}}
    assert reject(fake, "Query", orders, **on_range) == (
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"
    )
    both = {"KeyConditions": PARTITION_A, "QueryFilter": {"sk": cond("NULL"), "pk": cond("NULL")}}
    assert reject(fake, "Query", orders, **both) == (
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk"
    )
    gsi_key = {"status": cond("EQ", s("open"))}
    on_gsi_key = {"IndexName": "by_status", "KeyConditions": gsi_key, "QueryFilter": {"total": cond("NULL")}}
    assert reject(fake, "Query", orders, **on_gsi_key) == (
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: total"
    )
    # the table's sort key is not the GSI's: a QueryFilter may read it there
    on_table_key = {**on_gsi_key, "QueryFilter": {"sk": cond("GE", n(3))}}
    assert ints(run(fake, "Query", orders, **on_table_key)) == [3, 5]
    # a FilterExpression beside KeyConditions keeps its own message
    expression = {"KeyConditions": PARTITION_A, "FilterExpression": "sk > :one"}
    expression["ExpressionAttributeValues"] = {":one": n(1)}
    assert reject(fake, "Query", orders, **expression) == (
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"
    )


def test_attributes_to_get_on_a_keys_only_gsi(fake: FakeDynamoDB, orders: str) -> None:
    members = {"IndexName": "by_status", "KeyConditions": {"status": cond("EQ", s("open"))}}
    assert reject(fake, "Query", orders, **members, AttributesToGet=["total", "note"]) == (
        PARAM + "Global secondary index by_status does not project [note]"
    )
    assert reject(fake, "Scan", orders, IndexName="by_status", AttributesToGet=["note"]) == (
        PARAM + "Global secondary index by_status does not project [note]"
    )


def test_query_filter_on_what_the_index_does_not_project(fake: FakeDynamoDB, orders: str) -> None:
    """As a FilterExpression: refused, the names sorted (DynamoDB Local's QueryFunction checks both
    kinds of filter alike); a ScanFilter finds the attribute absent instead (no such check on Scan)."""
    members = {"IndexName": "by_status", "KeyConditions": {"status": cond("EQ", s("open"))}}
    unprojected = {"note": cond("NOT_NULL"), "date": cond("NOT_NULL"), "sk": cond("GE", n(0))}
    assert reject(fake, "Query", orders, **members, QueryFilter=unprojected, ConditionalOperator="OR") == (
        PARAM + "Secondary index by_status does not project one or more filter attributes: [date, note]"
    )
    scanned = run(fake, "Scan", orders, IndexName="by_status", ScanFilter={"note": cond("NOT_NULL")})
    assert scanned == {"Items": [], "Count": 0, "ScannedCount": 6}


# --- behaviour: Query ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, list(range(1, 11))),
        (cond("EQ", n(3)), [3]),
        (cond("LT", n(3)), [1, 2]),
        (cond("LE", n(3)), [1, 2, 3]),
        (cond("GT", n(8)), [9, 10]),
        (cond("GE", n(8)), [8, 9, 10]),
        (cond("BETWEEN", n(4), n(6)), [4, 5, 6]),
        (cond("BETWEEN", n("4.0"), n("4")), [4]),
        (cond("EQ", n(11)), []),
    ],
)
def test_key_conditions_select_the_range(
    fake: FakeDynamoDB, filled: str, sort: dict[str, Any] | None, expected: list[int]
) -> None:
    conditions = dict(PARTITION_A) if sort is None else {**PARTITION_A, "sk": sort}
    assert ints(run(fake, "Query", filled, KeyConditions=conditions)) == expected
    backwards = run(fake, "Query", filled, KeyConditions=conditions, ScanIndexForward=False)
    assert ints(backwards) == expected[::-1]


def test_key_conditions_in_any_order_and_begins_with(fake: FakeDynamoDB, words: str) -> None:
    conditions = {"sk": cond("BEGINS_WITH", s("ap")), "pk": cond("EQ", s("a"))}
    assert sks(run(fake, "Query", words, KeyConditions=conditions)) == ["apple", "apricot"]
    strings = {"pk": cond("EQ", s("a")), "sk": cond("BETWEEN", s("b"), s("c"))}
    assert sks(run(fake, "Query", words, KeyConditions=strings)) == ["banana"]


def test_key_conditions_on_a_hash_only_table(fake: FakeDynamoDB, hash_table: str) -> None:
    fake.call_sync("PutItem", {"TableName": hash_table, "Item": {"id": s("u1"), "name": s("x")}})
    found = run(fake, "Query", hash_table, KeyConditions={"id": cond("EQ", s("u1"))})
    assert found == {"Items": [{"id": s("u1"), "name": s("x")}], "Count": 1, "ScannedCount": 1}
    assert run(fake, "Query", hash_table, KeyConditions={"id": cond("EQ", s("u2"))})["Count"] == 0


def test_key_conditions_on_indexes(fake: FakeDynamoDB, orders: str) -> None:
    gsi = {"status": cond("EQ", s("open")), "total": cond("GT", n(10))}
    found = run(fake, "Query", orders, IndexName="by_status", KeyConditions=gsi)
    assert found["Items"] == [
        {"pk": s("a"), "sk": n(3), "status": s("open"), "total": n(30)},
        {"pk": s("a"), "sk": n(5), "status": s("open"), "total": n(50)},
    ]
    paged = run(fake, "Query", orders, IndexName="by_status", KeyConditions=gsi, Limit=1)
    assert paged["LastEvaluatedKey"] == {"pk": s("a"), "sk": n(3), "status": s("open"), "total": n(30)}
    lsi = {"pk": cond("EQ", s("a")), "date": cond("BEGINS_WITH", s("2024-02"))}
    by_date = run(fake, "Query", orders, IndexName="by_date", KeyConditions=lsi, ScanIndexForward=False)
    assert ints(by_date) == [5, 4, 3]
    assert by_date["Items"][0]["note"] == s("n5")  # the LSI projects ALL


@pytest.mark.parametrize(
    ("query_filter", "expected"),
    [
        ({"v": cond("EQ", n(3))}, [3]),
        ({"v": cond("EQ", s("3"))}, []),
        ({"v": cond("NE", n(3))}, [1, 2, 4, 5, 6, 7, 8, 9, 10]),
        ({"v": cond("LT", n(3))}, [1, 2]),
        ({"v": cond("LE", n(3))}, [1, 2, 3]),
        ({"v": cond("GT", n(8))}, [9, 10]),
        ({"v": cond("GE", n(8))}, [8, 9, 10]),
        ({"v": cond("IN", n(2), n(4), n(40))}, [2, 4]),
        ({"v": cond("BETWEEN", n(2), n(4))}, [2, 3, 4]),
        ({"opt": cond("NULL")}, [1, 2, 4, 5, 7, 8, 10]),
        ({"opt": cond("NOT_NULL")}, [3, 6, 9]),
        ({"s": cond("BEGINS_WITH", s("al"))}, [1, 3, 5, 7, 9]),
        ({"set": cond("CONTAINS", s("red"))}, [1, 2, 3, 4, 5]),
        ({"s": cond("CONTAINS", s("et"))}, [2, 4, 6, 8, 10]),
        ({"set": cond("NOT_CONTAINS", s("red"))}, [6, 7, 8, 9, 10]),
        # false where the attribute is missing, unlike NOT contains(...) in an expression
        ({"opt": cond("NOT_CONTAINS", s("x"))}, [3, 6, 9]),
        ({"v": cond("GT", n(2)), "opt": cond("NOT_NULL")}, [3, 6, 9]),
    ],
)
def test_query_filter_operators(
    fake: FakeDynamoDB, filled: str, query_filter: dict[str, Any], expected: list[int]
) -> None:
    found = run(fake, "Query", filled, KeyConditions=PARTITION_A, QueryFilter=query_filter)
    assert ints(found) == expected
    assert (found["Count"], found["ScannedCount"]) == (len(expected), 10)


@pytest.mark.parametrize(("operator", "expected"), [("AND", [3, 6, 9]), ("OR", [1, 3, 6, 9])])
def test_conditional_operator_joins_the_query_filter(
    fake: FakeDynamoDB, filled: str, operator: str, expected: list[int]
) -> None:
    query_filter = {"v": cond("LT", n(2) if operator == "OR" else n(100)), "opt": cond("NOT_NULL")}
    found = run(
        fake,
        "Query",
        filled,
        KeyConditions=PARTITION_A,
        QueryFilter=query_filter,
        ConditionalOperator=operator,
    )
    assert ints(found) == expected


def test_query_pages_stop_before_the_filter(fake: FakeDynamoDB, filled: str) -> None:
    """Limit counts the items read; the QueryFilter then keeps what it keeps (Count 0 with a
    LastEvaluatedKey), as with a FilterExpression."""
    members = {"KeyConditions": PARTITION_A, "QueryFilter": {"v": cond("GT", n(100))}, "Limit": 3}
    first = run(fake, "Query", filled, **members)
    assert first == {
        "Items": [],
        "Count": 0,
        "ScannedCount": 3,
        "LastEvaluatedKey": {"pk": s("a"), "sk": n(3)},
    }
    kept = {**members, "QueryFilter": {"opt": cond("NOT_NULL")}, "ScanIndexForward": False}
    seen: list[int] = []
    start = None
    for _ in range(5):
        page = run(fake, "Query", filled, **kept, **({} if start is None else {"ExclusiveStartKey": start}))
        seen += ints(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    assert seen == [9, 6, 3]
    assert start is None  # four pages (3, 3, 3, 1 items read): the last one read less than Limit


def test_query_select_count_and_capacity(fake: FakeDynamoDB, filled: str) -> None:
    legacy = run(
        fake,
        "Query",
        filled,
        KeyConditions=PARTITION_A,
        QueryFilter={"opt": cond("NOT_NULL")},
        Select="COUNT",
        ReturnConsumedCapacity="TOTAL",
        ConsistentRead=True,
    )
    expression = run(
        fake,
        "Query",
        filled,
        KeyConditionExpression="pk = :p",
        FilterExpression="attribute_exists(opt)",
        ExpressionAttributeValues={":p": s("a")},
        Select="COUNT",
        ReturnConsumedCapacity="TOTAL",
        ConsistentRead=True,
    )
    assert legacy == expression
    assert legacy["Count"] == 3 and "Items" not in legacy


def test_query_attributes_to_get(fake: FakeDynamoDB, filled: str) -> None:
    members = {"KeyConditions": {**PARTITION_A, "sk": cond("LE", n(3))}}
    found = run(fake, "Query", filled, **members, AttributesToGet=["opt", "v", "absent"])
    assert found["Items"] == [{"v": n(1)}, {"v": n(2)}, {"opt": s("o"), "v": n(3)}]
    specific = run(fake, "Query", filled, **members, AttributesToGet=["sk"], Select="SPECIFIC_ATTRIBUTES")
    assert specific["Items"] == [{"sk": n(1)}, {"sk": n(2)}, {"sk": n(3)}]


def test_key_conditions_with_expression_filter_and_projection(fake: FakeDynamoDB, filled: str) -> None:
    """KeyConditions is the one legacy member allowed beside expressions (without a
    KeyConditionExpression)."""
    found = run(
        fake,
        "Query",
        filled,
        KeyConditions=PARTITION_A,
        FilterExpression="attribute_exists(#o)",
        ProjectionExpression="v, #o",
        ExpressionAttributeNames={"#o": "opt"},
    )
    assert found["Items"] == [
        {"v": n(3), "opt": s("o")},
        {"v": n(6), "opt": s("o")},
        {"v": n(9), "opt": s("o")},
    ]


# --- behaviour: Scan -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scan_filter", "operator", "expected"),
    [
        ({"v": cond("BETWEEN", n(2), n(4))}, None, [2, 3, 4]),
        ({"v": cond("IN", n(10), n(1))}, None, [1, 10]),
        ({"s": cond("EQ", s("beta")), "opt": cond("NOT_NULL")}, None, [6]),
        ({"s": cond("EQ", s("beta")), "opt": cond("NOT_NULL")}, "AND", [6]),
        ({"v": cond("LT", n(2)), "opt": cond("NOT_NULL")}, "OR", [1, 3, 6, 9]),
        ({"set": cond("NOT_CONTAINS", s("blue"))}, None, [1, 2, 3, 4, 5]),
        # a ScanFilter may read key attributes
        ({"sk": cond("GE", n(9))}, None, [9, 10]),
    ],
)
def test_scan_filter(
    fake: FakeDynamoDB, filled: str, scan_filter: dict[str, Any], operator: str | None, expected: list[int]
) -> None:
    members: dict[str, Any] = {"ScanFilter": scan_filter}
    if operator is not None:
        members["ConditionalOperator"] = operator
    found = run(fake, "Scan", filled, **members)
    assert sorted(ints(found)) == expected
    assert found["ScannedCount"] == 13


def test_scan_filter_on_keys_and_partitions(fake: FakeDynamoDB, filled: str) -> None:
    found = run(fake, "Scan", filled, ScanFilter={"pk": cond("EQ", s("b"))}, AttributesToGet=["sk"])
    assert found["Items"] == [{"sk": n(1)}, {"sk": n(2)}, {"sk": n(3)}]


def test_scan_filter_with_segments_and_limits(fake: FakeDynamoDB, filled: str) -> None:
    scan_filter = {"v": cond("NOT_NULL"), "opt": cond("NULL")}
    whole = run(fake, "Scan", filled, ScanFilter=scan_filter)
    assert sorted(ints(whole)) == [1, 2, 4, 5, 7, 8, 10]
    seen: list[int] = []
    for segment in range(3):
        start = None
        for _ in range(20):
            members: dict[str, Any] = {"ScanFilter": scan_filter, "Segment": segment, "TotalSegments": 3}
            members["Limit"] = 2
            if start is not None:
                members["ExclusiveStartKey"] = start
            page = run(fake, "Scan", filled, **members)
            assert page["ScannedCount"] <= 2 and page["Count"] <= page["ScannedCount"]
            seen += ints(page)
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
    assert sorted(seen) == [1, 2, 4, 5, 7, 8, 10]


def test_scan_filter_on_an_index(fake: FakeDynamoDB, orders: str) -> None:
    found = run(fake, "Scan", orders, IndexName="by_status", ScanFilter={"total": cond("GE", n(30))})
    assert sorted(ints(found)) == [3, 4, 5]
    assert all(set(entry) == {"pk", "sk", "status", "total"} for entry in found["Items"])
    counted = run(
        fake, "Scan", orders, IndexName="by_date", ScanFilter={"note": cond("EQ", s("n0"))}, Select="COUNT"
    )
    assert counted == {"Count": 1, "ScannedCount": 6}


def test_scan_capacity_matches_the_expression(fake: FakeDynamoDB, filled: str) -> None:
    legacy = run(
        fake, "Scan", filled, ScanFilter={"opt": cond("NULL")}, ReturnConsumedCapacity="TOTAL", Limit=4
    )
    expression = run(
        fake,
        "Scan",
        filled,
        FilterExpression="attribute_not_exists(opt)",
        ReturnConsumedCapacity="TOTAL",
        Limit=4,
    )
    assert legacy == expression


# --- properties: a legacy request and its expression twin answer alike ----------------------------

FILTER_NAMES = ("a", "b", "c")
_TEXTS = {
    "EQ": "{n} = {v0}",
    "NE": "{n} <> {v0}",
    "LT": "{n} < {v0}",
    "LE": "{n} <= {v0}",
    "GT": "{n} > {v0}",
    "GE": "{n} >= {v0}",
    "IN": "{n} IN ({vs})",
    "BETWEEN": "{n} BETWEEN {v0} AND {v1}",
    "NULL": "attribute_not_exists({n})",
    "NOT_NULL": "attribute_exists({n})",
    "BEGINS_WITH": "begins_with({n}, {v0})",
    "CONTAINS": "contains({n}, {v0})",
    # the legacy NOT_CONTAINS is false on a missing attribute (expressions.legacy_conditions)
    "NOT_CONTAINS": "attribute_exists({n}) AND NOT contains({n}, {v0})",
}
_ORDERED = st.one_of(
    st.lists(st.text(alphabet="ab\u00e9", max_size=2), min_size=1, max_size=3),
    st.lists(st.integers(-3, 3).map(Decimal), min_size=1, max_size=3),
    st.lists(st.binary(max_size=2), min_size=1, max_size=3),
)
Test = tuple[str, str, list[dict[str, Any]]]


@st.composite
def filter_tests(draw: st.DrawFn, names: tuple[str, ...]) -> Test:
    """(attribute, operator, arguments): a legacy test valid for DynamoDB."""
    name = draw(st.sampled_from(names))
    operator = draw(st.sampled_from(sorted(_TEXTS)))
    if operator in ("EQ", "NE"):
        args = [draw(values(max_leaves=3))]
    elif operator in ("NULL", "NOT_NULL"):
        args = []
    elif operator in ("CONTAINS", "NOT_CONTAINS"):
        args = [draw(scalars())]
    elif operator == "BEGINS_WITH":
        args = [draw(st.one_of(st.text(alphabet="ab\u00e9", max_size=2), st.binary(max_size=2)))]
    else:
        same_type = sorted(draw(_ORDERED))
        args = [same_type[0], same_type[-1]] if operator == "BETWEEN" else same_type
        args = args if operator in ("IN", "BETWEEN") else args[:1]
    return name, operator, [to_av(arg) for arg in args]


def legacy_filter(tests: list[Test]) -> dict[str, Any]:
    """The map of Conditions (the last test of an attribute named twice wins, as in JSON)."""
    return {name: cond(operator, *args) for name, operator, args in tests}


def expression_filter(
    conditions: dict[str, Any], joiner: str | None
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The FilterExpression meaning what ``conditions`` mean, with its names and values."""
    names: dict[str, str] = {}
    bound: dict[str, Any] = {}
    clauses = []
    for number, (name, condition) in enumerate(conditions.items()):
        names[f"#f{number}"] = name
        placeholders = []
        for index, arg in enumerate(condition.get("AttributeValueList", [])):
            bound[f":f{number}_{index}"] = arg
            placeholders.append(f":f{number}_{index}")
        fields = {f"v{index}": placeholder for index, placeholder in enumerate(placeholders)}
        text = _TEXTS[condition["ComparisonOperator"]].format(
            n=f"#f{number}", vs=", ".join(placeholders), **fields
        )
        clauses.append(f"({text})")
    return f" {joiner or 'AND'} ".join(clauses), names, bound


def twin_pages(
    fake: FakeDynamoDB, operation: str, legacy: dict[str, Any], expression: dict[str, Any]
) -> None:
    """Page both requests to their end, side by side: every page identical."""
    start = None
    for _ in range(200):
        extra: dict[str, Any] = {} if start is None else {"ExclusiveStartKey": start}
        legacy_page = fake.call_sync(operation, {**legacy, **extra})
        expression_page = fake.call_sync(operation, {**expression, **extra})
        assert legacy_page == expression_page
        start = legacy_page.get("LastEvaluatedKey")
        if start is None:
            return
    raise AssertionError("pagination did not end")


def sort_values(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    if kind == "N":
        return st.integers(-2, 12).map(lambda number: n(number))
    return st.text(alphabet="ab\u00e9", min_size=1, max_size=3).map(s)


@st.composite
def stored_items(draw: st.DrawFn, kind: str) -> list[dict[str, Any]]:
    rows = draw(st.lists(st.tuples(st.sampled_from(["p", "q"]), sort_values(kind), items()), max_size=25))
    return [{**to_av_item(attrs), "pk": s(pk), "sk": sk} for pk, sk, attrs in rows]


def fresh(kind: str, stored: list[dict[str, Any]]) -> FakeDynamoDB:
    fake = FakeDynamoDB()
    create_table(fake, "twins", range_key=("sk", kind))
    for each in stored:
        fake.call_sync("PutItem", {"TableName": "twins", "Item": each})
    return fake


@st.composite
def sort_conditions(draw: st.DrawFn, kind: str) -> dict[str, Any] | None:
    operators = ["EQ", "LT", "LE", "GT", "GE", "BETWEEN"] + (["BEGINS_WITH"] if kind == "S" else [])
    operator = draw(st.none() | st.sampled_from(operators))
    if operator is None:
        return None
    first, second = draw(sort_values(kind)), draw(sort_values(kind))
    if operator == "BETWEEN":
        low, high = sorted([first, second], key=lambda av: Decimal(av["N"]) if kind == "N" else av["S"])
        return cond(operator, low, high)
    return cond(operator, first)


KEY_TEXTS = {"EQ": "=", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}


def key_expression(sort: dict[str, Any] | None) -> str:
    if sort is None:
        return "#k = :k"
    operator = sort["ComparisonOperator"]
    if operator == "BETWEEN":
        return "#k = :k AND #r BETWEEN :r0 AND :r1"
    if operator == "BEGINS_WITH":
        return "#k = :k AND begins_with(#r, :r0)"
    return f"#k = :k AND #r {KEY_TEXTS[operator]} :r0"


def twins(
    base: dict[str, Any],
    legacy_members: dict[str, Any],
    conditions: dict[str, Any],
    joiner: str | None,
    projected: list[str] | None,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], dict[str, Any]]:
    """The legacy request and the expression request's parts (names and values still to merge)."""
    legacy = {**base, **legacy_members}
    expression = dict(base)
    names: dict[str, str] = {}
    bound: dict[str, Any] = {}
    if conditions:
        legacy_key = "QueryFilter" if "KeyConditions" in legacy_members else "ScanFilter"
        legacy[legacy_key] = conditions
        text, names, bound = expression_filter(conditions, joiner)
        expression["FilterExpression"] = text
        if joiner is not None and len(conditions) > 1:
            legacy["ConditionalOperator"] = joiner
    if projected:
        legacy["AttributesToGet"] = projected
        expression["ProjectionExpression"] = ", ".join(f"#p{index}" for index in range(len(projected)))
        names.update({f"#p{index}": name for index, name in enumerate(projected)})
    return legacy, expression, names, bound


def finish(expression: dict[str, Any], names: dict[str, str], bound: dict[str, Any]) -> dict[str, Any]:
    if names:
        expression["ExpressionAttributeNames"] = names
    if bound:
        expression["ExpressionAttributeValues"] = bound
    return expression


JOINERS = st.sampled_from([None, "AND", "OR"])
LIMITS = st.none() | st.integers(1, 5)
PROJECTIONS = st.none() | st.lists(
    st.sampled_from(["a", "b", "c", "d", "pk", "sk"]), min_size=1, max_size=3, unique=True
)


@property_settings(200)
@given(data=st.data(), kind=st.sampled_from(["N", "S"]), joiner=JOINERS, limit=LIMITS, projected=PROJECTIONS)
def test_legacy_query_pages_match_the_expression_query(
    data: st.DataObject, kind: str, joiner: str | None, limit: int | None, projected: list[str] | None
) -> None:
    """KeyConditions + QueryFilter (+ ConditionalOperator, AttributesToGet) and the equivalent
    KeyConditionExpression + FilterExpression (+ ProjectionExpression): identical pages, both ways."""
    fake = fresh(kind, data.draw(stored_items(kind)))
    sort = data.draw(sort_conditions(kind))
    tests = data.draw(st.lists(filter_tests(FILTER_NAMES), max_size=3))
    conditions = legacy_filter(tests)
    partition = data.draw(st.sampled_from(["p", "q", "r"]))
    key_conditions = {"pk": cond("EQ", s(partition))} | ({} if sort is None else {"sk": sort})
    capacity = data.draw(st.sampled_from(["NONE", "TOTAL"]))
    for forward in (True, False):
        base: dict[str, Any] = {
            "TableName": "twins",
            "ScanIndexForward": forward,
            "ReturnConsumedCapacity": capacity,
        }
        if limit is not None:
            base["Limit"] = limit
        legacy, expression, names, bound = twins(
            base, {"KeyConditions": key_conditions}, conditions, joiner, projected
        )
        names.update({"#k": "pk", **({} if sort is None else {"#r": "sk"})})
        bound[":k"] = s(partition)
        for index, arg in enumerate([] if sort is None else sort["AttributeValueList"]):
            bound[f":r{index}"] = arg
        expression["KeyConditionExpression"] = key_expression(sort)
        twin_pages(fake, "Query", legacy, finish(expression, names, bound))
    fake._check()


@property_settings(200)
@given(data=st.data(), joiner=JOINERS, limit=LIMITS, projected=PROJECTIONS, total=st.sampled_from([1, 2, 3]))
def test_legacy_scan_pages_match_the_expression_scan(
    data: st.DataObject, joiner: str | None, limit: int | None, projected: list[str] | None, total: int
) -> None:
    """ScanFilter (+ ConditionalOperator, AttributesToGet) and the equivalent FilterExpression (+
    ProjectionExpression), the filter free to read key attributes: identical pages, every segment."""
    fake = fresh("N", data.draw(stored_items("N")))
    tests = data.draw(st.lists(filter_tests((*FILTER_NAMES, "pk", "sk")), max_size=3))
    conditions = legacy_filter(tests)
    for segment in range(total):
        base: dict[str, Any] = {"TableName": "twins", "ReturnConsumedCapacity": "TOTAL"}
        if total > 1:
            base.update(Segment=segment, TotalSegments=total)
        if limit is not None:
            base["Limit"] = limit
        legacy, expression, names, bound = twins(base, {}, conditions, joiner, projected)
        twin_pages(fake, "Scan", legacy, finish(expression, names, bound))
    fake._check()


# --- robustness: malformed legacy members never escape as internal errors ---------------------------

_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.text("aNSB", max_size=2),
    lambda children: (
        st.lists(children, max_size=2)
        | st.dictionaries(
            st.sampled_from(["S", "N", "a", "pk", "ComparisonOperator", "AttributeValueList"]), children
        )
    ),
    max_leaves=6,
)
_OPERATORS = [*sorted(_TEXTS), "XX"]
_AVS = st.one_of(st.text("ab", max_size=2).map(s), st.sampled_from(["1", "x", ""]).map(n), _JUNK)
_CONDITION = st.one_of(
    _JUNK,
    st.fixed_dictionaries(
        {"ComparisonOperator": st.sampled_from(_OPERATORS)},
        optional={"AttributeValueList": st.one_of(_JUNK, st.lists(_AVS, max_size=3))},
    ),
)
_CONDITIONS = st.one_of(
    _JUNK, st.dictionaries(st.sampled_from(["pk", "sk", "v", "status", "date"]), _CONDITION)
)
_LEGACY_MEMBERS = st.fixed_dictionaries(
    {},
    optional={
        "KeyConditions": _CONDITIONS,
        "QueryFilter": _CONDITIONS,
        "ScanFilter": _CONDITIONS,
        "ConditionalOperator": st.one_of(_JUNK, st.sampled_from(["AND", "OR"])),
        "AttributesToGet": st.one_of(_JUNK, st.lists(st.sampled_from(["pk", "v", "note"]), max_size=3)),
        "Select": st.sampled_from(
            ["COUNT", "SPECIFIC_ATTRIBUTES", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"]
        ),
        "IndexName": st.sampled_from(["by_status", "by_date", "nope"]),
        "Limit": st.integers(1, 3),
        "ExclusiveStartKey": st.one_of(_JUNK, st.just({"pk": s("a"), "sk": n(1)})),
        "FilterExpression": st.just("attribute_exists(v)"),
    },
)


@property_settings(400)
@given(operation=st.sampled_from(["Query", "Scan"]), members=_LEGACY_MEMBERS)
def test_malformed_legacy_members_get_dynamodb_errors(operation: str, members: dict[str, Any]) -> None:
    """Whatever the legacy members hold: an answer or a DynamoDB-shaped error, and nothing changed."""
    fake = FakeDynamoDB()
    create_table(
        fake,
        "orders",
        extra_attributes={"status": "S", "date": "S"},
        gsis=[
            {
                "IndexName": "by_status",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        lsis=[
            {
                "IndexName": "by_date",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "date", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    for sk in range(3):
        stored = item("a", sk, v=n(sk), status=s("open"), date=s(f"d{sk}"))
        fake.call_sync("PutItem", {"TableName": "orders", "Item": stored})
    before = snapshot(fake)
    with contextlib.suppress(DynamoDBError):
        fake.call_sync(operation, {"TableName": "orders", **members})
    assert snapshot(fake) == before
