"""``python -m benchmarks [fake|client|chaos|validation|storage|query|sdk|all] [--check] [options]``: run
benchmarks, ``all`` by default.

``fake`` is ``benchmarks.fake_bench`` (the fake against moto and a deep-copying dict); ``client`` is
``benchmarks.client_bench`` when that module exists and has ``main``, given the options and ``--check``
as ``main(argv)`` or, for a ``main()`` without parameters, in ``sys.argv``; it returns (or exits with)
non-zero when a target is missed. ``chaos`` is ``benchmarks.chaos_bench`` (fault injection: a test's
set-up against the published package, a throttled batch write, an idle fault plan). ``validation`` is
``benchmarks.validation_bench`` (the cost of rejecting the worst shapes of bad input at 1x, 2x and 4x
size). ``storage`` is ``benchmarks.storage_bench`` (query and scan costs as a table grows, writes
against the previous storage module). ``query`` is ``benchmarks.query_bench`` (Query and Scan through
the API against moto: a 10-item query as the partition grows, paginated query and scan items/s).
``sdk`` is ``benchmarks.sdk_bench`` (real SDKs: one aioboto3 client over HTTP against a bare-dict floor,
our server, moto's server and dynalite; boto3 through ``fake.patch()`` against ``mock_aws``).
Options go to ``fake`` under ``all`` and to the named suite otherwise.
The exit status is 0 unless ``--check`` is given and a target is missed; 2 if ``client`` is asked for
and is not there.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import fake_bench

SUITES = ("fake", "client", "chaos", "validation", "storage", "query", "sdk", "all")


def _client_main() -> Callable[..., Any] | None:
    """``benchmarks.client_bench.main`` if that module exists (an error inside it is not hidden)."""
    if importlib.util.find_spec("benchmarks.client_bench") is None:
        return None
    main = getattr(importlib.import_module("benchmarks.client_bench"), "main", None)
    return main if callable(main) else None


def _run_client(main: Callable[..., Any], forwarded: list[str], check: bool) -> int:
    """Its exit status, from ``main(argv)`` or from a bare ``main()`` reading ``sys.argv``."""
    argv = [*forwarded, *(["--check"] if check else [])]
    saved = sys.argv
    try:
        if inspect.signature(main).parameters:
            result = main(argv)
        else:
            sys.argv = ["python -m benchmarks client", *argv]
            result = main()
    except SystemExit as exit_:
        result = exit_.code
    finally:
        sys.argv = saved
    if result is None:
        return 0
    return result if isinstance(result, int) else 1


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    named = bool(args_in) and args_in[0] in SUITES
    suite = args_in.pop(0) if named else "all"
    # With a suite named, -h is that suite's; the first word is read by hand so that options taking
    # values (--repeats 1) cannot be mistaken for it.
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        usage="%(prog)s [fake|client|chaos|validation|storage|query|sdk|all] [--check] [suite options]",
        description="Run the benchmarks, all by default; 'python -m benchmarks fake -h' lists its options.",
        add_help=not named,
    )
    parser.add_argument("--check", action="store_true", help="exit non-zero if a target is missed")
    args, rest = parser.parse_known_args(args_in)
    check = ["--check"] if args.check else []
    status = 0
    if suite in ("fake", "all"):
        status |= fake_bench.main([*rest, *check])
    if suite in ("client", "all"):
        client = _client_main()
        if client is None:
            print("client benchmark: benchmarks/client_bench.py (with main()) is not there; skipped")
            if suite == "client":
                return 2
        else:
            print()
            status |= _run_client(client, rest if suite == "client" else [], args.check)
    # Imported only when run: chaos loads the client and the published models, sdk starts servers and
    # may npm-install dynalite.
    for name in ("chaos", "validation", "storage", "query", "sdk"):
        if suite in (name, "all"):
            bench = importlib.import_module(f"benchmarks.{name}_bench")
            if suite == "all":
                print()
            status |= bench.main([*(rest if suite == name else []), *check])
    return status if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
