"""Word lists the coder's rules consult (roots, prepositions, kinds of nouns), and the readings of
unnamed people: their sector (CAMEO agent code) and whether they are the victims of a domestic event.
"""

from __future__ import annotations

from pipeline.extract.mentions import AGENT_NOUNS
from pipeline.extract.syntax import _agent

#: Roots whose events may be domestic (source == target) when the text names both sides.
DOMESTIC_ROOTS = frozenset({"09", "14", "15", "17", "18", "19", "20"})
#: Prepositions that can introduce a verb's target, in order of preference.
TARGET_PREPS = (
    "along",
    "outside",
    "with",
    "to",
    "against",
    "on",
    "upon",
    "into",
    "at",
    "toward",
    "towards",
    "from",
    "for",
    "over",
    "in",
    "between",
)
#: Gatherings whose participants are the targets of the host ("talks hosted by Malaysia").
GATHERING_NOUNS = frozenset(
    "talk meeting summit ceremony conference negotiation consultation signing".split()
)
#: Things that do not act: a toll reported after an accident is not an event
INANIMATE = frozenset(
    "aircraft plane jet helicopter car bus train ship bomb storm quake earthquake flood fire "
    "crash accident explosion blast disease virus epidemic".split()
)
#: Verbs that only carry an event noun ("held talks", "had a conversation", "carried out strikes")
LIGHT_VERBS = frozenset(
    "hold have conduct carry stage make pay launch begin start open resume continue mount wage "
    "undertake perform order announce".split()
)
#: Agreements: "the deal was brokered by X" makes X a mediator between the deal's parties
ACCORD_NOUNS = frozenset("agreement deal treaty accord ceasefire truce pact".split())
#: Possessions whose owner a hostile act hits ("stormed its embassy", "breached its network").
PREMISES_NOUNS = frozenset(
    "embassy consulate mission network system server ship vessel tanker aircraft plane facility "
    "platform base installation port airport refinery pipeline outpost".split()
)
#: Prepositions through which an object phrase points at the party it concerns.
LOCATIVE_PREPS = frozenset(
    "in across inside near along of with to against on toward towards into at for between over about "
    "including".split()
)
#: Venue prepositions: not a party to a non-military event ("signed an agreement in Washington").
VENUE_PREPS = frozenset({"in", "at", "inside", "near", "across", "along"})
#: Force and violence (15-20): a named city or territory hit stands for its country ("shelling of Rafah").
PLACE_TARGET_ROOTS = frozenset({"15", "17", "18", "19", "20"})
#: Roots whose target may be the subject of a complement clause ("demanded that Brussels restore ...").
CLAUSE_TARGET_ROOTS = frozenset({"02", "10", "11", "12", "13"})
#: Prepositions introducing a nominal event's target ("invasion of", "strikes on", "talks with").
NOMINAL_PREPS = frozenset("of on against into in to with toward towards at".split())
#: Subjects that stand for a state's own apparatus: with no actor of their own, they take the target's.
STATE_AGENTS = frozenset(
    "police authority force troop security government army soldier official regime".split()
)
#: Unnamed agents who act at home ("police detained", "authorities arrested")
POLICING_AGENTS = frozenset("police authority security government official regime".split())
#: Officials: their protests are diplomatic (114), not street protests
OFFICIAL_NOUNS = frozenset(
    "official minister ministry president government spokesman spokeswoman diplomat".split()
)
#: Unnamed armed actors: in a domestic event they take the place's actor.
NONSTATE_AGENTS = frozenset("gunman militant attacker fighter rebel insurgent assailant bomber".split())
#: Unnamed people as targets of repression or violence: the event is domestic.
PEOPLE_NOUNS = frozenset(
    "protester demonstrator civilian people opposition activist journalist man woman child boy girl "
    "resident citizen dissident critic supporter prisoner tourist worker student minority villager "
    "muslim crowd".split()
)
#: Unnamed places: violence there by a state's own forces is domestic ("dropped sarin on the town of ...").
PLACE_NOUNS = frozenset("town city village area region province district enclave neighbourhood camp".split())
#: "Thousands of opposition supporters", "hundreds of people"
QUANTITY_NOUNS = frozenset("hundred thousand dozen million score number crowd majority handful".split())
#: Definite nouns that refer back to an earlier event ("welcomed the move", "denounced the uprising").
REFERENCE_NOUNS = frozenset(
    "move decision announcement vote step plan proposal resolution statement uprising mutiny rebellion "
    "declaration measure action demand request order ruling policy decree".split()
)


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
