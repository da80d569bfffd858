"""Every benchmark, one after the other, and all their figures in one table (``make bench``).

    .venv/bin/python benchmarks/summary.py [--quick] [--skip analytics ...]

Each benchmark runs as its own process with ``--json`` (the machine's load is printed with the table:
on a shared machine compare the same-run ratios, not the absolute figures). ``--quick`` uses small sizes
(the coder on 300 articles, a 2,000-article day, 1M analytics events) to check that everything runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["coder", "dag", "day", "validate", "analytics", "long"]


def _run(script: str, *args: str) -> dict:
    cmd = [sys.executable, str(HERE / script), *args, "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["failed"]}
    return _json_tail(done.stdout)


def _json_tail(text: str) -> dict:
    """The JSON object a benchmark prints last (on one line or indented), after any other output."""
    lines = text.strip().splitlines()
    for k, line in enumerate(lines):
        if line.startswith("{"):
            try:
                return json.loads("\n".join(lines[k:]))
            except json.JSONDecodeError:
                continue
    return {"error": lines[-1:] or ["no output"]}


def coder_rows(res: dict) -> list[tuple[str, str, str]]:
    rows = []
    for r in res.get("runs", []):
        n = r["processes"]
        rows += [
            ("coder", f"{n} process(es): coder articles/s", str(r["coder_articles_per_s"])),
            ("coder", f"{n} process(es): parse-everything articles/s", str(r["baseline_articles_per_s"])),
            ("coder", f"{n} process(es): ratio (wall / CPU)", f"{r['ratio']}x / {r['cpu_ratio']}x"),
            ("coder", f"{n} process(es): peak RSS per coding process MB",
             str(r["worker_rss_mb"] if r["worker_rss_mb"] is not None else r["parent_rss_mb"])),
        ]  # fmt: skip
    return rows


def dag_rows(label: str, res: dict) -> list[tuple[str, str, str]]:
    rows = []
    for r in res.get("runs", []):
        what = f"run {r['run']} ({r['articles']} articles)"
        rows.append((label, f"{what}: DAG run s", f"{r['dag_run_s']:.1f}"))
        for stage, secs in sorted(r["stage_seconds"].items()):
            rows.append((label, f"{what}: {stage} s", f"{secs:.2f}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip", nargs="*", default=[], choices=BENCHES)
    args = ap.parse_args(argv)
    q = args.quick
    rows: list[tuple[str, str, str]] = []
    load0 = os.getloadavg()[0]
    if "coder" not in args.skip:
        rows += coder_rows(_run("bench_coder.py", *(["--limit", "300"] if q else [])))
    if "dag" not in args.skip:
        rows += dag_rows("dag (sample day)", _run("bench_dag.py"))
    if "day" not in args.skip:
        rows += dag_rows("dag (corpus day)", _run("bench_dag.py", "--articles", "2000" if q else "10000"))
    if "validate" not in args.skip:
        res = _run("bench_validate.py", "--runs", "2" if q else "3")
        for key, label in (("cold", "30-article day, first validation incl. GE import s"),
                           ("warm", "30-article day, second validation same process s")):
            if key + "_s" in res:
                rows.append(("validate", label, f"{res[key + '_s']:.2f} (CPU {res[key + '_cpu_s']:.2f})"))
        if "envoy_run_validate_stage_s" in res:
            rows.append(("validate", "30-article day, envoy run validate stage s",
                         f"{res['envoy_run_validate_stage_s']:.2f}"))
    if "analytics" not in args.skip:
        res = _run("bench_analytics.py", *(["--events", "1000000"] if q else []))
        for table, items in res.items():
            for it in items if isinstance(items, list) else []:
                rows.append(("analytics", f"{table}: {it['query']} (median s)", f"{it['median_s']:.3f}"))
    if "long" not in args.skip:
        res = _run("bench_long_article.py")
        for it in res.get("sizes", []):
            rows.append(("long article", f"{it['mb']} MB punctuated / unpunctuated s",
                         f"{it['punctuated_s']} / {it['unpunctuated_s']}"))  # fmt: skip
    print(f"load average (1 min): {load0:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    width = max((len(r[1]) for r in rows), default=10)
    print(f"{'benchmark':18} {'figure':{width}} value")
    for bench, figure, value in rows:
        print(f"{bench:18} {figure:{width}} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
