"""The dependency parse, read in one place: the only module that spells dependency labels.

Every other module of the coder names a relation through the constants here (``sx.DOBJ``) or asks a
helper (``subjects(verb)``, ``agent(verb)``, ``pobjs(prep)``). The values are the ClearNLP labels of
spaCy's English models; a model with another label set needs one new mapping, here.

The helpers encode where wire-style English puts an event's participants (subjects inherited through
conjunction, control, relative and participial clauses; passive agents; prepositional objects), with a
few repairs for attachments the small model gets wrong.
"""

from __future__ import annotations

import threading

from pipeline.extract.language import words

# -- labels (spaCy English, ClearNLP style) ------------------------------------------------------
ROOT = "ROOT"
NSUBJ, NSUBJPASS, CSUBJ = "nsubj", "nsubjpass", "csubj"
DOBJ, DATIVE, IOBJ, ATTR, OPRD, ACOMP = "dobj", "dative", "iobj", "attr", "oprd", "acomp"
PREP, POBJ, PCOMP, AGENT = "prep", "pobj", "pcomp", "agent"
AUX, AUXPASS, NEG, MARK, PRT, DET, CC, PUNCT = "aux", "auxpass", "neg", "mark", "prt", "det", "cc", "punct"
COMPOUND, AMOD, POSS, NMOD, NPADVMOD, NUMMOD = "compound", "amod", "poss", "nmod", "npadvmod", "nummod"
APPOS, ADVMOD, CONJ = "appos", "advmod", "conj"
DEP = "dep"  # the parser's "unclassified" label ("Israel, Hamas agree to truce": Israel)
XCOMP, CCOMP, ADVCL, ACL, RELCL = "xcomp", "ccomp", "advcl", "acl", "relcl"

#: Every label this module names (tests check that no other module spells one).
LABELS = frozenset(
    {ROOT, NSUBJ, NSUBJPASS, CSUBJ, DOBJ, DATIVE, IOBJ, ATTR, OPRD, ACOMP, PREP, POBJ, PCOMP, AGENT, AUX}
    | {AUXPASS, NEG, MARK, PRT, DET, CC, PUNCT, COMPOUND, AMOD, POSS, NMOD, NPADVMOD, NUMMOD, APPOS, ADVMOD}
    | {CONJ, XCOMP, CCOMP, ADVCL, ACL, RELCL, DEP}
)

# -- groups of labels, by what they mean ---------------------------------------------------------
SUBJECTS = frozenset({NSUBJ, NSUBJPASS})
AUXILIARIES = frozenset({AUX, AUXPASS})
PASSIVE_MARKS = frozenset({AUXPASS, NSUBJPASS})
PREP_OBJECTS = frozenset({POBJ, PCOMP})
#: Pre-nominal modifiers that can name an actor ("Russia's", "Chinese", "Kremlin spokesman")
NAME_MODIFIERS = (POSS, COMPOUND, AMOD, NMOD, NPADVMOD)
#: Clausal complements of a verb
COMPLEMENTS = frozenset({XCOMP, CCOMP})

OBJECT_CONTROL = words("object_control_verbs")
FACTIVE = words("factive_verbs")
RELATIVE_PRONOUNS = words("relative_pronouns")


class _Kids(threading.local):
    """The children of the last doc's tokens, per thread (see :func:`kids`)."""

    def __init__(self) -> None:
        self.doc = None
        self.by_index: dict[int, tuple] = {}


_KIDS = _Kids()


def kids(tok) -> tuple:
    """``tuple(tok.children)``, kept for the tokens of the doc being read: every walk of spaCy's
    ``children`` builds new ``Token`` objects, and the rules ask the same trigger for its children many
    times. The parse of a doc does not change once made; the cache holds one doc (per thread)."""
    cache = _KIDS
    doc = tok.doc
    if cache.doc is not doc:
        cache.doc, cache.by_index = doc, {}
    got = cache.by_index.get(tok.i)
    if got is None:
        got = cache.by_index[tok.i] = tuple(tok.children)
    return got


def children(tok, *deps: str) -> list:
    """The token's children with one of the labels."""
    return [c for c in kids(tok) if c.dep_ in deps]


def child(tok, *deps: str):
    """The first child with one of the labels, or None."""
    return next((c for c in kids(tok) if c.dep_ in deps), None)


def has_child(tok, *deps: str) -> bool:
    return any(c.dep_ in deps for c in kids(tok))


def is_(tok, *deps: str) -> bool:
    """Does the token hang on its head by one of the labels?"""
    return tok.dep_ in deps


def pobjs(prep) -> list:
    """Objects of a preposition (noun phrases and gerunds)."""
    return [g for g in kids(prep) if g.dep_ in PREP_OBJECTS]


def preps(tok, names: frozenset[str] | tuple[str, ...] | None = None) -> list:
    """The token's prepositions, optionally only those spelled as one of ``names``."""
    return [c for c in kids(tok) if c.dep_ == PREP and (names is None or c.lower_ in names)]


def prep_objects(tok, names: frozenset[str] | tuple[str, ...]) -> list:
    """Objects of the token's prepositions spelled as one of ``names`` ("strikes on X" -> X)."""
    return [g for p in preps(tok, names) for g in pobjs(p)]


def subject(tok):
    """The token's own subject (active or passive), or None."""
    return child(tok, NSUBJ, NSUBJPASS)


def is_passive(verb) -> bool:
    return any(c.dep_ in PASSIVE_MARKS for c in kids(verb)) or (verb.dep_ == ACL and verb.tag_ == "VBN")


def agent(verb):
    """The passive agent: the object of "by"."""
    for c in kids(verb):
        if c.dep_ == AGENT or (c.dep_ == PREP and c.lower_ == "by"):
            p = pobjs(c)
            if p:
                return p[0]
    return None


def _aux_subject(t):
    """'Egypt and Qatar are mediating': the parser may hang the subject on the auxiliary."""
    auxes = [a for a in kids(t) if a.dep_ in AUXILIARIES]
    return next((s for a in auxes for s in kids(a) if s.dep_ == NSUBJ), None)


#: Labels through which a clause inherits its head's subject
_INHERITING = frozenset({CONJ, ADVCL, ACOMP, CCOMP, DOBJ, POBJ, PREP, ATTR, OPRD})


def _inherited(t, out: list):
    """One step up the subject chain: the head to continue from, or None to stop (``out`` may grow)."""
    dep, head = t.dep_, t.head
    if head.i == t.i or dep == RELCL:
        if dep == RELCL:
            out.append(head)
        return None
    if dep == XCOMP:
        obj = child(head, DOBJ)
        if obj is not None and head.lemma_.lower() in OBJECT_CONTROL:
            out.append(obj)  # object control ("urged China to ..."); the subject is the next best
    elif dep == ACL:
        out.append(head)  # "Lukashenko, ..., negotiated with", "a resolution demanding"
    elif dep == PCOMP and head.dep_ == PREP:
        obj = child(head.head, DOBJ)
        if obj is not None and head.lower_ == "for" and head.head.lemma_.lower() in FACTIVE:
            out.append(obj)  # "praised China for sending aid": China sent it, and nobody else
            return None
        return head.head
    elif dep not in _INHERITING:
        return None
    return head


def subjects(verb) -> list:
    """Candidate subjects, best first: the verb's own, else inherited through conjunction, control,
    relative and participial clauses ("Brazil, ..., calling on", "after visiting Moscow")."""
    out: list = []
    t = verb
    active = not is_passive(verb)
    via_conj = False
    for _ in range(8):
        subj = subject(t)
        if subj is None:
            subj = _aux_subject(t)
        if subj is not None and via_conj and active and subj.dep_ == NSUBJPASS:
            subj = None  # "Pakistan said civilians were killed and vowed ...": not the passive's subject
        if subj is not None:
            out.append(t.head if subj.lower_ in RELATIVE_PRONOUNS and t.dep_ == RELCL else subj)
            return out
        via_conj = via_conj or t.dep_ == CONJ
        nxt = _inherited(t, out)
        if nxt is None:
            return out
        t = nxt
    return out


def reported_subject(verb, say_verbs: frozenset[str]) -> list:
    """'X said A had struck B and accused C': the parser hangs 'accused' on 'struck'; the tense says
    it belongs with 'said', so its subject is X."""
    if verb.dep_ != CONJ or verb.tag_ != "VBD" or has_child(verb, NSUBJ, NSUBJPASS):
        return []
    head = verb.head
    inner = head.tag_ in ("VBN", "VBG") and has_child(head, AUX, AUXPASS)
    if not inner or head.dep_ != CCOMP or head.head.tag_ != "VBD":
        return []
    say = head.head
    if say.lemma_.lower() not in say_verbs:
        return []
    return children(say, NSUBJ, NSUBJPASS)


def clause_head(tok, deps: frozenset[str] | tuple[str, ...], steps: int = 4):
    """Walk up while the token hangs by one of ``deps``; the first head reached otherwise."""
    t = tok
    for _ in range(steps):
        if t.dep_ not in deps or t.head.i == t.i:
            return t
        t = t.head
    return t
