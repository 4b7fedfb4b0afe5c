"""DynamoDB's expression error messages, word for word, as templates the expression modules share.

Each is the detail after ``Invalid <Parameter>: `` unless its name says otherwise; a ``{name}`` is
filled in by the caller. Sources: reference §6.3, §6.4 and §7 (``shared/dynamodb-reference.md``),
dynalite's grammars (db/conditionParser.pegjs, db/updateParser.pegjs, validations/index.js and
actions/query.js, whose tests ran against DynamoDB) and the ScyllaDB alternator tests (run against
DynamoDB) where the reference is silent; each template says where it comes from when not §7.
"""

from __future__ import annotations

EMPTY = "The expression can not be empty;"
# [DG:ServiceQuotas] 4 KB. Condition-grammar kinds add the size, UpdateExpression does not: the two
# emulators that record DynamoDB's answers (see projection.py) agree on both forms.
TOO_LARGE = "Expression size has exceeded the maximum allowed size;"
TOO_LARGE_WITH_SIZE = "Expression size has exceeded the maximum allowed size; expression size: {size}"

REDUNDANT_PARENTHESES = "The expression has redundant parentheses;"
INVALID_FUNCTION = "Invalid function name; function: {name}"
MISUSED_FUNCTION = "The function is not allowed to be used this way in an expression; function: {name}"
UNDEFINED_VALUE = "An expression attribute value used in expression is not defined; attribute value: {name}"
OPERAND_COUNT = (
    "Incorrect number of operands for operator or function; operator or function: {name}, "
    "number of operands: {count}"
)
REQUIRES_PATH = "Operator or function requires a document path; operator or function: {name}"
OPERAND_TYPE = (
    "Incorrect operand type for operator or function; operator or function: {name}, operand type: {type}"
)
# ADD and DELETE say "operator:" and spell the type out (reference §7.4).
ACTION_OPERAND_TYPE = (
    "Incorrect operand type for operator or function; operator: {name}, operand type: {type}"
)
# dynalite prints this brace list for a second attribute_type operand that has no type of its own.
ANY_TYPE = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
INVALID_TYPE_NAME = (
    "Invalid attribute type name found; type: {type}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"
)
NOT_DISTINCT = (
    "The first operand must be distinct from the remaining operands for this operator or function; "
    "operator: {name}, first operand: {path}"
)
BETWEEN_TYPES = (
    "The BETWEEN operator requires same data type for lower and upper bounds; "
    "lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
)
BETWEEN_ORDER = (
    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
    "lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
)
# Not in the reference; the text every emulator that records DynamoDB's answers agrees on.
TOO_MANY_IN_OPERANDS = "The IN operator is provided with too many operands; number of operands: {count}"
DUPLICATE_SECTION = 'The "{section}" section can only be used once in an update expression;'

# KeyConditionExpression structure (reference §7.3), prefixed like every expression error.
KEY_INVALID_OPERATOR = "Invalid operator used in KeyConditionExpression: {name}"
KEY_NESTED_OPERATION = "KeyConditionExpressions cannot contain nested operations"
KEY_ONE_PER_KEY = "KeyConditionExpressions must only contain one condition per key"
KEY_NESTED_ATTRIBUTE = "KeyConditionExpressions cannot have conditions on nested attributes"
KEY_MULTIPLE_NAMES = (
    "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
)
KEY_NO_ATTRIBUTE = "Invalid condition in KeyConditionExpression: No key attribute specified"
KEY_FIRST_OPERAND = (
    "Invalid condition in KeyConditionExpression: "
    "{name} operator must have the key attribute as its first operand"
)
# Whole messages, no prefix (reference §6.4; dynalite's validations/query.js for the count).
KEY_CONDITION_COUNT = "Conditions can be of length 1 or 2 only"
KEY_MISSED_ELEMENT = "Query condition missed key schema element: {name}"
KEY_NOT_SUPPORTED = "Query key condition not supported"
KEY_TYPE_MISMATCH = (
    "One or more parameter values were invalid: Condition parameter type does not match schema type"
)

# Whole messages, no prefix: raised while planning an update against the item (reference §6.3).
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"
WRONG_OPERAND_TYPE = "An operand in the update expression has an incorrect data type"
INVALID_UPDATE_PATH = "The document path provided in the update expression is invalid for update"

# ExpressionAttributeValues contents (reference §7.5).
INVALID_VALUE = "ExpressionAttributeValues contains invalid value: {message} for key {key}"
