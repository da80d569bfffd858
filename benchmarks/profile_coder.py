"""Where the coder's time goes, stage by stage, in CPU seconds (one process, cProfile for the rules).

    .venv/bin/python benchmarks/profile_coder.py [DIR] [--limit N] [--top 25]

Runs the coder's steps one after the other over the articles of DIR (default ``../shared/corpus``): the
pre-filter, spaCy's tokenizer, each pipeline component on its own (``proc.pipe``), then the rules
under cProfile, and prints CPU seconds per step, the rules' main parts (cumulative) and the functions
with the most own time. CPU time, not wall time: on a shared machine it is the figure that repeats.
The same steps with spaCy's stock components are printed for comparison (``--stock``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Entry points of the rules whose cumulative time is reported (file suffix, function name)
PARTS = [
    ("coder.py", "code_doc", "rules, all"),
    ("mentions.py", "__init__", "  mentions: finding them"),
    ("mentions.py", "_find_registry_names", "    registry names"),
    ("mentions.py", "_find_people", "    people, titles, surnames"),
    ("dates.py", "advance", "  dates: sentence anchors"),
    ("coder.py", "_code_sentence", "  triggers, modality, argument rules"),
    ("mentions.py", "resolve", "    resolving phrases to actors"),
    ("coder.py", "merge", "  merging rows"),
]


def steps(articles, nlp) -> tuple[list[tuple[str, float]], list, list]:
    """CPU seconds of the pre-filter, the tokenizer and each component; the docs; the reduced texts."""
    from pipeline.extract.batch import _capped
    from pipeline.extract.prefilter import reduce_text

    out = []
    t0 = time.process_time()
    reduced = [reduce_text(_capped(a.text)) for a in articles]
    out.append(("pre-filter", time.process_time() - t0))
    t0 = time.process_time()
    docs = [nlp.make_doc(r.text) for r in reduced]
    out.append(("tokenizer", time.process_time() - t0))
    for name, proc in nlp.pipeline:
        t0 = time.process_time()
        docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        out.append((name, time.process_time() - t0))
    return out, docs, reduced


def main(argv: list[str] | None = None) -> int:
    from bench_coder import DEFAULT_DIR, load

    from pipeline.extract.coder import get_coder
    from pipeline.extract.nlp import load_nlp

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, default=600)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--stock", action="store_true", help="also time spaCy's own ruler and lemmatizer")
    args = ap.parse_args(argv)
    articles = load(args.dir, args.limit)
    words = sum(len(a.text.split()) for a in articles)
    coder = get_coder()
    print(f"{len(articles)} articles, {words} words; CPU seconds")
    runs = []
    if args.stock:
        from bench_coder import plain_nlp

        runs.append(("spaCy stock", plain_nlp()))
    runs.append(("compiled (the coder's)", load_nlp()))
    for label, nlp in runs:  # the compiled run last: the rules read its docs
        rows, docs, reduced = steps(articles, nlp)
        print(f"\n{label} pipeline on the pre-filtered text:")
        for name, secs in rows:
            print(f"  {name:18} {secs:7.2f}")
    t0 = time.process_time()
    for a, r, doc in zip(articles, reduced, docs, strict=True):
        coder.code_doc(doc, a, None, r)
    print(f"\nrules: {time.process_time() - t0:.2f} CPU s")
    prof = cProfile.Profile(time.process_time)
    t0 = time.process_time()
    prof.enable()
    for a, r, doc in zip(articles, reduced, docs, strict=True):
        coder.code_doc(doc, a, None, r)
    prof.disable()
    print(f"rules again under cProfile: {time.process_time() - t0:.2f} CPU s (it inflates Python code):")
    stats = pstats.Stats(prof)
    for suffix, func, label in PARTS:
        cum = sum(
            v[3] for (file, _, name), v in stats.stats.items() if file.endswith(suffix) and name == func
        )
        print(f"  {label:38} {cum:7.2f}")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(args.top)
    print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[-6000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
