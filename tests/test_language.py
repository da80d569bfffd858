"""The coder's language data: word classes, modality governors and CAMEO root traits."""

from __future__ import annotations

import pytest

from pipeline.extract.language import disjoint_groups, governor_table, governors, word_classes, words
from pipeline.extract.roots import root_of, transform

EXCLUSIVE_ROLES = ("intent", "threat", "reject", "drop", "pass", "obligation", "prediction")


def test_every_class_has_a_doc_and_words():
    for name, wc in word_classes().items():
        assert wc.doc.strip(), name
        assert wc.words, name
        assert all(w == w.strip().lower() for w in wc.words), name


@pytest.mark.parametrize("group", disjoint_groups(), ids=lambda g: "+".join(g))
def test_classes_that_must_not_overlap_do_not(group):
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            assert not words(a) & words(b), f"{a} and {b} share {sorted(words(a) & words(b))}"


def test_disjoint_groups_name_existing_classes():
    known = set(word_classes())
    assert disjoint_groups()
    for group in disjoint_groups():
        assert set(group) <= known, set(group) - known


def test_exclusive_governor_roles_do_not_overlap():
    for lemma, roles in governor_table().items():
        assert len(roles & set(EXCLUSIVE_ROLES)) <= 1, (lemma, roles)


def test_governor_roles_are_known():
    known = {*EXCLUSIVE_ROLES, "say", "decision", "wish", "deny"}
    for lemma, roles in governor_table().items():
        assert roles <= known, (lemma, roles - known)
    assert "refuse" in governors("reject") and "say" in governors("say")


def test_unknown_class_is_an_error():
    with pytest.raises(KeyError):
        words("no_such_class")


def test_every_codebook_root_has_traits():
    from pipeline.extract.codebook import codebook

    for code in codebook():
        assert root_of(code).root == code[:2]


def test_root_traits_read_from_data():
    assert root_of("190").hostile and root_of("190").place_target
    assert not root_of("040").hostile and root_of("040").consult
    assert root_of("070").shares_recipient and not root_of("074").shares_recipient  # a code override


@pytest.mark.parametrize(
    "code,status,expected",
    [
        ("190", "fact", "190"),
        ("070", "future", "033"),  # "will send aid": a pledge of aid
        ("111", "future", "111"),  # no intent code of its own: stays
        ("190", "would", "138"),  # a conditional attack is a threat of force
        ("163", "threat", "1312"),  # a threatened sanction
        ("040", "intent", "036"),
        ("130", "threat", "130"),
        ("120", "intent", "120"),
        ("040", "reject", "125"),
        ("111", "reject", "120"),
        ("190", "drop", None),
    ],
)
def test_transform_by_modality(code, status, expected):
    assert transform(code, status) == expected


def test_every_word_class_is_read_by_the_coder():
    """A class nobody reads is dead data (sector classes are read through ``sectors()``)."""
    from pathlib import Path

    src = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).parents[1] / "pipeline" / "extract").rglob("*.py")
    )
    for name, wc in word_classes().items():
        assert wc.sector or f'"{name}"' in src or f"'{name}'" in src, f"word class {name} is never read"
