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
    """The token facts the mention finder reads, as plain lists (one ``to_array`` call, no ``Token``)."""

    text: str
    words: list[str]
    starts: list[int]  # character offset of each token
    punct: list[bool]
    ent_types: list[str]
    lower: list[str]
    pos: list[str]
    tag: list[str]
    alpha: list[bool]
    sent_starts: list[int] | None  # index of the first token of each token's sentence (None: no boundaries)

    def span_text(self, i: int, j: int) -> str:
        """``doc[i:j].text``, without building the span."""
        return self.text[self.starts[i] : self.starts[j - 1] + len(self.words[j - 1])]


#: hash id -> string, shared by every doc of the process: an id is the hash of its string in any vocab
_STRINGS: dict[int, str] = {}


def _strings(ids: list[int], strings) -> list[str]:
    """The strings of hash ids, each id not seen before looked up once in the vocab."""
    table = _STRINGS
    for h in set(ids).difference(table):
        table[h] = strings[h]
    return list(map(table.__getitem__, ids))


def view(doc) -> DocView:
    """The doc's token facts in one ``to_array`` call. ``Doc.text`` builds a ``Token`` per token; the text
    is the same join of each token's text and trailing space, read from the array."""
    from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_PUNCT, LOWER, ORTH, POS, SENT_START, SPACY, TAG

    n = len(doc)
    rows = doc.to_array([ORTH, IDX, IS_PUNCT, ENT_TYPE, LOWER, POS, TAG, IS_ALPHA, SPACY, SENT_START])
    cols = rows.T.tolist() if n else [[] for _ in range(10)]
    strings = doc.vocab.strings
    words = _strings(cols[0], strings)
    text = "".join([w + " " if sp else w for w, sp in zip(words, cols[8], strict=True)])
    sent_starts = None
    if n and doc.has_annotation("SENT_START"):  # Token.sent: back to the last token marked 1, else 0
        sent_starts, k = [], 0
        for i, flag in enumerate(cols[9]):
            if flag == 1:
                k = i
            sent_starts.append(k)
    return DocView(
        text,
        words,
        cols[1],
        [bool(x) for x in cols[2]],
        [strings[h] if h else "" for h in cols[3]],
        _strings(cols[4], strings),
        _strings(cols[5], strings),
        _strings(cols[6], strings),
        [bool(x) for x in cols[7]],
        sent_starts,
    )


def name_starts(
    v: DocView, first: dict[str, int], memo: dict[str, int | None] | None = None
) -> Iterator[tuple[int, int]]:
    """(token, widest span to try) for each capitalised token, not a number or date entity, whose normalised
    form starts an alias (``first``: first word -> longest alias length in tokens, plus slack). ``memo``
    keeps each word's answer for this ``first`` across docs (one dict lookup per token)."""
    memo = {} if memo is None else memo
    ents = v.ent_types
    for i, w in enumerate(v.words):
        width = memo.get(w, -1)
        if width == -1:
            width = memo[w] = first.get(normalise(w)) if w[:1].isupper() else None
        if width is not None and ents[i] not in _NOT_NAMES:
            yield i, width
