"""The fake's expression engine: tokenizer -> parser (frozen AST, cached by text) -> resolve -> evaluate.

One tokenizer (``tokens``) and one document-path grammar (``paths``) serve every expression kind of
the Developer Guide pages https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html.
``parser`` reads conditions and updates into the nodes of ``ast``; ``checks`` raises what the text
alone gets wrong; ``conditions`` and ``updates`` resolve names and values (``resolve``) and raise the
rest; ``evaluate`` tests items against conditions, ``update_plan`` computes updated items,
``key_conditions`` turns a KeyConditionExpression into a key range, ``projection`` handles
ProjectionExpression and AttributesToGet, ``names`` the ExpressionAttributeNames / Values rules, and
``request`` runs all of one request's expressions in DynamoDB's order. ``render`` writes an AST back
as text. Operation modules import from here, not from the submodules: the AST's nodes (``SetAction``,
``Literal``, ``Compare``...) are exported too, for modules that build or read trees.
"""

from __future__ import annotations

from .ast import (
    AddAction,
    And,
    Arith,
    AttributeValue,
    Between,
    Call,
    Clause,
    Comparator,
    Compare,
    Condition,
    DeleteAction,
    In,
    Keyword,
    Literal,
    Not,
    Operand,
    Or,
    RemoveAction,
    SetAction,
    UpdateAction,
    UpdateAst,
    ValueRef,
)
from .conditions import CONDITION_KINDS, ConditionExpression, parse_condition
from .key_conditions import KeyCondition, KeyTerm, KeyTerms, SortKeyCondition, key_terms
from .names import (
    check_unused_names,
    check_unused_values,
    require_str,
    validate_expression_attribute_names,
    validate_expression_attribute_values,
)
from .paths import (
    MAX_NESTING_LEVELS,
    Alias,
    DocumentPath,
    Index,
    Name,
    PathElement,
    RawPath,
    check_nesting,
    check_overlaps,
    check_reserved,
    parse_path,
    resolve_paths,
)
from .projection import (
    MAX_EXPRESSION_BYTES,
    Projection,
    parse_projection,
    projection_from_attributes_to_get,
)
from .render import render_condition, render_update
from .request import RequestExpressions, normalise_attribute_values, parse_expressions
from .reserved_words import RESERVED_WORDS, is_reserved
from .tokens import Token, TokenKind, TokenStream, invalid_expression, tokenize
from .update_plan import UpdateResult
from .updates import UpdateExpression, parse_update

__all__ = [
    "CONDITION_KINDS",
    "MAX_EXPRESSION_BYTES",
    "MAX_NESTING_LEVELS",
    "RESERVED_WORDS",
    "AddAction",
    "Alias",
    "And",
    "Arith",
    "AttributeValue",
    "Between",
    "Call",
    "Clause",
    "Comparator",
    "Compare",
    "Condition",
    "ConditionExpression",
    "DeleteAction",
    "DocumentPath",
    "In",
    "Index",
    "KeyCondition",
    "KeyTerm",
    "KeyTerms",
    "Keyword",
    "Literal",
    "Name",
    "Not",
    "Operand",
    "Or",
    "PathElement",
    "Projection",
    "RawPath",
    "RemoveAction",
    "RequestExpressions",
    "SetAction",
    "SortKeyCondition",
    "Token",
    "TokenKind",
    "TokenStream",
    "UpdateAction",
    "UpdateAst",
    "UpdateExpression",
    "UpdateResult",
    "ValueRef",
    "check_nesting",
    "check_overlaps",
    "check_reserved",
    "check_unused_names",
    "check_unused_values",
    "invalid_expression",
    "is_reserved",
    "key_terms",
    "normalise_attribute_values",
    "parse_condition",
    "parse_expressions",
    "parse_path",
    "parse_projection",
    "parse_update",
    "projection_from_attributes_to_get",
    "render_condition",
    "render_update",
    "require_str",
    "resolve_paths",
    "tokenize",
    "validate_expression_attribute_names",
    "validate_expression_attribute_values",
]
