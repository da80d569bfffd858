"""The HTML relations report: one self-contained page per day (works offline, safe with hostile text).

Why self-contained: it is opened from disk, mailed, archived; so plotly.js is inlined once and there
is no other script or stylesheet. Why so much escaping: evidence sentences, titles and URLs come from
scraped articles, so everything from the data goes through Jinja2 autoescape (and ``html.escape`` for
chart labels) and only http(s) URLs become links.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.config import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
WINDOW_DAYS = 90  # charts cover the 90 days of events up to the report's day
TOP_PAIRS = 12
TOP_TIMELINES = 5
MATRIX_ACTORS = 15
MAX_EVENT_ROWS = 500
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
    window: tuple[date, date] | None = None
    totals: dict[str, Any] = field(default_factory=dict)
    day_counts: dict[str, Any] = field(default_factory=dict)
    top_pairs: list[dict] = field(default_factory=list)
    timelines: dict[str, list[dict]] = field(default_factory=dict)
    timeline_grain: str = "day"
    matrix: list[dict] = field(default_factory=list)
    run: dict | None = None
    recent_runs: list[dict] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    warehouse_missing: bool = False


# ---------------------------------------------------------------- data


def _dicts(con, sql: str, params: list | None = None) -> list[dict]:
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
            "(SELECT count(*) FROM quarantine WHERE ingest_date = $d) AS quarantined",
            {"d": d},
        )[0]
        _quality(con, data, d)
        _events(con, data, d)
        _charts(con, data, d)
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
        "e.quad_class, e.goldstein, e.confidence, e.trigger, e.evidence, e.article_id, a.title, a.url "
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


def _charts(con, data: ReportData, d: date) -> None:
    end = con.execute("SELECT max(event_date) FROM events WHERE ingest_date <= ?", [d]).fetchall()[0][0]
    if end is None:
        return
    start = end - timedelta(days=WINDOW_DAYS - 1)
    data.window = (start, end)
    w = {"s": start, "e": end}
    data.top_pairs = _dicts(
        con,
        "SELECT actor_a, actor_b, count(*) AS events, "
        "count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation, "
        "count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict, avg(goldstein) AS balance "
        "FROM pair_events WHERE event_date BETWEEN $s AND $e GROUP BY ALL "
        f"ORDER BY events DESC, actor_a, actor_b LIMIT {TOP_PAIRS}",
        w,
    )
    n_days = con.execute(
        "SELECT count(DISTINCT event_date) FROM events_dedup WHERE event_date BETWEEN $s AND $e", w
    ).fetchall()[0][0]
    data.timeline_grain = "day" if n_days <= 31 else "week"
    for p in data.top_pairs[:TOP_TIMELINES]:
        data.timelines[f"{p['actor_a']} \u2013 {p['actor_b']}"] = _dicts(
            con,
            "SELECT period_start, events, balance "
            "FROM relations_timeline(?, ?, grain := ?, since := ?, until := ?)",
            [p["actor_a"], p["actor_b"], data.timeline_grain, start, end],
        )
    data.matrix = _dicts(
        con,
        "WITH w AS (SELECT * FROM events_dedup "
        "WHERE event_date BETWEEN $s AND $e AND source_actor <> target_actor), "
        "act AS (SELECT actor, count(*) AS n FROM (SELECT source_actor AS actor FROM w UNION ALL "
        "SELECT target_actor FROM w) GROUP BY actor ORDER BY n DESC, actor LIMIT "
        f"{MATRIX_ACTORS}) "
        "SELECT source_actor, target_actor, count(*) AS events, avg(goldstein) AS goldstein FROM w "
        "WHERE source_actor IN (SELECT actor FROM act) AND target_actor IN (SELECT actor FROM act) "
        "GROUP BY ALL",
        w,
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


def _label(text: Any) -> str:
    """Chart text: plotly renders a subset of HTML in labels, so data never reaches it unescaped."""
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------- charts


def _figures(data: ReportData) -> dict[str, str]:
    """Plotly figures as HTML divs (no plotly.js: the page inlines it once)."""
    if not data.top_pairs:
        return {}
    import plotly.graph_objects as go
    import plotly.io as pio

    layout = dict(
        template="plotly_white",
        margin=dict(l=10, r=10, t=40, b=10),
        font=dict(family="-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif", size=12),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
    )

    def div(fig, div_id: str) -> str:
        return pio.to_html(
            fig,
            include_plotlyjs=False,
            full_html=False,
            div_id=div_id,
            config={"displaylogo": False, "responsive": True, "displayModeBar": False},
        )

    pairs = list(reversed(data.top_pairs))
    names = [_label(f"{p['actor_a']} \u2013 {p['actor_b']}") for p in pairs]
    other = [p["events"] - p["cooperation"] - p["conflict"] for p in pairs]
    bars = go.Figure()
    bars.add_bar(
        y=names,
        x=[p["cooperation"] for p in pairs],
        orientation="h",
        name="cooperation (Q1-2)",
        marker_color="#2b8a3e",
    )
    bars.add_bar(
        y=names,
        x=[p["conflict"] for p in pairs],
        orientation="h",
        name="conflict (Q3-4)",
        marker_color="#c92a2a",
    )
    if any(other):
        bars.add_bar(y=names, x=other, orientation="h", name="other", marker_color="#adb5bd")
    bars.update_traces(hovertemplate="%{y}: %{x} %{fullData.name}<extra></extra>")
    bars.update_layout(
        barmode="stack", height=max(260, 28 * len(pairs) + 80), xaxis_title="deduplicated events", **layout
    )

    lines = go.Figure()
    for name, rows in data.timelines.items():
        lines.add_scatter(
            x=[r["period_start"] for r in rows],
            y=[r["balance"] for r in rows],
            mode="lines+markers",
            name=_label(name),
            customdata=[r["events"] for r in rows],
            hovertemplate=(
                "%{x|%Y-%m-%d}: balance %{y:+.2f} (%{customdata} events)<extra>%{fullData.name}</extra>"
            ),
        )
    # symmetric around 0 so the sign reads at a glance; zoomed in when balances are small
    peak = max(
        (abs(r["balance"]) for rows in data.timelines.values() for r in rows if r["balance"] is not None),
        default=10.0,
    )
    span = min(10.5, max(2.0, peak * 1.15))
    lines.add_hline(y=0, line_color="#868e96", line_width=1)
    lines.update_layout(
        height=360, yaxis_title="mean Goldstein (both directions)", yaxis_range=[-span, span], **layout
    )

    actors = sorted({m["source_actor"] for m in data.matrix} | {m["target_actor"] for m in data.matrix})
    idx = {a: i for i, a in enumerate(actors)}
    z: list[list[float | None]] = [[None] * len(actors) for _ in actors]
    counts: list[list[int]] = [[0] * len(actors) for _ in actors]
    for m in data.matrix:
        z[idx[m["source_actor"]]][idx[m["target_actor"]]] = round(m["goldstein"], 2)
        counts[idx[m["source_actor"]]][idx[m["target_actor"]]] = m["events"]
    labels = [_label(a) for a in actors]
    heat = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=labels,
            customdata=counts,
            colorscale="RdBu",
            zmid=0,
            zmin=-10,
            zmax=10,
            colorbar=dict(title="mean<br>Goldstein"),
            xgap=1,
            ygap=1,
            hovertemplate="%{y} \u2192 %{x}: %{z:+.2f} (%{customdata} events)<extra></extra>",
        )
    )
    heat.update_layout(
        height=max(320, 34 * len(actors) + 120),
        xaxis=dict(title="target", side="bottom"),
        yaxis=dict(title="source", autorange="reversed"),
        **{**layout, "legend": {}},
    )
    return {
        "bars": div(bars, "chart-dyads"),
        "lines": div(lines, "chart-timelines"),
        "heat": div(heat, "chart-matrix"),
    }


# ---------------------------------------------------------------- page


def render(data: ReportData, settings: Settings) -> str:
    """The page's HTML (autoescaped template; chart divs and plotly.js are trusted markup)."""
    import jinja2
    from markupsafe import Markup
    from plotly.offline import get_plotlyjs

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    figures = _figures(data)
    docs_index = settings.data_docs / "index.html"
    return env.get_template("report.html.j2").render(
        d=data,
        charts={k: Markup(v) for k, v in figures.items()},
        plotly_js=Markup(get_plotlyjs()) if figures else None,
        data_docs_href=os.path.relpath(docs_index, settings.relations_reports),
        data_docs_exists=docs_index.exists(),
        quad_labels=QUAD_LABELS,
        window_days=WINDOW_DAYS,
        max_event_rows=MAX_EVENT_ROWS,
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
    """Write ``relations-YYYY-MM-DD.html`` and ``index.html`` (latest) under settings.relations_reports.

    With no warehouse or no loaded day yet, writes only ``index.html`` saying so, and returns it.
    """
    data = collect(settings, day)
    out_dir = settings.relations_reports
    out_dir.mkdir(parents=True, exist_ok=True)
    page = render(data, settings)
    index = out_dir / "index.html"
    if data.day is None:
        _write(index, page)
        return index
    path = out_dir / f"relations-{data.day.isoformat()}.html"
    _write(path, page)
    if _is_latest(out_dir, data.day):
        _write(index, page)
    return path


def _is_latest(out_dir: Path, day: date) -> bool:
    """index.html shows the newest day: rebuilding an old day's page leaves it alone."""
    days = [
        m[1]
        for p in out_dir.glob("relations-*.html")
        if (m := re.match(r"relations-(\d{4}-\d{2}-\d{2})", p.name))
    ]
    return day.isoformat() >= max(days, default="")


def _write(path: Path, text: str) -> None:
    """Atomic: a browser or the web server never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def day_of(path: Path) -> date | None:
    """The day a report file shows (None for the no-data index)."""
    m = re.match(r"relations-(\d{4}-\d{2}-\d{2})\.html$", path.name)
    return date.fromisoformat(m[1]) if m else None
