"""The fake over HTTP: DynamoDB's JSON 1.0 protocol in front of a ``FakeDynamoDB``, so any SDK can use it.

``make_app`` builds the aiohttp application: ``POST /`` with ``X-Amz-Target:
DynamoDB_20120810.<Operation>`` and a JSON body, answered with DynamoDB's headers
(``x-amzn-RequestId``, ``x-amz-crc32`` which botocore verifies) and DynamoDB's error bodies
(``{"__type": "<namespace>#<Code>", "message": ...}``). The steps run in real DynamoDB's order:
method and content type, JSON parse, target, then the operation. Any Authorization header, or
none, is accepted. An unexpected Python exception becomes a 500 ``InternalServerError`` (and is
logged), never a dropped connection. ``start_server`` runs it on the current loop,
``ServerThread`` in a background thread (port 0 picks a free port), ``serve`` until SIGINT or
SIGTERM. Protocol: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
import threading
import zlib
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Protocol

from aiohttp import web

from aiodynamodb.errors import (
    DynamoDBError,
    SerializationException,
    UnknownOperationException,
)

from .clock import SystemClock
from .service import FakeDynamoDB
from .wire import decode_request, dump_json, encode_error, encode_response, load_json

__all__ = ["RunningServer", "ServerThread", "SyncService", "error_body", "make_app", "serve", "start_server"]

logger = logging.getLogger(__name__)

TARGET_PREFIX = "DynamoDB_20120810."
AMZ_JSON = "application/x-amz-json-1.0"
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # DynamoDB's limit on a request body
HEALTH_TEXT = b"healthy: dynamodb.us-east-1.amazonaws.com "
NOT_FOUND_TEXT = b"<UnknownOperationException/>\n"
INTERNAL_ERROR_MESSAGE = "Internal server error"

_DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810#"
_NAMESPACES: dict[str, str] = {
    "ValidationException": "com.amazon.coral.validate#",
    "ThrottlingException": "com.amazon.coral.availability#",
    **dict.fromkeys(
        (
            "SerializationException",
            "UnknownOperationException",
            "AccessDeniedException",
            "UnrecognizedClientException",
            "MissingAuthenticationTokenException",
            "IncompleteSignatureException",
            "InvalidSignatureException",
        ),
        "com.amazon.coral.service#",
    ),
}
# These few bodies spell the key "Message"; every other DynamoDB error uses "message".
_CAPITALISED_MESSAGE = frozenset(
    {
        "SerializationException",
        "TransactionCanceledException",
        "IdempotentParameterMismatchException",
        "TransactionInProgressException",
    }
)
_REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class SyncService(Protocol):
    """What the server needs of a fake: ``FakeDynamoDB`` satisfies it."""

    @property
    def operations(self) -> frozenset[str]: ...

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]: ...


def error_type(code: str) -> str:
    """The ``__type`` DynamoDB sends for error ``code``."""
    return _NAMESPACES.get(code, _DYNAMODB_NAMESPACE) + code


def error_body(err: DynamoDBError) -> dict[str, Any]:
    """The JSON body of ``err`` as DynamoDB sends it; its extra members go to the wire encoded."""
    code = err.code
    body: dict[str, Any] = {"__type": error_type(code)}
    for key, value in encode_error(code, err.extra).items():
        if key not in ("__type", "message", "Message"):
            body[key] = value
    if err.message:  # DynamoDB sends no message at all for a body it cannot parse
        body["Message" if code in _CAPITALISED_MESSAGE else "message"] = err.message
    return body


def _status(err: DynamoDBError) -> int:
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", err.http_status)
    return status if isinstance(status, int) and 400 <= status <= 599 else 500


def make_app(fake: SyncService, *, seed: int | None = None) -> web.Application:
    """The aiohttp application serving ``fake``; ``seed`` fixes the sequence of request ids."""
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app.router.add_route("*", "/{path:.*}", _Handler(fake, random.Random(seed)).handle)
    return app


class _Handler:
    """One per application: the fake, and the random source for request ids."""

    def __init__(self, fake: SyncService, rng: random.Random) -> None:
        self._fake = fake
        self._rng = rng

    async def handle(self, request: web.Request) -> web.StreamResponse:
        request_id = "".join(self._rng.choices(_REQUEST_ID_ALPHABET, k=52))
        try:
            return await self._respond(request, request_id)
        except Exception:
            logger.exception("internal error answering request %s", request_id)
            body = {"__type": error_type("InternalServerError"), "message": INTERNAL_ERROR_MESSAGE}
            return _response(500, dump_json(body), AMZ_JSON, request_id)

    async def _respond(self, request: web.Request, request_id: str) -> web.StreamResponse:
        if request.method == "GET":
            return _response(200, HEALTH_TEXT, None, request_id)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _response(413, b"", None, request_id)
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if request.method != "POST" or (body and content_type not in ("application/json", AMZ_JSON)):
            return _response(404, NOT_FOUND_TEXT, None, request_id)
        status, payload = self._dispatch(request.headers.get("X-Amz-Target", ""), body)
        reply_type = "application/json" if content_type == "application/json" else AMZ_JSON
        return _response(status, dump_json(payload), reply_type, request_id)

    def _dispatch(self, target: str, body: bytes) -> tuple[int, Mapping[str, Any]]:
        """Run the request on the fake: (HTTP status, response or error body)."""
        try:
            data = load_json(body) if body else None
            operation = target.removeprefix(TARGET_PREFIX)
            if operation == target or operation not in self._fake.operations:
                raise UnknownOperationException("")
            if not isinstance(data, dict):  # no body, or JSON that is not an object
                raise SerializationException("")
            result = self._fake.call_sync(operation, decode_request(operation, data))
        except DynamoDBError as err:
            return _status(err), error_body(err)
        if not isinstance(result, Mapping):  # a bug in the operation: answered as a 500 by handle()
            raise TypeError(f"{operation} returned {type(result).__name__}, not a dict")
        return 200, encode_response(operation, result)


def _response(status: int, body: bytes, content_type: str | None, request_id: str) -> web.Response:
    headers = {
        "x-amzn-RequestId": request_id,
        "x-amz-crc32": str(zlib.crc32(body) & 0xFFFFFFFF),
    }
    return web.Response(status=status, body=body, content_type=content_type, headers=headers)


# --- running it -------------------------------------------------------------------------------------


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class RunningServer:
    """A server listening on the current event loop; ``await close()`` stops it."""

    def __init__(self, runner: web.AppRunner, host: str, port: int) -> None:
        self._runner = runner
        self.host = host
        self.port = port

    @property
    def url(self) -> str:
        return _url(self.host, self.port)

    async def close(self) -> None:
        await self._runner.cleanup()


async def start_server(
    fake: SyncService, host: str = "127.0.0.1", port: int = 0, *, access_log: bool = False
) -> RunningServer:
    """Serve ``fake`` on ``host:port`` (0: any free port) from the running loop."""
    access_logger = logging.getLogger("aiohttp.access") if access_log else None
    runner = web.AppRunner(make_app(fake), access_log=access_logger)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_port = int(runner.addresses[0][1])
    except BaseException:
        await runner.cleanup()
        raise
    return RunningServer(runner, host, bound_port)


class ServerThread:
    """The server on its own event loop in a daemon thread, for synchronous code and SDK tests.

    ``with ServerThread(fake) as server: boto3.client(..., endpoint_url=server.url)``. Without a
    ``fake`` it serves a new ``FakeDynamoDB`` (on virtual time), reachable as ``server.fake``.
    """

    def __init__(self, fake: SyncService | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake: SyncService = fake if fake is not None else FakeDynamoDB()
        self.host = host
        self.port = port
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return _url(self.host, self.port)

    def start(self, timeout: float = 30.0) -> ServerThread:
        """Start serving and return once the port is bound (``self.port`` is then the real one)."""
        if self._thread is not None:
            raise RuntimeError("this ServerThread was already started")
        self._thread = threading.Thread(target=self._run, name="aiodynamodb-fake-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"the fake DynamoDB server did not start within {timeout} s")
        if self._error is not None:
            self._thread.join(timeout)
            raise self._error
        return self

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        try:
            server = await start_server(self.fake, self.host, self.port)
        except BaseException as err:  # handed to start(), which raises it in the caller's thread
            self._error = err
            self._ready.set()
            return
        self.port = server.port
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await server.close()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop serving and wait for the thread to end. Safe to call twice."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None or not thread.is_alive():
            return
        with contextlib.suppress(RuntimeError):  # the loop already closed: the thread is ending anyway
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError(f"the fake DynamoDB server did not stop within {timeout} s")

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    fake: SyncService | None = None,
    *,
    on_ready: Callable[[str], None] | None = None,
    access_log: bool = False,
) -> None:
    """Serve ``fake`` (default: a new one on the system clock) until SIGINT or SIGTERM.

    ``on_ready`` gets the URL once the port is bound. Returns after a clean shutdown.
    """
    service = fake if fake is not None else FakeDynamoDB(clock=SystemClock())
    asyncio.run(_serve(service, host, port, on_ready, access_log))


async def _serve(
    fake: SyncService,
    host: str,
    port: int,
    on_ready: Callable[[str], None] | None,
    access_log: bool,
) -> None:
    server = await start_server(fake, host, port, access_log=access_log)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handled: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            pass
    try:
        if on_ready is not None:
            on_ready(server.url)
        await stop.wait()
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
        await server.close()
