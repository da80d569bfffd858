"""Reading one landing file: bytes (with size caps), text decoding, and the per-format parsers.

Kept apart from :mod:`pipeline.ingest` (batch, duplicates, quarantine copies) so each part stays
small. Every refusal is a :class:`QuarantineError` carrying a reason from the closed vocabulary in
``schemas.QUARANTINE_REASONS``, so analysts can group quarantined files by why they failed.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from schemas import QUARANTINE_REASONS

#: Extensions we can read; ``.gz`` wraps any of them (``x.jsonl.gz``).
FORMATS = {".txt": "txt", ".text": "txt", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".html": "html", ".htm": "html"}

#: Magic numbers of formats that are certainly not article text (checked before decoding).
BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c", b"Rar!", b"\xd0\xcf\x11\xe0", b"SQLite format 3", b"PAR1", b"\x28\xb5\x2f\xfd",
    b"\xfd7zXZ", b"BZh91", b"OggS", b"RIFF", b"\x00\x00\x01\x00",
)
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
#: Seed header: `` date 2025-08-15 <first paragraph>`` (lenient about spaces, colon, case, a time).
_HEADER = re.compile(r"^\s*date:?[ \t]+(\d{4})-(\d{1,2})-(\d{1,2})(?:T[0-9:.]+Z?)?(?=\s|$)[ \t]*", re.I)
_HEADER_LOOSE = re.compile(r"^\s*date:?[ \t]+(\d\S*)", re.I)
_TEXT_KEYS = ("text", "body", "content")
_DATE_KEYS = ("date", "published", "publication_date", "published_at", "datePublished")


class QuarantineError(Exception):
    """A file (or part of one) that cannot become an article; ``reason`` is a quarantine reason."""

    def __init__(self, reason: str, detail: str):
        if reason not in QUARANTINE_REASONS:
            raise ValueError(f"unknown quarantine reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Item:
    """One article as parsed from a file, before ids and provenance are attached."""

    text: str
    day: date
    title: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass
class Parsed:
    """What a file yielded: good items, and a problem when only part of the file was readable."""

    items: list[Item] = field(default_factory=list)
    problem: QuarantineError | None = None


# --------------------------------------------------------------------------- bytes


def format_of(path: Path) -> tuple[str, bool]:
    """(format, gzipped) from the file name; raises ``unsupported_format``."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    ext = (suffixes[-2] if len(suffixes) > 1 else "") if gz else (suffixes[-1] if suffixes else "")
    if ext not in FORMATS:
        shown = "".join(path.suffixes[-2:] if gz else path.suffixes[-1:]) or "(no extension)"
        raise QuarantineError("unsupported_format", f"cannot read {shown} files; expected one of "
                              + ", ".join(sorted(FORMATS)) + " (optionally .gz)")
    return FORMATS[ext], gz


def read_bytes(path: Path, gz: bool, max_bytes: int) -> bytes:
    """The file's content, refusing (by ``stat``, before reading) files above ``max_bytes``.

    A ``.gz`` is inflated in bounded chunks, so a gzip bomb stops at ``max_bytes`` instead of
    exhausting memory.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise QuarantineError("oversized", f"{size} bytes > limit {max_bytes}")
    if size == 0:
        raise QuarantineError("empty", "0 bytes")
    raw = path.read_bytes()
    return _gunzip(raw, max_bytes) if gz else raw


def _gunzip(raw: bytes, max_bytes: int) -> bytes:
    if not raw.startswith(b"\x1f\x8b"):
        raise QuarantineError("unreadable", "not a gzip file (bad magic number)")
    out = bytearray()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = raw
    try:
        while data:
            out += d.decompress(data, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                raise QuarantineError("oversized", f"decompresses to more than {max_bytes} bytes")
            data = d.unconsumed_tail
            if d.eof and d.unused_data:  # concatenated gzip members
                data, d = d.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
        if not d.eof:
            raise QuarantineError("unreadable", "truncated gzip stream")
    except zlib.error as exc:
        raise QuarantineError("unreadable", f"corrupt gzip stream: {exc}") from exc
    if not out:
        raise QuarantineError("empty", "gzip holds 0 bytes")
    return bytes(out)


# --------------------------------------------------------------------------- text


def decode(raw: bytes) -> str:
    """Bytes -> str: BOM-marked UTF-8/16/32, plain UTF-8, else a confidently detected legacy code page."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(enc).lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                raise QuarantineError("not_utf8", f"{enc} byte-order mark but undecodable: {exc}") from exc
    for magic in BINARY_MAGIC:
        if raw.startswith(magic):
            raise QuarantineError("binary", f"starts with the magic number {magic[:8]!r}")
    nul = raw.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise QuarantineError("binary", f"NUL byte at offset {nul}")
    try:
        return _checked(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        legacy = _legacy(raw)
        if legacy is None:
            raise QuarantineError("not_utf8", f"not UTF-8 ({exc.reason} at byte {exc.start}) "
                                  "and no confident legacy encoding") from exc
        return _checked(legacy)


def _checked(text: str) -> str:
    """Refuse text that decoded but is mostly control characters (binary data that happens to decode)."""
    sample = text[:65536]
    ctrl = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    if sample and ctrl / len(sample) > 0.01:
        raise QuarantineError("binary", f"{ctrl} control characters in the first {len(sample)} characters")
    return text


def _legacy(raw: bytes) -> str | None:
    """Decode a legacy single-byte text, or None when detection is not confident.

    charset_normalizer often ranks cp1250 first for Western European text (``à`` becomes ``ŕ``);
    when its best guess reads as Latin script and cp1252 decodes cleanly, cp1252 is the safer choice.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with requests
        return None
    best = from_bytes(raw).best()
    if best is None or best.chaos > 0.1:
        return None
    text = str(best)
    letters = [c for c in text if c.isalpha()]
    spaces = sum(1 for c in text if c.isspace())
    if not letters or len(letters) < 0.5 * (len(text) - spaces) or spaces < 0.05 * len(text):
        return None  # prose is mostly letters, split into words: random bytes are neither
    non_ascii = [c for c in letters if ord(c) > 127]
    latin = all("LATIN" in unicodedata.name(c, "") for c in non_ascii)
    if latin:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return text


def clean_text(text: str) -> str:
    """The stored form: unified line endings, no trailing spaces, paragraphs split by one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_day(value: object, what: str) -> date:
    """An ISO date or datetime (``2025-08-15T09:30:00Z``) -> its date part, as written."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    m = _ISO_DAY.match(s)
    if not m:
        try:  # RSS feeds write RFC 2822 dates: "Fri, 15 Aug 2025 09:30:00 GMT"
            return parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            raise QuarantineError("bad_date", f"{what} {s[:60]!r} is not an ISO or RFC 2822 date") from None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise QuarantineError("bad_date", f"{what} {s[:60]!r}: {exc}") from exc


def _need_text(text: str, what: str) -> str:
    text = clean_text(text)
    if not text:
        raise QuarantineError("no_text", f"{what} has no article text")
    return text


def _need_day(day: date | None, what: str) -> date:
    if day is None:
        raise QuarantineError("no_date", f"{what} has no date and the landing folder gives none")
    return day


# --------------------------------------------------------------------------- formats


def parse_txt(text: str, folder_day: date | None) -> Parsed:
    """Seed format: `` date YYYY-MM-DD `` then the first paragraph; without a header, the folder's day."""
    text = clean_text(text)
    m = _HEADER.match(text)
    if m:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise QuarantineError("bad_date", f"header date {m[1]}-{m[2]}-{m[3]}: {exc}") from exc
        body = text[m.end():]
    else:
        loose = _HEADER_LOOSE.match(text)
        if loose:
            raise QuarantineError("bad_date", f"header date {loose[1][:40]!r} is not YYYY-MM-DD")
        day, body = _need_day(folder_day, "text file"), text
    return Parsed([Item(_need_text(body, "text file"), day)])


def _item_from_object(obj: object, folder_day: date | None, what: str) -> Item:
    if not isinstance(obj, dict):
        raise QuarantineError("malformed_json", f"{what} is a {type(obj).__name__}, not an object")
    raw_text = next((obj[k] for k in _TEXT_KEYS if obj.get(k)), "")
    if isinstance(raw_text, list):  # paragraphs
        raw_text = "\n\n".join(str(p) for p in raw_text)
    text = _need_text(str(raw_text), what)
    raw_day = next((obj[k] for k in _DATE_KEYS if obj.get(k)), None)
    day = parse_day(raw_day, f"{what} date") if raw_day is not None else _need_day(folder_day, what)

    def opt(key: str) -> str | None:
        v = obj.get(key)
        return (str(v).strip() or None) if v is not None else None

    return Item(text, day, title=opt("title"), url=opt("url"), source=opt("source"))


def _collect(results: list[tuple[int, Item | QuarantineError]], unit: str) -> Parsed:
    """Good items plus one file-level problem naming the bad parts; all bad -> raise the first."""
    items = [r for _, r in results if isinstance(r, Item)]
    bad = [(n, r) for n, r in results if isinstance(r, QuarantineError)]
    if not bad:
        return Parsed(items)
    reasons = [r.reason for _, r in bad]
    reason = "malformed_json" if "malformed_json" in reasons else reasons[0]
    detail = f"bad {unit}s " + ", ".join(str(n) for n, _ in bad) + ": " + "; ".join(
        f"{unit} {n}: {r.detail}" for n, r in bad[:5])
    detail = detail[:600]
    if not items:
        raise QuarantineError(reason, detail)
    return Parsed(items, QuarantineError(reason, f"kept {len(items)} article(s); {detail}"))


def parse_json(text: str, folder_day: date | None) -> Parsed:
    """One object, a list of objects, or ``{"articles": [...]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuarantineError("malformed_json", f"line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        return Parsed([_item_from_object(data, folder_day, "object")])
    if not isinstance(data, list):
        raise QuarantineError("malformed_json", f"top level is a {type(data).__name__}, not an object/list")
    if not data:
        raise QuarantineError("empty", "empty JSON list")
    results: list[tuple[int, Item | QuarantineError]] = []
    for i, obj in enumerate(data, 1):
        try:
            results.append((i, _item_from_object(obj, folder_day, f"item {i}")))
        except QuarantineError as exc:
            results.append((i, exc))
    return _collect(results, "item")


def parse_jsonl(text: str, folder_day: date | None) -> Parsed:
    """One object per line; blank lines skipped, bad lines reported by number."""
    results: list[tuple[int, Item | QuarantineError]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            results.append((n, QuarantineError("malformed_json", f"column {exc.colno}: {exc.msg}")))
            continue
        try:
            results.append((n, _item_from_object(obj, folder_day, f"line {n}")))
        except QuarantineError as exc:
            results.append((n, exc))
    if not results:
        raise QuarantineError("empty", "no JSON lines")
    return _collect(results, "line")


def parse_html(text: str, folder_day: date | None) -> Parsed:
    """Main text via trafilatura; date from ``article:published_time`` or trafilatura's metadata."""
    import trafilatura  # heavy-ish: only when an HTML file shows up

    doc = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(doc, "text", None) or _paragraphs_fallback(text)
    # trafilatura puts one paragraph per line; the stored form separates paragraphs by a blank line
    body = re.sub(r"\n+", "\n\n", body or "")
    day = None
    for candidate in (_meta_published(text), getattr(doc, "date", None)):
        if candidate:
            try:
                day = parse_day(candidate, "HTML date")
                break
            except QuarantineError:
                continue
    day = day or _need_day(folder_day, "HTML page")
    title = getattr(doc, "title", None)
    head, _, rest = body.strip().partition("\n\n")
    if title and rest and head.strip() == title.strip():  # the headline is metadata, not a sentence to code
        body = rest
    return Parsed([Item(_need_text(body, "HTML page"), day, title=title or None,
                        url=getattr(doc, "url", None), source=getattr(doc, "sitename", None))])


_META_RE = re.compile(
    r"<meta\b[^>]*(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|og:published_time|"
    r"datePublished|date|pubdate|dc\.date)[\"'][^>]*>", re.I)
_CONTENT_RE = re.compile(r"content\s*=\s*[\"']([^\"']+)[\"']", re.I)


def _meta_published(html: str) -> str | None:
    m = _META_RE.search(html)
    c = _CONTENT_RE.search(m[0]) if m else None
    return c[1] if c else None


def _paragraphs_fallback(html: str) -> str:
    """When trafilatura finds no main text (very short pages): the page's ``<p>`` texts."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    return "\n".join(p.text_content().strip() for p in tree.iter("p") if p.text_content().strip())


PARSERS = {"txt": parse_txt, "json": parse_json, "jsonl": parse_jsonl, "html": parse_html}


def parse_file(path: Path, folder_day: date | None, max_bytes: int) -> Parsed:
    """Read, decode and parse one file; raises :class:`QuarantineError` when nothing usable is in it."""
    fmt, gz = format_of(path)
    raw = read_bytes(path, gz, max_bytes)
    text = decode(raw)
    if not text.strip():
        raise QuarantineError("empty", "whitespace only")
    return PARSERS[fmt](text, folder_day)
