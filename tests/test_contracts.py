"""The DuckDB DDL matches the Arrow contracts in ``schemas`` (``runs`` included), also for a warehouse
created before columns were added."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipeline import load
from schemas import ARTICLES, EVENTS, QUARANTINE, RUNS
from tests.conftest import make_settings

DUCK = {
    pa.string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.timestamp("us", tz="UTC"): "TIMESTAMP WITH TIME ZONE",
    pa.int8(): "TINYINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
}


def columns(path: Path, table: str) -> dict[str, tuple[str, bool]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = ?",
            [table],
        ).fetchall()
    return {name: (kind, nullable == "YES") for name, kind, nullable in rows}


def expected(schema: pa.Schema, loaded: bool) -> dict[str, tuple[str, bool]]:
    out = {f.name: (DUCK[f.type], f.nullable) for f in schema}
    if loaded:
        out["ingest_date"] = ("DATE", False)
    return out


@pytest.mark.parametrize(
    "table, schema, loaded",
    [("articles", ARTICLES, True), ("events", EVENTS, True), ("quarantine", QUARANTINE, True),
     ("runs", RUNS, False)],
)
def test_ddl_matches_the_contract(tmp_path: Path, table: str, schema: pa.Schema, loaded: bool) -> None:
    s = make_settings(tmp_path)
    with load.connect(s):
        pass
    got = columns(s.warehouse, table)
    want = expected(schema, loaded)
    if table == "runs":  # the primary key is NOT NULL in DuckDB; the contract says so too
        assert got.pop("run_id") == ("VARCHAR", False) and want.pop("run_id") == ("VARCHAR", False)
    assert got == want


def test_an_older_warehouse_gains_the_new_columns(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    with duckdb.connect(str(s.warehouse)) as con:  # the runs and quarantine tables as they used to be
        con.execute(
            "CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, day DATE NOT NULL,"
            " started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, status VARCHAR NOT NULL,"
            " trigger VARCHAR, files INTEGER, articles INTEGER, events INTEGER, quarantined INTEGER,"
            " duplicates INTEGER, validation_success BOOLEAN, failed_expectations VARCHAR,"
            " timings VARCHAR, data_docs VARCHAR)"
        )
        con.execute(
            "CREATE TABLE quarantine (file VARCHAR NOT NULL, reason VARCHAR NOT NULL, detail VARCHAR,"
            " day DATE, recorded_at TIMESTAMPTZ NOT NULL, ingest_date DATE NOT NULL)"
        )
    with load.connect(s):
        pass
    assert set(columns(s.warehouse, "runs")) == set(RUNS.names)
    assert set(columns(s.warehouse, "quarantine")) == set(QUARANTINE.names) | {"ingest_date"}
