"""Does a speed change leave the coder's output alone? Code folders of articles, save or compare the rows.

    .venv/bin/python benchmarks/same_events.py --save /tmp/before.json DIR [DIR ...]
    .venv/bin/python benchmarks/same_events.py --compare /tmp/before.json DIR [DIR ...]

Every ``*.txt`` of each folder is coded with the default settings; the event rows (every field) are kept per
file. ``--compare`` prints, per folder, how many files give other rows than the saved run and exits 1 if
any does. The saved file holds event rows (codes, names, evidence snippets): keep it outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def code_folder(folder: Path, processes: int) -> dict[str, list[dict]]:
    """file name -> its event rows (JSON-ready, in the coder's order)."""
    from pipeline.commands.code import read_any
    from pipeline.extract.coder import code_articles
    from pipeline.ingest_formats import QuarantineError

    articles = []
    for f in sorted(folder.glob("*.txt")):
        try:
            articles.extend(read_any(f))
        except (QuarantineError, OSError):
            continue
    out: dict[str, list[dict]] = {a.source_file: [] for a in articles}
    for row in code_articles(articles, n_process=processes):
        out[row["source_file"]].append(json.loads(json.dumps(row, default=str)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path)
    mode.add_argument("--compare", type=Path)
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args(argv)
    got = {str(d): code_folder(d, args.processes) for d in args.dirs}
    if args.save:
        args.save.write_text(json.dumps(got), encoding="utf-8")
        for d, rows in got.items():
            print(f"{d}: {len(rows)} files, {sum(map(len, rows.values()))} events saved")
        return 0
    saved = json.loads(args.compare.read_text(encoding="utf-8"))
    bad = 0
    for d, rows in got.items():
        old = saved.get(d, {})
        diff = sorted(f for f in set(rows) | set(old) if rows.get(f) != old.get(f))
        bad += len(diff)
        n_old, n_new = sum(map(len, old.values())), sum(map(len, rows.values()))
        print(f"{d}: {len(rows)} files, events {n_old} -> {n_new}, {len(diff)} file(s) differ")
        for f in diff[:10]:
            print(f"  {f}: {len(old.get(f, []))} -> {len(rows.get(f, []))} events")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
