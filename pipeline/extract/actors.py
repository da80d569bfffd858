"""Actor registry: names, demonyms, capitals, office-holders, IGOs and groups -> actor codes.

The data lives in ``pipeline/extract/data/actors/*.csv`` (";"-separated, "|" for lists, "#" comments; see
the header of each file). It is read once per process (``ActorRegistry.default()``, about 0.08 s) and
needs no third-party package at runtime.

Resolution rules of :meth:`ActorRegistry.lookup` (documented here because the coder relies on them):

1. The text is normalised (:func:`normalise_alias`): case, accents, dots in initialisms, a leading "the"
   and a trailing possessive are ignored.
2. Office-holders whose term contains ``on`` win: "Putin" on 2023-03-20 -> RUS, president. If holders of
   different countries are in office under the same alias ("King Abdullah", 2005-2015) the preferred code
   from ``ambiguous.csv`` is used, else nothing is returned.
3. Otherwise fixed names (states, demonyms, capitals, institutions, IGOs, groups) resolve; where several
   actors share a name the one preferred in ``ambiguous.csv`` wins ("Brussels" -> EU, "Congo" -> COD).
   Former states resolve as their successor on every date ("Soviet Union" -> RUS, "Yugoslavia" -> SRB,
   ``historical.csv``); their former seats of government only while they were one ("Bonn" in 1987 -> DEU).
4. Otherwise a person's *full name* outside their term resolves to their country with ``title=None`` and
   ``agent=None`` (a former or future office-holder is still a national of that state: "former president
   Donald Trump" in 2023 -> USA). A surname alone outside the term resolves the same way only for former or
   future heads of state or government with a distinctive surname ("Trump" in 2022 -> USA, "Sunak" in 2025 ->
   GBR), also where the surname is shared only by people of the same state ("Assad" in 2000, between Hafez
   and Bashar -> SYR; "Castro" in 2030 -> nothing: Cuban and Honduran presidents share it); ministers'
   surnames and common surnames resolve to nothing outside the term ("Blinken" in 2026, "Johnson" in 2024).
   Officers of IGOs resolve outside their term only if they also held a state office.
5. With ``on=None`` dates are ignored: fixed names first, then the most recent holder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.extract.language import words

DATA_DIR = Path(__file__).parent / "data" / "actors"

#: Office keys checked for overlapping terms and ranked when several holders share an alias.
OFFICE_RANK = {"hos": 0, "hog": 1, "fm": 2, "dm": 3, "igo_head": 0, "igo_fm": 2, "acting_hos": 0}

#: Surnames shared by many people: resolved only within a term and always reported as ambiguous.
COMMON_SURNAMES = words("common_surnames")


@dataclass(frozen=True)
class Actor:
    code: str  # ISO 3166 alpha-3 (PSE, TWN, XKX) or CAMEO IGO code
    name: str  # canonical name
    kind: str  # state | igo | group | person | institution | capital | demonym | ethnic | organisation
    agent: str | None = None  # GOV, MIL, REB, OPP, ...
    title: str | None = None  # persons: "president", "foreign minister", ...


@dataclass(frozen=True)
class Term:
    """One office-holder's term (both ends inclusive; ``end`` None = still in office)."""

    code: str
    office: str
    title: str
    name: str
    start: date
    end: date | None
    agent: str | None
    note: str = ""

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class _Entry(NamedTuple):
    actor: Actor
    how: str  # fixed | name | short
    term: Term | None
    surface: str = ""  # the alias as written in the data


def _is_acronym(surface: str) -> bool:
    """'US', 'WHO', 'LeT', 'AfDB': one word, two or more capitals, no run of lower-case letters."""
    core = surface.replace(".", "").replace("+", "")
    return " " not in core and sum(c.isupper() for c in core) >= 2 and not re.search(r"[a-z]{2}", core)


def _case_ok(surface: str, text: str) -> bool:
    """Acronyms match only in capitals ("US" but not "Us", "WHO" but not "Who"); from four letters on the
    British title-case style is accepted too ("Nato", "Opec"). Other aliases match in any case."""
    if not _is_acronym(surface):
        return True
    t = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    t = re.sub(r"(?:['\u2019]s|['\u2019])$", "", t, flags=re.I).replace(".", "")
    s = surface.replace(".", "")
    return t == s or (sum(c.isalpha() for c in s) >= 4 and t == s[0] + s[1:].lower())


def normalise_alias(text: str) -> str:
    """Case-, accent-, quote- and dot-insensitive key: "U.S." == "US", "Côte d’Ivoire" == "cote d'ivoire";
    the Arabic article in any transliteration ("El Bashir", "al Bashir", "al-Bashir")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2010", "-").replace("\u2011", "-")
    return normalise_ascii(text)


def normalise_ascii(text: str) -> str:
    """The steps of :func:`normalise_alias` after Unicode folding: all of it for ASCII text (the name scan's
    short path, ``namematch.normalise``, calls this directly)."""
    text = _DOTS.sub("", text)  # U.S. -> US, U.N. -> UN
    text = _THE.sub("", text.strip())
    text = _POSSESSIVE.sub("", text)
    text = _ARTICLE.sub("al-", text)  # "Omar El Bashir" == "Omar al-Bashir"
    return _SPACES.sub(" ", text).lower().strip()


_DOTS = re.compile(r"(?<=\b[A-Za-z])\.")
_THE = re.compile(r"^the\s+", flags=re.I)
_POSSESSIVE = re.compile(r"(?:'s|')$", flags=re.I)
_ARTICLE = re.compile(r"\b[AaEe]l[-\s]+(?=\w)")
_SPACES = re.compile(r"\s+")


def _rows(name: str) -> Iterable[list[str]]:
    """Data rows of one ";"-separated file (comments and blank lines skipped)."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield [f.strip() for f in line.split(";")]


def officeholder_files() -> list[str]:
    """``officeholders.csv`` and the regional files under ``officeholders/`` (one file a region keeps
    each reviewable on its own), as names relative to the data folder."""
    extra = sorted(p.relative_to(DATA_DIR).as_posix() for p in (DATA_DIR / "officeholders").glob("*.csv"))
    return ["officeholders.csv", *extra]


def _split(field: str) -> list[str]:
    return [x.strip() for x in field.split("|") if x.strip()]


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _plural(demonym: str) -> str | None:
    """'Israeli' -> 'Israelis', 'Frenchman' -> 'Frenchmen'; None where English has no -s plural."""
    if demonym.endswith("man"):
        return demonym[:-3] + "men"
    if demonym.endswith(("ese", "sh", "ch", "ss", "x", "z", "s")) or "." in demonym:
        return None
    return demonym + "s"  # "Bosnian Serb" -> "Bosnian Serbs"


class ActorRegistry:
    """Every alias of every actor, keyed by :func:`normalise_alias`; office-holders carry their terms so that
    one name can mean different actors on different dates (Rutte: NLD until 2024, NATO after)."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[_Entry]] = {}
        self._surface: dict[str, None] = {}  # original surface forms, in data order
        self._prefer: dict[str, str] = {}
        self._flagged: set[str] = set()
        self._non_actors: dict[str, str] = {}
        self._terms: list[Term] = []
        self._states: dict[str, dict] = {}
        self._home: dict[str, str] = {}  # person name -> state code (for lookups outside the term)
        self._leaders: set[str] = set()  # persons who held a head of state or government office
        self._ethnic: dict[tuple[str, bool], tuple[str, ...]] = {}  # (name, marked) -> its states
        self._load()

    # -- loading ---------------------------------------------------------------------------------
    def _add(self, alias: str, entry: _Entry) -> None:
        key = normalise_alias(alias)
        if not key:
            return
        self._by_key.setdefault(key, []).append(entry._replace(surface=alias))
        self._surface.setdefault(alias, None)

    def _load(self) -> None:
        self._load_states()
        self._load_historical()
        for code, name, names, *_ in _rows("igos.csv"):
            igo = Actor(code, name, "igo")
            for n in _split(names):
                self._add(n, _Entry(igo, "fixed", None))
        for fname, kind in (("institutions.csv", "institution"), ("groups.csv", "group")):
            for code, agent, name, names, *_ in _rows(fname):
                actor = Actor(code, name, kind, agent or None)
                for n in _split(names):
                    self._add(n, _Entry(actor, "fixed", None))
        for row in (r for f in officeholder_files() for r in _rows(f)):
            self._load_term(row)
        for alias, prefer, *_ in _rows("ambiguous.csv"):
            key = normalise_alias(alias)
            self._flagged.add(key)
            if prefer:
                self._prefer[key] = prefer
        for name, *_ in _rows("nonactors.csv"):
            self._non_actors[normalise_alias(name)] = name
        self._load_ethnic_groups()

    def _load_ethnic_groups(self) -> None:
        """Groups named as the first state they live in; the other states are kept for the mentions to
        choose from. A "marked" group's names stay the demonym they are unless "ethnic" precedes them."""
        for name, names, states, marked, *_ in _rows("ethnic_groups.csv"):
            codes = tuple(_split(states))
            actor = Actor(codes[0], name, "ethnic")
            for n in _split(names):
                self._ethnic[(normalise_alias(n), marked == "ethnic")] = codes
                if marked != "ethnic":
                    self._add(n, _Entry(actor, "fixed", None))

    def _add_demonyms(self, code: str, name: str, demonyms: str) -> None:
        dem = Actor(code, name, "demonym")
        for d in _split(demonyms):
            self._add(d, _Entry(dem, "fixed", None))
            plural = _plural(d)
            if plural:
                self._add(plural, _Entry(dem, "fixed", None))

    def _load_states(self) -> None:
        for code, name, status, names, demonyms, capitals, *_ in _rows("states.csv"):
            self._states[code] = {
                "name": name,
                "status": status,
                "names": _split(names),
                "demonyms": _split(demonyms),
                "capitals": _split(capitals),
            }
            state = Actor(code, name, "state")
            for n in _split(names):
                self._add(n, _Entry(state, "fixed", None))
            self._add_demonyms(code, name, demonyms)
            cap = Actor(code, name, "capital", "GOV")
            for c in _split(capitals):
                self._add(c, _Entry(cap, "fixed", None))

    def _load_historical(self) -> None:
        for code, name, names, demonyms, capitals, cap_from, cap_to, *_ in _rows("historical.csv"):
            for n in _split(names):
                self._add(n, _Entry(Actor(code, name, "state"), "fixed", None))
            self._add_demonyms(code, name, demonyms)
            cap = Actor(code, name, "capital", "GOV")
            seat = Term(code, "capital", "capital", name, _date(cap_from), _date(cap_to), "GOV")
            for c in _split(capitals):  # a former seat of government names the state only while it was one
                self._add(c, _Entry(cap, "fixed", seat if seat.start else None))

    def _load_term(self, row: list[str]) -> None:
        """One office-holder row: the term, the person's names and short names, the person's home state."""
        code, office, title, name, names, short, start, end, agent, *rest = row
        agent = None if agent in ("", "IGO") else agent
        note = rest[0] if rest else ""
        term = Term(code, office, title, name, _date(start), _date(end), agent, note)
        self._terms.append(term)
        actor = Actor(code, name, "person", term.agent, title)
        for n in _split(names) or [name]:
            self._add(n, _Entry(actor, "name", term))
        for s in _split(short):
            self._add(s, _Entry(actor, "short", term))
        if not code.startswith("IGO"):
            self._home[name] = code  # the last state office listed wins
            if office in ("hos", "hog", "acting_hos"):
                self._leaders.add(name)

    # -- public API -------------------------------------------------------------------------------
    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> ActorRegistry:
        """The registry built from the shipped data files (cached per process)."""
        return cls()

    def lookup(self, text: str, on: date | None = None) -> Actor | None:
        """The actor a name denotes on a date (office-holders are filtered by their term; see module doc)."""
        key = normalise_alias(text)
        entries = [
            e
            for e in self._by_key.get(key, ())
            if _case_ok(e.surface, text)
            and not (e.how == "fixed" and e.term is not None and on is not None and not e.term.contains(on))
        ]
        if not entries:
            return None
        prefer = self._prefer.get(key)
        fixed = [e for e in entries if e.how == "fixed"]
        people = [e for e in entries if e.how != "fixed"]
        if on is None:
            if fixed:
                return self._pick(fixed, prefer)
            return max(people, key=lambda e: e.term.start).actor
        current = [e for e in people if e.term.contains(on)]
        if current:
            codes = {e.actor.code for e in current}
            if len(codes) > 1:
                if prefer not in codes:
                    return None
                current = [e for e in current if e.actor.code == prefer]
            return min(current, key=lambda e: OFFICE_RANK.get(e.term.office, 9)).actor
        if fixed:
            return self._pick(fixed, prefer)
        names = [e for e in people if e.how == "name"]
        if not names and key not in COMMON_SURNAMES:  # a surname: only former/future leaders
            names = [e for e in people if e.actor.name in self._leaders]
            if len({self._home.get(e.actor.name) for e in people}) > 1:  # shared by several states' people
                names = []
        homes = {self._home.get(e.actor.name) for e in names} - {None}
        if len(homes) == 1:
            return Actor(homes.pop(), names[0].actor.name, "person")
        return None

    @staticmethod
    def _pick(entries: list[_Entry], prefer: str | None) -> Actor:
        if prefer:
            for e in entries:
                if e.actor.code == prefer:
                    return e.actor
        return entries[0].actor

    def aliases(self) -> Iterable[str]:
        """Every original surface form ("U.S.", "United States", "Kremlin", "Zelenskyy", "Ukrainians")."""
        return list(self._surface)

    def keys(self) -> Iterable[str]:
        """Every normalised alias (what :func:`normalise_alias` maps a matching text to)."""
        return list(self._by_key)

    def codes(self) -> set[str]:
        """Every actor code the registry can emit."""
        return {e.actor.code for v in self._by_key.values() for e in v}

    def is_ambiguous(self, alias: str) -> bool:
        """True if the alias may denote something else: listed in ambiguous.csv, shared by actors of
        different codes, or a common surname. The coder should then want supporting context."""
        key = normalise_alias(alias)
        if key in self._flagged or key in COMMON_SURNAMES:
            return True
        entries = self._by_key.get(key, [])
        return len({e.actor.code for e in entries}) > 1

    def is_non_actor(self, text: str) -> bool:
        """True for names that contain an alias but denote no actor ("Latin America", "South China Sea")."""
        return normalise_alias(text) in self._non_actors

    def non_actors(self) -> Iterable[str]:
        """Original forms of the non-actor names (to let a phrase matcher consume them first)."""
        return list(self._non_actors.values())

    def ethnic_states(self, alias: str, marked: bool = False) -> tuple[str, ...]:
        """The states an ethnic group lives in, likeliest first ("Kurds" -> IRQ, TUR, SYR, IRN); ``marked``:
        the name follows "ethnic" ("ethnic Albanians" -> XKX, MKD, ...). Empty for any other name."""
        key = normalise_alias(alias)
        return self._ethnic.get((key, marked)) or (self._ethnic.get((key, False), ()) if marked else ())

    def is_person_alias(self, alias: str) -> bool:
        """True if the alias names an office-holder (full name or surname)."""
        return any(e.how != "fixed" for e in self._by_key.get(normalise_alias(alias), []))

    def titles(self) -> set[str]:
        """Every office title in the data ("president", "foreign minister", "secretary-general", ...)."""
        return {t.title for t in self._terms}

    def terms(self) -> list[Term]:
        """Every office-holder term, in data order."""
        return list(self._terms)

    def holder(self, code: str, office: str, on: date) -> Term | None:
        """Who held an office on a date: holder("USA", "fm", date(2025, 3, 1)).name == "Marco Rubio"."""
        found = [t for t in self._terms if t.code == code and t.office == office and t.contains(on)]
        return max(found, key=lambda t: t.start) if found else None

    def states(self) -> dict[str, dict]:
        """State rows: code -> {name, status (member|observer|other), names, demonyms, capitals}."""
        return dict(self._states)


@lru_cache(maxsize=1)
def _valid_codes() -> frozenset[str]:
    import pycountry

    iso = {c.alpha_3 for c in pycountry.countries}
    return frozenset(ActorRegistry.default().codes() | iso | {"XKX"})


def valid_codes() -> set[str]:
    """Every actor code validation accepts: the registry's codes plus every ISO 3166 alpha-3 code (a coder
    may legitimately emit a territory such as GRL, which the registry itself maps to its state)."""
    return set(_valid_codes())
