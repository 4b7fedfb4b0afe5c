"""Command line: ``python -m aiodynamodb_fake serve`` (or ``aiodynamodb-fake serve``) runs the fake over HTTP.

It prints the URL it listens on (useful with ``--port 0``, which picks a free port) as soon as
the port is bound, then serves a fresh in-memory DynamoDB on the system clock until Ctrl-C or
SIGTERM, and exits 0 after a clean shutdown. Point any SDK at that URL as its ``endpoint_url``;
credentials and region are not checked.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .server import serve

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aiodynamodb-fake", description="An in-memory DynamoDB.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the DynamoDB JSON 1.0 protocol over HTTP")
    run.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    run.add_argument("--port", type=int, default=8000, help="port, 0 for any free one (default: 8000)")
    run.add_argument("--access-log", action="store_true", help="log every request to stderr")
    return parser


def _announce(url: str) -> None:
    print(f"aiodynamodb-fake listening on {url}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.access_log else logging.WARNING, stream=sys.stderr)
    try:
        serve(args.host, args.port, on_ready=_announce, access_log=args.access_log)
    except KeyboardInterrupt:  # where signal handlers cannot be installed (Windows)
        pass
    except OSError as err:  # the port is taken, the address is not ours...
        print(f"aiodynamodb-fake: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
