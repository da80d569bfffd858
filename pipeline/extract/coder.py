"""The event coder: a parsed article -> CAMEO events "who did what to whom, when".

For each sentence: find the triggers (lexicon verbs, then nouns not already part of a verb's pattern),
decide a verb's modality (fact, intent, threat, refusal, or nothing), run the argument rule tables
(:mod:`pipeline.extract.arguments`) and emit the pairs (:mod:`pipeline.extract.pairing`). Repeats of the
same event within an article are merged into one row. Coding many articles (batches, processes,
per-article isolation) is :mod:`pipeline.extract.batch`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.attrs import DEP, LEMMA, POS
from spacy.symbols import AUX, NOUN, PROPN, VERB

from pipeline.extract import location
from pipeline.extract import syntax as sx
from pipeline.extract.arguments import LIGHT_VERBS, Context, noun_frame, verb_frame
from pipeline.extract.codebook import lookup
from pipeline.extract.dates import ArticleDates
from pipeline.extract.discourse import Discourse
from pipeline.extract.explain import SentenceExplanation, note
from pipeline.extract.lexicon import PREPS, Lexicon, Match
from pipeline.extract.mentions import Mentions
from pipeline.extract.modality import FACT, SAY_VERBS, assess
from pipeline.extract.obligation import obligation_match, speaker_demand
from pipeline.extract.pairing import Candidate, emit
from pipeline.extract.roots import transform
from pipeline.models import Article

EVENT_FIELDS = (
    "event_id", "article_id", "source_file", "sentence_index", "publication_date", "event_date",
    "date_precision", "source_actor", "source_name", "target_actor", "target_name", "cameo_code",
    "cameo_root", "quad_class", "goldstein", "confidence", "evidence", "trigger", "mentions",
    "source_agent", "target_agent", *location.FIELDS, "plover_event", "plover_mode",
)  # fmt: skip


class Coder:
    """Codes parsed documents; holds the lexicon and the actor registry for a process."""

    def __init__(self, lexicon: Lexicon | None = None, registry=None):
        from pipeline.extract.actors import ActorRegistry

        self.lexicon = lexicon or Lexicon.default()
        self.registry = registry or ActorRegistry.default()
        self._noun_heads: dict[int, bool] = {}  # lemma id -> may it head a noun pattern (see _noun_head)

    def code_doc(
        self, doc, article: Article, explain: list[SentenceExplanation] | None = None, reduced=None
    ) -> list[dict]:
        """Events of one parsed article; ``reduced`` maps a pre-filtered text back to sentence numbers."""
        pub = article.publication_date
        discourse = Discourse()
        ctx = Context(
            Mentions(doc, pub, self.registry, discourse), discourse, self.lexicon, ArticleDates(pub)
        )
        cands: list[Candidate] = []
        sheet = _Sheet(doc)
        for k, sent in enumerate(doc.sents):
            si = reduced.sentence_number(sent.start_char) if reduced is not None else k
            ex = SentenceExplanation(si, sent.text.strip()) if explain is not None else None
            cands.extend(self._code_sentence(sent, si, ctx, ex, sheet))
            ctx.dates.advance(sent)
            if ex is not None:
                explain.append(ex)
        return merge(cands, article)

    # -- per sentence --------------------------------------------------------------------------
    def _code_sentence(self, sent, si: int, ctx: Context, ex, sheet: _Sheet) -> list[Candidate]:
        out: list[Candidate] = []
        consumed: set[int] = set()
        self._verb_triggers(sent, si, ctx, ex, sheet, consumed, out)
        self._noun_triggers(sent, si, ctx, ex, sheet, consumed, out)
        return out

    def _verb_triggers(self, sent, si: int, ctx: Context, ex, sheet: _Sheet, consumed: set[int], out: list):
        """Verb triggers first: the words their patterns use are ``consumed`` (no noun event of their own)."""
        doc = sent.doc
        for i in range(sent.start, sent.end):
            if not sheet.verb_like(i):
                continue
            tok = doc[i]
            matches = self._verb_matches(tok, sent)
            if not matches and (demand := obligation_match(tok)) is not None:
                matches = [demand]  # "China must open its markets, Washington said"
            if not matches:
                remembered = _remember_clause(tok, ctx)
                idiom = self.lexicon.idiom(tok)
                if idiom is not None:
                    note(ex, f"'{tok.text}': idiom '{' '.join(idiom.pattern)}', not an event")
                elif remembered and tok.lemma_.lower() not in SAY_VERBS | LIGHT_VERBS:
                    note(ex, f"'{tok.text}': an actor acts, but the verb is not in the lexicon")
                continue
            consumed.update(_pattern_tokens(tok, matches[0]))
            out.extend(self._verb_events(tok, matches, sent, si, ctx, ex))

    def _noun_triggers(self, sent, si: int, ctx: Context, ex, sheet: _Sheet, consumed: set[int], out: list):
        """Nouns not already part of a verb's pattern ("launched strikes"), nor of another noun's."""
        doc = sent.doc
        nouns = []
        for i in range(sent.start, sent.end):
            if sheet.pos[i] not in _NOMINAL or i in consumed:
                continue
            if ex is None and not self._noun_head(sheet.lemma[i], doc):
                continue  # no noun pattern ends in its lemma: match_noun finds nothing (no note to write)
            tok = doc[i]
            matches = self.lexicon.match_noun(tok)
            if not matches and ex is not None and self.lexicon.idiom(tok, "noun") is not None:
                note(ex, f"'{tok.text}' (nominal): idiom, not an event")
            if matches:
                nouns.append((tok, matches))
                consumed.update(_noun_pattern_tokens(tok, matches[0]))
        for tok, matches in nouns:
            if tok.i not in consumed:
                frame, outcome = noun_frame(tok, matches[0].entry, ctx)
                if outcome.drop is not None:
                    note(ex, f"'{tok.text}' (nominal) dropped by {outcome.rule}: {outcome.drop.reason}")
                    continue
                out.extend(emit(frame, sent, si, ctx.dates, ex))

    def _noun_head(self, lemma_id: int, doc) -> bool:
        """Could a noun with this lemma start a noun pattern (``Lexicon.match_noun``'s first test)? A
        lemma id of 0 is no lemma (the lexicon then reads the text): the caller must look."""
        known = self._noun_heads.get(lemma_id)
        if known is None:
            known = lemma_id == 0 or self.lexicon.heads_noun(doc.vocab.strings[lemma_id].lower())
            self._noun_heads[lemma_id] = known
        return known

    def _verb_matches(self, tok, sent) -> list[Match]:
        matches = self.lexicon.match_verb(tok)
        if matches and tok.text[:1].isupper() and tok.i > sent.start:
            return []  # "the Visiting Forces Agreement": part of a name
        return matches

    def _verb_events(self, tok, matches: list[Match], sent, si: int, ctx: Context, ex) -> list[Candidate]:
        modality = assess(tok, ctx.is_trigger)
        if modality.dropped:
            note(ex, f"'{tok.text}' dropped: {modality.reason}")
            return []
        passive = sx.is_passive(tok)
        matches = [m for m in matches if "passive" not in m.entry.flags or passive]
        if not matches:
            return []
        entry = matches[0].entry
        frame, outcome = verb_frame(tok, entry, modality, ctx)
        if outcome.drop is not None:
            note(ex, f"'{tok.text}' ({entry.code}) dropped by {outcome.rule}: {outcome.drop.reason}")
            return []
        speaker_demand(frame, ctx)
        return emit(frame, sent, si, ctx.dates, ex)


_NOMINAL = frozenset({NOUN, PROPN})


class _Sheet:
    """A doc's part of speech, dependency and lemma ids, read once (``Doc.to_array``): the token loops of
    ``_code_sentence`` test them without building a spaCy ``Token`` for each word of each sentence."""

    __slots__ = ("pos", "rel", "lemma", "_be", "_aux")

    def __init__(self, doc):
        self.pos, self.rel, self.lemma = doc.to_array([POS, DEP, LEMMA]).T.tolist() if len(doc) else ([],) * 3
        self._be = doc.vocab.strings["be"]
        self._aux = doc.vocab.strings[sx.AUX]

    def verb_like(self, i: int) -> bool:
        """A verb, or a main-verb "be" ("was in contact with"), from the ids."""
        pos = self.pos[i]
        return pos == VERB or (pos == AUX and self.lemma[i] == self._be and self.rel[i] != self._aux)


def _remember_clause(verb, ctx: Context) -> bool:
    """Any clause with an actor subject can be what "the decision" or "the vote" later refers to."""
    subj = sx.child(verb, sx.NSUBJ)
    if subj is not None and verb.pos_ == "VERB":
        refs = ctx.mentions.resolve(subj)
        if refs:
            ctx.discourse.add_clause(verb.i, verb.lemma_.lower(), refs)
            return True
    return False


def _pattern_tokens(verb, match: Match) -> set[int]:
    """Tokens a verb's pattern used ("launched missile strikes": "strikes" is no event of its own)."""
    pattern_words = set(match.entry.pattern[1:])
    hit: set[int] = set()
    if not pattern_words:
        return hit  # a one-word pattern uses no other token
    for c in sx.kids(verb):
        for t in [c, *sx.pobjs(c)] if c.dep_ == sx.PREP else [c, *sx.prep_objects(c, ("of",))]:
            if t.lemma_.lower() in pattern_words:  # "launched a wave of strikes": the "of" object too
                hit.add(t.i)
                hit.update(x.i for x in t.conjuncts)
    return hit


def _noun_pattern_tokens(noun, match: Match) -> set[int]:
    """Modifiers a noun pattern used ("an assassination attempt": "assassination" is no event of its own)."""
    words = set(match.entry.pattern[:-1])
    if not words:
        return set()  # a one-word pattern uses no modifier
    return {c.i for c in sx.kids(noun) if c.lemma_.lower() in words and c.i != noun.i}


# -- article level -----------------------------------------------------------------------------
def merge(cands: list[Candidate], article: Article) -> list[dict]:
    """One row per (source, target, code, date); ``mentions`` counts the sentences reporting it."""
    groups: dict[tuple, list[Candidate]] = {}
    latest = article.publication_date + timedelta(days=1)
    for c in cands:
        if c.event_date > latest:  # a plan, coded as intent on the day it was stated, never in the future
            c.event_date, c.precision = article.publication_date, "day"
        groups.setdefault((c.source.actor.code, c.target.actor.code, c.code, c.event_date), []).append(c)
    rows = [_row(key, cs, article) for key, cs in groups.items()]
    rows.sort(key=lambda r: (r["sentence_index"], r["source_actor"], r["target_actor"], r["cameo_code"]))
    return rows


def _row(key: tuple, cs: list[Candidate], article: Article) -> dict:
    src, tgt, code, d = key
    best = max(cs, key=lambda c: c.confidence)
    first = min(cs, key=lambda c: c.sentence_index)
    entry = lookup(code)
    n = len({c.sentence_index for c in cs})
    return {
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
        **_place(cs, first.sentence_index, article, d),
        **_plover(code),
    }


def _place(cs: list[Candidate], first_sentence: int, article: Article, day: date) -> dict:
    """The place columns: the first place its reports' clauses state, else the dateline's."""
    stated = [c.place for c in sorted(cs, key=lambda c: c.sentence_index)]
    return location.row_fields(stated, first_sentence, article.text, day)


def _plover(code: str) -> dict:
    """PLOVER event type and mode of the CAMEO code (pipeline.plover); null where PLOVER has none."""
    from pipeline.plover import plover_for

    try:
        p = plover_for(code)
    except KeyError:  # a code outside the codebook: validation reports it, the row keeps no PLOVER type
        p = None
    return {"plover_event": p.event if p else None, "plover_mode": p.mode if p else None}


def event_id(article_id: str, source: str, target: str, code: str, day: date) -> str:
    """Deterministic: the same event in the same article always gets the same id."""
    key = f"{article_id}|{source}|{target}|{code}|{day.isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class _State:
    coder: Coder | None = None


_STATE = _State()


def get_coder() -> Coder:
    """The process's coder (built once: the registry and lexicon take a moment to load)."""
    if _STATE.coder is None:
        _STATE.coder = Coder()
    return _STATE.coder


from pipeline.extract.batch import code_articles, code_text  # noqa: E402  (re-exported: the public names)

__all__ = [
    "EVENT_FIELDS", "FACT", "PREPS", "Candidate", "Coder", "SentenceExplanation", "code_articles",
    "code_text", "event_id", "get_coder", "merge", "transform",
]  # fmt: skip
