"""The shared warehouse (issue 11): ``ENVOY_WAREHOUSE=postgresql://...`` takes many writers and
readers at once, and ends as the DuckDB file would from the same lake.

Marked ``integration`` (it starts a PostgreSQL server on 127.0.0.1, as ``make integration`` does);
the lake is three sample days with a few made-up events per article, so no coder runs.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import time
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import make_settings, run_processes

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[1] / "pipeline" / "samples" / "landing"
DAYS = [date.fromisoformat(p.name) for p in sorted(SAMPLES.iterdir()) if p.is_dir()]


def _events(articles: list[dict]) -> list[dict]:
    """Two made-up events per article (the load does not look at what they say)."""
    return [
        {"event_id": f"{a['article_id']}-{i}", "article_id": a["article_id"], "source_file": a["source_file"],
         "sentence_index": i, "publication_date": a["publication_date"], "event_date": a["publication_date"],
         "date_precision": "day", "source_actor": "USA", "target_actor": "CHN", "cameo_code": "042",
         "cameo_root": "04", "quad_class": 1, "goldstein": 1.9, "confidence": 0.5, "evidence": "x",
         "mentions": 1}
        for a in articles for i in range(2)
    ]


def build_lake(settings) -> None:
    from pipeline import lake, stages, store

    for d in DAYS:
        shutil.copytree(SAMPLES / d.isoformat(), settings.landing / d.isoformat())
        out = stages.discover_day(settings, d)
        arts = store.read_day("articles", settings, d, out.version).to_pylist()
        store.write_table("events", _events(arts), settings, d, part="shard-0", version=out.version)
        lake.publish(settings, d, out.version)


def _writer(home: str, url: str, day: str, rounds: int, errors) -> None:
    from pipeline import load
    from pipeline.ledger import Ledger

    settings = replace(make_settings(Path(home)), warehouse_url=url)
    try:
        for _ in range(rounds):
            ledger = Ledger.start(settings, date.fromisoformat(day), "test", whole_run_here=False)
            load.load_day(settings, date.fromisoformat(day))
            ledger.finish("loaded")
    except BaseException:  # noqa: BLE001 - reported to the parent
        errors.put(f"writer {day}: {traceback.format_exc()}")


def _reader(home: str, url: str, seconds: float, errors, reads) -> None:
    from pipeline import analytics, load

    settings = replace(make_settings(Path(home)), warehouse_url=url)
    n, end = 0, time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            counts = load.table_counts(settings)
            # a snapshot is one committed state: each loaded article with its two events, never half a load
            assert counts["events"] == 2 * counts["articles"], counts
            with analytics.warehouse_connection(settings) as con:  # the analytics views on a snapshot
                con.execute("SELECT count(*) FROM relations").fetchall()
            n += 1
    except BaseException:  # noqa: BLE001
        errors.put(f"reader: {traceback.format_exc()}")
    reads.put(n)


def test_many_writers_and_readers_share_the_postgresql_warehouse(tmp_path):
    pytest.importorskip("psycopg2")
    from pipeline import load
    from pipeline.topology import Topology

    settings = make_settings(tmp_path)
    settings.ensure_dirs()
    build_lake(settings)
    pg = Topology(root=tmp_path / "pg", envoy_env={}, warehouse_databases=("envoy",))
    try:
        pg.start_postgres()
        url = pg.pg_dsn("envoy")
        ctx = mp.get_context("spawn")
        errors, reads = ctx.Queue(), ctx.Queue()
        home = str(tmp_path)
        procs = [ctx.Process(target=_writer, args=(home, url, d.isoformat(), 4, errors)) for d in DAYS]
        procs += [ctx.Process(target=_reader, args=(home, url, 8.0, errors, reads)) for _ in range(2)]
        run_processes(procs, errors)
        assert sum(reads.get() for _ in range(2)) >= 2  # readers read while the writers wrote

        shared = replace(settings, warehouse_url=url)
        got = load.table_checksums(shared)
        with load.connect(shared, read_only=True) as con:
            runs = con.execute("SELECT status, count(*) FROM runs GROUP BY 1").fetchall()
    finally:
        pg.stop()
    assert runs == [("loaded", 4 * len(DAYS))]
    for d in DAYS:  # the same lake, loaded one day after another into the DuckDB file
        load.load_day(settings, d)
    assert got == load.table_checksums(settings) and got["events"][0] > 0


def test_the_schema_ddl_waits_for_transactions_in_flight(tmp_path):
    """A new process applies the DDL (its ALTERs lock the tables one after another) only between other
    transactions. A writer reading ``runs`` and then ``quarantine`` while the DDL starts would otherwise
    deadlock with it (the DDL holds ``quarantine`` and waits for ``runs``): both must finish."""
    pytest.importorskip("psycopg2")
    import threading

    from pipeline import warehouse_pg
    from pipeline.topology import Topology

    settings = make_settings(tmp_path)
    settings.ensure_dirs()
    pg = Topology(root=tmp_path / "pg", envoy_env={}, warehouse_databases=("envoy",))
    try:
        pg.start_postgres()
        shared = replace(settings, warehouse_url=pg.pg_dsn("envoy"))
        done, errors = threading.Event(), []
        with warehouse_pg.connect(shared) as con:  # a writer mid-transaction
            con.execute("SELECT count(*) FROM runs").fetchall()
            warehouse_pg._ready.clear()  # as in a process that has not applied the DDL yet
            raw = warehouse_pg._connect_raw(shared)

            def apply() -> None:
                try:
                    warehouse_pg.ensure_schema(raw, shared.warehouse_url)
                except Exception as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                done.set()

            t = threading.Thread(target=apply)
            t.start()
            assert not done.wait(1.5)  # held back while the writer's transaction is open
            con.execute("SELECT count(*) FROM quarantine").fetchall()  # the writer goes on
        assert done.wait(10) and errors == []  # the DDL ran once the writer had committed
        t.join()
        raw.close()
    finally:
        pg.stop()
