"""DynamoDB's messages for the legacy (pre-expression) parameters, word for word.

The parameters are Expected, ConditionalOperator, QueryFilter, ScanFilter, KeyConditions and
AttributeUpdates (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html).
Sources, best first: tests run against DynamoDB (the ExtendDB suite, 2026; ScyllaDB's alternator
tests; dynalite's tests, whose messages ``[DYN]`` marks), then DynamoDB Local's own code ``[DDBL]``
(Amazon's emulator, decompiled) where no test pins a text. A ``{name}`` is filled in by the caller.
"""

from __future__ import annotations

from ..messages import PARAM_INVALID

# The enums DynamoDB echoes in its constraint messages (ComparisonOperator, ConditionalOperator,
# AttributeUpdates' Action) are the member tables' (``members.common``), in DynamoDB's order.

# --- Expected: the shape of one ExpectedAttributeValue ([DYN], [DDBL] for the order) --------------
EXISTS_WITH_OPERATOR = (
    PARAM_INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: {name}"
)
VALUE_WITH_LIST = PARAM_INVALID + "Value and AttributeValueList cannot be used together for Attribute: {name}"
LIST_WITHOUT_OPERATOR = (
    PARAM_INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"
)
VALUE_WHEN_NOT_EXISTS = PARAM_INVALID + "Value cannot be used when Exists is false for Attribute: {name}"
OPERATOR_WITHOUT_VALUE = (
    PARAM_INVALID
    + "Value or AttributeValueList must be used with ComparisonOperator: {operator} for Attribute: {name}"
)
# {exists} is "null" (Exists not sent) or "true".
VALUE_REQUIRED = PARAM_INVALID + "Value must be provided when Exists is {exists} for Attribute: {name}"
# [DDBL] a JSON null where an ExpectedAttributeValue belongs.
EXPECTED_NULL = PARAM_INVALID + "ExpectedAttributeValue must not be null for Attribute: {name}"

# --- the arguments of a ComparisonOperator (Expected, QueryFilter, ScanFilter, KeyConditions) -----
ARGUMENT_COUNT = PARAM_INVALID + "Invalid number of argument(s) for the {operator} ComparisonOperator"
OPERATOR_TYPE = PARAM_INVALID + "ComparisonOperator {operator} is not valid for {type} AttributeValue type"
MIXED_TYPES = PARAM_INVALID + "AttributeValues inside AttributeValueList must be of same type"
BETWEEN_BOUNDS = (
    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
)
# [DDBL] a JSON null where a Condition belongs (QueryFilter, ScanFilter, KeyConditions).
CONDITION_NULL = "The filter condition for an attribute cannot be null: {name}"

# --- ConditionalOperator (ExtendDB's tests, run against DynamoDB in 2026) -------------------------
OPERATOR_WITHOUT_CONDITIONS = "ConditionalOperator cannot be used without Filter or Expected"
OPERATOR_WITH_ONE_CONDITION = (
    "ConditionalOperator can only be used when Filter or Expected has two or more elements"
)

# --- KeyConditions (Query) -----------------------------------------------------------------------
MISSING_KEY_CONDITIONS = (
    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
)
NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"
# QueryFilter naming a key attribute of the table or index queried ([DYN] actions/query.js).
QUERY_FILTER_ON_KEY = "QueryFilter can only contain non-primary key attributes: Primary key attribute: {name}"

# --- AttributeUpdates ----------------------------------------------------------------------------
VALUE_REQUIRED_FOR_ACTION = (
    PARAM_INVALID + "Only DELETE action is allowed when no attribute value is specified"
)
DELETE_TYPE = PARAM_INVALID + "DELETE action with value is not supported for the type {type}"
ADD_TYPE = PARAM_INVALID + "ADD action is not supported for the type {type}"
TYPE_MISMATCH = "Type mismatch for attribute to update"
KEY_ATTRIBUTE = PARAM_INVALID + "Cannot update attribute {name}. This attribute is part of the key"
# [DDBL] a JSON null where an AttributeValueUpdate belongs.
UPDATE_NULL = (
    "Supplied AttributeValueUpdate is empty, must contain one of the supported actions: {name} is null"
)
# [DDBL] the names and values an AttributeUpdates writes exceed an item's size, before any is read.
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
