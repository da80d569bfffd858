"""Write–audit–publish for the Parquet lake: a day changes only by publishing a whole, validated batch.

Layout under the lake root (every path in a manifest is relative to it)::

    _staging/<day>/<version>/<table>/part-<part>.parquet     a batch being written, then audited
    <table>/ingest_date=<day>/part-<version>-<part>.parquet   the files of the day's published version
    _manifests/<day>.json                                     which version of the day is published

Stages write a new version into staging (``store.write_table(..., version=v)``), validation reads and
amends it there, and :func:`publish` makes it the day's version: it moves the files into the day's
partition folders under names that carry the version, then replaces the day's manifest (one small
file, ``os.replace``: the commit point), then deletes the previous version's files. A batch that
fails validation is discarded and the published day stays as it was.

Readers go through the manifest (:func:`published_files`, ``store.read_day``, the ``--lake`` views),
so they see one whole version of a day across all its tables, never a mix and never a day that
vanishes while it reruns. A reader holding the previous manifest whose files were just deleted sees
``FileNotFoundError`` and reads the new manifest again (:func:`with_retry`). Plain globs over
``<table>/ingest_date=*/part-*.parquet`` see the published files too, but only a manifest gives one
version of all tables at once.

Only one operation must be atomic: replacing the manifest. On object storage without rename (issue
11: S3 and compatible stores) the same format works by writing the version's files straight to their
final keys (invisible until a manifest lists them), then putting the manifest with a conditional
write, then deleting unlisted keys; ``previous`` and ``published_at`` let a cleaner keep the files of
the previous version for readers still using it. A day folder without a manifest (a lake from before
manifests, or parts written directly with ``store.write_table`` and no version) is read whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.errors import EnvoyError, ReplaceRefused
from schemas import TABLES

PART_GLOB = "part-*.parquet"
STAGING = "_staging"
MANIFESTS = "_manifests"
FORMAT = 1
_VERSION_RE = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{8}$")
_TMP_SUFFIX = ".tmp"
#: Staged versions older than this are leftovers of runs that died; the next run of the day drops them.
STALE_STAGING_SECONDS = 6 * 3600
T = TypeVar("T")


class LakeCorrupt(EnvoyError):
    """A manifest that cannot be read: the published state of a day is unknown."""


def new_version(now: datetime | None = None) -> str:
    """A version id that sorts by creation time and never repeats: ``20250815T101500123456Z-1a2b3c4d``."""
    now = now or datetime.now(UTC)
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:8]}"


def check_version(version: str) -> str:
    if not _VERSION_RE.match(version or ""):
        raise ValueError(f"invalid lake version {version!r}")
    return version


def partition_dir(table: str, settings: Settings, day: date) -> Path:
    """The Hive-style partition folder holding a table's published files for one day."""
    return Path(settings.lake) / table / f"ingest_date={day.isoformat()}"


def staging_dir(settings: Settings, day: date, version: str) -> Path:
    return Path(settings.lake) / STAGING / day.isoformat() / check_version(version)


def staged_table_dir(table: str, settings: Settings, day: date, version: str) -> Path:
    return staging_dir(settings, day, version) / table


def staged_files(table: str, settings: Settings, day: date, version: str) -> list[Path]:
    d = staged_table_dir(table, settings, day, version)
    return sorted(p for p in d.glob(PART_GLOB) if p.is_file()) if d.is_dir() else []


def manifest_path(settings: Settings, day: date) -> Path:
    return Path(settings.lake) / MANIFESTS / f"{day.isoformat()}.json"


@dataclass
class Manifest:
    """The published version of one day: for each table, its files (relative to the lake) and rows."""

    day: str
    version: str
    run_id: str | None
    published_at: str
    previous: str | None = None
    tables: dict[str, dict] = field(default_factory=dict)  # table -> {"files": [...], "rows": n}
    format: int = FORMAT

    def files(self, table: str, settings: Settings) -> list[Path]:
        return [Path(settings.lake) / f for f in self.tables.get(table, {}).get("files", [])]

    def rows(self, table: str) -> int:
        return int(self.tables.get(table, {}).get("rows", 0))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def read_manifest(settings: Settings, day: date) -> Manifest | None:
    """The day's manifest, or None when the day was never published with one."""
    path = manifest_path(settings, day)
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise LakeCorrupt(f"the lake manifest {path} cannot be read ({exc}); restore or delete it") from exc


def _legacy_parts(table: str, settings: Settings, day: date) -> list[Path]:
    d = partition_dir(table, settings, day)
    return sorted(p for p in d.glob(PART_GLOB) if p.is_file()) if d.is_dir() else []


def published_files(table: str, settings: Settings, day: date) -> list[Path]:
    """The files of the day's published version of ``table`` (all parts of a day without manifest)."""
    if table not in TABLES:
        raise ValueError(f"unknown lake table {table!r} (known: {', '.join(sorted(TABLES))})")
    manifest = read_manifest(settings, day)
    if manifest is None:
        return _legacy_parts(table, settings, day)
    return manifest.files(table, settings)


def published_rows(table: str, settings: Settings, day: date) -> int:
    """Rows of ``table`` in the day's published version, from Parquet footers (no data read)."""
    manifest = read_manifest(settings, day)
    if manifest is not None:
        return manifest.rows(table)
    return with_retry(
        lambda: sum(pq.ParquetFile(p).metadata.num_rows for p in _legacy_parts(table, settings, day))
    )


def published_days(settings: Settings, table: str | None = None) -> list[date]:
    """Days with a published version (a manifest, or parts written without one), oldest first."""
    root = Path(settings.lake)
    out: set[date] = set()
    mdir = root / MANIFESTS
    if mdir.is_dir():
        for p in mdir.glob("*.json"):
            with contextlib.suppress(ValueError):
                out.add(date.fromisoformat(p.stem))
    for t in [table] if table else list(TABLES):
        tdir = root / t
        if not tdir.is_dir():
            continue
        for d in tdir.iterdir():
            m = re.match(r"^ingest_date=(\d{4}-\d{2}-\d{2})$", d.name)
            if m and d.is_dir() and any(d.glob(PART_GLOB)):
                with contextlib.suppress(ValueError):
                    out.add(date.fromisoformat(m.group(1)))
    if table:  # a manifest day counts for a table only if that table has files in it
        out = {d for d in out if published_files(table, settings, d)}
    return sorted(out)


def with_retry(read: Callable[[], T], attempts: int = 5) -> T:
    """Run a read of published files again when a concurrent publish deleted the files it was given."""
    for n in range(attempts):
        try:
            return read()
        except FileNotFoundError:
            if n == attempts - 1:
                raise
            time.sleep(0.05 * (n + 1))
    raise AssertionError("unreachable")


@contextlib.contextmanager
def day_lock(settings: Settings, day: date) -> Iterator[None]:
    """One publisher per day at a time (on this host's file system; see the module notes for S3)."""
    lock = Path(settings.lake) / MANIFESTS / f".{day.isoformat()}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write ``path`` whole or not at all: a temp file beside it (a dot-name no reader or glob picks
    up), fsync, ``os.replace``, fsync of the folder. A crash leaves the old file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}{_TMP_SUFFIX}"
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def _write_atomic(path: Path, text: str) -> None:
    write_atomically(path, lambda fh: fh.write(text.encode("utf-8")))


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def article_ids(settings: Settings, day: date, version: str | None = None) -> set[str]:
    """The article ids of a day's published version (or of a staged ``version``)."""
    files = staged_files("articles", settings, day, version) if version else published_files(
        "articles", settings, day)

    def read() -> set[str]:
        return {i for f in files for i in pq.read_table(f, columns=["article_id"]).column(0).to_pylist()}

    return read() if version else with_retry(read)


def earlier_article_ids(settings: Settings, day: date) -> set[str]:
    """Article ids published under days before ``day`` (they own those articles)."""
    return set().union(*(article_ids(settings, d) for d in published_days(settings, "articles") if d < day))


def replace_guard(settings: Settings, day: date, new_ids: set[str], replace: bool) -> None:
    """A day is replaced by fewer articles than it holds only when asked (``--replace``).

    An article the day held that an earlier day now holds is not lost (it was found to repeat that
    day's), so it still counts; any other article missing from the new batch would leave the day.
    """
    if replace:
        return
    held = article_ids(settings, day)
    if len(new_ids) >= len(held):
        return
    moved = (held - new_ids) & earlier_article_ids(settings, day)
    if len(new_ids) + len(moved) < len(held):
        raise ReplaceRefused(
            f"{day}: the new batch has {len(new_ids)} article(s) but the published day holds {len(held)}; "
            "nothing was replaced. Check the landing folder, or rerun with --replace "
            '(Airflow: conf {"replace": true}) to replace the day with fewer articles'
        )


def publish(settings: Settings, day: date, version: str, run_id: str | None = None, *,
            replace: bool = False) -> Manifest:
    """Make a staged version the day's published version (see the module notes); returns its manifest.

    Raises :class:`ReplaceRefused` (nothing changed) when the version holds fewer articles than the
    published day and ``replace`` is false; the check and the swap happen under the day's lock.
    """
    with day_lock(settings, day):
        staged = {t: staged_files(t, settings, day, version) for t in TABLES}
        if not any(staged.values()):
            raise FileNotFoundError(f"no staged files for {day} version {version}")
        replace_guard(settings, day, article_ids(settings, day, version), replace)
        old = read_manifest(settings, day)
        tables: dict[str, dict] = {}
        for table, files in staged.items():
            target = partition_dir(table, settings, day)
            target.mkdir(parents=True, exist_ok=True)
            moved, rows = [], 0
            for src in files:
                dest = target / f"part-{version}-{src.name[len('part-'):]}"
                rows += pq.ParquetFile(src).metadata.num_rows
                os.replace(src, dest)
                moved.append(dest.relative_to(settings.lake).as_posix())
            fsync_dir(target)
            tables[table] = {"files": moved, "rows": rows}
        manifest = Manifest(
            day=day.isoformat(), version=version, run_id=run_id,
            published_at=datetime.now(UTC).isoformat(), previous=old.version if old else None, tables=tables,
        )
        _write_atomic(manifest_path(settings, day), manifest.to_json())  # the commit point
        _drop_unlisted(settings, day, manifest)
        discard(settings, day, version)
        if settings.extra and settings.extra.get("ENVOY_LAKE_S3"):  # in the lock: S3 sees days in order
            from pipeline import lake_s3

            lake_s3.mirror(settings, manifest)
    return manifest


def _drop_unlisted(settings: Settings, day: date, manifest: Manifest) -> None:
    """Delete the day's files that the manifest does not list: the previous version, leftovers."""
    keep = {Path(settings.lake) / f for t in manifest.tables.values() for f in t["files"]}
    for table in TABLES:
        d = partition_dir(table, settings, day)
        if not d.is_dir():
            continue
        for p in d.iterdir():
            if p.is_file() and p not in keep and (p.match(PART_GLOB) or p.name.endswith(_TMP_SUFFIX)):
                p.unlink(missing_ok=True)


def discard(settings: Settings, day: date, version: str) -> None:
    """Drop a staged version (after publishing it, or when its batch failed)."""
    shutil.rmtree(staging_dir(settings, day, version), ignore_errors=True)
    with contextlib.suppress(OSError):
        staging_dir(settings, day, version).parent.rmdir()  # only when no other version is staged


def drop_stale_staging(settings: Settings, day: date, older_than: float = STALE_STAGING_SECONDS) -> int:
    """Remove staged versions of ``day`` left by runs that died; returns how many."""
    root = Path(settings.lake) / STAGING / day.isoformat()
    if not root.is_dir():
        return 0
    cutoff, n = time.time() - older_than, 0
    for d in root.iterdir():
        if d.is_dir() and _VERSION_RE.match(d.name) and d.stat().st_mtime < cutoff:
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


def snapshot(settings: Settings, day: date) -> dict[str, list[Path]]:
    """The files of every table in the day's published version, from one manifest read."""
    manifest = read_manifest(settings, day)
    if manifest is None:
        return {t: _legacy_parts(t, settings, day) for t in TABLES}
    return {t: manifest.files(t, settings) for t in TABLES}


def lake_snapshot(
    settings: Settings, tables: tuple[str, ...] | list[str] = tuple(TABLES)
) -> dict[str, list[Path]]:
    """Every published file of each table, all days, reading each day's manifest once."""
    out: dict[str, list[Path]] = {t: [] for t in tables}
    for d in published_days(settings):
        snap = snapshot(settings, d)
        for t in tables:
            out[t].extend(snap[t])
    return out


def all_published_files(table: str, settings: Settings) -> list[Path]:
    """Every published file of ``table``, all days (one manifest read per day)."""
    return [p for d in published_days(settings, table) for p in published_files(table, settings, d)]
