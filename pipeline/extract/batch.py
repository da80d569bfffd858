"""Coding many articles: pre-filter, parse in batches, code, optionally in worker processes.

One article that breaks the coder (a parser or rule exception) must not fail its shard: its exception
is logged with the article's file, recorded as a :class:`CodingFailure` in the caller's ``failures`` list,
and the other articles are coded as usual.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from pipeline.extract.textcap import cap_sentences
from pipeline.models import Article, article_id_for

log = logging.getLogger(__name__)

#: Longest text parsed per article (~17k words): wire copy is far shorter, and a runaway file must not
#: exhaust memory in the parser. Longer texts are cut at a paragraph or sentence end before this.
MAX_CHARS = 100_000


@dataclass(frozen=True)
class CodingFailure:
    """An article the coder could not code, and why (its events are missing, the others are not)."""

    article_id: str
    source_file: str
    error: str


def _capped(text: str) -> str:
    """Bounded cost per article: over-long sentences cut (``textcap``), then the whole text."""
    text = cap_sentences(text)
    if len(text) <= MAX_CHARS:
        return text
    cut = max(text.rfind("\n\n", 0, MAX_CHARS), text.rfind(". ", 0, MAX_CHARS) + 1)
    log.warning("article of %d characters: coding the first %d", len(text), cut if cut > 0 else MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS]


def _failed(article: Article, exc: Exception, failures: list[CodingFailure]) -> None:
    log.error("coding %s failed, the article is skipped: %s", article.source_file, exc, exc_info=exc)
    failures.append(CodingFailure(article.article_id, article.source_file, f"{type(exc).__name__}: {exc}"))


def _docs(nlp, articles: list[Article], texts: list[str], failures: list[CodingFailure]):
    """(article index, doc) in order; an article whose parse fails is recorded and skipped. spaCy parses
    in batches; after a failure the rest of the articles are parsed one by one."""
    done = 0
    try:
        for doc in nlp.pipe(texts, batch_size=64):
            yield done, doc
            done += 1
        return
    except Exception:  # noqa: BLE001 - one bad text must not stop the shard; find it below
        log.warning("batch parse failed after %d article(s): parsing the rest one by one", done)
    for k in range(done, len(articles)):
        try:
            doc = nlp(texts[k])
        except Exception as exc:  # noqa: BLE001
            _failed(articles[k], exc, failures)
            continue
        yield k, doc


def _code_serial(
    articles: list[Article],
    model: str | None,
    explain: dict | None = None,
    prefilter: bool = True,
    failures: list[CodingFailure] | None = None,
) -> list[dict]:
    from pipeline.extract.coder import get_coder
    from pipeline.extract.nlp import load_nlp
    from pipeline.extract.prefilter import reduce_text

    failures = failures if failures is not None else []
    nlp = load_nlp(model)
    coder = get_coder()
    rows: list[dict] = []
    reduced = [reduce_text(_capped(a.text)) if prefilter else None for a in articles]
    texts = [r.text if r is not None else _capped(a.text) for a, r in zip(articles, reduced, strict=True)]
    for k, doc in _docs(nlp, articles, texts, failures):
        article = articles[k]
        ex: list | None = [] if explain is not None else None
        try:
            rows.extend(coder.code_doc(doc, article, ex, reduced[k]))
        except Exception as exc:  # noqa: BLE001 - isolate the article, log it, go on with the shard
            _failed(article, exc, failures)
            continue
        if explain is not None and ex is not None:
            explain[article.article_id] = ex
    return rows


def _worker_chunk(job: tuple[list[Article], str | None, bool]) -> tuple[list[dict], list[CodingFailure]]:
    articles, model, prefilter = job
    failures: list[CodingFailure] = []
    return _code_serial(articles, model, prefilter=prefilter, failures=failures), failures


def code_articles(
    articles: list[Article],
    model: str | None = None,
    n_process: int = 1,
    explain: dict | None = None,
    prefilter: bool = True,
    failures: list[CodingFailure] | None = None,
) -> list[dict]:
    """Code articles into event rows with exactly the ``schemas.EVENTS`` fields.

    ``prefilter`` parses only the lead and the sentences containing a trigger word (see
    :mod:`pipeline.extract.prefilter`); sentence numbers still refer to the whole article. Articles that
    fail are skipped and, when ``failures`` is given, appended to it.

    With ``n_process`` > 1, worker processes each parse and code a slice and send back only the rows
    (shipping parsed Docs between processes costs more than it saves). Output order is input order.
    """
    import multiprocessing as mp

    articles = list(articles)
    failures = failures if failures is not None else []
    if not articles:
        return []
    n_process = max(1, min(n_process, len(articles) // 16 or 1))
    if mp.current_process().daemon:
        n_process = 1  # a daemonic worker (some task runners) may not start processes of its own
    warm(model)
    if n_process == 1 or explain is not None:
        return _code_serial(articles, model, explain, prefilter, failures)
    # warmed before forking: the workers share the model and every table copy-on-write
    size = chunk_size(len(articles), n_process)
    jobs = [(articles[i : i + size], model, prefilter) for i in range(0, len(articles), size)]
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    rows: list[dict] = []
    with workers_stop_on_sigterm():
        pool = mp.get_context(method).Pool(n_process)
        try:
            for part, failed in pool.imap(_worker_chunk, jobs):
                rows.extend(part)
                failures.extend(failed)
            pool.close()  # the workers leave on their stop message, no signal needed
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    return rows


@contextmanager
def workers_stop_on_sigterm() -> Iterator[None]:
    """While the pool lives, SIGTERM has its default action here, so the workers forked meanwhile die on it.

    Airflow 3's task runner installs a SIGTERM handler that returns at once in a forked child, and
    ``Pool.terminate()`` (the pool's end after an error) stops the idle workers with SIGTERM and then
    joins them: a worker waiting for work ignored the signal and the shard hung in the pool's teardown
    forever (seen in ``dag.test``, one run in a few, when ``with Pool()`` ended every pool that way).
    A handler of our own in the children would not do: a signal that reaches a child before Python's
    after-fork code runs is dropped, so only the kernel's default action, inherited at fork, is free of
    that race. Meanwhile a SIGTERM to this process ends it at once (Airflow's handler would only call
    the task's ``on_kill``, a no-op for a ``@task``); the handler is back once the pool is joined.
    """
    try:
        prev = signal.getsignal(signal.SIGTERM)
        if callable(prev):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except ValueError:  # not the main thread: a handler cannot be changed from here
        prev = None
    try:
        yield
    finally:
        if callable(prev):
            signal.signal(signal.SIGTERM, prev)


def chunk_size(n_articles: int, n_process: int) -> int:
    """Articles per worker task. The last tasks decide when the pool ends: with 4 tasks per process a
    worker could wait ~a task's time (an eighth of the work on 2 processes) for the other's last one, so
    tasks are ~16 per process, 8 to 64 articles (each an ``nlp.pipe`` batch of its own; the rows do not
    depend on how the articles are batched, ``same_events.py --processes 2`` checks it)."""
    return max(8, min(64, n_articles // (n_process * 16)))


_WARMED: set[str | None] = set()

#: A text that reaches every stage of the coder (parse, mentions, lexicon, dates), coded once per process
_WARM_UP = "On Monday the foreign minister of France said Paris would send aid to Chad."


def warm(model: str | None = None) -> None:
    """Build what every process needs once (model, registry and lexicon, the pre-filter's forms, the alias
    index and the dates' patterns, which are built on first use) and freeze it out of the garbage
    collector's sight: forked workers then inherit it instead of building it each, and the collector stops
    re-scanning a heap that never becomes garbage (nor touches its pages, which would copy them)."""
    import gc

    from pipeline.extract.coder import get_coder
    from pipeline.extract.nlp import load_nlp

    if model in _WARMED:
        return
    load_nlp(model)
    code_text(_WARM_UP, date(2025, 1, 6), model=model, coder=get_coder())
    _warm_places()
    gc.collect()
    gc.freeze()
    _WARMED.add(model)


def _warm_places() -> None:
    """The gazetteer and the place tables load on the first place phrase, which the warm-up text lacks:
    built here, they are loaded once in the parent instead of once in every worker (~1.6 CPU s each).
    The city table and the governors' forms are small, but load on first use too."""
    from pipeline.extract import location, modality, places
    from pipeline.geo.gazetteer import gazetteer

    gazetteer()
    location.patterns()
    location.venues()
    location._city_words()
    places.cities()
    modality._governor_forms()


def code_text(
    text: str,
    publication_date: date,
    *,
    model: str | None = None,
    source_file: str = "<text>",
    explain: list | None = None,
    coder=None,
    prefilter: bool = True,
) -> list[dict]:
    """Code one text (handy for tests); ``coder`` lets a caller bring its own registry or lexicon."""
    from pipeline.extract.coder import get_coder
    from pipeline.extract.nlp import load_nlp
    from pipeline.extract.prefilter import reduce_text

    article = Article(article_id_for(text), source_file, publication_date, text)
    reduced = reduce_text(_capped(text)) if prefilter else None
    doc = load_nlp(model)(reduced.text if reduced is not None else _capped(text))
    return (coder or get_coder()).code_doc(doc, article, explain, reduced)
