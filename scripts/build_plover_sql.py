"""Write schemas/ddl/12_plover.sql from the PLOVER mapping data (run after changing pipeline/plover/data)."""

from __future__ import annotations

from pathlib import Path

from pipeline.plover.sql import ddl

OUT = Path(__file__).resolve().parents[1] / "schemas" / "ddl" / "12_plover.sql"

if __name__ == "__main__":
    OUT.write_text(ddl(), encoding="utf-8")
    print(f"wrote {OUT}")
