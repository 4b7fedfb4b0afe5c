"""The legacy (pre-expression) parameters users' older code still sends, in one place.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
Each legacy parameter becomes the expression engine's own object, so evaluation and planning are
shared: Expected, QueryFilter and ScanFilter a ``ConditionExpression`` (``legacy_conditions``),
KeyConditions ``KeyTerms`` (``legacy_keys``), AttributeUpdates a ``LegacyUpdate`` whose ``plan``
gives an ``UpdateResult`` (``legacy_updates``); AttributesToGet is ``projection``'s. This module
adds the rule that spans them: a request may not mix legacy and expression parameters
(``check_mixing``). Operation modules import from here.

Where an operation calls what (DynamoDB's order, dynalite's validations/*.js and ExtendDB's tests
run against DynamoDB): ``check_mixing`` first, right after the member table (whose
``members.common`` entries hold the legacy members' kinds and constraints; ``expected_constraints``
/ ``condition_constraints`` / ``update_constraints`` / ``conditional_operator_constraints`` record
the same violations, for an envelope of a caller's own); then the item's or key's values; then
``attribute_updates`` (UpdateItem), ``expected_condition`` (Put/Delete/UpdateItem),
``filter_condition`` (Query, Scan: before Query's missing-key-condition error), the expressions,
and ``key_conditions`` (Query); with the table, ``LegacyKeyTerms.bind``, ``check_query_filter`` and
``LegacyUpdate.check_table``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiodynamodb.errors import ValidationException

from .. import messages as base_msg
from .legacy_conditions import (
    ComparisonTest,
    check_query_filter,
    condition_constraints,
    conditional_operator_constraints,
    expected_condition,
    expected_constraints,
    filter_condition,
    validate_arguments,
)
from .legacy_keys import LegacyKeyTerms, key_conditions
from .legacy_updates import LegacyUpdate, UpdateAction, attribute_updates, update_constraints

__all__ = [
    "DELETE_ITEM_PARAMETERS",
    "EXPRESSION_PARAMETERS",
    "GET_ITEM_PARAMETERS",
    "LEGACY_PARAMETERS",
    "PUT_ITEM_PARAMETERS",
    "QUERY_PARAMETERS",
    "SCAN_PARAMETERS",
    "UPDATE_ITEM_PARAMETERS",
    "ComparisonTest",
    "LegacyKeyTerms",
    "LegacyUpdate",
    "UpdateAction",
    "attribute_updates",
    "check_mixing",
    "check_query_filter",
    "condition_constraints",
    "conditional_operator_constraints",
    "expected_condition",
    "expected_constraints",
    "filter_condition",
    "key_conditions",
    "update_constraints",
    "validate_arguments",
]

# The order DynamoDB lists each side in, whatever the request's order (ExtendDB's and dynalite's
# tests, run against DynamoDB; DynamoDB Local builds its message in the same order).
LEGACY_PARAMETERS = (
    "AttributeUpdates",
    "AttributesToGet",
    "Expected",
    "QueryFilter",
    "ScanFilter",
    "ConditionalOperator",
    "KeyConditions",
)
EXPRESSION_PARAMETERS = (
    "UpdateExpression",
    "ProjectionExpression",
    "ConditionExpression",
    "FilterExpression",
    "KeyConditionExpression",
)

# Each operation's (legacy, expression) parameters, for
# ``check_mixing(request, legacy=QUERY_PARAMETERS[0], expression=QUERY_PARAMETERS[1])``.
GET_ITEM_PARAMETERS = (("AttributesToGet",), ("ProjectionExpression",))
PUT_ITEM_PARAMETERS = (("Expected", "ConditionalOperator"), ("ConditionExpression",))
DELETE_ITEM_PARAMETERS = PUT_ITEM_PARAMETERS
UPDATE_ITEM_PARAMETERS = (
    ("AttributeUpdates", "Expected", "ConditionalOperator"),
    ("UpdateExpression", "ConditionExpression"),
)
QUERY_PARAMETERS = (
    ("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"),
    ("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
)
SCAN_PARAMETERS = (
    ("AttributesToGet", "ScanFilter", "ConditionalOperator"),
    ("ProjectionExpression", "FilterExpression"),
)


def check_mixing(request: Mapping[str, Any], *, legacy: Sequence[str], expression: Sequence[str]) -> None:
    """Refuse a request sending both a legacy and an expression parameter of the operation.

    ``legacy`` and ``expression`` name the operation's parameters of each kind (the tuples above);
    the message lists those present, each side in DynamoDB's fixed order (``LEGACY_PARAMETERS``,
    ``EXPRESSION_PARAMETERS``), joined by ``, ``. KeyConditions counts only beside a
    KeyConditionExpression: with another expression parameter (a FilterExpression, a
    ProjectionExpression) it is accepted. A parameter sent as JSON null counts as absent.
    """
    unknown = [name for name in legacy if name not in LEGACY_PARAMETERS]
    unknown += [name for name in expression if name not in EXPRESSION_PARAMETERS]
    if unknown:
        raise ValueError(f"not a legacy or expression parameter of its kind: {unknown[0]}")
    present_expressions = [
        name for name in EXPRESSION_PARAMETERS if name in expression and request.get(name) is not None
    ]
    if not present_expressions:
        return
    present_legacy = [name for name in LEGACY_PARAMETERS if name in legacy and request.get(name) is not None]
    if "KeyConditions" in present_legacy and request.get("KeyConditionExpression") is None:
        present_legacy.remove("KeyConditions")
    if present_legacy:
        raise ValidationException(
            base_msg.EXPRESSION_AND_LEGACY.format(
                legacy=", ".join(present_legacy), expression=", ".join(present_expressions)
            )
        )
