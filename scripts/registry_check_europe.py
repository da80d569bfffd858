"""Coverage check of the office-holder registry for Europe and the IGO heads (issue 9, part 1).

Every 1 June and 1 December from 1990 (or independence) to 2026-06-01, each European state must have a
foreign minister and a holder of its leading offices (head of state and, where a separate head of
government leads or shares the executive, head of government), and the IGOs news names most must have a
head. Periods without the office, or whose holder could not be established well enough to list (the
README's rule: leave a row out rather than guess), are declared below with their reason; anything else is
printed as a gap and makes the script exit 1.

Run from the repository root: ``PYTHONPATH=. .venv/bin/python scripts/registry_check_europe.py``.
"""

from __future__ import annotations

import sys
from datetime import date

from pipeline.extract.actors import ActorRegistry

FIRST = date(1990, 6, 1)
LAST = date(2026, 6, 1)
LEADERS = ("hos", "hog", "fm")
PRESIDENTIAL = ("hos", "fm")

#: code -> (independence or 1990, offices that must have a holder). Cyprus has a presidential system;
#: Switzerland's Federal Council has no head of government; San Marino's two Captains Regent rotate every
#: six months and the Secretary of State for Foreign Affairs leads the government.
STATES: dict[str, tuple[date, tuple[str, ...]]] = {
    **{
        c: (FIRST, LEADERS)
        for c in (
            "ALB AND AUT BEL BGR DNK FIN FRA DEU GRC HUN ISL IRL ITA LIE LUX MLT MCO NLD NOR POL PRT ROU RUS "
            "ESP SWE GBR VAT SRB CZE"
        ).split()
    },
    "CYP": (FIRST, PRESIDENTIAL),
    "CHE": (FIRST, PRESIDENTIAL),
    "SMR": (FIRST, ("fm",)),
    "LTU": (FIRST, LEADERS),
    "EST": (date(1991, 8, 20), LEADERS),
    "LVA": (date(1991, 8, 21), LEADERS),
    "UKR": (date(1991, 8, 24), LEADERS),
    "BLR": (date(1991, 8, 25), LEADERS),
    "MDA": (date(1991, 8, 27), LEADERS),
    "HRV": (date(1991, 6, 25), LEADERS),
    "SVN": (date(1991, 6, 25), LEADERS),
    "MKD": (date(1991, 9, 8), LEADERS),
    "BIH": (date(1992, 3, 3), LEADERS),
    "SVK": (date(1993, 1, 1), LEADERS),
    "MNE": (date(2006, 6, 3), LEADERS),
    "XKX": (date(2008, 2, 17), LEADERS),
}

#: IGO -> the date from which its head is checked.
IGOS = {
    "IGOUNO": FIRST,
    "IGOWSTNAT": FIRST,
    "IGOEUREEC": FIRST,
    "IGOAFRAFU": FIRST,
    "IGOMEAARL": FIRST,
    "IGOSEAASN": FIRST,
    "IGOOAS": FIRST,
    "IGOIMF": FIRST,
    "IGOWBK": FIRST,
    "IGOWTO": FIRST,
    "IGOUNOIAE": FIRST,
    "IGOUNOHLHWHO": FIRST,
    "IGOBUSOPC": FIRST,
    "IGOCWN": FIRST,
    "IGOMEAGCC": FIRST,
    "IGOOIC": FIRST,
    "IGOCOE": FIRST,
}

Period = tuple[date, date, str]

#: (code, office) -> periods without a holder to list: the office was vacant, collective or abolished.
NO_HOLDER: dict[tuple[str, str], list[Period]] = {
    ("AUT", "hos"): [
        (date(2016, 7, 8), date(2017, 1, 26), "the three presidents of the National Council jointly")
    ],
    ("CZE", "hos"): [(date(1992, 7, 20), date(1993, 2, 2), "no Czechoslovak, then no Czech president")],
    ("SVK", "hos"): [
        (date(1998, 3, 2), date(1999, 6, 15), "no president elected; powers with the prime minister")
    ],
    ("SRB", "fm"): [
        (date(1991, 12, 1), date(1992, 7, 14), "Yugoslavia's break-up: acting foreign ministers"),
        (date(1992, 11, 3), date(1993, 3, 2), "Prime Minister Panic acting after Djukic"),
    ],
    ("BLR", "fm"): [(date(2022, 11, 26), date(2022, 12, 9), "vacant after Makei's death")],
    ("SRB", "hog"): [(date(1991, 12, 20), date(1992, 7, 14), "Yugoslavia's break-up: acting prime minister")],
    ("IGOWTO", "igo_head"): [
        (date(1999, 5, 1), date(1999, 8, 31), "no director-general agreed"),
        (date(2020, 9, 1), date(2021, 2, 28), "no director-general agreed"),
    ],
    ("IGOMEAARL", "igo_head"): [
        (date(1990, 9, 3), date(1991, 5, 19), "acting secretary-general after Klibi")
    ],
}

#: (code, office) -> periods whose holder exists but could not be established well enough to list.
NOT_ESTABLISHED: dict[tuple[str, str], list[Period]] = {
    ("AND", "fm"): [
        (FIRST, date(1997, 1, 31), "foreign ministers before Albert Pintat"),
        (date(2009, 6, 5), date(2011, 5, 11), "foreign minister of the Bartumeu government"),
    ],
    ("HUN", "fm"): [(date(2026, 5, 9), LAST, "foreign minister of the Magyar government")],
    ("BGR", "fm"): [(date(2026, 5, 8), LAST, "foreign minister of the Radev government")],
    ("MCO", "hog"): [
        (FIRST, date(1997, 2, 2), "ministers of state before Michel Leveque"),
        (date(2025, 1, 17), LAST, "successor of Didier Guillaume"),
    ],
    ("MCO", "fm"): [
        (FIRST, LAST, "government counsellors-ministers for external relations, not established")
    ],
    ("LIE", "fm"): [
        (FIRST, date(1993, 12, 14), "the head of government held foreign affairs"),
        (date(2025, 4, 10), LAST, "foreign minister of the Haas government"),
    ],
    ("MDA", "fm"): [(date(1993, 8, 1), date(1994, 4, 4), "foreign minister 1993-94")],
    ("SMR", "fm"): [(date(2002, 6, 1), date(2006, 6, 30), "secretaries of state 2002-2006")],
    ("SVN", "fm"): [
        (date(1994, 10, 1), date(1995, 1, 25), "acting foreign minister after Peterle"),
        (date(1996, 5, 1), date(1997, 2, 26), "acting foreign minister after Thaler"),
    ],
    ("ALB", "fm"): [(date(2003, 7, 18), date(2003, 12, 28), "acting foreign minister after Meta")],
    ("EST", "fm"): [
        (date(1996, 11, 22), date(1996, 12, 2), "between Kallas and Ilves (both dates approximate)")
    ],
}


def check_days(first: date) -> list[date]:
    """Every 1 June and 1 December from ``first`` to LAST."""
    days = [date(y, m, 1) for y in range(first.year, LAST.year + 1) for m in (6, 12)]
    return [d for d in days if first <= d <= LAST]


def covered(table: dict[tuple[str, str], list[Period]], code: str, office: str, day: date) -> str | None:
    for a, b, why in table.get((code, office), []):
        if a <= day <= b:
            return why
    return None


def gaps(reg: ActorRegistry) -> tuple[list[tuple[str, str, date]], int]:
    """Unexplained (code, office, day) gaps and the number of checks made."""
    wanted = [(c, o, f) for c, (f, offices) in STATES.items() for o in offices]
    wanted += [(c, "igo_head", f) for c, f in IGOS.items()]
    found, checks = [], 0
    for code, office, first in wanted:
        for day in check_days(first):
            checks += 1
            if reg.holder(code, office, day) is None and not (
                covered(NO_HOLDER, code, office, day) or covered(NOT_ESTABLISHED, code, office, day)
            ):
                found.append((code, office, day))
    return found, checks


def main() -> int:
    reg = ActorRegistry()
    found, checks = gaps(reg)
    for title, table in (("no holder to list", NO_HOLDER), ("holder not established", NOT_ESTABLISHED)):
        print(f"declared periods, {title}:")
        for (code, office), periods in sorted(table.items()):
            for a, b, why in periods:
                print(f"  {code} {office:8} {a}..{b}: {why}")
    by_key: dict[tuple[str, str], list[date]] = {}
    for code, office, day in found:
        by_key.setdefault((code, office), []).append(day)
    for (code, office), days in sorted(by_key.items()):
        shown = ", ".join(d.isoformat()[:7] for d in days[:10]) + (" ..." if len(days) > 10 else "")
        print(f"GAP {code} {office:8} {len(days):3}: {shown}")
    print(f"{len(found)} unexplained gaps in {checks} checks ({len(STATES)} states, {len(IGOS)} IGOs)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
