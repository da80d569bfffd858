"""Data contracts: the Arrow schema of every lake table, defined once and used everywhere.

The DuckDB DDL (``ddl/``) and the Great Expectations suites (``expectations/``) sit beside
this file and are read through :func:`contract_path`.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

HERE = Path(__file__).resolve().parent

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("publication_date", pa.date32(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("url", pa.string()),
        pa.field("source", pa.string()),
        pa.field("n_chars", pa.int64(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

EVENTS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("sentence_index", pa.int32(), nullable=False),
        pa.field("publication_date", pa.date32(), nullable=False),
        pa.field("event_date", pa.date32(), nullable=False),
        pa.field("date_precision", pa.string(), nullable=False),  # day | month | year
        pa.field("source_actor", pa.string(), nullable=False),
        pa.field("source_name", pa.string()),
        pa.field("target_actor", pa.string(), nullable=False),
        pa.field("target_name", pa.string()),
        pa.field("cameo_code", pa.string(), nullable=False),
        pa.field("cameo_root", pa.string(), nullable=False),
        pa.field("quad_class", pa.int8(), nullable=False),
        pa.field("goldstein", pa.float64(), nullable=False),
        pa.field("confidence", pa.float64(), nullable=False),
        pa.field("evidence", pa.string(), nullable=False),
        pa.field("trigger", pa.string()),
        pa.field("mentions", pa.int32(), nullable=False),  # sentences in the article that report it
        pa.field("source_agent", pa.string()),  # GOV, MIL, REB, ... where known
        pa.field("target_agent", pa.string()),
    ]
)

QUARANTINE = pa.schema(
    [
        pa.field("file", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("day", pa.date32()),
        pa.field("recorded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

#: Internal lake table (not loaded into the warehouse): the article text the extraction shards code,
#: so a day can be re-coded from the lake without its landing folder.
TEXTS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("publication_date", pa.date32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "events": EVENTS,
    "quarantine": QUARANTINE,
    "texts": TEXTS,
}

#: Quarantine reasons: a closed vocabulary, so analysts can group by them.
QUARANTINE_REASONS = (
    "binary",
    "not_utf8",
    "empty",
    "no_date",
    "bad_date",
    "malformed_json",
    "oversized",
    "unsupported_format",
    "no_text",
    "unreadable",
    "duplicate",
)

DATE_PRECISIONS = ("day", "month", "year")


def contract_path(*parts: str) -> Path:
    """Path of a contract file shipped with this package (DDL, expectation suites)."""
    return HERE.joinpath(*parts)
