"""Property (c): transactions are all or nothing, and a successful one is its actions applied.

Random sequences of TransactWriteItems calls (some actions with failing conditions, updates that
cannot be applied, two actions on one item, keys of the wrong type, missing tables, failing
conditional PutItem / DeleteItem calls in between) run against a fake and against a dict model of
two tables, over a key pool small enough that actions collide. The model predicts each call's
outcome in DynamoDB's order (missing table, key schema, duplicates, then conditions and updates,
one reason per action): a call that fails must leave every table exactly as it was (byte for byte),
and one that succeeds must leave what the model reaches by applying its actions in order. Every
step ends with the stores' own invariant checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from aiodynamodb.errors import (
    ConditionalCheckFailedException,
    DynamoDBError,
    ResourceNotFoundException,
    TransactionCanceledException,
    ValidationException,
)
from aiodynamodb_fake import FakeDynamoDB
from tests.fake.operations.builders import create_table
from tests.properties.conftest import snapshot
from tests.support.tables import property_settings

TABLES = {"txn": ("pk", "sk"), "hashed": ("id", None)}  # name -> (hash key, range key)
PKS = ("a", "b", "c", "d")
SKS = (1, 2)
Key = tuple[str, str, int | None]  # (table, hash value, range value)
Model = dict[Key, dict[str, int]]  # key -> the item's non-key attribute "n" (absent or an int)

CONDITIONS = (None, "attribute_exists(#k)", "attribute_not_exists(#k)", "n = :c", "n < :c")
UPDATES = ("SET n = :v", "ADD n :v", "REMOVE n", "SET n = n + :v")


@dataclass(frozen=True)
class Action:
    kind: str  # Put, Update, Delete, ConditionCheck
    key: Key
    condition: str | None
    operand: int  # :c for the condition, :v for the update, n for a put
    update: str = ""
    bad: str = ""  # "", "type" (a wrong key type) or "table" (a table that does not exist)


@dataclass
class Outcome:
    error: type[DynamoDBError] | None
    codes: list[str] = field(default_factory=list)


def keys() -> st.SearchStrategy[Key]:
    return st.one_of(
        st.tuples(st.just("txn"), st.sampled_from(PKS), st.sampled_from(SKS)),
        st.tuples(st.just("hashed"), st.sampled_from(PKS), st.none()),
    )


conditions = st.sampled_from((None, None, *CONDITIONS))
actions = st.builds(
    Action,
    kind=st.sampled_from(("Put", "Update", "Delete", "ConditionCheck")),
    key=keys(),
    condition=conditions,
    operand=st.integers(0, 3),
    update=st.sampled_from(UPDATES),
    bad=st.sampled_from(("",) * 30 + ("type", "table")),
)
single_writes = st.builds(
    Action,
    kind=st.sampled_from(("Put", "Delete")),
    key=keys(),
    condition=conditions,
    operand=st.integers(0, 3),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("transact"), st.lists(actions, min_size=1, max_size=5)),
        st.tuples(st.just("single"), single_writes),
    ),
    min_size=1,
    max_size=12,
)


# --- requests ---------------------------------------------------------------------------------------


def key_attributes(key: Key, bad: str = "") -> dict[str, Any]:
    table, pk, sk = key
    hash_name, range_name = TABLES[table]
    attributes: dict[str, Any] = {hash_name: {"N": "1"} if bad == "type" else {"S": pk}}
    if range_name is not None:
        attributes[range_name] = {"N": str(sk)}
    return attributes


def body(action: Action) -> dict[str, Any]:
    table = "missing" if action.bad == "table" else action.key[0]
    attributes = key_attributes(action.key, action.bad)
    request: dict[str, Any] = {"TableName": table}
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    if action.kind == "Put":
        request["Item"] = {**attributes, "n": {"N": str(action.operand)}}
    else:
        request["Key"] = attributes
    if action.kind == "Update":
        request["UpdateExpression"] = action.update
        if action.update != "REMOVE n":
            values[":v"] = {"N": str(action.operand)}
    condition = action.condition or ("attribute_exists(#k)" if action.kind == "ConditionCheck" else None)
    if condition is not None:
        request["ConditionExpression"] = condition
        if "#k" in condition:
            names["#k"] = TABLES[action.key[0]][0]
        if ":c" in condition:
            values[":c"] = {"N": str(action.operand)}
    if names:
        request["ExpressionAttributeNames"] = names
    if values:
        request["ExpressionAttributeValues"] = values
    return request


# --- the model --------------------------------------------------------------------------------------


def holds(condition: str | None, stored: dict[str, int] | None, operand: int) -> bool:
    if condition is None:
        return True
    if condition == "attribute_exists(#k)":
        return stored is not None
    if condition == "attribute_not_exists(#k)":
        return stored is None
    n = None if stored is None else stored.get("n")
    if n is None:
        return False
    return n == operand if condition == "n = :c" else n < operand


def predict(model: Model, batch: list[Action]) -> tuple[Outcome, Model]:
    """The outcome DynamoDB gives ``batch`` and the model after it."""
    if any(action.bad == "table" for action in batch):
        return Outcome(ResourceNotFoundException), model
    first_bad = next((i for i, action in enumerate(batch) if action.bad == "type"), None)
    if first_bad is not None:
        codes = ["ValidationError" if i == first_bad else "None" for i in range(len(batch))]
        return Outcome(TransactionCanceledException, codes), model
    if len({action.key for action in batch}) < len(batch):
        return Outcome(ValidationException), model
    after = dict(model)
    codes: list[str] = []
    for action in batch:
        stored = model.get(action.key)
        condition = action.condition or ("attribute_exists(#k)" if action.kind == "ConditionCheck" else None)
        if not holds(condition, stored, action.operand):
            codes.append("ConditionalCheckFailed")
            continue
        if action.kind == "Update" and action.update == "SET n = n + :v" and (stored or {}).get("n") is None:
            codes.append("ValidationError")
            continue
        codes.append("None")
        after = apply_one(after, action, stored)
    if any(code != "None" for code in codes):
        return Outcome(TransactionCanceledException, codes), model
    return Outcome(None), after


def apply_one(model: Model, action: Action, stored: dict[str, int] | None) -> Model:
    model = dict(model)
    if action.kind == "Put":
        model[action.key] = {"n": action.operand}
    elif action.kind == "Delete":
        model.pop(action.key, None)
    elif action.kind == "Update":
        attributes = dict(stored or {})
        if action.update == "SET n = :v":
            attributes["n"] = action.operand
        elif action.update == "ADD n :v":
            attributes["n"] = attributes.get("n", 0) + action.operand
        elif action.update == "REMOVE n":
            attributes.pop("n", None)
        else:
            attributes["n"] = attributes["n"] + action.operand
        model[action.key] = attributes
    return model


def rendered(model: Model, table: str) -> list[dict[str, Any]]:
    found = []
    for key, attributes in model.items():
        if key[0] == table:
            extra = {name: {"N": str(value)} for name, value in attributes.items()}
            found.append({**key_attributes(key), **extra})
    return sorted(found, key=sort_key)


def sort_key(stored: dict[str, Any]) -> tuple[str, int]:
    hash_value = stored.get("pk", stored.get("id"))
    assert hash_value is not None
    return hash_value["S"], int(stored.get("sk", {"N": "0"})["N"])


# --- the property -----------------------------------------------------------------------------------


def run_step(fake: FakeDynamoDB, model: Model, step: tuple[str, Any]) -> Model:
    kind, payload = step
    if kind == "single":
        action: Action = payload
        outcome_ok = holds(action.condition, model.get(action.key), action.operand)
        request = body(action)
        operation = "PutItem" if action.kind == "Put" else "DeleteItem"
        expected = Outcome(None if outcome_ok else ConditionalCheckFailedException)
        after = apply_one(model, action, model.get(action.key)) if outcome_ok else model
    else:
        batch: list[Action] = payload
        request = {"TransactItems": [{action.kind: body(action)} for action in batch]}
        operation = "TransactWriteItems"
        expected, after = predict(model, batch)
    event(f"{operation}: {'ok' if expected.error is None else expected.error.__name__}")
    before = snapshot(fake)
    try:
        fake.call_sync(operation, request)
    except DynamoDBError as error:
        assert expected.error is not None, f"{operation} failed: {error.code}: {error.message}"
        assert isinstance(error, expected.error), (error.code, error.message)
        if isinstance(error, TransactionCanceledException):
            assert [reason["Code"] for reason in error.cancellation_reasons] == expected.codes
        assert snapshot(fake) == before
    else:
        assert expected.error is None, f"{operation} succeeded; expected {expected.error.__name__}"
    fake._check()
    for table in TABLES:
        assert sorted(fake.items(table), key=sort_key) == rendered(after, table)
    return after


@given(steps=steps)
@property_settings(200)
def test_transactions_are_all_or_nothing(steps: list[tuple[str, Any]]) -> None:
    fake = FakeDynamoDB()
    create_table(fake, "txn", hash_key=("pk", "S"), range_key=("sk", "N"))
    create_table(fake, "hashed", hash_key=("id", "S"), range_key=None)
    model: Model = {}
    for step in steps:
        model = run_step(fake, model, step)
