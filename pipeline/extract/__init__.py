"""Event extraction: articles in, CAMEO-coded event rows (``schemas.EVENTS``) out.

The public entry point is :func:`code_articles`; everything else in this package is its parts.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.models import Article


def code_articles(articles: Iterable[Article], *, model: str | None = None, n_process: int = 1) -> list[dict]:
    """Code articles into event rows (dicts with the ``schemas.EVENTS`` fields)."""
    from pipeline.extract.coder import code_articles as _code

    return _code(list(articles), model=model, n_process=n_process)
