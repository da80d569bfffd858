"""CAMEO root traits (``data/cameo_roots.toml``): how the coder treats each root, looked up, not compared.

``root_of("1712").domestic`` says whether a destruction may be domestic; ``transform`` gives the code a
trigger takes as an intent, a threat or a refusal. See the data file's header for what each trait means.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "cameo_roots.toml"


@dataclass(frozen=True)
class Root:
    """The traits of one code's root (with the code's own overrides)."""

    root: str
    hostile: bool = False
    physical: bool = False
    locative_target: bool = False
    harms: bool = False
    violent: bool = False
    venue_is_party: bool = False
    domestic: bool = False
    place_target: bool = False
    clause_target: bool = False
    target_not_event: bool = False
    consult: bool = False
    material_aid: bool = False
    aid_recipient: bool = False
    shares_recipient: bool = False
    crowd_act: bool = False
    author_target: bool = False
    person_patient: bool = False
    state_detains: bool = False
    threat_root: bool = False
    keeps_modality: bool = False
    asks_for: bool = False
    not_refused: bool = False
    intent: str | None = None
    threat: str | None = None
    reject: str | None = None
    demand: str | None = None


_NAMES = frozenset(f.name for f in fields(Root))


@lru_cache(maxsize=1)
def _table() -> dict:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    for spec in [*raw["roots"].values(), *raw.get("codes", {}).values()]:
        unknown = set(spec) - _NAMES
        if unknown:
            raise ValueError(f"cameo_roots.toml: unknown trait(s) {sorted(unknown)}")
    return raw


@lru_cache(maxsize=512)
def root_of(code: str) -> Root:
    """The traits of ``code``'s root, with ``[codes.<code>]`` overrides (KeyError for an unknown root)."""
    raw = _table()
    spec = {**raw["roots"][code[:2]], **raw.get("codes", {}).get(code, {})}
    return Root(root=code[:2], **spec)


def _defaults() -> dict[str, str]:
    return _table()["defaults"]


def transform(code: str, status: str) -> str | None:
    """The code a trigger gets under a modality: intent (03), threat (13), rejection (12) or demand (10);
    None drops it."""
    r = root_of(code)
    d = _defaults()
    if status == "fact":
        return code
    if status == "decided":  # "has announced that it would deliver systems": a pledge (03), not a delivery;
        return r.intent or code  # "has announced that it would leave the WHO": the decision itself
    if status == "future":  # "will pull out its monitors": not yet done, a threat (13) of a hostile act
        return r.intent or r.threat or code
    if status == "predicted":  # "is expected to sign" -> 03; "is expected to strike" is no one's threat
        return None if r.hostile else r.intent or d["intent"]
    if status == "demand":  # "Germany said Russia must withdraw": Germany demands (10) of Russia
        return r.demand or d["demand"]
    if status in ("would", "intent", "threat"):
        if r.keeps_modality and (status != "threat" or r.threat_root):
            return code
        if r.hostile or status == "threat":  # "threatened to withdraw its monitors": a threat all the same
            return r.threat or d["threat"]
        return r.intent or d["intent"]
    if status == "reject":
        return r.reject or d["reject"]
    if status == "wont":  # "says it won't attend": a refusal; "will not attack" is no event
        return None if r.hostile or r.not_refused else r.reject or d["reject"]
    return None


def demand_code() -> str:
    """The code of a demand whose content no root names ("Washington said China must open its markets")."""
    return _defaults()["demand"]
