"""Event lexicon: trigger patterns (a data file) matched against a token and its dependents.

Patterns live in ``lang/en/lexicon.tsv`` so analysts can extend coverage without touching code;
this module only knows how to read them (word classes expand to one pattern per word), how to find a
verb by its inflected form (lemminflect) and how to collect the words around a trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

from pipeline.extract import syntax as sx
from pipeline.extract.codebook import lookup
from pipeline.extract.language import LANG_DIR, words
from pipeline.extract.roots import Root, root_of

DATA = LANG_DIR / "lexicon.tsv"
#: Idioms and metaphors: phrases whose literal trigger is no event ("meet standards") or another one
#: ("lash out at": criticise). Same row format as the lexicon; code "-" means "no event".
IDIOMS = LANG_DIR / "idioms.tsv"
NO_EVENT = "-"

#: Prepositions: in a pattern they name where the target is found.
PREPS = words("pattern_preps")
#: Auxiliaries that make a warning's clause a threat ("warned that X would pay", "it may retaliate")
FUTURE_OR_MODAL = words("threat_clause_aux")
#: "X said Y was responsible": blame
BLAME_WORDS = words("blame_words")
#: Pattern markers that stand for words of the sentence (the pre-filter looks for those words)
MARKER_WORDS = {"~responsible": BLAME_WORDS}
#: Subjects that make a seizure or capture military
MILITARY_SUBJECTS = words("military_subjects")
HELP_VERBS = words("help_verbs")
#: Object dependencies whose words (and compounds) a pattern may require.
#: Participles that name what a sent vehicle holds ("aircraft loaded with food")
CARGO_VERBS = words("cargo_participles")
#: Prepositions a noun pattern may require on its noun ("for call": "calls for restraint" are appeals)
NOUN_PATTERN_PREPS = frozenset({"for"})
_OBJ_DEPS = frozenset({sx.DOBJ, sx.ATTR, sx.OPRD, sx.ACOMP, sx.NSUBJPASS, sx.NPADVMOD})


@dataclass(frozen=True)
class Entry:
    kind: str  # verb | noun
    pattern: tuple[str, ...]
    code: str
    flags: frozenset[str]

    @property
    def prep(self) -> str | None:
        """The preposition that introduces the target, if the pattern names one."""
        return next((w for w in self.pattern[1:] if w in PREPS), None)

    @property
    def root(self) -> Root:
        """The traits of the code's CAMEO root."""
        return root_of(self.code)

    @property
    def domestic(self) -> bool:
        """Source == target is a real event: the root allows it, or the entry says so (flag ``dom``)."""
        return "dom" in self.flags or self.root.domestic

    @property
    def specificity(self) -> int:
        return len(self.pattern)


@dataclass(frozen=True)
class Match:
    entry: Entry
    words: frozenset[str]  # the context words that matched (for explanations)


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower()


def _prep_words(c) -> set[str]:
    """A preposition, its object's lemma and modifiers ("in contact with"), a nested particle ("out of")."""
    out = {c.lower_}
    for g in sx.kids(c):
        if g.dep_ == sx.POBJ:
            out.add(_lemma(g))
            out.update(_lemma(x) for x in sx.kids(g) if x.dep_ in (sx.COMPOUND, sx.AMOD))
            if c.lower_ == "in":  # "in contact with", "in talks with"
                out.update(x.lower_ for x in sx.kids(g) if x.dep_ == sx.PREP)
        elif g.dep_ == sx.PREP:  # "pull out of": out -> of
            out.add(g.lower_)
        elif g.dep_ == sx.PCOMP:
            out.add(_lemma(g))
    return out


def _object_words(c) -> set[str]:
    """An object's lemma and modifiers, the cargo of a vehicle ("aircraft loaded with food"), its
    prepositions ("planeloads of relief supplies", "160 million euros in aid", "concern over")."""
    out = {_lemma(c)}
    out.update(_lemma(x) for x in sx.kids(c) if x.dep_ in (sx.COMPOUND, sx.AMOD, sx.NUMMOD, sx.APPOS))
    for a in sx.kids(c):
        if a.dep_ == sx.ACL and a.lemma_.lower() in CARGO_VERBS:
            out.update(_lemma(g) for g in sx.kids(a) if g.dep_ == sx.DOBJ)
            out.update(_lemma(g) for p in sx.kids(a) if p.lower_ == "with" for g in sx.kids(p))
    for p in sx.preps(c):
        out.add(p.lower_)
        if p.lower_ in ("of", "in"):
            out.update(_lemma(g) for g in sx.kids(p) if g.dep_ == sx.POBJ)
    return out


def _subjunctive(verb) -> bool:
    """A base form with a subject ("that they withdraw"), or a singular subject without the -s
    ("that the army withdraw", which the tagger reads as a present tense)."""
    subj = sx.child(verb, sx.NSUBJ)
    if subj is None:
        return False
    return verb.tag_ == "VB" or (verb.tag_ == "VBP" and subj.tag_ in ("NN", "NNP"))


def _clause_words(c) -> set[str]:
    """A clausal complement's verb, and its markers: a directive or future (~comp), blame (~responsible)."""
    out = {_lemma(c)}
    aux = {a.lower_ for a in sx.kids(c) if a.dep_ in (sx.AUX, sx.AUXPASS)}
    if c.dep_ == sx.XCOMP or aux & FUTURE_OR_MODAL:
        out.add("~comp")  # "warned X to stay away", "warned that X would pay": a threat
    elif not aux and _subjunctive(c):
        out.add("~comp")  # a mandative subjunctive ("proposed that the army withdraw"): a directive
    if any(a.dep_ == sx.ACOMP and a.lower_ in BLAME_WORDS for a in sx.kids(c)):
        out.add("~responsible")  # "said Putin was responsible for his death": an accusation
    return out


def context_words(tok) -> set[str]:
    """Words a verb pattern may require: particles, prepositions, objects, prepositional objects."""
    found: set[str] = set()
    for c in sx.kids(tok):
        dep = c.dep_
        if dep == sx.NSUBJ and _lemma(c) in MILITARY_SUBJECTS:
            found.add("~military")  # "forces seized the plant": an occupation, not a confiscation
        if dep == sx.PRT:
            found.add(c.lower_)
        elif dep in (sx.PREP, sx.AGENT):
            found |= _prep_words(c)
        elif dep in (sx.DATIVE, sx.IOBJ):
            found |= {"~dative", _lemma(c)}  # "gave Ukraine air defence systems"
        elif dep in _OBJ_DEPS:
            found |= _object_words(c)
        elif dep in (sx.XCOMP, sx.CCOMP) and c.pos_ in ("VERB", "AUX"):
            found |= _clause_words(c)
        elif dep == sx.ADVMOD and c.pos_ in ("ADP", "NOUN"):  # "pull back"; "dropped sarin" mis-parsed
            found.add(_lemma(c))
        elif dep == sx.ADVCL and _lemma(c) in HELP_VERBS and sx.has_child(c, sx.AUX):
            found.add("~help")  # "planes arrived in Chad to help fight the fires": a delivery of help
        elif dep == sx.ADVCL and c.tag_ == "VBG" and _lemma(c) in CARGO_VERBS:
            # "two planes landed in Goma, carrying 12 tonnes of food": what the vehicle brought
            found |= {"~cargo", *(w for g in sx.children(c, sx.DOBJ) for w in _object_words(g))}
    return found


class Lexicon:
    """Verb and noun patterns indexed by the trigger's lemma."""

    def __init__(self, entries: list[Entry], idioms: list[Entry] = ()):
        """``idioms``: phrases that are no event ("meet standards"); a coded idiom is an ordinary entry."""
        self.entries = entries
        self._verbs: dict[str, list[Entry]] = {}
        self._nouns: dict[str, list[Entry]] = {}
        self._blocks: dict[tuple[str, str], list[Entry]] = {}
        for e in entries:
            index = self._verbs if e.kind == "verb" else self._nouns
            index.setdefault(_key(e), []).append(e)
        for e in idioms:
            self._blocks.setdefault((e.kind, _key(e)), []).append(e)
        for index in (self._verbs, self._nouns):
            for v in index.values():
                # the longer pattern, then an idiom ("hit out at"), then the more detailed code
                v.sort(key=lambda e: (-e.specificity, "idiom" not in e.flags, -len(e.code)))
        self._forms = _form_index(self._verbs)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Lexicon:
        entries = read_lexicon(DATA)
        coded, blocks = read_idioms(IDIOMS, DATA)
        return cls(entries + coded, blocks)

    def idiom(self, tok, kind: str = "verb") -> Entry | None:
        """The no-event idiom the token heads, if one fits at least as well as any literal pattern."""
        lemma = _lemma(tok) if kind == "noun" else self._verb_lemma(tok)
        blocks = self._blocks.get((kind, lemma or ""))
        if not blocks:
            return None
        found = context_words(tok) if kind == "verb" else _noun_modifiers(tok)
        return self._idiom_fit(tok, kind, blocks, found)

    def _idiom_fit(self, tok, kind: str, blocks: list[Entry], found: set[str], literal=None) -> Entry | None:
        """``idiom``'s verdict from the words around the token; ``literal``: its literal matches, when the
        caller has them (``match_verb`` / ``match_noun`` on the same words: not computed twice)."""
        fits = [b for b in blocks if all(w in found for w in _need(b))]
        if not fits:
            return None
        best = max(fits, key=lambda b: b.specificity)
        if literal is None:
            match = self.match_verb if kind == "verb" else self.match_noun
            literal = match(tok, idioms=False)
        return best if not literal or best.specificity >= literal[0].entry.specificity else None

    def triggers(self) -> set[str]:
        """Every lemma that can start an event (used to pre-filter sentences cheaply)."""
        return set(self._verbs) | set(self._nouns)

    def roots(self, lemma: str) -> set[str]:
        """CAMEO roots a trigger lemma can have, as verb or noun ("raid" -> {"19"})."""
        return {e.root.root for e in (*self._verbs.get(lemma, ()), *self._nouns.get(lemma, ()))}

    def _verb_lemma(self, tok) -> str | None:
        """The verb's lemma as the lexicon knows it; else the lemma its surface form inflects (lemminflect),
        since the tagger's lemmatiser slips on some words ("staged" -> "stag")."""
        lemma = _lemma(tok)
        if lemma in self._verbs or (("verb", lemma) in self._blocks) or tok.pos_ != "VERB":
            return lemma
        return self._forms.get(tok.lower_)

    def _verb_entries(self, tok) -> list[Entry] | None:
        lemma = self._verb_lemma(tok)
        return self._verbs.get(lemma) if lemma is not None else None

    def match_verb(self, tok, idioms: bool = True) -> list[Match]:
        """All entries whose pattern fits, most specific first; none where a no-event idiom fits as well
        ("met the standards")."""
        cands = self._verb_entries(tok)
        if not cands:
            return []
        words = context_words(tok)
        out = []
        for e in cands:
            need = e.pattern[1:]
            if all(w in words for w in need):
                out.append(Match(e, frozenset(need)))
        if out and idioms and self._blocks:
            blocks = self._blocks.get(("verb", self._verb_lemma(tok) or ""))
            if blocks and self._idiom_fit(tok, "verb", blocks, words, out) is not None:
                return []  # what ``self.idiom(tok)`` says, from the words already collected
        return out

    def heads_noun(self, lemma: str) -> bool:
        """Does some noun pattern end in this (lower-case) lemma? Without one, ``match_noun`` is empty."""
        return bool(self._nouns.get(lemma))

    def match_noun(self, tok, idioms: bool = True) -> list[Match]:
        """Noun triggers, with compound modifiers as the pattern prefix ("air strike"); none where a
        no-event idiom fits as well ("a heart attack")."""
        lemma = _lemma(tok)
        cands = self._nouns.get(lemma)
        if not cands:
            return []
        mods = _noun_modifiers(tok)
        out = [Match(e, frozenset(e.pattern[:-1])) for e in cands if all(w in mods for w in e.pattern[:-1])]
        if out and idioms and self._blocks:
            blocks = self._blocks.get(("noun", lemma))
            if blocks and self._idiom_fit(tok, "noun", blocks, mods, out) is not None:
                return []  # what ``self.idiom(tok, "noun")`` says, from the modifiers already collected
        return out


def _key(e: Entry) -> str:
    """The word a pattern is indexed by: a verb's lemma, a noun pattern's head."""
    return e.pattern[-1] if e.kind == "noun" else e.pattern[0]


def _need(e: Entry) -> tuple[str, ...]:
    """The context words a pattern requires besides its trigger."""
    return e.pattern[:-1] if e.kind == "noun" else e.pattern[1:]


def _noun_modifiers(tok) -> set[str]:
    """A noun's compound and adjective modifiers, and its "of" object with that object's compounds: "the
    expulsion of diplomats" fits "diplomat expulsion", "the expulsion of 12 embassy staff" "embassy
    expulsion"."""
    mods = {_lemma(c) for c in sx.kids(tok) if c.dep_ in (sx.COMPOUND, sx.AMOD)}
    mods.update(c.lower_ for c in sx.kids(tok) if c.dep_ == sx.PREP and c.lower_ in NOUN_PATTERN_PREPS)
    for c in sx.kids(tok):
        if c.lower_ != "of":
            continue
        for g in sx.kids(c):
            if g.dep_ == sx.POBJ:
                mods.add(_lemma(g))
                mods.update(_lemma(x) for x in sx.kids(g) if x.dep_ == sx.COMPOUND)
    return mods


def _form_index(verbs: dict[str, list[Entry]]) -> dict[str, str]:
    """Surface form -> verb lemma, for every inflection of every verb trigger (first lemma wins)."""
    from pipeline.extract.inflection import forms

    index: dict[str, str] = {}
    for lemma in sorted(verbs):
        for form in forms(lemma, "VERB"):
            index.setdefault(form, lemma)
    return index


def _expand(
    pattern: tuple[str, ...], classes: dict[str, tuple[str, ...]], where: str
) -> list[tuple[str, ...]]:
    """One pattern per combination of the words of the classes it names ("send &relief": "send food", ...)."""
    slots = []
    for w in pattern:
        if w.startswith("&"):
            if w not in classes:
                raise ValueError(f"{where}: unknown class {w}")
            slots.append(classes[w])
        else:
            slots.append((w,))
    return [tuple(p) for p in product(*slots)]


def read_lexicon(
    path: Path,
    classes: dict[str, tuple[str, ...]] | None = None,
    seen: dict[tuple[str, tuple[str, ...]], tuple[str, int]] | None = None,
    no_event: bool = False,
) -> list[Entry]:
    """Parse the TSV; every code must exist in the codebook and every pattern appear once (fail loudly).
    ``classes`` and ``seen`` are filled as it reads (and may come from a file read before); with
    ``no_event`` the code ``-`` is allowed (an idiom that is no event)."""
    entries: list[Entry] = []
    classes = {} if classes is None else classes
    seen = {} if seen is None else seen
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        where = f"{path.name}:{n}"
        if parts[0] == "class" and len(parts) >= 3 and parts[1].startswith("&"):
            classes[parts[1]] = tuple(parts[2].lower().split())
            continue
        if len(parts) < 3 or parts[0] not in ("verb", "noun"):
            raise ValueError(f"{where}: expected 'kind<TAB>pattern<TAB>code[<TAB>flags]'")
        kind, code = parts[0], parts[2].strip()
        if not (no_event and code == NO_EVENT):
            lookup(code)  # KeyError on an unknown code
        flags = (
            frozenset(f.strip() for f in parts[3].split("#")[0].split(",") if f.strip())
            if len(parts) > 3 and parts[3].strip()
            else frozenset()
        )
        if no_event:
            flags |= {"idiom"}
        for pattern in _expand(tuple(parts[1].lower().split()), classes, where):
            if (kind, pattern) in seen:
                name, line = seen[kind, pattern]
                other = "" if name == path.name else f" of {name}"
                raise ValueError(f"{where}: {kind} {' '.join(pattern)!r} already on line {line}{other}")
            seen[kind, pattern] = (path.name, n)
            entries.append(Entry(kind, pattern, code, flags))
    return entries


def read_idioms(path: Path, lexicon: Path = DATA) -> tuple[list[Entry], list[Entry]]:
    """The idioms table, read after the lexicon (its classes are usable, its patterns may not repeat):
    (coded idioms, which are ordinary entries; no-event idioms, which block the literal reading)."""
    classes: dict[str, tuple[str, ...]] = {}
    seen: dict[tuple[str, tuple[str, ...]], tuple[str, int]] = {}
    read_lexicon(lexicon, classes, seen)
    rows = read_lexicon(path, classes, seen, no_event=True) if path.exists() else []
    return [e for e in rows if e.code != NO_EVENT], [e for e in rows if e.code == NO_EVENT]
