"""'-sponsored', '-backed' on a text name its author; on an armed group, its patron (one reading each,
where the coder once had both: a French-sponsored resolution yielded nothing, a U.S.-drafted one worked)."""

from __future__ import annotations

import pytest

from tests.conftest import triples


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Russia vetoed a French-sponsored resolution.", ("RUS", "FRA", "12")),
        ("Russia vetoed a French-drafted resolution.", ("RUS", "FRA", "12")),
        ("China rejected a British-backed proposal.", ("CHN", "GBR", "12")),
        ("China turned down a proposal sponsored by Britain.", ("CHN", "GBR", "12")),
    ],
)
def test_an_authoring_participle_on_a_text_names_the_author(code, text, expected):
    assert expected in triples(code(text))


@pytest.mark.parametrize(
    "text",
    ["Iran-backed militias attacked Israel.", "Militias sponsored by Iran attacked Israel on Sunday."],
)
def test_on_an_armed_group_it_names_a_patron_not_the_actor(code, text):
    assert not any(s == "IRN" for s, _t, _r in triples(code(text)))
