"""Idempotent load of one lake day into the DuckDB warehouse.

A day is the unit of reloading: one transaction deletes the rows that came from that ``ingest_date``
and inserts the day's published Parquet files again (one manifest read, so one version of every
table), so loading twice, or again after a crash (rolled back), gives identical tables. DuckDB
allows one writer process per file and a writer blocks readers, so connections are short and
opening one retries while another process holds it.

An article is stored once, under the earliest day whose published lake holds it, so the warehouse
is a function of the lake whatever order days load in: a day's load skips articles an earlier day
holds, takes over those only a later day held, and gives every article it no longer holds back to
the earliest other day that still has it (*rehoming*). So a rerun of a day that saw an article only
as a duplicate never removes it, even when two days that share it ran at the same time.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import tenacity

from pipeline import lake
from pipeline.config import Settings
from pipeline.errors import WarehouseUnusable
from schemas import ARTICLES, EVENTS, QUARANTINE, contract_path

log = logging.getLogger(__name__)

#: Lake tables loaded into the warehouse (``texts`` stays in the lake), with their Arrow contracts.
LOADED = {"articles": ARTICLES, "events": EVENTS, "quarantine": QUARANTINE}
DEFAULT_LOCK_TIMEOUT = 30.0
#: Storage format for a new warehouse file: DuckDB 1.0's (storage version 64), which every DuckDB from 1.0
#: on opens, including the 1.x CLI analysts install; DuckDB 2.x's own format (69) only 2.x reads.
STORAGE_COMPATIBILITY = "v1.0.0"


class WarehouseLocked(WarehouseUnusable, RuntimeError):
    """Another process kept the warehouse file locked for longer than we were willing to wait."""


class WarehouseMissing(WarehouseUnusable, FileNotFoundError):
    """A read-only connection was asked for a warehouse that was never created."""


class WarehouseCorrupt(WarehouseUnusable):
    """The warehouse file is not a readable DuckDB database."""


_CORRUPT = ("not a valid duckdb database", "corrupt database", "database has been invalidated",
            "checksum", "serialization error")


def _corrupt(path: Path, exc: duckdb.Error) -> WarehouseCorrupt:
    first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return WarehouseCorrupt(
        f"the warehouse {path} cannot be read ({first}); move it aside (or restore a backup) and run "
        "`envoy run --all` to rebuild it from the landing folders"
    )


def ddl_files() -> list[Path]:
    """Every ``schemas/ddl/*.sql``, in file-name order (base tables first, then views on them)."""
    return sorted(contract_path("ddl").glob("*.sql"))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Apply every DDL file; each is idempotent (CREATE ... IF NOT EXISTS / CREATE OR REPLACE VIEW)."""
    for path in ddl_files():
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as exc:
            raise RuntimeError(f"applying {path.name} failed: {exc}") from exc


def _is_lock_error(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def _lock_holder(exc: BaseException) -> str:
    holder = re.search(r"held in (.+?\(PID \d+\))", str(exc))
    return f" ({holder.group(1)})" if holder else ""


def _retry_while_locked(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and _is_lock_error(exc)


def wait_for_lock(
    path: Path, read_only: bool = False, timeout: float = DEFAULT_LOCK_TIMEOUT
) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, retrying with backoff (0.1 s doubling to 2 s) while another process holds
    its lock; other errors are raised at once. A new file gets the 1.x format (``STORAGE_COMPATIBILITY``)."""
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(_retry_while_locked),
        wait=tenacity.wait_exponential(multiplier=0.1, min=0.1, max=2.0),
        stop=tenacity.stop_before_delay(max(0.0, timeout)),
        before_sleep=lambda state: log.info(
            "warehouse %s is locked; retrying in %.1fs", path, state.upcoming_sleep
        ),
        reraise=True,
    )
    try:
        return retrying(
            duckdb.connect,
            str(path),
            read_only=read_only,
            config={"storage_compatibility_version": STORAGE_COMPATIBILITY},
        )
    except duckdb.IOException as exc:
        if not _is_lock_error(exc):
            raise
        raise WarehouseLocked(
            f"the warehouse {path} is locked by another process{_lock_holder(exc)} and stayed locked for "
            f"{timeout:.0f}s; wait for the running load/query to finish (or close that DuckDB "
            "session) and retry"
        ) from exc


@contextmanager
def connect(
    settings: Settings, read_only: bool = False, timeout: float = DEFAULT_LOCK_TIMEOUT
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection to ``settings.warehouse``; write connections create the schema first.

    With a PostgreSQL warehouse (``ENVOY_WAREHOUSE=postgresql://...``) a write connection is a
    PostgreSQL one that speaks the same ``execute(sql, params).fetchall()`` (``?`` placeholders), and a
    read-only one is an in-memory DuckDB holding one consistent snapshot of it (:mod:`pipeline.warehouse_pg`).
    """
    if settings.warehouse_url:
        from pipeline import warehouse_pg

        with warehouse_pg.connect(settings, read_only=read_only) as con:
            yield con
        return
    path = Path(settings.warehouse)
    if read_only and not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}: run `envoy run` (or `envoy demo`) first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = wait_for_lock(path, read_only=read_only, timeout=timeout)
    except duckdb.Error as exc:
        if _is_lock_error(exc):
            raise
        raise _corrupt(path, exc) from exc
    try:
        if not read_only:
            ensure_schema(con)
        yield con
    except (duckdb.Error, RuntimeError) as exc:
        if any(m in str(exc).lower() for m in _CORRUPT):
            raise _corrupt(path, exc) from exc
        raise
    finally:
        con.close()


@dataclass
class LoadResult:
    articles: int  # rows inserted
    events: int
    quarantine: int
    duplicates_skipped: int  # articles already loaded from another day (or twice in this day), and events
    rehomed: int = 0  # articles this day no longer holds, given back to the earliest other day holding them


def _sql_list(files: list[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def _source(
    con: duckdb.DuckDBPyConnection, table: str, files: list[Path], hive: bool = False
) -> tuple[str, str]:
    """(FROM clause, select list) over the files; contract columns a file lacks (older lakes) are NULL."""
    opts = ", union_by_name = true" + (", hive_partitioning = true" if hive else "")
    source = f"read_parquet({_sql_list(files)}{opts}) AS src"
    present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    select = ", ".join(f"src.{c}" if c in present else f"NULL AS {c}" for c in LOADED[table].names)
    return source, select


def _insert_sql(table: str, source: str, select: str) -> str:
    col_list = ", ".join(LOADED[table].names)
    if table == "articles":  # not held by this or an earlier day (later days' copies were taken over)
        where = "WHERE src.article_id NOT IN (SELECT article_id FROM articles)"
        qualify = "QUALIFY row_number() OVER (PARTITION BY src.article_id ORDER BY src.source_file) = 1"
    elif table == "events":
        where = (
            "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = src.article_id"
            " AND a.ingest_date <> $day)"
            " AND src.event_id NOT IN (SELECT event_id FROM events)"
        )
        qualify = (
            "QUALIFY row_number() OVER (PARTITION BY src.event_id"
            " ORDER BY src.source_file, src.sentence_index) = 1"
        )
    else:
        where = qualify = ""
    return (
        f"INSERT INTO {table} ({col_list}, ingest_date) SELECT {select}, $day FROM {source} {where} {qualify}"
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, files: list[Path], day: date) -> tuple[int, int]:
    """Insert the day's parts of one table; returns (rows in the parts, rows inserted)."""
    if not files:
        return 0, 0
    source, select = _source(con, table, files)
    src = con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0]
    inserted = con.execute(_insert_sql(table, source, select), {"day": day}).fetchall()[0][0]
    return int(src), int(inserted)


def _take_over(con: duckdb.DuckDBPyConnection, files: list[Path], day: date) -> None:
    """Articles of this day that a later day holds move to this day (the earliest holder owns them)."""
    if not files:
        return
    source, _ = _source(con, "articles", files)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _incoming AS SELECT DISTINCT src.article_id FROM {source}")
    for table in ("events", "articles"):
        con.execute(
            f"DELETE FROM {table} WHERE ingest_date > $day"
            " AND article_id IN (SELECT article_id FROM _incoming)",
            {"day": day},
        )


def _rehome(con: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> int:
    """Articles this day held before and holds no longer go back to the earliest other day that has
    them in its published lake, with their events; returns how many."""
    con.execute("CREATE OR REPLACE TEMP TABLE _orphans AS SELECT article_id FROM _prev"
                " WHERE article_id NOT IN (SELECT article_id FROM articles)")
    if not con.execute("SELECT count(*) FROM _orphans").fetchall()[0][0]:
        return 0
    others = [d for d in lake.published_days(settings) if d != day]
    snaps = [lake.snapshot(settings, d) for d in others]
    art_files = [f for s in snaps for f in s.get("articles", [])]
    if not art_files:
        return 0
    source, select = _source(con, "articles", art_files, hive=True)
    cols = ", ".join(LOADED["articles"].names)
    n = con.execute(
        f"INSERT INTO articles ({cols}, ingest_date) SELECT {select}, CAST(src.ingest_date AS DATE)"
        f" FROM {source} WHERE src.article_id IN (SELECT article_id FROM _orphans)"
        " QUALIFY row_number() OVER"
        " (PARTITION BY src.article_id ORDER BY src.ingest_date, src.source_file) = 1"
    ).fetchall()[0][0]
    ev_files = [f for s in snaps for f in s.get("events", [])]
    if n and ev_files:
        source, select = _source(con, "events", ev_files, hive=True)
        cols = ", ".join(LOADED["events"].names)
        con.execute(
            f"INSERT INTO events ({cols}, ingest_date) SELECT {select}, CAST(src.ingest_date AS DATE)"
            f" FROM {source} JOIN articles a ON a.article_id = src.article_id"
            " AND a.ingest_date = CAST(src.ingest_date AS DATE)"
            " WHERE src.article_id IN (SELECT article_id FROM _orphans)"
            " AND src.event_id NOT IN (SELECT event_id FROM events)"
            " QUALIFY row_number() OVER"
            " (PARTITION BY src.event_id ORDER BY src.source_file, src.sentence_index) = 1"
        )
    return int(n)


def _load_once(settings: Settings, day: date) -> LoadResult:
    files = lake.snapshot(settings, day)
    counts: dict[str, tuple[int, int]] = {}
    with connect(settings) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _prev AS"
                " SELECT article_id FROM articles WHERE ingest_date = $day",
                {"day": day},
            )
            for table in ("events", "articles", "quarantine"):
                con.execute(f"DELETE FROM {table} WHERE ingest_date = $day", {"day": day})
            _take_over(con, files.get("articles", []), day)
            for table in ("articles", "events", "quarantine"):  # articles first: events follow their article
                counts[table] = _insert(con, table, files.get(table, []), day)
            rehomed = _rehome(con, settings, day)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    skipped = sum(src - ins for src, ins in (counts["articles"], counts["events"]))
    return LoadResult(
        articles=counts["articles"][1],
        events=counts["events"][1],
        quarantine=counts["quarantine"][1],
        duplicates_skipped=skipped,
        rehomed=rehomed,
    )


def load_day(settings: Settings, day: date) -> LoadResult:
    """Replace the warehouse rows of ``ingest_date = day`` with the day's published lake version, in one
    transaction (read again if a concurrent publish of the day removed the files it was reading)."""
    if settings.warehouse_url:
        from pipeline import warehouse_pg

        return warehouse_pg.load_day(settings, day)
    for attempt in range(3):
        try:
            return _load_once(settings, day)
        except duckdb.IOException as exc:
            vanished = "no files found" in str(exc).lower() or "no such file" in str(exc).lower()
            if not vanished or attempt == 2:
                raise
            log.info("%s: a new version was published while loading; loading it", day)
    raise AssertionError("unreachable")


def _db_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str, sort_keys=isinstance(value, dict))
    if isinstance(value, Path):
        return str(value)
    return value


def record_run(settings: Settings, run: dict) -> None:
    """Upsert one row of ``runs`` by ``run_id``: given keys overwrite, keys not given keep their value.

    Lists and dicts (failed expectations, timings) are stored as JSON; unknown keys are ignored with a
    warning, so a newer caller does not break an older warehouse.
    """
    if not run.get("run_id"):
        raise ValueError("record_run needs a run_id")
    with connect(settings) as con:
        cols = [r[0] for r in con.execute("SELECT * FROM runs LIMIT 0").description]
        unknown = sorted(set(run) - set(cols))
        if unknown:
            log.warning("record_run: ignoring unknown column(s) %s", ", ".join(unknown))
        con.execute("BEGIN TRANSACTION")
        try:
            old = con.execute("SELECT * FROM runs WHERE run_id = ?", [run["run_id"]]).fetchall()
            row = dict(zip(cols, old[0], strict=True)) if old else {}
            row.update({k: _db_value(v) for k, v in run.items() if k in cols})
            names = [c for c in cols if c in row]
            con.execute("DELETE FROM runs WHERE run_id = ?", [run["run_id"]])
            con.execute(
                f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [row[c] for c in names],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def warehouse_exists(settings: Settings) -> bool:
    return bool(settings.warehouse_url) or Path(settings.warehouse).exists()


def table_counts(settings: Settings, day: date | None = None) -> dict[str, int]:
    """Rows per loaded table (optionally of one ingest day): a cheap check for reports and tests."""
    with connect(settings, read_only=True) as con:
        out = {}
        for table in LOADED:
            q = f"SELECT count(*) FROM {table}" + (" WHERE ingest_date = ?" if day else "")
            out[table] = int(con.execute(q, [day] if day else []).fetchall()[0][0])
        return out



def table_checksums(settings: Settings) -> dict[str, tuple[int, str]]:
    """(rows, md5) per loaded table over its data columns, in a fixed order: two warehouses built from
    the same landing folders match whatever order or concurrency their days ran in. Wall-clock columns
    (``ingested_at``, ``recorded_at``) are left out: they differ between any two runs."""
    out = {}
    with connect(settings, read_only=True) as con:
        for table in LOADED:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()
                    if not r[1].startswith("TIMESTAMP")]
            row = ", ".join(f"coalesce(CAST({c} AS VARCHAR), '\\N')" for c in cols)
            n, digest = con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(r, chr(10) ORDER BY r), '')) FROM "
                f"(SELECT concat_ws(chr(9), {row}) AS r FROM {table})"
            ).fetchall()[0]
            out[table] = (int(n), str(digest))
    return out
