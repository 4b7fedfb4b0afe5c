"""Command line: ``python -m aiodynamodb_fake serve`` (or ``aiodynamodb-fake serve``) runs the fake over HTTP.

It prints the URL it listens on (useful with ``--port 0``, which picks a free port) as soon as the
port is bound, then serves DynamoDB on the system clock until Ctrl-C or SIGTERM, and exits 0 after a
clean shutdown (requests in flight finish, durable data is compacted). Each access key id and
region gets its own data, as in DynamoDB Local, unless ``--shared-db``; clients need any dummy
credentials (signatures are not verified, but requests must be signed). Data lives in memory
unless ``--data-dir``. Chaos: ``--throttle``, ``--seed``, ``--capacity``, and at run time
``--admin``. Idle connections are closed after ``--idle-timeout``, a request must arrive whole
within ``--read-timeout``, and at most ``--max-connections`` are open (default: half the open-files
limit), the longest idle closed first to make room. ``-v`` logs one line per request.
"""

from __future__ import annotations

import argparse
import logging
import sys
import textwrap
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from .databases import Databases, DatabaseSettings
from .http_limits import DEFAULT_IDLE_TIMEOUT, DEFAULT_READ_TIMEOUT, ServerLimits, default_max_connections
from .operations import OPERATIONS
from .server import serve

__all__ = ["main", "version"]

DISTRIBUTION = "aiodynamodb"
_LOG_LEVELS = ("debug", "info", "warning", "error")


def version() -> str:
    """The installed package's version ("unknown" when run from a tree that was never installed)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def _about() -> str:
    operations = textwrap.fill(
        ", ".join(sorted(OPERATIONS)), width=88, initial_indent="  ", subsequent_indent="  "
    )
    return (
        "An in-memory DynamoDB speaking DynamoDB's JSON 1.0 protocol over HTTP, for tests.\n\n"
        f"Operations served:\n{operations}\n\n"
        "Point any SDK at the printed URL as its endpoint. Clients need credentials, but any dummy\n"
        "ones do: requests must carry a SigV4 Authorization header, whose signature is NOT verified.\n"
        "Each access key id and region gets its own tables (as in DynamoDB Local) unless --shared-db.\n"
        "Data lives in memory and is gone when the server stops, unless --data-dir is given."
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aiodynamodb-fake", description=_about(), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "serve",
        help="serve DynamoDB over HTTP",
        description=_about(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--version", action="version", version=f"aiodynamodb-fake {version()}")
    _listening(run)
    _data(run)
    _chaos(run)
    _logging(run)
    return parser


def _listening(run: argparse.ArgumentParser) -> None:
    group = run.add_argument_group("listening")
    group.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, loopback)")
    group.add_argument("--port", type=int, default=8000, help="port, 0 for any free one (default: 8000)")
    group.add_argument(
        "--idle-timeout",
        type=_positive(float),
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help="close a connection with no request in progress after this long (default: %(default)g)",
    )
    group.add_argument(
        "--read-timeout",
        type=_positive(float),
        default=DEFAULT_READ_TIMEOUT,
        metavar="SECONDS",
        help="answer 408 to a request not in full this long after its first byte (default: %(default)g)",
    )
    group.add_argument(
        "--max-connections",
        type=_positive(int),
        default=None,
        metavar="N",
        help="most connections open at once "
        f"(default: half the open-files limit, {default_max_connections()} here)",
    )


def _data(run: argparse.ArgumentParser) -> None:
    group = run.add_argument_group("data")
    group.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep data across restarts in DIR/<access key>_<region>/: every acknowledged write is "
        "journaled before it is answered, and compacted into a snapshot at start and on shutdown",
    )
    group.add_argument(
        "--shared-db",
        action="store_true",
        help="one database for every client, whatever its access key id and region",
    )


def _chaos(run: argparse.ArgumentParser) -> None:
    group = run.add_argument_group("chaos")
    group.add_argument(
        "--throttle",
        type=_rate,
        default=0.0,
        metavar="RATE",
        help="leave each batch request / key unprocessed with this probability, 0 to 1 (single-item "
        "calls fail whole, throttled as DynamoDB throttles them)",
    )
    group.add_argument(
        "--seed", type=int, default=None, metavar="N", help="seed of table ids and fault draws"
    )
    group.add_argument(
        "--capacity",
        action="store_true",
        help="enforce provisioned and on-demand capacity (throttling as DynamoDB does when exceeded)",
    )
    group.add_argument(
        "--admin",
        action="store_true",
        help="serve the admin endpoint (off by default): POST /_admin/throttle, /_admin/fail, "
        "/_admin/unprocess (FakeDynamoDB's keywords as JSON), /_admin/clear-faults, /_admin/reset; "
        "GET /_admin/snapshot, /_admin/journal",
    )


def _logging(run: argparse.ArgumentParser) -> None:
    group = run.add_argument_group("logging")
    group.add_argument(
        "--log-level",
        choices=_LOG_LEVELS,
        default="warning",
        help="level of the server's log on stderr; debug logs one line per request (default: %(default)s)",
    )
    group.add_argument("-v", "--verbose", action="store_true", help="the same as --log-level debug")
    group.add_argument(
        "--access-log", action="store_true", help="log every request in aiohttp's access format"
    )


def _number(kind: type[float] | type[int], text: str) -> float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _positive(kind: type[float] | type[int]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = _number(kind, text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse


def _rate(text: str) -> float:
    value = _number(float, text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


def _configure_logging(args: argparse.Namespace) -> None:
    level = logging.DEBUG if args.verbose else getattr(logging, args.log_level.upper())
    # other libraries' chatter (asyncio, botocore) stays at warnings unless asked for less
    logging.basicConfig(level=max(level, logging.WARNING), stream=sys.stderr)
    logging.getLogger("aiodynamodb_fake").setLevel(level)
    if args.access_log:
        logging.getLogger("aiohttp.access").setLevel(logging.INFO)


def _announce(url: str) -> None:
    print(f"aiodynamodb-fake listening on {url}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging(args)
    settings = DatabaseSettings(
        throttle=args.throttle,
        seed=args.seed,
        capacity=args.capacity,
        data_dir=args.data_dir,
        shared=args.shared_db,
    )
    try:
        databases = Databases(settings)
    except OSError as err:
        print(f"aiodynamodb-fake: cannot use the data directory {args.data_dir}: {err}", file=sys.stderr)
        return 1
    try:
        limits = ServerLimits(args.idle_timeout, args.read_timeout, args.max_connections)
        serve(
            args.host,
            args.port,
            on_ready=_announce,
            access_log=args.access_log,
            limits=limits,
            databases=databases,
            admin=args.admin,
        )
    except KeyboardInterrupt:  # where signal handlers cannot be installed (Windows)
        databases.close()
    except OSError as err:  # the port is taken, the address is not ours...
        print(f"aiodynamodb-fake: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
