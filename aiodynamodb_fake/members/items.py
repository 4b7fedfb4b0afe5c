"""The member tables of the single-item operations: GetItem, PutItem, DeleteItem, UpdateItem.

Members are listed in the order DynamoDB reports their violations. Sources: dynalite's validation
tables and its tests' exact envelopes, run against DynamoDB (PutItem ``returnConsumedCapacity,
tableName, item, returnValues, returnItemCollectionMetrics``; DeleteItem ``returnConsumedCapacity,
tableName, returnValues, returnItemCollectionMetrics, key``; UpdateItem ``returnConsumedCapacity,
tableName, returnItemCollectionMetrics, returnValues, key``), and a capture of real DynamoDB
(dynamodb-conformance, 2026) listing an UpdateItem's ConditionalOperator before its missing Key,
where dynalite's table puts it after. TableName is reported alone, before the rest (CONF 2026).
Choices where no source shows an envelope: UpdateItem's Expected and AttributeUpdates stay beside
ConditionalOperator (dynalite keeps the three together), so all three precede the Key; DeleteItem's
ConditionalOperator and Expected precede its Key too, as in its sibling UpdateItem (dynalite's
tables give both the same Key, ConditionalOperator, Expected sequence); PutItem keeps dynalite's
table, its Item between TableName and ReturnValues. ReturnValuesOnConditionCheckFailure is newer
than those tables: it comes last.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html (and PutItem,
DeleteItem, UpdateItem)
"""

from __future__ import annotations

from typing import Final

from .common import (
    ATTRIBUTE_UPDATES,
    ATTRIBUTES_TO_GET,
    CONDITION_EXPRESSION,
    CONDITIONAL_OPERATOR,
    CONSISTENT_READ,
    EXPECTED,
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    ITEM,
    KEY,
    PROJECTION_EXPRESSION,
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    TABLE_NAME,
    UPDATE_EXPRESSION,
)
from .engine import Struct

__all__ = ["DELETE_ITEM", "GET_ITEM", "PUT_ITEM", "UPDATE_ITEM"]

GET_ITEM: Final = Struct(
    "GetItemInput",
    (
        RETURN_CONSUMED_CAPACITY,
        ATTRIBUTES_TO_GET,
        TABLE_NAME,
        KEY,
        CONSISTENT_READ,
        PROJECTION_EXPRESSION,
        EXPRESSION_ATTRIBUTE_NAMES,
    ),
)

PUT_ITEM: Final = Struct(
    "PutItemInput",
    (
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        ITEM,
        CONDITIONAL_OPERATOR,
        EXPECTED,
        RETURN_VALUES,
        RETURN_ITEM_COLLECTION_METRICS,
        CONDITION_EXPRESSION,
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ),
)

DELETE_ITEM: Final = Struct(
    "DeleteItemInput",
    (
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        RETURN_VALUES,
        RETURN_ITEM_COLLECTION_METRICS,
        CONDITIONAL_OPERATOR,
        EXPECTED,
        KEY,
        CONDITION_EXPRESSION,
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ),
)

UPDATE_ITEM: Final = Struct(
    "UpdateItemInput",
    (
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        RETURN_ITEM_COLLECTION_METRICS,
        RETURN_VALUES,
        CONDITIONAL_OPERATOR,
        EXPECTED,
        ATTRIBUTE_UPDATES,
        KEY,
        CONDITION_EXPRESSION,
        UPDATE_EXPRESSION,
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ),
)
