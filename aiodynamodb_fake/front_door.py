"""Who is asking, checked where DynamoDB checks it: after the body parses and the target is known,
before the body is validated.

DynamoDB's front door (dynalite's index.js records the real answers) goes: method and content type
(404), JSON, ``X-Amz-Target``, then the ``Authorization`` header, then the body's own checks (an
empty or non-object body, blobs, members). ``identify`` reads the SigV4 credential scope of the
headers (``sigv4``); ``decode`` turns a request into the ``protocol.Decoding`` to answer, putting a
refused identity in its place in that order: a request with a bad header and bad JSON is answered
as bad JSON, one with a bad header and a bad body as unauthenticated. A request that identifies
itself is decoded by ``protocol.decode_request`` (one parse); only refused ones run the steps before
the identity check here, so the common path costs nothing more. Never raises.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiodynamodb.errors import DynamoDBError, UnknownOperationException

from . import http_body, protocol
from .http_errors import AMZ_JSON
from .protocol import Decoding, SyncService
from .sigv4 import CredentialScope, credential_scope

__all__ = ["AUTH_HEADERS", "Identity", "decode", "identify"]

# The request headers the protocol and the identity check read (lower case).
AUTH_HEADERS = ("authorization", "x-amz-date", "date")

Identity = tuple[CredentialScope | None, DynamoDBError | None]  # (scope, refusal): one is None


def identify(headers: Mapping[str, str], required: bool) -> Identity:
    """The credential scope of a request, or why it is refused; ``(None, None)`` when not ``required``."""
    if not required:
        return None, None
    try:
        return credential_scope(headers), None
    except DynamoDBError as refusal:
        return None, refusal


def decode(
    fake: SyncService,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    refusal: DynamoDBError | None,
    *,
    yielding: bool = False,
) -> Decoding:
    """``protocol.decode_request``, with ``refusal`` (from ``identify``) answered in DynamoDB's order."""
    if refusal is None:
        return protocol.decode_request(fake, target, headers, body, yielding=yielding)
    try:
        if len(body) > http_body.MAX_REQUEST_BYTES:
            return Decoding(AMZ_JSON, error=http_body.too_large())
        kind = protocol.reply_type(headers, body)
        if kind is None:
            return Decoding(None)
        try:
            content = http_body.decode_content(body, _header(headers, "content-encoding"))
            if content:
                http_body.parse_json(content, yielding=yielding)
            operation = target.removeprefix(http_body.TARGET_PREFIX)
            if operation == target or operation not in fake.operations:
                raise UnknownOperationException("")
        except DynamoDBError as err:
            return Decoding(kind, error=err)
        return Decoding(kind, operation, error=refusal)
    except Exception as crash:
        return Decoding(AMZ_JSON, crash=crash)


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), "")
    return value
