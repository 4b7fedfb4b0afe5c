"""The published package's public names and constructors, kept so users' code runs unchanged."""

from __future__ import annotations

import dataclasses

import pytest

import aiodynamodb
from aiodynamodb import (
    TransactConditionCheck,
    TransactDelete,
    TransactGet,
    TransactPut,
    TransactUpdate,
    UpdateAttr,
)
from aiodynamodb.custom_types import __all__ as custom_types_all

from .conftest import User

PUBLISHED_ALL = {
    "DynamoDB", "DynamoModel", "TableMeta", "BatchGet", "BatchPut", "BatchDelete", "BatchGetResult",
    "BatchWriteResult", "TransactGet", "TransactPut", "TransactDelete", "TransactConditionCheck",
    "TransactUpdate", "ProjectionAttr", "UpdateAttr", "table", "VERSION", "custom_types", "HashKey",
    "RangeKey", "ReturnValues",
}  # fmt: skip


def test_published_names_are_exported() -> None:
    assert set(aiodynamodb.__all__) >= PUBLISHED_ALL
    assert all(hasattr(aiodynamodb, name) for name in aiodynamodb.__all__)
    assert aiodynamodb.__version__ == aiodynamodb.VERSION
    assert set(custom_types_all) == {
        "Timestamp", "TimestampMillis", "TimestampMicros", "TimestampNanos", "JSONStr", "KeyT",
        "ReturnValues", "HashKey", "RangeKey",
    }  # fmt: skip


def test_transact_dataclasses_keep_the_published_constructors() -> None:
    assert [f.name for f in dataclasses.fields(TransactConditionCheck)] == [
        "model",
        "hash_key",
        "condition_expression",
        "range_key",
    ]
    with pytest.raises(TypeError):
        TransactConditionCheck(User, "u1")  # type: ignore[call-arg]  # the condition is required
    put = TransactPut(User(user_id="u", name="n"))
    assert put.model is User and put.condition_expression is None
    assert TransactGet(User, "u").projection_expression is None
    assert TransactDelete(User, "u").range_key is None
    assert TransactUpdate(User, "u", [UpdateAttr("name").set("x")]).condition_expression is None


def test_update_attrs_record_their_action() -> None:
    assert UpdateAttr("n").add(1).update is not None
    assert UpdateAttr("n").set(None).update is not None
    with pytest.raises(TypeError):
        UpdateAttr("n").add("x")
    with pytest.raises(TypeError):
        UpdateAttr("s").delete("x")
    assert len({UpdateAttr("a").set(1), UpdateAttr("a").remove()}) == 2
