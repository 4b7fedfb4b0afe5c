"""The tokenizer shared by every expression kind, and the syntax-error message it implies.

It turns expression text into a tuple of ``Token``s for the whole grammar of the Developer Guide pages
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
and .../Expressions.UpdateExpressions.html: bare names, ``#aliases``, ``:values``, list-index numbers,
punctuation, comparators and ``+``/``-``. Keywords (``AND``, ``SET``, ``BETWEEN``...) and function
names are ``NAME`` tokens; the parsers decide what they mean. Tokenizing never fails: a character that
starts no token becomes a one-character ``UNKNOWN`` token, and the parser reports it as DynamoDB does
(``Syntax error; token: "!", near: "!!"``) when it reaches it. ``TokenStream`` is the cursor the
parsers walk, and it builds that message.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from aiodynamodb.errors import ValidationException

__all__ = [
    "COMPARATORS",
    "EOF_TEXT",
    "WHITESPACE",
    "Token",
    "TokenKind",
    "TokenStream",
    "invalid_expression",
    "is_blank",
    "near_text",
    "tokenize",
]


class TokenKind(enum.Enum):
    NAME = "name"  # a bare attribute name, keyword or function name: [A-Za-z][A-Za-z0-9_]*
    ALIAS = "alias"  # an ExpressionAttributeNames key: #[A-Za-z0-9_]+
    VALUE = "value"  # an ExpressionAttributeValues key: :[A-Za-z0-9_]+
    NUMBER = "number"  # [0-9]+, used by list indexes
    DOT = "."
    COMMA = ","
    LBRACKET = "["
    RBRACKET = "]"
    LPAREN = "("
    RPAREN = ")"
    PLUS = "+"
    MINUS = "-"
    EQ = "="
    NE = "<>"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    UNKNOWN = "unknown"  # one character that starts no token
    EOF = "eof"


COMPARATORS: frozenset[TokenKind] = frozenset(
    {TokenKind.EQ, TokenKind.NE, TokenKind.LT, TokenKind.LE, TokenKind.GT, TokenKind.GE}
)

# DynamoDB's messages name the end of the input like this [reference §7.1].
EOF_TEXT = "<EOF>"

# The whitespace between tokens. The reference does not list it; these four are what dynalite's
# grammars skip. Any other character (form feed, no-break space...) is an UNKNOWN token.
WHITESPACE = " \t\r\n"

# Bare names start with a letter. The reference (§7.2) says [A-Za-z_], but DynamoDB itself answers
# `SET _123 = :v` with `Syntax error; token: "_", near: "SET _123"` (ScyllaDB's alternator tests,
# run against DynamoDB, test_update_expression.py::test_update_expression_name_token), and reads of
# attributes named `_x` fail the same way in the field; so a leading `_` is an UNKNOWN token here.
_TOKEN_RE = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r"|(?P<alias>#[0-9A-Za-z_]+)"
    r"|(?P<value>:[0-9A-Za-z_]+)"
    r"|(?P<name>[A-Za-z][0-9A-Za-z_]*)"
    r"|(?P<number>[0-9]+)"
    r"|(?P<op><>|<=|>=|[.,\[\]()+\-=<>])"
    r"|(?P<unknown>.)",
    re.DOTALL,
)

_GROUP_KINDS: dict[str, TokenKind] = {
    "alias": TokenKind.ALIAS,
    "value": TokenKind.VALUE,
    "name": TokenKind.NAME,
    "number": TokenKind.NUMBER,
    "unknown": TokenKind.UNKNOWN,
}

_OPERATOR_KINDS: dict[str, TokenKind] = {
    kind.value: kind for kind in TokenKind if kind not in _GROUP_KINDS.values() and kind is not TokenKind.EOF
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text as written, and its ``[start, end)`` span in the expression."""

    kind: TokenKind
    text: str
    start: int
    end: int

    def is_keyword(self, word: str) -> bool:
        """Whether this is the (case-insensitive) keyword ``word``, given in upper case."""
        return self.kind is TokenKind.NAME and self.text.upper() == word

    @property
    def shown(self) -> str:
        """The token as syntax-error messages show it (``<EOF>`` for the end of the input)."""
        return EOF_TEXT if self.kind is TokenKind.EOF else self.text


def is_blank(text: str) -> bool:
    """Whether ``text`` holds no token at all (DynamoDB: ``The expression can not be empty;``)."""
    return not text.strip(WHITESPACE)


def tokenize(text: str) -> tuple[Token, ...]:
    """All tokens of ``text``, whitespace dropped, always ending with one EOF token. O(len(text))."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        group = match.lastgroup
        if group == "ws" or group is None:
            continue
        lexeme = match.group()
        kind = _OPERATOR_KINDS[lexeme] if group == "op" else _GROUP_KINDS[group]
        tokens.append(Token(kind, lexeme, match.start(), match.end()))
    tokens.append(Token(TokenKind.EOF, "", len(text), len(text)))
    return tuple(tokens)


def near_text(text: str, tokens: tuple[Token, ...], index: int) -> str:
    """The ``near`` context of a syntax error at ``tokens[index]``.

    The rule, read off every message DynamoDB is known to give: the source text from the start of
    the token before the offending one to the end of the token after it (whitespace between them
    kept as written), leaving out whichever neighbour does not exist. So ``!!! INVALID !!!`` gives
    ``token: "!", near: "!!"``, ``SET _123 = :v`` gives ``token: "_", near: "SET _123"``, ``a,``
    gives ``token: "<EOF>", near: ","`` and ``foo`` as a condition ``token: "<EOF>", near: "foo"``.
    The end of the input adds nothing, not even trailing whitespace: the reference is silent there.
    """
    token = tokens[index]
    previous = tokens[index - 1] if index > 0 else None
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is not None and following.kind is TokenKind.EOF:
        following = None
    if token.kind is TokenKind.EOF:
        if previous is None:
            return ""
        return text[previous.start : previous.end]
    start = previous.start if previous is not None else token.start
    end = following.end if following is not None else token.end
    return text[start:end]


def invalid_expression(kind: str, detail: str) -> ValidationException:
    """The ValidationException for an error ``detail`` in expression parameter ``kind``."""
    return ValidationException(f"Invalid {kind}: {detail}")


class TokenStream:
    """A cursor over the tokens of one expression; ``kind`` names the parameter in messages.

    Parsers call ``peek``/``advance``/``accept``/``expect``, and ``syntax_error`` for the token they
    cannot use. Every method is O(1).
    """

    __slots__ = ("_index", "_tokens", "kind", "text")

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.kind = kind
        self._tokens = tokenize(text)
        self._index = 0

    @property
    def position(self) -> int:
        """The index of the current token (for parsers that need to look back)."""
        return self._index

    def peek(self, offset: int = 0) -> Token:
        """The token ``offset`` places ahead of the current one (EOF past the end)."""
        return self._tokens[min(self._index + offset, len(self._tokens) - 1)]

    def advance(self) -> Token:
        """The current token; the cursor moves past it (but never past EOF)."""
        token = self._tokens[self._index]
        if token.kind is not TokenKind.EOF:
            self._index += 1
        return token

    def accept(self, kind: TokenKind) -> Token | None:
        """The current token, consumed, if it is of ``kind``; otherwise None and nothing consumed."""
        if self._tokens[self._index].kind is kind:
            return self.advance()
        return None

    def expect(self, kind: TokenKind) -> Token:
        """The current token, consumed; a syntax error on it if it is not of ``kind``."""
        token = self.accept(kind)
        if token is None:
            raise self.syntax_error()
        return token

    def syntax_error(self, offset: int = 0) -> ValidationException:
        """DynamoDB's syntax error for the token ``offset`` places ahead of the current one."""
        index = min(self._index + offset, len(self._tokens) - 1)
        token = self._tokens[index]
        near = near_text(self.text, self._tokens, index)
        return invalid_expression(self.kind, f'Syntax error; token: "{token.shown}", near: "{near}"')
