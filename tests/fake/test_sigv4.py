"""The SigV4 credential scope the server isolates tenants by: real botocore signatures are read,
malformed ``Authorization`` headers get DynamoDB's errors, in DynamoDB's order."""

from __future__ import annotations

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import (
    DynamoDBError,
    IncompleteSignatureException,
    MissingAuthenticationTokenException,
)
from aiodynamodb_fake.sigv4 import CredentialScope, credential_scope
from tests.support.tables import property_settings

DATE = "20261205T070000Z"
GOOD = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/eu-west-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=abc123"
)


def signed_headers(access_key: str, region: str) -> dict[str, str]:
    """Headers botocore itself signs for a DynamoDB request."""
    request = AWSRequest(
        method="POST",
        url=f"https://dynamodb.{region}.amazonaws.com/",
        data=b"{}",
        headers={"X-Amz-Target": "DynamoDB_20120810.ListTables"},
    )
    SigV4Auth(Credentials(access_key, "secret"), "dynamodb", region).add_auth(request)
    return dict(request.headers.items())


def test_a_botocore_signature_gives_its_key_and_region() -> None:
    assert credential_scope(signed_headers("tenant-a", "ap-south-1")) == CredentialScope(
        "tenant-a", "ap-south-1"
    )


def test_header_names_are_case_insensitive() -> None:
    assert credential_scope({"AUTHORIZATION": GOOD, "x-AMZ-date": DATE}).region == "eu-west-1"


def test_an_http_date_header_is_read_as_iso_basic() -> None:
    scope = credential_scope({"Authorization": GOOD, "Date": "Sat, 05 Dec 2026 07:00:00 GMT"})
    assert scope == CredentialScope("AKIDEXAMPLE", "eu-west-1")


@pytest.mark.parametrize("authorization", [None, "", "   ", "Bearer token", "AWS3 Credential=x"])
def test_no_sigv4_header_is_a_missing_token(authorization: str | None) -> None:
    headers = {"X-Amz-Date": DATE} if authorization is None else {"Authorization": authorization}
    with pytest.raises(MissingAuthenticationTokenException) as caught:
        credential_scope(headers)
    assert caught.value.message == "Request is missing Authentication Token"


def test_every_missing_part_is_named_at_once() -> None:
    with pytest.raises(IncompleteSignatureException) as caught:
        credential_scope({"Authorization": "AWS4-HMAC-SHA256 Signature=b"})
    assert caught.value.message == (
        "Authorization header requires 'Credential' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=AWS4-HMAC-SHA256 Signature=b"
    )


def test_an_unknown_algorithm_is_refused() -> None:
    with pytest.raises(IncompleteSignatureException) as caught:
        credential_scope({"Authorization": GOOD.replace("SHA256", "SHA25", 1), "X-Amz-Date": DATE})
    assert caught.value.message == (
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). "
    )


def test_a_credential_needs_five_elements() -> None:
    header = "AWS4-HMAC-SHA256 Credential=a/b/c/d/, SignedHeaders=host, Signature=s"
    with pytest.raises(IncompleteSignatureException) as caught:
        credential_scope({"Authorization": header, "X-Amz-Date": DATE})
    assert caught.value.message == (
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
        "got 'a/b/c/d'"
    )


def test_a_wrong_scope_lists_every_problem() -> None:
    header = "AWS4-HMAC-SHA256 Credential=k/20130609/us-east-1/s3/aws4_x, SignedHeaders=host, Signature=s"
    with pytest.raises(DynamoDBError) as caught:
        credential_scope({"Authorization": header, "X-Amz-Date": DATE})
    assert caught.value.code == "InvalidSignatureException"
    assert caught.value.message == (
        "Credential should be scoped to correct service: 'dynamodb'. "
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_x'. "
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        "'20130609' != '20261205', from '20261205T070000Z'."
    )


@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=40)))
@property_settings(200)
def test_any_header_gives_a_scope_or_a_dynamodb_error(authorization: str, date: str | None) -> None:
    headers = {"Authorization": authorization}
    if date is not None:
        headers["X-Amz-Date"] = date
    try:
        scope = credential_scope(headers)
    except DynamoDBError as err:
        assert err.code in {
            "MissingAuthenticationTokenException",
            "IncompleteSignatureException",
            "InvalidSignatureException",
            "UnrecognizedClientException",
        }
        assert len(err.message) < 1500
    else:
        assert scope.access_key_id and scope.region
