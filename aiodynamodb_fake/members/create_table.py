"""The member table of CreateTable: every member of botocore's CreateTableInput, in DynamoDB's order.

Order of the envelope: attributeDefinitions, tableName, provisionedThroughput, keySchema (dynalite's
"null attributes" and "empty ProvisionedThroughput" tests, run against DynamoDB), then the GSIs
before the LSIs (CONF 2026), then the options (choice: the model's order, no source lists two).
Inside an index: indexName, provisionedThroughput, keySchema, projection (dynalite's "bad
GlobalSecondaryIndex names"; its "empty LocalSecondaryIndexes" test lists another order, so this
one is a choice for null members). Throughput is reported write first (dynalite). A list's own
length comes before its elements' rules, as dynalite's "key element names" test shows for
KeySchema (choice for NonKeyAttributes, which no source breaks both ways).

A missing TableName is DynamoDB's standalone ``The parameter 'TableName' is required ...`` (dynalite,
CONF). The name is held to 3..255 characters and the name pattern, maximum first; a table ARN is
held to them after its ``arn:aws:dynamodb:<region>:<account>:table/`` prefix when the ARN is this
service's (``CREATE_TABLE_BY_ARN``), which only the state can say, so the operation checks both
ways. A KeySchema of the wrong length is echoed as Java records, ``[KeySchemaElement(attributeName=a,
keyType=HASH)]`` (CONF). Enum sets are listed as DynamoDB prints them: ``[B, N, S]`` and ``[ALL,
INCLUDE, KEYS_ONLY]`` (dynalite), the stream view types in a 2026 capture's order. TableClass and
the Tags carry no member rule: DynamoDB reports them with messages of their own (the operation's
semantic rules), as it does the capacity maxima and the OnDemandThroughput ranges.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sized
from dataclasses import dataclass
from typing import Any, Final

from .. import limits
from ..messages import clip_join
from ..shapes import MAX_LENGTH, MIN_LENGTH, java_repr, table_name_rules
from .engine import BOOLEAN, LONG, STRING, ListOf, Member, Struct
from .rules import BareIfMissing, Enum, MaxLength, MinLength, MinValue, NotNull, Rule, TableName, Violation

__all__ = [
    "ATTRIBUTE_TYPE_VALUES",
    "BILLING_MODE_VALUES",
    "CREATE_TABLE",
    "CREATE_TABLE_BY_ARN",
    "KEY_TYPE_VALUES",
    "PROJECTION_TYPE_VALUES",
    "SSE_TYPE_VALUES",
    "STREAM_VIEW_TYPE_VALUES",
    "TABLE_NAME_REQUIRED",
    "KeySchemaLength",
    "NameAfterArn",
    "arn_prefix",
]

TABLE_NAME_REQUIRED: Final = "The parameter 'TableName' is required but was not present in the request"
ATTRIBUTE_TYPE_VALUES: Final = ("B", "N", "S")
KEY_TYPE_VALUES: Final = ("HASH", "RANGE")
PROJECTION_TYPE_VALUES: Final = ("ALL", "INCLUDE", "KEYS_ONLY")
BILLING_MODE_VALUES: Final = ("PROVISIONED", "PAY_PER_REQUEST")
STREAM_VIEW_TYPE_VALUES: Final = ("OLD_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES", "NEW_IMAGE")
SSE_TYPE_VALUES: Final = ("AES256", "KMS")

_ARN_START: Final = "arn:aws:dynamodb:"
_ARN_TABLE: Final = ":table/"


def arn_prefix(name: str) -> str | None:
    """The ``arn:aws:dynamodb:<region>:<account>:table/`` ``name`` starts with, if it has one.

    The prefix ends at the first ``:table/``, so a region or account holding ``:table/`` is not told
    apart (choice).
    """
    if not name.startswith(_ARN_START):
        return None
    end = name.find(_ARN_TABLE)
    return None if end < 0 else name[: end + len(_ARN_TABLE)]


@dataclass(frozen=True, slots=True)
class NameAfterArn(Rule):
    """CreateTable's name rules on what follows a table ARN's prefix (the whole value if none),
    echoing the value as sent: the TableName of a request naming this service's table by ARN."""

    def violations(self, value: Any) -> Iterator[Violation]:
        if isinstance(value, str):
            prefix = arn_prefix(value)
            bare = value if prefix is None else value[len(prefix) :]
            for text in table_name_rules(bare, min_length=limits.MIN_TABLE_NAME, arn=False):
                yield value, text

    def texts(self) -> tuple[str, ...]:
        return _NAME_RULE.texts()


class _Records:
    """A KeySchema as DynamoDB echoes it, Java records; rendered (``clip``-ped) only if listed."""

    __slots__ = ("elements",)

    def __init__(self, elements: Any) -> None:
        self.elements = elements

    def __str__(self) -> str:
        return "[" + clip_join(_record(element) for element in self.elements) + "]"


def _record(element: Any) -> str:
    if not isinstance(element, Mapping):
        return "null"
    name, key_type = java_repr(element.get("AttributeName")), java_repr(element.get("KeyType"))
    return f"KeySchemaElement(attributeName={name}, keyType={key_type})"


@dataclass(frozen=True, slots=True)
class KeySchemaLength(Rule):
    """A KeySchema's 1..2 elements; the echo is the list as Java records (CONF createTable)."""

    minimum: int = limits.MIN_KEY_SCHEMA
    maximum: int = limits.MAX_KEY_SCHEMA

    def violations(self, value: Any) -> Iterator[Violation]:
        size = len(value) if isinstance(value, Sized) else 0
        if size > self.maximum:
            yield _Records(value), MAX_LENGTH.format(limit=self.maximum)
        elif size < self.minimum:
            yield _Records(value), MIN_LENGTH.format(limit=self.minimum)

    def texts(self) -> tuple[str, ...]:
        return (MAX_LENGTH.format(limit=self.maximum), MIN_LENGTH.format(limit=self.minimum))


_NAME_RULE: Final = TableName(min_length=limits.MIN_TABLE_NAME, arn=False)
# A KeySchemaAttributeName (and a NonKeyAttributeName): 1..255 characters.
_NAME_LENGTH: Final = (MaxLength(limits.MAX_KEY_ATTRIBUTE_NAME), MinLength(limits.MIN_KEY_ATTRIBUTE_NAME))
_ATTRIBUTE_NAME: Final = Member("AttributeName", STRING, (NotNull(), *_NAME_LENGTH))

_DEFINITIONS: Final = Member(
    "AttributeDefinitions",
    ListOf(
        Struct(
            "AttributeDefinition",
            (_ATTRIBUTE_NAME, Member("AttributeType", STRING, (NotNull(), Enum(ATTRIBUTE_TYPE_VALUES)))),
        ),
        (NotNull(),),
    ),
    (NotNull(),),
)
_KEY_SCHEMA: Final = Member(
    "KeySchema",
    ListOf(
        Struct(
            "KeySchemaElement",
            (_ATTRIBUTE_NAME, Member("KeyType", STRING, (NotNull(), Enum(KEY_TYPE_VALUES)))),
        ),
        (NotNull(),),
    ),
    (NotNull(), KeySchemaLength()),
)
_UNITS: Final = (NotNull(), MinValue(limits.MIN_CAPACITY_UNITS))
_THROUGHPUT: Final = Member(
    "ProvisionedThroughput",
    Struct(
        "ProvisionedThroughput",
        (Member("WriteCapacityUnits", LONG, _UNITS), Member("ReadCapacityUnits", LONG, _UNITS)),
    ),
)
# Two optional Longs each; their ranges are semantic rules (``create_table_throughput``).
_ON_DEMAND: Final = Member(
    "OnDemandThroughput",
    Struct("OnDemandThroughput", (Member("MaxReadRequestUnits", LONG), Member("MaxWriteRequestUnits", LONG))),
)
_WARM: Final = Member(
    "WarmThroughput",
    Struct("WarmThroughput", (Member("ReadUnitsPerSecond", LONG), Member("WriteUnitsPerSecond", LONG))),
)
_INDEX_NAME: Final = Member(
    "IndexName",
    STRING,
    (NotNull(), TableName(min_length=limits.MIN_INDEX_NAME, arn=False, pattern_first=True)),
)
_PROJECTION: Final = Member(
    "Projection",
    Struct(
        "Projection",
        (
            Member("ProjectionType", STRING, (Enum(PROJECTION_TYPE_VALUES),)),
            Member(
                "NonKeyAttributes",
                ListOf(STRING, (NotNull(), *_NAME_LENGTH)),
                (MaxLength(limits.MAX_NON_KEY_ATTRIBUTES), MinLength(limits.MIN_NON_KEY_ATTRIBUTES)),
            ),
        ),
    ),
    (NotNull(),),
)
_GLOBAL_INDEXES: Final = Member(
    "GlobalSecondaryIndexes",
    ListOf(
        Struct(
            "GlobalSecondaryIndex", (_INDEX_NAME, _THROUGHPUT, _KEY_SCHEMA, _PROJECTION, _ON_DEMAND, _WARM)
        ),
        (NotNull(),),
    ),
)
# An LSI has no ProvisionedThroughput: one sent is ignored, as any member the model does not declare.
_LOCAL_INDEXES: Final = Member(
    "LocalSecondaryIndexes",
    ListOf(Struct("LocalSecondaryIndex", (_INDEX_NAME, _KEY_SCHEMA, _PROJECTION)), (NotNull(),)),
)
_STREAM: Final = Member(
    "StreamSpecification",
    Struct(
        "StreamSpecification",
        (
            Member("StreamEnabled", BOOLEAN, (NotNull(),)),
            Member("StreamViewType", STRING, (Enum(STREAM_VIEW_TYPE_VALUES),)),
        ),
    ),
)
_SSE: Final = Member(
    "SSESpecification",
    Struct(
        "SSESpecification",
        (
            Member("Enabled", BOOLEAN),
            Member("SSEType", STRING, (Enum(SSE_TYPE_VALUES),)),
            Member("KMSMasterKeyId", STRING),
        ),
    ),
)
_TAGS: Final = Member("Tags", ListOf(Struct("Tag", (Member("Key", STRING), Member("Value", STRING)))))


def _table(name: Member) -> Struct:
    return Struct(
        "CreateTableInput",
        (
            _DEFINITIONS,
            name,
            _THROUGHPUT,
            _KEY_SCHEMA,
            _GLOBAL_INDEXES,
            _LOCAL_INDEXES,
            Member("BillingMode", STRING, (Enum(BILLING_MODE_VALUES),)),
            _STREAM,
            _SSE,
            Member("TableClass", STRING),
            _TAGS,
            Member("DeletionProtectionEnabled", BOOLEAN),
            _ON_DEMAND,
            _WARM,
            Member("ResourcePolicy", STRING),
        ),
    )


CREATE_TABLE: Final = _table(Member("TableName", STRING, (BareIfMissing(TABLE_NAME_REQUIRED), _NAME_RULE)))
CREATE_TABLE_BY_ARN: Final = _table(
    Member("TableName", STRING, (BareIfMissing(TABLE_NAME_REQUIRED), NameAfterArn()))
)
