"""Shared fixtures: every test gets its own data folders; nothing touches the repo's data/."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

SHARED = Path(__file__).resolve().parents[2] / "shared"


def gx_project_with(dest: Path, table: str, expectation: dict) -> Path:
    """A copy of the committed GE project (``gx/``) at ``dest`` whose suite for ``table`` gains one
    expectation in GE's JSON (``type``, ``kwargs``, ``meta.name``, ``meta.scope``); point
    ``ENVOY_GX_PROJECT`` at it. The suites are data: tests change them the way a user would."""
    import json
    import shutil

    from pipeline import validate

    shutil.copytree(validate.project_dir(), dest, ignore=shutil.ignore_patterns("uncommitted"))
    path = dest / "expectations" / f"envoy_{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"].append(expectation)
    path.write_text(json.dumps(suite, indent=2), encoding="utf-8")
    return dest


def make_settings(tmp_path: Path):
    """Settings whose every path lies under ``tmp_path`` (folders not created)."""
    from pipeline.config import Settings

    return Settings(
        home=tmp_path,
        landing=tmp_path / "landing",
        lake=tmp_path / "lake",
        quarantine=tmp_path / "quarantine",
        reports=tmp_path / "reports",
        warehouse=tmp_path / "warehouse.duckdb",
        shards=2,
    )


@pytest.fixture
def settings(tmp_path: Path):
    """Settings whose every path lies under this test's tmp_path, folders created."""
    s = make_settings(tmp_path)
    s.ensure_dirs()
    return s


@pytest.fixture
def envoy_env(settings, monkeypatch):
    """Point the ENVOY_* environment at the test's settings (for CLI and Airflow tests)."""
    for name, value in {
        "ENVOY_HOME": settings.home,
        "ENVOY_LANDING": settings.landing,
        "ENVOY_LAKE": settings.lake,
        "ENVOY_QUARANTINE": settings.quarantine,
        "ENVOY_REPORTS": settings.reports,
        "ENVOY_WAREHOUSE": settings.warehouse,
        "ENVOY_SHARDS": settings.shards,
    }.items():
        monkeypatch.setenv(name, str(value))
    return settings


CODER_PUB = date(2025, 3, 12)  # a Wednesday: when the coder tests' sentences are "published"


@pytest.fixture(scope="module")
def code():
    """Code one text published on CODER_PUB with one Coder per test module."""
    pytest.importorskip("spacy")
    from pipeline.extract.coder import Coder, code_text

    coder = Coder()
    return lambda text: code_text(text, CODER_PUB, coder=coder)


def triples(rows: list[dict]) -> set[tuple[str, str, str]]:
    """The scoring rule's view of coder output: unique (source, target, root)."""
    return {(r["source_actor"], r["target_actor"], r["cameo_root"]) for r in rows}


def run_processes(procs: list, errors) -> None:
    """Start the processes of a concurrency test, wait for them (5 min each at most) and fail with the first
    errors they queued (each puts a traceback on ``errors``) or a non-zero exit."""
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == [] and all(p.exitcode == 0 for p in procs), failures[:2]
