"""Constructions of real news that the pairing step decides (issue 9): lists of three to five conjoined
parties pair among themselves, a mediator's "between" parties are its targets, and a reciprocal act of
conjoined parties whose only target is one of them pairs them. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.conftest import CODER_PUB, triples


@pytest.fixture(scope="module")
def coded():
    pytest.importorskip("spacy")
    from pipeline.extract.coder import Coder, code_text

    coder = Coder()
    return lambda text: triples(code_text(text, CODER_PUB, coder=coder))


def _all_pairs(codes: list[str], root: str) -> set[tuple[str, str, str]]:
    return {(a, b, root) for a in codes for b in codes if a != b}


@pytest.mark.parametrize(
    "text, codes, root",
    [
        ("Germany, France, Italy and Spain signed a common statement.", ["DEU", "FRA", "ITA", "ESP"], "05"),
        ("Kenya, Uganda, Tanzania and Rwanda signed a customs pact.", ["KEN", "UGA", "TZA", "RWA"], "05"),
        ("The foreign ministers of Peru, Chile and Bolivia met in Lima.", ["PER", "CHL", "BOL"], "04"),
    ],
)
def test_each_pair_of_a_list_of_parties(coded, text, codes, root):
    assert _all_pairs(codes, root) <= coded(text)


def test_a_long_list_is_a_communique_not_pairs(coded):
    got = coded(
        "Brazil, Argentina, Chile, Peru, Bolivia, Paraguay and Uruguay signed a declaration on trade."
    )
    assert ("BRA", "URY", "05") not in got


@pytest.mark.parametrize(
    "text, mediator, parties",
    [
        ("Qatar began a new mediation bid between Sudan and Chad.", "QAT", ("SDN", "TCD")),
        ("Egypt's mediation between Israel and Hamas continued on Sunday.", "EGY", ("ISR", "PSE")),
    ],
)
def test_a_mediators_between_parties_are_its_targets(coded, text, mediator, parties):
    got = coded(text)
    assert {(mediator, p, "04") for p in parties} <= got
    assert (parties[0], parties[1], "04") not in got


@pytest.mark.parametrize(
    "text, a, b",
    [
        ("Greek and Turkish envoys will sign a pact on water for Cyprus.", "GRC", "TUR"),
        ("Greek and Cypriot ministers signed an accord on Cyprus's gas fields.", "GRC", "CYP"),
    ],
)
def test_conjoined_parties_of_a_reciprocal_act_pair_among_themselves(coded, text, a, b):
    got = coded(text)
    assert {(a, b), (b, a)} <= {(s, t) for s, t, _ in got}


@pytest.mark.parametrize(
    "text, expect, forbid",
    [
        ("The UNDP has provided five billion US dollars for a school.", None, ("IGOUNO", "USA", "07")),
        ("Japan gave six billion US dollars to the programme.", None, ("JPN", "USA", "07")),
        ("The EU agreed to give 30 million euros of aid for Moldova.", ("IGOEUREEC", "MDA", "03"), None),
    ],
)
def test_an_amount_names_no_party(coded, text, expect, forbid):
    got = coded(text)
    if expect is not None:
        assert expect in got, got
    if forbid is not None:
        assert forbid not in got, got


LIGHT = ["held", "staged", "launched", "renewed", "resumed", "conducted", "lodged", "submitted"]
EVENTS = [
    ("talks with Egypt", "04"),
    ("negotiations with Egypt", "04"),
    ("a raid on Egypt", "19"),
    ("an offensive against Egypt", "19"),
    ("a complaint with Egypt", "11"),
]


@pytest.mark.parametrize("verb", LIGHT)
@pytest.mark.parametrize("noun, root", EVENTS)
def test_light_verb_and_event_noun(coded, verb, noun, root):
    """One mechanism over two word classes: any light verb carries any event noun of the lexicon."""
    assert ("LBY", "EGY", root) in coded(f"Libya {verb} {noun} on Tuesday.")


@pytest.mark.parametrize(
    "text",
    ["Sudan submitted a protest to Chad over the raid.", "Sudan lodged a protest with Chad over the raid."],
)
def test_an_official_protest_is_a_complaint(coded, text):
    got = coded(text)
    assert ("SDN", "TCD", "11") in got and ("SDN", "TCD", "14") not in got


@pytest.mark.parametrize(
    "text, expect, forbid",
    [
        ("Egypt's call for restraint in Gaza was ignored.", ("EGY", "PSE", "02"), ("EGY", "PSE", "04")),
        ("Nigeria's call for restraint in Niger was ignored.", ("NGA", "NER", "02"), ("NGA", "NER", "04")),
        ("Kenya's phone call with Uganda lasted an hour.", ("KEN", "UGA", "04"), ("KEN", "UGA", "02")),
    ],
)
def test_a_call_for_something_is_an_appeal_not_a_phone_call(coded, text, expect, forbid):
    got = coded(text)
    assert expect in got and forbid not in got, got


@pytest.mark.parametrize(
    "text, expect",
    [
        ("Three Norwegian doctors went to Uganda's Gulu district to treat patients.", ("NOR", "UGA", "04")),
        ("A Japanese trade delegation went to Vietnam on Monday.", ("JPN", "VNM", "04")),
        ("The Zambian army worked with Malawi to clear the mines.", ("ZMB", "MWI", "06")),
    ],
)
def test_travel_and_work_with(coded, text, expect):
    assert expect in coded(text)


@pytest.mark.parametrize(
    "text, expect",
    [
        ("Ghana suggested that Togo reopen its border.", ("GHA", "TGO", "02")),
        ("Chile recommended that Peru sign the fishing accord.", ("CHL", "PER", "02")),
    ],
)
def test_suggesting_that_someone_act_is_an_appeal(coded, text, expect):
    assert expect in coded(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ghana suggested that Togo had closed its border.",
        "Chile recommended a new fishing accord.",
    ],
)
def test_suggesting_a_fact_or_a_thing_is_no_appeal(coded, text):
    assert not {t for t in coded(text) if t[2] == "02"}


@pytest.mark.parametrize(
    "text, expect",
    [
        ("Italy announced new restrictions on Albanian fishing boats.", {("ITA", "ALB", "16")}),
        (
            "Kenya lifted the restrictions on Somali and Ethiopian traders on Friday.",
            set(),
        ),
    ],
)
def test_restrictions_on_nationals_are_a_sanction(coded, text, expect):
    got = {t for t in coded(text) if t[2] == "16"}
    assert got == expect


@pytest.mark.parametrize(
    "text, expect, forbid",
    [
        (
            "Three Spanish water bombers arrived in Portugal to help fight the forest fires.",
            ("ESP", "PRT", "07"),
            None,
        ),
        (
            "A Turkish rescue team arrived in Pakistan to assist the quake victims.",
            ("TUR", "PAK", "07"),
            None,
        ),
        (
            "The Turkish foreign minister arrived in Pakistan for talks.",
            ("TUR", "PAK", "04"),
            ("TUR", "PAK", "07"),
        ),
    ],
)
def test_arriving_to_help_is_a_delivery_of_help(coded, text, expect, forbid):
    got = coded(text)
    assert expect in got
    assert forbid not in got


@pytest.mark.parametrize(
    "text, expect",
    [
        (
            "Two Indonesian cargo planes touched down in Manila on Tuesday, carrying ten tonnes of food.",
            {("IDN", "PHL", "07")},
        ),
        (
            "A Qatari aircraft arrived in Khartoum, carrying medicine for the flood victims.",
            {("QAT", "SDN", "07")},
        ),
        ("A Qatari aircraft arrived in Khartoum, carrying the emir.", set()),
    ],
)
def test_a_vehicle_landing_with_relief_delivers_it(coded, text, expect):
    assert {t for t in coded(text) if t[2] == "07"} == expect
