"""ProjectionExpression (and legacy AttributesToGet): parse once, then cut items down to the paths.

Implements the Developer Guide page
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
as GetItem, BatchGetItem, Query, Scan and TransactGetItems use it. ``parse_projection`` checks, in
this order: the text is a string, not blank, at most 4 KB; its syntax; reserved bare names; undefined
aliases; nesting depth; overlapping then conflicting paths (reference §7.2; the position of the size
and depth checks in that order is ours, the reference being silent). The alias-free parse is cached
by expression text and the resolved ``Projection`` by (text, the aliases it uses and their names), so
a batch repeating one expression parses it once; the caches are bounded by entries and by bytes
(``cache``), and keep neither what failed nor what is too large. ``Projection.apply`` builds a
fresh projected item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import limits
from ..members import kinds
from .cache import bounded_cache
from .names import require_str
from .paths import (
    UNDEFINED_NAME,
    DocumentPath,
    Name,
    RawPath,
    check_nesting,
    check_overlaps,
    check_reserved,
    parse_path,
    resolve_paths,
)
from .text import checked_text
from .tokens import TokenKind, TokenStream, invalid_expression

__all__ = [
    "MAX_EXPRESSION_BYTES",
    "Projection",
    "parse_projection",
    "projection_from_attributes_to_get",
]

KIND = "ProjectionExpression"

# ``limits.MAX_EXPRESSION_BYTES`` [DG:ServiceQuotas]: an expression string is at most 4 KB. The message
# is not in the reference. Two emulators that record DynamoDB's answers (extenddb's
# test_expression_size.py, floci's DynamoDbExpressionSize.java) agree that for ProjectionExpression it
# is this text, with no "expression size: N" suffix (which FilterExpression and ConditionExpression
# add), counted in UTF-8 bytes of the raw text (before alias substitution), 4096 bytes being accepted.
MAX_EXPRESSION_BYTES = limits.MAX_EXPRESSION_BYTES  # the old name, kept for importers

# The caches' bounds. Costs estimate the bytes an entry holds, key and value: measured with
# tracemalloc, a parse holds at most about 64 bytes per character of its text (4 KB of ``a.b[1], ``
# paths: 260 KB with its resolved Projection), a resolved name its characters (up to 4 bytes each in
# CPython) plus its objects, and an AttributesToGet name about 230 bytes plus its characters. An
# entry may cost up to 320 KiB (a 4 KB expression, the largest DynamoDB accepts, fits) and each cache
# 2 MiB in all: tens of thousands of a typical client's short expressions, a handful of 4 KB ones.
_PER_CHARACTER = 64
_PER_OBJECT = 256
MAX_CACHE_ENTRIES = 1024
MAX_CACHE_BYTES = 2 * 1024 * 1024
MAX_CACHE_ENTRY_BYTES = 320 * 1024


@dataclass(frozen=True, slots=True, eq=False)
class _Node:
    """One level of the projection tree: map keys and (sorted) list indexes to project below it.

    A child of None means "the whole value from here down".
    """

    names: Mapping[str, _Node | None]
    indexes: tuple[tuple[int, _Node | None], ...]


@dataclass(frozen=True, slots=True)
class Projection:
    """A parsed projection: its resolved paths and the ``#aliases`` it used.

    Made by ``parse_projection`` or ``projection_from_attributes_to_get``. ``apply`` is
    O(size of the projected part of the item); building one is O(total path length).
    """

    paths: tuple[DocumentPath, ...]
    used_names: frozenset[str] = frozenset()
    _tree: _Node = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tree", _build_tree(self.paths))

    def apply(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """A fresh item holding only the projected paths of ``item``, which it never aliases.

        The nested shape is kept; list elements keep their index order but are compacted (``l[3]``
        gives a one-element list). Paths that are missing, or that go through a value which is not
        a map (for a name) or not a list (for an index; sets are not lists), are left out, and so
        is a map or list from which nothing was projected.
        """
        result: dict[str, Any] = {}
        for name, child in self._tree.names.items():
            if name in item:
                projected = _project(item[name], child)
                if projected is not None:
                    result[name] = projected
        return result


def _build_tree(paths: Sequence[DocumentPath]) -> _Node:
    # Overlapping and conflicting paths are refused before a Projection is made; should one be
    # built by hand with them, a shorter path covers a longer one and names and indexes coexist.
    root: dict[str | int, Any] = {}
    for path in paths:
        node = root
        last = len(path.elements) - 1
        for position, element in enumerate(path.elements):
            key: str | int = element.name if isinstance(element, Name) else element.index
            if position == last:
                node[key] = None
                break
            child = node.setdefault(key, {})
            if child is None:
                break
            node = child
    return _freeze(root)


def _freeze(tree: dict[str | int, Any]) -> _Node:
    def freeze_child(child: dict[str | int, Any] | None) -> _Node | None:
        return None if child is None else _freeze(child)

    names = {key: freeze_child(child) for key, child in tree.items() if isinstance(key, str)}
    # Negative indexes can only come from paths built by hand; they select nothing.
    indexes = sorted(
        ((key, freeze_child(child)) for key, child in tree.items() if isinstance(key, int) and key >= 0),
        key=lambda pair: pair[0],
    )
    return _Node(names, tuple(indexes))


def _project(value: Any, node: _Node | None) -> Any:
    """The projected copy of AttributeValue ``value`` under ``node``, or None if nothing is left.

    Recursion depth is bounded by the path depth (32, checked at parse time).
    """
    if node is None:
        return _copy(value)
    if not isinstance(value, Mapping):
        return None
    members = value.get("M")
    if node.names and isinstance(members, Mapping):
        projected_map: dict[str, Any] = {}
        for name, child in node.names.items():
            if name in members:
                projected = _project(members[name], child)
                if projected is not None:
                    projected_map[name] = projected
        return {"M": projected_map} if projected_map else None
    elements = value.get("L")
    if node.indexes and isinstance(elements, list | tuple):
        projected_list: list[Any] = []
        for index, child in node.indexes:
            if index >= len(elements):
                break
            projected = _project(elements[index], child)
            if projected is not None:
                projected_list.append(projected)
        return {"L": projected_list} if projected_list else None
    return None


def _copy(value: Any) -> Any:
    """A copy of an AttributeValue sharing nothing mutable with it.

    Recursive: stored items are at most 32 levels deep, which DynamoDB enforces on every write.
    """
    if isinstance(value, Mapping):
        return {key: _copy(member) for key, member in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(member) for member in value]
    if isinstance(value, bytearray):
        return bytearray(value)
    return value


@dataclass(frozen=True, slots=True)
class _RawProjection:
    paths: tuple[RawPath, ...]
    aliases: tuple[str, ...]  # distinct, in order of first appearance


def _text_cost(expression: str) -> int:
    return _PER_CHARACTER * len(expression) + _PER_OBJECT


def _names_cost(names: tuple[str, ...]) -> int:
    """Estimated bytes held by ``names`` and the objects made for each. O(len(names))."""
    return sum(4 * len(name) + _PER_OBJECT for name in names) + _PER_OBJECT


def _resolved_cost(expression: str, bindings: tuple[tuple[str, str], ...]) -> int:
    return _text_cost(expression) + sum(_names_cost(pair) for pair in bindings)


@bounded_cache(
    cost=_text_cost,
    max_entries=MAX_CACHE_ENTRIES,
    max_cost=MAX_CACHE_BYTES,
    max_entry_cost=MAX_CACHE_ENTRY_BYTES,
)
def _parse_text(expression: str) -> _RawProjection:
    """Syntax and reserved words: everything that does not depend on ExpressionAttributeNames."""
    stream = TokenStream(expression, KIND)
    paths = [parse_path(stream)]
    while stream.accept(TokenKind.COMMA) is not None:
        paths.append(parse_path(stream))
    if stream.peek().kind is not TokenKind.EOF:
        raise stream.syntax_error()
    check_reserved(paths, KIND)
    aliases = dict.fromkeys(alias for path in paths for alias in path.aliases)
    return _RawProjection(tuple(paths), tuple(aliases))


@bounded_cache(
    cost=_resolved_cost,
    max_entries=MAX_CACHE_ENTRIES,
    max_cost=MAX_CACHE_BYTES,
    max_entry_cost=MAX_CACHE_ENTRY_BYTES,
)
def _resolve(expression: str, bindings: tuple[tuple[str, str], ...]) -> Projection:
    raw = _parse_text(expression)
    paths = resolve_paths(raw.paths, dict(bindings), KIND)
    check_nesting(paths, KIND)
    check_overlaps(paths, KIND)
    return Projection(paths, frozenset(alias for alias, _ in bindings))


def parse_projection(expression: str, names: Mapping[str, str] | None) -> Projection:
    """The ``Projection`` for ``expression`` with ExpressionAttributeNames ``names`` (may be None).

    Raises ValidationException with DynamoDB's ``Invalid ProjectionExpression: ...`` messages, and
    SerializationException if ``expression`` or a used alias's name is not a string. Unused names
    are not checked here: that is a request-wide check (``check_unused_names``). Cached: O(1) for an
    expression and names seen before, else O(len(expression) + n² · depth) for n paths.
    """
    text = checked_text(expression, KIND, with_size=False)
    raw = _parse_text(text)
    if names is not None and not isinstance(names, Mapping):
        raise kinds.wrong_kind(names, kinds.STRING_MAP, "ExpressionAttributeNames")
    bindings: list[tuple[str, str]] = []
    for alias in raw.aliases:
        if names is None or alias not in names:
            raise invalid_expression(KIND, UNDEFINED_NAME.format(alias=alias))
        bindings.append((alias, require_str(names[alias], f"ExpressionAttributeNames[{alias}]")))
    return _resolve(text, tuple(bindings))


def projection_from_attributes_to_get(names: Sequence[str]) -> Projection:
    """The ``Projection`` for legacy ``AttributesToGet``: top-level attributes, taken literally.

    No alias, reserved-word or syntax rules apply (``a.b`` is the attribute named ``a.b``).
    Duplicates are the caller's to refuse (§4.2); here a repeat is harmless. O(len(names)), cached.
    """
    if isinstance(names, str | bytes) or not isinstance(names, Sequence):
        raise kinds.wrong_kind(names, kinds.LIST, "AttributesToGet")
    return _from_attributes(tuple(require_str(name, "An AttributesToGet member") for name in names))


@bounded_cache(
    cost=_names_cost,
    max_entries=MAX_CACHE_ENTRIES,
    max_cost=MAX_CACHE_BYTES,
    max_entry_cost=MAX_CACHE_ENTRY_BYTES,
)
def _from_attributes(names: tuple[str, ...]) -> Projection:
    unique = dict.fromkeys(names)
    return Projection(tuple(DocumentPath((Name(name),)) for name in unique))
