"""Every numeric limit DynamoDB enforces that the fake models, each with the AWS page that states it.

One place, so a limit is changed once and a test can be generated from it. Where AWS states a limit
in prose (``400 KB``) the constant is the exact number DynamoDB applies, as measured by the sources
named beside it; where no AWS page states the number, the comment says whose measurement it is.
Messages that quote a limit keep their own wording (``messages.py``): DynamoDB's texts are not
always built from the number (``limit of2048 bytes``).
"""

from __future__ import annotations

from typing import Final

_QUOTAS = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html"
_API = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/"

# --- items and attribute values -------------------------------------------------------------------
# _QUOTAS "Item size": 400 KB; dynalite's boundary tests (run against DynamoDB) accept 409,600 bytes
# and reject 409,601.
MAX_ITEM_SIZE: Final = 409_600
# _QUOTAS "Nested attribute depth": 32 levels.
MAX_NESTING: Final = 32
# _QUOTAS "Partition key value" 2048 bytes, "Sort key value" 1024 bytes.
MAX_HASH_KEY_BYTES: Final = 2048
MAX_RANGE_KEY_BYTES: Final = 1024
# _QUOTAS "Number": 38 digits of precision, magnitude 1E-130 .. 9.99...E+125.
MAX_NUMBER_DIGITS: Final = 38
MAX_NUMBER_EXPONENT: Final = 125
MIN_NUMBER_EXPONENT: Final = -130

# --- names -----------------------------------------------------------------------------------------
# _QUOTAS "Table names and secondary index names": 3..255 characters of [a-zA-Z0-9_.-].
MIN_TABLE_NAME: Final = 3
MAX_TABLE_NAME: Final = 255
MIN_INDEX_NAME: Final = 3
MAX_INDEX_NAME: Final = 255
# _API + "API_GetItem.html" (TableName: "Length Constraints: Minimum length of 1. Maximum length of
# 1024." since table ARNs are accepted): the data plane's TableArn shape.
MIN_TABLE_ARN: Final = 1
MAX_TABLE_ARN: Final = 1024
# _API + "API_KeySchemaElement.html" (AttributeName: 1..255), the names CreateTable takes.
MIN_KEY_ATTRIBUTE_NAME: Final = 1
MAX_KEY_ATTRIBUTE_NAME: Final = 255

# --- batches ---------------------------------------------------------------------------------------
# _API + "API_BatchWriteItem.html": "as many as 25 put or delete requests".
MAX_BATCH_WRITES: Final = 25
# _API + "API_BatchGetItem.html": "as many as 100 items".
MAX_BATCH_GET_KEYS: Final = 100
# _API + "API_BatchGetItem.html": "up to 16 MB of data"; its example (100 items of 300 KB: 52
# returned) holds with 16,000,000 bytes of item data and not with 16 MiB (which would return 54).
BATCH_GET_RESPONSE_BYTES: Final = 16_000_000
# _API + "API_BatchWriteItem.html": "The total request size exceeds 16 MB" (any request, by HTTP).
MAX_REQUEST_BYTES: Final = 16 * 1024 * 1024

# --- transactions ----------------------------------------------------------------------------------
# _API + "API_TransactWriteItems.html": "up to 100 action requests", "cannot exceed 4 MB".
MAX_TRANSACT_ITEMS: Final = 100
MAX_TRANSACTION_BYTES: Final = 4 * 1024 * 1024
# _API + "API_TransactWriteItems.html" ClientRequestToken: 1..36 characters; a token is remembered
# for 10 minutes.
MIN_CLIENT_REQUEST_TOKEN: Final = 1
MAX_CLIENT_REQUEST_TOKEN: Final = 36
CLIENT_REQUEST_TOKEN_SECONDS: Final = 600

# --- expressions -----------------------------------------------------------------------------------
# _QUOTAS "Expression parameters": any expression string up to 4 KB, each ExpressionAttributeNames or
# ...Values key up to 255 bytes, all of them together up to 2 MB, at most 300 operators or functions
# in an UpdateExpression, at most 100 operands of IN.
MAX_EXPRESSION_BYTES: Final = 4096
MAX_EXPRESSION_ATTRIBUTE_KEY_BYTES: Final = 255
MAX_EXPRESSION_ATTRIBUTES_BYTES: Final = 2 * 1024 * 1024
MAX_UPDATE_OPERATORS: Final = 300
MAX_IN_OPERANDS: Final = 100

# --- reads -----------------------------------------------------------------------------------------
# _API + "API_Query.html" / "API_Scan.html": Limit at least 1; a page stops after 1 MB read.
MIN_READ_LIMIT: Final = 1
PAGE_BYTES: Final = 1024 * 1024
# _API + "API_Scan.html": Segment 0..999999, TotalSegments 1..1000000.
MIN_SEGMENT: Final = 0
MAX_SEGMENT: Final = 999_999
MIN_TOTAL_SEGMENTS: Final = 1
MAX_TOTAL_SEGMENTS: Final = 1_000_000
# _API + "API_ListTables.html": Limit 1..100, 100 when not given.
MIN_LIST_TABLES: Final = 1
MAX_LIST_TABLES: Final = 100

# --- tables and indexes ----------------------------------------------------------------------------
# _QUOTAS "Secondary indexes": 20 GSIs and 5 LSIs per table; 100 projected non-key attributes over
# all of a table's indexes.
MAX_GSIS: Final = 20
MAX_LSIS: Final = 5
MAX_PROJECTED_ATTRIBUTES: Final = 100
# _API + "API_Projection.html" NonKeyAttributes: 1..20 names in one index's list.
MIN_NON_KEY_ATTRIBUTES: Final = 1
MAX_NON_KEY_ATTRIBUTES: Final = 20
# _API + "API_KeySchemaElement.html": a key schema has 1 or 2 elements.
MIN_KEY_SCHEMA: Final = 1
MAX_KEY_SCHEMA: Final = 2
# _API + "API_ProvisionedThroughput.html": at least 1 unit; dynalite's tests (run against DynamoDB)
# find anything above 10^12 "out of bounds".
MIN_CAPACITY_UNITS: Final = 1
MAX_CAPACITY_UNITS: Final = 1_000_000_000_000
# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: 50 tags per resource, keys
# 1..128 characters, values 0..256.
MAX_TAGS: Final = 50
MAX_TAG_KEY: Final = 128
MAX_TAG_VALUE: Final = 256
