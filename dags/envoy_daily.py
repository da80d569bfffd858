"""
### envoy_daily: one landing day of news articles -> CAMEO events in DuckDB

One run processes one landing folder, `<ENVOY_LANDING>/YYYY-MM-DD/`, where **the day is the date of the
run's logical date** (UTC). The schedule is `@daily` with data intervals, so the scheduled run for a day
starts once that day is over (logical date = start of the day it covers), and a backfill
(`airflow backfill create --dag-id envoy_daily --from-date 2026-11-01 --to-date 2026-11-07`) runs each
day's folder. A manual trigger may name the day in the trigger form's **Landing day** field (the
`day` param) or in its conf: `airflow dags trigger envoy_daily -c '{"day": "2026-11-20"}'`.

With `catchup=False`, the scheduler creates the run for the latest complete day ("yesterday") as soon
as it starts, or as soon as the DAG is unpaused: that day's folder is processed; if it does not exist
the run fails (`no landing folder or file at ...`) and no loaded day is touched.

Tasks (the work lives in `pipeline.stages`; this file only wires it):

1. **discover**: starts the run's `runs` row and reads the day's files into a *staged* lake version
   (`articles`, `quarantine`, `texts`); every entry is accounted for, unreadable ones are quarantined
   with a reason and the rest go on. A missing folder fails the run (nothing is replaced); an empty
   folder succeeds without touching the loaded day (the later tasks are skipped). A batch with fewer
   articles than the day already holds fails as `refused` unless the run's `replace` param (trigger form,
   or conf `{"replace": true}`) says so.
2. **extract** (dynamic task mapping, one task per shard, `ENVOY_SHARDS`): codes its slice of the staged
   texts and writes its own events part. Retried with exponential backoff.
3. **validate**: Great Expectations on the staged version. Articles that break an article-level
   expectation move to quarantine with their events; the rest is *published* (the day's manifest
   swaps to the new version). A batch-level failure fails the run at once (no retries), names the
   failed expectations in the task log, records the run and publishes and loads nothing.
4. **load**: idempotent DuckDB load of the published version in the one-slot pool `envoy_duckdb`
   (DuckDB has one writer). Publishes the `envoy://warehouse` asset, which schedules `envoy_reports`.
5. **report**: rebuilds the relations report for the day.

A task that fails marks the run's `runs` row `failed` with its error (`on_failure_callback`).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, get_current_context, task

from pipeline.airflow_local import DUCKDB_POOL, WAREHOUSE_ASSET_URI, day_for_run

WAREHOUSE = Asset(WAREHOUSE_ASSET_URI)

# Celery deployments (docs/scaling.md): `load` and `report` go to the queue of the one worker next to the
# warehouse (ENVOY_WAREHOUSE_QUEUE, e.g. "warehouse"); unset, they use the executor's default queue.
# ENVOY_MAX_ACTIVE_RUNS lets days run side by side (each day is its own lake version; loads still queue
# on the one-slot pool). Both are read when the DAG file is parsed.
WAREHOUSE_TASKS = {"queue": q} if (q := os.environ.get("ENVOY_WAREHOUSE_QUEUE", "").strip()) else {}
MAX_ACTIVE_RUNS = int(os.environ.get("ENVOY_MAX_ACTIVE_RUNS", "1") or 1)

# Transient failures (a locked DuckDB file, a worker lost mid-shard) deserve a few spaced retries.
TRANSIENT_RETRIES = {
    "retries": 3,
    "retry_delay": timedelta(seconds=20),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}


def _settings():
    """Settings, or a failure without retries and with the one-line reason (a bad ENVOY_* value)."""
    from airflow.sdk.exceptions import AirflowFailException

    from pipeline.config import load_settings
    from pipeline.errors import ConfigError

    try:
        return load_settings()
    except ConfigError as exc:
        raise AirflowFailException(str(exc)) from None


def _record_failure(context) -> None:
    """on_failure_callback: mark the run's `runs` row failed (a row already final keeps its status)."""
    import logging

    from pipeline import stages

    try:
        discovered = context["ti"].xcom_pull(task_ids="discover", key="discovered")
        if discovered and discovered.get("run_id"):
            why = f"task {context['ti'].task_id} failed: {context.get('exception')}"
            stages.fail_run(_settings(), discovered["run_id"], why)
    except Exception as exc:  # noqa: BLE001 - a callback must not mask the task's own failure
        logging.getLogger("envoy").warning("could not record the failed run: %s", exc)


@dag(
    dag_id="envoy_daily",
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=datetime(2025, 1, 1),
    description="One landing day of news articles -> CAMEO events: ingest, code, validate, load into DuckDB",
    params={
        "day": Param(
            None,
            type=["null", "string"],
            format="date",
            title="Landing day",
            description="The landing folder to process (YYYY-MM-DD). Empty: the run's logical date.",
        ),
        "replace": Param(
            False,
            type="boolean",
            title="Replace with fewer articles",
            description="Publish the new batch even if it has fewer articles than the day already holds.",
        ),
    },
    catchup=False,  # the scheduler runs the latest complete interval ("yesterday") as soon as it starts
    max_active_runs=MAX_ACTIVE_RUNS,  # default one day at a time: bounded memory on one host
    tags=["envoy", "events", "daily"],
    doc_md=__doc__,
    default_args={
        "owner": "envoy",
        "retries": 0,
        "execution_timeout": timedelta(hours=2),
        "on_failure_callback": _record_failure,
    },
)
def envoy_daily():
    @task
    def discover() -> list[int]:
        """Start the run's ledger and stage the day's landing folder in the lake.

        Returns the shard numbers, which the extract tasks map over (none for an empty folder: the
        later tasks are skipped); the typed result goes to the XCom key ``discovered``.
        """
        import logging
        import uuid

        from airflow.sdk.exceptions import AirflowFailException

        from pipeline import stages
        from pipeline.errors import EnvoyError

        log = logging.getLogger("envoy")
        ctx = get_current_context()
        day = day_for_run(ctx)
        settings = _settings()
        conf = getattr(ctx["dag_run"], "conf", None) or {}
        replace = bool(conf.get("replace", (ctx.get("params") or {}).get("replace", False)))
        run_id = f"airflow:{ctx['dag_run'].run_id}:{uuid.uuid4().hex[:8]}"
        try:
            ledger = stages.Ledger.start(settings, day, "airflow", run_id=run_id, replace=replace,
                                         landing=str(stages.day_landing(settings, day)), whole_run_here=False)
        except EnvoyError as exc:  # the warehouse is locked for too long or cannot be read
            raise AirflowFailException(str(exc)) from None
        try:
            out = stages.discover_day(settings, day, run_id=run_id, replace=replace)
        except EnvoyError as exc:  # no landing folder, or fewer articles than the day holds
            ledger.fail(exc)
            raise AirflowFailException(str(exc)) from None
        ledger.discovered(out)
        log.info("envoy day %s from %s: %s", day, out.landing, out.as_dict())
        if out.version is None:
            ledger.finish("empty")
            log.info("nothing in %s: the loaded day is left as it was; later tasks skip", out.landing)
        ctx["ti"].xcom_push(key="discovered", value=out.as_dict())
        return list(range(out.n_shards)) if out.version else []

    @task(multiple_outputs=False, **TRANSIENT_RETRIES)
    def extract(shard: int, discovered: dict) -> dict:
        """Code one shard of the staged texts and write its events part."""
        from datetime import date

        from pipeline import stages

        day = date.fromisoformat(discovered["day"])
        res = stages.extract_shard(_settings(), day, shard, discovered["n_shards"], discovered["version"])
        return res.as_dict()

    @task(retries=0, multiple_outputs=False)
    def validate(shard_results: list[dict], discovered: dict) -> dict:
        """Great Expectations on the staged version, then publish it; a batch-level failure stops the run
        here and publishes and loads nothing."""
        import logging
        from datetime import date

        from airflow.sdk.exceptions import AirflowFailException

        from pipeline import stages
        from pipeline.errors import EnvoyError

        settings, d = _settings(), date.fromisoformat(discovered["day"])
        shard_results = shard_results[:]  # one request; iterating asks per item until a logged 404
        ledger = stages.Ledger.resume(settings, discovered["run_id"])
        ledger.extracted([stages.ExtractResult.from_dict(s) for s in shard_results])
        try:
            out = stages.validate_day(settings, d, discovered["version"], discovered["run_id"],
                                      replace=discovered.get("replace", False))
        except EnvoyError as exc:
            logging.getLogger("envoy").error("%s", exc)
            if isinstance(exc, stages.ValidationFailed):
                ledger.validation_failed(exc.failed, str(exc.docs_index) if exc.docs_index else None)
            ledger.fail(exc)
            raise AirflowFailException(str(exc)) from None
        ledger.audited(out)
        return out.as_dict()

    @task(pool=DUCKDB_POOL, outlets=[WAREHOUSE], multiple_outputs=False,
          **TRANSIENT_RETRIES, **WAREHOUSE_TASKS)
    def load(discovered: dict, validated: dict) -> dict:
        """Idempotent DuckDB load of the published day, recorded in the `runs` table."""
        from datetime import date

        from pipeline import stages

        settings = _settings()
        out = stages.load_day(settings, date.fromisoformat(discovered["day"]))
        stages.Ledger.resume(settings, discovered["run_id"]).loaded(out)
        return out.as_dict()

    @task(pool=DUCKDB_POOL, multiple_outputs=False, **WAREHOUSE_TASKS)
    def report(discovered: dict, loaded: dict) -> dict:
        """Rebuild the relations report after the day's load."""
        from datetime import date

        from pipeline import stages

        settings = _settings()
        out = stages.report(settings, date.fromisoformat(discovered["day"]))
        stages.Ledger.resume(settings, discovered["run_id"]).reported(out["path"], out["seconds"])
        return out

    shard_ids = discover()
    found = shard_ids["discovered"]
    shards = extract.partial(discovered=found).expand(shard=shard_ids)
    checked = validate(shards, found)
    loaded = load(found, checked)
    report(found, loaded)


envoy_daily()
