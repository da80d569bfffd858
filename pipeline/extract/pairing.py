"""From a frame with sources and targets to candidate events: one pairing-and-emitting path for verbs
and nouns.

Pairs: every source with every target (both ways for a symmetric fact: "Kenya met Uganda"); all pairs
of the parties of "talks between A, B and C"; for a reciprocal act of conjoined subjects with no target
("A and B met"), all pairs among them (at most ``MAX_JOINT``: not a twenty-nation communique).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.extract.arguments.frame import Frame
from pipeline.extract.codebook import lookup
from pipeline.extract.confidence import confidence
from pipeline.extract.explain import SentenceExplanation, note
from pipeline.extract.location import VERBAL_QUADS, Stated, stated_place
from pipeline.extract.mentions import Ref
from pipeline.extract.roots import transform


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
    place: Stated | None = None  # where its clause says it happened (pipeline.extract.location)


def _among(refs: list[Ref]) -> list[tuple[Ref, Ref]]:
    return [(a, b) for a in refs for b in refs if a.actor.code != b.actor.code]


#: The most conjoined parties of a reciprocal act that pair among themselves ("Kenya, Uganda, Tanzania and
#: Rwanda signed"); a longer list is a summit's communique, not one act between each pair. Parties found
#: by coreference ("they" after a list of leaders) pair only up to ``MAX_JOINT_COREF``.
MAX_JOINT = 5
MAX_JOINT_COREF = 3
#: Finders whose target phrase is reached by the act, not a party to a symmetric one
ONE_WAY = frozenset({"complement_prepositions", "appeal_scene"})


def pairs(frame: Frame) -> list[tuple[Ref, Ref]]:
    """The directed (source, target) pairs a frame stands for."""
    if len(frame.between) > 1:
        return _mediated(frame) or _among(frame.between)
    targets = [] if frame.joint_only or _own_parties(frame) else frame.targets
    if targets:
        out = [(s, t) for s in frame.sources for t in targets]
        # a refusal or a plan is one side's; so is an act on whom a pledged act reaches ("agreed to lower
        # barriers to Nepali goods": Nepal agreed nothing)
        if "sym" in frame.flags and frame.modality.status == "fact" and frame.target_detail not in ONE_WAY:
            out += [(t, s) for s, t in out]
        return out
    most = MAX_JOINT_COREF if any(r.how == "coref" for r in frame.sources) else MAX_JOINT
    if frame.joint and 1 < len(frame.sources) <= most:
        return _among(frame.sources)
    return []


def _mediated(frame: Frame) -> list[tuple[Ref, Ref]]:
    """ "Qatar's mediation effort between Sudan and Chad": a one-sided act between parties that are not its
    source is aimed at each of them (talks between them stay among them)."""
    if "sym" in frame.flags or not frame.sources:
        return []
    codes = frame.source_codes()
    if codes & {r.actor.code for r in frame.between}:
        return []
    return [(s, t) for s in frame.sources for t in frame.between]


def _own_parties(frame: Frame) -> bool:
    """ "Greek and Turkish envoys will sign a pact on water for Cyprus": a reciprocal act of conjoined
    sources whose only target is one of them pairs them among themselves."""
    codes = {r.actor.code for r in frame.sources}
    targets = {r.actor.code for r in frame.targets}
    return frame.joint and len(codes) > 1 and bool(targets) and targets <= codes


def domestic_ok(frame: Frame, s: Ref, t: Ref) -> bool:
    """May source and target be the same actor? Protests; an earlier domestic event ("Putin denounced the
    uprising"); domestic roots when the two sides are different phrases."""
    if "self" in frame.flags or (t.how == "event" and s.token != t.token):
        return True
    if s.token == t.token:
        return False
    return frame.entry.domestic or _substate_pair(s, t)


#: Sectors that are not the state's own apparatus: their dealings with it are domestic events
SUBSTATE_SECTORS = frozenset({"OPP", "REB", "JUD", "CVL"})


def _substate_pair(s: Ref, t: Ref) -> bool:
    """A sub-state actor and its state (or another part of it) on the two sides: "opposition parties in
    Togo accused the president", "Yoruba chiefs demanded ..." are domestic events of any root."""
    sub = [
        r.actor.kind in ("ethnic", "group", "organisation") or r.sector in SUBSTATE_SECTORS for r in (s, t)
    ]
    return any(sub) and (s.sector != t.sector or s.actor.kind != t.actor.kind)


def emit(frame: Frame, sent, si: int, dates, ex: SentenceExplanation | None) -> list[Candidate]:
    """Candidates of a frame whose rules have run: pairs, the code under the modality, date, confidence."""
    tok, entry = frame.trigger, frame.entry
    if not frame.sources and len(frame.between) <= 1:
        note(ex, f"'{tok.text}' ({entry.code}): no source actor")
        return []
    found = pairs(frame)
    if not found:
        note(ex, f"'{tok.text}' ({entry.code}): no target actor")
        return []
    code = transform(entry.code, frame.modality.status)
    if code is None:
        m = frame.modality
        note(ex, f"'{tok.text}' ({entry.code}): no event as {m.status} ({m.reason})")
        return []
    out = []
    verbal = lookup(code).quad_class in VERBAL_QUADS
    dated: dict[int, tuple] = {}  # target token -> (date, precision): the same for each source it pairs with
    placed: dict[tuple[int, str], Stated | None] = {}  # (target token, how) -> what stated_place reads of it
    for s, t in found:
        if s.actor.code == t.actor.code and not domestic_ok(frame, s, t):
            note(ex, f"'{tok.text}' ({code}): same actor {s.actor.code} on both sides")
            continue
        if "igo" in entry.flags and not t.actor.code.startswith("IGO"):
            note(ex, f"'{tok.text}' ({code}): only an organisation can be left this way")
            continue
        if t.token not in dated:
            near = sent.doc[t.token] if 0 <= t.token < len(sent.doc) else None
            # the target breaks ties ("Moscow on Friday and ...")
            dated[t.token] = dates.event_date(sent, tok, near=near)
        d, prec = dated[t.token]
        fact = frame.modality.status == "fact"
        conf = confidence(frame.kind, len(entry.pattern), fact, s.strength, t.strength)
        if (t.token, t.how) not in placed:
            placed[t.token, t.how] = stated_place(tok, t, verbal=verbal)
        place = placed[t.token, t.how]
        out.append(Candidate(si, sent.text.strip(), tok.text, code, s, t, conf, d, prec, place))
        note(ex, _describe(frame, s, t, code), event=True)
    return out


def _describe(frame: Frame, s: Ref, t: Ref, code: str) -> str:
    m = frame.modality
    kind = "" if frame.kind == "verb" else "nominal "
    how = f"{kind}{m.status}{': ' + m.reason if m.reason and frame.kind == 'verb' else ''}"
    return f"EVENT {s.actor.code} -> {t.actor.code} {code} '{frame.trigger.text}' [{how}] ({frame.rules()})"
