"""The coder's knowledge of English, read from data files under ``lang/<language>/``.

- ``wordclasses.toml``: word classes, one per concept (``words("people_nouns")``);
- ``governors.tsv``: verbs that govern a trigger's clause and what they make of it (``governors("intent")``);
- ``lexicon.tsv``: the trigger patterns (read by :mod:`pipeline.extract.lexicon`).

Rules name a class; they never spell a word list. Adding a word to a class changes every rule that reads
it, which is the point: one concept, one list.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANGUAGE = "en"
LANG_DIR = Path(__file__).resolve().parent / "lang" / LANGUAGE


@dataclass(frozen=True)
class WordClass:
    name: str
    doc: str
    words: tuple[str, ...]  # in data order (it is a preference where the class is ``ordered``)
    ordered: bool = False
    sector: str | None = None  # the CAMEO agent code the class's nouns name, if any


@lru_cache(maxsize=1)
def word_classes() -> dict[str, WordClass]:
    """Every word class of the language, by name."""
    raw = tomllib.loads((LANG_DIR / "wordclasses.toml").read_text(encoding="utf-8"))
    out: dict[str, WordClass] = {}
    for name, spec in raw.items():
        if name == "disjoint":
            continue
        if not spec.get("doc"):
            raise ValueError(f"wordclasses.toml: class {name!r} has no doc")
        words_ = tuple(w.lower() for w in spec["words"])
        if len(set(words_)) != len(words_):
            raise ValueError(f"wordclasses.toml: class {name!r} lists a word twice")
        out[name] = WordClass(name, spec["doc"], words_, bool(spec.get("ordered")), spec.get("sector"))
    return out


def disjoint_groups() -> list[list[str]]:
    """Groups of classes that must not share a word (checked by the tests)."""
    raw = tomllib.loads((LANG_DIR / "wordclasses.toml").read_text(encoding="utf-8"))
    return [list(g) for g in raw.get("disjoint", {}).get("groups", [])]


def words(*names: str) -> frozenset[str]:
    """The union of the named classes (a KeyError names a class that does not exist)."""
    classes = word_classes()
    return frozenset(w for n in names for w in classes[n].words)


def ordered(name: str) -> tuple[str, ...]:
    """An ordered class, in its order of preference."""
    wc = word_classes()[name]
    if not wc.ordered:
        raise ValueError(f"word class {name!r} is not ordered")
    return wc.words


@lru_cache(maxsize=1)
def sectors() -> dict[str, str]:
    """Head noun -> CAMEO agent code, from the classes that carry a ``sector``."""
    return {w: c.sector for c in word_classes().values() if c.sector for w in c.words}


@lru_cache(maxsize=1)
def governor_table() -> dict[str, frozenset[str]]:
    """Lemma -> its governor roles (intent, threat, reject, drop, pass, obligation, prediction, say,
    decision, wish, deny)."""
    out: dict[str, frozenset[str]] = {}
    for n, line in enumerate((LANG_DIR / "governors.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lemma, _, roles = line.partition("\t")
        if not roles or lemma in out:
            raise ValueError(f"governors.tsv:{n}: expected one 'lemma<TAB>roles' row per lemma")
        out[lemma.strip()] = frozenset(r.strip() for r in roles.split(","))
    return out


def governors(role: str) -> frozenset[str]:
    """The lemmas that have a governor role ("intent", "say", ...)."""
    return frozenset(lemma for lemma, roles in governor_table().items() if role in roles)
