"""Whom it is done to: the rule table that finds a verb trigger's targets, once its sources are known.

The first rules resolve the candidate phrases; the later ones read the discourse when the sentence names
no target ("retaliated", "arrived on Monday", a second bare pledge). Rules run in order and each one
leaves the frame alone once it has targets.
"""

from __future__ import annotations

from pipeline.extract import syntax as sx
from pipeline.extract.arguments import resolve as rs
from pipeline.extract.arguments.frame import Context, Drop, Frame
from pipeline.extract.arguments.phrases import target_phrases
from pipeline.extract.language import words
from pipeline.extract.mentions import Ref

PERSON_GROUPS = words("person_groups")
ARRIVAL_VERBS = words("arrival_verbs")
RETALIATION_VERBS = words("retaliation_verbs")
GIVING = words("giving_lemmas")
CROWD = words("people_nouns", "quantity_nouns")
OFFICIAL = words("state_agents", "official_nouns")
INANIMATE = words("inanimate_nouns")
SUBSTATE = words("nonstate_agents", "people_nouns")
POLICING = words("policing_agents")


def candidate_phrases(frame: Frame, ctx: Context) -> Drop | None:
    """The active default: the verb's objects and prepositional phrases are where its target is (see
    :mod:`pipeline.extract.arguments.phrases` for the finders and their order)."""
    if frame.from_subject:
        frame.target_phrases, frame.phrase_finders = target_phrases(frame.trigger, frame.entry)
    return None


def rejected_text_author(frame: Frame, ctx: Context) -> Drop | None:
    """ "Vetoed a U.S.-drafted resolution": a rejection hits the author of the text it rejects. Parties
    found earlier (the passive accord's) likewise replace the phrases."""
    if not frame.preset_targets and frame.root.author_target:
        frame.preset_targets = rs.drafters(frame.trigger, ctx, frame.source_codes())
    if frame.preset_targets:
        frame.target_phrases = []
        frame.targets = list(frame.preset_targets)
    return None


def target_phrase(frame: Frame, ctx: Context) -> Drop | None:
    """ "Iran condemned France and Germany", "strikes on sites in Pakistan": the first candidate phrase
    that resolves; unnamed victims of a domestic act ("arrested hundreds of protesters in Tehran") stop
    the search, so the venue is not taken for the target."""
    if frame.targets:
        return None
    exclude = frame.source_codes()
    own_acl = -1 if {"sym", "mutual"} & frame.flags else frame.trigger.i
    for t in frame.target_phrases:
        if frame.entry.domestic and rs.unnamed_victims(t, False) and not ctx.mentions.resolve(t, exclude):
            break
        frame.targets = rs.resolve_target(
            t,
            ctx,
            exclude,
            military=frame.root.venue_is_party,
            places=frame.root.place_target,
            trigger=own_acl,
        )
        if frame.targets:
            frame.target_detail = frame.phrase_finders.get(t.i, "")
            break
    return None


def earlier_event_as_target(frame: Frame, ctx: Context) -> Drop | None:
    """ "Putin denounced the uprising", "welcomed the officers": a definite noun for an earlier event or
    body of people stands for its actor (not for visits or threats: "this visit" is no party)."""
    if frame.targets:
        return None
    for t in frame.target_phrases:
        if frame.root.target_not_event and rs.lemma(t) not in PERSON_GROUPS:
            continue
        frame.targets = rs.event_referent(t, ctx, frame.source_codes())
        if frame.targets:
            break
    return None


def arrival_in_story_city(frame: Frame, ctx: Context) -> Drop | None:
    """ "Xi arrived on Monday": the visit is to the last capital named (the city the story is about)."""
    if frame.targets or not frame.sources or frame.lemma not in ARRIVAL_VERBS or not frame.root.consult:
        return None
    codes = frame.source_codes()
    place = next(
        (
            m
            for m in ctx.mentions.before(frame.trigger.i, window_sents=2)
            if m.actor.kind == "capital" and m.actor.code not in codes
        ),
        None,
    )
    if place is not None:
        frame.targets = [Ref(place.actor, place.text, "coref", place.start)]
    return None


def retaliation_against_last_attacker(frame: Frame, ctx: Context) -> Drop | None:
    """ "Iran retaliated": against whoever last acted on the source."""
    if frame.targets or not frame.sources or frame.lemma not in RETALIATION_VERBS:
        return None
    frame.targets = _as_event(ctx.discourse.last_attacker_of(frame.source_codes()))
    return None


def gift_to_last_recipient(frame: Frame, ctx: Context) -> Drop | None:
    """ "Britain pledged aid for Sudan, and Germany said it would provide a further 125 million euros": a
    bare gift right after another (this or the previous sentence) goes to the same recipient."""
    if frame.targets or not frame.sources or not frame.root.shares_recipient:
        return None
    if any(rs.party_like(t, ctx) for t in frame.target_phrases):
        return None
    tok = frame.trigger
    sent = tok.sent
    earliest = tok.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    found = ctx.discourse.last_recipient(tok.i, earliest, frame.source_codes(), GIVING)
    frame.targets = _as_event(found)
    return None


def same_addressee_in_coordination(frame: Frame, ctx: Context) -> Drop | None:
    """ "Demanded that Washington stop ... and said it would take countermeasures": the same source's
    addressee earlier in the sentence; not "... and urged other states to follow" (a party is named)."""
    if frame.targets or not frame.sources or {"self", "igo", "object"} & frame.flags:
        return None
    if not rs.coordinated(frame.trigger) or any(rs.party_like(t, ctx) for t in frame.target_phrases):
        return None
    tok = frame.trigger
    frame.targets = _as_event(ctx.discourse.addressees_of(frame.source_codes(), tok.sent.start, tok.i))
    return None


def crowd_act_abroad(frame: Frame, ctx: Context) -> Drop | None:
    """ "Nepali inmates rioted in a prison in India", "Kurdish refugees protested in
    Germany": a crowd of one state's people acting in another state's territory is aimed at that state."""
    if frame.targets or not frame.sources or not self_directed_by(frame) or not frame.root.crowd_act:
        return None
    place = rs.place_of(frame.trigger, ctx)
    where = place[0].actor if place else None
    if where is not None and where.kind in ("state", "capital") and where.code not in frame.source_codes():
        frame.targets = place[:1]
    return None


def unnamed_conjoined_partner(frame: Frame, ctx: Context) -> Drop | None:
    """ "Kenya's government and the rebels agreed to a truce", "Sudan's army and an unknown front signed
    an accord": a reciprocal act of one named state with an unnamed or unknown partner in the same subject
    is an act inside that state (sub-state groups stand for the state they act in)."""
    if frame.targets or len(frame.source_codes()) != 1 or not {"sym", "mutual"} & frame.flags:
        return None
    subj = frame.subjects[:1]
    if not subj:
        return None
    parts = [subj[0], *(c for c in subj[0].subtree if c.dep_ == sx.CONJ and c.head.i == subj[0].i)]
    unknown = [
        c for c in parts[1:] if not ctx.mentions.resolve(c) and (c.pos_ == "PROPN" or rs.lemma(c) in SUBSTATE)
    ]
    if len(parts) > 1 and unknown and ctx.mentions.resolve(parts[0]):
        other = unknown[0]  # an unknown party beside a state is no part of its apparatus
        sector = rs.sector(other) or "OPP"
        frame.targets = [Ref(r.actor, other.text, "coref", other.i, sector) for r in frame.sources[:1]]
    return None


def home_police_warning(frame: Frame, ctx: Context) -> Drop | None:
    """ "the interior minister warned the riot police would disperse any march", "the governor warned that the
    security forces would break up the sit-in": a threat carried out by the source's own police is aimed
    at people at home (a domestic event, the people as a non-state side)."""
    if frame.targets or not frame.sources or not frame.root.threat_root:
        return None
    for clause in sx.children(frame.trigger, sx.CCOMP):
        police = [c for c in sx.subjects(clause) if rs.lemma(c) in POLICING]
        acted_on = [*sx.children(clause, sx.DOBJ), *(g for p in sx.preps(clause) for g in sx.pobjs(p))]
        if police and acted_on and not ctx.mentions.resolve(acted_on[0]):
            who = acted_on[0]
            frame.targets = [Ref(r.actor, who.text, "coref", who.i, "OPP") for r in frame.sources[:1]]
            return None
    return None


def self_directed(frame: Frame, ctx: Context) -> Drop | None:
    """ "Thousands protested", "Greek farmers marched": a self-directed act (protests, investigations)
    with no target is aimed at the source's own state; not "Washington rallied" or officials' protests."""
    if frame.targets or not frame.sources or not self_directed_by(frame):
        return None
    frame.targets = [Ref(r.actor, r.name, r.how, -1) for r in frame.sources]
    return None


def domestic_victims(frame: Frame, ctx: Context) -> Drop | None:
    """ "Troops killed a woman in Israel": unnamed victims of a domestic act belong where it happened,
    else to the source; not an accident ("its aircraft crashed, killing 98")."""
    if frame.targets or not frame.sources or self_directed_by(frame) or not frame.entry.domestic:
        return None
    violent = frame.root.violent
    subj = frame.subjects[:1]
    if any(rs.lemma(c) in INANIMATE for c in subj) and all(r.how == "coref" for r in frame.sources):
        return None
    if any(r.actor.code.startswith("IGO") for r in frame.sources):
        return None
    victim = next((t for t in frame.target_phrases if rs.unnamed_victims(t, violent)), None)
    if victim is None:
        return None
    where = (
        rs.place_of(frame.trigger, ctx)
        or rs.place_of(victim, ctx)
        or [r for c in subj for r in rs.place_of(c, ctx)]
    )  # "strikes on a camp in Rafah killed 45 people": where the strikes hit
    owner = [Ref(p.actor, p.name, "coref", p.token) for p in where[:1]] or frame.sources
    frame.targets = [Ref(r.actor, victim.text, "coref", victim.i, rs.sector(victim)) for r in owner]
    return None


VERB_TARGETS = (
    candidate_phrases,
    rejected_text_author,
    target_phrase,
    earlier_event_as_target,
    arrival_in_story_city,
    retaliation_against_last_attacker,
    gift_to_last_recipient,
    same_addressee_in_coordination,
    crowd_act_abroad,
    unnamed_conjoined_partner,
    home_police_warning,
    self_directed,
    domestic_victims,
)


def _as_event(refs: list[Ref]) -> list[Ref]:
    return [Ref(r.actor, r.name, "event", r.token) for r in refs]


def self_directed_by(frame: Frame) -> bool:
    """A self-flagged pattern whose subject fits a self-directed act (crowds, unnamed people)."""
    if "self" not in frame.flags:
        return False
    if not frame.root.crowd_act:
        return True
    subj = frame.subjects[:1]
    if any(rs.lemma(c) in CROWD or _people_of_a_nation(c, frame.sources) for c in subj):
        return True
    return all(r.how == "modifier" for r in frame.sources) and not any(rs.lemma(c) in OFFICIAL for c in subj)


def _people_of_a_nation(subj, sources: list[Ref]) -> bool:
    """ "Angry Kenyans marched", "ethnic Serbs rallied": a plural demonym or ethnic group as the subject
    is a crowd of people, not the state ("the Philippines protested" is a state)."""
    plural = "Plur" in subj.morph.get("Number")
    return plural and any(r.token == subj.i and r.actor.kind in ("demonym", "ethnic") for r in sources)
