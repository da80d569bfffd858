"""The lexicon data file: classes, no duplicate patterns, organised by CAMEO code, library inflections."""

from __future__ import annotations

import pytest

from pipeline.extract.lexicon import DATA, Lexicon, read_lexicon


def test_shipped_lexicon_has_no_duplicate_patterns():
    entries = read_lexicon(DATA)  # raises on a duplicate, also one that a class expansion makes
    keys = [(e.kind, e.pattern) for e in entries]
    assert len(keys) == len(set(keys))


def test_a_duplicate_row_fails(tmp_path):
    p = tmp_path / "lexicon.tsv"
    p.write_text("verb\tcondemn\t111\nverb\tpraise\t051\nverb\tcondemn\t111\n", encoding="utf-8")
    with pytest.raises(ValueError, match="already on line 1"):
        read_lexicon(p)


def test_a_class_that_repeats_a_row_fails(tmp_path):
    p = tmp_path / "lexicon.tsv"
    p.write_text("class\t&aid\taid assistance\nverb\tsend aid\t070\nverb\tsend &aid\t070\n", encoding="utf-8")
    with pytest.raises(ValueError, match="already on line 2"):
        read_lexicon(p)


def test_class_rows_expand_to_one_pattern_per_word(tmp_path):
    p = tmp_path / "lexicon.tsv"
    p.write_text("class\t&relief\tfood medicine\t# relief goods\nverb\tsend &relief\t073\n", encoding="utf-8")
    assert [(e.pattern, e.code) for e in read_lexicon(p)] == [
        (("send", "food"), "073"),
        (("send", "medicine"), "073"),
    ]


def test_unknown_class_and_unknown_code_fail(tmp_path):
    p = tmp_path / "lexicon.tsv"
    p.write_text("verb\tsend &nothing\t073\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown class"):
        read_lexicon(p)
    p.write_text("verb\tsend\t999\n", encoding="utf-8")
    with pytest.raises(KeyError):
        read_lexicon(p)


def test_rows_are_organised_by_cameo_root():
    roots = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] in ("verb", "noun"):
            roots.append(parts[2][:2])
    assert roots == sorted(roots)


def test_shipped_classes_are_used():
    text = DATA.read_text(encoding="utf-8")
    names = [line.split("\t")[1] for line in text.splitlines() if line.startswith("class\t")]
    body = "\n".join(line for line in text.splitlines() if line.startswith(("verb", "noun")))
    assert names and all(f"{n}\t" in body or f"{n} " in body for n in names)


def test_verb_found_by_inflected_form_when_the_lemma_slips():
    lex = Lexicon.default()
    # forms come from lemminflect, irregular ones included; the lemmatiser may give "stag" for "staged"
    assert lex._forms["staged"] == "stage" and lex._forms["held"] == "hold" and lex._forms["sank"] == "sink"
    assert "stag" not in lex._forms


def test_longer_then_more_detailed_pattern_wins(tmp_path):
    p = tmp_path / "lexicon.tsv"
    p.write_text("verb\tcall for\t020\nverb\tcall ceasefire\t0256\nverb\tcall\t010\n", encoding="utf-8")
    lex = Lexicon(read_lexicon(p))
    assert [e.code for e in lex._verbs["call"]] == ["0256", "020", "010"]


def test_every_three_digit_code_has_a_pattern():
    """Each 3-digit CAMEO code of the codebook is reachable: some pattern codes it or one of its 4-digit
    children (a code no pattern names can only ever come from a modality transform)."""
    from pipeline.extract.codebook import codebook

    coded = {e.code for e in Lexicon.default().entries}
    missing = [c for c in codebook() if len(c) == 3 and not any(k.startswith(c) for k in coded)]
    assert not missing, f"3-digit codes without a lexicon pattern: {missing}"
