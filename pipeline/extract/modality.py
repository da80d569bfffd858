"""Negation, modality and embedding: is a trigger a fact, an intent, a threat, a refusal, or nothing?

The answer comes from the trigger's own auxiliaries and negators, then from the chain of verbs
that govern it ("refused to recall" -> refusal, "was expected to meet" -> intent, "denies
supplying" -> nothing). CAMEO has its own codes for intent (03), threat (13) and rejection (12);
everything else that is negated, hypothetical or embedded in someone else's claim is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract import syntax as sx
from pipeline.extract.inflection import forms
from pipeline.extract.language import governor_table, governors, words

NEGATORS = words("negators")
FUTURE_AUX = words("future_aux")
WOULD_AUX = words("would_aux")
HYPOTHETICAL_AUX = words("hypothetical_aux")
#: "must", "should": an obligation; stated by someone else it is that speaker's demand (CAMEO 10)
DEONTIC_AUX = words("deontic_aux")
CONDITION_MARKS = words("condition_marks")

INTENT_GOVERNORS = governors("intent")
THREAT_GOVERNORS = governors("threat")
REJECT_GOVERNORS = governors("reject")
DROP_GOVERNORS = governors("drop")
PASS_GOVERNORS = governors("pass")
SAY_VERBS = governors("say")
#: Reporting verbs after which "would" is a decided future, not a hypothesis.
DECISION_VERBS = governors("decision")
#: "We hope that Iran will cooperate": the speaker's wish, not the subject's act or intent
WISH_VERBS = governors("wish")
DENY_VERBS = governors("deny")
#: "has to withdraw", "ought to free": an obligation, like "must"
OBLIGATION_GOVERNORS = governors("obligation")
#: "is expected to hold talks": someone's forecast, not the subject's pledge
PREDICTION_GOVERNORS = governors("prediction")
CLAIM_NOUNS = words("claim_nouns")
#: Prepositions whose gerund is a circumstance that happened, not the content of the main verb
CIRCUMSTANCE_PREPS = words("circumstance_preps")
#: "the idea of buying", "the possibility of talks": what follows did not happen
IDEA_NOUNS = words("idea_nouns")
#: "plans to visit", "an offer to mediate": what follows is intended, not done
PLAN_NOUNS = words("plan_nouns")
#: "its failure to recognise Israel", "a refusal to pay": the act did not happen
FAILURE_NOUNS = words("failure_nouns")
#: "praised China for sending aid", "condemned Russia for attacking": the reason is a fact
FACTIVE_VERBS = words("factive_verbs")
#: "its threat to strike Iran", "the threat of sanctions": threatened, not done
THREAT_NOUNS = words("threat_nouns")
#: "sent Oslo a note that it should free them": the sender says the clause
MESSAGE_NOUNS = words("message_nouns")
#: "its refusal to pay", "its reluctance to recognise": the possessor's rejection of the act
REFUSAL_NOUNS = words("refusal_nouns")
#: "a plea for sending monitors", "a call to release": what is asked for is not an act of its own
ASKED_NOUNS = words("asked_nouns")
#: adjectives that make a nominal event planned/hypothetical ("a planned visit", "a possible meeting")
INTENT_ADJ = words("intent_adjectives")
HYPO_ADJ = words("hypothetical_adjectives")
#: "a meeting between A and B was possible": the predicate makes the nominal event unreal
UNREAL_PREDICATES = words("unreal_predicates")


@lru_cache(maxsize=1)
def _governor_forms() -> dict[str, str]:
    """Inflected form -> governor lemma, for the tagger's slips ("hopes" lemmatised as "hop")."""
    return {f: lemma for lemma in governor_table() for f in forms(lemma) if f != lemma}


def _lemma(tok) -> str:
    """A governing word's lemma: the tagger's, unless only the surface form names a governor."""
    lemma = tok.lemma_.lower()
    if lemma in governor_table() or tok.pos_ not in ("VERB", "AUX", "ADJ"):
        return lemma
    return _governor_forms().get(tok.lower_, lemma)


@dataclass(frozen=True)
class Modality:
    """status: fact | future (a plain "will") | decided ("has announced that it would") | would | intent |
    predicted ("is expected to") | threat |
    reject | wont ("says it won't attend") | demand (an obligation someone states: ``speaker`` is that
    saying verb) | drop."""

    status: str
    reason: str = ""
    speaker: object | None = None

    @property
    def dropped(self) -> bool:
        return self.status == "drop"


FACT = Modality("fact")
#: Statuses under which an event noun a verb governs has not happened (besides intent, future, would and
#: threat): "has announced that it would hold talks", "X must hold talks", "won't hold talks", "is
#: expected to hold talks"
NOT_YET_REAL = frozenset({"decided", "demand", "wont", "predicted"})


def _no_longer(c) -> bool:
    """'no longer supports': the advverb "longer" carrying "no"."""
    return c.lower_ == "longer" and any(d.lower_ == "no" for d in sx.kids(c))


def _negated(tok) -> bool:
    for c in sx.kids(tok):
        if c.dep_ == sx.NEG or (c.dep_ == sx.ADVMOD and (c.lower_ == "never" or _no_longer(c))):
            return True
    return False


def _no_subject(tok) -> bool:
    """'No Ukrainian officials were invited'."""
    for c in sx.kids(tok):
        if c.dep_ in (sx.NSUBJ, sx.NSUBJPASS) and any(
            d.dep_ == sx.DET and d.lower_ == "no" for d in sx.kids(c)
        ):
            return True
    return False


def _aux(tok) -> set[str]:
    return {c.lower_ for c in sx.kids(tok) if c.dep_ in (sx.AUX, sx.AUXPASS)}


def _marks(tok) -> set[str]:
    return {c.lower_ for c in sx.kids(tok) if c.dep_ == sx.MARK}


def assess(trigger, is_trigger_lemma=None) -> Modality:
    """Classify a verb trigger; ``is_trigger_lemma(tok)`` says whether a governor is itself an event."""
    kids = sx.kids(trigger)
    if {c.lower_ for c in kids if c.dep_ == sx.MARK} & CONDITION_MARKS:  # _marks(trigger)
        return Modality("drop", "conditional")
    aux = {c.lower_ for c in kids if c.dep_ in (sx.AUX, sx.AUXPASS)}  # _aux(trigger)
    conditional = any(c.dep_ == sx.ADVCL and _marks(c) & {"if", "unless"} for c in kids)
    if _negated(trigger) or _no_subject(trigger):
        return _will_not(trigger, aux, conditional, is_trigger_lemma)
    if aux & HYPOTHETICAL_AUX and not conditional and not aux & DEONTIC_AUX:
        return Modality("drop", "modal (" + ",".join(sorted(aux & HYPOTHETICAL_AUX)) + ")")
    status = "would" if aux & (WOULD_AUX | HYPOTHETICAL_AUX) else "future" if aux & FUTURE_AUX else "fact"
    if conditional:
        status = "would"  # "will impose sanctions if Turkey invades", "could block it if": conditional
    if aux & DEONTIC_AUX:
        status = "deontic"
    reason = ",".join(sorted(aux & DEONTIC_AUX)) if status == "deontic" else ""
    return _obligation(_governors(trigger, Modality(status, reason), is_trigger_lemma))


def _will_not(trigger, aux: set[str], conditional: bool, is_trigger_lemma) -> Modality:
    """ "India says it won't hold talks", "Serbia will never recognise Kosovo": the subject's refusal
    (``wont``: a rejection 12 of a cooperative act, nothing for a hostile one, see ``roots.transform``).
    Every other negation ("did not sign", "talks were not held", "would not go if asked") is no event."""
    plain = not conditional and not _no_subject(trigger) and not sx.is_passive(trigger)
    if not plain or not aux & (FUTURE_AUX | WOULD_AUX) or aux & (HYPOTHETICAL_AUX | DEONTIC_AUX):
        return Modality("drop", "negated")
    found = _governors(trigger, Modality("wont", "will not"), is_trigger_lemma)
    if found.status in ("fact", "future", "decided", "would", "intent", "predicted"):
        return Modality("wont", found.reason if found.status == "wont" else "will not")
    return found


def obliged(verb) -> bool:
    """Is the verb required of its subject ("must open", "should free", "ought to leave", "has to pay")?"""
    if verb.pos_ != "VERB":
        return False
    if any(c.dep_ == sx.AUX and c.lower_ in DEONTIC_AUX for c in sx.kids(verb)):  # cheap test first
        return not _negated(verb)
    head = verb.head
    if verb.dep_ != sx.XCOMP or _lemma(head) not in OBLIGATION_GOVERNORS:
        return False
    return not _negated(verb) and not _negated(head) and not sx.is_passive(head)  # "is needed to halt"


def _obligation(found: Modality) -> Modality:
    """ "Russia must withdraw, Germany said": an obligation stated by a speaker is the speaker's demand on the
    subject (CAMEO 10, see ``_reported``); an obligation nobody states ("talks should resume") is no event."""
    if found.status == "deontic":
        return Modality("drop", f"modal ({found.reason})")
    return found


#: One step of the walk up the governing chain: where it goes on (None: it stops) and the modality so far.
Step = tuple[object | None, Modality]


def _stop(status: str, reason: str = "") -> Step:
    return None, Modality(status, reason)


def _via_conj(t, head, current: Modality, is_trigger) -> Step:
    if t.tag_ == "VBD" and head.tag_ == "VB":
        return None, current  # "had not planned to strike ... and offered": not with the infinitive
    return head, current


def _via_adverbial(t, head, current: Modality, is_trigger) -> Step:
    if any(c.dep_ == sx.AUX and c.lower_ == "to" for c in sx.kids(t)):
        return _stop("drop", "purpose clause")
    if _marks(t) & CONDITION_MARKS:
        return _stop("drop", "conditional")
    return head, current


def _message_sender(noun):
    """'Issued a reminder to Iraq', 'sent a warning': the verb whose subject says what the message says."""
    if _lemma(noun) in MESSAGE_NOUNS and noun.dep_ == sx.DOBJ and noun.head.pos_ == "VERB":
        return noun.head
    return None


def _via_noun_clause(t, head, current: Modality, is_trigger) -> Step:
    """A clause on a noun: a claim's content, a failure, "no plans to", "plans to visit"."""
    lemma = _lemma(head)
    sender = _message_sender(head) if current.status == "deontic" else None
    if sender is not None:  # "a note to Oslo that it should free them": the sender's demand
        return _stop_demand(head, sender)
    if lemma in CLAIM_NOUNS:
        return _stop("drop", f"inside a claim ('{head.text}')")
    if lemma in FAILURE_NOUNS:
        return _stop("drop", f"did not happen ('{head.text}')")
    if lemma in REFUSAL_NOUNS:
        return _stop("reject", f"'{head.text} to'")  # "Serbia's refusal to recognise Kosovo"
    if lemma in ASKED_NOUNS:
        return _stop("drop", f"what is asked for ('{head.text}')")  # "an appeal to release", "a call to"
    if lemma in PLAN_NOUNS and _answered(head, is_trigger):
        return _stop("drop", f"someone else's {head.text}, answered by '{head.head.text}'")
    if any(c.dep_ in (sx.DET, sx.NEG) and c.lower_ in ("no", "never") for c in sx.kids(head)):
        return _stop("drop", f"negated ('no {head.text}')")  # "had no plans to attack"
    if t.dep_ == sx.ACL and lemma in THREAT_NOUNS:
        return _stop("threat", f"'{head.text} to'")  # "Israel's threat to strike Iran"
    if t.dep_ == sx.ACL and lemma in PLAN_NOUNS:
        current = Modality("intent", f"'{head.text} to'")  # "plans to visit", "a bid to join"
    if t.dep_ == sx.RELCL:
        return None, current
    return head, current  # "failed to approve a resolution calling on X": the resolution never existed


def _answered(noun, is_trigger) -> bool:
    """'turned down a proposal to recognise', 'welcomed the offer to mediate': the plan is the object of
    another event, so it is not the plan of that event's subject."""
    verb = noun.head if noun.dep_ == sx.DOBJ else None
    if verb is None:
        return False
    lemma = _lemma(verb)
    return lemma in REJECT_GOVERNORS | DENY_VERBS or bool(is_trigger and is_trigger(verb))


def _via_gerund(t, head, current: Modality, is_trigger) -> Step:
    gov = head.head
    if head.lower_ in CIRCUMSTANCE_PREPS:  # "while praising France, China warned ...": both happened
        return gov, current
    lemma = _lemma(gov)
    if head.lower_ == "for" and lemma in FACTIVE_VERBS and sx.has_child(gov, sx.DOBJ):
        return None, current  # "praised China for sending aid": the sending happened
    if lemma in ASKED_NOUNS:  # "a plea for sending monitors": asked for, not done
        return _stop("drop", f"what is asked for ('{gov.text}')")
    if lemma in DENY_VERBS or lemma in DROP_GOVERNORS:
        return _stop("drop", f"governed by '{gov.text}'")
    if is_trigger and is_trigger(gov):
        return _stop("drop", f"content of another event ('{gov.text}')")
    if lemma in IDEA_NOUNS | CLAIM_NOUNS:
        return _stop("drop", f"an idea, not an event ('{gov.text}')")
    return None, current


def _reported(head, current: Modality, negated: bool) -> Modality | None:
    """A clause complement of a saying, wishing or denying verb."""
    lemma = _lemma(head)
    if lemma in SAY_VERBS:
        if negated:
            return Modality("drop", f"reported speech negated ('{head.text}')")
        if current.status == "deontic":  # "Germany said Russia must withdraw": Germany's demand
            return Modality("demand", f"obligation stated ('{head.text}')", speaker=head)
        if current.status == "would" and lemma in DECISION_VERBS:
            return Modality("decided", f"announced ('{head.text}')")  # "has announced that it would leave"
        return current
    if lemma in WISH_VERBS:
        return Modality("drop", f"someone's wish ('{head.text}')")
    if lemma in DENY_VERBS:
        return Modality("drop", f"denied ('{head.text}')")
    return None


def _governed(head, dep: str, negated: bool) -> Modality | None:
    """What a governing verb makes of its complement ("refused to", "threatened to", "plans to")."""
    lemma = _lemma(head)
    if lemma == "hesitate" and negated:  # "would not hesitate to order": a resolve, not a refusal
        return Modality("would", "'not hesitate to'")
    if lemma in REJECT_GOVERNORS:
        return Modality("drop", "refusal negated") if negated else Modality("reject", f"'{head.text} to'")
    if negated:
        return Modality("drop", f"governor negated ('{head.text}')")
    if _aux(head) & (HYPOTHETICAL_AUX | DEONTIC_AUX):
        return Modality("drop", f"modal governor ('{head.text}')")
    if lemma in DROP_GOVERNORS:
        return Modality("drop", f"governed by '{head.text}'")
    if lemma in THREAT_GOVERNORS:
        return Modality("threat", f"'{head.text} to'")
    if lemma in PREDICTION_GOVERNORS:
        return Modality("predicted", f"'{head.text} to'")
    if lemma in INTENT_GOVERNORS or (lemma == "be" and dep == sx.XCOMP):
        return Modality("intent", f"'{head.text} to'")
    return None


def _obliging_clause(head):
    """'must be ready to', 'should agree to': an intent governor under an obligation; the clause that
    carries the obligation (the copula of an adjective), or None."""
    lemma = _lemma(head)
    if lemma in OBLIGATION_GOVERNORS and head.dep_ != sx.AUX:
        obliging = not _negated(head) and not sx.is_passive(head)
        return head if obliging else None  # "Belarus ought to reopen it, Poland said"
    if lemma not in INTENT_GOVERNORS | THREAT_GOVERNORS | PREDICTION_GOVERNORS:
        return None
    clause = head.head if head.dep_ == sx.ACOMP else head
    if _negated(head) or _negated(clause) or not _aux(clause) & DEONTIC_AUX:
        return None
    return clause


def _stop_demand(noun, sender) -> Step:
    return None, Modality("demand", f"obligation stated ('{noun.text}')", speaker=sender)


def _via_complement(t, head, current: Modality, is_trigger) -> Step:
    dep, lemma = t.dep_, _lemma(head)
    if current.status == "deontic" and dep == sx.CCOMP:
        message = next((o for o in sx.children(head, sx.DOBJ) if _message_sender(o) is not None), None)
        if message is not None:  # "delivered a message to China that it should release them"
            return _stop_demand(message, head)
    negated = _negated(head)
    if lemma in ("have", "be") and any(c.lower_ == "yet" for c in sx.kids(head)):
        return _stop("drop", "not yet")  # "has yet to apologise"
    found = _reported(head, current, negated) if dep == sx.CCOMP else None
    if found is None and current.status == "fact" and dep == sx.XCOMP:
        clause = _obliging_clause(head)
        if clause is not None:  # "Chad must be willing to negotiate, Qatar said": the walk goes on
            return clause, Modality("deontic", ",".join(sorted(_aux(clause) & DEONTIC_AUX)) or lemma)
    if found is None:
        found = _governed(head, dep, negated)
    if found is not None:
        return None, found
    if dep == sx.XCOMP and is_trigger and is_trigger(head):
        return _stop("drop", f"content of another event ('{head.text}')")
    if lemma in PASS_GOVERNORS:
        return head, current
    if dep == sx.CCOMP and is_trigger and is_trigger(head):
        return _stop("drop", f"content of another event ('{head.text}')")
    return head, current


def _via_noun_phrase(t, head, current: Modality, is_trigger) -> Step:
    """A clause inside a noun phrase ("claims that it is considering ...")."""
    if _lemma(head) in CLAIM_NOUNS:
        return _stop("drop", f"inside a claim ('{head.text}')")
    return head, current


_STEPS = {
    sx.CONJ: _via_conj,
    sx.ADVCL: _via_adverbial,
    sx.ACL: _via_noun_clause,
    sx.RELCL: _via_noun_clause,
    sx.PCOMP: _via_gerund,
    **dict.fromkeys((sx.XCOMP, sx.CCOMP, sx.CSUBJ), _via_complement),
    **dict.fromkeys(
        (sx.DOBJ, sx.POBJ, sx.NSUBJ, sx.NSUBJPASS, sx.ATTR, sx.APPOS, sx.PREP, sx.AGENT, sx.DATIVE),
        _via_noun_phrase,
    ),
}


def _governors(tok, current: Modality, is_trigger_lemma) -> Modality:
    """Walk up the chain of governors (at most eight steps); each kind of attachment has its step."""
    t = tok
    for _ in range(8):
        if t.dep_ == sx.ROOT or t.head.i == t.i:
            return current
        step = _STEPS.get(t.dep_)
        if step is None:
            return current
        t, current = step(t, t.head, current, is_trigger_lemma)
        if t is None:
            return current
    return current


def assess_nominal(noun) -> Modality:
    """Nominal events are facts unless planned, hypothetical, or the object of a denial."""
    mods = {c.lower_ for c in sx.kids(noun) if c.dep_ in (sx.AMOD, sx.COMPOUND, sx.ADVMOD)}
    if mods & HYPO_ADJ:
        return Modality("drop", "hypothetical")
    if noun.dep_ in (sx.NSUBJ, sx.NSUBJPASS):  # "a meeting between A and B was possible"
        pred = noun.head
        said = {c.lower_ for c in sx.kids(pred) if c.dep_ in (sx.ACOMP, sx.ATTR, sx.AUX, sx.NEG)}
        if said & (HYPO_ADJ | UNREAL_PREDICATES):
            return Modality("drop", "hypothetical")
        if said & (HYPOTHETICAL_AUX | DEONTIC_AUX | WOULD_AUX | FUTURE_AUX | NEGATORS):
            return Modality("drop", "not (yet) real")
    if mods & INTENT_ADJ:
        return Modality("intent", "planned")
    t = noun
    for _ in range(4):
        head = t.head
        if head.i == t.i:
            break
        lemma = _lemma(head)
        if head.pos_ in ("VERB", "AUX") and lemma in DENY_VERBS:
            return Modality("drop", f"denied ('{head.text}')")
        if t.i == noun.i and noun.dep_ == sx.DOBJ and head.pos_ == "VERB" and lemma in DROP_GOVERNORS:
            return Modality("drop", f"governed by '{head.text}'")  # "postponed its visit", "weighs sanctions"
        if lemma in CLAIM_NOUNS:
            return Modality("drop", f"inside a claim ('{head.text}')")
        if lemma in THREAT_NOUNS and t.lower_ == "of":
            return Modality("threat", f"'{head.text} of'")  # "the threat of sanctions"
        if lemma in IDEA_NOUNS and t.lower_ == "of":
            return Modality("drop", f"an idea, not an event ('{head.text} of')")  # "the prospect of talks"
        if head.pos_ in ("VERB", "AUX"):
            break
        t = head
    return FACT
