"""DynamoDB's error messages, word for word (odd spacing included), for messages used in more than
one place, and how much of a request a message may echo (``clip``). Sources are in
``shared/dynamodb-reference.md``; a ``{name}`` is filled in by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable

PARAM_INVALID = "One or more parameter values were invalid: "

# AttributeValues (reference §1)
AV_EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
AV_MANY = (
    "Supplied AttributeValue has more than one datatypes set, "
    "must contain exactly one of the supported datatypes"
)
NULL_NOT_TRUE = PARAM_INVALID + "Null attribute value types must have the value of true"
EMPTY_STRING_SET = PARAM_INVALID + "An string set  may not be empty"
EMPTY_NUMBER_SET = PARAM_INVALID + "An number set  may not be empty"
EMPTY_BINARY_SET = PARAM_INVALID + "Binary sets should not be empty"
SS_DUPLICATES = PARAM_INVALID + "Input collection [{members}] contains duplicates."
NS_DUPLICATES = "Input collection contains duplicates"
BS_DUPLICATES = PARAM_INVALID + "Input collection [{members}]of type BS contains duplicates."
NUMBER_EMPTY = "The parameter cannot be converted to a numeric value"
NUMBER_UNPARSABLE = "The parameter cannot be converted to a numeric value: {text}"
NUMBER_PRECISION = "Attempting to store more than 38 significant digits in a Number"
NUMBER_OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
NUMBER_UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
# Nesting past 32 levels: DynamoDB's documented limit; this wording is DynamoDB's as reported by users.
NESTING_TOO_DEEP = "Nesting Levels have exceeded supported limits"
# Not DynamoDB's words: JSON cannot carry these, so DynamoDB never sees them. Ours, for Python callers.
INVALID_UTF8 = "Invalid UTF-8 in string: a string holds a lone surrogate"
MAP_KEY_NOT_STRING = "Map keys must be strings"

# Items and keys (reference §1.4, §2)
ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
KEY_SCHEMA_MISMATCH = "The provided key element does not match the schema"
EMPTY_KEY_IN_ITEM = (
    "One or more parameter values are not valid. "
    "The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {name}"
)
EMPTY_KEY_IN_KEY = (
    PARAM_INVALID + "The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {name}"
)
HASH_KEY_TOO_LONG = PARAM_INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
RANGE_KEY_TOO_LONG = (
    PARAM_INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
)
MISSING_KEY_IN_ITEM = PARAM_INVALID + "Missing the key {name} in the item"
KEY_TYPE_MISMATCH = PARAM_INVALID + "Type mismatch for key {name} expected: {expected} actual: {actual}"
INDEX_KEY_TYPE_MISMATCH = (
    PARAM_INVALID
    + "Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} IndexName: {index}"
)

# Tables
RESOURCE_NOT_FOUND = "Requested resource not found"
DUPLICATE_KEYS = "Provided list of item keys contains duplicates"
RETURN_VALUES_PUT_DELETE = "ReturnValues can only be ALL_OLD or NONE"
EXPRESSION_AND_LEGACY = (
    "Can not use both expression and non-expression parameters in the same request: "
    "Non-expression parameters: {{{legacy}}} Expression parameters: {{{expression}}}"
)
NAMES_WITHOUT_EXPRESSION = "ExpressionAttributeNames can only be specified when using expressions"


# --- echoes of the request ------------------------------------------------------------------------
# DynamoDB's messages echo request values (``Value '<v>' at ...``, ``Input collection [...]``, a bad
# number, a list of names) and DynamoDB truncates long echoes, but no source we have gives its rule.
# Ours (a choice, not DynamoDB's): an echo keeps its first ECHO_LIMIT characters and ends in "..."
# when cut. 2,048 is above the longest string limit a constraint message reports (a 1,024-character
# table ARN, 255-character names), so every boundary case echoes whole; only values far past any
# limit are cut. A message holds at most ten echoes (the constraint envelope), so it stays within a
# few tens of kilobytes whatever the request's size.
ECHO_LIMIT = 2048
CUT = "..."


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text``, or its first ``limit`` characters and ``...`` if it is longer. O(limit)."""
    return text if len(text) <= limit else text[:limit] + CUT


def clip_join(texts: Iterable[str], separator: str = ", ", limit: int = ECHO_LIMIT) -> str:
    """``separator.join(texts)`` clipped as ``clip`` does, reading only the texts it shows."""
    parts: list[str] = []
    room = limit + 1  # one over the limit: tells a cut text from one that fits exactly
    for number, text in enumerate(texts):
        piece = text[:room] if number == 0 else separator + text[:room]
        parts.append(piece)
        room -= len(piece)
        if room <= 0:
            break
    return clip("".join(parts), limit)
