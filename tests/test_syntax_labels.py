"""syntax.py is the only module of the coder that spells dependency labels (a new model's label set
then needs one new mapping there)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTRACT = Path(__file__).resolve().parents[1] / "pipeline" / "extract"

#: The dependency labels of spaCy's English pipelines (ClearNLP), as the parser reports them (and "iobj",
#: which older models used).
LABELS = frozenset(
    "ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj csubj "
    "csubjpass dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass nummod oprd "
    "parataxis pcomp pobj poss preconj predet prep prt punct quantmod relcl xcomp iobj".split()
)


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


@pytest.mark.parametrize(
    "module", sorted(p.relative_to(EXTRACT).as_posix() for p in EXTRACT.rglob("*.py")), ids=str
)
def test_only_syntax_spells_dependency_labels(module):
    if module == "syntax.py":
        return
    found = [(line, s) for line, s in _strings(EXTRACT / module) if s in LABELS]
    assert not found, f"{module} spells dependency labels (use pipeline.extract.syntax): {found}"


def test_syntax_names_every_label_it_uses():
    from pipeline.extract import syntax

    assert syntax.LABELS <= LABELS
    assert {"nsubj", "dobj", "pobj", "prep"} <= syntax.LABELS
