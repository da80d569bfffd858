"""Idempotent DuckDB load, the runs table and ``envoy query``: real DuckDB files in tmp_path."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline import load, store
from pipeline.cli import main
from tests.test_store import DAY, make_article, make_event, make_quarantine, make_settings

DAY2 = date(2024, 5, 3)


def snapshot(s) -> dict[str, list[tuple]]:
    """Full, sorted contents of every warehouse table."""
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        return {
            t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in ("articles", "events", "quarantine", "runs")
        }


def write_day(s, day: date = DAY, articles=range(3), events_per_article: int = 2) -> None:
    store.write_table("articles", [make_article(a, day=day) for a in articles], s, day)
    evs = [make_event(n, article=a, day=day) for a in articles for n in range(events_per_article)]
    half = len(evs) // 2
    store.write_table("events", evs[:half], s, day, part="shard-0")
    store.write_table("events", evs[half:], s, day, part="shard-1")
    store.write_table("quarantine", [make_quarantine(i, day=day) for i in range(2)], s, day)


def test_load_day_inserts_the_lake_rows(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    res = load.load_day(s, DAY)
    assert res == load.LoadResult(articles=3, events=6, quarantine=2, duplicates_skipped=0)
    snap = snapshot(s)
    lake_events = store.read_day("events", s, DAY).to_pylist()
    assert sorted(r[0] for r in snap["events"]) == sorted(e["event_id"] for e in lake_events)
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        row = con.execute("SELECT quad_class, goldstein, ingest_date FROM events LIMIT 1").fetchall()[0]
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns"
                                 " WHERE table_name = 'events'").fetchall())
    assert row[2] == DAY
    assert types["quad_class"] == "TINYINT" and types["event_date"] == "DATE"


def test_loading_twice_gives_identical_tables(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    write_day(s, DAY2, articles=range(10, 12))
    load.load_day(s, DAY)
    load.load_day(s, DAY2)
    first = snapshot(s)
    again = load.load_day(s, DAY)
    load.load_day(s, DAY2)
    assert again.articles == 3 and again.events == 6
    assert snapshot(s) == first
    assert sum(len(v) for v in first.values()) == 3 + 6 + 2 + 2 + 4 + 2


def test_reload_reflects_a_changed_lake_day(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    store.clear_day("events", s, DAY)
    store.write_table("events", [make_event(0, article=0)], s, DAY)
    res = load.load_day(s, DAY)
    assert res.events == 1
    assert load.table_counts(s, DAY) == {"articles": 3, "events": 1, "quarantine": 2}


def test_article_loaded_under_another_day_is_skipped(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s, DAY, articles=range(3))
    load.load_day(s, DAY)
    # DAY2 re-delivers articles 1 and 2 (same content hash, so same article_id and event_ids) plus article 7
    write_day(s, DAY2, articles=[1, 2, 7])
    res = load.load_day(s, DAY2)
    assert res.articles == 1 and res.events == 2
    assert res.duplicates_skipped == 2 + 4
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        days = dict(con.execute("SELECT ingest_date, count(*) FROM articles GROUP BY 1").fetchall())
        dup = con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events").fetchall()[0][0]
    assert days == {DAY: 3, DAY2: 1}
    assert dup == 0
    # reloading the first day keeps its articles: the copies were never stored under DAY2
    load.load_day(s, DAY)
    assert load.table_counts(s) == {"articles": 4, "events": 8, "quarantine": 4}


def test_duplicates_within_a_day_are_stored_once(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    store.write_table("articles", [make_article(0), make_article(0, source_file="copy.txt")], s, DAY)
    store.write_table("events", [make_event(0), make_event(0, sentence_index=5)], s, DAY)
    res = load.load_day(s, DAY)
    assert (res.articles, res.events, res.duplicates_skipped) == (1, 1, 2)
    assert load.table_counts(s) == {"articles": 1, "events": 1, "quarantine": 0}


def test_crash_in_the_second_insert_leaves_the_warehouse_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    before = snapshot(s)
    store.clear_day("articles", s, DAY)
    write_day(s, DAY, articles=range(20, 25))  # a changed day, whose load dies half way
    real = load._insert
    calls = []

    def crashing(con, table, files, day):
        calls.append(table)
        if len(calls) == 2:
            raise RuntimeError("simulated crash")
        return real(con, table, files, day)

    monkeypatch.setattr(load, "_insert", crashing)
    with pytest.raises(RuntimeError, match="simulated crash"):
        load.load_day(s, DAY)
    assert calls == ["articles", "events"]
    assert snapshot(s) == before
    monkeypatch.undo()
    assert load.load_day(s, DAY).articles == 5  # and the next run loads cleanly


def test_killed_process_mid_load_leaves_the_warehouse_as_before(tmp_path: Path) -> None:
    """A hard kill (no rollback, no close) between the inserts: DuckDB drops the open transaction."""
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    before = snapshot(s)
    write_day(s, DAY, articles=range(30, 34))
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from pipeline import load
        from tests.test_store import DAY, make_settings

        real = load._insert
        def dying(con, table, files, day):
            if table == "events":
                os._exit(9)
            return real(con, table, files, day)
        load._insert = dying
        load.load_day(make_settings(Path({str(tmp_path)!r})), DAY)
        """
    )
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", script], cwd=root, timeout=120)
    assert proc.returncode == 9
    assert snapshot(s) == before


def test_corrupt_part_rolls_back(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    before = snapshot(s)
    (store.day_dir("events", s, DAY) / "part-shard-1.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(duckdb.Error):
        load.load_day(s, DAY)
    assert snapshot(s) == before


def test_empty_lake_day_empties_that_day(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    for t in ("articles", "events", "quarantine"):
        store.clear_day(t, s, DAY)
    assert load.load_day(s, DAY) == load.LoadResult(0, 0, 0, 0)
    assert load.table_counts(s) == {"articles": 0, "events": 0, "quarantine": 0}


def test_ensure_schema_is_idempotent_and_applies_every_ddl_file(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    for _ in range(2):
        with load.connect(s) as con:
            load.ensure_schema(con)
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"articles", "events", "quarantine", "runs"} <= names
    assert [p.name for p in load.ddl_files()] == sorted(p.name for p in load.ddl_files())
    assert load.ddl_files()[0].name == "10_warehouse.sql"


def test_record_run_upserts(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    started = datetime(2024, 5, 3, 6, 0, tzinfo=UTC)
    first = {"run_id": "r1", "day": DAY, "started_at": started, "status": "running", "trigger": "cli"}
    load.record_run(s, first)
    load.record_run(
        s,
        {
            "run_id": "r1",
            "status": "validation_failed",
            "finished_at": datetime(2024, 5, 3, 6, 1, tzinfo=UTC),
            "validation_success": False,
            "failed_expectations": ["events.cameo_code in codebook (1 rows: 999)"],
            "timings": {"ingest": 1.5, "load": 0.2},
            "data_docs": tmp_path / "index.html",
        },
    )
    load.record_run(s, {"run_id": "r2", "day": DAY2, "started_at": started, "status": "loaded"})
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT run_id, day, started_at, status, trigger, validation_success, failed_expectations,"
            " timings, data_docs FROM runs ORDER BY run_id"
        ).fetchall()
    assert len(rows) == 2
    r1 = rows[0]
    assert r1[:6] == ("r1", DAY, started, "validation_failed", "cli", False)
    assert json.loads(r1[6]) == ["events.cameo_code in codebook (1 rows: 999)"]
    assert json.loads(r1[7]) == {"ingest": 1.5, "load": 0.2}
    assert r1[8] == str(tmp_path / "index.html")
    with pytest.raises(ValueError):
        load.record_run(s, {"status": "loaded"})


def test_a_locked_warehouse_is_retried_then_reported(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    holder = textwrap.dedent(
        f"""
        import duckdb, sys, time
        con = duckdb.connect({str(s.warehouse)!r})
        print("locked", flush=True)
        time.sleep(float(sys.argv[1]))
        """
    )
    # held briefly: the load waits for it and succeeds
    p = subprocess.Popen([sys.executable, "-c", holder, "1.5"], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "locked"
        assert load.load_day(s, DAY).articles == 3
    finally:
        p.wait(timeout=30)
    # held for longer than we wait: a clear error, not a hang
    p = subprocess.Popen([sys.executable, "-c", holder, "20"], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "locked"
        with pytest.raises(load.WarehouseLocked, match="locked by another process"):
            with load.connect(s, timeout=0.5):
                pass
    finally:
        p.kill()
        p.wait(timeout=30)


def test_the_warehouse_opens_with_the_duckdb_1x_cli(tmp_path: Path) -> None:
    """Analysts open the file with the DuckDB CLI they install (the `duckdb-cli` 1.5.6 dev pin reads
    storage versions 64-68): the pipeline writes the 1.x format, so tables, views and macros all work."""
    cli = Path(sys.executable).with_name("duckdb")
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.5."), version
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    load.record_run(s, {"run_id": "r1", "day": DAY, "started_at": datetime.now(UTC), "status": "loaded"})
    sql = (
        "SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM events) AS e, "
        "(SELECT count(*) FROM runs) AS r, (SELECT count(*) FROM events_dedup) AS d, "
        "(SELECT string_agg(partner, '|') FROM top_partners('USA')) AS p"
    )
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        expected = ",".join(str(v) for v in con.execute(sql).fetchall()[0])
    assert expected.startswith("3,6,1,") and expected.endswith(",CHN")
    proc = subprocess.run(
        [str(cli), "-readonly", "-csv", str(s.warehouse), "-c", sql],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["a,e,r,d,p", expected]
    # and the pipeline (DuckDB 2.x) keeps writing the same file
    assert load.load_day(s, DAY).events == 6
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE NOT internal").fetchall()
    assert tags == [({"storage_version": "v1.0.0+"},)]


# --- envoy query -----------------------------------------------------------------------------------------


def run_cli(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = main(["query", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loaded(tmp_path: Path):
    s = make_settings(tmp_path)
    write_day(s)
    load.load_day(s, DAY)
    return s


SQL = "SELECT cameo_code, count(*) AS n, min(event_date) AS first FROM events GROUP BY 1 ORDER BY 1"


def test_query_table_format(loaded, capsys: pytest.CaptureFixture) -> None:
    code, out, err = run_cli([SQL, "--warehouse", str(loaded.warehouse)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["cameo_code", "n", "first"]
    assert lines[2].split() == ["042", "6", "2024-05-02"]
    assert lines[-1] == "(1 row)"


def test_query_csv_and_json(loaded, capsys: pytest.CaptureFixture) -> None:
    sql = "SELECT article_id, n_chars, title, NULL AS nothing FROM articles ORDER BY n_chars"
    code, out, _ = run_cli([sql, "--format", "csv", "--warehouse", str(loaded.warehouse)], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["n_chars"] for r in rows] == ["100", "101", "102"]
    assert rows[0]["nothing"] == ""
    code, out, _ = run_cli([sql, "--format", "json", "--warehouse", str(loaded.warehouse)], capsys)
    assert code == 0
    data = json.loads(out)
    assert [d["title"] for d in data] == ["Article 0", "Article 1", "Article 2"]
    assert data[0]["nothing"] is None and data[0]["n_chars"] == 100


def test_query_uses_env_settings(
    loaded, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVOY_WAREHOUSE", str(loaded.warehouse))
    code, out, _ = run_cli(["SELECT count(*) AS n FROM quarantine", "--format", "json"], capsys)
    assert code == 0 and json.loads(out) == [{"n": 2}]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM events",
        "INSERT INTO runs (run_id, day, started_at, status) VALUES ('x', DATE '2024-01-01', now(), 'x')",
        "CREATE TABLE t (a INT)",
        "DROP TABLE events",
    ],
)
def test_query_is_read_only(loaded, capsys: pytest.CaptureFixture, sql: str) -> None:
    before = snapshot(loaded)
    code, out, err = run_cli([sql, "--warehouse", str(loaded.warehouse)], capsys)
    assert code == 1
    assert "read-only" in err and out == ""
    assert snapshot(loaded) == before


def test_query_missing_warehouse(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nowhere" / "warehouse.duckdb"
    code, out, err = run_cli(["SELECT 1", "--warehouse", str(missing)], capsys)
    assert code == 1
    assert "no warehouse at" in err and str(missing) in err
    assert not missing.exists()  # a read-only query never creates one


def test_query_sql_error(loaded, capsys: pytest.CaptureFixture) -> None:
    code, _, err = run_cli(["SELECT nope FROM events", "--warehouse", str(loaded.warehouse)], capsys)
    assert code == 1 and "nope" in err


# -- issue 13: place and PLOVER columns ---------------------------------------------------------------

PLACE = {
    "place_name": "Geneva", "place_country": "CHE", "place_adm1": "CH-GE", "place_latitude": 46.2,
    "place_longitude": 6.15, "place_precision": "city", "place_source": "clause",
}  # fmt: skip


def test_place_and_plover_columns_are_loaded_and_queryable(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    store.write_table("articles", [make_article(0)], s, DAY)
    events = [
        make_event(0, code="042", plover_event="CONSULT", plover_mode="visit", **PLACE),
        make_event(1, code="043", plover_event="CONSULT", plover_mode="visit", place_precision="none"),
        make_event(2, code="013", place_precision="none"),  # a statement: PLOVER has no type for it
    ]
    store.write_table("events", events, s, DAY)
    assert load.load_day(s, DAY).events == 3
    with load.connect(s, read_only=True) as con:
        got = con.execute(
            "SELECT place_name, place_country, place_adm1, place_latitude, place_precision, plover_event"
            " FROM events ORDER BY sentence_index"
        ).fetchall()
        plover = con.execute(
            "SELECT cameo_code, source_actor, target_actor, plover_event, plover_score FROM events_plover"
            " ORDER BY cameo_code"
        ).fetchall()
    assert got[0] == ("Geneva", "CHE", "CH-GE", 46.2, "city", "CONSULT")
    assert got[1][:5] == (None, None, None, None, "none") and got[2][5] is None
    # 013 has no PLOVER type; 043's host is CAMEO's source and PLOVER's target
    assert plover == [("042", "USA", "CHN", "CONSULT", 2.1), ("043", "CHN", "USA", "CONSULT", 2.1)]


def test_an_older_warehouse_and_lake_gain_the_columns_and_old_rows_get_plover_from_the_mapping(
    tmp_path: Path,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    s = make_settings(tmp_path)
    with duckdb.connect(str(s.warehouse)) as con:  # the events table as it was before issue 13
        ddl = (Path(load.__file__).parents[1] / "schemas" / "ddl" / "10_warehouse.sql").read_text("utf-8")
        old = ddl.split("CREATE TABLE IF NOT EXISTS events (")[1].split(");")[0]
        old = "\n".join(line for line in old.splitlines() if "place_" not in line and "plover_" not in line)
        con.execute(f"CREATE TABLE events ({old})")
    store.write_table("articles", [make_article(0)], s, DAY)
    folder = store.day_dir("events", s, DAY)
    folder.mkdir(parents=True, exist_ok=True)
    row = make_event(0, code="111")  # an old part: no place or PLOVER columns at all
    pq.write_table(pa.Table.from_pylist([row]), folder / "part-old.parquet")
    assert load.load_day(s, DAY).events == 1
    with load.connect(s, read_only=True) as con:
        cols = {r[0] for r in con.execute("DESCRIBE events").fetchall()}
        event = con.execute("SELECT place_name, plover_event FROM events").fetchall()
        plover = con.execute("SELECT plover_event, plover_mode FROM events_plover").fetchall()
    assert {"place_name", "place_precision", "plover_event", "plover_mode"} <= cols
    assert event == [(None, None)] and plover == [("ACCUSE", "disapprove")]


def test_the_lake_view_reads_old_parts_without_the_new_columns(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline import analytics

    s = make_settings(tmp_path)
    store.write_table("articles", [make_article(0)], s, DAY)
    folder = store.day_dir("events", s, DAY)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist([make_event(0, code="111")]), folder / "part-old.parquet")
    with analytics.connection(s, lake=True) as con:
        assert con.execute("SELECT place_name, place_precision FROM events").fetchall() == [(None, None)]
        assert con.execute("SELECT plover_event FROM events_plover").fetchall() == [("ACCUSE",)]
        assert analytics.relation(con, "USA", "CHN", scheme="plover").dicts()[0]["conflict"] == 1


def test_read_only_commands_work_on_a_warehouse_not_yet_migrated(tmp_path: Path) -> None:
    """The columns arrive with the next load; until then the read-only views see them as NULL."""
    from pipeline import analytics

    s = make_settings(tmp_path)
    with load.connect(s) as con:  # a current warehouse, then the events table as it was before issue 13
        con.execute("DROP VIEW IF EXISTS events_plover CASCADE")
        for col in [c for c in store.schema_for("events").names if c.startswith(("place_", "plover_"))]:
            con.execute(f"ALTER TABLE events DROP COLUMN {col}")
        row = make_event(0, code="111")
        con.execute(
            f"INSERT INTO events ({', '.join(row)}, ingest_date) VALUES ({', '.join('?' * len(row))}, ?)",
            [*row.values(), DAY],
        )
    with analytics.connection(s) as con:
        assert con.execute("SELECT place_name FROM events").fetchall() == [(None,)]
        assert analytics.dyad_evidence(con, "USA", "CHN").dicts()[0]["place"] is None
        assert con.execute("SELECT plover_event FROM events_plover").fetchall() == [("ACCUSE",)]
