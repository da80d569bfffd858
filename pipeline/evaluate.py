"""Score the coder against hand-coded gold sets (the dev-set rule), one set or several at once.

Per article, output events are reduced to unique (source, target, root) triples (state codes cut to
three letters, IGO codes whole). A required event is found when a triple has its source and target
and one of its accepted roots; precision counts triples matching any required or optional event;
forbidden hits are triples matching a forbidden entry; date accuracy is measured over found required
events that carry a gold date, at the gold's precision (day, month or year); location accuracy over found
required events that carry a gold place (a fifth element, see ``place_agrees``).

A gold file maps article keys to entries; keys that start with ``_`` are metadata (``_meta`` may name
the articles folder as ``{"articles": "../shared/corpus"}``). A malformed file raises ``GoldError``
naming the file, the key and the problem, so the command can say so without a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
EVENT_KINDS = ("required", "optional", "forbidden")
_GOLD_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_PUB_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class GoldError(ValueError):
    """A gold file or set that cannot be scored; the message says which file, which key, what is wrong."""


def norm_actor(code: str) -> str:
    return code if code.upper().startswith("IGO") else code[:3]


def _root(code: str) -> str:
    return str(code)[:2]


def date_agrees(gold: str, got: date | str) -> bool:
    """Gold 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' against an output date, at the gold's precision."""
    got_s = got.isoformat() if isinstance(got, date) else str(got)
    return got_s[: len(gold)] == gold


def ratio(num: int, den: int) -> str:
    """A share to three decimals, or 'n/a' when there is nothing to measure it over."""
    return f"{num / den:.3f}" if den else "n/a"


@dataclass
class ArticleScore:
    key: str
    found: list[list] = field(default_factory=list)
    missed: list[list] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)
    forbidden_hits: list[tuple[str, str, str]] = field(default_factory=list)
    date_right: list[list] = field(default_factory=list)
    date_wrong: list[tuple[list, list[str]]] = field(default_factory=list)
    place_right: list[list] = field(default_factory=list)
    place_wrong: list[tuple[list, list[str]]] = field(default_factory=list)
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
    def n_required(self) -> int:
        return self._sum("found") + self._sum("missed")

    @property
    def n_found(self) -> int:
        return self._sum("found")

    @property
    def n_triples(self) -> int:
        return self._sum("n_triples")

    @property
    def n_matching(self) -> int:
        return self._sum("n_matching")

    @property
    def n_date_right(self) -> int:
        return self._sum("date_right")

    @property
    def n_dated(self) -> int:
        return self._sum("date_right") + self._sum("date_wrong")

    @property
    def n_place_right(self) -> int:
        return self._sum("place_right")

    @property
    def n_placed(self) -> int:
        return self._sum("place_right") + self._sum("place_wrong")

    @property
    def precision(self) -> float:
        return self.n_matching / self.n_triples if self.n_triples else 0.0

    @property
    def recall(self) -> float:
        return self.n_found / self.n_required if self.n_required else 0.0

    @property
    def forbidden(self) -> int:
        return self._sum("forbidden_hits")

    @property
    def date_accuracy(self) -> float:
        return self.n_date_right / self.n_dated if self.n_dated else 0.0

    def per_root(self) -> dict[str, tuple[int, int]]:
        """Primary root of each required event -> (found, required)."""
        out: dict[str, list[int]] = {}
        for a in self.articles:
            for events, hit in ((a.found, 1), (a.missed, 0)):
                for g in events:
                    cell = out.setdefault(_root(g[2][0]), [0, 0])
                    cell[0] += hit
                    cell[1] += 1
        return {r: (f, n) for r, (f, n) in sorted(out.items())}


def _same_name(gold_name: str, got_name: str, country: str | None) -> bool:
    """The same place: equal names after the gazetteer's normalisation, or the gazetteer resolves the gold
    name and the coder's (in the gold country) to one place ("Kobani" is GeoNames' "Ayn al Arab")."""
    from pipeline.geo.gazetteer import lookup
    from pipeline.geo.normalise import normalise

    if normalise(gold_name) == normalise(got_name):
        return True
    gold, got = lookup(gold_name, country), lookup(got_name, country)
    return gold is not None and got is not None and (gold.name, gold.country) == (got.name, got.country)


def place_agrees(gold: dict | str, event: dict) -> bool:
    """A gold place against an output event: ``"none"`` (no place is stated: the event must have none),
    or ``{"country": ISO-3, "name": place or null}``: the same country, and the same place if named."""
    got_name, got_country = event.get("place_name"), event.get("place_country")
    if gold == "none":
        return got_name is None
    if not got_country or norm_actor(got_country) != norm_actor(gold["country"]):
        return False
    name = gold.get("name")
    return not name or (got_name is not None and _same_name(name, got_name, gold["country"]))


def _show_place(event: dict) -> str:
    name, country = event.get("place_name"), event.get("place_country")
    return f"{name}, {country}" if name else "none"


def _score_place(res: ArticleScore, g: list, hits: list[dict]) -> None:
    gold_place = g[4] if len(g) > 4 else None
    if gold_place is None:
        return
    if any(place_agrees(gold_place, e) for e in hits):
        res.place_right.append(g)
    else:
        res.place_wrong.append((g, sorted({_show_place(e) for e in hits})))


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
        _score_place(res, g, hits)
    return res


def score(gold: dict, events_by_key: dict[str, list[dict]]) -> Scores:
    """Score outputs keyed like the gold file (article key -> event rows); ``_`` keys are skipped."""
    return Scores(
        [score_article(k, g, events_by_key.get(k, [])) for k, g in gold.items() if not k.startswith("_")]
    )


def code_gold_articles(
    gold: dict, articles_dir: Path, model: str | None = None, n_process: int = 1
) -> dict[str, list[dict]]:
    """Code every article the gold file names; events keyed by gold key."""
    from pipeline.commands.code import read_any
    from pipeline.extract.coder import code_articles
    from pipeline.ingest_formats import QuarantineError

    gold = {k: g for k, g in gold.items() if not k.startswith("_")}
    keyed = []
    for key, g in gold.items():
        path = articles_dir / g.get("file", f"{key}.txt")
        try:
            keyed.extend((key, a) for a in read_any(path))
        except (QuarantineError, OSError) as exc:
            raise GoldError(f"article {key!r}: {path} cannot be read ({exc})") from None
    rows = code_articles([a for _, a in keyed], model=model, n_process=n_process)
    by_id: dict[str, list[dict]] = {}
    for r in rows:
        by_id.setdefault(r["article_id"], []).append(r)
    out: dict[str, list[dict]] = {k: [] for k in gold}
    for key, a in keyed:
        out[key].extend(by_id.get(a.article_id, []))
    return out


# --- reading and checking gold files ---------------------------------------------------------------


def _event_problem(kind: str, ev: object) -> str | None:
    """What is wrong with one gold event, or None."""
    if not isinstance(ev, list) or len(ev) not in (3, 4, 5):
        return (
            "must be a list [SOURCE, TARGET, [ROOTS...]], [SOURCE, TARGET, [ROOTS...], DATE] or "
            "[SOURCE, TARGET, [ROOTS...], DATE, PLACE]"
        )
    src, tgt, roots = ev[0], ev[1], ev[2]
    if not (isinstance(src, str) and src and isinstance(tgt, str) and tgt):
        return "source and target must be non-empty actor codes"
    if not isinstance(roots, list) or not roots:
        return "roots must be a non-empty list"
    bad = [r for r in roots if not isinstance(r, str) or r not in ROOTS]
    if bad:
        return f"roots must be two-digit strings 01-20, got {bad!r}"
    when = ev[3] if len(ev) >= 4 else None
    if when is not None and kind != "forbidden" and not (
        isinstance(when, str) and _GOLD_DATE.fullmatch(when)
    ):
        return f"date must be YYYY, YYYY-MM, YYYY-MM-DD or null, got {when!r}"
    return _place_problem(ev[4]) if len(ev) == 5 else None


def _place_problem(place: object) -> str | None:
    """What is wrong with a gold place: "none", or {"country": "ABC", "name": "..." or null}."""
    if place == "none":
        return None
    if not isinstance(place, dict) or set(place) - {"name", "country"}:
        return 'place must be "none" or {"country": ISO-3, "name": NAME or null}'
    country, name = place.get("country"), place.get("name")
    if not (isinstance(country, str) and re.fullmatch(r"[A-Z]{3}", country)):
        return f"place country must be an ISO-3 code, got {country!r}"
    if name is not None and not (isinstance(name, str) and name.strip()):
        return f"place name must be a non-empty string or null, got {name!r}"
    return None


def _article_problem(entry: object) -> str | None:
    """What is wrong with one article entry (its fields and events), or None."""
    if not isinstance(entry, dict):
        return "must be an object with file, date, required, optional, forbidden"
    if "file" in entry and not (isinstance(entry["file"], str) and entry["file"]):
        return "'file' must be a non-empty file name"
    if "date" in entry and not (isinstance(entry["date"], str) and _PUB_DATE.fullmatch(entry["date"])):
        return f"'date' must be YYYY-MM-DD, got {entry['date']!r}"
    for kind in EVENT_KINDS:
        events = entry.get(kind, [])
        if not isinstance(events, list):
            return f"'{kind}' must be a list"
        for i, ev in enumerate(events):
            problem = _event_problem(kind, ev)
            if problem:
                return f"{kind}[{i}] {json.dumps(ev)[:80]}: {problem}"
    return None


def read_gold(path: Path) -> tuple[dict, dict]:
    """(articles, metadata) of a gold file. Keys starting with ``_`` are metadata; ``_meta`` must be an
    object. Raises GoldError on anything the scorer could not use."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldError(f"{path}: no such gold file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise GoldError(f"{path}: not valid JSON ({where}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path}: must be a JSON object keyed by article id, got {type(data).__name__}")
    meta = data.get("_meta", {})
    if not isinstance(meta, dict):
        raise GoldError(f"{path}: key '_meta' must be an object")
    articles = {k: v for k, v in data.items() if not k.startswith("_")}
    if not articles:
        raise GoldError(f"{path}: no articles (every key starts with '_')")
    for key, entry in articles.items():
        problem = _article_problem(entry)
        if problem:
            raise GoldError(f"{path}: article {key!r}: {problem}")
    return articles, meta


def load_gold(path: Path) -> dict:
    """The checked articles of a gold file (metadata keys left out)."""
    return read_gold(path)[0]


# --- gold sets: a gold file and its articles folder -------------------------------------------------


@dataclass
class GoldSet:
    name: str
    gold_path: Path
    articles_dir: Path
    gold: dict


def set_name(gold_path: Path) -> str:
    """How a set is shown: its folder for a ``gold.json``, else the file itself."""
    return str(gold_path.parent) if gold_path.name == "gold.json" else str(gold_path)


def _meta_dir(value: object, gold_path: Path) -> Path | None:
    """The ``_meta`` articles folder: absolute, or relative to the gold's folder or one of its parents
    (so ``../shared/corpus`` is found from the repository root), or to the current directory."""
    if not isinstance(value, str) or not value:
        raise GoldError(f"{gold_path}: '_meta.articles' must be a folder path")
    p = Path(value)
    if p.is_absolute():
        return p if p.is_dir() else None
    gold_dir = gold_path.resolve().parent
    for base in (gold_dir, *gold_dir.parents, Path.cwd()):
        if (base / p).is_dir():
            return base / p
    return None


def articles_dir_for(gold_path: Path, meta: dict, explicit: Path | None = None) -> Path:
    """Explicit folder, else the gold's ``_meta.articles``, else ``articles/`` beside the gold."""
    if explicit is not None:
        if not explicit.is_dir():
            raise GoldError(f"{gold_path}: articles folder {explicit} not found")
        return explicit
    if "articles" in meta:
        found = _meta_dir(meta["articles"], gold_path)
        if found is None:
            raise GoldError(f"{gold_path}: articles folder {meta['articles']!r} (from _meta) not found")
        return found
    beside = gold_path.parent / "articles"
    if not beside.is_dir():
        raise GoldError(f"{gold_path}: no articles folder: give GOLD.json=DIR or put articles/ beside it")
    return beside


def load_set(gold_path: Path, articles: Path | None = None) -> GoldSet:
    """A checked gold set whose every article file exists."""
    gold, meta = read_gold(gold_path)
    folder = articles_dir_for(gold_path, meta, articles)
    missing = [k for k, g in gold.items() if not (folder / g.get("file", f"{k}.txt")).is_file()]
    if missing:
        first = gold[missing[0]].get("file", f"{missing[0]}.txt")
        raise GoldError(
            f"{gold_path}: article {missing[0]!r}: file {first} not in {folder}"
            + (f" ({len(missing) - 1} more missing)" if len(missing) > 1 else "")
        )
    return GoldSet(set_name(gold_path), gold_path, folder, gold)


# --- reports -------------------------------------------------------------------------------------


def details(scores: Scores) -> list[str]:
    """Per article: missed required events, false positives, forbidden hits, wrong dates."""
    lines: list[str] = []
    for a in scores.articles:
        if not (a.missed or a.false_positives or a.forbidden_hits or a.date_wrong or a.place_wrong):
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
        lines.extend(
            f"   PLACE  {g[0]} -> {g[1]} {'/'.join(g[2])} gold {_gold_place(g[4])} got {'; '.join(got)}"
            for g, got in a.place_wrong
        )
    return lines


def _gold_place(place: dict | str) -> str:
    if place == "none":
        return "none"
    return f"{place['name']}, {place['country']}" if place.get("name") else place["country"]


def report(scores: Scores, verbose: bool = False) -> list[str]:
    """Printable lines for one set: location accuracy, then (the last four) precision, recall, forbidden
    hits and date accuracy ('n/a' when there is nothing to measure: no output, no required, dated or
    placed event)."""
    lines = details(scores) if verbose else []
    lines.append(
        f"articles: {len(scores.articles)}  required: {scores.n_required}  "
        f"found: {scores.n_found}  output triples: {scores.n_triples}"
    )
    # before the four lines other tools read last
    lines.append(f"location accuracy: {ratio(scores.n_place_right, scores.n_placed)}")
    lines.append(f"precision: {ratio(scores.n_matching, scores.n_triples)}")
    lines.append(f"recall: {ratio(scores.n_found, scores.n_required)}")
    lines.append(f"forbidden hits: {scores.forbidden}")
    lines.append(f"date accuracy: {ratio(scores.n_date_right, scores.n_dated)}")
    return lines


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    """Plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))])

    return [line(header), *(line(r) for r in rows)]


def summary_table(results: list[tuple[str, Scores]]) -> list[str]:
    """Sets x (articles, required, found, output triples, precision, recall, forbidden, date accuracy,
    location accuracy)."""
    header = ["set", "articles", "required", "found", "triples"]
    header += ["precision", "recall", "forbidden", "date acc", "loc acc"]
    rows = [
        [
            name,
            str(len(s.articles)),
            str(s.n_required),
            str(s.n_found),
            str(s.n_triples),
            ratio(s.n_matching, s.n_triples),
            ratio(s.n_found, s.n_required),
            str(s.forbidden),
            ratio(s.n_date_right, s.n_dated),
            ratio(s.n_place_right, s.n_placed),
        ]
        for name, s in results
    ]
    return _grid(header, rows)


def root_table(results: list[tuple[str, Scores]]) -> list[str]:
    """Recall per primary root (rows) and set (columns), as 'found/required recall'; n/a: no event."""
    per = [s.per_root() for _, s in results]
    rows = []
    for root in ROOTS:
        cells = [f"{c[0]}/{c[1]} {c[0] / c[1]:.2f}" if (c := p.get(root)) else "n/a" for p in per]
        rows.append([root, *cells])
    return _grid(["root", *(name for name, _ in results)], rows)


def as_dict(name: str, s: Scores) -> dict:
    """Machine-readable figures of one set (None where the figure is n/a)."""

    def share(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    return {
        "set": name,
        "articles": len(s.articles),
        "required": s.n_required,
        "found": s.n_found,
        "output_triples": s.n_triples,
        "matching_triples": s.n_matching,
        "precision": share(s.n_matching, s.n_triples),
        "recall": share(s.n_found, s.n_required),
        "forbidden_hits": s.forbidden,
        "dated_found": s.n_dated,
        "date_accuracy": share(s.n_date_right, s.n_dated),
        "placed_found": s.n_placed,
        "location_accuracy": share(s.n_place_right, s.n_placed),
        "per_root": {r: {"found": f, "required": n} for r, (f, n) in s.per_root().items()},
    }
