"""The Parquet lake: ``<lake>/<table>/ingest_date=YYYY-MM-DD/part-*.parquet`` (zstd).

Every write goes through the Arrow contract in :mod:`schemas`, so a bad row fails here, at the
stage that produced it, not later in validation or the warehouse load. Writes are atomic (temp file
in the same folder, fsync, ``os.replace``): a crash never leaves a half-written part that a reader
or DuckDB's glob would pick up, and rewriting a part replaces it whole.

The pipeline writes a day's new batch as a staged *version* (``version=``) and publishes it whole
(:mod:`pipeline.lake`); reads without a version see the published one. Writing without a version
puts a part straight into the day's folder (tests, tools): a day that has no manifest is read whole.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import lake
from pipeline.config import Settings
from schemas import TABLES

PART_GLOB = lake.PART_GLOB
_PART_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_TMP_SUFFIX = ".tmp"


class SchemaMismatch(ValueError):
    """Rows that do not fit a table's Arrow contract."""


def schema_for(table: str) -> pa.Schema:
    """The Arrow contract of a lake table; a clear error for a table that does not exist."""
    try:
        return TABLES[table]
    except KeyError:
        raise ValueError(f"unknown lake table {table!r} (known: {', '.join(sorted(TABLES))})") from None


def day_dir(table: str, settings: Settings, day: date) -> Path:
    """The Hive-style partition folder of one table and day."""
    schema_for(table)
    return lake.partition_dir(table, settings, day)


def part_files(table: str, settings: Settings, day: date, version: str | None = None) -> list[Path]:
    """The day's finished parts, sorted: the published version's, or those of a staged ``version``."""
    schema_for(table)
    if version is not None:
        return lake.staged_files(table, settings, day, version)
    return lake.published_files(table, settings, day)


def conform(table: str, rows: list[dict] | pa.Table) -> pa.Table:
    """Rows as an Arrow table with exactly the contract's columns and types.

    A missing non-nullable column, a null in one, or a value that does not cast is an error; a missing
    nullable column becomes nulls; columns the contract does not know are dropped.
    """
    schema = schema_for(table)
    if isinstance(rows, pa.Table):
        given = set(rows.column_names)
    else:
        rows = list(rows)
        given = set().union(*(r.keys() for r in rows)) if rows else {f.name for f in schema}
    missing = [f.name for f in schema if not f.nullable and f.name not in given]
    if missing:
        raise SchemaMismatch(f"{table}: missing required column(s) {', '.join(missing)}")
    try:
        if isinstance(rows, pa.Table):
            cols = [
                rows.column(f.name).cast(f.type)
                if f.name in given
                else pa.nulls(rows.num_rows, type=f.type)
                for f in schema
            ]
            out = pa.Table.from_arrays(cols, schema=schema)
        else:
            out = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError) as exc:
        raise SchemaMismatch(f"{table}: rows do not fit the contract: {exc}") from exc
    nulls = [f.name for f in schema if not f.nullable and out.column(f.name).null_count]
    if nulls:
        raise SchemaMismatch(f"{table}: null values in required column(s) {', '.join(nulls)}")
    return out


def write_table(
    table: str,
    rows: list[dict] | pa.Table,
    settings: Settings,
    day: date,
    part: str = "0",
    version: str | None = None,
) -> Path:
    """Write one part of a day atomically and return its path (an empty part is written too: it marks
    the producing stage as done for that day). With ``version``, the part goes to that staged version."""
    part = str(part)
    if not _PART_RE.match(part):
        raise ValueError(f"invalid part name {part!r}: use letters, digits, '-', '_' or '.'")
    data = conform(table, rows)  # before touching the disk: a bad write leaves the old part as it was
    if version is None:
        folder = day_dir(table, settings, day)
    else:
        folder = lake.staged_table_dir(table, settings, day, version)
    return lake.write_atomically(
        folder / f"part-{part}.parquet", lambda fh: pq.write_table(data, fh, compression="zstd")
    )


def read_part(table: str, path: Path) -> pa.Table:
    """One part file, conformed to the table's contract."""
    return conform(table, pq.read_table(path))


def read_day(table: str, settings: Settings, day: date, version: str | None = None) -> pa.Table:
    """All parts of a day as one table with the contract's schema (empty, with the schema, if none):
    the published version, or the staged ``version``."""
    schema = schema_for(table)

    def read() -> list[pa.Table]:
        return [conform(table, pq.read_table(p)) for p in part_files(table, settings, day, version)]

    tables = read() if version is not None else lake.with_retry(read)
    if not tables:
        return schema.empty_table()
    return pa.concat_tables(tables)


def clear_day(table: str, settings: Settings, day: date) -> None:
    """Remove the day's parts of one table (and leftovers of interrupted writes), for tools and tests:
    the pipeline never clears a published day, it publishes a new version of it."""
    manifest = lake.read_manifest(settings, day)
    if manifest is not None and table in manifest.tables:
        manifest.tables[table] = {"files": [], "rows": 0}
        lake._write_atomic(lake.manifest_path(settings, day), manifest.to_json())
    d = day_dir(table, settings, day)
    if not d.is_dir():
        return
    for p in d.iterdir():
        if p.is_file() and (p.match(PART_GLOB) or p.name.endswith(_TMP_SUFFIX)):
            p.unlink(missing_ok=True)
    try:
        d.rmdir()
    except OSError:
        pass  # something else lives there (or a concurrent writer just added a part): keep the folder


def days(table: str, settings: Settings) -> list[date]:
    """The days whose published version has at least one part of this table, oldest first."""
    schema_for(table)
    return lake.published_days(settings, table)


def lake_glob(table: str, settings: Settings) -> str:
    """Glob over every finished part of a table, for ``read_parquet(glob, hive_partitioning=true)``."""
    schema_for(table)
    return str(Path(settings.lake) / table / "ingest_date=*" / PART_GLOB)
