"""Landing files -> articles, with every unreadable file quarantined instead of crashing the batch.

Formats: the seed ``.txt`` (`` date YYYY-MM-DD `` header), ``.json`` (object or list), ``.jsonl``,
``.html``/``.htm``, and any of them gzipped. Per-format parsing lives in :mod:`pipeline.ingest_formats`;
this module walks a landing folder, drops duplicate articles (by content hash), and copies bad files
to ``<quarantine>/<day|undated>/`` with a ``<name>.reason.json`` beside them. Landing files are never
modified or deleted.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.config import Settings, load_settings
from pipeline.ingest_formats import QuarantineError, parse_file
from pipeline.models import Article, QuarantineRecord, article_id_for

__all__ = [
    "IngestResult",
    "QuarantineError",
    "discover",
    "ingest_path",
    "quarantine_file",
    "read_articles",
    "sample_landing",
]

log = logging.getLogger(__name__)
_DAY_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REASON_SUFFIX = ".reason.json"


def sample_landing() -> Path:
    """The bundled, fictionalised sample landing folder (one sub-folder per day)."""
    return Path(__file__).resolve().parent / "samples" / "landing"


def _dir_day(name: str) -> date | None:
    if not _DAY_DIR.match(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def landing_root(path: Path) -> Path:
    """The folder ``source_file`` is relative to: the given folder, or its parent when it is a day folder.

    So ``landing/2025-08-15/a.txt`` is ``2025-08-15/a.txt`` whether the landing root or the day was given.
    """
    base = path if path.is_dir() else path.parent
    return base.parent if _dir_day(base.name) else base


def folder_day(path: Path, root: Path | None = None) -> date | None:
    """The nearest ``YYYY-MM-DD`` folder above ``path`` (below ``root`` when given)."""
    for parent in path.parents:
        if root is not None and parent == root:
            return None
        day = _dir_day(parent.name)
        if day:
            return day
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _default_max_bytes() -> int:
    return load_settings().max_file_bytes


def _read(path: Path, root: Path, default_day: date | None, max_bytes: int,
          ingested_at: datetime) -> tuple[list[Article], QuarantineError | None]:
    """Articles of one file plus the partial problem (some bad lines/items), if any."""
    day = folder_day(path, root) or default_day
    parsed = parse_file(path, day, max_bytes)
    rel = _relative(path, root)
    articles = [
        Article(article_id=article_id_for(it.text), source_file=rel, publication_date=it.day, text=it.text,
                title=it.title, url=it.url, source=it.source, ingested_at=ingested_at)
        for it in parsed.items
    ]
    return articles, parsed.problem


def read_articles(path: Path, default_day: date | None = None, max_bytes: int | None = None, *,
                  root: Path | None = None) -> list[Article]:
    """One file -> its articles (a ``.jsonl`` or JSON list can hold many).

    Raises :class:`QuarantineError` when the file yields no article. When only some lines or items
    are bad, the good articles are returned and the problem is logged (``ingest_path`` quarantines it).
    """
    path = Path(path).absolute()
    root = Path(root).absolute() if root is not None else landing_root(path)
    limit = max_bytes if max_bytes is not None else _default_max_bytes()
    articles, problem = _read(path, root, default_day, limit, datetime.now(UTC))
    if problem is not None:
        log.warning("%s: partly unreadable (%s: %s)", path, problem.reason, problem.detail)
    return articles


@dataclass
class IngestResult:
    """One batch: unique readable articles in discovery order, and what was quarantined."""

    articles: list[Article] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    files_seen: int = 0


def discover(path: Path) -> list[Path]:
    """Files to ingest under ``path`` (recursive, sorted), skipping hidden entries and reason files."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no such landing file or folder: {path}")
    found = []
    for p in path.rglob("*"):
        rel = p.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or p.name.endswith(REASON_SUFFIX):
            continue
        if p.is_file():
            found.append(p)
    return sorted(found, key=lambda p: p.relative_to(path).parts)


def quarantine_file(settings: Settings, path: Path, record: QuarantineRecord) -> Path:
    """Copy ``path`` to ``<quarantine>/<day|undated>/`` with ``<name>.reason.json`` beside it.

    A different file already quarantined under the same name gets a ``~2``, ``~3``... suffix; re-running
    on the same file overwrites its own copy, so reruns stay idempotent.
    """
    folder = settings.quarantine / (record.day.isoformat() if record.day else "undated")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists() and not _same_bytes(target, path):
        n += 1
        target = folder / f"{path.name}~{n}"
    shutil.copy2(path, target)
    reason = {
        "file": record.file,
        "reason": record.reason,
        "detail": record.detail,
        "day": record.day.isoformat() if record.day else None,
        "recorded_at": record.recorded_at.isoformat(),
    }
    target.with_name(target.name + REASON_SUFFIX).write_text(json.dumps(reason, indent=2) + "\n", "utf-8")
    return target


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def ingest_path(path: Path, settings: Settings, day: date | None = None,
                known_ids: dict[str, str] | None = None) -> IngestResult:
    """Ingest a landing folder (or one file): articles out, bad files quarantined, duplicates recorded.

    ``day`` dates files whose folder is not named ``YYYY-MM-DD``. ``known_ids`` maps article_id ->
    ``"<day> <source_file>"`` for articles already stored on other days; they come back as ``duplicate``.
    """
    path = Path(path).absolute()
    root = landing_root(path)
    known_ids = known_ids or {}
    now = datetime.now(UTC)
    result = IngestResult()
    seen: dict[str, str] = {}
    for f in discover(path):
        result.files_seen += 1
        rel = _relative(f, root)
        fday = folder_day(f, root) or day
        try:
            articles, problem = _read(f, root, fday, settings.max_file_bytes, now)
        except QuarantineError as exc:
            _record(result, settings, f, QuarantineRecord(rel, exc.reason, exc.detail, fday, now))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
            detail = f"{type(exc).__name__}: {exc}"[:600]
            _record(result, settings, f, QuarantineRecord(rel, "unreadable", detail, fday, now))
            continue
        if problem is not None:
            _record(result, settings, f, QuarantineRecord(rel, problem.reason, problem.detail, fday, now))
        dups = []
        for art in articles:
            earlier = seen.get(art.article_id) or known_ids.get(art.article_id)
            if earlier is not None:
                dups.append(QuarantineRecord(rel, "duplicate", f"same text as {earlier}",
                                             fday or art.publication_date, now))
                continue
            seen[art.article_id] = rel
            result.articles.append(art)
        if dups and len(dups) == len(articles) and problem is None:
            _record(result, settings, f, dups[0])  # the whole file repeats earlier articles: copy it once
            dups = dups[1:]
        result.quarantined.extend(dups)
    log.info("ingested %s: %d files, %d articles, %d quarantined", path, result.files_seen,
             len(result.articles), len(result.quarantined))
    return result


def _record(result: IngestResult, settings: Settings, path: Path, record: QuarantineRecord) -> None:
    """Keep the record and copy the file; a failing copy is logged, never raised."""
    try:
        quarantine_file(settings, path, record)
    except OSError as exc:
        log.error("could not copy %s to quarantine: %s", path, exc)
        record.detail = f"{record.detail} (quarantine copy failed: {exc})"
    log.info("quarantined %s: %s (%s)", record.file, record.reason, record.detail)
    result.quarantined.append(record)
