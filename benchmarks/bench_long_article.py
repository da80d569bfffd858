"""Cost of one long article: punctuated prose versus the same words with no sentence ends.

    .venv/bin/python benchmarks/bench_long_article.py [--sizes 0.1 1 5] [--no-cap]

For each size (in MB) it codes one article of prose (sentences of ~20 words) and one of the same
words joined by dashes, without sentence punctuation, which spaCy parses as one enormous sentence,
and prints the seconds and their ratio. Articles are cut to ``coder.MAX_CHARS`` (100,000
characters) before parsing, so the size only matters up to that. Without the sentence cap
(``--no-cap``, ``pipeline.extract.textcap``) the coder's cost grows with the square of that
sentence's length; with it, both articles cost about the same.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = "France met Germany accused Russia condemned Ukraine warned China visited Japan praised India".split()


def texts(megabytes: float, seed: int = 7) -> tuple[str, str]:
    rng = random.Random(seed)
    n = int(megabytes * 1_000_000)
    words: list[str] = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        words.append(w)
        size += len(w) + 1
    flat = " - ".join(words)[:n]
    sentences = [" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, len(words), 20)]
    return " ".join(sentences)[:n], flat


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0, 5.0])
    ap.add_argument("--no-cap", action="store_true", help="turn the sentence cap off (shows the old cost)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    from pipeline.extract import coder, textcap
    from pipeline.extract.coder import code_text

    if args.no_cap:
        coder.cap_sentences = lambda text, limit=textcap.MAX_SENTENCE_CHARS: text
    code_text("France met Germany in Paris on Monday.", date(2025, 3, 1))  # load the model first
    cap = "off" if args.no_cap else "on"
    if not args.json:
        print(f"{'MB':>5} {'punctuated s':>13} {'unpunctuated s':>15} {'ratio':>6}  (sentence cap {cap})")
    out = []
    for mb in args.sizes:
        prose, flat = texts(mb)
        timings = []
        for text in (prose, flat):
            t0 = time.perf_counter()
            code_text(text, date(2025, 3, 1))
            timings.append(time.perf_counter() - t0)
        out.append({"mb": mb, "punctuated_s": round(timings[0], 2), "unpunctuated_s": round(timings[1], 2)})
        if not args.json:
            ratio = timings[1] / timings[0]
            print(f"{mb:>5} {timings[0]:>13.2f} {timings[1]:>15.2f} {ratio:>6.2f}", flush=True)
    if args.json:
        print(json.dumps({"sentence_cap": cap, "sizes": out}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
