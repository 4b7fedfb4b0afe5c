"""The member tables of TransactWriteItems and TransactGetItems.

Each action's TableName is checked as every data-plane TableName is, but inside the envelope at its
own path (``transactItems.1.member.put.tableName``): only a top-level TableName is reported alone.
Actions are listed ConditionCheck, Put, Delete, Update (the model's order) and each action's members
TableName, then its required members, then the rest: the order of the hand-written checks these
tables replaced, whose tests pin it (choice: no source shows a multi-violation envelope for a
transaction). ClientRequestToken: 1..36 characters [API]. What needs more than the members (exactly
one kind per action, the values, expressions, the 4 MB total) is the operations' own, after
``check_request``.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
"""

from __future__ import annotations

from typing import Final

from .. import limits
from .common import (
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    ITEM,
    KEY,
    PROJECTION_EXPRESSION,
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
)
from .engine import STRING, ListOf, Member, Struct
from .rules import MaxLength, MinLength, NotNull, TableName

__all__ = ["TRANSACT_GET_ITEMS", "TRANSACT_WRITE_ITEMS"]

_TABLE_NAME: Final = Member("TableName", STRING, (NotNull(), TableName()))
_CONDITION: Final = Member("ConditionExpression", STRING)
_REQUIRED_CONDITION: Final = Member("ConditionExpression", STRING, (NotNull(),))
_REQUIRED_UPDATE: Final = Member("UpdateExpression", STRING, (NotNull(),))
_EXPRESSION_MAPS: Final = (EXPRESSION_ATTRIBUTE_NAMES, EXPRESSION_ATTRIBUTE_VALUES)


def _action(shape: str, *required: Member, optional: tuple[Member, ...] = ()) -> Member:
    """A TransactWriteItem member: ``shape`` holding TableName, ``required``, then the rest."""
    members = (_TABLE_NAME, *required, *optional, *_EXPRESSION_MAPS, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
    return Member(shape, Struct(shape, members))


TRANSACT_WRITE_ITEM: Final = Struct(
    "TransactWriteItem",
    (
        _action("ConditionCheck", KEY, _REQUIRED_CONDITION),
        _action("Put", ITEM, optional=(_CONDITION,)),
        _action("Delete", KEY, optional=(_CONDITION,)),
        _action("Update", KEY, _REQUIRED_UPDATE, optional=(_CONDITION,)),
    ),
)

_TRANSACT_ITEMS_RULES: Final = (NotNull(), MaxLength(limits.MAX_TRANSACT_ITEMS), MinLength(1))

TRANSACT_WRITE_ITEMS: Final = Struct(
    "TransactWriteItemsInput",
    (
        RETURN_CONSUMED_CAPACITY,
        RETURN_ITEM_COLLECTION_METRICS,
        Member(
            "ClientRequestToken",
            STRING,
            (MaxLength(limits.MAX_CLIENT_REQUEST_TOKEN), MinLength(limits.MIN_CLIENT_REQUEST_TOKEN)),
        ),
        Member("TransactItems", ListOf(TRANSACT_WRITE_ITEM, (NotNull(),)), _TRANSACT_ITEMS_RULES),
    ),
)

GET: Final = Struct("Get", (_TABLE_NAME, KEY, PROJECTION_EXPRESSION, EXPRESSION_ATTRIBUTE_NAMES))

TRANSACT_GET_ITEMS: Final = Struct(
    "TransactGetItemsInput",
    (
        RETURN_CONSUMED_CAPACITY,
        Member(
            "TransactItems",
            ListOf(Struct("TransactGetItem", (Member("Get", GET, (NotNull(),)),)), (NotNull(),)),
            _TRANSACT_ITEMS_RULES,
        ),
    ),
)
