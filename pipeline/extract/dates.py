"""Event-date resolution: when did the event happen, and how precisely do we know it.

News text dates events relative to the publication date ("on Thursday", "last month", "in March"), so
every expression is resolved against that date. The conventions follow wire style and the dev-set gold:

* a bare weekday is the most recent such day on or before publication (same weekday = publication day),
  or the first one on or after it when the verb is future ("will meet on Thursday"); "last Thursday" is
  strictly before, "next Thursday" strictly after;
* a month without a year is the most recent such month not after the publication month (future: the next);
* "last week", "this month", "over the weekend", spans like "on Monday and Tuesday" have month precision;
  "last year", "in 2019", "in late 2023" have year precision. The returned date is the best point estimate
  and the precision says which leading part of it (year, year-month, full date) is reliable.

Public API: :func:`resolve_expression` (text -> date), :func:`find_time_expressions` (sentence -> spans),
:func:`event_date` (trigger -> date, by clause attachment), :func:`sentence_anchor` / :class:`ArticleDates`
(carry the narrative date across sentences for "hours later", "the same day" and undated past events).

Resolution is rule-based (fast, predictable); dateparser is only a cached fallback for odd formats.
spaCy is never imported here: functions take spaCy objects that the caller already has.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.extract import syntax as sx
from pipeline.extract.language import words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

Resolved = tuple[date, str]

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
SEASONS = {"winter": 1, "spring": 4, "summer": 7, "autumn": 10, "fall": 10}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3, "few": 3,
}  # fmt: skip

# --- surface patterns (used to find expressions in a sentence and to parse them) -------------------------
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!\w)"
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?!\w)"
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_RANGE = r"(?: ?[-\u2013] ?| (?:to|and|through) )(?:[12]\d|3[01]|0?[1-9])(?!\d)"  # "March 11-12": a span
_NUM = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|few)"
_PART = r"(?:morning|afternoon|evening|night)"
_EDGE = r"(?:early|late|mid|the (?:end|start|beginning|middle) of|(?:end|start|beginning|middle) of)"
_UNIT = r"(?:day|week|month|year|decade)"
_SEASON = r"(?:winter|spring|summer|autumn|fall)"

# Ordered roughly longest/most specific first; overlapping matches are resolved by length.
_FIND_PATTERNS = [
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b(?:(?:early|late) )?(?:on )?(?:(?:last|next|this|past|coming) )?{_WD}(?:'s)?"
    rf"(?: (?:and|or|to) {_WD})?(?: {_PART})?(?:,? {_MON} {_DAYNUM}(?:,? {_YEAR})?)?\b",
    rf"\b(?:{_EDGE}[ -])?{_MON} {_DAYNUM}(?:{_RANGE})?(?:,? {_YEAR})?(?!\d)",
    rf"\b{_DAYNUM} {_MON}(?:,? {_YEAR})?(?!\d)",
    rf"\b(?:{_EDGE}[ -]|(?:last|next|this|past|coming) )?{_MON}(?:'s)?(?:,? {_YEAR})?(?!\d)",
    rf"\b(?:{_EDGE}[ -]?)?{_YEAR}(?!\d|%|-\w|s\b)",
    rf"\b(?:(?:early|late) )?(?:this|last|next|past) {_SEASON}\b|\b(?:the )?{_SEASON}(?: of)? {_YEAR}\b",
    r"\b(?:(?:earlier|later) )?(?:this|last|next|past|previous|coming) (?:week|month|year|weekend)(?:'s)?\b",
    r"\b(?:earlier|later) in the (?:week|month|year)\b",
    r"\b(?:(?:at|over|during) )?the weekend\b|\bweekend\b",
    rf"\b{_EDGE} (?:the|this|last|next) (?:week|month|year)\b",
    rf"\b{_NUM} {_UNIT}s? (?:ago|earlier|later|before|after)\b|\bin {_NUM} {_UNIT}s?(?: time)?\b",
    r"\b(?:the )?(?:following|previous|next|same|preceding) (?:day|week|month|year|night)s?\b",
    r"\b(?:hours|days|weeks|months|minutes) (?:later|earlier|before|after)\b|\bthat (?:day|night|morning)\b",
    r"\b(?:the )?day (?:before|after)\b|\bat the time\b|\b(?:earlier|later) in the day\b",
    r"\b(?:(?:earlier|later) )?(?:today|tonight|yesterday|tomorrow|overnight)\b|\blast night\b"
    r"|\b(?:earlier |later )?this (?:morning|afternoon|evening)\b|\bthe day before yesterday\b",
    r"\bin the coming (?:hours|days|weeks|months)\b|\bin recent (?:days|weeks|months)\b",
]
_FIND_RE = re.compile("|".join(f"(?:{p})" for p in _FIND_PATTERNS), re.IGNORECASE)
_AMBIGUOUS_MONTHS = {"may", "march", "jan", "mar", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_MONTH_CUE_BEFORE = {
    "in", "since", "by", "until", "till", "of", "last", "next", "this", "early", "late", "mid", "from",
    "through", "before", "after", "during", "on", "between", "and", "to", "end", "start", "beginning",
}  # fmt: skip
# Quick filter: text without any of these cannot be a time expression (saves regex/dateparser work).
_CUE_RE = re.compile(
    rf"\d|{_WD}|{_MON}|{_SEASON}|week|month|year|decade|today|tonight|yesterday|tomorrow|overnight|night"
    r"|ago|later|earlier|following|previous|\bday|hours|time|morning|afternoon|evening|midnight|noon",
    re.IGNORECASE,
)


def _lowered(pattern: re.Pattern) -> re.Pattern:
    """The pattern without IGNORECASE, for ASCII text lowered first: the same matches at the same offsets.

    Lowering keeps an ASCII text's length and its \\w, \\d and \\b classes, and an ASCII letter matches a
    pattern letter case-insensitively exactly when its lower case equals the lowered letter; the search
    without IGNORECASE is several times faster (profiled: the cue test was dates' largest own cost).
    Only valid while the pattern has no upper-case escape (\\D, \\W, \\S, \\B), which it checks.
    """
    if re.search(r"\\[A-Z]", pattern.pattern):
        raise ValueError(f"cannot lower a pattern with an upper-case escape: {pattern.pattern[:40]}")
    return re.compile(pattern.pattern.lower())


_CUE_LOWER = _lowered(_CUE_RE)
#: Every expression starts with a letter or a digit (tests/test_dates.py checks it on the parsed pattern):
#: the lookahead lets the engine skip the other positions before trying the 17 alternatives (2x faster).
_FIND_LOWER = re.compile(rf"\b(?=[a-z0-9])(?:{_lowered(_FIND_RE).pattern})")


def _has_cue(text: str) -> bool:
    """``_CUE_RE.search(text)``, on the lowered text when it is ASCII (news text almost always is)."""
    if text.isascii():
        return _CUE_LOWER.search(text.lower()) is not None
    return _CUE_RE.search(text) is not None


def _find_matches(text: str):
    """``_FIND_RE.finditer(text)`` as (start, end) offsets, on the lowered text when it is ASCII."""
    if text.isascii():
        return [m.span() for m in _FIND_LOWER.finditer(text.lower())]
    return [m.span() for m in _FIND_RE.finditer(text)]


# --- calendar helpers --------------------------------------------------------------------------------------
def _add_months(d: date, n: int) -> date:
    """First day of the month n months from d's month (precision is month, so the day is irrelevant)."""
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _weekday(pub: date, wd: int, mode: str) -> date:
    """mode: 'past' = on or before pub, 'last' = strictly before, 'future' = on or after, 'next' = after.

    A future verb with the publication's own weekday ("will meet on Wednesday" in a Wednesday paper)
    means that same day; "next Wednesday" means the one after.
    """
    if mode == "future":
        return pub + timedelta(days=(wd - pub.weekday()) % 7)
    if mode == "next":
        return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
    back = (pub.weekday() - wd) % 7
    if mode == "last" and back == 0:
        back = 7
    return pub - timedelta(days=back)


def _month_no_year(pub: date, month: int, mode: str) -> date:
    """Month without a year: most recent not after pub's month, or the next not before it (future)."""
    if mode == "future":
        return date(pub.year if month >= pub.month else pub.year + 1, month, 1)
    if mode == "last":
        return date(pub.year if month < pub.month else pub.year - 1, month, 1)
    if mode == "next":
        return date(pub.year if month > pub.month else pub.year + 1, month, 1)
    return date(pub.year if month <= pub.month else pub.year - 1, month, 1)


def _month_day_no_year(pub: date, month: int, day: int, future: bool) -> date | None:
    this = _safe_date(pub.year, month, day)
    if this is None:
        return _safe_date(pub.year - 1, month, day) if not future else None
    if future:
        return this if this >= pub else _safe_date(pub.year + 1, month, day)
    return this if this <= pub else _safe_date(pub.year - 1, month, day)


def _num(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else NUMBERS.get(s, 1)


def _month_num(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


# --- expression resolution --------------------------------------------------------------------------------
def _norm(text: str) -> str:
    t = text.strip().lower().replace("\u2019", "'")
    t = re.sub(r"[\u2013\u2014]", "-", t)
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"\b(early|late|mid)-", r"\1 ", t)
    t = re.sub(r"^(?:on|in|since|from|by|until|till|at|during|over|of|as of|before|after|through)\s+", "", t)
    return t.strip(" ,.;:")


_ANAPHORIC_RE = re.compile(
    r"^(?:the )?(?:same (?:day|night)|that (?:day|night|morning)|(?:at )?the time"
    r"|(?:earlier|later) in the day|(?:hours|minutes) (?:later|earlier|before|after)"
    r"|(?:the (?:following|next|previous|preceding)|following|previous|preceding)"
    r" (?:day|night|week|month|year|days|weeks|months)"
    rf"|(?:the )?day (?:before|after)|{_NUM} (?:day|week|month|year)s? "
    r"(?:later|earlier|before|after)|(?:days|weeks|months) (?:later|earlier|before|after))$"
)


def is_anaphoric(text: str) -> bool:
    """True for expressions dated relative to another event ("the same day", "hours later")."""
    return bool(_ANAPHORIC_RE.match(_norm(text)))


def _resolve_anaphoric(t: str, anchor: Resolved) -> Resolved | None:
    a, prec = anchor
    if re.search(r"same|that|\btime|hours|minutes|in the day", t):
        return a, prec
    unit_re = r"(?P<unit>day|night|week|month|year)(?P<pl>s?)"
    m = re.match(rf"^(?:the )?(?:(?P<n>{_NUM}) )?{unit_re} ?(?P<dir>.*)$", t)
    rel = re.match(rf"^(?:the )?(?P<dir>following|next|previous|preceding) {unit_re}$", t)
    if rel:
        sign = 1 if rel["dir"] in ("following", "next") else -1
        unit, plural = rel["unit"], bool(rel["pl"])
        n = 1
    elif m and m["dir"] in ("later", "after", "before", "earlier"):
        sign = 1 if m["dir"] in ("later", "after") else -1
        unit, plural = m["unit"], bool(m["pl"]) and m["n"] is None
        n = _num(m["n"]) if m["n"] else 1
    else:
        return None
    if unit in ("day", "night"):
        return a + timedelta(days=sign * n), _coarser(prec, "month" if plural else "day")
    if unit == "week":
        return a + timedelta(days=sign * 7 * n), _coarser(prec, "month")
    if unit == "month":
        return _add_months(a, sign * n), _coarser(prec, "month")
    return date(a.year + sign * n, 1, 1), "year"


def _coarser(p: str, q: str) -> str:
    order = ("day", "month", "year")
    return order[max(order.index(p), order.index(q))]


def resolve_expression(
    text: str, publication_date: date, *, future: bool = False, anchor: Resolved | None = None
) -> Resolved | None:
    """Resolve one time expression against the publication date: ``(date, precision)`` or None.

    ``future`` says the governing verb is future ("will meet on Thursday" -> the next Thursday);
    ``anchor`` is the date that anaphoric expressions ("the same day", "hours later") refer to —
    without it they resolve to None.
    """
    if not text or not _has_cue(text) or text.strip() in ("may", "march"):  # modal / noun, not months
        return None
    return _resolve_cached(_norm(text), publication_date, future, anchor)


@lru_cache(maxsize=65536)
def _resolve_cached(t: str, pub: date, future: bool, anchor: Resolved | None) -> Resolved | None:
    if not t:
        return None
    if _ANAPHORIC_RE.match(t):
        return _resolve_anaphoric(t, anchor) if anchor else None
    try:
        got = _resolve_rules(t, pub, future)
    except (ValueError, OverflowError):  # "99999 days ago" and the like: out of the calendar
        return None
    if got is None and re.search(rf"{_MON}|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b", t, re.IGNORECASE):
        got = _dateparser(t, pub)
    return got


def _fm(pattern: str, text: str) -> re.Match | None:
    return re.fullmatch(pattern, text, re.IGNORECASE)


#: A rule group found nothing (unlike None: it matched, and the text is no valid date).
_NO = object()


def _iso_or_weekday(t: str, pub: date, future: bool):
    """'2024-03-01'; weekdays, with a calendar date or not: 'last friday', 'monday and tuesday'."""
    mode = "future" if future else "past"
    if m := _fm(r"(\d{4})-(\d{2})-(\d{2})", t):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d, "day") if d else None

    # Weekdays, optionally with a calendar date: "last friday", "monday and tuesday", "early on saturday".
    wd = _fm(
        rf"(?:(?P<edge>early|late|later|earlier) )?(?:on )?(?:(?P<rel>last|next|this|past|coming) )?"
        rf"(?P<wd>{_WD})(?: (?:and|or|to) (?P<wd2>{_WD}))?(?: {_PART})?"
        rf"(?:,? (?P<mon>{_MON}) (?P<day>{_DAYNUM})(?:,? (?P<y>{_YEAR}))?)?",
        t,
    )
    if wd:
        if wd["mon"]:
            full = f"{wd['mon']} {wd['day']}" + (f" {wd['y']}" if wd["y"] else "")
            return _resolve_rules(full, pub, future)
        rel = wd["rel"]
        wmode = {"last": "last", "past": "last", "next": "next", "coming": "next"}.get(rel or "", mode)
        if wd["edge"] == "later" and WEEKDAYS[wd["wd"].lower()] == pub.weekday():
            wmode = "past"
        d = _weekday(pub, WEEKDAYS[wd["wd"].lower()], wmode)
        return d, ("month" if wd["wd2"] else "day")
    return _NO


def _calendar(t: str, pub: date, future: bool):
    """Calendar dates: 'March 3, 2024', '3 March 2024', 'March 2024', 'March 3', 'March', '2024'."""
    mode = "future" if future else "past"
    if m := _fm(rf"(?:{_EDGE} )?(?P<mon>{_MON}) (?P<day>{_DAYNUM})(?P<r>{_RANGE})?,? (?P<y>{_YEAR})", t):
        d = _safe_date(int(m["y"]), _month_num(m["mon"]), int(re.sub(r"\D", "", m["day"])))
        return (d, "month" if m["r"] else "day") if d else None
    if m := _fm(rf"(?P<day>{_DAYNUM}) (?:of )?(?P<mon>{_MON}),? (?P<y>{_YEAR})", t):
        d = _safe_date(int(m["y"]), _month_num(m["mon"]), int(re.sub(r"\D", "", m["day"])))
        return (d, "day") if d else None
    if m := _fm(rf"(?:{_EDGE} |(?:last|next|this) )?(?P<mon>{_MON}),? (?:of )?(?P<y>{_YEAR})", t):
        return date(int(m["y"]), _month_num(m["mon"]), 1), "month"
    if m := _fm(rf"(?:{_EDGE} )?(?P<mon>{_MON}) (?P<day>{_DAYNUM})(?P<r>{_RANGE})?", t) or _fm(
        rf"(?P<day>{_DAYNUM}) (?:of )?(?P<mon>{_MON})(?P<r>)", t
    ):
        d = _month_day_no_year(pub, _month_num(m["mon"]), int(re.sub(r"\D", "", m["day"])), future)
        return (d, "month" if m["r"] else "day") if d else None
    if m := _fm(rf"(?:(?P<rel>last|next|this|past|coming) |{_EDGE} )?(?P<mon>{_MON})", t):
        rel = m["rel"]
        mmode = {"last": "last", "past": "last", "next": "next", "coming": "future"}.get(rel or "", mode)
        return _month_no_year(pub, _month_num(m["mon"]), mmode), "month"
    if m := _fm(rf"(?:{_EDGE} ?)?(?:the )?(?P<y>{_YEAR})", t):
        return date(int(m["y"]), 1, 1), "year"
    return _NO


def _season(t: str, pub: date, future: bool):
    """Seasons are three months long: year precision at best."""
    # Seasons are three months long: year precision at best.
    season_re = rf"(?:(?:early|late) )?(?:(?P<rel>this|last|next|past) )?(?P<s>{_SEASON})"
    season_re += rf"(?:(?: of)? (?P<y>{_YEAR}))?"
    if m := _fm(season_re, t):
        month = SEASONS[m["s"]]
        if m["y"]:
            return date(int(m["y"]), month, 1), "year"
        rel = m["rel"] or ("future" if future else "this")
        if rel == "this":
            return date(pub.year, pub.month, 1), "year"
        step = {"last": "last", "past": "last", "next": "next", "future": "future"}[rel]
        return _month_no_year(pub, month, step), "year"
    return _NO


def _relative(t: str, pub: date, future: bool):
    """Relative weeks, weekends, months and years; 'three days ago', 'in two weeks'."""
    # Relative weeks, weekends, months and years.
    rel_re = r"(?:(?P<edge>earlier|later|early|late) )?(?:in )?"
    rel_re += r"(?P<rel>this|last|next|past|previous|coming|the) (?P<u>week|weekend|month|year)"
    edge_re = rf"(?P<edge>{_EDGE}) (?P<rel>the|this|last|next) (?P<u>week|month|year)"
    if m := _fm(rel_re, t) or _fm(edge_re, t):
        return _relative_unit(pub, m["rel"], m["u"], m["edge"], future)
    if t == "weekend":
        return _relative_unit(pub, "the", "weekend", None, future)

    if m := _fm(rf"(?P<n>{_NUM}) (?P<u>{_UNIT})s? (?P<dir>ago|earlier|before)", t):
        return _offset(pub, -_num(m["n"]), m["u"])
    if m := _fm(rf"(?:in )?(?P<n>{_NUM}) (?P<u>{_UNIT})s?(?: time| from now)?", t):
        return _offset(pub, _num(m["n"]), m["u"]) if future or t.startswith("in ") else None
    return _NO


def _fixed_phrase(t: str, pub: date, future: bool):
    """'Today', 'yesterday', 'last night', 'in the coming days'."""

    simple = {
        "today": (pub, "day"), "tonight": (pub, "day"), "earlier today": (pub, "day"),
        "later today": (pub, "day"), "this morning": (pub, "day"), "this afternoon": (pub, "day"),
        "this evening": (pub, "day"), "earlier this morning": (pub, "day"),
        "later this afternoon": (pub, "day"),
        "yesterday": (pub - timedelta(days=1), "day"), "last night": (pub - timedelta(days=1), "day"),
        "overnight": (pub - timedelta(days=1), "day"), "tomorrow": (pub + timedelta(days=1), "day"),
        "the day before yesterday": (pub - timedelta(days=2), "day"),
        "in the coming hours": (pub, "day"), "the coming hours": (pub, "day"), "midnight": (pub, "day"),
        "noon": (pub, "day"),
    }  # fmt: skip
    if t in simple:
        return simple[t]
    if m := _fm(r"(?:in )?(?:the )?(?:coming|recent) (?P<u>days|weeks|months)", t):
        sign = 1 if "coming" in t else -1
        return (pub + timedelta(days=sign * {"days": 3, "weeks": 14, "months": 60}[m["u"]]),
                "month" if m["u"] != "months" else "year")  # fmt: skip
    return _NO


_RULE_GROUPS = (_iso_or_weekday, _calendar, _season, _relative, _fixed_phrase)


def _resolve_rules(t: str, pub: date, future: bool) -> Resolved | None:
    """The first rule group that matches the normalised text decides (it may say None: no valid date)."""
    for group in _RULE_GROUPS:
        got = group(t, pub, future)
        if got is not _NO:
            return got
    return None


def _relative_unit(pub: date, rel: str, unit: str, edge: str | None, future: bool) -> Resolved | None:
    """'last week', 'later this month', 'next year', 'over the weekend', 'the end of the year'."""
    if rel in ("last", "past", "previous"):
        step = -1
    elif rel in ("next", "coming"):
        step = 1
    else:  # "this" / "the"
        step = 0
    if unit == "weekend":
        if step == 0:
            sat = _weekday(pub, 5, "future" if future and pub.weekday() < 5 else "past")
        else:
            sat = _weekday(pub, 5, "next" if step > 0 else "last")
            if step < 0 and pub.weekday() >= 5:
                sat -= timedelta(days=7)
        return sat, "month"
    if unit == "week":
        if step == 0:
            if edge == "earlier" and pub.weekday() > 0:
                return pub - timedelta(days=1), "month"
            return pub, "month"
        return pub + timedelta(days=7 * step), "month"
    if unit == "month":
        return _add_months(pub, step), "month"
    if unit == "year":
        return date(pub.year + step, 1, 1), "year"
    return None


def _offset(pub: date, n: int, unit: str) -> Resolved:
    if unit == "day":
        return pub + timedelta(days=n), "day"
    if unit == "week":
        return pub + timedelta(days=7 * n), "month"
    if unit == "month":
        return _add_months(pub, n), "month"
    if unit == "decade":
        return date(pub.year + 10 * n, 1, 1), "year"
    return date(pub.year + n, 1, 1), "year"


@lru_cache(maxsize=16384)
def _dateparser(t: str, pub: date) -> Resolved | None:
    """Fallback for formats the rules do not cover ("12/10/2023", "10th of December, 2023")."""
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": datetime(pub.year, pub.month, pub.day), "PREFER_DAY_OF_MONTH": "first"}
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(t)
    except Exception:  # dateparser raises assorted errors on odd input; treat as "not a date"
        return None
    if data is None or data.date_obj is None:
        return None
    period = data.period or "day"
    prec = {"day": "day", "time": "day", "week": "month", "month": "month", "year": "year"}.get(period, "day")
    d = data.date_obj.date()
    if not date(1600, 1, 1) <= d <= date(2200, 1, 1):
        return None
    return d, prec


# --- finding expressions in a parsed sentence -------------------------------------------------------------
def _month_match_ok(text: str, mon: str, before: str) -> bool:
    """Reject 'may' the modal, 'march' the noun/verb, lowercase month words."""
    if not mon[0].isupper():
        return False
    key = mon.lower().rstrip(".")
    if key not in _AMBIGUOUS_MONTHS:
        return True
    if re.search(rf"{re.escape(mon)}(?:'s)?,? (?:{_YEAR}|{_DAYNUM}\b)", text):
        return True
    if re.search(rf"\b{_DAYNUM} {re.escape(mon)}", text):
        return True
    if before.lower().rstrip("-") in _MONTH_CUE_BEFORE:
        return True
    return bool(re.search(rf"(?:{_EDGE}|last|next|this) {re.escape(mon)}", text, re.IGNORECASE))


_CALENDAR_WORD_RE = re.compile(rf"{_WD}|{_MON}", re.IGNORECASE)
_BARE_YEAR_RE = re.compile(rf"(?:the )?{_YEAR}", re.IGNORECASE)
_COUNT_AFTER_RE = re.compile(r"\s*(?:people|troops|soldiers|km|kilometres|miles|votes|tons|tonnes|dollars)")


def _match_ok(start: int, end: int, sent_text: str) -> bool:
    """Is the regex match ``sent_text[start:end]`` a time expression (not 'may' the modal, not a count)?"""
    text = sent_text[start:end]
    before = sent_text[:start].rsplit(None, 1)[-1:] or [""]  # the last word before: as split()[-1:]
    prev = before[0].strip("(\"'").lower()
    for w in _CALENDAR_WORD_RE.finditer(text):
        word = w.group(0)
        if word.rstrip(".").lower() in WEEKDAYS:
            if not word[0].isupper():
                return False
        elif not _month_match_ok(text, word, prev if w.start() == 0 else text[: w.start()].split()[-1]):
            return False
    if _BARE_YEAR_RE.fullmatch(text):
        # a bare number is a year only if not money, a count or a measurement
        after = sent_text[end : end + 12].lower()
        if prev.startswith("$") or prev in ("about", "some", "nearly", "almost", "over", "than"):
            return False
        if _COUNT_AFTER_RE.match(after):
            return False
    return True


@lru_cache(maxsize=8192)
def _regex_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the regex time expressions of a sentence text, trailing punctuation cut.

    A function of the text alone, so cached: sentence_anchor and every event_date of a sentence ask for
    the same sentence, and repeated articles repeat their sentences.
    """
    if not _has_cue(text):
        return ()
    out = []
    for s, e in _find_matches(text):
        if not _match_ok(s, e, text):
            continue
        while e > s and text[e - 1] in " ,.;:":
            e -= 1
        out.append((s, e))
    return tuple(out)


_PROBE = date(2000, 6, 15)


def _resolvable(text: str) -> bool:
    """Durations and ages ("five days", "47") are DATE entities too, but not points in time."""
    return resolve_expression(text, _PROBE, anchor=(_PROBE, "day")) is not None


#: (the last doc whose text was read, that text): every sentence of a doc is sliced from one join. One
#: tuple, replaced whole, so a thread never sees one doc paired with another doc's text.
_LAST_DOC: tuple = (None, "")


def _doc_text(doc) -> str:
    """``doc.text``, joined once per doc (spaCy joins the tokens' texts anew at every ``.text``).

    The cache holds the doc itself, so the identity test cannot match a new doc at a reused address; a
    doc's text never changes (the retokenizer keeps it).
    """
    global _LAST_DOC
    last = _LAST_DOC
    if last[0] is not doc:
        last = _LAST_DOC = (doc, doc.text)
    return last[1]


def find_time_expressions(sent: Span) -> list[tuple[int, int, str]]:
    """Time expressions in a sentence: (start token index, end token index exclusive, text), doc-level.

    Regex matches (weekdays, months, years, relative phrases the small model misses) plus spaCy DATE/TIME
    entities that the regexes did not cover.
    """
    doc = sent.doc
    base = sent.start_char
    text = _doc_text(doc)[base : sent.end_char]  # = sent.text, without a Token per word
    spans: list[tuple[int, int]] = []
    for s, e in _regex_spans(text):
        span = doc.char_span(base + s, base + e, alignment_mode="expand")
        if span is not None and len(span):
            spans.append((span.start, span.end))
    for ent in sent.ents:
        if ent.label_ in ("DATE", "TIME") and _has_cue(ent.text) and _resolvable(ent.text):
            if not any(s < ent.end and ent.start < e for s, e in spans):
                spans.append((ent.start, ent.end))
    spans.sort()
    out: list[tuple[int, int, str]] = []
    for s, e in spans:
        if out and s < out[-1][1]:  # overlapping: keep the longer one
            if e - s > out[-1][1] - out[-1][0]:
                out[-1] = (s, e, doc[s:e].text)
            continue
        out.append((s, e, doc[s:e].text))
    return out


# --- attaching an expression to the trigger ---------------------------------------------------------------
_FUTURE_AUX = words("dating_future_aux")
# heads that make their xcomp future: "plans to visit", "is expected to hold talks", "is due to host"
_FUTURE_HEADS = words("future_heads")
_SCHEDULED = words("scheduled_words")
_PLAN_NOUNS = words("plan_nouns", "accord_nouns")  # "an agreement to hold talks next week"


def _is_future(verb: Token, path: list[Token] | tuple = ()) -> bool:
    """Future or scheduled: 'will meet', 'is expected to hold talks', 'is due to host', 'is to visit'.

    ``path`` is the walk from the expression to ``verb``: the xcomp verbs and adjectives on it count too.
    """
    toks = [verb, *(t for t in path if t.pos_ in ("VERB", "AUX", "ADJ"))]
    if verb.dep_ == sx.CONJ:
        toks.append(verb.head)
    for tok in toks:
        if any(c.dep_ in (sx.AUX, sx.AUXPASS) and c.lower_ in _FUTURE_AUX for c in tok.children):
            return True
        lemma = tok.lemma_.lower()
        if (lemma in _FUTURE_HEADS or tok.lower_ == "going") and any(
            c.dep_ == sx.XCOMP for c in tok.children
        ):
            xcomp = next(c for c in tok.children if c.dep_ == sx.XCOMP)
            if lemma != "be" or any(c.lower_ == "to" for c in xcomp.children):
                return True
        if lemma in _SCHEDULED and tok.tag_ in ("VBN", "JJ"):
            return True
        infinitive = any(c.lower_ == "to" for c in tok.children)
        if tok.dep_ == sx.ACL and tok.head.lemma_.lower() in _PLAN_NOUNS and infinitive:
            return True  # "plans to visit" (parsed as a noun), "an agreement to hold talks"
    return False


def _is_verbal(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.dep_ == sx.ROOT


def _governor(root: Token, span_tokens: set[int]) -> tuple[Token, list[Token]]:
    """Nearest clause verb above an expression, with the path of tokens walked to reach it.

    An xcomp verb shares its head's clause ("failed to bridge ... on Wednesday", "ordered X to leave in
    August"), so the walk goes on to the head; the xcomp verb stays on the path.
    """
    path: list[Token] = []
    tok = root
    while True:
        head = tok.head
        if head.i == tok.i:
            return tok, path
        tok = head
        if tok.i in span_tokens:
            continue
        path.append(tok)
        if _is_verbal(tok) and not (tok.dep_ == sx.XCOMP and tok.head.i != tok.i):
            return tok, path


def _rank(trigger: Token, gov: Token, path: list[Token], pos: dict[int, int]) -> float | None:
    """How closely an expression governed by ``gov`` belongs to the trigger (None: not at all).

    0 = on the trigger itself; k = on its k-th ancestor (a reporting verb's date dates the reported event
    when that has none); fractions for participles that describe the trigger's occasion; 50 for a
    coordinated verb's date. ``pos`` maps the trigger's head chain (token index -> depth).
    """
    if any(t.i == trigger.i for t in path):  # attached to the trigger (or a noun between it and the verb)
        return 0.0
    if gov.i in pos:
        return float(pos[gov.i])
    if not _is_verbal(trigger) and gov.head.i == trigger.i and gov.dep_ in (sx.ACL, sx.RELCL):
        return 0.5  # "the invasion, launched in February 2022"
    if not _is_verbal(trigger) and _reduced_relative(gov, trigger):
        return 0.5  # the same, misparsed as an adverbial clause of the main verb
    if gov.tag_ == "VBG" and not _has_subject(gov):
        # "speaking at Sunday's summit, the minister accused ...": same occasion
        if gov.dep_ == sx.ADVCL and gov.head.i == trigger.i:
            return 0.5
        if gov.dep_ == sx.ACL and gov.head.dep_ in (sx.NSUBJ, sx.NSUBJPASS) and gov.head.head.i == trigger.i:
            return 0.5
    if (
        gov.dep_ == sx.ACL
        and gov.lemma_.lower() in _CARGO_PARTICIPLES
        and gov.head.dep_ == sx.DOBJ
        and gov.head.head.i == trigger.i
    ):
        return 0.5  # "sent aircraft loaded with food to Port Sudan on Sunday": the parse hangs the date low
    if gov.head.i == trigger.i and gov.dep_ == sx.CONJ:
        return 50.0  # a coordinated verb's date, if the trigger has none of its own
    if gov.dep_ == sx.ACL and gov.head.dep_ == sx.POBJ:
        # "In a declaration adopted on Wednesday, the leaders said ...": the adjunct's date is the clause's
        gov2, path2 = _governor(gov, set())
        inner = _rank(trigger, gov2, path2, pos)
        return None if inner is None or inner >= 50 else inner + 0.5
    return None


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in (sx.NSUBJ, sx.NSUBJPASS, sx.CSUBJ) for c in verb.children)


def _reduced_relative(verb: Token, noun: Token) -> bool:
    """A subjectless participle right after the noun's phrase ("X's invasion of Y, launched in ...")."""
    if verb.tag_ != "VBN" or verb.dep_ not in (sx.ADVCL, sx.CONJ, sx.ACL):
        return False
    if _has_subject(verb) or any(c.dep_ in (sx.AUX, sx.AUXPASS) for c in verb.children):
        return False
    gap = verb.i - noun.right_edge.i
    return gap == 1 or (gap == 2 and verb.doc[verb.i - 1].is_punct)


Candidate = tuple[float, int, int, int, "Token", list["Token"]]  # rank, distance, start, end, verb, path


#: Participles describing what a sent vehicle holds; adjuncts after them belong to the sending
_CARGO_PARTICIPLES = words("cargo_participles")
_PREMODIFIER = (sx.POSS, sx.COMPOUND, sx.NUMMOD, sx.NMOD, sx.AMOD)
# prepositions that set the scene of the verb's event ("at weekend vigils"), unlike "from the 2015 deal"
_SETTING_PREPS = words("setting_preps")


def _foreign_modifier(root: Token, trigger: Token) -> bool:
    """A date inside another noun phrase dates that noun, not the verb: "withdrew from the 2015 deal",
    "called for a recount of Sunday's vote". Kept when the noun is the trigger ("the 2014 annexation")
    or a verb's prepositional adjunct ("detained people at weekend vigils", "held since the July 26 coup").
    """
    if root.dep_ not in _PREMODIFIER:
        return False
    noun = root.head
    if noun.i == trigger.i:
        return False
    prep = noun.head
    return not (noun.dep_ == sx.POBJ and prep.lower_ in _SETTING_PREPS and _is_verbal(prep.head))


def _candidates(sent: Span, trigger: Token, near: Token | None = None) -> list[Candidate]:
    """Rank the sentence's expressions for this trigger: lower rank = belongs more to its clause."""
    chain = [trigger]
    for anc in trigger.ancestors:  # a relative clause is background: it does not inherit the main date
        if chain[-1].dep_ == sx.RELCL:
            break
        chain.append(anc)
    pos = {t.i: k for k, t in enumerate(chain)}
    focus = near if near is not None else trigger
    ranked = []
    for s, e, _text in find_time_expressions(sent):
        if s <= trigger.i < e:
            continue
        span = sent.doc[s:e]
        gov, path = _governor(span.root, set(range(s, e)))
        last = sent.doc[e - 1]
        if last.lower_ in ("before", "after") and last.head.i == gov.i and gov.dep_ in (sx.ADVCL, sx.RELCL):
            # "The day before the fighting began, Thailand expelled ...": dates the main clause
            gov, more = _governor(gov, set())
            path = path + more
        if _foreign_modifier(span.root, trigger):
            continue
        rank = _rank(trigger, gov, path, pos)
        if rank is not None:
            ranked.append((rank, abs(span.root.i - focus.i), s, e, gov, path))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return ranked


def _past_tense(trigger: Token) -> bool:
    """Past narrative (carry the article's current date forward) vs present/perfect (= now)."""
    verb = trigger if _is_verbal(trigger) else next((t for t in trigger.ancestors if _is_verbal(t)), trigger)
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN":
        auxes = [c.lower_ for c in verb.children if c.dep_ in (sx.AUX, sx.AUXPASS)]
        return not any(a in ("has", "have", "'ve", "is", "are", "am", "will", "be") for a in auxes)
    return False


def _inside_relative_clause(last: Token, trigger: Token) -> bool:
    """Is the trigger in the clause that "a day after" / "hours before" introduces?"""
    if last.lower_ not in ("after", "before") or last.dep_ != sx.MARK:
        return False
    clause = last.head
    return clause.left_edge.i <= trigger.i <= clause.right_edge.i


def event_date(
    sent: Span,
    trigger: Token,
    publication_date: date,
    anchor: Resolved | None = None,
    near: Token | None = None,
) -> Resolved:
    """Date of the event whose trigger is ``trigger``: the time expression of its clause, resolved.

    ``anchor`` (optional) is the article's current narrative date, e.g. from :func:`sentence_anchor` on the
    previous sentences: it resolves "the same day"/"hours later", and dates a past-tense event whose
    sentence gives no time at all, when the anchor is a recent day. Without it such events get the
    publication date. ``near`` (optional, e.g. the target's token) breaks ties between expressions attached
    to the same verb: "visited Moscow last Friday and Beijing on Monday".
    """
    doc = sent.doc
    resolved_in_sentence: list[tuple[int, Resolved]] = []
    for _r, _d, s, e, gov, path in _candidates(sent, trigger, near):
        text = doc[s:e].text
        future = _is_future(gov, path)
        local_anchor = anchor
        if is_anaphoric(text):
            if not resolved_in_sentence:
                resolved_in_sentence = _explicit_dates(sent, publication_date)
            earlier = [r for i, r in resolved_in_sentence if i < s]
            local_anchor = earlier[-1] if earlier else anchor
        if _inside_relative_clause(doc[e - 1], trigger):
            # "claimed ... a day after it charged him": for "charged" that is a day *before* the anchor
            head, _sep, word = text.strip().rpartition(" ")
            text = f"{head} {'before' if word.lower() == 'after' else 'after'}"
        got = resolve_expression(text, publication_date, future=future, anchor=local_anchor)
        if got is not None:
            return got
    if anchor is not None and anchor[1] == "day" and _past_tense(trigger):
        if timedelta(0) <= publication_date - anchor[0] <= timedelta(days=7):
            return anchor
    return publication_date, "day"


def _explicit_dates(sent: Span, pub: date) -> list[tuple[int, Resolved]]:
    out = []
    for s, _e, text in find_time_expressions(sent):
        if not is_anaphoric(text) and (got := resolve_expression(text, pub)) is not None:
            out.append((s, got))
    return out


def sentence_anchor(sent: Span, publication_date: date, previous: Resolved | None = None) -> Resolved | None:
    """The narrative date after reading ``sent``: its main clause's explicit date, else ``previous``.

    Call it sentence by sentence and pass the result of the previous sentence to :func:`event_date`.
    When the main clause has no date, the last past date mentioned in the sentence becomes the reference
    point (what "the following days" or "at the time" in the next sentence refer to).
    """
    root = sent.root
    for _r, _d, s, e, gov, path in _candidates(sent, root):
        text = sent.doc[s:e].text
        if _is_future(gov, path):
            continue
        got = resolve_expression(text, publication_date, anchor=previous)
        if got is not None:
            return got
    last = previous
    for _s, _e, text in find_time_expressions(sent):
        got = resolve_expression(text, publication_date, anchor=last)
        if got is not None and got[0] <= publication_date:
            last = got
    return last


class ArticleDates:
    """Per-article date state for the coder: the narrative anchor carried from sentence to sentence.

    Usage, in document order::

        dates = ArticleDates(article.publication_date)
        for sent in doc.sents:
            for trigger, target_token in events_of(sent):
                d, precision = dates.event_date(sent, trigger, near=target_token)
            dates.advance(sent)
    """

    def __init__(self, publication_date: date) -> None:
        self.publication_date = publication_date
        self.anchor: Resolved | None = None

    def event_date(self, sent: Span, trigger: Token, near: Token | None = None) -> Resolved:
        return event_date(sent, trigger, self.publication_date, anchor=self.anchor, near=near)

    def advance(self, sent: Span) -> None:
        """Call after the sentence's events: its date becomes the anchor for the next sentences."""
        self.anchor = sentence_anchor(sent, self.publication_date, self.anchor)
