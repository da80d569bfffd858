"""Scoring rule of ``envoy evaluate`` on a tiny hand-made gold file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.evaluate import (
    GoldError,
    as_dict,
    date_agrees,
    details,
    load_gold,
    report,
    score,
    summary_table,
)

GOLD = {
    "a1": {
        "file": "a1.txt",
        "date": "2025-03-12",
        "required": [
            ["FRA", "DEU", ["11"], "2025-03-10"],
            ["DEU", "FRA", ["12", "11"], "2025-03"],
            ["ITA", "IGOEUREEC", ["05"], None],
        ],
        "optional": [["ESP", "FRA", ["01"], None]],
        "forbidden": [["DEU", "ITA", ["19", "18"]]],
    },
    "a2": {
        "file": "a2.txt",
        "date": "2025-03-12",
        "required": [["USA", "CHN", ["04"], "2025"]],
        "optional": [],
        "forbidden": [],
    },
}


def ev(src: str, tgt: str, code: str, day: str) -> dict:
    return {
        "source_actor": src,
        "target_actor": tgt,
        "cameo_code": code,
        "event_date": date.fromisoformat(day),
    }


def test_scoring_rule():
    events = {
        "a1": [
            ev("FRA", "DEU", "111", "2025-03-10"),  # found, right day
            ev("FRA", "DEU", "112", "2025-03-11"),  # same triple: counted once
            ev("DEU", "FRA", "120", "2025-02-27"),  # found (second accepted root), wrong month
            ev("ESP", "FRA", "010", "2025-03-12"),  # optional: a match, not a miss
            ev("DEU", "ITA", "190", "2025-03-12"),  # forbidden and a false positive
            ev("ITAX", "IGOEUREEC", "051", "2025-03-12"),  # state codes cut to three letters
        ],
        "a2": [ev("CHN", "USA", "040", "2025-03-12")],  # wrong direction
    }
    s = score(GOLD, events)
    assert s.recall == pytest.approx(3 / 4)
    assert s.precision == pytest.approx(4 / 6)  # a1: FRA>DEU, DEU>FRA, ESP>FRA, ITA>IGO match; a2: none
    assert s.forbidden == 1
    assert s.date_accuracy == pytest.approx(1 / 2)  # FRA>DEU right, DEU>FRA wrong; ITA has no date
    lines = report(s, verbose=True)
    assert lines[-4:] == ["precision: 0.667", "recall: 0.750", "forbidden hits: 1", "date accuracy: 0.500"]
    assert any("MISS   USA -> CHN" in ln for ln in lines)
    assert any("FORBID DEU -> ITA 19" in ln for ln in lines)


def test_date_precision():
    assert date_agrees("2025", date(2025, 12, 31))
    assert date_agrees("2025-03", "2025-03-30")
    assert not date_agrees("2025-03-10", date(2025, 3, 11))


def test_evaluate_command_end_to_end(tmp_path: Path, capsys):
    pytest.importorskip("spacy")
    from pipeline.cli import main

    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "a1.txt").write_text(
        " date 2025-03-12 France condemned Germany on Monday.\n", "utf-8"
    )
    gold = {
        "a1": {
            "file": "a1.txt",
            "date": "2025-03-12",
            "required": [["FRA", "DEU", ["11"], "2025-03-10"]],
            "optional": [],
            "forbidden": [["DEU", "FRA", ["11"]]],
        }
    }
    (tmp_path / "gold.json").write_text(json.dumps(gold), "utf-8")
    assert main(["evaluate", str(tmp_path / "gold.json"), str(tmp_path / "arts")]) == 0
    last = capsys.readouterr().out.splitlines()[-4:]
    assert last == ["precision: 1.000", "recall: 1.000", "forbidden hits: 0", "date accuracy: 1.000"]


# --- gold files: checking, metadata keys, sets and their articles folders --------------------------

from pipeline.evaluate import (  # noqa: E402 - grouped with the tests that use them
    articles_dir_for,
    load_set,
    read_gold,
    root_table,
)


def write_gold(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return path


def entry(**over) -> dict:
    base = {"file": "x.txt", "date": "2025-03-12", "required": [], "optional": [], "forbidden": []}
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("data", "needles"),
    [
        ("{not json", ["not valid JSON", "line 1"]),
        ("[1, 2]", ["must be a JSON object"]),
        ({"k1": "just a string"}, ["'k1'", "must be an object"]),
        ({"k1": entry(required="FRA DEU 11")}, ["'k1'", "'required' must be a list"]),
        ({"k1": entry(required=[["FRA", "DEU"]])}, ["'k1'", "required[0]", "must be a list [SOURCE"]),
        ({"k1": entry(optional=[["FRA", "DEU", ["21"], None]])}, ["'k1'", "optional[0]", "01-20"]),
        ({"k1": entry(required=[["FRA", "DEU", [11], None]])}, ["'k1'", "two-digit strings"]),
        ({"k1": entry(required=[["FRA", "DEU", [], None]])}, ["'k1'", "non-empty list"]),
        ({"k1": entry(required=[["", "DEU", ["11"], None]])}, ["'k1'", "actor codes"]),
        ({"k1": entry(required=[["FRA", "DEU", ["11"], "12/03/2025"]])}, ["'k1'", "YYYY-MM-DD or null"]),
        ({"k1": entry(date="March 2025")}, ["'k1'", "'date' must be YYYY-MM-DD"]),
        ({"k1": entry(file="")}, ["'k1'", "'file'"]),
        ({"_meta": [1], "k1": entry()}, ["'_meta' must be an object"]),
        ({"_meta": {"what": "only metadata"}}, ["no articles"]),
    ],
)
def test_malformed_gold_is_rejected_with_the_key_and_the_problem(tmp_path: Path, data, needles):
    path = write_gold(tmp_path / "gold.json", data)
    with pytest.raises(GoldError) as err:
        read_gold(path)
    message = str(err.value)
    assert message.startswith(str(path))
    for needle in needles:
        assert needle in message, message


def test_missing_gold_file_and_missing_article_file(tmp_path: Path):
    with pytest.raises(GoldError, match="no such gold file"):
        read_gold(tmp_path / "absent.json")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "here.txt").write_text(" date 2025-03-12 Text.\n", "utf-8")
    path = write_gold(
        tmp_path / "gold.json",
        {"a": entry(file="here.txt"), "b": entry(file="gone.txt"), "c": entry(file="gone2.txt")},
    )
    with pytest.raises(GoldError, match=r"article 'b': file gone.txt not in .* \(1 more missing\)"):
        load_set(path)


def test_metadata_keys_are_skipped_by_loading_and_scoring(tmp_path: Path):
    path = write_gold(tmp_path / "gold.json", {"_meta": {"note": "about the set"}, "_x": 3, **GOLD})
    gold, meta = read_gold(path)
    assert set(gold) == {"a1", "a2"} and meta == {"note": "about the set"}
    assert set(load_gold(path)) == {"a1", "a2"}
    # score() also skips them when handed the raw file content
    raw = json.loads(path.read_text("utf-8"))
    assert [a.key for a in score(raw, {}).articles] == ["a1", "a2"]


def test_articles_folder_explicit_then_meta_then_beside(tmp_path: Path, monkeypatch):
    repo = tmp_path / "repo"
    shared = tmp_path / "shared" / "texts"
    shared.mkdir(parents=True)
    gold_path = write_gold(repo / "tests" / "data" / "set" / "gold.json", {"k": entry()})
    monkeypatch.chdir(tmp_path / "shared")  # the current directory does not matter for _meta paths
    # relative _meta path: resolved against the gold's folder or one of its parents
    assert articles_dir_for(gold_path, {"articles": "../shared/texts"}) == repo / "../shared/texts"
    assert articles_dir_for(gold_path, {"articles": str(shared)}) == shared
    with pytest.raises(GoldError, match="from _meta"):
        articles_dir_for(gold_path, {"articles": "../nowhere"})
    with pytest.raises(GoldError, match="must be a folder path"):
        articles_dir_for(gold_path, {"articles": 7})
    with pytest.raises(GoldError, match="no articles folder"):
        articles_dir_for(gold_path, {})
    (gold_path.parent / "articles").mkdir()
    assert articles_dir_for(gold_path, {}) == gold_path.parent / "articles"
    assert articles_dir_for(gold_path, {"articles": "../nowhere"}, explicit=shared) == shared
    with pytest.raises(GoldError, match="not found"):
        articles_dir_for(gold_path, {}, explicit=tmp_path / "absent")


def test_na_when_there_is_nothing_to_measure():
    gold = {
        "q": {"file": "q.txt", "required": [], "optional": [["FRA", "DEU", ["04"]]], "forbidden": []},
    }
    lines = report(score(gold, {}))
    assert lines[-4:] == ["precision: n/a", "recall: n/a", "forbidden hits: 0", "date accuracy: n/a"]
    undated = {"u": {"file": "u.txt", "required": [["FRA", "DEU", ["04"], None]]}}
    lines = report(score(undated, {"u": [ev("FRA", "DEU", "040", "2025-03-12")]}))
    assert lines[-4:] == ["precision: 1.000", "recall: 1.000", "forbidden hits: 0", "date accuracy: n/a"]


def test_tables_put_sets_in_rows_and_roots_against_sets():
    events = {
        "a1": [ev("FRA", "DEU", "111", "2025-03-10"), ev("DEU", "ITA", "190", "2025-03-12")],
        "a2": [],
    }
    first = score(GOLD, events)
    other = score({"z": {"file": "z.txt", "required": [["USA", "MEX", ["04"], "2025"]]}},
                  {"z": [ev("USA", "MEX", "042", "2025-01-02")]})
    lines = summary_table([("first", first), ("other", other)])
    assert lines[0].split() == [
        "set", "articles", "required", "found", "triples", "precision", "recall", "forbidden", "date", "acc",
        "loc", "acc",
    ]
    assert lines[1].split() == ["first", "2", "4", "1", "2", "0.500", "0.250", "1", "1.000", "n/a"]
    assert lines[2].split() == ["other", "1", "1", "1", "1", "1.000", "1.000", "0", "1.000", "n/a"]
    roots = {ln.split()[0]: ln.split()[1:] for ln in root_table([("first", first), ("other", other)])}
    assert roots["root"] == ["first", "other"]
    assert roots["11"] == ["1/1", "1.00", "n/a"]  # FRA>DEU found
    assert roots["12"] == ["0/1", "0.00", "n/a"]  # DEU>FRA's primary root is 12: missed
    assert roots["04"] == ["0/1", "0.00", "1/1", "1.00"]
    assert roots["20"] == ["n/a", "n/a"]
    assert len(roots) == 21


def test_parse_sets_accepts_the_three_forms(tmp_path: Path):
    from pipeline.commands.evaluate import parse_sets

    (tmp_path / "arts").mkdir()
    a = write_gold(tmp_path / "a.json", {"k": entry()})
    b = write_gold(tmp_path / "b.json", {"k": entry()})
    assert parse_sets([str(a), str(tmp_path / "arts")]) == [(a, tmp_path / "arts")]
    assert parse_sets([f"{b}={tmp_path / 'arts'}", str(a)]) == [(b, tmp_path / "arts"), (a, None)]
    with pytest.raises(GoldError, match="must follow the gold file"):
        parse_sets([str(tmp_path / "arts")])
    with pytest.raises(GoldError, match="must follow the gold file"):
        parse_sets([f"{b}={tmp_path / 'arts'}", str(tmp_path / "arts")])


@pytest.mark.parametrize("extra", [[], ["--json"], ["--table"]])
def test_command_rejects_a_malformed_gold_with_exit_2_and_one_line(tmp_path: Path, capsys, extra):
    from pipeline.cli import main

    good = write_gold(tmp_path / "good" / "gold.json", {"k": entry()})
    (good.parent / "articles").mkdir()
    (good.parent / "articles" / "x.txt").write_text(" date 2025-03-12 Nothing happened.\n", "utf-8")
    bad = write_gold(tmp_path / "bad.json", {"k9": entry(required=[["FRA", "DEU", ["99"], None]])})
    assert main(["evaluate", str(good), f"{bad}={good.parent / 'articles'}", *extra]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "'k9'" in err and "required[0]" in err and "01-20" in err


def _two_sets(tmp: Path) -> tuple[Path, Path]:
    """Set one: articles named by _meta (a folder two levels up); set two: articles/ beside the gold."""
    texts = tmp / "texts"
    texts.mkdir()
    (texts / "one.txt").write_text(
        " date 2025-03-12 Spain praised Portugal on Tuesday. Kenya accused Uganda of arming rebels.\n",
        "utf-8",
    )
    one = write_gold(tmp / "sets" / "one" / "gold.json", {
        "_meta": {"articles": "../../texts", "note": "metadata is skipped"},
        "s1": {"file": "one.txt", "date": "2025-03-12",
               "required": [["ESP", "PRT", ["05"], "2025-03-11"], ["UGA", "KEN", ["11"], None]],
               "optional": [["KEN", "UGA", ["11"], None]], "forbidden": []},
    })
    two = write_gold(tmp / "sets" / "two" / "gold.json", {
        "t1": {"file": "t1.txt", "date": "2025-03-12",
               "required": [["CAN", "MEX", ["04"], "2025-03"]], "optional": [], "forbidden": []},
    })
    (two.parent / "articles").mkdir()
    (two.parent / "articles" / "t1.txt").write_text(
        " date 2025-03-12 The Canadian prime minister visited Mexico last week.\n", "utf-8"
    )
    return one, two


def test_command_scores_several_sets_in_one_table(tmp_path: Path, capsys):
    pytest.importorskip("spacy")
    from pipeline.cli import main

    one, two = _two_sets(tmp_path)
    assert main(["evaluate", str(one), str(two), "--verbose"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "## " + str(one.parent) in out and "   MISS   UGA -> KEN 11 None" in out  # verbose detail kept
    rows = {ln.split()[0]: ln.split()[1:] for ln in out if ln.startswith(str(tmp_path))}
    # set one: ESP>PRT found with the right day; KEN>UGA is only optional (direction), UGA>KEN missed
    assert rows[str(one.parent)] == ["1", "2", "1", "2", "1.000", "0.500", "0", "1.000", "n/a"]
    assert rows[str(two.parent)] == ["1", "1", "1", "1", "1.000", "1.000", "0", "1.000", "n/a"]
    root_rows = {ln.split()[0]: ln.split()[1:] for ln in out if ln[:2].isdigit()}
    assert root_rows["05"] == ["1/1", "1.00", "n/a"] and root_rows["04"] == ["n/a", "1/1", "1.00"]
    assert root_rows["11"] == ["0/1", "0.00", "n/a"]


def test_command_json_and_legacy_single_set_form(tmp_path: Path, capsys):
    pytest.importorskip("spacy")
    from pipeline.cli import main

    one, two = _two_sets(tmp_path)
    assert main(["evaluate", str(one), f"{two}={two.parent / 'articles'}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first, second = data["sets"]
    assert first["set"] == str(one.parent) and first["recall"] == 0.5 and first["precision"] == 1.0
    assert first["per_root"] == {"05": {"found": 1, "required": 1}, "11": {"found": 0, "required": 1}}
    assert second["date_accuracy"] == 1.0 and second["output_triples"] == 1
    # the two-argument form prints the per-set lines, the four figures last
    assert main(["evaluate", str(two), str(two.parent / "articles")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "articles: 1  required: 1  found: 1  output triples: 1", "location accuracy: n/a",
        "precision: 1.000", "recall: 1.000", "forbidden hits: 0", "date accuracy: 1.000",
    ]


def test_command_reports_an_unreadable_article_without_a_traceback(tmp_path: Path, capsys):
    pytest.importorskip("spacy")
    from pipeline.cli import main

    gold = write_gold(tmp_path / "gold.json", {"e1": entry(file="empty.txt")})
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "empty.txt").write_text("", "utf-8")
    assert main(["evaluate", str(gold)]) == 2
    err = capsys.readouterr().err
    assert "article 'e1'" in err and "empty.txt cannot be read" in err and "Traceback" not in err


# -- location accuracy (issue 13) -------------------------------------------------------------------


def placed(src: str, tgt: str, code: str, name: str | None, country: str | None) -> dict:
    return {**ev(src, tgt, code, "2025-03-10"), "place_name": name, "place_country": country}


PLACED_GOLD = {
    "p1": {
        "file": "p1.txt",
        "required": [
            ["FRA", "DEU", ["04"], None, {"name": "Geneva", "country": "CHE"}],
            ["FRA", "ITA", ["05"], None, {"name": None, "country": "ITA"}],
            ["ESP", "PRT", ["03"], None, "none"],
            ["USA", "MEX", ["11"], None, {"name": "Kyiv", "country": "UKR"}],
            ["GBR", "IRL", ["04"]],  # no gold place: not counted
        ],
    }
}


def test_location_accuracy_counts_found_events_with_a_gold_place():
    events = {
        "p1": [
            placed("FRA", "DEU", "040", "Geneva", "CHE"),  # right place
            placed("FRA", "ITA", "057", "Milan", "ITA"),  # only the country is gold: right
            placed("ESP", "PRT", "036", "Lisbon", "PRT"),  # gold says no place is stated: wrong
            placed("USA", "MEX", "111", "Kiev", "UKR"),  # a spelling the gazetteer knows for Kyiv: right
            placed("GBR", "IRL", "040", None, None),
        ]
    }
    s = score(PLACED_GOLD, events)
    assert (s.n_place_right, s.n_placed) == (3, 4)
    assert "location accuracy: 0.750" in report(s)
    assert report(s)[-4:][0].startswith("precision")  # the four lines tools read stay last
    assert summary_table([("p", s)])[1].split()[-1] == "0.750"
    assert as_dict("p", s)["location_accuracy"] == 0.75
    assert any("PLACE  ESP -> PRT" in line and "Lisbon, PRT" in line for line in details(s))


def test_a_wrong_country_or_a_missing_place_is_wrong_and_no_gold_place_is_na():
    events = {"p1": [placed("FRA", "DEU", "040", "Geneva", "FRA"), placed("FRA", "ITA", "057", None, None)]}
    s = score(PLACED_GOLD, events)
    assert (s.n_place_right, s.n_placed) == (0, 2)
    plain = score(GOLD, {"a1": [ev("FRA", "DEU", "111", "2025-03-10")]})
    assert "location accuracy: n/a" in report(plain)


@pytest.mark.parametrize(
    "place, problem",
    [({"name": "Paris"}, "ISO-3"), ({"country": "fr"}, "ISO-3"), ("somewhere", "place must be"),
     ({"country": "FRA", "name": ""}, "non-empty"), ({"country": "FRA", "city": "Paris"}, "place must be")],
)  # fmt: skip
def test_malformed_gold_places_are_refused(tmp_path, place, problem):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"x": {"required": [["FRA", "DEU", ["04"], None, place]]}}), encoding="utf-8")
    with pytest.raises(GoldError, match=problem):
        load_gold(path)
