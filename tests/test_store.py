"""The Parquet lake: round trips against the Arrow contracts, atomic writes, clean re-runs.

Also home of the row builders the validation and load tests share (valid rows, codes from the codebook).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import store
from pipeline.extract.codebook import lookup
from tests.conftest import make_settings

DAY = date(2024, 5, 2)


def make_article(n: int = 0, day: date = DAY, **overrides: object) -> dict:
    """A valid ``articles`` row."""
    row = {
        "article_id": hashlib.sha256(f"article-{n}".encode()).hexdigest()[:32],
        "source_file": f"{day.isoformat()}/article-{n}.txt",
        "publication_date": day,
        "title": f"Article {n}",
        "url": f"https://example.org/{n}",
        "source": "example",
        "n_chars": 100 + n,
        "ingested_at": datetime(2024, 5, 3, 6, 0, tzinfo=UTC),
    }
    row.update(overrides)
    return row


def make_event(n: int = 0, article: int = 0, day: date = DAY, code: str = "042", **overrides: object) -> dict:
    """A valid ``events`` row: root, QuadClass and Goldstein looked up in the codebook, actors USA -> CHN."""
    c = lookup(code)
    row = {
        "event_id": hashlib.sha256(f"event-{article}-{n}".encode()).hexdigest()[:32],
        "article_id": hashlib.sha256(f"article-{article}".encode()).hexdigest()[:32],
        "source_file": f"{day.isoformat()}/article-{article}.txt",
        "sentence_index": n,
        "publication_date": day,
        "event_date": day,
        "date_precision": "day",
        "source_actor": "USA",
        "source_name": "United States",
        "target_actor": "CHN",
        "target_name": "China",
        "cameo_code": c.code,
        "cameo_root": c.root,
        "quad_class": c.quad_class,
        "goldstein": c.goldstein,
        "confidence": 0.8,
        "evidence": f"The United States met China, sentence {n}.",
        "trigger": "met",
        "mentions": 1,
        "source_agent": "GOV",
        "target_agent": None,
    }
    row.update(overrides)
    return row


def make_quarantine(n: int = 0, day: date = DAY) -> dict:
    return {
        "file": f"{day.isoformat()}/bad-{n}.bin",
        "reason": "binary",
        "detail": "NUL bytes",
        "day": day,
        "recorded_at": datetime(2024, 5, 3, 6, 0, tzinfo=UTC),
    }


def make_text(n: int = 0, day: date = DAY) -> dict:
    a = make_article(n, day)
    return {
        "article_id": a["article_id"],
        "source_file": a["source_file"],
        "publication_date": day,
        "text": f"Text of article {n}.",
    }


ROWS = {
    "articles": lambda: [make_article(i) for i in range(3)],
    "events": lambda: [make_event(i, article=i % 2, code=c) for i, c in enumerate(["042", "190", "0874"])],
    "quarantine": lambda: [make_quarantine(i) for i in range(2)],
    "texts": lambda: [make_text(i) for i in range(2)],
}


@pytest.mark.parametrize("table", sorted(ROWS))
def test_round_trip_each_table(tmp_path: Path, table: str) -> None:
    s = make_settings(tmp_path)
    rows = ROWS[table]()
    path = store.write_table(table, rows, s, DAY)
    assert path == s.lake / table / "ingest_date=2024-05-02" / "part-0.parquet"
    back = store.read_day(table, s, DAY)
    assert back.schema == store.schema_for(table)
    assert back.to_pylist() == pa.Table.from_pylist(rows, schema=store.schema_for(table)).to_pylist()
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    assert store.days(table, s) == [DAY]


def test_arrow_table_input_is_cast_and_nullable_columns_filled(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    rows = [make_event(i) for i in range(2)]
    for r in rows:
        del r["trigger"]
    t = pa.Table.from_pylist(rows)  # inferred types: int64 sentence_index/quad_class, no trigger column
    store.write_table("events", t, s, DAY, part="shard-1")
    back = store.read_day("events", s, DAY)
    assert back.schema.field("quad_class").type == pa.int8()
    assert back.column("trigger").to_pylist() == [None, None]
    assert back.column("event_id").to_pylist() == [r["event_id"] for r in rows]


def test_parts_are_read_together_and_rewrite_replaces(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    store.write_table("events", [make_event(0)], s, DAY, part="shard-0")
    store.write_table("events", [make_event(1), make_event(2)], s, DAY, part="shard-1")
    assert store.read_day("events", s, DAY).num_rows == 3
    store.write_table("events", [make_event(3)], s, DAY, part="shard-1")
    ids = sorted(store.read_day("events", s, DAY).column("sentence_index").to_pylist())
    assert ids == [0, 3]


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    for part in ("0", "1", "0"):
        store.write_table("articles", [make_article(int(part))], s, DAY, part=part)
    names = sorted(p.name for p in store.day_dir("articles", s, DAY).iterdir())
    assert names == ["part-0.parquet", "part-1.parquet"]


@pytest.mark.parametrize(
    "bad",
    [
        {"cameo_code": None},  # null in a required column
        {"sentence_index": "first"},  # does not cast
        "drop:event_id",  # required column missing
    ],
)
def test_failed_write_keeps_previous_part(tmp_path: Path, bad: object) -> None:
    s = make_settings(tmp_path)
    good = [make_event(0), make_event(1)]
    path = store.write_table("events", good, s, DAY)
    before = path.read_bytes()
    row = make_event(5)
    if isinstance(bad, dict):
        row.update(bad)
    else:
        del row[str(bad).split(":")[1]]
    with pytest.raises(store.SchemaMismatch):
        store.write_table("events", [row], s, DAY)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["part-0.parquet"]
    assert store.read_day("events", s, DAY).num_rows == 2


def test_interrupted_write_is_invisible_and_cleaned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = make_settings(tmp_path)
    store.write_table("articles", [make_article(0)], s, DAY)

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store.lake.os, "replace", crash)
    with pytest.raises(OSError):
        store.write_table("articles", [make_article(1), make_article(2)], s, DAY)
    monkeypatch.undo()
    assert store.read_day("articles", s, DAY).column("n_chars").to_pylist() == [100]
    assert [p.name for p in store.day_dir("articles", s, DAY).iterdir()] == ["part-0.parquet"]
    # a temp file left by a killed process is ignored by readers and by DuckDB's glob
    leftover = store.day_dir("articles", s, DAY) / ".part-0.parquet.deadbeef.tmp"
    leftover.write_bytes(b"half a parquet file")
    assert store.read_day("articles", s, DAY).num_rows == 1
    import duckdb

    sql = f"select count(*) from read_parquet('{store.lake_glob('articles', s)}')"
    assert duckdb.connect().execute(sql).fetchall() == [(1,)]
    store.clear_day("articles", s, DAY)
    assert not store.day_dir("articles", s, DAY).exists()


def test_missing_day_is_empty_with_schema(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    for table, schema in store.TABLES.items():
        t = store.read_day(table, s, date(1999, 1, 1))
        assert t.num_rows == 0
        assert t.schema == schema
    assert store.days("events", s) == []


def test_clear_day_and_days(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    d2 = date(2024, 5, 1)
    store.write_table("events", [make_event(0)], s, DAY, part="shard-0")
    store.write_table("events", [make_event(1)], s, DAY, part="shard-1")
    store.write_table("events", [make_event(2, day=d2)], s, d2)
    assert store.days("events", s) == [d2, DAY]
    store.clear_day("events", s, DAY)
    assert store.read_day("events", s, DAY).num_rows == 0
    assert store.days("events", s) == [d2]
    assert store.read_day("events", s, d2).num_rows == 1
    store.clear_day("events", s, date(2000, 1, 1))  # nothing there: no error


def test_unknown_table_and_bad_part_are_rejected(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    with pytest.raises(ValueError, match="unknown lake table"):
        store.write_table("nope", [], s, DAY)
    with pytest.raises(ValueError, match="invalid part"):
        store.write_table("events", [], s, DAY, part="../x")
