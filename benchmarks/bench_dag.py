"""Wall time of one day through the envoy_daily DAG (``dag.test``), each stage's time, and Airflow's share.

Everything runs in a throwaway folder: a fresh AIRFLOW_HOME (SQLite, migrated once, timed apart) and
fresh ENVOY_* data folders. The day runs ``--runs`` times in one child process: the first run pays
Airflow's in-process start-up (Execution API app, DAG bundle sync) and spaCy's model load, the later
ones show the steady state. Pipeline work = the sum of the seconds each stage reports (discover,
extract shards, validate, load, report); Airflow overhead = the DAG run's wall time minus that.

    .venv/bin/python benchmarks/bench_dag.py [--day 2025-08-14] [--runs 2] [--shards 2] [--json]
    .venv/bin/python benchmarks/bench_dag.py --articles 10000 [--corpus ../shared/corpus] [--processes 2]

``--articles N`` lands a day of N articles built in the work folder from the real-news corpus: its files
repeated under distinct names, each repeat with a last paragraph naming its copy number (the ingest
stage drops an article it has seen under another name, so a plain copy would not be coded; the
pre-filter drops the added paragraph, so each copy costs the coder what its original does). The corpus
texts are research-only: they are read from ``../shared`` and written only to the temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_STAGE_ORDER = {"discover": 0, "extract": 1, "validate": 2, "load": 3, "report": 4}


def _stage_key(item: tuple[str, float]) -> tuple[int, str]:
    return _STAGE_ORDER.get(item[0].split(".")[0].split("[")[0], 9), item[0]


def land_corpus_day(corpus: Path, folder: Path, n: int) -> None:
    """``n`` landing files from the corpus, repeated under distinct names (see the module doc)."""
    files = sorted(corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"no corpus articles in {corpus}")
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        src, copy = files[k % len(files)], k // len(files)
        text = src.read_text(encoding="utf-8")
        if copy:
            text = text.rstrip("\n") + f"\n\nCopy {copy}.\n"
        (folder / f"c{copy:02d}_{src.name}").write_text(text, encoding="utf-8")


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
    p.add_argument("--articles", type=int, help="a day of this many corpus articles instead of a sample day")
    p.add_argument("--corpus", type=Path, default=CORPUS, help="folder of corpus articles (with --articles)")
    p.add_argument("--processes", type=int, default=2, help="ENVOY_NLP_PROCESSES: coding processes per shard")
    args = p.parse_args(argv)
    if args.articles and args.runs == 2 and "--runs" not in (argv or sys.argv):
        args.runs = 1

    samples = {d.name: d for d in sample_landing().iterdir() if d.is_dir()}
    if args.articles:
        day = args.day or date(2025, 8, 14)
    else:
        biggest = max(sorted(samples), key=lambda n: len(list(samples[n].iterdir())))
        day = args.day or date.fromisoformat(biggest)
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
            nlp_processes=args.processes,
        )
        settings.ensure_dirs()
        if args.articles:
            t0 = time.perf_counter()
            land_corpus_day(args.corpus, settings.landing / day.isoformat(), args.articles)
            print(f"landed {args.articles} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        else:
            shutil.copytree(samples[day.isoformat()], settings.landing / day.isoformat(), dirs_exist_ok=True)
        env = {**al.airflow_env(work / "airflow_home"), **al.envoy_env_from_settings(settings)}

        t0 = time.perf_counter()
        al.migrate(env)
        migrate_s = time.perf_counter() - t0
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        results = al.run_dag_tests(al.DAILY_DAG_ID, [day] * args.runs, env)
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # the child and every process it reaped (the coding workers): CPU is what the load cannot inflate
        cpu_s = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
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
            "process_cpu_s": round(cpu_s, 1),
            "shards": args.shards,
            "processes": args.processes,
            "load_1min": round(os.getloadavg()[0], 2),
            "runs": rows,
        }
        if args.json:
            print(json.dumps(out, indent=2))
            return 0
        what = "corpus day" if args.articles else "sample day"
        print(
            f"envoy_daily on {what} {day} ({rows[0]['files']} files, {rows[0]['articles']} articles, "
            f"{rows[0]['events']} events), {args.shards} shards x {args.processes} coding processes, "
            f"load average {out['load_1min']}"
        )
        print(f"  airflow db migrate (once per AIRFLOW_HOME): {migrate_s:.1f} s")
        print(f"  child process wall, {args.runs} run(s) incl. Airflow import: {out['process_s']:.1f} s"
              f" (CPU {out['process_cpu_s']:.1f} s, coding workers included)")
        for r in rows:
            label = "cold" if r["run"] == 1 else "warm"
            print(
                f"  run {r['run']} ({label}): DAG run {r['dag_run_s']:.1f} s"
                f" = pipeline stages {r['stages_s']:.1f} s"
                f" + Airflow overhead {r['airflow_overhead_s']:.1f} s ({100 * r['airflow_share']:.0f} %)"
            )
            for k, v in sorted(r["stage_seconds"].items(), key=_stage_key):
                print(f"      {k:28} {v:8.2f} s")
        return 0
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
