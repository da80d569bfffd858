"""The run ledger (issue 10): one `runs` row per run, from start to end, also when the run dies; and
errors a user can act on end in one clear line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline import ledger, load
from pipeline.ledger import ExtractResult, Ledger, RunRecord
from tests.conftest import make_settings
from tests.test_run import ARTICLE_A, ARTICLE_B, write_day

DAY = date(2025, 8, 15)
ROOT = Path(__file__).resolve().parents[1]


def runs(settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute("SELECT run_id, status, error, pid, host FROM runs ORDER BY started_at").fetchall()


def envoy(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=600, cwd=ROOT, **kw)


def env_for(s) -> dict[str, str]:
    return {"ENVOY_HOME": str(s.home), "ENVOY_LANDING": str(s.landing), "ENVOY_LAKE": str(s.lake),
            "ENVOY_QUARANTINE": str(s.quarantine), "ENVOY_REPORTS": str(s.reports),
            "ENVOY_WAREHOUSE": str(s.warehouse), "ENVOY_SHARDS": "1"}


def test_the_row_follows_the_stages_and_counts_coding_errors(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    led = Ledger.start(s, DAY, "cli", landing="x")
    [(run_id, status, error, pid, host)] = runs(s)
    assert (status, error, pid) == ("running", None, os.getpid()) and host
    led.extracted([ExtractResult(shard=0, events=3, coding_errors=1), ExtractResult(shard=1, events=2)])
    resumed = Ledger.resume(s, run_id)
    assert (resumed.record.events, resumed.record.coding_errors) == (5, 1)
    assert resumed.record.started_at == led.record.started_at
    resumed.finish("loaded")
    assert ledger.record_failure(s, run_id, "too late") is False  # a final status is kept
    assert runs(s)[0][1:3] == ("loaded", None)
    with pytest.raises(ValueError, match="unknown run status"):
        RunRecord(run_id="r", day=DAY, started_at=led.record.started_at, status="done").row()


@pytest.mark.slow
def test_an_error_is_recorded_as_failed(tmp_path: Path, monkeypatch) -> None:
    from pipeline import stages

    s = make_settings(tmp_path)
    write_day(s.landing, DAY, {"a.txt": ARTICLE_A})

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(stages, "extract_shard", broken)
    with pytest.raises(RuntimeError):
        stages.run_day(s, DAY, build_report=False)
    [(_, status, error, _, _)] = runs(s)
    assert status == "failed" and error == "RuntimeError: disk on fire"


@pytest.mark.slow
def test_a_killed_run_is_marked_crashed_by_the_next_run(tmp_path: Path) -> None:
    """`kill -9` in the middle of a run: its row says `running` with its pid, and the next run on this
    host marks it `crashed`; the published lake and the warehouse are as before the killed run."""
    from pipeline import lake, stages

    s = make_settings(tmp_path)
    s.ensure_dirs()
    write_day(s.landing, DAY, {"a.txt": ARTICLE_A})
    stages.run_day(s, DAY, build_report=False)
    before = (load.table_counts(s, DAY), lake.read_manifest(s, DAY).version)
    write_day(s.landing, DAY, {"b.txt": ARTICLE_B})
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--day", DAY.isoformat(), "--no-report"]
    proc = subprocess.Popen(cmd, env={**os.environ, **env_for(s)}, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # non-interactive: the stages are logged as they start
            if ": extract " in line:
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    killed = runs(s)[-1]
    assert killed[1:4] == ("running", None, proc.pid)
    assert (load.table_counts(s, DAY), lake.read_manifest(s, DAY).version) == before

    later = stages.run_day(s, DAY, build_report=False)  # the same day again: the leftovers do not matter
    rows = {r[0]: r for r in runs(s)}
    assert rows[killed[0]][1] == "crashed"
    assert f"pid {proc.pid}" in rows[killed[0]][2]
    assert rows[later.run_id][1] == "loaded" and load.table_counts(s, DAY)["articles"] == 2


def test_bad_settings_end_in_one_line(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    for name, value in (("ENVOY_SHARDS", "two"), ("ENVOY_MAX_FILE_BYTES", "-5"), ("ENVOY_NLP_PROCESSES", "")):
        proc = envoy(["run", "--day", DAY.isoformat()], {**env_for(s), name: value})
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert name in proc.stderr and repr(value) in proc.stderr


def test_a_corrupt_warehouse_ends_in_one_line(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    s.ensure_dirs()
    write_day(s.landing, DAY, {"a.txt": ARTICLE_A})
    s.warehouse.write_bytes(b"this is not a DuckDB file" * 100)
    for args in (["run", "--day", DAY.isoformat()], ["query", "SELECT 1"]):
        proc = envoy(args, env_for(s))
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "cannot be read" in proc.stderr and str(s.warehouse) in proc.stderr


def test_a_locked_warehouse_ends_in_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    from pipeline.cli import main
    from pipeline.commands import query

    s = make_settings(tmp_path)
    with load.connect(s):
        pass
    holder = textwrap.dedent(f"""
        import duckdb, time
        con = duckdb.connect({str(s.warehouse)!r})
        print("locked", flush=True)
        time.sleep(30)
    """)
    p = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "locked"
        monkeypatch.setattr(query, "LOCK_TIMEOUT", 0.5)
        code = main(["query", "SELECT 1", "--warehouse", str(s.warehouse)])
        err = capsys.readouterr().err
    finally:
        p.kill()
        p.wait(timeout=30)
    assert code == 1 and "locked by another process" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
