"""Review tool for the hand-written actor registry data (pipeline/extract/data/actors/).

The data files are edited by hand, not generated; this script helps whoever edits them:

    python scripts/build_actor_registry.py stats
    python scripts/build_actor_registry.py holders 2026-11-26 USA GBR FRA
    python scripts/build_actor_registry.py lookup 2024-01-12 "Kremlin" "Zelenskyy" "U.S."
    python scripts/build_actor_registry.py verify        # rows whose note asks for verification
    python scripts/build_actor_registry.py unresolved ../shared/corpus -n 30   # frequent names not resolved

It imports only the project (no third-party package), so it runs wherever the pipeline runs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from pipeline.extract.actors import ActorRegistry

OFFICES = ("hos", "hog", "fm", "dm")


def _stats(reg: ActorRegistry) -> None:
    terms = reg.terms()
    print(f"aliases {len(list(reg.aliases()))}  keys {len(list(reg.keys()))}  codes {len(reg.codes())}")
    print(f"terms {len(terms)}  persons {len({t.name for t in terms})}")
    print("offices", dict(Counter(t.office for t in terms).most_common()))


def _holders(reg: ActorRegistry, day: date, codes: list[str]) -> None:
    codes = codes or sorted({t.code for t in reg.terms() if not t.code.startswith("IGO")})
    print("code | " + " | ".join(OFFICES))
    for code in codes:
        names = [(reg.holder(code, o, day) or None) for o in OFFICES]
        print(code, "|", " | ".join(h.name if h else "-" for h in names))


def _lookup(reg: ActorRegistry, day: date, texts: list[str]) -> None:
    for text in texts:
        actor = reg.lookup(text, on=day)
        flag = " (ambiguous)" if reg.is_ambiguous(text) else ""
        print(f"{text!r}: {actor}{flag}")


def _verify(reg: ActorRegistry) -> None:
    for t in reg.terms():
        if "verify" in t.note or "approximate" in t.note:
            print(f"{t.code} {t.office} {t.name} {t.start}..{t.end or ''}  # {t.note}")


#: Capitalised words that start sentences or titles rather than names (dropped from unresolved chunks).
_STOP = frozenset(
    """
    the a an in on at of for and or but to by with from as he she it they we i this that these those
    his her its their our there here when while after before during new said says mr mrs ms dr sir
    gen president prime minister foreign finance defence defense secretary state chancellor premier
    vice deputy king queen prince crown sheikh emir ambassador spokesman spokeswoman official
    officials leader chairman general senator sen rep governor party congress senate house committee
    january february march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
    sunday reuters ap afp xinhua inc corp co ltd company bank group national international central
    federal government ministry council agency north south east west new united republic democratic
    economic trade affairs office department army air force navy police chief director executive
    """.split()
)
_CAPS = re.compile(r"[A-Z][\w'\-.]*(?:\s+(?:[A-Z][\w'\-.]*|al-\w+|bin|de|la|van|von|der|el-\w+))*")
_DATE = re.compile(r"\s*date (\d{4}-\d{2}-\d{2})")


def _unresolved_chunks(reg: ActorRegistry, text: str, day: date | None) -> list[str]:
    """Capitalised word runs left over once every span the registry resolves (as of ``day``) is removed."""
    chunks = []
    for m in _CAPS.finditer(text):
        toks = [t.rstrip(".,") for t in re.sub(r"['\u2019]s\b", "", m.group(0)).split()]
        covered = [False] * len(toks)
        i = 0
        while i < len(toks):
            for j in range(min(len(toks), i + 5), i, -1):
                span = " ".join(toks[i:j])
                if reg.lookup(span, on=day) or reg.is_non_actor(span):
                    covered[i:j] = [True] * (j - i)
                    i = j
                    break
            else:
                i += 1
        run: list[str] = []
        for tok, done in [*zip(toks, covered, strict=True), ("", True)]:
            if done or tok.lower() in _STOP:
                if run:
                    chunks.append(" ".join(run))
                run = []
            else:
                run.append(tok)
    return chunks


def _unresolved(reg: ActorRegistry, folder: Path, top: int) -> None:
    """Most frequent capitalised names of a folder of landing-format articles (line 1 ' date YYYY-MM-DD ')
    that resolve to no actor on the article date; single words that also occur in lower case are skipped."""
    counts: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        m = _DATE.match(text)
        day = date.fromisoformat(m.group(1)) if m else None
        lower.update(re.findall(r"\b[a-z][a-z'-]+\b", text))
        counts.update(_unresolved_chunks(reg, text[m.end() :] if m else text, day))
    shown = 0
    for chunk, n in counts.most_common():
        if (" " not in chunk and lower[chunk.lower()] >= 3) or len(chunk) < 3:
            continue
        print(f"{n:6d}  {chunk}")
        shown += 1
        if shown >= top:
            break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("stats", help="counts and load time")
    h = sub.add_parser("holders", help="heads of state/government, foreign and defence ministers on a date")
    h.add_argument("date", type=date.fromisoformat)
    h.add_argument("codes", nargs="*")
    lk = sub.add_parser("lookup", help="resolve names as of a date")
    lk.add_argument("date", type=date.fromisoformat)
    lk.add_argument("texts", nargs="+")
    sub.add_parser("verify", help="terms whose dates or facts are marked for checking")
    un = sub.add_parser(
        "unresolved", help="frequent capitalised names of an article folder that resolve to nothing"
    )
    un.add_argument("folder", type=Path)
    un.add_argument("-n", type=int, default=30, help="how many to list (default 30)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    reg = ActorRegistry()
    loaded = time.perf_counter() - start
    if args.cmd == "stats":
        print(f"load {loaded:.3f} s")
        _stats(reg)
    elif args.cmd == "holders":
        _holders(reg, args.date, args.codes)
    elif args.cmd == "lookup":
        _lookup(reg, args.date, args.texts)
    elif args.cmd == "unresolved":
        _unresolved(reg, args.folder, args.n)
    else:
        _verify(reg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
