"""Event extraction: articles in, CAMEO-coded event rows (``schemas.EVENTS``) out.

The public entry point is :func:`code_articles`; everything else in this package is its parts.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.models import Article


def code_articles(
    articles: Iterable[Article], *, model: str | None = None, n_process: int = 1, failures: list | None = None
) -> list[dict]:
    """Code articles into event rows (dicts with the ``schemas.EVENTS`` fields).

    An article that makes the coder fail is logged with its file and skipped; with ``failures`` given, a
    :class:`pipeline.extract.batch.CodingFailure` for it is appended there (the other articles go on).
    """
    from pipeline.extract.batch import code_articles as _code

    return _code(list(articles), model=model, n_process=n_process, failures=failures)
