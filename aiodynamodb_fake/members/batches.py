"""The member tables of BatchWriteItem and BatchGetItem.

``RequestItems: {}`` is DynamoDB's standalone ``The requestItems parameter is required for ...``
(CONF 2026), raised before the envelope. A bad table name is one ``Map keys must satisfy
constraint`` violation per key, echoing the whole map; a BatchWriteItem table's list of requests out
of 1..25 one ``Map value must satisfy constraint`` per table, echoing ``{table=[...]}``. Both are
checked for every key before any table's requests are (dynalite's rule order; choice for requests
that break both). A WriteRequest's DeleteRequest is reported before its PutRequest (dynalite's
tests). A null BatchGetItem table entry is ``Value null at 'requestItems.<table>.member'`` (choice:
no source sends one). BatchGetItem's ``Keys`` is reported by the newer validator, ``Value at
'RequestItems.<table>.member.Keys'`` (CONF); its AttributesToGet still by the older one.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
"""

from __future__ import annotations

from typing import Final

from .. import limits
from .common import (
    ATTRIBUTES,
    ATTRIBUTES_TO_GET,
    CONSISTENT_READ,
    EXPRESSION_ATTRIBUTE_NAMES,
    ITEM,
    KEY,
    PROJECTION_EXPRESSION,
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
)
from .engine import ListOf, MapOf, Member, Struct
from .rules import BareIfEmpty, MapKeys, MapValues, MaxLength, MinLength, NotNull, TableName

__all__ = ["BATCH_GET_ITEM", "BATCH_WRITE_ITEM", "GET_REQUIRED", "WRITE_REQUIRED"]

WRITE_REQUIRED: Final = "The requestItems parameter is required for BatchWriteItem"
GET_REQUIRED: Final = "The requestItems parameter is required for BatchGetItem"
# A RequestItems key: a table name of 3..255 characters, or a table ARN.
_TABLE_KEYS: Final = MapKeys(TableName(min_length=limits.MIN_TABLE_NAME))

WRITE_REQUEST: Final = Struct(
    "WriteRequest",
    (
        Member("DeleteRequest", Struct("DeleteRequest", (KEY,))),
        Member("PutRequest", Struct("PutRequest", (ITEM,))),
    ),
)

BATCH_WRITE_ITEM: Final = Struct(
    "BatchWriteItemInput",
    (
        RETURN_CONSUMED_CAPACITY,
        RETURN_ITEM_COLLECTION_METRICS,
        Member(
            "RequestItems",
            MapOf(ListOf(WRITE_REQUEST, (NotNull(),))),
            (
                BareIfEmpty(WRITE_REQUIRED),
                NotNull(),
                _TABLE_KEYS,
                MapValues((MaxLength(limits.MAX_BATCH_WRITES), MinLength(1))),
            ),
        ),
    ),
)

KEYS_AND_ATTRIBUTES: Final = Struct(
    "KeysAndAttributes",
    (
        Member(
            "Keys",
            ListOf(ATTRIBUTES),
            (NotNull(), MaxLength(limits.MAX_BATCH_GET_KEYS), MinLength(1)),
            modern=True,
        ),
        ATTRIBUTES_TO_GET,
        CONSISTENT_READ,
        PROJECTION_EXPRESSION,
        EXPRESSION_ATTRIBUTE_NAMES,
    ),
)

BATCH_GET_ITEM: Final = Struct(
    "BatchGetItemInput",
    (
        RETURN_CONSUMED_CAPACITY,
        Member(
            "RequestItems",
            MapOf(KEYS_AND_ATTRIBUTES, (NotNull(),)),
            (BareIfEmpty(GET_REQUIRED), NotNull(), _TABLE_KEYS),
        ),
    ),
)
