"""Ingest: every format read, every bad input quarantined while the rest of the batch loads."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.ingest import (
    QuarantineError,
    discover,
    ingest_path,
    read_articles,
    sample_landing,
)
from pipeline.models import article_id_for
from schemas import QUARANTINE_REASONS
from tests.conftest import make_settings

BODY = (
    "President Alpha met Prime Minister Beta in Geneva on Tuesday.\n\n"
    "The two leaders signed an agreement on trade and pledged further talks."
)
OTHER = "Country Gamma expelled the ambassador of Country Delta on Monday, citing espionage."


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)  # folders not created: ingest must make what it needs


def put(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def reasons_by_file(result) -> dict[str, str]:
    return {r.file.rsplit("/", 1)[-1]: r.reason for r in result.quarantined}


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    "raw",
    [
        f" date 2025-08-15 {BODY}\n",
        f"date 2025-08-15 {BODY}",  # no leading space
        "\ufeff date 2025-08-15 " + BODY.replace("\n", "\r\n") + "\r\n",  # BOM + CRLF
        f" Date: 2025-08-15  {BODY}\n\n\n",
    ],
)
def test_txt_seed_header(tmp_path: Path, raw: str) -> None:
    path = put(tmp_path / "landing" / "2025-08-20", "a.txt", raw)  # header date wins over the folder
    [art] = read_articles(path)
    assert art.publication_date == date(2025, 8, 15)
    assert art.text == BODY
    assert art.article_id == article_id_for(BODY)
    assert art.source_file == "2025-08-20/a.txt"
    assert art.ingested_at is not None and art.ingested_at.tzinfo is not None


def test_seed_article_reads(tmp_path: Path) -> None:
    seed = sample_landing() / "2025-08-15" / "2025-08-15_zelensky_milei.txt"
    [art] = read_articles(seed)
    assert art.publication_date == date(2025, 8, 15)
    assert art.text.startswith("Ukrainian President Volodymyr Zelensky said on Thursday")
    assert "date 2025" not in art.text
    assert art.text.count("\n\n") >= 5  # paragraphs kept


def test_txt_without_header_takes_folder_day_then_argument(tmp_path: Path, settings: Settings) -> None:
    dated = put(tmp_path / "landing" / "2025-08-14", "plain.txt", BODY)
    [art] = read_articles(dated)
    assert art.publication_date == date(2025, 8, 14)
    assert art.text == BODY

    undated = put(tmp_path / "inbox", "plain.txt", OTHER)
    [art] = read_articles(undated, default_day=date(2025, 1, 2))
    assert art.publication_date == date(2025, 1, 2)
    with pytest.raises(QuarantineError) as err:
        read_articles(undated)
    assert err.value.reason == "no_date"

    result = ingest_path(tmp_path / "inbox", settings, day=date(2025, 3, 4))
    assert [a.publication_date for a in result.articles] == [date(2025, 3, 4)]
    assert result.articles[0].source_file == "plain.txt"


def test_json_object_and_list(tmp_path: Path) -> None:
    folder = tmp_path / "2025-08-15"
    one = put(
        folder,
        "one.json",
        json.dumps(
            {
                "title": "Talks",
                "url": "https://example.org/a",
                "source": "Wire",
                "published": "2025-08-13T23:30:00Z",
                "text": BODY,
            }
        ),
    )
    [art] = read_articles(one)
    assert (art.publication_date, art.title, art.url, art.source) == (
        date(2025, 8, 13),
        "Talks",
        "https://example.org/a",
        "Wire",
    )
    assert art.text == BODY

    many = put(
        folder,
        "many.json",
        json.dumps(
            [
                {"date": "2025-08-12", "body": BODY},
                {"text": OTHER},  # no date: the folder's day
                {"published": "Sat, 09 Aug 2025 22:15:00 GMT", "text": "An RSS item dated the RFC 2822 way."},
            ]
        ),
    )
    arts = read_articles(many)
    assert [a.publication_date for a in arts] == [date(2025, 8, 12), date(2025, 8, 15), date(2025, 8, 9)]
    assert [a.text for a in arts][:2] == [BODY, OTHER]
    assert arts[0].title is None


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        json.dumps({"date": "2025-08-15", "text": BODY}),
        "",
        json.dumps({"published": "2025-08-14", "body": OTHER}),
    ]
    path = put(tmp_path / "x", "w.jsonl", "\n".join(lines) + "\n")
    arts = read_articles(path)
    assert [(a.publication_date, a.text) for a in arts] == [
        (date(2025, 8, 15), BODY),
        (date(2025, 8, 14), OTHER),
    ]
    assert {a.source_file for a in arts} == {"w.jsonl"}


HTML = """<!DOCTYPE html><html><head><title>Leaders meet | Wire</title>
<meta property="og:title" content="Leaders meet in Geneva">
{meta}
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Leaders meet in Geneva</h1>
<p>President Alpha met Prime Minister Beta in Geneva on Tuesday to discuss the border dispute
between their countries.</p>
<p>The two leaders signed an agreement on trade and pledged further talks before the end of the year.</p>
<p>Country Gamma welcomed the meeting and offered to host the next round of negotiations in its capital.</p>
</article><footer>Copyright Wire. All rights reserved. Cookie policy.</footer></body></html>"""


def test_html_meta_date_title_and_main_text(tmp_path: Path) -> None:
    meta = '<meta property="article:published_time" content="2025-08-12T06:40:00+05:30">'
    path = put(tmp_path / "2025-08-15", "page.html", HTML.format(meta=meta))
    [art] = read_articles(path)
    assert art.publication_date == date(2025, 8, 12)
    assert art.title == "Leaders meet in Geneva"
    assert "President Alpha met Prime Minister Beta in Geneva" in art.text
    assert "offered to host the next round" in art.text
    assert "Cookie policy" not in art.text and "Home" not in art.text
    assert not art.text.startswith("Leaders meet in Geneva")  # the headline is metadata


def test_html_without_date_takes_folder_day(tmp_path: Path) -> None:
    path = put(tmp_path / "2025-08-15", "page.htm", HTML.format(meta=""))
    [art] = read_articles(path)
    assert art.publication_date == date(2025, 8, 15)


def test_gzipped_formats(tmp_path: Path) -> None:
    folder = tmp_path / "2025-08-15"
    put(folder, "a.txt.gz", gzip.compress(f" date 2025-08-11 {BODY}".encode()))
    line = json.dumps({"date": "2025-08-10", "text": OTHER}) + "\n"
    put(folder, "b.jsonl.gz", gzip.compress(line.encode()))
    arts = [a for p in discover(folder) for a in read_articles(p)]
    assert [(a.source_file, a.publication_date, a.text) for a in arts] == [
        ("2025-08-15/a.txt.gz", date(2025, 8, 11), BODY),
        ("2025-08-15/b.jsonl.gz", date(2025, 8, 10), OTHER),
    ]


def test_encodings(tmp_path: Path) -> None:
    text = "Le président français s'est rendu à Brasília, où il a rencontré son homologue jeudi. " * 3
    utf16 = put(tmp_path / "2025-08-15", "u16.txt", text.encode("utf-16"))
    assert read_articles(utf16)[0].text == text.strip()
    legacy = put(tmp_path / "2025-08-15", "cp1252.txt", text.encode("cp1252"))
    assert read_articles(legacy)[0].text == text.strip()


# --------------------------------------------------------------------------- quarantine


def test_bad_inputs_quarantined_rest_of_batch_loads(tmp_path: Path, settings: Settings) -> None:
    landing = tmp_path / "landing"
    day = landing / "2025-08-15"
    rng = random.Random(7)
    garbage = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    bomb = gzip.compress(b" date 2025-08-15 " + b"a" * 20_000_000)
    put(day, "good.txt", f" date 2025-08-15 {BODY}")
    put(day, "good.json", json.dumps({"text": OTHER}))
    files = {
        "binary.txt": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "nul.txt": b"some text\x00\x00\x00more",
        "garbage.txt": garbage,
        "empty.txt": b"",
        "blank.txt": b"  \n\r\n\t ",
        "baddate.txt": " date 2025-13-45 Something happened on Tuesday.",
        "malformed.json": '{"text": "unterminated',
        "notext.json": json.dumps({"date": "2025-08-15", "title": "Only a title"}),
        "headeronly.txt": " date 2025-08-15 \n\n",
        "baddate.json": json.dumps({"date": "2025-02-30", "text": BODY}),
        "scan.pdf": b"%PDF-1.7 whatever",
        "README": "no extension",
        "bomb.txt.gz": bomb,
        "corrupt.txt.gz": b"\x1f\x8b\x08\x00" + b"not really deflate data",
    }
    for name, content in files.items():
        put(day, name, content)
    put(landing / "inbox", "nodate.txt", "Text with no date anywhere, in an undated folder.")
    before = snapshot(landing)
    result = ingest_path(landing, settings.with_overrides(max_file_bytes=1_000_000))

    assert sorted(a.source_file for a in result.articles) == ["2025-08-15/good.json", "2025-08-15/good.txt"]
    assert result.files_seen == len(files) + 3
    assert reasons_by_file(result) == {
        "binary.txt": "binary",
        "nul.txt": "binary",
        "garbage.txt": "not_utf8",
        "empty.txt": "empty",
        "blank.txt": "empty",
        "baddate.txt": "bad_date",
        "malformed.json": "malformed_json",
        "notext.json": "no_text",
        "headeronly.txt": "no_text",
        "baddate.json": "bad_date",
        "scan.pdf": "unsupported_format",
        "README": "unsupported_format",
        "bomb.txt.gz": "oversized",
        "corrupt.txt.gz": "unreadable",
        "nodate.txt": "no_date",
    }
    assert snapshot(landing) == before  # nothing moved, deleted or rewritten

    for rec in result.quarantined:
        assert rec.reason in QUARANTINE_REASONS
        folder = settings.quarantine / (rec.day.isoformat() if rec.day else "undated")
        name = rec.file.rsplit("/", 1)[-1]
        copy = folder / name
        assert copy.read_bytes() == (landing / rec.file).read_bytes()
        reason = json.loads((folder / f"{name}.reason.json").read_text())
        assert (reason["file"], reason["reason"], reason["detail"]) == (rec.file, rec.reason, rec.detail)
        assert reason["day"] == (rec.day.isoformat() if rec.day else None)
        assert reason["recorded_at"]
    nodate = next(r for r in result.quarantined if r.file == "inbox/nodate.txt")
    assert nodate.day is None and (settings.quarantine / "undated" / "nodate.txt").exists()


def test_oversized_checked_before_reading(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    put(day, "big.txt", f" date 2025-08-15 {BODY} " + "x" * 5000)
    put(day, "small.txt", f" date 2025-08-15 {OTHER}")
    result = ingest_path(day, settings.with_overrides(max_file_bytes=1000))
    assert [a.source_file for a in result.articles] == ["2025-08-15/small.txt"]
    [rec] = result.quarantined
    assert (rec.file, rec.reason, rec.day) == ("2025-08-15/big.txt", "oversized", date(2025, 8, 15))
    assert "1000" in rec.detail


def test_jsonl_bad_lines_keep_good_ones_and_quarantine_copy(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    lines = [
        json.dumps({"date": "2025-08-15", "text": BODY}),
        "{not json",
        json.dumps({"date": "2025-08-15", "text": OTHER}),
        json.dumps({"date": "2025-08-15"}),
    ]
    put(day, "feed.jsonl", "\n".join(lines) + "\n")
    result = ingest_path(day, settings)
    assert [a.text for a in result.articles] == [BODY, OTHER]
    # one record per bad line, so inputs = articles + duplicates + quarantined holds line by line
    assert [(r.reason, r.detail.split(":")[0]) for r in result.quarantined] == [
        ("malformed_json", "line 2"),
        ("no_text", "line 4"),
    ]
    assert result.inputs == 4 and result.files_seen == 1
    assert (settings.quarantine / "2025-08-15" / "feed.jsonl").exists()
    assert (settings.quarantine / "2025-08-15" / "feed.jsonl.reason.json").exists()


def test_read_articles_raises_for_bad_file(tmp_path: Path) -> None:
    with pytest.raises(QuarantineError) as err:
        read_articles(put(tmp_path / "2025-08-15", "x.json", "[1, 2"))
    assert err.value.reason == "malformed_json"
    with pytest.raises(QuarantineError) as err:
        read_articles(put(tmp_path / "2025-08-15", "big.txt", "a" * 50), max_bytes=10)
    assert err.value.reason == "oversized"
    with pytest.raises(ValueError):
        QuarantineError("not_a_reason", "x")


def test_parser_crash_is_unreadable_and_batch_goes_on(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    put(day, "deep.json", "[" * 200_000 + "]" * 200_000)  # json raises RecursionError, not a decode error
    put(day, "ok.txt", OTHER)
    result = ingest_path(day, settings)
    assert [a.text for a in result.articles] == [OTHER]
    assert reasons_by_file(result) == {"deep.json": "malformed_json"}
    assert "nested too deeply" in result.quarantined[0].detail
    assert (settings.quarantine / "2025-08-15" / "deep.json.reason.json").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unexpected_error_is_unreadable(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    locked = put(day, "locked.txt", f" date 2025-08-15 {BODY}")
    put(day, "ok.txt", f" date 2025-08-15 {OTHER}")
    locked.chmod(0)
    try:
        result = ingest_path(day, settings)
    finally:
        locked.chmod(0o644)
    assert [a.text for a in result.articles] == [OTHER]
    assert reasons_by_file(result) == {"locked.txt": "unreadable"}
    assert "PermissionError" in result.quarantined[0].detail


# --------------------------------------------------------------------------- duplicates


def test_same_article_twice_stored_once(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    put(day, "b_first.txt", f" date 2025-08-15 {BODY}")
    spaced = BODY.replace(" ", "  ").replace("\n\n", "\r\n\r\n\r\n")
    put(day, "c_again.txt", f" date 2025-08-15   {spaced}\n")
    put(day, "a_other.json", json.dumps([{"text": OTHER}, {"text": OTHER}]))
    result = ingest_path(day, settings)
    assert [a.source_file for a in result.articles] == ["2025-08-15/a_other.json", "2025-08-15/b_first.txt"]
    dups = {(r.file, r.detail) for r in result.quarantined if r.reason == "duplicate"}
    assert dups == {
        ("2025-08-15/c_again.txt", "same text as 2025-08-15/b_first.txt"),
        ("2025-08-15/a_other.json", "same text as 2025-08-15/a_other.json"),
    }
    assert (settings.quarantine / "2025-08-15" / "c_again.txt.reason.json").exists()


def test_known_ids_from_other_days_are_duplicates(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    put(day, "repeat.txt", BODY)
    put(day, "new.txt", OTHER)
    known = {article_id_for(BODY): "2025-08-14 2025-08-14/wire.txt"}
    result = ingest_path(day, settings, known_ids=known)
    assert [a.text for a in result.articles] == [OTHER]
    [rec] = result.quarantined
    assert (rec.file, rec.reason) == ("2025-08-15/repeat.txt", "duplicate")
    assert "2025-08-14 2025-08-14/wire.txt" in rec.detail


def test_rerun_is_idempotent(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    put(day, "good.txt", BODY)
    put(day, "bad.json", "{")
    first = ingest_path(day, settings)
    second = ingest_path(day, settings)
    assert [a.article_id for a in first.articles] == [a.article_id for a in second.articles]
    assert sorted(p.name for p in (settings.quarantine / "2025-08-15").iterdir()) == [
        "bad.json",
        "bad.json.reason.json",
    ]


def test_same_name_different_files_both_kept_in_quarantine(tmp_path: Path, settings: Settings) -> None:
    day = tmp_path / "landing" / "2025-08-15"
    put(day / "a", "x.json", "{")
    put(day / "b", "x.json", "[")
    result = ingest_path(day, settings)
    assert len(result.quarantined) == 2
    names = sorted(p.name for p in (settings.quarantine / "2025-08-15").iterdir())
    assert names == ["x.json", "x.json.reason.json", "x.json~2", "x.json~2.reason.json"]


def test_discover_lists_regular_files_only(tmp_path: Path) -> None:
    """``discover`` lists what is read; hidden entries are recorded by ``ingest_path`` (see
    test_landing_entries.py), and a ``*.reason.json`` in landing is an ordinary JSON input."""
    root = tmp_path / "landing"
    for rel in [
        "2025-08-15/b.txt",
        "2025-08-15/a.txt",
        "2025-08-14/z.txt",
        ".hidden/x.txt",
        "2025-08-15/.swp.txt",
        "2025-08-15/a.txt.reason.json",
    ]:
        put(root, rel, "x")
    assert [p.relative_to(root).as_posix() for p in discover(root)] == [
        "2025-08-14/z.txt",
        "2025-08-15/a.txt",
        "2025-08-15/a.txt.reason.json",
        "2025-08-15/b.txt",
    ]
    assert discover(root / "2025-08-15" / "a.txt") == [root / "2025-08-15" / "a.txt"]
    with pytest.raises(FileNotFoundError):
        discover(root / "missing")


# --------------------------------------------------------------------------- samples


def test_bundled_samples_ingest_cleanly(settings: Settings) -> None:
    landing = sample_landing()
    before = snapshot(landing)
    result = ingest_path(landing, settings)
    assert result.quarantined == []
    assert result.files_seen == len(before)
    days = sorted({a.publication_date for a in result.articles})
    assert len(days) >= 2 and all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))
    suffixes = {Path(a.source_file).suffix for a in result.articles}
    assert {".txt", ".json", ".jsonl", ".html"} <= suffixes
    assert 7 <= len(result.articles) <= 10
    for art in result.articles:
        assert art.source_file.split("/")[0] == art.publication_date.isoformat()
        assert 100 <= len(art.text.split()) <= 600
    assert snapshot(landing) == before
    assert not (settings.quarantine).exists() or not any(settings.quarantine.iterdir())


def test_control_character_scan_matches_the_unicode_category_per_character() -> None:
    """``_checked`` counts controls with one regex; it must count what ``unicodedata`` calls ``Cc``."""
    import sys
    import unicodedata

    from pipeline import ingest_formats as fmt

    def plain(sample: str) -> int:
        return sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")

    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    assert len(fmt._CONTROL.findall(every)) == plain(every)
    rng = random.Random(14)
    for _ in range(200):
        text = "".join(chr(rng.choice([rng.randrange(0, 0xA0), rng.randrange(0xA0, 0x3000)]))
                       for _ in range(rng.randrange(0, 400)))
        assert len(fmt._CONTROL.findall(text)) == plain(text)
    prose = "The envoy met the delegation on Tuesday.\n\tTalks resume\r\nnext week.\f\v"
    assert fmt._checked(prose) == prose
    with pytest.raises(fmt.QuarantineError):
        fmt._checked("a\x01b\x02c\x1f" * 10)
