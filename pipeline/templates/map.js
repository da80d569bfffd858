// envoy relations report: the map of the day's events (plotly.js geo traces, offline).
// The data (#map-data) are the day's event reports grouped by the place where they happened, and the
// count per country of those places. The base map comes from the envoy-world-110m script beside the
// page (plotly.js would otherwise fetch it from its CDN). Every label from the data is HTML-escaped.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var FONT = { family: "-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif", size: 12 };
  var HOSTILE_TO_FRIENDLY = ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0",
                             "#92c5de", "#4393c3", "#2166ac", "#053061"].map(function (c, i) { return [i / 10, c]; });

  function esc(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var P = DATA.points;
  var peak = Math.max.apply(null, P.map(function (p) { return p.n; }));
  var label = P.map(function (p) {
    return "<b>" + esc(p.name) + "</b>" + (p.country ? ", " + esc(p.country) : "") +
      " <i>(" + esc(p.precision) + ")</i><br>" + p.n + " report" + (p.n === 1 ? "" : "s") +
      ", mean Goldstein " + (p.goldstein === null ? "\u2013" : p.goldstein.toFixed(1)) +
      "<br>" + p.dyads.map(esc).join("<br>");
  });
  var traces = [
    { type: "choropleth", locationmode: "ISO-3", name: "reports per country",
      locations: DATA.countries.map(function (c) { return c[0]; }),
      z: DATA.countries.map(function (c) { return c[1]; }),
      text: DATA.countries.map(function (c) { return esc(c[0]); }),
      colorscale: [[0, "#eef3f8"], [1, "#9fb7cf"]], showscale: false, marker: { line: { width: 0.4, color: "#889" } },
      hovertemplate: "%{text}: %{z} reports<extra></extra>" },
    { type: "scattergeo", mode: "markers", name: "places",
      lat: P.map(function (p) { return p.lat; }), lon: P.map(function (p) { return p.lon; }),
      text: label, hovertemplate: "%{text}<extra></extra>",
      marker: { size: P.map(function (p) { return 6 + 18 * Math.sqrt(p.n / peak); }),
                color: P.map(function (p) { return p.goldstein === null ? 0 : p.goldstein; }),
                cmin: -10, cmax: 10, colorscale: HOSTILE_TO_FRIENDLY, opacity: 0.85,
                line: { width: 0.6, color: "#333" },
                colorbar: { title: { text: "Goldstein" }, thickness: 10, len: 0.6 } } }
  ];
  var layout = {
    template: DATA.template, font: FONT, height: 480, margin: { l: 0, r: 0, t: 10, b: 0 }, showlegend: false,
    geo: { projection: { type: "natural earth", scale: 1 }, center: { lon: 10, lat: 15 },
           lonaxis: { range: [-170, 190] }, lataxis: { range: [-58, 85] }, showland: true, landcolor: "#f4f4f0", showcountries: true,
           countrycolor: "#b8b8b8", showcoastlines: true, coastlinecolor: "#999", showocean: false,
           showlakes: false, showrivers: false, showframe: false, bgcolor: "rgba(0,0,0,0)" }
  };
  Plotly.newPlot("chart-map", traces, layout, { displaylogo: false, responsive: true, displayModeBar: false })
    .then(function () { document.body.dataset.map = "drawn"; })
    .catch(function (err) {
      document.body.dataset.map = "failed";
      document.getElementById("map-note").textContent += " (The map could not be drawn: " + err.message + ")";
    });
})();
