"""The coder's shortcuts (ids read once per doc, early exits) decide exactly what the plain token tests do."""

from __future__ import annotations

from datetime import date

import pytest

TEXTS = [
    "Kenyan police arrested twelve Somali nationals in Nairobi on Tuesday.",
    "The Indian government condemned the air strike by Pakistan, and Islamabad rejected the charge.",
    "President Ruto held talks with the Ugandan president in Kampala on Friday, officials said.",
    "The European Union called on Israel to allow aid into Gaza. Germany was in contact with Egypt.",
    "An assassination attempt on the Iraqi prime minister was condemned by Iran.",
    "It was not clear whether the cabinet would approve the Visiting Forces Agreement. Be that as it may.",
]


@pytest.fixture(scope="module")
def docs():
    pytest.importorskip("spacy")
    from pipeline.extract.nlp import load_nlp

    nlp = load_nlp()
    return [nlp(t) for t in TEXTS]


def _verb_like(tok) -> bool:
    """The token test the sheet's ids replace: a verb, or a main-verb "be"."""
    from pipeline.extract import syntax as sx

    return tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.lemma_ == "be" and tok.dep_ != sx.AUX)


def test_sheet_verb_test_agrees_with_the_token_test(docs):
    from pipeline.extract.coder import _Sheet

    for doc in docs:
        sheet = _Sheet(doc)
        assert [sheet.verb_like(t.i) for t in doc] == [_verb_like(t) for t in doc]
        assert sheet.pos == [t.pos for t in doc] and sheet.lemma == [t.lemma for t in doc]


def test_noun_head_shortcut_never_hides_a_match(docs):
    from pipeline.extract.coder import get_coder

    coder = get_coder()
    seen = 0
    for doc in docs:
        for t in doc:
            if t.pos_ in ("NOUN", "PROPN") and not coder._noun_head(t.lemma, doc):
                assert coder.lexicon.match_noun(t) == []
                seen += 1
    assert seen  # the shortcut is exercised


def test_explained_and_plain_runs_give_the_same_rows(docs):
    """With ``explain`` the noun loop takes the plain path (every noun is looked up)."""
    from pipeline.extract.coder import get_coder
    from pipeline.models import Article

    coder = get_coder()
    rows = 0
    for k, doc in enumerate(docs):
        art = Article(
            article_id=f"a{k}", source_file=f"f{k}.txt", publication_date=date(2024, 3, 8), text=doc.text
        )
        plain = coder.code_doc(doc, art, explain=[])
        assert coder.code_doc(doc, art) == plain
        rows += len(plain)
    assert rows >= 5  # the texts give events


IDIOM_TEXTS = [
    "Ghana met the deadline, but Togo met the Beninese foreign minister in Lome.",
    "The court struck down the decree after rebels struck the barracks and seized the chance to flee.",
    "Police fought the blaze while soldiers fought insurgents; the senator had a heart attack.",
]


def test_idiom_check_inside_the_matchers_agrees_with_idiom(docs):
    """``match_verb`` / ``match_noun`` reuse the words they collected for the idiom test: same verdicts."""
    from pipeline.extract.lexicon import Lexicon
    from pipeline.extract.nlp import load_nlp

    lex = Lexicon.default()
    nlp = load_nlp()
    blocked = 0
    for doc in [*docs, *(nlp(t) for t in IDIOM_TEXTS)]:
        for t in doc:
            for kind, match in (("verb", lex.match_verb), ("noun", lex.match_noun)):
                literal = match(t, idioms=False)
                plain = [] if literal and lex.idiom(t, kind) is not None else literal
                assert match(t) == plain
                blocked += bool(literal) and not plain
    assert blocked >= 2  # idioms are exercised


def test_kept_children_are_spacys_children_across_docs_and_threads(docs):
    """``syntax.kids`` holds one doc's children per thread: switching docs, or threads, never mixes them."""
    import threading

    from pipeline.extract import syntax as sx

    def check() -> None:
        for _ in range(2):
            for doc in docs:
                for t in doc:
                    assert sx.kids(t) == tuple(t.children)
            for a, b in zip(docs, docs[1:], strict=False):  # alternate two docs token by token
                for ta, tb in zip(a, b, strict=False):
                    assert sx.kids(ta) == tuple(ta.children) and sx.kids(tb) == tuple(tb.children)
                    assert all(c.doc is ta.doc for c in sx.kids(ta))

    errors: list[BaseException] = []
    threads = [threading.Thread(target=_capture, args=(check, errors)) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    check()
    assert not errors, errors


def _capture(f, errors: list) -> None:
    try:
        f()
    except BaseException as exc:  # noqa: BLE001  (re-raised in the main thread by the assert)
        errors.append(exc)
