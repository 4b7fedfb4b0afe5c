"""The member tables of Query and Scan.

Order: the members DynamoDB lists in the envelope come first, in the order dynalite's latest
"should return ValidationException for incorrect attributes" tests list them (run against DynamoDB;
they trip eleven members at once and DynamoDB listed ten): Query's select, indexName,
returnConsumedCapacity, queryFilter, tableName, conditionalOperator, attributesToGet, limit,
keyConditions; Scan's select, indexName, totalSegments, returnConsumedCapacity, tableName,
conditionalOperator, scanFilter, segment, limit, with attributesToGet, the one left out, last.
Older exact-string tests, which dynalite's validations/*.js tables follow, show an order DynamoDB
has since changed; the latest is consistent with iterating a hash map of the member names.
TableName is reported alone today, so its place no longer shows. Members without a rule follow in
the model's order (no message shows it). Query's ``Limit`` is reported by DynamoDB's newer
validator, ``Value at 'Limit' ...`` with no value, while Scan's still says ``Value '0' at 'limit'``
(reference §9; a 2026 capture quoted by the dynoxide emulator). Segment and TotalSegments carry the
model's bounds, minimum first (choice: no source prints a value past the maximum).
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
"""

from __future__ import annotations

from typing import Final

from .. import limits
from .common import (
    ATTRIBUTES_TO_GET,
    CONDITION,
    CONDITIONAL_OPERATOR,
    CONSISTENT_READ,
    EXCLUSIVE_START_KEY,
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    FILTER_EXPRESSION,
    INDEX_NAME,
    KEY_CONDITION_EXPRESSION,
    PROJECTION_EXPRESSION,
    RETURN_CONSUMED_CAPACITY,
    SELECT,
    TABLE_NAME,
)
from .engine import BOOLEAN, INTEGER, MapOf, Member, Struct
from .rules import MaxValue, MinValue

__all__ = ["QUERY", "SCAN"]

QUERY: Final = Struct(
    "QueryInput",
    (
        SELECT,
        INDEX_NAME,
        RETURN_CONSUMED_CAPACITY,
        Member("QueryFilter", MapOf(CONDITION)),
        TABLE_NAME,
        CONDITIONAL_OPERATOR,
        ATTRIBUTES_TO_GET,
        Member("Limit", INTEGER, (MinValue(limits.MIN_READ_LIMIT),), modern=True),
        Member("KeyConditions", MapOf(CONDITION)),
        CONSISTENT_READ,
        Member("ScanIndexForward", BOOLEAN),
        EXCLUSIVE_START_KEY,
        PROJECTION_EXPRESSION,
        FILTER_EXPRESSION,
        KEY_CONDITION_EXPRESSION,
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
    ),
)

SCAN: Final = Struct(
    "ScanInput",
    (
        SELECT,
        INDEX_NAME,
        Member(
            "TotalSegments",
            INTEGER,
            (MinValue(limits.MIN_TOTAL_SEGMENTS), MaxValue(limits.MAX_TOTAL_SEGMENTS)),
        ),
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        CONDITIONAL_OPERATOR,
        Member("ScanFilter", MapOf(CONDITION)),
        Member("Segment", INTEGER, (MinValue(limits.MIN_SEGMENT), MaxValue(limits.MAX_SEGMENT))),
        Member("Limit", INTEGER, (MinValue(limits.MIN_READ_LIMIT),)),
        ATTRIBUTES_TO_GET,
        EXCLUSIVE_START_KEY,
        PROJECTION_EXPRESSION,
        FILTER_EXPRESSION,
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
        CONSISTENT_READ,
    ),
)
