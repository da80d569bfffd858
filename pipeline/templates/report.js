// envoy relations report: draws the three charts for the chosen range of event dates.
// The data (#chart-data) are deduplicated relation events per (date, source, target), with dates
// truncated to the page's resolution (day, or month/year for very large warehouses). Everything from
// the data that reaches a chart label is HTML-escaped: plotly renders a subset of HTML in labels.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("chart-data").textContent);
  var DAY = 86400000;
  var RANK = { day: 0, week: 1, month: 2, year: 3 };
  var FONT = { family: "-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif", size: 12 };
  var CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };
  // ColorBrewer RdBu as plotly.py spells it: red hostile (-10) .. blue cooperative (+10); plotly.js's
  // own "RdBu" runs the other way
  var HOSTILE_TO_FRIENDLY = ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0",
                             "#92c5de", "#4393c3", "#2166ac", "#053061"].map(function (c, i) { return [i / 10, c]; });
  // row fields: 0 date, 1 source, 2 target, 3 events, 4 cooperation, 5 conflict, 6 goldstein sum, 7 goldstein n
  var ROWS = DATA.rows;
  var ALL = DATA.presets.all;

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function ms(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)); }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }
  function spanDays(a, b) { return Math.round((ms(b) - ms(a)) / DAY) + 1; }

  // the first day of the period holding `day`, at a grain (weeks are ISO: Monday)
  function periodStart(day, grain) {
    if (grain === "year") return day.slice(0, 4) + "-01-01";
    if (grain === "month") return day.slice(0, 7) + "-01";
    if (grain === "week") {
      var t = ms(day), weekday = (new Date(t).getUTCDay() + 6) % 7;
      return iso(t - weekday * DAY);
    }
    return day;
  }
  function grainFor(from, to) {
    var n = spanDays(from, to), grain = n <= 62 ? "day" : n <= 731 ? "week" : n <= 5479 ? "month" : "year";
    return RANK[grain] < RANK[DATA.resolution] ? DATA.resolution : grain;
  }
  function inRange(row, from, to) {
    return row[0] >= periodStart(from, DATA.resolution) && row[0] <= to;
  }

  function aggregate(from, to) {
    var pairs = {}, cells = {}, actors = {}, total = 0, grain = grainFor(from, to), series = {};
    ROWS.forEach(function (r) {
      if (!inRange(r, from, to)) return;
      total += r[3];
      var a = r[1] < r[2] ? r[1] : r[2], b = r[1] < r[2] ? r[2] : r[1], key = a + "\u0000" + b;
      var p = pairs[key] || (pairs[key] = { a: a, b: b, n: 0, coop: 0, conf: 0, gsum: 0, gn: 0 });
      p.n += r[3]; p.coop += r[4]; p.conf += r[5]; p.gsum += r[6] || 0; p.gn += r[7];
      var c = cells[r[1] + "\u0000" + r[2]] || (cells[r[1] + "\u0000" + r[2]] = { s: r[1], t: r[2], n: 0, gsum: 0, gn: 0 });
      c.n += r[3]; c.gsum += r[6] || 0; c.gn += r[7];
      actors[r[1]] = (actors[r[1]] || 0) + r[3];
      actors[r[2]] = (actors[r[2]] || 0) + r[3];
      var per = series[key] || (series[key] = {});
      var at = periodStart(r[0], grain), point = per[at] || (per[at] = { n: 0, gsum: 0, gn: 0 });
      point.n += r[3]; point.gsum += r[6] || 0; point.gn += r[7];
    });
    var top = Object.keys(pairs).map(function (k) { return pairs[k]; }).sort(function (x, y) {
      return y.n - x.n || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0);
    });
    var busiest = Object.keys(actors).sort(function (x, y) {
      return actors[y] - actors[x] || (x < y ? -1 : 1);
    }).slice(0, DATA.matrix_actors);
    return { total: total, grain: grain, top: top.slice(0, DATA.top_pairs), pairs: top, cells: cells,
             actors: busiest, series: series };
  }

  function layout(extra) {
    var base = { template: DATA.template, margin: { l: 10, r: 10, t: 40, b: 10 }, font: FONT,
                 legend: { orientation: "h", yanchor: "bottom", y: 1.02, x: 0, traceorder: "normal" } };
    return Object.assign(base, extra);
  }

  function drawBars(agg) {
    var pairs = agg.top.slice().reverse();
    var names = pairs.map(function (p) { return esc(p.a + " \u2013 " + p.b); });
    var other = pairs.map(function (p) { return p.n - p.coop - p.conf; });
    var traces = [
      { type: "bar", orientation: "h", y: names, x: pairs.map(function (p) { return p.coop; }),
        name: "cooperation (Q1-2)", marker: { color: "#2b8a3e" } },
      { type: "bar", orientation: "h", y: names, x: pairs.map(function (p) { return p.conf; }),
        name: "conflict (Q3-4)", marker: { color: "#c92a2a" } }
    ];
    if (other.some(function (v) { return v > 0; })) {
      traces.push({ type: "bar", orientation: "h", y: names, x: other, name: "other", marker: { color: "#adb5bd" } });
    }
    traces.forEach(function (t) { t.hovertemplate = "%{y}: %{x} %{fullData.name}<extra></extra>"; });
    Plotly.react("chart-dyads", traces, layout({ barmode: "stack", height: Math.max(260, 28 * pairs.length + 80),
      xaxis: { title: { text: "deduplicated events" }, rangemode: "tozero" } }), CONFIG);
  }

  // ticks one period apart at least (never hours on a daily axis), about eight of them
  function dateAxis(from, to, grain) {
    var first = periodStart(from, grain), last = periodStart(to, grain);
    var units = { day: spanDays(first, last), week: Math.round(spanDays(first, last) / 7) + 1,
                  month: (+last.slice(0, 4) - +first.slice(0, 4)) * 12 + (+last.slice(5, 7) - +first.slice(5, 7)) + 1,
                  year: +last.slice(0, 4) - +first.slice(0, 4) + 1 }[grain];
    var step = Math.max(1, Math.ceil(units / 8));
    var half = { day: DAY / 2, week: 3.5 * DAY, month: 15 * DAY, year: 182 * DAY }[grain];
    var axis = { type: "date", range: [iso(ms(first) - half), iso(ms(last) + half)], tick0: first };
    if (grain === "day") { axis.dtick = step * DAY; axis.tickformat = "%Y-%m-%d"; }
    if (grain === "week") { axis.dtick = 7 * step * DAY; axis.tickformat = "%Y-%m-%d"; }
    if (grain === "month") { axis.dtick = "M" + step; axis.tickformat = "%Y-%m"; }
    if (grain === "year") { axis.dtick = "M" + 12 * step; axis.tickformat = "%Y"; }
    return axis;
  }

  function drawTimelines(agg, from, to) {
    var peak = 0, hover = { day: "%Y-%m-%d", week: "week of %Y-%m-%d", month: "%Y-%m", year: "%Y" }[agg.grain];
    var traces = agg.top.slice(0, DATA.top_timelines).map(function (p) {
      var per = agg.series[p.a + "\u0000" + p.b], xs = Object.keys(per).sort();
      var ys = xs.map(function (x) { return per[x].gn ? per[x].gsum / per[x].gn : null; });
      ys.forEach(function (y) { if (y !== null) peak = Math.max(peak, Math.abs(y)); });
      return { type: "scatter", mode: "lines+markers", x: xs, y: ys, name: esc(p.a + " \u2013 " + p.b),
               customdata: xs.map(function (x) { return per[x].n; }),
               hovertemplate: "%{x|" + hover + "}: balance %{y:+.2f} (%{customdata} events)<extra>%{fullData.name}</extra>" };
    });
    var span = Math.min(10.5, Math.max(2, (peak || 10) * 1.15));
    Plotly.react("chart-timelines", traces, layout({ height: 360, xaxis: dateAxis(from, to, agg.grain),
      yaxis: { title: { text: "mean Goldstein (both directions)" }, range: [-span, span] },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0, y1: 0, line: { color: "#868e96", width: 1 } }] }),
      CONFIG);
    document.getElementById("timeline-grain").textContent = agg.grain;
  }

  function drawMatrix(agg) {
    var actors = agg.actors.slice().sort(), labels = actors.map(esc);
    var z = actors.map(function (s) {
      return actors.map(function (t) {
        var c = agg.cells[s + "\u0000" + t];
        return c && c.gn ? Math.round((c.gsum / c.gn) * 100) / 100 : null;
      });
    });
    var counts = actors.map(function (s) {
      return actors.map(function (t) { var c = agg.cells[s + "\u0000" + t]; return c ? c.n : 0; });
    });
    Plotly.react("chart-matrix", [{ type: "heatmap", z: z, x: labels, y: labels, customdata: counts,
      colorscale: HOSTILE_TO_FRIENDLY, zmid: 0, zmin: -10, zmax: 10, xgap: 1, ygap: 1,
      colorbar: { title: { text: "mean<br>Goldstein" } },
      hovertemplate: "%{y} \u2192 %{x}: %{z:+.2f} (%{customdata} events)<extra></extra>" }],
      layout({ height: Math.max(320, 34 * actors.length + 120), legend: {},
               xaxis: { title: { text: "target" }, side: "bottom", type: "category" },
               yaxis: { title: { text: "source" }, autorange: "reversed", type: "category" } }), CONFIG);
  }

  var from = document.getElementById("range-from"), to = document.getElementById("range-to");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("#range button[data-preset]"));

  function preset(name) {
    if (DATA.presets[name]) return DATA.presets[name];
    var days = { last90: 90, last365: 365 }[name];
    return [iso(Math.max(ms(ALL[0]), ms(ALL[1]) - (days - 1) * DAY)), ALL[1]];
  }

  function draw(a, b, active) {
    if (a > b) { var swap = a; a = b; b = swap; }
    from.value = a; to.value = b;
    buttons.forEach(function (btn) { btn.classList.toggle("on", btn.dataset.preset === active); });
    var agg = aggregate(a, b);
    var empty = agg.total === 0;
    document.querySelector(".empty-range").hidden = !empty;
    ["chart-dyads", "chart-timelines", "chart-matrix"].forEach(function (id) {
      document.getElementById(id).hidden = empty;
      if (empty) Plotly.purge(id);
    });
    document.getElementById("range-summary").textContent =
      agg.total + " deduplicated events between " + agg.pairs.length + " pairs, dated " + a + " \u2013 " + b +
      " (timeline per " + agg.grain + ")";
    document.body.dataset.range = a + ".." + b;
    if (empty) return;
    drawBars(agg);
    drawTimelines(agg, a, b);
    drawMatrix(agg);
  }

  buttons.forEach(function (btn) {
    btn.addEventListener("click", function () {
      var r = preset(btn.dataset.preset);
      draw(r[0], r[1], btn.dataset.preset);
    });
  });
  [from, to].forEach(function (input) {
    input.addEventListener("change", function () {
      if (from.value && to.value) draw(from.value, to.value, null);
    });
  });
  var start = preset(DATA.initial);
  draw(start[0], start[1], DATA.initial);
})();
