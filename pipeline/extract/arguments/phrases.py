"""Where a verb's target may be: the candidate phrases, best first, each kind found by a named finder.

Only for the active default (the subject acts): the passive and participle rules name their target
phrase themselves. A finder returns tokens to append; :func:`target_phrases` runs them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.extract import syntax as sx
from pipeline.extract.arguments import resolve as rs
from pipeline.extract.language import governors, ordered, words

TARGET_PREPS = ordered("target_preps")
NON_TARGET_PREPS = words("non_target_preps")
REQUEST_NOUNS = words("request_nouns")
WH_OBJECTS = words("wh_objects")
IF_MARKS = words("if_marks")
AID_NOUNS = words("aid_nouns")
COMPLEMENT_PREPS = words("complement_target_preps")
CURRENCIES = words("currency_nouns")
AUTHORED = words("authored_nouns")
OBJECT_DEPS = (sx.DOBJ, sx.DATIVE, sx.IOBJ, sx.ATTR)
#: "threatened to halt gas deliveries to X", "pledged to give up its EU rebate": the governed act's party
MODAL_GOVERNORS = governors("intent") | governors("threat") | governors("reject") | governors("drop")
#: "failed to agree with X": the governed act is dropped, so its party is the governing event's
DROP_GOVERNORS = governors("drop")
THREAT_GOVERNORS = governors("threat")
GOVERNED_PREPS = words("governed_act_preps")
PLAN_NOUNS = words("plan_nouns")
ACCORD_NOUNS = words("accord_nouns")
PERFORMER_OF = words("performer_of_nouns")


@dataclass(frozen=True)
class Around:
    """The verb's dependents a finder reads, collected once."""

    verb: object
    entry: object
    preps: list  # the verb's prepositions (and datives), also under particles and other prepositions
    inner: list  # prepositions one level lower: under a prepositional object or the direct object
    objects: list  # direct and indirect objects, attributes (none for ``notgt`` patterns)

    @classmethod
    def of(cls, verb, entry) -> Around:
        preps = sx.children(verb, sx.PREP, sx.DATIVE) + [
            g for c in sx.children(verb, sx.PRT) for g in sx.preps(c)
        ]
        preps += [g for c in sx.preps(verb) if c.lower_ not in NON_TARGET_PREPS for g in sx.preps(c)]
        # "was in contact with X", "expressed concern over X": the pattern's preposition may hang lower
        inner = [g for c in sx.preps(verb) for o in sx.pobjs(c) for g in sx.preps(o)]
        inner += [g for c in sx.children(verb, sx.DOBJ) for g in sx.preps(c)]
        objects = sx.children(verb, *OBJECT_DEPS) if "notgt" not in entry.flags else []
        return cls(verb, entry, preps, inner, objects)


Finder = Callable[[Around, list], list]


def requester(a: Around, found: list) -> list:
    """ "At Poland's request": the requester."""
    return [
        p
        for o in sx.prep_objects(a.verb, ("at",))
        if rs.lemma(o) in REQUEST_NOUNS
        for p in sx.children(o, sx.POSS)
    ]


def named_objects(a: Around, found: list) -> list:
    """ "Warned Iran of countermeasures": a named object first."""
    return [o for o in a.objects if o.pos_ == "PROPN" or any(c.pos_ == "PROPN" for c in sx.kids(o))]


def pattern_preposition(a: Around, found: list) -> list:
    """ "Called on Iran", "was in contact with Chile": the object of the pattern's own preposition."""
    prep = a.entry.prep
    return [g for p in a.preps + a.inner if prep and p.lower_ == prep for g in sx.pobjs(p)]


def other_objects(a: Around, found: list) -> list:
    """The remaining objects, in order."""
    return [o for o in a.objects if o not in found]


def object_agent(a: Around, found: list) -> list:
    """ "Condemned the attacks by Hamas", "welcomed a proposal by France", "is investigating crimes by
    local militias", "dismissed an appeal from the president": the agent of the act or the author of the
    text named as the object."""
    out = [g for o in a.objects for g in sx.prep_objects(o, ("by",))]
    out += [g for o in a.objects if rs.lemma(o) in AUTHORED for g in sx.prep_objects(o, ("from",))]
    return [g for g in out if g not in found]


def asked_act_performer(a: Around, found: list) -> list:
    """ "demanded a pullout of Russian soldiers from Georgia", "urged the exit of Chinese ships": what
    an appeal or demand asks for is done by its "of" phrase, who is asked (not the place left)."""
    root = a.entry.root
    if not (root.asks_for and root.clause_target):
        return []
    acts = [o for o in a.objects if rs.lemma(o) in PERFORMER_OF]
    return [g for o in acts for g in sx.prep_objects(o, ("of",)) if g not in found]


def shifted_object(a: Around, found: list) -> list:
    """ "Condemned as a grave mistake Chile's closure of the port": the object moved after a long "as"
    phrase, which the parser hangs on that phrase as an apposition."""
    return [x for o in sx.prep_objects(a.verb, ("as",)) for x in sx.children(o, sx.APPOS) if x not in found]


def target_prepositions(a: Around, found: list) -> list:
    """ "Fired at X", "signed with X": prepositions in their order of preference; "in"/"at" only where the
    root's target may be a place ("met in Busan" is a venue), "for" never for hostile roots ("fight for"),
    "from" never for violence (the launch site: "fired from the hills at the town")."""
    out: list = []
    root = a.entry.root
    preps = a.preps
    if root.violent:  # "fired rockets from the hills at the town": "from" is the launch site
        sites = [o for p in preps if p.lower_ == "from" for o in sx.pobjs(p)]
        preps = [p for p in preps if p.lower_ != "from"] + [g for o in sites for g in sx.preps(o)]
    for name in TARGET_PREPS:
        if name in ("in", "at") and not root.locative_target:
            continue
        if name == "for" and root.hostile:
            continue
        for p in preps:
            if p.lower_ == name and p.dep_ != sx.AGENT:
                out.extend(t for t in sx.pobjs(p) if t not in found and t not in out)
    return out


def cargo_destination(a: Around, found: list) -> list:
    """ "Sent aircraft loaded with food to Port Sudan": the parse hangs "to" under the cargo participle."""
    if not a.entry.root.material_aid:
        return []
    return [
        o
        for c in sx.children(a.verb, sx.DOBJ)
        for x in sx.children(c, sx.ACL)
        for o in sx.prep_objects(x, ("to",))
        if o not in found
    ]


def aid_recipient(a: Around, found: list) -> list:
    """ "Pledged 120 million pounds in aid for Sudan": the aid noun's "for" / "to" names the recipient."""
    if not a.entry.root.aid_recipient:
        return []
    return [
        o
        for p in a.inner
        if p.lower_ in ("for", "to") and rs.lemma(p.head) in AID_NOUNS
        for o in sx.pobjs(p)
        if o not in found
    ]


def mission_in_place(a: Around, found: list) -> list:
    """ "pledged 800 soldiers to a UN stabilisation force in Haiti", "sent medics to a UN mission in
    Mali": aid sent to a body stationed somewhere goes to that place."""
    if not a.entry.root.material_aid:
        return []
    bodies = [o for p in a.preps if p.lower_ == "to" for o in sx.pobjs(p)]
    return [g for b in bodies for g in sx.prep_objects(b, ("in",)) if g not in found]


def naming_clause(a: Around, found: list) -> list:
    """ "Condemned what she called Russia's violation": the named thing."""
    out = []
    for c in sx.children(a.verb, sx.CCOMP):
        if any(d.dep_ == sx.DOBJ and d.lower_ in WH_OBJECTS for d in sx.kids(c)):
            out.extend(sx.children(c, sx.OPRD, sx.ATTR, sx.XCOMP))
    return out


def clause_subject(a: Around, found: list) -> list:
    """ "Demanded that Brussels restore ...": the subject of the complement clause (appeals, demands,
    criticism, rejections, threats)."""
    if not a.entry.root.clause_target:
        return []
    clauses = sx.children(a.verb, sx.CCOMP, sx.XCOMP)
    return [x for c in clauses for x in sx.children(c, sx.NSUBJ, sx.NSUBJPASS) if x.pos_ != "PRON"]


def condition_subject(a: Around, found: list) -> list:
    """ "Warned that it would close its border if Russia used migrants": the threatened party is the
    condition's subject."""
    if not a.entry.root.threat_root:
        return []
    out = []
    for c in [a.verb, *sx.children(a.verb, sx.CCOMP, sx.XCOMP)]:
        for adv in sx.children(c, sx.ADVCL):
            if any(m.dep_ == sx.MARK and m.lower_ in IF_MARKS for m in sx.kids(adv)):
                out.extend(x for x in sx.children(adv, sx.NSUBJ) if x.pos_ != "PRON")
    return out


def complement_prepositions(a: Around, found: list) -> list:
    """ "Threatened to stop gas deliveries to its neighbour", "promised to spare Canadian wheat from
    tariffs": a threat or a pledge whose act is no trigger of its own is aimed at whom that act would reach (a
    pledge's also at the act's object)."""
    root = a.entry.root
    pledge = root.keeps_modality and not root.hostile
    if not root.threat_root and not pledge:
        return []
    out: list = []
    for c in sx.children(a.verb, sx.XCOMP):
        objects = sx.children(c, sx.DOBJ)
        heads = [c, *objects, *sx.children(c, sx.PRT)]
        # an infinitive's object ("promised to spare Canadian wheat"), not a gerund's ("proposed giving ...")
        infinitive = any(x.dep_ == sx.AUX and x.lower_ == "to" for x in sx.kids(c))
        out.extend(o for o in objects if pledge and infinitive and o not in found)
        out.extend(o for h in heads for o in sx.prep_objects(h, COMPLEMENT_PREPS) if o not in found)
    return out


def appeal_scene(a: Around, found: list) -> list:
    """ "Appealed for calm in Kenya", "called for restraint in Gaza": an appeal for a state of affairs
    somewhere is addressed to the place it names (the state is resolved as a place)."""
    root = a.entry.root
    if not root.clause_target or root.hostile:
        return []
    wanted = sx.prep_objects(a.verb, ("for",))
    scenes = [g for o in wanted for g in sx.prep_objects(o, ("in",))]
    if wanted:  # "appealed for calm in Kenya": the parser may hang the place on the verb, after the "for"
        scenes += [g for g in sx.prep_objects(a.verb, ("in",)) if g.i > wanted[0].i]
    return [g for g in scenes if g not in found]


def named_victims(a: Around, found: list) -> list:
    """ "Freed 24 hostages, including 13 Israelis": the named victims."""
    return [g for g in sx.prep_objects(a.verb, ("including",)) if g not in found]


def governed_act(a: Around, found: list) -> list:
    """ "Threatened to halt gas deliveries to Armenia", "pledged to waive duties on Thai rice": a governing
    verb that is itself an event (threat, pledge, refusal) has the party of the act it governs."""
    lemma = a.verb.lemma_.lower()
    if lemma not in MODAL_GOVERNORS or ("sym" in a.entry.flags and lemma not in DROP_GOVERNORS):
        return []  # "agreed to send aid to Somalia": Kenya's pledge, not a mutual agreement with Somalia
    from pipeline.extract.lexicon import Lexicon

    out: list = []
    # "warned that it would halt gas deliveries to Kyiv": a threat's clause too
    deps = (sx.XCOMP, sx.CCOMP) if lemma in THREAT_GOVERNORS else (sx.XCOMP,)
    clauses = sx.children(a.verb, *deps)
    for c in clauses:
        infinitive = c.dep_ == sx.CCOMP or any(x.dep_ == sx.AUX and x.lower_ == "to" for x in sx.kids(c))
        coded = lemma not in DROP_GOVERNORS and Lexicon.default().match_verb(c)
        if not infinitive or coded:
            continue  # "refused to meet China": the governed act is coded itself, under the modality
        inner = Around.of(c, a.entry)
        failed = lemma in DROP_GOVERNORS  # "failed to agree on X with Y": only the "with" party
        objects = [] if failed else [*named_objects(inner, found), *other_objects(inner, found)]
        # "to X", "against X"; "failed to resolve its dispute with the EU": the party of the object
        preps = [p for p in inner.preps if p.lower_ in GOVERNED_PREPS and p.dep_ != sx.AGENT]
        preps = [p for p in preps if p.lower_ == "with"] if failed else preps
        preps += [p for p in inner.inner if p.lower_ == "with"]
        for t in [*objects, *(g for p in preps for g in sx.pobjs(p))]:
            if t not in found and t not in out and _names_someone(t):
                out.append(t)
    return out


def intended_act(a: Around, found: list) -> list:
    """ "Expressed its readiness to send troops to Chad", "voiced the willingness to allow more Peruvian
    imports", "signed deals to sell wheat to Egypt": an intent or accord named by a noun has the party of
    the act its infinitive names. Only the pattern's own noun: a proposal turned down is someone else's."""
    out: list = []
    for o in a.objects:
        if rs.lemma(o) not in PLAN_NOUNS | ACCORD_NOUNS or rs.lemma(o) not in a.entry.pattern:
            continue
        for c in sx.children(o, sx.ACL):
            if not any(x.dep_ == sx.AUX and x.lower_ == "to" for x in sx.kids(c)):
                continue
            inner = Around.of(c, a.entry)
            preps = [g for p in inner.preps if p.lower_ in GOVERNED_PREPS for g in sx.pobjs(p)]
            for t in [*named_objects(inner, found), *other_objects(inner, found), *preps]:
                if t not in found and t not in out and _names_someone(t):
                    out.append(t)
    return out


def _names_someone(phrase) -> bool:
    """'Chinese goods', 'its EU rebate', 'Armenia': a phrase with a name in it ("tensions in the country"
    names no one: the governed act's phrases are a guess, so only named ones)."""
    return any(t.pos_ == "PROPN" or (t.pos_ == "ADJ" and t.text[:1].isupper()) for t in phrase.subtree)


FINDERS: tuple[Finder, ...] = (
    requester,
    named_objects,
    pattern_preposition,
    object_agent,
    asked_act_performer,
    other_objects,
    shifted_object,
    target_prepositions,
    cargo_destination,
    aid_recipient,
    mission_in_place,
    naming_clause,
    clause_subject,
    condition_subject,
    complement_prepositions,
    appeal_scene,
    named_victims,
    governed_act,
    intended_act,
)


def _amount_of(tok) -> list:
    """An amount names no party: "five billion US dollars" is no target; "30 million euros of aid for Chad"
    stands for the phrases hung on it."""
    if rs.lemma(tok) not in CURRENCIES:
        return [tok]
    return sx.prep_objects(tok, ("of", "in", "for", "to"))


def target_phrases(verb, entry) -> tuple[list, dict[int, str]]:
    """Candidate target phrases of a verb, best first (``object`` patterns: the direct object only), and
    for each phrase (by token index) the finder that proposed it first."""
    a = Around.of(verb, entry)
    if "object" in entry.flags:  # "received his Sudanese counterpart": only a received person is a party
        return a.objects, dict.fromkeys((o.i for o in a.objects), "direct_object_only")
    found: list = []
    by: dict[int, str] = {}
    for finder in FINDERS:
        new = [x for t in finder(a, found) for x in _amount_of(t)]
        for t in new:
            by.setdefault(t.i, finder.__name__)
        found.extend(new)
    return found, by
