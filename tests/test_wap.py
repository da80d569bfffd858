"""Write–audit–publish for the lake (issue 10): readers always see one whole version of a day.

Real stages (spaCy, GE, DuckDB) on real files; the only injected faults are a crash at the commit
point and a failing batch-level expectation (the suites are data).
"""

from __future__ import annotations

import json
import threading
from datetime import date

import duckdb
import pytest

from pipeline import analytics, lake, stages, store
from pipeline.errors import ValidationFailed
from tests.test_run import ARTICLE_A, ARTICLE_B, _with_batch_expectation, write_day

DAY = date(2025, 8, 15)
ARTICLE_C = (
    " date 2025-08-15 Kenya and Ethiopia signed a border agreement in Nairobi on Friday, the two "
    "governments said.\n"
)

pytestmark = pytest.mark.slow


def lake_view(settings) -> tuple[int, int]:
    """(articles, events) as a `--lake` reader sees them."""
    con = analytics.lake_connection(settings)
    try:
        sql = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events)"
        return tuple(con.execute(sql).fetchall()[0])
    finally:
        con.close()


def published(settings) -> tuple[int, int]:
    m = lake.read_manifest(settings, DAY)
    return (m.rows("articles"), m.rows("events"))


def test_a_staged_batch_is_invisible_until_published(settings):
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    stages.run_day(settings, DAY, build_report=False)
    first = published(settings)
    assert lake_view(settings) == first

    write_day(settings.landing, DAY, {"b.txt": ARTICLE_B})
    found = stages.discover_day(settings, DAY)
    stages.extract_shard(settings, DAY, 0, 1, found.version)
    staged_events = store.read_day("events", settings, DAY, found.version).num_rows
    assert staged_events > first[1]
    assert lake_view(settings) == first  # written and coded, not audited: not there for readers
    assert store.read_day("events", settings, DAY).num_rows == first[1]
    result = stages.validate_day(settings, DAY, found.version)
    assert (result.articles, result.events) == (2, staged_events)
    assert published(settings) == lake_view(settings) == (2, staged_events)
    assert not (settings.lake / lake.STAGING / DAY.isoformat()).exists()


def test_a_failed_batch_leaves_the_lake_day_as_it_was(settings, monkeypatch):
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    stages.run_day(settings, DAY, build_report=False)
    before, files = lake_view(settings), sorted(p.name for p in (settings.lake / "events").rglob("*.parquet"))
    _with_batch_expectation(monkeypatch, settings.home)
    write_day(settings.landing, DAY, {"b.txt": ARTICLE_B})
    with pytest.raises(ValidationFailed):
        stages.run_day(settings, DAY, build_report=False)
    assert lake_view(settings) == before  # --lake shows nothing the warehouse refused
    assert sorted(p.name for p in (settings.lake / "events").rglob("*.parquet")) == files  # plain globs too


def test_readers_see_one_whole_version_while_a_day_reruns(settings):
    """A reader polls the `--lake` view while the day is published again and again with a different
    batch each time: every answer is one whole published version, never an empty or half day."""
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B})
    stages.run_day(settings, DAY, build_report=False)
    versions = {published(settings)}
    seen: list[tuple[int, int]] = []
    retried = [0]
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(lake_view(settings))
            except duckdb.IOException:  # files of the version it opened were just replaced: read again
                retried[0] += 1

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(3):
            extra = {"c.txt": ARTICLE_C} if n % 2 == 0 else {}
            for p in (settings.landing / DAY.isoformat()).glob("c.txt"):
                p.unlink()
            write_day(settings.landing, DAY, extra)
            stages.run_day(settings, DAY, build_report=False, replace=True)  # alternately fewer articles
            versions.add(published(settings))
    finally:
        stop.set()
        thread.join(timeout=60)
    assert len(versions) == 2 and len(seen) > 10
    assert set(seen) <= versions, (set(seen) - versions, versions)


def test_a_crash_at_the_commit_point_keeps_the_published_version(settings, monkeypatch):
    """The process dies after moving the new files in, before the manifest is replaced: readers keep
    the old version, and the next publish removes the orphaned files."""
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    stages.run_day(settings, DAY, build_report=False)
    before = published(settings)
    write_day(settings.landing, DAY, {"b.txt": ARTICLE_B})
    found = stages.discover_day(settings, DAY)
    stages.extract_shard(settings, DAY, 0, 1, found.version)

    def die(path, text):
        raise SystemExit("killed at the commit point")

    monkeypatch.setattr(lake, "_write_atomic", die)
    with pytest.raises(SystemExit):
        stages.validate_day(settings, DAY, found.version)
    monkeypatch.undo()
    assert lake_view(settings) == before and published(settings) == before
    orphans = [p for p in (settings.lake / "events").rglob("*.parquet") if found.version in p.name]
    assert orphans  # moved in, never listed
    stages.run_day(settings, DAY, build_report=False)
    assert not [p for p in (settings.lake / "events").rglob("*.parquet") if found.version in p.name]
    glob_count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{store.lake_glob('events', settings)}')")
    assert glob_count.fetchall()[0][0] == published(settings)[1]  # a plain glob sees the published day only


def test_the_manifest_names_every_file_of_the_version(settings):
    write_day(settings.landing, DAY, {"a.txt": ARTICLE_A})
    stages.run_day(settings, DAY, build_report=False)
    first = lake.read_manifest(settings, DAY)
    write_day(settings.landing, DAY, {"b.txt": ARTICLE_B})
    stages.run_day(settings, DAY, build_report=False)
    m = json.loads(lake.manifest_path(settings, DAY).read_text())
    assert m["previous"] == first.version and m["version"] != first.version and m["day"] == DAY.isoformat()
    assert set(m["tables"]) == {"articles", "events", "quarantine", "texts"}
    listed = {f for t in m["tables"].values() for f in t["files"]}
    on_disk = {p.relative_to(settings.lake).as_posix() for p in settings.lake.rglob("part-*.parquet")}
    assert listed == on_disk and all(m["version"] in f for f in listed)  # relative paths, this version only
    assert m["tables"]["articles"]["rows"] == 2
