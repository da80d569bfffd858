"""``envoy evaluate GOLD.json ARTICLES_DIR``: precision, recall, forbidden hits, date accuracy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="score the event coder against a hand-coded gold file",
        description=(
            "Code every article named in GOLD.json (found in ARTICLES_DIR) and score the output by the "
            "dev-set rule: unique (source, target, root) triples per article; recall over required events, "
            "precision over required+optional, forbidden hits, and date accuracy at the gold's precision. "
            "The last four output lines are those four figures."
        ),
    )
    p.add_argument("gold", type=Path, metavar="GOLD.json", help="gold file (dev-set format)")
    p.add_argument("articles", type=Path, metavar="ARTICLES_DIR", help="folder with the article files")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="per article: missed required events, false positives, forbidden hits, wrong dates",
    )
    p.add_argument("--model", help="spaCy model (default: ENVOY_SPACY_MODEL)")
    p.add_argument("--processes", type=int, default=1, help="spaCy processes (default 1)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.evaluate import code_gold_articles, load_gold, report, score

    if not args.gold.is_file() or not args.articles.is_dir():
        print(f"need a gold file and an articles folder: {args.gold}, {args.articles}", file=sys.stderr)
        return 2
    gold = load_gold(args.gold)
    events = code_gold_articles(gold, args.articles, model=args.model, n_process=args.processes)
    for line in report(score(gold, events), verbose=args.verbose):
        print(line)
    return 0
