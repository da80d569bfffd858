"""The HTML relations report: one page per day and an index of the days with data (offline, safe with
hostile text).

Why the charts follow the events' own dates: articles can report on any period (a 1987-2006 archive
ingested today), so a window ending on the ingest day would show something else than the page counts.
Each page embeds the warehouse's deduplicated events aggregated per day and dyad, and a small script
draws the charts for a range the reader picks; it opens on the dates of the day's own events.

Why plotly.js is a file beside the pages: it is 4.8 MB, so one copy (named for its version) serves
every page, referenced relatively, so the folder still opens offline, from disk or a mail archive.
Why so much escaping: evidence sentences, titles, URLs and even actor codes come from scraped
articles, so everything from the data goes through Jinja2 autoescape, the embedded JSON cannot close
its script element, chart labels are HTML-escaped by the script, and only http(s) URLs become links.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pipeline.config import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
TOP_PAIRS = 12
TOP_TIMELINES = 5
MATRIX_ACTORS = 15
MAX_EVENT_ROWS = 500
MAX_MAP_PLACES = 2_000
#: Chart rows (date x directed dyad) embedded per page; beyond it, dates are coarsened to months, then years.
MAX_CHART_ROWS = 50_000
CHART_RESOLUTIONS = ("day", "month", "year")
QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass
class ReportData:
    """Everything the template shows; empty lists when the warehouse has nothing yet."""

    day: date | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    totals: dict[str, Any] = field(default_factory=dict)
    day_counts: dict[str, Any] = field(default_factory=dict)
    chart: dict[str, Any] | None = None  # the embedded chart data (see _chart_data)
    run: dict | None = None
    recent_runs: list[dict] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    places: dict[str, Any] | None = None  # the day's events by place, for the map (see _places)
    warehouse_missing: bool = False


# ---------------------------------------------------------------- data


def _dicts(con, sql: str, params: list | dict | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _latest_day(con) -> date | None:
    row = con.execute(
        "SELECT greatest((SELECT max(ingest_date) FROM events), (SELECT max(day) FROM runs))"
    ).fetchall()[0][0]
    return row


def collect(settings: Settings, day: date | None = None) -> ReportData:
    """Read the report's numbers in one short read-only connection."""
    from pipeline import analytics

    data = ReportData(day=day)
    if not analytics.warehouse_exists(settings):
        data.warehouse_missing = True
        return data
    with analytics.warehouse_connection(settings) as con:
        data.day = day or _latest_day(con)
        data.totals = _dicts(
            con,
            "SELECT (SELECT count(*) FROM events) AS reports, (SELECT count(*) FROM events_dedup) AS events, "
            "(SELECT count(*) FROM articles) AS articles, "
            "(SELECT count(DISTINCT ingest_date) FROM events) AS days",
        )[0]
        if data.day is None:
            return data
        d = data.day
        data.day_counts = _dicts(
            con,
            "SELECT (SELECT count(*) FROM events WHERE ingest_date = $d) AS events, "
            "(SELECT count(*) FROM articles WHERE ingest_date = $d) AS articles, "
            "(SELECT count(DISTINCT (source_actor, target_actor)) FROM events WHERE ingest_date = $d) "
            "AS dyads, "
            "(SELECT count(*) FROM quarantine WHERE ingest_date = $d) AS quarantined, "
            "(SELECT min(event_date) FROM events WHERE ingest_date = $d) AS first_event, "
            "(SELECT max(event_date) FROM events WHERE ingest_date = $d) AS last_event",
            {"d": d},
        )[0]
        _quality(con, data, d)
        _events(con, data, d)
        data.places = _places(con, d)
        data.chart = _chart_data(con, data)
    return data


def _quality(con, data: ReportData, d: date) -> None:
    runs = _dicts(con, "SELECT * FROM runs WHERE day = ? ORDER BY started_at DESC", [d])
    data.run = runs[0] if runs else None
    if data.run:
        for key in ("failed_expectations", "timings"):
            raw = data.run.get(key)
            try:
                data.run[key] = json.loads(raw) if isinstance(raw, str) and raw else raw
            except ValueError:
                pass  # shown as stored
    data.recent_runs = _dicts(
        con,
        "SELECT day, status, trigger, files, articles, events, quarantined, duplicates, validation_success, "
        "started_at FROM runs ORDER BY started_at DESC LIMIT 8",
    )
    data.quarantine = _dicts(
        con,
        "SELECT reason, count(*) AS files, min(file) AS example FROM quarantine WHERE ingest_date = ? "
        "GROUP BY reason ORDER BY files DESC, reason",
        [d],
    )


def _events(con, data: ReportData, d: date) -> None:
    from pipeline.extract.codebook import codebook

    labels = {c.code: c.label for c in codebook().values()}
    rows = _dicts(
        con,
        "SELECT e.event_date, e.source_actor, e.source_name, e.target_actor, e.target_name, e.cameo_code, "
        "e.quad_class, e.goldstein, e.confidence, e.trigger, e.evidence, e.article_id, a.title, a.url, "
        "e.place_name, e.place_country, e.place_precision "
        "FROM events e LEFT JOIN articles a USING (article_id) WHERE e.ingest_date = ? "
        "ORDER BY e.source_actor, e.target_actor, e.event_date, e.article_id, e.sentence_index LIMIT ?",
        [d, MAX_EVENT_ROWS],
    )
    for r in rows:
        r["label"] = labels.get(r["cameo_code"], "")
        r["quad_label"] = QUAD_LABELS.get(r["quad_class"], "")
        r["evidence_html"] = highlight(r["evidence"], r["trigger"])
        r["href"] = safe_href(r["url"])
    data.events = rows


_PLACES_SQL = """
SELECT place_name AS name, place_country AS country, place_adm1 AS adm1, place_precision AS precision,
       place_latitude AS lat, place_longitude AS lon, count(*) AS n,
       avg(goldstein) AS goldstein,
       list(DISTINCT source_actor || ' → ' || target_actor ORDER BY source_actor || ' → ' || target_actor)[:5]
           AS dyads
FROM events
WHERE ingest_date = $d AND place_latitude IS NOT NULL AND place_longitude IS NOT NULL
GROUP BY ALL
ORDER BY n DESC, name
LIMIT $limit
"""


def _places(con, d: date) -> dict[str, Any] | None:
    """The day's event reports by place (markers) and by the place's country (shading), for the map;
    None when none of the day's events has a place with coordinates."""
    points = [dict(zip(("name", "country", "adm1", "precision", "lat", "lon", "n", "goldstein", "dyads"), r,
                       strict=True))
              for r in con.execute(_PLACES_SQL, {"d": d, "limit": MAX_MAP_PLACES}).fetchall()]  # fmt: skip
    if not points:
        return None
    countries = con.execute(
        "SELECT place_country, count(*) FROM events WHERE ingest_date = ? AND place_country IS NOT NULL "
        "GROUP BY ALL ORDER BY 2 DESC, 1",
        [d],
    ).fetchall()
    located, total = con.execute(
        "SELECT count(*) FILTER (WHERE place_name IS NOT NULL), count(*) FROM events WHERE ingest_date = ?",
        [d],
    ).fetchall()[0]
    return {
        "points": points,
        "countries": [[c, n] for c, n in countries],
        "located": located,
        "total": total,
        "template": _plotly_template(),
    }


_CHART_SQL = """
SELECT strftime(CAST(date_trunc($res, event_date) AS DATE), '%Y-%m-%d') AS d, source_actor, target_actor,
       count(*) AS n,
       count(*) FILTER (WHERE quad_class IN (1, 2)) AS coop,
       count(*) FILTER (WHERE quad_class IN (3, 4)) AS conf,
       sum(goldstein) AS gsum,
       count(goldstein) AS gn
FROM events_dedup
WHERE source_actor <> target_actor AND event_date IS NOT NULL
GROUP BY ALL
ORDER BY d, source_actor, target_actor
"""


def _chart_data(con, data: ReportData) -> dict[str, Any] | None:
    """Deduplicated relation events per (date, source, target), the whole warehouse, for the charts.

    The script filters them to the chosen range and aggregates bars, timelines and the matrix. The
    page opens on the event dates of the day's own events (or on all data when the day has none).
    """
    (n_days,) = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT event_date, source_actor, target_actor FROM events_dedup "
        "WHERE source_actor <> target_actor AND event_date IS NOT NULL)"
    ).fetchall()[0]
    if not n_days:
        return None
    resolution = "day"
    for res in CHART_RESOLUTIONS:
        resolution = res
        rows = [list(r) for r in con.execute(_CHART_SQL, {"res": res}).fetchall()]
        if len(rows) <= MAX_CHART_ROWS:
            break
    first, last = con.execute(
        "SELECT min(event_date), max(event_date) FROM events_dedup WHERE source_actor <> target_actor"
    ).fetchall()[0]
    presets = {"all": [first.isoformat(), last.isoformat()]}
    dc = data.day_counts
    if dc.get("first_event") is not None:
        presets["day"] = [dc["first_event"].isoformat(), dc["last_event"].isoformat()]
    return {
        "rows": rows,
        "resolution": resolution,
        "presets": presets,
        "initial": "day" if "day" in presets else "all",
        "top_pairs": TOP_PAIRS,
        "top_timelines": TOP_TIMELINES,
        "matrix_actors": MATRIX_ACTORS,
        "template": _plotly_template(),
    }


def _plotly_template() -> dict[str, Any]:
    """plotly.py's ``plotly_white`` look, for plotly.js (which has no named templates)."""
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()


def chart_json(chart: dict[str, Any]) -> str:
    """The chart data as JSON that is safe inside a <script> element (no "</script>", no "<!--")."""
    text = json.dumps(chart, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def indexed_days(settings: Settings) -> list[dict[str, Any]]:
    """Every day of the warehouse with events or a run, newest first, with what it holds."""
    from pipeline import analytics

    if not analytics.warehouse_exists(settings):
        return []
    with analytics.warehouse_connection(settings) as con:
        return _dicts(
            con,
            "WITH ev AS (SELECT ingest_date AS day, count(*) AS events, "
            "count(DISTINCT article_id) AS articles, min(event_date) AS first_event, "
            "max(event_date) AS last_event FROM events GROUP BY ALL), "
            "r AS (SELECT day, arg_max(status, started_at) AS status, "
            "arg_max(validation_success, started_at) AS validation_success FROM runs GROUP BY ALL) "
            "SELECT day, coalesce(ev.events, 0) AS events, ev.articles, ev.first_event, ev.last_event, "
            "r.status, r.validation_success FROM ev FULL JOIN r USING (day) ORDER BY day DESC",
        )


# ---------------------------------------------------------------- safe HTML helpers


def highlight(evidence: str | None, trigger: str | None):
    """Evidence sentence, escaped, with the first occurrence of the trigger wrapped in <mark>."""
    from markupsafe import Markup, escape

    text = evidence or ""
    if trigger:
        m = re.search(re.escape(trigger), text, flags=re.IGNORECASE)
        if m:
            return (
                escape(text[: m.start()])
                + Markup("<mark>")
                + escape(m.group(0))
                + Markup("</mark>")
                + escape(text[m.end() :])
            )
    return escape(text)


def safe_href(url: str | None) -> str | None:
    """Only http(s) URLs become links (no javascript:, data:, file:)."""
    if url and re.match(r"^https?://", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None


# ---------------------------------------------------------------- page


def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def plotly_js_name() -> str:
    """The file name of the shared plotly.js copy: versioned, so an upgrade never breaks an old page."""
    from plotly.offline.offline import get_plotlyjs_version

    return f"plotly-{get_plotlyjs_version()}.min.js"


def render(data: ReportData, settings: Settings) -> str:
    """The page's HTML (autoescaped template; the chart data and script are trusted markup)."""
    from markupsafe import Markup

    docs_index = settings.data_docs / "index.html"
    map_json = Markup(chart_json(data.places)) if data.places else None
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            d=data,
            chart_json=Markup(chart_json(data.chart)) if data.chart else None,
            chart_script=Markup((TEMPLATES / "report.js").read_text(encoding="utf-8")),
            map_json=map_json,
            map_script=Markup((TEMPLATES / "map.js").read_text(encoding="utf-8")),
            geo_src=geo_js_name(),
            plotly_src=plotly_js_name(),
            data_docs_href=os.path.relpath(docs_index, settings.relations_reports),
            data_docs_exists=docs_index.exists(),
            quad_labels=QUAD_LABELS,
            max_event_rows=MAX_EVENT_ROWS,
        )
    )


def render_index(days: list[dict[str, Any]], out_dir: Path, warehouse_missing: bool) -> str:
    """index.html: the days that have data (linked to their pages), then the days that have none."""
    rows = [{**d, "page": f"relations-{d['day'].isoformat()}.html"} for d in days]
    for d in rows:
        d["exists"] = (out_dir / d["page"]).exists()
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            days=[d for d in rows if d["events"]],
            empty_days=[d for d in rows if not d["events"]],
            warehouse_missing=warehouse_missing,
            generated_at=datetime.now(UTC),
        )
    )


def _num(value: Any, digits: int = 2, sign: bool = False) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, float):
        return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def build_report(settings: Settings, day: date | None = None) -> Path:
    """Write ``relations-YYYY-MM-DD.html`` for ``day`` (default: the latest day loaded or run), the
    shared plotly.js beside it, and ``index.html`` listing every day with data; returns the page.

    With no warehouse or no day yet, writes only ``index.html`` saying so, and returns it.
    """
    data = collect(settings, day)
    out_dir = settings.relations_reports
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    path = index
    if data.day is not None:
        path = out_dir / f"relations-{data.day.isoformat()}.html"
        if data.chart or data.places:
            write_plotly_js(out_dir)
        if data.places:
            write_geo_js(out_dir)
        _write(path, render(data, settings))
    _write(index, render_index(indexed_days(settings), out_dir, data.warehouse_missing))
    return path


def write_plotly_js(out_dir: Path) -> Path:
    """Copy plotly.js beside the pages once (a no-op when this version is already there)."""
    target = out_dir / plotly_js_name()
    if not target.exists():
        import plotly

        source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    return target


GEO_TOPOJSON = TEMPLATES / "geo" / "world_110m.json"


def geo_js_name() -> str:
    """The shared base map's file name, named for its content (a new map never breaks an old page)."""
    import hashlib

    return f"envoy-world-110m-{hashlib.sha256(GEO_TOPOJSON.read_bytes()).hexdigest()[:10]}.js"


def write_geo_js(out_dir: Path) -> Path:
    """The base map beside the pages, once, as a script that hands plotly.js its TopoJSON: plotly.js
    would fetch it from its CDN, and a page opened from disk may not fetch files, but may load scripts."""
    target = out_dir / geo_js_name()
    if not target.exists():
        topo = GEO_TOPOJSON.read_text(encoding="utf-8")
        text = (
            "(function (a) { a.topojson = a.topojson || {}; a.topojson.world_110m = " + topo + "; })"
            "(window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});\n"
        )
        _write(target, text)
    return target


def _write(path: Path, text: str) -> None:
    """Atomic: a browser or the web server never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def day_of(path: Path) -> date | None:
    """The day a report file shows (None for the index)."""
    m = re.match(r"relations-(\d{4}-\d{2}-\d{2})\.html$", path.name)
    return date.fromisoformat(m[1]) if m else None
