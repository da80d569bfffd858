"""Where registry names can start in a parsed text, found without a Python object per token.

:class:`pipeline.extract.mentions.Mentions` matches registry names greedily, longest first, from every
capitalised token whose normalised form starts an alias. Scanning a document token by token through
spaCy's ``Token`` objects and normalising every candidate span with Unicode decomposition was most of
the mention finder's cost; here the document is read once into plain lists (token texts, character
offsets, punctuation flags, entity types), span texts are slices of the document text, and ASCII text (nearly
all of it) skips the decomposition steps, which cannot change it. The decisions (which span is a name, which
actor it denotes on the article date) stay in ``mentions.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.actors import normalise_alias, normalise_ascii

#: Entity types that are never the start of a name (only set when the pipeline has NER)
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"})

@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """:func:`pipeline.extract.actors.normalise_alias`, with a short path for ASCII text: there Unicode
    decomposition, accent removal and the quote replacements change nothing (tests check the two agree)."""
    return normalise_ascii(text) if text.isascii() else normalise_alias(text)


@dataclass(frozen=True)
class DocView:
    """The token facts the name scan reads, as plain lists."""

    text: str
    words: list[str]
    starts: list[int]  # character offset of each token
    punct: list[bool]
    ent_types: list[str]

    def span_text(self, i: int, j: int) -> str:
        """``doc[i:j].text``, without building the span."""
        return self.text[self.starts[i] : self.starts[j - 1] + len(self.words[j - 1])]


def view(doc) -> DocView:
    """The doc's token facts in one ``to_array`` call (no ``Token`` objects)."""
    from spacy.attrs import ENT_TYPE, IDX, IS_PUNCT, ORTH

    rows = doc.to_array([ORTH, IDX, IS_PUNCT, ENT_TYPE]).tolist() if len(doc) else []
    strings = doc.vocab.strings
    return DocView(
        doc.text,
        [strings[r[0]] for r in rows],
        [r[1] for r in rows],
        [bool(r[2]) for r in rows],
        [strings[r[3]] if r[3] else "" for r in rows],
    )


def name_starts(v: DocView, first: dict[str, int]) -> Iterator[tuple[int, int]]:
    """(token, widest span to try) for each capitalised token, not a number or date entity, whose normalised
    form starts an alias (``first``: first word -> longest alias length in tokens, plus slack)."""
    for i, w in enumerate(v.words):
        if not w[:1].isupper() or v.ent_types[i] in _NOT_NAMES:
            continue
        width = first.get(normalise(w))
        if width is not None:
            yield i, width
