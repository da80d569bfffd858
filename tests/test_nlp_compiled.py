"""The compiled attribute ruler and cached lemmatizer give exactly spaCy's own annotations."""

from __future__ import annotations

import pytest

TEXTS = [
    "The ministers were gonna meet in Oslo, but let's not pretend they ain't divided.",
    "Envoys of both governments had been negotiating quietly for weeks before the summit.",
    "She said it wasn't her country's fault; they'd rejected the offer twice.\n\nTalks resume Monday.",
    "Rebels gotta hold the bridge,   said a commander who didn't give his name.",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_compiled_components_match_spacy_token_for_token():
    pytest.importorskip("spacy")
    from pipeline.extract.nlp import CachedLemmatizer, CompiledRuler, load_nlp

    fast, stock = load_nlp(), load_nlp(compiled=False)
    kinds = {type(p.component) for _, p in fast.pipeline if hasattr(p, "component")}
    assert kinds == {CompiledRuler, CachedLemmatizer}
    for _ in range(2):  # the second round runs from the caches
        for text in TEXTS:
            assert _annotations(fast(text)) == _annotations(stock(text))
    assert [_annotations(d) for d in fast.pipe(TEXTS)] == [_annotations(d) for d in stock.pipe(TEXTS)]


def test_unsupported_patterns_keep_the_stock_ruler():
    pytest.importorskip("spacy")
    from pipeline.extract.nlp import CompiledRuler, load_nlp

    ruler = load_nlp(compiled=False).get_pipe("attribute_ruler")
    assert CompiledRuler.supports(ruler)

    class Longer:
        patterns = [{"patterns": [[{"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}]], "attrs": {}, "index": 0}]

    class OtherAttr:
        patterns = [{"patterns": [[{"SHAPE": "Xxxx"}]], "attrs": {}, "index": 0}]

    assert not CompiledRuler.supports(Longer())
    assert not CompiledRuler.supports(OtherAttr())
