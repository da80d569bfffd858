"""``envoy relations | partners | shifts | evidence | report``: country relations from the warehouse.

Each command opens the warehouse read-only for the length of one query (the loader is the only
writer), or the Parquet lake with ``--lake``, and prints a table, CSV or JSON.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline.commands.arguments import day_arg
from pipeline.commands.output import FORMATS

if TYPE_CHECKING:
    from pipeline.analytics import Result

EVIDENCE_TABLE_COLUMNS = (
    "event_date",
    "source_actor",
    "target_actor",
    "cameo_code",
    "goldstein",
    "trigger",
    "place",
    "evidence",
    "article_id",
)
PERIOD_HELP = "YYYY, YYYY-Qn, YYYY-MM, YYYY-Www, YYYY-MM-DD, or FROM..TO of those"


class CommandError(Exception):
    """A user-facing failure: printed as ``envoy <cmd>: message``, exit code 1."""


# ---------------------------------------------------------------- argument parsing


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--warehouse", type=Path, help="DuckDB file to read (default: ENVOY_WAREHOUSE)")
    p.add_argument(
        "--lake",
        action="store_true",
        help="query the Parquet lake (ENVOY_LAKE) in memory instead of the warehouse file",
    )


def _scheme(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scheme",
        choices=("cameo", "plover"),
        default="cameo",
        help="event coding to count: cameo (QuadClass, Goldstein; default) or plover (PLOVER types, quad "
        "categories and scores, as POLECAT; CAMEO 01/02 left out; see docs/plover.md)",
    )


def _parser(sub: argparse._SubParsersAction, name: str, help: str, description: str, epilog: str):
    return sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = _parser(
        sub,
        "relations",
        "how two countries are doing: both directions per day/week/month",
        "Both directions of the relation between A and B per period: deduplicated events A->B and\n"
        "B->A, their mean Goldstein score (-10 hostile .. +10 friendly), cooperation (QuadClass 1-2)\n"
        "and conflict (3-4) counts, and the combined balance. A and B are actor codes in any case\n"
        "(USA, fra) or names the actor registry knows (France, 'United States').",
        "examples:\n"
        "  envoy relations USA CHN\n"
        "  envoy relations usa France --grain week --since 2025-06 --until 2025-07\n"
        "  envoy relations RUS UKR --format csv > rus_ukr.csv\n"
        f"periods ({PERIOD_HELP}): --since takes the period's first day, --until its last.",
    )
    p.add_argument("a", help="first country/actor (code or name)")
    p.add_argument("b", help="second country/actor (code or name)")
    p.add_argument("--grain", choices=("day", "week", "month", "quarter", "year"), default="month")
    p.add_argument("--since", help="first period to include")
    p.add_argument("--until", help="last period to include")
    _scheme(p)
    _common(p)
    p.set_defaults(func=handle_relations)

    p = _parser(
        sub,
        "partners",
        "a country's partners, ranked by cooperation and by conflict",
        "A's partners (deduplicated events in either direction) with cooperation and conflict counts,\n"
        "mean Goldstein balance and their rank by cooperation and by conflict (1 = most).",
        "examples:\n"
        "  envoy partners USA --top 5\n"
        "  envoy partners DEU --since 2025 --by conflict --format json",
    )
    p.add_argument("a", help="country/actor (code or name)")
    p.add_argument("--since", help=f"first period to include ({PERIOD_HELP})")
    p.add_argument("--until", help="last period to include")
    p.add_argument("--top", type=int, default=10, help="rows to show (default 10; 0 = all)")
    p.add_argument(
        "--by",
        choices=("events", "cooperation", "conflict"),
        default="events",
        help="ordering (default events)",
    )
    _scheme(p)
    _common(p)
    p.set_defaults(func=handle_partners)

    p = _parser(
        sub,
        "shifts",
        "dyads whose mean Goldstein changed most between two periods",
        "Directed dyads (source -> target) whose mean Goldstein score moved most from period P1\n"
        "(--from) to period P2 (--to); only dyads with events in both periods.",
        "examples:\n"
        "  envoy shifts --from 2025-06 --to 2025-07\n"
        "  envoy shifts --from 2024 --to 2025 --min-events 5 --top 10\n"
        "  envoy shifts --from 2025-07-01..2025-07-15 --to 2025-07-16..2025-07-31\n"
        f"periods: {PERIOD_HELP}.",
    )
    p.add_argument("--from", dest="p1", required=True, metavar="P1", help="the earlier period")
    p.add_argument("--to", dest="p2", required=True, metavar="P2", help="the later period")
    p.add_argument("--min-events", type=int, default=1, help="events needed in each period (default 1)")
    p.add_argument("--top", type=int, default=20, help="rows to show (default 20; 0 = all)")
    _common(p)
    p.set_defaults(func=handle_shifts)

    p = _parser(
        sub,
        "evidence",
        "the sentences behind a dyad's events",
        "Every report of A -> B (with --both also B -> A), newest first, with its CAMEO code, trigger\n"
        "and evidence sentence: what to read before trusting a number.",
        "examples:\n"
        "  envoy evidence USA CHN\n"
        "  envoy evidence USA CHN --code 04 --both   # every CONSULT (04x) event, both directions",
    )
    p.add_argument("a", help="source country/actor (code or name)")
    p.add_argument("b", help="target country/actor (code or name)")
    p.add_argument("--code", help="only CAMEO codes starting with this (e.g. 04, 042)")
    p.add_argument("--both", action="store_true", help="include B -> A")
    p.add_argument("--limit", type=int, default=50, help="rows to show (default 50; 0 = all)")
    _common(p)
    p.set_defaults(func=handle_evidence)

    p = _parser(
        sub,
        "report",
        "build the HTML relations report",
        "Build the self-contained HTML relations report (charts, network, data quality, the day's\n"
        "events with evidence) into <reports>/relations/: relations-YYYY-MM-DD.html and index.html.",
        "examples:\n  envoy report                 # the latest loaded day\n  envoy report --day 2025-07-03",
    )
    p.add_argument("--day", type=day_arg, help="day to report (YYYY-MM-DD; default: latest loaded)")
    p.add_argument("--warehouse", type=Path, help="DuckDB file to read (default: ENVOY_WAREHOUSE)")
    p.set_defaults(func=handle_report)


# ---------------------------------------------------------------- output


def emit(result: Result, fmt: str, title: str = "", out: TextIO | None = None) -> None:
    """Print a Result with the shared renderer: a table (2 decimals), CSV or a JSON list of objects."""
    from pipeline.commands import output

    out = out or sys.stdout
    if fmt == "csv":
        output.write_csv(result.columns, result.rows, out)
    elif fmt == "json":
        output.write_json(result.columns, result.rows, out)
    else:
        output.print_table(result.columns, result.rows, out, title=title, digits=2)


def _fail(cmd: str, message: str) -> int:
    print(f"envoy {cmd}: {message}", file=sys.stderr)
    return 1


def _settings(args: argparse.Namespace):
    from pipeline.config import load_settings

    settings = load_settings()
    if getattr(args, "warehouse", None):
        settings = settings.with_overrides(warehouse=args.warehouse.expanduser().resolve())
    return settings


def _guarded(cmd: str, args: argparse.Namespace, body) -> int:
    """Run ``body(settings, con)`` on a short connection, mapping known failures to clear messages."""
    import duckdb

    from pipeline import analytics
    from pipeline.load import WarehouseLocked, WarehouseMissing

    settings = _settings(args)
    try:
        with analytics.connection(settings, lake=getattr(args, "lake", False)) as con:
            return body(con)
    except (analytics.UnknownActor, analytics.BadPeriod, analytics.LakeMissing, CommandError) as exc:
        return _fail(cmd, str(exc))
    except WarehouseMissing:
        return _fail(
            cmd,
            f"no warehouse at {settings.warehouse}: run `envoy run` or `envoy demo` first "
            "(or query the Parquet lake with --lake)",
        )
    except WarehouseLocked as exc:
        return _fail(cmd, f"{exc} (or use --lake to query the Parquet lake meanwhile)")
    except duckdb.Error as exc:
        return _fail(cmd, f"query failed: {exc}")


def _empty(message: str) -> int:
    print(message, file=sys.stderr)
    return 0


def _limit(n: int) -> int | None:
    return None if n <= 0 else n


def _events(scheme: str) -> str:
    return "PLOVER events" if scheme == "plover" else "events"


def _in(scheme: str) -> str:
    return " (PLOVER types and scores)" if scheme == "plover" else ""


def _span(since: date | None, until: date | None) -> str:
    if since is None and until is None:
        return "all time"
    return f"{since or '...'} .. {until or '...'}"


# ---------------------------------------------------------------- handlers


def handle_relations(args: argparse.Namespace) -> int:
    from pipeline import analytics

    def body(con) -> int:
        a, b = analytics.resolve_actor(args.a), analytics.resolve_actor(args.b)
        if a == b:
            raise CommandError(f"{args.a!r} and {args.b!r} are the same actor ({a}); give two different ones")
        since, until = analytics.period_range(args.since, args.until)
        timeline = analytics.relations_timeline(con, a, b, args.grain, since, until, scheme=args.scheme)
        if not timeline:
            return _empty(f"no {_events(args.scheme)} between {a} and {b} ({_span(since, until)})")
        summary = analytics.relation(con, a, b, since, until, scheme=args.scheme)
        if args.format == "json":
            from pipeline.commands.output import dumps, records

            out = {
                "summary": records(summary.columns, summary.rows)[0],
                "timeline": records(timeline.columns, timeline.rows),
            }
            sys.stdout.write(dumps(out) + "\n")
            return 0
        if args.format == "table":
            s = summary.dicts()[0]
            from pipeline.commands.output import print_text

            print_text(
                f"{a} <-> {b}, {_span(since, until)}: {s['events']} events "
                f"({a}->{b} {s['events_a_to_b']}, {b}->{a} {s['events_b_to_a']}), "
                f"cooperation {s['cooperation']}, conflict {s['conflict']}, balance {s['balance']:+.2f}"
            )
        title = f"{a} <-> {b} per {args.grain} (deduplicated {_events(args.scheme)})"
        emit(timeline, args.format, title=title)
        return 0

    return _guarded("relations", args, body)


def handle_partners(args: argparse.Namespace) -> int:
    from pipeline import analytics

    def body(con) -> int:
        a = analytics.resolve_actor(args.a)
        since, until = analytics.period_range(args.since, args.until)
        res = analytics.top_partners(
            con, a, since, until, top=_limit(args.top), by=args.by, scheme=args.scheme
        )
        if not res:
            return _empty(f"no {_events(args.scheme)} involving {a} ({_span(since, until)})")
        title = f"partners of {a}, {_span(since, until)}, by {args.by}{_in(args.scheme)}"
        emit(res, args.format, title=title)
        return 0

    return _guarded("partners", args, body)


def handle_shifts(args: argparse.Namespace) -> int:
    from pipeline import analytics

    def body(con) -> int:
        p1, p2 = analytics.parse_period(args.p1), analytics.parse_period(args.p2)
        if p1[0] > p2[0]:
            raise CommandError(
                f"--from {args.p1} starts after --to {args.p2}: --from is the earlier period (swap them)"
            )
        res = analytics.goldstein_shifts(con, p1, p2, min_events=args.min_events, top=_limit(args.top))
        if not res:
            return _empty(f"no dyad has events in both {p1[0]}..{p1[1]} and {p2[0]}..{p2[1]}")
        emit(res, args.format, title=f"Goldstein shifts {p1[0]}..{p1[1]} -> {p2[0]}..{p2[1]}")
        return 0

    return _guarded("shifts", args, body)


def handle_evidence(args: argparse.Namespace) -> int:
    from pipeline import analytics

    def body(con) -> int:
        a, b = analytics.resolve_actor(args.a), analytics.resolve_actor(args.b)
        if args.code is not None and not args.code.isdigit():
            raise CommandError(f"--code {args.code!r}: a CAMEO code is digits, e.g. 04 or 042")
        res = analytics.dyad_evidence(con, a, b, code=args.code, both=args.both, limit=_limit(args.limit))
        if not res:
            what = f"{a} <-> {b}" if args.both else f"{a} -> {b}"
            return _empty(
                f"no events {what}" + (f" with a CAMEO code starting {args.code}" if args.code else "")
            )
        if args.format == "table":  # the columns a reader needs; csv/json carry them all
            res = res.select(EVIDENCE_TABLE_COLUMNS)
        emit(res, args.format, title=f"evidence {a} {'<->' if args.both else '->'} {b}")
        return 0

    return _guarded("evidence", args, body)


def handle_report(args: argparse.Namespace) -> int:
    from pipeline import report
    from pipeline.load import WarehouseLocked

    settings = _settings(args)
    try:
        path = report.build_report(settings, args.day)
    except WarehouseLocked as exc:
        return _fail("report", str(exc))
    day = report.day_of(path)
    if day is None:
        print(f"relations report: {path} (no loaded data yet: the page says so)")
    else:
        print(f"relations report for {day}: {path}")
    return 0
