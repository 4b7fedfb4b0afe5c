"""FakeDynamoDB as a service: the Transport protocol, dispatch, errors, and calls from many threads."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from aiodynamodb.errors import ThrottlingException, UnknownOperationException, ValidationException
from aiodynamodb.transport import Transport
from aiodynamodb_fake import FakeDynamoDB

TABLE = {
    "TableName": "threads",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "g", "AttributeType": "S"},
    ],
    "BillingMode": "PAY_PER_REQUEST",
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "by_g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    ],
}


def test_satisfies_transport() -> None:
    assert isinstance(FakeDynamoDB(), Transport)


async def test_unknown_operation() -> None:
    with pytest.raises(UnknownOperationException) as caught:
        await FakeDynamoDB().call("Frobnicate", {})
    assert caught.value.operation_name == "Frobnicate"


async def test_errors_are_client_errors_naming_the_operation() -> None:
    with pytest.raises(ClientError) as caught:
        await FakeDynamoDB().call("GetItem", {"TableName": "nope", "Key": {"id": {"S": "1"}}})
    assert caught.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Requested resource not found",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "when calling the GetItem operation" in str(caught.value)


def test_fresh_fakes_share_nothing() -> None:
    first, second = FakeDynamoDB(), FakeDynamoDB()
    first.call_sync("CreateTable", TABLE)
    assert second.call_sync("ListTables", {})["TableNames"] == []


def test_concurrent_threads_keep_state_consistent() -> None:
    fake = FakeDynamoDB()
    fake.call_sync("CreateTable", TABLE)
    errors: list[BaseException] = []

    def worker(worker_id: int) -> None:
        try:
            for batch in range(20):
                writes: list[dict[str, Any]] = [
                    {
                        "PutRequest": {
                            "Item": {
                                "pk": {"S": f"w{worker_id}"},
                                "sk": {"N": str(batch * 25 + i)},
                                "g": {"S": f"g{i % 3}"},
                            }
                        }
                    }
                    for i in range(25)
                ]
                fake.call_sync("BatchWriteItem", {"RequestItems": {"threads": writes}})
                if batch % 2:
                    deletes = [
                        {
                            "DeleteRequest": {
                                "Key": {"pk": {"S": f"w{worker_id}"}, "sk": {"N": str(batch * 25 + i)}}
                            }
                        }
                        for i in range(0, 25, 5)
                    ]
                    fake.call_sync("BatchWriteItem", {"RequestItems": {"threads": deletes}})
                with pytest.raises(ValidationException):
                    fake.call_sync("BatchWriteItem", {"RequestItems": {"threads": writes[:24] + writes[:1]}})
        except BaseException as err:  # surfaced to the main thread below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    fake._check()
    # per worker: 20 batches x 25 puts, minus 10 odd batches x 5 deletes
    assert fake.item_count("threads") == 8 * (20 * 25 - 10 * 5)


# --- the virtual clock ----------------------------------------------------------------------------


async def test_concurrent_virtual_sleeps_overlap_as_real_ones_would() -> None:
    from aiodynamodb_fake import VirtualClock

    clock = VirtualClock(start=0.0)
    woke: list[tuple[str, float]] = []

    async def lane(name: str, waits: list[float]) -> None:
        for wait in waits:
            await clock.sleep(wait)
            woke.append((name, clock.now()))

    await asyncio.gather(lane("a", [1.0, 1.0, 1.0]), lane("b", [2.5]), lane("c", [0.5, 2.0]))
    assert clock.now() == 3.0  # the longest lane, not the sum of every wait (7.0)
    assert woke == [("c", 0.5), ("a", 1.0), ("a", 2.0), ("b", 2.5), ("c", 2.5), ("a", 3.0)]


async def test_a_cancelled_virtual_sleep_does_not_move_the_clock() -> None:
    from aiodynamodb_fake import VirtualClock

    clock = VirtualClock(start=0.0)
    sleeper = asyncio.ensure_future(clock.sleep(100.0))
    await asyncio.sleep(0)
    sleeper.cancel()
    await clock.sleep(1.0)
    assert clock.now() == 1.0


def test_restore_applies_past_faults_and_drop_tables_empties_the_data_only() -> None:
    """What the server's --data-dir relies on: a journaled request is restored whatever chaos is on,
    and dropping tables leaves faults and the journal in place."""
    from tests.fake.operations.builders import create_table

    fake = FakeDynamoDB()
    create_table(fake, "items")
    fake.throttle(1.0)
    fake.restore("PutItem", {"TableName": "items", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}})
    assert fake.item_count("items") == 1 and fake.events == []
    calls = len(fake.requests)
    fake.drop_tables()
    assert fake.table_names() == [] and len(fake.requests) == calls
    create_table(fake, "items")
    with pytest.raises(ThrottlingException):  # the throttle is still declared
        fake.call_sync("PutItem", {"TableName": "items", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}})
