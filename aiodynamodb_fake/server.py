"""The fake over HTTP: DynamoDB's JSON 1.0 protocol in front of fakes, so any SDK can use it.

``make_app`` builds the aiohttp application: ``POST /`` with ``X-Amz-Target:
DynamoDB_20120810.<Operation>`` and a JSON body, answered with DynamoDB's headers
(``x-amzn-RequestId``, ``x-amz-crc32`` which botocore verifies) and DynamoDB's error bodies
(``{"__type": "<namespace>#<Code>", "message": ...}``, see ``http_errors``). The steps run in real
DynamoDB's order: body size, method and content type, Content-Encoding, JSON, target, the
``Authorization`` header, then the operation (``http_body``, ``front_door``). Every fault of the
client is a DynamoDB error, down to a request line or header aiohttp cannot parse; an unexpected
Python exception is a 500 ``InternalServerError``, logged once with its traceback, never a dropped
connection. Large or compressed bodies are decoded on a worker thread, so they do not hold up other
clients.

What it serves (``databases``): given a fake (``start_server(fake)``, ``ServerThread(fake)``),
that fake answers every request and any ``Authorization`` header, or none, is accepted; given
``Databases`` (what ``serve`` and the command line use), each access key id and region of a
request's SigV4 ``Authorization`` header gets its own fake, as in DynamoDB Local (signatures are
not verified), and a request without a well-formed header is refused as DynamoDB refuses it.
``admin=True`` adds the ``/_admin/`` endpoint (``admin``). ``start_server`` runs it on the current
loop behind ``http_limits`` (idle and read timeouts, a bound on open connections), ``ServerThread``
in a background thread (port 0 picks a free port), ``serve`` until SIGINT or SIGTERM. Closing a
server lets requests in flight finish, then compacts and closes durable databases. Protocol:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import random
import signal
import socket
import threading
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from .admin import Admin
from .databases import Backend, Databases, DatabaseSettings, SingleDatabase
from .http_body import MAX_REQUEST_BYTES
from .http_errors import error_body, error_type, raw_response, request_timeout
from .http_handler import MAX_HEADERS, Handler, ServerProtocol, SyncService
from .http_limits import ConnectionTracker, Listener, ServerLimits
from .service import FakeDynamoDB

__all__ = [
    "Backend",
    "DatabaseSettings",
    "Databases",
    "RunningServer",
    "ServerLimits",
    "ServerThread",
    "SingleDatabase",
    "SyncService",
    "error_body",
    "error_type",
    "make_app",
    "serve",
    "start_server",
]


def make_app(
    fake: SyncService | None = None,
    *,
    seed: int | None = None,
    limits: ServerLimits | None = None,
    databases: Backend | None = None,
    admin: bool = False,
) -> web.Application:
    """The aiohttp application serving ``fake`` (no ``Authorization`` needed) or ``databases`` (default:
    ``Databases()``, a fake per tenant); ``seed`` fixes the sequence of request ids.

    Run it with ``auto_decompress=False`` (``start_server`` does): it inflates gzip bodies itself,
    bounded and off the event loop.
    """
    backend = _backend(fake, databases)
    answers = Admin(backend) if admin else None
    handler = Handler(backend, random.Random(seed), limits or ServerLimits(), admin=answers)
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[_HANDLER] = handler
    app.router.add_route("*", "/{path:.*}", handler.handle)
    return app


def _backend(fake: SyncService | None, databases: Backend | None) -> Backend:
    if fake is not None and databases is not None:
        raise ValueError("serve a fake or databases, not both")
    if fake is not None:
        return SingleDatabase(fake)
    return databases if databases is not None else Databases()


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
        self,
        runner: web.AppRunner,
        listener: Listener,
        tracker: ConnectionTracker,
        host: str,
        port: int,
        databases: Backend,
    ) -> None:
        self.databases = databases
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
        """Stop accepting, let requests in flight finish, then close the databases (compacting
        durable ones; a fake given to ``start_server`` is left as it is)."""
        await self._listener.close()
        try:
            await self._runner.cleanup()
        finally:
            self.databases.close()


async def start_server(
    fake: SyncService | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    access_log: bool = False,
    limits: ServerLimits | None = None,
    databases: Backend | None = None,
    admin: bool = False,
    seed: int | None = None,
) -> RunningServer:
    """Serve ``fake`` (any or no ``Authorization`` accepted) or ``databases`` (default ``Databases()``:
    a fake per access key id and region) on ``host:port`` (0: any free port) from the running loop,
    within ``limits``; ``admin`` turns on the ``/_admin/`` endpoint."""
    limits = limits or ServerLimits()
    app = make_app(fake, limits=limits, databases=databases, admin=admin, seed=seed)
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
    return RunningServer(runner, listener, tracker, host, int(sock.getsockname()[1]), answers.backend)


class ServerThread:
    """A DynamoDB-compatible server on its own event loop in a daemon thread: public API, for
    synchronous code and SDK tests (boto3, the AWS CLI, programs in other languages).

    ``with ServerThread(fake) as server: boto3.client("dynamodb", endpoint_url=server.url, ...)``
    serves ``fake`` to every client, with or without credentials; the test keeps its handle on the
    fake for faults (``fake.throttle(...)``) and inspection. Without arguments it serves a new
    ``FakeDynamoDB`` on virtual time, reachable as ``server.fake``. With ``databases=Databases(...)``
    it serves what the command line serves: a fake per access key id and region of each request's
    SigV4 ``Authorization`` header (or one shared), with the settings' chaos and durability, and
    ``server.fake`` is None; those databases are closed (compacted) when the server stops.
    ``admin=True`` adds the ``/_admin/`` endpoint. ``port=0`` (the default) picks a free port:
    ``server.port`` and ``server.url`` are the real ones once ``start()`` (or ``with``) returns.
    """

    def __init__(
        self,
        fake: SyncService | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: ServerLimits | None = None,
        databases: Backend | None = None,
        admin: bool = False,
    ) -> None:
        if fake is None and databases is None:
            fake = FakeDynamoDB()
        self.fake: SyncService | None = fake
        self.databases: Backend = _backend(fake, databases)
        self.host = host
        self.port = port
        self.limits = limits
        self.admin = admin
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
            server = await start_server(
                host=self.host, port=self.port, limits=self.limits, databases=self.databases, admin=self.admin
            )
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
    databases: Backend | None = None,
    admin: bool = False,
) -> None:
    """Serve ``fake``, or ``databases`` (default: ``Databases()``, a fake per tenant on the system
    clock, in memory), until SIGINT or SIGTERM.

    ``on_ready`` gets the URL once the port is bound. On a signal, requests in flight finish, the
    databases are closed (durable ones compacted), and it returns.
    """
    backend = _backend(fake, databases)
    _tune_collector()
    asyncio.run(_serve(backend, host, port, on_ready, access_log, limits, admin))


# Allocations (net of frees) between two young-generation collections; CPython's default is 700.
SERVER_GC_THRESHOLD = 10_000


def _tune_collector() -> None:
    """Collect the young generation less often: ``serve`` owns its process (``ServerThread`` and
    ``start_server``, which run in someone else's, leave it alone). A request builds and drops a
    few thousand objects (an item is a dozen dicts), so at the default threshold every request runs
    a collection or two over its own live objects; at 10,000 the collector's share of the server's
    CPU is about halved (``benchmarks/sdk_bench.py``, read loop). Older generations keep their
    defaults; the fake makes no reference cycles of its own, and what cyclic garbage the libraries
    leave waits for at most 10,000 allocations, not 700."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(SERVER_GC_THRESHOLD, older, oldest)


async def _serve(
    databases: Backend,
    host: str,
    port: int,
    on_ready: Callable[[str], None] | None,
    access_log: bool,
    limits: ServerLimits | None,
    admin: bool,
) -> None:
    server = await start_server(
        host=host, port=port, access_log=access_log, limits=limits, databases=databases, admin=admin
    )
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
