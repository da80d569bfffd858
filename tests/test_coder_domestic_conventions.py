"""Lexicon rows and word classes added for the PLOVER conventions (issue 9, plover misses), on sentences
written for these tests: failed settlements are rejections both ways, unnamed crowds protest at home."""

from __future__ import annotations

import pytest

from tests.conftest import triples


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Kenya and Somalia failed again to reach any settlement of their maritime quarrel.", ("KEN", "SOM")),
        ("Armenia and Azerbaijan failed once more to reach any deal in Brussels.", ("ARM", "AZE")),
    ],
)
def test_a_failed_settlement_is_a_rejection_both_ways(code, text, pair):
    got = triples(code(text))
    assert (*pair, "12") in got
    assert (pair[1], pair[0], "12") in got
    assert not {t for t in got if t[2] in ("03", "05")}


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Copper miners resumed a hunger strike against back pay owed by Chile's cabinet.", "CHL"),
        ("A group of refugees started a hunger strike against the Greek cabinet's asylum rules.", "GRC"),
    ],
)
def test_unnamed_people_on_hunger_strike_protest_at_home(code, text, state):
    assert (state, state, "14") in triples(code(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian troops evacuated their base in Syria on Sunday.", ("RUS", "SYR", "08")),
        ("Israel plans to evacuate two outposts on the West Bank next spring.", ("ISR", "PSE", "03")),
    ],
)
def test_evacuating_a_held_place_is_a_withdrawal(code, text, expected):
    got = triples(code(text))
    assert expected in got
    assert not {t for t in got if t[2] in ("18", "19", "20")}


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Thousands of Afghan families are seeking refuge in Iran.", ("AFG", "IRN")),
        ("Hundreds of Syrians have sought asylum in Turkey since January.", ("SYR", "TUR")),
    ],
)
def test_seeking_refuge_somewhere_asks_that_state_for_help(code, text, pair):
    assert (*pair, "10") in triples(code(text))


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Kenya is paying compensation to 40 British farmers for seized land.", ("KEN", "GBR")),
        ("Tokyo pays compensation to Seoul each year for the sunken boat.", ("JPN", "KOR")),
    ],
)
def test_paying_compensation_is_a_concession(code, text, pair):
    assert (*pair, "08") in triples(code(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("President Ruto reneged on his promise to the Kenyan people to cut taxes.", ("KEN", "KEN", "12")),
        ("Iran reneged on its pledges to the EU under the nuclear accord.", ("IRN", "IGOEUREEC", "12")),
    ],
)
def test_reneging_on_a_commitment_is_a_rejection_also_of_ones_own_people(code, text, expected):
    assert expected in triples(code(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kenyan officers stopped and prevented a rally of farmers in Nairobi.", ("KEN", "KEN", "17")),
        ("The Georgian authorities banned all protests in Tbilisi on Monday.", ("GEO", "GEO", "17")),
        ("Riot police in Ankara dispersed a demonstration by teachers with tear gas.", ("TUR", "TUR", "17")),
    ],
)
def test_stopping_a_protest_is_coercion_at_home(code, text, expected):
    got = triples(code(text))
    assert expected in got
    assert not {t for t in got if t[2] == "14"}
