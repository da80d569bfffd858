"""Places as actors: a named city or territory stands for its country when it is hit by force or is
where a domestic event happens, but never when it is only the venue of a meeting."""

from __future__ import annotations

from tests.conftest import triples


def test_city_country_table():
    from pipeline.extract.places import city_country

    assert city_country("Kharkiv") == "UKR"
    assert city_country(" rafah ") == "PSE"  # hand-kept territories and conflict places
    assert city_country("Natanz") == "IRN"
    assert city_country("Nowhere-on-Sea") is None


def test_city_hit_by_drones_is_its_country(code):
    rows = code("Russian drones struck energy facilities in Odesa overnight.")
    assert ("RUS", "UKR", "19") in triples(rows)


def test_conjoined_city_targets(code):
    rows = code("Russian missiles hit Kharkiv and Zaporizhzhia on Monday.")
    assert ("RUS", "UKR", "19") in triples(rows)


def test_nominal_strikes_on_named_sites(code):
    rows = code("The move follows Israeli strikes on the Natanz and Isfahan facilities last month.")
    assert ("ISR", "IRN", "19") in triples(rows)


def test_hyphenated_city_name(code):
    rows = code("Gangs attacked police stations in Port-au-Prince on Tuesday.")
    assert {(r["source_actor"], r["target_actor"]) for r in rows if r["cameo_root"] == "19"} <= {
        ("HTI", "HTI")
    }
    from pipeline.extract.places import city_country

    assert city_country("Port-au-Prince") == "HTI"


def test_domestic_repression_in_a_city(code):
    rows = code("Georgian police fired tear gas at protesters in Batumi on Sunday.")
    assert ("GEO", "GEO", "17") in triples(rows)


def test_venue_is_not_an_actor(code):
    rows = code("French President Emmanuel Macron met Egyptian President Abdel Fattah al-Sisi in Geneva.")
    got = triples(rows)
    assert ("FRA", "EGY", "04") in got
    assert not any("CHE" in (s, t) for s, t, _ in got)


def test_talks_in_a_city_are_not_against_it(code):
    rows = code("Qatar hosted talks between Israel and Hamas in Doha on Monday.")
    assert not any(t == "QAT" and r >= "15" for _, t, r in triples(rows))


def test_diplomatic_premises_belong_to_the_sender(code):
    rows = code("Mexico condemned Ecuador on Saturday after Ecuadorean police stormed its embassy in Quito.")
    got = triples(rows)
    assert ("ECU", "ECU", "19") not in got


def test_attack_on_a_city_of_the_attackers_own_country_is_domestic(code):
    assert ("SDN", "SDN", "19") in triples(code("Sudanese paramilitaries attacked El Fasher on Monday."))


def test_protest_in_a_city_is_domestic(code):
    assert ("GEO", "GEO", "14") in triples(code("Thousands of people protested in Batumi on Sunday."))


def test_armed_group_counts_where_it_operates(code):
    got = triples(code("Militants in Gaza fired rockets at Israel."))
    assert ("PSE", "ISR", "19") in got
    assert ("ISR", "ISR", "19") not in got


def test_attack_on_its_installations_hits_their_owner(code):
    got = triples(code("Iran condemned the U.S. attacks on its oil platforms."))
    assert {("USA", "IRN", "19"), ("IRN", "USA", "11")} <= got
