"""The fake over HTTP: DynamoDB's JSON 1.0 protocol in front of a ``FakeDynamoDB``, so any SDK can use it.

``make_app`` builds the aiohttp application: ``POST /`` with ``X-Amz-Target:
DynamoDB_20120810.<Operation>`` and a JSON body, answered with DynamoDB's headers
(``x-amzn-RequestId``, ``x-amz-crc32`` which botocore verifies) and DynamoDB's error bodies
(``{"__type": "<namespace>#<Code>", "message": ...}``, see ``http_errors``). The steps run in real
DynamoDB's order: body size, method and content type, Content-Encoding, JSON, target, then the
operation (``http_body``). Any Authorization header, or none, is accepted. Every fault of the
client is a DynamoDB error, down to a request line or header aiohttp cannot parse; an unexpected
Python exception is a 500 ``InternalServerError``, logged once with its traceback, never a dropped
connection. Large or compressed bodies are decoded on a worker thread, so they do not hold up other
clients. ``start_server`` runs it on the current loop behind ``http_limits`` (idle and read
timeouts, a bound on open connections), ``ServerThread`` in a background thread (port 0 picks a
free port), ``serve`` until SIGINT or SIGTERM. Protocol:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
import socket
import threading
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from .clock import SystemClock
from .http_body import MAX_REQUEST_BYTES
from .http_errors import error_body, error_type, raw_response, request_timeout
from .http_handler import MAX_HEADERS, Handler, ServerProtocol, SyncService
from .http_limits import ConnectionTracker, Listener, ServerLimits
from .service import FakeDynamoDB

__all__ = [
    "RunningServer",
    "ServerLimits",
    "ServerThread",
    "SyncService",
    "error_body",
    "error_type",
    "make_app",
    "serve",
    "start_server",
]


def make_app(
    fake: SyncService, *, seed: int | None = None, limits: ServerLimits | None = None
) -> web.Application:
    """The aiohttp application serving ``fake``; ``seed`` fixes the sequence of request ids.

    Run it with ``auto_decompress=False`` (``start_server`` does): it inflates gzip bodies itself,
    bounded and off the event loop.
    """
    handler = Handler(fake, random.Random(seed), limits or ServerLimits())
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[_HANDLER] = handler
    app.router.add_route("*", "/{path:.*}", handler.handle)
    return app


_HANDLER = web.AppKey("aiodynamodb_fake_handler", Handler)


# --- running it -------------------------------------------------------------------------------------


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _listen(host: str, port: int) -> socket.socket:
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    return socket.create_server(address, family=family, backlog=128)


class RunningServer:
    """A server listening on the current event loop; ``await close()`` stops it."""

    def __init__(
        self, runner: web.AppRunner, listener: Listener, tracker: ConnectionTracker, host: str, port: int
    ) -> None:
        self._runner = runner
        self._listener = listener
        self._tracker = tracker
        self.host = host
        self.port = port

    @property
    def url(self) -> str:
        return _url(self.host, self.port)

    @property
    def open_connections(self) -> int:
        return len(self._tracker)

    async def close(self) -> None:
        await self._listener.close()
        await self._runner.cleanup()


async def start_server(
    fake: SyncService,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    access_log: bool = False,
    limits: ServerLimits | None = None,
) -> RunningServer:
    """Serve ``fake`` on ``host:port`` (0: any free port) from the running loop, within ``limits``."""
    limits = limits or ServerLimits()
    app = make_app(fake, limits=limits)
    answers = app[_HANDLER]
    access_logger = logging.getLogger("aiohttp.access") if access_log else None
    runner = web.AppRunner(app, access_log=access_logger)
    await runner.setup()
    try:
        sock = _listen(host, port)
    except BaseException:
        await runner.cleanup()
        raise
    manager = runner.server
    assert manager is not None  # set by setup()
    loop = asyncio.get_running_loop()
    tracker = ConnectionTracker(
        limits, lambda seconds: raw_response(request_timeout(seconds), answers.request_id())
    )

    def protocol() -> asyncio.Protocol:
        inner = ServerProtocol(
            manager,
            answers=answers,
            loop=loop,
            keepalive_timeout=limits.idle_timeout,
            access_log=access_logger,
            auto_decompress=False,
            max_headers=MAX_HEADERS,
        )
        inner.guard = tracker.guard(inner)
        return inner.guard

    listener = Listener(sock, protocol, tracker)
    return RunningServer(runner, listener, tracker, host, int(sock.getsockname()[1]))


class ServerThread:
    """The server on its own event loop in a daemon thread, for synchronous code and SDK tests.

    ``with ServerThread(fake) as server: boto3.client(..., endpoint_url=server.url)``. Without a
    ``fake`` it serves a new ``FakeDynamoDB`` (on virtual time), reachable as ``server.fake``.
    """

    def __init__(
        self,
        fake: SyncService | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: ServerLimits | None = None,
    ) -> None:
        self.fake: SyncService = fake if fake is not None else FakeDynamoDB()
        self.host = host
        self.port = port
        self.limits = limits
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
            server = await start_server(self.fake, self.host, self.port, limits=self.limits)
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
    limits: ServerLimits | None = None,
) -> None:
    """Serve ``fake`` (default: a new one on the system clock) until SIGINT or SIGTERM.

    ``on_ready`` gets the URL once the port is bound. Returns after a clean shutdown.
    """
    service = fake if fake is not None else FakeDynamoDB(clock=SystemClock())
    asyncio.run(_serve(service, host, port, on_ready, access_log, limits))


async def _serve(
    fake: SyncService,
    host: str,
    port: int,
    on_ready: Callable[[str], None] | None,
    access_log: bool,
    limits: ServerLimits | None,
) -> None:
    server = await start_server(fake, host, port, access_log=access_log, limits=limits)
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
