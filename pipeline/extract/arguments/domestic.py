"""Events with no named actor on one side, inside one state: the rules that run after the target rules.

"Five people were killed in Baghdad", "Bazoum has been held at his residence in Niamey", "gunmen killed
26 people": the place, the speaker's state or the victims' state supplies the missing side.
"""

from __future__ import annotations

from pipeline.extract import syntax as sx
from pipeline.extract.arguments import resolve as rs
from pipeline.extract.arguments.frame import Context, Drop, Frame
from pipeline.extract.language import words
from pipeline.extract.mentions import Ref

CROWD = words("people_nouns", "quantity_nouns")
AGENTLESS_SUBJECTS = words("state_agents", "people_nouns", "quantity_nouns")
HOME_AGENTS = words("policing_agents", "nonstate_agents")
HOME_TITLES = words("home_office_titles")


def agentless_domestic_scene(frame: Frame, ctx: Context) -> Drop | None:
    """ "Police detained 360 people across Russia", "thousands rallied outside parliament": with no actor
    on either side, unnamed victims (or a crowd) and the scene's state make a domestic event; not
    "five people were killed in Baghdad" (no one is named as acting)."""
    if frame.sources or frame.targets or not frame.entry.domestic:
        return None
    tok = frame.trigger
    place = rs.place_of(tok, ctx)
    subj = frame.subjects[0] if frame.subjects else None
    selfish = "self" in frame.flags
    if not place and selfish and subj is not None and rs.lemma(subj) in CROWD:
        place = rs.domestic_scene(
            tok, ctx
        )  # "... protesters in Tbilisi." "Thousands rallied": the same country
    victims = any(rs.unnamed_victims(t, False) for t in frame.target_phrases) or (
        selfish and subj is not None
    )
    agentless = subj is None or rs.lemma(subj) in AGENTLESS_SUBJECTS
    if frame.passive and frame.root.violent:
        agentless = False
    if not (place and victims and agentless):
        return None
    who = next((t for t in frame.target_phrases if rs.unnamed_victims(t, False)), subj)
    frame.sources = place
    frame.targets = [
        Ref(
            r.actor,
            who.text if who is not None else r.name,
            "coref",
            who.i if who is not None else -1,
            rs.sector(who) if who is not None else None,
        )
        for r in place
    ]
    return None


def detained_by_the_state(frame: Frame, ctx: Context) -> Drop | None:
    """ "Bazoum has been held at his residence in Niamey": detained by the authorities of the place;
    "Maduro said 1,200 people had been arrested": by the speaker's own state."""
    tok = frame.trigger
    if frame.sources or not frame.root.state_detains or not frame.passive or sx.agent(tok) is not None:
        return None
    place = rs.place_of(tok, ctx) or frame.targets[:1] or rs.speaker_of(tok, ctx)
    victims = frame.targets or [
        Ref(p.actor, t.text, "coref", t.i)
        for t in frame.target_phrases
        if rs.unnamed_victims(t, False)
        for p in place[:1]
    ]
    if place and victims:
        frame.sources = [Ref(place[0].actor, place[0].name, "coref", place[0].token)]
        frame.targets = victims
    return None


def unnamed_attackers(frame: Frame, ctx: Context) -> Drop | None:
    """ "Gunmen killed 26 people", "police arrested ...": unnamed attackers act where the victims are
    (not "troops": armies fight abroad)."""
    if frame.sources or not frame.targets or not frame.entry.domestic or not frame.subjects or frame.passive:
        return None
    s0 = frame.subjects[0]
    if rs.lemma(s0) in HOME_AGENTS:
        frame.sources = [Ref(frame.targets[0].actor, s0.text, "coref", s0.i)]
    return None


def officer_of_the_law_at_home(frame: Frame, ctx: Context) -> Drop | None:
    """ "Judge Ortiz opened an inquiry into 12 Peruvian officials", "a prosecutor charged three Kenyan
    ministers": an unknown judge or prosecutor acts for the state of the people a domestic act is aimed at."""
    if frame.sources or not frame.targets or not frame.entry.domestic or not frame.subjects or frame.passive:
        return None
    s0 = frame.subjects[0]
    titles = [s0, *(c for c in sx.kids(s0) if c.dep_ == sx.COMPOUND)]
    if any(rs.lemma(t) in HOME_TITLES for t in titles):
        frame.sources = [Ref(frame.targets[0].actor, s0.text, "coref", s0.i, "JUD")]
    return None


def passive_self_act(frame: Frame, ctx: Context) -> Drop | None:
    """ "2,000 rebels in Chad were demobilised", "the militia units were disbanded": a self-directed act
    in the passive with no agent is done by its subject to itself."""
    tok = frame.trigger
    if frame.sources or not frame.passive or "self" not in frame.flags or sx.agent(tok) is not None:
        return None
    done = frame.targets or [r for c in frame.subjects[:1] for r in ctx.mentions.resolve(c)]
    if done:
        frame.sources = list(done)
        frame.targets = [Ref(r.actor, r.name, r.how, -1) for r in done]
    return None


VERB_FALLBACKS = (
    agentless_domestic_scene,
    detained_by_the_state,
    unnamed_attackers,
    officer_of_the_law_at_home,
    passive_self_act,
)
