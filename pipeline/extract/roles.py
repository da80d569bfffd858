"""Word lists the coder's rules consult (roots, prepositions, kinds of nouns), and the readings of
unnamed people: their sector (CAMEO agent code) and whether they are the victims of a domestic event.
"""

from __future__ import annotations

from pipeline.extract.language import ordered, words
from pipeline.extract.mentions import AGENT_NOUNS
from pipeline.extract.syntax import _agent

#: Prepositions that can introduce a verb's target, in order of preference.
TARGET_PREPS = ordered("target_preps")
#: Gatherings whose participants are the targets of the host ("talks hosted by Malaysia").
GATHERING_NOUNS = words("gathering_nouns")
#: Things that do not act: a toll reported after an accident is not an event
INANIMATE = words("inanimate_nouns")
#: Verbs that only carry an event noun ("held talks", "had a conversation", "carried out strikes")
LIGHT_VERBS = words("light_verbs")
#: Agreements: "the deal was brokered by X" makes X a mediator between the deal's parties
ACCORD_NOUNS = words("accord_nouns")
#: Possessions whose owner a hostile act hits ("stormed its embassy", "breached its network").
PREMISES_NOUNS = words("premises_nouns")
#: Prepositions through which an object phrase points at the party it concerns.
LOCATIVE_PREPS = words("locative_preps")
#: Venue prepositions: not a party to a non-military event ("signed an agreement in Washington").
VENUE_PREPS = words("venue_preps")
#: Prepositions introducing a nominal event's target ("invasion of", "strikes on", "talks with").
NOMINAL_PREPS = words("nominal_preps")
#: Subjects that stand for a state's own apparatus: with no actor of their own, they take the target's.
STATE_AGENTS = words("state_agents")
#: Unnamed agents who act at home ("police detained", "authorities arrested")
POLICING_AGENTS = words("policing_agents")
#: Officials: their protests are diplomatic (114), not street protests
OFFICIAL_NOUNS = words("official_nouns")
#: Unnamed armed actors: in a domestic event they take the place's actor.
NONSTATE_AGENTS = words("nonstate_agents")
#: Unnamed people as targets of repression or violence: the event is domestic.
PEOPLE_NOUNS = words("people_nouns")
#: Unnamed places: violence there by a state's own forces is domestic ("dropped sarin on the town of ...").
PLACE_NOUNS = words("place_nouns")
#: "Thousands of opposition supporters", "hundreds of people"
QUANTITY_NOUNS = words("quantity_nouns")
#: Definite nouns that refer back to an earlier event ("welcomed the move", "denounced the uprising").
REFERENCE_NOUNS = words("reference_nouns")


def _agent_refs(verb, mentions) -> list:
    agent = _agent(verb)
    return mentions.resolve(agent) if agent is not None else []


def _sector(tok) -> str | None:
    """CAMEO agent code a people phrase names ("hundreds of protesters" -> OPP)."""
    lemma = tok.lemma_.lower()
    if lemma in QUANTITY_NOUNS or tok.pos_ == "NUM":
        for c in tok.children:
            if c.lower_ == "of":
                for g in c.children:
                    return _sector(g)
    return AGENT_NOUNS.get(lemma)


def _unnamed_victims(tok, places: bool) -> bool:
    """Unnamed people ("protesters", "hundreds of people") or, for violence, an unnamed place (a town)."""
    lemma = tok.lemma_.lower()
    if lemma in QUANTITY_NOUNS or tok.pos_ == "NUM":
        return any(_unnamed_victims(g, places) for c in tok.children if c.lower_ == "of" for g in c.children)
    return lemma in PEOPLE_NOUNS or (places and lemma in PLACE_NOUNS) or lemma in ("suspect", "militant")
