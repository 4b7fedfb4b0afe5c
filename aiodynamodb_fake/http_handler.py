"""The aiohttp side of the server: a thin adapter reading each request within the limits and handing
it to the protocol (``protocol``), and aiohttp's protocol answering what never reaches a handler.

``Handler.handle`` reads the body (refusing it past 16 MB, answering 408 past the read deadline the
connection's guard gives it), answers GET with a health check and other methods than POST with
DynamoDB's 404, and leaves the rest to ``protocol``: decoding (on a worker thread when the body is
large or compressed), the requester's identity checked in DynamoDB's order (``front_door``) when
the databases want one, then the answer of the tenant's service (``databases``). With the admin
endpoint on, ``/_admin/`` paths go to ``admin`` instead. Every client fault is a DynamoDB error and
only a bug is a 500, logged once with its traceback. Each request leaves one debug line on the
``aiodynamodb_fake.server`` logger (operation, tenant, status, milliseconds); a client that leaves
mid-request is logged at debug level. ``ServerProtocol`` is aiohttp's ``RequestHandler`` with its
error page replaced by DynamoDB's error body (a request line or header it cannot parse).
Protocol: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler, RequestPayloadError

from aiodynamodb.errors import DynamoDBError, SerializationException

from . import front_door, http_body, protocol
from .admin import ADMIN_PREFIX, Admin, AdminReply
from .databases import Backend
from .front_door import AUTH_HEADERS
from .http_errors import MALFORMED_HTTP_MESSAGE, reply_headers, request_timeout
from .http_limits import GuardedConnection, ServerLimits
from .protocol import Reply, SyncService

__all__ = ["Handler", "ServerProtocol", "SyncService"]

logger = logging.getLogger("aiodynamodb_fake.server")  # one logger for the server, whichever module

MAX_REQUEST_BYTES = http_body.MAX_REQUEST_BYTES
INLINE_BODY_BYTES = 64 * 1024  # larger bodies (and compressed ones) are decoded on a worker thread
DECODING_THREADS = 2  # at most this many large bodies are decoded at once: it bounds their memory
MAX_HEADERS = 128
HEALTH_TEXT = b"healthy: dynamodb.us-east-1.amazonaws.com "


class _Trace:
    """What the request log line says of one request."""

    __slots__ = ("operation", "tenant")

    def __init__(self) -> None:
        self.operation = "-"
        self.tenant = "-"


class _Front:
    """The protocol's view of the databases before a tenant is chosen: the operations they answer
    (decoding needs them) and no calls (a refused request is answered without one)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    @property
    def operations(self) -> frozenset[str]:
        return self._backend.operations

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        raise RuntimeError("a request was answered before its tenant was chosen")


class Handler:
    """One per application: the databases, the random source for request ids, the limits, and the
    admin endpoint (None: off, and ``/_admin/`` paths are DynamoDB requests like any other)."""

    def __init__(
        self, backend: Backend, rng: random.Random, limits: ServerLimits, *, admin: Admin | None = None
    ) -> None:
        self.backend = backend
        self._front = _Front(backend)
        self._rng = rng
        self.limits = limits
        self._admin = admin
        self._decoding = asyncio.Semaphore(DECODING_THREADS)

    def request_id(self) -> str:
        return protocol.new_request_id(self._rng)

    def error_response(self, err: DynamoDBError, request_id: str) -> web.Response:
        return _response(protocol.error_reply(err, request_id))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        request_id = self.request_id()
        loop = asyncio.get_running_loop()
        started = loop.time()
        trace = _Trace()
        guard: GuardedConnection | None = getattr(request.protocol, "guard", None)  # None in aiohttp's tests
        deadline = guard.request_started() if guard is not None else started + self.limits.read_timeout
        try:
            response = await self._respond(request, request_id, deadline, guard, trace)
        except RequestPayloadError as err:  # chunked framing or Content-Length the body does not keep
            logger.debug("malformed body in request %s: %s", request_id, err)
            response = await _last_answer(
                request, self.error_response(SerializationException(_malformed(err, None)), request_id)
            )
        except ConnectionError:
            logger.debug("the client closed the connection before request %s was answered", request_id)
            response = self.error_response(SerializationException("Connection closed"), request_id)
        except Exception:
            logger.exception("internal error answering request %s", request_id)
            response = _response(protocol.internal_error(request_id))
        finally:
            if guard is not None:
                guard.request_finished()
        if logger.isEnabledFor(logging.DEBUG):
            milliseconds = (loop.time() - started) * 1000
            logger.debug(
                "%s tenant=%s status=%d %.1f ms request=%s",
                trace.operation,
                trace.tenant,
                response.status,
                milliseconds,
                request_id,
            )
        return response

    async def _respond(
        self,
        request: web.Request,
        request_id: str,
        deadline: float,
        guard: GuardedConnection | None,
        trace: _Trace,
    ) -> web.StreamResponse:
        admin = self._admin is not None and request.path.startswith(ADMIN_PREFIX)
        if request.method == "GET" and not admin:
            return _response(Reply(200, reply_headers(HEALTH_TEXT, request_id), HEALTH_TEXT))
        try:
            raw = await _read_body(request, deadline)
        except TimeoutError:
            logger.debug("request %s did not arrive in %g s", request_id, self.limits.read_timeout)
            return await _last_answer(
                request, self.error_response(request_timeout(self.limits.read_timeout), request_id)
            )
        if guard is not None:
            guard.body_received()
        if admin:
            return self._answer_admin(request, raw, trace)
        if raw is None:
            return self.error_response(http_body.too_large(), request_id)
        if request.method != "POST":
            return _response(protocol.not_found(request_id))
        return await self._answer(request, raw, request_id, trace)

    async def _answer(self, request: web.Request, raw: bytes, request_id: str, trace: _Trace) -> web.Response:
        headers = {
            "content-type": request.headers.get("Content-Type", ""),
            "content-encoding": ",".join(request.headers.getall("Content-Encoding", [])),
            **{name: request.headers.get(name, "") for name in AUTH_HEADERS},
        }
        target = request.headers.get("X-Amz-Target", "")
        scope, refusal = front_door.identify(headers, self.backend.requires_auth)
        coded = headers["content-encoding"].strip().lower() not in ("", "identity")
        decode = functools.partial(
            protocol.decode_request, self._front, target, headers, raw, refusal=refusal
        )
        if len(raw) > INLINE_BODY_BYTES or coded:
            async with self._decoding:
                decoding = await asyncio.get_running_loop().run_in_executor(
                    None, functools.partial(decode, yielding=True)
                )
        else:
            decoding = decode()
        trace.operation = decoding.operation or target.removeprefix(http_body.TARGET_PREFIX)[:64] or "-"
        service: SyncService = self._front
        if decoding.reply_type is not None and decoding.error is None and decoding.crash is None:
            # chosen now, on the loop, with no await before the answer: an admin reset never
            # falls between the choice of a tenant and its call
            tenant = self.backend.tenant(scope)
            trace.tenant = tenant.name
            service = tenant.service
        return _response(protocol.answer(service, decoding, request_id=request_id))

    def _answer_admin(self, request: web.Request, raw: bytes | None, trace: _Trace) -> web.Response:
        assert self._admin is not None
        name = request.path[len(ADMIN_PREFIX) :]
        trace.operation = f"admin:{name[:64]}"
        if raw is None:
            reply = AdminReply(413, {"error": "TooLarge", "message": http_body.TOO_LARGE_MESSAGE})
        else:
            reply = self._admin.handle(request.method, name, dict(request.query), raw)
        return web.Response(status=reply.status, body=reply.json(), content_type="application/json")


async def _read_body(request: web.Request, deadline: float) -> bytes | None:
    """The raw body, None past ``MAX_REQUEST_BYTES`` (refused unread when Content-Length says so).

    Raises ``TimeoutError`` at loop time ``deadline``.
    """
    if request.content_length is not None and request.content_length > MAX_REQUEST_BYTES:
        return None
    content = request.content
    if content.is_eof():  # the whole body came with the headers (the usual case): nothing to wait for
        raw = content.read_nowait()
        return raw if len(raw) <= MAX_REQUEST_BYTES else None
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout_at(deadline):
        while chunk := await request.content.readany():
            size += len(chunk)
            if size > MAX_REQUEST_BYTES:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


async def _last_answer(request: web.Request, response: web.Response) -> web.Response:
    """Send ``response`` now and close the connection once it is out, leaving the rest of the body
    unread (aiohttp would otherwise wait up to 10 s reading it, for a client that is not sending)."""
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    protocol = request.protocol
    if isinstance(protocol, RequestHandler):
        protocol.force_close()
    return response


def _response(reply: Reply) -> web.Response:
    return web.Response(status=reply.status, body=reply.body, headers=reply.headers)


def _malformed(exc: BaseException | None, message: str | None) -> str:
    """Our message for what aiohttp could not parse: the first line of its reason, bounded."""
    text = message or (getattr(exc, "message", None) if exc is not None else None) or str(exc or "")
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    reason = lines[0].rstrip(":") if lines else "bad request"
    return MALFORMED_HTTP_MESSAGE.format(reason=reason[:200])


class ServerProtocol(RequestHandler):
    """aiohttp's HTTP protocol, answering what never reaches a handler (a bad request line or header)
    with DynamoDB's error body, and logging it at debug level: it is the client's fault, not ours."""

    def __init__(self, manager: web.Server, *, answers: Handler, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self.answers = answers
        self.guard: GuardedConnection | None = None

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:  # as aiohttp does: a response is already on its way
            raise ConnectionError("Response is sent already, cannot send another response")
        request_id = self.answers.request_id()
        if status >= 500:
            logger.error("internal error answering request %s", request_id, exc_info=exc)
            response = _response(protocol.internal_error(request_id))
        else:
            logger.debug("malformed HTTP request %s: %s", request_id, message or exc)
            response = self.answers.error_response(
                SerializationException(_malformed(exc, message)), request_id
            )
        response.force_close()
        return response
