"""`envoy query` is truly read-only (issue 10): no file writes, no extension installs, no reads outside
the warehouse and the lake. Real DuckDB, the real CLI entry point."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline import load, store
from pipeline.cli import main
from tests.test_load import snapshot, write_day
from tests.test_store import DAY, make_settings


@pytest.fixture
def loaded(tmp_path: Path):
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text("secret\nTOP-SECRET-VALUE\n")
    return s


def lake_hashes(s) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(s.lake).rglob("*.parquet")}


def query(s, sql: str, capsys) -> tuple[int, str, str]:
    code = main(["query", sql, "--format", "json"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def env(loaded, monkeypatch):
    monkeypatch.setenv("ENVOY_WAREHOUSE", str(loaded.warehouse))
    monkeypatch.setenv("ENVOY_LAKE", str(loaded.lake))


def statements(s) -> dict[str, str]:
    parts = store.part_files("events", s, DAY)
    part = parts[0] if parts else Path(s.lake) / "events.parquet"
    home = Path(s.home)
    sneaky = Path(s.lake) / ".." / "outside" / "secret.csv"
    return {
        "copy out of the warehouse": f"COPY (SELECT * FROM events) TO '{home / 'outside' / 'dump.csv'}'",
        "copy over a lake file": f"COPY (SELECT * FROM events LIMIT 1) TO '{part}' (FORMAT parquet)",
        "export database": f"EXPORT DATABASE '{home / 'outside' / 'export'}'",
        "install an extension": "INSTALL httpfs",
        "load an extension": "LOAD httpfs",
        "attach a database": f"ATTACH '{home / 'outside' / 'other.duckdb'}' AS other",
        "read the password file": "SELECT * FROM read_text('/etc/passwd')",
        "read the process environment": "SELECT * FROM read_text('/proc/self/environ')",
        "read any readable file": f"SELECT * FROM read_csv('{home / 'outside' / 'secret.csv'}')",
        "read through the lake folder": f"SELECT * FROM read_text('{sneaky}')",
        "turn the guard off": "SET enable_external_access = true",
        "write after a select": f"SELECT 1; COPY events TO '{home / 'outside' / 'later.csv'}'",
        "delete": "DELETE FROM events",
        "create": "CREATE TABLE t AS SELECT 1",
    }


CASES = list(statements(make_settings(Path("/x"))))


@pytest.mark.parametrize("case", CASES)
def test_each_statement_is_refused_and_changes_nothing(loaded, capsys, case: str) -> None:
    s = loaded
    sql = statements(s)[case]
    before, lake_before = snapshot(s), lake_hashes(s)
    code, out, err = query(s, sql, capsys)
    assert code == 1, (out, err)
    assert out == "" and "Traceback" not in err
    assert "read-only" in err or "can be read" in err, err
    assert "TOP-SECRET" not in out + err and "root:x:" not in out + err
    assert snapshot(s) == before and lake_hashes(s) == lake_before
    assert sorted(p.name for p in (Path(s.home) / "outside").iterdir()) == ["secret.csv"]


def test_the_warehouse_and_the_lake_stay_readable(loaded, capsys) -> None:
    s = loaded
    code, out, err = query(s, "SELECT count(*) AS n FROM events", capsys)
    assert code == 0 and json.loads(out) == [{"n": 6}], err
    glob = store.lake_glob("events", s)
    code, out, err = query(s, f"SELECT count(*) AS n FROM read_parquet('{glob}')", capsys)
    assert code == 0 and json.loads(out) == [{"n": 6}], err
    code, out, err = query(s, "EXPLAIN SELECT * FROM articles", capsys)
    assert code == 0, err
