"""The CAMEO -> PLOVER table covers the whole codebook and stays inside PLOVER's vocabulary."""

from __future__ import annotations

import csv

import pytest

from pipeline import plover
from pipeline.extract.codebook import codebook

COOPERATION = {"verbal cooperation", "material cooperation"}


def _raw_codes() -> list[str]:
    text = plover.MAPPING.read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if x and not x.startswith("#")]
    return [rec["cameo_code"] for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def test_every_codebook_code_has_exactly_one_row():
    codes = _raw_codes()
    assert len(codes) == len(set(codes)), "a CAMEO code has two rows"
    assert set(codes) == set(codebook())


@pytest.mark.parametrize("code", sorted(codebook()))
def test_each_code_maps_to_one_plover_type_or_to_none_with_a_reason(code):
    r = plover.row(code)
    assert r.cameo_label == codebook()[code].label, "codebook label changed: review the PLOVER row"
    vocab = plover.vocabulary()
    if r.plover is None:
        assert r.basis == "none"
        assert len(plover.reason(code)) > 20
        return
    assert r.basis != "none"
    assert r.plover.event in vocab.events
    assert r.plover.mode is None or r.plover.mode in vocab.modes[r.plover.event]
    assert all(c in vocab.contexts for c in r.plover.contexts)


def test_vocabulary_has_the_sixteen_types_and_each_is_reached_by_some_code():
    vocab = plover.vocabulary()
    assert len(vocab.events) == 16
    assert {p.event for r in plover.table().values() if (p := r.plover)} == set(vocab.events)
    assert not vocab.modes["AGREE"] and "visit" in vocab.modes["CONSULT"]
    assert {"historical", "future", "hypothetical", "negation"} <= vocab.contexts


def test_statements_and_appeals_have_no_plover_type_everything_else_has():
    for code in codebook():
        mapped = plover.plover_for(code) is not None
        assert mapped == (code[:2] not in ("01", "02")), code
    assert "comments" in plover.reason("013")
    assert "APPEAL" in plover.reason("0233")


def test_cooperation_and_conflict_side_agree_with_cameo_except_investigations():
    """PLOVER folds CAMEO's 09 Investigate (material cooperation in CAMEO) into ACCUSE, verbal conflict."""
    vocab = plover.vocabulary()
    crossed = set()
    for code, r in plover.table().items():
        if r.plover is None:
            continue
        cameo_coop = codebook()[code].quad_class <= 2
        if cameo_coop != (vocab.events[r.plover.event][0] in COOPERATION):
            crossed.add(code[:2])
    assert crossed == {"09"}


def test_yield_splits_into_verbal_concede_and_material_retreat():
    assert plover.plover_for("083").event == "CONCEDE"
    assert plover.plover_for("0841") == ("RETREAT", "release", "legal")
    assert plover.plover_for("0871").mode == "ceasefire"
    assert plover.plover_for("08").event == "CONCEDE" and plover.row("08").ambiguous


def test_modes_follow_from_the_cameo_code():
    assert plover.plover_for("041").mode == "phone"
    assert plover.plover_for("1832").mode == "explosives"
    assert plover.plover_for("173") == ("COERCE", "arrest", "legal")
    assert plover.plover_for("2041").contexts == ("cbrn",)
    assert plover.plover_for("091").contexts == ("crime", "corruption")


def test_hosting_a_visit_swaps_the_actors():
    assert plover.plover_for("043") == ("CONSULT", "visit", None)
    assert plover.row("043").swap_actors and not plover.row("042").swap_actors


def test_codes_whose_label_differs_upstream_follow_envoys_meaning():
    """envoy's 106 is 'Demand withdrawal' (GDELT labels), upstream's 106 a demand to meet."""
    assert plover.plover_for("106") == ("REQUEST", "yield", "military")
    assert plover.plover_for("108").mode == "meet"
    assert plover.row("106").basis == "c2p-label"


def test_every_deviation_and_ambiguity_is_explained():
    for code, r in plover.table().items():
        if r.ambiguous or r.basis in ("c2p-vocab", "c2p-label"):
            assert r.note, code
    ambiguous = {c for c, r in plover.table().items() if r.ambiguous}
    assert {"08", "0813", "116", "163", "192"} <= ambiguous


def test_series_by_type_and_aliases():
    assert plover.canonical_event("demand") == "REQUEST"
    codes = plover.cameo_codes_for("Assault")
    assert {"1712", "175", "190", "2042"} <= set(codes) and "191" not in codes
    with pytest.raises(KeyError):
        plover.canonical_event("APPEAL")


def test_unknown_code_is_an_error_not_a_silent_none():
    with pytest.raises(KeyError):
        plover.plover_for("999")
    assert plover.plover_for(" 190 ").event == "ASSAULT"


def test_the_warehouse_mapping_is_generated_from_the_data():
    """schemas/ddl/12_plover.sql is what scripts/build_plover_sql.py writes from the TSV files."""
    import duckdb

    from pipeline.plover import table, vocabulary
    from pipeline.plover.sql import ddl
    from schemas import contract_path

    assert contract_path("ddl", "12_plover.sql").read_text(encoding="utf-8") == ddl()
    con = duckdb.connect()
    con.execute(ddl())
    codes = dict(con.execute("SELECT cameo_code, plover_event FROM plover_codes").fetchall())
    assert codes == {c: (r.plover.event if r.plover else None) for c, r in table().items()}
    swapped = {c for (c,) in con.execute("SELECT cameo_code FROM plover_codes WHERE swap_actors").fetchall()}
    assert swapped == {c for c, r in table().items() if r.swap_actors}
    rows = con.execute("SELECT plover_event, plover_quad, plover_score FROM plover_types").fetchall()
    assert {e: (q, s) for e, q, s in rows} == vocabulary().events
