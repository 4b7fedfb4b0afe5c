"""Opt-in durability for the server (``--data-dir``): an append-only journal and snapshots.

Every call that changed state is appended to ``journal-<generation>.log`` (written to the OS with
one ``write`` before its response is sent, so a killed server loses nothing it acknowledged), as
the request that made the change: replaying the requests in order on an empty fake rebuilds the
same state, because every operation is deterministic given the state it starts from. A
BatchWriteItem is journaled without the writes it left unprocessed. Records are framed
``length, crc32, payload`` (payload: ``marshal`` of ``(operation, request)``, which keeps bytes and
nested dicts exact); a torn or corrupt record ends the journal and is cut off, never loaded.
``compact`` writes the whole state as a snapshot (each table's CreateTable request, then a PutItem
per item) under the next generation number, renames it into place, and only then starts that
generation's journal, so a crash at any point leaves one consistent snapshot + journal pair.
Replaying goes straight through parse -> plan -> apply, past faults and the capacity model: what
was acknowledged is restored whatever chaos the server runs with.
"""

from __future__ import annotations

import logging
import marshal
import os
import struct
import threading
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from aiodynamodb.errors import DynamoDBError

from .operations import OPERATIONS
from .service import FakeDynamoDB

__all__ = ["DurableService", "WriteLog"]

logger = logging.getLogger("aiodynamodb_fake.server")

_HEADER = struct.Struct(">II")  # payload length, crc32 of the payload
_MAX_RECORD = 64 * 1024 * 1024  # a length above this is a corrupt header, not a record
_SNAPSHOT = "snapshot-{generation}.log"
_JOURNAL = "journal-{generation}.log"
# Control-plane operations that change state (data-plane ones say so with ACCESS == "write").
_CHANGING_CONTROL = frozenset({"CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive"})

Record = tuple[str, dict[str, Any]]


def _frame(operation: str, request: Mapping[str, Any]) -> bytes:
    payload = marshal.dumps((operation, dict(request)))
    return _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def _read_records(path: Path) -> tuple[list[Record], int]:
    """The whole records of a file and the offset where they end (a torn tail starts there)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], 0
    records: list[Record] = []
    offset = 0
    while offset + _HEADER.size <= len(data):
        length, checksum = _HEADER.unpack_from(data, offset)
        start = offset + _HEADER.size
        payload = data[start : start + length]
        if length > _MAX_RECORD or len(payload) != length or zlib.crc32(payload) != checksum:
            break
        try:
            operation, request = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            break
        records.append((operation, request))
        offset = start + length
    return records, offset


def _generation(path: Path) -> int:
    try:
        return int(path.stem.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return -1


class WriteLog:
    """The snapshot and journal files of one data directory."""

    def __init__(self, directory: Path | str, *, fsync: bool = False) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._fsync = fsync
        snapshots = sorted(self.directory.glob("snapshot-*.log"), key=_generation)
        self.generation = _generation(snapshots[-1]) if snapshots else 0
        self._fd: int | None = None

    def load(self) -> list[Record]:
        """The snapshot's records then the journal's; a torn journal tail is cut off the file."""
        snapshot, _ = _read_records(self.directory / _SNAPSHOT.format(generation=self.generation))
        journal_path = self.directory / _JOURNAL.format(generation=self.generation)
        journal, end = _read_records(journal_path)
        if journal_path.exists() and journal_path.stat().st_size > end:
            logger.warning("dropping a torn record at the end of %s (byte %d)", journal_path, end)
            with open(journal_path, "r+b") as handle:
                handle.truncate(end)
        return snapshot + journal

    def append(self, operation: str, request: Mapping[str, Any]) -> None:
        """Journal one change: written to the OS before this returns (and synced with ``fsync``)."""
        if self._fd is None:
            path = self.directory / _JOURNAL.format(generation=self.generation)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        frame = _frame(operation, request)
        written = 0
        while written < len(frame):
            written += os.write(self._fd, frame[written:])
        if self._fsync:
            os.fsync(self._fd)

    def compact(self, records: Iterator[Record]) -> None:
        """Replace snapshot + journal by one snapshot of ``records`` (the whole state), atomically."""
        self.close()
        following = self.generation + 1
        temporary = self.directory / "snapshot.tmp"
        with open(temporary, "wb") as handle:
            for operation, request in records:
                handle.write(_frame(operation, request))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / _SNAPSHOT.format(generation=following))
        self._sync_directory()
        previous = self.generation
        self.generation = following
        for stale in (_SNAPSHOT, _JOURNAL):
            (self.directory / stale.format(generation=previous)).unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _sync_directory(self) -> None:
        try:
            fd = os.open(self.directory, os.O_RDONLY)
        except OSError:  # platforms without directory handles
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class DurableService:
    """A fake whose acknowledged changes survive restarts, for the server (``operations``, ``call_sync``)."""

    def __init__(self, fake: FakeDynamoDB, log: WriteLog) -> None:
        self.fake = fake
        self.log = log
        self._lock = threading.Lock()  # journal order is apply order
        self._create_requests: dict[str, dict[str, Any]] = {}
        for operation, request in log.load():
            self._replay(operation, request)
        log.compact(self._state_records())

    @property
    def operations(self) -> frozenset[str]:
        return self.fake.operations

    def call_sync(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            response = self.fake.call_sync(operation, request)
            journaled = self._journaled(operation, request, response)
            if journaled is not None:
                self._remember(operation, journaled)
                self.log.append(operation, journaled)
            return response

    def close(self) -> None:
        """Compact (a clean shutdown leaves only a snapshot) and release the journal."""
        with self._lock:
            self.log.compact(self._state_records())
            self.log.close()

    def reset(self) -> None:
        """Drop every table, in memory and on disk (an empty snapshot replaces what was kept)."""
        with self._lock:
            self.fake.drop_tables()
            self._create_requests.clear()
            self.log.compact(iter(()))

    def _journaled(
        self, operation: str, request: Mapping[str, Any], response: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """What to journal for a successful call: None if it changed nothing."""
        module = OPERATIONS.get(operation)
        if module is None or (module.ACCESS != "write" and operation not in _CHANGING_CONTROL):
            return None
        if operation != "BatchWriteItem" or not response.get("UnprocessedItems"):
            return dict(request)
        left = response["UnprocessedItems"]
        done = {
            table: [write for write in writes if write not in left.get(table, ())]
            for table, writes in request["RequestItems"].items()
        }
        done = {table: writes for table, writes in done.items() if writes}
        return {**request, "RequestItems": done} if done else None

    def _remember(self, operation: str, request: Mapping[str, Any]) -> None:
        """Keep each live table's CreateTable request: snapshots recreate tables with it."""
        name = request.get("TableName")
        if isinstance(name, str):
            table = name.rsplit("/", 1)[-1] if name.startswith("arn:") else name
            if operation == "CreateTable":
                self._create_requests[table] = dict(request)
            elif operation == "DeleteTable":
                self._create_requests.pop(table, None)

    def _replay(self, operation: str, request: dict[str, Any]) -> None:
        if operation not in self.fake.operations:
            logger.warning("skipping a journaled %s: this fake no longer has it", operation)
            return
        try:
            self.fake.restore(operation, request)
        except DynamoDBError as err:  # only if this fake now judges an old request differently
            logger.warning("a journaled %s no longer applies (%s); skipped", operation, err.code)
            return
        self._remember(operation, request)

    def _state_records(self) -> Iterator[Record]:
        for name in self.fake.table_names():
            create = self._create_requests.get(name)
            if create is None:  # not created through this service: cannot be recreated faithfully
                logger.warning("table %s has no journaled CreateTable; it is not kept", name)
                continue
            yield "CreateTable", create
            for item in self.fake.items(name):
                yield "PutItem", {"TableName": name, "Item": item}
