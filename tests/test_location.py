"""Event location (pipeline.extract.location): the place an event's clause or its story's dateline states.

The sentences are envoy's own (tests/data/location_cases.toml), two or more per construction; the coder
runs for real (spaCy, the gazetteer). A place is never invented: no stated place, no place.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from pipeline.extract import location
from schemas import EVENTS, PLACE_PRECISIONS, PLACE_SOURCES

CASES = tomllib.loads((Path(__file__).parent / "data" / "location_cases.toml").read_text("utf-8"))["case"]


def _id(case: dict) -> str:
    return f"{case['rule']}: {case['text'][:40]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_event_of_a_sentence_gets_the_place_it_states(code, case):
    rows = code(case["text"])
    if "dyad" in case:
        rows = [r for r in rows if f"{r['source_actor']}>{r['target_actor']}" == case["dyad"]]
    assert rows, "the sentence must code to at least one event"
    for r in rows:
        if case.get("none"):
            assert r["place_precision"] == "none"
            assert all(r[f] is None for f in location.FIELDS if f != "place_precision")
            continue
        assert (r["place_country"], r["place_precision"]) == (case["country"], case["precision"])
        assert r["place_source"] == case.get("source", "clause")
        if "place" in case:
            assert r["place_name"] == case["place"]
        assert -90 <= r["place_latitude"] <= 90 and -180 <= r["place_longitude"] <= 180


def test_each_rule_has_two_paraphrases_at_least():
    rules: dict[str, int] = {}
    for c in CASES:
        rules[c["rule"]] = rules.get(c["rule"], 0) + 1
    assert {r for r, n in rules.items() if n < 2} <= {"clause over dateline"}


def test_the_place_names_its_adm1_region(code):
    (row, *_) = code("Chinese and Japanese diplomats held talks in Beijing on Monday.")
    assert (row["place_name"], row["place_adm1"]) == ("Beijing", "CN-BJ")


def test_a_name_the_gazetteer_does_not_know_gives_no_place(code):
    rows = code("France and Italy held talks in Zzyzxgrad on Monday.")
    assert rows and all(r["place_precision"] == "none" and r["place_name"] is None for r in rows)


def test_a_translated_or_small_namesake_is_not_enough_for_a_bare_name(code):
    # GeoNames lists "Africa" among the names of a Tunisian town; only "the town of X" may select a small one
    rows = code("Egypt and Sudan held talks in Africa on Monday.")
    assert rows and all(r["place_name"] is None for r in rows)


def test_the_dateline_places_only_the_first_sentence(code):
    rows = code("ROME (AFP) - Italy praised Greece on Monday. Later, Spain accused Portugal of spying.")
    by_source = {r["source_actor"]: r for r in rows}
    assert by_source["ITA"]["place_name"] == "Rome" and by_source["ITA"]["place_source"] == "dateline"
    assert by_source["ESP"]["place_precision"] == "none"


def test_here_points_to_the_dateline(code):
    rows = code("ROME (AFP) - Officials gathered. Spain and Portugal held talks here on Monday.")
    talks = [r for r in rows if r["source_actor"] in ("ESP", "PRT")]
    assert talks and all(r["place_name"] == "Rome" for r in talks)
    none = code("Spain and Portugal held talks here on Monday.")
    assert none and all(r["place_name"] is None for r in none)


@pytest.mark.parametrize(
    "text, name, country",
    [
        ("GAZA CITY, Palestinian Territories: A statement followed.", "Gaza", "PSE"),
        ("MANILA, Philippines (AP) -- The talks went on.", "Manila", "PHL"),
        ("BERLIN -- Ministers met.", "Berlin", "DEU"),
        ("Kabul, Jan. 5 (Xinhua) -- Afghan officials met.", "Kabul", "AFG"),
    ],
)
def test_datelines(text, name, country):
    place = location.dateline(text)
    assert place is not None and (place.name, place.country) == (name, country)


@pytest.mark.parametrize(
    "text", ["UPDATE: the talks went on.", "The talks went on in Rome.", "", "ZZYZX (AFP) - x"]
)
def test_no_dateline(text):
    assert location.dateline(text) is None


def test_every_dateline_pattern_names_the_place():
    assert location.patterns().datelines
    assert all("place" in rx.groupindex for rx in location.patterns().datelines)


def test_the_vocabularies_are_the_contracts():
    assert location.PRECISIONS == PLACE_PRECISIONS and location.SOURCES == PLACE_SOURCES
    assert set(location.FIELDS) <= set(EVENTS.names)


def test_an_event_without_reports_of_a_place_has_precision_none():
    fields = location.row_fields([None, None], 3, "Some text.", date(2025, 1, 1))
    assert fields == location.empty_fields() and fields["place_precision"] == "none"


def test_the_country_is_the_state_the_place_belonged_to_that_day(code):
    from pipeline.geo.gazetteer import lookup

    juba = lookup("Juba")
    assert location.fields(juba, "clause", date(2005, 1, 1))["place_country"] == "SDN"
    assert location.fields(juba, "clause", date(2020, 1, 1))["place_country"] == "SSD"


def test_every_row_carries_its_codes_plover_type(code):
    from pipeline.plover import plover_for

    rows = code("Germany criticised Russia on Friday. Japan's foreign minister visited Beijing on Monday.")
    assert rows
    for r in rows:
        p = plover_for(r["cameo_code"])
        assert (r["plover_event"], r["plover_mode"]) == ((p.event, p.mode) if p else (None, None))


@pytest.mark.parametrize(
    "text",
    [
        "(AFP) - France met Italy in Rome.",
        ", (Reuters) - Spain met Portugal in  in Lisbon.",
        "IN IN IN (AFP) -- Germany met Austria at at the.",
        "BAGHDAD, \u0130raq: Iraq met Iran in \U0001f30d on Monday.",
        "A" * 300 + " (AFP) - Kenya met Uganda in Nairobi.",
        "Chile met Peru in the town of , on Monday.",
    ],
)
def test_odd_text_never_loses_an_event(code, text):
    rows = code(text)
    assert all(r["place_precision"] in PLACE_PRECISIONS for r in rows)
