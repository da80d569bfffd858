"""The production topology as a test (issue 11): PostgreSQL, Redis, scheduler, dag-processor,
api-server and two Celery workers on this machine, all on 127.0.0.1, driven through the REST API.

Three sample days are triggered at once (``ENVOY_MAX_ACTIVE_RUNS=3``), so this is also the parallel
days test through the real scheduler. Marked ``integration``: ``make integration`` (and ``.ci/run``
after the unit tests) runs it; ``make test`` does not. It prints one ``TOPOLOGY {...}`` line with the
figures ``docs/scaling.md`` quotes (run with ``-s`` to see it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from pipeline import airflow_local as al
from tests.conftest import make_settings

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[1] / "pipeline" / "samples" / "landing"
DAYS = [date.fromisoformat(p.name) for p in sorted(SAMPLES.iterdir()) if p.is_dir()]
EXPECTED = {"discover", "extract[0]", "extract[1]", "validate", "load", "report"}


def _need(tool: str, *alternatives: str) -> None:
    if not (shutil.which(tool) or any(Path(a).exists() for a in alternatives)):
        pytest.fail(f"{tool} is missing: .ci/run installs it (apt-get install redis-server postgresql)")


def _key(ti: dict) -> str:
    return ti["task_id"] if ti["map_index"] < 0 else f"{ti['task_id']}[{ti['map_index']}]"


def _seconds(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def _figures(runs: dict, tis: dict, wall: float) -> dict:
    per_worker: dict[str, dict] = defaultdict(lambda: {"tasks": 0, "busy_seconds": 0.0})
    shard_seconds = []
    for run_tis in tis.values():
        for ti in run_tis:
            w = per_worker[ti["hostname"]]
            w["tasks"] += 1
            w["busy_seconds"] = round(w["busy_seconds"] + ti["duration"], 2)
            if ti["task_id"] == "extract":
                shard_seconds.append(round(ti["duration"], 2))
    return {
        "days": len(runs), "wall_seconds": round(wall, 1),
        "day_seconds": {r: round(_seconds(v["start_date"], v["end_date"]), 1) for r, v in runs.items()},
        "shard_seconds": sorted(shard_seconds),
        "task_seconds": {r: {_key(t): round(t["duration"], 2) for t in v} for r, v in tis.items()},
        "workers": dict(per_worker),
    }


@pytest.mark.parametrize("warehouse", ["duckdb", "shared"])
def test_celery_topology_runs_three_days_at_once(tmp_path, warehouse, monkeypatch):
    """``duckdb``: the default warehouse file; ``shared``: the 3..30-host settings, a PostgreSQL
    warehouse and the lake also published to S3 (a moto server), on the same topology."""
    _need("redis-server")
    _need("pg_ctl", "/usr/local/bin/pg_ctl", *map(str, Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")))
    from pipeline import lake, load
    from pipeline.topology import S3_TEST_CREDENTIALS, WAREHOUSE_QUEUE, Topology

    settings = make_settings(tmp_path / "data")
    settings.ensure_dirs()
    for d in DAYS:
        shutil.copytree(SAMPLES / d.isoformat(), settings.landing / d.isoformat())
    shared = warehouse == "shared"
    topo = Topology(root=tmp_path / "topology", envoy_env={},
                    warehouse_databases=("envoy",) if shared else (),
                    s3_bucket="envoy-lake" if shared else None)
    if shared:
        settings = replace(settings, warehouse_url=topo.pg_dsn("envoy"),
                           extra={"ENVOY_LAKE_S3": "s3://envoy-lake/lake",
                                  "ENVOY_S3_ENDPOINT_URL": topo.s3_endpoint})
        for k, v in S3_TEST_CREDENTIALS.items():
            monkeypatch.setenv(k, v)
    topo.envoy_env = {**al.envoy_env_from_settings(settings), "ENVOY_MAX_ACTIVE_RUNS": "3"}
    try:
        started = time.monotonic()
        topo.start()
        startup = time.monotonic() - started
        topo.wait_for_dag(al.DAILY_DAG_ID)
        t0 = time.monotonic()
        run_ids = [f"integration__{d.isoformat()}" for d in DAYS]
        for d, run_id in zip(DAYS, run_ids, strict=True):
            topo.trigger(al.DAILY_DAG_ID, {"day": d.isoformat()}, run_id)
        runs = topo.wait_for_runs(al.DAILY_DAG_ID, run_ids)
        wall = time.monotonic() - t0
        tis = {r: topo.task_instances(al.DAILY_DAG_ID, r) for r in run_ids}
        bad = {r: {_key(t): t["state"] for t in v} for r, v in tis.items() if runs[r]["state"] != "success"}
        worker_log = topo.log("worker1").read_text()[-3000:]
        assert all(r["state"] == "success" for r in runs.values()), (bad, worker_log)
        for r, run_tis in tis.items():  # exactly the expected task instances, each succeeded once
            assert sorted(_key(t) for t in run_tis) == sorted(EXPECTED), r
            assert {t["state"] for t in run_tis} == {"success"}, r
        everything = [t for v in tis.values() for t in v]
        shard_hosts = {t["hostname"] for t in everything if t["task_id"] == "extract"}
        assert shard_hosts == {"worker1", "worker2"}, shard_hosts  # the shards spread over both workers
        for t in everything:
            if t["task_id"] in ("load", "report"):  # the warehouse's own worker, one at a time
                assert (t["pool"], t["queue"], t["hostname"]) == (al.DUCKDB_POOL, WAREHOUSE_QUEUE, "worker1")
        for t in everything:  # logs are readable through the API (workers serve none themselves)
            text = topo.task_log(al.DAILY_DAG_ID, t["dag_run_id"], t)
            assert t["task_id"] in text or "envoy" in text, _key(t)
        discover_log = topo.task_log(al.DAILY_DAG_ID, run_ids[0], next(
            t for t in tis[run_ids[0]] if t["task_id"] == "discover"))
        assert f"envoy day {DAYS[0].isoformat()}" in discover_log
        # the scheduler here creates only triggered runs (use_job_schedule off), so the asset-scheduled
        # reports DAG is triggered too: it runs on the warehouse worker like load and report
        topo.trigger(al.REPORTS_DAG_ID, {}, "integration__reports")
        rep = topo.wait_for_runs(al.REPORTS_DAG_ID, ["integration__reports"], timeout=300)
        assert rep["integration__reports"]["state"] == "success"
        (rep_ti,) = topo.task_instances(al.REPORTS_DAG_ID, "integration__reports")
        where = (rep_ti["pool"], rep_ti["queue"], rep_ti["hostname"])
        assert where == (al.DUCKDB_POOL, WAREHOUSE_QUEUE, "worker1")
        figures = _figures(runs, tis, wall)
        figures["startup_seconds"] = round(startup, 1)
        # the warehouse and `runs` match the lake
        with load.connect(settings, read_only=True) as con:
            runs_rows = con.execute(
                "SELECT day, status, lake_version, events FROM runs ORDER BY day").fetchall()
            wh_articles = {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}
            wh_events = {r[0] for r in con.execute("SELECT event_id FROM events").fetchall()}
        manifests = {d: lake.read_manifest(settings, d) for d in DAYS}
        assert runs_rows == [(d, "loaded", manifests[d].version, manifests[d].rows("events")) for d in DAYS]
        assert wh_articles == set().union(*(lake.article_ids(settings, d) for d in DAYS))
        import pyarrow.parquet as pq

        lake_events = {e for d in DAYS for f in manifests[d].files("events", settings)
                       for e in pq.read_table(f, columns=["event_id"]).column(0).to_pylist()}
        assert wh_events == lake_events and wh_events
        got = load.table_checksums(settings)
        if shared:  # every day's published version is the one on S3 too
            from pipeline.lake_s3 import S3Lake

            s3 = S3Lake.from_url("s3://envoy-lake/lake", topo.s3_endpoint)
            assert s3.published_days() == DAYS
            assert [s3.read_manifest(d)[0].version for d in DAYS] == [manifests[d].version for d in DAYS]
    finally:
        topo.stop()
    assert topo.alive() == []  # everything started was stopped
    figures["warehouse"] = warehouse
    print("TOPOLOGY " + json.dumps(figures, sort_keys=True))

    # and the three days at once built the warehouse the same days give one after another
    sequential = make_settings(tmp_path / "sequential")
    sequential.ensure_dirs()
    shutil.copytree(settings.landing, sequential.landing, dirs_exist_ok=True)
    seq = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--all"],
                         env={**os.environ, **al.envoy_env_from_settings(sequential)},
                         capture_output=True, text=True, timeout=1200)
    assert seq.returncode == 0, seq.stderr[-3000:]
    assert got == load.table_checksums(sequential)
