"""The fake's expression front end: tokenizer -> parser (frozen AST, cached by text) -> evaluator.

One tokenizer (``tokens``) and one document-path grammar (``paths``) serve every expression kind of
the Developer Guide pages https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html;
this package so far implements ProjectionExpression and legacy AttributesToGet (``projection``), the
ExpressionAttributeNames / ExpressionAttributeValues rules (``names``) and the reserved-word list
(``reserved_words``). Operation modules import from here, not from the submodules.
"""

from __future__ import annotations

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
from .reserved_words import RESERVED_WORDS, is_reserved
from .tokens import Token, TokenKind, TokenStream, invalid_expression, tokenize

__all__ = [
    "MAX_EXPRESSION_BYTES",
    "MAX_NESTING_LEVELS",
    "RESERVED_WORDS",
    "Alias",
    "DocumentPath",
    "Index",
    "Name",
    "PathElement",
    "Projection",
    "RawPath",
    "Token",
    "TokenKind",
    "TokenStream",
    "check_nesting",
    "check_overlaps",
    "check_reserved",
    "check_unused_names",
    "check_unused_values",
    "invalid_expression",
    "is_reserved",
    "parse_path",
    "parse_projection",
    "projection_from_attributes_to_get",
    "require_str",
    "resolve_paths",
    "tokenize",
    "validate_expression_attribute_names",
    "validate_expression_attribute_values",
]
