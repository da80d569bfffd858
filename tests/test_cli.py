"""Command-line conventions, through the installed console script (``.venv/bin/envoy``) as a user runs it:
--version, closed pipes, table width, clear errors for bad input, JSON output, the partner ranks."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.test_analytics import EVENTS, make_warehouse

ENVOY = Path(sys.executable).with_name("envoy")
#  a partner of USA with cooperation only, and an evidence sentence with non-ASCII text
GBR = ("e14", "a8", "2025-08-02", "2025-08-02", "USA", "GBR", "042", 1, 2.0, 1, 0)
LONG_EVIDENCE = "Ministers from Zürich and São Paulo met again " + " ".join(f"word{i}" for i in range(40))


def envoy(*args: str, columns: int | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [str(ENVOY), *args], capture_output=True, text=True, timeout=120, env=env, check=False, **kwargs
    )


@pytest.fixture
def wh(envoy_env):
    """The hand-made warehouse of test_analytics plus USA -> GBR, a run with JSON columns and long text."""
    run = dict(
        run_id="r-zürich",
        day=date(2025, 8, 20),
        started_at=datetime(2025, 8, 20, 6, tzinfo=UTC),
        status="validation_failed",
        failed_expectations=json.dumps(["events.goldstein in [-10, 10] (1 rows: 12.0)"]),
        timings=json.dumps({"ingest": 0.5, "extract": 2.25}),
    )
    make_warehouse(envoy_env, EVENTS + [GBR], runs=[run])
    from pipeline.load import connect

    with connect(envoy_env) as con:
        con.execute("UPDATE events SET evidence = ? WHERE event_id = 'e6'", [LONG_EVIDENCE])
    return envoy_env


def test_version_is_the_installed_distribution():
    proc = envoy("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"envoy {version('envoy')}"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_closed_pipe_is_not_a_traceback(wh, fmt):
    """`envoy query ... | head`: the reader leaves after one line; envoy stops quietly."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.Popen(
        [str(ENVOY), "query", "SELECT range AS n, 'x' || range AS s FROM range(100000)", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert proc.returncode in (0, 1)


COMMANDS = [
    ["query", "SELECT event_id, evidence FROM events ORDER BY event_id"],
    ["relations", "USA", "CHN", "--grain", "day"],
    ["partners", "USA"],
    ["shifts", "--from", "2025-07", "--to", "2025-08"],
    ["evidence", "USA", "CHN"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_every_table_honours_columns_when_piped(wh, argv):
    narrow = envoy(*argv, columns=60)
    assert narrow.returncode == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert any(set(line.strip()) == {"─"} for line in lines)  # one renderer: rich's table rule
    wide = envoy(*argv, columns=400)
    assert max(len(line) for line in wide.stdout.splitlines()) > 60 or len(wide.stdout) < len(narrow.stdout)


def test_a_piped_table_without_columns_keeps_each_row_on_one_line(wh):
    proc = envoy("evidence", "USA", "CHN")
    assert proc.returncode == 0, proc.stderr
    (row,) = [line for line in proc.stdout.splitlines() if "word39" in line]
    assert "Zürich and São Paulo met again" in row  # the whole sentence on the row's line
    folded = envoy("evidence", "USA", "CHN", columns=80).stdout
    assert "Zürich" in folded and not any("Zürich" in ln and "word39" in ln for ln in folded.splitlines())


def test_a_table_on_a_terminal_fits_the_terminal(wh):
    """On a terminal (a pty of 72 columns, no COLUMNS), rich asks the terminal its width."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 72, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.Popen(
        [str(ENVOY), "evidence", "USA", "CHN"], stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode())  # drop colour codes
    lines = [ln for ln in text.replace("\r", "").splitlines() if ln.strip()]
    assert len(lines) > 4 and max(len(ln) for ln in lines) <= 72
    assert "word39" in text


def test_lake_flag_without_a_lake_says_so(envoy_env):
    proc = envoy("partners", "USA", "--lake")
    assert proc.returncode == 1
    assert f"no Parquet lake at {envoy_env.lake}" in proc.stderr and "Traceback" not in proc.stderr


def test_country_codes_alpha2_and_suggestions(wh):
    proc = envoy("relations", "gb", "US", "--format", "json")  # ISO alpha-2, any case
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["actor_a"] in {"GBR", "USA"}
    assert json.loads(proc.stdout)["summary"]["events"] == 1
    typo = envoy("partners", "USAA")
    assert typo.returncode == 1 and "did you mean USA (United States)" in typo.stderr
    name = envoy("partners", "Untied States")
    assert name.returncode == 1 and "did you mean 'United States'" in name.stderr
    assert envoy("partners", "Viet Nam").returncode == 0  # ISO names through pycountry (no events: ok)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["report", "--day", "14/08/2025"], "invalid date '14/08/2025': use YYYY-MM-DD"),
        (["report", "--day", "2025-02-30"], "use YYYY-MM-DD"),
        (["run", "--day", "yesterday"], "invalid date 'yesterday': use YYYY-MM-DD"),
        (["code", "--day", "2025/08/14", "x.txt"], "use YYYY-MM-DD"),
    ],
)
def test_a_bad_date_says_which_form_is_accepted(envoy_env, argv, needle):
    proc = envoy(*argv)
    assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr


def test_bad_and_reversed_periods_are_rejected(wh):
    bad = envoy("partners", "USA", "--since", "July")
    assert bad.returncode == 1 and "YYYY, YYYY-Qn, YYYY-MM, YYYY-Www, YYYY-MM-DD" in bad.stderr
    rev = envoy("relations", "USA", "CHN", "--since", "2025-08", "--until", "2025-07")
    assert rev.returncode == 1 and "is after --until" in rev.stderr and rev.stdout == ""
    rev = envoy("partners", "USA", "--since", "2025-08-10..2025-08-01")
    assert rev.returncode == 1 and "ends before it starts" in rev.stderr
    swapped = envoy("shifts", "--from", "2025-08", "--to", "2025-07")
    assert swapped.returncode == 1 and "--from is the earlier period" in swapped.stderr
    week = envoy("partners", "USA", "--since", "2025-W27", "--until", "2025-Q3", "--format", "json")
    assert week.returncode == 0 and {p["partner"] for p in json.loads(week.stdout)} == {"CHN", "FRA", "GBR"}


def test_report_has_no_format_option(wh):
    assert "--format" not in envoy("report", "--help").stdout
    proc = envoy("report", "--format", "json")
    assert proc.returncode == 2 and "unrecognized arguments: --format" in proc.stderr
    ok = envoy("report")
    assert ok.returncode == 0 and "relations report for 2025-08-20" in ok.stdout


def test_json_output_nests_json_columns_and_keeps_non_ascii(wh):
    proc = envoy("query", "SELECT run_id, failed_expectations, timings FROM runs", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert '"r-zürich"' in proc.stdout  # not "r-z\u00fcrich"
    (run,) = json.loads(proc.stdout)
    assert run["timings"] == {"ingest": 0.5, "extract": 2.25}
    assert run["failed_expectations"] == ["events.goldstein in [-10, 10] (1 rows: 12.0)"]
    # a text column that merely holds some text stays text
    proc = envoy("evidence", "USA", "CHN", "--format", "json")
    assert "Zürich and São Paulo" in proc.stdout
    assert all(isinstance(r["evidence"], str) for r in json.loads(proc.stdout))
    # csv carries the nested JSON as JSON text, not Python's repr
    csv_out = envoy("query", "SELECT article_ids FROM events_dedup LIMIT 1", "--format", "csv").stdout
    assert csv_out.splitlines()[1].startswith('"[""a')


def test_partners_without_conflict_have_no_conflict_rank(wh):
    proc = envoy("partners", "USA", "--by", "conflict", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    partners = json.loads(proc.stdout)
    ranks = {p["partner"]: (p["conflict"], p["conflict_rank"], p["cooperation_rank"]) for p in partners}
    assert ranks["GBR"][:2] == (0, None) and ranks["GBR"][2] is not None
    assert ranks["CHN"][1] == 1 and ranks["FRA"][1] == 2
    assert partners[-1]["partner"] == "GBR"  # unranked last
    import csv

    rows = list(csv.DictReader(envoy("partners", "USA", "--format", "csv").stdout.splitlines()))
    (gbr,) = [r for r in rows if r["partner"] == "GBR"]
    assert gbr["conflict_rank"] == "" and gbr["cooperation_rank"] != ""  # no rank, not a last place
