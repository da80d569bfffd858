"""Argument structure from the dependency parse: subjects (inherited through conjunction, control,
relative and participial clauses), passive agents and prepositional objects.

The parse of the small spaCy model is often imperfect; these helpers encode where wire-style
English puts an event's participants, and a few repairs for attachments the parser gets wrong.
"""

from __future__ import annotations

from pipeline.extract.language import words
from pipeline.extract.mentions import RELATIVE_PRONOUNS

#: Verbs whose object is the subject of their infinitive ("urged China to ...", not "used missiles to hit")
OBJECT_CONTROL = words("object_control_verbs")


def _children(tok, *deps: str) -> list:
    return [c for c in tok.children if c.dep_ in deps]


def _pobjs(prep) -> list:
    return [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def _agent(verb):
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            p = _pobjs(c)
            if p:
                return p[0]
    return None


def _subjects(verb) -> list:
    """Candidate subjects, best first: the verb's own, else inherited through conjunction, control,
    relative and participial clauses ("Brazil, ..., calling on", "after visiting Moscow")."""
    out: list = []
    t = verb
    active = not _is_passive(verb)
    via_conj = False
    for _ in range(8):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:  # "Egypt and Qatar are mediating": the parser may hang the subject on the auxiliary
            auxes = [a for a in t.children if a.dep_ in ("aux", "auxpass")]
            subj = next((s for a in auxes for s in a.children if s.dep_ == "nsubj"), None)
        if subj is not None and via_conj and active and subj.dep_ == "nsubjpass":
            subj = None  # "Pakistan said civilians were killed and vowed ...": not the passive's subject
        if subj is not None:
            if subj.lower_ in RELATIVE_PRONOUNS and t.dep_ == "relcl":
                out.append(t.head)
            else:
                out.append(subj)
            return out
        dep, head = t.dep_, t.head
        if head.i == t.i:
            return out
        if dep == "relcl":
            out.append(head)
            return out
        if dep == "xcomp":
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and head.lemma_.lower() in OBJECT_CONTROL:
                out.append(obj)  # object control ("urged China to ..."); the subject is the next best
        elif dep == "acl":
            out.append(head)  # "Lukashenko, ..., negotiated with", "a resolution demanding"
        elif dep == "pcomp" and head.dep_ == "prep":
            t = head.head
            continue
        elif dep not in ("conj", "advcl", "acomp", "ccomp", "dobj", "pobj", "prep", "attr", "oprd"):
            return out
        via_conj = via_conj or dep == "conj"
        t = head
    return out


def _reported_subject(verb) -> list:
    """'X said A had struck B and accused C': the parser hangs 'accused' on 'struck'; the tense says
    it belongs with 'said', so its subject is X."""
    if (
        verb.dep_ != "conj"
        or verb.tag_ != "VBD"
        or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    ):
        return []
    head = verb.head
    inner = head.tag_ in ("VBN", "VBG") and any(c.dep_ in ("aux", "auxpass") for c in head.children)
    if not inner or head.dep_ != "ccomp" or head.head.tag_ != "VBD":
        return []
    from pipeline.extract.modality import SAY_VERBS

    say = head.head
    if say.lemma_.lower() not in SAY_VERBS:
        return []
    return [c for c in say.children if c.dep_ in ("nsubj", "nsubjpass")]
