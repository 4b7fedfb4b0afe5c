"""Who a request says it is: the access key id and region of its SigV4 ``Authorization`` header.

The server keeps separate data per (access key id, region), as DynamoDB Local does, so it reads the
credential scope ``keyid/date/region/service/aws4_request`` of the header and refuses a request
whose header is missing or malformed with DynamoDB's own errors, in DynamoDB's order (dynalite's
index.js records the real answers): no header, or not ``AWS4-`` -> MissingAuthenticationToken;
missing Credential / Signature / SignedHeaders or date header -> IncompleteSignature (all of
them in one message); an algorithm other than AWS4-HMAC-SHA256 or a credential without five
elements -> IncompleteSignature; a scope for another service, terminator or date ->
InvalidSignature. Signatures are NOT verified and any access key id is accepted: this is a fake
for tests, whose clients hold dummy credentials. Any non-empty region is accepted too (SDK users of
DynamoDB Local pass names such as ``local``).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass

from aiodynamodb.errors import (
    DynamoDBError,
    IncompleteSignatureException,
    MissingAuthenticationTokenException,
    error_class,
)

__all__ = ["CredentialScope", "credential_scope"]

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "dynamodb"
TERMINATOR = "aws4_request"
MISSING_TOKEN = "Request is missing Authentication Token"
_REQUIRED_PARAMETERS = ("Credential", "Signature", "SignedHeaders")
_MAX_ECHO = 1024  # an Authorization header is echoed in messages; a hostile one is cut short


@dataclass(frozen=True, slots=True)
class CredentialScope:
    """The identity a request claims: its access key id and the region it signed for."""

    access_key_id: str
    region: str


def _invalid_signature(message: str) -> DynamoDBError:
    return error_class("InvalidSignatureException")(message)


def _parameters(authorization: str) -> dict[str, str]:
    """``Key=value`` pairs after the algorithm, separated by commas (spaces around them ignored)."""
    _, _, rest = authorization.strip().partition(" ")
    pairs: dict[str, str] = {}
    for part in rest.split(","):
        key, equals, value = part.strip().partition("=")
        if equals and key not in pairs:
            pairs[key] = value.strip()
    return pairs


def _iso_basic(amz_date: str | None, http_date: str | None) -> str:
    """The request's date in ISO-8601 basic format: X-Amz-Date as sent, else the HTTP Date header
    (RFC 1123) converted; unparseable text is kept as it is (and then matches no scope date)."""
    if amz_date:
        return amz_date
    text = http_date or ""
    try:
        return email.utils.parsedate_to_datetime(text).strftime("%Y%m%dT%H%M%SZ")
    except (TypeError, ValueError, IndexError, OverflowError):
        return text


def credential_scope(headers: Mapping[str, str]) -> CredentialScope:
    """The scope of a request with these HTTP headers (names in any case), or DynamoDB's error."""
    lowered = {name.lower(): value for name, value in headers.items()}
    authorization = lowered.get("authorization", "")
    if not authorization or authorization.strip()[:5] != "AWS4-":
        raise MissingAuthenticationTokenException(MISSING_TOKEN)
    parameters = _parameters(authorization)
    date = lowered.get("x-amz-date") or lowered.get("date")
    problems = [
        f"Authorization header requires '{name}' parameter. "
        for name in _REQUIRED_PARAMETERS
        if not parameters.get(name)
    ]
    if not date:
        problems.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        )
    if problems:
        raise IncompleteSignatureException("".join(problems) + "Authorization=" + authorization[:_MAX_ECHO])
    algorithm = authorization.strip().split(" ", 1)[0]
    if algorithm != ALGORITHM:
        raise IncompleteSignatureException(
            f"Unsupported AWS 'algorithm': '{algorithm[:_MAX_ECHO]}' (only {ALGORITHM} for now). "
        )
    credential = parameters["Credential"].rstrip("/")
    elements = credential.split("/")
    if len(elements) != 5:
        raise IncompleteSignatureException(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
            f"got '{credential[:_MAX_ECHO]}'"
        )
    key_id, scope_date, region, service, terminator = elements
    scope_problems = []
    if not region:
        scope_problems.append(f"Credential should be scoped to a valid region, not '{region}'. ")
    if service != SERVICE:
        scope_problems.append(f"Credential should be scoped to correct service: '{SERVICE}'. ")
    if terminator != TERMINATOR:
        scope_problems.append(
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{terminator[:64]}'. "
        )
    iso_date = _iso_basic(lowered.get("x-amz-date"), lowered.get("date"))
    if scope_date != iso_date[:8]:
        scope_problems.append(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{scope_date[:64]}' != '{iso_date[:8]}', from '{iso_date[:64]}'."
        )
    if scope_problems:
        raise _invalid_signature("".join(scope_problems).rstrip())
    if not key_id:
        raise error_class("UnrecognizedClientException")(
            "The security token included in the request is invalid."
        )
    return CredentialScope(key_id, region)
