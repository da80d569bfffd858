"""The event coder: parsed sentences -> CAMEO events "who did what to whom, when".

For each sentence: find triggers (lexicon verbs and nouns), decide their modality (fact, intent,
threat, refusal, or nothing), take source and target from the dependency parse (subjects,
objects, prepositional targets, passive agents, conjunctions, possessors of nominal events),
resolve them to actors (registry names, titles, surnames, pronouns), date them, and merge
repeats of the same event within an article.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.extract.codebook import lookup
from pipeline.extract.dating import _article_dates
from pipeline.extract.language import words
from pipeline.extract.lexicon import PREPS, Entry, Lexicon, Match
from pipeline.extract.mentions import PERSON_NOUNS, Mentions, Ref
from pipeline.extract.modality import FACT, SAY_VERBS, Modality, assess, assess_nominal
from pipeline.extract.places import place_refs
from pipeline.extract.roles import (
    ACCORD_NOUNS,
    GATHERING_NOUNS,
    INANIMATE,
    LIGHT_VERBS,
    LOCATIVE_PREPS,
    NOMINAL_PREPS,
    NONSTATE_AGENTS,
    OFFICIAL_NOUNS,
    PEOPLE_NOUNS,
    POLICING_AGENTS,
    PREMISES_NOUNS,
    QUANTITY_NOUNS,
    REFERENCE_NOUNS,
    STATE_AGENTS,
    TARGET_PREPS,
    VENUE_PREPS,
    _agent_refs,
    _sector,
    _unnamed_victims,
)
from pipeline.extract.roots import transform
from pipeline.extract.syntax import _agent, _children, _is_passive, _pobjs, _reported_subject, _subjects
from pipeline.models import Article, article_id_for

log = logging.getLogger(__name__)

#: Verbs whose "by ..." clause names what was actually done ("retaliated by imposing tariffs").
#: People sent as a body: "the officers" can be welcomed or met like the state that sent them
PERSON_GROUPS = words("person_groups")
#: Weapons that act as subjects ("drones launched from Yemen struck ...")
WEAPON_NOUNS = words("weapon_nouns")
PARTY_NOUNS = words("party_nouns")
RESPONSE_VERBS = words("response_verbs")
RETALIATION_VERBS = words("retaliation_verbs")
ARRIVAL_VERBS = words("arrival_verbs")

EVENT_FIELDS = (
    "event_id", "article_id", "source_file", "sentence_index", "publication_date", "event_date",
    "date_precision", "source_actor", "source_name", "target_actor", "target_name", "cameo_code",
    "cameo_root", "quad_class", "goldstein", "confidence", "evidence", "trigger", "mentions",
    "source_agent", "target_agent",
)  # fmt: skip

@dataclass
class Candidate:
    """One directed event found in one sentence, before article-level merging."""

    sentence_index: int
    evidence: str
    trigger: str
    code: str
    source: Ref
    target: Ref
    confidence: float
    event_date: date
    precision: str


@dataclass
class SentenceExplanation:
    index: int
    text: str
    events: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


class Coder:
    """Codes parsed documents; holds the lexicon, registry and date function for a process."""

    def __init__(self, lexicon: Lexicon | None = None, registry=None):
        from pipeline.extract.actors import ActorRegistry

        self.lexicon = lexicon or Lexicon.default()
        self.registry = registry or ActorRegistry.default()

    # -- public ------------------------------------------------------------------------------
    def code_doc(
        self, doc, article: Article, explain: list[SentenceExplanation] | None = None, reduced=None
    ) -> list[dict]:
        """Events of one parsed article; ``reduced`` maps a pre-filtered text back to sentence numbers."""
        pub = article.publication_date
        mentions = Mentions(doc, pub, self.registry)
        dates = _article_dates(pub)
        cands: list[Candidate] = []
        for k, sent in enumerate(doc.sents):
            si = reduced.sentence_number(sent.start_char) if reduced is not None else k
            ex = SentenceExplanation(si, sent.text.strip()) if explain is not None else None
            cands.extend(self._code_sentence(sent, si, pub, mentions, ex, dates))
            dates.advance(sent)
            if ex is not None:
                explain.append(ex)
        return self._merge(cands, article)

    # -- per sentence --------------------------------------------------------------------------
    def _code_sentence(self, sent, si: int, pub: date, mentions: Mentions, ex, dates) -> list[Candidate]:
        out: list[Candidate] = []
        consumed: set[int] = set()
        is_trigger = self._is_trigger
        for tok in sent:
            if tok.pos_ != "VERB" and not (tok.pos_ == "AUX" and tok.lemma_ == "be" and tok.dep_ != "aux"):
                continue
            matches = self.lexicon.match_verb(tok)
            if matches and tok.text[:1].isupper() and tok.i > sent.start:
                matches = []  # "the Visiting Forces Agreement": part of a name
            if not matches:
                if (
                    self._remember_clause(tok, mentions)
                    and ex is not None
                    and tok.lemma_.lower() not in SAY_VERBS
                ):
                    _note(ex, f"'{tok.text}': an actor acts, but the verb is not in the lexicon")
                continue
            consumed.update(self._pattern_tokens(tok, matches[0]))
            modality = assess(tok, is_trigger)
            if modality.dropped:
                _note(ex, f"'{tok.text}' dropped: {modality.reason}")
                continue
            out.extend(self._verb_events(tok, matches, modality, sent, si, mentions, ex, dates))
        for tok in sent:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in consumed:
                continue
            matches = self.lexicon.match_noun(tok)
            if matches:
                out.extend(self._noun_events(tok, matches[0], sent, si, mentions, ex, dates))
        return out

    @staticmethod
    def _date(dates, sent, trigger, target: Ref) -> tuple[date, str]:
        """The event's date; the target breaks ties ("visited Moscow on Friday and Beijing on Monday")."""
        near = sent.doc[target.token] if 0 <= target.token < len(sent.doc) else None
        try:
            return dates.event_date(sent, trigger, near=near)
        except TypeError:  # a dates module without the ``near`` keyword
            return dates.event_date(sent, trigger)

    @staticmethod
    def _remember_clause(verb, mentions: Mentions) -> bool:
        """Any clause with an actor subject can be what "the decision" or "the vote" later refers to."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and verb.pos_ == "VERB":
            refs = mentions.resolve(subj)
            if refs:
                mentions.recent.append((verb.i, "~" + verb.lemma_.lower(), refs, []))
                return True
        return False

    def _is_event_word(self, tok) -> bool:
        if tok.pos_ == "VERB":
            return bool(self.lexicon.match_verb(tok))
        return tok.pos_ == "NOUN" and bool(self.lexicon.match_noun(tok))

    def _is_trigger(self, tok) -> bool:
        return tok.pos_ == "VERB" and bool(self.lexicon.match_verb(tok))

    @staticmethod
    def _pattern_tokens(verb, match: Match) -> set[int]:
        words = set(match.entry.pattern[1:])
        hit = set()
        for c in verb.children:
            for t in [c, *_pobjs(c)] if c.dep_ == "prep" else [c]:
                if t.lemma_.lower() in words:
                    hit.add(t.i)
                    hit.update(x.i for x in t.conjuncts)
        return hit

    def _verb_events(
        self, tok, matches: list[Match], modality: Modality, sent, si, mentions: Mentions, ex, dates
    ):
        passive = _is_passive(tok)
        matches = [m for m in matches if "passive" not in m.entry.flags or passive]
        if not matches:
            return []
        entry = matches[0].entry
        lemma = tok.lemma_.lower()
        manner = next(
            (
                g
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "by" and lemma in RESPONSE_VERBS
                for g in c.children
                if g.dep_ == "pcomp" and self._is_trigger(g)
            ),
            None,
        )
        if manner is not None:
            _note(ex, f"'{tok.text}' ({entry.code}): the response is '{manner.text}', coded on its own")
            return []
        cause = self._hostile_cause(tok, entry)
        if cause is not None:
            _note(ex, f"'{tok.text}' ({entry.code}): the outcome of '{cause.text}', not another event")
            return []
        if _worry_topic(tok):
            _note(ex, f"'{tok.text}' ({entry.code}): the topic of a worry, not the worried party's act")
            return []
        subj_cands = _subjects(tok)
        pre_targets: list[Ref] = []
        sources: list[Ref] = []
        tgt_toks: list = []
        if _is_passive(tok) and not _agent_refs(tok, mentions):
            sources = self._cause_of(tok, mentions)  # "was killed in an attack claimed by X"
            if sources:
                tgt_toks = subj_cands[:1]
        if sources:
            pass
        elif tok.dep_ == "amod" and tok.tag_ == "VBN":  # "Russian-occupied Ukraine", "Saudi-led talks"
            sources = [
                r
                for c in tok.children
                if c.dep_ in ("npadvmod", "amod", "compound", "nmod")
                for r in mentions.resolve(c)
            ]
            if sources:
                tgt_toks = [tok.head]
        elif _is_passive(tok):
            agent = _agent(tok) or next((a for a in map(_agent, tok.conjuncts) if a is not None), None)
            sources = mentions.resolve(agent) if agent is not None else []
            if sources or agent is None:
                tgt_toks = subj_cands[:1]
                if tok.dep_ == "acl" and tok.head.lemma_.lower() in GATHERING_NOUNS:
                    tgt_toks = self._participants(tok.head)
                elif tgt_toks and tgt_toks[0].lemma_.lower() in GATHERING_NOUNS | ACCORD_NOUNS:
                    # "the agreement was brokered by the United States": its parties are the targets
                    parties = self._participants(tgt_toks[0])
                    if parties and any(p.dep_ == "pobj" and p.head.lower_ == "between" for p in parties):
                        tgt_toks = parties
                    else:
                        pre_targets = self._last_parties(mentions, tok, {r.actor.code for r in sources})
            elif any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or entry.root.physical:
                _note(ex, f"'{tok.text}' ({entry.code}): done by something that is no actor ('{agent.text}')")
                return []  # "countries hard-hit by the pandemic", "was killed by a bomb"
        if (
            passive
            and entry.root.person_patient
            and subj_cands
            and not self._person_like(subj_cands[0], mentions)
        ):
            _note(ex, f"'{tok.text}' ({entry.code}): what was held is not a person ('{subj_cands[0].text}')")
            return []  # "talks to be held at Pyongyang's request"
        if not tgt_toks and not sources:
            subj_cands = _reported_subject(tok) or subj_cands
            for cand in subj_cands:
                sources = mentions.resolve(cand)
                if sources:
                    break
            if not sources and subj_cands and subj_cands[0].lemma_.lower() in (
                POLICING_AGENTS | STATE_AGENTS | NONSTATE_AGENTS
            ):  # "police in Tbilisi" are Georgian; armed groups count where they act ("militants in Gaza")
                sources = self._place_of(subj_cands[0], mentions)
            if not sources and subj_cands and subj_cands[0].lemma_.lower() in WEAPON_NOUNS:
                sources = self._launched_from(subj_cands[0], mentions)
            tgt_toks = self._target_tokens(tok, entry)
        exclude = {r.actor.code for r in sources}
        if not pre_targets and entry.root.author_target:  # "vetoed a U.S.-drafted resolution": its author
            pre_targets = _drafters(tok, mentions, exclude)
        if pre_targets:
            tgt_toks = []
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) or tok.dep_ in (
            "conj",
            "xcomp",
        )
        targets: list[Ref] = list(pre_targets)
        military = entry.root.venue_is_party  # "lift its measures in Congo"
        domestic = entry.domestic
        places = entry.root.place_target
        for t in tgt_toks:
            if domestic and _unnamed_victims(t, False) and not mentions.resolve(t, exclude):
                break  # "arrested hundreds of protesters in Tehran": the victims, not the venue
            # "a truce brokered by X": X is no party; but "an agreement signed by A and B": they are
            own_acl = -1 if {"sym", "mutual"} & entry.flags else tok.i
            targets = self._resolve_target(
                t, mentions, exclude, military=military, places=places, trigger=own_acl
            )
            if targets:
                break
        if not targets:  # a visit goes to a place, not "this visit"; but "welcomed the officers" ...
            for t in tgt_toks:
                if entry.root.target_not_event and t.lemma_.lower() not in PERSON_GROUPS:
                    continue
                targets = self._event_referent(t, mentions, exclude)
                if targets:
                    break
        if not targets and sources and lemma in ARRIVAL_VERBS and entry.root.consult:
            # "Xi arrived on Monday": in the city the story is about (the last capital named before)
            codes = {r.actor.code for r in sources}
            place = next(
                (
                    m
                    for m in mentions.before(tok.i, window_sents=2)
                    if m.actor.kind == "capital" and m.actor.code not in codes
                ),
                None,
            )
            if place is not None:
                targets = [Ref(place.actor, place.text, "coref", place.start)]
        if not targets and sources and lemma in RETALIATION_VERBS:
            codes = {r.actor.code for r in sources}
            for _i, _w, srcs, tgts in reversed(mentions.recent):  # against whoever last acted on the source
                if any(t.actor.code in codes for t in tgts) and not any(x.actor.code in codes for x in srcs):
                    targets = [Ref(x.actor, x.name, "event", x.token) for x in srcs]
                    break
        if (
            not targets
            and sources
            and entry.root.shares_recipient
            and not any(self._party_like(t, mentions) for t in tgt_toks)
        ):
            targets = _last_recipient(mentions, tok, sent, {r.actor.code for r in sources})
        if (
            not targets
            and sources
            and not {"self", "igo", "dobj"} & entry.flags
            and self._coordinated(tok)
            and not any(self._party_like(t, mentions) for t in tgt_toks)
        ):  # "demanded that Washington stop ... and said it would take countermeasures": the same
            # source's addressee earlier in the sentence; not "... and urged other states to follow"
            codes = {r.actor.code for r in sources}
            for i, w, srcs, tgts in reversed(mentions.recent):
                if i < sent.start or i >= tok.i or w.startswith("~"):
                    continue
                addressees = {x.actor.code for x in tgts}
                if {x.actor.code for x in srcs} == codes and addressees and not addressees & codes:
                    targets = [Ref(t.actor, t.name, "event", t.token) for t in tgts]
                    break
        domestic = entry.domestic
        # self-directed (protests, investigations) and domestic events against unnamed people
        if not targets and sources:
            if "self" in entry.flags and (
                not entry.root.crowd_act
                or any(c.lemma_.lower() in PEOPLE_NOUNS | QUANTITY_NOUNS for c in subj_cands[:1])
                or (
                    all(r.how == "modifier" for r in sources)
                    and not any(c.lemma_.lower() in STATE_AGENTS | OFFICIAL_NOUNS for c in subj_cands[:1])
                )
            ):  # "thousands protested", "Greek farmers marched"; not "Washington rallied" or officials
                targets = [Ref(r.actor, r.name, r.how, -1) for r in sources]
            elif (
                domestic
                and not (
                    any(c.lemma_.lower() in INANIMATE for c in subj_cands[:1])
                    and all(r.how == "coref" for r in sources)
                )  # "its aircraft crashed, killing 98": an accident
                and not any(r.actor.code.startswith("IGO") for r in sources)
                and any(_unnamed_victims(t, entry.root.violent) for t in tgt_toks)
            ):
                t0 = next(t for t in tgt_toks if _unnamed_victims(t, entry.root.violent))
                # the victims belong where it happened ("killed a woman in Israel"), else to the source
                where = (
                    self._place_of(tok, mentions)
                    or self._place_of(t0, mentions)
                    or [r for c in subj_cands[:1] for r in self._place_of(c, mentions)]
                )  # "strikes on a camp in Rafah killed 45 people": where the strikes hit
                owner = [Ref(p.actor, p.name, "coref", p.token) for p in where[:1]] or sources
                targets = [Ref(r.actor, t0.text, "coref", t0.i, _sector(t0)) for r in owner]
        if not sources and not targets and domestic:
            place = self._place_of(tok, mentions)  # "Police detained 360 people across Russia"
            subj = subj_cands[0] if subj_cands else None
            if not place and "self" in entry.flags and subj is not None and subj.lemma_.lower() in (
                PEOPLE_NOUNS | QUANTITY_NOUNS
            ):  # "... protesters in Tbilisi." "Thousands rallied outside parliament": the same country
                place = self._domestic_scene(tok, mentions)
            victims = any(_unnamed_victims(t, False) for t in tgt_toks) or (
                "self" in entry.flags and subj is not None
            )
            agentless = subj is None or subj.lemma_.lower() in STATE_AGENTS | PEOPLE_NOUNS | QUANTITY_NOUNS
            if passive and entry.root.violent:
                agentless = False  # "five people were killed in Baghdad": no one is named as acting
            if place and victims and agentless:
                who = next((t for t in tgt_toks if _unnamed_victims(t, False)), subj)
                sources = place
                targets = [
                    Ref(
                        r.actor,
                        who.text if who is not None else r.name,
                        "coref",
                        who.i if who is not None else -1,
                        _sector(who) if who is not None else None,
                    )
                    for r in place
                ]
        if not sources and entry.root.state_detains and passive and _agent(tok) is None:
            # "Bazoum has been held at his residence in Niamey": detained by the authorities of the place;
            # "Maduro said 1,200 people had been arrested": by the speaker's own state
            place = self._place_of(tok, mentions) or targets[:1] or self._speaker_of(tok, mentions)
            victims = targets or [
                Ref(p.actor, t.text, "coref", t.i)
                for t in tgt_toks
                if _unnamed_victims(t, False)
                for p in place[:1]
            ]
            if place and victims:
                sources = [Ref(place[0].actor, place[0].name, "coref", place[0].token)]
                targets = victims
        if not sources and targets and domestic and subj_cands and not passive:
            s0 = subj_cands[0]  # "gunmen killed 26 people": unnamed attackers act where the victims are
            if s0.lemma_.lower() in POLICING_AGENTS | NONSTATE_AGENTS:  # not "troops": armies fight abroad
                sources = [Ref(targets[0].actor, s0.text, "coref", s0.i)]
        if sources:
            mentions.recent.append((tok.i, lemma, sources, targets))
            for w in entry.pattern[1:]:  # "launched missile strikes": later "the strikes"
                mentions.recent.append((tok.i, w, sources, targets))
        if not sources:
            _note(ex, f"'{tok.text}' ({entry.code}): no source actor")
            return []
        # a symmetric verb with a single source but several targets, or conjoined sources and no target
        pairs: list[tuple[Ref, Ref]] = []
        reciprocal = "sym" in entry.flags or "mutual" in entry.flags
        if (
            reciprocal
            and len(sources) > 1
            and own_subject
            and not any(c.dep_ in ("dobj", "dative") and mentions.resolve(c) for c in tok.children)
        ):
            targets = []  # "Pakistani and Indian troops exchanged fire along the border in Kashmir"
        if targets:
            pairs = [(s, t) for s in sources for t in targets]
            if "sym" in entry.flags and modality.status == "fact":
                pairs += [(t, s) for s, t in pairs]  # a refusal or a plan is one side's
        elif reciprocal and 1 < len(sources) <= 3 and own_subject:  # not a six-nation communique
            pairs = [(a, b) for a in sources for b in sources if a.actor.code != b.actor.code]
        else:
            _note(ex, f"'{tok.text}' ({entry.code}): no target actor")
            return []
        code = transform(entry.code, modality.status)
        if code is None:
            return []
        out = []
        for s, t in pairs:
            if s.actor.code == t.actor.code and not self._domestic_ok(entry, s, t):
                _note(ex, f"'{tok.text}' ({code}): same actor {s.actor.code} on both sides")
                continue
            if "igo" in entry.flags and not t.actor.code.startswith("IGO"):
                _note(ex, f"'{tok.text}' ({code}): only an organisation can be left this way")
                continue
            d, prec = self._date(dates, sent, tok, t)
            conf = 0.5 * (0.8 + 0.2 * min(1, len(entry.pattern) - 1)) + 0.25 * s.strength + 0.25 * t.strength
            if modality.status != "fact":
                conf *= 0.85
            out.append(
                Candidate(si, sent.text.strip(), tok.text, code, s, t, round(min(1.0, conf), 3), d, prec)
            )
            _note(
                ex,
                f"EVENT {s.actor.code} -> {t.actor.code} {code} '{tok.text}' "
                f"[{modality.status}{': ' + modality.reason if modality.reason else ''}]",
                event=True,
            )
        return out

    @staticmethod
    def _domestic_ok(entry: Entry, s: Ref, t: Ref) -> bool:
        if "self" in entry.flags or (t.how == "event" and s.token != t.token):
            return True  # protests; "Putin denounced the uprising" (an earlier domestic event)
        return entry.domestic and s.token != t.token

    @staticmethod
    def _target_tokens(verb, entry: Entry) -> list:
        cands = []
        preps = _children(verb, "prep", "dative") + [
            g for c in _children(verb, "prt") for g in _children(c, "prep")
        ]
        preps += [
            g
            for c in _children(verb, "prep")
            if c.lower_ not in ("according", "due", "thanks")
            for g in _children(c, "prep")
        ]  # "pull out of", not "according to"
        # "was in contact with X", "expressed concern over X": the pattern's preposition may hang lower
        inner = [g for c in _children(verb, "prep") for o in _pobjs(c) for g in _children(o, "prep")]
        inner += [g for c in _children(verb, "dobj") for g in _children(c, "prep")]
        for p in _children(verb, "prep"):  # "at Poland's request": the requester
            for o in _pobjs(p):
                if p.lower_ == "at" and o.lemma_.lower() in ("request", "invitation", "behest", "urging"):
                    cands.extend(_children(o, "poss"))
        objects = _children(verb, "dobj", "dative", "iobj", "attr") if "notgt" not in entry.flags else []
        if "dobj" in entry.flags:  # "received his Sudanese counterpart": only a received person is a party
            return objects
        named = [o for o in objects if o.pos_ == "PROPN" or any(c.pos_ == "PROPN" for c in o.children)]
        cands.extend(named)  # "warned Iran of countermeasures": a named object first
        if entry.prep:
            for p in preps + inner:
                if p.lower_ == entry.prep:
                    cands.extend(_pobjs(p))
        cands.extend(o for o in objects if o not in cands)
        for name in TARGET_PREPS:
            if name in ("in", "at") and not entry.root.locative_target:
                continue  # "met in Busan": a venue, not a party
            if name == "for" and entry.root.hostile:
                continue  # "fight for the government": a beneficiary, not a target
            for p in preps:
                if p.lower_ == name and p.dep_ != "agent":
                    cands.extend(t for t in _pobjs(p) if t not in cands)
        if entry.root.material_aid:  # "sent aircraft loaded with food to Port Sudan": the parse hangs "to" low
            cands.extend(
                o
                for c in _children(verb, "dobj")
                for a in _children(c, "acl")
                for p in _children(a, "prep")
                if p.lower_ == "to"
                for o in _pobjs(p)
                if o not in cands
            )
        if entry.root.aid_recipient:  # "pledged 120 million pounds in aid for Sudan": the recipient
            cands.extend(
                o
                for p in inner
                if p.lower_ in ("for", "to") and p.head.lemma_.lower() in AID_NOUNS
                for o in _pobjs(p)
                if o not in cands
            )
        for c in _children(verb, "ccomp"):  # "condemned what she called Russia's violation"
            if any(d.dep_ == "dobj" and d.lower_ in ("what", "which") for d in c.children):
                cands.extend(x for x in c.children if x.dep_ in ("oprd", "attr", "xcomp"))
        if entry.root.clause_target:  # "demanded that Brussels restore ..."
            for c in _children(verb, "ccomp", "xcomp"):
                cands.extend(x for x in c.children if x.dep_ in ("nsubj", "nsubjpass") and x.pos_ != "PRON")
        if entry.root.threat_root:  # "warned that it would close its border if Russia used migrants"
            for c in [verb, *_children(verb, "ccomp", "xcomp")]:
                for a in _children(c, "advcl"):
                    if any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in a.children):
                        cands.extend(x for x in a.children if x.dep_ == "nsubj" and x.pos_ != "PRON")
        cands.extend(
            g for c in _children(verb, "prep") if c.lower_ == "including" for g in _pobjs(c) if g not in cands
        )  # "freed 24 hostages, including 13 Israelis": the named victims
        return cands

    def _resolve_target(
        self,
        tok,
        mentions: Mentions,
        exclude: set[str],
        depth: int = 0,
        military: bool = True,
        places: bool = False,
        trigger: int = -1,
    ) -> list[Ref]:
        """An object phrase's actors; else the place or party it is about, through prepositions
        ("strikes on sites in Pakistan", "violence against civilians in Myanmar", "a halt to the attacks").

        ``places``: a named city or territory stands for its country ("drones struck Odesa"); only for
        force and violence, where the place is what is hit, never a venue ("talks in Doha")."""
        # "stormed its embassy", "breached its network": a hostile act on a possession hits its owner
        own = places and depth == 0 and tok.lemma_.lower() in PREMISES_NOUNS
        refs = mentions.resolve(tok, exclude, own=own)
        if places and (not refs or (not own and all(r.how == "coref" for r in refs))):
            # "attacked police stations in Port-au-Prince": the named place beats a generic "police";
            # but an embassy in Quito is not Ecuador's. A place in the source's own country is a domestic
            # target ("Sudanese paramilitaries attacked El Fasher"): roots 15-20 may be domestic
            named = place_refs(tok, mentions.by_token) or [
                r
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "in"
                for g in _pobjs(c)
                for r in (mentions.resolve(g, exclude) or place_refs(g, mentions.by_token))
            ]
            refs = named or refs
        if not refs and depth > 0:
            refs = self._event_referent(tok, mentions, exclude)
        if refs or depth >= 3:
            return refs
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS:
                if (
                    depth == 0
                    and not military
                    and c.lower_ in VENUE_PREPS
                    and any(g.pos_ == "PROPN" or g.i in mentions.by_token for g in _pobjs(c))
                ):
                    continue  # "an agreement in Washington"; but "500 million euros in aid to Sudan"
                for g in _pobjs(c):
                    refs = self._resolve_target(g, mentions, exclude, depth + 1, military, places)
                    if refs:
                        return refs
            elif c.dep_ == "acl" and _agent(c) is not None and depth == 0 and c.i != trigger:
                # "proposals announced by X"; not "a truce brokered by X": X is the broker, not a party
                refs = self._resolve_target(_agent(c), mentions, exclude, depth + 1, military, places)
                if refs:
                    return refs
            elif c.dep_ == "appos" or (c.dep_ in ("pcomp", "dobj", "oprd") and tok.pos_ in ("VERB", "ADP")):
                # "concern over what they called China's actions"
                refs = self._resolve_target(c, mentions, exclude, depth + 1, military, places)
                if refs:
                    return refs
        return []

    @staticmethod
    def _person_like(tok, mentions: Mentions) -> bool:
        lemma = tok.lemma_.lower()
        return (
            tok.pos_ in ("PROPN", "PRON")
            or tok.i in mentions.by_token
            or lemma in PEOPLE_NOUNS | QUANTITY_NOUNS | PERSON_NOUNS | STATE_AGENTS | NONSTATE_AGENTS
            or lemma in ("suspect", "militant", "journalist", "leader", "member", "official", "diplomat")
        )

    @staticmethod
    def _last_parties(mentions: Mentions, tok, exclude: set[str]) -> list[Ref]:
        """The two sides of the last two-party event before this sentence ("the agreement" they signed)."""
        start = tok.sent.start
        for i, lemma, srcs, tgts in reversed(mentions.recent):
            if i >= start or lemma.startswith("~"):
                continue
            parties: dict[str, Ref] = {}
            for r in [*srcs, *tgts]:
                if r.actor.code not in exclude:
                    parties.setdefault(r.actor.code, r)
            if len(parties) >= 2:
                return [Ref(r.actor, r.name, "event", r.token) for r in parties.values()]
        return []

    @staticmethod
    def _participants(noun) -> list:
        """Who took part in 'talks hosted by X': 'between A and B', else the clause's subject."""
        out = [
            g
            for c in noun.children
            if c.dep_ == "prep" and c.lower_ in ("between", "with")
            for g in _pobjs(c)
        ]
        t = noun
        for _ in range(4):
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                out.extend(c for c in t.children if c.dep_ in ("nsubj", "nsubjpass"))
                break
            if t.head.i == t.i:
                break
        return out

    def _hostile_cause(self, tok, entry: Entry):
        """'..., killing 90 people': a participle reporting the toll of a hostile act in the same clause."""
        if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "acl", "conj") or not entry.root.harms:
            return None
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return None
        t = tok.head
        for _ in range(3):
            m = self.lexicon.match_verb(t) if t.pos_ == "VERB" else []
            if m and m[0].entry.root.harms:
                return t
            if t.head.i == t.i:
                break
            t = t.head
        return None

    @staticmethod
    def _speaker_of(verb, mentions: Mentions) -> list[Ref]:
        """Who reports this clause: the subject of the saying verb it is the complement of."""
        from pipeline.extract.modality import SAY_VERBS

        t = verb
        for _ in range(4):
            if t.dep_ == "ccomp" and t.head.lemma_.lower() in SAY_VERBS:
                subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
                return mentions.resolve(subj) if subj is not None else []
            if t.head.i == t.i:
                break
            t = t.head
        return []

    def _place_of(self, verb, mentions: Mentions) -> list[Ref]:
        """The state where something happened: "in Caracas", "across Russia", "on his return to Russia"."""
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "across", "inside", "throughout", "on", "at"):
                for g in _pobjs(c):
                    refs = mentions.resolve(g) or self._resolve_target(g, mentions, set(), 1, places=True)
                    if refs and not any(r.actor.code.startswith("IGO") for r in refs):
                        return [Ref(r.actor, r.name, "coref", r.token) for r in refs[:1]]
        return []

    def _party_like(self, tok, mentions: Mentions) -> bool:
        """A phrase that names some party, even one no actor resolves ("other European states")."""
        return self._person_like(tok, mentions) or tok.lemma_.lower() in PARTY_NOUNS

    @staticmethod
    def _launched_from(weapon, mentions: Mentions) -> list[Ref]:
        """'drones launched from Yemen', 'rockets fired from Gaza': whoever holds the launch site."""
        holders = list(weapon.children)
        if weapon.head.lemma_.lower() in ("launch", "fire") and weapon.dep_ == "nsubj":
            holders.append(weapon.head)  # the parser makes "launched" the main verb
        for c in holders:
            for p in [c, *_children(c, "prep")] if c.dep_ == "acl" or c.i == weapon.head.i else [c]:
                if p.dep_ == "prep" and p.lower_ == "from":
                    for g in _pobjs(p):
                        refs = mentions.resolve(g) or place_refs(g, mentions.by_token)
                        if refs:
                            return [Ref(r.actor, f"{weapon.text} ({r.name})", "coref", r.token) for r in refs]
        return []

    @staticmethod
    def _coordinated(verb) -> bool:
        """The verb, or the saying verb it is reported under, is the second of two coordinated clauses."""
        t = verb
        for _ in range(3):
            if t.dep_ == "conj":
                return True
            if t.dep_ not in ("ccomp", "xcomp") or t.head.i == t.i:
                return False
            t = t.head
        return False

    @staticmethod
    def _domestic_scene(tok, mentions: Mentions) -> list[Ref]:
        """The country of the last domestic event in this or the previous sentence of the same paragraph
        (news digests put a new story in each paragraph)."""
        doc = tok.doc
        first = tok.sent.start
        if first > 0:
            first = doc[first - 1].sent.start
        for i, _lemma, srcs, tgts in reversed(mentions.recent):
            if first <= i < tok.i and "\n" not in doc[i : tok.i].text:
                same = [r for r in srcs if any(t.actor.code == r.actor.code for t in tgts)]
                if same and not same[0].actor.code.startswith("IGO"):
                    return [Ref(same[0].actor, same[0].name, "coref", same[0].token)]
        return []

    def _cause_of(self, verb, mentions: Mentions) -> list[Ref]:
        """Agent of an agentless passive, from the event noun it happened in or by ("killed in an
        Israeli air strike", "killed by a bomb ..., in an attack claimed by Ukraine's security service")."""
        for c in verb.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "during", "by"):
                for g in _pobjs(c):
                    if g.pos_ != "NOUN" or not self.lexicon.match_noun(g):
                        continue
                    for m in g.children:
                        if m.dep_ == "compound" and m.i not in mentions.by_token:
                            continue  # "the Kenya embassy bombing": a place, not the bomber
                        if m.dep_ in ("poss", "amod", "compound") and m.i < g.i:
                            refs = mentions.resolve(m)
                            if refs:
                                return refs
                        if m.dep_ == "acl" and _agent(m) is not None:
                            refs = mentions.resolve(_agent(m))
                            if refs:
                                return refs
        return []

    def _event_referent(self, tok, mentions: Mentions, exclude: set[str]) -> list[Ref]:
        """'the move', 'the attack', 'the map': the actor behind an earlier event or thing."""
        dets = ("the", "this", "that", "these", "those")
        if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in dets for c in tok.children):
            return []
        lemma = tok.lemma_.lower()
        doc = tok.doc
        start = tok.sent.start
        # the same noun earlier, with its owner named ("China's new map" ... "the map")
        for t in reversed(doc[max(0, start - 400) : start]):
            if t.lemma_.lower() == lemma and t.pos_ == "NOUN":
                refs = []
                for c in t.children:
                    if c.dep_ == "acl" and _agent(c) is not None:  # "a map published by China"
                        refs = [r for r in mentions.resolve(_agent(c)) if r.actor.code not in exclude]
                        if refs:
                            break
                    if c.dep_ in ("poss", "amod", "compound") and c.i < t.i:
                        refs = [r for r in mentions.resolve(c) if r.actor.code not in exclude]
                        if refs:
                            break
                if not refs and t.dep_ == "dobj":  # "the Assembly adopted a resolution" ... "the resolution"
                    refs = [
                        r
                        for x in _subjects(t.head)[:1]
                        for r in mentions.resolve(x)
                        if r.actor.code not in exclude
                    ]
                if (
                    not refs and lemma not in REFERENCE_NOUNS
                ):  # "the plant" <- "the plant in southern Ukraine"
                    refs = [
                        r for r in self._resolve_target(t, mentions, exclude) if r.actor.code not in exclude
                    ]
                if refs:
                    return [Ref(r.actor, f"{tok.text} ({r.name})", "coref", tok.i) for r in refs]
        # an earlier event with this trigger, or any earlier event for a generic reference noun
        for i, trig, srcs, _tgts in reversed(mentions.recent):
            if i < start and trig == lemma:
                refs = [r for r in srcs if r.actor.code not in exclude]
                return [Ref(r.actor, f"{tok.text} ({r.name})", "event", tok.i) for r in refs]
        noun = self.lexicon.match_noun(tok)
        if noun:  # "stormed the embassy" ... "the raid"; "accused China" ... "the accusations"
            root = noun[0].entry.code[:2]
            for i, trig, srcs, _tgts in reversed(mentions.recent):
                if i < start and not trig.startswith("~") and root in self.lexicon.roots(trig):
                    refs = [r for r in srcs if r.actor.code not in exclude]
                    if refs and len(refs) == len(srcs):  # not an act the source itself took part in
                        return [Ref(r.actor, f"{tok.text} ({r.name})", "event", tok.i) for r in refs]
        if lemma in REFERENCE_NOUNS:  # "the move", "the decision": in wire copy, the story's lead event
            for i, _trig, srcs, _tgts in mentions.recent:
                refs = [r for r in srcs if r.actor.code not in exclude]
                if i < start and refs:
                    return [Ref(r.actor, f"{tok.text} ({r.name})", "event", tok.i) for r in refs]
        return []

    def _noun_events(self, tok, match: Match, sent, si, mentions: Mentions, ex, dates):
        entry = match.entry
        modality = assess_nominal(tok)
        if modality.dropped:
            _note(ex, f"'{tok.text}' (nominal) dropped: {modality.reason}")
            return []
        pattern_words = set(entry.pattern[:-1])
        sources: list[Ref] = []
        for c in tok.children:
            if c.dep_ == "compound" and c.i not in mentions.by_token:
                continue  # "the embassy bombing": a place, not an agent
            if (
                c.dep_ in ("poss", "amod", "compound", "nmod")
                and c.i < tok.i
                and c.lemma_.lower() not in pattern_words
            ):
                sources = mentions.resolve(c)
                if sources:
                    break
        if not sources:
            # "the expulsion of two diplomats by Poland": "by" often hangs on the object of "of"
            heads = [tok, *(g for c in _children(tok, "prep") if c.lower_ == "of" for g in _pobjs(c))]
            agent = next(
                (g for h in heads for c in _children(h, "prep") if c.lower_ == "by" for g in _pobjs(c)),
                None,
            )
            if agent is not None:
                sources = mentions.resolve(agent)
        light = tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() in LIGHT_VERBS else None
        if modality.status == "fact" and light is None and tok.dep_ in ("dobj", "pobj"):
            gov = tok.head if tok.dep_ == "dobj" else tok.head.head
            if gov.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("poss", "amod") for c in tok.children):
                # "ready to host talks between A and B": the talks are as (un)real as the hosting;
                # a possessed event is presupposed ("has not condemned Russia's invasion")
                m = assess(gov, self._is_trigger)
                if m.dropped and not m.reason.startswith("negated"):
                    _note(ex, f"'{tok.text}' (nominal) dropped: {m.reason}")
                    return []
                if m.status in ("intent", "future", "would", "threat"):
                    _note(ex, f"'{tok.text}' (nominal) dropped: not yet real ({m.status})")
                    return []
        if not sources and light is not None:
            # "X conducted talks with Y", "X had a phone conversation with Y": the verb's subject acts,
            # and the verb's negation or modality is the event's
            verb_modality = assess(light, self._is_trigger)
            if verb_modality.dropped:
                _note(ex, f"'{tok.text}' (nominal) dropped: {verb_modality.reason}")
                return []
            modality = verb_modality if modality.status == "fact" else modality
            for cand in _subjects(light):
                sources = mentions.resolve(cand)
                if sources:
                    break
        if sources:
            mentions.recent.append((tok.i, tok.lemma_.lower(), sources, []))
        targets: list[Ref] = []
        between: list[Ref] = []
        for c in tok.children:
            if c.dep_ != "prep":
                continue
            name = c.lower_
            for g in _pobjs(c):
                if name == "between":
                    between = mentions.resolve(g)
                elif name in NOMINAL_PREPS and not targets and (name != "in" or entry.root.physical):
                    targets = self._resolve_target(
                        g,
                        mentions,
                        exclude={r.actor.code for r in sources},
                        places=entry.root.place_target,
                    )
        if sources and not targets and light is not None:  # "held talks on Monday with Y"
            for c in light.children:
                if c.dep_ == "prep" and c.lower_ in ("with", "to", "against", "on", "into"):
                    for g in _pobjs(c):
                        targets = targets or self._resolve_target(
                            g, mentions, {r.actor.code for r in sources}
                        )
        if sources and not targets and entry.domestic:
            victims = [
                g
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ in ("on", "against", "of")
                for g in _pobjs(c)
                if g.lemma_.lower() in PEOPLE_NOUNS
            ]
            if victims:  # "Assad's crackdown on protesters"
                targets = [Ref(r.actor, victims[0].text, "coref", victims[0].i) for r in sources]
        pairs: list[tuple[Ref, Ref]] = []
        if len(between) > 1:
            pairs = [(a, b) for a in between for b in between if a.actor.code != b.actor.code]
        elif sources and targets:
            pairs = [(s, t) for s in sources for t in targets]
            if "sym" in entry.flags and modality.status == "fact":
                pairs += [(t, s) for s, t in pairs]
        elif "sym" in entry.flags and light is not None and 1 < len(sources) <= 3:
            pairs = [
                (a, b) for a in sources for b in sources if a.actor.code != b.actor.code
            ]  # "A and B held talks"
        if not pairs:
            return []
        code = transform(entry.code, modality.status)
        if code is None:
            return []
        out = []
        for s, t in pairs:
            if s.actor.code == t.actor.code and not self._domestic_ok(entry, s, t):
                continue
            d, prec = self._date(dates, sent, tok, t)
            conf = 0.35 + 0.2 * s.strength + 0.2 * t.strength
            out.append(Candidate(si, sent.text.strip(), tok.text, code, s, t, round(conf, 3), d, prec))
            _note(
                ex,
                f"EVENT {s.actor.code} -> {t.actor.code} {code} '{tok.text}' [nominal {modality.status}]",
                event=True,
            )
        return out

    # -- article level -------------------------------------------------------------------------
    def _merge(self, cands: list[Candidate], article: Article) -> list[dict]:
        """One row per (source, target, code, date); ``mentions`` counts the sentences reporting it."""
        groups: dict[tuple, list[Candidate]] = {}
        latest = article.publication_date + timedelta(days=1)
        for c in cands:
            if c.event_date > latest:  # a plan, coded as intent on the day it was stated, never in the future
                c.event_date, c.precision = article.publication_date, "day"
            groups.setdefault((c.source.actor.code, c.target.actor.code, c.code, c.event_date), []).append(c)
        rows = []
        for (src, tgt, code, d), cs in groups.items():
            best = max(cs, key=lambda c: c.confidence)
            first = min(cs, key=lambda c: c.sentence_index)
            entry = lookup(code)
            n = len({c.sentence_index for c in cs})
            rows.append(
                {
                    "event_id": event_id(article.article_id, src, tgt, code, d),
                    "article_id": article.article_id,
                    "source_file": article.source_file,
                    "sentence_index": first.sentence_index,
                    "publication_date": article.publication_date,
                    "event_date": d,
                    "date_precision": first.precision,
                    "source_actor": src,
                    "source_name": best.source.name,
                    "target_actor": tgt,
                    "target_name": best.target.name,
                    "cameo_code": code,
                    "cameo_root": entry.root,
                    "quad_class": entry.quad_class,
                    "goldstein": entry.goldstein,
                    "confidence": round(min(1.0, best.confidence + 0.05 * (n - 1)), 3),
                    "evidence": first.evidence,
                    "trigger": first.trigger,
                    "mentions": n,
                    "source_agent": best.source.sector,
                    "target_agent": best.target.sector,
                }
            )
        rows.sort(key=lambda r: (r["sentence_index"], r["source_actor"], r["target_actor"], r["cameo_code"]))
        return rows


#: Nouns of material help whose "for X" / "to X" names the recipient
AID_NOUNS = words("aid_nouns")
#: Words of worry whose "about X" is a topic, not something the worried party does
WORRY_WORDS = words("worry_words")


_DRAFTED = re.compile(r"^(.+?)-(?:drafted|sponsored|backed|proposed|authored|tabled|written)$", re.I)


def _drafters(verb, mentions: Mentions, exclude: set[str]) -> list[Ref]:
    """The author named in a rejected text's 'X-drafted' modifier: the party the rejection hits."""
    out: list[Ref] = []
    for obj in _children(verb, "dobj"):
        for mod in obj.children:
            m = _DRAFTED.match(mod.text) if mod.dep_ in ("amod", "compound", "npadvmod") else None
            actor = mentions.registry.lookup(m.group(1), on=mentions.on) if m else None
            if actor is not None and actor.code not in exclude and actor.kind != "person":
                out.append(Ref(actor, m.group(1), "author", mod.i))
    return out


#: Lemmas of giving events, whose recipient a following bare pledge shares
GIVING_LEMMAS = words("giving_lemmas")


def _last_recipient(mentions: Mentions, tok, sent, givers: set[str]) -> list[Ref]:
    """'Britain pledged aid for Sudan, and Germany said it would provide a further 125 million euros':
    a bare gift right after another goes to the same recipient (this or the previous sentence only)."""
    doc = sent.doc
    earliest = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for i, w, srcs, tgts in reversed(mentions.recent):
        if i >= tok.i or i < earliest or w.startswith("~") or w not in GIVING_LEMMAS:
            continue
        got = [Ref(t.actor, t.name, "event", t.token) for t in tgts if t.actor.code not in givers]
        if got and not {x.actor.code for x in srcs} & givers:
            return got
    return []


def _worry_topic(tok) -> bool:
    """'Washington was worried about deepening ties': the gerund has no actor of its own."""
    if tok.dep_ != "pcomp" or tok.head.lower_ not in ("about", "over", "by"):
        return False
    return tok.head.head.lower_ in WORRY_WORDS or tok.head.head.lemma_.lower() in ("worry", "fear", "concern")


def _note(ex: SentenceExplanation | None, text: str, event: bool = False) -> None:
    if ex is not None:
        (ex.events if event else ex.dropped).append(text)


def event_id(article_id: str, source: str, target: str, code: str, day: date) -> str:
    """Deterministic: the same event in the same article always gets the same id."""
    key = f"{article_id}|{source}|{target}|{code}|{day.isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class _State:
    coder: Coder | None = None


_STATE = _State()


def get_coder() -> Coder:
    if _STATE.coder is None:
        _STATE.coder = Coder()
    return _STATE.coder


#: Longest text parsed per article (~17k words): wire copy is far shorter, and a runaway file must not
#: exhaust memory in the parser. Longer texts are cut at a paragraph or sentence end before this.
MAX_CHARS = 100_000


def _capped(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = max(text.rfind("\n\n", 0, MAX_CHARS), text.rfind(". ", 0, MAX_CHARS) + 1)
    log.warning("article of %d characters: coding the first %d", len(text), cut if cut > 0 else MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS]


def _code_serial(
    articles: list[Article], model: str | None, explain: dict | None = None, prefilter: bool = True
) -> list[dict]:
    from pipeline.extract.nlp import load_nlp
    from pipeline.extract.prefilter import reduce_text

    nlp = load_nlp(model)
    coder = get_coder()
    rows: list[dict] = []
    reduced = [reduce_text(_capped(a.text)) if prefilter else None for a in articles]
    texts = (r.text if r is not None else _capped(a.text) for a, r in zip(articles, reduced, strict=True))
    for article, red, doc in zip(articles, reduced, nlp.pipe(texts, batch_size=64), strict=True):
        ex: list[SentenceExplanation] | None = [] if explain is not None else None
        rows.extend(coder.code_doc(doc, article, ex, red))
        if explain is not None and ex is not None:
            explain[article.article_id] = ex
    return rows


def _worker_chunk(job: tuple[list[Article], str | None, bool]) -> list[dict]:
    articles, model, prefilter = job
    return _code_serial(articles, model, prefilter=prefilter)


def code_articles(
    articles: list[Article],
    model: str | None = None,
    n_process: int = 1,
    explain: dict[str, list[SentenceExplanation]] | None = None,
    prefilter: bool = True,
) -> list[dict]:
    """Code articles into event rows with exactly the ``schemas.EVENTS`` fields.

    ``prefilter`` parses only the lead and the sentences containing a trigger word (see
    :mod:`pipeline.extract.prefilter`); sentence numbers still refer to the whole article.

    With ``n_process`` > 1, worker processes each parse and code a slice and send back only the rows
    (shipping parsed Docs between processes costs more than it saves). Output order is input order.
    """
    import multiprocessing as mp

    from pipeline.extract.nlp import load_nlp

    articles = list(articles)
    if not articles:
        return []
    n_process = max(1, min(n_process, len(articles) // 16 or 1))
    if mp.current_process().daemon:
        n_process = 1  # a daemonic worker (some task runners) may not start processes of its own
    if n_process == 1 or explain is not None:
        return _code_serial(articles, model, explain, prefilter)
    load_nlp(model)  # load before forking: workers share the model pages copy-on-write
    get_coder()
    size = max(8, len(articles) // (n_process * 4))
    jobs = [(articles[i : i + size], model, prefilter) for i in range(0, len(articles), size)]
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    rows: list[dict] = []
    with mp.get_context(method).Pool(n_process) as pool:
        for part in pool.imap(_worker_chunk, jobs):
            rows.extend(part)
    return rows


def code_text(
    text: str,
    publication_date: date,
    *,
    model: str | None = None,
    source_file: str = "<text>",
    explain: list[SentenceExplanation] | None = None,
    coder: Coder | None = None,
    prefilter: bool = True,
) -> list[dict]:
    """Code one text (handy for tests); ``coder`` lets a caller bring its own registry or lexicon."""
    from pipeline.extract.nlp import load_nlp
    from pipeline.extract.prefilter import reduce_text

    article = Article(article_id_for(text), source_file, publication_date, text)
    reduced = reduce_text(_capped(text)) if prefilter else None
    doc = load_nlp(model)(reduced.text if reduced is not None else _capped(text))
    return (coder or get_coder()).code_doc(doc, article, explain, reduced)


__all__ = ["EVENT_FIELDS", "Coder", "FACT", "PREPS", "code_articles", "code_text", "event_id", "transform"]
