"""``envoy code FILE... [--explain]``: code article files, one JSON event per line on stdout.

External evaluation tools parse stdout, so it carries events only; logs and explanations go to
stderr. The line format is the ``events`` table row with dates as ISO strings.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from datetime import date
from pathlib import Path

from pipeline.commands.arguments import day_arg

log = logging.getLogger("envoy.code")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "code",
        help="code article files into CAMEO events (one JSON object per event per line)",
        description=(
            "Read article files (any format envoy ingests, e.g. ' date YYYY-MM-DD ' text files, JSON, "
            "JSON Lines, HTML), code them and print one JSON object per event per line on stdout, with "
            "the events table fields (dates as ISO strings). Logs and --explain output go to stderr."
        ),
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="article files or folders of them")
    p.add_argument(
        "--explain",
        action="store_true",
        help="print to stderr, per sentence, the events found and why other candidates were dropped",
    )
    p.add_argument("--day", type=day_arg, help="publication date YYYY-MM-DD for files that carry none")
    p.add_argument("--model", help="spaCy model (default: ENVOY_SPACY_MODEL)")
    p.add_argument("--processes", type=int, default=1, help="spaCy processes for many articles (default 1)")
    p.set_defaults(func=handle)


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")))
        else:
            out.append(p)
    return out


def read_any(path: Path, default_day: date | None = None):
    """Articles of one file, in any format the ingest stage reads."""
    if default_day is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", path.parent.name):
        default_day = date.fromisoformat(path.parent.name)  # a landing day folder dates undated files
    from pipeline.ingest import read_articles

    return read_articles(path, default_day=default_day, root=path.parent)


def to_json(row: dict) -> str:
    return json.dumps(
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}, ensure_ascii=False
    )


def handle(args: argparse.Namespace) -> int:
    from pipeline.extract.coder import code_articles

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    articles, failed = [], 0
    for path in _expand(args.files):
        try:
            articles.extend(read_any(path, args.day))
        except Exception as exc:  # noqa: BLE001 - QuarantineError or unreadable: report and go on
            failed += 1
            print(f"skipped {path}: {exc}", file=sys.stderr)
    explain: dict | None = {} if args.explain else None
    rows = code_articles(articles, model=args.model, n_process=args.processes, explain=explain)
    out = sys.stdout
    for row in rows:
        out.write(to_json(row) + "\n")
    out.flush()
    if explain is not None:
        for a in articles:
            print(f"== {a.source_file} ({a.publication_date})", file=sys.stderr)
            for s in explain.get(a.article_id, []):
                if not s.events and not s.dropped:
                    continue
                print(f"  [{s.index}] {s.text[:160]}", file=sys.stderr)
                for e in s.events:
                    print(f"      + {e}", file=sys.stderr)
                for d in s.dropped:
                    print(f"      - {d}", file=sys.stderr)
    print(f"{len(rows)} events from {len(articles)} articles ({failed} files skipped)", file=sys.stderr)
    return 1 if failed and not articles else 0
