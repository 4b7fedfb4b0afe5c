"""Tests for ProjectionExpression / AttributesToGet parsing and ``Projection.apply`` (``projection.py``).

Sections: shape errors, syntax errors, reserved words, aliases, paths and limits, overlap and
conflict, apply() semantics, AttributesToGet, caching, then hypothesis properties.
"""

from __future__ import annotations

import contextlib
import copy
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiodynamodb.errors import SerializationException, ValidationException
from aiodynamodb_fake.expressions import (
    RESERVED_WORDS,
    DocumentPath,
    Index,
    Name,
    Projection,
    check_overlaps,
    parse_projection,
    projection_from_attributes_to_get,
)
from aiodynamodb_fake.expressions.projection import _parse_text, _resolve

P = "Invalid ProjectionExpression: "


def error(expression: Any, names: Any = None) -> str:
    with pytest.raises(ValidationException) as err:
        parse_projection(expression, names)
    return str(err.value.message)


def path(*elements: str | int) -> DocumentPath:
    return DocumentPath(tuple(Index(e) if isinstance(e, int) else Name(e) for e in elements))


# --- shape errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (5, "NUMBER_VALUE cannot be converted to String"),
        (1.5, "DECIMAL_VALUE cannot be converted to String"),
        (True, "TRUE_VALUE cannot be converted to String"),
        ({"a": 1}, "Start of structure or map found where not expected"),
        (["a"], "Unrecognized collection type class java.lang.String"),
        (None, "ProjectionExpression must be a string, not NoneType"),
        (b"a", "ProjectionExpression must be a string, not bytes"),
    ],
)
def test_non_string_expression_is_a_serialization_error(expression: Any, message: str) -> None:
    with pytest.raises(SerializationException) as err:
        parse_projection(expression, None)
    assert err.value.message == message


def test_names_of_the_wrong_type_are_serialization_errors() -> None:
    with pytest.raises(SerializationException) as err:
        parse_projection("a", ["#a"])  # type: ignore[arg-type]  # the shape error under test
    assert err.value.message == (
        "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>"
    )
    with pytest.raises(SerializationException) as err:
        parse_projection("#a", {"#a": 5})  # type: ignore[dict-item]  # the shape error under test
    assert err.value.message == "NUMBER_VALUE cannot be converted to String"


# --- empty and syntax errors --------------------------------------------------------------------


@pytest.mark.parametrize("expression", ["", " ", " \t\r\n "])
def test_empty_expression(expression: str) -> None:
    assert error(expression) == P + "The expression can not be empty;"


@pytest.mark.parametrize(
    ("expression", "token", "near"),
    [
        ("!!! INVALID !!!", "!", "!!"),  # [CONF tier3 getItem], verbatim
        ("a b", "b", "a b"),
        ("a,", "<EOF>", ","),
        ("a, ", "<EOF>", ","),
        (",a", ",", ",a"),
        ("a,,b", ",", ",,b"),
        ("a..b", ".", "..b"),
        ("a.", "<EOF>", "."),
        ("a[b]", "b", "[b]"),
        ("a[]", "]", "[]"),
        ("a[].b", "]", "[]."),
        ("a[1", "<EOF>", "1"),
        ("a[-1]", "-", "[-1"),
        ("a]", "]", "a]"),
        ("[0]", "[", "[0"),
        ("whatever(stuff)", "(", "whatever(stuff"),
        (":a", ":a", ":a"),
        ("(a)", "(", "(a"),
        ("(a.b).c", "(", "(a"),
        ("(a),(b)", "(", "(a"),
        ("a-b", "-", "a-b"),
        ("a = b", "=", "a = b"),
        ("_abc", "_", "_abc"),  # DynamoDB's lexer: a bare name starts with a letter
        ("a._b", "_", "._b"),
        ("1a", "1", "1a"),
        ("#", "#", "#"),
        ("a.#", "#", ".#"),
        ('"a b"', '"', '"a'),
        ("a$b", "$", "a$b"),
        ("é", "é", "é"),
        ("abort,", "<EOF>", ","),  # syntax is checked before reserved words
        ("a\fb", "\f", "a\fb"),
    ],
)
def test_syntax_errors(expression: str, token: str, near: str) -> None:
    assert error(expression) == f'{P}Syntax error; token: "{token}", near: "{near}"'


def test_first_syntax_error_wins_over_undefined_alias_and_reserved_word() -> None:
    assert error("#x, status, a b") == P + 'Syntax error; token: "b", near: "a b"'


# --- reserved words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "word"),
    [
        ("status", "status"),
        ("a.abORt", "abORt"),  # dynalite's test, run against DynamoDB
        ("#a,ABSoLUTE", "ABSoLUTE"),
        ("a, Name", "Name"),
        ("a[0].data", "data"),
        ("x, count.y, name", "count"),  # the first one in the text
    ],
)
def test_reserved_bare_name(expression: str, word: str) -> None:
    names = {"#a": "a"} if "#a" in expression else None
    assert error(expression, names) == P + f"Attribute name is a reserved keyword; reserved keyword: {word}"


def test_reserved_word_wins_over_an_earlier_undefined_alias() -> None:
    assert error("#undefined, status") == (
        P + "Attribute name is a reserved keyword; reserved keyword: status"
    )


def test_reserved_word_through_an_alias_is_fine() -> None:
    projection = parse_projection("#s.#n", {"#s": "status", "#n": "name"})
    assert projection.paths == (path("status", "name"),)


@pytest.mark.parametrize("word", sorted(RESERVED_WORDS)[::37])
def test_sample_of_reserved_words_in_any_case(word: str) -> None:
    written = word.lower().capitalize()
    assert error(f"x9.{written}") == P + f"Attribute name is a reserved keyword; reserved keyword: {written}"


def test_reserved_list_has_573_words() -> None:
    assert len(RESERVED_WORDS) == 573
    assert all(word == word.upper() for word in RESERVED_WORDS)


def test_near_reserved_names_are_not_reserved() -> None:
    assert parse_projection("statuses, names1, a_count", None).paths == (
        path("statuses"),
        path("names1"),
        path("a_count"),
    )


# --- aliases ------------------------------------------------------------------------------------


def test_aliases_resolve_in_every_position() -> None:
    projection = parse_projection("#a, b.#c[2], #d.y", {"#a": "A", "#c": "c c", "#d": "x.y", "#e": "e"})
    assert projection.paths == (path("A"), path("b", "c c", 2), path("x.y", "y"))
    assert projection.used_names == frozenset({"#a", "#c", "#d"})


def test_alias_is_one_whole_name_even_with_dots() -> None:
    assert parse_projection("#n", {"#n": "a.b[0]"}).paths == (path("a.b[0]"),)


def test_same_alias_twice_is_one_used_name() -> None:
    projection = parse_projection("#m.a, #m.b", {"#m": "m"})
    assert projection.used_names == frozenset({"#m"})


@pytest.mark.parametrize(
    ("expression", "names", "alias"),
    [
        ("#x", None, "#x"),
        ("#x", {}, "#x"),
        ("#x", {"#y": "y"}, "#x"),
        ("a.#x", {"#y": "y"}, "#x"),
        ("#a, #b, #c", {"#a": "a"}, "#b"),  # the first undefined one in the text
        ("#X", {"#x": "x"}, "#X"),  # aliases are case-sensitive
    ],
)
def test_undefined_alias(expression: str, names: dict[str, str] | None, alias: str) -> None:
    assert error(expression, names) == (
        P + f"An expression attribute name used in the document path is not defined; attribute name: {alias}"
    )


def test_unused_names_are_not_this_functions_business() -> None:
    assert parse_projection("a", {"#unused": "u"}).used_names == frozenset()


# --- paths and limits ---------------------------------------------------------------------------


def test_whitespace_inside_paths() -> None:
    assert parse_projection(" a . b [ 1 ] ,\n\tc ", None).paths == (path("a", "b", 1), path("c"))


def test_index_with_leading_zeros() -> None:
    assert parse_projection("l[007]", None).paths == (path("l", 7),)


def test_32_levels_accepted_33_refused() -> None:
    assert len(parse_projection("a" + ".b" * 31, None).paths[0].elements) == 32
    assert error("a" + ".b" * 32) == P + "The document path has too many nesting levels; nesting levels: 33"
    assert error("a" + "[0]" * 33) == P + "The document path has too many nesting levels; nesting levels: 34"


def test_size_limit_is_4096_utf8_bytes_of_the_raw_text() -> None:
    assert parse_projection("a" * 4096, None).paths == (path("a" * 4096),)
    assert error("a" * 4097) == P + "Expression size has exceeded the maximum allowed size;"
    # The size counts the text as sent, not with aliases substituted.
    names = {f"#a{i}": f"attribute{i}" for i in range(600)}
    assert len(parse_projection(",".join(names), names).paths) == 600


def test_size_limit_counts_bytes_not_characters() -> None:
    # 2049 two-byte characters: 4098 bytes. Checked before syntax.
    assert error("é" * 2049) == P + "Expression size has exceeded the maximum allowed size;"


def test_size_is_checked_after_emptiness() -> None:
    assert error(" " * 5000) == P + "The expression can not be empty;"


# --- overlap and conflict -----------------------------------------------------------------------

OVERLAP = P + "Two document paths overlap with each other; must remove or rewrite one of these paths; "
CONFLICT = P + "Two document paths conflict with each other; must remove or rewrite one of these paths; "


@pytest.mark.parametrize(
    ("expression", "one", "two"),
    [
        ("a, a", "[a]", "[a]"),
        ("a.b, a", "[a, b]", "[a]"),  # reference §7.2's example
        ("a, a.b", "[a]", "[a, b]"),
        ("a.b[0],a.b[0]", "[a, b, [0]]", "[a, b, [0]]"),  # ScyllaDB, quoting DynamoDB
        ("a[1], a[1]", "[a, [1]]", "[a, [1]]"),
        ("a.b, a.b[2]", "[a, b]", "[a, b, [2]]"),
        ("a, a.b[2].c", "[a]", "[a, b, [2], c]"),
        ("a.b.d.e, a.b", "[a, b, d, e]", "[a, b]"),
        ("x, a.b, y, a", "[a, b]", "[a]"),
    ],
)
def test_overlapping_paths(expression: str, one: str, two: str) -> None:
    assert error(expression) == OVERLAP + f"path one: {one}, path two: {two}"


def test_overlap_is_decided_after_alias_resolution() -> None:
    assert error("#a1, #a2", {"#a1": "a", "#a2": "a"}) == OVERLAP + "path one: [a], path two: [a]"


@pytest.mark.parametrize(
    ("expression", "one", "two"),
    [
        ("a.b, a[0]", "[a, b]", "[a, [0]]"),  # reference §7.2's example
        ("a.b, a[1]", "[a, b]", "[a, [1]]"),  # ScyllaDB, quoting DynamoDB
        ("a[1], a.b", "[a, [1]]", "[a, b]"),
        ("a.b[1], a.b.c", "[a, b, [1]]", "[a, b, c]"),
        ("a.b.c, a.b[1]", "[a, b, c]", "[a, b, [1]]"),
        ("a.b, a.c, a[0]", "[a, b]", "[a, [0]]"),  # the first pair found
    ],
)
def test_conflicting_paths(expression: str, one: str, two: str) -> None:
    assert error(expression) == CONFLICT + f"path one: {one}, path two: {two}"


def test_overlap_anywhere_wins_over_an_earlier_conflict() -> None:
    assert error("a.b, a[0], c, c") == OVERLAP + "path one: [c], path two: [c]"


def test_undefined_alias_wins_over_overlap() -> None:
    assert error("a, a, #x") == (
        P + "An expression attribute name used in the document path is not defined; attribute name: #x"
    )


@pytest.mark.parametrize(
    "expression", ["a, b", "a.b, a.c", "a.b.d, a.b.e", "a[1], a[2]", "a.b, a.c[2]", "a[0].b, a[0].c"]
)
def test_neither_overlap_nor_conflict(expression: str) -> None:
    assert len(parse_projection(expression, None).paths) == expression.count(",") + 1


def test_name_zero_via_alias_conflicts_with_index_zero() -> None:
    assert error("a.#z, a[0]", {"#z": "0"}) == CONFLICT + "path one: [a, 0], path two: [a, [0]]"


# --- apply() ------------------------------------------------------------------------------------

ITEM: dict[str, Any] = {
    "pk": {"S": "k"},
    "a": {
        "M": {
            "b": {"L": [{"N": "2"}, {"N": "4"}, {"M": {"x": {"S": "hi"}, "y": {"S": "yo"}}}]},
            "c": {"N": "5"},
        }
    },
    "b": {"S": "hello"},
    "l": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}, {"S": "3"}]},
    "ss": {"SS": ["x", "y"]},
    "bin": {"B": b"\x00\x01"},
}


def project(expression: str, names: dict[str, str] | None = None) -> dict[str, Any]:
    return parse_projection(expression, names).apply(ITEM)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a", {"a": ITEM["a"]}),
        ("a.b", {"a": {"M": {"b": ITEM["a"]["M"]["b"]}}}),
        ("a.b[0]", {"a": {"M": {"b": {"L": [{"N": "2"}]}}}}),
        ("a.b[2].y", {"a": {"M": {"b": {"L": [{"M": {"y": {"S": "yo"}}}]}}}}),
        ("a.b[0],a.b[1]", {"a": {"M": {"b": {"L": [{"N": "2"}, {"N": "4"}]}}}}),
        ("a.b[0],a.c", {"a": {"M": {"b": {"L": [{"N": "2"}]}, "c": {"N": "5"}}}}),
        ("a.c,b", {"a": {"M": {"c": {"N": "5"}}}, "b": {"S": "hello"}}),
        ("l[3]", {"l": {"L": [{"S": "3"}]}}),
        ("l[3], l[1]", {"l": {"L": [{"S": "1"}, {"S": "3"}]}}),  # index order, compacted
        ("l[1], l[9], l[3]", {"l": {"L": [{"S": "1"}, {"S": "3"}]}}),
        ("pk, bin", {"pk": {"S": "k"}, "bin": {"B": b"\x00\x01"}}),
        ("ss", {"ss": {"SS": ["x", "y"]}}),
    ],
)
def test_apply_keeps_shape_and_compacts_lists(expression: str, expected: dict[str, Any]) -> None:
    assert project(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "x",  # missing top-level attribute
        "a.x",  # missing map key
        "a.x.y",  # path through a missing prefix
        "a.b[3]",  # past the end of the list
        "a.b[3].x",
        "a.b.x",  # a list used as a map
        "a[0]",  # a map used as a list
        "a.b[0].x",  # a number used as a map
        "a.b[0][0]",  # a number used as a list
        "b.c",  # a string used as a map
        "ss[0]",  # a set is not a list
        "bin[0]",
    ],
)
def test_apply_leaves_out_missing_paths_and_paths_through_non_containers(expression: str) -> None:
    assert project(expression) == {}


def test_apply_keeps_what_exists_and_drops_the_rest() -> None:
    assert project("a.x, a.b[0], x, a.b[3].x") == {"a": {"M": {"b": {"L": [{"N": "2"}]}}}}


def test_apply_uses_resolved_alias_names() -> None:
    item = {"a.b": {"S": "dotted"}, "a": {"M": {"b": {"S": "nested"}}}}
    assert parse_projection("#n", {"#n": "a.b"}).apply(item) == {"a.b": {"S": "dotted"}}
    assert parse_projection("a.b", None).apply(item) == {"a": {"M": {"b": {"S": "nested"}}}}


def test_apply_on_empty_item() -> None:
    assert parse_projection("a, b.c", None).apply({}) == {}


def test_apply_result_never_aliases_the_item() -> None:
    item = copy.deepcopy(ITEM)
    before = copy.deepcopy(item)
    result = parse_projection("a, l[1], ss", None).apply(item)
    result["a"]["M"]["b"]["L"][2]["M"]["x"]["S"] = "changed"
    result["a"]["M"]["b"]["L"].append({"S": "new"})
    result["a"]["M"]["new"] = {"S": "new"}
    result["l"]["L"][0]["S"] = "changed"
    result["ss"]["SS"].append("z")
    result["a"]["M"]["c"] = {"N": "0"}
    assert item == before


def test_apply_twice_gives_equal_independent_results() -> None:
    projection = parse_projection("a.b", None)
    first, second = projection.apply(ITEM), projection.apply(ITEM)
    assert first == second
    assert first["a"] is not second["a"]


def test_apply_tolerates_malformed_values() -> None:
    item: dict[str, Any] = {"a": "not an attribute value", "b": {"M": "not a map"}, "c": {"L": 5}}
    assert parse_projection("a.x, b.y, c[0]", None).apply(item) == {}
    assert parse_projection("a", None).apply(item) == {"a": "not an attribute value"}


def test_projection_built_by_hand_with_overlaps_still_applies() -> None:
    projection = Projection((path("a", "b"), path("a"), path("a", "c")))
    assert projection.apply(ITEM) == {"a": ITEM["a"]}
    assert projection.used_names == frozenset()


def test_projection_is_frozen_and_hashable() -> None:
    projection = parse_projection("a, b", None)
    with pytest.raises(AttributeError):
        projection.paths = ()  # type: ignore[misc]  # the immutability under test
    assert hash(projection) == hash(Projection(projection.paths, projection.used_names))


# --- AttributesToGet ----------------------------------------------------------------------------


def test_attributes_to_get_are_literal_top_level_names() -> None:
    projection = projection_from_attributes_to_get(["a.b", "status", "#x", "_y"])
    assert projection.paths == (path("a.b"), path("status"), path("#x"), path("_y"))
    item = {"a.b": {"S": "1"}, "a": {"M": {"b": {"S": "2"}}}, "status": {"S": "s"}, "z": {"S": "z"}}
    assert projection.apply(item) == {"a.b": {"S": "1"}, "status": {"S": "s"}}
    assert projection.used_names == frozenset()


def test_attributes_to_get_repeats_are_harmless() -> None:
    assert projection_from_attributes_to_get(("a", "a")).paths == (path("a"),)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("abc", "Unexpected field type"),
        (5, "Unexpected field type"),
        (["a", 5], "NUMBER_VALUE cannot be converted to String"),
        ({"a": 1}, "Start of structure or map found where not expected"),
        (None, "AttributesToGet must be a list, not NoneType"),  # no JSON form: the fake's own words
    ],
)
def test_attributes_to_get_wrong_types(names: Any, message: str) -> None:
    """Worded as ``members.kinds`` words a wrong kind where a list sits in a field."""
    with pytest.raises(SerializationException) as err:
        projection_from_attributes_to_get(names)
    assert err.value.message == message


# --- caching ------------------------------------------------------------------------------------


def test_parse_is_cached_by_text_and_used_names() -> None:
    _parse_text.cache_clear()
    _resolve.cache_clear()
    first = parse_projection("q.r, #s", {"#s": "s", "#unused": "u"})
    second = parse_projection("q.r, #s", {"#s": "s"})
    assert first is second
    assert _parse_text.cache_info().misses == 1
    assert _resolve.cache_info().misses == 1
    other = parse_projection("q.r, #s", {"#s": "t"})
    assert other.paths[1] == path("t")
    assert _parse_text.cache_info().misses == 1


# --- properties ---------------------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

attribute_names = st.one_of(
    st.sampled_from(["a", "b", "c", "status", "_x", "a.b", "x y", "0", "é"]),
    st.text(min_size=1, max_size=8),
)


def trees(depth: int = 4) -> st.SearchStrategy[Any]:
    """A projection tree: None (a leaf) or a dict whose keys are all names or all indexes."""
    leaf = st.none()
    if depth == 0:
        return leaf
    sub = trees(depth - 1)
    maps = st.dictionaries(attribute_names, sub, min_size=1, max_size=3)
    lists = st.dictionaries(st.integers(0, 12), sub, min_size=1, max_size=3)
    return st.one_of(leaf, maps, lists)


def flatten(tree: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if tree is None:
        return [prefix]
    return [p for key, child in tree.items() for p in flatten(child, (*prefix, key))]


top_level_trees = st.dictionaries(attribute_names, trees(), min_size=1, max_size=4)


def render(paths: list[tuple[str | int, ...]], spaces: list[str]) -> tuple[str, dict[str, str]]:
    """Write ``paths`` as a ProjectionExpression; names that need it become ``#n<k>`` aliases."""
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    pieces: list[str] = []
    for number, elements in enumerate(paths):
        gap = spaces[number % len(spaces)]
        parts: list[str] = []
        for position, element in enumerate(elements):
            if isinstance(element, int):
                parts.append(f"[{gap}{element}{gap}]")
                continue
            if _BARE.fullmatch(element) and element.upper() not in RESERVED_WORDS:
                text = element
            else:
                text = aliases.setdefault(element, f"#n{len(aliases)}")
                names[text] = element
            parts.append(text if position == 0 else f"{gap}.{gap}{text}")
        pieces.append("".join(parts))
    return ",".join(f"{spaces[0]}{piece}{spaces[-1]}" for piece in pieces), names


@settings(max_examples=200, derandomize=True)
@given(
    top_level_trees,
    st.randoms(use_true_random=False),
    st.lists(st.sampled_from(["", " ", "\t", "\n "]), min_size=1),
)
def test_rendered_paths_round_trip(tree: Any, random: Any, spaces: list[str]) -> None:
    paths = flatten(tree)
    random.shuffle(paths)
    expression, names = render(paths, spaces)
    if len(expression.encode()) > 4096:
        assert error(expression, names) == P + "Expression size has exceeded the maximum allowed size;"
        return
    projection = parse_projection(expression, names or None)
    assert projection.paths == tuple(path(*elements) for elements in paths)
    assert projection.used_names == frozenset(names)


_EXPRESSION_CHARS = st.sampled_from(list('abcs_#:.,[]()0123 9xyz-=<>!\t\n"é')) | st.characters()


@settings(max_examples=200, derandomize=True)
@given(
    st.text(_EXPRESSION_CHARS, max_size=40),
    st.none() | st.dictionaries(st.sampled_from(["#a", "#b", "#x", "#0", "#_"]), st.text(max_size=3)),
)
def test_any_text_gives_a_projection_or_a_validation_exception(
    text: str, names: dict[str, str] | None
) -> None:
    try:
        projection = parse_projection(text, names)
    except ValidationException as err:
        assert str(err.message).startswith(P)
    else:
        assert projection.paths
        assert projection.used_names <= frozenset(names or {})


@settings(max_examples=200, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "[0]", ".b", ", a", ", #a", "status", " ", "é", "."]), st.integers(0, 2100)
        ),
        max_size=6,
    ).map(lambda runs: "".join(piece * count for piece, count in runs))
)
def test_any_long_text_gives_a_projection_or_a_validation_exception(text: str) -> None:
    with contextlib.suppress(ValidationException):
        assert isinstance(parse_projection(text, {"#a": "a"}), Projection)


# AttributeValues over a small alphabet of names so that projections hit something.
_SMALL_NAMES = st.sampled_from(["a", "b", "c"])
scalars = st.one_of(
    st.builds(lambda s: {"S": s}, st.text(max_size=3)),
    st.builds(lambda n: {"N": str(n)}, st.integers(-5, 5)),
    st.builds(lambda b: {"B": b}, st.binary(max_size=3)),
    st.builds(lambda b: {"BOOL": b}, st.booleans()),
    st.just({"NULL": True}),
    st.builds(lambda s: {"SS": sorted(s)}, st.sets(st.text(max_size=2), min_size=1, max_size=3)),
)
attribute_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.builds(lambda m: {"M": m}, st.dictionaries(_SMALL_NAMES, inner, max_size=3)),
        st.builds(lambda items: {"L": items}, st.lists(inner, max_size=4)),
    ),
    max_leaves=12,
)
items = st.dictionaries(_SMALL_NAMES, attribute_values, max_size=3)


def small_trees(depth: int = 3) -> st.SearchStrategy[Any]:
    if depth == 0:
        return st.none()
    sub = small_trees(depth - 1)
    return st.one_of(
        st.none(),
        st.dictionaries(_SMALL_NAMES, sub, min_size=1, max_size=2),
        st.dictionaries(st.integers(0, 4), sub, min_size=1, max_size=2),
    )


def is_sub_document(part: Any, whole: Any) -> bool:
    """Whether AttributeValue ``part`` is ``whole`` cut down (lists to a subsequence)."""
    if part == whole:
        return True
    if "M" in part:
        members = whole.get("M")
        return (
            isinstance(members, dict)
            and bool(part["M"])
            and all(k in members and is_sub_document(v, members[k]) for k, v in part["M"].items())
        )
    if "L" in part:
        elements = whole.get("L")
        return isinstance(elements, list) and bool(part["L"]) and is_sub_list(part["L"], elements)
    return False


def is_sub_list(part: list[Any], whole: list[Any]) -> bool:
    if not part:
        return True
    return any(
        is_sub_document(part[0], candidate) and is_sub_list(part[1:], whole[index + 1 :])
        for index, candidate in enumerate(whole)
    )


def container_ids(value: Any) -> set[int]:
    if isinstance(value, dict):
        return {id(value)} | {i for v in value.values() for i in container_ids(v)}
    if isinstance(value, list):
        return {id(value)} | {i for v in value for i in container_ids(v)}
    return set()


@settings(max_examples=200, derandomize=True)
@given(items, st.dictionaries(_SMALL_NAMES, small_trees(), min_size=1, max_size=3))
def test_apply_gives_a_fresh_sub_document(item: dict[str, Any], tree: Any) -> None:
    projection = Projection(tuple(path(*elements) for elements in flatten(tree)))
    before = copy.deepcopy(item)
    result = projection.apply(item)
    assert item == before
    assert set(result) <= {elements[0] for elements in flatten(tree)}
    for name, value in result.items():
        assert is_sub_document(value, item[name])
    assert not container_ids(result) & container_ids(item)
    # A path that exists in full in the item is always in the result.
    for elements in flatten(tree):
        if resolve(item, elements) is not None:
            assert elements[0] in result


def resolve(item: dict[str, Any], elements: tuple[str | int, ...]) -> Any:
    value: Any = {"M": item}
    for element in elements:
        if isinstance(element, str):
            members = value.get("M")
            if not isinstance(members, dict) or element not in members:
                return None
            value = members[element]
        else:
            entries = value.get("L")
            if not isinstance(entries, list) or element >= len(entries):
                return None
            value = entries[element]
    return value


def naive_overlap_error(paths: list[DocumentPath]) -> str | None:
    """The pairwise definition ``check_overlaps`` must agree with (its trie is an optimisation)."""
    conflict: str | None = None
    for later_number, later in enumerate(paths):
        for earlier in paths[:later_number]:
            relation = "overlap"
            for first, second in zip(earlier.elements, later.elements, strict=False):
                if type(first) is not type(second):
                    relation = "conflict"
                    break
                if first != second:
                    relation = "distinct"
                    break
            pair = f"path one: {earlier.render()}, path two: {later.render()}"
            if relation == "overlap":
                return OVERLAP + pair
            if relation == "conflict" and conflict is None:
                conflict = CONFLICT + pair
    return conflict


small_paths = st.lists(
    st.lists(st.sampled_from(["a", "b"]) | st.integers(0, 1), min_size=1, max_size=4).map(
        lambda elements: path(*elements)
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=200, derandomize=True)
@given(small_paths)
def test_overlap_and_conflict_agree_with_the_pairwise_definition(paths: list[DocumentPath]) -> None:
    expected = naive_overlap_error(paths)
    try:
        check_overlaps(paths, "ProjectionExpression")
    except ValidationException as err:
        assert err.message == expected
    else:
        assert expected is None


def test_hand_built_negative_index_selects_nothing() -> None:
    projection = Projection((path("l", -1), path("l", 0)))
    assert projection.apply(ITEM) == {"l": {"L": [{"S": "0"}]}}
