"""``envoy code``: one JSON event per line on stdout, matching the events contract."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.cli import main


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "2025-03-12_note.txt"
    p.write_text(
        " date 2025-03-12 France condemned Germany on Monday over the border closure.\n\n"
        "Germany did not criticise France.\n",
        encoding="utf-8",
    )
    return p


def test_code_prints_one_json_event_per_line(article, capsys):
    pytest.importorskip("spacy")
    from schemas import EVENTS

    assert main(["code", str(article)]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert lines, "expected at least one event"
    rows = [json.loads(ln) for ln in lines]
    for row in rows:
        assert list(row) == EVENTS.names
        assert date.fromisoformat(row["event_date"]) and date.fromisoformat(row["publication_date"])
        assert isinstance(row["quad_class"], int) and isinstance(row["goldstein"], float)
        assert isinstance(row["mentions"], int) and isinstance(row["sentence_index"], int)
    assert ("FRA", "DEU", "11", "2025-03-10") in {
        (r["source_actor"], r["target_actor"], r["cameo_root"], r["event_date"]) for r in rows
    }
    assert not any(r["source_actor"] == "DEU" for r in rows)  # the negated reply


def test_code_explain_goes_to_stderr(article, capsys):
    pytest.importorskip("spacy")
    assert main(["code", "--explain", str(article)]) == 0
    captured = capsys.readouterr()
    assert all(json.loads(ln) for ln in captured.out.splitlines() if ln.strip())
    assert "negated" in captured.err and "EVENT FRA -> DEU" in captured.err


def test_code_skips_unreadable_files(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    assert main(["code", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "skipped" in captured.err


def test_code_dates_undated_files_by_their_landing_folder(tmp_path, capsys):
    pytest.importorskip("spacy")
    day = tmp_path / "2025-03-12"
    day.mkdir()
    (day / "note.txt").write_text("France condemned Germany on Monday.\n", encoding="utf-8")
    assert main(["code", str(day / "note.txt")]) == 0
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    assert [(r["source_actor"], r["target_actor"], r["publication_date"], r["event_date"]) for r in rows] == [
        ("FRA", "DEU", "2025-03-12", "2025-03-10")
    ]
