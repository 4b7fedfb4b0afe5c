"""The command line (``python -m aiodynamodb_fake``): --help and --version, options to settings, the
per-request log line, and a shutdown that lets requests in flight finish."""

from __future__ import annotations

import json
import logging
import re
import signal
import socket
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aiodynamodb_fake import __main__ as cli
from aiodynamodb_fake.databases import Databases
from aiodynamodb_fake.http_limits import Listener
from aiodynamodb_fake.operations import OPERATIONS
from aiodynamodb_fake.server import ServerThread
from aiodynamodb_fake.service import FakeDynamoDB
from tests.fake.operations.builders import create_table
from tests.support.cli_server import CliServer, boto3_client, run_cli

if TYPE_CHECKING:
    from tests.e2e.conftest import Gate

# --- --help and --version -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"]], ids=["top", "serve"])
def test_help_says_what_is_served_and_how_to_connect(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps lines where it likes
    for operation in OPERATIONS:
        assert re.search(rf"\b{operation}\b", text), operation
    assert "Clients need credentials, but any dummy ones do" in text
    assert "whose signature is NOT verified" in text
    assert "Data lives in memory and is gone when the server stops, unless --data-dir is given" in text
    if args[0] == "serve":
        for option in (
            "--throttle RATE",
            "--seed N",
            "--capacity",
            "--data-dir DIR",
            "--shared-db",
            "--admin",
        ):
            assert option in text
        assert "(default: 127.0.0.1, loopback)" in text


def test_version_is_the_installed_packages() -> None:
    result = run_cli("--version")
    assert (result.returncode, result.stdout) == (0, f"aiodynamodb-fake {metadata.version('aiodynamodb')}\n")
    assert cli.version() == metadata.version("aiodynamodb")


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["serve", "--throttle", "2"], "argument --throttle: must be between 0 and 1: '2'"),
        (["serve", "--throttle", "x"], "argument --throttle: not a number: 'x'"),
        (["serve", "--log-level", "loud"], "argument --log-level: invalid choice: 'loud'"),
    ],
)
def test_bad_options_are_refused_before_serving(args: list[str], complaint: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert complaint in result.stderr


# --- options become settings -----------------------------------------------------------------------


def test_options_become_the_databases_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    served: dict[str, Any] = {}

    def fake_serve(host: str, port: int, **kwargs: Any) -> None:
        served.update(kwargs, host=host, port=port)

    monkeypatch.setattr(cli, "serve", fake_serve)
    args = ["serve", "--port", "0", "--throttle", "0.25", "--seed", "9", "--capacity", "--shared-db"]
    assert cli.main([*args, "--data-dir", str(tmp_path / "d"), "--admin"]) == 0
    databases = served["databases"]
    assert isinstance(databases, Databases)
    settings = databases.settings
    assert (settings.throttle, settings.seed, settings.capacity, settings.shared) == (0.25, 9, True, True)
    assert settings.data_dir == tmp_path / "d"
    assert (served["host"], served["port"], served["admin"]) == ("127.0.0.1", 0, True)
    tenant = databases.tenant(None)
    assert tenant.fake is not None and tenant.fake.capacity and tenant.fake.seed == 9
    assert tenant.durable is not None
    databases.close()

    served.clear()
    assert cli.main(["serve"]) == 0
    assert served["databases"].settings.data_dir is None and served["admin"] is False
    assert served["host"] == "127.0.0.1"  # loopback unless told otherwise


# --- one log line per request ------------------------------------------------------------------------


def test_each_request_logs_one_debug_line(caplog: pytest.LogCaptureFixture) -> None:
    with (
        ServerThread(databases=Databases()) as server,
        caplog.at_level(logging.DEBUG, "aiodynamodb_fake.server"),
    ):
        boto3_client(server.url, key="logger", region="eu-west-1").list_tables()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Length: 2\r\n\r\n{}"
            )
            assert sock.recv(65536).startswith(b"HTTP/1.1 400")
        server.stop()  # every line is written before its response: nothing else can come in
    lines = [record.getMessage() for record in caplog.records if record.name == "aiodynamodb_fake.server"]
    assert len(lines) == 2, lines
    assert re.fullmatch(
        r"ListTables tenant=logger/eu-west-1 status=200 \d+\.\d ms request=[A-Z0-9]{52}", lines[0]
    )
    assert re.fullmatch(r"GetItem tenant=- status=400 \d+\.\d ms request=[A-Z0-9]{52}", lines[1])


def test_the_cli_logs_requests_with_verbose_only() -> None:
    with CliServer("-v") as server:
        boto3_client(server.url, key="cli").list_tables()
        line = server.stderr_line(r"ListTables")
        assert re.fullmatch(
            r"DEBUG:aiodynamodb_fake\.server:ListTables tenant=cli/us-east-1 status=200 \d+\.\d ms request=\w{52}\n",
            line,
        )
    with CliServer() as quiet:
        boto3_client(quiet.url, key="cli").list_tables()
        assert quiet.stop(signal.SIGINT) == 0
        assert quiet.stderr == []


# --- graceful shutdown --------------------------------------------------------------------------------


def test_stopping_lets_a_request_in_flight_finish(
    monkeypatch: pytest.MonkeyPatch, gate_http_body: Callable[[str], Gate]
) -> None:
    fake = FakeDynamoDB()
    create_table(fake, "inflight", range_key=None)
    gate = gate_http_body("parse_json")
    listener_closed = threading.Event()
    close_listener = Listener.close

    async def close_and_tell(listener: Listener) -> None:
        await close_listener(listener)
        listener_closed.set()

    monkeypatch.setattr(Listener, "close", close_and_tell)
    body = json.dumps(
        {"TableName": "inflight", "Item": {"pk": {"S": "late"}, "v": {"S": "x" * 100_000}}}
    ).encode()
    server = ServerThread(fake).start()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        head = (
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        assert gate.entered.wait(30)  # the request is being decoded on a worker thread
        stopper = threading.Thread(target=server.stop)
        stopper.start()
        assert listener_closed.wait(30)  # no longer accepting...
        assert stopper.is_alive()  # ...but still waiting for the request in flight
        gate.opened.set()
        reply = sock.recv(65536)
    stopper.join(60)
    assert not stopper.is_alive()
    assert reply.startswith(b"HTTP/1.1 200 OK")
    assert fake.item_count("inflight") == 1


def test_an_unusable_data_dir_is_reported_before_serving(tmp_path: Path) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("not a directory")
    result = run_cli("serve", "--port", "0", "--data-dir", str(taken))
    assert result.returncode == 1
    assert result.stderr.startswith(f"aiodynamodb-fake: cannot use the data directory {taken}: ")
