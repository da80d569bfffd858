"""Resolution helpers the argument rules share: phrases to actors, through places, owners and earlier events.

None of these decides which phrase is a source or a target (the rule tables do); they say which actors a
phrase stands for when it is one ("strikes on sites in Pakistan" -> PAK, "the move" -> whoever made it).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract import syntax as sx
from pipeline.extract.arguments.frame import Context
from pipeline.extract.language import governors, sectors, words
from pipeline.extract.mentions import PERSON_NOUNS, Ref
from pipeline.extract.places import place_refs

PREMISES = words("premises_nouns")
LOCATIVE_PREPS = words("locative_preps")
VENUE_PREPS = words("venue_preps")
REFERENCE_NOUNS = words("reference_nouns")
DEFINITE = words("definite_dets")
PEOPLE = words("people_nouns")
QUANTITY = words("quantity_nouns")
STATE_AGENTS = words("state_agents")
NONSTATE_AGENTS = words("nonstate_agents")
PERSON_LIKE = words("person_like_nouns") | PEOPLE | QUANTITY | PERSON_NOUNS | STATE_AGENTS | NONSTATE_AGENTS
PARTY_NOUNS = words("party_nouns")
SCENE_PREPS = words("scene_preps")
CAUSE_PREPS = words("cause_preps")
PARTICIPANT_PREPS = words("participant_preps")
LAUNCH_VERBS = words("launch_verbs")
WORRY_PREPS = words("worry_preps")
WORRY_WORDS = words("worry_words")
WORRY_LEMMAS = words("worry_lemmas")
VICTIMS = words("victim_nouns")
PLACES = words("place_nouns")
SAY_VERBS = governors("say")
AGENT_NOUNS = sectors()


def lemma(tok) -> str:
    return tok.lemma_.lower()


def as_coref(refs: list[Ref]) -> list[Ref]:
    return [Ref(r.actor, r.name, "coref", r.token) for r in refs]


# -- phrases to actors -----------------------------------------------------------------------------
def resolve_target(
    tok, ctx: Context, exclude: set[str], depth: int = 0, military: bool = True, places: bool = False,
    trigger: int = -1,
) -> list[Ref]:  # fmt: skip
    """An object phrase's actors; else the place or party it is about, through prepositions
    ("strikes on sites in Pakistan", "violence against civilians in Myanmar", "a halt to the attacks").

    ``places``: a named city or territory stands for its country ("drones struck Odesa"); only for force
    and violence, where the place is what is hit, never a venue ("talks in Doha"). ``military``: a venue
    inside the phrase may name the party ("lift its measures in Congo")."""
    m = ctx.mentions
    own = places and depth == 0 and lemma(tok) in PREMISES  # "stormed its embassy": its owner is hit
    refs = m.resolve(tok, exclude, own=own)
    if places and (not refs or (not own and all(r.how == "coref" for r in refs))):
        # "attacked police stations in Port-au-Prince": the named place beats a generic "police"
        named = place_refs(tok, m.by_token, on=m.on) or [
            r
            for g in sx.prep_objects(tok, ("in",))
            for r in (m.resolve(g, exclude) or place_refs(g, m.by_token, on=m.on))
        ]
        refs = named or refs
    if not refs and depth > 0:
        refs = event_referent(tok, ctx, exclude)
    if refs or depth >= 3:
        return refs
    for c in sx.kids(tok):
        refs = _through(c, tok, ctx, exclude, depth, military, places, trigger)
        if refs:
            return refs
    return []


def _through(
    c, tok, ctx: Context, exclude, depth: int, military: bool, places: bool, trigger: int
) -> list[Ref]:
    """The actors a phrase names through one of its dependents (a preposition, an agent, an apposition)."""
    deeper = depth + 1
    if c.dep_ == sx.PREP and c.lower_ in LOCATIVE_PREPS:
        objs = sx.pobjs(c)
        if depth == 0 and not military and c.lower_ in VENUE_PREPS:
            if any(g.pos_ == "PROPN" or g.i in ctx.mentions.by_token for g in objs):
                return []  # "an agreement in Washington"; but "500 million euros in aid to Sudan"
        for g in objs:
            refs = resolve_target(g, ctx, exclude, deeper, military, places)
            if refs:
                return refs
        return []
    if c.dep_ == sx.ACL and sx.agent(c) is not None and depth == 0 and c.i != trigger:
        # "proposals announced by X"; not "a truce brokered by X": X is the broker, not a party
        return resolve_target(sx.agent(c), ctx, exclude, deeper, military, places)
    if c.dep_ == sx.APPOS or (c.dep_ in (sx.PCOMP, sx.DOBJ, sx.OPRD) and tok.pos_ in ("VERB", "ADP")):
        return resolve_target(
            c, ctx, exclude, deeper, military, places
        )  # "concern over what they called ..."
    return []


def _excluding(refs: list[Ref], exclude: set[str]) -> list[Ref]:
    return [r for r in refs if r.actor.code not in exclude]


def _owner(t, ctx: Context, exclude: set[str]) -> list[Ref]:
    """Who an earlier mention of a thing belongs to: "a map published by China", "China's new map"."""
    m = ctx.mentions
    for c in sx.kids(t):
        if c.dep_ == sx.ACL and sx.agent(c) is not None:
            refs = _excluding(m.resolve(sx.agent(c)), exclude)
            if refs:
                return refs
        if c.dep_ in (sx.POSS, sx.AMOD, sx.COMPOUND) and c.i < t.i:
            refs = _excluding(m.resolve(c), exclude)
            if refs:
                return refs
    if t.dep_ == sx.DOBJ:  # "the Assembly adopted a resolution" ... "the resolution"
        refs = [r for x in sx.subjects(t.head)[:1] for r in m.resolve(x) if r.actor.code not in exclude]
        if refs:
            return refs
    if lemma(t) not in REFERENCE_NOUNS:  # "the plant" <- "the plant in southern Ukraine"
        return _excluding(resolve_target(t, ctx, exclude), exclude)
    return []


def event_referent(tok, ctx: Context, exclude: set[str]) -> list[Ref]:
    """'the move', 'the attack', 'the map': the actor behind an earlier event or thing."""
    if tok.pos_ != "NOUN" or not any(c.dep_ == sx.DET and c.lower_ in DEFINITE for c in sx.kids(tok)):
        return []
    lem, start = lemma(tok), tok.sent.start
    for t in reversed(tok.doc[max(0, start - 400) : start]):  # the same noun earlier, its owner named
        if lemma(t) == lem and t.pos_ == "NOUN":
            refs = _owner(t, ctx, exclude)
            if refs:
                return [Ref(r.actor, f"{tok.text} ({r.name})", "coref", tok.i) for r in refs]
    refs = _earlier_event(tok, lem, start, ctx, exclude)
    return [Ref(r.actor, f"{tok.text} ({r.name})", "event", tok.i) for r in refs]


def _earlier_event(tok, lem: str, start: int, ctx: Context, exclude: set[str]) -> list[Ref]:
    """The sources of an earlier event with this trigger, of this root, or (a reference noun) the lead one."""
    rec = ctx.discourse.by_trigger(lem, start)
    if rec is not None:
        return _excluding(list(rec.sources), exclude)
    noun = ctx.lexicon.match_noun(tok)
    if noun:  # "stormed the embassy" ... "the raid"; "accused China" ... "the accusations"
        for rec in ctx.discourse.with_root(noun[0].entry.root.root, start, ctx.lexicon.roots):
            refs = _excluding(list(rec.sources), exclude)
            if refs and len(refs) == len(rec.sources):  # not an act the source itself took part in
                return refs
    if lem in REFERENCE_NOUNS:  # "the move", "the decision": in wire copy, the story's lead event
        return ctx.discourse.first_actors(start, exclude)
    return []


def place_of(verb, ctx: Context) -> list[Ref]:
    """The state where something happened: "in Caracas", "across Russia", "on his return to Russia"."""
    for g in sx.prep_objects(verb, SCENE_PREPS):
        refs = ctx.mentions.resolve(g) or resolve_target(g, ctx, set(), 1, places=True)
        if refs and not any(r.actor.code.startswith("IGO") for r in refs):
            return as_coref(refs[:1])
    return []


def speaker_of(verb, ctx: Context) -> list[Ref]:
    """Who reports this clause: the subject of the saying verb it is the complement of."""
    t = verb
    for _ in range(4):
        if t.dep_ == sx.CCOMP and lemma(t.head) in SAY_VERBS:
            subj = sx.child(t.head, sx.NSUBJ)
            return ctx.mentions.resolve(subj) if subj is not None else []
        if t.head.i == t.i:
            break
        t = t.head
    return []


def launched_from(weapon, ctx: Context) -> list[Ref]:
    """'drones launched from Yemen', 'rockets fired from Gaza': whoever holds the launch site."""
    holders = list(sx.kids(weapon))
    if lemma(weapon.head) in LAUNCH_VERBS and weapon.dep_ == sx.NSUBJ:
        holders.append(weapon.head)  # the parser makes "launched" the main verb
    m = ctx.mentions
    for c in holders:
        for p in [c, *sx.preps(c)] if c.dep_ == sx.ACL or c.i == weapon.head.i else [c]:
            if p.dep_ != sx.PREP or p.lower_ != "from":
                continue
            for g in sx.pobjs(p):
                refs = m.resolve(g) or place_refs(g, m.by_token, on=m.on)
                if refs:
                    return [Ref(r.actor, f"{weapon.text} ({r.name})", "coref", r.token) for r in refs]
    return []


def cause_of(verb, ctx: Context) -> list[Ref]:
    """Agent of an agentless passive, from the event noun it happened in or by ("killed in an
    Israeli air strike", "killed by a bomb ..., in an attack claimed by Ukraine's security service")."""
    for c in sx.kids(verb):
        if c.dep_ not in (sx.PREP, sx.AGENT) or c.lower_ not in CAUSE_PREPS:
            continue
        for g in sx.pobjs(c):
            if g.pos_ == "NOUN" and ctx.lexicon.match_noun(g):
                refs = _agent_of_noun(g, ctx)
                if refs:
                    return refs
    return []


def _agent_of_noun(g, ctx: Context) -> list[Ref]:
    m = ctx.mentions
    for c in sx.kids(g):
        if c.dep_ == sx.COMPOUND and c.i not in m.by_token:
            continue  # "the Kenya embassy bombing": a place, not the bomber
        if c.dep_ in (sx.POSS, sx.AMOD, sx.COMPOUND) and c.i < g.i:
            refs = m.resolve(c)
            if refs:
                return refs
        if c.dep_ == sx.ACL and sx.agent(c) is not None:
            refs = m.resolve(sx.agent(c))
            if refs:
                return refs
    return []


def participants(noun) -> list:
    """Who took part in 'talks hosted by X': 'between A and B', else the clause's subject."""
    out = sx.prep_objects(noun, PARTICIPANT_PREPS)
    t = noun
    for _ in range(4):
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            out.extend(sx.children(t, sx.NSUBJ, sx.NSUBJPASS))
            break
        if t.head.i == t.i:
            break
    return out


def domestic_scene(tok, ctx: Context) -> list[Ref]:
    """The country of the last domestic event in this or the previous sentence of the same paragraph
    (news digests put a new story in each paragraph)."""
    doc = tok.doc
    first = tok.sent.start
    if first > 0:
        first = doc[first - 1].sent.start
    ref = ctx.discourse.last_domestic_actor(first, tok.i, lambda i: "\n" not in doc[i : tok.i].text)
    return [Ref(ref.actor, ref.name, "coref", ref.token)] if ref is not None else []


# -- kinds of phrases ------------------------------------------------------------------------------
def person_like(tok, ctx: Context) -> bool:
    return tok.pos_ in ("PROPN", "PRON") or tok.i in ctx.mentions.by_token or lemma(tok) in PERSON_LIKE


def party_like(tok, ctx: Context) -> bool:
    """A phrase that names some party, even one no actor resolves ("other European states")."""
    return person_like(tok, ctx) or lemma(tok) in PARTY_NOUNS


def sector(tok) -> str | None:
    """CAMEO agent code a people phrase names ("hundreds of protesters" -> OPP)."""
    lem = lemma(tok)
    if lem in QUANTITY or tok.pos_ == "NUM":
        for c in sx.kids(tok):
            if c.lower_ == "of":
                for g in sx.kids(c):
                    return sector(g)
    return AGENT_NOUNS.get(lem)


def unnamed_victims(tok, places: bool) -> bool:
    """Unnamed people ("protesters", "hundreds of people") or, for violence, an unnamed place (a town)."""
    lem = lemma(tok)
    if lem in QUANTITY or tok.pos_ == "NUM":
        return any(unnamed_victims(g, places) for c in sx.kids(tok) if c.lower_ == "of" for g in sx.kids(c))
    if lem in PEOPLE or (places and lem in PLACES) or lem in VICTIMS:
        return True
    # "two student leaders", "opposition activists": a people noun as modifier makes the head people
    return tok.pos_ == "NOUN" and any(c.dep_ == sx.COMPOUND and lemma(c) in PEOPLE for c in sx.kids(tok))


def coordinated(verb) -> bool:
    """The verb, or the saying verb it is reported under, is the second of two coordinated clauses."""
    t = verb
    for _ in range(3):
        if t.dep_ == sx.CONJ:
            return True
        if t.dep_ not in sx.COMPLEMENTS or t.head.i == t.i:
            return False
        t = t.head
    return False


@lru_cache(maxsize=1)
def _drafted() -> re.Pattern:
    return re.compile(rf"^(.+?)-(?:{'|'.join(sorted(words('authoring_participles')))})$", re.I)


def drafters(verb, ctx: Context, exclude: set[str]) -> list[Ref]:
    """The author named in a rejected text's 'X-drafted' modifier: the party the rejection hits."""
    m = ctx.mentions
    out: list[Ref] = []
    for obj in sx.children(verb, sx.DOBJ):
        for mod in sx.kids(obj):
            hit = _drafted().match(mod.text) if mod.dep_ in (sx.AMOD, sx.COMPOUND, sx.NPADVMOD) else None
            actor = m.registry.lookup(hit.group(1), on=m.on) if hit else None
            if actor is not None and actor.code not in exclude and actor.kind != "person":
                out.append(Ref(actor, hit.group(1), "author", mod.i))
    return out


def worry_topic(tok) -> bool:
    """'Washington was worried about deepening ties': the gerund has no actor of its own."""
    if tok.dep_ != sx.PCOMP or tok.head.lower_ not in WORRY_PREPS:
        return False
    return tok.head.head.lower_ in WORRY_WORDS or lemma(tok.head.head) in WORRY_LEMMAS
