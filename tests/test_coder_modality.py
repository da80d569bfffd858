"""Modality of the coder (issue 9, part 3), on sentences written for these tests: a future, conditional,
obliged, asked-for, negated or proposed act is never the act itself."""

from __future__ import annotations

import pytest

from tests.conftest import triples


def roots(rows: list[dict]) -> set[str]:
    return {r["cameo_root"] for r in rows}


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Sweden will recall its ambassador from Hungary.", ("SWE", "HUN")),
        ("Chile said it will expel two Bolivian diplomats.", ("CHL", "BOL")),
        ("Armenia will launch an offensive against Azerbaijan.", ("ARM", "AZE")),
    ],
)
def test_plain_future_of_a_hostile_act_is_a_threat(code, text, pair):
    rows = code(text)
    assert (*pair, "13") in triples(rows)
    assert not roots(rows) & {"16", "17", "19"}


def test_an_announced_decision_with_would_stays_the_decision(code):
    rows = code("Peru announced on Monday that it would leave the World Health Organization.")
    assert ("PER", "IGOUNOHLHWHO", "16") in triples(rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chile said Bolivia must release the detained lorry drivers.", ("CHL", "BOL", "10")),
        ("Serbia must withdraw its police from Kosovo, Albania said.", ("ALB", "SRB", "10")),
        ("Norway insisted that Russia should free the fishermen.", ("NOR", "RUS", "10")),
        ("Poland stressed that Belarus ought to reopen its border crossings.", ("POL", "BLR", "10")),
    ],
)
def test_an_obligation_stated_by_a_speaker_is_a_demand(code, text, expected):
    rows = code(text)
    assert expected in triples(rows)
    assert not roots(rows) - {"10"}  # neither the release nor the withdrawal happened


@pytest.mark.parametrize(
    "text",
    [
        "Qatar said Chad must be willing to negotiate with Sudan.",
        "Turkey said Syria should be willing to hold talks with Iraq.",
    ],
)
def test_an_obligation_on_an_intent_governor_is_a_demand(code, text):
    rows = code(text)
    assert roots(rows) == {"10"}
    assert all(r["source_actor"] in ("QAT", "TUR") for r in rows)


@pytest.mark.parametrize(
    "text",
    [
        "Talks between Peru and Chile should resume soon.",
        "Ecuador must sign the treaty with Colombia.",
    ],
)
def test_an_obligation_nobody_states_is_no_event(code, text):
    assert code(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Japan no longer supports the Philippines.",
        "Brazil no longer criticises Venezuela.",
    ],
)
def test_no_longer_negates(code, text):
    assert code(text) == []


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Jordan turned down a UN plea for sending monitors to Syria.", None, ("JOR", "SYR")),
        ("Mali dismissed a French call to expel the Russian advisers.", None, ("MLI", "RUS")),
        ("Kenya heard a request from Somalia to arrest the Ethiopian smugglers.", None, ("KEN", "ETH")),
    ],
)
def test_what_is_asked_for_is_not_an_act(code, text, kept, gone):
    assert not any((r["source_actor"], r["target_actor"]) == gone for r in code(text))


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Hungary turned down a proposal to admit Ukraine.", ("HUN", "UKR")),
        ("Greece dismissed the offer to mediate between Turkey and Cyprus.", ("GRC", "TUR")),
    ],
)
def test_an_answered_proposal_is_not_the_answerers_plan(code, text, gone):
    assert not any((r["source_actor"], r["target_actor"]) == gone for r in code(text))


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Iran could expel Israeli diplomats if the raids go on.", ("IRN", "ISR")),
        ("China may impose tariffs on Australia if the dispute goes on.", ("CHN", "AUS")),
    ],
)
def test_a_possible_act_under_a_condition_is_a_threat(code, text, pair):
    rows = code(text)
    assert (*pair, "13") in triples(rows)
    assert not roots(rows) & {"16", "19"}


def test_a_possible_act_without_condition_stays_out(code):
    assert code("China may impose tariffs on Australia.") == []


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("Kenya praised China for sending aid to Somalia.", ("CHN", "SOM", "07")),
        ("Germany criticised Israel for bombing Gaza.", ("ISR", "PSE", "19")),
        ("Peru condemned Chile for expelling Peruvian diplomats.", ("CHL", "PER", "16")),
    ],
)
def test_praise_or_blame_for_an_act_reports_the_act(code, text, act):
    assert act in triples(code(text))


def test_an_accusation_of_an_act_does_not_report_it(code):
    rows = code("Iran accused Israel of attacking its embassy.")
    assert ("ISR", "IRN", "19") not in triples(rows)


@pytest.mark.parametrize(
    "text",
    [
        "Chile is prepared to expel Argentine diplomats.",
        "Russia has sworn to strike Ukraine.",
    ],
)
def test_readiness_and_oaths_are_threats_of_hostile_acts(code, text):
    assert roots(code(text)) == {"13"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ghana says it won't hold talks with Togo.", ("GHA", "TGO", "12")),
        ("Cyprus will never recognise the Turkish Cypriot authorities in the north, Nicosia said.", None),
        ("Serbia said it would never recognise Kosovo.", ("SRB", "XKX", "12")),
        ("The United States will not lift its sanctions on Cuba.", ("USA", "CUB", "12")),
    ],
)
def test_will_not_of_a_cooperative_act_is_a_refusal(code, text, expected):
    rows = code(text)
    assert not roots(rows) - {"12"}
    if expected:
        assert expected in triples(rows)


@pytest.mark.parametrize(
    "text",
    [
        "Russia will not attack Finland, the Kremlin said.",
        "Peru did not sign the trade treaty with Chile.",
        "Peru would not sign the treaty with Chile if asked.",
        "Trade talks between Peru and Chile will not be held.",
        "Germany hopes that Iran will not help Russia.",
    ],
)
def test_other_negations_are_no_event(code, text):
    assert code(text) == []


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Serbia and Kosovo failed to agree on the status of the northern towns.", ("SRB", "XKX")),
        ("Peru and Chile failed to resolve their maritime border row.", ("PER", "CHL")),
        ("Japan failed to settle its fishing dispute with China.", ("JPN", "CHN")),
    ],
)
def test_a_failed_settlement_is_a_rejection_both_ways(code, text, pair):
    got = triples(code(text))
    assert {(*pair, "12"), (pair[1], pair[0], "12")} <= got
    assert not {r for _, _, r in got} - {"12"}


def test_failing_another_act_is_no_event(code):
    assert code("Japan failed to sign the treaty with China.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Chad threatened to withdraw its peacekeepers from Mali.",
        "Egypt threatened to pull its monitors out of Libya.",
    ],
)
def test_a_threat_to_do_anything_is_a_threat(code, text):
    assert roots(code(text)) == {"13"}


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("Ghana hopes to sign a trade pact with Togo.", "03"),  # the tagger's lemma for "hopes" is "hop"
        ("Ghana is poised to expel Togolese diplomats.", "13"),
    ],
)
def test_governors_are_known_by_their_form_when_the_lemma_slips(code, text, root):
    assert roots(code(text)) == {root}


@pytest.mark.parametrize(
    "text",
    [
        "Ghana postponed its visit to Togo.",
        "Ghana is weighing sanctions against Togo.",
        "Ghana resisted pressure to expel Togolese diplomats.",
    ],
)
def test_a_postponed_or_weighed_act_is_no_event(code, text):
    assert code(text) == []


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Ghana proposed talks between Togo and Benin.", ("TGO", "BEN")),
        ("Norway sought a meeting between Sudan and Chad.", ("SDN", "TCD")),
        ("Qatar offered to host negotiations between Sudan and Chad.", ("SDN", "TCD")),
    ],
)
def test_an_event_noun_asked_for_or_offered_is_not_held(code, text, gone):
    assert not any((r["source_actor"], r["target_actor"]) == gone for r in code(text))


@pytest.mark.parametrize(
    "text",
    [
        "Ghana says it won't ask Togo to extradite the suspects.",
        "Chile will not appeal to Peru for help.",
    ],
)
def test_a_statement_or_appeal_not_made_is_no_refusal(code, text):
    assert "12" not in roots(code(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Washington said Beijing must open its markets to American farmers.", ("USA", "CHN", "10")),
        ("Tokyo must stop its whaling, Australia said.", ("AUS", "JPN", "10")),
        ("Germany said Iran has to stop enriching uranium.", ("DEU", "IRN", "10")),
    ],
)
def test_an_obligation_stated_with_any_verb_is_a_demand(code, text, expected):
    assert triples(code(text)) == {expected}


@pytest.mark.parametrize(
    "text",
    [
        "Beijing must open its markets.",
        "Japan said it must rebuild its economy.",
    ],
)
def test_an_unstated_or_own_obligation_is_no_demand(code, text):
    assert code(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Israel is expected to strike Iranian nuclear sites soon.",
        "Russia is likely to shell Kharkiv again.",
    ],
)
def test_a_forecast_hostile_act_is_nobodys_threat(code, text):
    assert code(text) == []


def test_a_forecast_cooperative_act_is_intent(code):
    assert triples(code("Peru is likely to sign a trade pact with Chile.")) == {("PER", "CHL", "03")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rome sent Tripoli a reminder that it should free the fishermen.", ("ITA", "LBY", "10")),
        ("Ankara sent a warning to Damascus that it should stop arming the militias.", ("TUR", "SYR", "10")),
    ],
)
def test_an_obligation_in_a_sent_message_is_the_senders_demand(code, text, expected):
    assert expected in triples(code(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israel's threat to strike Iranian oil terminals alarmed traders.", ("ISR", "IRN", "13")),
        ("Moscow repeated its threat to shell Kharkiv.", ("RUS", "UKR", "13")),
        ("The threat of Russian sanctions against Moldova grew.", ("RUS", "MDA", "13")),
    ],
)
def test_a_threatened_act_is_a_threat(code, text, expected):
    rows = code(text)
    assert expected in triples(rows)
    assert not roots(rows) & {"16", "18", "19"}


@pytest.mark.parametrize(
    "text",
    [
        "The prospect of talks between Armenia and Azerbaijan faded.",
        "Diplomats discussed the possibility of a meeting between Peru and Chile.",
    ],
)
def test_the_prospect_of_an_event_is_no_event(code, text):
    assert not any(r["cameo_root"] == "04" for r in code(text))


@pytest.mark.parametrize(
    "text",
    [
        "Canada said the Mexican and Chilean pacts should serve as models.",
        "A new round of talks is needed to halt the dispute, the US envoy said.",
        "Peru and Chile should deepen their trade ties, a Peruvian minister said.",
    ],
)
def test_no_demand_on_things_passives_or_the_speakers_own_side(code, text):
    assert "10" not in roots(code(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Serbia's reluctance to recognise Kosovo frustrated diplomats.", ("SRB", "XKX", "12")),
        ("Japan's refusal to meet China surprised observers.", ("JPN", "CHN", "12")),
    ],
)
def test_a_refusal_noun_is_a_rejection_of_its_act(code, text, expected):
    rows = code(text)
    assert expected in triples(rows)
    assert "04" not in roots(rows) and "05" not in roots(rows)


def test_a_failure_noun_is_no_event(code):
    assert code("Japan's failure to meet China surprised observers.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The Security Council failed to agree on a call for foreign troops to leave Somalia.",
        "The trial threatened to inflame tensions in the country.",
    ],
)
def test_a_governing_event_takes_no_unnamed_or_topic_party(code, text):
    assert code(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukraine threatened to halt gas transit to Hungary.", ("UKR", "HUN", "13")),
        ("Norway pledged to waive duties on Icelandic fish.", ("NOR", "ISL", "03")),
        ("Britain pledged to give up part of its European Union rebate.", ("GBR", "IGOEUREEC", "03")),
    ],
)
def test_a_threat_or_pledge_is_aimed_at_whom_its_act_would_reach(code, text, expected):
    assert expected in triples(code(text))
