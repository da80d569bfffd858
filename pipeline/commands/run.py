"""``envoy run``: all stages for a landing day in this process (no Airflow needed)."""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
from datetime import date
from pathlib import Path

from pipeline.commands.arguments import day_arg

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STAGES = 5  # ingest, extract, validate, load, report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="run every stage for a landing day: ingest, extract, validate, load, report",
        description=(
            "Ingest a landing day's files, code their events, write Parquet, validate with Great "
            "Expectations and load into DuckDB. With no --day, runs the newest day folder under the "
            "landing root; an empty landing root is first seeded with the bundled sample articles."
        ),
    )
    p.add_argument(
        "--day", type=day_arg, help="landing day YYYY-MM-DD (default: newest day folder)"
    )
    p.add_argument("--landing", type=Path, help="a folder or file to ingest instead of <landing>/<day>/")
    p.add_argument(
        "--all", action="store_true", help="run every day folder under the landing root, oldest first"
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace the day even when the new batch has fewer articles than the loaded day "
        "(without it such a run is refused and changes nothing)",
    )
    p.add_argument("--shards", type=int, help="extraction shards (default: ENVOY_SHARDS)")
    p.add_argument("--no-report", action="store_true", help="skip rebuilding the relations report")
    p.add_argument("-q", "--quiet", action="store_true", help="only the summary")
    p.set_defaults(func=handle)


def landing_days(landing: Path) -> list[date]:
    """Day folders (YYYY-MM-DD) under the landing root, oldest first."""
    if not landing.is_dir():
        return []
    return sorted(
        date.fromisoformat(p.name) for p in landing.iterdir() if p.is_dir() and DAY_RE.match(p.name)
    )


def seed_samples(landing: Path) -> list[date]:
    """Copy the bundled sample landing days into an empty landing root; return the days copied."""
    from pipeline.ingest import sample_landing

    copied = []
    for day_dir in sorted(sample_landing().iterdir()):
        if day_dir.is_dir() and DAY_RE.match(day_dir.name) and not (landing / day_dir.name).exists():
            shutil.copytree(day_dir, landing / day_dir.name)
            copied.append(date.fromisoformat(day_dir.name))
    return copied


def _days_to_run(args: argparse.Namespace, settings) -> tuple[list[date], str | None]:
    if args.day:
        return [args.day], None
    if args.landing:
        name = args.landing.name
        return [date.fromisoformat(name) if DAY_RE.match(name) else date.today()], None
    days = landing_days(settings.landing)
    note = None
    if not days:
        settings.ensure_dirs()
        seeded = seed_samples(settings.landing)
        note = f"landing root {settings.landing} was empty: seeded the bundled sample days " + ", ".join(
            d.isoformat() for d in seeded
        )
        return seeded, note
    return (days if args.all else [days[-1]]), note


def handle(args: argparse.Namespace) -> int:
    from pipeline.config import load_settings
    from pipeline.errors import EnvoyError

    interactive = sys.stdout.isatty() and not args.quiet
    logging.basicConfig(
        level=logging.WARNING if (interactive or args.quiet) else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    settings = load_settings()
    days, note = _days_to_run(args, settings)
    if note:
        print(note)
    if not days:
        print(f"nothing to run: no day folders under {settings.landing}", file=sys.stderr)
        return 1
    status = 0
    for day in days:
        try:
            summary = _run_one(settings, day, args, interactive)
        except EnvoyError as exc:  # recorded in runs with its status; the message says what to do
            print(f"\nenvoy run {day}: {exc}", file=sys.stderr)
            status = 1
            continue
        print_summary(summary, settings)
        status = status or (0 if summary.status in ("loaded", "empty") else 1)
    return status


def _run_one(settings, day: date, args: argparse.Namespace, interactive: bool):
    from pipeline.stages import run_day

    kwargs = dict(
        landing=args.landing,
        shards=args.shards,
        build_report=not args.no_report,
        trigger="cli",
        replace=args.replace,
    )
    if not interactive:
        return run_day(
            settings, day, progress=lambda m: logging.getLogger("envoy").info("%s: %s", day, m), **kwargs
        )
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task(f"{day}", total=STAGES)

        first = [True]

        def progress(msg: str) -> None:
            if first[0]:
                first[0] = False
                bar.update(task, description=f"{day}: {msg}")
                return
            bar.advance(task)
            bar.update(task, description=f"{day}: {msg}")

        summary = run_day(settings, day, progress=progress, **kwargs)
        bar.update(task, completed=STAGES)
    return summary


def print_summary(summary, settings) -> None:
    """The run's `runs` row for a reader: every landing entry accounted for, where the outputs are."""
    t = summary.timings
    if summary.status == "empty":
        print(
            f"envoy run {summary.day}  [empty]  run_id={summary.run_id}\n"
            f"  {summary.landing} holds nothing: nothing was published, the loaded day was left as it was"
        )
        return
    validation = "passed" if summary.validation_success else "FAILED"
    if summary.rejected:
        validation += f" ({summary.rejected} article(s) broke an article-level expectation: quarantined)"
    accounted = "" if summary.accounted() else "  (NOT ACCOUNTED FOR: please report)"
    lines = [
        f"envoy run {summary.day}  [{summary.status}]  run_id={summary.run_id}",
        f"  files        {summary.files} landing entries, holding {summary.inputs} input(s) = "
        f"{summary.articles} articles + {summary.duplicates} duplicates + {summary.quarantined} "
        f"quarantined{accounted}",
        f"  articles     {summary.articles}",
        f"  events       {summary.events}",
        f"  quarantined  {summary.quarantined}   duplicates {summary.duplicates}",
        f"  validation   {validation}",
        "  seconds      " + ", ".join(f"{k} {v:.2f}" for k, v in t.items()),
        f"  lake         {settings.lake}  (version {summary.lake_version})",
        f"  warehouse    {settings.warehouse}",
        f"  data docs    {summary.data_docs or settings.data_docs / 'index.html'}",
    ]
    if summary.report:
        lines.append(f"  report       {summary.report}")
    if summary.quarantined or summary.duplicates:
        lines.append(
            f"  quarantine   table `quarantine` ({summary.quarantined} quarantined, {summary.duplicates} "
            f"duplicates); files copied to {settings.quarantine}/ with a .reason.json each"
        )
    if summary.coding_errors:
        lines.append(f"  not coded    {summary.coding_errors} article(s): the coder failed (see the log)")
    print("\n".join(lines))
