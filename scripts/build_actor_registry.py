"""Review tool for the hand-written actor registry data (pipeline/extract/data/actors/).

The data files are edited by hand, not generated; this script helps whoever edits them:

    python scripts/build_actor_registry.py stats
    python scripts/build_actor_registry.py holders 2026-11-26 USA GBR FRA
    python scripts/build_actor_registry.py lookup 2024-01-12 "Kremlin" "Zelenskyy" "U.S."
    python scripts/build_actor_registry.py verify        # rows whose note asks for verification

It imports only the project (no third-party package), so it runs wherever the pipeline runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date

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
    else:
        _verify(reg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
