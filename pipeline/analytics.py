"""Country relations over the warehouse or the Parquet lake: connections, inputs, dyad questions.

The SQL lives in ``schemas/ddl/20_analytics.sql`` (views and table macros, documented in
docs/analytics.md); this module only opens connections, turns user input (country names, periods)
into parameters and calls the macros, so the CLI, the report and analysts' own DuckDB sessions all
answer the same question the same way.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from pipeline.config import Settings
from schemas import TABLES, contract_path

ANALYTICS_DDL = contract_path("ddl", "20_analytics.sql")
PLOVER_DDL = contract_path("ddl", "12_plover.sql")  # the CAMEO -> PLOVER mapping the analytics views join
SCHEMES = ("cameo", "plover")
BASE_DDL = contract_path("ddl", "10_warehouse.sql")
GRAINS = ("day", "week", "month", "quarter", "year")
LOCK_TIMEOUT = 10.0
#: Tables the lake holds (``runs`` exists only in the warehouse; over the lake it is empty).
LAKE_TABLES = ("articles", "events", "quarantine")


class UnknownActor(ValueError):
    """A country/actor the registry does not know (message suggests close names)."""


class BadPeriod(ValueError):
    """A period string that is none of the documented forms."""


class LakeMissing(FileNotFoundError):
    """``--lake`` was asked for, but the Parquet lake holds no part of any table yet."""


@dataclass(frozen=True)
class Result:
    """Column names and rows of one answer (what the CLI prints and the report draws)."""

    columns: list[str]
    rows: list[tuple]

    def __bool__(self) -> bool:
        return bool(self.rows)

    def select(self, columns: tuple[str, ...] | list[str]) -> Result:
        """Only these columns, in this order."""
        idx = [self.columns.index(c) for c in columns]
        return Result(list(columns), [tuple(r[i] for i in idx) for r in self.rows])

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


# ---------------------------------------------------------------- connections


def _temp_ddl(sql: str) -> str:
    """The analytics DDL as TEMP objects: allowed on a read-only connection, and they shadow whatever
    (possibly older) version the warehouse file holds, so answers always match this code."""
    sql = re.sub(r"CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW", sql)
    return re.sub(r"CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO", sql)


def quiet(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bar: long queries would print one into CLI output and task logs."""
    con.execute("SET enable_progress_bar = false")


def apply_analytics(con: duckdb.DuckDBPyConnection, temp: bool = False) -> None:
    """Create the analytics views and macros on ``con`` (idempotent), after the PLOVER mapping views."""
    for path in (PLOVER_DDL, ANALYTICS_DDL):
        sql = path.read_text(encoding="utf-8")
        con.execute(_temp_ddl(sql) if temp else sql)


@contextmanager
def warehouse_connection(
    settings: Settings, timeout: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection to the warehouse with the analytics layer available.

    Raises ``pipeline.load.WarehouseMissing`` / ``WarehouseLocked`` (a loader holds the file).
    """
    from pipeline.load import connect

    with connect(settings, read_only=True, timeout=LOCK_TIMEOUT if timeout is None else timeout) as con:
        quiet(con)
        _shadow_old_tables(con)
        apply_analytics(con, temp=True)
        yield con


def _shadow_old_tables(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse not loaded since contract columns were added (the next load adds them) gets, on this
    read-only connection, a TEMP view of each such table with those columns as NULL, so the views and
    the commands work on it unchanged."""
    db = con.execute("SELECT current_database()").fetchall()[0][0]
    have: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall():
        have.setdefault(table, set()).add(column)
    for table in LAKE_TABLES:
        if table not in have:
            continue
        missing = [f for f in TABLES[table] if f.name not in have[table]]
        if missing:
            extra = "".join(f", CAST(NULL AS {_DUCK_TYPES[str(f.type)]}) AS {f.name}" for f in missing)
            quoted = db.replace('"', '""')
            con.execute(f'CREATE TEMP VIEW {table} AS SELECT *{extra} FROM "{quoted}".main.{table}')


_DUCK_TYPES = {
    "string": "VARCHAR", "double": "DOUBLE", "int32": "INTEGER", "int64": "BIGINT", "int8": "TINYINT",
    "date32[day]": "DATE", "bool": "BOOLEAN", "timestamp[us, tz=UTC]": "TIMESTAMPTZ",
}  # fmt: skip


def lake_connection(settings: Settings) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose ``events``/``articles``/``quarantine`` are views over the Parquet lake,
    with the same analytics views and macros: analysts query while the warehouse file is busy.

    The views read each day's published version, through its manifest (one read per day, so one
    version of every table), never a batch being staged or one that failed validation. The lake holds
    every coded row; the warehouse skips an article already loaded from another day, so counts can
    differ slightly where the same article landed twice. The caller closes the connection.
    Raises :class:`LakeMissing` when the lake has no parts at all (rather than answering "no events").
    """
    from pipeline import lake

    files_of = lake.lake_snapshot(settings, LAKE_TABLES)
    present = [table for table in LAKE_TABLES if files_of[table]]
    if not present:
        raise LakeMissing(
            f"no Parquet lake at {settings.lake} (no {', '.join(LAKE_TABLES)} parts): run `envoy run` or "
            "`envoy demo` first, or set ENVOY_LAKE to the lake's folder"
        )
    con = duckdb.connect()
    quiet(con)
    con.execute(BASE_DDL.read_text(encoding="utf-8"))  # empty tables for those with no parts yet
    for table in present:
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files_of[table])
        source = f"read_parquet([{listed}], hive_partitioning = true, union_by_name = true)"
        # contract columns older parts lack (a lake written before they were added) read as NULL
        have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        contract = set(TABLES[table].names)
        missing = [
            f"CAST(NULL AS {kind}) AS {c}"
            for c, kind in con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
            if c in contract and c not in have
        ]
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE VIEW {table} AS SELECT *{''.join(', ' + m for m in missing)} FROM {source}")
    apply_analytics(con)
    return con


@contextmanager
def connection(settings: Settings, lake: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse (default) or the lake, closed on exit either way."""
    if lake:
        con = lake_connection(settings)
        try:
            yield con
        finally:
            con.close()
    else:
        with warehouse_connection(settings) as con:
            yield con


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> Result:
    cur = con.execute(sql, params or [])
    return Result([d[0] for d in cur.description], cur.fetchall())


# ---------------------------------------------------------------- inputs


def resolve_actor(text: str, on: date | None = None) -> str:
    """An actor code from a code in any case ("usa"), an ISO 3166 alpha-2 code ("GB"), a name the
    registry knows ("France", "the Kremlin") or an ISO name pycountry knows ("Viet Nam")."""
    from pipeline.extract.actors import ActorRegistry, valid_codes

    raw = text.strip()
    codes = valid_codes()
    if raw.upper() in codes:
        return raw.upper()
    if len(raw) == 2 and raw.isalpha() and (code := _iso_alpha3(alpha_2=raw.upper())) in codes:
        return code
    registry = ActorRegistry.default()
    actor = registry.lookup(raw, on=on) or registry.lookup(raw)
    if actor is not None:
        return actor.code
    if (code := _iso_alpha3(name=raw)) in codes:
        return code
    raise UnknownActor(
        f"unknown country or actor {text!r}: give an ISO 3166 code (USA, fra, GB) or a name "
        f"(France){_suggestion(raw, codes, registry)}"
    )


def _iso_alpha3(alpha_2: str | None = None, name: str | None = None) -> str | None:
    """ISO 3166 alpha-3 code for an alpha-2 code or any name/code form pycountry knows."""
    import pycountry

    try:
        country = pycountry.countries.get(alpha_2=alpha_2) if alpha_2 else pycountry.countries.lookup(name)
    except LookupError:
        return None
    return country.alpha_3 if country else None


def country_name(code: str) -> str | None:
    """The ISO 3166 short name of an alpha-3 code ("GBR" -> "United Kingdom"), None for IGOs etc."""
    import pycountry

    country = pycountry.countries.get(alpha_3=code.upper())
    return getattr(country, "common_name", None) or country.name if country else None


def _close_codes(raw: str, codes: set[str], n: int = 2) -> list[str]:
    """Three-letter codes one typo away, those sharing the longest prefix first (CHM -> CHN)."""
    close = difflib.get_close_matches(raw, [c for c in codes if len(c) == 3], n=20, cutoff=0.6)
    prefix = [len(os.path.commonprefix([raw, c])) for c in close]
    return [c for _, c in sorted(zip(prefix, close, strict=True), key=lambda p: -p[0])][:n]


def _suggestion(raw: str, codes: set[str], registry: Any) -> str:
    """"; did you mean ...?" with the closest codes ("USAA" -> USA) and names ("Frnace" -> France)."""
    from pipeline.extract.actors import normalise_alias

    key = normalise_alias(raw)
    by_key = {normalise_alias(alias): repr(alias) for alias in registry.aliases()}
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.75)
    hints = [by_key[c] for c in close]
    if len(raw) <= 4 and raw.isalpha():
        for code in reversed(_close_codes(raw.upper(), codes)):
            name = country_name(code)
            hints.insert(0, f"{code} ({name})" if name else code)
    hints = list(dict.fromkeys(hints))[:3]
    return f"; did you mean {', '.join(hints)}?" if hints else ""


PERIOD_FORMS = "YYYY, YYYY-Qn, YYYY-MM, YYYY-Www, YYYY-MM-DD or FROM..TO of those"
#: The written forms of a period and the pandas frequency each stands for (weeks are ISO, Mon-Sun).
_PERIOD_PATTERNS = (
    (re.compile(r"\d{4}"), "Y"),
    (re.compile(r"\d{4}-Q[1-4]"), "Q"),
    (re.compile(r"\d{4}-W\d{2}"), "W-SUN"),
    (re.compile(r"\d{4}-\d{2}"), "M"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "D"),
)


def _one_period(text: str) -> tuple[date, date]:
    """First and last day of one period written in a documented form, via ``pandas.Period``."""
    import pandas as pd

    t = text.strip().upper()
    freq = next((f for pattern, f in _PERIOD_PATTERNS if pattern.fullmatch(t)), None)
    if freq is None:
        raise BadPeriod(f"invalid period {text!r}: use {PERIOD_FORMS}")
    try:
        if freq == "W-SUN":  # pandas does not read ISO week numbers; its W-SUN weeks run Monday-Sunday
            year, week = t.split("-W")
            period = pd.Period(date.fromisocalendar(int(year), int(week), 1), freq=freq)
        else:
            period = pd.Period(t, freq=freq)
    except ValueError as exc:
        raise BadPeriod(f"invalid period {text!r}: {exc}; use {PERIOD_FORMS}") from None
    return period.start_time.date(), period.end_time.date()


def parse_period(text: str) -> tuple[date, date]:
    """Inclusive (first, last) day of a period: ``2025``, ``2025-Q3``, ``2025-07``, ``2025-W27``,
    ``2025-07-01``, or ``A..B`` (from the start of A to the end of B, e.g. ``2025-07-01..2025-07-31``)."""
    if ".." in text:
        left, _, right = text.partition("..")
        start, end = _one_period(left)[0], _one_period(right)[1]
    else:
        start, end = _one_period(text)
    if start > end:
        raise BadPeriod(f"invalid period {text!r}: it ends before it starts")
    return start, end


def period_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """``--since``/``--until`` as (first day of since, last day of until); rejects a reversed range."""
    start = None if since is None else parse_period(since)[0]
    end = None if until is None else parse_period(until)[1]
    if start is not None and end is not None and start > end:
        raise BadPeriod(
            f"--since {since} is after --until {until} ({start} > {end}): give the earlier period first"
        )
    return start, end


def period_start(text: str | None) -> date | None:
    """``--since`` value: the first day of the period given (None passes through)."""
    return None if text is None else parse_period(text)[0]


def period_end(text: str | None) -> date | None:
    """``--until`` value: the last day of the period given (``--until 2025`` = through 31 Dec)."""
    return None if text is None else parse_period(text)[1]


# ---------------------------------------------------------------- questions (one macro each)


def relation(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    since: date | None = None,
    until: date | None = None,
    scheme: str = "cameo",
) -> Result:
    """One row: both directions of the pair {a, b} over [since, until], under ``scheme`` (SCHEMES)."""
    return run(
        con,
        "SELECT * FROM relation_summary(?, ?, since := ?, until := ?, scheme := ?)",
        [a, b, since, until, _check_scheme(scheme)],
    )


def relations_timeline(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    grain: str = "month",
    since: date | None = None,
    until: date | None = None,
    scheme: str = "cameo",
) -> Result:
    """Both directions of {a, b} per period (deduplicated events of ``scheme``)."""
    _check_grain(grain)
    return run(
        con,
        "SELECT * FROM relations_timeline(?, ?, grain := ?, since := ?, until := ?, scheme := ?)",
        [a, b, grain, since, until, _check_scheme(scheme)],
    )


def dyad_timeline(con: duckdb.DuckDBPyConnection, a: str, b: str, grain: str = "month") -> Result:
    """The directed dyad a -> b per period."""
    _check_grain(grain)
    return run(con, "SELECT * FROM dyad_timeline(?, ?, grain := ?)", [a, b, grain])


def top_partners(
    con: duckdb.DuckDBPyConnection,
    a: str,
    since: date | None = None,
    until: date | None = None,
    top: int | None = 10,
    by: str = "events",
    scheme: str = "cameo",
) -> Result:
    """a's partners, most events first (or by cooperation/conflict rank), at most ``top`` rows; under
    ``scheme`` "plover" cooperation and conflict are PLOVER's quad categories, balance its score."""
    order = {
        "events": "events DESC, partner",
        "cooperation": "cooperation_rank NULLS LAST, events DESC, partner",
        "conflict": "conflict_rank NULLS LAST, events DESC, partner",
    }[by]
    limit = "" if top is None else f" LIMIT {int(top)}"
    return run(
        con,
        f"SELECT * FROM top_partners(?, since := ?, until := ?, scheme := ?) ORDER BY {order}{limit}",
        [a, since, until, _check_scheme(scheme)],
    )


def goldstein_shifts(
    con: duckdb.DuckDBPyConnection,
    p1: tuple[date, date],
    p2: tuple[date, date],
    min_events: int = 1,
    top: int | None = 20,
) -> Result:
    """Directed dyads whose mean Goldstein moved most from period p1 to p2."""
    limit = "" if top is None else f" LIMIT {int(top)}"
    return run(
        con,
        f"SELECT * FROM goldstein_shifts(?, ?, ?, ?, min_events := ?){limit}",
        [p1[0], p1[1], p2[0], p2[1], int(min_events)],
    )


def dyad_evidence(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    code: str | None = None,
    both: bool = False,
    limit: int | None = 50,
) -> Result:
    """Reports of a -> b (and b -> a with ``both``) with their evidence sentences, newest first."""
    lim = "" if limit is None else f" LIMIT {int(limit)}"
    return run(
        con,
        f"SELECT * FROM dyad_evidence(?, ?, code := ?, both_directions := ?){lim}",
        [a, b, code, both],
    )


def _check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}: use one of {', '.join(SCHEMES)}")
    return scheme


def _check_grain(grain: str) -> None:
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}: use one of {', '.join(GRAINS)}")


def has_events(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchall()[0][0])


def warehouse_exists(settings: Settings) -> bool:
    from pipeline.load import warehouse_exists as exists

    return exists(settings)
