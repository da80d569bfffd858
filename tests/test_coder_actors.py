"""Actors of real news (issue 9, part 1): people by title and nationality, sub-state actors acting for
their state, ethnic groups, nationality adjectives on actor nouns, date-aware places. Every sentence
here was written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import triples


@pytest.fixture(scope="module")
def code_on():
    """Code one text published on a given day (one Coder for the module)."""
    pytest.importorskip("spacy")
    from pipeline.extract.coder import Coder, code_text

    coder = Coder()
    return lambda text, day: code_text(text, date.fromisoformat(day), coder=coder)


@pytest.fixture(scope="module")
def mentions_of():
    """Actor codes of the mentions of a text, in order, as (text, code)."""
    pytest.importorskip("spacy")
    from pipeline.extract.mentions import Mentions
    from pipeline.extract.nlp import load_nlp

    def run(text: str, day: str) -> list[tuple[str, str]]:
        m = Mentions(load_nlp()(text), date.fromisoformat(day))
        return [(x.text, x.actor.code) for x in m.mentions]

    return run


# -- a title phrase names the role a registry person acts in ------------------------------------------
def test_igo_title_beats_the_registry_home(code_on):
    rows = code_on("Kenyan officials met UN envoy Diego Cordovez in Nairobi on Tuesday.", "2001-03-06")
    assert ("KEN", "IGOUNO", "04") in triples(rows)
    assert not any("ECU" in t for t in triples(rows))


def test_igo_title_in_apposition_and_a_later_surname(code_on):
    text = (
        "Diego Cordovez, the United Nations mediator, arrived in Kabul on Monday. "
        "Afghan leaders praised Cordovez for his patience."
    )
    rows = code_on(text, "1999-05-10")
    assert ("AFG", "IGOUNO", "05") in triples(rows)
    assert not any("ECU" in t for t in triples(rows))


def test_common_surname_alone_resolves_to_nothing_out_of_term(mentions_of):
    assert ("Keita", "MLI") not in mentions_of("Keita criticised the junta on Sunday.", "2023-06-01")
    # the full name of a former leader still says who he is
    assert ("Ibrahim Boubacar Keita", "MLI") in mentions_of(
        "Ibrahim Boubacar Keita criticised the junta on Sunday.", "2021-06-01"
    )
