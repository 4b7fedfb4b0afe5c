"""DynamoDB's JSON 1.0 protocol, framework-free: the one place that turns a request's target, headers
and body into the status, headers and body DynamoDB answers with.

``handle(fake, target, headers, body)`` runs a whole request in real DynamoDB's order: size (16 MB),
content type (a body that is not JSON is answered 404, as DynamoDB's front door answers it), then
Content-Encoding, JSON and target (``http_body``), then the operation on the fake, then the answer: the
response with blobs in base64, or the error's ``__type`` body and status (``http_errors``), always
with ``x-amzn-RequestId`` and ``x-amz-crc32`` (which botocore verifies). Every client fault is a
DynamoDB error; anything else is a bug, answered ``InternalServerError`` (500) and logged once with
its traceback. It never raises. Adapters add only their transport: the aiohttp server
(``http_handler``) its HTTP framing, limits and health check; the interception (``interception``)
botocore's response objects. ``handle`` is ``answer(fake, decode_request(...))``: an adapter may run
the first step elsewhere (the server decodes large bodies on a worker thread). Protocol:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from aiodynamodb.errors import DynamoDBError

from . import http_body
from .http_errors import AMZ_JSON, INTERNAL_ERROR_BODY, error_body, error_status, reply_headers
from .wire import dump_json

__all__ = [
    "JSON_TYPES",
    "NOT_FOUND_TEXT",
    "Decoding",
    "Reply",
    "SyncService",
    "answer",
    "decode_request",
    "error_reply",
    "handle",
    "internal_error",
    "new_request_id",
    "not_found",
    "reply_type",
]

logger = logging.getLogger(__name__)

NOT_FOUND_TEXT = b"<UnknownOperationException/>\n"  # DynamoDB's 404 body, for a body that is not JSON
JSON_TYPES = frozenset({"application/json", AMZ_JSON})  # a JSON reply is given the request's own type
_REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_REQUEST_ID_LENGTH = 52


class SyncService(Protocol):
    """What the protocol needs of a fake: ``FakeDynamoDB`` satisfies it."""

    @property
    def operations(self) -> frozenset[str]: ...

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]: ...


class Reply(NamedTuple):
    """An answer: HTTP status, headers (without HTTP framing such as Content-Length), body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Decoding:
    """What a request decoded to: ``operation`` and ``request``, or why it is refused.

    ``reply_type`` None: the body is not JSON (answered 404). ``error``: a client fault to answer
    with. ``crash``: a bug met while decoding (answered 500).
    """

    reply_type: str | None
    operation: str = ""
    request: dict[str, Any] = field(default_factory=dict)
    error: DynamoDBError | None = None
    crash: Exception | None = None


# --- request ids ----------------------------------------------------------------------------------

_fallback_ids = random.Random()  # private: nothing here may touch the global random
_fallback_lock = threading.Lock()


def new_request_id(rng: random.Random | None = None) -> str:
    """A request id in DynamoDB's form (52 upper-case letters and digits), drawn from ``rng``."""
    if rng is not None:
        return "".join(rng.choices(_REQUEST_ID_ALPHABET, k=_REQUEST_ID_LENGTH))
    with _fallback_lock:
        return "".join(_fallback_ids.choices(_REQUEST_ID_ALPHABET, k=_REQUEST_ID_LENGTH))


# --- the two steps --------------------------------------------------------------------------------


def _header(headers: Mapping[str, str], name: str) -> str:
    """Header ``name`` (lower case), whatever case the adapter's keys are in; '' when absent."""
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), "")
    return value


def reply_type(headers: Mapping[str, str], body: bytes) -> str | None:
    """The Content-Type of the JSON answer, or None when a non-empty body is not declared JSON."""
    media_type = _header(headers, "content-type").split(";")[0].strip().lower()
    if body and media_type not in JSON_TYPES:
        return None
    return "application/json" if media_type == "application/json" else AMZ_JSON


def decode_request(
    fake: SyncService,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    yielding: bool = False,
    refusal: DynamoDBError | None = None,
) -> Decoding:
    """Step one, reading no state: the operation and request ``body`` carries. Never raises.

    ``refusal`` (a refused identity, ``front_door.identify``) is answered in DynamoDB's order: after
    the size, content type, encoding, JSON and target, in place of the body's own checks.
    ``yielding`` is for worker threads (see ``http_body.parse_json``). O(size of the inflated body).
    """
    try:
        if len(body) > http_body.MAX_REQUEST_BYTES:
            return Decoding(AMZ_JSON, error=http_body.too_large())
        kind = reply_type(headers, body)
        if kind is None:
            return Decoding(None)
        try:
            encoding = _header(headers, "content-encoding")
            if refusal is not None:
                operation = http_body.read_envelope(
                    body, encoding, target, fake.operations, yielding=yielding
                )[0]
                return Decoding(kind, operation, error=refusal)
            operation, request = http_body.decode(body, encoding, target, fake.operations, yielding=yielding)
        except DynamoDBError as err:
            return Decoding(kind, error=err)
        return Decoding(kind, operation, request)
    except Exception as crash:
        return Decoding(AMZ_JSON, crash=crash)


def answer(fake: SyncService, decoding: Decoding, *, request_id: str | None = None) -> Reply:
    """Step two: run the decoded request on ``fake`` and encode the answer. Never raises."""
    request_id = request_id or new_request_id()
    if decoding.reply_type is None:
        return not_found(request_id)
    try:
        if decoding.crash is not None:
            raise decoding.crash
        if decoding.error is not None:
            return error_reply(decoding.error, request_id, decoding.reply_type)
        try:
            result = fake.call_sync(decoding.operation, decoding.request)
        except DynamoDBError as err:
            return error_reply(err, request_id, decoding.reply_type)
        if not isinstance(result, Mapping):
            raise TypeError(f"{decoding.operation} returned {type(result).__name__}, not a dict")
        # dump_json writes bytes as base64 and datetimes as epoch seconds, exactly what
        # wire.encode_response would convert by the model: one pass over the answer, not two
        return _json_reply(200, dump_json(result), decoding.reply_type, request_id)
    except Exception:
        logger.exception("internal error answering request %s", request_id)
        return internal_error(request_id)


def handle(
    fake: SyncService,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    request_id: str | None = None,
) -> Reply:
    """Answer one DynamoDB request: ``X-Amz-Target`` value, request headers, raw body. Never raises."""
    return answer(fake, decode_request(fake, target, headers, body), request_id=request_id)


# --- answers --------------------------------------------------------------------------------------


def _json_reply(status: int, body: bytes, content_type: str, request_id: str) -> Reply:
    return Reply(status, {"Content-Type": content_type, **reply_headers(body, request_id)}, body)


def error_reply(err: DynamoDBError, request_id: str, content_type: str = AMZ_JSON) -> Reply:
    """``err`` as DynamoDB sends it. Raises only if ``err`` carries members JSON cannot hold."""
    return _json_reply(error_status(err), dump_json(error_body(err)), content_type, request_id)


def internal_error(request_id: str) -> Reply:
    """The answer to a bug: 500, ``InternalServerError`` (which SDKs retry)."""
    return _json_reply(500, dump_json(INTERNAL_ERROR_BODY), AMZ_JSON, request_id)


def not_found(request_id: str) -> Reply:
    """DynamoDB's 404, for a request that is not a JSON POST: a short text body, no content type."""
    return Reply(404, reply_headers(NOT_FOUND_TEXT, request_id), NOT_FOUND_TEXT)
