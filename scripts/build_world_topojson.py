"""Build pipeline/templates/geo/world_110m.json, the base map of the report's event map.

plotly.js draws geo maps from a TopoJSON file it downloads from its CDN by default; the report is offline,
so it ships its own. Input: ``countries-110m.json`` of the npm package world-atlas 2.0.2 (Natural Earth
1:110m, public domain; packaging (c) Michael Bostock, ISC licence), obtained with
``npm pack world-atlas@2.0.2``. Output: the TopoJSON objects plotly.js reads (``countries`` with ISO 3166-1
alpha-3 ids, for ISO-3 choropleths; ``land``; ``coastlines``, the land outlines).

    python scripts/build_world_topojson.py path/to/package/countries-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "templates" / "geo" / "world_110m.json"


def convert(topo: dict) -> dict:
    import pycountry

    countries = topo["objects"]["countries"]
    for g in countries["geometries"]:
        numeric = g.get("id")
        c = pycountry.countries.get(numeric=numeric) if numeric else None
        g["id"] = c.alpha_3 if c else None
        g["properties"] = {"name": g.get("properties", {}).get("name")}
    land = topo["objects"]["land"]
    topo["objects"] = {"countries": countries, "land": land, "coastlines": land}
    return topo


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = convert(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    OUT.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
