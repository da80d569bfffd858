"""Parallel days are safe (issue 11): days that run at once give the warehouse they give one after another.

Each day is its own lake version, published by swapping the day's manifest; a day's ``discover`` reads
the earlier days through their manifests only, so a day being rewritten next to it is seen either
before or after its swap, never half gone. The lake-level test hammers that (no Airflow, fast); the
slow one runs three sample days as three concurrent ``dag.test`` processes and compares checksums with
the same days run one after another.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import traceback
from datetime import date
from pathlib import Path

import pytest

from pipeline import airflow_local as al
from tests.conftest import make_settings, run_processes

SAMPLES = Path(__file__).resolve().parents[1] / "pipeline" / "samples" / "landing"
DAYS = [date.fromisoformat(p.name) for p in sorted(SAMPLES.iterdir()) if p.is_dir()]


def copy_samples(landing: Path) -> None:
    for d in DAYS:
        shutil.copytree(SAMPLES / d.isoformat(), landing / d.isoformat())


def _republish(home: str, day: str, rounds: int, errors) -> None:
    """Stage and publish one day again and again (each round reads the earlier days)."""
    from pipeline import lake, stages

    settings = make_settings(Path(home))
    try:
        for _ in range(rounds):
            out = stages.discover_day(settings, date.fromisoformat(day), replace=True)
            lake.publish(settings, date.fromisoformat(day), out.version, replace=True)
            assert lake.published_days(settings, "articles")
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        errors.put(f"{day}: {traceback.format_exc()}")


def test_days_republished_at_once_never_break_each_others_discover(tmp_path):
    """Three processes republish three days 60 times each; every discover reads the others meanwhile."""
    settings = make_settings(tmp_path)
    settings.ensure_dirs()
    copy_samples(settings.landing)
    ctx = mp.get_context("spawn")
    errors = ctx.Queue()
    procs = [ctx.Process(target=_republish, args=(str(tmp_path), d.isoformat(), 60, errors)) for d in DAYS]
    run_processes(procs, errors)

    from pipeline import lake

    for d in DAYS:  # each day ends as one whole version, its older ones gone
        m = lake.read_manifest(settings, d)
        assert m is not None and all(f.exists() for t in m.tables for f in m.files(t, settings))
        on_disk = {p for t in m.tables for p in lake.partition_dir(t, settings, d).glob("part-*.parquet")}
        assert on_disk == {f for t in m.tables for f in m.files(t, settings)}
    assert not any((settings.lake / lake.STAGING).glob("*/*"))


def _homes(base: Path, n: int) -> list[dict[str, str]]:
    """n Airflow homes from one migrated SQLite DB (copies: concurrent dag.test runs share no DB file)."""
    first = al.airflow_env(base / "home0")
    proc = subprocess.run([sys.executable, "-m", "pipeline.airflow_local", "setup"],
                          env={**os.environ, **first}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    envs = [first]
    for i in range(1, n):
        home = base / f"home{i}"
        shutil.copytree(base / "home0", home)
        envs.append(al.airflow_env(home))
    return envs


@pytest.mark.slow
def test_three_days_at_once_give_the_warehouse_of_three_days_in_turn(tmp_path):
    from pipeline import load

    parallel, sequential = make_settings(tmp_path / "par"), make_settings(tmp_path / "seq")
    for s in (parallel, sequential):
        s.ensure_dirs()
        copy_samples(s.landing)
    envs = _homes(tmp_path / "airflow", len(DAYS))
    procs = [
        subprocess.Popen([sys.executable, "-m", "pipeline.airflow_local", "test", al.DAILY_DAG_ID,
                          d.isoformat()],
                         env={**os.environ, **env, **al.envoy_env_from_settings(parallel)},
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for d, env in zip(DAYS, envs, strict=True)
    ]
    outs = [p.communicate(timeout=1800)[0] for p in procs]
    for d, p, out in zip(DAYS, procs, outs, strict=True):
        assert p.returncode == 0, f"{d}:\n{out[-4000:]}"
        assert "FileNotFoundError" not in out
    # the same days one after another, in one process
    seq = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--all"],
                         env={**os.environ, **al.envoy_env_from_settings(sequential)},
                         capture_output=True, text=True, timeout=1800)
    assert seq.returncode == 0, seq.stdout[-2000:] + seq.stderr[-3000:]
    got, want = load.table_checksums(parallel), load.table_checksums(sequential)
    assert got == want and got["articles"][0] > 0 and got["events"][0] > 0
    runs = load.connect(parallel, read_only=True)
    with runs as con:
        assert sorted(con.execute("SELECT day, status FROM runs").fetchall()) == [(d, "loaded") for d in DAYS]
