"""The grammar of condition-kind expressions and of UpdateExpression: tokens in, a raw AST out.

Recursive descent over the shared tokenizer, for the grammars of reference §7.1 and §7.4 (Developer
Guide: Expressions.OperatorsAndFunctions, Expressions.UpdateExpressions). Precedence, tightest
first: comparators, IN and BETWEEN, functions, parentheses, NOT, AND, OR; keywords are
case-insensitive. A syntax error is raised at the first token the grammar cannot take, with the
``near`` context of ``tokens.near_text``. Everything else this module leaves to the checks that follow
(``checks``, then resolution): it accepts any function name and any number of arguments, as
DynamoDB's own parser does. Whether parentheses ``(`` open a condition or an operand is decided by
the token after the matching ``)`` (a comparator, BETWEEN or IN means an operand), found in O(1) from
a table built once per expression; so parsing is O(tokens), never backtracking.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ast import (
    AddAction,
    And,
    Arith,
    Between,
    Call,
    Clause,
    Comparator,
    Compare,
    Condition,
    DeleteAction,
    In,
    Keyword,
    Not,
    Operand,
    Or,
    RemoveAction,
    SetAction,
    UpdateAction,
    UpdateAst,
    ValueRef,
)
from .paths import RawPath, parse_path
from .tokens import Token, TokenKind, TokenStream

__all__ = ["ParsedCondition", "ParsedUpdate", "parse_condition_ast", "parse_update_ast"]

CONDITION_KEYWORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
UPDATE_KEYWORDS: tuple[Keyword, ...] = ("SET", "REMOVE", "ADD", "DELETE")
_COMPARATOR_OF: dict[TokenKind, Comparator] = {
    TokenKind.EQ: "=",
    TokenKind.NE: "<>",
    TokenKind.LT: "<",
    TokenKind.LE: "<=",
    TokenKind.GT: ">",
    TokenKind.GE: ">=",
}


@dataclass(frozen=True, slots=True)
class ParsedCondition:
    """A condition as written; ``redundant_parentheses`` if some ``((...))`` wraps nothing else."""

    ast: Condition
    redundant_parentheses: bool


@dataclass(frozen=True, slots=True)
class ParsedUpdate:
    ast: UpdateAst


class _Cursor(TokenStream):
    """A ``TokenStream`` that also knows, for each ``(``, where its ``)`` is (-1: unbalanced)."""

    __slots__ = ("closing", "keywords", "redundant")

    def __init__(self, text: str, kind: str, keywords: frozenset[str]) -> None:
        super().__init__(text, kind)
        self.keywords = keywords
        self.redundant = False
        self.closing: dict[int, int] = {}
        opened: list[int] = []
        for index, token in enumerate(self._tokens):
            if token.kind is TokenKind.LPAREN:
                opened.append(index)
            elif token.kind is TokenKind.RPAREN and opened:
                self.closing[opened.pop()] = index

    def after_group(self) -> Token:
        """The token after the ``)`` closing the ``(`` at the cursor (EOF if unbalanced)."""
        close = self.closing.get(self.position, -1)
        return self.peek(close - self.position + 1) if close >= 0 else self.peek(len(self._tokens))

    def note_redundant(self) -> None:
        """At a ``(``: record whether it directly wraps another ``(...)`` and nothing else."""
        inner = self.position + 1
        close = self.closing.get(self.position, -1)
        if close >= 0 and self.peek(1).kind is TokenKind.LPAREN and self.closing.get(inner) == close - 1:
            self.redundant = True

    def keyword(self, word: str, offset: int = 0) -> bool:
        return self.peek(offset).is_keyword(word)

    def is_reserved_keyword(self, token: Token) -> bool:
        return token.kind is TokenKind.NAME and token.text.upper() in self.keywords


# --- operands, shared by both grammars -----------------------------------------------------------


def _operand(cursor: _Cursor, *, in_update: bool) -> Operand:
    """A path, a ``:value`` or a function call (whose arguments may each be parenthesised once)."""
    token = cursor.peek()
    if token.kind is TokenKind.VALUE:
        cursor.advance()
        return ValueRef(token.text)
    if token.kind is TokenKind.NAME and cursor.is_reserved_keyword(token):
        raise cursor.syntax_error()
    if token.kind is TokenKind.NAME and cursor.peek(1).kind is TokenKind.LPAREN:
        cursor.advance()
        cursor.advance()
        args = [_argument(cursor, in_update=in_update)]
        while cursor.accept(TokenKind.COMMA) is not None:
            args.append(_argument(cursor, in_update=in_update))
        cursor.expect(TokenKind.RPAREN)
        return Call(token.text, tuple(args))
    if token.kind in (TokenKind.NAME, TokenKind.ALIAS):
        return parse_path(cursor)
    raise cursor.syntax_error()


def _argument(cursor: _Cursor, *, in_update: bool) -> Operand:
    if in_update:
        return _update_operand(cursor)
    return _condition_operand(cursor)


def _condition_operand(cursor: _Cursor) -> Operand:
    """An operand in a condition; any number of parentheses (``((a))`` is flagged as redundant)."""
    if cursor.peek().kind is TokenKind.LPAREN:
        cursor.note_redundant()
        cursor.advance()
        operand = _condition_operand(cursor)
        cursor.expect(TokenKind.RPAREN)
        return operand
    return _operand(cursor, in_update=False)


def _update_operand(cursor: _Cursor) -> Operand:
    """An operand in an UpdateExpression: one pair of parentheses at most, as DynamoDB allows."""
    if cursor.accept(TokenKind.LPAREN) is not None:
        operand = _operand(cursor, in_update=True)
        cursor.expect(TokenKind.RPAREN)
        return operand
    return _operand(cursor, in_update=True)


# --- conditions ----------------------------------------------------------------------------------


def parse_condition_ast(text: str, kind: str) -> ParsedCondition:
    """The raw AST of a Condition/Filter/KeyCondition expression; a syntax error if it has none."""
    cursor = _Cursor(text, kind, CONDITION_KEYWORDS)
    condition = _or(cursor)
    if cursor.peek().kind is not TokenKind.EOF:
        raise cursor.syntax_error()
    return ParsedCondition(condition, cursor.redundant)


def _or(cursor: _Cursor) -> Condition:
    operands = [_and(cursor)]
    while cursor.keyword("OR"):
        cursor.advance()
        operands.append(_and(cursor))
    return operands[0] if len(operands) == 1 else Or(tuple(operands))


def _and(cursor: _Cursor) -> Condition:
    operands = [_not(cursor)]
    while cursor.keyword("AND"):
        cursor.advance()
        operands.append(_not(cursor))
    return operands[0] if len(operands) == 1 else And(tuple(operands))


def _not(cursor: _Cursor) -> Condition:
    if cursor.keyword("NOT"):
        cursor.advance()
        return Not(_not(cursor))
    return _primary(cursor)


def _starts_predicate(token: Token) -> bool:
    return token.kind in _COMPARATOR_OF or token.is_keyword("BETWEEN") or token.is_keyword("IN")


def _primary(cursor: _Cursor) -> Condition:
    if cursor.peek().kind is TokenKind.LPAREN and not _starts_predicate(cursor.after_group()):
        cursor.note_redundant()
        cursor.advance()
        condition = _or(cursor)
        cursor.expect(TokenKind.RPAREN)
        return condition
    return _predicate(cursor)


def _predicate(cursor: _Cursor) -> Condition:
    """A comparison, BETWEEN, IN, or a function call standing alone as a condition."""
    parenthesised = cursor.peek().kind is TokenKind.LPAREN
    left = _condition_operand(cursor)
    token = cursor.peek()
    comparator = _COMPARATOR_OF.get(token.kind)
    if comparator is not None:
        cursor.advance()
        return Compare(comparator, left, _condition_operand(cursor))
    if token.is_keyword("BETWEEN"):
        cursor.advance()
        low = _condition_operand(cursor)
        if not cursor.keyword("AND"):
            raise cursor.syntax_error()
        cursor.advance()
        return Between(left, low, _condition_operand(cursor))
    if token.is_keyword("IN"):
        cursor.advance()
        cursor.expect(TokenKind.LPAREN)
        choices = [_condition_operand(cursor)]
        while cursor.accept(TokenKind.COMMA) is not None:
            choices.append(_condition_operand(cursor))
        cursor.expect(TokenKind.RPAREN)
        return In(left, tuple(choices))
    if isinstance(left, Call) and not parenthesised:
        return left
    raise cursor.syntax_error()


# --- updates -------------------------------------------------------------------------------------


def parse_update_ast(text: str, kind: str) -> ParsedUpdate:
    """The raw AST of an UpdateExpression: one or more sections, each with its actions."""
    cursor = _Cursor(text, kind, frozenset(UPDATE_KEYWORDS))
    clauses: list[Clause] = []
    while True:
        keyword = next((word for word in UPDATE_KEYWORDS if cursor.keyword(word)), None)
        if keyword is None:
            if clauses and cursor.peek().kind is TokenKind.EOF:
                return ParsedUpdate(UpdateAst(tuple(clauses)))
            raise cursor.syntax_error()
        cursor.advance()
        actions = [_action(cursor, keyword)]
        while cursor.accept(TokenKind.COMMA) is not None:
            actions.append(_action(cursor, keyword))
        clauses.append(Clause(keyword, tuple(actions)))


def _target(cursor: _Cursor) -> RawPath:
    token = cursor.peek()
    if token.kind not in (TokenKind.NAME, TokenKind.ALIAS) or cursor.is_reserved_keyword(token):
        raise cursor.syntax_error()
    return parse_path(cursor)


def _action(cursor: _Cursor, keyword: Keyword) -> UpdateAction:
    path = _target(cursor)
    if keyword == "REMOVE":
        return RemoveAction(path)
    if keyword == "SET":
        cursor.expect(TokenKind.EQ)
        return SetAction(path, _set_value(cursor))
    value = ValueRef(cursor.expect(TokenKind.VALUE).text)
    return AddAction(path, value) if keyword == "ADD" else DeleteAction(path, value)


def _set_value(cursor: _Cursor) -> Operand:
    """``operand``, ``operand + operand`` or ``operand - operand``, optionally in one pair of parentheses."""
    after = cursor.after_group().kind if cursor.peek().kind is TokenKind.LPAREN else None
    if after is not None and after not in (TokenKind.PLUS, TokenKind.MINUS):
        cursor.advance()
        value = _sum(cursor)
        cursor.expect(TokenKind.RPAREN)
        return value
    return _sum(cursor)


def _sum(cursor: _Cursor) -> Operand:
    left = _update_operand(cursor)
    sign = cursor.peek().kind
    if sign is TokenKind.PLUS or sign is TokenKind.MINUS:
        cursor.advance()
        return Arith("+" if sign is TokenKind.PLUS else "-", left, _update_operand(cursor))
    return left
