"""Wall time of one sample day through the envoy_daily DAG (``dag.test``), and how much of it is Airflow.

Everything runs in a throwaway folder: a fresh AIRFLOW_HOME (SQLite, migrated once, timed apart) and
fresh ENVOY_* data folders. The day runs ``--runs`` times in one child process: the first run pays
Airflow's in-process start-up (Execution API app, DAG bundle sync) and spaCy's model load, the later
ones show the steady state. Pipeline work = the sum of the seconds each stage reports (discover,
extract shards, validate, load, report); Airflow overhead = the DAG run's wall time minus that.

    .venv/bin/python benchmarks/bench_dag.py [--day 2025-08-14] [--runs 2] [--shards 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from pipeline import airflow_local as al
    from pipeline.config import Settings
    from pipeline.ingest import sample_landing

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--day", type=date.fromisoformat, help="sample day (default: the one with most files)")
    p.add_argument("--runs", type=int, default=2, help="runs of the day in one process (default 2)")
    p.add_argument("--shards", type=int, default=2, help="ENVOY_SHARDS (default 2)")
    p.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed after)")
    p.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = p.parse_args(argv)

    samples = {d.name: d for d in sample_landing().iterdir() if d.is_dir()}
    day = args.day or date.fromisoformat(max(sorted(samples), key=lambda n: len(list(samples[n].iterdir()))))
    work = args.dir or Path(tempfile.mkdtemp(prefix="envoy-bench-dag-"))
    try:
        settings = Settings(
            home=work,
            landing=work / "landing",
            lake=work / "lake",
            quarantine=work / "quarantine",
            reports=work / "reports",
            warehouse=work / "warehouse.duckdb",
            shards=args.shards,
        )
        settings.ensure_dirs()
        shutil.copytree(samples[day.isoformat()], settings.landing / day.isoformat(), dirs_exist_ok=True)
        env = {**al.airflow_env(work / "airflow_home"), **al.envoy_env_from_settings(settings)}

        t0 = time.perf_counter()
        al.migrate(env)
        migrate_s = time.perf_counter() - t0
        results = al.run_dag_tests(al.DAILY_DAG_ID, [day] * args.runs, env)
        rows = []
        for i, r in enumerate(results, 1):
            if r["state"] != "success":
                print(r["log"][-2500:], file=sys.stderr)
                print(f"run {i}: {r['state']} {r['tasks']}", file=sys.stderr)
                return 1
            stages = sum(r["stage_seconds"].values())
            found = r["outputs"]["discover.discovered"]
            rows.append(
                {
                    "run": i,
                    "day": r["day"],
                    "files": found["files"],
                    "articles": found["articles"],
                    "events": r["outputs"]["load"]["events"],
                    "dag_run_s": r["wall_seconds"],
                    "stages_s": round(stages, 3),
                    "airflow_overhead_s": round(r["wall_seconds"] - stages, 3),
                    "airflow_share": round((r["wall_seconds"] - stages) / r["wall_seconds"], 3),
                    "stage_seconds": r["stage_seconds"],
                }
            )
        out = {
            "migrate_s": round(migrate_s, 3),
            "process_s": results[0]["process_seconds"],
            "shards": args.shards,
            "runs": rows,
        }
        if args.json:
            print(json.dumps(out, indent=2))
            return 0
        print(
            f"envoy_daily on sample day {day} ({rows[0]['files']} files, {rows[0]['articles']} articles, "
            f"{rows[0]['events']} events), {args.shards} shards"
        )
        print(f"  airflow db migrate (once per AIRFLOW_HOME): {migrate_s:.1f} s")
        print(f"  child process wall, {args.runs} run(s) incl. Airflow import: {out['process_s']:.1f} s")
        for r in rows:
            label = "cold" if r["run"] == 1 else "warm"
            print(
                f"  run {r['run']} ({label}): DAG run {r['dag_run_s']:.1f} s"
                f" = pipeline stages {r['stages_s']:.1f} s"
                f" + Airflow overhead {r['airflow_overhead_s']:.1f} s ({100 * r['airflow_share']:.0f} %)"
            )
            detail = ", ".join(f"{k.split('.')[0]} {v:.2f}" for k, v in sorted(r["stage_seconds"].items()))
            print(f"      stages: {detail}")
        return 0
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
