"""The run ledger: one ``runs`` row per run (contract ``schemas.RUNS``), kept in one place for everyone.

``envoy run`` (``stages.run_day``) and the Airflow DAG both do their bookkeeping here. A run
*starts* (a ``running`` row with wall-clock ``started_at``, trigger, host and, for a run in one
process, its pid), each stage's typed result is *recorded* as the stage ends, and the run
*finishes* with a status from ``schemas.RUN_STATUSES``. An error is recorded with the status its
class carries (``EnvoyError.status``: ``refused``, ``validation_failed``, else ``failed``) and a
one-line message. A process that dies without a word (``kill -9``, out of memory) leaves its row
``running``; the next run on the same host finds that pid gone and marks the row ``crashed``. In
Airflow, where a run spans several processes, the DAG's failure callback records the failed task.

Accounting, checked at every stage: ``inputs = articles + duplicates + quarantined``.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from pipeline.config import Settings
from pipeline.errors import EnvoyError
from schemas import RUN_STATUSES, RUNS

_JSON_COLUMNS = ("failed_expectations", "timings")


# --------------------------------------------------------------------------- typed stage results


@dataclass
class _Result:
    """A stage's result: typed here, a plain dict in Airflow's XCom."""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Any:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class DiscoverResult(_Result):
    """The day's landing entries read into a staged lake version (``version`` None: nothing to do)."""

    day: str
    run_id: str
    landing: str
    version: str | None = None
    files: int = 0
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    quarantined: int = 0
    n_shards: int = 0
    replace: bool = False
    seconds: float = 0.0


@dataclass
class ExtractResult(_Result):
    """One shard coded into the staged version's events."""

    shard: int
    articles: int = 0
    events: int = 0
    coding_errors: int = 0  # articles the coder raised on, when it reports them
    seconds: float = 0.0


@dataclass
class LoadStageResult(_Result):
    """The published day loaded into the warehouse."""

    articles: int = 0  # rows inserted
    events: int = 0
    quarantine: int = 0
    duplicates_skipped: int = 0
    rehomed: int = 0
    seconds: float = 0.0


# --------------------------------------------------------------------------- the runs row


@dataclass
class RunRecord:
    """One row of ``runs`` (``schemas.RUNS``), and what ``envoy run`` prints."""

    run_id: str
    day: date
    started_at: datetime
    status: str = "running"
    trigger: str | None = None
    landing: str | None = None
    replace: bool = False
    files: int = 0
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    quarantined: int = 0
    rejected: int = 0
    coding_errors: int = 0
    events: int = 0
    validation_success: bool | None = None
    failed_expectations: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    data_docs: str | None = None
    report: str | None = None
    lake_version: str | None = None
    error: str | None = None
    host: str | None = None
    pid: int | None = None
    finished_at: datetime | None = None

    def row(self) -> dict:
        """The row as stored, checked against the contract (JSON for lists and objects)."""
        if self.status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {self.status!r} (known: {', '.join(RUN_STATUSES)})")
        row = asdict(self)
        for name in _JSON_COLUMNS:
            row[name] = json.dumps(row[name], default=str, sort_keys=isinstance(row[name], dict))
        pa.Table.from_pylist([row], schema=RUNS)  # raises when a value does not fit the contract
        return row

    @classmethod
    def from_row(cls, row: dict) -> RunRecord:
        data = {k: v for k, v in row.items() if k in cls.__dataclass_fields__}
        for name in _JSON_COLUMNS:
            if isinstance(data.get(name), str):
                data[name] = json.loads(data[name])
        data = {k: v for k, v in data.items() if v is not None or k in ("finished_at",)}
        return cls(**data)

    def accounted(self) -> bool:
        return self.inputs == self.articles + self.duplicates + self.quarantined

    def as_dict(self) -> dict:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        d["started_at"] = self.started_at.isoformat()
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return d


def new_run_id(day: date, trigger: str) -> str:
    return f"{trigger}-{day.isoformat()}-{uuid.uuid4().hex[:8]}"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this host (a zombie, killed but not reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


class Ledger:
    """The bookkeeping of one run; every change is written to ``runs`` at once."""

    def __init__(self, settings: Settings, record: RunRecord):
        self.settings, self.record = settings, record

    @classmethod
    def start(cls, settings: Settings, day: date, trigger: str, *, run_id: str | None = None,
              landing: str | None = None, replace: bool = False, whole_run_here: bool = True) -> Ledger:
        """Write the ``running`` row (after marking this host's dead runs ``crashed``).

        ``whole_run_here``: this process runs every stage (``envoy run``), so its pid tells whether
        the run is alive; an Airflow run spans processes and records no pid.
        """
        mark_crashed(settings)
        record = RunRecord(
            run_id=run_id or new_run_id(day, trigger), day=day, started_at=datetime.now(UTC), trigger=trigger,
            landing=landing, replace=replace, host=socket.gethostname(),
            pid=os.getpid() if whole_run_here else None,
        )
        ledger = cls(settings, record)
        ledger.save()
        return ledger

    @classmethod
    def resume(cls, settings: Settings, run_id: str) -> Ledger:
        """The ledger of a run started by another process (a later Airflow task of the same run)."""
        from pipeline.load import connect

        with connect(settings) as con:
            cur = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
        if not rows:
            raise LookupError(f"no run {run_id!r} in the runs table")
        return cls(settings, RunRecord.from_row(dict(zip(cols, rows[0], strict=True))))

    def save(self) -> None:
        from pipeline.load import record_run

        record_run(self.settings, self.record.row())

    # ---- stages

    def discovered(self, d: DiscoverResult) -> None:
        r = self.record
        r.files, r.inputs, r.articles = d.files, d.inputs, d.articles
        r.duplicates, r.quarantined, r.landing, r.replace = d.duplicates, d.quarantined, d.landing, d.replace
        r.timings["discover"] = d.seconds
        self.save()

    def extracted(self, shards: list[ExtractResult]) -> None:
        r = self.record
        r.events = sum(s.events for s in shards)
        r.coding_errors = sum(s.coding_errors for s in shards)
        r.timings["extract"] = round(sum(s.seconds for s in shards), 3)
        self.save()

    def audited(self, a: Any) -> None:
        """Record an ``audit.AuditResult`` (validation passed; the day's version was published)."""
        r = self.record
        r.validation_success, r.failed_expectations, r.data_docs = True, list(a.failed), a.docs_index
        r.rejected = a.rejected
        r.articles, r.quarantined = r.articles - a.rejected, r.quarantined + a.rejected
        r.events, r.lake_version = a.events, a.version
        r.timings["validate"] = a.seconds
        self.save()

    def validation_failed(self, failed: list[str], docs_index: str | None) -> None:
        r = self.record
        r.validation_success, r.failed_expectations, r.data_docs = False, list(failed), docs_index

    def loaded(self, res: LoadStageResult) -> None:
        self.record.timings["load"] = res.seconds
        self.finish("loaded")

    def reported(self, path: str | None, seconds: float) -> None:
        self.record.report, self.record.timings["report"] = path, seconds
        self.save()

    def finish(self, status: str, error: str | None = None) -> None:
        self.record.status, self.record.error = status, error
        self.record.finished_at = datetime.now(UTC)
        self.save()

    def fail(self, exc: BaseException) -> None:
        """Record the error that ended the run, with the status its class carries."""
        status = getattr(exc, "status", "failed")
        self.finish(status if status in RUN_STATUSES else "failed", one_line(exc))


def one_line(exc: BaseException | str) -> str:
    """An error as one line: an :class:`EnvoyError`'s own message, else ``Type: message``."""
    if isinstance(exc, str):
        return exc[:1000]
    lines = str(exc).strip().splitlines()
    head = lines[0] if lines else ""
    return (head if head and isinstance(exc, EnvoyError) else f"{type(exc).__name__}: {head}")[:1000]


def record_failure(settings: Settings, run_id: str, error: str, status: str = "failed") -> bool:
    """Mark a run that is still ``running`` as ended by ``error`` (Airflow failure callbacks); a run
    that already has its final status keeps it. Returns whether a row changed."""
    from pipeline.load import connect

    with connect(settings) as con:
        n = con.execute(
            "UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE run_id = ? AND status = 'running'",
            [status, error[:1000], datetime.now(UTC), run_id],
        ).fetchall()[0][0]
    return bool(n)


def mark_crashed(settings: Settings) -> list[str]:
    """Rows left ``running`` by a process of this host that no longer exists become ``crashed``."""
    from pipeline import load

    if not load.warehouse_exists(settings):
        return []
    host = socket.gethostname()
    with load.connect(settings) as con:
        rows = con.execute(
            "SELECT run_id, pid FROM runs WHERE status = 'running' AND host = ? AND pid IS NOT NULL", [host]
        ).fetchall()
        dead = [(rid, pid) for rid, pid in rows if pid != os.getpid() and not _alive(int(pid))]
        for rid, pid in dead:
            why = f"the process running it (pid {pid} on {host}) ended without finishing it"
            con.execute(
                "UPDATE runs SET status = 'crashed', finished_at = ?, error = ? WHERE run_id = ?",
                [datetime.now(UTC), why, rid],
            )
    return [rid for rid, _ in dead]
