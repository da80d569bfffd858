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


def test_numpy_blas_parses_as_spacy_as_shipped():
    """The coder's layers multiply with numpy's BLAS, not BLIS; the tags and the parse must not move."""
    pytest.importorskip("spacy")
    import spacy
    from threadpoolctl import threadpool_info

    from pipeline.extract.nlp import KEEP, default_model, load_nlp

    fast = load_nlp(compiled=False)
    models = [p.model for _, p in fast.pipeline if getattr(p, "model", None) is not None]
    ops = {type(node.ops).__name__: node.ops.use_blis for m in models for node in m.walk()}
    assert ops == {"NumpyOps": False}
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {1}
    shipped = spacy.load(default_model(), exclude=[p for p in fast.component_names if p not in KEEP])
    assert shipped.get_pipe("tok2vec").model.ops.use_blis
    long = " ".join(TEXTS * 6)  # a longer batch: larger matrices than one sentence gives
    for text in [*TEXTS, long]:
        assert _annotations(fast(text)) == _annotations(shipped(text))
