"""Tests for the shared expression tokenizer and its syntax-error messages (``tokens.py``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake.expressions.tokens import (
    Token,
    TokenKind,
    TokenStream,
    is_blank,
    near_text,
    tokenize,
)

K = TokenKind


def kinds(text: str) -> list[tuple[TokenKind, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


# --- token kinds --------------------------------------------------------------------------------


def test_names_aliases_values_and_numbers() -> None:
    assert kinds("abc #a1 :v_2 042 A_1") == [
        (K.NAME, "abc"),
        (K.ALIAS, "#a1"),
        (K.VALUE, ":v_2"),
        (K.NUMBER, "042"),
        (K.NAME, "A_1"),
        (K.EOF, ""),
    ]


def test_alias_and_value_may_start_with_digit_or_underscore() -> None:
    assert kinds("#123 #_ :_x :9") == [
        (K.ALIAS, "#123"),
        (K.ALIAS, "#_"),
        (K.VALUE, ":_x"),
        (K.VALUE, ":9"),
        (K.EOF, ""),
    ]


def test_punctuation_and_comparators() -> None:
    text = "a.b[0],(c)=<><<=>>=+-"
    assert [t.kind for t in tokenize(text)] == [
        K.NAME,
        K.DOT,
        K.NAME,
        K.LBRACKET,
        K.NUMBER,
        K.RBRACKET,
        K.COMMA,
        K.LPAREN,
        K.NAME,
        K.RPAREN,
        K.EQ,
        K.NE,
        K.LT,
        K.LE,
        K.GT,
        K.GE,
        K.PLUS,
        K.MINUS,
        K.EOF,
    ]


def test_keywords_are_names_matched_case_insensitively() -> None:
    token = tokenize("bEtWeEn")[0]
    assert token.kind is K.NAME
    assert token.is_keyword("BETWEEN")
    assert not token.is_keyword("AND")
    assert not Token(K.ALIAS, "#and", 0, 4).is_keyword("AND")


def test_a_name_starts_with_a_letter() -> None:
    # DynamoDB: `SET _123 = :v` -> Syntax error; token: "_" (see tokens.py).
    assert kinds("_ab") == [(K.UNKNOWN, "_"), (K.NAME, "ab"), (K.EOF, "")]
    assert kinds("1ab") == [(K.NUMBER, "1"), (K.NAME, "ab"), (K.EOF, "")]


@pytest.mark.parametrize("text", ["!", "$", "é", '"', "'", "\f", "\u00a0", "{", ";", "*", "&", "|"])
def test_other_characters_are_one_character_unknown_tokens(text: str) -> None:
    assert kinds(text) == [(K.UNKNOWN, text), (K.EOF, "")]


def test_lone_hash_and_colon_are_unknown() -> None:
    assert kinds("# :") == [(K.UNKNOWN, "#"), (K.UNKNOWN, ":"), (K.EOF, "")]


def test_whitespace_is_space_tab_cr_lf() -> None:
    assert kinds(" \t\r\na\n") == [(K.NAME, "a"), (K.EOF, "")]
    assert is_blank(" \t\r\n")
    assert is_blank("")
    assert not is_blank("\f")


def test_spans_and_eof_position() -> None:
    tokens = tokenize(" ab , #c")
    assert [(t.start, t.end) for t in tokens] == [(1, 3), (4, 5), (6, 8), (8, 8)]


# --- near text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index", "near"),
    [
        ("!!! INVALID !!!", 0, "!!"),  # [CONF getItem]: token "!", near "!!"
        ("INVALID SYNTAX HERE", 0, "INVALID SYNTAX"),  # an UpdateExpression; no previous token
        ("SET _123 = :v", 1, "SET _123"),  # previous, offending and next token
        ("a b", 1, "a b"),
        ("a[].b", 2, "[]."),
        ("a,", 2, ","),  # <EOF>: the previous token only
        ("a,   ", 2, ","),  # trailing whitespace not shown
        ("foo", 1, "foo"),
        ("a  .   b", 1, "a  .   b"),  # whitespace between tokens kept as written
    ],
)
def test_near_is_previous_offending_and_next_token(text: str, index: int, near: str) -> None:
    assert near_text(text, tokenize(text), index) == near


def test_near_of_eof_in_empty_text() -> None:
    assert near_text("", tokenize(""), 0) == ""


# --- TokenStream --------------------------------------------------------------------------------


def test_stream_accept_expect_and_peek() -> None:
    stream = TokenStream("a.b", "ConditionExpression")
    assert stream.peek(1).kind is K.DOT
    assert stream.accept(K.DOT) is None
    assert stream.expect(K.NAME).text == "a"
    assert stream.position == 1
    assert stream.accept(K.DOT) is not None
    assert stream.advance().text == "b"
    assert stream.advance().kind is K.EOF
    assert stream.advance().kind is K.EOF  # never moves past EOF
    assert stream.peek(5).kind is K.EOF


def test_stream_expect_raises_dynamodb_syntax_error_with_kind_prefix() -> None:
    stream = TokenStream("a = = b", "ConditionExpression")
    stream.advance()
    stream.advance()
    with pytest.raises(ValidationException) as err:
        stream.expect(K.NAME)
    assert err.value.message == 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"'


def test_stream_syntax_error_at_eof() -> None:
    stream = TokenStream("foo", "ConditionExpression")
    stream.advance()
    assert stream.syntax_error().message == (
        'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"'
    )


# --- properties ---------------------------------------------------------------------------------

_GRAMMAR_CHARS = st.sampled_from(list("ab_Z09#:.,[]()=<>+- \t\n!\"'é\f"))


@settings(max_examples=200, derandomize=True)
@given(st.text(_GRAMMAR_CHARS | st.characters(), max_size=60))
def test_tokens_cover_the_text_in_order(text: str) -> None:
    tokens = tokenize(text)
    assert tokens[-1].kind is K.EOF
    assert all(t.kind is not K.EOF for t in tokens[:-1])
    position = 0
    for token in tokens[:-1]:
        assert text[position : token.start].strip(" \t\r\n") == ""
        assert text[token.start : token.end] == token.text
        assert token.text
        position = token.end
    assert text[position:].strip(" \t\r\n") == ""
    for index in range(len(tokens)):
        near = near_text(text, tokens, index)
        assert near in text
