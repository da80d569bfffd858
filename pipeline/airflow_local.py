"""Run the envoy DAGs with a local Airflow: environment, metadata DB, pool, and ``dag.test`` runs.

Used by ``envoy demo``, the DAG tests and the DAG benchmark. The DAG files import only the constants
and :func:`day_for_run` from here, so this module must not import Airflow at top level.

``dag.test`` runs every task in this process, one at a time, in dependency order; mapped tasks are
expanded by the same ``DagRun.update_state`` the scheduler uses, so each shard still runs as its own
task instance. One task at a time trivially honours the one-slot ``envoy_duckdb`` pool; the pool is
created anyway so that the same metadata DB works for ``airflow standalone`` or a real scheduler.

Command line (one isolated process per run, used by the tests)::

    eval "$(python -m pipeline.airflow_local env [PORT])"  # export the local Airflow + ENVOY_* env
    python -m pipeline.airflow_local setup              # migrate the metadata DB (if needed) + pool
    python -m pipeline.airflow_local test envoy_daily 2025-08-13 [2025-08-14 ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

DAILY_DAG_ID = "envoy_daily"
REPORTS_DAG_ID = "envoy_reports"
DUCKDB_POOL = "envoy_duckdb"
WAREHOUSE_ASSET_URI = "envoy://warehouse"
RESULT_PREFIX = "ENVOY_DAG_RESULT "
#: Where a local API server listens (not "localhost", which may resolve to ::1 first).
LOCAL_HOST = "127.0.0.1"
_MARKER = ".envoy-db-migrated"


def dags_folder() -> Path:
    """The project's ``dags/`` folder (the repo's, for an editable install), or ``$ENVOY_DAGS``."""
    override = os.environ.get("ENVOY_DAGS")
    if override:
        return Path(override).expanduser().resolve()
    import pipeline

    return Path(pipeline.__file__).resolve().parents[1] / "dags"


def airflow_env(home: Path, parallelism: int = 2, api_port: int = 8080) -> dict[str, str]:
    """Environment overrides for a self-contained local Airflow under ``home`` (SQLite metadata).

    Merge into ``os.environ`` (or a copy of it) *before* Airflow is imported: Airflow reads its
    configuration once, at import. ``api_port`` matters only for a real scheduler (``airflow
    standalone``): its task processes reach the API server's execution API on that port.
    """
    home = Path(home).expanduser().resolve()
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": str(parallelism),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(parallelism),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "30",
        "AIRFLOW__API__HOST": LOCAL_HOST,  # the UI/API of `airflow standalone`: this machine only
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://{LOCAL_HOST}:{api_port}/execution/",
        "GX_ANALYTICS_ENABLED": "False",
        "PATH": path if bin_dir in path.split(os.pathsep) else f"{bin_dir}{os.pathsep}{path}",
    }


def envoy_env_from_settings(settings: Any) -> dict[str, str]:
    """The ENVOY_* variables that reproduce ``settings`` in another process (absolute paths)."""
    return {
        "ENVOY_HOME": str(settings.home),
        "ENVOY_LANDING": str(settings.landing),
        "ENVOY_LAKE": str(settings.lake),
        "ENVOY_QUARANTINE": str(settings.quarantine),
        "ENVOY_REPORTS": str(settings.reports),
        "ENVOY_WAREHOUSE": settings.warehouse_url or str(settings.warehouse),
        "ENVOY_SHARDS": str(settings.shards),
        "ENVOY_MAX_FILE_BYTES": str(settings.max_file_bytes),
        "ENVOY_SPACY_MODEL": settings.spacy_model,
        "ENVOY_NLP_PROCESSES": str(settings.nlp_processes),
        **{k: v for k, v in (settings.extra or {}).items() if k.startswith("ENVOY_")},
    }


def day_for_run(context: Mapping[str, Any]) -> date:
    """The landing day a DAG run processes: the ``day`` param (trigger form or ``conf["day"]``) if given,
    else the logical date's UTC date.

    With the daily data-interval schedule the logical date is the start of the day the run covers,
    so the scheduled run after midnight and a backfill both pick that day's folder. A manual run
    without a logical date falls back to the run's ``run_after`` date.
    """
    dag_run = context.get("dag_run")
    conf = getattr(dag_run, "conf", None) or {}
    chosen = conf.get("day") or (context.get("params") or {}).get("day")
    if chosen:
        return date.fromisoformat(str(chosen))
    for key in ("logical_date", "data_interval_start"):
        value = context.get(key)
        if value is not None:
            return _utc_date(value)
    run_after = getattr(dag_run, "run_after", None)
    return _utc_date(run_after) if run_after is not None else datetime.now(UTC).date()


def _utc_date(value: datetime) -> date:
    return (value.astimezone(UTC) if value.tzinfo else value).date()


# --- metadata DB and pool -------------------------------------------------------------------------


def _marker_text(env: Mapping[str, str]) -> str:
    from importlib.metadata import version

    return f"{version('apache-airflow-core')} {env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN']}"


def is_migrated(env: Mapping[str, str]) -> bool:
    """Fast path: this home's SQLite DB was migrated by this Airflow version (no Airflow import)."""
    home = Path(env["AIRFLOW_HOME"])
    marker = home / _MARKER
    return (
        (home / "airflow.db").exists() and marker.exists() and marker.read_text().strip() == _marker_text(env)
    )


def migrate(env: Mapping[str, str], force: bool = False) -> bool:
    """``airflow db migrate`` in a child process, unless already done; returns True if it ran."""
    if not force and is_migrated(env):
        return False
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    (home / _MARKER).write_text(_marker_text(env))
    return True


def ensure_pool(slots: int = 1) -> None:
    """Create (or resize) the ``envoy_duckdb`` pool in the metadata DB this process is configured for."""
    from airflow.models.pool import Pool

    Pool.create_or_update_pool(
        DUCKDB_POOL,
        slots=slots,
        description="DuckDB has one writer: envoy loads run one at a time",
        include_deferred=False,
    )


def setup(env: Mapping[str, str]) -> None:
    """Migrate if needed and create the pool, for the Airflow configured by ``env`` (in this process)."""
    migrate(env)
    os.environ.update(env)
    ensure_pool()


# --- running a DAG --------------------------------------------------------------------------------


def load_dag(dag_id: str):
    """Parse the DAG folder and return one DAG; raises with the import errors if it is missing."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(dags_folder()))
    dag = bag.dags.get(dag_id)
    if dag is None:
        raise RuntimeError(f"DAG {dag_id!r} not found in {dags_folder()}; import errors: {bag.import_errors}")
    return dag


def run_dag_here(dag_id: str, day: date) -> dict:
    """``dag.test`` for the run whose logical date is ``day`` (midnight UTC), in this process.

    Airflow must already be configured for a migrated metadata DB (see :func:`setup`). Returns the
    run's state, each task instance's state and the stage seconds the tasks reported.
    """
    from airflow.models.asset import AssetDagRunQueue, AssetEvent, AssetModel
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    dag = load_dag(dag_id)
    t0 = time.perf_counter()
    dr = dag.test(logical_date=datetime(day.year, day.month, day.day, tzinfo=UTC))
    wall = time.perf_counter() - t0
    tasks: dict[str, str] = {}
    outputs: dict[str, Any] = {}
    with create_session() as session:
        for ti in dr.get_task_instances(session=session):
            key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
            tasks[key] = str(ti.state.value if hasattr(ti.state, "value") else ti.state)
        rows = session.query(XComModel).filter(XComModel.dag_id == dag_id, XComModel.run_id == dr.run_id)
        for row in rows:
            key = row.task_id if row.map_index < 0 else f"{row.task_id}[{row.map_index}]"
            if row.key != "return_value":
                key = f"{key}.{row.key}"
            outputs[key] = _xcom_value(row.value)
        asset_events = [
            f"{task_id}:{uri}"
            for task_id, uri in session.query(AssetEvent.source_task_id, AssetModel.uri)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .filter(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == dr.run_id)
        ]
        queued = sorted({q.target_dag_id for q in session.query(AssetDagRunQueue)})
    stage_seconds = {
        k: float(v["seconds"]) for k, v in outputs.items() if isinstance(v, dict) and "seconds" in v
    }
    state = dr.state.value if hasattr(dr.state, "value") else str(dr.state)
    return {
        "dag_id": dag_id,
        "day": day.isoformat(),
        "run_id": dr.run_id,
        "state": state,
        "tasks": dict(sorted(tasks.items())),
        "outputs": outputs,
        "stage_seconds": stage_seconds,
        "asset_events": asset_events,  # "<task>:<uri>" published by this run
        "queued_asset_dags": queued,  # DAGs a scheduler would now start because of asset events
        "wall_seconds": round(wall, 3),
    }


def _xcom_value(raw: Any) -> Any:
    """XCom values are stored JSON-serialised; decode them best-effort for reporting."""
    if isinstance(raw, bytes | str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def run_dag_test(dag_id: str, day: date, env: Mapping[str, str], timeout: float = 900) -> dict:
    """Run :func:`run_dag_here` in a fresh child process with ``env`` (Airflow + ENVOY_* overrides).

    A child per run keeps Airflow's import-time configuration isolated from the caller (pytest).
    The result dict also carries ``log``: the child's combined output, for assertions and debugging.
    """
    return run_dag_tests(dag_id, [day], env, timeout)[0]


def run_dag_tests(dag_id: str, days: list[date], env: Mapping[str, str], timeout: float = 1800) -> list[dict]:
    """Like :func:`run_dag_test` for several days in turn, in one child process (pays Airflow's start-up
    once); each result also has ``process_seconds``, the child's whole wall time."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.airflow_local", "test", dag_id, *(d.isoformat() for d in days)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    elapsed = round(time.perf_counter() - t0, 3)
    log = proc.stdout + "\n" + proc.stderr
    results = [
        json.loads(line[len(RESULT_PREFIX) :])
        for line in proc.stdout.splitlines()
        if line.startswith(RESULT_PREFIX)
    ]
    if len(results) != len(days):
        raise RuntimeError(
            f"dag test of {dag_id} {days}: {len(results)} result(s), exit {proc.returncode}:\n{log[-6000:]}"
        )
    for result in results:
        result.update(log=log, returncode=proc.returncode, process_seconds=elapsed)
    return results


def shell_exports(api_port: int = 8080) -> str:
    """``export`` lines for a shell: the local Airflow (``$AIRFLOW_HOME`` or ``<ENVOY_HOME>/airflow_home``)
    and the resolved ENVOY_* settings, so ``airflow standalone`` tasks see the same data folders."""
    import shlex

    from pipeline.config import load_settings

    settings = load_settings()
    home = Path(os.environ.get("AIRFLOW_HOME") or settings.home / "airflow_home")
    env = {**airflow_env(home, api_port=api_port), **envoy_env_from_settings(settings)}
    return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in env.items())


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.airflow_local setup | test DAG_ID DAY [DAY ...]``, environment as given."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in {"env", "setup", "test"}:
        print(__doc__)
        return 2
    if args[0] == "env":
        print(shell_exports(int(args[1]) if len(args) > 1 else 8080))
        return 0
    env = {k: v for k, v in os.environ.items() if k.startswith("AIRFLOW") or k == "PATH"}
    if "AIRFLOW_HOME" not in env:
        print("AIRFLOW_HOME is not set", file=sys.stderr)
        return 2
    env.setdefault(
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{Path(env['AIRFLOW_HOME']) / 'airflow.db'}"
    )
    setup(env)
    if args[0] == "setup":
        return 0
    ok = True
    for day in args[2:]:
        result = run_dag_here(args[1], date.fromisoformat(day))
        print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)
        ok = ok and result["state"] == "success"
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
