"""Validation costs time and memory linear in the request, and error messages stay bounded (issue 7).

No test here times anything: cost is observed through what can be counted deterministically (how
many constraint messages are rendered, how many string comparisons a check makes, the heap a
rejected request allocates, the length of the message), so a slow machine cannot fail them and a
quadratic check cannot pass them. ``benchmarks/validation_bench.py`` measures the times.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from aiodynamodb.errors import DynamoDBError, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.messages import ECHO_LIMIT
from aiodynamodb_fake.shapes import Constraints
from tests.fake.operations.builders import create_table

MIB = 1024 * 1024
# The longest message any request can get: ten violations, each echoing at most ECHO_LIMIT characters
# of a value and of a path, plus the constant text around them.
MESSAGE_BOUND = 10 * (2 * ECHO_LIMIT + 600)
TABLE_NAME_RULES = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
    "Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: "
    "[a-zA-Z0-9_.-]+]"
)


@pytest.fixture
def fake() -> FakeDynamoDB:
    return FakeDynamoDB()


def rejection(fake: FakeDynamoDB, operation: str, request: Mapping[str, Any]) -> DynamoDBError:
    with pytest.raises(DynamoDBError) as caught:
        fake.call_sync(operation, request)
    return caught.value


@contextmanager
def heap_peak() -> Iterator[list[int]]:
    """The most heap allocated at once inside the block (bytes), over what was allocated before it."""
    found: list[int] = []
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        yield found
        found.append(tracemalloc.get_traced_memory()[1] - base)
    finally:
        tracemalloc.stop()


# --- 1. only the reported constraint messages are built -------------------------------------------


class RenderSpy(dict[str, Any]):
    """A map that counts how often its members are read, i.e. how often it is rendered in a message."""

    renders = 0

    def items(self) -> Any:
        RenderSpy.renders += 1
        return super().items()


def test_constraints_render_only_the_ten_reported_violations() -> None:
    RenderSpy.renders = 0
    constraints = Constraints()
    spy = RenderSpy(a="b")
    for _ in range(1000):
        constraints.add(spy, "requestItems", "rule")
    with pytest.raises(ValidationException) as caught:
        constraints.raise_if_any()
    assert RenderSpy.renders == 10
    assert caught.value.message == "1000 validation errors detected: " + "; ".join(
        ["Value '{a=b}' at 'requestItems' failed to satisfy constraint: rule"] * 10
    )


def test_constraint_paths_are_built_only_when_reported() -> None:
    built: list[int] = []

    def path(n: int) -> Callable[[], str]:
        return lambda: built.append(n) or f"p{n}"

    constraints = Constraints()
    for n in range(50):
        constraints.required(None, path(n))
    with pytest.raises(ValidationException) as caught:
        constraints.raise_if_any()
    assert built == list(range(10))
    assert caught.value.message.startswith("50 validation errors detected: Value null at 'p0' failed")


def bad_names(count: int) -> list[str]:
    return [f"bad!{n:05d}" + "x" * 150 for n in range(count)]


@pytest.mark.parametrize(
    ("operation", "entry"),
    [
        ("BatchWriteItem", [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]),
        ("BatchGetItem", {"Keys": [{"pk": {"S": "a"}}]}),
    ],
)
def test_many_bad_table_names_cost_memory_linear_in_the_request(
    fake: FakeDynamoDB, operation: str, entry: Any
) -> None:
    # Each violation echoes the whole RequestItems map: 400 of them once took 400 renderings of 66 KB.
    request = {"RequestItems": {name: entry for name in bad_names(400)}}
    with heap_peak() as peak:
        error = rejection(fake, operation, request)
    assert isinstance(error, ValidationException)
    assert error.message.startswith("400 validation errors detected: Value '{bad!00000x")
    assert error.message.count(f"at 'requestItems' failed to satisfy constraint: {TABLE_NAME_RULES}") == 10
    assert len(error.message) <= MESSAGE_BOUND
    assert peak[0] < 2 * MIB


def test_a_huge_table_name_with_many_bad_writes_builds_no_path_per_write(fake: FakeDynamoDB) -> None:
    name = "n!" + "x" * 50_000
    with heap_peak() as peak:
        error = rejection(fake, "BatchWriteItem", {"RequestItems": {name: [None] * 2_000}})
    # 1 bad name + 1 list too long + 2,000 null write requests
    assert error.message.startswith("2002 validation errors detected: ")
    assert len(error.message) <= MESSAGE_BOUND
    assert peak[0] < 4 * MIB


# --- 2. CreateTable's checks over AttributeDefinitions are linear -------------------------------


class CountingStr(str):
    """A name that counts the equality tests made on it (a quadratic check makes n**2 / 2)."""

    compared = 0
    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        CountingStr.compared += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        CountingStr.compared += 1
        return str.__ne__(self, other)


def definitions(names: list[str]) -> list[dict[str, Any]]:
    return [{"AttributeName": CountingStr(name), "AttributeType": "S"} for name in names]


def test_duplicate_attribute_definitions_are_found_in_linear_time(fake: FakeDynamoDB) -> None:
    names = [f"a{n}" for n in range(3_000)] + ["a0"]
    CountingStr.compared = 0
    error = rejection(
        fake,
        "CreateTable",
        {
            "TableName": "tbl",
            "KeySchema": [{"AttributeName": CountingStr("a0"), "KeyType": "HASH"}],
            "AttributeDefinitions": definitions(names),
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    assert error.message == "Attribute Name is duplicated: a0"
    assert CountingStr.compared < 10 * len(names)


def test_index_keys_are_checked_against_definitions_in_linear_time(fake: FakeDynamoDB) -> None:
    count = 2_000
    gsis = [
        {
            "IndexName": f"idx{n}",
            "KeySchema": [{"AttributeName": CountingStr(f"a{n}"), "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
        for n in range(count)
    ]
    CountingStr.compared = 0
    error = rejection(
        fake,
        "CreateTable",
        {
            "TableName": "tbl",
            "KeySchema": [{"AttributeName": CountingStr("pk"), "KeyType": "HASH"}],
            "AttributeDefinitions": definitions(["pk", *(f"a{n}" for n in range(count))]),
            "GlobalSecondaryIndexes": gsis,
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    assert error.message == (
        "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20"
    )
    assert CountingStr.compared < 20 * count


# --- 4. what a message echoes is bounded ---------------------------------------------------------

BIG = 1_000_000  # characters of request text in the echoed value: 1 MB ASCII, 2 MB as UTF-8
CLIPPED_A = "a" * ECHO_LIMIT + "..."


def test_an_echo_up_to_the_limit_is_whole_and_a_longer_one_is_cut(fake: FakeDynamoDB) -> None:
    for length, shown in ((ECHO_LIMIT, "a" * ECHO_LIMIT), (ECHO_LIMIT + 1, CLIPPED_A)):
        error = rejection(fake, "ListTables", {"ExclusiveStartTableName": "a" * length})
        assert error.message == (
            f"1 validation error detected: Value '{shown}' at 'exclusiveStartTableName' failed to satisfy "
            "constraint: Member must have length less than or equal to 255"
        )


def _create(**members: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TableName": "tbl",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    request.update(members)
    return request


def _put(value: dict[str, Any]) -> dict[str, Any]:
    return {"TableName": "tbl", "Item": {"pk": {"S": "k"}, "v": value}}


def _long_definitions(text: str) -> list[dict[str, Any]]:
    """5,000 AttributeDefinitions, each of a legal 200-character name: 1 MB of names to echo."""
    return [{"AttributeName": f"{n:04d}{text[:196]}", "AttributeType": "S"} for n in range(BIG // 200)]


def _writes(count: int, text: str) -> list[dict[str, Any]]:
    return [{"PutRequest": {"Item": {"pk": {"S": f"{n}{text}"}}}} for n in range(count)]


ECHOES: dict[str, tuple[str, Callable[[str], dict[str, Any]]]] = {
    "table name": ("PutItem", lambda s: {"TableName": s + "!", "Item": {}}),
    "start table name": ("ListTables", lambda s: {"ExclusiveStartTableName": s}),
    "write list too long": ("BatchWriteItem", lambda s: {"RequestItems": {"tbl": _writes(26, s[: BIG // 26])}}),
    "bad table names": ("BatchWriteItem", lambda s: {"RequestItems": {f"{n}!{s[: BIG // 20]}": [] for n in range(20)}}),
    "table name in a path": ("BatchWriteItem", lambda s: {"RequestItems": {s + "!": [None]}}),
    "keys of bad tables": ("BatchGetItem", lambda s: {"RequestItems": {f"{n}!": {"Keys": [{"k": {"S": s[: BIG // 20]}}]} for n in range(20)}}),
    "string set duplicates": ("PutItem", lambda s: _put({"SS": ["x", "x", s]})),
    "binary set duplicates": ("PutItem", lambda s: _put({"BS": [b"x", b"x", s.encode()]})),
    "unparsable number": ("PutItem", lambda s: _put({"N": s})),
    "duplicate AttributesToGet": ("GetItem", lambda s: {"TableName": "tbl", "Key": {"pk": {"S": "k"}}, "AttributesToGet": [s, s]}),
    "key schema too long": ("CreateTable", lambda s: _create(KeySchema=[{"AttributeName": s[: BIG // 3], "KeyType": "HASH"}] * 3)),
    "attribute name too long": ("CreateTable", lambda s: _create(AttributeDefinitions=[{"AttributeName": s, "AttributeType": "S"}])),
    "key undefined": ("CreateTable", lambda s: _create(AttributeDefinitions=_long_definitions(s))),
    "definitions unused": ("CreateTable", lambda s: _create(
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, *_long_definitions(s)],
        GlobalSecondaryIndexes=[{"IndexName": "idx", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
    )),
    "non-key attributes": ("CreateTable", lambda s: _create(GlobalSecondaryIndexes=[{
        "IndexName": "idx", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": [s[: BIG // 21]] * 21},
    }])),
    "tag key": ("CreateTable", lambda s: _create(Tags=[{"Key": s, "Value": "v"}])),
    "tag value": ("CreateTable", lambda s: _create(Tags=[{"Key": "k", "Value": s}])),
}  # fmt: skip


@pytest.mark.parametrize("character", ["a", "é"])
@pytest.mark.parametrize("case", ECHOES)
def test_a_message_echoes_a_bounded_part_of_the_request(
    fake: FakeDynamoDB, case: str, character: str
) -> None:
    create_table(fake, "tbl", range_key=None, hash_key=("pk", "S"))
    operation, build = ECHOES[case]
    error = rejection(fake, operation, build(character * BIG))
    assert isinstance(error, ValidationException), error
    assert len(error.message) <= MESSAGE_BOUND
    assert "..." in error.message  # the cut is marked


# --- 5. numbers and integers beyond Python's int/str conversion limit -----------------------------


def test_an_exponent_of_thousands_of_digits_is_read_as_a_number(fake: FakeDynamoDB) -> None:
    create_table(fake, "tbl", range_key=None, hash_key=("pk", "S"))
    zeros = "0" * 4400
    for sent, stored in (("1e" + zeros + "1", "10"), ("1E-" + zeros + "1", "0.1"), ("-5e+" + zeros, "-5")):
        fake.call_sync("PutItem", {"TableName": "tbl", "Item": {"pk": {"S": "k"}, "n": {"N": sent}}})
        assert fake.items("tbl") == [{"pk": {"S": "k"}, "n": {"N": stored}}]
    for sent in ("1e" + zeros + "126", "1e+" + "7" * 4400):
        error = rejection(
            fake, "PutItem", {"TableName": "tbl", "Item": {"pk": {"S": "k"}, "n": {"NS": [sent]}}}
        )
        assert error.message == (
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        )
    error = rejection(
        fake, "PutItem", {"TableName": "tbl", "Item": {"pk": {"S": "k"}, "n": {"N": "1e-" + zeros + "131"}}}
    )
    assert error.message == (
        "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    )


HUGE = 10**4301  # one digit more than Python converts to text by default


@pytest.mark.parametrize(
    ("operation", "request_"),
    [
        ("ListTables", {"Limit": HUGE}),
        ("ListTables", {"Limit": -HUGE}),
        ("CreateTable", _create(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": HUGE, "WriteCapacityUnits": 1})),
        ("CreateTable", _create(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": -HUGE})),
        ("CreateTable", _create(OnDemandThroughput={"MaxReadRequestUnits": HUGE})),
    ],
)  # fmt: skip
def test_an_integer_no_java_long_holds_is_a_serialization_error(
    fake: FakeDynamoDB, operation: str, request_: dict[str, Any]
) -> None:
    error = rejection(fake, operation, request_)
    assert isinstance(error, SerializationException)
    assert error.message == "NUMBER_VALUE cannot be converted to Long"


def test_an_echoed_value_holding_a_huge_integer_is_bounded(fake: FakeDynamoDB) -> None:
    error = rejection(
        fake, "BatchGetItem", {"RequestItems": {"bad!": {"Keys": [{"k": {"S": "a"}}], "X": HUGE}}}
    )
    assert isinstance(error, ValidationException)
    assert error.message.startswith("1 validation error detected: Value '{bad!={Keys=[{k={S=a}}], X=")
    assert len(error.message) <= MESSAGE_BOUND


# --- 11. an oversized item is not copied past the size limit -------------------------------------


@pytest.mark.parametrize("operation", ["PutItem", "BatchWriteItem"])
@pytest.mark.parametrize("nested", [False, True])
def test_an_oversized_item_of_tiny_attributes_is_not_copied_whole(
    fake: FakeDynamoDB, operation: str, nested: bool
) -> None:
    create_table(fake, "tbl", range_key=None, hash_key=("pk", "S"))
    tiny = {f"attribute-{n:010d}": {"NULL": True} for n in range(200_000)}  # 4.2 MB of item
    item = {"pk": {"S": "k"}, **({"m": {"M": tiny}} if nested else tiny)}
    request: dict[str, Any] = (
        {"TableName": "tbl", "Item": item}
        if operation == "PutItem"
        else {"RequestItems": {"tbl": [{"PutRequest": {"Item": item}}]}}
    )
    with heap_peak() as peak:
        error = rejection(fake, operation, request)
    assert error.message == "Item size has exceeded the maximum allowed size"
    # A whole copy takes about 50 MB; copying stops once 400 KB of the item (20,000 attributes) is seen.
    assert peak[0] < 16 * MIB


def test_a_bad_value_after_the_size_limit_still_wins_over_the_size(fake: FakeDynamoDB) -> None:
    # DynamoDB checks every value of an item before the item's size (reference §3.2 step 4).
    create_table(fake, "tbl", range_key=None, hash_key=("pk", "S"))
    item: dict[str, Any] = {"pk": {"S": "k"}, "big": {"S": "x" * 500_000}, "bad": {"NULL": False}}
    error = rejection(fake, "PutItem", {"TableName": "tbl", "Item": item})
    assert (
        error.message
        == "One or more parameter values were invalid: Null attribute value types must have the value of true"
    )
    item = {"pk": {"S": "k"}, "big": {"M": {"x": {"S": "x" * 500_000}, "y": {"L": [{"SS": []}]}}}}
    error = rejection(fake, "PutItem", {"TableName": "tbl", "Item": item})
    assert error.message == "One or more parameter values were invalid: An string set  may not be empty"
    item = {"pk": {"S": "k"}, "big": {"S": "x" * 500_000}, "bad": {"S": "a", "N": "1"}}
    error = rejection(fake, "PutItem", {"TableName": "tbl", "Item": item})
    assert error.message.startswith("Supplied AttributeValue has more than one datatypes set")
