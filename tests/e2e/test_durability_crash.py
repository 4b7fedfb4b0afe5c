"""``--data-dir`` against real crashes: the CLI server killed with SIGKILL in the middle of a stream of
acknowledged writes keeps every one of them (and nothing unacknowledged but the write in flight);
a torn record at the end of the journal is dropped; SIGTERM compacts each tenant into a snapshot."""

from __future__ import annotations

import http.client
import itertools
import logging
import signal
import threading
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from aiodynamodb_fake.databases import Databases, DatabaseSettings
from aiodynamodb_fake.server import ServerThread
from tests.e2e.conftest import key_schema
from tests.support.cli_server import CliServer, boto3_client

TABLE = "journaled"
WRITES_BEFORE_KILL = 300
MAX_WRITES = 100_000  # bounds the writer should the kill never land


def create_table(client: Any) -> None:
    client.create_table(TableName=TABLE, **key_schema())


def stored_keys(client: Any) -> set[int]:
    keys: set[int] = set()
    for page in client.get_paginator("scan").paginate(TableName=TABLE):
        keys.update(int(item["pk"]["S"]) for item in page["Items"])
    return keys


class Writer:
    """Puts items 0, 1, 2... one at a time, recording each acknowledged one, until a call fails."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.acknowledged: list[int] = []
        self.in_flight: int | None = None
        self.enough = threading.Event()
        self.failure: Exception | None = None

    def run(self) -> None:
        for n in itertools.islice(itertools.count(), MAX_WRITES):
            self.in_flight = n
            try:
                self.client.put_item(
                    TableName=TABLE, Item={"pk": {"S": str(n)}, "blob": {"B": bytes([n % 256]) * 50}}
                )
            except (BotoCoreError, ClientError) as err:  # the server is gone
                self.failure = err
                self.enough.set()
                return
            self.acknowledged.append(n)
            self.in_flight = None
            if len(self.acknowledged) >= WRITES_BEFORE_KILL:
                self.enough.set()
        self.enough.set()


def test_kill_9_loses_no_acknowledged_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with CliServer("--data-dir", str(data)) as server:
        client = boto3_client(server.url, key="writer")
        create_table(client)
        writer = Writer(client)
        thread = threading.Thread(target=writer.run, daemon=True)
        thread.start()
        assert writer.enough.wait(120)
        assert writer.failure is None, writer.failure
        server.kill()  # SIGKILL mid-stream: no compaction, no flush of anything but what was written
        thread.join(60)
        assert not thread.is_alive() and writer.failure is not None
    acknowledged = set(writer.acknowledged)
    assert len(acknowledged) >= WRITES_BEFORE_KILL

    (tenant_dir,) = data.iterdir()
    assert tenant_dir.name == "writer_us-east-1"
    journal = next(tenant_dir.glob("journal-*.log"))
    with journal.open("ab") as torn:
        torn.write(b"\x00\x00\x10\x00\xde\xad")  # a record's header with no body: a torn last write

    with CliServer("--data-dir", str(data)) as restarted:
        found = stored_keys(boto3_client(restarted.url, key="writer"))
        assert boto3_client(restarted.url, key="someone-else").list_tables()["TableNames"] == []
        assert restarted.stop() == 0
    assert acknowledged <= found, sorted(acknowledged - found)[:10]
    in_flight = {writer.in_flight} if writer.in_flight is not None else set()
    assert found <= acknowledged | in_flight, sorted(found - acknowledged)[:10]


def test_sigterm_compacts_every_tenant_into_a_snapshot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with CliServer("--data-dir", str(data)) as server:
        for key, region in [("alice", "us-east-1"), ("alice", "eu-west-1"), ("bob", "us-east-1")]:
            client = boto3_client(server.url, key=key, region=region)
            create_table(client)
            client.put_item(TableName=TABLE, Item={"pk": {"S": f"{key}@{region}"}})
        assert list(data.glob("*/journal-*.log"))  # journaled while serving
        assert server.stop(signal.SIGTERM) == 0
    for tenant_dir in sorted(data.iterdir()):
        assert sorted(path.name for path in tenant_dir.iterdir()) == ["snapshot-2.log", "tenant.json"], (
            tenant_dir
        )

    with CliServer("--data-dir", str(data)) as restarted:
        for key, region in [("alice", "us-east-1"), ("alice", "eu-west-1"), ("bob", "us-east-1")]:
            client = boto3_client(restarted.url, key=key, region=region)
            assert client.scan(TableName=TABLE)["Items"] == [{"pk": {"S": f"{key}@{region}"}}]
        restarted.stop(signal.SIGINT)


def test_shared_and_separate_data_live_apart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with ServerThread(databases=Databases(DatabaseSettings(data_dir=data, shared=True))) as shared:
        create_table(boto3_client(shared.url, key="anyone"))
    with ServerThread(databases=Databases(DatabaseSettings(data_dir=data))) as separate:
        assert boto3_client(separate.url, key="anyone").list_tables()["TableNames"] == []
    with ServerThread(databases=Databases(DatabaseSettings(data_dir=data, shared=True))) as shared_again:
        assert boto3_client(shared_again.url, key="other").list_tables()["TableNames"] == [TABLE]
    assert sorted(path.name for path in data.iterdir()) == ["anyone_us-east-1", "shared-local-instance"]


def test_an_admin_reset_is_durable(tmp_path: Path) -> None:
    settings = DatabaseSettings(data_dir=tmp_path)
    with ServerThread(databases=Databases(settings), admin=True) as server:
        client = boto3_client(server.url, key="k")
        create_table(client)
        client.put_item(TableName=TABLE, Item={"pk": {"S": "gone"}})
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("POST", "/_admin/reset")
        assert connection.getresponse().status == 200
        connection.close()
    with ServerThread(databases=Databases(settings)) as restarted:
        assert boto3_client(restarted.url, key="k").list_tables()["TableNames"] == []


def test_only_directories_a_tenant_owns_are_loaded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = DatabaseSettings(data_dir=tmp_path)
    with ServerThread(databases=Databases(settings)) as server:
        create_table(boto3_client(server.url, key="owner"))
    (tmp_path / "notes.txt").write_text("not a tenant")
    (tmp_path / "empty").mkdir()
    (tmp_path / "garbled").mkdir()
    (tmp_path / "garbled" / "tenant.json").write_text("{")
    moved = tmp_path / "moved"  # a tenant's directory renamed: it no longer says who it is
    (tmp_path / "owner_us-east-1").rename(moved)
    with caplog.at_level(logging.WARNING, "aiodynamodb_fake.server"):
        databases = Databases(settings)
    assert databases.tenants() == []
    assert sorted(record.getMessage().split(":")[0] for record in caplog.records) == [
        f"skipping {tmp_path / 'garbled'}",
        f"skipping {moved}",
    ]
