"""Great Expectations checks of one day's lake tables, before anything reaches the warehouse.

The suites, the pandas datasource, one validation definition per lake table and the checkpoint
``envoy_day`` are a committed GE 1.24 file context, ``gx/`` at the repository root (``ENVOY_GX_PROJECT``
points elsewhere): a GE user opens it with ``gx.get_context(project_root_dir=...)``. Each run copies it
into ``settings.gx_root`` (``data/gx``), so validation results stay with the data and the committed
files are never written; the Data Docs site goes to ``settings.data_docs`` (set on the context in
memory). Values that depend on the codebook, the actor registry or the clock are GE suite parameters
(``{"$PARAMETER": "codebook_codes"}``), computed here (``PARAMETERS``) and passed as
``expectation_parameters``. Consistency checks compare a column with one derived from the codebook
(the suite's ``meta.envoy.derived_columns``) using GE's column-pair expectations. GE validates pandas
DataFrames read from Parquet (its SQL datasource sees nothing in DuckDB). See docs/validation.md.

The checkpoint's validation definitions run in one pass, each with its own table (GE's
``Checkpoint.run`` would hand the same ``batch_parameters`` to all three), then its actions run once
for the day: ``UpdateDataDocsAction`` renders this run's pages and the index in one build. One GE
context is kept per process, so a task pays GE's start-up once.

Each expectation's ``meta.scope`` says what a failure means. An ``article`` expectation is about one
article (a plausible publication date, known actors in its events, evidence present): rows that break
it name their ``article_id`` (GE's ``unexpected_index_list``), and those articles are *rejected*, moved
with their events to quarantine by :mod:`pipeline.audit` while the rest of the day loads. A ``batch``
expectation (unique keys, the quarantine vocabulary) is about the whole batch: its failure blocks the
load. Values shown in Data Docs are HTML-escaped before GE renders them (GE does not escape unexpected
values), so a crafted value in the data never runs as script in a reviewer's browser.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import html
import io
import json
import logging
import os
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline import datadocs, store
from pipeline.config import Settings
from schemas import DATE_PRECISIONS, PLACE_PRECISIONS, PLACE_SOURCES, QUARANTINE_REASONS

#: Lake tables validated for a day, in this order; suite ``envoy_<table>``, validation definition
#: ``envoy_<table>_day`` on the dataframe asset ``<table>``.
SUITES = ("events", "articles", "quarantine")
CHECKPOINT = "envoy_day"
SITE = "local_site"
INDEX_COLUMN = "article_id"
#: What :func:`sync_project` copies from the committed project (never ``uncommitted/``).
PROJECT_FILES = ("great_expectations.yml", "expectations", "validation_definitions", "checkpoints", "plugins")


@dataclass
class ValidationResult:
    success: bool  # no batch-level expectation failed (rejected articles do not make it fail)
    failed: list[str] = field(default_factory=list)  # e.g. "events.cameo_code in codebook (3 rows: 999, ...)"
    statistics: dict = field(default_factory=dict)  # table -> evaluated/successful/unsuccessful/rows
    docs_index: Path | None = None  # Data Docs index.html
    batch_failed: list[str] = field(default_factory=list)  # the failures that block the load
    rejected: dict[str, list[str]] = field(default_factory=dict)  # article_id -> what it broke, its values


def project_dir() -> Path:
    """The committed GE project: ``$ENVOY_GX_PROJECT``, else ``gx/`` beside the ``pipeline`` package."""
    env = os.environ.get("ENVOY_GX_PROJECT")
    return Path(env).expanduser().resolve() if env else Path(__file__).resolve().parents[1] / "gx"


def load_suite(name: str) -> dict:
    """The GE suite JSON for a lake table, as committed (``gx/expectations/envoy_<name>.json``)."""
    path = project_dir() / "expectations" / f"envoy_{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _latest_publication_date() -> datetime:
    return datetime.combine(datetime.now(UTC).date() + timedelta(days=1), datetime.min.time())


def _codebook_codes() -> list[str]:
    from pipeline.extract.codebook import codebook

    return sorted(codebook())


def _actor_codes() -> list[str]:
    from pipeline.extract.actors import valid_codes

    return sorted(valid_codes())


#: GE suite parameters (``{"$PARAMETER": NAME}`` in a suite) and how their values are computed.
PARAMETERS: dict[str, Callable[[], Any]] = {
    "codebook_codes": _codebook_codes,
    "actor_codes": _actor_codes,
    "date_precisions": lambda: list(DATE_PRECISIONS),
    "quarantine_reasons": lambda: list(QUARANTINE_REASONS),
    "latest_publication_date": _latest_publication_date,
    "place_precisions": lambda: list(PLACE_PRECISIONS),
    "place_sources": lambda: list(PLACE_SOURCES),
    "plover_events": lambda: sorted(_plover_vocabulary().events),
}


def suite_parameters(suites: list[dict]) -> dict[str, Any]:
    """The values of every ``$PARAMETER`` the suites name; an unknown name is an error."""
    names: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            if set(v) == {"$PARAMETER"}:
                names.add(v["$PARAMETER"])
            else:
                for x in v.values():
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for suite in suites:
        for e in suite["expectations"]:
            walk(e["kwargs"])
    unknown = names - set(PARAMETERS)
    if unknown:
        known = ", ".join(sorted(PARAMETERS))
        raise KeyError(f"unknown suite parameter(s) {sorted(unknown)} (known: {known})")
    return {n: PARAMETERS[n]() for n in sorted(names)}


def _codebook_column(attr: str) -> Callable[[pd.DataFrame], pd.Series]:
    def derive(df: pd.DataFrame) -> pd.Series:
        from pipeline.extract.codebook import codebook

        values = {c: getattr(entry, attr) for c, entry in codebook().items()}
        out = df["cameo_code"].map(values)
        return out.astype("float64") if attr != "root" else out.astype("object")

    return derive


def _plover_vocabulary():
    from pipeline.plover import vocabulary

    return vocabulary()


def _plover_column(attr: str) -> Callable[[pd.DataFrame], pd.Series]:
    """What the PLOVER mapping gives for each row's cameo_code (None for none, or a code it lacks)."""

    def derive(df: pd.DataFrame) -> pd.Series:
        from pipeline.plover import table

        values = {c: getattr(r.plover, attr) if r.plover else None for c, r in table().items()}
        return df["cameo_code"].map(lambda c: values.get(c)).astype("object")

    return derive


#: Columns a suite may declare under ``derived_columns``: computed from the row, compared by GE.
DERIVED: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "codebook_root": _codebook_column("root"),
    "codebook_quad_class": _codebook_column("quad_class"),
    "codebook_goldstein": _codebook_column("goldstein"),
    "latest_event_date": lambda df: df["publication_date"] + pd.Timedelta(days=1),
    "place_named": lambda df: df["place_name"].notna(),
    "place_located": lambda df: df["place_precision"].fillna("none") != "none",
    "mapping_plover_event": _plover_column("event"),
    "mapping_plover_mode": _plover_column("mode"),
}


def frame(
    table: str, settings: Settings, day: date, derived: Sequence[str] = (), version: str | None = None
) -> pd.DataFrame:
    """The day's lake table as pandas (dates as datetime64, so GE can compare them), plus derived columns:
    the published version, or the staged ``version``."""
    df = store.read_day(table, settings, day, version).to_pandas(date_as_object=False)
    for name in derived:
        if name not in DERIVED:
            raise KeyError(f"unknown derived column {name!r} (known: {', '.join(sorted(DERIVED))})")
        df[name] = DERIVED[name](df) if len(df) else pd.Series([], dtype="object")
    return df


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00:00(\.0+)?$")


def _short(value: Any) -> str:
    """One unexpected value as a reader wants it: dates without midnight, blanks visible, 2.0 as 2."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value).to_pydatetime()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        m = _MIDNIGHT.match(value)
        if m:
            return m.group(1)
        return repr(value) if not value.strip() else value
    return str(value)


def describe_failure(name: str, result: Any) -> str:
    """``"<expectation> (N rows: v1, v2, ...)"`` from one GE expectation result; column pairs read
    ``a=1 b=2`` so the reader sees which side is which."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        msg = str(info.get("exception_message") or "error").splitlines()[0][:200]
        return f"{name} (error: {msg})"
    res = result.result or {}
    count = res.get("unexpected_count")
    sample = (res.get("partial_unexpected_list") or [])[:5]
    if count is None:
        return name
    kwargs = result.expectation_config.kwargs if result.expectation_config else {}
    pair = (kwargs.get("column_A"), kwargs.get("column_B"))

    def show(v: Any) -> str:
        if isinstance(v, list | tuple) and len(v) == 2 and all(pair):
            return f"{pair[0]}={_short(v[0])} {pair[1]}={_short(v[1])}"
        return _short(v)

    shown = ", ".join(show(v) for v in sample)
    more = ", ..." if count > len(sample) else ""
    return f"{name} ({count} rows: {shown}{more})" if shown else f"{name} ({count} rows)"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep GE's progress bars, prints and warnings off the pipeline's output."""
    logger = logging.getLogger("great_expectations")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)




def sync_project(src: Path, gx_root: Path) -> str:
    """Copy the committed project's files into the run's GE root where they differ, and remove suites,
    definitions or checkpoints the project no longer has; returns a digest of the project's files."""
    digest = hashlib.sha256()
    wanted: set[Path] = set()
    for name in PROJECT_FILES:
        top = src / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for f in files:
            dst = gx_root / f.relative_to(src)
            wanted.add(dst)
            data = f.read_bytes()
            digest.update(f.relative_to(src).as_posix().encode() + b"\0" + data + b"\0")
            if dst.exists() and dst.read_bytes() == data:
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_name(dst.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, dst)
    for name in ("expectations", "validation_definitions", "checkpoints"):
        for old in (gx_root / name).glob("*.json"):
            if old not in wanted:
                old.unlink()
    return digest.hexdigest()


_CONTEXTS: dict[tuple[Path, Path, str], Any] = {}


def _context(settings: Settings) -> Any:
    """This process's GE file context on ``settings.gx_root`` (a fresh copy of the committed project),
    its Data Docs site writing to ``settings.data_docs``; opened once per process and project state."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"  # before GE is first imported
    key = (settings.gx_root, settings.data_docs, sync_project(project_dir(), settings.gx_root))
    if key in _CONTEXTS:
        return _CONTEXTS[key]
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="file", project_root_dir=str(settings.gx_root.parent))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    sites = copy.deepcopy(ctx.variables.data_docs_sites or {})
    for site in sites.values():  # in memory only: the project file keeps its relative default
        site["store_backend"]["base_directory"] = str(settings.data_docs)
    ctx.variables.data_docs_sites = sites
    _CONTEXTS[key] = ctx
    return ctx


def _escape(value: Any) -> Any:
    """Every string inside ``value`` HTML-escaped (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escape(v) for v in value]
    return value


def _escape_stored(ctx: Any, keys: list) -> None:
    """Rewrite this run's stored results with escaped values, so the pages GE renders from them show
    data as text: GE's templates insert unexpected values into the page unescaped."""
    store_ = ctx.validation_results_store
    for key in keys:
        res = store_.get(key)
        for r in res.results:
            r.result = _escape(r.result or {})
            info = r.exception_info or {}
            if isinstance(info, dict) and info:
                r.exception_info = _escape(info)
        store_.set(key, res)


def run_checkpoint(ctx: Any, frames: dict[str, pd.DataFrame], parameters: dict[str, Any], run_id: Any
                   ) -> tuple[Any, dict]:
    """Run checkpoint ``envoy_day``: each validation definition on its own table's DataFrame, then the
    checkpoint's actions once. Returns (checkpoint, {result key: suite validation result})."""
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.checkpoint.checkpoint import CheckpointResult
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    checkpoint = ctx.checkpoints.get(CHECKPOINT)
    results: dict = {}
    for vd in checkpoint.validation_definitions:
        df = frames[vd.data.data_asset.name]
        res = vd.run(checkpoint_id=checkpoint.id, batch_parameters={"dataframe": df},
                     expectation_parameters=parameters, result_format=checkpoint.result_format, run_id=run_id)
        suite_id = ExpectationSuiteIdentifier(name=vd.suite.name)
        key = ValidationResultIdentifier(expectation_suite_identifier=suite_id, run_id=run_id,
                                         batch_identifier=res.batch_id)
        res.meta["checkpoint_id"] = checkpoint.id
        results[key] = res
    _escape_stored(ctx, list(results))
    suites = [ExpectationSuiteIdentifier(name=vd.suite.name) for vd in checkpoint.validation_definitions]
    outcome = CheckpointResult(run_id=run_id, run_results=results, checkpoint_config=checkpoint)
    for action in checkpoint.actions:
        if isinstance(action, UpdateDataDocsAction):  # one build for the day, not one per table
            ctx.build_data_docs(site_names=action.site_names or None,
                                resource_identifiers=list(results) + suites)
        else:
            action._data_context = ctx
            action.run(checkpoint_result=outcome)
    return checkpoint, results


def _page_for(docs: Path, suite: str, run_id: Any) -> Path | None:
    """The Data Docs page GE rendered for one suite in this run."""
    run_name, run_time = run_id.to_tuple()
    pages = sorted((docs / "validations" / suite / run_name / run_time).glob("*.html"))
    return pages[0] if pages else None


def _article_values(entry: dict) -> str:
    """``col=value`` for the checked columns of one failing row (its article_id left out)."""
    return " ".join(f"{k}={_short(v)}" for k, v in entry.items() if k != INDEX_COLUMN)


def _triage(res: Any, verdict: ValidationResult) -> list[str]:
    """Sort one suite's failures into batch failures and rejected articles; returns their descriptions."""
    described = []
    for r in res.results:
        if r.success:
            continue
        cfg = r.expectation_config
        name = cfg.meta.get("name", cfg.type)
        text = describe_failure(name, r)
        described.append(text)
        rows = (r.result or {}).get("unexpected_index_list") or []
        raised = (r.exception_info or {}).get("raised_exception")
        if cfg.meta.get("scope", "batch") != "article" or raised or not rows:
            verdict.batch_failed.append(text)
            continue
        for entry in rows:
            aid = entry.get(INDEX_COLUMN) if isinstance(entry, dict) else None
            if aid is None:
                verdict.batch_failed.append(text)
                break
            verdict.rejected.setdefault(str(aid), []).append(f"{name}: {_article_values(entry)}")
    return described


def _frames(settings: Settings, day: date, version: str | None
            ) -> tuple[list[dict], dict[str, pd.DataFrame]]:
    """The committed suites, and the day's tables with the derived columns the suites compare."""
    suites = [load_suite(name) for name in SUITES]
    frames = {
        name: frame(name, settings, day, list(spec["meta"]["envoy"].get("derived_columns", {})), version)
        for name, spec in zip(SUITES, suites, strict=True)
    }
    return suites, frames


def validate_day(settings: Settings, day: date, version: str | None = None) -> ValidationResult:
    """Run checkpoint ``envoy_day`` on the day's lake tables (the published version, or the staged
    ``version``) and update Data Docs; an empty day passes. Article-level failures reject articles
    (``rejected``), batch-level ones make ``success`` false."""
    settings = settings.with_overrides(  # GE resolves relative paths against its own root: be absolute
        reports=Path(settings.reports).resolve(), lake=Path(settings.lake).resolve()
    )
    suites, frames = _frames(settings, day, version)
    parameters = suite_parameters(suites)
    verdict = ValidationResult(success=True)
    entries: list[dict] = []
    settings.data_docs.mkdir(parents=True, exist_ok=True)
    settings.gx_root.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock

    # one validation at a time per GE root: its file stores and the manifest have one writer
    with FileLock(settings.gx_root / ".envoy.lock"), _quiet():
        from great_expectations.core.run_identifier import RunIdentifier

        ctx = _context(settings)
        run_id = RunIdentifier(run_name=day.isoformat(), run_time=datetime.now(UTC))
        _, results = run_checkpoint(ctx, frames, parameters, run_id)
        by_suite = {key.expectation_suite_identifier.name: res for key, res in results.items()}
        for table in SUITES:
            res = by_suite[f"envoy_{table}"]
            st = res.statistics
            verdict.statistics[table] = {
                "evaluated": int(st["evaluated_expectations"]),
                "successful": int(st["successful_expectations"]),
                "unsuccessful": int(st["unsuccessful_expectations"]),
                "rows": len(frames[table]),
            }
            blocking_before = len(verdict.batch_failed)
            mine = _triage(res, verdict)
            verdict.failed += mine
            entries.append(
                {"day": day.isoformat(), "suite": f"envoy_{table}", "success": not mine, "failed": mine,
                 "blocking": len(verdict.batch_failed) > blocking_before}
                | verdict.statistics[table]
            )
        docs = settings.data_docs
        pages = [docs / "index.html"] + [docs / "expectations" / f"envoy_{t}.html" for t in SUITES]
        for e in entries:
            page = _page_for(docs, e["suite"], run_id)
            pages += [page] if page else []
            e["page"] = page.relative_to(docs).as_posix() if page else None
            e["run_time"] = run_id.run_time.strftime("%Y-%m-%d %H:%M:%S")
        datadocs.make_offline(docs, pages)
        datadocs.write_summary(docs, entries)  # under the lock: the manifest has one writer
    index = settings.data_docs / "index.html"
    verdict.success = not verdict.batch_failed
    verdict.docs_index = index if index.exists() else None
    return verdict
