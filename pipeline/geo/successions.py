"""The state a place belonged to on a day: Juba in 2005 is Sudan, Kyiv in 1990 the Soviet Union (RUS).

Periods are data (``data/successions.tsv``, with their sources); so are the project's conventions they
encode: a former state is coded as its successor, a dependency as the state it belongs to. A place with
no period covering the day keeps its own ISO 3166-1 alpha-3 code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.geo.gazetteer import Place

DATA = Path(__file__).resolve().parent / "data" / "successions.tsv"


@dataclass(frozen=True)
class Period:
    """One row of the table: ``place`` (ISO-3, narrowed by ``scope``) is ``country`` from start to end."""

    place: str
    scope: str  # "" (the whole country), "geonames:<id>" or "adm1:<ISO 3166-2>"
    start: date | None
    end: date | None
    country: str
    source: str
    note: str

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _period(rec: dict[str, str]) -> Period:
    place, _, scope = rec["place"].partition("/")
    return Period(
        place, scope, _day(rec["start"]), _day(rec["end"]), rec["country"], rec["source"], rec["note"]
    )


@lru_cache(maxsize=1)
def periods() -> dict[str, list[Period]]:
    """ISO-3 code -> its periods, in file order."""
    with DATA.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    out: dict[str, list[Period]] = {}
    for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        p = _period(rec)
        out.setdefault(p.place, []).append(p)
    return out


def _as_day(day: date | str | None) -> date:
    if day is None:
        return date.today()
    return date.fromisoformat(day) if isinstance(day, str) else day


def period_for(
    iso3: str, day: date | str | None = None, geonameid: int | None = None, adm1_code: str | None = None
) -> Period | None:
    """The period deciding a place's country on ``day``: its city's, else its ADM1's, else its country's."""
    when = _as_day(day)
    scopes = [f"geonames:{geonameid}" if geonameid else None, f"adm1:{adm1_code}" if adm1_code else None, ""]
    rows = periods().get(iso3, [])
    for scope in scopes:
        if scope is None:
            continue
        for p in rows:
            if p.scope == scope and p.covers(when):
                return p
    return None


def current_country(iso3: str) -> str:
    """The code a place of ``iso3`` has today (Hong Kong -> CHN, Greenland -> DNK, Kenya -> KEN)."""
    p = period_for(iso3)
    return p.country if p else iso3


def country_on(place: Place | str, day: date | str | None = None) -> str | None:
    """The state ``place`` belonged to on ``day`` (today if None), as an actor code (ISO-3 or successor).

    ``place`` is a gazetteer Place or a place name (looked up with the default gazetteer); an unknown name
    gives None.
    """
    if isinstance(place, str):
        from pipeline.geo.gazetteer import lookup

        found = lookup(place)
        if found is None:
            return None
        place = found
    p = period_for(place.iso_country, day, place.geonameid, place.adm1_code)
    return p.country if p else place.iso_country
