"""The ``envoy`` command line. Each command lives in ``pipeline.commands.<module>``.

Command modules import heavy libraries (spaCy, Great Expectations, Airflow) inside their
handlers, so ``envoy --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys

COMMAND_MODULES = [
    "pipeline.commands.run",
    "pipeline.commands.demo",
    "pipeline.commands.code",
    "pipeline.commands.evaluate",
    "pipeline.commands.query",
    "pipeline.commands.relations",
]


def package_version() -> str:
    """The installed distribution's version (pyproject.toml), without importing anything heavy."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("envoy")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _quiet_broken_pipe() -> int:
    """The reader went away (``envoy query ... | head``): stop quietly, like any Unix filter.

    Python would otherwise print a traceback, then fail again flushing stdout at exit; pointing
    stdout at /dev/null makes that final flush harmless. Exit 1, as rich does when its table hits
    the closed pipe (and as Python's documentation recommends).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="envoy",
        description="Turn news articles into CAMEO-coded diplomatic events, validated, loaded into DuckDB.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from pipeline.errors import EnvoyError

    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe surfaces here, not at interpreter exit
        return status
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except EnvoyError as exc:  # bad settings, an unusable warehouse: one line, no traceback
        print(f"envoy {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
