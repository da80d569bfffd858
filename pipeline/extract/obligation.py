"""Demands under a stated obligation: "Germany said Russia must withdraw", "China must open its markets,
Washington said". The speaker demands (CAMEO 10) of the obliged subject; what the subject must do is no
event of its own. :mod:`pipeline.extract.modality` decides whether an obligation is stated (status
``demand``, ``speaker``); this module makes any obliged verb a trigger and turns the frame's sides round.
"""

from __future__ import annotations

from pipeline.extract import syntax as sx
from pipeline.extract.arguments.frame import Context, Frame
from pipeline.extract.language import words
from pipeline.extract.lexicon import Entry, Match
from pipeline.extract.modality import Modality, obliged
from pipeline.extract.roots import demand_code

#: Subject nouns that can be obliged to act ("the two countries should", "the government must")
ACTOR_NOUNS = words("role_nouns", "group_nouns", "igo_nouns", "person_nouns", "party_nouns", "people_nouns")


def obligation_match(tok) -> Match | None:
    """ "China must open its markets, Washington said": an obligation stated by someone else is a demand
    (CAMEO 10) whatever the verb, so a verb the lexicon does not know still triggers one under "must",
    "should", "ought to", "has to" (the modality decides whether anyone stated it)."""
    if not obliged(tok):
        return None
    subject = next(iter(sx.subjects(tok)), None)
    if subject is None or not (subject.pos_ in ("PROPN", "PRON") or subject.lemma_.lower() in ACTOR_NOUNS):
        return None  # "the pacts should serve as precedents": a thing is obliged to nothing
    return Match(Entry("verb", (tok.lemma_.lower(),), demand_code(), frozenset({"obliged"})), frozenset())


def speaker_demand(frame: Frame, ctx: Context) -> None:
    """ "Germany said Russia must withdraw its troops": under a stated obligation the speaker demands and
    the obliged subject is the target; what the subject must do to others is no event of its own."""
    if frame.modality.status != "demand" or frame.modality.speaker is None:
        return
    speakers = next((r for s in sx.subjects(frame.modality.speaker) if (r := ctx.mentions.resolve(s))), [])
    if {r.actor.code for r in speakers} & {r.actor.code for r in frame.sources}:
        # "China and Singapore should strengthen cooperation, a Chinese official said": a proposal the
        # speaker shares, so the act's own intent (03x) among the obliged; no demand of the speaker's own side
        if "obliged" in frame.entry.flags:
            frame.sources = []
        frame.modality = Modality("intent", "an obligation the speaker shares")
        return
    frame.sources, frame.targets, frame.between = speakers, frame.sources, []
    frame.joint = frame.joint_only = False
    frame.source_rule, frame.target_rule, frame.target_detail = "speaker", "obliged_subject", ""
