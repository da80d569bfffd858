"""The ``envoy`` command line. Each command lives in ``pipeline.commands.<module>``.

Command modules import heavy libraries (spaCy, Great Expectations, Airflow) inside their
handlers, so ``envoy --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

COMMAND_MODULES = [
    "pipeline.commands.run",
    "pipeline.commands.demo",
    "pipeline.commands.code",
    "pipeline.commands.evaluate",
    "pipeline.commands.query",
    "pipeline.commands.relations",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="envoy",
        description="Turn news articles into CAMEO-coded diplomatic events, validated, loaded into DuckDB.",
    )
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
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except EnvoyError as exc:  # bad settings, an unusable warehouse: one line, no traceback
        print(f"envoy {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
