"""Throughput of the event coder against a parse of everything, in the same run, on 1 and 2 processes.

    .venv/bin/python benchmarks/bench_coder.py [DIR] [--limit N] [--processes 1 2] [--json]

For each process count the articles of DIR (default ``../shared/corpus``, every ``*.txt``) are coded by
``code_articles`` (pre-filter, compiled pipeline, rules) and, as the baseline, parsed whole by plain spaCy
with the same model (``spacy.load`` minus NER: tok2vec, tagger, parser, attribute ruler, lemmatizer, in
worker processes like the coder's, nothing else done with the docs). The machine's load changes from minute
to minute, so the two are measured in alternation, ABBA over the two halves of the articles, each half in a
fresh process that loads its model before the clock starts (as an extract task does): the ratio is
comparable from machine to machine even where the articles/s are not. The coder multiplies its matrices
with numpy's OpenBLAS, the baseline with spaCy's default (BLIS); ``--baseline-blas numpy`` gives the
baseline OpenBLAS too, which shows what the pre-filter, the compiled components and the rules gain apart
from the BLAS. CPU seconds (the processes' own
and their workers') are printed too: on a machine shared with other jobs they move far less than wall
time. Peak RSS is per process: the parent (which loads the model before forking) and the largest worker.

With one process the coder's time is also split (in a separate pass): the pre-filter, spaCy on what it
keeps, and the rules (mentions, lexicon, modality, dates, merging). That pass runs after the timed one, on
filled caches; the timed run also pays ``warm()`` (the model's first text, the gazetteer and place tables,
``gc.freeze``), which is printed apart: it is the part of the coder's time the split does not show.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from functools import lru_cache, partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "corpus"


def load(directory: Path, limit: int | None):
    from pipeline.ingest import QuarantineError, read_articles

    files = sorted(directory.glob("*.txt"))[: limit or None]
    articles = []
    for f in files:
        try:
            articles.extend(read_articles(f))
        except QuarantineError:
            continue
    return articles


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (steadier than wall time on a shared machine)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


@lru_cache(maxsize=2)
def plain_nlp(blas: str = "blis"):
    """The model as spaCy ships it, minus the components the coder does not read (NER): the baseline.
    ``blas`` "blis" is spaCy's default (the issue's baseline); "numpy" gives it the coder's BLAS too."""
    import contextlib

    import spacy

    from pipeline.extract.nlp import KEEP, default_model, numpy_blas

    with numpy_blas() if blas == "numpy" else contextlib.nullcontext():
        nlp = spacy.load(default_model())
    for p in [p for p in nlp.pipe_names if p not in KEEP]:
        nlp.remove_pipe(p)
    return nlp


def _parse_chunk(texts: list[str], blas: str = "blis") -> int:
    return sum(len(d) for d in plain_nlp(blas).pipe(texts, batch_size=64))


def baseline(texts: list[str], processes: int, blas: str = "blis") -> int:
    """Plain spaCy over every text, in ``processes`` forked workers (the model loaded before forking)."""
    import multiprocessing as mp

    from pipeline.extract.batch import _capped

    texts = [_capped(t) for t in texts]  # the coder's own bound on a runaway file, nothing more
    if processes == 1:
        return _parse_chunk(texts, blas)
    size = max(8, len(texts) // (processes * 4))
    jobs = [texts[i : i + size] for i in range(0, len(texts), size)]
    with mp.get_context("fork").Pool(processes) as pool:
        return sum(pool.imap(partial(_parse_chunk, blas=blas), jobs))


def run_one(
    directory: Path, limit: int | None, processes: int, mode: str, half: int, split: bool, blas: str = "blis"
) -> dict:
    """One timed measurement in this (fresh) process: ``mode`` coder or baseline, on half 0 or 1."""
    from pipeline.extract.coder import code_articles, get_coder
    from pipeline.extract.nlp import load_nlp

    articles = load(directory, limit)
    mid = len(articles) // 2
    articles = articles[:mid] if half == 0 else articles[mid:]
    out: dict = {"articles": len(articles), "words": sum(len(a.text.split()) for a in articles)}
    if mode == "baseline":
        plain_nlp(blas)
        cpu0, t0 = _cpu_s(), time.perf_counter()
        out["tokens"] = baseline([a.text for a in articles], processes, blas)
    else:
        from pipeline.extract.batch import warm

        load_nlp()
        get_coder()
        cpu0, t0 = _cpu_s(), time.perf_counter()
        warm()  # code_articles' first step, timed apart: once-per-process work inside the clock
        out["warm_s"] = time.perf_counter() - t0
        out["events"] = len(code_articles(articles, n_process=processes))
    out["seconds"] = time.perf_counter() - t0
    out["cpu_s"] = _cpu_s() - cpu0
    out["parent_rss_mb"] = _rss_mb(resource.RUSAGE_SELF)
    out["worker_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    if split and mode == "coder":
        out.update(time_split(articles))
    return out


def time_split(articles) -> dict:
    """Where one process's time goes: pre-filter, spaCy on the kept text, rules."""
    from pipeline.extract.batch import _capped
    from pipeline.extract.coder import get_coder
    from pipeline.extract.nlp import load_nlp
    from pipeline.extract.prefilter import reduce_text

    nlp, coder = load_nlp(), get_coder()
    t0 = time.perf_counter()
    reduced = [reduce_text(_capped(a.text)) for a in articles]
    t_filter = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = list(nlp.pipe((r.text for r in reduced), batch_size=64))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a, r, doc in zip(articles, reduced, docs, strict=True):
        coder.code_doc(doc, a, None, r)
    return {
        "filter_s": t_filter,
        "parsed_words": sum(len(r.text.split()) for r in reduced),
        "spacy_s": t_spacy,
        "rules_s": time.perf_counter() - t0,
    }


def measure(directory: Path, limit: int | None, processes: int, blas: str = "blis") -> dict:
    """ABBA: coder and baseline alternate over the two halves, each run in a fresh process."""
    order = [("coder", 0), ("baseline", 0), ("baseline", 1), ("coder", 1)]
    runs: dict[str, list[dict]] = {"coder": [], "baseline": []}
    for mode, half in order:
        cmd = [sys.executable, __file__, str(directory), "--one", str(processes), mode, str(half)]
        cmd += ["--baseline-blas", blas]
        if limit:
            cmd += ["--limit", str(limit)]
        if processes == 1 and mode == "coder" and half == 0:
            cmd.append("--split")
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        runs[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
    c, b = runs["coder"], runs["baseline"]
    articles = sum(r["articles"] for r in c)
    words = sum(r["words"] for r in c)
    c_s, b_s = sum(r["seconds"] for r in c), sum(r["seconds"] for r in b)
    c_cpu, b_cpu = sum(r["cpu_s"] for r in c), sum(r["cpu_s"] for r in b)
    out = {
        "processes": processes,
        "baseline_blas": blas,
        "articles": articles,
        "words": words,
        "events": sum(r["events"] for r in c),
        "coder_articles_per_s": round(articles / c_s, 1),
        "baseline_articles_per_s": round(articles / b_s, 1),
        "ratio": round(b_s / c_s, 2),
        "coder_articles_per_cpu_s": round(articles / c_cpu, 1),
        "baseline_articles_per_cpu_s": round(articles / b_cpu, 1),
        "cpu_ratio": round(b_cpu / c_cpu, 2),
        "coder_words_per_s": round(words / c_s),
        "parent_rss_mb": round(max(r["parent_rss_mb"] for r in c)),
        "worker_rss_mb": round(max(r["worker_rss_mb"] for r in c)) if processes > 1 else None,
    }
    split = next((r for r in c if "spacy_s" in r), None)
    if split:
        out["split"] = {
            "articles": split["articles"],
            "kept_words": round(split["parsed_words"] / max(1, split["words"]), 3),
            **{k: round(split[k], 2) for k in ("filter_s", "spacy_s", "rules_s")},
        }
    out["warm_s"] = round(sum(r.get("warm_s", 0.0) for r in c) / len(c), 2)
    return out


def _print(res: dict) -> None:
    rss = f"peak RSS {res['parent_rss_mb']} MB"
    if res["worker_rss_mb"] is not None:
        rss = f"peak RSS parent {res['parent_rss_mb']} MB, largest worker {res['worker_rss_mb']} MB"
    print(
        f"processes={res['processes']}  articles={res['articles']}  events={res['events']}  "
        f"coder {res['coder_articles_per_s']} articles/s ({res['coder_words_per_s']} words/s)  "
        f"parse-everything{_blas_note(res)} {res['baseline_articles_per_s']} articles/s  "
        f"ratio {res['ratio']}x  {rss}"
    )
    print(
        f"  per CPU second: coder {res['coder_articles_per_cpu_s']} articles, parse-everything "
        f"{res['baseline_articles_per_cpu_s']} articles, CPU ratio {res['cpu_ratio']}x"
    )
    s = res.get("split")
    if s:
        print(
            f"  time split (1 process, {s['articles']} articles): pre-filter {s['filter_s']} s "
            f"(keeps {s['kept_words']:.0%} of the words), spaCy {s['spacy_s']} s, rules {s['rules_s']} s"
        )
    if res.get("warm_s") is not None:
        print(f"  warm-up per coder run (inside its time: tables, gazetteer, gc.freeze): {res['warm_s']} s")


def _blas_note(res: dict) -> str:
    return " (with the coder's BLAS)" if res.get("baseline_blas") == "numpy" else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "dir", nargs="?", type=Path, default=DEFAULT_DIR, help="folder of ' date ...' .txt articles"
    )
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--baseline-blas",
        choices=["blis", "numpy"],
        default="blis",
        help="the baseline's BLAS: blis = spaCy as shipped (default), numpy = the coder's",
    )
    ap.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # internal: PROCESSES MODE HALF
    ap.add_argument("--split", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.dir.is_dir():
        print(f"no such folder: {args.dir}", file=sys.stderr)
        return 2
    if args.one is not None:
        n, mode, half = args.one
        res = run_one(args.dir, args.limit, int(n), mode, int(half), args.split, args.baseline_blas)
        print(json.dumps(res))
        return 0
    results = []
    if not args.json:
        print(f"load average (1 min) at start: {_load()}")
    for n in args.processes:
        res = measure(args.dir, args.limit, n, args.baseline_blas)
        results.append(res)
        if not args.json:
            _print(res)
    if args.json:
        print(json.dumps({"load_1min": _load(), "runs": results}, indent=2))
    return 0


def _load() -> float:
    import os

    return round(os.getloadavg()[0], 2)


if __name__ == "__main__":
    sys.exit(main())
