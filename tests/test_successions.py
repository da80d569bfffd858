"""A place belongs, on a date, to the state that held it then (the project's successor-state convention)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.geo.gazetteer import gazetteer
from pipeline.geo.successions import country_on, current_country, periods

STATES = Path(__file__).resolve().parents[1] / "pipeline" / "extract" / "data" / "actors" / "states.csv"


def registry_states() -> set[str]:
    lines = STATES.read_text(encoding="utf-8").splitlines()
    return {x.split(";")[0].strip() for x in lines if x.strip() and not x.startswith("#")}


@pytest.mark.parametrize(
    ("place", "before", "then", "after", "now"),
    [
        ("Juba", "2011-07-08", "SDN", "2011-07-09", "SSD"),
        ("Podgorica", "2006-06-02", "SRB", "2006-06-03", "MNE"),
        ("Pristina", "2008-02-16", "SRB", "2008-02-17", "XKX"),
        ("Asmara", "1993-05-23", "ETH", "1993-05-24", "ERI"),
        ("Windhoek", "1990-03-20", "ZAF", "1990-03-21", "NAM"),
        ("Bratislava", "1992-12-31", "CZE", "1993-01-01", "SVK"),
        ("Zagreb", "1991-06-24", "SRB", "1991-06-25", "HRV"),
        ("Sarajevo", "1992-03-02", "SRB", "1992-03-03", "BIH"),
        ("Kyiv", "1991-12-25", "RUS", "1991-12-26", "UKR"),
        ("Almaty", "1991-12-25", "RUS", "1991-12-26", "KAZ"),
        ("Vilnius", "1991-09-05", "RUS", "1991-09-06", "LTU"),
        ("Hong Kong", "1997-06-30", "GBR", "1997-07-01", "CHN"),
    ],
)
def test_a_city_of_a_state_not_yet_independent_belongs_to_its_predecessor(place, before, then, after, now):
    assert country_on(place, before) == then
    assert country_on(place, after) == now
    assert country_on(place) == now


def test_dili_under_portugal_indonesia_and_the_un():
    assert country_on("Dili", "1975-06-01") == "PRT"
    assert country_on("Dili", date(1976, 1, 1)) == "IDN"
    assert country_on("Dili", "1999-10-24") == "IDN"
    assert country_on("Dili", "2000-05-01") == "TLS"
    assert country_on("Dili", "2010-01-01") == "TLS"


def test_a_city_scope_overrides_its_country():
    """Walvis Bay stayed South African for four years after Namibia's independence; Windhoek did not."""
    walvis, windhoek = gazetteer().lookup("Walvis Bay"), gazetteer().lookup("Windhoek")
    assert country_on(walvis, "1992-01-01") == "ZAF" and country_on(windhoek, "1992-01-01") == "NAM"
    assert country_on(walvis, "1994-03-01") == "NAM"


def test_places_of_unchanged_states_keep_their_code():
    assert country_on("Moscow", "1985-01-01") == "RUS"
    assert country_on("Belgrade", "1990-01-01") == "SRB"
    assert country_on("Nairobi", "1970-01-01") == "KEN"
    assert country_on("Nowhereville", "2000-01-01") is None


def test_dependencies_are_coded_as_their_state():
    assert (current_country("PRI"), current_country("GRL"), current_country("KEN")) == ("USA", "DNK", "KEN")
    assert country_on("Macau", "1998-01-01") == "PRT" and country_on("Macau", "2001-01-01") == "CHN"


def test_every_period_is_well_formed_and_names_a_registry_state():
    states = registry_states() | {"ATA"}
    for iso3, rows in periods().items():
        assert len(iso3) == 3 and iso3.isupper()
        for p in rows:
            assert p.country in states, (iso3, p.country)
            assert p.source and p.note
            assert p.start is None or p.end is None or p.start <= p.end
            assert p.scope == "" or p.scope.split(":")[0] in ("geonames", "adm1")


def test_periods_of_one_scope_do_not_overlap():
    for iso3, rows in periods().items():
        for scope in {p.scope for p in rows}:
            spans = sorted(((p.start or date.min), (p.end or date.max)) for p in rows if p.scope == scope)
            assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False)), (iso3, scope)


def test_every_geonames_country_that_is_no_state_has_a_state_today():
    states = registry_states()
    for country in gazetteer().countries.values():
        if country.iso3 not in states:
            assert current_country(country.iso3) in states | {"ATA"}, country.iso3
