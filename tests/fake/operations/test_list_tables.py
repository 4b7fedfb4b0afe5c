"""ListTables: shape errors, Limit/ExclusiveStartTableName constraints, paging; and a fuzz test of
the four table operations (any request: a DynamoDB error or success, and a failure changes nothing).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import DynamoDBError, SerializationException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations import builders


def create_table(fake: FakeDynamoDB, name: str) -> None:
    """A hash-only on-demand table (its key is the usual ``pk``)."""
    builders.create_table(fake, name, range_key=None)


def list_tables(fake: FakeDynamoDB, **request: Any) -> dict[str, Any]:
    return fake.call_sync("ListTables", request)


def make_tables(fake: FakeDynamoDB, count: int) -> list[str]:
    names = [f"table{n:03d}" for n in range(count)]
    for name in reversed(names):  # created out of order: the answer is sorted anyway
        create_table(fake, name)
    return names


# --- shape errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [
        {"Limit": "5"},
        {"Limit": True},
        {"Limit": 2.5},
        {"ExclusiveStartTableName": 5},
        {"ExclusiveStartTableName": []},
    ],
)
def test_wrong_kinds_are_serialization_errors(fake: FakeDynamoDB, request_: dict[str, Any]) -> None:
    with pytest.raises(SerializationException):
        fake.call_sync("ListTables", request_)


# --- validation errors --------------------------------------------------------------------------

PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"


def broken(value: Any, path: str, rule: str) -> str:
    return f"Value '{value}' at '{path}' failed to satisfy constraint: {rule}"


@pytest.mark.parametrize(
    ("request_", "errors"),
    [
        ({"ExclusiveStartTableName": ""}, [broken("", "exclusiveStartTableName", PATTERN), broken("", "exclusiveStartTableName", "Member must have length greater than or equal to 3")]),
        ({"ExclusiveStartTableName": "a;", "Limit": 500}, [broken("a;", "exclusiveStartTableName", PATTERN), broken("a;", "exclusiveStartTableName", "Member must have length greater than or equal to 3"), broken(500, "limit", "Member must have value less than or equal to 100")]),
        ({"ExclusiveStartTableName": "a" * 256}, [broken("a" * 256, "exclusiveStartTableName", "Member must have length less than or equal to 255")]),
        ({"Limit": 0}, [broken(0, "limit", "Member must have value greater than or equal to 1")]),
        ({"Limit": 101}, [broken(101, "limit", "Member must have value less than or equal to 100")]),
    ],
)  # fmt: skip
def test_constraints(fake: FakeDynamoDB, request_: dict[str, Any], errors: list[str]) -> None:
    """dynalite's listTables validations, word for word."""
    with pytest.raises(ValidationException) as info:
        fake.call_sync("ListTables", request_)
    count = len(errors)
    assert info.value.message == f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(
        errors
    )


# --- behaviour ----------------------------------------------------------------------------------


def test_no_tables(fake: FakeDynamoDB) -> None:
    assert list_tables(fake) == {"TableNames": []}
    assert list_tables(fake, Limit=1) == {"TableNames": []}


def test_null_members_are_absent_members(fake: FakeDynamoDB, table: str) -> None:
    assert list_tables(fake, ExclusiveStartTableName=None, Limit=None) == {"TableNames": [table]}


def test_paging_250_tables(fake: FakeDynamoDB) -> None:
    names = make_tables(fake, 250)
    first = list_tables(fake)  # the default Limit is 100
    assert first == {"TableNames": names[:100], "LastEvaluatedTableName": names[99]}
    second = list_tables(fake, ExclusiveStartTableName=first["LastEvaluatedTableName"], Limit=100)
    assert second == {"TableNames": names[100:200], "LastEvaluatedTableName": names[199]}
    third = list_tables(fake, ExclusiveStartTableName=second["LastEvaluatedTableName"], Limit=100)
    assert third == {"TableNames": names[200:]}


@pytest.mark.parametrize("limit", [1, 7, 33, 100])
def test_walking_every_page_lists_every_table_once(fake: FakeDynamoDB, limit: int) -> None:
    names = make_tables(fake, 250)
    seen: list[str] = []
    request: dict[str, Any] = {"Limit": limit}
    while True:
        page = list_tables(fake, **request)
        assert 1 <= len(page["TableNames"]) <= limit
        seen += page["TableNames"]
        if "LastEvaluatedTableName" not in page:
            break
        assert page["LastEvaluatedTableName"] == page["TableNames"][-1]
        request["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]
    assert seen == names


def test_an_exactly_full_last_page_has_no_last_evaluated_name(fake: FakeDynamoDB) -> None:
    """dynalite's "should have no LastEvaluatedTableName if the limit is large enough" (real DynamoDB)."""
    names = make_tables(fake, 100)
    assert list_tables(fake, Limit=100) == {"TableNames": names}
    assert list_tables(fake) == {"TableNames": names}
    assert list_tables(fake, Limit=50, ExclusiveStartTableName=names[49]) == {"TableNames": names[50:]}
    assert list_tables(fake, Limit=99) == {"TableNames": names[:99], "LastEvaluatedTableName": names[98]}


def test_the_start_name_need_not_exist(fake: FakeDynamoDB) -> None:
    for name in ("bbb", "ddd", "fff"):
        create_table(fake, name)
    assert list_tables(fake, ExclusiveStartTableName="ccc") == {"TableNames": ["ddd", "fff"]}
    assert list_tables(fake, ExclusiveStartTableName="aaa", Limit=1) == {
        "TableNames": ["bbb"],
        "LastEvaluatedTableName": "bbb",
    }  # dynalite "ExclusiveStartTableName and Limit"
    assert list_tables(fake, ExclusiveStartTableName="zzz") == {"TableNames": []}


def test_names_sort_by_character_code(fake: FakeDynamoDB) -> None:
    for name in ("b-1", "B_2", "a.3", "A33", "_x_", "9zz"):
        create_table(fake, name)
    assert list_tables(fake)["TableNames"] == ["9zz", "A33", "B_2", "_x_", "a.3", "b-1"]


async def test_list_through_the_async_transport(fake: FakeDynamoDB, table: str) -> None:
    assert await fake.call("ListTables", {"Limit": 5}) == {"TableNames": [table]}


# --- fuzz: every table operation, any request ---------------------------------------------------

_MEMBERS = [
    "TableName", "AttributeDefinitions", "KeySchema", "AttributeName", "AttributeType", "KeyType",
    "ProvisionedThroughput", "ReadCapacityUnits", "WriteCapacityUnits", "BillingMode", "Projection",
    "ProjectionType", "NonKeyAttributes", "IndexName", "Limit", "ExclusiveStartTableName", "Tags",
]  # fmt: skip
_WORDS = [
    "pk",
    "sk",
    "a",
    "tbl",
    "tb2",
    "ab",
    "x!",
    "S",
    "N",
    "B",
    "HASH",
    "RANGE",
    "ALL",
    "INCLUDE",
    "KEYS_ONLY",
]
_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.sampled_from([*_WORDS, "PROVISIONED", "PAY_PER_REQUEST", "NEW_IMAGE", "KMS", "AES256", "STANDARD"]),
)
_JSON = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_MEMBERS) | st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


def _either(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a plausible value (so requests get past the shape checks), sometimes anything at all."""
    return st.integers(0, 15).flatmap(lambda n: plausible if n else _JSON)


_NAME = _either(st.sampled_from(["pk", "sk", "a", "b"]))
_TABLE = _either(
    st.sampled_from(["tbl", "tb2", "ab", "bad!", "arn:aws:dynamodb:us-east-1:123456789012:table/tbl"])
)
_KEY = _either(
    st.fixed_dictionaries(
        {}, optional={"AttributeName": _NAME, "KeyType": _either(st.sampled_from(["HASH", "RANGE", "X"]))}
    )
)
_DEFINITION = _either(
    st.fixed_dictionaries(
        {},
        optional={"AttributeName": _NAME, "AttributeType": _either(st.sampled_from(["S", "N", "B", "SS"]))},
    )
)
_CAPACITY = _either(
    st.fixed_dictionaries(
        {},
        optional={
            "ReadCapacityUnits": _either(st.integers(-1, 3)),
            "WriteCapacityUnits": _either(st.integers(-1, 3)),
        },
    )
)
_PROJECTION = _either(
    st.fixed_dictionaries(
        {},
        optional={
            "ProjectionType": _either(st.sampled_from(["ALL", "INCLUDE", "KEYS_ONLY"])),
            "NonKeyAttributes": _either(st.lists(_NAME, max_size=3)),
        },
    )
)
_INDEX = _either(
    st.fixed_dictionaries(
        {},
        optional={
            "IndexName": _either(st.sampled_from(["idx", "idx2", "i"])),
            "KeySchema": _either(st.lists(_KEY, max_size=3)),
            "Projection": _PROJECTION,
            "ProvisionedThroughput": _CAPACITY,
        },
    )
)
_CREATE = st.fixed_dictionaries({}, optional={
    "TableName": _TABLE,
    "AttributeDefinitions": _either(st.lists(_DEFINITION, max_size=4)),
    "KeySchema": _either(st.lists(_KEY, max_size=3)),
    "BillingMode": _either(st.sampled_from(["PROVISIONED", "PAY_PER_REQUEST", "X"])),
    "ProvisionedThroughput": _CAPACITY,
    "GlobalSecondaryIndexes": _either(st.lists(_INDEX, max_size=2)),
    "LocalSecondaryIndexes": _either(st.lists(_INDEX, max_size=2)),
    "StreamSpecification": _either(st.fixed_dictionaries({}, optional={"StreamEnabled": _either(st.booleans()), "StreamViewType": _either(st.just("NEW_IMAGE"))})),
    "SSESpecification": _either(st.fixed_dictionaries({}, optional={"Enabled": _either(st.booleans()), "SSEType": _either(st.just("KMS"))})),
    "Tags": _either(st.lists(st.fixed_dictionaries({}, optional={"Key": _either(st.just("k")), "Value": _either(st.just("v"))}), max_size=2)),
    "TableClass": _either(st.just("STANDARD")),
    "DeletionProtectionEnabled": _either(st.booleans()),
})  # fmt: skip
# Requests that get past the shapes and constraints, to reach the semantic rules and success.
_SANE_NAME = st.sampled_from(["pk", "sk", "a", "b"])
_SANE_KEY = st.builds(
    lambda n, t: {"AttributeName": n, "KeyType": t}, _SANE_NAME, st.sampled_from(["HASH", "RANGE"])
)
_SANE_KEYS = st.lists(_SANE_KEY, min_size=1, max_size=2)
_SANE_INDEX = st.builds(
    lambda name, key, projection: {"IndexName": name, "KeySchema": key, "Projection": projection},
    st.sampled_from(["idx", "idx2"]),
    _SANE_KEYS,
    st.sampled_from(
        [
            {"ProjectionType": "ALL"},
            {"ProjectionType": "KEYS_ONLY"},
            {},
            {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
        ]
    ),
)
_SANE_REQUIRED: dict[str, st.SearchStrategy[Any]] = {
    "TableName": st.sampled_from(["tbl", "tb2"]),
    "AttributeDefinitions": st.lists(
        st.builds(
            lambda n, t: {"AttributeName": n, "AttributeType": t},
            _SANE_NAME,
            st.sampled_from(["S", "N", "B"]),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda d: d["AttributeName"],
    ),
    "KeySchema": _SANE_KEYS,
    "BillingMode": st.just("PAY_PER_REQUEST"),
}
_SANE_OPTIONAL: dict[str, st.SearchStrategy[Any]] = {
    "GlobalSecondaryIndexes": st.lists(_SANE_INDEX, max_size=2),
    "LocalSecondaryIndexes": st.lists(_SANE_INDEX, max_size=2),
    "Tags": st.lists(
        st.sampled_from([{"Key": "k", "Value": "v"}, {"Key": "aws:k", "Value": ""}]), max_size=2
    ),
    "TableClass": st.sampled_from(["STANDARD", "STANDARD_INFREQUENT_ACCESS", "X"]),
}
_SANE_CREATE = st.fixed_dictionaries(_SANE_REQUIRED, optional=_SANE_OPTIONAL)
_BY_NAME = st.fixed_dictionaries({}, optional={"TableName": _TABLE})
_LIST = st.fixed_dictionaries(
    {}, optional={"Limit": _either(st.integers(-1, 102)), "ExclusiveStartTableName": _TABLE}
)
_CALL = st.one_of(
    st.tuples(st.just("CreateTable"), _SANE_CREATE | _CREATE | _JSON),
    st.tuples(st.just("DescribeTable"), _BY_NAME | _JSON),
    st.tuples(st.just("DeleteTable"), _BY_NAME | _JSON),
    st.tuples(st.just("ListTables"), _LIST | _JSON),
)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(calls=st.lists(_CALL, min_size=1, max_size=5))
def test_fuzz_only_dynamodb_errors_and_failures_change_nothing(calls: list[tuple[str, Any]]) -> None:
    fake = FakeDynamoDB()
    create_table(fake, "tb2")
    for operation, request in calls:
        before = {name: t.schema for name, t in fake.state.tables.items()}
        listed = fake.call_sync("ListTables", {})
        try:
            fake.call_sync(operation, request)
        except DynamoDBError:
            assert fake.call_sync("ListTables", {}) == listed
            assert {name: t.schema for name, t in fake.state.tables.items()} == before
        fake._check()
