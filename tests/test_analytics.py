"""The relations layer (schemas/ddl/20_analytics.sql, pipeline.analytics) and its CLI commands.

A dozen hand-made events with answers worked out by hand below:

    e1/e2  07-01 USA->CHN 042 (+2)  the same event in articles a1 and a2 (one deduplicated event)
    e3     07-01 USA->CHN 112 (-2)
    e4     07-08 CHN->USA 190 (-10)   e5 07-09 CHN->USA 057 (+8)
    e6     08-05 USA->CHN 036 (+4)    e7 08-05 USA->FRA 057 (+8)
    e8/e9  07-15 FRA->USA 112 (-2)  twice in article a5 (one deduplicated event)
    e10    08-20 FRA->USA 042 (+2)    e11 08-20 RUS->UKR 190 (-10)
    e12    07-20 RUS->UKR 036 (+4)    e13 07-20 USA->USA 010 (0, domestic: never a relation)
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from pipeline import analytics

D = date.fromisoformat
#        id     article pub           event         src    tgt    code   q  gold   mentions sent
EVENTS = [
    ("e1", "a1", "2025-07-01", "2025-07-01", "USA", "CHN", "042", 1, 2.0, 1, 0),
    ("e2", "a2", "2025-07-02", "2025-07-01", "USA", "CHN", "042", 1, 2.0, 2, 0),
    ("e3", "a1", "2025-07-01", "2025-07-01", "USA", "CHN", "112", 3, -2.0, 1, 1),
    ("e4", "a3", "2025-07-09", "2025-07-08", "CHN", "USA", "190", 4, -10.0, 1, 0),
    ("e5", "a3", "2025-07-09", "2025-07-09", "CHN", "USA", "057", 2, 8.0, 3, 1),
    ("e6", "a4", "2025-08-05", "2025-08-05", "USA", "CHN", "036", 1, 4.0, 1, 0),
    ("e7", "a4", "2025-08-05", "2025-08-05", "USA", "FRA", "057", 2, 8.0, 1, 1),
    ("e8", "a5", "2025-07-15", "2025-07-15", "FRA", "USA", "112", 3, -2.0, 1, 0),
    ("e9", "a5", "2025-07-15", "2025-07-15", "FRA", "USA", "112", 3, -2.0, 1, 2),
    ("e10", "a6", "2025-08-20", "2025-08-20", "FRA", "USA", "042", 1, 2.0, 1, 0),
    ("e11", "a6", "2025-08-20", "2025-08-20", "RUS", "UKR", "190", 4, -10.0, 1, 1),
    ("e12", "a7", "2025-07-20", "2025-07-20", "RUS", "UKR", "036", 1, 4.0, 1, 0),
    ("e13", "a7", "2025-07-20", "2025-07-20", "USA", "USA", "010", 1, 0.0, 1, 1),
]


def event_rows(events=EVENTS) -> list[dict]:
    """Rows in the lake's Arrow contract (no ingest_date: that is the partition)."""
    rows = []
    for eid, art, pub, evd, src, tgt, code, q, gold, mentions, sent in events:
        rows.append(
            dict(
                event_id=eid,
                article_id=art,
                source_file=f"{art}.json",
                sentence_index=sent,
                publication_date=D(pub),
                event_date=D(evd),
                date_precision="day",
                source_actor=src,
                source_name=src.title(),
                target_actor=tgt,
                target_name=tgt.title(),
                cameo_code=code,
                cameo_root=code[:2],
                quad_class=q,
                goldstein=gold,
                confidence=0.9,
                evidence=f"Sentence {sent} of {art}: {src} trigger-{code} {tgt}.",
                trigger=f"trigger-{code}",
                mentions=mentions,
                source_agent=None,
                target_agent=None,
            )
        )
    return rows


def make_warehouse(
    settings, events=EVENTS, runs: list[dict] | None = None, quarantine: list[tuple] = ()
) -> None:
    """A warehouse with the real DDL (pipeline.load), holding the given events; ingest_date = publication."""
    from pipeline.load import connect

    with connect(settings) as con:
        for r in event_rows(events):
            con.execute(
                "INSERT INTO events (event_id, article_id, source_file, sentence_index, "
                "publication_date, event_date, date_precision, source_actor, source_name, target_actor, "
                "target_name, cameo_code, cameo_root, quad_class, goldstein, confidence, evidence, trigger, "
                "mentions, source_agent, target_agent, ingest_date) "
                "VALUES ($event_id, $article_id, $source_file, $sentence_index, "
                "$publication_date, $event_date, $date_precision, $source_actor, $source_name, "
                "$target_actor, "
                "$target_name, $cameo_code, $cameo_root, $quad_class, $goldstein, $confidence, $evidence, "
                "$trigger, $mentions, $source_agent, $target_agent, $publication_date)",
                r,
            )
        con.execute(
            "INSERT INTO articles SELECT DISTINCT ON (article_id) article_id, source_file, publication_date, "
            "'Title of ' || article_id, 'https://news.example/' || article_id, 'example', 100, "
            "TIMESTAMPTZ '2025-09-01 00:00:00+00', publication_date FROM events"
        )
        for q in quarantine:
            con.execute(
                "INSERT INTO quarantine (file, reason, detail, day, recorded_at, ingest_date)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                list(q),
            )
        for run in runs or []:
            cols = ", ".join(run)
            con.execute(f"INSERT INTO runs ({cols}) VALUES ({', '.join('?' * len(run))})", list(run.values()))


@pytest.fixture
def wh(settings):
    make_warehouse(settings)
    return settings


@pytest.fixture
def con(wh):
    with analytics.warehouse_connection(wh) as c:
        yield c


def rows(con, sql: str) -> list[dict]:
    return analytics.run(con, sql).dicts()


# ---------------------------------------------------------------- views


def test_events_dedup_collapses_cross_article_and_repeated_reports(con):
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == 13
    assert con.execute("SELECT count(*) FROM events_dedup").fetchall()[0][0] == 11
    (visit,) = rows(con, "SELECT * FROM events_dedup WHERE event_date = '2025-07-01' AND cameo_code = '042'")
    assert (visit["n_articles"], visit["n_reports"], visit["n_mentions"]) == (2, 2, 3)
    assert visit["article_ids"] == ["a1", "a2"]
    assert visit["first_evidence"].startswith("Sentence 0 of a1")  # a1 was published first
    assert visit["first_reported"] == D("2025-07-01") and visit["last_reported"] == D("2025-07-02")
    (accuse,) = rows(con, "SELECT * FROM events_dedup WHERE source_actor = 'FRA' AND cameo_code = '112'")
    assert (accuse["n_articles"], accuse["n_reports"], accuse["n_mentions"]) == (1, 2, 2)


def test_dyad_daily_weekly_monthly(con):
    (day,) = rows(
        con,
        "SELECT * FROM dyad_daily WHERE source_actor = 'USA' AND target_actor = 'CHN' "
        "AND period_start = '2025-07-01'",
    )
    assert (day["events"], day["q1"], day["q2"], day["q3"], day["q4"]) == (2, 1, 0, 1, 0)
    assert day["goldstein_sum"] == pytest.approx(0.0) and day["goldstein_mean"] == pytest.approx(0.0)
    assert (day["n_articles"], day["n_mentions"]) == (2, 4)

    (week,) = rows(con, "SELECT * FROM dyad_weekly WHERE source_actor = 'CHN' AND target_actor = 'USA'")
    assert week["period_start"] == D("2025-07-07")  # Monday of 8 and 9 July
    assert (week["events"], week["q2"], week["q4"], week["n_articles"]) == (2, 1, 1, 1)
    assert week["goldstein_sum"] == pytest.approx(-2.0) and week["goldstein_mean"] == pytest.approx(-1.0)

    months = rows(
        con,
        "SELECT period_start, events, goldstein_mean FROM dyad_monthly "
        "WHERE source_actor = 'USA' AND target_actor = 'CHN' ORDER BY 1",
    )
    assert [(m["period_start"], m["events"]) for m in months] == [(D("2025-07-01"), 2), (D("2025-08-01"), 1)]
    assert months[1]["goldstein_mean"] == pytest.approx(4.0)


def test_relations_pairs_both_directions(con):
    (r,) = rows(con, "SELECT * FROM relations WHERE actor_a = 'CHN' AND actor_b = 'USA'")
    assert (r["events"], r["events_a_to_b"], r["events_b_to_a"]) == (5, 2, 3)
    assert r["goldstein_a_to_b"] == pytest.approx(-1.0)  # CHN->USA: (-10 + 8) / 2
    assert r["goldstein_b_to_a"] == pytest.approx(4 / 3)  # USA->CHN: (2 - 2 + 4) / 3
    assert (r["cooperation"], r["conflict"]) == (3, 2)
    assert r["balance"] == pytest.approx(0.4)  # (2 - 2 + 4 - 10 + 8) / 5
    pairs = {(x["actor_a"], x["actor_b"]) for x in rows(con, "SELECT * FROM relations")}
    assert pairs == {("CHN", "USA"), ("FRA", "USA"), ("RUS", "UKR")}  # no USA-USA

    monthly = rows(con, "SELECT * FROM relations_monthly WHERE actor_a = 'FRA' ORDER BY period_start")
    assert [(m["period_start"], m["events"]) for m in monthly] == [(D("2025-07-01"), 1), (D("2025-08-01"), 2)]
    assert monthly[1]["balance"] == pytest.approx(5.0)  # (2 + 8) / 2


# ---------------------------------------------------------------- macros


def test_dyad_timeline_is_directed_and_case_insensitive(con):
    res = analytics.dyad_timeline(con, "usa", "chn", "month").dicts()
    assert [(r["period_start"], r["events"], r["q1"], r["q3"]) for r in res] == [
        (D("2025-07-01"), 2, 1, 1),
        (D("2025-08-01"), 1, 1, 0),
    ]
    days = analytics.dyad_timeline(con, "CHN", "USA", "day").dicts()
    assert [(r["period_start"], r["goldstein_mean"]) for r in days] == [
        (D("2025-07-08"), -10.0),
        (D("2025-07-09"), 8.0),
    ]
    with pytest.raises(ValueError, match="grain"):
        analytics.dyad_timeline(con, "USA", "CHN", "fortnight")


def test_relations_timeline_and_summary_oriented_as_asked(con):
    res = analytics.relations_timeline(con, "USA", "CHN", "month").dicts()
    july, aug = res
    assert (july["events"], july["events_a_to_b"], july["events_b_to_a"]) == (4, 2, 2)
    assert july["goldstein_a_to_b"] == pytest.approx(0.0) and july["goldstein_b_to_a"] == pytest.approx(-1.0)
    assert july["balance"] == pytest.approx(-0.5)
    assert (aug["events"], aug["events_a_to_b"], aug["events_b_to_a"]) == (1, 1, 0)

    (s,) = analytics.relation(con, "USA", "CHN", since=D("2025-07-05")).dicts()
    assert (s["actor_a"], s["events"], s["events_a_to_b"], s["events_b_to_a"]) == ("USA", 3, 1, 2)
    assert s["first_event"] == D("2025-07-08") and s["last_event"] == D("2025-08-05")
    (s,) = analytics.relation(con, "USA", "CHN", until=D("2025-07-01")).dicts()
    assert s["events"] == 2


def test_top_partners_ranks_cooperation_and_conflict(con):
    res = analytics.top_partners(con, "USA", top=None).dicts()
    assert [r["partner"] for r in res] == ["CHN", "FRA"]  # USA->USA is not a partnership
    chn, fra = res
    assert (chn["events"], chn["outgoing"], chn["incoming"], chn["cooperation"], chn["conflict"]) == (
        5,
        3,
        2,
        3,
        2,
    )
    assert (fra["events"], fra["cooperation"], fra["conflict"]) == (3, 2, 1)
    assert (chn["cooperation_rank"], chn["conflict_rank"], fra["cooperation_rank"]) == (1, 1, 2)

    august = analytics.top_partners(con, "usa", since=D("2025-08-01")).dicts()
    assert [(r["partner"], r["events"], r["outgoing"], r["incoming"]) for r in august] == [
        ("FRA", 2, 1, 1),
        ("CHN", 1, 1, 0),
    ]
    assert analytics.top_partners(con, "USA", top=1).rows[0][0] == "CHN"


def test_goldstein_shifts_between_periods(con):
    july, august = analytics.parse_period("2025-07"), analytics.parse_period("2025-08")
    res = analytics.goldstein_shifts(con, july, august).dicts()
    got = [(r["source_actor"], r["target_actor"], r["events_1"], r["events_2"], r["shift"]) for r in res]
    assert got == [("RUS", "UKR", 1, 1, -14.0), ("USA", "CHN", 2, 1, 4.0), ("FRA", "USA", 1, 1, 4.0)]
    assert not analytics.goldstein_shifts(con, july, august, min_events=2)


def test_dyad_evidence_reports_newest_first_with_code_filter(con):
    res = analytics.dyad_evidence(con, "USA", "CHN").dicts()
    assert [r["event_id"] for r in res] == ["e6", "e2", "e1", "e3"]
    assert res[0]["evidence"] == "Sentence 0 of a4: USA trigger-036 CHN."
    assert [r["event_id"] for r in analytics.dyad_evidence(con, "USA", "CHN", code="04").dicts()] == [
        "e2",
        "e1",
    ]
    both = analytics.dyad_evidence(con, "usa", "chn", both=True).dicts()
    assert {r["event_id"] for r in both} == {"e1", "e2", "e3", "e4", "e5", "e6"}


def test_analytics_ddl_is_idempotent(wh):
    from pipeline.load import connect

    with connect(wh) as c:  # ensure_schema applied it once; again must not fail
        analytics.apply_analytics(c)
        assert c.execute("SELECT count(*) FROM relations").fetchall()[0][0] == 3


def test_lake_connection_answers_like_the_warehouse(settings):
    from pipeline import store

    by_day: dict[date, list[dict]] = {}
    for r in event_rows():
        by_day.setdefault(r["publication_date"], []).append(r)
    for day, day_rows in by_day.items():
        store.write_table("events", day_rows, settings, day, part="shard-0")
    con = analytics.lake_connection(settings)
    try:
        assert con.execute("SELECT count(*) FROM events_dedup").fetchall()[0][0] == 11
        (r,) = rows(con, "SELECT * FROM relations WHERE actor_a = 'CHN' AND actor_b = 'USA'")
        assert (r["events"], r["balance"]) == (5, pytest.approx(0.4))
        assert con.execute("SELECT max(ingest_date) FROM events").fetchall()[0][0] == D("2025-08-20")
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 0  # no parts: empty table
    finally:
        con.close()


# ---------------------------------------------------------------- inputs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", (D("2025-01-01"), D("2025-12-31"))),
        ("2025-07", (D("2025-07-01"), D("2025-07-31"))),
        ("2024-02", (D("2024-02-01"), D("2024-02-29"))),
        ("2025-Q4", (D("2025-10-01"), D("2025-12-31"))),
        ("2025-W01", (D("2024-12-30"), D("2025-01-05"))),
        ("2025-07-03", (D("2025-07-03"), D("2025-07-03"))),
        ("2025-07-01..2025-07-15", (D("2025-07-01"), D("2025-07-15"))),
        ("2024..2025-03", (D("2024-01-01"), D("2025-03-31"))),
    ],
)
def test_parse_period(text, expected):
    assert analytics.parse_period(text) == expected


@pytest.mark.parametrize("bad", ["July", "2025-13", "2025-07-32", "2025-08..2025-07", "25-07"])
def test_parse_period_rejects(bad):
    with pytest.raises(analytics.BadPeriod):
        analytics.parse_period(bad)


def test_resolve_actor_codes_and_names():
    assert analytics.resolve_actor("usa") == "USA"
    assert analytics.resolve_actor("France") == "FRA"
    with pytest.raises(analytics.UnknownActor, match="XQZ"):
        analytics.resolve_actor("XQZ")


# ---------------------------------------------------------------- CLI


def cli(argv: list[str]) -> int:
    from pipeline.cli import main

    return main(argv)


def test_cli_relations_table_and_json(envoy_env, capsys):
    make_warehouse(envoy_env)
    assert cli(["relations", "usa", "China", "--grain", "month"]) == 0
    out = capsys.readouterr().out
    assert "USA <-> CHN" in out and "2025-07-01" in out and "2025-08-01" in out
    assert cli(["relations", "USA", "CHN", "--format", "json", "--since", "2025-07-05"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["events"] == 3
    assert [t["period_start"] for t in data["timeline"]] == ["2025-07-01", "2025-08-01"]


def test_cli_partners_shifts_evidence_csv(envoy_env, capsys):
    make_warehouse(envoy_env)
    assert cli(["partners", "USA", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("partner,events,") and [ln.split(",")[0] for ln in lines[1:]] == ["CHN", "FRA"]
    assert cli(["shifts", "--from", "2025-07", "--to", "2025-08", "--format", "json"]) == 0
    assert [r["shift"] for r in json.loads(capsys.readouterr().out)] == [-14.0, 4.0, 4.0]
    assert cli(["evidence", "USA", "CHN", "--code", "112", "--format", "json"]) == 0
    (ev,) = json.loads(capsys.readouterr().out)
    assert ev["event_id"] == "e3" and ev["evidence"].startswith("Sentence 1 of a1")


def test_cli_unknown_country_fails(envoy_env, capsys):
    make_warehouse(envoy_env)
    assert cli(["relations", "XQZ", "CHN"]) == 1
    assert "unknown country or actor 'XQZ'" in capsys.readouterr().err
    assert cli(["partners", "Atlantis"]) == 1
    assert "unknown country" in capsys.readouterr().err
    assert cli(["shifts", "--from", "July", "--to", "2025-08"]) == 1
    assert "invalid period 'July'" in capsys.readouterr().err


def test_cli_empty_result_is_not_an_error(envoy_env, capsys):
    make_warehouse(envoy_env)
    assert cli(["relations", "USA", "UKR"]) == 0
    captured = capsys.readouterr()
    assert "no events between USA and UKR" in captured.err and captured.out == ""
    assert cli(["evidence", "USA", "CHN", "--code", "19"]) == 0
    assert "no events USA -> CHN" in capsys.readouterr().err


def test_cli_missing_warehouse(envoy_env, capsys):
    assert not envoy_env.warehouse.exists()
    assert cli(["relations", "USA", "CHN"]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    assert not envoy_env.warehouse.exists()  # a read-only query never creates one


def test_cli_lake_flag_needs_no_warehouse(envoy_env, capsys):
    from pipeline import store

    store.write_table("events", event_rows(), envoy_env, D("2025-08-20"))
    assert cli(["partners", "USA", "--lake", "--format", "json"]) == 0
    assert [p["partner"] for p in json.loads(capsys.readouterr().out)] == ["CHN", "FRA"]


def test_cli_report_command(envoy_env, capsys):
    make_warehouse(
        envoy_env,
        runs=[
            dict(
                run_id="r1",
                day=D("2025-08-20"),
                started_at=datetime(2025, 8, 20, tzinfo=UTC),
                status="loaded",
            )
        ],
    )
    assert cli(["report"]) == 0
    assert "relations report for 2025-08-20" in capsys.readouterr().out
    assert (envoy_env.relations_reports / "relations-2025-08-20.html").exists()


def test_cli_busy_warehouse_says_so(envoy_env, capsys, monkeypatch):
    """A loader holding the write lock (another process) makes the query fail clearly, not hang."""
    import subprocess
    import sys

    make_warehouse(envoy_env)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
            "time.sleep(60)",
            str(envoy_env.warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        monkeypatch.setattr(analytics, "LOCK_TIMEOUT", 0.3)
        assert cli(["partners", "USA"]) == 1
        err = capsys.readouterr().err
        assert "locked" in err and "--lake" in err
    finally:
        holder.kill()
        holder.wait()


# ---------------------------------------------------------------- PLOVER and places (issue 13)


def _plover_expected(a: str, b: str) -> tuple[int, float]:
    """Deduplicated PLOVER events of the pair {a, b} in EVENTS and their mean PLOVER score."""
    from pipeline.plover import row, vocabulary

    seen = set()
    for _, _, _, evd, src, tgt, code, *_ in EVENTS:
        r = row(code)
        if r.plover is None or {src, tgt} != {a, b}:
            continue
        s, t = (tgt, src) if r.swap_actors else (src, tgt)
        seen.add((evd, s, t, r.plover.event))
    scores = [vocabulary().events[e][1] for *_, e in seen]
    return len(seen), sum(scores) / len(scores)


def test_cli_relations_and_partners_under_the_plover_scheme(envoy_env, capsys):
    make_warehouse(envoy_env)
    n, balance = _plover_expected("USA", "CHN")
    assert cli(["relations", "USA", "CHN", "--scheme", "plover", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["events"] == n and summary["balance"] == pytest.approx(balance)
    assert cli(["relations", "USA", "CHN", "--format", "json"]) == 0  # CAMEO, as before
    assert json.loads(capsys.readouterr().out)["summary"]["balance"] != pytest.approx(balance)
    assert cli(["partners", "USA", "--scheme", "plover", "--format", "json"]) == 0
    partners = {p["partner"]: p for p in json.loads(capsys.readouterr().out)}
    assert partners["CHN"]["events"] == n and partners["CHN"]["balance"] == pytest.approx(balance)
    assert cli(["partners", "USA", "--scheme", "plover"]) == 0
    assert "PLOVER" in capsys.readouterr().out


def test_cli_plover_scheme_leaves_out_statements(envoy_env, capsys):
    make_warehouse(envoy_env)  # e13 USA -> USA 010 is a statement; the USA-FRA pair has 057, 112, 042
    with analytics.warehouse_connection(envoy_env) as con:
        codes = {r[0] for r in con.execute("SELECT cameo_code FROM events_plover").fetchall()}
    assert "010" not in codes and "042" in codes


def test_cli_evidence_shows_the_place(envoy_env, capsys):
    from pipeline.load import connect

    make_warehouse(envoy_env)
    with connect(envoy_env) as con:
        con.execute(
            "UPDATE events SET place_name = 'Beijing', place_country = 'CHN', place_precision = 'city'"
            " WHERE event_id = 'e3'"
        )
    assert cli(["evidence", "USA", "CHN", "--code", "112"]) == 0
    out = capsys.readouterr().out
    assert "place" in out.splitlines()[1] and "Beijing, CHN" in out
    assert cli(["evidence", "USA", "CHN", "--code", "112", "--format", "json"]) == 0
    (ev,) = json.loads(capsys.readouterr().out)
    assert (ev["place_name"], ev["place_country"], ev["place_precision"]) == ("Beijing", "CHN", "city")
