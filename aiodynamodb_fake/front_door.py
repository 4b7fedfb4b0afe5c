"""Who is asking, checked where DynamoDB checks it: after the body parses and the target is known,
before the body is validated.

DynamoDB's front door (dynalite's index.js records the real answers) goes: method and content type
(404), JSON, ``X-Amz-Target``, then the ``Authorization`` header, then the body's own checks (an
empty or non-object body, blobs, members). ``identify`` reads the SigV4 credential scope of the
headers (``sigv4``); ``protocol.decode_request(..., refusal=...)`` puts a refused identity in its
place in that order: a request with a bad header and bad JSON is answered as bad JSON, one with a
bad header and a bad body as unauthenticated. Never raises.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiodynamodb.errors import DynamoDBError

from .sigv4 import CredentialScope, credential_scope

__all__ = ["AUTH_HEADERS", "Identity", "identify"]

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
