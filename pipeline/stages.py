"""The stages of one landing day, shared by ``envoy run`` and the Airflow DAG.

Each stage reads its input from the lake and writes its output there, so a stage can be retried
or run in another process (an Airflow task, a Celery worker) without passing data in memory:

    discover_day  -> lake: articles, quarantine, texts   (events of the day cleared)
    extract_shard -> lake: events part shard-<i>          (one per shard, in parallel)
    validate_day  -> Data Docs; raises ValidationFailed   (nothing is loaded on failure)
    load_day      -> DuckDB, one transaction, + a `runs` row
    report        -> relations HTML report
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.config import Settings

log = logging.getLogger("envoy")


class ValidationFailed(RuntimeError):
    """The day's batch broke its data contract; it was recorded and not loaded."""

    def __init__(self, day: date, failed: list[str], docs_index: Path | None):
        self.day, self.failed, self.docs_index = day, failed, docs_index
        names = "\n  - ".join(failed) or "(no expectation named)"
        super().__init__(
            f"validation failed for {day}: {len(failed)} expectation(s) failed, nothing loaded:\n  - {names}"
            + (f"\nData Docs: {docs_index}" if docs_index else "")
        )


@dataclass
class RunSummary:
    """What ``envoy run`` prints and what the `runs` table records."""

    run_id: str
    day: date
    status: str = "running"
    files: int = 0
    articles: int = 0
    events: int = 0
    quarantined: int = 0
    duplicates: int = 0
    coding_failures: int = 0  # articles the coder could not code (logged with their file, skipped)
    validation_success: bool | None = None
    failed_expectations: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    data_docs: str | None = None
    report: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_dict(self) -> dict:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        d["started_at"] = self.started_at.isoformat()
        return d


def day_landing(settings: Settings, day: date, landing: Path | None = None) -> Path:
    """The folder (or file) holding a day's files: an explicit path, else ``<landing>/<YYYY-MM-DD>``."""
    return Path(landing) if landing else settings.landing / day.isoformat()


def _known_ids(settings: Settings, day: date) -> dict[str, str]:
    """article_id -> "<day> <file>" for articles ingested on other days (read from the lake, no DB lock)."""
    from pipeline import store

    known: dict[str, str] = {}
    for other in store.days("articles", settings):
        if other == day:
            continue
        t = store.read_day("articles", settings, other).select(["article_id", "source_file"])
        for aid, src in zip(
            t.column("article_id").to_pylist(), t.column("source_file").to_pylist(), strict=True
        ):
            known.setdefault(aid, f"{other.isoformat()} {src}")
    return known


def discover_day(settings: Settings, day: date, landing: Path | None = None) -> dict:
    """Read the day's landing files into the lake (articles, quarantine, texts); clear stale events."""
    from pipeline import ingest, store

    t0 = time.perf_counter()
    settings.ensure_dirs()
    src = day_landing(settings, day, landing)
    for table in ("articles", "quarantine", "texts", "events"):
        store.clear_day(table, settings, day)
    if not src.exists():
        log.info("no landing folder for %s (%s): nothing to do", day, src)
        result = ingest.IngestResult(articles=[], quarantined=[], files_seen=0)
    else:
        result = ingest.ingest_path(src, settings, day=day, known_ids=_known_ids(settings, day))
    arts = sorted(result.articles, key=lambda a: a.article_id)
    store.write_table("articles", [a.row() for a in arts], settings, day)
    store.write_table("quarantine", [q.row() for q in result.quarantined], settings, day)
    store.write_table(
        "texts",
        [
            {
                "article_id": a.article_id,
                "source_file": a.source_file,
                "publication_date": a.publication_date,
                "text": a.text,
            }
            for a in arts
        ],
        settings,
        day,
    )
    n_shards = max(1, min(settings.shards, len(arts))) if arts else 1
    out = {
        "day": day.isoformat(),
        "files": result.files_seen,
        "articles": len(arts),
        "quarantined": sum(1 for q in result.quarantined if q.reason != "duplicate"),
        "duplicates": sum(1 for q in result.quarantined if q.reason == "duplicate"),
        "n_shards": n_shards,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    if not arts:
        log.info("%s: no readable articles (%d files seen)", day, result.files_seen)
    for q in result.quarantined:
        log.warning("quarantined %s: %s (%s)", q.file, q.reason, q.detail)
    return out


def extract_shard(settings: Settings, day: date, shard: int, n_shards: int) -> dict:
    """Code shard ``shard`` of ``n_shards`` of the day's texts and write its events part."""
    from pipeline import store
    from pipeline.extract import code_articles
    from pipeline.models import Article

    t0 = time.perf_counter()
    texts = store.read_day("texts", settings, day).sort_by("article_id").to_pylist()
    mine = [r for i, r in enumerate(texts) if i % n_shards == shard]
    articles = [
        Article(
            article_id=r["article_id"],
            source_file=r["source_file"],
            publication_date=r["publication_date"],
            text=r["text"],
        )
        for r in mine
    ]
    failures: list = []  # an article that breaks the coder is logged and skipped; the shard goes on
    events = (
        code_articles(
            articles, model=settings.spacy_model, n_process=settings.nlp_processes, failures=failures
        )
        if articles
        else []
    )
    store.write_table("events", events, settings, day, part=f"shard-{shard}")
    return {
        "shard": shard,
        "articles": len(articles),
        "events": len(events),
        "coding_failures": len(failures),
        "failed_files": [f.source_file for f in failures],
        "seconds": round(time.perf_counter() - t0, 3),
    }


def validate_day(settings: Settings, day: date) -> dict:
    """Run the Great Expectations suites on the day's lake data; raise ValidationFailed if any fails."""
    from pipeline import validate

    t0 = time.perf_counter()
    res = validate.validate_day(settings, day)
    out = {
        "success": bool(res.success),
        "failed": list(res.failed),
        "statistics": res.statistics,
        "docs_index": str(res.docs_index) if res.docs_index else None,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    if not res.success:
        raise ValidationFailed(day, list(res.failed), res.docs_index)
    return out


def load_day(settings: Settings, day: date, run_meta: dict | None = None) -> dict:
    """Load the validated day into DuckDB (idempotent) and record the run."""
    from pipeline import load

    t0 = time.perf_counter()
    res = load.load_day(settings, day)
    out = {
        "articles": res.articles,
        "events": res.events,
        "quarantine": res.quarantine,
        "duplicates_skipped": res.duplicates_skipped,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    if run_meta is not None:
        record_run(settings, {**run_meta, "status": "loaded", "validation_success": True})
    return out


def record_run(settings: Settings, run: dict) -> None:
    """Write (upsert) one `runs` row, stamping when it finished."""
    from pipeline import load

    load.record_run(settings, {"finished_at": datetime.now(UTC), **run})


def report(settings: Settings, day: date | None = None) -> dict:
    """Rebuild the relations report from the warehouse."""
    from pipeline import report as report_mod

    t0 = time.perf_counter()
    path = report_mod.build_report(settings, day)
    return {"path": str(path), "seconds": round(time.perf_counter() - t0, 3)}


def new_run_id(day: date, trigger: str) -> str:
    return f"{trigger}-{day.isoformat()}-{uuid.uuid4().hex[:8]}"


def run_day(
    settings: Settings,
    day: date,
    landing: Path | None = None,
    shards: int | None = None,
    progress: Callable[[str], None] | None = None,
    trigger: str = "cli",
    build_report: bool = True,
) -> RunSummary:
    """All stages for one day in this process. Raises ValidationFailed after recording the failed run."""
    say = progress or (lambda msg: log.info(msg))
    summary = RunSummary(run_id=new_run_id(day, trigger), day=day)

    def timed(name: str, fn: Callable[[], dict]) -> dict:
        t0 = time.perf_counter()
        out = fn()
        summary.timings[name] = round(time.perf_counter() - t0, 3)
        return out

    def meta() -> dict:
        return {
            "run_id": summary.run_id,
            "day": day,
            "started_at": summary.started_at,
            "trigger": trigger,
            "files": summary.files,
            "articles": summary.articles,
            "events": summary.events,
            "quarantined": summary.quarantined,
            "duplicates": summary.duplicates,
            "coding_failures": summary.coding_failures,
            "failed_expectations": summary.failed_expectations,
            "timings": summary.timings,
            "data_docs": summary.data_docs,
        }

    say(f"ingest {day_landing(settings, day, landing)}")
    d = timed("ingest", lambda: discover_day(settings, day, landing))
    summary.files, summary.articles = d["files"], d["articles"]
    summary.quarantined, summary.duplicates = d["quarantined"], d["duplicates"]
    n = max(1, shards or d["n_shards"])
    say(f"extract {summary.articles} article(s) in {n} shard(s)")
    ex = timed("extract", lambda: [extract_shard(settings, day, i, n) for i in range(n)])
    summary.events = sum(s["events"] for s in ex)
    summary.coding_failures = sum(s.get("coding_failures", 0) for s in ex)
    say(f"validate {summary.events} event(s)")
    try:
        v = timed("validate", lambda: validate_day(settings, day))
    except ValidationFailed as exc:
        summary.status, summary.validation_success = "validation_failed", False
        summary.failed_expectations = exc.failed
        summary.data_docs = str(exc.docs_index) if exc.docs_index else None
        record_run(settings, {**meta(), "status": summary.status, "validation_success": False})
        raise
    summary.validation_success, summary.data_docs = True, v["docs_index"]
    say("load into DuckDB")
    t0 = time.perf_counter()
    loaded = load_day(settings, day)
    summary.timings["load"] = round(time.perf_counter() - t0, 3)
    summary.events = loaded["events"]
    summary.duplicates += loaded["duplicates_skipped"]
    summary.status = "loaded" if summary.articles else "empty"
    record_run(settings, {**meta(), "status": summary.status, "validation_success": True})
    if build_report:
        say("build relations report")
        try:
            summary.report = timed("report", lambda: report(settings, day))["path"]
        except Exception as exc:  # noqa: BLE001 - a report problem must not undo a good load
            log.warning("report failed: %s", exc)
    record_run(settings, {**meta(), "status": summary.status, "validation_success": True})
    return summary
