"""Landing files -> articles, with every unreadable file quarantined instead of crashing the batch.

Formats: the seed ``.txt`` (`` date YYYY-MM-DD `` header), ``.json`` (object or list), ``.jsonl``,
``.html``/``.htm``, and any of them gzipped. Per-format parsing lives in :mod:`pipeline.ingest_formats`;
this module walks a landing folder (every entry, classified by :mod:`pipeline.landing`), drops
duplicate articles (by content hash), and records everything it does not use: bad files are copied
to ``<quarantine>/<day|undated>/`` with a ``<name>.reason.json`` beside them (entries that must not
be read get the reason file only). Landing files are never modified or deleted.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline import landing
from pipeline.config import Settings, load_settings
from pipeline.errors import LandingMissing
from pipeline.ingest_formats import QuarantineError, parse_file
from pipeline.landing import Entry, display
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


Problems = list[tuple[str, QuarantineError]]


def _read(path: Path, root: Path, default_day: date | None, max_bytes: int, ingested_at: datetime,
          name: str | None = None, target: Path | None = None) -> tuple[list[Article], Problems]:
    """Articles of one file plus one problem per bad unit (lines/items), if any."""
    day = folder_day(path, root) or default_day
    parsed = parse_file(target or path, day, max_bytes, name=path.name)
    rel = name or display(_relative(path, root))
    articles = [
        Article(article_id=article_id_for(it.text), source_file=rel, publication_date=it.day, text=it.text,
                title=it.title, url=it.url, source=it.source, ingested_at=ingested_at)
        for it in parsed.items
    ]
    return articles, parsed.problems


def read_articles(path: Path, default_day: date | None = None, max_bytes: int | None = None, *,
                  root: Path | None = None) -> list[Article]:
    """One file -> its articles (a ``.jsonl`` or JSON list can hold many).

    Raises :class:`QuarantineError` when the file yields no article. When only some lines or items
    are bad, the good articles are returned and the problems are logged (``ingest_path`` quarantines them).
    """
    path = Path(path).absolute()
    root = Path(root).absolute() if root is not None else landing_root(path)
    limit = max_bytes if max_bytes is not None else _default_max_bytes()
    articles, problems = _read(path, root, default_day, limit, datetime.now(UTC))
    for unit, problem in problems:
        log.warning("%s: %s unreadable (%s: %s)", path, unit, problem.reason, problem.detail)
    return articles


@dataclass
class IngestResult:
    """One batch: unique readable articles in discovery order, and every record of what was not used.

    ``inputs`` counts what the landing entries held (one per single-article file, one per line or item
    of a multi-article file, one per file that could not be read at all), independently of the
    outcome, so ``inputs == len(articles) + len(duplicates) + len(refused)`` checks that every input
    was accounted for.
    """

    articles: list[Article] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)  # every record, duplicates included
    files_seen: int = 0
    inputs: int = 0

    @property
    def duplicates(self) -> list[QuarantineRecord]:
        return [q for q in self.quarantined if q.reason == "duplicate"]

    @property
    def refused(self) -> list[QuarantineRecord]:
        """Inputs quarantined for a problem (everything recorded that is not a duplicate)."""
        return [q for q in self.quarantined if q.reason != "duplicate"]

    def check(self) -> None:
        """Raise if an input went unaccounted for (a bug: nothing may vanish silently)."""
        told = len(self.articles) + len(self.duplicates) + len(self.refused)
        if told != self.inputs:
            raise AssertionError(f"ingest accounting: {self.inputs} inputs but {len(self.articles)} articles "
                                 f"+ {len(self.duplicates)} duplicates + {len(self.refused)} quarantined")


def discover(path: Path) -> list[Path]:
    """The regular files to read under ``path`` (recursive, sorted by name); see :func:`entries` for
    every entry, of every kind."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise FileNotFoundError(f"no such landing file or folder: {path}")
    return [e.path for e in landing.entries(path, landing_root(path.absolute())) if e.kind == "file"]


def quarantine_file(settings: Settings, path: Path, record: QuarantineRecord, copy: bool = True) -> Path:
    """Copy ``path`` to ``<quarantine>/<day|undated>/`` with ``<name>.reason.json`` beside it.

    The reason file is written first, so it exists even when the copy fails (it then says why).
    ``copy=False`` writes only the reason: for entries that must not be read (links out of the
    landing root, FIFOs, devices, hidden files). A different file already quarantined under the same
    name gets a ``~2``, ``~3``... suffix; re-running on the same file overwrites its own copy, so
    reruns stay idempotent.
    """
    folder = settings.quarantine / (record.day.isoformat() if record.day else "undated")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while copy and target.exists() and not _same_bytes(target, path):
        n += 1
        target = folder / f"{path.name}~{n}"
    reason_file = target.with_name(target.name + REASON_SUFFIX)
    _write_reason(reason_file, record, copied=copy)
    if copy:
        try:
            shutil.copyfile(path, target, follow_symlinks=True)
        except OSError as exc:
            _write_reason(reason_file, record, copied=False, copy_error=f"{type(exc).__name__}: {exc}")
            raise
    return target


def _write_reason(path: Path, record: QuarantineRecord, copied: bool, copy_error: str | None = None) -> None:
    reason = {
        "file": record.file,
        "reason": record.reason,
        "detail": record.detail,
        "day": record.day.isoformat() if record.day else None,
        "recorded_at": record.recorded_at.isoformat(),
        "copied": copied,
    }
    if copy_error:
        reason["copy_error"] = copy_error
    path.write_text(json.dumps(reason, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def ingest_path(path: Path, settings: Settings, day: date | None = None,
                known_ids: dict[str, str] | None = None) -> IngestResult:
    """Ingest a landing folder (or one file): articles out, every other entry and input recorded.

    ``day`` dates files whose folder is not named ``YYYY-MM-DD``. ``known_ids`` maps article_id ->
    ``"<day> <source_file>"`` for articles already stored on other days; they come back as ``duplicate``.
    Raises :class:`pipeline.errors.LandingMissing` when ``path`` does not exist: a typo or an unmounted
    share is an error, never an empty day.
    """
    path = Path(path).absolute()
    if not path.exists() and not path.is_symlink():
        raise LandingMissing(f"no landing folder or file at {path}: nothing was read and nothing replaced")
    root = landing_root(path)
    batch = _Batch(settings, root, day, known_ids or {}, datetime.now(UTC))
    for entry in landing.entries(path, root):
        batch.take(entry)
    result = batch.result
    result.check()
    log.info("ingested %s: %d entries, %d inputs, %d articles, %d duplicates, %d quarantined", path,
             result.files_seen, result.inputs, len(result.articles), len(result.duplicates),
             len(result.refused))
    return result


@dataclass
class _Batch:
    """The state of one ingest: what was seen, kept and recorded."""

    settings: Settings
    root: Path
    day: date | None
    known_ids: dict[str, str]
    now: datetime
    result: IngestResult = field(default_factory=IngestResult)
    seen: dict[str, str] = field(default_factory=dict)

    def take(self, entry: Entry) -> None:
        """Account for one landing entry: read it if it is a file, record it otherwise."""
        self.result.files_seen += 1
        fday = folder_day(entry.path, self.root) or self.day
        if entry.kind != "file":
            self.refuse(entry, entry.kind, entry.detail, fday, copy=False)
            return
        try:
            articles, problems = _read(entry.path, self.root, fday, self.settings.max_file_bytes, self.now,
                                       name=entry.name, target=entry.target)
        except QuarantineError as exc:
            self.refuse(entry, exc.reason, exc.detail, fday, copy=exc.reason != "special_file")
            return
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
            self.refuse(entry, "unreadable", f"{type(exc).__name__}: {exc}"[:600], fday)
            return
        self.result.inputs += len(articles) + len(problems)
        for n, (unit, problem) in enumerate(problems):
            detail = f"{unit}: {problem.detail}"[:600]
            rec = QuarantineRecord(entry.name, problem.reason, detail, fday, self.now)
            self.record(entry, rec, copy=n == 0)
        self.dedupe(entry, articles, fday, copied=bool(problems))

    def refuse(self, entry: Entry, reason: str, detail: str, fday: date | None, copy: bool = True) -> None:
        """A whole entry that yields nothing: one input, one record."""
        self.result.inputs += 1
        self.record(entry, QuarantineRecord(entry.name, reason, detail, fday, self.now), copy=copy)

    def dedupe(self, entry: Entry, articles: list[Article], fday: date | None, copied: bool) -> None:
        """Keep each article once; repeats (in this batch or an earlier day) are recorded as duplicates."""
        dups = []
        for art in articles:
            earlier = self.seen.get(art.article_id) or self.known_ids.get(art.article_id)
            if earlier is not None:
                dups.append(QuarantineRecord(entry.name, "duplicate", f"same text as {earlier}",
                                             fday or art.publication_date, self.now))
                continue
            self.seen[art.article_id] = entry.name
            self.result.articles.append(art)
        for n, rec in enumerate(dups):  # a file that only repeats earlier articles is copied once
            self.record(entry, rec, copy=n == 0 and len(dups) == len(articles) and not copied)

    def record(self, entry: Entry, record: QuarantineRecord, copy: bool = True) -> None:
        """Keep the record and write its reason file (and copy the file); a failing copy is logged, never
        raised, and noted in the record and the reason file."""
        try:
            quarantine_file(self.settings, entry.target or entry.path, record, copy=copy)
        except OSError as exc:
            log.error("could not copy %s to quarantine: %s", entry.name, exc)
            record.detail = f"{record.detail} (quarantine copy failed: {exc})"
        log.info("quarantined %s: %s (%s)", record.file, record.reason, record.detail)
        self.result.quarantined.append(record)
