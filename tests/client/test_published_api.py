"""The published package's documented call sites for conditions, updates, queries, scans and
transactions (``published-api.md`` sections 2-4 and 7), written as its users wrote them.

One test per documented behaviour. Those that need a service run on the fake and on moto's server
(skipped on the fake while it lacks the action, see ``backends``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aioboto3
import pytest
from boto3.dynamodb.conditions import Attr, ConditionExpressionBuilder, Key
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field

from aiodynamodb import (
    DynamoDB,
    DynamoModel,
    HashKey,
    ProjectionAttr,
    RangeKey,
    TransactConditionCheck,
    TransactDelete,
    TransactGet,
    TransactPut,
    TransactUpdate,
    UpdateAttr,
    table,
)
from aiodynamodb.custom_types import Timestamp
from aiodynamodb.models import QueryResult

from .backends import BACKENDS, open_db

START = datetime(2026, 1, 1, tzinfo=UTC)


class Profile(BaseModel):
    city: str
    langs: list[str] = Field(default_factory=list)


@table("pub_users")
class User(DynamoModel):
    user_id: HashKey[str]
    name: str
    visits: int = 0
    tags: set[str] = Field(default_factory=set)
    history: list[str] = Field(default_factory=list)
    profile: Profile | None = None


@table("pub_events")
class Event(DynamoModel):
    device: HashKey[str]
    created_at: RangeKey[Timestamp]
    kind: str = "ping"


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest) -> AsyncIterator[DynamoDB]:
    async with open_db(request, [User, Event]) as client:
        yield client


async def add_events(db: DynamoDB, count: int = 5) -> None:
    for i in range(count):
        await db.put(
            Event(device="d1", created_at=START + timedelta(minutes=i), kind="ping" if i % 2 else "boot")
        )


# --- section 3: item methods -----------------------------------------------------------------


async def test_put_and_delete_with_a_condition_expression(db: DynamoDB) -> None:
    await db.put(User(user_id="u1", name="Alice"), condition_expression=Attr("user_id").not_exists())
    exceptions = await db.exceptions()
    with pytest.raises(exceptions.ConditionalCheckFailedException):
        await db.put(User(user_id="u1", name="Bob"), condition_expression=Attr("user_id").not_exists())
    try:
        await db.delete(User, hash_key="u1", condition_expression=Attr("name").eq("Bob"))
    except ClientError as err:  # botocore-style handling keeps working
        assert err.response["Error"]["Code"] == "ConditionalCheckFailedException"
    else:
        pytest.fail("the condition was not enforced")
    await db.delete(User, hash_key="u1", condition_expression=Attr("name").eq("Alice"))
    await db.delete(User, hash_key="u1")  # a missing item is a no-op
    assert await db.get(User, hash_key="u1", consistent_reads=True) is None


async def test_update_with_a_set_of_update_attrs(db: DynamoDB) -> None:
    await db.put(User(user_id="u1", name="Alice"))
    updated = await db.update(
        User,
        hash_key="u1",
        update_expression={UpdateAttr("name").set("Alicia"), UpdateAttr("visits").add(1)},
        return_values="ALL_NEW",
    )
    assert updated == User(user_id="u1", name="Alicia", visits=1)
    # No return_values: None. UPDATED_NEW: a partial model of what changed.
    assert await db.update(User, hash_key="u1", update_expression={UpdateAttr("visits").add(1)}) is None
    partial = await db.update(
        User, hash_key="u1", update_expression={UpdateAttr("visits").add(1)}, return_values="UPDATED_NEW"
    )
    assert partial is not None and partial.visits == 3 and not hasattr(partial, "name")
    # An update on a missing item creates it (DynamoDB semantics).
    await db.update(User, hash_key="u2", update_expression={UpdateAttr("name").set("Bob")})
    assert await db.get(User, hash_key="u2") == User(user_id="u2", name="Bob")


async def test_update_0016_forms(db: DynamoDB) -> None:
    await db.put(User(user_id="u1", name="Alice", history=["a", "b", "c"], tags={"x", "y"}))
    await db.update(
        User,
        hash_key="u1",
        update_expression=[  # 0.0.16: any collection; a list keeps clause order
            UpdateAttr("name").set("ignored", if_not_exists=True),
            UpdateAttr("profile").set(Profile(city="Oslo"), if_not_exists=True),
            UpdateAttr("history").remove(1),
            UpdateAttr("tags").delete({"x"}),
        ],
    )
    await db.update(
        User,
        hash_key="u1",
        update_expression=[UpdateAttr("history").append(["d"]), UpdateAttr("profile.langs").prepend(["no"])],
    )
    assert await db.get(User, hash_key="u1") == User(
        user_id="u1",
        name="Alice",
        history=["a", "c", "d"],
        tags={"y"},
        profile=Profile(city="Oslo", langs=["no"]),
    )


async def test_query_is_an_async_generator_of_pages(db: DynamoDB) -> None:
    await add_events(db)
    pages = []
    async for page in db.query(Event, key_condition_expression=Key("device").eq("d1"), limit=2):
        assert isinstance(page, QueryResult)
        pages.append(page)
    assert [len(page.items) for page in pages] == [2, 2, 1]  # limit is per page, not a total
    assert [e.created_at for page in pages for e in page.items] == [
        START + timedelta(minutes=i) for i in range(5)
    ]
    assert pages[-1].last_evaluated_key is None
    # A filter applies after the read: pages may be empty, and paging still reaches the end.
    kinds = [
        [e.kind for e in page.items]
        async for page in db.query(
            Event,
            key_condition_expression=Key("device").eq("d1"),
            filter_expression=Attr("kind").eq("none"),
            limit=3,
        )
    ]
    assert kinds == [[], []]


async def test_query_take_one_page_then_resume(db: DynamoDB) -> None:
    await add_events(db)
    async for page in db.query(Event, key_condition_expression=Key("device").eq("d1"), limit=3):
        first = page
        break
    assert first.last_evaluated_key is not None
    rest = [
        e.created_at
        async for page in db.query(
            Event,
            key_condition_expression=Key("device").eq("d1"),
            exclusive_start_key=first.last_evaluated_key,
        )
        for e in page.items
    ]
    assert rest == [START + timedelta(minutes=3), START + timedelta(minutes=4)]


async def test_key_condition_on_a_timestamp_compares_integers(db: DynamoDB) -> None:
    await add_events(db)
    newest_first = db.query(
        Event,
        key_condition_expression=Key("device").eq("d1") & Key("created_at").gte(START + timedelta(minutes=3)),
        scan_index_forward=False,
        projection_expression=[ProjectionAttr("created_at")],
        consistent_read=True,
    )
    got = [e async for page in newest_first for e in page.items]
    assert [e.created_at for e in got] == [START + timedelta(minutes=4), START + timedelta(minutes=3)]
    assert all(not hasattr(e, "device") for e in got)  # projected: a partial model


async def test_scan_has_the_same_paging_contract(db: DynamoDB) -> None:
    await add_events(db)
    pages = [page async for page in db.scan(Event, limit=2, filter_expression=Attr("kind").eq("boot"))]
    assert pages[-1].last_evaluated_key is None
    assert sorted(e.created_at.minute for page in pages for e in page.items) == [0, 2, 4]


async def test_transactions(db: DynamoDB) -> None:
    await db.put(User(user_id="u1", name="Alice"))
    await db.put(User(user_id="u9", name="Gone"))
    await db.put(User(user_id="u3", name="Carol"))
    response = await db.transact_write(
        [
            TransactPut(User(user_id="u2", name="Bob"), condition_expression=Attr("user_id").not_exists()),
            TransactUpdate(User, "u1", {UpdateAttr("visits").add(1)}),
            TransactConditionCheck(User, "u3", Attr("name").eq("Carol")),
            TransactDelete(User, "u9"),
        ]
    )
    assert isinstance(response, dict)  # the raw TransactWriteItems response
    users = await db.transact_get([TransactGet(User, "u2"), TransactGet(User, "u9"), TransactGet(User, "u1")])
    assert users == [User(user_id="u2", name="Bob"), None, User(user_id="u1", name="Alice", visits=1)]
    exceptions = await db.exceptions()
    with pytest.raises(exceptions.TransactionCanceledException) as caught:
        await db.transact_write([TransactConditionCheck(User, "u1", Attr("name").eq("Zed"))])
    assert caught.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert caught.value.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed"


# --- sections 2, 4 and 7: names, expressions, rejections ------------------------------------


def test_published_import_paths_and_shapes() -> None:
    from aiodynamodb.conditions import CustomConditionExpressionBuilder
    from aiodynamodb.models import GSI, LSI, Raw  # noqa: F401
    from aiodynamodb.projection import (  # noqa: F401
        BuiltProjectionExpression,
        ProjectionExpressionArg,
        ProjectionExpressionBuilder,
    )
    from aiodynamodb.updates import Action, BuiltUpdateExpression, UpdateExpressionBuilder  # noqa: F401

    assert issubclass(CustomConditionExpressionBuilder, ConditionExpressionBuilder)
    assert [a.name for a in Action] == ["SET", "REMOVE", "ADD", "DELETE"]
    page = QueryResult(items=[User(user_id="u", name="n")], last_evaluated_key=None)
    assert (page.items, page.last_evaluated_key) == ([User(user_id="u", name="n")], None)


def test_hash_key_types_is_the_second_positional_argument() -> None:
    db = DynamoDB(aioboto3.Session(region_name="us-east-1"), {bool: "N"})
    assert db.hash_key_types == {bool: "N"}


def test_update_attr_documented_renderings() -> None:
    from aiodynamodb.updates import UpdateExpressionBuilder

    def text(*actions: UpdateAttr) -> str:
        return UpdateExpressionBuilder(User).build_update_expression(list(actions)).update_expression

    assert text(UpdateAttr("name").set("x")) == "SET #n0 = :v0"
    assert text(UpdateAttr("name").set(None)) == "REMOVE #n0"
    assert text(UpdateAttr("name").set("x", if_not_exists=True)) == "SET #n0 = if_not_exists(#n0, :v0)"
    assert text(UpdateAttr("history").remove(0)) == "REMOVE #n0[0]"
    assert text(UpdateAttr("visits").add(1)) == "ADD #n0 :v0"
    assert text(UpdateAttr("tags").delete({"x"})) == "DELETE #n0 :v0"
    assert text(UpdateAttr("history").append(["a"])) == "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)"
    assert text(UpdateAttr("history").prepend(["a"])) == "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))"
    assert (
        text(UpdateAttr("tags").delete({"x"}), UpdateAttr("visits").add(1), UpdateAttr("name").set("n"))
        == "SET #n0 = :v0 ADD #n1 :v1 DELETE #n2 :v2"
    )
    with pytest.raises(TypeError):
        UpdateAttr("visits").add("one")  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(TypeError):
        UpdateAttr("tags").delete("x")  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(ValueError):
        text()  # an empty update
    with pytest.raises(ValueError):
        text(UpdateAttr("name"))  # an UpdateAttr with no action
    with pytest.raises(ValueError):
        text(UpdateAttr("history").set([]), UpdateAttr("history[0]").set("a"))  # overlapping paths


def test_projection_attr_paths_and_the_shared_counter() -> None:
    from aiodynamodb.projection import ProjectionExpressionBuilder

    built = ProjectionExpressionBuilder(User).build_projection_expression(
        [ProjectionAttr("profile.city"), ProjectionAttr("history[0]")]
    )
    assert built.projection_expression == "#n0.#n1, #n2[0]"
    assert built.expression_attribute_names == {"#n0": "profile", "#n1": "city", "#n2": "history"}


def test_a_dotted_path_through_a_list_needs_an_index() -> None:
    from aiodynamodb.conditions import CustomConditionExpressionBuilder

    with pytest.raises(ValueError, match="use an explicit index such as 'history\\[0\\]'"):
        CustomConditionExpressionBuilder(User).build_expression(Attr("history.x").eq(1))


def test_a_plain_string_is_passed_through_verbatim() -> None:
    from aiodynamodb.expressions import build_expressions

    assert build_expressions(User, condition_expression="attribute_not_exists(user_id)") == {
        "ConditionExpression": "attribute_not_exists(user_id)"
    }
