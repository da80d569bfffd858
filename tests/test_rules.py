"""Every argument rule of the coder, on the sentences of tests/rule_cases.toml (two or more paraphrases a
rule, written for these tests): the expected events appear, the forbidden ones do not, and --explain names
the rule that found a side or dropped the trigger."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import CODER_PUB, triples

CASES = tomllib.loads((Path(__file__).parent / "rule_cases.toml").read_text(encoding="utf-8"))["case"]


def _rules() -> dict[str, object]:
    from pipeline.extract.arguments import TABLES
    from pipeline.extract.arguments.phrases import FINDERS

    return {r.__name__: r for table in (*TABLES.values(), FINDERS) for r in table}


def _as_triples(items: list[str]) -> set[tuple[str, str, str]]:
    return {tuple(x.split()) for x in items}  # type: ignore[misc]


@pytest.fixture(scope="module")
def coder():
    pytest.importorskip("spacy")
    from pipeline.extract.coder import Coder

    return Coder()


def test_every_rule_has_a_docstring_and_two_cases():
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case["rule"]] = counts.get(case["rule"], 0) + 1
    rules = _rules()
    assert set(counts) <= set(rules), set(counts) - set(rules)
    for name, rule in rules.items():
        assert (rule.__doc__ or "").strip(), f"{name} has no docstring"
        assert counts.get(name, 0) >= 2, f"{name} has {counts.get(name, 0)} test case(s), wants 2"


def _explained(ex) -> str:
    return "\n".join(line for s in ex for line in (*s.events, *s.dropped))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['rule']}: {c['text'][:50]}")
def test_rule_case(case, coder):
    from pipeline.extract.coder import code_text

    ex: list = []
    got = triples(code_text(case["text"], CODER_PUB, coder=coder, explain=ex))
    assert _as_triples(case.get("expect", [])) <= got
    assert not _as_triples(case.get("forbid", [])) & got
    text = _explained(ex)
    name = case["rule"]
    named = f"({name})" in text or f"source: {name}" in text or f"target: {name}" in text
    named = named or f"dropped by {name}:" in text
    if name == "candidate_phrases":
        named = "target: target_phrase (" in text  # a finder proposed the phrase that resolved
    assert named != case.get("absent", False), text
