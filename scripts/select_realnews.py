"""Reproduce the draw of the 30 real-news held-out articles (tests/data/realnews) from ../shared/corpus.

The draw is recorded here so anyone can check it was not picked by hand: a fixed filter on the corpus
MANIFEST and the texts, then a seeded random sample per source stratum. It prints file names only
(the texts are licensed for research and never enter the repository).

    python3 scripts/select_realnews.py [CORPUS_DIR] [REALDEV_ARTICLES_DIR]
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261202
MIN_WORDS, MAX_WORDS = 150, 600
MIN_TERMS = 5  # distinct diplomatic terms an article must contain (case-insensitive substrings)
TERMS = (
    "minister", "president", "ambassador", "embassy", "diplomat", "foreign", "summit", "talks",
    "treaty", "sanction", "troops", "delegation", "bilateral", "united nations", "visit",
    "agreement", "accord", "condemn", "negotiat", "envoy", "prime minister", "government",
)
# stratum -> articles drawn: the corpus's two big wire services, the other TempEval sources, Reuters-21578
QUOTA = {"AFP": 9, "XIN": 8, "te3_other": 5, "reuters": 8}


def stratum(name: str) -> str:
    if name.startswith("reuters"):
        return "reuters"
    m = re.match(r"te3_([A-Za-z]+)", name)
    prefix = m.group(1).upper() if m else ""
    return prefix if prefix in ("AFP", "XIN") else "te3_other"


def candidates(corpus: Path, excluded: set[str]) -> dict[str, list[str]]:
    """Filtered file names per stratum, sorted (the order the seeded draw depends on)."""
    out: dict[str, list[str]] = {k: [] for k in QUOTA}
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh, delimiter="\t"), key=lambda r: r["file"])
    for row in rows:
        name = row["file"]
        if not MIN_WORDS <= int(row["words"]) <= MAX_WORDS or row["date_known"] != "yes":
            continue
        if name.startswith("te3_") and name[4:-4] in excluded:
            continue
        text = (corpus / name).read_text(encoding="utf-8").lower()
        if sum(term in text for term in TERMS) >= MIN_TERMS:
            out[stratum(name)].append(name)
    return out


def draw(corpus: Path, realdev_articles: Path) -> list[str]:
    excluded = {p.stem for p in realdev_articles.glob("*.txt")}
    pools = candidates(corpus, excluded)
    rng = random.Random(SEED)
    chosen: list[str] = []
    for key, n in QUOTA.items():
        chosen.extend(sorted(rng.sample(pools[key], n)))
    return chosen


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else ROOT.parent / "shared" / "corpus"
    realdev = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "realdev" / "articles"
    excluded = {p.stem for p in realdev.glob("*.txt")}
    pools = candidates(corpus, excluded)
    print("pools: " + ", ".join(f"{k} {len(v)}" for k, v in pools.items()), file=sys.stderr)
    for name in draw(corpus, realdev):
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
