"""Who acts: the rule table that finds a verb trigger's sources (and, for the passive, its target phrase).

Rules run in order; each says in its docstring the construction it encodes. A rule that finds nothing
leaves the frame as it was; a rule that recognises a non-event returns a :class:`Drop`. Gates come first
(constructions in which the verb reports no act of its own), then the voices, then the active default.
"""

from __future__ import annotations

from pipeline.extract import syntax as sx
from pipeline.extract.arguments import resolve as rs
from pipeline.extract.arguments.frame import Context, Drop, Frame
from pipeline.extract.language import governors, words
from pipeline.extract.mentions import Ref

RESPONSE_VERBS = words("response_verbs")
GATHERINGS = words("gathering_nouns")
ACCORDS = words("accord_nouns")
UNNAMED_AGENTS = words("policing_agents", "state_agents", "nonstate_agents")
WEAPONS = words("weapon_nouns")
SAY_VERBS = governors("say")


# -- gates -----------------------------------------------------------------------------------------
def response_by_other_act(frame: Frame, ctx: Context) -> Drop | None:
    """ "Retaliated by imposing tariffs": the response is the act after "by", coded on its own."""
    if frame.lemma not in RESPONSE_VERBS:
        return None
    for c in sx.preps(frame.trigger, ("by",)):
        for g in sx.children(c, sx.PCOMP):
            if ctx.is_trigger(g):
                return Drop(f"the response is '{g.text}', coded on its own")
    return None


def toll_of_hostile_act(frame: Frame, ctx: Context) -> Drop | None:
    """ "An air strike hit the market, killing 90 people": a subjectless participle reporting the toll of
    a hostile act in the same clause is its outcome, not another event."""
    tok = frame.trigger
    if tok.tag_ != "VBG" or tok.dep_ not in (sx.ADVCL, sx.ACL, sx.CONJ) or not frame.root.harms:
        return None
    if sx.has_child(tok, sx.NSUBJ, sx.NSUBJPASS):
        return None
    t = tok.head
    for _ in range(3):
        m = ctx.lexicon.match_verb(t) if t.pos_ == "VERB" else []
        if m and m[0].entry.root.harms:
            return Drop(f"the outcome of '{t.text}', not another event")
        if t.head.i == t.i:
            break
        t = t.head
    return None


def topic_of_worry(frame: Frame, ctx: Context) -> Drop | None:
    """ "Washington was worried about deepening ties": the gerund is a worry's topic, nobody's act."""
    return (
        Drop("the topic of a worry, not the worried party's act") if rs.worry_topic(frame.trigger) else None
    )


# -- voices ----------------------------------------------------------------------------------------
def agentless_passive_cause(frame: Frame, ctx: Context) -> Drop | None:
    """ "Five soldiers were killed in an Israeli air strike": with no actor as agent, the event noun the
    passive happened in or by names who acted; the passive's subject is the target."""
    tok = frame.trigger
    if not frame.passive or _agent_refs(tok, ctx):
        return None
    frame.sources = rs.cause_of(tok, ctx)
    if frame.sources:
        frame.target_phrases = frame.subjects[:1]
    return None


def participle_modifier(frame: Frame, ctx: Context) -> Drop | None:
    """ "Russian-occupied Ukraine", "Saudi-led talks": the participle's modifier acts on the noun."""
    tok = frame.trigger
    if frame.sources or not _participle(tok):
        return None
    deps = (sx.NPADVMOD, sx.AMOD, sx.COMPOUND, sx.NMOD)
    frame.sources = [r for c in tok.children if c.dep_ in deps for r in ctx.mentions.resolve(c)]
    if frame.sources:
        frame.target_phrases = [tok.head]
    return None


def passive_agent(frame: Frame, ctx: Context) -> Drop | None:
    """ "Canada was criticised by Brazil": the agent acts on the subject. A gathering's participants or an
    accord's parties are the targets of its host or broker ("talks hosted by Malaysia"); an agent that is
    no actor ("hit by a storm") means no event."""
    tok = frame.trigger
    if frame.sources or _participle(tok) or not frame.passive:
        return None
    agent = sx.agent(tok) or next((a for a in map(sx.agent, tok.conjuncts) if a is not None), None)
    frame.sources = ctx.mentions.resolve(agent) if agent is not None else []
    if frame.sources or agent is None:
        frame.target_phrases = frame.subjects[:1]
        _gathering_parties(frame, ctx)
        return None
    if sx.has_child(tok, sx.AUXPASS, sx.NSUBJPASS) or frame.root.physical:
        return Drop(f"done by something that is no actor ('{agent.text}')")  # "was killed by a bomb"
    return None


def held_thing_is_no_person(frame: Frame, ctx: Context) -> Drop | None:
    """ "Talks are to be held at Pyongyang's request": a detention verb in the passive needs a person."""
    subj = frame.subjects[:1]
    if frame.passive and frame.root.person_patient and subj and not rs.person_like(subj[0], ctx):
        return Drop(f"what was held is not a person ('{subj[0].text}')")
    return None


# -- the active default ----------------------------------------------------------------------------
def subject(frame: Frame, ctx: Context) -> Drop | None:
    """ "Germany condemned Iran", "Brazil, ..., calling on": the first subject that resolves to an actor,
    inherited through conjunction and control; "X said A had struck B and accused C": X accused."""
    if frame.target_phrases or frame.sources:
        return None
    frame.from_subject = True
    frame.subjects = sx.reported_subject(frame.trigger, SAY_VERBS) or frame.subjects
    for cand in frame.subjects:
        frame.sources = ctx.mentions.resolve(cand)
        if frame.sources:
            break
    return None


def unnamed_forces_of_the_place(frame: Frame, ctx: Context) -> Drop | None:
    """ "Police in Tbilisi detained ...", "militants in Gaza fired ...": unnamed state or armed agents act
    for the place where they are."""
    subj = frame.subjects[:1]
    if frame.from_subject and not frame.sources and subj and rs.lemma(subj[0]) in UNNAMED_AGENTS:
        agent = rs.sector(subj[0])  # "rebels in X" stay rebels: with X's government a domestic event
        frame.sources = [Ref(r.actor, r.name, r.how, r.token, agent) for r in rs.place_of(subj[0], ctx)]
    return None


def weapon_launch_site(frame: Frame, ctx: Context) -> Drop | None:
    """ "Drones launched from Yemen struck ...": whoever holds the launch site fired the weapon."""
    subj = frame.subjects[:1]
    if frame.from_subject and not frame.sources and subj and rs.lemma(subj[0]) in WEAPONS:
        frame.sources = rs.launched_from(subj[0], ctx)
    return None


VERB_GATES = (response_by_other_act, toll_of_hostile_act, topic_of_worry)
VERB_SOURCES = (
    agentless_passive_cause,
    participle_modifier,
    passive_agent,
    held_thing_is_no_person,
    subject,
    unnamed_forces_of_the_place,
    weapon_launch_site,
)


# -- helpers ---------------------------------------------------------------------------------------
def _participle(tok) -> bool:
    return tok.dep_ == sx.AMOD and tok.tag_ == "VBN"


def _agent_refs(verb, ctx: Context) -> list:
    agent = sx.agent(verb)
    return ctx.mentions.resolve(agent) if agent is not None else []


def _gathering_parties(frame: Frame, ctx: Context) -> None:
    """A hosted gathering's participants, or a brokered accord's parties, are the passive's targets."""
    tok = frame.trigger
    if tok.dep_ == sx.ACL and rs.lemma(tok.head) in GATHERINGS:
        frame.target_phrases = rs.participants(tok.head)
        return
    phrases = frame.target_phrases
    if phrases and rs.lemma(phrases[0]) in GATHERINGS | ACCORDS:
        # "the agreement was brokered by the United States": its parties are the targets
        parties = rs.participants(phrases[0])
        if parties and any(p.dep_ == sx.POBJ and p.head.lower_ == "between" for p in parties):
            frame.target_phrases = parties
        else:
            found = ctx.discourse.last_two_parties(tok.sent.start, frame.source_codes())
            frame.preset_targets = [rs.Ref(r.actor, r.name, "event", r.token) for r in found]
