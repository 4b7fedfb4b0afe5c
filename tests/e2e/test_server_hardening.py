"""The HTTP server against hostile and broken clients, over real loopback sockets.

Each test starts its own server (``ServerThread``, or the CLI as a subprocess) and speaks raw HTTP
through plain sockets, so it can send what no SDK would: gzip garbage and gzip bombs, broken request
lines and headers, bodies that never finish, connections that never send anything, more sockets than
the server has file descriptors. Every answer must be a DynamoDB-shaped error (``__type`` and a
message, JSON, request id, crc32) and the server must keep serving; nothing a client does may log an
internal error. Where a test is about one request not holding up others it asserts an ordering (the
small request is answered while the big one is still held in progress), not a wall-clock time, except
for one generous bound that is explained where it is used.
"""

from __future__ import annotations

import gzip
import http.client
import json
import logging
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aiodynamodb.errors import DynamoDBError
from aiodynamodb_fake import http_body
from aiodynamodb_fake.http_limits import ServerLimits
from aiodynamodb_fake.server import ServerThread
from aiodynamodb_fake.service import FakeDynamoDB

if TYPE_CHECKING:
    from tests.e2e.conftest import Gate

TARGET = "DynamoDB_20120810."
AMZ_JSON = "application/x-amz-json-1.0"
CORAL = "com.amazon.coral.service#"
LIMIT = 16 * 1024 * 1024
TABLE = "hardening"
# The CLI keeps a database per signer: a request must carry a well-formed (not verified) signature.
SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=hardening/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0",
    "X-Amz-Date": "20260101T000000Z",
}
PUT = json.dumps({"TableName": TABLE, "Item": {"pk": {"S": "a"}, "v": {"S": "x" * 100}}}).encode()


# --- raw HTTP over a socket -----------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request_bytes(
    body: bytes,
    operation: str | None = "PutItem",
    headers: dict[str, str] | None = None,
    *,
    content_type: str = AMZ_JSON,
) -> bytes:
    """A complete HTTP/1.1 request as botocore would send it, with ``headers`` added or replaced."""
    fields = {"Host": "localhost", "Content-Type": content_type, "Content-Length": str(len(body))}
    if operation is not None:
        fields["X-Amz-Target"] = TARGET + operation
    fields.update(headers or {})
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return f"POST / HTTP/1.1\r\n{head}\r\n".encode("latin-1") + body


def read_reply(sock: socket.socket) -> Reply:
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read()
    return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


def exchange(port: int, raw: bytes, timeout: float = 30.0) -> Reply:
    """Send ``raw`` on a fresh connection and read one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        return read_reply(sock)


def closed_by_server(sock: socket.socket, timeout: float = 10.0) -> bool:
    """True once the server closes ``sock`` (EOF or reset) within ``timeout``; False if it stays open."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def assert_dynamodb_error(reply: Reply, status: int, type_: str, message: str | re.Pattern[str]) -> None:
    """A DynamoDB error as botocore parses it: status, JSON body, ``__type``, message, request id, crc32."""
    assert reply.status == status, reply
    assert reply.headers["content-type"] == AMZ_JSON
    assert re.fullmatch(r"[A-Z0-9]{52}", reply.headers["x-amzn-requestid"])
    assert reply.headers["x-amz-crc32"] == str(zlib.crc32(reply.body) & 0xFFFFFFFF)
    body = reply.json()
    assert body["__type"] == type_
    text = body.get("message", body.get("Message"))
    assert isinstance(text, str)
    if isinstance(message, str):
        assert text == message
    else:
        assert message.search(text), text


def assert_serves(port: int) -> None:
    """The server still answers a well-formed request."""
    reply = exchange(port, request_bytes(b"{}", "ListTables"))
    assert reply.status == 200, reply
    assert TABLE in reply.json()["TableNames"]


# --- servers --------------------------------------------------------------------------------------


def new_fake() -> FakeDynamoDB:
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
    return fake


@pytest.fixture
def serve() -> Iterator[Callable[..., ServerThread]]:
    """Start servers with the given limits; each is stopped at the end of the test."""
    started: list[ServerThread] = []

    def start(**limits: Any) -> ServerThread:
        server = ServerThread(new_fake(), limits=ServerLimits(**limits)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(serve: Callable[..., ServerThread]) -> ServerThread:
    return serve()


class LogWatch(logging.Handler):
    """Collects the fake's log records from every thread; ``wait_for`` blocks until one matches."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._changed:
            self.records.append(record)
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[logging.LogRecord], bool], timeout: float = 10.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: any(predicate(r) for r in self.records), timeout)

    def errors(self) -> list[logging.LogRecord]:
        return [r for r in self.records if r.levelno >= logging.WARNING]


@pytest.fixture
def logs() -> Iterator[LogWatch]:
    watch = LogWatch()
    watched = [logging.getLogger(name) for name in ("aiodynamodb_fake", "aiohttp", "asyncio")]
    levels = [logger.level for logger in watched]
    for logger in watched:
        logger.addHandler(watch)
        logger.setLevel(logging.DEBUG)
    yield watch
    for logger, level in zip(watched, levels, strict=True):
        logger.removeHandler(watch)
        logger.setLevel(level)


# --- defect 7: gzip -------------------------------------------------------------------------------


def gzip_bomb(megabytes: int) -> bytes:
    """A gzip stream inflating to ``megabytes`` MiB of zeros, about 1 KiB per MiB, built in milliseconds.

    After a full flush deflate starts afresh, so every 1 MiB block compresses to the same bytes and
    the block can simply be repeated. The stream has no trailer: a bounded reader stops long before.
    """
    zeros = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    return first + block * (megabytes - 1)


GZIP = {"Content-Encoding": "gzip"}
BAD_GZIP = re.compile("gzip")


def test_a_gzip_body_is_inflated_even_in_several_members(server: ServerThread) -> None:
    assert exchange(server.port, request_bytes(gzip.compress(PUT), headers=GZIP)).status == 200
    two_members = gzip.compress(PUT[:10]) + gzip.compress(PUT[10:])  # DynamoDB accepts this too
    reply = exchange(server.port, request_bytes(two_members, headers={"Content-Encoding": "GZIP"}))
    assert (reply.status, reply.body) == (200, b"{}")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(PUT, id="plain-json"),
        pytest.param(gzip.compress(PUT)[:-1], id="truncated"),
        pytest.param(gzip.compress(PUT)[:12], id="header-only"),
        pytest.param(b"", id="empty"),
        pytest.param(gzip.compress(PUT) + b"junk", id="trailing-junk"),
        pytest.param(bytes(range(256)) * 4, id="noise"),
        pytest.param(gzip.compress(PUT)[:-8] + b"\0" * 8, id="bad-crc"),
    ],
)
def test_malformed_gzip_is_a_serialization_exception_not_a_500(
    server: ServerThread, logs: LogWatch, body: bytes
) -> None:
    reply = exchange(server.port, request_bytes(body, headers=GZIP))
    assert_dynamodb_error(reply, 400, CORAL + "SerializationException", BAD_GZIP)
    assert "Message" in reply.json()  # SerializationException spells it with a capital M
    assert_serves(server.port)
    assert logs.errors() == []


@pytest.mark.parametrize("encoding", ["deflate", "br", "compress", "garbage", "gzip, gzip", "gzip;q=1"])
def test_an_unsupported_content_encoding_is_refused(server: ServerThread, encoding: str) -> None:
    reply = exchange(server.port, request_bytes(PUT, headers={"Content-Encoding": encoding}))
    assert_dynamodb_error(reply, 400, CORAL + "SerializationException", re.compile("Content-Encoding"))
    assert_serves(server.port)


def test_identity_encoding_is_no_encoding(server: ServerThread) -> None:
    assert exchange(server.port, request_bytes(PUT, headers={"Content-Encoding": "identity"})).status == 200


def test_a_gzip_bomb_is_answered_as_an_oversized_body(server: ServerThread, logs: LogWatch) -> None:
    reply = exchange(server.port, request_bytes(gzip_bomb(2048), headers=GZIP))  # 2 GiB once inflated
    assert_dynamodb_error(reply, 413, CORAL + "RequestEntityTooLargeException", re.compile("16777216"))
    just_over = gzip.compress(b" " * (LIMIT - 1) + b"{}")
    assert exchange(server.port, request_bytes(just_over, headers=GZIP)).status == 413
    at_limit = gzip.compress(PUT + b" " * (LIMIT - len(PUT)))
    assert exchange(server.port, request_bytes(at_limit, headers=GZIP)).status == 200
    assert logs.errors() == []


def test_a_gzip_bomb_does_not_stall_other_clients(
    server: ServerThread, gate_http_body: Callable[[str], Gate]
) -> None:
    # Ordering, not timing: the bomb is held inside inflation while a small request is served, which
    # could not happen were it inflated on the event loop (2 GiB stalled others for 3 to 5 s there).
    gate = gate_http_body("inflate_gzip")
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as big:
        big.sendall(request_bytes(gzip_bomb(8192), headers=GZIP))
        assert gate.entered.wait(30)
        assert_serves(server.port)
        gate.opened.set()
        assert read_reply(big).status == 413


def test_inflating_runs_off_the_event_loop(
    server: ServerThread, gate_http_body: Callable[[str], Gate]
) -> None:
    gate = gate_http_body("inflate_gzip")
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as big:
        big.sendall(request_bytes(gzip.compress(PUT), headers=GZIP))
        assert gate.entered.wait(30)
        # the gzip request is now held inside inflation; were that on the event loop, this would hang
        assert_serves(server.port)
        gate.opened.set()
        assert read_reply(big).status == 200


def test_decoding_a_large_body_runs_off_the_event_loop(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch, gate_http_body: Callable[[str], Gate]
) -> None:
    gate = gate_http_body("parse_json")
    item = {"pk": {"S": "big"}, "v": {"L": [{"S": "x"}] * 30_000}}  # about 300 KB of JSON
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as big:
        big.sendall(request_bytes(json.dumps({"TableName": TABLE, "Item": item}).encode()))
        assert gate.entered.wait(30)
        monkeypatch.setattr(http_body, "parse_json", gate.function)  # small bodies are not held
        assert_serves(server.port)
        gate.opened.set()
        assert read_reply(big).status == 200


# --- defect 8: idle and slow connections, and how many there may be -------------------------------


def test_a_connection_that_never_sends_is_closed_after_the_idle_timeout(
    serve: Callable[..., ServerThread],
) -> None:
    server = serve(idle_timeout=0.2)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as idle:
        assert closed_by_server(idle)


def test_a_keep_alive_connection_is_closed_once_idle(serve: Callable[..., ServerThread]) -> None:
    # a second of idleness: short enough to wait for, long enough that a stalled CI machine does
    # not close the connection between the requests that must find it open
    server = serve(idle_timeout=1.0)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        for _ in range(3):  # kept alive between requests that follow each other
            sock.sendall(request_bytes(b"{}", "ListTables"))
            assert read_reply(sock).status == 200
        assert closed_by_server(sock)


def test_headers_that_never_finish_get_a_408(serve: Callable[..., ServerThread], logs: LogWatch) -> None:
    server = serve(read_timeout=0.3)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
        slow.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n")
        reply = read_reply(slow)
        assert_dynamodb_error(reply, 408, CORAL + "RequestTimeoutException", re.compile("0.3 seconds"))
        assert closed_by_server(slow)
    assert_serves(server.port)
    assert logs.errors() == []


def test_a_body_that_never_finishes_gets_a_408(serve: Callable[..., ServerThread], logs: LogWatch) -> None:
    server = serve(read_timeout=0.3)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
        slow.sendall(request_bytes(PUT)[:-10])
        reply = read_reply(slow)
        assert_dynamodb_error(reply, 408, CORAL + "RequestTimeoutException", re.compile("0.3 seconds"))
        assert closed_by_server(slow)
    assert_serves(server.port)
    assert logs.errors() == []


def test_a_trickling_client_does_not_hold_up_others(serve: Callable[..., ServerThread]) -> None:
    server = serve(read_timeout=30)
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as slow:
        raw = request_bytes(PUT)
        slow.sendall(raw[:-10])  # the server is now waiting for the rest of this body
        for _ in range(3):
            assert_serves(server.port)
        slow.sendall(raw[-10:])
        assert read_reply(slow).status == 200


def test_more_connections_than_the_bound_evict_the_idle_ones(serve: Callable[..., ServerThread]) -> None:
    server = serve(max_connections=8)
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(20)]
    try:
        assert_serves(server.port)  # reachable although 20 idle connections were opened before it
        assert closed_by_server(idle[0])  # the longest idle went first
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as busy:
            busy.sendall(request_bytes(b"{}", "ListTables"))
            assert read_reply(busy).status == 200
    finally:
        for sock in idle:
            sock.close()


def _limit_open_files(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (cap, cap))

    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="open-files limits are POSIX")
@pytest.mark.parametrize(
    "options", [[], ["--max-connections", "1000"]], ids=["default-bound", "bound-too-high"]
)
def test_the_cli_stays_reachable_with_more_idle_sockets_than_file_descriptors(
    tmp_path: Path, options: list[str]
) -> None:
    """Scaled down from the report (1,100 sockets at 1,024 files): 300 sockets at 256 files. With a
    bound above what the descriptors allow, running out is logged once and the bound comes down."""
    stderr_path = tmp_path / "stderr"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "aiodynamodb_fake", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            preexec_fn=_limit_open_files(256),
        )
    sockets: list[socket.socket] = []
    try:
        stdout = proc.stdout
        assert stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        announced = lines.get(timeout=60)
        port = int(announced.rsplit(":", 1)[1])
        for _ in range(300):
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        reply = exchange(port, request_bytes(b"{}", "ListTables", SIGNED), timeout=10)  # milliseconds, here
        assert (reply.status, reply.json()) == (200, {"TableNames": []})
        logged = stderr_path.read_bytes()
        assert logged.count(b"\n") <= (1 if options else 0), logged[:2000]
    finally:
        for sock in sockets:
            sock.close()
        proc.terminate()
        proc.wait(30)


def test_a_client_leaving_mid_body_is_not_an_internal_error(server: ServerThread, logs: LogWatch) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as leaving:
        leaving.sendall(request_bytes(PUT, headers={"Expect": "100-continue"})[: -len(PUT)])
        assert leaving.recv(64).startswith(b"HTTP/1.1 100")  # the handler has the request now
        leaving.sendall(PUT[:10])
    assert logs.wait_for(lambda r: "closed the connection" in r.getMessage() or r.levelno >= logging.ERROR)
    assert logs.errors() == []
    assert_serves(server.port)


# --- defect 10: DynamoDB-shaped answers to what never reaches the protocol --------------------------


def test_an_oversized_body_gets_a_dynamodb_shaped_413(server: ServerThread) -> None:
    announced = request_bytes(b"", headers={"Content-Length": str(LIMIT + 1)})  # refused before it is sent
    reply = exchange(server.port, announced)
    assert_dynamodb_error(reply, 413, CORAL + "RequestEntityTooLargeException", re.compile("16777216 bytes"))


def test_an_oversized_chunked_body_gets_a_dynamodb_shaped_413(server: ServerThread) -> None:
    chunk = b" " * (1 << 20)
    frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    raw = request_bytes(b"", headers={"Transfer-Encoding": "chunked"}).replace(b"Content-Length: 0\r\n", b"")
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(raw + frame * 17 + b"0\r\n\r\n")
        reply = read_reply(sock)
    assert_dynamodb_error(reply, 413, CORAL + "RequestEntityTooLargeException", re.compile("16777216 bytes"))
    assert_serves(server.port)


MALFORMED_HTTP = {
    "garbage-request-line": b"GARBAGE\r\n\r\n",
    "tls-client-hello": bytes.fromhex("16030100a5010000a10303") + bytes(32) + b"\r\n\r\n",
    "bad-header-line": b"POST / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    "header-too-long": b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n",
    "request-line-too-long": b"POST /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "too-many-headers": b"POST / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(500)) + b"\r\n",
    "bad-content-length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    "two-content-lengths": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    "bad-chunk-size": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "bad-version": b"POST / HTTP/9.9\r\nHost: x\r\n\r\n",
    "nul-in-header": b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: a\x00b\r\n\r\n",
}


@pytest.mark.parametrize("raw", MALFORMED_HTTP.values(), ids=MALFORMED_HTTP.keys())
def test_malformed_http_gets_a_dynamodb_shaped_400(server: ServerThread, logs: LogWatch, raw: bytes) -> None:
    reply = exchange(server.port, raw)
    assert_dynamodb_error(reply, 400, CORAL + "SerializationException", re.compile("^Malformed HTTP request"))
    assert_serves(server.port)
    assert logs.errors() == []


SHAPES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "map": ('{"M":{"a":', lambda inner: {"M": {"a": inner}}),  # an attribute value nested as maps
    "empty-key-object": ('{"":', lambda inner: {"": inner}),  # plain JSON nesting, as in Scylla's test
}


def nested_put(levels: int, shape: str) -> tuple[bytes, dict[str, Any]]:
    """A PutItem nesting its ``deep`` attribute ``levels`` times, as JSON text and as a Python value
    (both built without recursion, and the value without json, which could not build it)."""
    opening, wrap = SHAPES[shape]
    text = opening * levels + '{"S":"x"}' + "}" * (levels * opening.count("{"))
    body = '{"TableName":"' + TABLE + '","Item":{"pk":{"S":"n"},"deep":' + text + "}}"
    value: Any = {"S": "x"}
    for _ in range(levels):
        value = wrap(value)
    return body.encode(), {"TableName": TABLE, "Item": {"pk": {"S": "n"}, "deep": value}}


@pytest.mark.parametrize("levels", [40, 400, 496, 1_000, 5_000, 200_000])
@pytest.mark.parametrize("shape", SHAPES)
def test_deep_nesting_gets_the_same_answer_as_in_process(
    server: ServerThread, levels: int, shape: str
) -> None:
    body, request = nested_put(levels, shape)
    with pytest.raises(DynamoDBError) as in_process:
        new_fake().call_sync("PutItem", request)
    reply = exchange(server.port, request_bytes(body))
    assert reply.status == 400
    got = reply.json()
    assert got["__type"].rsplit("#", 1)[1] == in_process.value.code
    assert got["message"] == in_process.value.message
