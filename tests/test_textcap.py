"""Bounded cost per article (issue 10): sentences are capped in length before parsing."""

from __future__ import annotations

import random
import time
from datetime import date

import pytest

from pipeline.extract.textcap import _BOUNDARY, MAX_SENTENCE_CHARS, cap_sentences

NEWS = (
    "The two delegations met for three hours in the lakeside town on Wednesday. Officials from both "
    "sides described the talks as frank, and said a second round would follow next month.\n\n"
    "\u201cWe have agreed on a framework,\u201d the deputy minister told reporters outside the venue. "
    "Neither government published the text of the framework (a draft of which was seen by reporters)."
)
WORDS = "the council said the neighbours discussed trade and security while envoys met in the capital".split()


def spans(text: str) -> list[str]:
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    return out + [text[start:]]


def test_ordinary_prose_passes_unchanged() -> None:
    text = "\n\n".join([NEWS] * 40)
    assert cap_sentences(text) == text


def test_an_unpunctuated_run_is_cut_at_words_into_short_sentences() -> None:
    rng = random.Random(3)
    run = " ".join(rng.choice(WORDS) for _ in range(5000))
    text = NEWS + "\n\n" + run + "\n\n" + NEWS
    capped = cap_sentences(text)
    assert max(len(s) for s in spans(capped)) <= MAX_SENTENCE_CHARS + len(".\n\n")
    assert capped.startswith(NEWS + "\n\n") and capped.endswith("\n\n" + NEWS)
    middle = capped[len(NEWS) + 2 : -(len(NEWS) + 2)]
    assert middle.count(".\n\n") >= len(run) // MAX_SENTENCE_CHARS  # cut...
    assert middle.replace(".\n\n", " ").split() == run.split()  # ...but no word lost or split


def test_lines_are_preferred_and_a_giant_token_is_cut_anyway() -> None:
    table = "\n".join(f"row {i} value {i * 7} and more words to fill the line" for i in range(200))
    capped = cap_sentences(table)
    assert all(len(s) <= MAX_SENTENCE_CHARS + 3 for s in spans(capped))
    assert all(line in capped for line in table.splitlines())  # cut between lines, not inside them
    blob = "x" * 10_000
    assert max(len(s) for s in spans(cap_sentences(blob))) <= MAX_SENTENCE_CHARS + 3


@pytest.mark.slow
def test_a_five_megabyte_article_without_punctuation_codes_in_seconds(settings) -> None:
    """Through the real stages: ingest a 4.9 MB file of names and verbs joined by dashes, which spaCy
    parses as one sentence of tens of thousands of tokens, and code it. Without the cap this took
    minutes (the coder's work grows with the square of a sentence's length); the bound below is
    generous for a shared machine."""
    from pipeline import stages

    rng = random.Random(11)
    words = "France met Germany accused Russia condemned Ukraine warned China visited Japan praised".split()
    body = " - ".join(rng.choice(words) for _ in range(600_000))[:4_900_000]
    day = date(2025, 8, 15)
    folder = settings.landing / day.isoformat()
    folder.mkdir(parents=True)
    (folder / "runaway.txt").write_text(f" date 2025-08-15 {body}")
    found = stages.discover_day(settings, day)
    assert found.articles == 1
    t0 = time.perf_counter()
    res = stages.extract_shard(settings, day, 0, 1, found.version)
    seconds = time.perf_counter() - t0
    assert res.articles == 1 and res.events > 0
    assert seconds < 60, f"coding took {seconds:.1f}s"
