"""The two services the client's end-to-end tests run on, and skipping what the fake cannot do yet.

``open_db(request, models)`` yields a ``DynamoDB`` with ``models``' tables on the backend named by the
test's ``db`` parameter: ``"fake"`` (``mock_dynamodb``, in process) or ``"moto"`` (moto's server over
loopback, through the production aioboto3 transport: botocore serialization, HTTP and error parsing,
against an emulator this project did not write).

A test marked ``@pytest.mark.fake_needs("Query", ...)`` is skipped on the fake, with a reason naming
what is missing, only while the fake lacks it: an action name is looked up in
``FakeDynamoDB().operations``; ``"ConditionExpression"`` (not an action) is probed once by sending a
conditional PutItem and reading the fake's own "not supported by aiodynamodb_fake yet" refusal. So
each test switches itself on on the fake the day the fake gains what it needs, with no edit here.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence

import aioboto3
import pytest

from aiodynamodb import DynamoDB, DynamoModel
from aiodynamodb.errors import ResourceNotFoundException, ValidationException
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb_fake import FakeDynamoDB

BACKENDS = ["fake", "moto"]
# How the fake refuses a member it does not implement (aiodynamodb_fake/operations/_common.py).
_NOT_YET = "is not supported by aiodynamodb_fake yet"
_probed: dict[str, bool] = {}


async def _fake_takes_conditions() -> bool:
    fake = FakeDynamoDB(capacity=False)
    fake.clear_faults()
    await fake.call(
        "CreateTable",
        {
            "TableName": "probe",
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    try:
        await fake.call(
            "PutItem",
            {
                "TableName": "probe",
                "Item": {"k": {"S": "a"}},
                "ConditionExpression": "attribute_not_exists(k)",
            },
        )
    except ValidationException as err:
        if _NOT_YET in err.message:
            return False
        raise
    return True


async def fake_lacks(needs: Iterable[str]) -> list[str]:
    """What of ``needs`` the fake does not implement yet."""
    operations = FakeDynamoDB().operations
    missing = []
    for need in needs:
        if need == "ConditionExpression":
            if need not in _probed:
                _probed[need] = await _fake_takes_conditions()
            if not _probed[need]:
                missing.append(need)
        elif need not in operations:
            missing.append(need)
    return missing


async def _skip_on_fake_if_lacking(request: pytest.FixtureRequest) -> None:
    needs = [need for marker in request.node.iter_markers("fake_needs") for need in marker.args]
    missing = await fake_lacks(needs)
    if missing:
        actions = [need for need in missing if need != "ConditionExpression"]
        why = [f"FakeDynamoDB().operations lacks {', '.join(actions)}"] if actions else []
        if "ConditionExpression" in missing:
            why.append("it refuses ConditionExpression as not supported yet")
        pytest.skip(f"not on the fake yet: {'; '.join(why)} (runs on moto's server meanwhile)")


@contextlib.asynccontextmanager
async def open_db(
    request: pytest.FixtureRequest, models: Sequence[type[DynamoModel]]
) -> AsyncIterator[DynamoDB]:
    """A client with ``models``' tables on the backend ``request.param`` names (see the module docstring)."""
    if request.param == "fake":
        await _skip_on_fake_if_lacking(request)
        async with mock_dynamodb(*models) as client:
            yield client
        return
    endpoint = request.getfixturevalue("moto_endpoint")
    session = aioboto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    async with DynamoDB(session, endpoint_url=endpoint) as client:
        for model in models:
            await client.create_table(model)
        try:
            yield client
        finally:
            for model in models:
                with contextlib.suppress(ResourceNotFoundException):
                    await client.delete_table(model)


def on_fake(request: pytest.FixtureRequest) -> bool:
    """Whether the running test's ``db`` is the fake (for the few facts where moto differs)."""
    return bool(request.node.callspec.params["db"] == "fake")
