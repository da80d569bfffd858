"""The state that argument rules read and fill, and the runner of a rule table.

A :class:`Frame` is one trigger on its way to becoming events: its lexicon entry, its modality, the
candidate phrases, and the sources and targets found so far. A rule is a function ``rule(frame, ctx)``
with a docstring that says the construction it encodes; it fills the frame (or not) and returns a
:class:`Drop` when the construction says the trigger is no event. :func:`run` applies a table of rules in
order and remembers which rule found the sources and which the targets, for ``envoy code --explain``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.extract.modality import Modality

if TYPE_CHECKING:
    from pipeline.extract.dates import ArticleDates
    from pipeline.extract.discourse import Discourse
    from pipeline.extract.lexicon import Entry, Lexicon
    from pipeline.extract.mentions import Mentions, Ref


@dataclass(frozen=True)
class Drop:
    """A rule's verdict that the trigger is no event here, and why."""

    reason: str


@dataclass
class Context:
    """What the rules may consult besides the frame: the article's mentions and discourse, the lexicon."""

    mentions: Mentions
    discourse: Discourse
    lexicon: Lexicon
    dates: ArticleDates | None = None

    def is_trigger(self, tok) -> bool:
        """A verb the lexicon knows (a governing event makes its complement that event's content)."""
        return tok.pos_ == "VERB" and bool(self.lexicon.match_verb(tok))


@dataclass
class Frame:
    """One trigger being coded."""

    trigger: object  # the spaCy token
    entry: Entry
    kind: str  # "verb" | "noun"
    modality: Modality
    passive: bool = False
    subjects: list = field(default_factory=list)  # candidate subject tokens, best first
    target_phrases: list = field(default_factory=list)  # candidate target tokens, best first
    sources: list[Ref] = field(default_factory=list)
    targets: list[Ref] = field(default_factory=list)
    preset_targets: list[Ref] = field(default_factory=list)  # parties found before the target rules run
    between: list[Ref] = field(default_factory=list)  # "talks between A and B": every pair of them
    light: object | None = None  # "held talks": the light verb of a nominal event
    from_subject: bool = False  # the sources came from the subject (the active-voice default)
    joint: bool = False  # "A and B met": conjoined sources may pair among themselves
    joint_only: bool = False  # "A and B exchanged fire": they pair only among themselves
    phrase_finders: dict[int, str] = field(default_factory=dict)  # phrase token -> the finder proposing it
    source_rule: str = ""
    target_rule: str = ""
    target_detail: str = ""  # for target_phrase: the finder of the phrase that resolved

    def rules(self) -> str:
        """Which rules found the two sides, for explanations."""
        target = self.target_rule or "joint"
        if self.target_detail:
            target += f" ({self.target_detail})"
        return f"source: {self.source_rule or 'between'}, target: {target}"

    @property
    def lemma(self) -> str:
        return self.trigger.lemma_.lower()

    @property
    def root(self):
        return self.entry.root

    @property
    def flags(self) -> frozenset[str]:
        return self.entry.flags

    def source_codes(self) -> set[str]:
        return {r.actor.code for r in self.sources}


Rule = Callable[[Frame, Context], "Drop | None"]


@dataclass(frozen=True)
class Outcome:
    """What a table did: the rule that dropped the trigger, if one did, and why."""

    drop: Drop | None = None
    rule: str = ""


def run(rules: Sequence[Rule], frame: Frame, ctx: Context) -> Outcome:
    """Apply the rules in order until one drops the trigger; record which rule found sources / targets."""
    for rule in rules:
        had_sources, had_targets = bool(frame.sources), bool(frame.targets)
        verdict = rule(frame, ctx)
        if verdict is not None:
            return Outcome(verdict, rule.__name__)
        if frame.sources and not had_sources:
            frame.source_rule = rule.__name__
        if frame.targets and not had_targets:
            frame.target_rule = rule.__name__
    return Outcome()
