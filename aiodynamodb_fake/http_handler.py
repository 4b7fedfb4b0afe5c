"""The aiohttp side of the server: one handler reading each request within the limits and answering
it as DynamoDB does, and aiohttp's protocol answering what never reaches a handler.

``Handler.handle`` reads the body (refusing it past 16 MB, answering 408 past the read deadline the
connection's guard gives it), checks method and content type, decodes the body (``http_body``; on a
worker thread when large or compressed) and runs the request on the fake; every client fault is a
DynamoDB error and only a bug is a 500, logged once with its traceback. A client that leaves
mid-request is logged at debug level. ``ServerProtocol`` is aiohttp's ``RequestHandler`` with its
error page replaced by DynamoDB's error body (a request line or header it cannot parse).
Protocol: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Collection, Mapping
from typing import Any, Protocol

from aiohttp import web
from aiohttp.web_protocol import RequestHandler, RequestPayloadError

from aiodynamodb.errors import DynamoDBError, SerializationException

from . import http_body
from .http_errors import (
    AMZ_JSON,
    INTERNAL_ERROR_BODY,
    MALFORMED_HTTP_MESSAGE,
    error_body,
    error_status,
    reply_headers,
    request_timeout,
)
from .http_limits import GuardedConnection, ServerLimits
from .wire import dump_json, encode_response

__all__ = ["Handler", "ServerProtocol", "SyncService"]

logger = logging.getLogger("aiodynamodb_fake.server")  # one logger for the server, whichever module

MAX_REQUEST_BYTES = http_body.MAX_REQUEST_BYTES
INLINE_BODY_BYTES = 64 * 1024  # larger bodies (and compressed ones) are decoded on a worker thread
DECODING_THREADS = 2  # at most this many large bodies are decoded at once: it bounds their memory
MAX_HEADERS = 128
HEALTH_TEXT = b"healthy: dynamodb.us-east-1.amazonaws.com "
NOT_FOUND_TEXT = b"<UnknownOperationException/>\n"
_REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class SyncService(Protocol):
    """What the server needs of a fake: ``FakeDynamoDB`` satisfies it."""

    @property
    def operations(self) -> frozenset[str]: ...

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]: ...


class Handler:
    """One per application: the fake, the random source for request ids, the limits."""

    def __init__(self, fake: SyncService, rng: random.Random, limits: ServerLimits) -> None:
        self._fake = fake
        self._rng = rng
        self.limits = limits
        self._decoding = asyncio.Semaphore(DECODING_THREADS)

    def request_id(self) -> str:
        return "".join(self._rng.choices(_REQUEST_ID_ALPHABET, k=52))

    def error_response(self, err: DynamoDBError, request_id: str) -> web.Response:
        return _response(error_status(err), dump_json(error_body(err)), AMZ_JSON, request_id)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        request_id = self.request_id()
        guard: GuardedConnection | None = getattr(request.protocol, "guard", None)  # None in aiohttp's tests
        if guard is not None:
            deadline = guard.request_started()
        else:
            deadline = asyncio.get_running_loop().time() + self.limits.read_timeout
        try:
            return await self._respond(request, request_id, deadline, guard)
        except RequestPayloadError as err:  # chunked framing or Content-Length the body does not keep
            logger.debug("malformed body in request %s: %s", request_id, err)
            return await _last_answer(
                request, self.error_response(SerializationException(_malformed(err, None)), request_id)
            )
        except ConnectionError:
            logger.debug("the client closed the connection before request %s was answered", request_id)
            return self.error_response(SerializationException("Connection closed"), request_id)
        except Exception:
            logger.exception("internal error answering request %s", request_id)
            return _response(500, dump_json(INTERNAL_ERROR_BODY), AMZ_JSON, request_id)
        finally:
            if guard is not None:
                guard.request_finished()

    async def _respond(
        self, request: web.Request, request_id: str, deadline: float, guard: GuardedConnection | None
    ) -> web.StreamResponse:
        if request.method == "GET":
            return _response(200, HEALTH_TEXT, None, request_id)
        try:
            raw = await _read_body(request, deadline)
        except TimeoutError:
            logger.debug("request %s did not arrive in %g s", request_id, self.limits.read_timeout)
            return await _last_answer(
                request, self.error_response(request_timeout(self.limits.read_timeout), request_id)
            )
        if guard is not None:
            guard.body_received()
        if raw is None:
            return self.error_response(http_body.too_large(), request_id)
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if request.method != "POST" or (raw and content_type not in ("application/json", AMZ_JSON)):
            return _response(404, NOT_FOUND_TEXT, None, request_id)
        status, payload = await self._answer(request, raw)
        reply_type = "application/json" if content_type == "application/json" else AMZ_JSON
        return _response(status, dump_json(payload), reply_type, request_id)

    async def _answer(self, request: web.Request, raw: bytes) -> tuple[int, Mapping[str, Any]]:
        """Decode the body and run the request on the fake: (HTTP status, response or error body)."""
        encoding = ",".join(request.headers.getall("Content-Encoding", []))
        target = request.headers.get("X-Amz-Target", "")
        try:
            operations = self._fake.operations
            if len(raw) > INLINE_BODY_BYTES or encoding.strip().lower() not in ("", "identity"):
                operation, body = await self._decode_off_loop(raw, encoding, target, operations)
            else:
                operation, body = http_body.decode(raw, encoding, target, operations)
            result = self._fake.call_sync(operation, body)
        except DynamoDBError as err:
            return error_status(err), error_body(err)
        if not isinstance(result, Mapping):  # a bug in the operation: answered as a 500 by handle()
            raise TypeError(f"{operation} returned {type(result).__name__}, not a dict")
        return 200, encode_response(operation, result)

    async def _decode_off_loop(
        self, raw: bytes, encoding: str, target: str, operations: Collection[str]
    ) -> tuple[str, dict[str, Any]]:
        decode = functools.partial(http_body.decode, raw, encoding, target, operations, yielding=True)
        async with self._decoding:
            return await asyncio.get_running_loop().run_in_executor(None, decode)


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


def _response(status: int, body: bytes, content_type: str | None, request_id: str) -> web.Response:
    headers = reply_headers(body, request_id)
    return web.Response(status=status, body=body, content_type=content_type, headers=headers)


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
            response = _response(500, dump_json(INTERNAL_ERROR_BODY), AMZ_JSON, request_id)
        else:
            logger.debug("malformed HTTP request %s: %s", request_id, message or exc)
            response = self.answers.error_response(
                SerializationException(_malformed(exc, message)), request_id
            )
        response.force_close()
        return response
