"""Conversion between DynamoDB JSON 1.0 wire bodies and the botocore-shaped values the fake speaks.

On the wire a ``blob`` is a base64 string and a ``timestamp`` is epoch seconds; botocore's
low-level client (and so ``FakeDynamoDB``) uses ``bytes`` and ``datetime``. Which members are
blobs or timestamps is read from botocore's own DynamoDB service model, compiled once into a
small graph of walkers that visit only the members that can hold one (for a ``PutItem`` that is
``Item`` and, inside each AttributeValue, ``B``/``BS``/``M``/``L``). Request bodies are decoded in
place without recursion (a request may be nested as deep as the JSON parser allowed); bad base64
raises ``SerializationException`` with DynamoDB's message. Anything of the wrong JSON type is left
untouched, so the fake's own validation reports it. Responses and error bodies are encoded into
fresh containers, never mutating what the fake returned. Protocol:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import botocore.session

from aiodynamodb.errors import SerializationException

__all__ = [
    "decode_request",
    "dump_json",
    "encode_error",
    "encode_response",
    "load_json",
    "service_model",
]

# Real DynamoDB's words (dynalite's tests, recorded against it); the typo is DynamoDB's own. Those tests
# show the second message for misplaced padding ("=+/=") and stray low bits ("+/+="); a character
# outside the alphabet is given it too, as no recorded answer for that case is known.
BASE64_LENGTH_MESSAGE = "Base64 encoded length is expected a multiple of 4 bytes but found: {length}"
BASE64_CHARACTER_MESSAGE = "Invalid last non-pad Base64 character dectected"

_Kind = Literal["structure", "list", "map", "blob", "timestamp"]


@dataclass(slots=True, eq=False)
class _Node:
    """A shape that is, or can contain, a blob or a timestamp. Other shapes get no node."""

    kind: _Kind
    members: dict[str, _Node] = field(default_factory=dict)  # structure: only the relevant members
    child: _Node | None = None  # list member / map value


@functools.cache
def service_model() -> Any:
    """botocore's DynamoDB service model, loaded once per process."""
    return botocore.session.get_session().get_service_model("dynamodb")


@functools.cache
def _nodes() -> dict[str, _Node]:
    """One node per relevant shape name, wired into a (cyclic) graph. O(shapes), run once."""
    model = service_model()
    shapes = {name: model.shape_for(name) for name in model.shape_names}
    children: dict[str, list[tuple[str | None, str]]] = {}
    parents: dict[str, set[str]] = {}
    for name, shape in shapes.items():
        edges: list[tuple[str | None, str]] = []
        if shape.type_name == "structure":
            edges = [(member, target.name) for member, target in shape.members.items()]
        elif shape.type_name == "list":
            edges = [(None, shape.member.name)]
        elif shape.type_name == "map":
            edges = [(None, shape.value.name)]  # map keys are strings in DynamoDB's model
        children[name] = edges
        for _, target in edges:
            parents.setdefault(target, set()).add(name)
    # every shape from which a blob or timestamp can be reached (walk the edges backwards)
    pending = [name for name, shape in shapes.items() if shape.type_name in ("blob", "timestamp")]
    relevant = set(pending)
    while pending:
        for parent in parents.get(pending.pop(), ()):
            if parent not in relevant:
                relevant.add(parent)
                pending.append(parent)
    nodes = {name: _Node(shapes[name].type_name) for name in relevant}
    for name, node in nodes.items():
        for member, target in children[name]:
            if target not in nodes:
                continue
            if member is None:
                node.child = nodes[target]
            else:
                node.members[member] = nodes[target]
    return nodes


@functools.cache
def _operation_table() -> dict[str, tuple[_Node | None, _Node | None]]:
    """Every operation's (input, output) nodes; None where nothing needs converting. Run once.

    Built for the model's operations up front rather than cached per name asked for, so a name a
    caller makes up (perhaps megabytes long) is answered, never remembered.
    """
    model = service_model()
    nodes = _nodes()
    table: dict[str, tuple[_Node | None, _Node | None]] = {}
    for name in model.operation_names:
        op = model.operation_model(name)
        table[name] = (
            nodes.get(op.input_shape.name) if op.input_shape is not None else None,
            nodes.get(op.output_shape.name) if op.output_shape is not None else None,
        )
    return table


def _operation_nodes(operation: str) -> tuple[_Node | None, _Node | None]:
    """The (input, output) nodes of ``operation``; None where nothing needs converting."""
    return _operation_table().get(operation, (None, None))


def _leaf_keys(root: _Node) -> tuple[bytes, ...]:
    """The JSON keys (quoted) under which a blob or timestamp can sit below ``root``: ``"B"``, ``"BS"``."""
    keys: set[str] = set()
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for member, child in node.members.items():
            leaf = child.child if child.kind in ("list", "map") else child
            if leaf is not None and leaf.kind in ("blob", "timestamp"):
                keys.add(member)
            pending.append(child)
        if node.child is not None:
            pending.append(node.child)
    return tuple(f'"{key}"'.encode() for key in sorted(keys))


@functools.cache
def _input_leaf_keys() -> dict[str, tuple[bytes, ...]]:
    """Per operation, the keys ``_leaf_keys`` finds in its input. Run once."""
    return {name: _leaf_keys(root) for name, (root, _) in _operation_table().items() if root is not None}


def may_need_decoding(operation: str, raw: bytes) -> bool:
    """Whether the raw JSON text of a request may hold a blob or timestamp to decode: False only
    when none of the keys they sit under appears in it, and no escape could spell one. This lets
    the common request (no binary attribute) skip the walk of ``decode_request``. O(len(raw))."""
    keys = _input_leaf_keys().get(operation)
    if keys is None:
        return False
    return b"\\" in raw or any(key in raw for key in keys)


def _error_node(code: str) -> _Node | None:
    """The node of error shape ``code``; None for a name the model does not have."""
    return _nodes().get(code)


# --- requests: wire -> botocore values ------------------------------------------------------------


def decode_request(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """Turn the base64 strings and epoch numbers of ``operation``'s input into ``bytes``/``datetime``.

    Converts ``body`` in place (it is the freshly parsed request) and returns it. Raises
    ``SerializationException`` on the first bad base64 string in document order. O(size of the
    members that can hold a blob); iterative, so nesting depth is never a problem.
    """
    root, _ = _operation_nodes(operation)
    if root is None:
        return body
    holder = [body]
    # (container, key, node); children are pushed in reverse so they pop in document order
    stack: list[tuple[Any, Any, _Node]] = [(holder, 0, root)]
    while stack:
        container, key, node = stack.pop()
        value = container[key]
        kind = node.kind
        if kind == "blob":
            if isinstance(value, str):
                container[key] = _decode_base64(value)
        elif kind == "timestamp":
            if isinstance(value, int | float) and not isinstance(value, bool):
                container[key] = _decode_timestamp(value)
        elif kind == "structure":
            if isinstance(value, dict):
                members = node.members
                stack.extend((value, k, members[k]) for k in reversed(list(value)) if k in members)
        elif (kind == "list" and isinstance(value, list)) or (kind == "map" and isinstance(value, dict)):
            child = node.child
            assert child is not None
            keys: Iterable[Any] = range(len(value) - 1, -1, -1) if kind == "list" else reversed(list(value))
            if child.kind == "structure":  # e.g. AttributeValues: only those holding a blob member
                wanted = child.members.keys()
                keys = [k for k in keys if isinstance(value[k], dict) and not wanted.isdisjoint(value[k])]
            stack.extend((value, k, child) for k in keys)
    return holder[0]


def _decode_base64(text: str) -> bytes:
    """Strict, canonical base64 as DynamoDB accepts it: length first, then alphabet and padding."""
    # DynamoDB counts Java chars (UTF-16 code units); they differ from len() only off the BMP. A lone
    # surrogate (JSON may escape half a pair) is one Java char: surrogatepass counts it, not raises.
    length = len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2
    if length % 4:
        raise SerializationException(BASE64_LENGTH_MESSAGE.format(length=length))
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SerializationException(BASE64_CHARACTER_MESSAGE) from None
    # b64decode ignores non-zero bits after the last character ("+/+="); DynamoDB refuses them.
    if base64.b64encode(raw) != text.encode("ascii"):
        raise SerializationException(BASE64_CHARACTER_MESSAGE)
    return raw


def _decode_timestamp(seconds: float) -> datetime | float:
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return seconds  # out of datetime's range: left for the operation to reject


# --- responses and errors: botocore values -> wire ------------------------------------------------


def encode_response(operation: str, response: Mapping[str, Any]) -> Mapping[str, Any]:
    """``operation``'s output with ``bytes`` as base64 and ``datetime`` as epoch seconds.

    Returns ``response`` itself when nothing needed converting, else a copy sharing the untouched
    parts; never mutates ``response``. O(size of the members that can hold a blob).
    """
    _, root = _operation_nodes(operation)
    return response if root is None else _encode(response, root)


def encode_error(code: str, extra: Mapping[str, Any]) -> Mapping[str, Any]:
    """The extra members of error ``code``'s body (``Item``, ``CancellationReasons``...) for the wire."""
    root = _error_node(code)
    return extra if root is None else _encode(extra, root)


def _encode(value: Any, node: _Node) -> Any:
    # recursion is bounded: the fake never stores or returns values nested past DynamoDB's 32 levels
    kind = node.kind
    if kind == "blob":
        if isinstance(value, bytes | bytearray | memoryview):
            return base64.b64encode(value).decode("ascii")
        return value
    if kind == "timestamp":
        return _encode_timestamp(value) if isinstance(value, datetime) else value
    if kind == "structure":
        if not isinstance(value, Mapping):
            return value
        out: dict[str, Any] | None = None
        for name, child in node.members.items():
            if name in value:
                old = value[name]
                new = _encode(old, child)
                if new is not old:
                    if out is None:
                        out = dict(value)
                    out[name] = new
        return value if out is None else out
    element = node.child
    assert element is not None
    if kind == "list" and isinstance(value, list | tuple):
        items = [_encode(item, element) for item in value]
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return items if changed else value
    if kind == "map" and isinstance(value, Mapping):
        entries = {k: _encode(v, element) for k, v in value.items()}
        changed = any(entries[k] is not v for k, v in value.items())
        return entries if changed else value
    return value


def _encode_timestamp(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # botocore treats naive datetimes as UTC too
    return value.timestamp()


# --- JSON text -------------------------------------------------------------------------------------


def load_json(body: bytes) -> Any:
    """Parse a request body; anything that is not strict JSON raises ``SerializationException``.

    Real DynamoDB sends this error with no message.
    """
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise SerializationException("") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def dump_json(value: Any) -> bytes:
    """Compact UTF-8 JSON. Stray ``bytes``/``datetime`` the model did not predict are encoded too."""
    # ASCII escapes keep a lone surrogate (legal in a JSON string, not in UTF-8) from failing here.
    # No cycle check (a quarter of the cost of an answer full of items): the fake's answers are
    # fresh trees; a cycle would be a bug, and would still end in an error (RecursionError).
    return json.dumps(value, separators=(",", ":"), default=_json_default, check_circular=False).encode(
        "ascii"
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return _encode_timestamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
