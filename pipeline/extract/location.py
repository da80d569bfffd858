"""Where an event happened, as its own clause or the story's dateline states it.

Two steps, so the coder's hook stays small:

1. ``stated_place`` (per candidate, in :mod:`pipeline.extract.pairing`): the place phrase of the event's
   clause: a location preposition of the trigger or of a word it depends on within its clause ("met in
   Geneva", "talks at the border town of X"), a journey ("during a visit to Y", "visited Z"), the named
   place an attack targets, for a verbal event the place of the statement reporting it ("Speaking in
   Beijing, X said ..."), or "here".
2. ``row_fields`` (per event row, in :mod:`pipeline.extract.coder`): the first stated place of the row's
   reports, else the dateline ("CITY, Country:", "CITY (AFP) -") for the story's first sentence and for
   "here"; the country the place belonged to on the event's day (``pipeline.geo.successions``).

The constructions are data (``lang/en/locations.toml``); places come from the gazetteer
(:mod:`pipeline.geo.gazetteer`). A place is never invented: a phrase the gazetteer does not know gives no
place, and an event with none has precision ``none`` and null place fields.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.extract import syntax as sx
from pipeline.extract.language import LANG_DIR

log = logging.getLogger(__name__)
PRECISIONS = ("city", "adm1", "country", "none")
SOURCES = ("clause", "journey", "target", "statement", "dateline")
FIELDS = (
    "place_name", "place_country", "place_adm1", "place_latitude", "place_longitude", "place_precision",
    "place_source",
)  # fmt: skip
_MAX_NAME_TOKENS = 5
VERBAL_QUADS = (1, 3)  # CAMEO QuadClass of things said: verbal cooperation, verbal conflict
#: A city named in a bare phrase ("in X") must be this large, unless the coder's curated city table
#: (pipeline.extract.places) lists the name: GeoNames' alternate names include translations and small
#: namesakes ("White House" is a name of Casablanca), which a bare name is too weak to select.
BARE_CITY_POPULATION = 100_000


@dataclass(frozen=True)
class Patterns:
    """The constructions of ``locations.toml``."""

    location_preps: frozenset[str]
    journey_preps: frozenset[str]
    journey_nouns: frozenset[str]
    journey_dest_preps: frozenset[str]
    place_nouns: frozenset[str]
    deictic: frozenset[str]
    topic_verbs: frozenset[str]
    clause_boundaries: frozenset[str]
    speech_frames: frozenset[str]
    datelines: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    raw = tomllib.loads((LANG_DIR / "locations.toml").read_text(encoding="utf-8"))

    def cls(name: str) -> frozenset[str]:
        return frozenset(w.lower() for w in raw[name]["words"])

    return Patterns(
        cls("location_preps"),
        cls("journey_preps"),
        cls("journey_nouns"),
        cls("journey_dest_preps"),
        cls("place_nouns"),
        cls("deictic_words"),
        cls("topic_verbs"),
        cls("clause_boundaries"),
        cls("speech_frames"),
        tuple(re.compile(d["regex"]) for d in raw["datelines"]),
    )


@dataclass(frozen=True)
class Stated:
    """A place phrase found for one candidate event: resolved, or "here" (the dateline's place)."""

    source: str  # one of SOURCES
    place: object | None = None  # pipeline.geo.gazetteer.Place; None for "here"
    deictic: bool = False


# -- step 1: the clause --------------------------------------------------------------------------------


def _resolve(name: str, hint: str | None = None):
    return _cached_lookup(name, hint) if name else None


@lru_cache(maxsize=4096)
def _cached_lookup(name: str, hint: str | None):
    from pipeline.geo.gazetteer import lookup

    return lookup(name, hint)


def _name_of(tok) -> str | None:
    """The proper-noun name a token heads ("Phnom Penh", "Kharkiv region", "Rostov-on-Don"), or None for
    a common noun."""
    left = [c for c in tok.lefts if c.dep_ in (sx.COMPOUND, sx.AMOD, sx.NMOD) and c.pos_ == "PROPN"]
    if tok.pos_ != "PROPN" and not left:
        return None
    start = min([tok.i, *(c.i for c in left)])
    while start < tok.i and tok.doc[start].pos_ not in ("PROPN", "NOUN"):
        start += 1
    end = _hyphenated_end(tok)
    if end - start >= _MAX_NAME_TOKENS:
        return None
    return tok.doc[start : end + 1].text


def _hyphenated_end(tok) -> int:
    """The last token of a hyphenated name the parser split ("Rostov-on-Don", "Port-au-Prince")."""
    doc, end = tok.doc, tok.i
    while (
        end + 2 < len(doc)
        and not doc[end].whitespace_
        and doc[end + 1].text == "-"
        and not doc[end + 1].whitespace_
        and doc[end + 2].is_alpha
        and end + 2 - tok.i < _MAX_NAME_TOKENS
    ):
        end += 2
    return end


@lru_cache(maxsize=1)
def venues() -> dict[str, tuple[str, str]]:
    """Venue (normalised) -> (city, country ISO-3), from ``lang/en/venues.tsv``."""
    import csv

    from pipeline.geo.normalise import normalise

    with (LANG_DIR / "venues.tsv").open(encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    return {normalise(r["venue"]): (r["city"], r["country"]) for r in csv.DictReader(rows, delimiter="\t")}


def _country_hint(tok) -> str | None:
    """ "Kharkiv, Ukraine": the country a comma-attached name after the place names, as ISO-3."""
    for c in tok.rights:
        if c.pos_ == "PROPN" and c.dep_ in (sx.APPOS, sx.NPADVMOD, sx.CONJ, sx.COMPOUND) and c.i > tok.i + 1:
            if tok.doc[c.left_edge.i - 1].text == ",":
                place = _resolve(_name_of(c) or c.text)
                if place is not None and place.precision == "country":
                    return place.iso_country
    return None


def _place_phrase(pobj, pat: Patterns) -> object | None:
    """The place an object of a location preposition names: itself, or the "of" phrase of a place noun."""
    if pobj.lemma_.lower() in pat.place_nouns and pobj.pos_ == "NOUN":
        for p in pobj.children:
            if p.dep_ == sx.PREP and p.lower_ == "of":
                inner = next((c for c in p.children if c.dep_ == sx.POBJ), None)
                if inner is not None:
                    return _place_of_token(inner, strong=True)
    return _place_of_token(pobj)


def _place_of_token(tok, strong: bool = False) -> object | None:
    """The place a name token denotes. ``strong``: the text says it is a place ("the town of X"); else a
    small or translated city name is not enough (see ``BARE_CITY_POPULATION``)."""
    name = _name_of(tok)
    if not name or name.lower() in _calendar():  # "in March" is a date, not the English town
        return None
    venue = _venue_city(name, tok)
    if venue is not None:
        return venue
    hint = _country_hint(tok)
    place = _resolve(name, hint)
    if place is None or strong or hint or place.precision != "city":
        return place  # "the town of X", "Leh, India", a country or region name: the phrase says enough
    return place if _plain_city(name, place) else None


def _venue_city(name: str, tok):
    """ "at the Kremlin", "at the Great Hall of the People": the city of a seat news names instead of it."""
    from pipeline.geo.normalise import normalise

    table = venues()
    found = table.get(normalise(name))
    if found is None:  # "the Great Hall of the People": the name with its "of" phrase
        span = tok.doc[tok.left_edge.i : tok.right_edge.i + 1].text
        found = table.get(normalise(span))
    return _resolve(*found) if found else None


def _plain_city(name: str, place) -> bool:
    """Whether a bare name is good enough for this city: a curated name, or a large city's own name (or a
    spelling of it: "Kiev"; or it without its "City": "New York")."""
    import difflib

    from pipeline.extract.places import city_country
    from pipeline.geo.normalise import normalise

    if city_country(name) is not None:
        return True
    if (place.population or 0) < BARE_CITY_POPULATION:
        return False
    a, b = normalise(name), normalise(place.name)
    if b.startswith(a + " ") and b[len(a) + 1 :] in _city_words():  # "New York" is "New York City"
        return True
    return a == b or (
        a[:1] == b[:1] and abs(len(a) - len(b)) <= 2 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75
    )


@lru_cache(maxsize=1)
def _city_words() -> frozenset[str]:
    from pipeline.geo.gazetteer import gazetteer

    return frozenset(gazetteer().city_words)


@lru_cache(maxsize=1)
def _calendar() -> frozenset[str]:
    from pipeline.extract.language import words

    return words("calendar_words")


def _objects(prep) -> list:
    return [c for c in prep.children if c.dep_ == sx.POBJ]


def _journey(noun, pat: Patterns) -> object | None:
    """ "a visit to Y", "a stop in Z": the destination a journey noun names."""
    return _place_after(noun, pat.journey_dest_preps, pat)


def _venue(noun, pat: Patterns) -> object | None:
    """ "at a ceremony in Lima", "at the United Nations in New York": the place of the occasion or
    institution the event was at."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    return _place_after(noun, pat.location_preps, pat)


def _place_after(noun, preps, pat: Patterns) -> object | None:
    """The first known place among the objects of ``noun``'s prepositions in ``preps``."""
    for p in noun.children:
        if p.dep_ == sx.PREP and p.lower_ in preps:
            for obj in _objects(p):
                place = _place_phrase(obj, pat)
                if place is not None:
                    return place
    return None


def _from_preps(node, pat: Patterns) -> Stated | None:
    """A location or journey phrase attached to ``node`` (its prepositions and "here")."""
    for c in node.children:
        low = c.lower_
        if low in pat.deictic and c.dep_ in (sx.ADVMOD, sx.PREP, sx.PCOMP, sx.POBJ):
            return Stated("clause", deictic=True)
        if c.dep_ != sx.PREP:
            continue
        for obj in _objects(c):
            if obj.lower_ in pat.deictic:
                return Stated("clause", deictic=True)
            if low in pat.location_preps:
                place = _place_phrase(obj, pat) or _venue(obj, pat)
                if place is not None:
                    return Stated("clause", place)
            if low in pat.journey_preps and obj.lemma_.lower() in pat.journey_nouns:
                place = _journey(obj, pat)
                if place is not None:
                    return Stated("journey", place)
    return None


def _own_journey(trigger, pat: Patterns) -> Stated | None:
    """The trigger is itself a journey ("visited Moscow", "a visit to Hanoi"): its destination."""
    if trigger.lemma_.lower() not in pat.journey_nouns:
        return None
    if trigger.pos_ == "VERB":
        for c in trigger.children:
            if c.dep_ == sx.DOBJ:
                place = _place_phrase(c, pat)
                if place is not None:
                    return Stated("journey", place)
    place = _journey(trigger, pat)
    return Stated("journey", place) if place is not None else None


def _of_chain(noun, depth: int = 2) -> list:
    """ "the headquarters of the district in X": the nouns an object's "of" phrases add, two deep."""
    out, cur = [], noun
    for _ in range(depth):
        prep = next((c for c in cur.children if c.dep_ == sx.PREP and c.lower_ == "of"), None)
        obj = next((c for c in prep.children if c.dep_ == sx.POBJ), None) if prep is not None else None
        if obj is None:
            break
        out.append(obj)
        cur = obj
    return out


def _clause_nodes(trigger, pat: Patterns) -> list:
    """The trigger and the words it depends on up to the head of its clause."""
    nodes, cur = [trigger], trigger
    while cur.dep_ not in pat.clause_boundaries and cur.head.i != cur.i:
        cur = cur.head
        nodes.append(cur)
    return nodes


def _statement(head, pat: Patterns) -> Stated | None:
    """The place of the statement that reports the clause ("X said in Geneva that ...",
    "Speaking in Beijing, X said ...")."""
    from pipeline.extract.modality import SAY_VERBS

    gov = head.head
    if head.dep_ != sx.CCOMP or gov.i == head.i or gov.lemma_.lower() not in SAY_VERBS:
        return None
    for node in [gov, *(c for c in gov.children if c.dep_ in pat.speech_frames)]:
        found = _from_preps(node, pat)
        if found is not None:
            return Stated("statement", found.place, found.deictic)
    return None


def stated_place(trigger, target=None, verbal: bool = True) -> Stated | None:
    """Where the clause of ``trigger`` says its event happened; ``target`` is the event's target Ref
    (a named place an attack hits is where it happened). ``verbal``: the event is something said
    (CAMEO QuadClass 1 or 3), so the place of the statement reporting it is its place; a material act
    reported from elsewhere ("said in London that troops attacked ...") does not take the statement's.
    None when the clause names no known place.

    The place is an addition to the event: should finding it fail on an odd parse, the event is kept
    without a place (and the failure logged) rather than lost with its article."""
    try:
        return _stated_place(trigger, target, verbal)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        log.warning("location of %r not found: %s: %s", trigger.text, type(exc).__name__, exc)
        return None


def _stated_place(trigger, target, verbal: bool) -> Stated | None:
    pat = patterns()
    own = _own_journey(trigger, pat)
    if own is not None:
        return own
    nodes = _clause_nodes(trigger, pat)
    objects = [
        c for n in nodes if n.lemma_.lower() not in pat.topic_verbs for c in n.children
        if c.dep_ == sx.DOBJ and c.i != trigger.i
    ]  # fmt: skip
    objects += [o for obj in list(objects) for o in _of_chain(obj)]
    for node in [*nodes, *objects]:  # "met in X", then "held talks in X", "signed an accord in X"
        found = _from_preps(node, pat)
        if found is not None:
            return found
    if target is not None and target.how == "place":
        place = _place_of_token(trigger.doc[target.token]) if 0 <= target.token < len(trigger.doc) else None
        if place is not None:
            return Stated("target", place)
    return _statement(nodes[-1], pat) if verbal else None


# -- step 2: the event row -----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def dateline(text: str) -> object | None:
    """The place of a story's dateline ("GAZA CITY, Palestinian Territories:", "BEIJING (Xinhua) --"),
    if the gazetteer knows it; the region after the comma is the country hint."""
    head = text[:200]
    for rx in patterns().datelines:
        m = rx.match(head)
        if not m:
            continue
        region = (m.groupdict().get("region") or "").strip()
        hint_place = _resolve(region) if region else None
        hint = (
            hint_place.iso_country if hint_place is not None and hint_place.precision == "country" else None
        )
        place = _resolve(m.group("place").strip(), hint)
        if place is not None:
            return place
    return None


def empty_fields() -> dict:
    """The place columns of an event with no place."""
    return {**dict.fromkeys(FIELDS), "place_precision": "none"}


def fields(place, source: str, day: date | None) -> dict:
    """The place columns for a resolved place, its country as of the event's day."""
    from pipeline.geo.successions import country_on

    return {
        "place_name": place.name,
        "place_country": country_on(place, day),
        "place_adm1": place.adm1_code,
        "place_latitude": place.latitude,
        "place_longitude": place.longitude,
        "place_precision": place.precision,
        "place_source": source,
    }


def row_fields(stated: list[Stated | None], first_sentence: int, text: str, day: date | None) -> dict:
    """The place columns of one event row from its reports' stated places (in sentence order): the first
    resolved one; else the dateline for an event of the first sentence or one said to happen "here"."""
    for s in stated:
        if s is not None and s.place is not None:
            return fields(s.place, s.source, day)
    deictic = any(s is not None and s.deictic for s in stated)
    if first_sentence == 0 or deictic:
        place = dateline(text)
        if place is not None:
            return fields(place, "dateline", day)
    return empty_fields()
