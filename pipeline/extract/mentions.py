"""Actor mentions in a parsed article, and the resolution of argument phrases to actors.

Three sources of mentions, strongest first: registry names (states, demonyms, capitals, IGOs,
office-holders as of the article date), PERSON entities whose title phrase names a country
("Argentina's Javier Milei", "Chinese President Xi Jinping") and later surname-only mentions
of such people. Pronouns, "the two leaders", "the bloc" and bare titles resolve to the last
fitting mention (a small salience model, not a full coreference system).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.extract import namematch
from pipeline.extract import syntax as sx
from pipeline.extract.actors import Actor, ActorRegistry, normalise_alias
from pipeline.extract.language import governors, sectors, words
from pipeline.extract.places import city_country, place_refs, state_on

if TYPE_CHECKING:
    from pipeline.extract.discourse import Discourse

#: how -> confidence weight of the resolution
STRENGTH = {
    "registry": 1.0, "title": 0.9, "surname": 0.85, "modifier": 0.8, "organisation": 0.8, "coref": 0.6,
    "group": 0.6,
}  # fmt: skip

PERSON_PRONOUNS = words("person_pronouns")
OPPOSED_PREFIXES = words("opposed_prefixes")
THING_PRONOUNS = words("thing_pronouns")
PLURAL_PRONOUNS = words("plural_pronouns")
REFLEXIVE_PRONOUNS = words("reflexive_pronouns")
SPEAKER_PRONOUNS = words("speaker_pronouns")
RELATIVE_PRONOUNS = words("relative_pronouns")
#: Number words that make "the three countries" a group of that many named actors
_COUNTS = {"three": 3, "four": 4, "five": 5, "3": 3, "4": 4, "5": 5}
GROUP_NOUNS = words("group_nouns")
REPORT_NOUNS = words("report_nouns")
STATE_BODY_NOUNS = words("state_body_nouns")
REPORT_VERBS = words("report_verbs")
SAY_VERBS = governors("say")
#: Group nouns only states fit ("the two countries", "the two militaries"), never organisations
STATE_GROUP_NOUNS = words("state_group_nouns")
#: "the bloc", "the alliance": the last organisation
IGO_NOUNS = words("igo_nouns")
#: "the president", "the ministry": the last state or person (after the phrase's own modifiers)
ROLE_NOUNS = words("role_nouns")
PERSON_NOUNS = words("person_nouns")
#: Head nouns that name a sector of the actor (CAMEO agent codes)
AGENT_NOUNS = sectors()
#: "Iran-backed", "Iran-aligned": a modifier naming a patron, not the actor itself ("Russian-installed" is)
AFFILIATION_PARTICIPLES = words("affiliation_participles")
#: "hundreds of Greenlanders", "a group of Chinese ships": the "of" phrase names the actor
QUANTITY_NOUNS = words("quantity_nouns")
#: Words that precede a name without being part of it ("Foreign Minister", "Lieutenant General").
TITLE_WORDS = words("title_words")
CALENDAR_WORDS = words("calendar_words")
PAIR_WORDS = words("pair_words")
AUTHORING_PARTICIPLES = words("authoring_participles")
TEXT_NOUNS = words("text_nouns")
ORIGIN_PREPS = words("origin_preps")
#: Sub-state actors whose location names their state ("rebels in Ivory Coast"), and how the location is said
LOCATED_NOUNS = words("located_actor_nouns")
LOCATION_PREPS = words("location_preps")
BASING_PARTICIPLES = words("basing_participles")
UNNAMED_AGENTS = words("policing_agents", "state_agents", "nonstate_agents")
ORGANISATION_WORDS = words("organisation_words", "civil_body_words")
CIVIL_BODY_WORDS = words("civil_body_words")
#: "ambassador to Togo", "envoy in Kabul": the prepositions of a title's host country
HOST_PREPS = words("host_preps")
#: "the Nairobi Action Plan", "the Oslo Accords": texts named after a city
DOCUMENT_NOUNS = words("text_nouns", "accord_nouns", "named_text_nouns")
#: "U.S. dollars", "Swiss francs": a nationality on a currency names no actor
CURRENCY_NOUNS = words("currency_nouns")
#: "labourers coming from Poland": a participle between a people noun and its origin
ORIGIN_PARTICIPLES = words("origin_participles")
#: "ethnic Albanians": the demonym names a group living elsewhere, not the state
ETHNIC_MARKERS = words("ethnic_markers")
_PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
#: Heads whose "of" phrase names the actor ("the foreign minister of ...", "hundreds of ...")
_ORIGIN_HEADS = ROLE_NOUNS | IGO_NOUNS | GROUP_NOUNS | QUANTITY_NOUNS


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: Actor
    text: str
    how: str  # registry | title | surname


@dataclass(frozen=True)
class Ref:
    """An argument resolved to an actor, with the text that resolved and how."""

    actor: Actor
    name: str
    how: str
    token: int
    agent: str | None = None  # the sector the phrase names ("Russian forces" -> MIL), else the actor's

    @property
    def strength(self) -> float:
        return STRENGTH.get(self.how, 0.5)

    @property
    def sector(self) -> str | None:
        return self.agent or self.actor.agent


def _acronym(tok) -> bool:
    return tok.is_alpha and tok.is_upper and len(tok) > 1


def _names_a_thing(span) -> bool:
    """A name that modifies a common noun ("its Gulf war", "the Kirkuk oil fields") is no person."""
    root = span.root
    return root.dep_ in (sx.COMPOUND, sx.AMOD) and root.head.pos_ == "NOUN" and root.head.i >= span.end


def _located_lemma(tok) -> str | None:
    """The lemma of a sub-state actor noun, also where the tagger took a capitalised plural for a name
    ("Rebels in Chad": PROPN, lemma "Rebels")."""
    low = tok.lemma_.lower()
    if low not in LOCATED_NOUNS and tok.pos_ == "PROPN" and low.endswith("s"):
        low = low[:-1]
    return low if low in LOCATED_NOUNS else None


def _as_of(actor: Actor, day: date) -> Actor:
    """A city or body of a state that did not yet exist belongs to its predecessor on that day."""
    code = state_on(actor.code, day)
    return actor if code == actor.code else Actor(code, actor.name, actor.kind, actor.agent, actor.title)


@lru_cache(maxsize=100_000)
def _lookup(registry: ActorRegistry, text: str, on: date) -> Actor | None:
    """Registry lookups repeat across articles of a day ("Israel", "U.S."): looked up once."""
    return registry.lookup(text, on=on)


def _norm(text: str) -> str:
    return namematch.normalise(text)  # normalise_alias, cached, with a short path for ASCII


@dataclass(frozen=True)
class _AliasIndex:
    first: dict[str, int]  # first word of an alias -> longest alias length in tokens (+ slack)
    keys: frozenset[str]  # every normalised alias
    non_actors: frozenset[str]  # normalised names that contain an alias but denote no actor
    #: word -> its width in ``first`` (None: cannot start a name), filled by the name scan
    start_memo: dict[str, int | None] = field(default_factory=dict, compare=False, hash=False)


@lru_cache(maxsize=4)
def _alias_index(registry: ActorRegistry) -> _AliasIndex:
    """Lookup tables built once per registry, so scanning a text costs set lookups, not registry calls."""
    first: dict[str, int] = {}
    keys = frozenset(
        registry.keys() if hasattr(registry, "keys") else map(normalise_alias, registry.aliases())
    )
    non = frozenset(
        normalise_alias(n) for n in (registry.non_actors() if hasattr(registry, "non_actors") else ())
    )
    for alias in keys | non:
        words = [w for w in re.split(r"[\s\-']+", alias) if w]
        if not words:
            continue
        n = len(words) + 2
        for w in ("al", "el") if words[0] == "al" else (words[0],):  # "El Salvador" is keyed "al-salvador"
            if first.get(w, 0) < n:
                first[w] = n
    return _AliasIndex(first, keys, non)


def _is_subject(tok) -> bool:
    """A subject, or the possessor / modifier / conjunct of one ("Hungary, which ...", "China's envoy")."""
    for _ in range(3):
        if tok.dep_ in (sx.NSUBJ, sx.NSUBJPASS):
            return True
        if tok.dep_ not in (sx.CONJ, sx.POSS, sx.COMPOUND, sx.AMOD, sx.APPOS):
            return False
        tok = tok.head
    return False


def _speaker_subject(tok):
    """For the subject pronoun of a reported clause ("X said he would ..."), the speaker X."""
    if tok.dep_ not in (sx.NSUBJ, sx.NSUBJPASS) or tok.head.dep_ != sx.CCOMP:
        return None
    say = tok.head.head
    if say.lemma_.lower() not in _SAY:
        return None
    subj = next((c for c in say.children if c.dep_ == sx.NSUBJ), None)
    if subj is None and say.dep_ == sx.CONJ:  # "X demanded ... and said it would ...": X speaks
        subj = next((c for c in say.head.children if c.dep_ == sx.NSUBJ), None)
    if subj is None or subj.pos_ == "PRON":
        return None
    return subj


#: Verbs whose subject a subject pronoun of their complement clause refers to ("X said he would ...")
_SAY = governors("say") | words("commissive_verbs")


def _modifies_person(tok) -> bool:
    """'Russian' in 'a senior Russian general': a nationality of a person, not a thing 'it' can be."""
    return tok.dep_ in (sx.AMOD, sx.COMPOUND) and tok.head.lemma_.lower() in PERSON_NOUNS


def _authored_text(participle) -> bool:
    """'A French-sponsored resolution', 'a British-backed proposal': the participle names a text's author."""
    return participle.lower_ in AUTHORING_PARTICIPLES and participle.head.lemma_.lower() in TEXT_NOUNS


def _is_person(m: Mention) -> bool:
    return m.actor.kind == "person" or m.how in ("title", "surname")


class Mentions:
    """All actor mentions of one parsed article, indexed by token."""

    def __init__(
        self, doc, on: date, registry: ActorRegistry | None = None, discourse: Discourse | None = None
    ):
        from pipeline.extract.discourse import Discourse

        self.doc = doc
        self.on = on
        self.registry = registry or ActorRegistry.default()
        #: what the article has told so far: "the two leaders" are the last event's two sides
        self.discourse = discourse if discourse is not None else Discourse()
        self.by_token: dict[int, Mention] = {}
        self.mentions: list[Mention] = []
        self._surnames: dict[str, tuple[Actor, str]] = {}
        self._roles: dict[str, Actor] = {}  # "junta" -> the actor it was resolved to
        self._acronyms: dict[str, tuple[Actor, int]] = {}  # "KRA" -> its organisation's state, first index
        #: the doc's token facts as plain lists: scans over every token read these, not ``Token`` objects
        self._v = namematch.view(doc)
        self._roots: dict[tuple[int, int], object] = {}  # (start, end) -> the span's root token
        self._find_registry_names()
        self._drop_document_names()
        self._locate_ethnic_groups()
        self._retitle_people()
        self._find_people()
        self.mentions.sort(key=lambda m: m.start)

    # -- detection -------------------------------------------------------------------------
    def _add(self, start: int, end: int, actor: Actor, how: str) -> Mention:
        m = Mention(start, end, actor, self._v.span_text(start, end), how)
        self.mentions.append(m)
        for i in range(start, end):
            self.by_token[i] = m
        return m

    def _find_registry_names(self) -> None:
        index = _alias_index(self.registry)
        v = self._v
        n = len(v.words)
        resume = 0
        for i, width in namematch.name_starts(v, index.first, index.start_memo):
            if i < resume:
                continue  # inside the name found last
            hit = None
            for j in range(min(n, i + width), i, -1):
                if v.punct[j - 1] and j - i > 1:
                    continue
                text = v.span_text(i, j)
                key = _norm(text)
                if key in index.non_actors:
                    hit = (j, None)  # "South China Sea": a name that contains an alias but is no actor
                    break
                if key not in index.keys:
                    continue
                if j < n and self.doc[j].lemma_.lower() in CURRENCY_NOUNS:
                    hit = (j, None)  # "U.S. dollars", "Swiss francs"
                    break
                actor = _lookup(self.registry, text, self.on)
                if actor is not None and actor.kind == "demonym" and self._first_name(j):
                    actor = None  # "German Gref", "American Airlines": a name, not a nationality
                    hit = (j, None)
                    break
                if actor is not None and actor.kind in ("capital", "group", "institution"):
                    actor = _as_of(actor, self.on)  # Juba or the SPLA in 2005 are Sudan's
                if actor is not None:
                    hit = (j, actor)
                    break
            if hit:
                if hit[1] is not None:
                    m = self._add(i, hit[0], hit[1], "registry")
                    if hit[1].kind == "person":  # "Igor Kirillov" ... later "Kirillov", even past his term
                        self._remember(m.start, m.end, hit[1])
                resume = hit[0]

    def _drop_document_names(self) -> None:
        """A city in the name of a text is no actor: "the Nairobi Action Plan", "the Oslo Accords", "the
        Doha Roadmap" (a capitalised head noun of texts; "a Moscow deal" stays Moscow's)."""
        for m in [m for m in self.mentions if m.actor.kind in ("capital", "place")]:
            root = self._root(m)
            head = root.head
            if root.dep_ == sx.COMPOUND and head.pos_ == "PROPN" and head.lemma_.lower() in DOCUMENT_NOUNS:
                self.mentions.remove(m)
                for i in range(m.start, m.end):
                    self.by_token.pop(i, None)

    def _locate_ethnic_groups(self) -> None:
        """An ethnic group acts for the state it lives in: the nationality written before it ("Iraqi
        Kurds"), else a state it lives in named in the sentence ("ethnic Albanians ... in Macedonia"), else
        one named earlier in the article, else the likeliest; states as they were on the article date."""
        for k, m in enumerate(list(self.mentions)):  # registry mentions, in text order
            marked = m.start > 0 and self._v.lower[m.start - 1] in ETHNIC_MARKERS
            if m.actor.kind not in ("ethnic", "demonym") or (m.actor.kind == "demonym" and not marked):
                continue
            states = tuple(state_on(c, self.on) for c in self.registry.ethnic_states(m.text, marked))
            if not states:
                continue
            code = self._ethnic_state(k, m, states) or (states[0] if m.actor.kind == "ethnic" else None)
            if code is not None and code != m.actor.code:  # replaced in place: the list stays in text order
                new = Mention(m.start, m.end, Actor(code, m.actor.name, "ethnic"), m.text, "registry")
                self.mentions[k] = new
                for i in range(m.start, m.end):
                    self.by_token[i] = new

    def _ethnic_state(self, k: int, m: Mention, states: tuple[str, ...]) -> str | None:
        prev = self.mentions[k - 1] if k > 0 else None
        if prev is not None and prev.end == m.start and prev.actor.kind in ("state", "demonym"):
            return prev.actor.code  # "Iraqi Kurds", "Syrian Druze": the nationality says it
        sent = self.doc[m.start].sent
        here = [x for x in self.mentions if sent.start <= x.start < sent.end and x is not m]
        # a place it is in ("Kurdish rebel bases in northern Iraq") before the nearest other state
        here.sort(key=lambda x: (not self._is_location(x), abs(x.start - m.start)))
        earlier = [x for x in reversed(self.mentions[:k]) if x.start < sent.start]
        for x in here:
            if x.actor.kind in ("state", "capital", "demonym") and x.actor.code in states:
                return x.actor.code
        for t in sent:  # a city the registry does not know ("Shiite activists in Karachi")
            code = city_country(t.text, self.on) if t.pos_ == "PROPN" and t.i not in self.by_token else None
            if code in states:
                return code
        for x in earlier:
            if x.actor.kind in ("state", "capital", "demonym") and x.actor.code in states:
                return x.actor.code
        return None

    def _is_location(self, m: Mention) -> bool:
        """Is the mention the object of a location preposition ("in northern Iraq", "across Serbia")?"""
        root = self._root(m)
        return root.dep_ == sx.POBJ and root.head.lower_ in LOCATION_PREPS

    def _retitle_people(self) -> None:
        """A registry person's title phrase names the role they act in: "U.N. mediator X" is the UN even
        where X was once a minister of his country (and so is a later "X" of the article). An IGO title
        always wins; a state title only for a person out of office on the article date (the registry then
        knows only the nationality)."""
        roles: dict[str, Actor] = {}
        for m in [m for m in self.mentions if m.actor.kind == "person"]:
            title = self._role_title(self.doc[m.start : m.end])
            actor = title.actor if title is not None else roles.get(m.actor.name)
            if actor is None or actor.code == m.actor.code:
                continue
            if title is None or actor.kind == "igo" or m.actor.title is None:
                roles[m.actor.name] = actor
                self.mentions.remove(m)
                self._add(m.start, m.end, actor, "title")
                for t in self.doc[m.start : m.end]:
                    if self._surnames.get(t.lower_, (None,))[0] == m.actor:
                        del self._surnames[t.lower_]
                self._remember(m.start, m.end, actor)

    def _role_title(self, span) -> Mention | None:
        """The actor of the title phrase written right before a name ("U.N. mediator X", not "the IMF and
        President X") or in apposition to it ("X, the U.N. mediator")."""
        k = span.start - 1
        while k >= 0 and self.doc[k].pos_ in ("NOUN", "PROPN", "ADJ") and self.doc[k].dep_ != sx.CONJ:
            m = self.by_token.get(k)
            if m is not None:
                return None if _is_person(m) else m
            k -= 1
        for c in sx.children(span.root, sx.APPOS):
            m = self._first_state(c.subtree)
            if m is not None:
                return m
        return None

    def _first_name(self, j: int) -> bool:
        """Is the token at ``j`` (after a demonym) the rest of a proper name rather than a title or noun?"""
        v = self._v
        if j >= len(v.words):
            return False
        run = [k for k in range(j, min(j + 4, len(v.words))) if v.pos[k] == "PROPN" or v.tag[k] == "POS"]
        if any(v.lower[k] in ORGANISATION_WORDS for k in run):
            return False  # "the Serbian Farmers' Union": a demonym on an organisation's name
        return (
            v.pos[j] == "PROPN"
            and v.alpha[j]
            and v.words[j][:1].isupper()
            and v.lower[j] not in TITLE_WORDS
            and self.doc[j].dep_
            not in (sx.COMPOUND, sx.AMOD)  # the name ends here: "German Gref", not "Syrian Democratic Forces"
            and _norm(v.words[j]) not in _alias_index(self.registry).first
        )

    def _non_actor(self, text: str) -> bool:
        check = getattr(self.registry, "is_non_actor", None)
        return bool(check and check(text))

    def _title_actor(self, ent) -> Mention | None:
        """The country in a person's title phrase: left modifiers, or the noun it is in apposition to."""
        root = ent.root
        left = [t for t in root.subtree if t.i < ent.start]
        # a possessor owns the title ("the IMF's Ghana mission chief"), else the nearest state names it
        owner = self._first_state(t for t in left if t.dep_ == sx.POSS)
        m = owner or self._first_state(reversed(left))
        if m is not None:
            return self._past_host(m)
        if root.dep_ in (sx.APPOS, sx.COMPOUND) and root.head.i not in range(ent.start, ent.end):
            head = root.head
            if head.dep_ == sx.POBJ and head.head.lower_ in HOST_PREPS and head.head.head.i < head.i:
                head = head.head.head  # "the Ghanaian ambassador to Togo, X": the title, not its host
            m = self._title_noun_actor(head, ent.start)
            if m is not None:
                return m
        for c in sx.children(root, sx.APPOS):  # "Xi Jinping, the Chinese president"
            m = self._first_state(c.subtree)
            if m is not None:
                return m
        return None

    def _past_host(self, m: Mention) -> Mention | None:
        """ "Britain's ambassador to Romania X" read left to right when the parse makes Romania part of the
        name: the host after "to"/"in" is not the title's state; the state before the title word is."""
        v = self._v
        k = m.start - 1
        if k < 1 or v.lower[k] not in HOST_PREPS or v.lower[k - 1] not in TITLE_WORDS:
            return m
        for j in range(k - 1, max(-1, k - 6), -1):
            found = self.by_token.get(j)
            if found is not None and not _is_person(found):
                return found
            if not (v.lower[j] in TITLE_WORDS or v.tag[j] == "POS" or v.pos[j] in ("ADJ", "PROPN", "NOUN")):
                break
        return None

    def _first_state(self, toks) -> Mention | None:
        """The first mention among the tokens that is not a person."""
        for t in toks:
            m = self.by_token.get(t.i)
            if m is not None and not _is_person(m):
                return m
        return None

    def _title_noun_actor(self, head, ent_start: int) -> Mention | None:
        """'Argentina's president Javier Milei', 'its foreign minister X': the title noun's country (never
        the host a title is "to" or "in": "Ghana's ambassador to Togo")."""
        m = self.by_token.get(head.i)
        if m is not None:
            return m
        hosts = {t.i for p in sx.preps(head, HOST_PREPS) for t in p.subtree}
        m = self._first_state(t for t in head.subtree if t.i < ent_start and t.i not in hosts)
        if m is not None:
            return m
        for c in head.children:
            if c.dep_ == sx.POSS and c.lower_ in THING_PRONOUNS | PLURAL_PRONOUNS:
                ref = self.coref(c)
                if ref:
                    return Mention(c.i, c.i + 1, ref[0].actor, ref[0].name, "title")
        return None

    def _person_spans(self) -> list:
        """PERSON entities when the pipeline has NER; else runs of proper nouns minus leading titles
        (NER is the costliest component of the small model, and the parse already marks names)."""
        doc = self.doc
        if doc.has_annotation("ENT_IOB"):
            return [e for e in doc.ents if e.label_ == "PERSON"]
        v = self._v
        words, lower, n = v.words, v.lower, len(v.words)
        name = [
            p == "PROPN" and w[:1].isupper() and low not in CALENDAR_WORDS
            for p, w, low in zip(v.pos, words, lower, strict=True)
        ]
        spans = []
        j = 0
        for i in [k for k, x in enumerate(name) if x]:
            if i < j:
                continue  # inside the run found last
            j = i + 1
            while j < n and (name[j] or (words[j] == "-" and j + 1 < n and name[j + 1])):
                j += 1
            k = i
            while k < j and (
                lower[k] in TITLE_WORDS or (k in self.by_token and not _is_person(self.by_token[k]))
            ):
                k += 1
            if k < j and not all(x in self.by_token for x in range(k, j)) and not _names_a_thing(doc[k:j]):
                spans.append(doc[k:j])
        return spans

    def _find_people(self) -> None:
        v = self._v
        people = [ent for ent in self._person_spans() if not self._found_organisation(ent)]
        self._recall_acronyms()
        for ent in people:
            known = [self.by_token[i] for i in range(ent.start, ent.end) if i in self.by_token]
            if known:
                m = known[-1]
                if _is_person(m) or m.actor.kind == "person":
                    self._remember(ent.start, ent.end, m.actor)
                continue
            title = self._title_actor(ent)
            if title is not None:
                self._add(ent.start, ent.end, title.actor, "title")
                self._remember(ent.start, ent.end, title.actor)
                continue
            last = v.lower[ent.end - 1]
            if last in self._surnames:
                self._add(ent.start, ent.end, self._surnames[last][0], "surname")
        # surnames the NER missed
        if not self._surnames:
            return
        for i, (low, pos) in enumerate(zip(v.lower, v.pos, strict=True)):
            if pos != "PROPN" or low not in self._surnames or i in self.by_token:
                continue
            if v.ent_types[i] in ("", "PERSON", "ORG", "NORP"):
                first_seen = self._surnames[low][1]
                if first_seen and int(first_seen) < i:
                    self._add(i, i + 1, self._surnames[low][0], "surname")

    def _found_organisation(self, ent) -> bool:
        """ "the Kenyan Revenue Authority": a name shaped as an organisation's, with a state in its title
        phrase, is that state's body (a union or a party: a civil body of it), never a person."""
        if any(i in self.by_token for i in range(ent.start, ent.end)) or not self._organisation(ent):
            return False
        title = self._title_actor(ent)
        if title is None:
            return False
        a = title.actor
        civil = any(low in CIVIL_BODY_WORDS for low in self._v.lower[ent.start : ent.end])
        self._add(ent.start, ent.end, Actor(a.code, ent.text, "organisation") if civil else a, "organisation")
        self._remember_acronym(ent, a)
        return True

    def _organisation(self, ent) -> bool:
        """A proper-noun run shaped as an organisation's name ("Revenue Authority", "Andean Trade Forum",
        "Heads"): a word of organisations' names, a plural, or one all-capitals acronym."""
        v, a, b = self._v, ent.start, ent.end
        if any(low in ORGANISATION_WORDS for low in v.lower[a:b]) or "NNPS" in v.tag[a:b]:
            return True
        return b - a == 1 and v.words[a].isupper() and len(v.words[a]) > 1

    def _remember_acronym(self, ent, actor: Actor) -> None:
        """ "the Kenyan Revenue Authority (KRA)" ... later "KRA officials": an organisation's acronym names
        it again further on. Not for a body of several states ("the Andean-Caribbean (ACF) forum")."""
        acronyms = [t for t in ent if _acronym(t)]
        if not acronyms:
            return
        root = ent.root
        named = root.head if root.dep_ == sx.APPOS else root  # "the India-Brazil-South Africa (IBSA) ..."
        states = {self.by_token[t.i].actor.code for t in named.subtree if t.i in self.by_token}
        if len(states) <= 1:
            for t in acronyms:
                self._acronyms.setdefault(t.text, (actor, t.i))

    def _recall_acronyms(self) -> None:
        """Later uses of a remembered acronym, whatever the tagger made of them ("KRA chief": a NOUN)."""
        if not self._acronyms:
            return
        for i, w in enumerate(self._v.words):
            known = self._acronyms.get(w)
            if known is not None and i > known[1] and i not in self.by_token:
                self._add(i, i + 1, known[0], "organisation")

    def _remember(self, start: int, end: int, actor: Actor) -> None:
        """The capitalised words of a name (tokens ``start``..``end``), for later surname mentions."""
        v = self._v
        for i in range(start, end):
            if v.alpha[i] and v.words[i][:1].isupper() and v.lower[i] not in self._surnames:
                self._surnames[v.lower[i]] = (actor, str(i))

    # -- resolution ------------------------------------------------------------------------
    def _root(self, m: Mention):
        """``doc[m.start:m.end].root``, found once per mention span (resolution asks it of each candidate)."""
        key = (m.start, m.end)
        root = self._roots.get(key)
        if root is None:
            root = self._roots[key] = self.doc[m.start : m.end].root
        return root

    def _sent_start(self, i: int) -> int:
        """``doc[i].sent.start``, read from the view (no ``Span``)."""
        starts = self._v.sent_starts
        return starts[i] if starts is not None else self.doc[i].sent.start

    def before(self, i: int, window_sents: int = 4) -> list[Mention]:
        """Mentions before token ``i`` in the last few sentences, most recent first."""
        starts = self._v.sent_starts
        if starts is None:  # no sentence boundaries: spaCy's own error
            starts = [self.doc[k].sent.start for k in range(len(self.doc))]
        limit = starts[i]
        for _ in range(window_sents):
            if limit == 0:
                break
            limit = starts[limit - 1]
        return [m for m in reversed(self.mentions) if limit <= m.start < i]

    def coref(self, tok, exclude: set[str] | None = None) -> list[Ref]:
        """Pronouns and definite descriptions -> the last fitting actor(s)."""
        exclude = exclude or set()
        low = tok.lower_
        speaker = _speaker_subject(tok)
        if speaker is not None and low in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
            # "Police said they had arrested ...", "Zelensky said he ...": the speaker, or no actor at all
            refs = [r for r in self.resolve(speaker) if r.actor.code not in exclude]
            return [Ref(r.actor, tok.text, "coref", tok.i, r.agent) for r in refs]  # "rebels said they"
        if low in THING_PRONOUNS and tok.dep_ == sx.NSUBJ:
            author = [r for r in self._report_author(tok) if r.actor.code not in exclude]
            if author:
                return [Ref(r.actor, tok.text, "coref", tok.i, r.agent) for r in author]
        cands = [m for m in self.before(tok.i) if m.actor.code not in exclude]
        if not cands:
            return []
        if low in PERSON_PRONOUNS:  # the last person named, even a few sentences further back
            pick = next((m for m in cands if _is_person(m)), None) or self._last_person(tok, exclude)
            pick = pick or cands[0]
            return [Ref(pick.actor, tok.text, "coref", tok.i)]
        if low in THING_PRONOUNS:
            fits = [
                m for m in cands if not _is_person(m) and not _modifies_person(self._root(m))
            ]
            fits = fits or cands
        else:
            fits = cands
        start = self._sent_start(tok.i)
        if low in ("its", "their"):  # a possessive in its own sentence: usually the subject's
            same = [m for m in fits if m.start >= start and _is_subject(self._root(m))]
            if same:
                return [Ref(same[0].actor, tok.text, "coref", tok.i)]
        if fits[0].start >= start:  # an antecedent in the same clause chain: the nearest one
            return [Ref(fits[0].actor, tok.text, "coref", tok.i)]
        # across sentences, a subject of the previous sentence beats a more recent object
        prev_start = self._sent_start(start - 1) if start > 0 else start
        subjects = [m for m in fits if m.start >= prev_start and _is_subject(self._root(m))]
        pick = subjects[0] if subjects else fits[0]
        return [Ref(pick.actor, tok.text, "coref", tok.i)]

    def _last_person(self, tok, exclude: set[str]) -> Mention | None:
        """ "he" whose sentence and the few before name no person: the person last named in the same
        paragraphs' story, not the organisation or state named since ("Bodman ... OPEC ... He lauded")."""
        wider = self.before(tok.i, window_sents=12)
        return next((m for m in wider if _is_person(m) and m.actor.code not in exclude), None)

    def _speaker_side(self, tok, exclude: set[str] | None) -> list[Ref]:
        """ "We urged them to talk," the envoy said: "we" is the side of whoever says the sentence (a
        pronoun speaker through its own antecedent); a first person no one says is nobody known."""
        say = tok.sent.root
        if say.lemma_.lower() not in SAY_VERBS:
            return []
        subj = sx.child(say, sx.NSUBJ)
        if subj is None or subj.lower_ in SPEAKER_PRONOUNS:
            return []
        refs = self.resolve(subj, exclude)
        return [Ref(r.actor, tok.text, "coref", tok.i, r.agent) for r in refs]

    def _report_author(self, tok) -> list[Ref]:
        """ "..., the study said. It urged ...": a pronoun right after a report that spoke stands for the
        report, that is for its author, the last actor who spoke before it ("the agency said ...")."""
        start = self._sent_start(tok.i)
        if start == 0:
            return []
        prev = self.doc[start - 1].sent
        subj = sx.child(prev.root, sx.NSUBJ)
        if subj is None or subj.lemma_.lower() not in REPORT_NOUNS or subj.i in self.by_token:
            return []
        if prev.root.lemma_.lower() not in SAY_VERBS | REPORT_VERBS:
            return []
        return self.discourse.last_speaker(prev.start, SAY_VERBS)

    def group(self, tok) -> list[Ref]:
        """'the two leaders', 'both countries': the two sides of the last two-party event, else the
        last two distinct actors mentioned."""
        states = tok.lemma_.lower() in STATE_GROUP_NOUNS  # "the two militaries": not the ICJ
        pair = self.discourse.last_pair(tok.i, self._sent_start(tok.i) - 200, states)
        if pair:
            return [Ref(r.actor, tok.text, "group", tok.i) for r in pair]
        seen: dict[str, Mention] = {}
        for m in self.before(tok.i, window_sents=6):
            if states and m.actor.code.startswith("IGO"):
                continue
            if m.actor.code not in seen:
                seen[m.actor.code] = m
            if len(seen) == 2:
                break
        if len(seen) < 2:
            return []
        return [Ref(m.actor, tok.text, "group", tok.i) for m in seen.values()]

    def resolve(self, tok, exclude: set[str] | None = None, own: bool = True) -> list[Ref]:
        """Actors an argument phrase denotes, with its conjuncts ("France, Germany and Italy").

        ``own=False`` ignores possessive pronouns ("held his first summit with ..."): in an object
        they point back at the subject, not at the target."""
        out: list[Ref] = []
        conj = [tok, *tok.conjuncts] if tok.dep_ != sx.CONJ else [tok]
        for c in sx.kids(tok):  # "the minister, X, and Y": the conjunction hangs on the apposition
            if c.dep_ == sx.APPOS:
                conj.extend(c.conjuncts)
            elif c.dep_ == sx.NMOD and any(d.dep_ == sx.CC for d in sx.kids(c)):
                conj.append(c)  # "thanked the IMF and President Trump" parsed as a modifier
        for t in conj:
            for ref in self._resolve_one(t, exclude, depth=0, own=own):
                if all(r.actor.code != ref.actor.code for r in out):
                    out.append(ref)
        return out

    def _resolve_one(self, tok, exclude: set[str] | None, depth: int, own: bool = True) -> list[Ref]:
        """One phrase (no conjuncts): a mention, a pronoun or group noun, else through its dependents."""
        m = self.by_token.get(tok.i)
        if m is not None:
            return [Ref(m.actor, m.text, m.how, tok.i)]
        special = self._pronoun_or_group(tok, exclude)
        if special is not None:
            return special
        if depth > 2:
            return []
        for step in (
            self._named_apposition,
            self._by_modifiers,
            self._by_origin,
            self._by_location,
            self._by_apposition,
            self._by_definite_role,
        ):
            refs = step(tok, exclude, depth, own)
            if refs:
                return refs
        return []

    def _pronoun_or_group(self, tok, exclude: set[str] | None) -> list[Ref] | None:
        """Pronouns, "both", "the two leaders", "the three countries"; None for any other phrase."""
        low = tok.lower_
        if low in REFLEXIVE_PRONOUNS:  # "killed himself": no second party
            return []
        if low in SPEAKER_PRONOUNS:
            return self._speaker_side(tok, exclude)
        if low in PAIR_WORDS and tok.dep_ in (sx.NSUBJ, sx.NSUBJPASS, sx.DOBJ, sx.POBJ):
            return self.group(tok)  # "the two agreed", "both said"
        if tok.pos_ == "PRON" or low in _PRONOUNS:
            if low in PLURAL_PRONOUNS:
                g = self._last_conjunction(tok)
                if g:
                    return g
            return self.coref(tok, exclude) if low in _PRONOUNS else []
        if tok.lemma_.lower() in GROUP_NOUNS and tok.tag_ in ("NNS", "NNPS"):
            if any(c.lower_ in PAIR_WORDS for c in sx.kids(tok)):
                return self.group(tok)  # "the two leaders", "both countries"
            n = next((_COUNTS[c.lower_] for c in sx.kids(tok) if c.lower_ in _COUNTS), 0)
            if n:
                return self._conjunction_of(tok, n)  # "Spain, Ireland and Norway ... the three countries"
        return None

    def _named_apposition(self, tok, exclude, depth: int, own: bool) -> list[Ref]:
        """'Its prime minister, Viktor Orban': the named person first."""
        for c in sx.kids(tok):
            if c.dep_ == sx.APPOS and c.i in self.by_token:
                refs = self._resolve_one(c, exclude, depth + 1)
                if refs:
                    return refs
        return []

    def _modifier_refs(self, c, exclude, depth: int, own: bool) -> list[Ref]:
        v = self._v
        if c.i >= 2 and v.words[c.i - 1] == "-" and v.lower[c.i - 2] in OPPOSED_PREFIXES:
            return []  # "an anti-Iran cleric" is no Iranian
        if c.dep_ == sx.AMOD and c.lower_ in AFFILIATION_PARTICIPLES and not _authored_text(c):
            return []  # "the Iran-backed group" is not Iran; but "a French-sponsored resolution" is France's
        if c.dep_ == sx.POSS and c.lower_ in _PRONOUNS:
            return self._resolve_one(c, exclude, depth + 1) if own else []
        return [r for x in [c, *c.conjuncts] for r in self._resolve_one(x, exclude, depth + 1)]

    def _by_modifiers(self, tok, exclude, depth: int, own: bool) -> list[Ref]:
        """ "Russia's", "Chinese", "Kremlin spokesman", "its prime minister"; a named modifier beats one
        resolved by reference ("Syrian government aircraft": Syrian, not "the government")."""
        fallback: list[Ref] = []
        sector = AGENT_NOUNS.get(tok.lemma_.lower())
        kids = [(c, c.dep_) for c in sx.kids(tok) if c.i <= tok.i]  # read once, not once per label
        for dep in sx.NAME_MODIFIERS:
            for c, label in kids:
                if label != dep:
                    continue
                refs = self._modifier_refs(c, exclude, depth, own)
                out = [
                    Ref(
                        r.actor,
                        f"{r.name} {tok.text}" if r.how != "coref" else tok.text,
                        "modifier" if r.how != "coref" else "coref",
                        r.token,
                        sector or r.agent,
                    )
                    for r in refs
                ]
                if any(r.how != "coref" for r in out):
                    return out
                fallback = fallback or out
        return fallback

    def _by_origin(self, tok, exclude, depth: int, own: bool) -> list[Ref]:
        """ "The foreign minister of Saudi Arabia", "diplomats from Argentina and Chile", "residents of
        Hebron" (a people noun's place names its state)."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return []
        lemma = tok.lemma_.lower()
        located = _located_lemma(tok) is not None
        preps = sx.preps(tok, ORIGIN_PREPS)
        for c in sx.kids(tok):  # "labourers coming from Poland", "refugees fleeing from Syria"
            if c.dep_ == sx.ACL and c.lemma_.lower() in ORIGIN_PARTICIPLES:
                preps.extend(p for p in sx.preps(c, ORIGIN_PREPS) if p.lower_ == "from")
        for c in preps:
            pobjs = sx.children(c, sx.POBJ)
            for g in pobjs[:1]:
                xs = list(dict.fromkeys([*pobjs, *g.conjuncts]))
                refs = [r for x in xs for r in self._resolve_one(x, exclude, depth + 1)]
                if not refs and located:
                    refs = self._located_refs(g, exclude, depth)
                if refs and (lemma in _ORIGIN_HEADS or located or c.lower_ == "from"):
                    return refs
        return []

    def _located_refs(self, g, exclude, depth: int) -> list[Ref]:
        """The states a place phrase names: a state, a capital or a city, never an IGO or a person."""
        refs = self._resolve_one(g, exclude, depth + 1) or place_refs(g, self.by_token, on=self.on)
        return [r for r in refs if not r.actor.code.startswith("IGO") and r.actor.kind != "person"]

    def _by_location(self, tok, exclude, depth: int, own: bool) -> list[Ref]:
        """ "Rebels in Ivory Coast", "opposition parties across Togo", "a group based in Karachi": a
        sub-state actor acts for the state it is in (never troops or envoys, who are often abroad)."""
        lemma = _located_lemma(tok)
        if lemma is None:
            return []
        preps = sx.preps(tok, LOCATION_PREPS)
        if preps and tok.dep_ in (sx.NSUBJ, sx.NSUBJPASS) and tok.lemma_.lower() in UNNAMED_AGENTS:
            return []  # "police in Tbilisi detained": the source rule unnamed_forces_of_the_place
        for c in sx.kids(tok):  # "a group based in ...", "fighters operating in ..."
            if c.dep_ == sx.ACL and c.lower_ in BASING_PARTICIPLES:
                preps.extend(sx.preps(c, LOCATION_PREPS))
        for p in preps:
            for g in sx.children(p, *sx.PREP_OBJECTS)[:1]:
                refs = self._located_refs(g, exclude, depth)
                if refs:
                    sector = AGENT_NOUNS.get(lemma) or next(  # "opposition parties in X": OPP
                        (AGENT_NOUNS[c.lemma_.lower()] for c in sx.kids(tok)
                         if c.dep_ in (sx.COMPOUND, sx.AMOD) and c.lemma_.lower() in AGENT_NOUNS),
                        None,
                    )  # fmt: skip
                    name = f"{tok.text} {p.text}"
                    return [Ref(r.actor, f"{name} {r.name}", "modifier", r.token, sector) for r in refs]
        return []

    def _by_apposition(self, tok, exclude, depth: int, own: bool) -> list[Ref]:
        """'The ousted president, Mohamed Bazoum'."""
        for c in sx.children(tok, sx.APPOS):
            refs = self._resolve_one(c, exclude, depth + 1)
            if refs:
                return refs
        return []

    def _by_definite_role(self, tok, exclude, depth: int, own: bool) -> list[Ref]:
        """ "The bloc": the last organisation; "the minister", "the junta": the last actor in the role."""
        lemma = tok.lemma_.lower()
        definite = any(c.lower_ == "the" for c in sx.kids(tok))
        if not definite and not (tok.dep_ in (sx.COMPOUND, sx.NPADVMOD) and lemma in ROLE_NOUNS):
            return []
        if lemma in IGO_NOUNS:
            pick = next(
                (m for m in self.before(tok.i) if m.actor.kind == "igo" or m.actor.code.startswith("IGO")),
                None,
            )
            return [Ref(pick.actor, tok.text, "coref", tok.i)] if pick else []
        if lemma in ROLE_NOUNS and tok.tag_ in ("NN", "NNP"):
            return self._last_in_role(tok, lemma, exclude or set())
        return []

    def _last_in_role(self, tok, lemma: str, exclude: set[str]) -> list[Ref]:
        if lemma in self._roles and self._roles[lemma].code not in exclude:
            return [
                Ref(self._roles[lemma], tok.text, "coref", tok.i, AGENT_NOUNS.get(lemma))
            ]  # "the junta" as before
        cands = [
            m
            for m in self.before(tok.i)
            if not m.actor.code.startswith("IGO") and m.actor.code not in exclude
        ]
        # "Kenya's foreign minister ... the minister": the actor that last had this role
        pick = next((m for m in cands if self._root(m).head.lemma_.lower() == lemma), None)
        if pick is None and lemma in PERSON_NOUNS:  # "the president": the last person named
            pick = next((m for m in cands if _is_person(m)), None)
        pick = pick or (cands[0] if cands else None) or self._story_state(tok, lemma, exclude)
        if not pick:
            return []
        self._roles[lemma] = pick.actor
        return [Ref(pick.actor, tok.text, "coref", tok.i, AGENT_NOUNS.get(lemma))]  # "the opposition": OPP

    def _story_state(self, tok, lemma: str, exclude: set[str]) -> Mention | None:
        """ "the Ministry of Agriculture" long after the only state was named: a body of government that no
        recent sentence places is the story's state, the last one named in the article."""
        if lemma not in STATE_BODY_NOUNS:
            return None
        return next(
            (
                m
                for m in reversed(self.mentions)
                if m.start < tok.i
                and not _is_person(m)
                and not m.actor.code.startswith("IGO")
                and m.actor.code not in exclude
            ),
            None,
        )

    def _conjunction_of(self, tok, n: int) -> list[Ref]:
        """'the three countries': the last coordination of exactly ``n`` actors in the last sentences."""
        for m in self.before(tok.i, window_sents=3):
            head = self._root(m)
            refs: list[Ref] = []
            for x in [head, *head.conjuncts]:
                mm = self.by_token.get(x.i)
                if mm and all(r.actor.code != mm.actor.code for r in refs):
                    refs.append(Ref(mm.actor, tok.text, "group", tok.i))
            if len(refs) == n:
                return refs
        return []

    def _last_conjunction(self, tok) -> list[Ref]:
        """'they' right after 'A and B ...': both."""
        for m in self.before(tok.i, window_sents=1):
            head = self._root(m)
            if head.conjuncts:
                refs = []
                for x in [head, *head.conjuncts]:
                    mm = self.by_token.get(x.i)
                    if mm and all(r.actor.code != mm.actor.code for r in refs):
                        refs.append(Ref(mm.actor, tok.text, "coref", tok.i))
                if len(refs) > 1:
                    return refs
            break
        return []
