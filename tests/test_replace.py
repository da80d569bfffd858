"""A loaded day is replaced only by a complete new batch (issue 10): through the real stages and CLI.

A missing landing path or folder is an error that changes nothing, an empty folder changes nothing,
fewer articles need ``--replace``, and an article shared by two days is never lost from the
warehouse, however the two days' runs interleave.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from pipeline import lake, load
from pipeline.cli import main
from tests.test_run import ARTICLE_A, ARTICLE_B, write_day

DAY = date(2025, 8, 15)
DAY2 = date(2025, 8, 16)
ARTICLE_C = (
    " date 2025-08-16 Brazil and Argentina agreed on Monday to expand their trade in grain, the two "
    "foreign ministries said.\n"
)

pytestmark = pytest.mark.slow


def rows(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def state(settings, day: date = DAY) -> tuple:
    """What must not change: warehouse rows of the day, and the published lake version."""
    manifest = lake.read_manifest(settings, day)
    return (load.table_counts(settings, day), manifest.version if manifest else None)


def cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["run", *args, "--no-report", "-q"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loaded_day(envoy_env, capsys):
    """DAY loaded with two articles through `envoy run`."""
    write_day(envoy_env.landing, DAY, {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B})
    code, _, err = cli(["--day", DAY.isoformat()], capsys)
    assert code == 0, err
    assert load.table_counts(envoy_env, DAY)["articles"] == 2
    return envoy_env


def last_run(settings) -> tuple:
    return rows(settings, "SELECT status, error, replace FROM runs ORDER BY started_at DESC LIMIT 1")[0]


def test_missing_landing_path_is_an_error_and_changes_nothing(loaded_day, capsys):
    s = loaded_day
    before = state(s)
    code, out, err = cli(["--day", DAY.isoformat(), "--landing", str(s.landing / "2025-08-1S")], capsys)
    assert code == 1 and "no landing folder or file at" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert state(s) == before
    assert last_run(s)[:1] == ("failed",) and "no landing folder or file at" in last_run(s)[1]


def test_missing_day_folder_is_an_error_and_changes_nothing(loaded_day, capsys):
    s = loaded_day
    before = state(s)
    shutil.rmtree(s.landing / DAY.isoformat())
    code, _, err = cli(["--day", DAY.isoformat()], capsys)
    assert code == 1 and "no landing folder or file at" in err
    assert state(s) == before and last_run(s)[0] == "failed"


def test_empty_folder_loads_nothing_and_deletes_nothing(loaded_day, capsys):
    s = loaded_day
    before = state(s)
    for p in (s.landing / DAY.isoformat()).iterdir():
        p.unlink()
    code, out, err = cli(["--day", DAY.isoformat()], capsys)
    assert code == 0, err
    assert "[empty]" in out and "left as it was" in out
    assert state(s) == before and last_run(s)[0] == "empty"


def test_an_empty_folder_empties_the_day_only_when_asked(loaded_day, capsys):
    s = loaded_day
    for p in (s.landing / DAY.isoformat()).iterdir():
        p.unlink()
    code, out, err = cli(["--day", DAY.isoformat(), "--replace"], capsys)
    assert code == 0, err
    assert load.table_counts(s, DAY) == {"articles": 0, "events": 0, "quarantine": 0}
    assert lake.read_manifest(s, DAY).rows("articles") == 0 and last_run(s)[0] == "loaded"


def test_fewer_articles_need_replace(loaded_day, capsys):
    """`--landing` with one file would replace a two-article day with one article: refused, unless
    --replace says so."""
    s = loaded_day
    before = state(s)
    one = s.landing / DAY.isoformat() / "a.txt"
    code, _, err = cli(["--day", DAY.isoformat(), "--landing", str(one)], capsys)
    assert code == 1 and "--replace" in err and "holds 2" in err
    assert state(s) == before
    assert last_run(s)[0] == "refused"
    assert not (s.lake / lake.STAGING / DAY.isoformat()).exists()

    code, out, err = cli(["--day", DAY.isoformat(), "--landing", str(one), "--replace"], capsys)
    assert code == 0, err
    assert load.table_counts(s, DAY)["articles"] == 1
    assert last_run(s)[0] == "loaded" and last_run(s)[2] is True


# --------------------------------------------------------------------------- a shared article


def stages_interleaved(settings, days: list[date], load_order: list[date]) -> None:
    """Two days' runs at the same time: every discover before any publish, loads in ``load_order``."""
    from pipeline import stages

    found = {d: stages.discover_day(settings, d) for d in days}
    for d in days:
        stages.extract_shard(settings, d, 0, 1, found[d].version)
    for d in days:
        stages.validate_day(settings, d, found[d].version)
    for d in load_order:
        stages.load_day(settings, d)


def shared_article_ok(settings, shared_events: int) -> None:
    """The shared article is in the warehouse once, with all its events, under the earliest day whose
    published lake holds it."""
    from pipeline import store
    from pipeline.models import article_id_for

    aid = article_id_for(ARTICLE_A.split(" ", 3)[3])
    held = {d: store.read_day("articles", settings, d)["article_id"].to_pylist() for d in (DAY, DAY2)}
    owners = [d for d in (DAY, DAY2) if aid in held[d]]
    assert owners, "the lake lost the article"
    stored = rows(settings, f"SELECT ingest_date FROM articles WHERE article_id = '{aid}'")
    assert stored == [(owners[0],)]
    n_events = rows(settings, f"SELECT count(*), min(ingest_date) FROM events WHERE article_id = '{aid}'")
    assert n_events == [(shared_events, owners[0])]


@pytest.mark.parametrize("load_order", ["earlier first", "later first"])
@pytest.mark.parametrize("rerun", ["earlier day", "later day", "both at once"])
def test_a_shared_article_is_never_lost(settings, load_order, rerun):
    from pipeline import stages

    settings = settings.with_overrides(shards=1)
    write_day(settings.landing, DAY, {"shared.txt": ARTICLE_A, "b.txt": ARTICLE_B})
    copy = ARTICLE_A.replace("\n\n", "\n\n\n")  # the same article (same normalised text)
    write_day(settings.landing, DAY2, {"shared-copy.txt": copy, "c.txt": ARTICLE_C})
    order = [DAY, DAY2] if load_order == "earlier first" else [DAY2, DAY]
    stages_interleaved(settings, [DAY, DAY2], order)
    shared_events = rows(settings, "SELECT count(*) FROM events WHERE source_file LIKE '%shared%'")[0][0]
    assert shared_events > 0
    shared_article_ok(settings, shared_events)

    if rerun == "both at once":
        stages_interleaved(settings, [DAY, DAY2], order)
    else:
        stages.run_day(settings, DAY if rerun == "earlier day" else DAY2, build_report=False)
    shared_article_ok(settings, shared_events)
    for d in (DAY, DAY2):  # and after every further rerun, in any order
        stages.run_day(settings, d, build_report=False)
        shared_article_ok(settings, shared_events)
    assert rows(settings, "SELECT count(*) FROM articles") == [(3,)]
