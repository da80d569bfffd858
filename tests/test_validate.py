"""Great Expectations validation of a day's lake tables: real GE, real Parquet, Data Docs in tmp_path."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline import store, validate
from schemas import TABLES
from tests.test_store import DAY, make_article, make_event, make_quarantine, make_settings


def write_day(s, events: list[dict], articles: list[dict] | None = None, day: date = DAY) -> None:
    store.write_table("events", events, s, day)
    if articles is None:
        articles = [make_article(i) for i in range(2)]
    store.write_table("articles", articles, s, day)


def failed_names(res: validate.ValidationResult) -> list[str]:
    """The suite names of the failed expectations (each failure reads "<name> (N rows: ...)")."""
    names = [e["meta"]["name"] for n in validate.SUITES for e in validate.load_suite(n)["expectations"]]
    out = [n for f in res.failed for n in names if f.startswith(n + " (")]
    assert len(out) == len(res.failed), res.failed
    return out


def valid_events() -> list[dict]:
    return [make_event(i, article=i % 2, code=c) for i, c in enumerate(["042", "190", "0874", "1011", "057"])]


def test_valid_day_passes_and_writes_data_docs(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    s = make_settings(tmp_path)
    write_day(s, valid_events())
    res = validate.validate_day(s, DAY)
    assert res.success, res.failed
    assert res.failed == []
    assert res.statistics["events"]["rows"] == 5
    assert res.statistics["events"]["unsuccessful"] == 0
    assert res.statistics["events"]["evaluated"] == len(validate.load_suite("events")["expectations"])
    assert res.statistics["articles"]["successful"] == len(validate.load_suite("articles")["expectations"])
    assert res.docs_index == s.data_docs / "index.html"
    html = res.docs_index.read_text(encoding="utf-8")
    assert all(f"envoy_{name}" in html for name in validate.SUITES)
    assert list((s.data_docs / "validations").rglob("*.html"))
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # GE's progress bars and prints stay off the pipeline's output


def test_empty_day_passes(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    res = validate.validate_day(s, date(2024, 1, 1))  # nothing in the lake for that day at all
    assert res.success, res.failed
    assert res.statistics["events"]["rows"] == 0
    assert res.docs_index is not None and res.docs_index.exists()


BAD_EVENTS = {
    "unknown cameo code": ({"cameo_code": "999"}, {"events.cameo_code in codebook"}),
    "root inconsistent": ({"cameo_root": "05"}, {"events.cameo_root consistent with cameo_code"}),
    "quad_class inconsistent": ({"quad_class": 4}, {"events.quad_class consistent with cameo_code"}),
    "goldstein inconsistent": ({"goldstein": 7.5}, {"events.goldstein consistent with cameo_code"}),
    "unknown source actor": ({"source_actor": "XQZ"}, {"events.source_actor in actor registry"}),
    "unknown target actor": ({"target_actor": "ZZZ"}, {"events.target_actor in actor registry"}),
    "event after publication + 1": (
        {"event_date": DAY + timedelta(days=2)},
        {"events.event_date not after publication_date + 1 day"},
    ),
    "confidence 1.5": ({"confidence": 1.5}, {"events.confidence within [0, 1]"}),
    "empty evidence": ({"evidence": ""}, {"events.evidence not empty"}),
    "blank evidence": ({"evidence": "   "}, {"events.evidence not empty"}),
    "bad date precision": ({"date_precision": "week"}, {"events.date_precision in day/month/year"}),
    "unknown place precision": (
        {"place_name": "Oslo", "place_precision": "street"},
        {"events.place_precision in city/adm1/country/none"},
    ),
    "unknown place source": (
        {"place_precision": "city", "place_name": "Oslo", "place_source": "guess"},
        {"events.place_source in the location sources"},
    ),
    "place name without a precision": (
        {"place_name": "Oslo", "place_precision": "none"},
        {"events.place_name present exactly when a place was found"},
    ),
    "precision without a place name": (
        {"place_precision": "city"},
        {"events.place_name present exactly when a place was found"},
    ),
    "place country not ISO-3": (
        {"place_name": "Oslo", "place_precision": "city", "place_country": "no"},
        {"events.place_country an ISO-3 code"},
    ),
    "place adm1 not ISO 3166-2": (
        {"place_name": "Oslo", "place_precision": "city", "place_adm1": "Oslo fylke"},
        {"events.place_adm1 an ISO 3166-2 code"},
    ),
    "latitude 95": (
        {"place_name": "Oslo", "place_precision": "city", "place_latitude": 95.0},
        {"events.place_latitude within [-90, 90]"},
    ),
    "longitude -200": (
        {"place_name": "Oslo", "place_precision": "city", "place_longitude": -200.0},
        {"events.place_longitude within [-180, 180]"},
    ),
    "plover type of another code": (
        {"code": "042", "plover_event": "ASSAULT"},
        {"events.plover_event consistent with cameo_code"},
    ),
    "not a plover type": (
        {"code": "010", "plover_event": "HUG"},
        {"events.plover_event a PLOVER event type"},
    ),
    "plover mode of another code": (
        {"code": "042", "plover_event": "CONSULT", "plover_mode": "phone"},
        {"events.plover_mode consistent with cameo_code"},
    ),
    "year 1800": (
        {"publication_date": date(1800, 5, 2), "event_date": date(1800, 5, 2)},
        {"events.publication_date plausible (1900-01-01 .. today + 1 day)"},
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_EVENTS))
def test_each_bad_event_fails_its_expectation(tmp_path: Path, case: str) -> None:
    """Each is about one article: that article (here article 0, which event 7 belongs to) is rejected,
    naming the expectation and its own values, and the batch as a whole passes."""
    s = make_settings(tmp_path)
    overrides, expected = BAD_EVENTS[case]
    write_day(s, valid_events() + [make_event(7, **overrides)])
    res = validate.validate_day(s, DAY)
    assert res.success and res.batch_failed == []
    assert set(failed_names(res)) == expected, res.failed  # that expectation, and only it
    assert len(res.failed) == 1 and " (1 rows: " in res.failed[0]
    assert res.statistics["events"]["unsuccessful"] == 1
    [(article, broke)] = res.rejected.items()
    assert article == make_article(0)["article_id"]
    assert [b.split(":")[0] for b in broke] == sorted(expected)


def test_failure_names_the_offending_values(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s, valid_events() + [make_event(7, cameo_code="999"), make_event(8, cameo_code="777")])
    res = validate.validate_day(s, DAY)
    assert len(res.failed) == 1
    assert res.failed[0].startswith("events.cameo_code in codebook (2 rows: ")
    assert "999" in res.failed[0] and "777" in res.failed[0]


def test_duplicate_event_id_fails(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    dup = make_event(3, article=1, code="190", sentence_index=9)  # same event_id as valid_events()[3]
    write_day(s, valid_events() + [dup])
    res = validate.validate_day(s, DAY)
    assert failed_names(res) == ["events.event_id unique"]
    assert "(2 rows: " in res.failed[0]
    assert not res.success and res.batch_failed == res.failed and res.rejected == {}  # blocks the load


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"publication_date": date(1800, 1, 1)}, "articles.publication_date plausible"),
        ({"publication_date": date.today() + timedelta(days=30)}, "articles.publication_date plausible"),
        ({"n_chars": 0}, "articles.n_chars > 0"),
    ],
)
def test_bad_article_fails(tmp_path: Path, overrides: dict, expected: str) -> None:
    s = make_settings(tmp_path)
    write_day(s, valid_events(), [make_article(0), make_article(1, **overrides)])
    res = validate.validate_day(s, DAY)
    assert res.success  # about one article: it is rejected, the batch passes
    assert len(res.failed) == 1 and res.failed[0].startswith(expected), res.failed
    assert list(res.rejected) == [make_article(1)["article_id"]]
    assert res.rejected[make_article(1)["article_id"]][0].startswith(expected)


def test_unknown_quarantine_reason_fails(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s, valid_events())
    bad = make_quarantine(1) | {"reason": "cosmic_rays"}
    store.write_table("quarantine", [make_quarantine(0), bad], s, DAY)
    res = validate.validate_day(s, DAY)
    assert failed_names(res) == ["quarantine.reason in the closed vocabulary"]
    assert not res.success
    assert "cosmic_rays" in res.failed[0]
    assert res.statistics["quarantine"]["rows"] == 2


def test_duplicate_article_id_fails(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    write_day(s, valid_events(), [make_article(0), make_article(1), make_article(1, source_file="copy.txt")])
    res = validate.validate_day(s, DAY)
    assert failed_names(res) == ["articles.article_id unique"]
    assert not res.success


def test_suites_only_name_contract_or_derived_columns() -> None:
    suites = []
    for name in validate.SUITES:
        spec = validate.load_suite(name)
        envoy = spec["meta"]["envoy"]
        assert spec["name"] == f"envoy_{name}" and envoy["table"] == name
        known = set(TABLES[name].names) | set(envoy["derived_columns"])
        assert set(envoy["derived_columns"]) <= set(validate.DERIVED)
        for e in spec["expectations"]:
            cols = {v for k, v in e["kwargs"].items() if k in ("column", "column_A", "column_B")}
            assert cols and cols <= known, e["meta"]["name"]
            assert e["meta"]["name"].startswith(name + ".") and e["meta"]["scope"] in ("article", "batch")
        suites.append(spec)
    values = validate.suite_parameters(suites)  # every $PARAMETER the suites name has a value
    assert set(values) == set(validate.PARAMETERS)
    assert values["date_precisions"] == ["day", "month", "year"] and "042" in values["codebook_codes"]


def test_unknown_suite_parameter_is_an_error() -> None:
    suite = {"expectations": [{"kwargs": {"column": "x", "value_set": {"$PARAMETER": "nope"}}}]}
    with pytest.raises(KeyError, match="unknown suite parameter"):
        validate.suite_parameters([suite])


def test_data_docs_keep_history_without_re_rendering_it(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    day1 = DAY - timedelta(days=1)
    write_day(s, [make_event(0, day=day1)], [make_article(0, day=day1)], day=day1)
    write_day(s, valid_events())
    validate.validate_day(s, day1)
    old_pages = {p: p.stat().st_mtime_ns for p in (s.data_docs / "validations").rglob("*.html")}
    assert len(old_pages) == len(validate.SUITES)  # one page per suite for day1
    res = validate.validate_day(s, DAY)
    html = res.docs_index.read_text(encoding="utf-8")
    assert day1.isoformat() in html and DAY.isoformat() in html
    pages = list((s.data_docs / "validations").rglob("*.html"))
    assert len(pages) == 2 * len(validate.SUITES)
    assert {p: p.stat().st_mtime_ns for p in old_pages} == old_pages
    # the plain-HTML run table (GE's own listing needs JavaScript from CDNs) links every page
    assert html.count("envoy validation runs") == 1
    links = re.findall(r'href="(validations/[^"]+\.html)"', html)
    assert sorted(s.data_docs / link for link in links) == sorted(pages)
    assert "FAILED" not in html


def test_pair_failures_say_which_side_is_which(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    late = DAY + timedelta(days=5)
    write_day(s, valid_events() + [make_event(7, cameo_root="05"), make_event(8, event_date=late)])
    res = validate.validate_day(s, DAY)
    assert sorted(res.failed) == [
        "events.cameo_root consistent with cameo_code (1 rows: cameo_root=05 codebook_root=04)",
        f"events.event_date not after publication_date + 1 day (1 rows: latest_event_date="
        f"{(DAY + timedelta(days=1)).isoformat()} event_date={late.isoformat()})",
    ]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_committed_project_opens_in_ge_and_its_checkpoint_runs(tmp_path: Path) -> None:
    """What a GE user does: open the project, find the suites and the checkpoint, run it on a day."""
    import shutil

    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    root = tmp_path / "repo"
    shutil.copytree(validate.project_dir(), root / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    ctx = gx.get_context(mode="file", project_root_dir=str(root))
    assert sorted(s.name for s in ctx.suites.all()) == sorted(f"envoy_{t}" for t in validate.SUITES)
    checkpoint = ctx.checkpoints.get(validate.CHECKPOINT)
    vds = checkpoint.validation_definitions
    assert [vd.suite.name for vd in vds] == [f"envoy_{t}" for t in validate.SUITES]
    assert [vd.data.data_asset.name for vd in vds] == list(validate.SUITES)
    assert [a.type for a in checkpoint.actions] == ["update_data_docs"]
    for t in validate.SUITES:  # the suites as committed, expectation for expectation
        assert len(ctx.suites.get(f"envoy_{t}").expectations) == len(validate.load_suite(t)["expectations"])

    s = make_settings(tmp_path / "data")
    write_day(s, valid_events() + [make_event(7, cameo_code="999")])
    suites, frames = validate._frames(s, DAY, None)
    run_id = RunIdentifier(run_name=DAY.isoformat())
    _, results = validate.run_checkpoint(ctx, frames, validate.suite_parameters(suites), run_id)
    assert {k.expectation_suite_identifier.name: r.success for k, r in results.items()} == {
        "envoy_events": False, "envoy_articles": True, "envoy_quarantine": True}
    docs = root / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert (docs / "index.html").exists() and len(list((docs / "validations").rglob("*.html"))) == 3


def test_a_pipeline_run_never_writes_the_committed_project(tmp_path: Path) -> None:
    before = _tree(validate.project_dir())
    s = make_settings(tmp_path)
    write_day(s, valid_events())
    validate.validate_day(s, DAY)
    assert _tree(validate.project_dir()) == before
    assert (s.gx_root / "uncommitted" / "validations").is_dir()  # results stay with the data
    def definitions(tree: dict[str, bytes]) -> dict[str, bytes]:
        return {k: v for k, v in tree.items() if k.endswith((".json", ".yml", ".css"))}

    copied = {k: v for k, v in _tree(s.gx_root).items() if not k.startswith("uncommitted/")}
    assert definitions(copied) == definitions(before)  # the run used the committed files, unchanged
