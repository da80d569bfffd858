"""Bounded cost per article: no sentence handed to the parser is longer than ``MAX_SENTENCE_CHARS``.

Parsing and coding cost grows faster than a sentence's length (the parser's and the coder's walks
over one 1,000-token "sentence"), so a text without sentence punctuation (a scraped table, a word
list, a runaway file) took minutes where real news takes milliseconds. News sentences are far
shorter than the cap, so real articles pass unchanged; a longer span is cut at whitespace (a line
break when there is one) into pieces of at most the cap, each ended as a sentence (``".\\n\\n"``) so
that both the pre-filter and spaCy's parser split there. The stored article text is not changed:
this is applied where text enters the coder.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

#: Longest span between sentence ends that is parsed as one sentence (~170 words).
MAX_SENTENCE_CHARS = 1000
#: Where sentences end: terminal punctuation (maybe closing quotes/brackets) and space, or a blank line.
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n[ \t]*\n\s*")
_BREAK = ".\n\n"


def cap_sentences(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """``text`` with every span between sentence ends cut into pieces of at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    pieces: list[str] = []
    start, cut, longest = 0, 0, 0
    for m in _BOUNDARY.finditer(text):
        span = text[start : m.end()]
        if len(span) > limit:
            cut += 1
            longest = max(longest, len(span))
            span = _split(span, limit)
        pieces.append(span)
        start = m.end()
    tail = text[start:]
    if len(tail) > limit:
        cut += 1
        longest = max(longest, len(tail))
        tail = _split(tail, limit)
    pieces.append(tail)
    if not cut:
        return text
    log.warning("cut %d over-long sentence(s) (longest %d characters) into pieces of at most %d before "
                "parsing", cut, longest, limit)
    return "".join(pieces)


def _split(span: str, limit: int) -> str:
    """One over-long span as pieces of at most ``limit`` characters, cut at a line break or a space."""
    out: list[str] = []
    while len(span) > limit:
        window = span[:limit]
        at = window.rfind("\n")
        if at < limit // 2:
            at = max(window.rfind(" "), window.rfind("\t"))
        if at < limit // 2:
            at = limit  # one huge "word": cut it anyway
        out.append(span[:at].rstrip())
        span = span[at:].lstrip()
    out.append(span)
    return _BREAK.join(p for p in out if p)
