"""How long and how many: timeouts for idle and slow connections, and a bound on open connections.

Framework-free (asyncio only): ``Listener`` accepts connections itself and wraps each protocol the
HTTP framework makes in a ``GuardedConnection``, which forwards everything and keeps two clocks. A
connection with no request in progress is closed after ``idle_timeout`` without a byte; a request
must arrive whole, headers and body, within ``read_timeout`` of its first byte (headers that never
finish are answered here, with the reply the server supplies; the body is timed by the handler,
through ``request_started``). At most ``max_connections`` are open: past it the connection idle the
longest (else the slowest sender) is closed to make room, so a crowd of idle sockets never locks
clients out, and the bound is kept under the open-files limit, so ``accept`` never fails for
want of descriptors (if it does anyway, for descriptors used elsewhere or a bound set too high,
the bound comes down to what fits, and that is logged once a minute, not once per attempt).
DynamoDB documents none of these numbers; the defaults are those
of common HTTP servers (a minute) and half the open-files limit, leaving the other half to whatever
else the process holds (with ``ServerThread``, the test's own client sockets).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ConnectionTracker", "GuardedConnection", "Listener", "ServerLimits", "default_max_connections"]

logger = logging.getLogger(__name__)

DEFAULT_IDLE_TIMEOUT = 60.0
DEFAULT_READ_TIMEOUT = 60.0
_RESERVED_DESCRIPTORS = 64  # the listening socket, logs, botocore's data files, the loop's own
_MOST_CONNECTIONS = 4096
_OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_WARN_EVERY = 60.0
_ACCEPT_BACKOFF = 0.1


def default_max_connections() -> int:
    """Half the soft open-files limit less a reserve, between 8 and 4,096 (512 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 512
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return _MOST_CONNECTIONS
    return max(8, min(_MOST_CONNECTIONS, (soft - _RESERVED_DESCRIPTORS) // 2))


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Timeouts in seconds; ``max_connections`` None means ``default_max_connections()``."""

    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_connections: int | None = None

    def __post_init__(self) -> None:
        if not self.idle_timeout > 0 or not self.read_timeout > 0:
            raise ValueError("idle_timeout and read_timeout must be positive")
        if self.max_connections is not None and self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")

    def connection_bound(self) -> int:
        return default_max_connections() if self.max_connections is None else self.max_connections


class GuardedConnection(asyncio.Protocol):
    """One connection: the HTTP protocol's own, forwarded to, plus its clocks and request state."""

    def __init__(self, inner: asyncio.Protocol, tracker: ConnectionTracker) -> None:
        self._inner = inner
        self._tracker = tracker
        self._loop = tracker.loop
        self.transport: asyncio.Transport | None = None
        self.busy = False  # a request's handler is running
        self.reading = False  # ... and still reading its body
        self.pending_since: float | None = None  # first byte of a request whose handler has not started
        self.last_seen = self._loop.time()
        self._timer: asyncio.TimerHandle | None = None

    # --- asyncio.Protocol, forwarded ---

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._tracker.add(self)
        self._arm(self.last_seen + min(self._tracker.limits.idle_timeout, self._tracker.limits.read_timeout))
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        now = self._loop.time()
        self.last_seen = now
        if not self.busy and self.pending_since is None:
            self.pending_since = now
            self._arm(now + self._tracker.limits.read_timeout)
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._tracker.discard(self)
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    # --- what the request handler tells it ---

    def request_started(self) -> float:
        """A request's handler starts: returns the loop time by which its body must have arrived."""
        started = self._loop.time() if self.pending_since is None else self.pending_since
        self.busy = self.reading = True
        self.pending_since = None  # the handler times the body itself; a check due meanwhile is skipped
        return started + self._tracker.limits.read_timeout

    def body_received(self) -> None:
        self.reading = False

    def request_finished(self) -> None:
        self.busy = self.reading = False
        self.last_seen = self._loop.time()
        self._arm(self.last_seen + self._tracker.limits.idle_timeout)  # usually a check is due already
        self._tracker.room_changed()

    # --- clocks ---

    def _arm(self, when: float) -> None:
        """Check the clocks at ``when``, unless a check is due sooner."""
        if self._timer is not None:
            if self._timer.when() <= when:
                return
            self._timer.cancel()
        self._timer = self._loop.call_at(when, self._check)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check(self) -> None:
        self._timer = None
        if self.busy or self.transport is None:
            return
        now = self._loop.time()
        limits = self._tracker.limits
        if self.pending_since is not None:
            deadline = self.pending_since + limits.read_timeout
            if now >= deadline:
                logger.debug("closing a connection whose request did not arrive in %g s", limits.read_timeout)
                self.close(self._tracker.timeout_reply(limits.read_timeout))
                return
        else:
            deadline = self.last_seen + limits.idle_timeout
            if now >= deadline:
                logger.debug("closing a connection idle for %g s", limits.idle_timeout)
                self.close()
                return
        self._arm(deadline)

    def close(self, last_words: bytes = b"") -> None:
        """Close now (after writing ``last_words``), and stop counting this connection."""
        self._disarm()
        self._tracker.discard(self)
        if self.transport is not None and not self.transport.is_closing():
            if last_words:
                self.transport.write(last_words)
            self.transport.close()


class ConnectionTracker:
    """The open connections of one server, and the bound on how many there may be."""

    def __init__(self, limits: ServerLimits, timeout_reply: Callable[[float], bytes]) -> None:
        self.limits = limits
        self.bound = limits.connection_bound()
        self.timeout_reply = timeout_reply
        self.loop = asyncio.get_running_loop()
        self._open: dict[GuardedConnection, None] = {}  # a dict: ordered, O(1) removal
        self._room = asyncio.Event()

    def __len__(self) -> int:
        return len(self._open)

    def guard(self, inner: asyncio.Protocol) -> GuardedConnection:
        return GuardedConnection(inner, self)

    def add(self, connection: GuardedConnection) -> None:
        self._open[connection] = None
        while len(self._open) > self.bound:
            victim = self._victim(exclude=connection)
            if victim is None:
                break
            logger.debug("%d connections open: closing the one idle longest", len(self._open))
            victim.close()

    def discard(self, connection: GuardedConnection) -> None:
        if connection in self._open:
            del self._open[connection]
            self.room_changed()

    def room_changed(self) -> None:
        self._room.set()

    async def wait_for_room(self) -> None:
        """Return once a new connection can be taken: under the bound, or with one that can be closed."""
        while len(self._open) >= self.bound and self._victim() is None:
            self._room.clear()
            await self._room.wait()

    def shed(self) -> bool:
        """Close the connection idle the longest, to free a descriptor; False if there is none."""
        victim = self._victim()
        if victim is not None:
            victim.close()
        return victim is not None

    def _victim(self, exclude: GuardedConnection | None = None) -> GuardedConnection | None:
        """The connection idle the longest; failing that, the body read longest ago. O(open connections)."""
        idle = [c for c in self._open if not c.busy and c is not exclude]
        if not idle:
            idle = [c for c in self._open if c.reading and c is not exclude]
        return min(idle, key=lambda c: c.last_seen, default=None)


class Listener:
    """Accepts connections on ``sock`` while there is room, each served by a protocol from ``factory``
    (a ``GuardedConnection`` from ``tracker.guard``, around the HTTP framework's protocol)."""

    def __init__(
        self, sock: socket.socket, factory: Callable[[], asyncio.Protocol], tracker: ConnectionTracker
    ):
        sock.setblocking(False)
        self._sock = sock
        self._factory = factory
        self._tracker = tracker
        self._warned_at: float | None = None
        self._task = tracker.loop.create_task(self._accept_forever())

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._sock.close()

    async def _accept_forever(self) -> None:
        loop = self._tracker.loop
        while True:
            await self._tracker.wait_for_room()
            try:
                conn, _ = await loop.sock_accept(self._sock)
            except OSError as err:
                await self._accept_failed(err)
                continue
            try:
                await loop.connect_accepted_socket(self._factory, conn)
            except (OSError, RuntimeError) as err:  # the client left already, or the loop is closing
                logger.debug("could not set up an accepted connection: %s", err)
                conn.close()
            except Exception:  # a bug: logged, and the server goes on accepting
                logger.exception("could not set up an accepted connection")
                conn.close()

    async def _accept_failed(self, err: OSError) -> None:
        tracker = self._tracker
        out_of_resources = err.errno in _OUT_OF_RESOURCES
        now = tracker.loop.time()
        if self._warned_at is None or now - self._warned_at >= _WARN_EVERY:
            self._warned_at = now
            level = logging.WARNING if out_of_resources else logging.DEBUG
            logger.log(level, "accepting a connection failed (%s) with %d open", err, len(tracker))
        if out_of_resources and len(tracker) > 1:
            # The descriptors ran out before the bound: hold one fewer connection from now on, so
            # that each new one closes an idle one first and the next accept has a descriptor.
            tracker.bound = min(tracker.bound, len(tracker) - 1)
            if tracker.shed():
                return
        if err.errno != errno.ECONNABORTED:  # that one is the client's; others would repeat at once
            await asyncio.sleep(_ACCEPT_BACKOFF)
