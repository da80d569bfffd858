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


def test_possessor_owns_a_title_over_a_country_compound(mentions_of):
    text = "The Asian Development Bank's Nepal director Ann Rowley praised the plan. Rowley left on Friday."
    found = mentions_of(text, "2006-03-01")
    assert ("Ann Rowley", "IGOASDB") in found or ("Ann Rowley", "IGOUNO") not in found
    assert ("Ann Rowley", "NPL") not in found
    found = mentions_of("The IMF's Ghana mission chief Tom Farrow met officials in Accra.", "2006-03-01")
    assert ("Tom Farrow", "GHA") not in found
    assert ("Tom Farrow", "IGOIMF") in found


# -- ethnic groups act for the state they live in -------------------------------------------------
def test_ethnic_group_takes_the_nationality_written_before_it(mentions_of):
    assert ("Kurds", "SYR") in mentions_of("Thousands of Syrian Kurds fled across the border.", "2012-08-01")
    assert ("Kurds", "IRN") in mentions_of("Iranian Kurds staged a strike in Mahabad.", "2012-08-01")


def test_ethnic_group_takes_a_state_named_in_the_sentence(code_on):
    rows = code_on("Turkish police detained dozens of Kurdish activists in Diyarbakir.", "2010-05-04")
    assert ("TUR", "TUR", "17") in triples(rows)
    rows = code_on("Angry Yoruba youths attacked Nigerian police stations on Monday.", "2004-02-02")
    assert ("NGA", "NGA", "19") in triples(rows) or ("NGA", "NGA", "18") in triples(rows)


def test_ethnic_marker_turns_a_demonym_into_a_minority(code_on):
    rows = code_on("Macedonian police arrested five ethnic Albanians near Tetovo.", "2001-04-10")
    assert ("MKD", "MKD", "17") in triples(rows)
    assert ("MKD", "ALB", "17") not in triples(rows)
    # without the marker the demonym is the state
    rows = code_on("Macedonian police arrested five Albanian smugglers near the border.", "2001-04-10")
    assert ("MKD", "ALB", "17") in triples(rows)


def test_ethnic_group_state_is_the_one_of_the_article_date(mentions_of):
    assert ("Dinka", "SDN") in mentions_of("Dinka elders met the governor in Juba.", "2005-07-01")
    assert ("Dinka", "SSD") in mentions_of("Dinka elders met the governor in Juba.", "2015-07-01")


# -- sub-state actors act for their state ---------------------------------------------------------
def test_actor_located_in_a_state(code_on):
    rows = code_on("Rebels in Chad accused Sudan of arming the militias.", "2006-04-02")
    assert ("TCD", "SDN", "11") in triples(rows)
    rows = code_on("Opposition parties across Togo criticised President Faure Gnassingbe.", "2006-04-02")
    assert ("TGO", "TGO", "11") in triples(rows)


def test_substate_actor_and_its_state_make_a_domestic_event_of_any_root(code_on):
    rows = code_on("Rebels in Mozambique accepted an offer of talks from President Guebuza.", "2006-04-02")
    assert (
        ("MOZ", "MOZ", "03") in triples(rows)
        or ("MOZ", "MOZ", "08") in triples(rows)
        or ("MOZ", "MOZ", "04") in triples(rows)
    )
    # two parts of the state's own apparatus are not a domestic event of a verbal root
    rows = code_on("Kenyan ministers praised President Kibaki on Monday.", "2006-04-02")
    assert ("KEN", "KEN", "05") not in triples(rows)


def test_actor_based_in_a_place(code_on):
    rows = code_on("A militant group based in Karachi threatened to attack India.", "2003-01-15")
    assert ("PAK", "IND", "13") in triples(rows)
    rows = code_on("Fighters operating in Colombia kidnapped two Venezuelan engineers.", "2003-01-15")
    assert ("COL", "VEN", "18") in triples(rows)


def test_residents_of_a_place(code_on):
    rows = code_on("Residents of Hebron protested against Israeli settlers.", "2003-01-15")
    assert ("PSE", "ISR", "14") in triples(rows)
    rows = code_on("The inhabitants of Mosul condemned the American air strikes.", "2003-01-15")
    assert ("IRQ", "USA", "11") in triples(rows)


def test_troops_and_envoys_in_a_country_are_not_that_country(mentions_of, code_on):
    from pipeline.extract.mentions import LOCATED_NOUNS

    assert not {"troop", "soldier", "envoy", "ambassador", "diplomat"} & LOCATED_NOUNS
    rows = code_on("Soldiers in Kosovo arrested two smugglers on Friday.", "2012-01-15")
    assert not any(t[0] == "XKX" for t in triples(rows))


def test_people_noun_as_modifier_makes_unnamed_victims(code_on):
    rows = code_on("Ugandan police arrested three student leaders in Kampala.", "2005-11-20")
    assert ("UGA", "UGA", "17") in triples(rows)
    rows = code_on("Security forces in Belarus detained several student activists.", "2006-03-20")
    assert ("BLR", "BLR", "17") in triples(rows)


# -- places are date-aware ------------------------------------------------------------------------
def test_city_of_a_state_not_yet_independent(code_on):
    rows = code_on("Sudanese troops shelled Juba on Monday.", "2004-02-09")
    assert ("SDN", "SDN", "19") in triples(rows) or ("SDN", "SDN", "18") in triples(rows)
    assert not any("SSD" in t for t in triples(rows))
    from pipeline.extract.places import city_country

    assert city_country("Juba") == "SSD"


def test_capital_of_a_state_not_yet_independent(mentions_of):
    assert ("Podgorica", "SRB") in mentions_of("Police in Podgorica detained two men.", "2004-02-09")
    assert ("Podgorica", "MNE") in mentions_of("Police in Podgorica detained two men.", "2010-02-09")


# -- names that are no actor or no person ---------------------------------------------------------
def test_nationality_on_a_currency_is_no_actor(mentions_of):
    found = mentions_of("Police in Bern seized Swiss francs and U.S. dollars worth a fortune.", "2006-12-20")
    assert ("Swiss", "CHE") not in found and ("U.S.", "USA") not in found
    assert ("Swiss", "CHE") in mentions_of("Swiss police seized the cash.", "2006-12-20")


def test_abbreviated_month_is_no_name(mentions_of):
    found = mentions_of("HANOI, Oct. 3 (Xinhua) -- Vietnam praised Laos.", "2006-10-03")
    assert all(text != "Oct." for text, _ in found)


def test_organisation_name_is_no_person_to_remember(mentions_of):
    text = (
        "The Kenyan Revenue Authority said on Monday that it had doubled its staff. "
        "Authority officials met Tanzanian customs chiefs later."
    )
    found = mentions_of(text, "2006-10-03")
    assert ("Kenyan Revenue Authority", "KEN") in found or ("Revenue Authority", "KEN") in found
    assert ("Authority", "KEN") not in found  # not a surname of a person met before


def test_organisation_acronym_names_it_again_later(mentions_of):
    text = (
        "The Ghanaian Customs Service (GCS) opened a new office on Monday. "
        "GCS chief Kwame Mensah then met Togolese officials."
    )
    found = mentions_of(text, "2006-10-03")
    assert ("GCS", "GHA") in [f for f in found if f[0] == "GCS"][-1:]


def test_acronym_of_a_body_of_states_is_not_remembered(code_on):
    text = (
        "Delegates of the Chile-Peru-Ecuador (CPE) Fisheries Council met in Lima in May. "
        "The CPE secretariat criticised Japan on Friday."
    )
    assert not {t for t in triples(code_on(text, "2006-10-03")) if t[1] == "JPN"}


def test_organisation_acronym_acts_for_its_state(code_on):
    rows = code_on(
        "The Zambian Energy Regulation Board (ERB) was set up in 1995. ERB director Langford Banda "
        "and Malawi's energy secretary signed a supply accord on Friday.",
        "2006-10-03",
    )
    assert ("ZMB", "MWI", "05") in triples(rows) or ("MWI", "ZMB", "05") in triples(rows)


def test_pronoun_after_a_speaking_report_is_its_author(code_on):
    text = (
        "The World Health Organization said on Monday that malaria cases had doubled. "
        "Most of the cases were in Kenyan villages, the survey said. "
        "It urged the Ugandan government to buy more bed nets."
    )
    assert ("IGOUNOHLHWHO", "UGA", "02") in triples(code_on(text, "2006-10-03"))


def test_pronoun_after_a_report_in_my_own_words(code_on):
    text = (
        "Brazil said on Friday that logging had slowed. "
        "Fewer trees were cut near the Peruvian border, the government study showed. "
        "It appealed to Bolivia to patrol the frontier."
    )
    assert ("BRA", "BOL", "02") in triples(code_on(text, "2006-10-03"))


@pytest.mark.parametrize(
    "text, expect",
    [
        ('"We urged Togo to reopen the border," the Ghanaian foreign minister said.', ("GHA", "TGO", "02")),
        ("Peru's president said we had asked Chile for more water.", ("PER", "CHL", "02")),
    ],
)
def test_we_in_a_reported_sentence_is_the_speaker(code_on, text, expect):
    assert expect in triples(code_on(text, "2006-10-03"))


def test_we_that_nobody_says_is_nobody(code_on):
    assert not triples(code_on("We urged Togo to reopen the border.", "2006-10-03"))


def test_a_government_body_far_from_any_state_is_the_storys(code_on):
    text = (
        "Nepalese farmers harvested rice early this year. Prices rose in the markets. "
        "Traders were worried. The rains came late. Many fields were flooded. "
        "The World Bank said it would work with the Ministry of Agriculture on new dams."
    )
    assert ("IGOWBK", "NPL", "03") in triples(code_on(text, "2006-10-03"))


def test_he_is_the_person_named_further_back_not_the_latest_body(code_on):
    text = (
        "Chilean Mining Minister Jorge Bande visited Lima on Monday. "
        "Copper output rose in May. Prices fell in June. "
        "The World Bank said demand would stay weak. Traders agreed. "
        "He praised Peru for its new mining code."
    )
    got = triples(code_on(text, "2006-10-03"))
    assert ("CHL", "PER", "05") in got
    assert not {t for t in got if t[0].startswith("IGO") and t[2] == "05"}


def test_she_resolves_to_the_person_not_the_body_named_since():
    pytest.importorskip("spacy")
    from pipeline.extract.mentions import Mentions
    from pipeline.extract.nlp import load_nlp

    doc = load_nlp()(
        "Kenyan Trade Minister Mukhisa Kituyi arrived in Geneva on Sunday. Talks were slow. "
        "Coffee exports fell. Farmers complained. The IMF issued a report. She said the talks would resume."
    )
    she = next(t for t in doc if t.lower_ == "she")
    assert [r.actor.code for r in Mentions(doc, date(2006, 10, 3)).resolve(she)] == ["KEN"]


def test_title_person_is_remembered_by_surname(mentions_of):
    text = "Chilean Interior Minister Belisario Velasco met Bolivian officials. Velasco later flew home."
    found = mentions_of(text, "2006-10-03")
    assert ("Velasco", "CHL") in found


def test_name_modifying_a_thing_is_no_person(mentions_of):
    found = mentions_of("Iraq shelled Iranian towns during the Faw offensive.", "1984-05-01")
    assert ("Faw", "IRQ") not in found


# -- people by title and nationality, outside the registry ------------------------------------------
def test_person_by_apposed_title_of_a_state_and_later_surname(code_on):
    text = (
        "Carlos Ortuzar, the foreign minister of Paraguay, criticised Bolivia on Monday. "
        "Ortuzar later met Peruvian diplomats in Lima."
    )
    got = triples(code_on(text, "1998-03-02"))
    assert ("PRY", "BOL", "11") in got
    assert ("PRY", "PER", "04") in got


def test_person_by_possessive_title(code_on):
    text = "Uruguay's ambassador Julio Pereyra protested to Argentina. Pereyra accused Buenos Aires of lying."
    got = triples(code_on(text, "1998-03-02"))
    assert ("URY", "ARG", "11") in got


def test_host_country_of_a_title_is_not_the_holders(mentions_of):
    found = mentions_of("The Ghanaian ambassador to Togo, Kwame Osei, was expelled.", "1998-03-02")
    assert ("Kwame Osei", "GHA") in found
    found = mentions_of("Norway's envoy in Colombia, Jan Egeland, met the rebels.", "1998-03-02")
    assert ("Jan Egeland", "NOR") in found


def test_arabic_article_in_any_spelling(mentions_of):
    assert ("Omar El Bashir", "SDN") in mentions_of("Sudan's Omar El Bashir spoke in Khartoum.", "1995-03-02")
    assert ("El Salvador", "SLV") in mentions_of("El Salvador protested to Honduras.", "1995-03-02")


def test_the_pope_is_the_last_pope_named(code_on):
    text = "Pope Benedict arrived in Amman on Friday. The pope urged Jordanians to seek peace."
    assert ("VAT", "JOR", "02") in triples(code_on(text, "2009-05-08"))


def test_armed_group_of_a_state_not_yet_independent(mentions_of):
    assert ("SPLA", "SDN") in mentions_of("The SPLA attacked a garrison.", "2004-03-02")
    assert ("SPLA", "SSD") in mentions_of("The SPLA attacked a garrison.", "2014-03-02")


def test_ethnic_group_in_a_place_beats_the_nearest_nationality(code_on):
    rows = code_on("Iranian jets bombed Kurdish militant camps in northern Iraq.", "2011-08-20")
    assert ("IRN", "IRQ", "19") in triples(rows) or ("IRN", "IRQ", "18") in triples(rows)
    rows = code_on("Syrian tanks shelled Kurdish villages in Turkey.", "2011-08-20")
    assert not any(t[1] == "SYR" for t in triples(rows) if t[2] in ("18", "19"))


# -- a nationality adjective on an actor-like noun names the state --------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Belgian peacekeepers detained three Congolese gunmen near Bunia.", ("BEL", "COD", "17")),
        ("Ugandan riot police fired tear gas at student marchers.", ("UGA", "UGA", "17")),
        ("Greek warplanes attacked Turkish patrol boats in the Aegean.", ("GRC", "TUR", "19")),
        ("Nigerian soldiers clashed with Ijaw militants in the Niger delta.", ("NGA", "NGA", "19")),
    ],
)
def test_nationality_on_actor_nouns(code_on, text, expected):
    got = triples(code_on(text, "2003-05-12"))
    assert expected in got or any(t[:2] == expected[:2] for t in got), got


def test_officials_filled_in_the_registry(mentions_of):
    found = mentions_of(
        "Samuel Bodman, the US energy chief, visited Doha. Bodman met oil ministers.", "2005-11-13"
    )
    assert ("Samuel Bodman", "USA") in found and ("Bodman", "USA") in found
    assert ("Tung Chee-hwa", "CHN") in mentions_of("Tung Chee-hwa thanked Beijing.", "1997-04-20")


def test_regions_name_their_state(code_on):
    rows = code_on("Russian troops attacked rebel villages in Chechnya.", "1999-10-20")
    assert ("RUS", "RUS", "19") in triples(rows) or ("RUS", "RUS", "18") in triples(rows)
    rows = code_on("Police in Florida arrested two Cuban exiles.", "2000-04-20")
    assert ("USA", "CUB", "17") in triples(rows) or ("USA", "USA", "17") in triples(rows)


def test_city_in_the_name_of_a_text_is_no_actor(code_on):
    rows = code_on("The ministers endorsed the Nairobi Action Plan on Friday.", "2006-11-18")
    assert not any(t[1] == "KEN" for t in triples(rows))
    rows = code_on("Egypt praised the Amman Declaration on Friday.", "2006-11-18")
    assert not any(t[1] == "JOR" for t in triples(rows))
    rows = code_on("Egypt praised Amman for its restraint.", "2006-11-18")
    assert ("EGY", "JOR", "05") in triples(rows)


def test_religious_community_acts_for_its_state(code_on):
    rows = code_on("Police in Quetta detained dozens of Shiite protesters.", "2013-01-12")
    assert ("PAK", "PAK", "17") in triples(rows)
    rows = code_on("Bahraini riot police dispersed Shiite marchers in Manama.", "2011-03-01")
    assert not any("IRQ" in t for t in triples(rows))


def test_host_after_a_title_read_left_to_right(mentions_of):
    found = mentions_of(
        "Protesters handed Canada's Ambassador to Lima Pierre Dubois a petition.", "2004-06-01"
    )
    assert ("Pierre Dubois", "PER") not in found
    found = mentions_of("France's envoy to Dakar Jean Morel met the Senegalese premier.", "2004-06-01")
    assert ("Jean Morel", "SEN") not in found


def test_people_named_by_where_they_come_from(code_on):
    rows = code_on(
        "Spain imposed restrictions on the jobs market for workers coming from Morocco.", "2006-11-06"
    )
    assert ("ESP", "MAR", "16") in triples(rows)
    rows = code_on("Greece deported dozens of migrants arriving from Turkey.", "2006-11-06")
    assert ("GRC", "TUR", "17") in triples(rows)


def test_civil_body_and_its_government_make_a_domestic_event(code_on):
    rows = code_on(
        "The Serbian Farmers' Union accused Prime Minister Zoran Djindjic of betrayal.", "2001-06-01"
    )
    assert ("SRB", "SRB", "11") in triples(rows)
    rows = code_on("The Kenyan Revenue Authority praised President Mwai Kibaki.", "2006-06-01")
    assert ("KEN", "KEN", "05") not in triples(rows)  # a state body: no domestic statement


def test_rebels_speaking_of_themselves_stay_rebels(code_on):
    rows = code_on(
        "Fijian insurgents said they would soon free Prime Minister Laisenia Qarase.", "2001-06-01"
    )
    assert any(t[:2] == ("FJI", "FJI") for t in triples(rows))
