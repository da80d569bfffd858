"""Read-only SQL for ``envoy query``: the warehouse and the lake can be read, nothing else touched.

Opening the warehouse ``read_only`` stops writes to the database, not writes to files, reads of other
files, or extension installs. So a query session also gets DuckDB's own guards, set and then locked
(``lock_configuration``) so the query cannot undo them:

- ``enable_external_access = false``: no file outside ``allowed_directories``, no ``ATTACH``, no
  ``INSTALL``/``LOAD`` of extensions (no network);
- ``allowed_directories = [<lake>]``: the Parquet lake stays readable (``read_parquet``);

and each statement must be one that only reads (``SELECT``, ``EXPLAIN``, ``PRAGMA``, ``CALL``), as
DuckDB's own parser classifies it, so ``COPY ... TO`` and ``EXPORT DATABASE`` are refused even into
the lake folder, where the file guard would let them write.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.errors import EnvoyError

READING = ("SELECT", "EXPLAIN", "PRAGMA", "CALL")


class WriteRefused(EnvoyError):
    """A statement that would write or reach outside the warehouse and the lake."""


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def lock_down(con: duckdb.DuckDBPyConnection, readable: list[Path]) -> None:
    """Allow file reads only under ``readable``, no external access, and freeze the configuration."""
    dirs = ", ".join(_sql_string(str(Path(p).resolve()).rstrip("/") + "/") for p in readable)
    con.execute(f"SET allowed_directories = [{dirs}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def check(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise :class:`WriteRefused` unless every statement in ``sql`` only reads."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error:
        return  # a syntax error: let the query itself report it
    refused = [s for s in statements if s.type.name not in READING]
    if refused:
        kinds = ", ".join(sorted({s.type.name for s in refused}))
        raise WriteRefused(
            f"the warehouse is opened read-only, so only {', '.join(READING)} statements run; refused: "
            f"{kinds}. The pipeline is the warehouse's only writer, and `envoy query` writes no files"
        )
