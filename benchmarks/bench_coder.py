"""Throughput of the event coder: articles/s, words/s and peak memory on 1 and 2 processes.

    .venv/bin/python benchmarks/bench_coder.py [DIR] [--limit N] [--processes 1 2]

Codes every ``*.txt`` article in DIR (default ``../shared/corpus``), each configuration in a fresh
subprocess so peak RSS is its own, and reports where the time goes for one process: spaCy
parsing versus the coder's rules (mentions, lexicon, modality, dates, merging) and the sentence
pre-filter that keeps spaCy away from sentences without any trigger word.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
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


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024


def run_one(directory: Path, limit: int | None, processes: int, split: bool) -> dict:
    """One configuration, in this process: code everything, time it."""
    from pipeline.extract.coder import code_articles, get_coder
    from pipeline.extract.nlp import load_nlp

    articles = load(directory, limit)
    words = sum(len(a.text.split()) for a in articles)
    load_nlp()
    get_coder()
    t0 = time.perf_counter()
    rows = code_articles(articles, n_process=processes)
    total = time.perf_counter() - t0
    out = {
        "processes": processes,
        "articles": len(articles),
        "words": words,
        "events": len(rows),
        "seconds": round(total, 2),
        "articles_per_s": round(len(articles) / total, 1),
        "words_per_s": round(words / total),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    if split and processes == 1:
        from pipeline.extract.prefilter import reduce_text

        nlp = load_nlp()
        coder = get_coder()
        t0 = time.perf_counter()
        reduced = [reduce_text(a.text) for a in articles]
        t_filter = time.perf_counter() - t0
        t0 = time.perf_counter()
        docs = list(nlp.pipe((r.text for r in reduced), batch_size=64))
        t_spacy = time.perf_counter() - t0
        t0 = time.perf_counter()
        for a, r, doc in zip(articles, reduced, docs, strict=True):
            coder.code_doc(doc, a, None, r)
        t_rules = time.perf_counter() - t0
        out["filter_s"] = round(t_filter, 2)
        out["parsed_words"] = sum(len(r.text.split()) for r in reduced)
        out["spacy_s"] = round(t_spacy, 2)
        out["rules_s"] = round(t_rules, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "dir", nargs="?", type=Path, default=DEFAULT_DIR, help="folder of ' date ...' .txt articles"
    )
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one configuration
    args = ap.parse_args(argv)
    if not args.dir.is_dir():
        print(f"no such folder: {args.dir}", file=sys.stderr)
        return 2
    if args.one is not None:
        print(json.dumps(run_one(args.dir, args.limit, args.one, split=True)))
        return 0
    for n in args.processes:
        cmd = [sys.executable, __file__, str(args.dir), "--one", str(n)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip())
        line = (
            f"processes={res['processes']}  articles={res['articles']}  events={res['events']}  "
            f"{res['articles_per_s']} articles/s  {res['words_per_s']} words/s  "
            f"peak RSS {res['peak_rss_mb']} MB"
        )
        print(line)
        if "spacy_s" in res:
            kept = res["parsed_words"] / max(1, res["words"])
            print(
                f"  time split (1 process): pre-filter {res['filter_s']} s (keeps {kept:.0%} of the words), "
                f"spaCy {res['spacy_s']} s, rules {res['rules_s']} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
