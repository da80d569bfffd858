"""Port expectation suites from envoy's former JSON dialect into GE 1.x suites under ``gx/expectations/``.

Until issue 12 the suites were ``schemas/expectations/<table>.json``: ``{"suite", "table", "description",
"derived_columns", "expectations": [{"name", "scope", "type", "kwargs"}]}`` with placeholders
``{"$ref": NAME}`` (filled at run time) and ``{"$date": "YYYY-MM-DD"}``. The conversion is mechanical:

- each expectation keeps ``type`` and ``kwargs``; ``name`` and ``scope`` go to its ``meta``;
- ``{"$ref": NAME}`` becomes GE's suite parameter ``{"$PARAMETER": PARAMETERS[NAME]}``, whose value
  ``pipeline.validate`` passes as ``expectation_parameters`` when it runs the checkpoint (a NAME not
  in ``PARAMETERS`` becomes an identifier, ``plover.codes`` -> ``plover_codes``, and the script says
  so: its value must then be added to ``pipeline.validate.PARAMETERS``; a derived column, to
  ``pipeline.validate.DERIVED``);
- ``{"$date": "YYYY-MM-DD"}`` becomes ``"YYYY-MM-DDT00:00:00"`` (GE parses a bare date into a
  ``datetime.date``, which pandas will not compare with a datetime64 column; a datetime it will);
- ``table`` and ``derived_columns`` go to the suite's ``meta["envoy"]``, ``description`` to ``notes``
  (unless the GE suite already has notes);
- ids are UUIDv5 of the suite and expectation names, so porting twice gives the same file, and an
  expectation that is already in the GE suite keeps its place (new ones are appended).

    .venv/bin/python scripts/port_expectations.py OLD_SUITE.json [...]   # writes gx/expectations/
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NAMESPACE = uuid.UUID("6f1f3a52-5a3e-4d0a-9a55-2f4c3c1b7e10")  # envoy's: ids are stable across ports
GE_VERSION = "1.24.1"

#: Former ``$ref`` names -> GE suite parameter names (``pipeline.validate.PARAMETERS`` computes them).
PARAMETERS = {
    "codebook.codes": "codebook_codes",
    "actors.codes": "actor_codes",
    "schemas.date_precisions": "date_precisions",
    "schemas.quarantine_reasons": "quarantine_reasons",
    "today+1": "latest_publication_date",
    "schemas.place_precisions": "place_precisions",
    "schemas.place_sources": "place_sources",
    "plover.events": "plover_events",
}


def parameter_name(ref: str) -> str:
    """The GE parameter for a former ``$ref``: from ``PARAMETERS``, else its name made an identifier
    (``plover.codes`` -> ``plover_codes``), with a reminder that ``validate.PARAMETERS`` must compute it."""
    if ref in PARAMETERS:
        return PARAMETERS[ref]
    name = re.sub(r"\W+", "_", ref.replace("+", " plus ")).strip("_")
    print(f"new parameter {name!r} (was $ref {ref!r}): add it to pipeline.validate.PARAMETERS",
          file=sys.stderr)
    return name


def convert_value(value: Any) -> Any:
    """One kwargs value with the former placeholders replaced by GE's."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            return {"$PARAMETER": parameter_name(value["$ref"])}
        if set(value) == {"$date"}:
            return f"{value['$date']}T00:00:00"
        return {k: convert_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_value(v) for v in value]
    return value


def convert(old: dict, current: dict | None = None) -> dict:
    """The GE suite for one former spec; ``current`` (the GE suite already there) keeps its order."""
    name = old["suite"]
    ported = {
        e["name"]: {
            "id": str(uuid.uuid5(NAMESPACE, f"{name}/{e['name']}")),
            "kwargs": convert_value(e["kwargs"]),
            "meta": {"name": e["name"], "scope": e.get("scope", "batch")},
            "severity": "critical",
            "type": e["type"],
        }
        for e in old["expectations"]
    }
    before = [e["meta"]["name"] for e in (current or {}).get("expectations", [])]
    order = [n for n in before if n in ported]
    order += [n for n in ported if n not in order]
    return {
        "expectations": [ported[n] for n in order],
        "id": str(uuid.uuid5(NAMESPACE, name)),
        "meta": {
            "envoy": {"table": old["table"], "derived_columns": old.get("derived_columns", {})},
            "great_expectations_version": GE_VERSION,
        },
        "name": name,
        "notes": (current or {}).get("notes") or old.get("description"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("suites", nargs="+", type=Path, help="former-dialect suite files")
    p.add_argument("--out", type=Path, default=ROOT / "gx" / "expectations")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.suites:
        old = json.loads(path.read_text(encoding="utf-8"))
        target = args.out / f"{old['suite']}.json"
        current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        target.write_text(json.dumps(convert(old, current), indent=2) + "\n", encoding="utf-8")
        print(f"{path} -> {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
