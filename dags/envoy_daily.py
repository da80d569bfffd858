"""
### envoy_daily: one landing day of news articles -> CAMEO events in DuckDB

One run processes one landing folder, `<ENVOY_LANDING>/YYYY-MM-DD/`, where **the day is the date of the
run's logical date** (UTC). The schedule is `@daily` with data intervals, so the scheduled run for a day
starts once that day is over (logical date = start of the day it covers), and a backfill
(`airflow backfill create --dag-id envoy_daily --from-date 2026-11-01 --to-date 2026-11-07`) runs each
day's folder. A manual trigger may name the day:
`airflow dags trigger envoy_daily -c '{"day": "2026-11-20"}'`.

Tasks (the work lives in `pipeline.stages`; this file only wires it):

1. **discover**: reads the day's files into the Parquet lake (`articles`, `quarantine`, `texts`); unreadable
   files are quarantined with a reason and the rest go on. A day with no files succeeds with zero rows.
2. **extract** (dynamic task mapping, one task per shard, `ENVOY_SHARDS`): codes its slice of the day's
   texts and writes its own events part. Retried with exponential backoff.
3. **validate**: Great Expectations on the day's lake data. A failure fails the run at once (no retries),
   names the failed expectations in the task log, records the run and loads nothing.
4. **load**: idempotent DuckDB load in the one-slot pool `envoy_duckdb` (DuckDB has one writer).
   Publishes the `envoy://warehouse` asset, which schedules the `envoy_reports` DAG.
5. **report**: rebuilds the relations report for the day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, CronDataIntervalTimetable, dag, get_current_context, task

from pipeline.airflow_local import DUCKDB_POOL, WAREHOUSE_ASSET_URI, day_for_run

WAREHOUSE = Asset(WAREHOUSE_ASSET_URI)

# Transient failures (a locked DuckDB file, a worker lost mid-shard) deserve a few spaced retries.
TRANSIENT_RETRIES = {
    "retries": 3,
    "retry_delay": timedelta(seconds=20),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}


def _settings():
    from pipeline.config import load_settings

    return load_settings()


@dag(
    dag_id="envoy_daily",
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,  # one day at a time: bounded memory, and each day's report follows its own load
    tags=["envoy", "events", "daily"],
    doc_md=__doc__,
    default_args={
        "owner": "envoy",
        "retries": 0,
        "execution_timeout": timedelta(hours=2),
    },
)
def envoy_daily():
    @task
    def discover() -> list[int]:
        """Ingest the day's landing folder into the lake.

        Returns the shard numbers, which the extract tasks map over (Airflow maps only over a task's
        return value); the day's counts go to the XCom key ``discovered`` for the later tasks.
        """
        import logging

        from pipeline import stages

        log = logging.getLogger("envoy")
        ctx = get_current_context()
        day = day_for_run(ctx)
        settings = _settings()
        out = stages.discover_day(settings, day)
        log.info("envoy day %s from %s: %s", day, stages.day_landing(settings, day), out)
        if out["files"] == 0:
            log.info("no files for %s: the run succeeds with zero rows", day)
        elif out["articles"] == 0:
            log.info("no readable articles for %s (%d file(s) quarantined)", day, out["quarantined"])
        ctx["ti"].xcom_push(key="discovered", value=out)
        return list(range(out["n_shards"]))

    @task(multiple_outputs=False, **TRANSIENT_RETRIES)
    def extract(shard: int, discovered: dict) -> dict:
        """Code one shard of the day's texts and write its events part."""
        from datetime import date

        from pipeline import stages

        day = date.fromisoformat(discovered["day"])
        return stages.extract_shard(_settings(), day, shard, discovered["n_shards"])

    @task(retries=0, multiple_outputs=False)
    def validate(shard_results: list[dict], discovered: dict) -> dict:
        """Great Expectations on the day's lake data; a failure stops the run here and loads nothing."""
        import logging
        from datetime import date

        from airflow.sdk.exceptions import AirflowFailException

        from pipeline import stages

        settings, d = _settings(), date.fromisoformat(discovered["day"])
        events = sum(s["events"] for s in shard_results)
        not_coded = sum(s.get("coding_failures", 0) for s in shard_results)  # logged, skipped articles
        try:
            out = stages.validate_day(settings, d)
        except stages.ValidationFailed as exc:
            logging.getLogger("envoy").error("%s", exc)
            stages.record_run(
                settings,
                {
                    **_run_meta(discovered, events, {}),
                    "status": "validation_failed",
                    "validation_success": False,
                    "coding_failures": not_coded,
                    "failed_expectations": exc.failed,
                    "data_docs": str(exc.docs_index) if exc.docs_index else None,
                },
            )
            raise AirflowFailException(str(exc)) from None
        out["events"] = events
        out["coding_failures"] = not_coded
        out["extract_seconds"] = round(sum(s["seconds"] for s in shard_results), 3)
        return out

    @task(pool=DUCKDB_POOL, outlets=[WAREHOUSE], multiple_outputs=False, **TRANSIENT_RETRIES)
    def load(discovered: dict, validated: dict) -> dict:
        """Idempotent DuckDB load of the validated day, recorded in the `runs` table."""
        from datetime import date

        from pipeline import stages

        timings = {
            "discover": discovered.get("seconds", 0.0),
            "extract": validated.get("extract_seconds", 0.0),
            "validate": validated.get("seconds", 0.0),
        }
        meta = _run_meta(discovered, validated["events"], timings)
        meta["data_docs"] = validated.get("docs_index")
        meta["coding_failures"] = validated.get("coding_failures", 0)
        meta["validation_success"] = True
        out = stages.load_day(_settings(), date.fromisoformat(discovered["day"]), run_meta=None)
        meta["events"] = out["events"]
        meta["timings"] = {**timings, "load": out["seconds"]}
        meta["status"] = "loaded" if discovered["articles"] else "empty"
        stages.record_run(_settings(), meta)
        return out

    @task(pool=DUCKDB_POOL, multiple_outputs=False)
    def report(discovered: dict, loaded: dict) -> dict:
        """Rebuild the relations report after the day's load."""
        from datetime import date

        from pipeline import stages

        return stages.report(_settings(), date.fromisoformat(discovered["day"]))

    shard_ids = discover()
    found = shard_ids["discovered"]
    shards = extract.partial(discovered=found).expand(shard=shard_ids)
    checked = validate(shards, found)
    loaded = load(found, checked)
    report(found, loaded)


def _run_meta(discovered: dict, events: int, timings: dict) -> dict:
    """The `runs` row for this Airflow run (run_id unique per attempt, so re-runs add rows)."""
    import uuid
    from datetime import UTC, date

    ctx = get_current_context()
    dag_run = ctx["dag_run"]
    return {
        "run_id": f"airflow:{dag_run.run_id}:{uuid.uuid4().hex[:8]}",
        "day": date.fromisoformat(discovered["day"]),
        "started_at": dag_run.start_date or datetime.now(UTC),
        "trigger": "airflow",
        "files": discovered["files"],
        "articles": discovered["articles"],
        "events": events,
        "quarantined": discovered["quarantined"],
        "duplicates": discovered["duplicates"],
        "failed_expectations": [],
        "timings": timings,
        "data_docs": None,
    }


envoy_daily()
