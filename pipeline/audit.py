"""Audit and publish, the last two steps of write–audit–publish for one staged day.

:func:`audit_and_publish` validates the staged version (:mod:`pipeline.validate`), moves every
article that broke an article-level expectation, with its text and events, into the version's
``quarantine`` table (reason ``failed_expectation``, the expectations it broke and its rows as JSON,
so nothing is lost), and publishes the rest (:func:`pipeline.lake.publish`). A batch-level failure,
or a batch smaller than the published day without ``replace``, discards the staged version: the
published day stays as it was.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import lake, store
from pipeline.config import Settings
from pipeline.errors import ReplaceRefused, ValidationFailed
from pipeline.models import QuarantineRecord


@dataclass
class AuditResult:
    """What validation found and what was published (typed result of the validate stage)."""

    success: bool
    failed: list[str] = field(default_factory=list)  # every failed expectation, described
    rejected: int = 0  # articles moved to quarantine
    articles: int = 0  # articles published
    events: int = 0  # events published
    version: str | None = None  # the published lake version
    docs_index: str | None = None
    statistics: dict = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict) -> AuditResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _payload(article: dict, text: str | None, events: list[dict]) -> str:
    return json.dumps({"article": article, "text": text, "events": events}, default=str, ensure_ascii=False)


def _hits(table: pa.Table, ids: pa.Array) -> pa.ChunkedArray:
    return pc.is_in(table.column("article_id"), value_set=ids)


def reject_articles(settings: Settings, day: date, version: str, rejected: dict[str, list[str]]) -> int:
    """Rewrite the staged version without the rejected articles and record each in its quarantine."""
    if not rejected:
        return 0
    ids = pa.array(sorted(rejected), type=pa.string())
    arts = store.read_day("articles", settings, day, version)
    texts = store.read_day("texts", settings, day, version)
    events = store.read_day("events", settings, day, version)
    text_of = dict(zip(texts.column("article_id").to_pylist(), texts.column("text").to_pylist(), strict=True))
    events_of: dict[str, list[dict]] = {}
    for row in events.filter(_hits(events, ids)).to_pylist():
        events_of.setdefault(row["article_id"], []).append(row)
    now = datetime.now(UTC)
    records = []
    for art in arts.filter(_hits(arts, ids)).to_pylist():
        aid, broke = art["article_id"], rejected[art["article_id"]]
        records.append(QuarantineRecord(
            file=art["source_file"], reason="failed_expectation", detail="; ".join(broke)[:600], day=day,
            recorded_at=now, article_id=aid, expectation="; ".join(sorted({b.split(":")[0] for b in broke})),
            payload=_payload(art, text_of.get(aid), events_of.get(aid, [])),
        ).row())
    for table, data in (("articles", arts), ("texts", texts)):
        store.write_table(table, data.filter(pc.invert(_hits(data, ids))), settings, day, version=version)
    for part in lake.staged_files("events", settings, day, version):
        kept = store.read_part("events", part)
        kept = kept.filter(pc.invert(_hits(kept, ids)))
        store.write_table("events", kept, settings, day, part=part.stem[len("part-"):], version=version)
    store.write_table("quarantine", records, settings, day, part="validation", version=version)
    return len(records)


def audit_and_publish(settings: Settings, day: date, version: str, run_id: str | None = None,
                      replace: bool = False) -> AuditResult:
    """Validate the staged ``version`` of ``day``, reject bad articles, publish; see the module notes.

    Raises :class:`ValidationFailed` or :class:`ReplaceRefused` after discarding the staged version.
    """
    from pipeline import validate

    t0 = time.perf_counter()
    try:
        res = validate.validate_day(settings, day, version)
        docs = str(res.docs_index) if res.docs_index else None
        if not res.success:
            raise ValidationFailed(day, res.batch_failed, res.docs_index)
        rejected = reject_articles(settings, day, version, res.rejected)
        manifest = lake.publish(settings, day, version, run_id, replace=replace)
    except (ValidationFailed, ReplaceRefused):
        lake.discard(settings, day, version)
        raise
    return AuditResult(
        success=True, failed=list(res.failed), rejected=rejected, articles=manifest.rows("articles"),
        events=manifest.rows("events"), version=manifest.version, docs_index=docs,
        statistics=res.statistics, seconds=round(time.perf_counter() - t0, 3),
    )
