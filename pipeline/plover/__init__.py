"""CAMEO -> PLOVER, so that envoy's events can be compared with POLECAT's PLOVER-coded series.

The mapping is data (``data/cameo_plover.tsv``, adapted from the PLOVER project's CAMEO2PLOVER-2021 table,
CC BY-SA 4.0) and so is the vocabulary it must stay inside (``data/vocabulary.tsv``, from the PLOVER
manual). ``docs/plover.md`` explains both for users. Both files are read once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data"
MAPPING = DATA / "cameo_plover.tsv"
VOCABULARY = DATA / "vocabulary.tsv"
ALIASES = {"DEMAND": "REQUEST", "COOPERATION": "COOPERATE"}  # the manual's older spellings


class Plover(NamedTuple):
    """What a CAMEO code means in PLOVER: event type, and mode and context where they follow from it."""

    event: str
    mode: str | None
    context: str | None  # one context, or several joined by ";"

    @property
    def contexts(self) -> tuple[str, ...]:
        return tuple(self.context.split(";")) if self.context else ()


@dataclass(frozen=True)
class Row:
    """One row of the mapping table, with the provenance a reviewer needs."""

    cameo_code: str
    cameo_label: str
    plover: Plover | None
    swap_actors: bool
    basis: str
    ambiguous: bool
    note: str


@dataclass(frozen=True)
class Vocabulary:
    """PLOVER's event types (with quad category and score), the modes of each type, and the contexts."""

    events: dict[str, tuple[str, float]]  # type -> (quad category, PLOVER score)
    modes: dict[str, frozenset[str]]  # type -> its modes (empty for types without modes)
    contexts: frozenset[str]  # general and special contexts


def _data_lines(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        yield from (line for line in fh if line.strip() and not line.startswith("#"))


def _row(rec: dict[str, str]) -> Row:
    event = rec["plover_event"] or None
    plover = Plover(event, rec["plover_mode"] or None, rec["plover_context"] or None) if event else None
    return Row(
        cameo_code=rec["cameo_code"],
        cameo_label=rec["cameo_label"],
        plover=plover,
        swap_actors=rec["swap_actors"] == "yes",
        basis=rec["basis"],
        ambiguous=rec["ambiguous"] == "yes",
        note=rec["note"],
    )


@lru_cache(maxsize=1)
def table() -> dict[str, Row]:
    """The whole mapping, CAMEO code -> row, in codebook order."""
    reader = csv.DictReader(_data_lines(MAPPING), delimiter="\t", quoting=csv.QUOTE_NONE)
    return {rec["cameo_code"]: _row(rec) for rec in reader}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The PLOVER vocabulary of the manual (Draft 0.8)."""
    events: dict[str, tuple[str, float]] = {}
    modes: dict[str, set[str]] = {}
    contexts: set[str] = set()
    for rec in csv.DictReader(_data_lines(VOCABULARY), delimiter="\t", quoting=csv.QUOTE_NONE):
        kind, name = rec["kind"], rec["name"]
        if kind == "event":
            events[name] = (rec["quad"], float(rec["score"]))
            modes.setdefault(name, set())
        elif kind == "mode":
            modes.setdefault(rec["event"], set()).add(name)
        else:
            contexts.add(name)
    return Vocabulary(events, {e: frozenset(m) for e, m in modes.items()}, frozenset(contexts))


def row(cameo_code: str) -> Row:
    """The mapping row of a code; raises KeyError for a code the codebook does not define."""
    return table()[cameo_code.strip()]


def plover_for(cameo_code: str) -> Plover | None:
    """(event, mode, context) of a CAMEO code, or None where PLOVER has no counterpart (see ``reason``)."""
    return row(cameo_code).plover


def reason(cameo_code: str) -> str:
    """Why a code maps as it does: the reason for no mapping, a replaced upstream value or an ambiguity."""
    return row(cameo_code).note


def plover_event(cameo_code: str) -> str | None:
    """Just the PLOVER event type of a code (the future ``plover_event`` column)."""
    p = plover_for(cameo_code)
    return p.event if p else None


def canonical_event(name: str) -> str:
    """A PLOVER event type as spelled here ("demand" -> "REQUEST"); raises KeyError for no such type."""
    upper = name.strip().upper()
    upper = ALIASES.get(upper, upper)
    if upper not in vocabulary().events:
        raise KeyError(name)
    return upper


def cameo_codes_for(event: str) -> list[str]:
    """Every CAMEO code that maps to a PLOVER type: the codes to select to build that type's series."""
    wanted = canonical_event(event)
    return [code for code, r in table().items() if r.plover and r.plover.event == wanted]
