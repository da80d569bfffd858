"""The name scan's shortcuts give what the plain definitions give."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.actors import ActorRegistry, normalise_alias
from pipeline.extract.namematch import normalise

ODD = [
    "the U.S.", "The United Nations'", "Russia's", "  Côte d’Ivoire  ", "NATO's", "the  E.U.",
    "São Tomé", "Al-Shabaab", "O'Brien", "THE HAGUE", "Mr. J.D. Vance's", "U.N.-backed", "Jean‑Yves",
]  # fmt: skip


def test_normalise_agrees_with_the_registry_key_on_every_alias():
    reg = ActorRegistry.default()
    texts = [*reg.aliases(), *reg.non_actors(), *ODD]
    assert [normalise(t) for t in texts] == [normalise_alias(t) for t in texts]


def test_span_text_is_spacy_span_text():
    pytest.importorskip("spacy")
    from pipeline.extract.namematch import view
    from pipeline.extract.nlp import load_nlp

    doc = load_nlp()("The U.N. Security Council met  in New York;\n\nRussia's envoy (Vassily Nebenzia) left.")
    v = view(doc)
    for i in range(len(doc)):
        for j in range(i + 1, min(len(doc), i + 6) + 1):
            assert v.span_text(i, j) == doc[i:j].text


def test_registry_names_found_as_before():
    pytest.importorskip("spacy")
    from pipeline.extract.mentions import Mentions
    from pipeline.extract.nlp import load_nlp

    text = (
        "German Chancellor Olaf Scholz met French officials in Paris on Monday, and the South China Sea "
        "came up. The United States and the E.U. later said Scholz would visit Beijing."
    )
    m = Mentions(load_nlp()(text), date(2023, 5, 2))
    found = [(x.text, x.actor.code, x.how) for x in m.mentions]
    assert ("Paris", "FRA", "registry") in found
    assert ("United States", "USA", "registry") in found
    assert not any("China" in t for t, _, _ in found)  # inside a non-actor name
    assert any(t == "Scholz" and code == "DEU" for t, code, _ in found)


def test_view_lists_are_the_token_attributes():
    pytest.importorskip("spacy")
    from pipeline.extract.namematch import view
    from pipeline.extract.nlp import load_nlp

    nlp = load_nlp()
    texts = [
        "Kenyan  officials met the Andean Trade Forum (ATF) in Lima.\n\nIts chief, Ana Ruiz-Vega, left.",
        "Ms. O'Neill said: \"We won't wait.\" The U.N.-backed talks resumed on Tuesday; nobody came.",
        "",
        "Oslo",
    ]
    for doc in nlp.pipe(texts):
        v = view(doc)
        assert v.text == doc.text
        for t in doc:
            got = (v.words, v.starts, v.punct, v.ent_types, v.lower, v.pos, v.tag, v.alpha)
            want = (t.text, t.idx, t.is_punct, t.ent_type_, t.lower_, t.pos_, t.tag_, t.is_alpha)
            assert tuple(col[t.i] for col in got) == want
            assert v.sent_starts[t.i] == t.sent.start
    assert view(nlp.make_doc("No parse, no sentences.")).sent_starts is None


def test_cached_sentence_starts_and_roots_are_spacys():
    pytest.importorskip("spacy")
    from pipeline.extract.mentions import Mentions
    from pipeline.extract.nlp import load_nlp

    text = (
        "Envoys from Chile and Peru met rebels based in northern Mali on Friday. They said the two sides "
        "would talk again. Its foreign minister, Ana Ruiz, thanked the bloc and President Lula."
    )
    doc = load_nlp()(text)
    m = Mentions(doc, date(2024, 3, 8))
    for t in doc:
        assert m._sent_start(t.i) == t.sent.start
    assert m.mentions
    for x in m.mentions * 2:
        assert m._root(x) == doc[x.start : x.end].root


def test_name_starts_with_a_memo_are_the_plain_scan():
    pytest.importorskip("spacy")
    from pipeline.extract.mentions import _alias_index
    from pipeline.extract.namematch import name_starts, view
    from pipeline.extract.nlp import load_nlp

    first = _alias_index(ActorRegistry.default()).first
    memo: dict = {}
    texts = ["North Korea and the U.S. traded threats; Kim Jong Un spoke.", "Korea, Koreans and the US met."]
    for doc in load_nlp().pipe(texts * 2):
        v = view(doc)
        plain = [
            (i, first[normalise(w)])
            for i, w in enumerate(v.words)
            if w[:1].isupper() and v.ent_types[i] not in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL")
            and normalise(w) in first
        ]  # fmt: skip
        assert list(name_starts(v, first, memo)) == plain == list(name_starts(v, first))
