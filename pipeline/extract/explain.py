"""What ``envoy code --explain`` prints: per sentence, the events found and why other candidates dropped."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SentenceExplanation:
    index: int
    text: str
    events: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def note(ex: SentenceExplanation | None, text: str, event: bool = False) -> None:
    """Add a line to the sentence's explanation (a no-op when nobody asked for one)."""
    if ex is not None:
        (ex.events if event else ex.dropped).append(text)
