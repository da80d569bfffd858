"""``envoy query``: run SQL against the warehouse, read-only, and print a table, CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")
LOCK_TIMEOUT = 10.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "query",
        help="run SQL against the DuckDB warehouse (read-only)",
        description=(
            "Run SQL against the warehouse (tables articles, events, quarantine, runs and the\n"
            "analytics views) and print the result. The session is read-only: only SELECT, EXPLAIN,\n"
            "PRAGMA and CALL statements run, and no file outside the warehouse and the lake can be\n"
            "read or written (no COPY, EXPORT, ATTACH or INSTALL): the pipeline is the only writer."
        ),
        epilog=(
            "examples:\n"
            '  envoy query "SELECT cameo_root, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"\n'
            '  envoy query "SELECT * FROM runs ORDER BY started_at DESC LIMIT 5" --format json\n'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sql", help="the SQL to run (quote it)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--warehouse", type=Path, help="DuckDB file to query (default: ENVOY_WAREHOUSE)")
    p.set_defaults(func=handle)


def write_table(cols: list[str], rows: list[tuple], out: TextIO) -> None:
    """The shared rich table (NULL spelled out, full precision) and a row count."""
    from pipeline.commands.output import print_table

    n = len(rows)
    print_table(cols, rows, out, null="NULL", footer=f"({n} row{'s' if n != 1 else ''})")


def run_query(settings: Any, sql: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of ``sql`` on a read-only connection (empty for statements with no result).

    Only reading statements run, and only the warehouse and the lake can be read (:mod:`pipeline.readonly`).
    """
    from pipeline import readonly
    from pipeline.load import connect

    with connect(settings, read_only=True, timeout=LOCK_TIMEOUT) as con:
        readonly.check(con, sql)
        readonly.lock_down(con, [settings.lake])
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()


def handle(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.config import load_settings
    from pipeline.errors import EnvoyError

    settings = load_settings()
    if args.warehouse:
        settings = settings.with_overrides(warehouse=args.warehouse.expanduser().resolve())
    try:
        cols, rows = run_query(settings, args.sql)
    except EnvoyError as exc:  # no warehouse, locked, unreadable, or a statement that would write
        print(f"envoy query: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        msg = str(exc)
        if isinstance(exc, duckdb.PermissionException):
            print(
                f"envoy query: only the warehouse and the lake ({settings.lake}) can be read; files "
                f"elsewhere, extensions and attached databases are off limits.\n  ({msg.splitlines()[0]})",
                file=sys.stderr,
            )
        elif "read-only" in msg:
            print(
                "envoy query: the warehouse is opened read-only, so write statements (INSERT, UPDATE, "
                f"DELETE, CREATE, DROP, ...) are refused; the pipeline is its only writer.\n  ({msg})",
                file=sys.stderr,
            )
        else:
            print(f"envoy query: {msg}", file=sys.stderr)
        return 1
    if not cols:
        return 0
    from pipeline.commands.output import write_csv, write_json

    {"table": write_table, "csv": write_csv, "json": write_json}[args.format](cols, rows, sys.stdout)
    return 0
