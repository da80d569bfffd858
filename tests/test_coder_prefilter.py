"""The sentence pre-filter and parallel coding: cheaper, and the same events."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.prefilter import reduce_text, split_sentences


def test_abbreviations_do_not_end_sentences():
    text = "Russia requested a meeting of the U.N. Security Council. Gen. Smith said no. He left."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Russia requested a meeting of the U.N. Security Council.",
        "Gen. Smith said no.",
        "He left.",
    ]


def test_reduce_keeps_the_lead_and_trigger_sentences_and_maps_back():
    text = (
        "The weather was mild on Monday. Prices rose.\n\n"
        "France condemned Germany on Tuesday. Markets were calm. Italy praised Spain."
    )
    red = reduce_text(text)
    assert "Prices rose" not in red.text and "Markets were calm" not in red.text
    assert red.text.startswith("The weather was mild on Monday.")
    assert red.sentence_number(red.text.index("France")) == 2
    assert red.sentence_number(red.text.index("Italy")) == 4
    assert "\n\n" in red.text  # the paragraph break survives


def test_sentence_index_refers_to_the_whole_article():
    pytest.importorskip("spacy")
    from pipeline.extract.coder import code_text

    text = "The weather was mild. Prices rose. Markets were calm. France condemned Germany on Monday."
    full = code_text(text, date(2025, 3, 12), prefilter=False)
    fast = code_text(text, date(2025, 3, 12), prefilter=True)
    assert [(r["event_id"], r["sentence_index"]) for r in fast] == [
        (r["event_id"], r["sentence_index"]) for r in full
    ]
    assert fast[0]["sentence_index"] == 3


def test_parallel_coding_gives_the_serial_events():
    pytest.importorskip("spacy")
    from pipeline.extract.coder import code_articles
    from pipeline.models import Article, article_id_for

    texts = [
        f"France condemned Germany on Monday over case {i}. Italy and Spain signed an accord."
        for i in range(40)
    ]
    arts = [Article(article_id_for(t), f"a{i}.txt", date(2025, 3, 12), t) for i, t in enumerate(texts)]
    serial = code_articles(arts, n_process=1)
    parallel = code_articles(arts, n_process=2)
    assert [r["event_id"] for r in parallel] == [r["event_id"] for r in serial]
    assert len(serial) == 40 * 3
