"""Seconds of Great Expectations validation for one small day (issue 14: a 30-article day in < 5 s).

A throwaway folder gets a landing day of ``--articles`` files from ``../shared/corpus`` (read there,
never copied into the repository), run once through ``envoy run`` so the lake holds that day. Then
each of ``--runs`` fresh Python processes validates the day twice with ``pipeline.validate.validate_day``:
``cold`` is the first call (importing GE, opening the context: what an Airflow task pays), ``warm``
the second (the context is kept per process). ``import`` is the time to import GE alone. ``stage`` is
the validate stage of that ``envoy run`` (``runs.timings``: audit, validation, Data Docs, in a process
that had not imported GE yet). Figures are the median and the minimum over the processes, in wall
seconds and in CPU seconds of the process (on a shared machine the CPU figure is the steadier one).

    .venv/bin/python benchmarks/bench_validate.py [--articles 30] [--runs 3] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2025, 1, 15)
PHASES = ("import", "cold", "warm", "import_cpu", "cold_cpu", "warm_cpu")

CHILD = r"""
import json, sys, time
from datetime import date
t0, c0 = time.perf_counter(), time.process_time()
import great_expectations  # noqa: F401
t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
from pipeline.config import load_settings
from pipeline import validate
s = load_settings()
day = date.fromisoformat(sys.argv[1])
times, cpu = [], []
for _ in range(2):
    t, c = time.perf_counter(), time.process_time()
    res = validate.validate_day(s, day)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
assert res.success, res.failed
print(json.dumps({"import": t_import, "cold": times[0] + t_import, "warm": times[1],
                  "import_cpu": c_import, "cold_cpu": cpu[0] + c_import, "warm_cpu": cpu[1],
                  "rows": {k: v["rows"] for k, v in res.statistics.items()}}))
"""


def stage_seconds(warehouse: Path) -> float:
    """The validate stage's seconds of the one run in the warehouse's ledger."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        (timings,) = con.execute("SELECT timings FROM runs").fetchone()
    return float(json.loads(timings)["validate"])


def env_for(work: Path) -> dict[str, str]:
    import os

    return {**os.environ, "ENVOY_HOME": str(work), "GX_ANALYTICS_ENABLED": "False"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=30)
    p.add_argument("--runs", type=int, default=3, help="fresh processes (default 3)")
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    files = sorted(f for f in args.corpus.glob("*.txt"))[: args.articles]
    if len(files) < args.articles:
        print(f"bench_validate: {args.corpus} has {len(files)} articles", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="envoy-bench-validate-"))
    try:
        landing = work / "data" / "landing" / DAY.isoformat()
        landing.mkdir(parents=True)
        for f in files:
            shutil.copy(f, landing / f.name)
        env = env_for(work)
        envoy = str(Path(sys.executable).with_name("envoy"))
        subprocess.run([envoy, "run", "--day", DAY.isoformat()], env=env, check=True, cwd=work,
                       stdout=subprocess.DEVNULL)
        stage = stage_seconds(work / "data" / "warehouse.duckdb")
        runs = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", CHILD, DAY.isoformat()], env=env, check=True,
                                 cwd=work, capture_output=True, text=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = {
        "articles": args.articles,
        "rows": runs[0]["rows"],
        "envoy_run_validate_stage_s": stage,
        **{k + "_s": round(statistics.median(r[k] for r in runs), 3) for k in PHASES},
        **{k + "_min_s": round(min(r[k] for r in runs), 3) for k in PHASES},
        "runs": args.runs,
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"validation of a {args.articles}-article day ({summary['rows']}), {args.runs} processes:")
    print(f"  {'':38} {'median':>8} {'min':>8} {'cpu med':>8} {'cpu min':>8}")
    for key, label in (("import", "import great_expectations"), ("cold", "cold: first call, incl. import"),
                       ("warm", "warm: second call, same process")):
        print(f"  {label:38} {summary[key + '_s']:7.3f}s {summary[key + '_min_s']:7.3f}s"
              f" {summary[key + '_cpu_s']:7.3f}s {summary[key + '_cpu_min_s']:7.3f}s")
    print(f"  {'envoy run: validate stage (one run)':38} {stage:7.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
