"""One article that breaks the coder never fails its shard: it is logged with its file, counted, skipped."""

from __future__ import annotations

import logging
from datetime import date

import duckdb
import pytest

from tests.test_run import DAY, write_day

MARKER = "Zyxwvut"  # a word no real text has: the injected fault fires only in the bad article

GOOD = " date 2025-08-15 Kenya condemned Uganda on Thursday.\n"
BAD = f" date 2025-08-15 Chad condemned Niger on Thursday, {MARKER} said.\n"
ALSO_GOOD = " date 2025-08-15 Peru praised Chile on Thursday.\n"


@pytest.fixture
def faulty_rule(monkeypatch):
    """A verb gate that raises on one article (a stand-in for any bug a new rule may bring)."""
    pytest.importorskip("spacy")
    from pipeline.extract import arguments

    def explode(frame, ctx):
        if MARKER in frame.trigger.sent.text:
            raise RuntimeError("a rule crashed")
        return None

    monkeypatch.setattr(arguments, "VERB_GATES", (explode, *arguments.VERB_GATES))


def _articles():
    from pipeline.models import Article, article_id_for

    return [
        Article(article_id_for(t), f"{n}.txt", DAY, t.split(" ", 2)[2])
        for n, t in (("good", GOOD), ("bad", BAD), ("also_good", ALSO_GOOD))
    ]


def test_a_failing_article_is_recorded_and_the_others_are_coded(faulty_rule, caplog):
    from pipeline.extract import code_articles

    failures: list = []
    with caplog.at_level(logging.ERROR):
        rows = code_articles(_articles(), failures=failures)
    assert {(r["source_actor"], r["target_actor"]) for r in rows} == {("KEN", "UGA"), ("PER", "CHL")}
    assert [f.source_file for f in failures] == ["bad.txt"]
    assert "RuntimeError" in failures[0].error
    assert "bad.txt" in caplog.text


def test_without_a_failures_list_the_batch_still_goes_on(faulty_rule):
    from pipeline.extract.coder import code_articles

    rows = code_articles(_articles())  # the signature evaluate and the CLI use
    assert {r["source_file"] for r in rows} == {"good.txt", "also_good.txt"}


def test_the_run_counts_failures_in_its_summary_and_the_runs_table(faulty_rule, settings):
    from pipeline.stages import run_day

    write_day(settings.landing, DAY, {"good.txt": GOOD, "bad.txt": BAD, "also_good.txt": ALSO_GOOD})
    summary = run_day(settings, DAY, build_report=False)
    assert summary.status == "loaded" and summary.coding_errors == 1
    assert summary.events == 2
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        assert con.execute("SELECT coding_errors FROM runs").fetchall() == [(1,)]
    finally:
        con.close()


def test_a_clean_run_records_zero_failures(settings):
    pytest.importorskip("spacy")
    from pipeline.stages import run_day

    write_day(settings.landing, DAY, {"good.txt": GOOD})
    summary = run_day(settings, DAY, build_report=False)
    assert summary.coding_errors == 0


def test_an_old_warehouse_gets_the_column(settings):
    from pipeline import load

    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse))
    con.execute(
        "CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, day DATE NOT NULL, started_at TIMESTAMPTZ NOT NULL)"
    )
    con.close()
    with load.connect(settings) as con:
        cols = [r[0] for r in con.execute("SELECT * FROM runs LIMIT 0").description]
    assert "coding_errors" in cols
    assert date(2025, 8, 15) == DAY


def test_a_text_the_parser_fails_on_is_skipped_and_the_rest_parsed():
    """A real spaCy pipeline with a component that fails on one text: the batch falls back to one by one."""
    spacy = pytest.importorskip("spacy")
    from spacy.language import Language

    from pipeline.extract.batch import _docs

    if "envoy_test_fault" not in Language.factories:

        @Language.component("envoy_test_fault")
        def fault(doc):
            if MARKER in doc.text:
                raise ValueError("the parser choked")
            return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("envoy_test_fault")
    arts = _articles()
    texts = [a.text for a in arts]
    failures: list = []
    got = [(k, doc.text) for k, doc in _docs(nlp, arts, texts, failures)]
    assert [k for k, _ in got] == [0, 2] and got[1][1] == texts[2]
    assert [f.source_file for f in failures] == ["bad.txt"] and "ValueError" in failures[0].error


def test_warm_builds_the_place_tables_before_workers_fork():
    """Forked workers inherit what ``warm`` built; the gazetteer is the costliest table and the warm-up
    text names no place, so ``warm`` must build it explicitly (else every worker loads it again), under
    the cache key that ``lookup`` uses (``gazetteer()`` and ``gazetteer(threshold)`` are distinct keys)."""
    from pipeline.extract import batch, location
    from pipeline.geo.gazetteer import gazetteer, lookup

    gazetteer.cache_clear()
    location._city_words.cache_clear()
    batch._WARMED.clear()
    batch.warm()
    assert gazetteer.cache_info().currsize >= 1
    assert location._city_words.cache_info().currsize == 1
    built = gazetteer.cache_info().misses
    lookup("Kharkiv")
    location._city_words()
    assert gazetteer.cache_info().misses == built  # nothing left for a worker to build


def test_chunk_size_keeps_tasks_small_and_bounded():
    """Enough tasks per process that the pool's end is not one long task (see ``batch.chunk_size``)."""
    from pipeline.extract.batch import chunk_size

    assert chunk_size(877, 2) == 27
    assert chunk_size(40, 2) == 8
    assert chunk_size(100_000, 2) == 64


def test_worker_tasks_give_the_rows_of_one_process():
    """Two processes code small tasks (``chunk_size``: other ``nlp.pipe`` batches than one process's):
    the rows, in order, are those of one process."""
    pytest.importorskip("spacy")
    from pipeline.extract.batch import code_articles
    from pipeline.models import Article, article_id_for

    pairs = [("Kenya", "Uganda"), ("Peru", "Chile"), ("France", "Mali"), ("Japan", "China")]
    verbs = ["condemned", "praised", "met officials of", "accused", "threatened to sanction"]
    articles = []
    for n in range(40):
        a, b = pairs[n % len(pairs)]
        text = (
            f"{a} {verbs[n % len(verbs)]} {b} on Thursday, the ministry said.\n\n"
            f"Talks between the two governments stalled last week. {b} denied the claims."
        )
        articles.append(Article(article_id_for(text + str(n)), f"{n}.txt", DAY, text))
    one = code_articles(articles, n_process=1)
    assert one and code_articles(articles, n_process=2) == one
