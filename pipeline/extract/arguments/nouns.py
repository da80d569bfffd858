"""Nominal events ("Russia's invasion of Ukraine", "talks between A and B", "held talks with Y"): the rule
tables for the sources and targets of a noun trigger.

Sources come from the noun's own modifiers, its "by" phrase, or the subject of the light verb that
carries it; targets from its prepositions or the light verb's. The light verb's negation and modality are
the event's ("did not hold talks").
"""

from __future__ import annotations

from pipeline.extract import syntax as sx
from pipeline.extract.arguments import resolve as rs
from pipeline.extract.arguments.frame import Context, Drop, Frame
from pipeline.extract.arguments.targets import self_directed_by
from pipeline.extract.language import words
from pipeline.extract.mentions import Ref
from pipeline.extract.modality import NOT_YET_REAL, assess, assess_nominal

NOMINAL_PREPS = words("nominal_preps")
LIGHT_VERB_PREPS = words("light_verb_preps")
VICTIM_PREPS = words("victim_preps")
HOST_PREPS = words("event_host_preps")
BILATERAL = words("bilateral_words")
AGENT_OF_PREPS = words("agent_of_preps")
UNREAL = frozenset({"intent", "future", "would", "threat"})
CROWD = words("people_nouns", "quantity_nouns")
STATE_KINDS = frozenset({"state", "demonym", "capital", "institution"})


def nominal_modality(frame: Frame, ctx: Context) -> Drop | None:
    """ "A possible meeting", "a planned visit", "denied any attack": a nominal event is a fact unless
    planned, hypothetical or denied."""
    frame.modality = assess_nominal(frame.trigger)
    return Drop(frame.modality.reason) if frame.modality.dropped else None


def hyphenated_parties(frame: Frame, ctx: Context) -> Drop | None:
    """ "The US-China talks", "a meeting of the India-Brazil-South Africa forum", "the Iran-Iraq war": actor
    names joined by hyphens before a reciprocal event noun (or its "of" object) are all its parties."""
    tok = frame.trigger
    if frame.sources or not {"sym", "mutual"} & frame.flags:
        return None
    heads = [tok, *sx.prep_objects(tok, ("of",))]
    found: dict[str, Ref] = {}
    for h in heads:
        words = [t for c in sx.kids(h) if c.i < h.i and c.dep_ in sx.NAME_MODIFIERS for t in c.subtree]
        if not any(t.text == "-" for t in words):
            continue
        for t in words:
            m = ctx.mentions.by_token.get(t.i)
            if m is not None and m.actor.code not in found:
                found[m.actor.code] = Ref(m.actor, m.text, "modifier", t.i)
        if len(found) > 1:
            frame.between = list(found.values())
            frame.source_rule = hyphenated_parties.__name__
            return None
        found.clear()
    return None


def bilateral_parties(frame: Frame, ctx: Context) -> Drop | None:
    """ "Kenya sent Ethiopia a list of demands ... agreed at a bilateral meeting in May": a bilateral
    gathering that names no party is between the two states of the last two-party event."""
    tok = frame.trigger
    if frame.sources or len(frame.between) > 1 or not {"sym", "mutual"} & frame.flags:
        return None
    if not any(c.dep_ == sx.AMOD and rs.lemma(c) in BILATERAL for c in sx.kids(tok)):
        return None
    if any(ctx.mentions.resolve(g) for g in sx.prep_objects(tok, NOMINAL_PREPS | {"between"})):
        return None  # "a bilateral meeting with Chad": the named party decides
    pair = ctx.discourse.last_pair(tok.i, 0, True)
    if len(pair) == 2:
        frame.between = [Ref(r.actor, r.name, "event", r.token) for r in pair]
        frame.source_rule = bilateral_parties.__name__
    return None


def noun_modifier(frame: Frame, ctx: Context) -> Drop | None:
    """ "Russia's invasion", "Israeli air strikes", "the Kremlin's crackdown": a modifier before the noun
    names who acts (not a compound that is no actor: "the embassy bombing")."""
    tok = frame.trigger
    if len(frame.between) > 1:  # "the US-China talks": the parties are known
        return None
    pattern_words = set(frame.entry.pattern[:-1])
    for c in sx.kids(tok):
        if c.dep_ == sx.COMPOUND and c.i not in ctx.mentions.by_token:
            continue
        if (
            c.dep_ in (sx.POSS, sx.AMOD, sx.COMPOUND, sx.NMOD)
            and c.i < tok.i
            and rs.lemma(c) not in pattern_words
        ):
            frame.sources = ctx.mentions.resolve(c)
            if frame.sources:
                return None
    return None


def noun_by_agent(frame: Frame, ctx: Context) -> Drop | None:
    """ "The expulsion of two diplomats by Poland": the "by" phrase, which often hangs on the "of" object."""
    if frame.sources:
        return None
    tok = frame.trigger
    heads = [tok, *sx.prep_objects(tok, ("of",))]
    agent = next((g for h in heads for g in sx.prep_objects(h, ("by",))), None)
    if agent is not None:
        frame.sources = ctx.mentions.resolve(agent)
    return None


def unreal_governor(frame: Frame, ctx: Context) -> Drop | None:
    """ "Ready to host talks between A and B": the talks are as (un)real as the verb that governs them; a
    possessed event is presupposed ("has not condemned Russia's invasion")."""
    tok = frame.trigger
    if frame.modality.status != "fact" or frame.light is not None or tok.dep_ not in (sx.DOBJ, sx.POBJ):
        return None
    gov = tok.head if tok.dep_ == sx.DOBJ else tok.head.head
    if gov.pos_ not in ("VERB", "AUX") and gov.dep_ != sx.XCOMP:  # "offered to host talks" ("host": NOUN)
        return None
    asked = tok.dep_ == sx.DOBJ or tok.head.lower_ == "for"  # "proposed talks", "called for talks"; not "at"
    asking = ctx.lexicon.match_verb(gov) if gov.pos_ == "VERB" and asked else []
    if asking and asking[0].entry.root.asks_for:  # "proposed talks between A and B", "sought a meeting"
        return Drop(f"what is asked for ('{gov.text}')")
    if sx.has_child(tok, sx.POSS, sx.AMOD):
        return None
    m = assess(gov, ctx.is_trigger)
    if m.dropped and not m.reason.startswith("negated"):
        return Drop(m.reason)
    if m.status in UNREAL | NOT_YET_REAL:
        return Drop(f"not yet real ({m.status})")
    return None


def light_verb_subject(frame: Frame, ctx: Context) -> Drop | None:
    """ "X conducted talks with Y", "X had a phone conversation with Y": the light verb's subject acts,
    and the verb's negation or modality is the event's."""
    if frame.light is None:
        return None
    verb_modality = assess(frame.light, ctx.is_trigger)
    if verb_modality.dropped:
        return Drop(verb_modality.reason)
    if frame.modality.status == "fact":  # "Turkey will keep up its raids": planned, whoever found the source
        frame.modality = verb_modality
    if frame.sources:
        return None
    for cand in sx.subjects(frame.light):
        frame.sources = ctx.mentions.resolve(cand)
        if frame.sources:
            break
    return None


def agent_of_phrase(frame: Frame, ctx: Context) -> Drop | None:
    """ "The visit of the Indonesian president to Brazil", "the deployment of Kenyan troops to Haiti": when
    the noun's "of" phrase and another of its prepositions ("to", "with", "against") name two different
    actors, the "of" phrase is the agent and the other the target."""
    if frame.sources:
        return None
    tok = frame.trigger
    others = [r for g in sx.prep_objects(tok, AGENT_OF_PREPS) for r in ctx.mentions.resolve(g)]
    if not others:
        return None
    for g in sx.prep_objects(tok, ("of",)):
        refs = [r for r in ctx.mentions.resolve(g) if r.actor.code not in {o.actor.code for o in others}]
        if refs:
            frame.sources, frame.targets = refs, others
            return None
    return None


def host_clause_subject(frame: Frame, ctx: Context) -> Drop | None:
    """ "Rebels shot ten guards in an ambush on the convoy", "the army detained 40 men during a sweep of the
    camp": an event noun named as the setting of an active clause was carried out by the clause's
    subject, under the clause's modality (not a passive's subject: that is the victim)."""
    tok = frame.trigger
    if frame.sources or frame.light is not None or tok.dep_ != sx.POBJ or tok.head.lower_ not in HOST_PREPS:
        return None
    verb = tok.head.head
    if tok.head.dep_ != sx.PREP or verb.pos_ != "VERB" or sx.is_passive(verb):
        return None
    verb_modality = assess(verb, ctx.is_trigger)
    if verb_modality.dropped:
        return Drop(verb_modality.reason)
    if frame.modality.status == "fact":
        frame.modality = verb_modality
    for cand in sx.subjects(verb):
        frame.sources = ctx.mentions.resolve(cand)
        if frame.sources:
            break
    return None


def unnamed_crowd_at_home(frame: Frame, ctx: Context) -> Drop | None:
    """ "Unpaid miners resumed a hunger strike against Warsaw's pension cuts": an unnamed
    crowd's protest, carried by a light verb, is done in the one state its clause names (the state it
    protests to), as the conventions code people protesting their own government."""
    if frame.sources or frame.light is None or not frame.root.crowd_act or "self" not in frame.flags:
        return None
    subj = sx.subjects(frame.light)[:1]
    if not subj or not any(rs.lemma(t) in CROWD for t in [subj[0], *sx.prep_objects(subj[0], ("of",))]):
        return None  # "miners", "a group of refugees"
    found = [ctx.mentions.by_token.get(t.i) for t in frame.light.subtree if t.i != subj[0].i]
    states = {m.actor.code: m for m in found if m is not None and m.actor.kind in STATE_KINDS}
    if len(states) == 1:
        m = next(iter(states.values()))
        frame.sources = [Ref(m.actor, subj[0].text, "coref", subj[0].i)]
        frame.targets = [Ref(m.actor, m.text, "coref", m.start)]
    return None


def noun_prepositions(frame: Frame, ctx: Context) -> Drop | None:
    """ "Strikes on Gaza", "the invasion of Ukraine", "talks between A and B": the noun's prepositions name
    its target, or with "between" all its parties ("in" only for acts on bodies and things)."""
    tok = frame.trigger
    for c in sx.preps(tok):
        name = c.lower_
        for g in sx.pobjs(c):
            if name == "between":
                frame.between = ctx.mentions.resolve(g)
            elif name in NOMINAL_PREPS and not frame.targets and (name != "in" or frame.root.physical):
                frame.targets = rs.resolve_target(
                    g, ctx, exclude=frame.source_codes(), places=frame.root.place_target
                )
    return None


def appeal_for_place(frame: Frame, ctx: Context) -> Drop | None:
    """ "The pope's appeal for peace in Bosnia", "a call for restraint in Kashmir": an appeal noun for a
    state of affairs somewhere is addressed to that place's state."""
    root = frame.root
    if frame.targets or not frame.sources or not root.clause_target or root.hostile:
        return None
    for o in sx.prep_objects(frame.trigger, ("for",)):
        for g in sx.prep_objects(o, ("in",)):
            frame.targets = frame.targets or rs.resolve_target(g, ctx, frame.source_codes(), places=True)
    return None


def light_verb_prepositions(frame: Frame, ctx: Context) -> Drop | None:
    """ "Held talks on Monday with Y": the target hangs on the light verb."""
    if not frame.sources or frame.targets or frame.light is None:
        return None
    tok = frame.trigger
    carriers = [frame.light]
    if tok.dep_ == sx.POBJ and tok.head.lower_ == "of":  # "conducted a series of raids on Gaza"
        carriers.append(tok.head.head)
    for g in [g for c in carriers for g in sx.prep_objects(c, LIGHT_VERB_PREPS)]:
        if g.i != tok.i:  # "went to war with Y": not the event noun itself
            frame.targets = frame.targets or rs.resolve_target(g, ctx, frame.source_codes())
    return None


def nominal_domestic_victims(frame: Frame, ctx: Context) -> Drop | None:
    """ "Assad's crackdown on protesters": unnamed victims of a domestic act are the source's own people."""
    if not frame.sources or frame.targets or not frame.entry.domestic:
        return None
    victims = [g for g in sx.prep_objects(frame.trigger, VICTIM_PREPS) if rs.lemma(g) in rs.PEOPLE]
    if victims:
        frame.targets = [Ref(r.actor, victims[0].text, "coref", victims[0].i) for r in frame.sources]
    return None


def light_verb_self_directed(frame: Frame, ctx: Context) -> Drop | None:
    """ "Greek farmers staged a protest", "thousands held a rally in Nairobi": a self-directed event noun
    carried by a light verb, with no target of its own, is aimed at the source's own state (crowds and
    unnamed people, as for the verb: not a state's officials)."""
    if frame.targets or not frame.sources or frame.light is None or not self_directed_by(frame):
        return None
    frame.targets = [Ref(r.actor, r.name, r.how, -1) for r in frame.sources]
    return None


NOUN_GATES = (nominal_modality,)
NOUN_SOURCES = (
    hyphenated_parties,
    bilateral_parties,
    noun_modifier,
    noun_by_agent,
    agent_of_phrase,
    unreal_governor,
    light_verb_subject,
    host_clause_subject,
    unnamed_crowd_at_home,
)
NOUN_TARGETS = (
    noun_prepositions,
    appeal_for_place,
    light_verb_prepositions,
    nominal_domestic_victims,
    light_verb_self_directed,
)
