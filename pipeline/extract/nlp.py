"""spaCy loading: once per process, with only the components the coder reads."""

from __future__ import annotations

from functools import lru_cache

#: The coder reads POS, lemmas and the dependency parse. NER is left out: on the pre-filtered sentences of
#: 300 corpus articles it adds 50-135 % to spaCy's time (issue 9), and names are found from the registry
#: and proper-noun runs instead (mentions.py tells organisations from people by their name's words). With
#: NER on, realdev gained no more than that heuristic does.
KEEP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def default_model() -> str:
    from pipeline.config import load_settings

    return load_settings().spacy_model


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None):
    """Load (and cache) a spaCy pipeline; components the coder never reads are excluded."""
    import spacy

    name = model or default_model()
    nlp = spacy.load(name)
    drop = [p for p in nlp.pipe_names if p not in KEEP]
    for p in drop:
        nlp.remove_pipe(p)
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp
