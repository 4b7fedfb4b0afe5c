"""The fake's command line as a subprocess, for end-to-end tests: started on a free loopback port,
its stdout and stderr read by threads (so the pipes never fill), stopped by signal or kill -9.

Synchronisation is on what the process shows: the URL it prints once its port is bound, the lines
it logs, its exit. Nothing sleeps.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import boto3
from botocore.config import Config

__all__ = ["CliServer", "boto3_client", "cli_env", "run_cli"]

ROOT = Path(__file__).resolve().parents[2]
ANNOUNCED = re.compile(r"aiodynamodb-fake listening on (http://127\.0\.0\.1:(\d+))\n")
NO_RETRIES = Config(retries={"max_attempts": 0, "mode": "legacy"}, connect_timeout=10, read_timeout=60)


def cli_env() -> dict[str, str]:
    """The test process's environment without AWS settings, so nothing of the machine steers it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    return env


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m aiodynamodb_fake ARGS`` to the end (for --help, --version, bad options)."""
    return subprocess.run(
        [sys.executable, "-m", "aiodynamodb_fake", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=cli_env(),
        cwd=ROOT,
    )


def boto3_client(
    url: str, key: str = "tester", region: str = "us-east-1", config: Config = NO_RETRIES
) -> Any:
    """A boto3 DynamoDB client signing as access key ``key`` in ``region`` (any dummy secret)."""
    session = boto3.session.Session()
    return session.client(
        "dynamodb",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key="dummy",
        config=config,
    )


def _pump(stream: IO[str], lines: queue.Queue[str], kept: list[str]) -> None:
    for line in stream:
        kept.append(line)
        lines.put(line)


class CliServer:
    """``aiodynamodb-fake serve --port 0 ARGS`` in a subprocess; ``with`` kills it if still running."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.url = ""
        self.port = 0
        self.stderr: list[str] = []  # every line so far
        self._stderr_lines: queue.Queue[str] = queue.Queue()
        self._stdout_lines: queue.Queue[str] = queue.Queue()
        self._proc: subprocess.Popen[str] | None = None

    @property
    def proc(self) -> subprocess.Popen[str]:
        assert self._proc is not None, "not started"
        return self._proc

    def start(self, timeout: float = 60) -> CliServer:
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiodynamodb_fake",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                *self.args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
            cwd=ROOT,
        )
        assert self._proc.stdout is not None and self._proc.stderr is not None
        threading.Thread(target=_pump, args=(self._proc.stdout, self._stdout_lines, []), daemon=True).start()
        threading.Thread(
            target=_pump, args=(self._proc.stderr, self._stderr_lines, self.stderr), daemon=True
        ).start()
        try:
            announced = self._stdout_lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no URL announced; stderr: {''.join(self.stderr)}") from None
        match = ANNOUNCED.fullmatch(announced)
        assert match, announced
        self.url, self.port = match.group(1), int(match.group(2))
        return self

    def stderr_line(self, pattern: str, timeout: float = 30) -> str:
        """The next line logged on stderr matching ``pattern`` (lines before it are skipped)."""
        wanted = re.compile(pattern)
        while True:
            try:
                line = self._stderr_lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(
                    f"nothing matching {pattern!r} logged; stderr: {''.join(self.stderr)}"
                ) from None
            if wanted.search(line):
                return line

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 60) -> int:
        """Send ``sig`` and wait for the exit status."""
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def kill(self, timeout: float = 60) -> None:
        """kill -9: no shutdown of any kind."""
        self.proc.kill()
        self.proc.wait(timeout=timeout)

    def __enter__(self) -> CliServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self.kill()
