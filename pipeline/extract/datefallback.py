"""Minimal event dating used only when ``pipeline.extract.dates`` is not installed.

It resolves the DATE entity nearest to the trigger in the parse: weekdays (the most recent such
day on or before publication), "yesterday", "last week/month/year", "Month [Year]", bare years.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)}


def _month_num(word: str) -> int | None:
    return (
        _MONTH_ABBR.get(word.lower().rstrip(".")[:3]) if word.lower().rstrip(".")[:3] in _MONTH_ABBR else None
    )


def resolve(text: str, pub: date) -> tuple[date, str] | None:
    """A date expression's value against the publication date."""
    t = text.lower()
    if "yesterday" in t:
        return pub - timedelta(days=1), "day"
    if "today" in t or "tonight" in t:
        return pub, "day"
    for i, w in enumerate(WEEKDAYS):
        if w in t:
            delta = (pub.weekday() - i) % 7
            if "last" in t and delta == 0:
                delta = 7
            return pub - timedelta(days=delta), "day"
    if re.search(r"\blast month\b", t):
        first = pub.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), "month"
    if re.search(r"\blast year\b", t):
        return date(pub.year - 1, 1, 1), "year"
    if re.search(r"\bthis (month|week)\b|\bweekend\b", t):
        return pub.replace(day=1), "month"
    m = re.search(
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*(\d{1,2}(?!\d))?(?:st|nd|rd|th)?,?"
        r"\s*(\d{4})?",
        t,
    )
    if m and (m.group(2) or m.group(3) or len(t.split()) <= 3):
        month = _month_num(m.group(1)) or 1
        year = int(m.group(3)) if m.group(3) else (pub.year if month <= pub.month else pub.year - 1)
        if m.group(2):
            try:
                return date(year, month, int(m.group(2))), "day"
            except ValueError:
                return None
        return date(year, month, 1), "month"
    m = re.search(r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(\d{4})?", t)
    if m:
        month = _month_num(m.group(2)) or 1
        year = int(m.group(3)) if m.group(3) else (pub.year if month <= pub.month else pub.year - 1)
        try:
            return date(year, month, int(m.group(1))), "day"
        except ValueError:
            return None
    m = re.search(r"\b(19\d\d|20\d\d)\b", t)
    if m:
        return date(int(m.group(1)), 1, 1), "year"
    return None


def event_date(sent, trigger, publication_date: date) -> tuple[date, str]:
    """Date of the DATE entity closest to the trigger in the tree (same clause first)."""
    best = None
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        value = resolve(ent.text, publication_date)
        if value is None:
            continue
        # distance: steps from the entity's root up to the trigger
        dist, t = 0, ent.root
        while t is not trigger and t.head is not t and dist < 12:
            t, dist = t.head, dist + 1
        if t is not trigger:
            dist = 50 + abs(ent.root.i - trigger.i)
        if best is None or dist < best[0]:
            best = (dist, value)
    return best[1] if best else (publication_date, "day")
