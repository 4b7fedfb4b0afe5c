"""One service per (access key id, region) unless shared, as DynamoDB Local keeps its data."""

from __future__ import annotations

import pytest

from aiodynamodb.errors import MissingAuthenticationTokenException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.sigv4 import CredentialScope, credential_scope
from aiodynamodb_fake.tenants import Tenants, tenant_label


def headers(key: str, region: str) -> dict[str, str]:
    return {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20261205/{region}/dynamodb/aws4_request, "
        "SignedHeaders=host, Signature=s",
        "X-Amz-Date": "20261205T000000Z",
    }


def scope(key: str, region: str) -> CredentialScope:
    """The scope the server reads from a request signed with ``key`` in ``region``."""
    return credential_scope(headers(key, region))


def make(scope: CredentialScope | None) -> FakeDynamoDB:
    return FakeDynamoDB(region="us-east-1" if scope is None else scope.region)


def test_keys_and_regions_each_get_their_own_fake() -> None:
    tenants = Tenants(make)
    a = tenants.for_scope(scope("a", "us-east-1"))
    assert tenants.for_scope(scope("a", "us-east-1")) is a
    others = {id(tenants.for_scope(scope(k, r))) for k, r in [("b", "us-east-1"), ("a", "eu-west-1")]}
    assert id(a) not in others and len(others) == 2
    assert tenants.for_scope(scope("a", "eu-west-1")).state.region == "eu-west-1"
    assert len(list(tenants)) == 3


def test_shared_mode_gives_everyone_one_fake_but_still_wants_a_header() -> None:
    tenants = Tenants(make, shared=True)
    first = tenants.for_scope(scope("a", "us-east-1"))
    assert tenants.for_scope(scope("b", "eu-west-1")) is first
    with pytest.raises(MissingAuthenticationTokenException):
        tenants.for_scope(credential_scope({}))
    assert [scope for scope, _ in tenants] == [None]


def test_labels_are_safe_file_names() -> None:
    assert tenant_label(CredentialScope("AKID", "us-east-1")) == "AKID_us-east-1"
    assert tenant_label(CredentialScope("../x", "r/1")) == "..%2Fx_r%2F1"
    assert tenant_label(None) == "shared-local-instance"


def test_labels_never_collide() -> None:
    # "_" joins key and region, so inside either it is escaped: a_b + c differs from a + b_c
    assert tenant_label(CredentialScope("a_b", "c")) == "a%5Fb_c"
    assert tenant_label(CredentialScope("a", "b_c")) == "a_b%5Fc"
    long_a, long_b = CredentialScope("k" * 300 + "a", "r"), CredentialScope("k" * 300 + "b", "r")
    assert len(tenant_label(long_a)) == 120
    assert tenant_label(long_a) != tenant_label(long_b)
    assert tenant_label(long_a).startswith("k" * 100)


def test_get_does_not_make_a_service() -> None:
    tenants = Tenants(make)
    assert tenants.get(CredentialScope("a", "us-east-1")) is None
    made = tenants.for_scope(CredentialScope("a", "us-east-1"))
    assert tenants.get(CredentialScope("a", "us-east-1")) is made
    assert len(tenants) == 1
