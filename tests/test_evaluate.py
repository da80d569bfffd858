"""Scoring rule of ``envoy evaluate`` on a tiny hand-made gold file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.evaluate import date_agrees, report, score

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
