"""Data contracts: the Arrow schema of every table, defined once and used everywhere.

The lake tables (``TABLES``) and the warehouse-only ``runs`` ledger (``RUNS``) are defined here; the
DuckDB DDL (``ddl/``) sits beside this file and is read through :func:`contract_path`; the Great
Expectations suites are GE's own JSON in the committed project ``gx/expectations/`` (docs/validation.md).
``tests/test_contracts.py`` checks that the DDL and the suites match these schemas.
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
        # where the event happened, as its clause or the story's dateline states it
        # (pipeline.extract.location); with no place stated, place_precision is "none", the rest null
        pa.field("place_name", pa.string()),  # the gazetteer's name of the place ("Geneva")
        pa.field("place_country", pa.string()),  # ISO-3 / actor code of the state it belonged to that day
        pa.field("place_adm1", pa.string()),  # ISO 3166-2 code of its first-level subdivision ("CH-GE")
        pa.field("place_latitude", pa.float64()),
        pa.field("place_longitude", pa.float64()),
        pa.field("place_precision", pa.string()),  # PLACE_PRECISIONS: city | adm1 | country | none
        pa.field("place_source", pa.string()),  # PLACE_SOURCES: what stated it (clause, dateline, ...)
        # the CAMEO code in PLOVER terms (pipeline.plover): null for CAMEO 01/02, which PLOVER does not code
        pa.field("plover_event", pa.string()),
        pa.field("plover_mode", pa.string()),
    ]
)

QUARANTINE = pa.schema(
    [
        pa.field("file", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("day", pa.date32()),
        pa.field("recorded_at", pa.timestamp("us", tz="UTC"), nullable=False),
        # set when validation moved a whole article here (reason ``failed_expectation``):
        pa.field("article_id", pa.string()),
        pa.field("expectation", pa.string()),  # the failed expectation(s), "; "-separated
        pa.field("payload", pa.string()),  # JSON {"article": {...}, "events": [...]}: nothing is lost
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
    "hidden",  # a dot-file or dot-folder: recorded, never read
    "symlink_outside",  # a symbolic link leading out of the landing root: never followed
    "broken_symlink",
    "special_file",  # FIFO, socket, device, or a link to a folder: never opened
    "failed_expectation",  # validation moved the article and its events here
)

#: ``runs.status``: ``running`` until the run ends; ``crashed`` when its process died without saying.
RUN_STATUSES = (
    "running",
    "loaded",  # the day's new batch was published and loaded
    "empty",  # the landing folder held nothing: nothing published, nothing deleted
    "validation_failed",  # a batch-level expectation failed: nothing published
    "refused",  # fewer articles than the published day holds, without --replace
    "failed",  # an error stopped the run (recorded with it)
    "crashed",  # the process died (found by a later run)
)

#: The run ledger (warehouse table ``runs``, one row per run; written by :mod:`pipeline.ledger`).
#: Accounting: ``inputs = articles + duplicates + quarantined`` at every stage.
RUNS = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("day", pa.date32(), nullable=False),
        pa.field("started_at", pa.timestamp("us", tz="UTC"), nullable=False),  # wall clock
        pa.field("finished_at", pa.timestamp("us", tz="UTC")),
        pa.field("status", pa.string(), nullable=False),  # RUN_STATUSES
        pa.field("trigger", pa.string()),  # cli | airflow
        pa.field("landing", pa.string()),  # the folder or file ingested
        pa.field("replace", pa.bool_()),  # asked to replace the day even with fewer articles
        pa.field("files", pa.int32()),  # landing entries seen, of every kind
        pa.field("inputs", pa.int32()),  # what they held: one per file, per JSON item/line, per bad file
        pa.field("articles", pa.int32()),  # unique articles published for the day
        pa.field("duplicates", pa.int32()),  # articles already stored (this day or an earlier one)
        pa.field("quarantined", pa.int32()),  # inputs quarantined at ingest or at validation
        pa.field("rejected", pa.int32()),  # of those, articles moved to quarantine by validation
        pa.field("coding_errors", pa.int32()),  # articles the coder raised on
        pa.field("events", pa.int32()),
        pa.field("validation_success", pa.bool_()),
        pa.field("failed_expectations", pa.string()),  # JSON list of failed expectation descriptions
        pa.field("timings", pa.string()),  # JSON object: seconds per stage
        pa.field("data_docs", pa.string()),  # the Data Docs index for this run
        pa.field("report", pa.string()),  # the relations report built after the load
        pa.field("lake_version", pa.string()),  # the day's published lake version (manifest)
        pa.field("error", pa.string()),  # why a run failed, refused or crashed: one line
        pa.field("host", pa.string()),
        pa.field("pid", pa.int32()),  # the process running the whole run (cli), to detect crashes
    ]
)

#: Tables that live only in the warehouse, with their contracts.
WAREHOUSE_TABLES: dict[str, pa.Schema] = {"runs": RUNS}

DATE_PRECISIONS = ("day", "month", "year")
#: ``events.place_precision`` and ``events.place_source`` (see pipeline.extract.location).
PLACE_PRECISIONS = ("city", "adm1", "country", "none")
PLACE_SOURCES = ("clause", "journey", "target", "statement", "dateline")


def contract_path(*parts: str) -> Path:
    """Path of a contract file shipped with this package (DDL, expectation suites)."""
    return HERE.joinpath(*parts)
