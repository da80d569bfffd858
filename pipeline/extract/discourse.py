"""What an article has told so far: the events and actor clauses coded before the current trigger.

The coder writes one :class:`EventRecord` per coded trigger (and one per clause in which a named actor
acts with a verb the lexicon does not know); rules read it only through the named queries of
:class:`Discourse` ("the last two parties", "the last recipient", "who last acted on X"), so what "the
move", "the two leaders" or a bare "pledged a further 125 million euros" refer to is decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.extract.mentions import Ref


@dataclass(frozen=True)
class EventRecord:
    """One coded trigger (``clause=False``) or one clause whose subject is an actor (``clause=True``)."""

    token: int  # the trigger's token index in the document
    words: tuple[
        str, ...
    ]  # the trigger's lemma, then its pattern's other words ("launch", "missile", "strike")
    sources: tuple[Ref, ...]
    targets: tuple[Ref, ...] = ()
    clause: bool = False

    @property
    def lemma(self) -> str:
        return self.words[0]

    def codes(self, which: str = "sources") -> set[str]:
        return {r.actor.code for r in getattr(self, which)}


class Discourse:
    """The records of one article, in the order they were coded, with named queries over them."""

    def __init__(self) -> None:
        self.records: list[EventRecord] = []

    # -- writing ---------------------------------------------------------------------------------
    def add_event(self, token: int, words: tuple[str, ...], sources: list[Ref], targets: list[Ref]) -> None:
        self.records.append(EventRecord(token, words, tuple(sources), tuple(targets)))

    def add_clause(self, token: int, lemma: str, sources: list[Ref]) -> None:
        self.records.append(EventRecord(token, (lemma,), tuple(sources), clause=True))

    # -- reading ---------------------------------------------------------------------------------
    def events(self, before: int | None = None, since: int = 0) -> Iterator[EventRecord]:
        """Coded events (no clauses), most recent first, with ``since <= token < before``."""
        for r in reversed(self.records):
            if not r.clause and since <= r.token and (before is None or r.token < before):
                yield r

    def last_two_parties(self, before: int, exclude: set[str]) -> list[Ref]:
        """The sides of the last event with two or more parties before ``before`` ("the agreement")."""
        for r in self.events(before):
            parties: dict[str, Ref] = {}
            for ref in [*r.sources, *r.targets]:
                if ref.actor.code not in exclude:
                    parties.setdefault(ref.actor.code, ref)
            if len(parties) >= 2:
                return list(parties.values())
        return []

    def last_pair(self, before: int, since: int, states_only: bool) -> list[Ref]:
        """The two sides of the last event with exactly two parties ("the two leaders", "both countries")."""
        for r in self.events(before, since):
            codes: dict[str, Ref] = {}
            for ref in [*r.sources, *r.targets]:
                if not (states_only and ref.actor.code.startswith("IGO")):
                    codes.setdefault(ref.actor.code, ref)
            if len(codes) == 2:
                return list(codes.values())
        return []

    def last_recipient(self, before: int, since: int, givers: set[str], giving: frozenset[str]) -> list[Ref]:
        """The recipients of the last gift by someone else ("Germany said it would provide a further ...")."""
        for r in self.events(before, since):
            if not giving & set(r.words):
                continue
            got = [t for t in r.targets if t.actor.code not in givers]
            if got and not r.codes() & givers:
                return got
        return []

    def last_attacker_of(self, codes: set[str]) -> list[Ref]:
        """Whoever last acted on one of ``codes`` without being one of them (the target of a retaliation)."""
        for r in self.events():
            if r.codes("targets") & codes and not r.codes() & codes:
                return list(r.sources)
        return []

    def addressees_of(self, codes: set[str], since: int, before: int) -> list[Ref]:
        """The targets of the same sources' last event in ``[since, before)`` ("demanded that Washington stop
        ... and said it would take countermeasures": the countermeasures are against Washington too)."""
        for r in self.events(before, since):
            addressees = r.codes("targets")
            if r.codes() == codes and addressees and not addressees & codes:
                return list(r.targets)
        return []

    def last_domestic_actor(
        self, since: int, before: int, same_paragraph: Callable[[int], bool]
    ) -> Ref | None:
        """The actor of the last domestic event (source == target) in ``[since, before)``."""
        for r in self.events(before, since):
            if not same_paragraph(r.token):
                continue
            same = [s for s in r.sources if any(t.actor.code == s.actor.code for t in r.targets)]
            if same and not same[0].actor.code.startswith("IGO"):
                return same[0]
        return None

    def by_trigger(self, lemma: str, before: int) -> EventRecord | None:
        """The last event before ``before`` whose trigger or pattern has the word ("the strikes")."""
        return next((r for r in self.events(before) if lemma in r.words), None)

    def with_root(self, root: str, before: int, roots_of: Callable[[str], set[str]]) -> Iterator[EventRecord]:
        """Events before ``before`` whose trigger can have the CAMEO root, most recent first ("the raid")."""
        for r in self.events(before):
            if any(root in roots_of(w) for w in r.words):
                yield r

    def last_speaker(self, before: int, says: frozenset[str]) -> list[Ref]:
        """The actor of the last clause before ``before`` whose verb is one of ``says`` ("UNICEF said")."""
        for r in reversed(self.records):
            if r.clause and r.token < before and r.lemma in says and r.sources:
                return list(r.sources)
        return []

    def first_actors(self, before: int, exclude: set[str]) -> list[Ref]:
        """The sources of the story's first record with an actor not in ``exclude`` (what "the move" or
        "the decision" means in wire copy: the lead event, or the lead clause)."""
        for r in self.records:
            refs = [s for s in r.sources if s.actor.code not in exclude]
            if r.token < before and refs:
                return refs
        return []
