"""The Airflow DAGs: structure (fast) and real ``dag.test`` runs against tmp data folders (slow).

Each slow run happens in a child process (``pipeline.airflow_local.run_dag_test``) with a session-wide
temporary AIRFLOW_HOME (SQLite, migrated once) and ENVOY_* pointing at the test's tmp_path, so the
runs exercise the real scheduler loop, mapped tasks, XComs and the real pipeline stages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline import airflow_local as al
from tests.conftest import gx_project_with

DAY = date(2025, 9, 1)
#: A log record at level error or worse, as structlog ("[error   ]") or logging ("ERROR") prints it.
ERROR_LINE = re.compile(r"\[(error|critical|exception)\s*\]|\b(ERROR|CRITICAL)\b")

ARTICLES = {
    "china_india.json": (
        "China and India agree to resume direct flights",
        "Chinese Foreign Minister Wang Yi met Indian External Affairs Minister Subrahmanyam Jaishankar in "
        "New Delhi on Monday. China and India agreed to resume direct flights between the two countries, "
        "the Indian foreign ministry said.",
    ),
    "russia_ukraine.json": (
        "Russia accuses Ukraine of strike on power station",
        "Russia accused Ukraine on Sunday of attacking a power station in the Kursk region. Ukraine's "
        "foreign ministry rejected the accusation and said Russia had shelled Kharkiv overnight.",
    ),
    "japan_north_korea.json": (
        "Japan condemns North Korean missile launch",
        "Japan condemned North Korea on Saturday after it fired a ballistic missile into the sea. Japanese "
        "Prime Minister Shigeru Ishiba said Tokyo had lodged a strong protest with Pyongyang.",
    ),
}


def write_article(folder: Path, name: str, title: str, text: str, published: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps({"title": title, "published": published, "text": text}), encoding="utf-8")
    return path


def write_day(landing: Path, day: date, names: list[str] | None = None) -> Path:
    folder = landing / day.isoformat()
    for name in names or list(ARTICLES):
        title, text = ARTICLES[name]
        write_article(folder, name, title, text, f"{day.isoformat()}T09:00:00Z")
    return folder


# --- fast: structure and helpers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory):
    """Parse the project's DAG folder with Airflow configured for a throwaway home (no DB needed)."""
    home = tmp_path_factory.mktemp("airflow_parse")
    saved = dict(os.environ)
    os.environ.update(al.airflow_env(home))
    try:
        from airflow.dag_processing.dagbag import DagBag

        yield DagBag(dag_folder=str(al.dags_folder()))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_dag_folder_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert {al.DAILY_DAG_ID, al.REPORTS_DAG_ID} <= set(dagbag.dag_ids)


def test_daily_dag_shape(dagbag):
    from airflow.sdk import Asset, CronDataIntervalTimetable

    dag = dagbag.dags[al.DAILY_DAG_ID]
    assert set(dag.task_ids) == {"discover", "extract", "validate", "load", "report"}
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.timetable.expression in {"@daily", "0 0 * * *"} and str(dag.timetable.timezone) == "UTC"
    assert dag.max_active_runs == 1 and dag.catchup is False  # ENVOY_MAX_ACTIVE_RUNS unset
    assert dag.doc_md and "envoy" in dag.tags and dag.owner == "envoy"

    t = dag.task_dict
    assert t["extract"].upstream_task_ids == {"discover"}
    assert t["validate"].upstream_task_ids == {"extract", "discover"}
    assert t["load"].upstream_task_ids == {"validate", "discover"}
    assert t["report"].upstream_task_ids == {"load", "discover"}
    # extraction is dynamically mapped over the shard numbers discover returns
    assert t["extract"].is_mapped and not t["load"].is_mapped
    # DuckDB has one writer: load (and the report reading it) go through the one-slot pool
    assert t["load"].pool == al.DUCKDB_POOL and t["report"].pool == al.DUCKDB_POOL
    assert t["extract"].partial_kwargs.get("pool", "default_pool") != al.DUCKDB_POOL
    # transient stages retry with exponential backoff; a validation failure never retries
    assert t["extract"].partial_kwargs["retries"] >= 2
    assert t["extract"].partial_kwargs["retry_exponential_backoff"]
    assert t["load"].retries >= 2 and t["load"].retry_exponential_backoff
    assert t["validate"].retries == 0
    assert Asset(al.WAREHOUSE_ASSET_URI) in t["load"].outlets


def test_daily_dag_has_a_description_and_a_typed_day_param(dagbag):
    """The trigger form shows a date field `day`; Airflow itself rejects a day that is not a date."""
    import copy

    from airflow.sdk.definitions.param import ParamValidationError

    dag = dagbag.dags[al.DAILY_DAG_ID]
    assert dag.description and "DuckDB" in dag.description
    param = dag.params.get_param("day")
    assert param.schema["format"] == "date" and set(param.schema["type"]) == {"null", "string"}
    assert param.description and dag.params.validate() == {"day": None, "replace": False}  # logical date
    chosen = copy.deepcopy(dag.params)
    chosen["day"] = "2025-08-14"
    chosen["replace"] = True
    assert chosen.validate() == {"day": "2025-08-14", "replace": True}
    for bad in ("14/08/2025", "2025-13-01", 20250814):
        with pytest.raises(ParamValidationError):
            wrong = copy.deepcopy(dag.params)
            wrong["day"] = bad
            wrong.validate()


def test_reports_dag_is_scheduled_on_the_warehouse_asset(dagbag):
    from airflow.sdk import Asset

    dag = dagbag.dags[al.REPORTS_DAG_ID]
    assert [a.uri for a in dag.timetable.asset_condition.objects] == [Asset(al.WAREHOUSE_ASSET_URI).uri]
    assert dag.task_dict["rebuild_report"].pool == al.DUCKDB_POOL


def test_day_for_run_prefers_conf_then_logical_date():
    logical = datetime(2025, 8, 14, 0, 0, tzinfo=UTC)
    run = SimpleNamespace(conf={}, run_after=datetime(2025, 8, 15, 0, 5, tzinfo=UTC))
    assert al.day_for_run({"dag_run": run, "logical_date": logical}) == date(2025, 8, 14)
    run.conf = {"day": "2025-08-01"}
    assert al.day_for_run({"dag_run": run, "logical_date": logical}) == date(2025, 8, 1)
    run.conf = {}
    # the trigger form's typed `day` param (conf overrides params, so either way it lands here)
    assert al.day_for_run({"dag_run": run, "logical_date": logical, "params": {"day": "2025-08-02"}}) == date(
        2025, 8, 2
    )
    assert al.day_for_run({"dag_run": run, "logical_date": logical, "params": {"day": None}}) == date(
        2025, 8, 14
    )
    # a manual run without a logical date: the data interval start, else the run_after date
    assert al.day_for_run({"dag_run": run, "logical_date": None, "data_interval_start": logical}) == date(
        2025, 8, 14
    )
    assert al.day_for_run({"dag_run": run, "logical_date": None}) == date(2025, 8, 15)


def test_airflow_env_is_self_contained(tmp_path, monkeypatch):
    env = al.airflow_env(tmp_path / "home")
    assert env["AIRFLOW_HOME"] == str((tmp_path / "home").resolve())
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("sqlite:///")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith(str(tmp_path / "home" / "airflow.db"))
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    # `airflow standalone` serves its UI/API on this machine only, and tasks reach it there
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://127.0.0.1:")
    assert Path(env["AIRFLOW__CORE__DAGS_FOLDER"], "envoy_daily.py").is_file()
    assert str(Path(sys.executable).parent) in env["PATH"].split(os.pathsep)
    monkeypatch.setenv("ENVOY_DAGS", str(tmp_path))
    assert al.airflow_env(tmp_path)["AIRFLOW__CORE__DAGS_FOLDER"] == str(tmp_path.resolve())


def test_standalone_recipe_binds_the_api_server_to_localhost(tmp_path):
    """docs/airflow.md's recipe: `eval "$(python -m pipeline.airflow_local env 8089)"`, then Airflow
    itself resolves the api-server's host (what `airflow standalone` binds) to 127.0.0.1."""
    script = (
        f'eval "$({sys.executable} -m pipeline.airflow_local env 8089)" && '
        "airflow config get-value api host && airflow config get-value api port && "
        "airflow config get-value core execution_api_server_url"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env["ENVOY_HOME"] = str(tmp_path)
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["127.0.0.1", "8089", "http://127.0.0.1:8089/execution/"]


def test_migration_fast_path_needs_db_and_matching_marker(tmp_path):
    env = al.airflow_env(tmp_path)
    assert not al.is_migrated(env)
    (tmp_path / "airflow.db").write_bytes(b"")
    assert not al.is_migrated(env)  # a DB nobody migrated
    (tmp_path / al._MARKER).write_text("0.0.1 " + env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert not al.is_migrated(env)  # migrated by another Airflow version
    (tmp_path / al._MARKER).write_text(al._marker_text(env))
    assert al.is_migrated(env)
    assert al.migrate(env) is False  # nothing to do


def test_demo_command_has_help():
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "demo", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "envoy_daily" in proc.stdout and "sample" in proc.stdout
    # importing the command (as `envoy --help` does) must not import Airflow
    code = "import sys, pipeline.commands.demo, pipeline.airflow_local; print('airflow' in sys.modules)"
    check = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert check.stdout.strip() == "False"


def test_compose_file_wires_one_airflow_for_envoy():
    """docker-compose.yml: every Airflow component shares one JWT secret, DB and data volume; the init
    service creates the one-slot pool; Celery workers only in the `celery` profile."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = compose["services"]
    airflow = {n: s for n, s in services.items() if n.startswith("airflow-")}
    assert {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor"} <= set(airflow)
    assert {"airflow-triggerer", "airflow-worker"} <= set(airflow)
    secrets = {s["environment"]["AIRFLOW__API_AUTH__JWT_SECRET"] for s in airflow.values()}
    assert len(secrets) == 1 and "AIRFLOW_JWT_SECRET" in secrets.pop()
    for name, svc in airflow.items():
        env = svc["environment"]
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql"), name
        assert "LocalExecutor" in env["AIRFLOW__CORE__EXECUTOR"], name
        assert "./data:/opt/envoy/data" in svc["volumes"] and "./dags:/opt/airflow/dags" in svc["volumes"]
        assert env["ENVOY_HOME"] == "/opt/envoy"
        if name != "airflow-init":
            assert "healthcheck" in svc, name
    init = " ".join(services["airflow-init"]["command"])
    assert "airflow db migrate" in init and f"airflow pools set {al.DUCKDB_POOL} 1 " in init
    assert services["airflow-worker"]["profiles"] == ["celery"] and services["redis"]["profiles"] == [
        "celery"
    ]
    assert "profiles" not in services["airflow-scheduler"] and "profiles" not in services["postgres"]
    dockerfile = (root / "Dockerfile").read_text()
    assert "FROM apache/airflow:3.3.2-python3.11" in dockerfile
    assert "--require-hashes -r requirements-model.txt" in dockerfile
    # envoy's pins plus the image's own versions of everything else constrain the install
    assert "image_constraints.py constraints.txt" in dockerfile and ".[celery,s3]" in dockerfile


def test_image_constraints_keep_the_image_versions_and_envoy_pins(tmp_path):
    """scripts/image_constraints.py: envoy's pins win; any other package stays at the image's version."""
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "ours.txt").write_text("pandas==3.1.1\nPython_Dateutil==2.9.0.post0\n")
    (tmp_path / "image.txt").write_text(
        "pandas==2.2.3\npython-dateutil==2.8.2\nredis==5.0.1\n-e git+https://x/y#egg=z\n# note\n"
    )
    out = subprocess.run(
        [sys.executable, str(root / "scripts" / "image_constraints.py"), str(tmp_path / "ours.txt"),
         str(tmp_path / "image.txt")], capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == ["pandas==3.1.1", "python-dateutil==2.9.0.post0", "redis==5.0.1"]


#: The secrets docker-compose.yml requires from the environment (no shipped default).
COMPOSE_SECRETS = ("AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD", "POSTGRES_PASSWORD")


def test_compose_file_ships_no_default_credentials():
    root = Path(__file__).resolve().parents[1]
    text = (root / "docker-compose.yml").read_text()
    for name in COMPOSE_SECRETS:
        assert re.search(r"\$\{" + name + r":\?[^}]+\}", text), name  # required, with a message
        assert not re.search(r"\$\{" + name + r":?-", text), name  # never a default
    assert "change-me" not in text
    assert not re.search(r"PASSWORD[^\n]*:-admin\}", text)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_file_is_valid_for_docker_compose():
    root = Path(__file__).resolve().parents[1]
    clean = {k: v for k, v in os.environ.items() if k not in COMPOSE_SECRETS}
    dummy = {**clean, **{name: f"test-{name.lower()}" for name in COMPOSE_SECRETS}}
    for profile in ([], ["--profile", "celery"]):
        proc = subprocess.run(
            ["docker-compose", "-f", "docker-compose.yml", *profile, "config", "-q"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            env=dummy,
        )
        assert proc.returncode == 0, proc.stderr
    for name in COMPOSE_SECRETS:  # each one missing: compose refuses and says what to set
        env = {k: v for k, v in dummy.items() if k != name}
        proc = subprocess.run(
            ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert proc.returncode != 0 and f"set {name} in .env" in proc.stderr, (name, proc.stderr)


# --- slow: real runs ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory) -> dict[str, str]:
    """A migrated SQLite metadata DB with the envoy_duckdb pool, shared by every run in the session."""
    env = al.airflow_env(tmp_path_factory.mktemp("airflow_home"))
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.airflow_local", "setup"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return env


def run_day(airflow_env: dict, settings, day: date = DAY) -> dict:
    env = {**airflow_env, **al.envoy_env_from_settings(settings)}
    return al.run_dag_test(al.DAILY_DAG_ID, day, env)


def counts(settings, day: date = DAY) -> dict[str, int]:
    from pipeline import load

    return load.table_counts(settings, day)


def warehouse_rows(settings, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_daily_run_loads_the_day_and_a_rerun_changes_nothing(airflow_env, settings):
    write_day(settings.landing, DAY)
    first = run_day(airflow_env, settings)
    assert first["state"] == "success", first["log"][-4000:]
    assert set(first["tasks"].values()) == {"success"}
    # a good run logs no error: validate reads the mapped shard results in one slice, not item by item
    # until the XCom API answers 404 ("[error] XCom not found")
    errors = [ln for ln in first["log"].splitlines() if ERROR_LINE.search(ln)]
    assert errors == [], errors[:5]
    assert "XCom not found" not in first["log"]
    shards = [k for k in first["tasks"] if k.startswith("extract[")]
    assert len(shards) == settings.shards  # one mapped task instance per shard

    loaded = counts(settings)
    assert loaded["articles"] == len(ARTICLES)
    shard_events = sum(first["outputs"][k]["events"] for k in shards)
    assert loaded["events"] == shard_events == first["outputs"]["load"]["events"]
    events_sql = "SELECT event_id, cameo_code FROM events ORDER BY event_id"
    articles_sql = "SELECT article_id, source_file FROM articles ORDER BY 1"
    events_before = warehouse_rows(settings, events_sql)
    articles_before = warehouse_rows(settings, articles_sql)

    second = run_day(airflow_env, settings)
    assert second["state"] == "success", second["log"][-4000:]
    assert counts(settings) == loaded
    assert (
        warehouse_rows(settings, "SELECT event_id, cameo_code FROM events ORDER BY event_id") == events_before
    )
    assert (
        warehouse_rows(settings, "SELECT article_id, source_file FROM articles ORDER BY 1") == articles_before
    )

    runs = warehouse_rows(settings, "SELECT status, trigger, articles, events FROM runs ORDER BY started_at")
    assert len(runs) == 2 and all(r == ("loaded", "airflow", len(ARTICLES), loaded["events"]) for r in runs)
    # started_at is the wall clock (dag.test's logical date is DAY, long ago), and runs are accounted for
    started = warehouse_rows(settings, "SELECT started_at, finished_at, inputs, articles + duplicates"
                                       " + quarantined, lake_version FROM runs ORDER BY started_at")
    assert all(abs((datetime.now(UTC) - r[0]).total_seconds()) < 900 and r[1] >= r[0] for r in started)
    assert all(r[2] == r[3] == len(ARTICLES) and r[4] for r in started)
    # the load published the warehouse asset, which queues envoy_reports for a scheduler
    assert [e.rstrip("/") for e in first["asset_events"]] == [f"load:{al.WAREHOUSE_ASSET_URI}"]
    assert al.REPORTS_DAG_ID in first["queued_asset_dags"]


@pytest.mark.slow
def test_bad_files_are_quarantined_and_the_rest_loads(airflow_env, settings):
    folder = write_day(settings.landing, DAY, ["china_india.json", "russia_ukraine.json"])
    (folder / "garbage.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_text("")
    title, text = ARTICLES["japan_north_korea.json"]
    write_article(folder, "from_the_future.json", title, text, "2999-01-01T09:00:00Z")
    result = run_day(airflow_env, settings)
    assert result["state"] == "success", result["log"][-4000:]
    found = result["outputs"]["discover.discovered"]
    assert found["files"] == 5 and found["articles"] == 3 and found["quarantined"] == 2
    assert result["outputs"]["validate"]["rejected"] == 1  # the implausible date, at validation

    loaded = counts(settings)
    assert loaded["articles"] == 2 and loaded["quarantine"] == 3
    reasons = warehouse_rows(settings, "SELECT file, reason FROM quarantine ORDER BY file")
    assert [Path(f).name for f, _ in reasons] == ["empty.txt", "from_the_future.json", "garbage.bin"]
    assert reasons[1][1] == "failed_expectation"
    assert {reasons[0][1], reasons[2][1]} <= {"binary", "empty", "unsupported_format", "no_text", "not_utf8"}
    assert any(p.name == "garbage.bin" for p in settings.quarantine.rglob("*"))
    sql = "SELECT status, files, inputs, articles, duplicates, quarantined, rejected FROM runs"
    runs = warehouse_rows(settings, sql)
    assert runs == [("loaded", 5, 5, 2, 0, 3, 1)]


SITECUSTOMIZE = """
from datetime import date
import pipeline.audit as audit

real_audit = audit.audit_and_publish

def audit_and_publish(settings, day, *args, **kwargs):
    if day == date.fromisoformat("DAY2"):
        raise RuntimeError("simulated crash in validate")
    return real_audit(settings, day, *args, **kwargs)

audit.audit_and_publish = audit_and_publish
"""


@pytest.mark.slow
def test_failures_fail_the_run_record_it_and_load_nothing(airflow_env, settings, tmp_path):
    """A batch-level expectation failure (DAY) and an unexpected error (DAY2), both in validate: the run
    fails at once (no retries), nothing is published or loaded, and the runs row says why; the second
    is recorded by the DAG's on_failure_callback. The failing suite is a copy of the GE project with one
    more expectation (``ENVOY_GX_PROJECT``: the suites are data), the crash a sitecustomize module in the
    child process; GE and Airflow run for real."""
    day2 = date(2025, 9, 2)
    write_day(settings.landing, DAY, ["china_india.json", "russia_ukraine.json"])
    write_day(settings.landing, day2, ["japan_north_korea.json"])
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE.replace("DAY2", day2.isoformat()))
    rule = {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 0, "max_value": 1},
            "meta": {"name": "articles.no more than one (test)", "scope": "batch"}}  # every day breaks it
    project = gx_project_with(tmp_path / "gx_project", "articles", rule)
    env = {**airflow_env, **al.envoy_env_from_settings(settings), "PYTHONPATH": str(hooks),
           "ENVOY_GX_PROJECT": str(project)}
    first, second = al.run_dag_tests(al.DAILY_DAG_ID, [DAY, day2], env)

    for result in (first, second):
        assert result["state"] == "failed"
        assert result["tasks"]["validate"] == "failed"
        assert result["tasks"]["load"] == "upstream_failed" and result["tasks"]["report"] == "upstream_failed"
    assert "articles.no more than one (test)" in first["log"]  # the failed expectation is named in the log
    assert first["log"].count("[DAG TEST] starting task_id=validate") == 2  # once per day: no retries
    assert counts(settings) == {"articles": 0, "events": 0, "quarantine": 0}
    assert not list((settings.lake / "articles").rglob("*.parquet"))  # nothing published either
    runs = warehouse_rows(settings, "SELECT day, status, validation_success, failed_expectations, error"
                                    " FROM runs ORDER BY day")
    assert [r[:3] for r in runs] == [(DAY, "validation_failed", False), (day2, "failed", None)]
    assert "articles.no more than one (test)" in runs[0][3]
    assert "task validate failed" in runs[1][4] and "simulated crash in validate" in runs[1][4]


@pytest.mark.slow
def test_missing_folder_fails_and_empty_folder_changes_nothing(airflow_env, settings):
    """A missing landing folder fails the run (discover, no retries) and an empty one succeeds without
    work; neither touches the day that was loaded before."""
    from pipeline import lake, stages

    day2 = date(2025, 9, 2)
    write_day(settings.landing, DAY, ["china_india.json"])
    write_day(settings.landing, day2, ["russia_ukraine.json"])
    for d in (DAY, day2):
        stages.run_day(settings, d, build_report=False)
    before = {d: counts(settings, d) for d in (DAY, day2)}
    versions = {d: lake.read_manifest(settings, d).version for d in (DAY, day2)}
    shutil.rmtree(settings.landing / DAY.isoformat())  # an unmounted share, a typo
    for p in (settings.landing / day2.isoformat()).iterdir():
        p.unlink()  # the folder exists, empty
    env = {**airflow_env, **al.envoy_env_from_settings(settings)}
    missing, empty = al.run_dag_tests(al.DAILY_DAG_ID, [DAY, day2], env)

    assert missing["state"] == "failed" and missing["tasks"]["discover"] == "failed"
    assert "no landing folder or file at" in missing["log"]
    assert missing["log"].count("[DAG TEST] starting task_id=discover") == 2  # once per day: no retries
    assert empty["state"] == "success", empty["log"][-4000:]
    assert empty["tasks"]["discover"] == "success"
    assert "success" not in {v for k, v in empty["tasks"].items() if k != "discover"}  # skipped
    assert {d: counts(settings, d) for d in (DAY, day2)} == before
    assert {d: lake.read_manifest(settings, d).version for d in (DAY, day2)} == versions
    runs = warehouse_rows(settings, "SELECT day, trigger, status, error FROM runs WHERE trigger = 'airflow'"
                                    " ORDER BY day")
    assert [r[:3] for r in runs] == [(DAY, "airflow", "failed"), (day2, "airflow", "empty")]
    assert "no landing folder or file at" in runs[0][3]


@pytest.mark.slow
def test_envoy_demo_runs_the_sample_days_and_reports_where_outputs_are(tmp_path):
    """`envoy demo` (what `make run` does) in an empty folder: its own AIRFLOW_HOME and data under it."""
    from pipeline.ingest import sample_landing

    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "ENVOY_"))}
    env["GX_ANALYTICS_ENABLED"] = "False"
    envoy = [sys.executable, "-m", "pipeline.cli", "demo"]
    first = subprocess.run(envoy, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    out = first.stdout
    assert "metadata DB migrated" in out, out + first.stderr[-3000:]
    assert (tmp_path / "airflow_home" / "airflow.db").is_file()
    sample_days = sorted(p.name for p in sample_landing().iterdir() if p.is_dir())
    assert sorted(p.name for p in (tmp_path / "data" / "landing").iterdir()) == sample_days
    states = {
        d: ("success" in line)
        for d in sample_days
        for line in out.splitlines()
        if line.startswith(f"envoy_daily {d}: ") and "running" not in line
    }
    assert sorted(states) == sample_days, out
    assert first.returncode == (0 if all(states.values()) else 1)
    for day in sample_days:
        assert (tmp_path / "airflow_home" / "logs" / "demo" / f"{day}.log").is_file()
    assert "DuckDB warehouse   data/warehouse.duckdb" in out and "Parquet lake       data/lake" in out
    if any(states.values()):
        assert "Top dyads by event count" in out
        loaded = warehouse_rows(
            SimpleNamespace(warehouse=tmp_path / "data" / "warehouse.duckdb"),
            "SELECT count(DISTINCT ingest_date) FROM articles",
        )[0][0]
        assert loaded == sum(states.values())

    # a second demo reuses the migrated metadata DB (fast path) and the seeded landing days
    again = subprocess.run(
        envoy + ["--day", sample_days[-1]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert "metadata DB migrated" not in again.stdout and "seeded" not in again.stdout
    assert f"envoy_daily {sample_days[-1]}: " in again.stdout
