"""The stages of one landing day, shared by ``envoy run`` and the Airflow DAG.

Each stage reads its input from the lake and writes its output there, so a stage can be retried
or run in another process (an Airflow task, a Celery worker) without passing data in memory. A day's
new batch is a staged lake *version* until it passes validation (write–audit–publish, see
:mod:`pipeline.lake`):

    discover_day  -> staged version: articles, quarantine, texts    (nothing published yet)
    extract_shard -> staged version: events part shard-<i>           (one per shard, in parallel)
    validate_day  -> Data Docs; bad articles to quarantine; publish  (ValidationFailed: discarded)
    load_day      -> DuckDB, one transaction, from the published version
    report        -> relations HTML report

Each returns a typed result (:mod:`pipeline.ledger`), which :class:`pipeline.ledger.Ledger` records
in the ``runs`` table; :func:`run_day` runs them all in this process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import EnvoyError, LandingMissing, ValidationFailed
from pipeline.ledger import (
    DiscoverResult,
    ExtractResult,
    Ledger,
    LoadStageResult,
    RunRecord,
    new_run_id,
    record_failure,
)

__all__ = [
    "DiscoverResult", "ExtractResult", "LandingMissing", "Ledger", "LoadStageResult", "RunSummary",
    "ValidationFailed", "day_landing", "discover_day", "extract_shard", "load_day", "new_run_id",
    "record_failure", "report", "run_day", "validate_day",
]

log = logging.getLogger("envoy")

#: What ``envoy run`` prints is the run's ``runs`` row.
RunSummary = RunRecord


def day_landing(settings: Settings, day: date, landing: Path | None = None) -> Path:
    """The folder (or file) holding a day's files: an explicit path, else ``<landing>/<YYYY-MM-DD>``."""
    return Path(landing) if landing else settings.landing / day.isoformat()


def _known_ids(settings: Settings, day: date) -> dict[str, str]:
    """article_id -> "<day> <file>" for articles published under *earlier* days (read from the lake, no
    DB lock). Earlier days only: the earliest day holding an article owns it, so two days that share
    one never both drop it, however their runs interleave."""
    from pipeline import store

    known: dict[str, str] = {}
    for other in store.days("articles", settings):
        if other >= day:
            break
        t = store.read_day("articles", settings, other).select(["article_id", "source_file"])
        for aid, src in zip(
            t.column("article_id").to_pylist(), t.column("source_file").to_pylist(), strict=True
        ):
            known.setdefault(aid, f"{other.isoformat()} {src}")
    return known


def discover_day(settings: Settings, day: date, landing: Path | None = None, *, run_id: str | None = None,
                 replace: bool = False) -> DiscoverResult:
    """Read the day's landing entries into a new staged version (articles, quarantine, texts).

    A missing folder or file raises :class:`LandingMissing`. An existing folder with nothing in it
    stages nothing (``version`` None): the published day is left as it is, unless ``replace``. A batch
    with fewer articles than the published day raises ``ReplaceRefused`` unless ``replace``.
    """
    from pipeline import ingest, lake, store

    t0 = time.perf_counter()
    settings.ensure_dirs()
    src = day_landing(settings, day, landing)
    if not src.exists() and not src.is_symlink():
        raise LandingMissing(
            f"{day}: no landing folder or file at {src} (a typo, or a share that is not mounted?); nothing "
            "was read and the day's loaded data was left as it was"
        )
    lake.drop_stale_staging(settings, day)
    result = ingest.ingest_path(src, settings, day=day, known_ids=_known_ids(settings, day))
    arts = sorted(result.articles, key=lambda a: a.article_id)
    out = DiscoverResult(
        day=day.isoformat(), run_id=run_id or "", landing=str(src), files=result.files_seen,
        inputs=result.inputs, articles=len(arts), duplicates=len(result.duplicates),
        quarantined=len(result.refused), replace=replace,
    )
    if result.files_seen == 0 and not replace:
        log.info("%s: %s is empty: nothing to publish, the loaded day is left as it was", day, src)
        out.seconds = round(time.perf_counter() - t0, 3)
        return out
    lake.replace_guard(settings, day, {a.article_id for a in arts}, replace)  # before coding: fail fast
    version = lake.new_version()
    store.write_table("articles", [a.row() for a in arts], settings, day, version=version)
    store.write_table("quarantine", [q.row() for q in result.quarantined], settings, day, version=version)
    texts = [
        {"article_id": a.article_id, "source_file": a.source_file, "publication_date": a.publication_date,
         "text": a.text}
        for a in arts
    ]
    store.write_table("texts", texts, settings, day, version=version)
    out.version = version
    out.n_shards = max(1, min(settings.shards, len(arts))) if arts else 1
    out.seconds = round(time.perf_counter() - t0, 3)
    for q in result.refused:
        log.warning("quarantined %s: %s (%s)", q.file, q.reason, q.detail)
    return out


def extract_shard(settings: Settings, day: date, shard: int, n_shards: int, version: str) -> ExtractResult:
    """Code shard ``shard`` of ``n_shards`` of the staged texts and write its events part."""
    from pipeline import store
    from pipeline.extract import code_articles
    from pipeline.models import Article

    t0 = time.perf_counter()
    texts = store.read_day("texts", settings, day, version).sort_by("article_id").to_pylist()
    mine = [r for i, r in enumerate(texts) if i % n_shards == shard]
    articles = [
        Article(article_id=r["article_id"], source_file=r["source_file"],
                publication_date=r["publication_date"], text=r["text"])
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
    store.write_table("events", events, settings, day, part=f"shard-{shard}", version=version)
    return ExtractResult(
        shard=shard, articles=len(articles), events=len(events),
        coding_errors=len(failures),  # articles the coder raised on: logged with their file, skipped
        seconds=round(time.perf_counter() - t0, 3),
    )


def validate_day(settings: Settings, day: date, version: str, run_id: str | None = None,
                 replace: bool = False):
    """Audit the staged version with Great Expectations and publish it (``audit.AuditResult``).

    Articles that break an article-level expectation go to quarantine with it; a batch-level failure
    raises :class:`ValidationFailed` and discards the version (the published day is unchanged).
    """
    from pipeline import audit

    return audit.audit_and_publish(settings, day, version, run_id, replace=replace)


def load_day(settings: Settings, day: date) -> LoadStageResult:
    """Load the day's published version into DuckDB (idempotent)."""
    from pipeline import load

    t0 = time.perf_counter()
    res = load.load_day(settings, day)
    return LoadStageResult(
        articles=res.articles, events=res.events, quarantine=res.quarantine,
        duplicates_skipped=res.duplicates_skipped, rehomed=res.rehomed,
        seconds=round(time.perf_counter() - t0, 3),
    )


def report(settings: Settings, day: date | None = None) -> dict:
    """Rebuild the relations report from the warehouse."""
    from pipeline import report as report_mod

    t0 = time.perf_counter()
    path = report_mod.build_report(settings, day)
    return {"path": str(path), "seconds": round(time.perf_counter() - t0, 3)}


def run_day(
    settings: Settings,
    day: date,
    landing: Path | None = None,
    shards: int | None = None,
    progress: Callable[[str], None] | None = None,
    trigger: str = "cli",
    build_report: bool = True,
    replace: bool = False,
) -> RunSummary:
    """All stages for one day in this process, recorded in ``runs`` from start to end.

    Raises :class:`pipeline.errors.EnvoyError` (``ValidationFailed``, ``ReplaceRefused``,
    ``LandingMissing``...) after recording the run with that status; any other error is recorded as
    ``failed`` and raised as it is.
    """
    say = progress or (lambda msg: log.info(msg))
    src = day_landing(settings, day, landing)
    ledger = Ledger.start(settings, day, trigger, landing=str(src), replace=replace)
    try:
        _stages(settings, day, ledger, landing, shards, say, replace)
    except ValidationFailed as exc:
        ledger.validation_failed(exc.failed, str(exc.docs_index) if exc.docs_index else None)
        ledger.fail(exc)
        raise
    except BaseException as exc:
        ledger.fail(exc)
        raise
    if build_report and ledger.record.status == "loaded":
        say("build relations report")
        try:
            out = report(settings, day)
            ledger.reported(out["path"], out["seconds"])
        except Exception as exc:  # noqa: BLE001 - a report problem must not undo a good load
            log.warning("report failed: %s", exc)
    return ledger.record


def _stages(settings: Settings, day: date, ledger: Ledger, landing: Path | None, shards: int | None,
            say: Callable[[str], None], replace: bool) -> None:
    say(f"ingest {day_landing(settings, day, landing)}")
    d = discover_day(settings, day, landing, run_id=ledger.record.run_id, replace=replace)
    ledger.discovered(d)
    if d.version is None:
        ledger.finish("empty")
        return
    n = max(1, shards or d.n_shards)
    say(f"extract {d.articles} article(s) in {n} shard(s)")
    ledger.extracted([extract_shard(settings, day, i, n, d.version) for i in range(n)])
    say(f"validate {ledger.record.events} event(s)")
    ledger.audited(validate_day(settings, day, d.version, ledger.record.run_id, replace=replace))
    say("load into DuckDB")
    ledger.loaded(load_day(settings, day))


def fail_run(settings: Settings, run_id: str, exc: BaseException | str) -> None:
    """Record that a run stopped (Airflow callbacks); keeps a status already final."""
    from pipeline.ledger import one_line

    status = getattr(exc, "status", "failed") if isinstance(exc, EnvoyError) else "failed"
    record_failure(settings, run_id, one_line(exc), status=status)
