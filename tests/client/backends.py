"""The two services the client's end-to-end tests run on.

``open_db(request, models)`` yields a ``DynamoDB`` with ``models``' tables on the backend named by the
test's ``db`` parameter: ``"fake"`` (``mock_dynamodb``, in process) or ``"moto"`` (moto's server over
loopback, through the production aioboto3 transport: botocore serialization, HTTP and error parsing,
against an emulator this project did not write).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence

import aioboto3
import pytest

from aiodynamodb import DynamoDB, DynamoModel
from aiodynamodb.errors import ResourceNotFoundException
from aiodynamodb.testing import mock_dynamodb

BACKENDS = ["fake", "moto"]


@contextlib.asynccontextmanager
async def open_db(
    request: pytest.FixtureRequest, models: Sequence[type[DynamoModel]]
) -> AsyncIterator[DynamoDB]:
    """A client with ``models``' tables on the backend ``request.param`` names (see the module docstring)."""
    if request.param == "fake":
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
