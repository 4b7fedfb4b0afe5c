"""DynamoDB's error answers over HTTP, framework-free: the ``__type`` namespace, the message key, the
status, the headers every answer carries (``x-amzn-RequestId``, and ``x-amz-crc32``, which botocore
verifies), and whole raw HTTP responses for the few answers given before a request exists (headers
that never finished arriving). Protocol:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
"""

from __future__ import annotations

import zlib
from typing import Any

from aiodynamodb.errors import DynamoDBError, error_class

from .wire import dump_json, encode_error

__all__ = [
    "AMZ_JSON",
    "INTERNAL_ERROR_BODY",
    "MALFORMED_HTTP_MESSAGE",
    "READ_TIMEOUT_MESSAGE",
    "error_body",
    "error_status",
    "error_type",
    "raw_response",
    "reply_headers",
    "request_timeout",
]

AMZ_JSON = "application/x-amz-json-1.0"
INTERNAL_ERROR_MESSAGE = "Internal server error"

# Our words, for faults DynamoDB's documentation does not cover (its answers to them are unknown).
MALFORMED_HTTP_MESSAGE = "Malformed HTTP request: {reason}"
READ_TIMEOUT_MESSAGE = "The request was not received in full within {seconds:g} seconds"

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
            # raised by the HTTP layer in front of the service, as the errors above are
            "RequestEntityTooLargeException",
            "RequestTimeoutException",
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
_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    413: "Payload Too Large",
    500: "Internal Server Error",
}


def error_type(code: str) -> str:
    """The ``__type`` DynamoDB sends for error ``code``."""
    return _NAMESPACES.get(code, _DYNAMODB_NAMESPACE) + code


INTERNAL_ERROR_BODY = {"__type": error_type("InternalServerError"), "message": INTERNAL_ERROR_MESSAGE}


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


def error_status(err: DynamoDBError) -> int:
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", err.http_status)
    return status if isinstance(status, int) and 400 <= status <= 599 else 500


def request_timeout(seconds: float) -> DynamoDBError:
    """A request that did not arrive in time: HTTP 408, ``RequestTimeoutException`` (retryable in
    botocore's standard mode, and nothing of it was done)."""
    return error_class("RequestTimeoutException")(
        READ_TIMEOUT_MESSAGE.format(seconds=seconds), http_status=408
    )


def reply_headers(body: bytes, request_id: str) -> dict[str, str]:
    return {"x-amzn-RequestId": request_id, "x-amz-crc32": str(zlib.crc32(body) & 0xFFFFFFFF)}


def raw_response(err: DynamoDBError, request_id: str) -> bytes:
    """A whole HTTP/1.1 response carrying ``err``, closing the connection: for answers given below
    the HTTP framework, where no request object exists."""
    body = dump_json(error_body(err))
    status = error_status(err)
    headers = {
        **reply_headers(body, request_id),
        "Content-Type": AMZ_JSON,
        "Content-Length": str(len(body)),
        "Connection": "close",
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n{head}\r\n".encode("ascii") + body
