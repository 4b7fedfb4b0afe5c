"""Document paths: their AST, their parser, and the checks DynamoDB makes on a set of them.

A path is ``name`` or ``#alias``, then ``.name`` / ``.#alias`` / ``[n]`` segments, as the Developer
Guide page https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html
describes. ``parse_path`` reads one from a ``TokenStream`` into a ``RawPath`` (aliases unresolved, so
the parse can be cached by expression text alone); ``resolve_paths`` turns raw paths into
``DocumentPath``s of attribute names and list indexes. The checks every expression kind shares live
here too, each raising DynamoDB's own message: reserved bare names, undefined aliases, the 32-level
nesting limit, and overlapping or conflicting paths (ProjectionExpression and UpdateExpression).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from .. import limits
from .names import require_str
from .reserved_words import is_reserved
from .tokens import TokenKind, TokenStream, invalid_expression

__all__ = [
    "MAX_NESTING_LEVELS",
    "Alias",
    "DocumentPath",
    "Index",
    "Name",
    "PathElement",
    "RawElement",
    "RawPath",
    "check_nesting",
    "check_overlaps",
    "check_reserved",
    "parse_path",
    "resolve_paths",
]

# ``limits.MAX_NESTING`` [DG:ServiceQuotas] "up to 32 levels deep"; DynamoDB accepts `a` + 31 `.b`
# segments and refuses 32 (ScyllaDB's alternator test_projection_expression.py, run against DynamoDB).
# A list index counts as a level like a map key does: the reference is silent on that, this is our
# reading.
MAX_NESTING_LEVELS = limits.MAX_NESTING  # the old name, kept for importers

RESERVED_KEYWORD = "Attribute name is a reserved keyword; reserved keyword: {word}"
UNDEFINED_NAME = (
    "An expression attribute name used in the document path is not defined; attribute name: {alias}"
)
# From DynamoDB's answer quoted in ScyllaDB's alternator tests; not in the reference.
TOO_DEEP = "The document path has too many nesting levels; nesting levels: {levels}"
OVERLAP = (
    "Two document paths overlap with each other; must remove or rewrite one of these paths; "
    "path one: {one}, path two: {two}"
)
CONFLICT = (
    "Two document paths conflict with each other; must remove or rewrite one of these paths; "
    "path one: {one}, path two: {two}"
)


@dataclass(frozen=True, slots=True)
class Name:
    """A map key (or top-level attribute name), after alias resolution."""

    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """A list index, ``[n]``."""

    index: int


@dataclass(frozen=True, slots=True)
class Alias:
    """An unresolved ``#alias`` segment; ``alias`` includes the ``#``."""

    alias: str


PathElement: TypeAlias = Name | Index
RawElement: TypeAlias = Name | Alias | Index


@dataclass(frozen=True, slots=True)
class DocumentPath:
    """A resolved document path: attribute names and list indexes, outermost first."""

    elements: tuple[PathElement, ...]

    def render(self) -> str:
        """The path as DynamoDB's messages print it: ``[a, b, [0]]``."""
        parts = (f"[{e.index}]" if isinstance(e, Index) else e.name for e in self.elements)
        return "[" + ", ".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class RawPath:
    """A path as written: bare names are ``Name``, ``#aliases`` are ``Alias`` (not yet resolved)."""

    elements: tuple[RawElement, ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        """The aliases this path uses, in order of appearance (repeats kept)."""
        return tuple(e.alias for e in self.elements if isinstance(e, Alias))


def parse_path(stream: TokenStream) -> RawPath:
    """Read one document path at the stream's cursor; a syntax error if there is none. O(tokens)."""
    elements: list[RawElement] = [_parse_name(stream)]
    while True:
        if stream.accept(TokenKind.DOT) is not None:
            elements.append(_parse_name(stream))
        elif stream.accept(TokenKind.LBRACKET) is not None:
            number = stream.expect(TokenKind.NUMBER)
            stream.expect(TokenKind.RBRACKET)
            # An expression is at most 4 KB, so the digit count stays under int()'s 4300 limit. The
            # reference is silent on indexes too large for DynamoDB's own integers; we accept them.
            elements.append(Index(int(number.text)))
        else:
            return RawPath(tuple(elements))


def _parse_name(stream: TokenStream) -> Name | Alias:
    token = stream.peek()
    if token.kind is TokenKind.NAME:
        stream.advance()
        return Name(token.text)
    if token.kind is TokenKind.ALIAS:
        stream.advance()
        return Alias(token.text)
    raise stream.syntax_error()


def check_reserved(paths: Iterable[RawPath], kind: str) -> None:
    """Refuse the first bare name (in order) that is a reserved word, echoing it as written."""
    for path in paths:
        for element in path.elements:
            if isinstance(element, Name) and is_reserved(element.name):
                raise invalid_expression(kind, RESERVED_KEYWORD.format(word=element.name))


def resolve_paths(
    paths: Sequence[RawPath], names: Mapping[str, str] | None, kind: str
) -> tuple[DocumentPath, ...]:
    """Replace every alias by its name; the first undefined alias (in order) is refused. O(size)."""
    resolved: list[DocumentPath] = []
    for path in paths:
        elements: list[PathElement] = []
        for element in path.elements:
            if isinstance(element, Alias):
                if names is None or element.alias not in names:
                    raise invalid_expression(kind, UNDEFINED_NAME.format(alias=element.alias))
                target = require_str(names[element.alias], f"ExpressionAttributeNames[{element.alias}]")
                elements.append(Name(target))
            else:
                elements.append(element)
        resolved.append(DocumentPath(tuple(elements)))
    return tuple(resolved)


def check_nesting(paths: Iterable[DocumentPath | RawPath], kind: str) -> None:
    """Refuse the first path deeper than ``MAX_NESTING_LEVELS`` elements."""
    for path in paths:
        if len(path.elements) > MAX_NESTING_LEVELS:
            raise invalid_expression(kind, TOO_DEEP.format(levels=len(path.elements)))


def check_overlaps(paths: Sequence[DocumentPath], kind: str) -> None:
    """Refuse two paths that overlap (one is a prefix of, or equal to, the other) or conflict.

    Paths conflict when, after a common prefix, one continues with a name and the other with an
    index (``a.b`` and ``a[0]``). Each path is compared with every earlier one, the earlier being
    "path one". As in dynalite (whose tests ran against DynamoDB), an overlap anywhere wins over a
    conflict; of several, we report the first later path involved and, for it, the first earlier
    one (dynalite reports the last conflict found). A trie of the paths seen so far finds those
    earliest partners in O(total path length) instead of comparing every pair.
    """
    root = _TrieNode()
    conflict: tuple[int, int] | None = None
    for later, path in enumerate(paths):
        overlap, clash = _partners(root, path.elements)
        if overlap is not None:
            raise invalid_expression(kind, OVERLAP.format(one=paths[overlap].render(), two=path.render()))
        if clash is not None and conflict is None:
            conflict = (clash, later)
        _insert(root, path.elements, later)
    if conflict is not None:
        one, two = conflict
        raise invalid_expression(kind, CONFLICT.format(one=paths[one].render(), two=paths[two].render()))


class _TrieNode:
    """A node of the path trie; each ``first_*`` is the index of the earliest path with that property."""

    __slots__ = ("children", "first_ending", "first_through", "first_via_index", "first_via_name")

    def __init__(self) -> None:
        self.children: dict[PathElement, _TrieNode] = {}
        self.first_ending: int | None = None  # a path ending exactly here
        self.first_through: int | None = None  # a path reaching this node (ending here or deeper)
        self.first_via_name: int | None = None  # a path continuing from here with a name
        self.first_via_index: int | None = None  # a path continuing from here with an index


def _earliest(*indexes: int | None) -> int | None:
    present = [index for index in indexes if index is not None]
    return min(present) if present else None


def _partners(root: _TrieNode, elements: tuple[PathElement, ...]) -> tuple[int | None, int | None]:
    """The earliest inserted path overlapping ``elements``, and the earliest conflicting with it."""
    overlap: int | None = None
    conflict: int | None = None
    node = root
    for depth, element in enumerate(elements):
        other_kind = node.first_via_name if isinstance(element, Index) else node.first_via_index
        conflict = _earliest(conflict, other_kind)
        child = node.children.get(element)
        if child is None:
            return overlap, conflict
        node = child
        overlap = _earliest(overlap, node.first_ending)  # an earlier path is a prefix of this one
        if depth == len(elements) - 1:
            overlap = _earliest(overlap, node.first_through)  # this one is a prefix of (or equal to) it
    return overlap, conflict


def _insert(root: _TrieNode, elements: tuple[PathElement, ...], number: int) -> None:
    node = root
    for element in elements:
        if isinstance(element, Index):
            node.first_via_index = _earliest(node.first_via_index, number)
        else:
            node.first_via_name = _earliest(node.first_via_name, number)
        node = node.children.setdefault(element, _TrieNode())
        node.first_through = _earliest(node.first_through, number)
    node.first_ending = _earliest(node.first_ending, number)
