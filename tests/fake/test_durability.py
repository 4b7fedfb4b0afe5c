"""``--data-dir`` durability in process: what was acknowledged survives a restart, a crash (no clean
close) and a torn last record; what was left unprocessed is not journaled as done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.durability import DurableService, WriteLog
from tests.fake.operations.builders import create_table


def open_service(directory: Path) -> DurableService:
    return DurableService(FakeDynamoDB(), WriteLog(directory))


def put(service: DurableService, pk: str, sk: int, **extra: Any) -> None:
    item = {"pk": {"S": pk}, "sk": {"N": str(sk)}, **extra}
    service.call_sync("PutItem", {"TableName": "items", "Item": item})


def journal(directory: Path) -> Path:
    (path,) = directory.glob("journal-*.log")
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_changes_survive_a_clean_restart(data_dir: Path) -> None:
    service = open_service(data_dir)
    create_table(service.fake, "ignored")  # made behind the service's back: warned about, not kept
    service.call_sync("CreateTable", _create_request())
    put(service, "a", 1, blob={"B": b"\x00\xff"})
    put(service, "a", 2)
    service.call_sync("DeleteItem", {"TableName": "items", "Key": {"pk": {"S": "a"}, "sk": {"N": "2"}}})
    expected = service.fake.items("items")
    service.close()
    assert list(data_dir.glob("journal-*.log")) == []  # a clean close leaves only the snapshot
    assert len(list(data_dir.glob("snapshot-*.log"))) == 1

    reopened = open_service(data_dir)
    assert reopened.fake.table_names() == ["items"]
    assert (
        reopened.fake.items("items")
        == expected
        == [{"pk": {"S": "a"}, "sk": {"N": "1"}, "blob": {"B": b"\x00\xff"}}]
    )


def test_a_crash_keeps_every_acknowledged_write(data_dir: Path) -> None:
    service = open_service(data_dir)
    service.call_sync("CreateTable", _create_request())
    for n in range(50):
        put(service, f"p{n % 5}", n)
    service.log.close()  # killed: no compaction

    reopened = open_service(data_dir)
    assert reopened.fake.item_count("items") == 50


def test_a_torn_last_record_is_dropped_not_loaded(data_dir: Path) -> None:
    service = open_service(data_dir)
    service.call_sync("CreateTable", _create_request())
    put(service, "a", 1)
    put(service, "a", 2)
    service.log.close()
    path = journal(data_dir)
    whole = path.read_bytes()
    path.write_bytes(whole[:-3])  # the last record cut mid-write

    reopened = open_service(data_dir)
    assert [item["sk"] for item in reopened.fake.items("items")] == [{"N": "1"}]
    put(reopened, "b", 3)  # and the journal goes on from a clean end
    reopened.log.close()
    assert open_service(data_dir).fake.item_count("items") == 2


def test_a_corrupt_record_ends_the_journal(data_dir: Path) -> None:
    service = open_service(data_dir)
    service.call_sync("CreateTable", _create_request())
    put(service, "a", 1)
    service.log.close()
    path = journal(data_dir)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # a flipped bit in the last payload: its checksum no longer matches
    path.write_bytes(bytes(data))
    assert open_service(data_dir).fake.item_count("items") == 0


def test_unprocessed_writes_are_not_journaled_as_done(data_dir: Path) -> None:
    service = open_service(data_dir)
    service.call_sync("CreateTable", _create_request())
    keys = [{"pk": {"S": "a"}, "sk": {"N": str(n)}} for n in range(4)]
    service.fake.unprocess("BatchWriteItem", [keys[1], keys[3]])
    response = service.call_sync(
        "BatchWriteItem", {"RequestItems": {"items": [{"PutRequest": {"Item": key}} for key in keys]}}
    )
    assert len(response["UnprocessedItems"]["items"]) == 2
    service.log.close()
    reopened = open_service(data_dir)
    assert [item["sk"]["N"] for item in reopened.fake.items("items")] == ["0", "2"]


def test_deleted_tables_stay_deleted(data_dir: Path) -> None:
    service = open_service(data_dir)
    service.call_sync("CreateTable", _create_request())
    service.call_sync("DeleteTable", {"TableName": "items"})
    service.close()
    assert open_service(data_dir).fake.table_names() == []


def test_a_reset_empties_memory_and_disk_and_the_journal_goes_on(data_dir: Path) -> None:
    service = open_service(data_dir)
    service.call_sync("CreateTable", _create_request())
    put(service, "a", 1)
    service.fake.throttle(0.0)  # faults are not data: a reset keeps them
    service.reset()
    assert service.fake.table_names() == []
    with pytest.raises(AssertionError, match="throttle"):  # still declared
        service.fake.assert_faults_consumed()
    assert [path.name for path in data_dir.glob("*.log")] == ["snapshot-2.log"]
    service.call_sync("CreateTable", _create_request())
    put(service, "b", 2)
    service.log.close()  # killed
    assert open_service(data_dir).fake.items("items") == [{"pk": {"S": "b"}, "sk": {"N": "2"}}]


def _create_request() -> dict[str, Any]:
    return {
        "TableName": "items",
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
