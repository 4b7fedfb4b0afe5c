"""The fuzzers' raw material: JSON-like junk, and valid requests made invalid in one to three places.

``json_like`` and ``json_objects`` draw junk shaped like requests (DynamoDB's member names, every
scalar type, bytes, NaN, huge integers); ``mutated`` takes valid requests and drops, renames,
retypes (JSON kinds and the Python ones an in-process caller may pass), wraps, duplicates, empties
or deeply nests a member, puts a lone surrogate in a string or a map key, a huge number (thousands
of digits, or of exponent digits) in a leaf, a huge list in place of a value, a non-string map key,
or makes the whole request something that is not a mapping; ``deeply_nested`` nests one member
hundreds of levels deep. ``to_wire`` and ``wire_mutated`` give a request as the server receives it
(binary as base64) with its base64 spoiled, lone surrogates included. Everything is built and walked
without recursion.
"""

from __future__ import annotations

import base64
import copy
import functools
from collections import deque
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "HUGE_NUMBERS",
    "KNOWN_MEMBERS",
    "NOT_MAPPINGS",
    "ODD_NAMES",
    "SURROGATES",
    "TOP_LEVEL_MEMBERS",
    "deeply_nested",
    "json_like",
    "json_objects",
    "mutated",
    "to_wire",
    "wire_mutated",
]

Draw = st.DrawFn

KNOWN_MEMBERS = (
    "TableName", "RequestItems", "Item", "Key", "Keys", "PutRequest", "DeleteRequest",
    "ProjectionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues", "AttributesToGet",
    "ConsistentRead", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "ReturnValues",
    "ConditionExpression", "Expected", "ConditionalOperator", "KeySchema", "AttributeDefinitions",
    "AttributeName", "AttributeType", "KeyType", "BillingMode", "ProvisionedThroughput",
    "ReadCapacityUnits", "WriteCapacityUnits", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
    "IndexName", "Projection", "ProjectionType", "NonKeyAttributes", "Limit", "ExclusiveStartTableName",
    "Tags", "Value", "StreamSpecification", "StreamEnabled", "StreamViewType", "SSESpecification",
    "Enabled", "SSEType", "KMSMasterKeyId", "TableClass", "DeletionProtectionEnabled",
    "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS",
)  # fmt: skip


@functools.cache
def json_like(*, strings: tuple[str, ...] = (), max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Random JSON-like values (plus bytes, NaN and huge ints): dicts keyed by DynamoDB's member
    names or arbitrary text, lists, and every scalar; ``strings`` adds known values (table names)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=10),
        st.binary(max_size=10),
        st.sampled_from(["", "S", "N", "1", "1.5", "TOTAL", "ALL_OLD", "HASH", "arn:", *strings]),
    )
    member_names = st.one_of(st.sampled_from(KNOWN_MEMBERS), st.text(max_size=8))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(member_names, children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


# Members the operations read at the top level of a request; junk names them often, so it gets past
# "Value null at 'tableName'" and into the checks behind it.
TOP_LEVEL_MEMBERS = (
    "TableName", "RequestItems", "Item", "Key", "ProjectionExpression", "ExpressionAttributeNames",
    "AttributesToGet", "ConsistentRead", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics",
    "ReturnValues", "KeySchema", "AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
    "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "Limit", "ExclusiveStartTableName", "Tags",
)  # fmt: skip


@functools.cache
def json_objects(*, strings: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """Random JSON objects, the outer shape of every request: known top-level members (each present
    or not, ``TableName`` often a real one) holding junk, plus a few arbitrary members."""
    junk = json_like(strings=strings)
    known = st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.sampled_from(strings), junk) if name == "TableName" and strings else junk
            for name in TOP_LEVEL_MEMBERS
        },
    )
    member_names = st.one_of(st.sampled_from(KNOWN_MEMBERS), st.text(max_size=8))
    extra = st.dictionaries(member_names, junk, max_size=3)
    return st.builds(lambda a, b: {**b, **a}, known, extra)


Path = tuple[Any, ...]


def _paths(value: Any) -> Iterator[Path]:
    """Every position inside ``value`` (dict keys and list indexes), outermost first; iterative, so a
    request nested hundreds of levels deep is walked without recursion. A container met again (a huge
    list repeating one member) is not walked again: its positions are those of its first place."""
    pending: deque[tuple[Path, Any]] = deque([((), value)])
    walked: set[int] = {id(value)}
    while pending:
        prefix, node = pending.popleft()
        members = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        for key, member in members:
            path = (*prefix, key)
            yield path
            if isinstance(member, dict | list) and id(member) not in walked:
                walked.add(id(member))
                pending.append((path, member))


def _copy_tree(value: Any) -> Any:
    """A copy of every dict and list inside ``value`` (leaves shared: they are immutable here; a
    container met again is copied once, and that copy shared), without recursion, so a value nested
    hundreds of levels deep can be duplicated."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    copies: dict[int, Any] = {id(value): root}
    pending: list[tuple[Any, Any]] = [(value, root)]
    while pending:
        source, target = pending.pop()
        members = source.items() if isinstance(source, dict) else enumerate(source)
        for key, member in members:
            if isinstance(member, dict | list):
                child: Any = copies.get(id(member))
                if child is None:
                    child = copies[id(member)] = {} if isinstance(member, dict) else []
                    pending.append((member, child))
            else:
                child = member
            if isinstance(target, dict):
                target[key] = child
            else:
                target.append(child)
    return root


def _node(root: Any, path: Path) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def _parent(root: Any, path: Path) -> Any:
    return _node(root, path[:-1])


def _nest(value: Any, depth: int, style: str) -> Any:
    """``value`` inside ``depth`` containers, built without recursion."""
    for level in range(depth):
        if style == "M":
            value = {"M": {"a": value}}
        elif style == "L":
            value = {"L": [value]}
        elif style == "list":
            value = [value]
        elif style == "dict":
            value = {"x": value}
        else:  # alternate AttributeValue containers
            value = {"M": {"a": value}} if level % 2 else {"L": [value]}
    return value


@functools.cache
def _of_another_type(old: str, strings: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A value whose type is not the one named ``old`` (no filtering, so no retries): a JSON kind,
    or one only an in-process caller can pass (Decimal, tuple, set, bytearray)."""
    junk = json_like(strings=strings)
    by_type: dict[type, st.SearchStrategy[Any]] = {
        type(None): st.none(),
        bool: st.booleans(),
        int: st.integers(),
        float: st.floats(),
        str: st.one_of(st.text(max_size=10), st.sampled_from(["", "S", "1", *strings])),
        bytes: st.binary(max_size=10),
        list: st.lists(junk, max_size=3),
        dict: st.dictionaries(st.sampled_from(KNOWN_MEMBERS), junk, max_size=3),
        Decimal: st.sampled_from([Decimal("1.5"), Decimal(10) ** 200, Decimal("-0")]),
        tuple: st.lists(junk, max_size=3).map(tuple),
        frozenset: st.frozensets(st.sampled_from(["a", "1", "YQ==", *strings]), max_size=3),
        bytearray: st.binary(max_size=4).map(bytearray),
    }
    return st.one_of(*(strategy for kind, strategy in by_type.items() if kind.__name__ != old))


# Halves of a surrogate pair, alone: legal in a JSON string (as an escape) and in a Python str, not
# in UTF-8.
SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
# Numbers too big or too small for DynamoDB, many past what int() and str() of an int take (4,300
# digits), as strings (an N) and as the numbers JSON or a Python caller can send.
HUGE_NUMBERS: tuple[Any, ...] = (
    "1e" + "0" * 4400 + "1",  # 4,401 exponent digits, mostly leading zeros
    "-1E-" + "0" * 4400 + "1",
    "1e" + "9" * 5000,
    "9" * 5000,
    "0." + "0" * 5000 + "1",
    "1e999999999999999999",
    "1E-999999999999999999",
    "9" * 39,
    10**5000,
    -(10**4400),
    10**38,
    1e308,
    -1e-308,
    float("inf"),
)
# What a request that is not a mapping may be instead.
NOT_MAPPINGS: tuple[Any, ...] = (None, "", "TableName", 0, 10**5000, 1.5, True, b"{}", ("TableName",))
# Keys no JSON object can have, but an in-process caller's dict can.
ODD_KEYS: tuple[Any, ...] = (None, 0, 1.5, True, b"Item", ("Item",), frozenset({"S"}))
# Sizes of a huge list: past 25 and 100 (the batch limits), and far past.
HUGE_LIST_SIZES = (26, 101, 1_000, 20_000)


MUTATIONS = (
    "drop", "null", "retype", "wrap_list", "wrap_map", "wrap_av", "deep", "duplicate", "empty",
    "add_member", "rename", "surrogate", "huge_number", "huge_list", "odd_key", "not_a_mapping",
)  # fmt: skip
# Names a renamed member (or table) gets: empty, too short, too long, not matching the table-name
# pattern, or a table that does not exist.
ODD_NAMES = ("", "x", "ab", "a" * 256, "bad name!", "props_missing", "arn:aws:dynamodb:eu-west-1:1:table/x")


def _draw_path(draw: Draw, paths: list[Path]) -> Path:
    """A position, its depth chosen first: the few shallow positions (members, table entries,
    WriteRequests) get as much attention as the many deep ones inside items."""
    depths = sorted({len(path) for path in paths})
    depth = draw(st.sampled_from(depths))
    path: Path = draw(st.sampled_from([p for p in paths if len(p) == depth]))
    return path


@st.composite
def mutated(
    draw: Draw,
    base: st.SearchStrategy[dict[str, Any]],
    *,
    strings: tuple[str, ...] = (),
    min_mutations: int = 1,
    max_mutations: int = 3,
) -> Any:
    """A request from ``base`` with ``min_mutations``..``max_mutations`` defects at random positions:
    a member dropped, renamed (table names too), set to null, replaced by one of another type, wrapped
    in a list/map/AttributeValue, nested 31..300 levels deep, duplicated, emptied, or an unexpected
    member added; a lone surrogate in a string or key, a huge number in a leaf, a huge list, a key
    that is not a string; or the whole request replaced by something that is not a mapping (which
    ends the mutations). (Deeper nesting: see ``deeply_nested``.)"""
    request: dict[str, Any] = copy.deepcopy(draw(base))
    nested = False  # one deep nesting at most: two could stack past the test's own recursion limit
    for _ in range(draw(st.integers(min_mutations, max_mutations))):
        kind = draw(st.sampled_from(MUTATIONS))
        if kind == "deep" and nested:
            kind = "wrap_list"
        if kind == "not_a_mapping":
            return _not_a_mapping(draw, request)
        paths = list(_paths(request))
        if kind == "add_member" or not paths:
            _add_member(draw, request, paths, strings)
        elif kind in _SPOILERS:
            _SPOILERS[kind](draw, request, paths)
        else:
            nested = _mutate_at(draw, request, _draw_path(draw, paths), kind, strings) or nested
    return request


def _mutate_at(draw: Draw, request: dict[str, Any], path: Path, kind: str, strings: tuple[str, ...]) -> bool:
    """Apply mutation ``kind`` at ``path``; True if it nested the value deeply."""
    parent, last = _parent(request, path), path[-1]
    value = parent[last]
    if kind == "drop":
        del parent[last]
    elif kind == "null":  # JSON null: present but empty, unlike a dropped member
        parent[last] = None
    elif kind == "retype":
        parent[last] = draw(_of_another_type(type(value).__name__, strings))
    elif kind == "wrap_list":
        parent[last] = [value]
    elif kind == "wrap_map":
        parent[last] = {draw(st.sampled_from(KNOWN_MEMBERS)): value}
    elif kind == "wrap_av":
        parent[last] = {draw(st.sampled_from(["S", "N", "B", "M", "L", "SS", "NS", "BS", "NULL"])): value}
    elif kind == "rename" and isinstance(parent, dict):
        del parent[last]
        parent[draw(st.sampled_from([*ODD_NAMES, *KNOWN_MEMBERS[:10], *strings]))] = value
    elif kind == "deep":
        depth = draw(st.sampled_from([31, 32, 33, 100, 300]))
        parent[last] = _nest(value, depth, draw(st.sampled_from(["M", "L", "list", "dict", "mixed"])))
        return True
    elif kind == "duplicate":
        if isinstance(parent, list):
            parent.insert(last, _copy_tree(value))
        else:
            parent[f"{last}_copy" if isinstance(last, str) else "copy"] = _copy_tree(value)
    elif kind == "empty":
        parent[last] = type(value)() if isinstance(value, dict | list | str | bytes) else None
    else:  # rename of a list member: nothing to rename, so drop it instead
        del parent[last]
    return False


def _add_member(draw: Draw, request: dict[str, Any], paths: list[Path], strings: tuple[str, ...]) -> None:
    target = request
    inner = [p for p in paths if isinstance(_node(request, p), dict)]
    use_inner: bool = bool(inner) and draw(st.booleans())
    if use_inner:
        target = _node(request, draw(st.sampled_from(inner)))
    target[draw(st.sampled_from(KNOWN_MEMBERS))] = draw(json_like(strings=strings))


def _not_a_mapping(draw: Draw, request: dict[str, Any]) -> Any:
    """Something a caller might send instead of a request: a scalar, or the request in a list."""
    choice = draw(st.integers(0, len(NOT_MAPPINGS)))
    return [request] if choice == len(NOT_MAPPINGS) else NOT_MAPPINGS[choice]


def _rekey(mapping: dict[Any, Any], old: Any, new: Any) -> None:
    """Rename key ``old`` of ``mapping`` to ``new`` where it stands (members keep their order)."""
    members = list(mapping.items())
    mapping.clear()
    mapping.update((new if key == old else key, value) for key, value in members)


def _put_surrogate(draw: Draw, request: dict[str, Any], paths: list[Path]) -> None:
    """A lone surrogate at a random place in a string value or a map key."""
    texts = [p for p in paths if isinstance(p[-1], str) or isinstance(_node(request, p), str)]
    surrogate = draw(st.sampled_from(SURROGATES))
    if not texts:
        request[surrogate] = {}
        return
    path = _draw_path(draw, texts)
    parent, last = _parent(request, path), path[-1]
    value = parent[last]
    in_key: bool = isinstance(last, str) and (not isinstance(value, str) or draw(st.booleans()))
    text: str = last if in_key else value
    at = draw(st.integers(0, len(text)))
    spoiled = text[:at] + surrogate + text[at:]
    if in_key:
        _rekey(parent, last, spoiled)
    else:
        parent[last] = spoiled


def _put_huge_number(draw: Draw, request: dict[str, Any], paths: list[Path]) -> None:
    """A huge number in a leaf, often in an N or an NS member."""
    numbers = [p for p in paths if p[-1] == "N" or (len(p) > 1 and p[-2] == "NS")]
    leaves = [p for p in paths if not isinstance(_node(request, p), dict | list)]
    use_numbers: bool = bool(numbers) and draw(st.booleans())
    path = _draw_path(draw, numbers if use_numbers else leaves or paths)
    _parent(request, path)[path[-1]] = draw(st.sampled_from(HUGE_NUMBERS))


def _put_huge_list(draw: Draw, request: dict[str, Any], paths: list[Path]) -> None:
    """A list of 26 to 20,000 members in place of a value, often of a list: its first member repeated
    (one object, as a caller may pass it) or distinct numbers as strings (a huge NS or SS)."""
    lists = [p for p in paths if isinstance(_node(request, p), list) and _node(request, p)]
    use_lists: bool = bool(lists) and draw(st.booleans())
    path = _draw_path(draw, lists if use_lists else paths)
    parent, last = _parent(request, path), path[-1]
    value = parent[last]
    size = draw(st.sampled_from(HUGE_LIST_SIZES))
    if draw(st.booleans()):
        parent[last] = [str(n) for n in range(size)]
    else:
        parent[last] = [value[0] if isinstance(value, list) and value else value] * size


def _put_odd_key(draw: Draw, request: dict[str, Any], paths: list[Path]) -> None:
    """A map key that is not a string, at any depth (the request's own members included)."""
    maps = [p for p in paths if isinstance(_node(request, p), dict) and _node(request, p)]
    use_inner: bool = bool(maps) and draw(st.booleans())
    target: dict[Any, Any] = _node(request, _draw_path(draw, maps)) if use_inner else request
    odd = draw(st.sampled_from(ODD_KEYS))
    if not target:
        target[odd] = {}
        return
    _rekey(target, draw(st.sampled_from(list(target))), odd)


_SPOILERS = {
    "surrogate": _put_surrogate,
    "huge_number": _put_huge_number,
    "huge_list": _put_huge_list,
    "odd_key": _put_odd_key,
}


@st.composite
def deeply_nested(
    draw: Draw, base: st.SearchStrategy[dict[str, Any]], *, depths: Sequence[int] = (200, 350, 500, 650)
) -> dict[str, Any]:
    """A request from ``base`` with one member nested ``depths`` levels deep (JSON parsers accept
    several hundred levels; DynamoDB's own limit is 32 levels of M/L), and sometimes a renamed
    member too, so that an error message that echoes values has to print the deep one."""
    request: dict[str, Any] = copy.deepcopy(draw(base))
    paths = list(_paths(request))
    rename: bool = bool(paths) and draw(st.booleans())
    if rename:
        path = draw(st.sampled_from(paths))
        parent = _parent(request, path)
        if isinstance(parent, dict):
            parent[draw(st.sampled_from(ODD_NAMES))] = parent.pop(path[-1])
        paths = list(_paths(request))
    style = draw(st.sampled_from(["M", "L", "list", "dict", "mixed"]))
    depth = draw(st.sampled_from(list(depths)))
    if not paths:
        request[draw(st.sampled_from(TOP_LEVEL_MEMBERS))] = _nest({}, depth, style)
        return request
    path = draw(st.sampled_from(paths))
    parent = _parent(request, path)
    parent[path[-1]] = _nest(parent[path[-1]], depth, style)
    return request


# --- as the server receives a request ----------------------------------------------------------------


def to_wire(request: Any) -> tuple[Any, list[Path]]:
    """A copy of ``request`` as its JSON body parses: every ``bytes`` value as base64 text; and the
    positions of those texts, outermost first."""
    wired = _copy_tree(request)
    blobs: list[Path] = []
    for path in list(_paths(wired)):
        value = _node(wired, path)
        if isinstance(value, bytes | bytearray):
            _parent(wired, path)[path[-1]] = base64.b64encode(value).decode("ascii")
            blobs.append(path)
    return wired, blobs


# Characters that spoil a base64 text: outside the alphabet, off the BMP, padding, a line break.
_NOT_BASE64 = ("!", "=", "\n", "é", "\U0001f600", "-", "_")


@st.composite
def _spoiled_base64(draw: Draw, text: str) -> str:
    """``text`` (base64) with a lone surrogate (or another bad character) put in, put in place of
    one of its characters, or in place of all of it; or a character dropped."""
    bad: str = draw(st.sampled_from(SURROGATES + _NOT_BASE64 if draw(st.booleans()) else SURROGATES))
    how: str = draw(st.sampled_from(["insert", "replace", "only", "drop"]))
    at: int = draw(st.integers(0, max(len(text) - 1, 0)))
    if how == "only":
        return bad * draw(st.integers(1, 8))
    if how == "drop" and text:
        return text[:at] + text[at + 1 :]
    if how == "replace" and text:
        return text[:at] + bad + text[at + 1 :]
    return text[:at] + bad + text[at:]


@st.composite
def wire_mutated(
    draw: Draw, base: st.SearchStrategy[dict[str, Any]], *, strings: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A request from ``base`` as the server receives it (``to_wire``), one of its base64 texts
    spoiled when it has any, and sometimes one or two other mutations too (whatever they put in
    stays in: bytes or surrogates where the model expects base64 text)."""
    wired, blobs = to_wire(draw(base))
    request: dict[str, Any] = wired
    if blobs:
        path = draw(st.sampled_from(blobs))
        parent = _parent(request, path)
        parent[path[-1]] = draw(_spoiled_base64(parent[path[-1]]))
    more: bool = draw(st.booleans())
    if more:
        spoiled: object = draw(mutated(st.just(request), strings=strings, max_mutations=2))
        if isinstance(spoiled, dict):  # the server turns a body that is not an object away itself
            return spoiled
    return request
