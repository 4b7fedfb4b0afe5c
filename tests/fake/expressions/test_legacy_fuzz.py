"""Property: malformed legacy parameters only ever raise DynamoDB's errors, never internal ones.

Valid Expected, QueryFilter, KeyConditions, AttributeUpdates and ConditionalOperator values are
spoiled in one to three places (``tests.support.fuzz.mutated``: dropped, retyped, wrapped, nested,
emptied, huge numbers, lone surrogates...) and fed to every legacy entry point; whatever gets
through is evaluated, bound and planned too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake.expressions.legacy import (
    attribute_updates,
    check_mixing,
    expected_condition,
    filter_condition,
    key_conditions,
)
from aiodynamodb_fake.schema import KeySchema
from tests.support.fuzz import mutated
from tests.support.tables import property_settings

VALUES = st.sampled_from(
    [{"S": "a"}, {"N": "1"}, {"B": b"x"}, {"SS": ["a"]}, {"L": [{"N": "2"}]}, {"BOOL": True}]
)
OPERATORS = st.sampled_from(
    ["EQ", "NE", "IN", "BETWEEN", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH", "GT"]
)
CONDITION = st.fixed_dictionaries(
    {"ComparisonOperator": OPERATORS, "AttributeValueList": st.lists(VALUES, max_size=2)}
)
EXPECTED = st.one_of(
    CONDITION,
    st.fixed_dictionaries({}, optional={"Value": VALUES, "Exists": st.booleans()}),
)
UPDATE = st.fixed_dictionaries(
    {}, optional={"Action": st.sampled_from(["ADD", "PUT", "DELETE"]), "Value": VALUES}
)
NAMES = st.sampled_from(["pk", "sk", "a", "b"])
BASE = st.fixed_dictionaries(
    {
        "Expected": st.dictionaries(NAMES, EXPECTED, max_size=3),
        "QueryFilter": st.dictionaries(NAMES, CONDITION, max_size=3),
        "KeyConditions": st.dictionaries(NAMES, CONDITION, min_size=1, max_size=2),
        "AttributeUpdates": st.dictionaries(NAMES, UPDATE, max_size=3),
        "ConditionalOperator": st.sampled_from(["AND", "OR"]),
    }
)
SCHEMA = KeySchema("pk", "S", "sk", "N")


def _quietly(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except DynamoDBError:
        return None


@given(request=mutated(BASE))
@property_settings(200)
def test_malformed_legacy_parameters_raise_only_dynamodb_errors(request: Any) -> None:
    exercise(request)


def exercise(request: Any) -> None:
    """Every entry point on ``request``'s legacy members; DynamoDB's errors are expected."""
    if not isinstance(request, Mapping):
        request = {"Expected": request}
    operator = request.get("ConditionalOperator")
    for call in (
        lambda: expected_condition(request.get("Expected"), operator),
        lambda: expected_condition(request.get("Expected"), None),
        lambda: filter_condition(request.get("QueryFilter"), operator, "QueryFilter"),
        lambda: filter_condition(request.get("QueryFilter"), None, "ScanFilter"),
    ):
        condition = _quietly(call)
        if condition is not None:
            condition.evaluate({"a": {"S": "a"}, "b": {"L": [{"N": "2"}]}})
            condition.evaluate(None)
    terms = _quietly(lambda: key_conditions(request.get("KeyConditions")))
    if terms is not None:
        _quietly(lambda: terms.bind(SCHEMA))
    update = _quietly(lambda: attribute_updates(request.get("AttributeUpdates")))
    if update is not None:
        stored = {"pk": {"S": "k"}, "a": {"SS": ["a"]}, "b": {"N": "3"}}
        _quietly(lambda: update.plan(stored, {"pk": {"S": "k"}}))
        _quietly(lambda: update.plan(None, {"pk": {"S": "k"}}))
    _quietly(lambda: check_mixing(request, legacy=("Expected",), expression=("ConditionExpression",)))
