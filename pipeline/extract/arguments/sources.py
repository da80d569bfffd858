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
from pipeline.extract.modality import Modality

RESPONSE_VERBS = words("response_verbs")
GATHERINGS = words("gathering_nouns")
ACCORDS = words("accord_nouns")
UNNAMED_AGENTS = words("policing_agents", "state_agents", "nonstate_agents")
WEAPONS = words("weapon_nouns")
SAY_VERBS = governors("say")
SCENE_MARKS = words("scene_marks")
VEHICLES = words("vehicle_nouns")
LAUNCH_VERBS = words("launch_verbs")
ARRIVAL_VERBS = words("arrival_verbs")
HOST_PREPS = words("event_host_preps")
PLANTED = words("planted_weapon_nouns")
ARMED = words("military_subjects", "vehicle_nouns", "weapon_nouns")


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


def harm_in_host_attack(frame: Frame, ctx: Context) -> Drop | None:
    """ "jets killed 30 villagers during a raid near the town", "troops wounded five men during clashes": harm
    that armed forces do in a named hostile act of another root is that act (a killing in a military
    attack is fighting), with the clause's sides."""
    subj = sx.children(frame.trigger, sx.NSUBJ)
    if frame.sources or frame.target_phrases or not frame.root.harms:
        return None
    if not subj or rs.lemma(subj[0]) not in ARMED:  # not "killed by a bomb in an attack": an assassination
        return None
    for g in sx.prep_objects(frame.trigger, tuple(HOST_PREPS)):
        m = ctx.lexicon.match_noun(g) if g.pos_ == "NOUN" else []
        if m and m[0].entry.root.harms and m[0].entry.root != frame.root:
            frame.sources = ctx.mentions.resolve(subj[0])
            if frame.sources:
                frame.entry = m[0].entry
                frame.from_subject = True
            return None
    return None


def headline_infinitive(frame: Frame, ctx: Context) -> Drop | None:
    """ "Putin to visit China next week", "Iran to free British sailors": a headline whose main verb is a
    bare infinitive announces a plan, not an act."""
    tok = frame.trigger
    if frame.modality.status != "fact" or tok.dep_ != sx.ROOT or not is_headline(tok.sent):
        return None
    if sx.has_child(tok, sx.NSUBJ) and any(a.dep_ == sx.AUX and a.lower_ == "to" for a in sx.kids(tok)):
        frame.modality = Modality("intent", "headline 'to' (headline_infinitive)")
    return None


def vehicle_arrival(frame: Frame, ctx: Context) -> Drop | None:
    """ "Three cargo planes arrived in Chad", "the freighter arrived in Lagos": a vehicle's or a
    shipment's arrival is no visit (the people it brings, or what it delivers, are coded on their own)."""
    if frame.lemma not in ARRIVAL_VERBS or not frame.root.consult:
        return None
    subj = frame.subjects[:1]
    if subj and rs.lemma(subj[0]) in VEHICLES:
        return Drop(f"the arrival of a vehicle ('{subj[0].text}'), not a visit")
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


def planted_weapon_of_the_place(frame: Frame, ctx: Context) -> Drop | None:
    """ "Three soldiers were killed by a roadside bomb in Iraq", "a judge was murdered by a car bomb near
    Kabul": harm done in the passive by a hidden explosive, with no actor named, was done by unnamed
    attackers of the place where it happened; the passive's subject is the target."""
    tok = frame.trigger
    if frame.sources or not frame.passive or not frame.root.harms or _agent_refs(tok, ctx):
        return None
    held = [sx.agent(tok), *sx.prep_objects(tok, tuple(HOST_PREPS))]  # "murdered in a bomb blast"
    agent = next((w for w in held if w is not None and _planted(w)), None)
    if agent is None:
        return None
    place = rs.place_of(tok, ctx) or rs.place_of(agent, ctx) or _near_place(tok, agent, ctx)
    if place:
        frame.sources = [Ref(r.actor, agent.text, "coref", agent.i) for r in place[:1]]
        frame.target_phrases = frame.subjects[:1]
        victims = [s for s in frame.subjects[:1] if _victim_like(s, ctx) and not ctx.mentions.resolve(s)]
        frame.preset_targets = [Ref(r.actor, v.text, "coref", v.i) for r in place[:1] for v in victims]
    return None


def agent_in_adverbial_clause(frame: Frame, ctx: Context) -> Drop | None:
    """ "Two herders died, shot when soldiers stormed the hamlet", "three guards were wounded as
    rebels attacked the base": an agentless passive whose clause of time names a hostile act has that act's
    subject as its agent; the passive's subject is the target."""
    tok = frame.trigger
    if frame.sources or not frame.passive or not frame.root.harms or _agent_refs(tok, ctx):
        return None
    for c in sx.children(tok, sx.ADVCL):
        if not any(m.dep_ in (sx.MARK, sx.ADVMOD) and m.lower_ in SCENE_MARKS for m in sx.kids(c)):
            continue
        m = ctx.lexicon.match_verb(c) if c.pos_ == "VERB" else []
        if not m or not m[0].entry.root.hostile or sx.is_passive(c):
            continue
        for s in sx.children(c, sx.NSUBJ):
            frame.sources = ctx.mentions.resolve(s)
            if frame.sources:
                frame.target_phrases = frame.subjects[:1]
                return None
    return None


def clash_partner(frame: Frame, ctx: Context) -> Drop | None:
    """ "Six guards were shot in clashes with smugglers", "five policemen were hurt in fighting with
    militants": the other side of the fighting the passive happened in is its agent."""
    tok = frame.trigger
    if frame.sources or not frame.passive or not frame.root.harms or _agent_refs(tok, ctx):
        return None
    for g in sx.prep_objects(tok, ("in", "during")):
        m = ctx.lexicon.match_noun(g) if g.pos_ == "NOUN" else []
        if not m or not {"mutual", "sym"} & m[0].entry.flags:
            continue
        for w in sx.prep_objects(g, ("with",)):
            frame.sources = ctx.mentions.resolve(w)
            if frame.sources:
                frame.target_phrases = frame.subjects[:1]
                return None
    return None


def participle_modifier(frame: Frame, ctx: Context) -> Drop | None:
    """ "Russian-occupied Ukraine", "Saudi-led talks": the participle's modifier acts on the noun."""
    tok = frame.trigger
    if frame.sources or not _participle(tok):
        return None
    deps = (sx.NPADVMOD, sx.AMOD, sx.COMPOUND, sx.NMOD)
    frame.sources = [r for c in sx.kids(tok) if c.dep_ in deps for r in ctx.mentions.resolve(c)]
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


def listed_subjects(frame: Frame, ctx: Context) -> Drop | None:
    """ "Egypt's trade minister, Jordan's finance minister and Iraq's oil minister signed": the parser hangs
    the middle items of a list of subjects as appositions; in a headline ("Russia, China sign energy deal")
    a comma alone joins them and the first may hang on the verb. Every listed actor is a source."""
    if not frame.from_subject or not frame.sources or not frame.subjects:
        return None
    subj = frame.subjects[0]
    headline = is_headline(frame.trigger.sent)
    items = [
        a
        for a in sx.children(subj, sx.APPOS)
        if sx.has_child(subj, sx.CONJ) or sx.has_child(a, sx.CONJ) or (headline and a.pos_ == "PROPN")
    ]
    if subj.head.i == frame.trigger.i:  # "Kenya, Uganda agree": two subjects of one verb
        items += [c for c in sx.children(frame.trigger, sx.NSUBJ) if c.i != subj.i]
    if headline and subj.head.i == frame.trigger.i:
        before = sx.children(frame.trigger, sx.NPADVMOD, sx.DEP)
        items += [c for c in before if c.i < subj.i and c.pos_ == "PROPN"]
    codes = frame.source_codes()
    for item in items:
        for r in ctx.mentions.resolve(item):
            if r.actor.code not in codes:
                frame.sources.append(r)
                codes.add(r.actor.code)
                frame.source_rule = listed_subjects.__name__
    return None


def headline_nominal(frame: Frame, ctx: Context) -> Drop | None:
    """ "Putin visit to China", "Israeli raid on Jenin camp": a headline with no finite verb, whose event
    noun the tagger took for a verb; the actor named before it (a compound or modifier) acts."""
    tok = frame.trigger
    if not frame.from_subject or frame.sources or tok.tag_ not in NOMINAL_TAGS or not is_headline(tok.sent):
        return None
    if sx.has_child(tok, sx.NSUBJ, sx.NSUBJPASS, sx.AUX, sx.AUXPASS):
        return None
    for c in sx.kids(tok):
        if c.dep_ in sx.NAME_MODIFIERS and c.i < tok.i:
            frame.sources = ctx.mentions.resolve(c)
            if frame.sources:
                return None
    return None


def unnamed_forces_of_the_place(frame: Frame, ctx: Context) -> Drop | None:
    """ "Police in Tbilisi detained ...", "militants in Gaza fired ...": unnamed state or armed agents act
    for the place where they are."""
    subj = frame.subjects[:1]
    if frame.from_subject and not frame.sources and subj and rs.lemma(subj[0]) in UNNAMED_AGENTS:
        agent = rs.sector(subj[0])  # "rebels in X" stay rebels: with X's government a domestic event
        frame.sources = [Ref(r.actor, r.name, r.how, r.token, agent) for r in rs.place_of(subj[0], ctx)]
    return None


def launched_from_held_place(frame: Frame, ctx: Context) -> Drop | None:
    """ "Militants fired three rockets from the hills at the town", "gunmen shot from across the river":
    unnamed fighters who launch from a place act for whoever holds it."""
    subj = frame.subjects[:1]
    if not frame.from_subject or frame.sources or frame.lemma not in LAUNCH_VERBS:
        return None
    if subj and rs.lemma(subj[0]) not in UNNAMED_AGENTS:
        return None
    m = ctx.mentions
    for g in sx.prep_objects(frame.trigger, ("from",)):
        refs = m.resolve(g) or rs.place_refs(g, m.by_token)
        if refs:
            frame.sources = [rs.Ref(r.actor, r.name, "coref", r.token) for r in refs]
            return None
    return None


def weapon_launch_site(frame: Frame, ctx: Context) -> Drop | None:
    """ "Drones launched from Yemen struck ...": whoever holds the launch site fired the weapon."""
    subj = frame.subjects[:1]
    if frame.from_subject and not frame.sources and subj and rs.lemma(subj[0]) in WEAPONS:
        frame.sources = rs.launched_from(subj[0], ctx)
    return None


VERB_GATES = (
    response_by_other_act,
    toll_of_hostile_act,
    topic_of_worry,
    vehicle_arrival,
    headline_infinitive,
)
VERB_SOURCES = (
    agentless_passive_cause,
    planted_weapon_of_the_place,
    agent_in_adverbial_clause,
    clash_partner,
    participle_modifier,
    passive_agent,
    held_thing_is_no_person,
    harm_in_host_attack,
    subject,
    listed_subjects,
    headline_nominal,
    unnamed_forces_of_the_place,
    launched_from_held_place,
    weapon_launch_site,
)


# -- helpers ---------------------------------------------------------------------------------------
#: Tags of a headline's event word that the tagger took for a verb ("Putin visit to China")
NOMINAL_TAGS = frozenset({"VB", "VBP", "NN", "NNP"})


def _planted(w) -> bool:
    """ "a roadside bomb", "a parked car bomb": the phrase names a hidden explosive."""
    return rs.lemma(w) in PLANTED or any(c.dep_ == sx.COMPOUND and rs.lemma(c) in PLANTED for c in sx.kids(w))


def _victim_like(s, ctx: Context) -> bool:
    return rs.person_like(s, ctx) or rs.lemma(s) in rs.PEOPLE


def _near_place(tok, agent, ctx: Context) -> list[Ref]:
    """ "near the town of Kismayo", "outside of the city of Basra": a place named by any other preposition."""
    preps = [p for t in (tok, agent) for p in sx.preps(t)]
    objs = [g for p in preps for g in [*sx.pobjs(p), *sx.prep_objects(p, ("of",))]]
    for g in objs:
        refs = rs.resolve_target(g, ctx, set(), 1, places=True)
        if refs and not any(r.actor.code.startswith("IGO") for r in refs):
            return rs.as_coref(refs[:1])
    return []


def is_headline(sent) -> bool:
    """A headline: a line that does not end in sentence punctuation ("Russia, China sign energy deal")."""
    if len(sent) > 20:  # cheap: most sentences are long
        return False
    toks = [t for t in sent if not t.is_space]
    return bool(toks) and toks[-1].pos_ != "PUNCT" and len(toks) <= 14
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
