"""Reading one landing file: bytes (with size caps), text decoding, and the per-format parsers.

Kept apart from :mod:`pipeline.ingest` (batch, duplicates, quarantine copies) so each part stays
small. Every refusal is a :class:`QuarantineError` carrying a reason from the closed vocabulary in
``schemas.QUARANTINE_REASONS``, so analysts can group quarantined files by why they failed.
"""

from __future__ import annotations

import json
import os
import re
import stat
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
#: Publication years envoy can compute dates with ("last year", "next month"); outside them a date is
#: refused at ingest (``bad_date``). Implausible dates inside them (1066, 2999) reach validation, which
#: quarantines the article (``failed_expectation``) and loads the rest of the day.
SUPPORTED_YEARS = range(1000, 9000)
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
    """What a file yielded: good items, and one problem per bad unit (``("line 4", error)``) when only
    part of the file was readable. Every unit is one or the other, so inputs are counted exactly."""

    items: list[Item] = field(default_factory=list)
    problems: list[tuple[str, QuarantineError]] = field(default_factory=list)


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
    """The file's content, refusing (by ``fstat``, before reading) files above ``max_bytes``.

    The file is opened without following a link and without blocking, and must be a regular file:
    a FIFO or device swapped in after the folder was listed is refused, never read. At most
    ``max_bytes`` are read even if the file grows meanwhile. A ``.gz`` is inflated in bounded chunks,
    so a gzip bomb stops at ``max_bytes`` instead of exhausting memory.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise QuarantineError("special_file", "not a regular file: not read")
        if st.st_size > max_bytes:
            raise QuarantineError("oversized", f"{st.st_size} bytes > limit {max_bytes}")
        if st.st_size == 0:
            raise QuarantineError("empty", "0 bytes")
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise QuarantineError("oversized", f"grew past the limit of {max_bytes} bytes while read")
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
    """Bytes -> str: BOM-marked UTF-8/16/32, plain UTF-8, else a confidently detected legacy code page.

    Never silent mojibake: UTF-8 text with a few bad bytes is refused (it is not a legacy code page,
    and guessing one would garble every accented letter), and a UTF-16/32 byte-order mark must be
    followed by something that reads as text.
    """
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return _decode_bom(raw, enc)
    for magic in BINARY_MAGIC:
        if raw.startswith(magic):
            raise QuarantineError("binary", f"starts with the magic number {magic[:8]!r}")
    nul = raw.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise QuarantineError("binary", f"NUL byte at offset {nul}")
    try:
        return _checked(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        if _has_utf8_multibyte(raw):
            raise QuarantineError(
                "not_utf8", f"UTF-8 text with invalid bytes ({exc.reason} at byte {exc.start}); not "
                "guessing another encoding, which would garble its other characters") from exc
        legacy = _legacy(raw)
        if legacy is None:
            raise QuarantineError("not_utf8", f"not UTF-8 ({exc.reason} at byte {exc.start}) "
                                  "and no confident legacy encoding") from exc
        return _checked(legacy)


def _decode_bom(raw: bytes, enc: str) -> str:
    try:
        text = raw.decode(enc).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise QuarantineError("not_utf8", f"{enc} byte-order mark but undecodable: {exc}") from exc
    if enc != "utf-8-sig" and text.strip() and not _reads_as_prose(text):
        raise QuarantineError("not_utf8", f"{enc} byte-order mark, but the rest does not decode to text")
    return _checked(text)


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_utf8_multibyte(raw: bytes) -> bool:
    """Whether the bytes hold well-formed UTF-8 sequences for non-ASCII characters (a UTF-8 text)."""
    return _UTF8_MULTIBYTE.search(raw) is not None


def _reads_as_prose(text: str) -> bool:
    """Prose is mostly letters, split into words: random bytes decoded as UTF-16 are neither."""
    letters = sum(1 for c in text if c.isalpha())
    spaces = sum(1 for c in text if c.isspace())
    return bool(letters) and letters >= 0.5 * (len(text) - spaces) and spaces >= 0.05 * len(text)


#: The characters of Unicode category ``Cc`` (a closed set: C0, DEL and C1) except ``\t\n\v\f\r``; one
#: regex scan instead of a ``unicodedata.category`` call per character (most of ingest's CPU time).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _checked(text: str) -> str:
    """Refuse text that decoded but is mostly control characters (binary data that happens to decode)."""
    sample = text[:65536]
    ctrl = len(_CONTROL.findall(sample))
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
    if not _reads_as_prose(text):
        return None
    non_ascii = [c for c in text if c.isalpha() and ord(c) > 127]
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


def supported(day: date, what: str) -> date:
    """``day`` if envoy can compute with it (``SUPPORTED_YEARS``), else ``bad_date``."""
    if day.year not in SUPPORTED_YEARS:
        raise QuarantineError("bad_date", f"{what} {day.isoformat()} is outside the years envoy can date "
                              f"events in ({SUPPORTED_YEARS.start}-{SUPPORTED_YEARS.stop - 1})")
    return day


def parse_day(value: object, what: str) -> date:
    """An ISO date or datetime (``2025-08-15T09:30:00Z``) -> its date part, as written."""
    if isinstance(value, datetime):
        return supported(value.date(), what)
    if isinstance(value, date):
        return supported(value, what)
    s = str(value).strip()
    m = _ISO_DAY.match(s)
    if not m:
        try:  # RSS feeds write RFC 2822 dates: "Fri, 15 Aug 2025 09:30:00 GMT"
            return supported(parsedate_to_datetime(s).date(), what)
        except (TypeError, ValueError, IndexError, OverflowError):
            raise QuarantineError("bad_date", f"{what} {s[:60]!r} is not an ISO or RFC 2822 date") from None
    try:
        return supported(date(int(m[1]), int(m[2]), int(m[3])), what)
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
    return supported(day, f"{what}: the date of its folder,")


# --------------------------------------------------------------------------- formats


def parse_txt(text: str, folder_day: date | None) -> Parsed:
    """Seed format: `` date YYYY-MM-DD `` then the first paragraph; without a header, the folder's day."""
    text = clean_text(text)
    m = _HEADER.match(text)
    if m:
        try:
            day = supported(date(int(m[1]), int(m[2]), int(m[3])), "header date")
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

    item = Item(text, day, title=opt("title"), url=opt("url"), source=opt("source"))
    for name in ("text", "title", "url", "source"):
        _no_surrogates(getattr(item, name), name)
    return item


def _no_surrogates(value: str | None, field_name: str) -> None:
    """A JSON ``\\ud800`` escape decodes to half a character, which no file or table can store."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start:exc.end].encode("unicode_escape").decode("ascii")
        raise QuarantineError(
            "not_utf8", f"{field_name} holds a lone surrogate {bad} (a JSON escape that is not a character)"
        ) from None


def _loads(text: str, one_line: bool = False) -> object:
    """``json.loads`` with every way it can fail as ``malformed_json``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno} column {exc.colno}"
        raise QuarantineError("malformed_json", f"{where}: {exc.msg}") from exc
    except RecursionError:
        raise QuarantineError("malformed_json", "nested too deeply to read") from None


def _collect(results: list[tuple[int, Item | QuarantineError]], unit: str) -> Parsed:
    """Good items plus one problem per bad unit; all bad -> raise (the whole file is quarantined)."""
    items = [r for _, r in results if isinstance(r, Item)]
    bad = [(f"{unit} {n}", r) for n, r in results if isinstance(r, QuarantineError)]
    if bad and not items:
        reasons = [r.reason for _, r in bad]
        reason = "malformed_json" if "malformed_json" in reasons else reasons[0]
        detail = f"every {unit} is bad: " + "; ".join(f"{u}: {r.detail}" for u, r in bad[:5])
        raise QuarantineError(reason, detail[:600])
    return Parsed(items, bad)


def parse_json(text: str, folder_day: date | None) -> Parsed:
    """One object, a list of objects, or ``{"articles": [...]}``."""
    data = _loads(text)
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
    for n, line in enumerate(text.split("\n"), 1):  # only \n ends a JSON line (U+2028 may be in text)
        if not line.strip():
            continue
        try:
            results.append((n, _item_from_object(_loads(line, one_line=True), folder_day, f"line {n}")))
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


def parse_file(path: Path, folder_day: date | None, max_bytes: int, name: str | None = None) -> Parsed:
    """Read, decode and parse one file; raises :class:`QuarantineError` when nothing usable is in it.

    ``name`` (the name it landed under, e.g. a link's) decides the format; ``path`` is what is read.
    """
    fmt, gz = format_of(Path(name) if name else path)
    raw = read_bytes(path, gz, max_bytes)
    text = decode(raw)
    if not text.strip():
        raise QuarantineError("empty", "whitespace only")
    return PARSERS[fmt](text, folder_day)
