"""scripts/port_expectations.py turns envoy's former suite dialect into GE suites, mechanically."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline import validate

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "port_expectations.py"


@pytest.fixture(scope="module")
def port():
    spec = importlib.util.spec_from_file_location("port_expectations", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


OLD = {
    "suite": "envoy_events", "table": "events", "description": "d",
    "derived_columns": {"latest_event_date": "publication_date + 1 day"},
    "expectations": [
        {"name": "events.cameo_code in codebook", "scope": "article",
         "type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "cameo_code", "value_set": {"$ref": "codebook.codes"}}},
        {"name": "events.year", "scope": "article", "type": "expect_column_values_to_be_between",
         "kwargs": {"column": "publication_date", "min_value": {"$date": "1900-01-01"},
                    "max_value": {"$ref": "today+1"}}},
    ],
}


def test_placeholders_become_suite_parameters_the_pipeline_computes(port) -> None:
    suite = port.convert(OLD)
    first, second = suite["expectations"]
    assert first["kwargs"]["value_set"] == {"$PARAMETER": "codebook_codes"}
    assert second["kwargs"] == {"column": "publication_date", "min_value": "1900-01-01T00:00:00",
                                "max_value": {"$PARAMETER": "latest_publication_date"}}
    assert first["meta"] == {"name": "events.cameo_code in codebook", "scope": "article"}
    assert suite["meta"]["envoy"] == {"table": "events", "derived_columns": OLD["derived_columns"]}
    assert set(port.PARAMETERS.values()) == set(validate.PARAMETERS)  # every mapped name has a value


def test_porting_is_stable_and_keeps_the_suite_order(port, capsys) -> None:
    assert port.convert(OLD) == port.convert(OLD)  # ids from names: the same file twice
    added = OLD | {"expectations": [
        {"name": "events.plover", "scope": "article", "type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "plover_code", "value_set": {"$ref": "plover.codes"}}},
        *reversed(OLD["expectations"]),
    ]}
    current = port.convert(OLD)
    ported = port.convert(added, current)
    names = [e["meta"]["name"] for e in ported["expectations"]]
    assert names == ["events.cameo_code in codebook", "events.year", "events.plover"]  # new ones last
    assert ported["expectations"][:2] == current["expectations"]
    assert ported["expectations"][2]["kwargs"]["value_set"] == {"$PARAMETER": "plover_codes"}
    assert "add it to pipeline.validate.PARAMETERS" in capsys.readouterr().err


def test_the_committed_suites_are_what_the_script_writes(port) -> None:
    """Porting a committed suite back through the former dialect changes nothing: the files are GE's
    own JSON in the shape the script writes, so a ported branch diffs cleanly."""
    back = {v: k for k, v in port.PARAMETERS.items()}

    def old_value(v):
        if isinstance(v, dict):
            return {"$ref": back[v["$PARAMETER"]]} if set(v) == {"$PARAMETER"} else {
                k: old_value(x) for k, x in v.items()}
        if isinstance(v, list):
            return [old_value(x) for x in v]
        if isinstance(v, str) and v.endswith("T00:00:00"):
            return {"$date": v[:10]}
        return v

    for table in validate.SUITES:
        suite = validate.load_suite(table)
        old = {"suite": suite["name"], "table": table, "description": suite["notes"],
               "derived_columns": suite["meta"]["envoy"]["derived_columns"],
               "expectations": [{"name": e["meta"]["name"], "scope": e["meta"]["scope"], "type": e["type"],
                                 "kwargs": old_value(e["kwargs"])} for e in suite["expectations"]]}
        assert port.convert(old, suite) == suite
