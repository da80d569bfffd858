"""Cheap pre-filter: parse only the sentences that could hold an event.

Parsing is most of the coder's cost. A sentence without any inflected form of a lexicon trigger
cannot yield an event, so it is left out of the text handed to spaCy. The lead sentence is always
kept (it carries titles and the story's date). Sentence numbers in the output still refer to the
original article, through the offsets kept here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_SENT_END = re.compile(r"(?<=[.!?])[\"”’')\]]?\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Adm|St|No|Sen|Rep|Gov|Prof|Jan|Feb|"
    r"Aug|Sept|Sep|Oct|Nov|Dec|Inc|Corp|Co|Ltd|vs|Jr|Sr)\.)$"
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@lru_cache(maxsize=1)
def trigger_forms() -> frozenset[str]:
    """Every surface form a lexicon trigger can take (a generous superset)."""
    from pipeline.extract.inflection import all_forms
    from pipeline.extract.language import words
    from pipeline.extract.lexicon import MARKER_WORDS, Lexicon

    forms: set[str] = set()
    for entry in Lexicon.default().entries:
        lemma = entry.pattern[0] if entry.kind == "verb" else entry.pattern[-1]
        if lemma == "be":  # "was in contact with": the noun is the telling word
            forms |= {w for w in entry.pattern[1:]}
            continue
        marked = [MARKER_WORDS[w] for w in entry.pattern if w in MARKER_WORDS]
        if marked:  # "said Y was responsible": the marker's words tell, "said" alone does not
            forms.update(w for ws in marked for w in ws)
            continue
        forms |= all_forms(lemma)
    forms |= words("deontic_aux")  # "X must open its markets, Y said": a demand with any verb
    return frozenset(forms)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of sentences, by punctuation and blank lines."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if text[m.start() - 1 : m.start()] == "." and _ABBREV.search(text, max(0, m.start() - 12), m.start()):
            continue  # "the U.N. Security Council", "Gen. Smith"
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class Reduced:
    """The text to parse, and where each kept sentence came from."""

    text: str
    starts: tuple[int, ...]  # start offset of each kept sentence in ``text``
    original: tuple[int, ...]  # its sentence number in the article

    def sentence_number(self, char: int) -> int:
        k = bisect_right(self.starts, char) - 1
        return self.original[max(0, k)]


def reduce_text(text: str) -> Reduced:
    """Keep the lead and every sentence with a trigger form; paragraphs stay paragraphs."""
    forms = trigger_forms()
    parts: list[str] = []
    starts: list[int] = []
    original: list[int] = []
    pos = 0
    last_kept = 0
    for n, (s, e) in enumerate(split_sentences(text)):
        sentence = text[s:e]
        if n > 0 and not any(w in forms for w in _WORD.findall(sentence.lower())):
            continue
        sep = "" if not parts else ("\n\n" if "\n" in text[last_kept:s] else " ")
        pos += len(sep)
        parts.append(sep + sentence)
        starts.append(pos)
        original.append(n)
        pos += len(sentence)
        last_kept = e
    return Reduced("".join(parts), tuple(starts), tuple(original))
