"""``envoy evaluate SET...``: score the coder on one or several gold sets.

One set prints the per-set lines other tools read (``precision: X``, ``recall: X``, ``forbidden hits: N``,
``date accuracy: X`` last); several sets (or ``--table``) print one table of sets and one of recall per
root; ``--json`` prints the same figures for machines. A malformed gold file exits 2 with one message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SETS_HELP = (
    "a gold file (its articles folder comes from the gold's _meta.articles, else articles/ beside it), "
    "GOLD.json=DIR, or GOLD.json DIR (a folder right after a gold file is its articles folder)"
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="score the event coder against hand-coded gold sets",
        description=(
            "Code every article named in each gold set and score the output by the dev-set rule: unique "
            "(source, target, root) triples per article; recall over required events, precision over "
            "required+optional, forbidden hits, and date accuracy at the gold's precision. With one set the "
            "last four output lines are those four figures; with several, one table of sets and one of "
            "recall per primary root. Gold keys starting with '_' are metadata. n/a: nothing to measure."
        ),
        epilog=(
            "examples: envoy evaluate ../shared/devset/gold.json ../shared/devset/articles | "
            "envoy evaluate ../shared/realdev/gold.json tests/data/realnews/gold.json | "
            "envoy evaluate my.json=articles/ --json"
        ),
    )
    p.add_argument("sets", nargs="+", metavar="SET", help=SETS_HELP)
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="per article: missed required events, false positives, forbidden hits, wrong dates",
    )
    p.add_argument("--table", action="store_true", help="print the tables even for a single set")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--model", help="spaCy model (default: ENVOY_SPACY_MODEL)")
    p.add_argument("--processes", type=int, default=1, help="spaCy processes (default 1)")
    p.set_defaults(func=handle)


def parse_sets(args: list[str]) -> list[tuple[Path, Path | None]]:
    """(gold file, explicit articles folder or None) for each set named on the command line."""
    from pipeline.evaluate import GoldError

    sets: list[tuple[Path, Path | None]] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            if not sets or sets[-1][1] is not None:
                raise GoldError(f"{arg}: a folder must follow the gold file it holds the articles of")
            sets[-1] = (sets[-1][0], path)
            continue
        gold, sep, folder = arg.partition("=")
        if sep and not path.is_file():
            sets.append((Path(gold), Path(folder)))
        else:
            sets.append((path, None))
    return sets


def print_tables(results: list, verbose: bool) -> None:
    from pipeline.evaluate import details, root_table, summary_table

    if verbose:
        for name, scores in results:
            print(f"## {name}")
            for line in details(scores):
                print(line)
        print()
    for line in summary_table(results):
        print(line)
    print()
    print("recall per primary root of the required events (found/required recall):")
    for line in root_table(results):
        print(line)


def handle(args: argparse.Namespace) -> int:
    from pipeline.evaluate import GoldError, as_dict, code_gold_articles, load_set, report, score

    try:
        sets = [load_set(gold, folder) for gold, folder in parse_sets(args.sets)]
        results = [
            (s.name, score(s.gold, code_gold_articles(s.gold, s.articles_dir, args.model, args.processes)))
            for s in sets
        ]
    except GoldError as exc:
        print(f"envoy evaluate: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"sets": [as_dict(name, s) for name, s in results]}, indent=2))
    elif len(results) == 1 and not args.table:
        for line in report(results[0][1], verbose=args.verbose):
            print(line)
    else:
        print_tables(results, args.verbose)
    return 0
