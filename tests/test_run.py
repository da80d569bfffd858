"""End to end through the real stages: ingest -> spaCy coder -> Parquet -> GE -> DuckDB."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import gx_project_with

DAY = date(2025, 8, 15)

ARTICLE_A = (
    " date 2025-08-15 French President Emmanuel Macron spoke by phone with German Chancellor "
    "Friedrich Merz on Thursday about aid to Ukraine.\n\n"
    "Russian forces launched air strikes on Ukraine on Wednesday, officials in Kyiv said.\n"
)
ARTICLE_B = (
    " date 2025-08-15 Japan protested to China on Friday over a coast guard incident near disputed "
    "islands.\n\nThe Japanese foreign ministry summoned the Chinese ambassador.\n"
)


def write_day(landing: Path, day: date, files: dict[str, str | bytes]) -> Path:
    folder = landing / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        p = folder / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def table_rows(warehouse: Path, table: str, order: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return (
            con.execute(f"SELECT * EXCLUDE (ingested_at) FROM {table} ORDER BY {order}").fetchall()
            if table == "articles"
            else con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        )
    finally:
        con.close()


@pytest.mark.slow
def test_run_day_loads_events_and_is_idempotent(settings):
    from pipeline.stages import run_day

    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B})
    first = run_day(settings, DAY, build_report=False)
    assert first.status == "loaded"
    assert first.articles == 2 and first.validation_success
    events1 = table_rows(settings.warehouse, "events", "event_id")
    articles1 = table_rows(settings.warehouse, "articles", "article_id")
    assert len(articles1) == 2
    assert len(events1) == first.events > 0
    # every event keeps its evidence sentence and resolves to registry actor codes
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    dyads = {(s, t) for s, t in con.execute("SELECT source_actor, target_actor FROM events").fetchall()}
    con.close()
    assert ("RUS", "UKR") in dyads

    second = run_day(settings, DAY, build_report=False)
    assert second.events == first.events
    assert table_rows(settings.warehouse, "events", "event_id") == events1
    assert table_rows(settings.warehouse, "articles", "article_id") == articles1
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    runs = con.execute("SELECT status, validation_success FROM runs ORDER BY started_at").fetchall()
    con.close()
    assert runs == [("loaded", True), ("loaded", True)]


@pytest.mark.slow
def test_same_article_on_a_later_day_is_stored_once(settings):
    from pipeline.stages import run_day

    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    later = date(2025, 8, 16)
    write_day(
        settings.landing, later, {"copy-of-a.txt": ARTICLE_A.replace("\n\n", "\n\n\n"), "b.txt": ARTICLE_B}
    )
    run_day(settings, DAY, build_report=False)
    summary = run_day(settings, later, build_report=False)
    assert summary.duplicates == 1 and summary.articles == 1
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    n_articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    reasons = con.execute("SELECT reason FROM quarantine WHERE ingest_date = DATE '2025-08-16'").fetchall()
    con.close()
    assert n_articles == 2
    assert reasons == [("duplicate",)]


@pytest.mark.slow
def test_bad_files_are_quarantined_and_the_rest_loads(settings):
    from pipeline.stages import run_day

    write_day(
        settings.landing,
        DAY,
        {
            "a.txt": ARTICLE_A,
            "garbage.bin.txt": b"\x00\x01\x02\xff" * 50,
            "empty.txt": "",
            "broken.json": "{",
        },
    )
    summary = run_day(settings, DAY, build_report=False)
    assert summary.articles == 1 and summary.quarantined == 3
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    reasons = sorted(r for (r,) in con.execute("SELECT reason FROM quarantine").fetchall())
    con.close()
    assert reasons == ["binary", "empty", "malformed_json"]
    assert all((settings.landing / DAY.isoformat() / n).exists() for n in ("garbage.bin.txt", "empty.txt"))


@pytest.mark.slow
def test_implausible_dates_quarantine_those_articles_and_the_rest_loads(settings):
    """Dates that parse but are implausible (1066, 2999, next month) break an article-level
    expectation: each such article moves to quarantine with its events, naming its file, the
    expectation and the value, and the day's other articles load."""
    import json as json_mod
    from datetime import timedelta

    from pipeline.stages import run_day

    next_month = (date.today() + timedelta(days=40)).isoformat()
    bad = {"hastings.txt": "1066-10-14", "future.txt": "2999-01-01", "soon.txt": next_month}
    files = {name: ARTICLE_B.replace("2025-08-15", when).replace("Friday", f"Friday ({name})")
             for name, when in bad.items()}
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A, **files})
    summary = run_day(settings, DAY, build_report=False)
    assert summary.status == "loaded" and summary.validation_success
    assert (summary.articles, summary.rejected, summary.quarantined) == (1, 3, 3)
    assert summary.accounted()
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    kept = con.execute("SELECT source_file FROM articles").fetchall()
    sql = "SELECT file, reason, detail, expectation, payload FROM quarantine ORDER BY file"
    q = con.execute(sql).fetchall()
    stray = con.execute(f"SELECT count(*) FROM events WHERE source_file <> '{DAY}/a.txt'").fetchall()
    con.close()
    assert kept == [(f"{DAY}/a.txt",)] and stray == [(0,)]
    assert [(f, r) for f, r, *_ in q] == [(f"{DAY}/{n}", "failed_expectation") for n in sorted(bad)]
    for file, _, detail, expectation, payload in q:
        assert "publication_date plausible" in expectation and bad[file.split("/")[-1]] in detail
        moved = json_mod.loads(payload)
        assert moved["article"]["source_file"] == file and "Japan" in moved["text"]
        assert moved["events"] and all(e["source_file"] == file for e in moved["events"])


def _with_batch_expectation(monkeypatch, where: Path,
                            name: str = "articles.at most one article per day (test)") -> str:
    """The real suites plus one batch-level expectation that a two-article day breaks (GE runs for real):
    a copy of the GE project under ``where``, named by ``ENVOY_GX_PROJECT``."""
    rule = {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 0, "max_value": 1},
            "meta": {"name": name, "scope": "batch"}}
    monkeypatch.setenv("ENVOY_GX_PROJECT", str(gx_project_with(where / "gx_project", "articles", rule)))
    return name


@pytest.mark.slow
def test_batch_level_failure_publishes_and_loads_nothing(settings, monkeypatch):
    """A batch-level failure leaves the published lake day and the warehouse exactly as they were."""
    from pipeline import lake
    from pipeline.stages import ValidationFailed, run_day

    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    run_day(settings, DAY, build_report=False)
    before = table_rows(settings.warehouse, "events", "event_id")
    published = lake.read_manifest(settings, DAY)
    name = _with_batch_expectation(monkeypatch, settings.home)
    write_day(settings.landing, DAY, {"b.txt": ARTICLE_B})
    with pytest.raises(ValidationFailed) as exc:
        run_day(settings, DAY, build_report=False)
    assert name in str(exc.value)
    assert table_rows(settings.warehouse, "events", "event_id") == before
    assert lake.read_manifest(settings, DAY) == published  # the same version, still whole
    assert not (settings.lake / lake.STAGING / DAY.isoformat()).exists()  # the failed batch was discarded
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    failed = con.execute("SELECT status, failed_expectations, error FROM runs ORDER BY started_at").fetchall()
    con.close()
    assert [f[0] for f in failed] == ["loaded", "validation_failed"]
    assert name in failed[1][1] and failed[1][2].startswith("validation failed")


@pytest.mark.slow
def test_cli_run_exits_nonzero_and_names_failed_expectations(envoy_env, monkeypatch, capsys):
    from pipeline.cli import main

    settings = envoy_env
    name = _with_batch_expectation(monkeypatch, settings.home)
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B})
    code = main(["run", "--day", DAY.isoformat(), "--no-report", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert "validation failed" in err and name in err and "Traceback" not in err


@pytest.mark.slow
def test_cli_run_prints_summary(envoy_env):
    settings = envoy_env
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", "--day", DAY.isoformat(), "--no-report"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "validation   passed" in proc.stdout
    assert str(settings.warehouse) in proc.stdout
    q = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "query",
            "SELECT count(*) AS n FROM articles",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert q.returncode == 0, q.stderr
    assert json.loads(q.stdout)[0]["n"] == 1


# A forked pool closed the way the coder closes it (``with Pool()``: terminate, i.e. SIGTERM, then join),
# in a process with the SIGTERM handler Airflow 3's task runner installs (it returns at once in a child).
_POOL_UNDER_AIRFLOW_HANDLER = r"""
import multiprocessing as mp, os, signal, sys
from pipeline.extract.batch import workers_stop_on_sigterm
parent = os.getpid()
def on_term(signum, frame):
    if os.getpid() != parent:
        return
signal.signal(signal.SIGTERM, on_term)
def pools(rounds):
    for _ in range(rounds):
        with mp.get_context("fork").Pool(2) as pool:
            assert list(pool.imap(abs, range(-8, 0))) == list(range(8, 0, -1))
if sys.argv[1] == "fixed":
    with workers_stop_on_sigterm():
        pools(int(sys.argv[2]))
    assert signal.getsignal(signal.SIGTERM) is on_term
else:
    pools(int(sys.argv[2]))
print("closed")
"""


def _pools_close(mode: str, rounds: int, timeout: float) -> bool:
    """True if ``rounds`` pools open and close in a child within ``timeout`` s (the child's whole process
    group is killed otherwise: its hung workers would ignore SIGTERM)."""
    import os
    import signal

    proc = subprocess.Popen([sys.executable, "-c", _POOL_UNDER_AIRFLOW_HANDLER, mode, str(rounds)],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return False
    return proc.returncode == 0 and "closed" in out


def test_coding_workers_stop_when_their_pool_closes_under_airflows_sigterm_handler():
    assert _pools_close("fixed", 40, timeout=120)
