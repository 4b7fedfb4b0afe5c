"""Rendering of conditions, updates and projections: exact expression text and placeholder maps.

What the client sends is pinned here character for character, so a change in rendering is a
deliberate one. Values are checked as AttributeValues: each is encoded as the field at its path
stores it. The published builder classes are checked as the published package returned them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, ConditionExpressionBuilder, Key
from boto3.exceptions import DynamoDBNeedsConditionError, DynamoDBNeedsKeyConditionError
from pydantic import BaseModel, Field

from aiodynamodb import DynamoModel, HashKey, ProjectionAttr, RangeKey, UpdateAttr, table
from aiodynamodb.conditions import CustomConditionExpressionBuilder, condition_request
from aiodynamodb.custom_types import Timestamp
from aiodynamodb.expressions import Placeholders, build_expressions
from aiodynamodb.projection import BuiltProjectionExpression, ProjectionExpressionBuilder
from aiodynamodb.updates import Action, BuiltUpdateExpression, UpdateExpressionBuilder

WHEN = datetime(2026, 1, 1, tzinfo=UTC)  # 1767225600


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Line(BaseModel):
    sku: str
    at: Timestamp | None = None


class Address(BaseModel):
    city: str
    lines: list[Line] = Field(default_factory=list)


@table("things")
class Thing(DynamoModel):
    pk: HashKey[str]
    sk: RangeKey[int]
    at: Timestamp
    level: Level = Level.LOW
    address: Address | None = None
    lines: list[Line] = Field(default_factory=list)
    stamps: list[Timestamp] = Field(default_factory=list)
    tags: set[str] = Field(default_factory=set)
    scores: set[int] = Field(default_factory=set)
    by_day: dict[str, Timestamp] = Field(default_factory=dict)
    extra: Any = None


def cond(condition: Any, model: Any = Thing) -> tuple[str, dict[str, str], dict[str, Any]]:
    built = build_expressions(model, condition_expression=condition)
    return (
        built["ConditionExpression"],
        built.get("ExpressionAttributeNames", {}),
        built.get("ExpressionAttributeValues", {}),
    )


def update(actions: Any, model: Any = Thing) -> tuple[str, dict[str, str], dict[str, Any]]:
    built = build_expressions(model, update_expression=actions)
    return (
        built["UpdateExpression"],
        built.get("ExpressionAttributeNames", {}),
        built.get("ExpressionAttributeValues", {}),
    )


# --- conditions: every boto3 operator --------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "text", "values"),
    [
        (Attr("pk").eq("a"), "#n0 = :v0", {":v0": {"S": "a"}}),
        (Attr("pk").ne("a"), "#n0 <> :v0", {":v0": {"S": "a"}}),
        (Attr("sk").lt(1), "#n0 < :v0", {":v0": {"N": "1"}}),
        (Attr("sk").lte(1), "#n0 <= :v0", {":v0": {"N": "1"}}),
        (Attr("sk").gt(1), "#n0 > :v0", {":v0": {"N": "1"}}),
        (Attr("sk").gte(1), "#n0 >= :v0", {":v0": {"N": "1"}}),
        (Attr("sk").between(1, 2), "#n0 BETWEEN :v0 AND :v1", {":v0": {"N": "1"}, ":v1": {"N": "2"}}),
        (Attr("pk").begins_with("a"), "begins_with(#n0, :v0)", {":v0": {"S": "a"}}),
        (Attr("pk").is_in(["a", "b"]), "#n0 IN (:v0, :v1)", {":v0": {"S": "a"}, ":v1": {"S": "b"}}),
        (Attr("pk").contains("a"), "contains(#n0, :v0)", {":v0": {"S": "a"}}),
        (Attr("pk").exists(), "attribute_exists(#n0)", {}),
        (Attr("pk").not_exists(), "attribute_not_exists(#n0)", {}),
        (Attr("pk").attribute_type("S"), "attribute_type(#n0, :v0)", {":v0": {"S": "S"}}),
        (Attr("tags").size().gt(2), "size(#n0) > :v0", {":v0": {"N": "2"}}),
        (
            Attr("pk").eq("a") & Attr("sk").eq(1) | ~Attr("tags").exists(),
            "((#n0 = :v0 AND #n1 = :v1) OR (NOT attribute_exists(#n2)))",
            {":v0": {"S": "a"}, ":v1": {"N": "1"}},
        ),
        (Attr("pk").eq(Attr("tags")), "#n0 = #n1", {}),
    ],
)
def test_condition_operators(condition: Any, text: str, values: dict[str, Any]) -> None:
    rendered, names, got = cond(condition)
    assert (rendered, got) == (text, values)
    # Every name placeholder in the text is in the map, and nothing else is.
    assert set(names) == set(re.findall(r"#n\d+", rendered))


def test_values_are_encoded_for_the_field_at_their_path() -> None:
    rendered, names, values = cond(
        Attr("at").lt(WHEN)  # Timestamp: a number
        & Attr("address.lines[0].at").eq(WHEN)  # nested model, list element, Timestamp
        & Attr("stamps").contains(WHEN)  # contains: the element type (Timestamp)
        & Attr("by_day.monday").gt(WHEN)  # dict value type
        & Attr("level").is_in([Level.HIGH])  # IntEnum: its value
        & Attr("extra.anything").eq(WHEN)  # Any: generic encoding (ISO text)
        & Attr("nofield").eq(1.5)  # not a field: generic encoding
        & Attr("lines").size().eq(WHEN.year)  # size(): a plain number
        & Attr("tags").contains("t")
    )
    assert rendered == (
        "((((((((#n0 < :v0 AND #n1.#n2[0].#n0 = :v1) AND contains(#n3, :v2)) AND #n4.#n5 > :v3) AND "
        "#n6 IN (:v4)) AND #n7.#n8 = :v5) AND #n9 = :v6) AND size(#n2) = :v7) AND contains(#n10, :v8))"
    )
    assert names == {
        "#n0": "at", "#n1": "address", "#n2": "lines", "#n3": "stamps", "#n4": "by_day", "#n5": "monday",
        "#n6": "level", "#n7": "extra", "#n8": "anything", "#n9": "nofield", "#n10": "tags",
    }  # fmt: skip
    assert values == {
        ":v0": {"N": "1767225600"},
        ":v1": {"N": "1767225600"},
        ":v2": {"N": "1767225600"},
        ":v3": {"N": "1767225600"},
        ":v4": {"N": "2"},
        ":v5": {"S": "2026-01-01T00:00:00+00:00"},
        ":v6": {"N": "1.5"},
        ":v7": {"N": "2026"},
        ":v8": {"S": "t"},
    }


def test_none_is_null_and_models_are_maps() -> None:
    assert cond(Attr("address").eq(None))[2] == {":v0": {"NULL": True}}
    assert cond(Attr("address").eq(Address(city="Oslo")))[2] == {
        ":v0": {"M": {"city": {"S": "Oslo"}, "lines": {"L": []}}}
    }
    assert cond(Attr("lines").contains(Line(sku="a", at=WHEN)))[2] == {
        ":v0": {"M": {"sku": {"S": "a"}, "at": {"N": "1767225600"}}}
    }


def test_without_a_model_values_use_the_generic_encoding() -> None:
    assert cond(Attr("at").lt(WHEN) & Attr("n").eq(Decimal("1.50")), model=None) == (
        "(#n0 < :v0 AND #n1 = :v1)",
        {"#n0": "at", "#n1": "n"},
        {":v0": {"S": "2026-01-01T00:00:00+00:00"}, ":v1": {"N": "1.50"}},
    )


def test_reserved_words_and_odd_names_are_always_placeholders() -> None:
    assert cond(Attr("size").eq(1) & Attr("my-attr.name").exists(), model=None) == (
        "(#n0 = :v0 AND attribute_exists(#n1.#n2))",
        {"#n0": "size", "#n1": "my-attr", "#n2": "name"},
        {":v0": {"N": "1"}},
    )


def test_condition_errors() -> None:
    with pytest.raises(DynamoDBNeedsConditionError):
        build_expressions(Thing, condition_expression=Attr("pk"))
    with pytest.raises(DynamoDBNeedsKeyConditionError, match="KeyConditionExpression only supports"):
        build_expressions(Thing, key_condition_expression=Key("pk").eq("a") & Attr("sk").eq(1))
    with pytest.raises(ValueError, match="is_in\\(\\) needs at least one value"):
        cond(Attr("pk").is_in([]))
    with pytest.raises(
        ValueError,
        match="traverses list field 'lines' without an index; use an explicit index such as 'lines\\[0\\]'",
    ):
        cond(Attr("lines.sku").eq("a"))
    with pytest.raises(ValueError, match="is not a document path"):
        cond(Attr("a..b").eq(1))
    with pytest.raises(ValueError, match="is not a document path"):
        cond(Attr("a[x]").eq(1))
    with pytest.raises(ValueError, match="has no empty sets"):
        cond(Attr("tags").eq(set()))


def test_a_string_is_sent_verbatim() -> None:
    assert condition_request(Thing, "attribute_exists(pk)") == {"ConditionExpression": "attribute_exists(pk)"}
    assert condition_request(Thing, None) == {}
    with pytest.raises(TypeError, match="boto3 condition or a string"):
        condition_request(Thing, 3)  # type: ignore[arg-type]  # the wrong type is the point


# --- updates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "text", "values"),
    [
        (UpdateAttr("sk").set(1), "SET #n0 = :v0", {":v0": {"N": "1"}}),
        (
            UpdateAttr("sk").set(1, if_not_exists=True),
            "SET #n0 = if_not_exists(#n0, :v0)",
            {":v0": {"N": "1"}},
        ),
        (UpdateAttr("sk").set(None), "REMOVE #n0", {}),
        (UpdateAttr("sk").remove(), "REMOVE #n0", {}),
        (UpdateAttr("lines").remove(2), "REMOVE #n0[2]", {}),
        (UpdateAttr("sk").add(2), "ADD #n0 :v0", {":v0": {"N": "2"}}),
        (UpdateAttr("tags").add({"a"}), "ADD #n0 :v0", {":v0": {"SS": ["a"]}}),
        (UpdateAttr("scores").delete({3}), "DELETE #n0 :v0", {":v0": {"NS": ["3"]}}),
        (
            UpdateAttr("stamps").append([WHEN]),
            "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)",
            {":v0": {"L": []}, ":v1": {"L": [{"N": "1767225600"}]}},
        ),
        (
            UpdateAttr("stamps").prepend([WHEN]),
            "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))",
            {":v0": {"L": [{"N": "1767225600"}]}, ":v1": {"L": []}},
        ),
        (
            UpdateAttr("stamps").append([1], if_not_exists=False),
            "SET #n0 = list_append(#n0, :v0)",
            {":v0": {"L": [{"N": "1"}]}},
        ),
        (
            UpdateAttr("stamps").prepend([1], if_not_exists=False),
            "SET #n0 = list_append(:v0, #n0)",
            {":v0": {"L": [{"N": "1"}]}},
        ),
        (
            UpdateAttr("sk").increment(),
            "SET #n0 = if_not_exists(#n0, :v0) + :v1",
            {":v0": {"N": "0"}, ":v1": {"N": "1"}},
        ),
        (UpdateAttr("sk").increment(-2, if_not_exists=False), "SET #n0 = #n0 + :v0", {":v0": {"N": "-2"}}),
        (UpdateAttr("at").set(WHEN), "SET #n0 = :v0", {":v0": {"N": "1767225600"}}),
        (
            UpdateAttr("address.lines[1].at").set(WHEN),
            "SET #n0.#n1[1].#n2 = :v0",
            {":v0": {"N": "1767225600"}},
        ),
        (UpdateAttr("level").set(Level.HIGH), "SET #n0 = :v0", {":v0": {"N": "2"}}),
    ],
)
def test_update_actions(action: UpdateAttr, text: str, values: dict[str, Any]) -> None:
    rendered, _, got = update([action])
    assert (rendered, got) == (text, values)


def test_clauses_come_in_a_fixed_order_and_actions_in_the_callers() -> None:
    rendered, names, values = update(
        [
            UpdateAttr("tags").delete({"x"}),
            UpdateAttr("sk").add(1),
            UpdateAttr("lines").remove(),
            UpdateAttr("level").set(Level.LOW),
            UpdateAttr("at").set(WHEN),
        ]
    )
    assert rendered == "SET #n0 = :v0, #n1 = :v1 REMOVE #n2 ADD #n3 :v2 DELETE #n4 :v3"
    assert names == {"#n0": "level", "#n1": "at", "#n2": "lines", "#n3": "sk", "#n4": "tags"}
    assert values == {":v0": {"N": "1"}, ":v1": {"N": "1767225600"}, ":v2": {"N": "1"}, ":v3": {"SS": ["x"]}}


def test_update_errors() -> None:
    with pytest.raises(ValueError, match="must contain at least one UpdateAttr action"):
        update([])
    with pytest.raises(
        ValueError, match=r"UpdateAttr\('sk'\) has no action; call set/remove/add/delete/append on it"
    ):
        update([UpdateAttr("sk")])
    with pytest.raises(ValueError, match="overlapping paths 'lines' and 'lines\\[0\\]'"):
        update([UpdateAttr("lines").set([]), UpdateAttr("lines[0]").remove()])
    with pytest.raises(ValueError, match=r"overlapping paths 'address' and 'address\.city'"):
        update([UpdateAttr("address").remove(), UpdateAttr("address.city").set("x")])
    with pytest.raises(ValueError, match="traverses list field"):
        update([UpdateAttr("lines.sku").set("x")])
    with pytest.raises(ValueError, match="has no empty sets"):
        update([UpdateAttr("tags").add(set())])
    with pytest.raises(TypeError, match="collection of UpdateAttr"):
        update(UpdateAttr("sk").set(1))
    with pytest.raises(TypeError, match="holds UpdateAttr actions"):
        update([Attr("sk")])
    assert update("REMOVE legacy") == ("REMOVE legacy", {}, {})  # a string: verbatim


def test_update_attr_recording() -> None:
    with pytest.raises(TypeError, match="ADD requires a number or set"):
        UpdateAttr("n").add("x")  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(TypeError, match="ADD requires a number or set"):
        UpdateAttr("n").add(True)
    with pytest.raises(TypeError, match="DELETE requires a set"):
        UpdateAttr("s").delete(["x"])  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(TypeError, match="append\\(\\) requires a list"):
        UpdateAttr("l").append((1,))  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(TypeError, match="increment\\(\\) takes a number"):
        UpdateAttr("n").increment("1")  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(ValueError, match="if_not_exists cannot be combined with set\\(None\\)"):
        UpdateAttr("n").set(None, if_not_exists=True)
    with pytest.raises(TypeError, match="List index must be an integer"):
        UpdateAttr("l").remove(True)
    with pytest.raises(ValueError, match="List index must be non-negative"):
        UpdateAttr("l").remove(-1)
    with pytest.raises(ValueError, match="already ends with a list index"):
        UpdateAttr("l[0]").remove(1)
    action = UpdateAttr("n").add(1)
    assert (action.type, action.value) == (Action.ADD, 1)
    assert not hasattr(UpdateAttr("n"), "type")
    # Equal actions collapse in a set; different actions on one path do not.
    assert len({UpdateAttr("a").set([1]), UpdateAttr("a").set([1])}) == 1
    assert len({UpdateAttr("a").set([1]), UpdateAttr("a").append([1]), UpdateAttr("a").remove()}) == 3


# --- projections and whole requests ----------------------------------------------------------


def test_projection_paths() -> None:
    built = build_expressions(
        Thing,
        projection_expression=[
            ProjectionAttr("pk"),
            ProjectionAttr("address.lines[0].sku"),
            ProjectionAttr("lines[2]"),
            ProjectionAttr("pk"),  # sent once
            "tags",
        ],
    )
    assert built == {
        "ProjectionExpression": "#n0, #n1.#n2[0].#n3, #n2[2], #n4",
        "ExpressionAttributeNames": {
            "#n0": "pk",
            "#n1": "address",
            "#n2": "lines",
            "#n3": "sku",
            "#n4": "tags",
        },
    }
    with pytest.raises(ValueError, match="at least one ProjectionAttr"):
        build_expressions(Thing, projection_expression=[])
    with pytest.raises(TypeError, match="list of ProjectionAttr"):
        build_expressions(Thing, projection_expression=ProjectionAttr("pk"))
    with pytest.raises(ValueError, match="traverses list field"):
        build_expressions(Thing, projection_expression=[ProjectionAttr("lines.sku")])


def test_one_request_shares_one_numbering() -> None:
    built = build_expressions(
        Thing,
        key_condition_expression=Key("pk").eq("a") & Key("sk").between(1, 9),
        filter_expression=Attr("address.city").eq("Oslo") & Attr("at").lt(WHEN),
        projection_expression=[ProjectionAttr("sk"), ProjectionAttr("address.city")],
    )
    assert built == {
        "KeyConditionExpression": "(#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2)",
        "FilterExpression": "(#n2.#n3 = :v3 AND #n4 < :v4)",
        "ProjectionExpression": "#n1, #n2.#n3",
        "ExpressionAttributeNames": {"#n0": "pk", "#n1": "sk", "#n2": "address", "#n3": "city", "#n4": "at"},
        "ExpressionAttributeValues": {
            ":v0": {"S": "a"},
            ":v1": {"N": "1"},
            ":v2": {"N": "9"},
            ":v3": {"S": "Oslo"},
            ":v4": {"N": "1767225600"},
        },
    }
    built = build_expressions(
        Thing,
        condition_expression=Attr("sk").lt(5),
        update_expression=[UpdateAttr("sk").increment(), UpdateAttr("tags").remove()],
    )
    assert built == {
        "ConditionExpression": "#n0 < :v0",
        "UpdateExpression": "SET #n0 = if_not_exists(#n0, :v1) + :v2 REMOVE #n1",
        "ExpressionAttributeNames": {"#n0": "sk", "#n1": "tags"},
        "ExpressionAttributeValues": {":v0": {"N": "5"}, ":v1": {"N": "0"}, ":v2": {"N": "1"}},
    }
    assert build_expressions(Thing) == {}


def test_placeholders_continue_a_numbering() -> None:
    placeholders = Placeholders(name_start=3, value_start=5)
    assert (placeholders.name("a"), placeholders.name("b"), placeholders.name("a")) == ("#n3", "#n4", "#n3")
    assert (placeholders.value({"S": "x"}), placeholders.value({"S": "x"})) == (":v5", ":v6")
    assert placeholders.members() == {
        "ExpressionAttributeNames": {"#n3": "a", "#n4": "b"},
        "ExpressionAttributeValues": {":v5": {"S": "x"}, ":v6": {"S": "x"}},
    }
    assert Placeholders().members() == {}


# --- the published builder classes ------------------------------------------------------------


def test_published_condition_builder() -> None:
    builder = CustomConditionExpressionBuilder(Thing)
    assert isinstance(builder, ConditionExpressionBuilder)
    key = builder.build_expression(Key("pk").eq("a") & Key("at").gte(WHEN), is_key_condition=True)
    assert key.condition_expression == "(#n0 = :v0 AND #n1 >= :v1)"
    assert key.attribute_name_placeholders == {"#n0": "pk", "#n1": "at"}
    # Values in boto3's resource form (numbers as Decimal), as the published builder returned them.
    assert key.attribute_value_placeholders == {":v0": "a", ":v1": Decimal(1767225600)}
    # Numbering goes on across calls, as boto3's builder does, so two expressions never collide.
    filtered = builder.build_expression(Attr("tags").contains("x"))
    assert (filtered.condition_expression, filtered.attribute_name_placeholders) == (
        "contains(#n2, :v2)",
        {"#n2": "tags"},
    )
    builder.reset()
    assert builder.build_expression(Attr("pk").eq("b")).condition_expression == "#n0 = :v0"


def test_published_update_and_projection_builders() -> None:
    builder = UpdateExpressionBuilder(Thing)
    condition = builder.build_expression(Attr("sk").exists())
    built = builder.build_update_expression({UpdateAttr("at").set(WHEN)})
    assert condition.condition_expression == "attribute_exists(#n0)"
    assert built == BuiltUpdateExpression("SET #n1 = :v0", {"#n1": "at"}, {":v0": Decimal(1767225600)})
    projection = ProjectionExpressionBuilder(Thing).build_projection_expression(
        [ProjectionAttr("address.city")]
    )
    assert projection == BuiltProjectionExpression("#n0.#n1", {"#n0": "address", "#n1": "city"})
