"""
### envoy_reports: rebuild the relations report whenever the warehouse changes

Scheduled on the `envoy://warehouse` asset that `envoy_daily`'s **load** task publishes, so any load
(scheduled, backfilled or manual) is followed by a fresh report over the whole warehouse. Several loads
in a row collapse into one report run. Reading DuckDB is cheap, but it still takes the one-slot
`envoy_duckdb` pool so it never holds the file while a load writes it.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, task

from pipeline.airflow_local import DUCKDB_POOL, WAREHOUSE_ASSET_URI

# On Celery, the warehouse's own worker runs it, like envoy_daily's load and report (docs/scaling.md).
WAREHOUSE_TASKS = {"queue": q} if (q := os.environ.get("ENVOY_WAREHOUSE_QUEUE", "").strip()) else {}


@dag(
    dag_id="envoy_reports",
    schedule=[Asset(WAREHOUSE_ASSET_URI)],
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["envoy", "reports"],
    doc_md=__doc__,
    default_args={
        "owner": "envoy",
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": 2.0,
    },
)
def envoy_reports():
    @task(pool=DUCKDB_POOL, multiple_outputs=False, **WAREHOUSE_TASKS)
    def rebuild_report() -> dict:
        """The relations report over every loaded day."""
        import logging

        from pipeline import stages
        from pipeline.config import load_settings

        out = stages.report(load_settings(), None)
        logging.getLogger("envoy").info("relations report: %s", out["path"])
        return out

    rebuild_report()


envoy_reports()
