"""Every landing entry accounted for (issue 10): each kind of entry a landing folder can hold, at once.

files in = articles + duplicates + quarantined, every quarantined entry has a reason (and a reason
file), names and fields may hold any bytes, undecodable text is never stored as mojibake, links are
followed only inside the landing root, and special files are never opened.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import ingest_path
from pipeline.landing import display
from schemas import QUARANTINE_REASONS
from tests.conftest import make_settings

DAY = date(2025, 8, 15)
STORY = "Country {n} and Country {m} signed a fisheries accord in the capital on Tuesday, officials said."


def story(n: int) -> str:
    return STORY.format(n=n, m=n + 100)


def build_every_kind(landing: Path, outside: Path) -> dict[str, str | None]:
    """A landing day holding one entry of every kind; returns entry name -> expected reason (None: an
    article). Names with bytes that are not UTF-8 are given as their display form."""
    day = landing / DAY.isoformat()
    day.mkdir(parents=True)
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(f" date 2025-08-15 {story(99)} SECRET-OUTSIDE-THE-ROOT")
    expected: dict[str, str | None] = {}

    def put(name: str | bytes, data: bytes, reason: str | None) -> None:
        path = os.path.join(os.fsencode(day), name if isinstance(name, bytes) else name.encode())
        with open(path, "wb") as fh:
            fh.write(data)
        expected[display(os.fsdecode(name) if isinstance(name, bytes) else name)] = reason

    put("plain.txt", f" date 2025-08-15 {story(1)}".encode(), None)
    put("object.json", json.dumps({"date": "2025-08-15", "text": story(2), "title": "T"}).encode(), None)
    put("page.html", f"<html><body><p>{story(3)}</p></body></html>".encode(), None)
    put(b"caf\xe9-latin1-name.txt", f" date 2025-08-15 {story(4)}".encode(), None)  # name not UTF-8
    put("line\nbreak.txt", f" date 2025-08-15 {story(5)}".encode(), None)
    put("note.txt.reason.json", json.dumps({"date": "2025-08-15", "text": story(6)}).encode(), None)
    controls = {"date": "2025-08-15", "text": story(11), "title": "bell\u0007 nul\u0000 esc\u001b[31m",
                "url": "javascript:alert(1)", "source": "\u202eevil"}
    put("controls.json", json.dumps(controls).encode(), None)  # any character in a field is stored
    put("z-again.txt", f" date 2025-08-15 {story(1)}".encode(), "duplicate")  # sorts after plain.txt
    stray = (" date 2025-08-15 Caf\u00e9 talks: " + story(7)).encode() + b"\xff end."
    put("stray-byte.txt", stray, "not_utf8")
    put("bom-garbage.txt", b"\xff\xfe\x00bad", "not_utf8")
    put("far-future.json", json.dumps({"date": "9999-12-31", "text": story(8)}).encode(), "bad_date")
    for field in ("title", "url", "source"):
        raw = '{"date": "2025-08-15", "text": "' + story(9) + '", "' + field + '": "bad \\ud800 half"}'
        put(f"surrogate-{field}.json", raw.encode(), "not_utf8")
    put(".hidden.txt", f" date 2025-08-15 {story(10)}".encode(), "hidden")
    (day / ".git").mkdir()
    (day / ".git" / "config").write_text("[core]")
    expected[".git"] = "hidden"
    links = {
        "z-inside-link.txt": (day / "plain.txt", "duplicate"),  # the same file again, through a link
        "passwd-link.txt": (Path("/etc/passwd"), "symlink_outside"),
        "environ-link.txt": (Path("/proc/self/environ"), "symlink_outside"),
        "secret-link.txt": (secret, "symlink_outside"),
        "dangling-link.txt": (day / "nothing-here.txt", "broken_symlink"),
        "folder-link": (outside, "symlink_outside"),
        "own-folder-link": (day / ".git", "special_file"),
    }
    for name, (target, reason) in links.items():
        (day / name).symlink_to(target)
        expected[name] = reason
    os.mkfifo(day / "pipe.txt")
    expected["pipe.txt"] = "special_file"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(day / "socket.txt"))
    sock.close()
    expected["socket.txt"] = "special_file"
    try:
        os.mknod(day / "device.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
        expected["device.txt"] = "special_file"
    except PermissionError:
        pass  # not root: the other special files still cover it
    return {f"{DAY.isoformat()}/{k}": v for k, v in expected.items()}


def test_every_entry_kind_is_accounted_for(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    expected = build_every_kind(s.landing, tmp_path / "elsewhere")
    result = ingest_path(s.landing / DAY.isoformat(), s, day=DAY)

    assert result.files_seen == len(expected)
    told = len(result.articles) + len(result.duplicates) + len(result.refused)
    assert result.inputs == told == len(expected)
    got = {a.source_file: None for a in result.articles} | {q.file: q.reason for q in result.quarantined}
    assert got == expected
    assert all(q.reason in QUARANTINE_REASONS for q in result.quarantined)
    # names are text that stores anywhere: undecodable bytes as \xNN, never a lone surrogate
    assert f"{DAY}/caf\\xe9-latin1-name.txt" in got
    for name in got:
        name.encode("utf-8")
    # nothing outside the landing root was read or copied
    texts = " ".join(a.text for a in result.articles)
    assert "SECRET-OUTSIDE-THE-ROOT" not in texts and "root:" not in texts
    copied = [p for p in s.quarantine.rglob("*") if p.is_file() and not p.name.endswith(".reason.json")]
    for p in copied:
        data = p.read_bytes()
        assert b"SECRET-OUTSIDE" not in data and b"PATH=" not in data and b"root:x:" not in data
        assert stat.S_ISREG(os.lstat(p).st_mode)
    # every record has a reason file, also where the entry was not copied (links, special, hidden)
    reasons = [json.loads(p.read_text()) for p in s.quarantine.rglob("*.reason.json")]
    assert sorted(r["file"] for r in reasons) == sorted(q.file for q in result.quarantined)
    not_copied = {r["file"] for r in reasons if not r["copied"]}
    assert {f for f, why in expected.items() if why in {"hidden", "symlink_outside", "broken_symlink",
                                                         "special_file"}} <= not_copied
    stray = next(q for q in result.quarantined if q.file.endswith("stray-byte.txt"))
    assert "UTF-8 text with invalid bytes" in stray.detail  # refused, not decoded as cp1252 mojibake


@pytest.mark.slow
def test_every_entry_kind_through_a_run_is_stored_and_summarised(tmp_path: Path, capsys) -> None:
    """The same folder through ``run_day``: no crash, the runs row and the printed summary account for
    every entry, and the odd names reach the lake and the warehouse intact."""
    from pipeline.commands.run import print_summary
    from pipeline.stages import run_day

    s = make_settings(tmp_path)
    s.ensure_dirs()
    expected = build_every_kind(s.landing, tmp_path / "elsewhere")
    summary = run_day(s, DAY, build_report=False)
    n_articles = sum(1 for v in expected.values() if v is None)
    n_dups = sum(1 for v in expected.values() if v == "duplicate")
    assert summary.status == "loaded"
    assert (summary.files, summary.inputs) == (len(expected), len(expected))
    assert (summary.articles, summary.duplicates) == (n_articles, n_dups)
    assert summary.quarantined == len(expected) - n_articles - n_dups and summary.accounted()
    print_summary(summary, s)
    out = capsys.readouterr().out
    assert (f"{len(expected)} landing entries, holding {len(expected)} input(s) = {n_articles} articles + "
            f"{n_dups} duplicates + {summary.quarantined} quarantined") in out
    assert f"({summary.quarantined} quarantined, {n_dups} duplicates)" in out
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        runs = con.execute("SELECT files, inputs, articles, duplicates, quarantined FROM runs").fetchall()
        files = {r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()}
        qfiles = {r[0] for r in con.execute("SELECT file FROM quarantine").fetchall()}
    assert runs == [(len(expected), len(expected), n_articles, n_dups, summary.quarantined)]
    assert files == {f for f, why in expected.items() if why is None}
    assert qfiles == {f for f, why in expected.items() if why is not None}


def test_a_bad_line_quarantines_that_line_only(tmp_path: Path) -> None:
    """A deeply nested line and a lone-surrogate line in a JSON Lines file: those two lines are
    quarantined (each its own record), the good lines load."""
    s = make_settings(tmp_path)
    day = s.landing / DAY.isoformat()
    day.mkdir(parents=True)
    lines = [
        json.dumps({"date": "2025-08-15", "text": story(1)}),
        '{"date": "2025-08-15", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"date": "2025-08-15", "text": "' + story(2) + '", "title": "a \\udc00 b"}',
        json.dumps({"date": "2025-08-15", "text": story(3)}),
    ]
    (day / "feed.jsonl").write_text("\n".join(lines) + "\n")
    result = ingest_path(day, s)
    assert [a.text for a in result.articles] == [story(1), story(3)]
    assert [(q.reason, q.detail.split(":")[0]) for q in result.quarantined] == [
        ("malformed_json", "line 2"),
        ("not_utf8", "line 3"),
    ]
    assert result.inputs == 4 and result.files_seen == 1


def test_reason_file_is_written_even_when_the_copy_fails(tmp_path: Path, monkeypatch) -> None:
    """A full disk while copying to quarantine: the record and the reason file still say why."""
    import errno

    import pipeline.ingest as ingest

    s = make_settings(tmp_path)
    day = s.landing / DAY.isoformat()
    day.mkdir(parents=True)
    (day / "broken.json").write_text("{")

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ingest.shutil, "copyfile", no_space)
    result = ingest_path(day, s)
    [rec] = result.quarantined
    assert rec.reason == "malformed_json" and "quarantine copy failed" in rec.detail
    reason = json.loads((s.quarantine / DAY.isoformat() / "broken.json.reason.json").read_text())
    assert reason["reason"] == "malformed_json" and reason["copied"] is False
    assert "No space left" in reason["copy_error"]
