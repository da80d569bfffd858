"""Plain records passed between stages (no heavy imports here)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime


def normalise_text(text: str) -> str:
    """The form an article is identified by: NFKC, unified quotes, collapsed whitespace, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def article_id_for(text: str) -> str:
    """Content hash, so one article arriving twice under any name or day is stored once."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:32]


@dataclass
class Article:
    """One readable article. ``text`` is the body without the date header."""

    article_id: str
    source_file: str
    publication_date: date
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    ingested_at: datetime | None = None

    @property
    def n_chars(self) -> int:
        return len(self.text)

    def row(self) -> dict:
        """The ``articles`` table row (no text: the lake keeps metadata, evidence lives on events)."""
        d = asdict(self)
        d.pop("text")
        d["n_chars"] = self.n_chars
        return d


@dataclass
class QuarantineRecord:
    """An input that could not be used (a file, a line or item of one, or an article refused by
    validation), and why. ``file`` is printable: undecodable bytes of a name are ``\\xNN``."""

    file: str
    reason: str
    detail: str
    day: date | None
    recorded_at: datetime
    article_id: str | None = None  # set when validation moved a whole article here
    expectation: str | None = None
    payload: str | None = None  # JSON of the rows moved (the article and its events)

    def row(self) -> dict:
        return asdict(self)
