"""Great Expectations checks of one day's lake tables, before anything reaches the warehouse.

The suites are data (``schemas/expectations/<table>.json``: expectation type + kwargs), so the contract
is reviewed beside the Arrow schemas. Values that depend on the codebook, the actor registry or the
clock are placeholders (``{"$ref": "codebook.codes"}``) filled here at run time; consistency checks
compare a column with one derived from the codebook (``derived_columns``) using GE's column-pair
expectations. GE validates pandas DataFrames read from Parquet (its SQL datasource sees nothing in
DuckDB). A file context under ``settings.gx_root`` keeps the results, so the Data Docs site in
``settings.data_docs`` lists every validated day.

Each expectation has a ``scope``. An ``article`` expectation is about one article (a plausible
publication date, known actors in its events, evidence present): rows that break it name their
``article_id`` (GE's ``unexpected_index_list``), and those articles are *rejected*, moved with their
events to quarantine by :mod:`pipeline.audit` while the rest of the day loads. A ``batch``
expectation (unique keys, the quarantine vocabulary) is about the whole batch: its failure blocks
the load. Values shown in Data Docs are HTML-escaped before GE renders them (GE does not escape
unexpected values), so a crafted value in the data never runs as script in a reviewer's browser.
"""

from __future__ import annotations

import contextlib
import fcntl
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

from pipeline import store
from pipeline.config import Settings
from schemas import DATE_PRECISIONS, PLACE_PRECISIONS, PLACE_SOURCES, QUARANTINE_REASONS, contract_path

#: Suites run for a day, in this order; each names the lake table it checks.
SUITES = ("events", "articles", "quarantine")
SITE = "envoy_site"
DATASOURCE = "envoy_lake"


@dataclass
class ValidationResult:
    success: bool  # no batch-level expectation failed (rejected articles do not make it fail)
    failed: list[str] = field(default_factory=list)  # e.g. "events.cameo_code in codebook (3 rows: 999, ...)"
    statistics: dict = field(default_factory=dict)  # table -> evaluated/successful/unsuccessful/rows
    docs_index: Path | None = None  # Data Docs index.html
    batch_failed: list[str] = field(default_factory=list)  # the failures that block the load
    rejected: dict[str, list[str]] = field(default_factory=dict)  # article_id -> what it broke, its values


def load_suite(name: str) -> dict:
    """A suite's JSON spec as shipped in ``schemas/expectations/``."""
    return json.loads(contract_path("expectations", f"{name}.json").read_text(encoding="utf-8"))


def _today_plus_one() -> pd.Timestamp:
    return pd.Timestamp(datetime.now(UTC).date() + timedelta(days=1))


def _codebook_codes() -> list[str]:
    from pipeline.extract.codebook import codebook

    return sorted(codebook())


def _actor_codes() -> list[str]:
    from pipeline.extract.actors import valid_codes

    return sorted(valid_codes())


#: ``{"$ref": NAME}`` placeholders a suite may use.
REFS: dict[str, Callable[[], Any]] = {
    "codebook.codes": _codebook_codes,
    "actors.codes": _actor_codes,
    "schemas.date_precisions": lambda: list(DATE_PRECISIONS),
    "schemas.quarantine_reasons": lambda: list(QUARANTINE_REASONS),
    "schemas.place_precisions": lambda: list(PLACE_PRECISIONS),
    "schemas.place_sources": lambda: list(PLACE_SOURCES),
    "plover.events": lambda: sorted(_plover_vocabulary().events),
    "today+1": _today_plus_one,
}


def resolve(value: Any, cache: dict[str, Any] | None = None) -> Any:
    """Fill ``{"$ref": NAME}`` and ``{"$date": "YYYY-MM-DD"}`` placeholders, recursively."""
    cache = {} if cache is None else cache
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            name = value["$ref"]
            if name not in REFS:
                raise KeyError(f"unknown placeholder {name!r} (known: {', '.join(sorted(REFS))})")
            if name not in cache:
                cache[name] = REFS[name]()
            return cache[name]
        if set(value) == {"$date"}:
            return pd.Timestamp(date.fromisoformat(value["$date"]))
        return {k: resolve(v, cache) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, cache) for v in value]
    return value


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
def _gx_lock(settings: Settings) -> Iterator[None]:
    """One validation at a time per GE project: its file stores are not safe for concurrent writers."""
    settings.gx_root.mkdir(parents=True, exist_ok=True)
    with open(settings.gx_root / ".envoy.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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


def _context(settings: Settings) -> Any:
    """The project's GE file context, with a Data Docs site writing to ``settings.data_docs``."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="file", project_root_dir=str(settings.gx_root.parent))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(settings.data_docs),
        },
    }
    sites = ctx.get_config().data_docs_sites or {}
    if SITE not in sites:
        ctx.add_data_docs_site(SITE, site)
    elif sites[SITE] != site:
        ctx.update_data_docs_site(SITE, site)
    return ctx


def _run_suite(ctx: Any, spec: dict, df: pd.DataFrame, run_id: Any) -> Any:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    cache: dict[str, Any] = {}
    expectations = [
        ExpectationConfiguration(
            type=e["type"], kwargs=resolve(e["kwargs"], cache), meta={"name": e["name"]}
        ).to_domain_obj()
        for e in spec["expectations"]
    ]
    suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=spec["suite"], expectations=expectations))
    try:
        ds = ctx.data_sources.get(DATASOURCE)
    except (KeyError, ValueError, LookupError):
        ds = ctx.data_sources.add_pandas(DATASOURCE)
    names = {a.name for a in ds.assets}
    asset = ds.get_asset(spec["table"]) if spec["table"] in names else ds.add_dataframe_asset(spec["table"])
    bd_name = f"{spec['table']}_day"
    if bd_name in {b.name for b in asset.batch_definitions}:
        batch = asset.get_batch_definition(bd_name)
    else:
        batch = asset.add_batch_definition_whole_dataframe(bd_name)
    vd = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{spec['suite']}_day", data=batch, suite=suite)
    )
    fmt: dict[str, Any] = {"result_format": "SUMMARY"}  # counts and a sample of unexpected values
    if INDEX_COLUMN in df.columns:  # every failing row names its article, so the article can be rejected
        fmt = {"result_format": "COMPLETE", "unexpected_index_column_names": [INDEX_COLUMN]}
    return vd.run(batch_parameters={"dataframe": df}, result_format=fmt, run_id=run_id)


INDEX_COLUMN = "article_id"


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


def _build_docs(ctx: Any, run_id: Any, suites: list[str]) -> None:
    """Render only this run's pages and the index: re-rendering all stored results grows with history."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    mine = [
        k
        for k in ctx.validation_results_store.list_keys()
        if k.run_id.run_name == run_id.run_name and k.run_id.run_time == run_id.run_time
    ]
    _escape_stored(ctx, mine)
    ctx.build_data_docs(
        site_names=[SITE], resource_identifiers=mine + [ExpectationSuiteIdentifier(name=n) for n in suites]
    )


MANIFEST = "envoy_validations.json"
_MARK_START, _MARK_END = "<!-- envoy:summary -->", "<!-- /envoy:summary -->"


def _page_for(docs: Path, suite: str, run_id: Any) -> str | None:
    """The Data Docs page GE rendered for one suite in this run, relative to the docs folder."""
    run_name, run_time = run_id.to_tuple()
    pages = sorted((docs / "validations" / suite / run_name / run_time).glob("*.html"))
    return pages[0].relative_to(docs).as_posix() if pages else None


def _write_summary(docs: Path, entries: list[dict], keep: int = 500) -> None:
    """Record this run in a small manifest and put a plain-HTML table of runs at the top of the index.

    GE's index lists results with JavaScript loaded from CDNs; this table also shows where there is no
    network (air-gapped hosts, CI screenshots).
    """
    manifest = docs / MANIFEST
    try:
        history = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        history = []
    history = (entries + history)[:keep]  # newest first
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(history, indent=1), encoding="utf-8")
    os.replace(tmp, manifest)
    index = docs / "index.html"
    if not index.exists():
        return
    rows = []
    for e in history[:200]:
        status, color = "passed", "#1a7f37"
        if not e["success"] and e.get("blocking", True):
            status, color = f"FAILED ({e['unsuccessful']} of {e['evaluated']})", "#cf222e"
        elif not e["success"]:  # only article-level failures: those articles went to quarantine
            status, color = f"articles quarantined ({e['unsuccessful']} of {e['evaluated']})", "#9a6700"
        suite = html.escape(e["suite"])
        link = f'<a href="{html.escape(e["page"])}">{suite}</a>' if e.get("page") else suite
        failed = html.escape("; ".join(e.get("failed", []))[:300])
        rows.append(
            f'<tr><td style="white-space:nowrap">{html.escape(e["day"])}</td>'
            f'<td>{link}</td><td>{e["rows"]}</td>'
            f'<td style="color:{color}">{status}</td><td>{failed}</td>'
            f'<td style="white-space:nowrap">{html.escape(str(e["run_time"]))}</td></tr>'
        )
    block = (
        f'{_MARK_START}<section style="font-family:sans-serif;margin:1em">'
        "<h2>envoy validation runs</h2>"
        '<table border="1" cellpadding="4" style="border-collapse:collapse">'
        "<tr><th>day</th><th>suite</th><th>rows</th><th>result</th><th>failed expectations</th>"
        f"<th>run time (UTC)</th></tr>{''.join(rows)}</table></section>{_MARK_END}"
    )
    text = index.read_text(encoding="utf-8")
    if _MARK_START in text:
        head, rest = text.split(_MARK_START, 1)
        text = head + rest.split(_MARK_END, 1)[-1]
    text = text.replace("<body>", "<body>\n" + block, 1)
    index.write_text(text, encoding="utf-8")


def _article_values(entry: dict) -> str:
    """``col=value`` for the checked columns of one failing row (its article_id left out)."""
    return " ".join(f"{k}={_short(v)}" for k, v in entry.items() if k != INDEX_COLUMN)


def _triage(spec: dict, res: Any, verdict: ValidationResult) -> list[str]:
    """Sort one suite's failures into batch failures and rejected articles; returns their descriptions."""
    scopes = {e["name"]: e.get("scope", "batch") for e in spec["expectations"]}
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
        if scopes.get(name) != "article" or raised or not rows:
            verdict.batch_failed.append(text)
            continue
        for entry in rows:
            aid = entry.get(INDEX_COLUMN) if isinstance(entry, dict) else None
            if aid is None:
                verdict.batch_failed.append(text)
                break
            verdict.rejected.setdefault(str(aid), []).append(f"{name}: {_article_values(entry)}")
    return described


def validate_day(settings: Settings, day: date, version: str | None = None) -> ValidationResult:
    """Run every suite on the day's lake tables (the published version, or the staged ``version``) and
    rebuild Data Docs; an empty day passes. Article-level failures reject articles (``rejected``),
    batch-level ones make ``success`` false."""
    settings = settings.with_overrides(  # GE resolves relative paths against its own root: be absolute
        reports=Path(settings.reports).resolve(), lake=Path(settings.lake).resolve()
    )
    specs = [load_suite(name) for name in SUITES]
    frames = {
        spec["suite"]: frame(spec["table"], settings, day, list(spec["derived_columns"]), version)
        for spec in specs
    }
    verdict = ValidationResult(success=True)
    entries: list[dict] = []
    settings.data_docs.mkdir(parents=True, exist_ok=True)
    os.environ["GX_ANALYTICS_ENABLED"] = "False"  # before GE is first imported
    with _gx_lock(settings), _quiet():
        from great_expectations.core.run_identifier import RunIdentifier

        ctx = _context(settings)
        run_id = RunIdentifier(run_name=day.isoformat(), run_time=datetime.now(UTC))
        for spec in specs:
            res = _run_suite(ctx, spec, frames[spec["suite"]], run_id)
            st = res.statistics
            verdict.statistics[spec["table"]] = {
                "evaluated": int(st["evaluated_expectations"]),
                "successful": int(st["successful_expectations"]),
                "unsuccessful": int(st["unsuccessful_expectations"]),
                "rows": len(frames[spec["suite"]]),
            }
            blocking_before = len(verdict.batch_failed)
            mine = _triage(spec, res, verdict)
            verdict.failed += mine
            entries.append(
                {"day": day.isoformat(), "suite": spec["suite"], "success": not mine, "failed": mine,
                 "blocking": len(verdict.batch_failed) > blocking_before}
                | verdict.statistics[spec["table"]]
            )
        _build_docs(ctx, run_id, [s["suite"] for s in specs])
        for e in entries:
            e["page"] = _page_for(settings.data_docs, e["suite"], run_id)
            e["run_time"] = run_id.run_time.strftime("%Y-%m-%d %H:%M:%S")
        _write_summary(settings.data_docs, entries)  # under the lock: the manifest has one writer
    index = settings.data_docs / "index.html"
    verdict.success = not verdict.batch_failed
    verdict.docs_index = index if index.exists() else None
    return verdict
