"""Actor registry: names, demonyms, capitals, office-holders, IGOs and groups -> actor codes.

STUB: a first version built from pycountry only. The registry issue replaces the internals with
the project's data files; the public API below (Actor, ActorRegistry.default/lookup/aliases/codes,
valid_codes) is fixed and used by the coder and the validator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache


@dataclass(frozen=True)
class Actor:
    code: str  # ISO 3166 alpha-3 or CAMEO IGO code
    name: str  # canonical name
    kind: str  # state | igo | group | person | institution | capital | demonym
    agent: str | None = None  # GOV, MIL, REB, OPP, ...
    title: str | None = None  # persons: "president", "foreign minister", ...


def normalise_alias(text: str) -> str:
    """Case-, quote- and dot-insensitive key: "U.S." == "US", "Côte d’Ivoire" == "côte d'ivoire"."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\b[A-Za-z])\.", "", text)  # U.S. -> US, U.N. -> UN
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"'s$", "", text)
    return re.sub(r"\s+", " ", text).lower()


class ActorRegistry:
    def __init__(self, entries: Iterable[tuple[str, Actor, date | None, date | None]]):
        self._by_alias: dict[str, list[tuple[Actor, date | None, date | None]]] = {}
        for alias, actor, start, end in entries:
            self._by_alias.setdefault(normalise_alias(alias), []).append((actor, start, end))

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> ActorRegistry:
        import pycountry

        entries = []
        for c in pycountry.countries:
            actor = Actor(c.alpha_3, getattr(c, "common_name", c.name), "state")
            for n in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
                entries.append((n, actor, None, None))
        return cls(entries)

    def lookup(self, text: str, on: date | None = None) -> Actor | None:
        """The actor a name denotes on a date (office-holders are filtered by their term)."""
        cands = self._by_alias.get(normalise_alias(text), [])
        for actor, start, end in cands:
            if on is None or ((start is None or start <= on) and (end is None or on <= end)):
                return actor
        return None

    def aliases(self) -> Iterable[str]:
        return self._by_alias.keys()

    def codes(self) -> set[str]:
        return {a.code for v in self._by_alias.values() for a, _, _ in v}


def valid_codes() -> set[str]:
    """Every actor code the registry can emit (used by validation)."""
    return ActorRegistry.default().codes()
