"""The shared API of conditional writes (``_conditional``, ``_update``) that PutItem, DeleteItem,
UpdateItem and TransactWriteItems build on, and properties of the three single-item writes: a
rejected write changes nothing, an accepted UpdateItem stores exactly what ``UpdateExpression.plan``
computes, and a conditional Put or Delete happens exactly when its condition holds."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import ConditionalCheckFailedException, DynamoDBError, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.operations._conditional import (
    WriteExpressions,
    condition_holds,
    condition_refusal,
    parse_write_expressions,
)
from aiodynamodb_fake.operations._update import (
    UpdatedItem,
    check_update_paths,
    return_values,
    updated_item,
)
from aiodynamodb_fake.values import validate_item
from tests.fake.operations.builders import create_table
from tests.support.expression_model import ITEM_NAMES, items, paths, to_av, to_av_item, values
from tests.support.tables import property_settings

# --- parse_write_expressions ----------------------------------------------------------------------


def test_condition_check_reads_only_its_condition() -> None:
    request = {
        "ConditionExpression": "attribute_exists(#a) AND b = :b",
        "UpdateExpression": "this is not read",
        "ExpressionAttributeNames": {"#a": "a"},
        "ExpressionAttributeValues": {":b": {"N": "01"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    parsed = parse_write_expressions(request, operation="ConditionCheck")
    assert parsed.update is None
    assert parsed.return_old_on_failure is True
    assert parsed.condition is not None
    assert parsed.condition.evaluate({"a": {"S": "x"}, "b": {"N": "1"}})
    assert not condition_holds(parsed, None)


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (
            "ConditionCheck",
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
        ),
        (
            "PutItem",
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
        ),
        (
            "UpdateItem",
            "ExpressionAttributeValues can only be specified when using expressions: "
            "UpdateExpression and ConditionExpression are null",
        ),
    ],
)
def test_values_without_expressions(operation: str, message: str) -> None:
    with pytest.raises(ValidationException) as caught:
        parse_write_expressions({"ExpressionAttributeValues": {":v": {"S": "x"}}}, operation=operation)
    assert caught.value.message == message


@pytest.mark.parametrize(("on_failure", "returned"), [("ALL_OLD", True), ("NONE", False), (None, False)])
def test_return_values_on_condition_check_failure_is_read_as_checked(
    on_failure: str | None, returned: bool
) -> None:
    """The member's enum is its table's (``members``), checked before: here it is only read."""
    request = {
        "ConditionExpression": "attribute_exists(a)",
        "ReturnValuesOnConditionCheckFailure": on_failure,
    }
    assert parse_write_expressions(request, operation="PutItem").return_old_on_failure is returned


def test_update_expression_for_update_item_only() -> None:
    request = {"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}
    parsed = parse_write_expressions(request, operation="UpdateItem")
    assert parsed == WriteExpressions(None, parsed.update, False)
    assert parsed.update is not None and parsed.update.plan(None, {"k": {"S": "1"}}).item == {
        "k": {"S": "1"},
        "a": {"S": "x"},
    }
    with pytest.raises(ValidationException) as caught:
        parse_write_expressions(request, operation="PutItem")  # UpdateExpression is not PutItem's
    assert caught.value.message == (
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"
    )
    legacy = parse_write_expressions({"AttributeUpdates": {}}, operation="UpdateItem")
    assert legacy.attribute_updates is not None and legacy.attribute_updates.actions == ()
    assert legacy.changes is legacy.attribute_updates and parsed.changes is parsed.update
    # a PutItem has no AttributeUpdates: the member is not read
    assert parse_write_expressions({"AttributeUpdates": 5}, operation="PutItem") == WriteExpressions(
        None, None, False
    )


def test_expected_becomes_the_condition() -> None:
    request = {"Expected": {"a": {"Exists": False}, "b": {"Value": {"N": "1"}}}, "ConditionalOperator": "OR"}
    parsed = parse_write_expressions(request, operation="DeleteItem")
    assert parsed.update is None and parsed.attribute_updates is None
    assert condition_holds(parsed, None)
    assert condition_holds(parsed, {"a": {"S": "x"}, "b": {"N": "1.0"}})
    assert not condition_holds(parsed, {"a": {"S": "x"}, "b": {"N": "2"}})
    with pytest.raises(ValidationException) as caught:
        parse_write_expressions({**request, "ConditionalOperator": "XOR"}, operation="PutItem")
    assert caught.value.message == (
        "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OR, AND]"
    )
    # a ConditionCheck (a transaction's) has no legacy members: they are not read
    assert parse_write_expressions(request, operation="ConditionCheck") == WriteExpressions(None, None, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.return_old_on_failure = True  # type: ignore[misc]  # checking it is frozen


def test_condition_refusal() -> None:
    never = parse_write_expressions({"ConditionExpression": "attribute_exists(nothing)"}, operation="PutItem")
    refused = condition_refusal(never, {"a": {"S": "x"}})
    assert isinstance(refused, ConditionalCheckFailedException)
    assert refused.message == "The conditional request failed"
    assert "Item" not in refused.response
    asked = dataclasses.replace(never, return_old_on_failure=True)
    refused = condition_refusal(asked, {"a": {"S": "x"}})
    assert isinstance(refused, ConditionalCheckFailedException)
    assert refused.item == {"a": {"S": "x"}}
    refused = condition_refusal(asked, None)
    assert isinstance(refused, ConditionalCheckFailedException)
    assert refused.item is None
    assert (
        condition_refusal(WriteExpressions(None, None, True), None) is None
    )  # no condition: nothing to fail


# --- updated_item and return_values ---------------------------------------------------------------


def test_updated_item_changes_nothing_it_is_given(fake: FakeDynamoDB, table: str) -> None:
    state_table = fake.state.tables[table]
    old: dict[str, dict[str, Any]] = {
        "pk": {"S": "a"},
        "sk": {"N": "1"},
        "m": {"M": {"x": {"L": [{"N": "1"}]}}},
    }
    snapshot = validate_item(old)[0]
    request = {
        "UpdateExpression": "SET m.x[0] = :n, m.y = m.x",
        "ExpressionAttributeValues": {":n": {"N": "2"}},
    }
    update = parse_write_expressions(request, operation="UpdateItem").update
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    new = updated_item(state_table, key, old, update)
    assert old == snapshot
    assert new.item == {
        "pk": {"S": "a"},
        "sk": {"N": "1"},
        "m": {"M": {"x": {"L": [{"N": "2"}]}, "y": {"L": [{"N": "1"}]}}},
    }
    assert new.size == validate_item(new.item)[1]
    assert return_values("UPDATED_OLD", old, new) == {"m": {"M": {"x": {"L": [{"N": "1"}]}}}}
    assert return_values("UPDATED_NEW", old, new) == {
        "m": {"M": {"x": {"L": [{"N": "2"}]}, "y": {"L": [{"N": "1"}]}}}
    }
    assert return_values("NONE", old, new) is None
    assert return_values(None, old, new) is None
    bare = updated_item(state_table, key, None, None)
    assert bare == UpdatedItem(key, validate_item(key)[1], None)
    assert return_values("UPDATED_NEW", None, bare) is None
    check_update_paths(state_table, None)  # nothing to check without an UpdateExpression


# --- properties -----------------------------------------------------------------------------------

TABLE = "props"
KEY = {"pk": {"S": "k"}}


def _render(path: tuple[str | int, ...]) -> str:
    text = str(path[0])
    for step in path[1:]:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


class _Values:
    """ExpressionAttributeValues built as an expression is drawn: each value gets the next ``:vN``."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, Any]] = {}

    def add(self, value: dict[str, Any]) -> str:
        name = f":v{len(self.values)}"
        self.values[name] = value
        return name


def _set_operand(draw: st.DrawFn, bound: _Values, source: str) -> str:
    shape = draw(st.sampled_from(["value", "path", "plus", "append", "if_not_exists"]))
    if shape == "value":
        return bound.add(to_av(draw(values())))
    if shape == "path":
        return source
    if shape == "plus":
        return f"{source} + {bound.add({'N': str(draw(st.integers(-3, 3)))})}"
    if shape == "append":
        return f"list_append({source}, {bound.add({'L': [to_av(draw(values()))]})})"
    return f"if_not_exists({source}, {bound.add(to_av(draw(values())))})"


# operands read top-level attributes half the time: a random nested path is seldom there
_SOURCES = st.one_of(st.sampled_from(ITEM_NAMES).map(lambda name: (name,)), paths())


@st.composite
def update_expressions(draw: st.DrawFn, bound: _Values) -> str:
    """One to four actions of every kind, on paths of up to three levels under distinct attributes
    (so that most expressions are valid), now and then under the key attribute."""
    clauses: dict[str, list[str]] = {}
    tops = draw(st.permutations(ITEM_NAMES))
    for number in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["SET", "SET", "REMOVE", "ADD", "DELETE"]))
        top = "pk" if draw(st.integers(0, 29)) == 29 else tops[number]  # 0 is what shrinking favours
        target = _render((top, *draw(paths())[1:]))
        if kind == "SET":
            operand = _set_operand(draw, bound, _render(draw(_SOURCES)))
            clauses.setdefault(kind, []).append(f"{target} = {operand}")
        elif kind == "REMOVE":
            clauses.setdefault(kind, []).append(target)
        else:
            numbers = st.integers(-3, 3).map(lambda n: {"N": str(n)})
            operand_value = draw(
                st.one_of(numbers, st.just({"SS": ["a", "b"]})) if kind == "ADD" else st.just({"SS": ["a"]})
            )
            clauses.setdefault(kind, []).append(f"{top} {bound.add(operand_value)}")
    return " ".join(f"{keyword} {', '.join(actions)}" for keyword, actions in clauses.items())


@st.composite
def conditions(draw: st.DrawFn, bound: _Values) -> str | None:
    """No condition, or one test of a path of the item."""
    path = _render(draw(paths()))
    shape = draw(st.sampled_from(["none", "none", "exists", "not_exists", "not_exists", "equals", "size"]))
    if shape == "none":
        return None
    if shape == "exists":
        return f"attribute_exists({path})"
    if shape == "not_exists":
        return f"attribute_not_exists({path})"
    if shape == "equals":
        return f"{path} = {bound.add(to_av(draw(values())))}"
    return f"size({path}) > {bound.add({'N': '1'})}"


def _fresh(stored: dict[str, Any] | None) -> FakeDynamoDB:
    fake = FakeDynamoDB()
    create_table(fake, TABLE, range_key=None)
    if stored is not None:
        fake.call_sync("PutItem", {"TableName": TABLE, "Item": {**to_av_item(stored), **KEY}})
    return fake


def _stored(fake: FakeDynamoDB) -> dict[str, Any] | None:
    found = fake.items(TABLE)
    return found[0] if found else None


def _expected_update(fake: FakeDynamoDB, request: dict[str, Any], old: dict[str, Any] | None) -> Any:
    """What UpdateItem must do, from the parts: the new item, or the error (class, message)."""
    try:
        expressions = parse_write_expressions(request, operation="UpdateItem")
        check_update_paths(fake.state.tables[TABLE], expressions.update)
        refused = condition_refusal(expressions, old)
        if refused is not None:
            raise refused
        assert expressions.update is not None
        planned = expressions.update.plan(old, KEY)
    except DynamoDBError as error:
        return type(error), error.message
    return validate_item(planned.item)[0]


@given(stored=st.none() | items(), data=st.data())
@property_settings(max_examples=300)
def test_update_item_is_plan_or_nothing(stored: dict[str, Any] | None, data: st.DataObject) -> None:
    fake = _fresh(stored)
    old = _stored(fake)
    bound = _Values()
    request: dict[str, Any] = {
        "TableName": TABLE,
        "Key": KEY,
        "UpdateExpression": data.draw(update_expressions(bound)),
        "ReturnValues": "ALL_NEW",
    }
    condition = data.draw(conditions(bound))
    if condition is not None:
        request["ConditionExpression"] = condition
    if bound.values:
        request["ExpressionAttributeValues"] = bound.values
    expected = _expected_update(fake, request, old)
    try:
        answer = fake.call_sync("UpdateItem", request)
    except DynamoDBError as error:
        assert (type(error), error.message) == expected
        assert _stored(fake) == old  # a rejected update changes nothing
    else:
        assert _stored(fake) == expected
        assert answer == {"Attributes": expected}
    fake._check()


@given(
    stored=st.none() | items(),
    replacement=items(),
    operation=st.sampled_from(["PutItem", "DeleteItem"]),
    data=st.data(),
)
@property_settings(max_examples=200)
def test_conditional_put_and_delete_happen_exactly_when_the_condition_holds(
    stored: dict[str, Any] | None, replacement: dict[str, Any], operation: str, data: st.DataObject
) -> None:
    fake = _fresh(stored)
    old = _stored(fake)
    bound = _Values()
    condition = data.draw(conditions(bound))
    request: dict[str, Any] = {"TableName": TABLE, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    new = {**to_av_item(replacement), **KEY}
    request.update({"Item": new} if operation == "PutItem" else {"Key": KEY})
    if condition is not None:
        request["ConditionExpression"] = condition
    if bound.values:
        request["ExpressionAttributeValues"] = bound.values
    holds = condition_holds(parse_write_expressions(request, operation=operation), old)
    try:
        fake.call_sync(operation, request)
    except ConditionalCheckFailedException as error:
        assert not holds
        assert error.item == old
        assert _stored(fake) == old
    else:
        assert holds
        assert _stored(fake) == (new if operation == "PutItem" else None)
    fake._check()
