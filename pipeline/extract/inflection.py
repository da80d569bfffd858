"""Inflected forms of the lexicon's trigger lemmas, from lemminflect (no hand-written stem rules).

Two uses: the pre-filter keeps a sentence that contains any form of a trigger, and the lexicon finds a
verb whose lemma the tagger got wrong ("staged" lemmatised as "stag") by its surface form.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def forms(lemma: str, upos: str = "VERB") -> frozenset[str]:
    """The lemma and its inflections as ``upos`` (lemminflect's tables, else its rules for unknown words)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    table = getAllInflections(lemma, upos=upos) or getAllInflectionsOOV(lemma, upos=upos)
    return frozenset({lemma, *(f.lower() for fs in table.values() for f in fs)})


def all_forms(lemma: str) -> frozenset[str]:
    """Verb and noun forms together: a trigger may surface as either ("strikes", "striking")."""
    return forms(lemma, "VERB") | forms(lemma, "NOUN")


@lru_cache(maxsize=64)
def _verb_forms(lemmas: frozenset[str]) -> frozenset[str]:
    return frozenset(f for lemma in lemmas for f in forms(lemma, "VERB"))


def is_verb_in(tok, lemmas: frozenset[str]) -> bool:
    """Is the token a form of one of the verb lemmas: by its lemma, or by its surface form when the tagger's
    lemma slipped ("staged" lemmatised as "stag")?"""
    return tok.lemma_.lower() in lemmas or tok.lower_ in _verb_forms(lemmas)
