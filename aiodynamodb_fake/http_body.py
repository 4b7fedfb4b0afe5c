"""A request body as DynamoDB's front door reads it: size limit, Content-Encoding, JSON, target.

Framework-free: ``decode(raw, content_encoding, target, operations)`` turns the bytes an HTTP
adapter read into ``(operation, request)`` for the fake, or raises the DynamoDB error to answer
with, in real DynamoDB's order (inflate, parse the JSON, then the target, then the request shape).
Everything is bounded: a body over 16 MB, or one that inflates past it, is
``RequestEntityTooLargeException`` (HTTP 413; DynamoDB documents the limit, not the body it
answers with). Only ``gzip`` is a supported encoding, as in DynamoDB; it is inflated a chunk at a
time, stopping at the limit, so a gzip bomb costs what 16 MB costs. A body that is not gzip, or an
encoding DynamoDB does not support, is a ``SerializationException`` with a message (DynamoDB itself
answers these with a 500, which SDKs retry: a client's fault is a 400 here). JSON nested too deep
for Python's parser is parsed by ``deep_json`` so the fake sees the request it would see in
process. Adapters run ``decode`` on a worker thread for large or compressed bodies: zlib releases
the GIL, and with ``yielding`` the JSON parser calls back into Python often enough to let the event
loop's thread in (see ``parse_json``). Limits:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
import zlib
from collections.abc import Collection, Iterator
from typing import Any

from aiodynamodb.errors import DynamoDBError, SerializationException, UnknownOperationException, error_class

from . import deep_json, limits
from .wire import decode_request, may_need_decoding

__all__ = [
    "BAD_GZIP_MESSAGE",
    "MAX_REQUEST_BYTES",
    "TARGET_PREFIX",
    "TOO_LARGE_MESSAGE",
    "UNSUPPORTED_ENCODING_MESSAGE",
    "decode",
    "decode_content",
    "inflate_gzip",
    "parse_json",
    "read_envelope",
    "too_large",
]

TARGET_PREFIX = "DynamoDB_20120810."
MAX_REQUEST_BYTES = limits.MAX_REQUEST_BYTES  # DynamoDB's limit on a request, compressed or not
INFLATE_CHUNK = 256 * 1024

# Our words: DynamoDB's answers to these are not documented (see the module docstring).
TOO_LARGE_MESSAGE = f"Request size exceeds the limit of {MAX_REQUEST_BYTES} bytes"
BAD_GZIP_MESSAGE = "The request body is not valid gzip data (Content-Encoding: gzip)"
UNSUPPORTED_ENCODING_MESSAGE = "Content-Encoding {coding!r} is not supported; send gzip or identity"

_GZIP_CODINGS = frozenset({"gzip", "x-gzip"})  # HTTP: "x-gzip" is an alias of "gzip"
_IDENTITY_CODINGS = frozenset({"", "identity"})


def too_large() -> DynamoDBError:
    """The error for a body over the limit: HTTP 413, ``RequestEntityTooLargeException``."""
    return error_class("RequestEntityTooLargeException")(TOO_LARGE_MESSAGE, http_status=413)


def decode(
    raw: bytes,
    content_encoding: str,
    target: str,
    operations: Collection[str],
    *,
    yielding: bool = False,
) -> tuple[str, dict[str, Any]]:
    """``(operation, request)`` from a body of at most ``MAX_REQUEST_BYTES``, or the error to answer.

    ``yielding`` parses with a Python callback per object, for worker threads (see the module doc).
    O(size of the inflated body).
    """
    operation, body, data = read_envelope(raw, content_encoding, target, operations, yielding=yielding)
    if not isinstance(data, dict):  # no body, or JSON that is not an object
        raise SerializationException("")
    if not may_need_decoding(operation, body):  # no binary attribute: nothing to walk for
        return operation, data
    return operation, decode_request(operation, data)


def read_envelope(
    raw: bytes,
    content_encoding: str,
    target: str,
    operations: Collection[str],
    *,
    yielding: bool = False,
) -> tuple[str, bytes, Any]:
    """``(operation, inflated body, its JSON or None when empty)``: the steps of ``decode`` that come
    before the identity check (Content-Encoding, JSON, target), or the error to answer."""
    body = decode_content(raw, content_encoding)
    data = parse_json(body, yielding=yielding) if body else None
    operation = target.removeprefix(TARGET_PREFIX)
    if operation == target or operation not in operations:
        raise UnknownOperationException("")
    return operation, body, data


def decode_content(raw: bytes, content_encoding: str) -> bytes:
    """``raw`` with its Content-Encoding undone: identity or gzip, anything else refused."""
    coding = content_encoding.strip().lower()
    if coding in _IDENTITY_CODINGS:
        return raw
    if coding in _GZIP_CODINGS:
        return inflate_gzip(raw, MAX_REQUEST_BYTES)
    raise SerializationException(UNSUPPORTED_ENCODING_MESSAGE.format(coding=content_encoding[:64]))


def inflate_gzip(raw: bytes, limit: int) -> bytes:
    """Inflate ``raw`` (one or more gzip members, as DynamoDB accepts), refusing output over ``limit``.

    Input goes in ``INFLATE_CHUNK`` slices and output comes out at most ``INFLATE_CHUNK`` at a
    time, so memory stays under ``limit`` plus two chunks whatever the ratio, and no call copies
    much. O(len(raw) + min(inflated size, limit)).
    """
    if not raw:
        raise SerializationException(BAD_GZIP_MESSAGE)
    view = memoryview(raw)
    pieces: list[bytes] = []
    size = position = 0
    pending: bytes | memoryview = b""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while True:
            if not pending and position < len(raw):
                pending = view[position : position + INFLATE_CHUNK]
                position += len(pending)
            piece = inflater.decompress(pending, INFLATE_CHUNK)
            size += len(piece)
            if size > limit:
                raise too_large()
            pieces.append(piece)
            if inflater.eof:  # a member ended: what follows must be another whole member, or nothing
                pending = inflater.unused_data
                if not pending and position >= len(raw):
                    return b"".join(pieces)
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                continue
            progressed = bool(piece) or len(inflater.unconsumed_tail) < len(pending)
            pending = inflater.unconsumed_tail
            if not progressed and (pending or position >= len(raw)):  # the stream ended early
                raise SerializationException(BAD_GZIP_MESSAGE)
    except zlib.error:
        raise SerializationException(BAD_GZIP_MESSAGE) from None


def parse_json(body: bytes, *, yielding: bool = False) -> Any:
    """Strict JSON (no NaN or Infinity) at any depth; anything else is DynamoDB's message-less
    ``SerializationException``. O(len(body)).

    ``yielding`` (on a worker thread) has the C parser call back into Python at every object,
    number and garbage collection: each call is a point where the event loop's thread can take the
    GIL, which the parser otherwise holds from start to end (a second for some 16 MB bodies).
    """
    try:
        if not yielding:
            return json.loads(body, parse_constant=_reject_constant)
        with _collections_yield():
            return json.loads(
                body,
                parse_constant=_reject_constant,
                object_pairs_hook=_object,
                parse_int=_int,
                parse_float=_float,
            )
    except RecursionError:
        pass  # nested deeper than Python's parser goes: parse it without recursion, below
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise SerializationException("") from None
    try:
        return deep_json.loads(body)
    except ValueError:
        raise SerializationException("") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# The same values json.loads builds by default (the last of duplicate keys wins), built in Python.
def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return dict(pairs)


def _int(text: str) -> int:
    return int(text)


def _float(text: str) -> float:
    return float(text)


def _on_collection(phase: str, info: dict[str, int]) -> None:
    """Does nothing; being Python, a garbage collection during parsing lets a waiting thread in."""


_collecting_lock = threading.Lock()
_collecting_parses = 0


@contextlib.contextmanager
def _collections_yield() -> Iterator[None]:
    """Hook ``_on_collection`` into the garbage collector while any yielding parse runs. Arrays have
    no parser hook, but millions of them set off collections every 700 allocations."""
    global _collecting_parses
    with _collecting_lock:
        _collecting_parses += 1
        if _collecting_parses == 1:
            gc.callbacks.append(_on_collection)
    try:
        yield
    finally:
        with _collecting_lock:
            _collecting_parses -= 1
            if _collecting_parses == 0:
                gc.callbacks.remove(_on_collection)
