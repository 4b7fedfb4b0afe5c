"""Members several operations declare alike: the same name, kind and rules wherever they appear.

Enum values are listed in the order DynamoDB prints them in its messages, which is not always the
model's: dynalite's tests, run against DynamoDB, pin ``[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE,
UPDATED_NEW]`` for ReturnValues, ``[OR, AND]`` for ConditionalOperator and the comparison operators'
order; ``[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]`` for Select is the
reference's (§6.4). Where no source prints a set (ReturnValuesOnConditionCheckFailure, the legacy
AttributeUpdates Action) the model's order is used: a choice.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Types.html
"""

from __future__ import annotations

from typing import Final

from .. import limits
from .engine import ATTRIBUTE_VALUE, BOOLEAN, STRING, ListOf, MapOf, Member, Struct
from .rules import Enum, MinLength, NotNull, TableName

RETURN_CONSUMED_CAPACITY_VALUES: Final = ("INDEXES", "TOTAL", "NONE")
RETURN_ITEM_COLLECTION_METRICS_VALUES: Final = ("SIZE", "NONE")
RETURN_VALUES_VALUES: Final = ("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW")
RETURN_VALUES_ON_CONDITION_CHECK_FAILURE_VALUES: Final = ("ALL_OLD", "NONE")
CONDITIONAL_OPERATOR_VALUES: Final = ("OR", "AND")
COMPARISON_OPERATOR_VALUES: Final = (
    "IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE",
    "CONTAINS",
)  # fmt: skip
SELECT_VALUES: Final = ("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")
ATTRIBUTE_ACTION_VALUES: Final = ("ADD", "PUT", "DELETE")

# A data-plane TableName (or table ARN): reported alone, before every other constraint (CONF).
TABLE_NAME: Final = Member("TableName", STRING, (NotNull(), TableName()), alone=True)
# An IndexName: pattern, then 3..255 characters (dynalite's order).
INDEX_NAME: Final = Member(
    "IndexName", STRING, (TableName(min_length=limits.MIN_INDEX_NAME, arn=False, pattern_first=True),)
)

ATTRIBUTES: Final = MapOf(ATTRIBUTE_VALUE)  # an Item, a Key, ExpressionAttributeValues
KEY: Final = Member("Key", ATTRIBUTES, (NotNull(),))
ITEM: Final = Member("Item", ATTRIBUTES, (NotNull(),))
EXCLUSIVE_START_KEY: Final = Member("ExclusiveStartKey", ATTRIBUTES)

RETURN_CONSUMED_CAPACITY: Final = Member(
    "ReturnConsumedCapacity", STRING, (Enum(RETURN_CONSUMED_CAPACITY_VALUES),)
)
RETURN_ITEM_COLLECTION_METRICS: Final = Member(
    "ReturnItemCollectionMetrics", STRING, (Enum(RETURN_ITEM_COLLECTION_METRICS_VALUES),)
)
RETURN_VALUES: Final = Member("ReturnValues", STRING, (Enum(RETURN_VALUES_VALUES),))
RETURN_VALUES_ON_CONDITION_CHECK_FAILURE: Final = Member(
    "ReturnValuesOnConditionCheckFailure", STRING, (Enum(RETURN_VALUES_ON_CONDITION_CHECK_FAILURE_VALUES),)
)
CONSISTENT_READ: Final = Member("ConsistentRead", BOOLEAN)
# The model's AttributeNameList: at least one name (no upper bound in the model).
ATTRIBUTES_TO_GET: Final = Member("AttributesToGet", ListOf(STRING), (MinLength(1),))
SELECT: Final = Member("Select", STRING, (Enum(SELECT_VALUES),))

CONDITION_EXPRESSION: Final = Member("ConditionExpression", STRING)
UPDATE_EXPRESSION: Final = Member("UpdateExpression", STRING)
KEY_CONDITION_EXPRESSION: Final = Member("KeyConditionExpression", STRING)
FILTER_EXPRESSION: Final = Member("FilterExpression", STRING)
PROJECTION_EXPRESSION: Final = Member("ProjectionExpression", STRING)
EXPRESSION_ATTRIBUTE_NAMES: Final = Member("ExpressionAttributeNames", MapOf(STRING))
EXPRESSION_ATTRIBUTE_VALUES: Final = Member("ExpressionAttributeValues", ATTRIBUTES)

# --- the legacy parameters ---------------------------------------------------------------------------
CONDITIONAL_OPERATOR: Final = Member("ConditionalOperator", STRING, (Enum(CONDITIONAL_OPERATOR_VALUES),))
_VALUE_LIST: Final = Member("AttributeValueList", ListOf(ATTRIBUTE_VALUE))
# A KeyConditions, QueryFilter or ScanFilter entry: its operator is required.
CONDITION: Final = Struct(
    "Condition",
    (_VALUE_LIST, Member("ComparisonOperator", STRING, (NotNull(), Enum(COMPARISON_OPERATOR_VALUES)))),
)
EXPECTED: Final = Member(
    "Expected",
    MapOf(
        Struct(
            "ExpectedAttributeValue",
            (
                _VALUE_LIST,
                Member("ComparisonOperator", STRING, (Enum(COMPARISON_OPERATOR_VALUES),)),
                Member("Exists", BOOLEAN),
                Member("Value", ATTRIBUTE_VALUE),
            ),
        )
    ),
)
ATTRIBUTE_UPDATES: Final = Member(
    "AttributeUpdates",
    MapOf(
        Struct(
            "AttributeValueUpdate",
            (Member("Action", STRING, (Enum(ATTRIBUTE_ACTION_VALUES),)), Member("Value", ATTRIBUTE_VALUE)),
        )
    ),
)
