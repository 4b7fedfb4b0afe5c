"""Property: whatever arrives over the wire, the server answers as DynamoDB would and keeps serving.

One server for the module (a ``ServerThread`` on a free loopback port, with a short read timeout so
that bodies which never finish are answered quickly). Each example is one raw HTTP exchange built
from generated parts: request line (method, path, version), headers (content type, target,
Content-Encoding, odd and huge ones, too many of them), body (a valid request, JSON of the wrong
shape, bad or truncated JSON, deep nesting, bytes that are not UTF-8, gzip garbage) and framing
(Content-Length right, short, long or invalid, chunked and broken chunks, bodies over 16 MB). The
answer must be DynamoDB-shaped (a 4xx JSON error with ``__type`` and, where DynamoDB sends one, a
message; DynamoDB's own 404 for a wrong content type; the health text for GET; 200 JSON for a good
request), never a 500 and never a dropped connection; then a valid request on a new connection must
succeed. A second property checks that the deep-nesting JSON parser agrees with ``json.loads``.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import socket
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from aiodynamodb_fake import FakeDynamoDB, deep_json
from aiodynamodb_fake.http_limits import ServerLimits
from aiodynamodb_fake.server import ServerThread
from tests.support.tables import property_settings

TABLE = "wire_fuzz"
AMZ_JSON = "application/x-amz-json-1.0"
HEALTH = b"healthy: dynamodb.us-east-1.amazonaws.com "
NOT_FOUND = b"<UnknownOperationException/>\n"
# DynamoDB answers these two without any message when the body or target cannot be understood
MESSAGELESS = frozenset({"SerializationException", "UnknownOperationException"})
ERROR_TYPE = re.compile(r"com\.amazon(aws)?\.[a-z0-9.]+#[A-Za-z]+")
READ_TIMEOUT = 0.3
OVER_LIMIT = 16 * 1024 * 1024 + 1

Draw = Callable[[st.SearchStrategy[Any]], Any]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    fake = FakeDynamoDB()
    fake.call_sync(
        "CreateTable",
        {
            "TableName": TABLE,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    with ServerThread(fake, limits=ServerLimits(read_timeout=READ_TIMEOUT, idle_timeout=5)) as running:
        yield running


# --- the parts of a request -----------------------------------------------------------------------

OPERATIONS = ["ListTables", "DescribeTable", "PutItem", "GetItem", "BatchWriteItem", "Query", "Scan"]
GOOD_REQUESTS: list[dict[str, Any]] = [
    {},
    {"TableName": TABLE},
    {"TableName": TABLE, "Item": {"pk": {"S": "a"}, "b": {"B": "AAE="}}},
    {"TableName": TABLE, "Key": {"pk": {"S": "a"}}},
    {"RequestItems": {TABLE: [{"PutRequest": {"Item": {"pk": {"S": "b"}}}}]}},
    {"TableName": TABLE, "Item": {"pk": {"S": "c"}, "n": {"N": "1e" + "0" * 50}}},
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=16,
)


@st.composite
def bodies(draw: Draw) -> bytes:
    kind = draw(st.sampled_from(["request", "json", "bytes", "truncated", "deep", "constant", "big"]))
    if kind == "request":
        return json.dumps(draw(st.sampled_from(GOOD_REQUESTS))).encode()
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "bytes":  # not JSON, often not UTF-8
        return bytes(draw(st.binary(max_size=64)))
    if kind == "truncated":
        text = json.dumps(draw(st.sampled_from(GOOD_REQUESTS))).encode()
        return text[: draw(st.integers(0, max(0, len(text) - 1)))]
    if kind == "deep":
        levels = draw(st.integers(400, 3000))
        inner = '{"M":{"a":' * levels + '{"S":"x"}' + "}}" * levels
        return ('{"TableName":"' + TABLE + '","Item":{"pk":{"S":"d"},"v":' + inner + "}}").encode()
    if kind == "constant":
        return draw(
            st.sampled_from([b"NaN", b'{"a": Infinity}', b"\xef\xbb\xbf{}", b"{}" * 2, b"[]", b"null"])
        )
    return b'{"TableName":"' + TABLE.encode() + b'"}' + b" " * draw(st.integers(1 << 16, 1 << 20))


@st.composite
def encoded(draw: Draw, body: bytes) -> tuple[str | None, bytes]:
    coding = draw(
        st.sampled_from([None, None, "gzip", "x-gzip", "identity", "deflate", "garbage", "gzip, br"])
    )
    if coding not in ("gzip", "x-gzip"):
        return coding, body
    packed = gzip.compress(body)
    how = draw(st.sampled_from(["whole", "truncated", "garbage", "plain"]))
    if how == "truncated":
        packed = packed[: draw(st.integers(0, len(packed) - 1))]
    elif how == "garbage":
        packed = bytes(draw(st.binary(max_size=64)))
    elif how == "plain":
        packed = body
    return coding, packed


HEADER_NAME = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=":"), min_size=1, max_size=12
)
HEADER_VALUE = st.binary(max_size=24).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b""))


@st.composite
def odd_headers(draw: Draw) -> list[bytes]:
    lines: list[bytes] = [
        name.encode() + b": " + value
        for name, value in draw(st.lists(st.tuples(HEADER_NAME, HEADER_VALUE), max_size=4))
    ]
    extra = draw(st.sampled_from(["none", "none", "huge", "many", "no-colon", "nul", "space-before-colon"]))
    if extra == "huge":
        lines.append(b"X-Huge: " + b"h" * draw(st.integers(8_000, 20_000)))
    elif extra == "many":
        lines.extend(b"X-%d: 1" % i for i in range(draw(st.integers(100, 200))))
    elif extra == "no-colon":
        lines.append(b"NoColonHere")
    elif extra == "nul":
        lines.append(b"X-Nul: a\x00b")
    elif extra == "space-before-colon":
        lines.append(b"X-Space : 1")
    return lines


ASPECTS = ("method", "path", "version", "content-type", "target", "body", "encoding", "headers", "framing")


@st.composite
def exchanges(draw: Draw) -> tuple[str, bytes]:
    """(method, the raw bytes of one HTTP request): a good request with up to three of its aspects
    made odd, so that each stage of the server (HTTP parsing, framing, size, content type,
    encoding, JSON, target, the operation) is reached by some examples and refuses others."""
    odd = set(draw(st.lists(st.sampled_from(ASPECTS), max_size=3, unique=True)))

    def pick(aspect: str, normal: Any, oddities: list[Any]) -> Any:
        return draw(st.sampled_from(oddities)) if aspect in odd else normal

    method = pick("method", "POST", ["GET", "PUT", "DELETE", "OPTIONS", "FOO", "P OST", ""])
    path = pick("path", "/", ["/x?y=1", "*", "//", "/%00", "/" + "p" * 10_000])
    version = pick("version", "HTTP/1.1", ["HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "HTTX/1.1", ""])
    content_type = pick(
        "content-type",
        AMZ_JSON,
        ["application/json", AMZ_JSON + "; charset=utf-8", "text/plain", None, "\x01"],
    )
    operation = draw(st.sampled_from(OPERATIONS))
    target = pick(
        "target",
        "DynamoDB_20120810." + operation,
        ["DynamoDB_20120810.Nope", operation, "", None, "DynamoDB_20111205." + operation],
    )
    body = draw(bodies()) if "body" in odd else json.dumps(draw(st.sampled_from(GOOD_REQUESTS))).encode()
    coding, body = draw(encoded(body)) if "encoding" in odd else (None, body)
    headers: list[bytes] = [b"Host: localhost"]
    if content_type is not None:
        headers.append(b"Content-Type: " + content_type.encode())
    if target is not None:
        headers.append(b"X-Amz-Target: " + target.encode())
    if coding is not None:
        headers.append(b"Content-Encoding: " + coding.encode())
    if "headers" in odd:
        headers.extend(draw(odd_headers()))
    framing = pick("framing", "length", ["chunked", "bad-chunk", "short", "long", "none", "invalid", "over"])
    if framing == "over":
        body = b" " * OVER_LIMIT
    if framing in ("chunked", "bad-chunk"):
        headers.append(b"Transfer-Encoding: chunked")
        size = b"%x" % len(body) if framing == "chunked" else b"zz"
        body = (size + b"\r\n" + body + b"\r\n" if body else b"") + b"0\r\n\r\n"
    elif framing != "none":
        length = {"short": max(0, len(body) - 3), "long": len(body) + 5, "invalid": -1}.get(
            framing, len(body)
        )
        headers.append(b"Content-Length: " + (b"abc" if length < 0 else str(length).encode()))
    head = f"{method} {path} {version}".encode("latin-1") + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n"
    return method, head + body


# --- the answer -----------------------------------------------------------------------------------


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One response, read by hand: aiohttp answers in the request's HTTP version (``HTTP/2.0`` to a
    request line claiming it), which ``http.client`` refuses to parse. Skips ``100 Continue``."""
    stream = sock.makefile("rb")
    while True:
        status_line = stream.readline(65537)
        assert status_line, "the server closed the connection without answering"
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := stream.readline(65537)) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if status != 100:
            return status, headers, stream.read(int(headers.get("content-length", "0")))


def assert_dynamodb_shaped(method: str, status: int, headers: dict[str, str], body: bytes) -> None:
    assert status in (200, 400, 404, 408, 413), (status, body[:300])
    assert re.fullmatch(r"[A-Z0-9]{52}", headers.get("x-amzn-requestid", "")), headers
    assert headers["x-amz-crc32"] == str(zlib.crc32(body) & 0xFFFFFFFF)
    if status == 404:
        assert body == NOT_FOUND
        return
    if status == 200 and method == "GET":
        assert body == HEALTH
        return
    assert headers["content-type"] in (AMZ_JSON, "application/json"), headers
    answer = json.loads(body)
    assert isinstance(answer, dict)
    if status == 200:
        return
    assert ERROR_TYPE.fullmatch(answer["__type"]), answer
    message = answer.get("message", answer.get("Message"))
    code = answer["__type"].rsplit("#", 1)[1]
    assert isinstance(message, str) or (message is None and code in MESSAGELESS), answer


def assert_serves(port: int) -> None:
    request = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {AMZ_JSON}\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{{}}"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request.encode())
        status, _, body = read_answer(sock)
    assert (status, json.loads(body)["TableNames"]) == (200, [TABLE])


@property_settings(200)
@given(exchange=exchanges())
def test_every_request_gets_a_dynamodb_shaped_answer_and_the_server_keeps_serving(
    server: ServerThread, exchange: tuple[str, bytes]
) -> None:
    method, raw = exchange
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # answered before it had it all
            sock.sendall(raw)
        status, headers, body = read_answer(sock)
    event(f"answered {status}")
    assert_dynamodb_shaped(method, status, headers, body)
    assert_serves(server.port)


# --- the deep-nesting parser is json.loads at any depth ---------------------------------------------


def _strict(body: bytes) -> Any:
    def reject(name: str) -> Any:
        raise ValueError(name)

    return json.loads(body, parse_constant=reject)


@st.composite
def json_texts(draw: Draw) -> bytes:
    """JSON text, often damaged by a few byte edits."""
    text = bytearray(json.dumps(draw(json_values), indent=draw(st.sampled_from([None, 1]))).encode())
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = draw(st.sampled_from(b'[]{}",:0-.eE\\ tnu\x00\xff'))
        if edit == "insert":
            text.insert(where, byte)
        elif text:
            where = min(where, len(text) - 1)
            if edit == "delete":
                del text[where]
            else:
                text[where] = byte
    return bytes(text)


WRAPPERS: dict[str, tuple[bytes, bytes, Callable[[Any], Any]]] = {
    "array": (b"[ ", b"] ", lambda inner: [inner]),
    "object": (b'{"k": ', b"}", lambda inner: {"k": inner}),
}


@property_settings(500)
@given(
    text=json_texts(),
    depth=st.sampled_from([1, 2, 3, 256]),
    wrapper=st.sampled_from(list(WRAPPERS)),
    levels=st.sampled_from([0, 0, 0, 2_000]),
)
def test_the_deep_parser_accepts_and_builds_what_json_loads_does(
    text: bytes, depth: int, wrapper: str, levels: int
) -> None:
    """Past ``json.loads``'s reach (2,000 levels) the expected value is json.loads's answer for one
    level of wrapping (the grammar is the same at any depth), wrapped the other levels in Python."""
    opening, closing, wrap = WRAPPERS[wrapper]
    try:
        value = _strict(opening + text + closing if levels else text)
    except ValueError:
        expected: Any = ("error",)
    else:
        for _ in range(levels - 1):
            value = wrap(value)
        expected = ("value", _cut(value, depth))
    try:
        got: Any = ("value", deep_json.loads(opening * levels + text + closing * levels, depth))
    except ValueError:
        got = ("error",)
    assert got == expected


def _cut(value: Any, depth: int, level: int = 1) -> Any:
    """``value`` with containers below ``depth`` emptied, as ``deep_json`` keeps them."""
    if isinstance(value, list):
        return [] if level > depth else [_cut(v, depth, level + 1) for v in value]
    if isinstance(value, dict):
        return {} if level > depth else {k: _cut(v, depth, level + 1) for k, v in value.items()}
    return value
