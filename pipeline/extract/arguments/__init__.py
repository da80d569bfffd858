"""Argument finding: who did it and to whom, as ordered tables of small named rules.

A verb trigger runs ``VERB_GATES``, ``VERB_SOURCES``, ``VERB_TARGETS`` and ``VERB_FALLBACKS``; a noun
trigger ``NOUN_GATES``, ``NOUN_SOURCES`` and ``NOUN_TARGETS``. Both then go through the one pairing and
emitting path (:mod:`pipeline.extract.pairing`). To add a construction, write one rule function (a
docstring that says the construction, two paraphrased test cases in ``tests/rule_cases.toml``) and put it
in its table where it should take precedence.
"""

from __future__ import annotations

from pipeline.extract import syntax as sx
from pipeline.extract.arguments.domestic import VERB_FALLBACKS
from pipeline.extract.arguments.frame import Context, Drop, Frame, Outcome, run
from pipeline.extract.arguments.nouns import NOUN_GATES, NOUN_SOURCES, NOUN_TARGETS
from pipeline.extract.arguments.sources import VERB_GATES, VERB_SOURCES
from pipeline.extract.arguments.targets import VERB_TARGETS
from pipeline.extract.inflection import is_verb_in
from pipeline.extract.language import words
from pipeline.extract.modality import Modality

LIGHT_VERBS = words("light_verbs")
ENTRY_VERBS = words("entry_verbs")
ENTRY_PREPS = words("entry_preps")
MEASURES = words("measure_nouns")

#: Every rule table, by name, in the order a trigger of its kind runs them.
TABLES = {
    "verb_gates": VERB_GATES,
    "verb_sources": VERB_SOURCES,
    "verb_targets": VERB_TARGETS,
    "verb_fallbacks": VERB_FALLBACKS,
    "noun_gates": NOUN_GATES,
    "noun_sources": NOUN_SOURCES,
    "noun_targets": NOUN_TARGETS,
}


def verb_frame(tok, entry, modality: Modality, ctx: Context) -> tuple[Frame, Outcome]:
    """Run the verb tables on a trigger; the outcome names the rule that dropped it, if one did."""
    frame = Frame(tok, entry, "verb", modality, passive=sx.is_passive(tok), subjects=sx.subjects(tok))
    for table in (VERB_GATES, VERB_SOURCES, VERB_TARGETS, VERB_FALLBACKS):
        outcome = run(table, frame, ctx)
        if outcome.drop is not None:
            return frame, outcome
    if frame.sources:  # "launched missile strikes": later "the strikes" refers back to it
        ctx.discourse.add_event(tok.i, (frame.lemma, *entry.pattern[1:]), frame.sources, frame.targets)
    reciprocal = bool({"sym", "mutual"} & entry.flags)
    own_subject = sx.has_child(tok, sx.NSUBJ, sx.NSUBJPASS) or tok.dep_ in (sx.CONJ, sx.XCOMP)
    frame.joint = reciprocal and own_subject  # "A and B met": both directions
    frame.joint_only = (
        reciprocal
        and len(frame.sources) > 1
        and own_subject
        and not any(c.dep_ in (sx.DOBJ, sx.DATIVE) and ctx.mentions.resolve(c) for c in sx.kids(tok))
    )  # "Pakistani and Indian troops exchanged fire along the border in Kashmir": not with Kashmir
    return frame, Outcome()


def noun_frame(tok, entry, ctx: Context) -> tuple[Frame, Outcome]:
    """Run the noun tables on a trigger; a light verb ("held talks") carries its subject and modality."""
    light = light_verb(tok)
    frame = Frame(tok, entry, "noun", Modality("fact"), light=light)
    if light is not None:
        frame.subjects = sx.subjects(light)
    for table in (NOUN_GATES, NOUN_SOURCES):
        outcome = run(table, frame, ctx)
        if outcome.drop is not None:
            return frame, outcome
    if frame.sources:  # remembered with its sources only: its targets are found after
        ctx.discourse.add_event(tok.i, (frame.lemma,), frame.sources, [])
    outcome = run(NOUN_TARGETS, frame, ctx)
    frame.joint = bool({"sym", "mutual"} & entry.flags) and light is not None  # "A and B held talks"
    return frame, outcome


def light_verb(tok):
    """The verb that carries an event noun: its object ("held talks", "launched an offensive"), also through
    a measure ("a series of raids"), or a verb of entering it ("went to war", "engaged in talks")."""
    if tok.dep_ == sx.DOBJ and is_verb_in(tok.head, LIGHT_VERBS):
        return tok.head
    prep = tok.head
    if tok.dep_ == sx.POBJ and prep.lower_ == "of" and prep.head.lemma_.lower() in MEASURES:
        return light_verb(prep.head)  # "conducted a series of raids", "held a new round of talks"
    if tok.dep_ == sx.POBJ and prep.lower_ in ENTRY_PREPS and prep.dep_ == sx.PREP:
        verb = prep.head
        if verb.pos_ == "VERB" and is_verb_in(verb, ENTRY_VERBS):
            return verb
    return None


__all__ = ["TABLES", "Context", "Drop", "Frame", "noun_frame", "verb_frame"]
