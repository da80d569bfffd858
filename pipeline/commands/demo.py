"""``envoy demo``: the daily Airflow DAG on the bundled sample days, in this process (``make run``).

Sets up a self-contained Airflow (SQLite metadata under ``<ENVOY_HOME>/airflow_home``, the project's
``dags/`` folder, the ``envoy_duckdb`` pool), seeds the landing root with the sample days, runs
``envoy_daily`` with ``dag.test`` for each of them, then says where the outputs are and answers one
relations query from the warehouse.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pipeline.commands.arguments import day_arg

TOP_DYADS_SQL = """
SELECT source_actor, target_actor, count(*) AS events, round(avg(goldstein), 2) AS mean_goldstein
FROM events
GROUP BY source_actor, target_actor
ORDER BY events DESC, mean_goldstein, source_actor, target_actor
LIMIT ?
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="run the envoy_daily Airflow DAG on the bundled sample days (what `make run` does)",
        description=(
            "Set up a local Airflow (SQLite metadata in AIRFLOW_HOME, default <ENVOY_HOME>/airflow_home; "
            "the project's dags/ folder; the one-slot envoy_duckdb pool), copy the bundled sample landing "
            "days into the landing root where absent, run the envoy_daily DAG in-process (dag.test) for "
            "each sample day, then print where the Parquet lake, the DuckDB warehouse, the Data Docs and "
            "the relations report are, and the top dyads by event count."
        ),
    )
    p.add_argument(
        "--day",
        type=day_arg,
        action="append",
        help="run only this sample/landing day YYYY-MM-DD (repeatable; default: every sample day)",
    )
    p.add_argument("--top", type=int, default=5, help="rows of the relations query to print (default 5)")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="show Airflow's task logs (default: to a file per day)"
    )
    p.set_defaults(func=handle)


def seed_sample_days(landing: Path) -> tuple[list[date], list[date]]:
    """Copy each bundled sample day missing from ``landing``; return (all sample days, those copied)."""
    from pipeline.ingest import sample_landing

    days, copied = [], []
    for src in sorted(sample_landing().iterdir()):
        try:
            day = date.fromisoformat(src.name)
        except ValueError:
            continue
        if not src.is_dir():
            continue
        days.append(day)
        if not (landing / src.name).exists():
            shutil.copytree(src, landing / src.name)
            copied.append(day)
    return days, copied


@contextmanager
def _output_to(path: Path | None):
    """Send this process's stdout/stderr (Airflow's task logs included) to ``path`` for a while."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(path, "ab") as fh:
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def _rel(path: Path | str) -> str:
    p = Path(path)
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def top_dyads(warehouse: Path, limit: int = 5) -> list[tuple]:
    """Top dyads by event count with mean Goldstein, read-only (never blocks a writer for long)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(TOP_DYADS_SQL, [limit]).fetchall()
    finally:
        con.close()


def _day_line(result: dict) -> str:
    found = result["outputs"].get("discover.discovered") or {}
    loaded = result["outputs"].get("load") or {}
    failed = sorted(k for k, v in result["tasks"].items() if v == "failed")
    parts = [
        f"{found.get('files', '?')} files",
        f"{found.get('articles', '?')} articles",
        f"{found.get('quarantined', 0)} quarantined",
        f"{loaded.get('events', 0)} events loaded" if loaded else "nothing loaded",
    ]
    tail = f"  failed task(s): {', '.join(failed)}" if failed else ""
    return f"{result['state']:<8} " + ", ".join(parts) + f"  ({result['wall_seconds']:.1f} s){tail}"


def failed_expectations(warehouse: Path, day: date) -> list[str]:
    """The failed expectations the latest run of ``day`` recorded (the validate task's log has them too)."""
    import json

    import duckdb

    if not warehouse.exists():
        return []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT failed_expectations FROM runs WHERE day = ? ORDER BY started_at DESC LIMIT 1", [day]
        ).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    try:
        return list(json.loads(rows[0][0] or "[]")) if rows else []
    except ValueError:
        return [str(rows[0][0])]


def handle(args: argparse.Namespace) -> int:
    from pipeline import airflow_local as al
    from pipeline.config import load_settings

    settings = load_settings()
    settings.ensure_dirs()
    home = Path(os.environ.get("AIRFLOW_HOME") or settings.home / "airflow_home")
    env = {k: v for k, v in al.airflow_env(home).items() if k == "PATH" or k not in os.environ}
    env.update({k: v for k, v in al.envoy_env_from_settings(settings).items() if k not in os.environ})
    os.environ.update(env)  # before Airflow is first imported: it reads its configuration once

    print(f"Airflow home {_rel(home)} (SQLite metadata), DAGs from {_rel(al.dags_folder())}")
    t0 = time.perf_counter()
    env_now = {k: os.environ[k] for k in ("AIRFLOW_HOME", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")}
    if al.migrate(env_now):
        print(f"  metadata DB migrated ({time.perf_counter() - t0:.1f} s)")
    logs = home / "logs" / "demo"
    with _output_to(None if args.verbose else logs / "setup.log"):
        al.ensure_pool()
    print(f"  pool {al.DUCKDB_POOL}: 1 slot")

    sample_days, copied = seed_sample_days(settings.landing)
    if copied:
        print(f"  seeded {len(copied)} sample day(s) into {_rel(settings.landing)}")
    days = sorted(args.day) if args.day else sample_days
    if not days:
        print("no sample days bundled and no --day given", file=sys.stderr)
        return 2

    ok = True
    report_path = docs_path = None
    for day in days:
        log_file = None if args.verbose else logs / f"{day.isoformat()}.log"
        print(f"envoy_daily {day}: running ...", flush=True)
        with _output_to(log_file):
            result = al.run_dag_here(al.DAILY_DAG_ID, day)
        print(f"envoy_daily {day}: {_day_line(result)}" + (f"  log: {_rel(log_file)}" if log_file else ""))
        if result["tasks"].get("validate") == "failed":
            for failure in failed_expectations(settings.warehouse, day):
                print(f"    validation failed, nothing loaded: {failure}")
        ok = ok and result["state"] == "success"
        report_path = (result["outputs"].get("report") or {}).get("path") or report_path
        docs_path = (result["outputs"].get("validate") or {}).get("docs_index") or docs_path

    print("\nOutputs")
    rows = [
        ("Parquet lake", settings.lake),
        ("DuckDB warehouse", settings.warehouse),
        ("Data Docs", docs_path or settings.data_docs / "index.html"),
        ("Relations report", report_path or settings.relations_reports / "index.html"),
        ("Quarantine", settings.quarantine),
        ("Airflow task logs", logs if not args.verbose else home / "logs"),
    ]
    for label, path in rows:
        print(f"  {label:<18} {_rel(path)}")

    if settings.warehouse.exists():
        print(f"\nTop dyads by event count (mean Goldstein), from {_rel(settings.warehouse)}:")
        from pipeline.commands.output import print_table

        print_table(["source", "target", "events", "goldstein"], top_dyads(settings.warehouse, args.top))
        print('(more: envoy query "SELECT ..." or envoy relations A B)')
    return 0 if ok else 1
