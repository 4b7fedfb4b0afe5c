"""Command line: ``python -m aiodynamodb_fake serve`` (or ``aiodynamodb-fake serve``) runs the fake over HTTP.

It prints the URL it listens on (useful with ``--port 0``, which picks a free port) as soon as
the port is bound, then serves a fresh in-memory DynamoDB on the system clock until Ctrl-C or
SIGTERM, and exits 0 after a clean shutdown. Point any SDK at that URL as its ``endpoint_url``;
credentials and region are not checked. Idle connections are closed after ``--idle-timeout``, a
request must arrive whole within ``--read-timeout``, and at most ``--max-connections`` are open
(default: half the open-files limit), the longest idle closed first to make room.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from .http_limits import DEFAULT_IDLE_TIMEOUT, DEFAULT_READ_TIMEOUT, ServerLimits, default_max_connections
from .server import serve

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    bound = default_max_connections()
    parser = argparse.ArgumentParser(prog="aiodynamodb-fake", description="An in-memory DynamoDB.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the DynamoDB JSON 1.0 protocol over HTTP")
    run.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    run.add_argument("--port", type=int, default=8000, help="port, 0 for any free one (default: 8000)")
    run.add_argument("--access-log", action="store_true", help="log every request to stderr")
    run.add_argument(
        "--idle-timeout",
        type=_positive(float),
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help="close a connection with no request in progress after this long (default: %(default)g)",
    )
    run.add_argument(
        "--read-timeout",
        type=_positive(float),
        default=DEFAULT_READ_TIMEOUT,
        metavar="SECONDS",
        help="answer 408 to a request not in full this long after its first byte (default: %(default)g)",
    )
    run.add_argument(
        "--max-connections",
        type=_positive(int),
        default=None,
        metavar="N",
        help=f"most connections open at once (default: half the open-files limit, {bound} here)",
    )
    return parser


def _positive(kind: type[float] | type[int]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse


def _announce(url: str) -> None:
    print(f"aiodynamodb-fake listening on {url}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.access_log else logging.WARNING, stream=sys.stderr)
    try:
        limits = ServerLimits(args.idle_timeout, args.read_timeout, args.max_connections)
        serve(args.host, args.port, on_ready=_announce, access_log=args.access_log, limits=limits)
    except KeyboardInterrupt:  # where signal handlers cannot be installed (Windows)
        pass
    except OSError as err:  # the port is taken, the address is not ours...
        print(f"aiodynamodb-fake: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
