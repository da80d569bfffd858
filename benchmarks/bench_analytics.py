"""Scale check for the relations layer: 10M synthetic events, ten years, 200 countries.

Why: the analytics views aggregate on the fly (no materialised summaries). This proves the dyad
questions stay interactive (< 1 s on 2 cores) at a decade of heavy news volume, and measures the
same questions over the Parquet lake.

    .venv/bin/python benchmarks/bench_analytics.py                  # 10M events, warehouse file
    .venv/bin/python benchmarks/bench_analytics.py --lake           # + the same over Parquet
    .venv/bin/python benchmarks/bench_analytics.py --events 1000000 --dir /tmp/b --keep
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DDL = [ROOT / "schemas" / "ddl" / f for f in ("10_warehouse.sql", "12_plover.sql", "20_analytics.sql")]


def country_codes(n: int) -> list[str]:
    """n real ISO alpha-3 codes (synthetic 'X00'.. beyond the ~250 that exist)."""
    import pycountry

    codes = sorted(c.alpha_3 for c in pycountry.countries)
    codes += [f"X{i:02d}" for i in range(max(0, n - len(codes)))]
    return codes[:n]


def cameo_codes() -> list[tuple[str, str, int, float]]:
    from pipeline.extract.codebook import codebook

    return [(c.code, c.root, c.quad_class, c.goldstein) for c in codebook().values()]


def sql_list(values: list) -> str:
    return "[" + ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values) + "]"


def generate(con: duckdb.DuckDBPyConnection, n_events: int, n_countries: int, years: int) -> None:
    """Insert n_events rows into `events`, ordered by ingest day like daily loads would append them.

    Country activity is skewed (a few countries make most news); every 5th row re-reports the previous
    row's event from another article, so events_dedup has real work to do.
    """
    countries = country_codes(n_countries)
    codes = cameo_codes()
    days = 365 * years + years // 4
    con.execute(
        f"""
        INSERT INTO events (event_id, article_id, source_file, sentence_index, publication_date, event_date,
            date_precision, source_actor, source_name, target_actor, target_name, cameo_code, cameo_root,
            quad_class, goldstein, confidence, evidence, trigger, mentions, source_agent, target_agent,
            ingest_date)
        WITH base AS (
            SELECT i, CASE WHEN i % 5 = 4 THEN i - 1 ELSE i END AS k FROM range({n_events}) t(i)
        ), keyed AS (
            SELECT i, k,
                CAST(floor({n_countries} * pow((hash(k, 1) % 1000003) / 1000003.0, 2)) AS INTEGER) AS s,
                CAST(floor({n_countries} * pow((hash(k, 2) % 1000003) / 1000003.0, 2)) AS INTEGER) AS t0,
                CAST(hash(k, 3) % {days} AS INTEGER) AS d,
                CAST(hash(k, 4) % {len(codes)} AS INTEGER) AS c,
                CAST(hash(i, 5) % 3 AS INTEGER) AS lag
            FROM base
        ), rows AS (
            SELECT *, CASE WHEN t0 = s THEN (s + 1) % {n_countries} ELSE t0 END AS t,
                DATE '2016-01-01' + d AS event_date
            FROM keyed
        )
        SELECT
            'ev-' || i,
            CASE WHEN i % 5 = 4 THEN 'dup-' || i ELSE 'art-' || (i // 5) END,
            'synthetic/' || (event_date + lag) || '.json',
            CAST(i % 40 AS INTEGER),
            event_date + lag,
            event_date,
            'day',
            {sql_list(countries)}[s + 1],
            NULL,
            {sql_list(countries)}[t + 1],
            NULL,
            {sql_list([c[0] for c in codes])}[c + 1],
            {sql_list([c[1] for c in codes])}[c + 1],
            {sql_list([c[2] for c in codes])}[c + 1],
            {sql_list([c[3] for c in codes])}[c + 1],
            0.5 + (hash(i, 6) % 50) / 100.0,
            'Synthetic report ' || i || ': ' || {sql_list(countries)}[s + 1] || ' did CAMEO '
                || {sql_list([c[0] for c in codes])}[c + 1] || ' to ' || {sql_list(countries)}[t + 1] || '.',
            'did',
            CAST(1 + hash(i, 7) % 3 AS INTEGER),
            'GOV',
            NULL,
            event_date + lag
        FROM rows
        ORDER BY event_date + lag
        """
    )


def queries(top_a: str, top_b: str, mid_a: str, last_day: str) -> dict[str, str]:
    """The dyad questions the CLI and report ask, for a busy pair and a middling country."""
    y = int(last_day[:4]) - 1  # the last complete year
    return {
        "dyad_timeline month (busiest dyad)": f"SELECT * FROM dyad_timeline('{top_a}', '{top_b}', 'month')",
        "dyad_timeline day (busiest dyad)": f"SELECT * FROM dyad_timeline('{top_a}', '{top_b}', 'day')",
        "relations_timeline week": f"SELECT * FROM relations_timeline('{top_a}', '{top_b}', 'week')",
        "relations row (one pair)": (
            f"SELECT * FROM relations WHERE actor_a = least('{top_a}', '{top_b}') "
            f"AND actor_b = greatest('{top_a}', '{top_b}')"
        ),
        "top_partners all time (busiest)": f"SELECT * FROM top_partners('{top_a}')",
        "top_partners one year (middling)": (
            f"SELECT * FROM top_partners('{mid_a}', DATE '{y - 1}-01-01', DATE '{y - 1}-12-31')"
        ),
        "goldstein_shifts month vs month": (
            f"SELECT * FROM goldstein_shifts(DATE '{y}-01-01', DATE '{y}-01-31', DATE '{y}-02-01', "
            f"DATE '{y}-02-28') LIMIT 20"
        ),
        "goldstein_shifts year vs year": (
            f"SELECT * FROM goldstein_shifts(DATE '{y - 2}-01-01', DATE '{y - 2}-12-31', "
            f"DATE '{y - 1}-01-01', "
            f"DATE '{y - 1}-12-31') LIMIT 20"
        ),
        "dyad_evidence (busiest, 50 rows)": f"SELECT * FROM dyad_evidence('{top_a}', '{top_b}') LIMIT 50",
        "dyad_monthly one dyad": (
            f"SELECT * FROM dyad_monthly WHERE source_actor = '{top_a}' AND target_actor = '{top_b}'"
        ),
        "report: day's events (one ingest day)": (
            f"SELECT * FROM events WHERE ingest_date = DATE '{last_day}'"
        ),
        "report: top dyads last 90 days": (
            f"SELECT source_actor, target_actor, count(*) FROM events_dedup WHERE event_date > "
            f"DATE '{last_day}' - 90 GROUP BY ALL ORDER BY 3 DESC LIMIT 15"
        ),
        "full scan: relations, all pairs": "SELECT count(*), sum(events) FROM relations",
    }


def time_queries(
    con: duckdb.DuckDBPyConnection, qs: dict[str, str], repeat: int
) -> list[tuple[str, float, int]]:
    out = []
    for name, q in qs.items():
        runs = []
        rows = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = con.sql(q).to_arrow_table().num_rows
            runs.append(time.perf_counter() - t0)
        out.append((name, statistics.median(runs), rows))
    return out


#: With ``--json`` the tables are collected here and printed as one JSON object at the end.
COLLECTED: dict[str, list[dict]] | None = None


def print_table(title: str, results: list[tuple[str, float, int]]) -> None:
    if COLLECTED is not None:
        COLLECTED[title] = [{"query": n, "median_s": round(s, 4), "rows": r} for n, s, r in results]
        return
    print(f"\n{title}")
    print(f"{'query':45} {'median s':>9} {'rows':>8}")
    for name, secs, rows in results:
        flag = "" if secs < 1.0 or name.startswith("full scan") else "  <-- over 1 s"
        print(f"{name:45} {secs:9.3f} {rows:8d}{flag}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="runs per query; the median is reported")
    ap.add_argument("--dir", type=Path, help="work folder (default: a temp folder, removed unless --keep)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument(
        "--lake", action="store_true", help="also export a Hive-partitioned Parquet lake and time it"
    )
    ap.add_argument("--json", action="store_true", help="print the query timings as JSON (nothing else)")
    args = ap.parse_args()
    global COLLECTED
    if args.json:
        COLLECTED = {}

    work = args.dir or Path(tempfile.mkdtemp(prefix="envoy-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(db))
        for f in DDL:
            con.execute(f.read_text())
        t0 = time.perf_counter()
        generate(con, args.events, args.countries, args.years)
        con.execute("CHECKPOINT")
        gen_s = time.perf_counter() - t0
        n = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        n_dedup = con.execute("SELECT count(*) FROM events_dedup").fetchall()[0][0]
        print(
            f"generated {n:,} events ({n_dedup:,} after dedup), {args.countries} countries, "
            f"{args.years} years in {gen_s:.1f} s; file {db.stat().st_size / 1e9:.2f} GB"
        )
        ((top_a, top_b),) = con.execute(
            "SELECT source_actor, target_actor FROM events GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()
        ((mid_a,),) = con.execute(
            "SELECT source_actor FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1 OFFSET 50"
        ).fetchall()
        last_day = str(con.execute("SELECT max(ingest_date) FROM events").fetchall()[0][0])
        busiest = con.execute(
            f"SELECT count(*) FROM events WHERE source_actor = '{top_a}' AND target_actor = '{top_b}'"
        ).fetchall()[0][0]
        print(
            f"busiest dyad {top_a}->{top_b} ({busiest:,} reports); middling country {mid_a}; "
            f"last day {last_day}"
        )
        con.close()

        qs = queries(top_a, top_b, mid_a, last_day)
        con = duckdb.connect(str(db), read_only=True)
        print_table("warehouse (DuckDB file, read-only connection)", time_queries(con, qs, args.repeat))
        con.close()

        if args.lake:
            lake = work / "lake" / "events"
            shutil.rmtree(lake, ignore_errors=True)
            lake.parent.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            con = duckdb.connect(str(db), read_only=True)
            # Same layout as pipeline.store: events/ingest_date=YYYY-MM-DD/part-*.parquet (zstd).
            con.execute(
                f"COPY (SELECT * FROM events) TO '{lake}' (FORMAT parquet, COMPRESSION zstd, "
                f"PARTITION_BY (ingest_date), FILENAME_PATTERN 'part-{{i}}')"
            )
            con.close()
            print(
                f"\nexported the lake ({sum(1 for _ in lake.glob('*/*.parquet'))} files) in "
                f"{time.perf_counter() - t0:.1f} s"
            )
            con = duckdb.connect()
            con.execute(
                "CREATE VIEW events AS SELECT * FROM "
                f"read_parquet('{lake}/*/*.parquet', hive_partitioning=true)"
            )
            con.execute(DDL[1].read_text())
            print_table(
                "Parquet lake (in-memory DuckDB over read_parquet)", time_queries(con, qs, args.repeat)
            )
            con.close()
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    if COLLECTED is not None:
        print(json.dumps(COLLECTED))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
