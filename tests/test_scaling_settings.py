"""Settings that pick the scale-out paths (docs/scaling.md); the defaults stay the one-host ones."""

from __future__ import annotations


def test_a_postgresql_url_selects_the_shared_warehouse_and_the_default_stays_the_file(monkeypatch, tmp_path):
    from pipeline import airflow_local as al
    from pipeline.config import load_settings

    monkeypatch.setenv("ENVOY_HOME", str(tmp_path))
    monkeypatch.delenv("ENVOY_WAREHOUSE", raising=False)
    default = load_settings()
    assert default.warehouse_url is None and default.warehouse == tmp_path / "data" / "warehouse.duckdb"
    monkeypatch.setenv("ENVOY_WAREHOUSE", "postgresql://envoy@db.internal:5432/envoy")
    shared = load_settings()
    assert shared.warehouse_url == "postgresql://envoy@db.internal:5432/envoy"
    assert al.envoy_env_from_settings(shared)["ENVOY_WAREHOUSE"] == shared.warehouse_url  # tasks get the URL


def test_the_postgresql_ddl_is_the_base_tables_in_its_type_names():
    from pipeline.warehouse_pg import pg_ddl

    ddl = pg_ddl()
    assert "CREATE TABLE IF NOT EXISTS events" in ddl and "CREATE TABLE IF NOT EXISTS runs" in ddl
    assert "TINYINT" not in ddl and "DOUBLE PRECISION" in ddl and "MACRO" not in ddl


def test_coding_processes_default_to_the_usable_cpus_at_most_two(monkeypatch, tmp_path):
    import os

    import pytest

    from pipeline.config import load_settings, usable_cpus
    from pipeline.errors import ConfigError

    monkeypatch.setenv("ENVOY_HOME", str(tmp_path))
    monkeypatch.delenv("ENVOY_NLP_PROCESSES", raising=False)
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)
    assert load_settings().nlp_processes == min(2, usable_cpus())
    monkeypatch.setenv("ENVOY_NLP_PROCESSES", " Auto ")
    assert load_settings().nlp_processes == min(2, usable_cpus())
    monkeypatch.setenv("ENVOY_NLP_PROCESSES", "3")  # an explicit number is not capped
    assert load_settings().nlp_processes == 3
    monkeypatch.setenv("ENVOY_NLP_PROCESSES", "0")
    with pytest.raises(ConfigError, match="ENVOY_NLP_PROCESSES"):
        load_settings()
