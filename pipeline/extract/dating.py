"""Event dating per article (the dates module's narrative state) and argument-structure helpers."""

from __future__ import annotations

from datetime import date


def _article_dates(publication_date: date):
    """Per-article date state: the narrative anchor carried from sentence to sentence."""
    from pipeline.extract.dates import ArticleDates

    return ArticleDates(publication_date)


# -- argument structure --------------------------------------------------------------------
