"""Cost of the gazetteer: first-use load time, memory and lookups per second, per population threshold.

Why: the gazetteer is built lazily once per process (Airflow task, CLI run, coder worker); its load must
stay small beside spaCy's. Each measurement runs in a fresh interpreter, so nothing is cached between
them. The baseline is the coder's current city table (``pipeline.extract.places.cities()``, about 9,400
cities from cities.tsv), measured the same way in the same run.

    .venv/bin/python benchmarks/bench_gazetteer.py                     # thresholds 15000 and 5000
    .venv/bin/python benchmarks/bench_gazetteer.py --thresholds 15000 5000 1000 500
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

NAMES = [
    "Beijing", "Kiev", "Sao Paulo", "Sana'a", "Paris", "Tripoli", "Idlib province", "Kharkiv region",
    "Georgia", "U.S.", "Hong Kong", "Port-au-Prince", "Mosul", "Juba", "Pristina", "Nowhereville",
    "Bavaria", "Punjab", "Gaza", "Washington",
]  # fmt: skip

PROBE = r"""
import json, resource, sys, time, tracemalloc
kind, threshold, names, traced = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4] == "1"
def rss_mb():  # resident set size now
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6
rss0 = rss_mb()
if traced:
    tracemalloc.start()
t0 = time.perf_counter()
if kind == "baseline":
    from pipeline.extract.places import cities, city_country
    size = len(cities())
    find = city_country
else:
    from pipeline.geo.gazetteer import gazetteer
    g = gazetteer(threshold)
    size = len(g.cities)
    find = g.lookup
load = time.perf_counter() - t0
kept, peak = tracemalloc.get_traced_memory() if traced else (0, 0)
rounds = 2000
t1 = time.perf_counter()
hits = 0
for _ in range(rounds):
    for n in names:
        hits += find(n) is not None
per_s = rounds * len(names) / (time.perf_counter() - t1)
print(json.dumps({"load_s": load, "kept_mb": kept / 1e6, "peak_mb": peak / 1e6, "rss_mb": rss_mb() - rss0,
                  "lookups_per_s": per_s, "cities": size, "found": hits // rounds}))
"""


def _probe(kind: str, threshold: int, traced: bool) -> dict:
    argv = [sys.executable, "-c", PROBE, kind, str(threshold), json.dumps(NAMES), "1" if traced else "0"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(kind: str, threshold: int) -> dict:
    """Time and RSS from an untraced run (tracemalloc slows allocation), heap sizes from a traced one."""
    timed = _probe(kind, threshold, traced=False)
    traced = _probe(kind, threshold, traced=True)
    return {**timed, "kept_mb": traced["kept_mb"], "peak_mb": traced["peak_mb"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--thresholds", type=int, nargs="+", default=[15000, 5000])
    args = ap.parse_args()
    base = measure("baseline", 0)
    rows = [("cities.tsv (baseline)", base)] + [
        (f"gazetteer >= {t:,}", measure("gazetteer", t)) for t in args.thresholds
    ]
    print(
        f"{len(NAMES)} names a round; heap kept after / peak during load (tracemalloc); RSS growth (untraced)"
    )
    print(
        f"{'table':<24}{'cities':>8}{'load s':>9}{'x base':>8}{'kept MB':>9}{'peak MB':>9}{'RSS MB':>8}"
        f"{'lookups/s':>11}{'found':>7}"
    )
    for label, r in rows:
        print(
            f"{label:<24}{r['cities']:>8,}{r['load_s']:>9.2f}{r['load_s'] / base['load_s']:>8.1f}"
            f"{r['kept_mb']:>9.1f}{r['peak_mb']:>9.1f}{r['rss_mb']:>8.0f}{r['lookups_per_s']:>11,.0f}"
            f"{r['found']:>5}/{len(NAMES)}"
        )


if __name__ == "__main__":
    main()
