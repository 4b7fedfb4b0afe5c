"""The fuzzers' raw material: JSON-like junk, and valid requests made invalid in one to three places.

``json_like`` and ``json_objects`` draw junk shaped like requests (DynamoDB's member names, every
scalar type, bytes, NaN, huge integers); ``mutated`` takes valid requests and drops, renames,
retypes, wraps, duplicates, empties or deeply nests a member; ``deeply_nested`` nests one member
hundreds of levels deep. Everything is built and walked without recursion.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "KNOWN_MEMBERS",
    "ODD_NAMES",
    "TOP_LEVEL_MEMBERS",
    "deeply_nested",
    "json_like",
    "json_objects",
    "mutated",
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
    request nested hundreds of levels deep is walked without recursion."""
    pending: list[tuple[Path, Any]] = [((), value)]
    while pending:
        prefix, node = pending.pop(0)
        members = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        for key, member in members:
            yield (*prefix, key)
            pending.append(((*prefix, key), member))


def _copy_tree(value: Any) -> Any:
    """A copy of every dict and list inside ``value`` (leaves shared: they are immutable here),
    without recursion, so a value nested hundreds of levels deep can be duplicated."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    pending: list[tuple[Any, Any]] = [(value, root)]
    while pending:
        source, target = pending.pop()
        members = source.items() if isinstance(source, dict) else enumerate(source)
        for key, member in members:
            if isinstance(member, dict | list):
                child: Any = {} if isinstance(member, dict) else []
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
    """A JSON-like value whose type is not the one named ``old`` (no filtering, so no retries)."""
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
    }
    return st.one_of(*(strategy for kind, strategy in by_type.items() if kind.__name__ != old))


MUTATIONS = (
    "drop", "null", "retype", "wrap_list", "wrap_map", "wrap_av", "deep", "duplicate", "empty",
    "add_member", "rename",
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
) -> dict[str, Any]:
    """A request from ``base`` with ``min_mutations``..``max_mutations`` defects at random positions:
    a member dropped, renamed (table names too), set to null, replaced by one of another type, wrapped
    in a list/map/AttributeValue, nested 31..300 levels deep, duplicated, emptied, or an unexpected
    member added. (Deeper nesting: see ``deeply_nested``.)"""
    request: dict[str, Any] = copy.deepcopy(draw(base))
    nested = False  # one deep nesting at most: two could stack past the test's own recursion limit
    for _ in range(draw(st.integers(min_mutations, max_mutations))):
        kind = draw(st.sampled_from(MUTATIONS))
        if kind == "deep" and nested:
            kind = "wrap_list"
        paths = list(_paths(request))
        if kind == "add_member" or not paths:
            target = request
            inner = [p for p in paths if isinstance(_node(request, p), dict)]
            use_inner: bool = bool(inner) and draw(st.booleans())
            if use_inner:
                target = _node(request, draw(st.sampled_from(inner)))
            target[draw(st.sampled_from(KNOWN_MEMBERS))] = draw(json_like(strings=strings))
            continue
        path = _draw_path(draw, paths)
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
            nested = True
            depth = draw(st.sampled_from([31, 32, 33, 100, 300]))
            parent[last] = _nest(value, depth, draw(st.sampled_from(["M", "L", "list", "dict", "mixed"])))
        elif kind == "duplicate":
            if isinstance(parent, list):
                parent.insert(last, _copy_tree(value))
            else:
                parent[f"{last}_copy" if isinstance(last, str) else "copy"] = _copy_tree(value)
        elif kind == "empty":
            parent[last] = type(value)() if isinstance(value, dict | list | str | bytes) else None
        else:  # rename of a list member: nothing to rename, so drop it instead
            del parent[last]
    return request


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
