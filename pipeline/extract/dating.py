"""Event dating per article: the dates module's narrative state when installed, else a fallback."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import date


class _FallbackDates:
    """Per-article dating when ``pipeline.extract.dates`` is absent: the sentence's own expression,
    else the lead sentence's recent day (wire leads date the story: "X said on Thursday ...")."""

    def __init__(self, publication_date: date):
        from pipeline.extract.datefallback import event_date

        self.pub = publication_date
        self.anchor: tuple[date, str] | None = None
        self._resolve = event_date
        self._sentences = 0

    def event_date(self, sent, trigger, near=None) -> tuple[date, str]:
        got = self._resolve(sent, trigger, self.pub)
        if self.anchor and got == (self.pub, "day") and not _dated(sent, trigger, lambda t: False):
            return self.anchor
        return got

    def advance(self, sent) -> None:
        if self._sentences == 0 and _has_time(sent):
            d = self._resolve(sent, sent.root, self.pub)
            if d[1] == "day" and 0 < (self.pub - d[0]).days <= 7:
                self.anchor = d
        self._sentences += 1


def _article_dates(publication_date: date):
    """The dates module's per-article state (narrative anchor) when installed, else the fallback."""
    if importlib.util.find_spec("pipeline.extract.dates") is not None:
        mod = importlib.import_module("pipeline.extract.dates")
        if hasattr(mod, "ArticleDates"):
            return mod.ArticleDates(publication_date)
    return _FallbackDates(publication_date)


def _has_time(sent) -> bool:
    return any(e.label_ in ("DATE", "TIME") for e in sent.ents)


def _dated(sent, trigger, is_trigger) -> bool:
    """Does a DATE expression hang from this trigger (not from another event in the sentence)?"""
    for e in sent.ents:
        if e.label_ != "DATE":
            continue
        t = e.root.head
        for _ in range(6):
            if t is trigger:
                return True
            if t.pos_ == "VERB" or is_trigger(t) or t.head is t:
                break
            t = t.head
    return False


# -- argument structure --------------------------------------------------------------------
