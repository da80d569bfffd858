"""Score the coder against a hand-coded gold file (the dev-set rule).

Per article, output events are reduced to unique (source, target, root) triples (state codes cut to
three letters, IGO codes whole). A required event is found when a triple has its source and target
and one of its accepted roots; precision counts triples matching any required or optional event;
forbidden hits are triples matching a forbidden entry; date accuracy is measured over found required
events that carry a gold date, at the gold's precision (day, month or year).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


def norm_actor(code: str) -> str:
    return code if code.upper().startswith("IGO") else code[:3]


def _root(code: str) -> str:
    return str(code)[:2]


def date_agrees(gold: str, got: date | str) -> bool:
    """Gold 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' against an output date, at the gold's precision."""
    got_s = got.isoformat() if isinstance(got, date) else str(got)
    return got_s[: len(gold)] == gold


@dataclass
class ArticleScore:
    key: str
    found: list[list] = field(default_factory=list)
    missed: list[list] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)
    forbidden_hits: list[tuple[str, str, str]] = field(default_factory=list)
    date_right: list[list] = field(default_factory=list)
    date_wrong: list[tuple[list, list[str]]] = field(default_factory=list)
    n_triples: int = 0
    n_matching: int = 0


@dataclass
class Scores:
    articles: list[ArticleScore]

    def _sum(self, attr: str) -> int:
        return sum(
            len(getattr(a, attr)) if isinstance(getattr(a, attr), list) else getattr(a, attr)
            for a in self.articles
        )

    @property
    def precision(self) -> float:
        n = self._sum("n_triples")
        return self._sum("n_matching") / n if n else 0.0

    @property
    def recall(self) -> float:
        n = self._sum("found") + self._sum("missed")
        return self._sum("found") / n if n else 0.0

    @property
    def forbidden(self) -> int:
        return self._sum("forbidden_hits")

    @property
    def date_accuracy(self) -> float:
        n = self._sum("date_right") + self._sum("date_wrong")
        return self._sum("date_right") / n if n else 0.0


def _matches(entry: list, triple: tuple[str, str, str]) -> bool:
    src, tgt, roots = entry[0], entry[1], entry[2]
    return (
        norm_actor(src) == triple[0]
        and norm_actor(tgt) == triple[1]
        and triple[2] in {_root(r) for r in roots}
    )


def score_article(key: str, gold: dict, events: list[dict]) -> ArticleScore:
    res = ArticleScore(key)
    by_triple: dict[tuple[str, str, str], list[dict]] = {}
    for e in events:
        t = (norm_actor(e["source_actor"]), norm_actor(e["target_actor"]), _root(e["cameo_code"]))
        by_triple.setdefault(t, []).append(e)
    required, optional, forbidden = (
        gold.get("required", []),
        gold.get("optional", []),
        gold.get("forbidden", []),
    )
    res.n_triples = len(by_triple)
    for t in by_triple:
        if any(_matches(g, t) for g in required + optional):
            res.n_matching += 1
        else:
            res.false_positives.append(t)
        if any(_matches(g, t) for g in forbidden):
            res.forbidden_hits.append(t)
    for g in required:
        hits = [e for t, es in by_triple.items() if _matches(g, t) for e in es]
        if not hits:
            res.missed.append(g)
            continue
        res.found.append(g)
        gold_date = g[3] if len(g) > 3 else None
        if gold_date:
            got = [str(e["event_date"]) for e in hits]
            if any(date_agrees(gold_date, d) for d in got):
                res.date_right.append(g)
            else:
                res.date_wrong.append((g, sorted(set(got))))
    return res


def score(gold: dict, events_by_key: dict[str, list[dict]]) -> Scores:
    """Score outputs keyed like the gold file (article key -> event rows)."""
    return Scores([score_article(k, g, events_by_key.get(k, [])) for k, g in gold.items()])


def code_gold_articles(
    gold: dict, articles_dir: Path, model: str | None = None, n_process: int = 1
) -> dict[str, list[dict]]:
    """Code every article the gold file names; events keyed by gold key."""
    from pipeline.commands.code import read_any
    from pipeline.extract.coder import code_articles

    keyed = []
    for key, g in gold.items():
        path = articles_dir / g.get("file", f"{key}.txt")
        for a in read_any(path):
            keyed.append((key, a))
    rows = code_articles([a for _, a in keyed], model=model, n_process=n_process)
    by_id: dict[str, list[dict]] = {}
    for r in rows:
        by_id.setdefault(r["article_id"], []).append(r)
    out: dict[str, list[dict]] = {k: [] for k in gold}
    for key, a in keyed:
        out[key].extend(by_id.get(a.article_id, []))
    return out


def load_gold(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def report(scores: Scores, verbose: bool = False) -> list[str]:
    """Printable lines; the last four are precision, recall, forbidden hits and date accuracy."""
    lines: list[str] = []
    if verbose:
        for a in scores.articles:
            if not (a.missed or a.false_positives or a.forbidden_hits or a.date_wrong):
                continue
            lines.append(
                f"== {a.key}: found {len(a.found)}/{len(a.found) + len(a.missed)}, "
                f"triples {a.n_matching}/{a.n_triples} match"
            )
            lines.extend(
                f"   MISS   {g[0]} -> {g[1]} {'/'.join(g[2])} {g[3] if len(g) > 3 else ''}" for g in a.missed
            )
            lines.extend(f"   FP     {t[0]} -> {t[1]} {t[2]}" for t in a.false_positives)
            lines.extend(f"   FORBID {t[0]} -> {t[1]} {t[2]}" for t in a.forbidden_hits)
            lines.extend(
                f"   DATE   {g[0]} -> {g[1]} {'/'.join(g[2])} gold {g[3]} got {','.join(got)}"
                for g, got in a.date_wrong
            )
    n_req = sum(len(a.found) + len(a.missed) for a in scores.articles)
    lines.append(
        f"articles: {len(scores.articles)}  required: {n_req}  "
        f"found: {sum(len(a.found) for a in scores.articles)}  "
        f"output triples: {sum(a.n_triples for a in scores.articles)}"
    )
    lines.append(f"precision: {scores.precision:.3f}")
    lines.append(f"recall: {scores.recall:.3f}")
    lines.append(f"forbidden hits: {scores.forbidden}")
    lines.append(f"date accuracy: {scores.date_accuracy:.3f}")
    return lines
