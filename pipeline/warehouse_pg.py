"""PostgreSQL as the shared warehouse: ``ENVOY_WAREHOUSE=postgresql://user@host:port/db``.

The embedded DuckDB file allows one process to open it for writing and none to read it meanwhile, so
on more than one host the warehouse needs a server. PostgreSQL is already in every Celery deployment
(Airflow's metadata DB), lets any number of writers and readers in at once (MVCC: a reader never
waits for a load, a load never waits for a reader), and psycopg2 comes with the ``celery`` extra.

- **Writers**: every task writes its ``runs`` row whenever it likes (one row per run, short
  transactions). A day's **load** keeps DuckDB's semantics exactly (the same delete-and-insert of the
  day, take-over and rehoming, see :mod:`pipeline.load`) in one transaction that first takes a
  transaction-scoped advisory lock: loads of different days serialize inside the database, wherever
  they run, so the one-slot ``envoy_duckdb`` pool is no longer what keeps them apart.
- **Readers** (reports, ``envoy query``, the analytics layer) get an in-memory DuckDB holding one
  ``REPEATABLE READ`` snapshot of the tables, with the same views and macros as the file; analysts
  with SQL clients query PostgreSQL directly.

The base tables are ``schemas/ddl/10_warehouse.sql`` and ``15_migrations.sql`` with two type names
translated (``TINYINT``, ``DOUBLE``); the analytics views stay DuckDB's.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb

from pipeline import lake
from pipeline.config import Settings

#: Base-table DDL files applied to PostgreSQL (the views and macros after them are DuckDB's).
BASE_DDL = ("10_warehouse.sql", "15_migrations.sql")
TABLES = ("articles", "events", "quarantine", "runs")
_LOAD_LOCK = "envoy.warehouse.load"
_SCHEMA_LOCK = "envoy.warehouse.schema"
_ready: set[str] = set()
_ready_lock = threading.Lock()


def pg_ddl() -> str:
    """The base-table DDL in PostgreSQL's type names."""
    from pipeline.load import ddl_files

    text = "\n".join(p.read_text(encoding="utf-8") for p in ddl_files() if p.name in BASE_DDL)
    text = re.sub(r"\bTINYINT\b", "SMALLINT", text)
    return re.sub(r"\bDOUBLE\b", "DOUBLE PRECISION", text)


class Result:
    """What DuckDB's ``execute`` returns, for the ledger's SQL: ``fetchall`` and ``description``; a
    statement without rows answers its row count, as DuckDB does."""

    def __init__(self, cur: Any):
        self.description = cur.description
        self._rows = cur.fetchall() if cur.description is not None else [(cur.rowcount,)]

    def fetchall(self) -> list[tuple]:
        return self._rows


class PgConnection:
    """A psycopg2 connection with DuckDB's ``execute(sql, params)`` (``?`` placeholders) for the SQL the
    ledger shares between both warehouses; ``BEGIN TRANSACTION``/``COMMIT``/``ROLLBACK`` map to the
    connection's own transaction."""

    def __init__(self, raw: Any):
        self.raw = raw
        self._begun = False  # has the transaction in progress taken the schema lock (_schema_stable)?

    def execute(self, sql: str, params: Any = None) -> Result:
        word = sql.strip().upper()
        if word == "BEGIN TRANSACTION":
            return Result(_NoRows())
        if word in ("COMMIT", "ROLLBACK"):
            (self.raw.commit if word == "COMMIT" else self.raw.rollback)()
            self._begun = False
            return Result(_NoRows())
        with self.raw.cursor() as cur:
            if not self._begun:
                _schema_stable(cur)
                self._begun = True
            if params:
                sql = sql.replace("%", "%%").replace("?", "%s")
            cur.execute(sql, params or None)
            return Result(cur)


class _NoRows:
    description = None
    rowcount = 0


def _connect_raw(settings: Settings) -> Any:
    import psycopg2

    from pipeline.load import WarehouseLocked

    try:
        return psycopg2.connect(settings.warehouse_url, connect_timeout=30)
    except psycopg2.OperationalError as exc:
        raise WarehouseLocked(f"the PostgreSQL warehouse cannot be reached: {str(exc).strip()}") from exc


def _schema_stable(cur: Any) -> None:
    """Begin a transaction that reads or writes the tables: wait while a process applies the DDL.

    The DDL's ``ALTER TABLE ... ADD COLUMN IF NOT EXISTS`` takes each table's exclusive lock even when the
    column is there, one table after another; a load or a ``runs`` write holding one of those tables while
    waiting for another deadlocks with it (PostgreSQL then aborts one of them). Taken first in every
    transaction, this shared lock lets the DDL (which takes it exclusively) run only between them."""
    cur.execute("SELECT pg_advisory_xact_lock_shared(hashtext(%s))", [_SCHEMA_LOCK])


def ensure_schema(raw: Any, url: str) -> None:
    """Create the base tables once per process and database (writers racing on it serialize, and wait
    for the transactions in flight: see :func:`_schema_stable`)."""
    with _ready_lock:
        if url in _ready:
            return
        with raw.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [_SCHEMA_LOCK])
            cur.execute(pg_ddl())
        raw.commit()
        _ready.add(url)


@contextlib.contextmanager
def connect(settings: Settings, read_only: bool = False) -> Iterator[Any]:
    """A write connection (:class:`PgConnection`, committed at the end) or a read-only DuckDB snapshot."""
    raw = _connect_raw(settings)
    try:
        ensure_schema(raw, settings.warehouse_url or "")
        if read_only:
            con = snapshot(raw)
            try:
                yield con
            finally:
                con.close()
            return
        yield PgConnection(raw)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def snapshot(raw: Any) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse's tables as of one moment (``REPEATABLE READ``), the
    schema and the analytics views of the DuckDB file."""
    import pyarrow as pa

    from pipeline.load import ensure_schema as duck_schema

    con = duckdb.connect(":memory:")
    duck_schema(con)
    raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
    try:
        with raw.cursor() as cur:
            _schema_stable(cur)
            for table in TABLES:
                cur.execute(f"SELECT * FROM {table}")
                names = [d[0] for d in cur.description]
                rows = cur.fetchall()
                if not rows:
                    continue
                data = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})  # noqa: F841
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM data")
    finally:
        raw.rollback()
        raw.set_session(isolation_level="DEFAULT", readonly=False)
    return con


# --- the load -------------------------------------------------------------------------------------


def _rows(table: str, files: list) -> list[dict]:
    from pipeline import store

    return [r for f in files for r in store.read_part(table, f).to_pylist()]


def _stage(cur: Any, name: str, table: str, rows: list[dict], day_col: Any) -> None:
    """A temporary table ``name`` shaped like ``table`` holding ``rows`` (``ingest_date`` = day_col)."""
    from psycopg2.extras import execute_values

    from pipeline.load import LOADED

    cols = LOADED[table].names
    cur.execute(f"CREATE TEMP TABLE {name} (LIKE {table}) ON COMMIT DROP")
    if rows:
        execute_values(
            cur, f"INSERT INTO {name} ({', '.join(cols)}, ingest_date) VALUES %s",
            [[r.get(c) for c in cols] + [day_col(r)] for r in rows], page_size=1000,
        )


def _insert_day(cur: Any, day: date) -> dict[str, tuple[int, int]]:
    """The day's staged rows into the tables, as :func:`pipeline.load._insert_sql` does in DuckDB."""
    from pipeline.load import LOADED

    out = {}
    cols = {t: ", ".join([*LOADED[t].names, "ingest_date"]) for t in LOADED}
    cur.execute(
        f"INSERT INTO articles ({cols['articles']}) SELECT DISTINCT ON (article_id) {cols['articles']}"
        " FROM _in_articles WHERE article_id NOT IN (SELECT article_id FROM articles)"
        " ORDER BY article_id, source_file"
    )
    out["articles"] = cur.rowcount
    cur.execute(
        f"INSERT INTO events ({cols['events']}) SELECT DISTINCT ON (event_id) {cols['events']}"
        " FROM _in_events src WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id ="
        " src.article_id AND a.ingest_date <> %s) AND event_id NOT IN (SELECT event_id FROM events)"
        " ORDER BY event_id, source_file, sentence_index", [day]
    )
    out["events"] = cur.rowcount
    q = cols["quarantine"]
    cur.execute(f"INSERT INTO quarantine ({q}) SELECT {q} FROM _in_quarantine")
    out["quarantine"] = cur.rowcount
    return out


def _rehome(cur: Any, settings: Settings, day: date) -> int:
    """Articles this day no longer holds go back to the earliest other day that has them."""
    from pipeline.load import LOADED

    cur.execute("SELECT article_id FROM _prev WHERE article_id NOT IN (SELECT article_id FROM articles)")
    orphans = {r[0] for r in cur.fetchall()}
    if not orphans:
        return 0
    arts, evs = [], []
    for other in (d for d in lake.published_days(settings) if d != day):
        snap = lake.snapshot(settings, other)
        mine = lambda t: [dict(r, _day=other) for r in _rows(t, snap[t]) if r["article_id"] in orphans]  # noqa: B023,E731
        arts, evs = arts + mine("articles"), evs + mine("events")
    _stage(cur, "_home_articles", "articles", arts, lambda r: r["_day"])
    _stage(cur, "_home_events", "events", evs, lambda r: r["_day"])
    acols = ", ".join([*LOADED["articles"].names, "ingest_date"])
    cur.execute(
        f"INSERT INTO articles ({acols}) SELECT DISTINCT ON (article_id) {acols} FROM _home_articles"
        " ORDER BY article_id, ingest_date, source_file"
    )
    n = cur.rowcount
    ecols = ", ".join([*LOADED["events"].names, "ingest_date"])
    src_cols = ", ".join(f"src.{c}" for c in [*LOADED["events"].names, "ingest_date"])
    cur.execute(
        f"INSERT INTO events ({ecols}) SELECT DISTINCT ON (src.event_id) {src_cols}"
        " FROM _home_events src JOIN articles a ON a.article_id = src.article_id"
        " AND a.ingest_date = src.ingest_date WHERE src.event_id NOT IN (SELECT event_id FROM events)"
        " ORDER BY src.event_id, src.source_file, src.sentence_index"
    )
    return n


def _load_once(settings: Settings, day: date):
    from pipeline.load import LoadResult

    raw = _connect_raw(settings)
    try:
        ensure_schema(raw, settings.warehouse_url or "")
        with raw.cursor() as cur:
            _schema_stable(cur)
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [_LOAD_LOCK])  # one load at a time
            files = lake.snapshot(settings, day)  # read under the lock: the version this load writes
            staged = {t: _rows(t, files.get(t, [])) for t in ("articles", "events", "quarantine")}
            for t, rows in staged.items():
                _stage(cur, f"_in_{t}", t, rows, lambda _r: day)
            cur.execute("CREATE TEMP TABLE _prev ON COMMIT DROP AS"
                        " SELECT article_id FROM articles WHERE ingest_date = %s", [day])
            for t in ("events", "articles", "quarantine"):
                cur.execute(f"DELETE FROM {t} WHERE ingest_date = %s", [day])
            for t in ("events", "articles"):  # take over what only a later day held
                cur.execute(f"DELETE FROM {t} WHERE ingest_date > %s AND article_id IN"
                            " (SELECT article_id FROM _in_articles)", [day])
            inserted = _insert_day(cur, day)
            rehomed = _rehome(cur, settings, day)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    skipped = (len(staged["articles"]) - inserted["articles"]) + (len(staged["events"]) - inserted["events"])
    return LoadResult(articles=inserted["articles"], events=inserted["events"],
                      quarantine=inserted["quarantine"], duplicates_skipped=skipped, rehomed=rehomed)


def load_day(settings: Settings, day: date):
    """:func:`pipeline.load.load_day` on PostgreSQL: read again if a publish removed the files."""
    return lake.with_retry(lambda: _load_once(settings, day), attempts=3)
