"""Coverage check of the office-holder registry for Asia and the Middle East (issue 9, part 1).

For every state of the region and every 1 June and 1 December from 1990 (or independence) to 2026-06-01,
the foreign minister and the leading offices (head of state and, where the office exists separately and
matters, head of government) must have a holder. Known vacancies and periods without the office are
listed below with their reason; everything else is printed as a gap and makes the script exit 1.

Run from the repository root: ``PYTHONPATH=. .venv/bin/python scripts/registry_check_asia.py``.
"""

from __future__ import annotations

import sys
from datetime import date

from pipeline.extract.actors import ActorRegistry

START = date(1990, 1, 1)
END = date(2026, 6, 1)

#: code -> (first day to check, offices that must have a holder). Heads of government are required where
#: the prime minister leads or shares the executive; not in presidential systems or where the monarch or
#: the president also heads the government (Brunei, Oman, Saudi Arabia until 2022).
STATES: dict[str, tuple[date, tuple[str, ...]]] = {
    "AFG": (START, ("hos", "fm")),
    "ARM": (date(1991, 9, 21), ("hos", "hog", "fm")),
    "AZE": (date(1991, 10, 18), ("hos", "fm")),
    "BHR": (START, ("hos", "hog", "fm")),
    "BGD": (START, ("hos", "hog", "fm")),
    "BTN": (START, ("hos", "fm")),
    "BRN": (START, ("hos", "fm")),
    "KHM": (START, ("hos", "hog", "fm")),
    "CHN": (START, ("hos", "hog", "fm")),
    "GEO": (date(1991, 4, 9), ("hos", "hog", "fm")),
    "IND": (START, ("hos", "hog", "fm")),
    "IDN": (START, ("hos", "fm")),
    "IRN": (START, ("hos", "hog", "fm")),
    "IRQ": (START, ("hos", "hog", "fm")),
    "ISR": (START, ("hos", "hog", "fm")),
    "JPN": (START, ("hos", "hog", "fm")),
    "JOR": (START, ("hos", "hog", "fm")),
    "KAZ": (date(1991, 12, 16), ("hos", "fm")),
    "KWT": (START, ("hos", "hog", "fm")),
    "KGZ": (date(1991, 8, 31), ("hos", "fm")),
    "LAO": (START, ("hos", "hog", "fm")),
    "LBN": (START, ("hos", "hog", "fm")),
    "MYS": (START, ("hos", "hog", "fm")),
    "MDV": (START, ("hos", "fm")),
    "MNG": (START, ("hos", "hog", "fm")),
    "MMR": (START, ("hos", "hog", "fm")),
    "NPL": (START, ("hos", "hog", "fm")),
    "PRK": (START, ("hos", "fm")),
    "OMN": (START, ("hos", "fm")),
    "PAK": (START, ("hos", "hog", "fm")),
    "PHL": (START, ("hos", "fm")),
    "QAT": (START, ("hos", "hog", "fm")),
    "KOR": (START, ("hos", "hog", "fm")),
    "SAU": (START, ("hos", "fm")),
    "SGP": (START, ("hos", "hog", "fm")),
    "LKA": (START, ("hos", "hog", "fm")),
    "SYR": (START, ("hos", "hog", "fm")),
    "TJK": (date(1991, 9, 9), ("hos", "fm")),
    "THA": (START, ("hos", "hog", "fm")),
    "TLS": (date(2002, 5, 20), ("hos", "hog", "fm")),
    "TUR": (START, ("hos", "hog", "fm")),
    "TKM": (date(1991, 10, 27), ("hos", "fm")),
    "ARE": (START, ("hos", "hog", "fm")),
    "UZB": (date(1991, 8, 31), ("hos", "fm")),
    "VNM": (START, ("hos", "hog", "fm")),
    "YEM": (START, ("hos", "hog", "fm")),
    "PSE": (START, ("hos", "fm")),
    "TWN": (START, ("hos", "hog", "fm")),
}

#: (code, office) -> periods (both ends inclusive) in which no holder is expected, with the reason.
EXEMPT: dict[tuple[str, str], list[tuple[date, date, str]]] = {
    ("TUR", "hog"): [(date(2018, 7, 9), END, "office abolished")],
    ("SYR", "hog"): [(date(2025, 3, 29), END, "office abolished by the constitutional declaration")],
    ("BGD", "hog"): [(START, date(1991, 3, 19), "presidential system until 1991")],
    ("MMR", "hog"): [(date(2011, 3, 30), date(2016, 4, 5), "no prime minister 2011-2016")],
    ("LBN", "hos"): [
        (date(2007, 11, 24), date(2008, 5, 24), "presidential vacancy (the cabinet acted)"),
        (date(2014, 5, 26), date(2016, 10, 30), "presidential vacancy (the cabinet acted)"),
        (date(2022, 10, 31), date(2025, 1, 8), "presidential vacancy (the cabinet acted)"),
    ],
    ("QAT", "hog"): [(START, date(1996, 10, 28), "the emir was his own prime minister")],
    ("GEO", "hog"): [(date(1995, 10, 2), date(2004, 2, 16), "no prime minister: a state minister under the president")],
    ("IRQ", "hog"): [(START, date(2004, 6, 27), "Saddam Hussein was his own prime minister from 1994; "
                      "see the note in the data for 1990-1994")],
    ("IRQ", "hos"): [(date(2003, 4, 10), date(2004, 6, 27), "occupation: no Iraqi head of state")],
    ("IRQ", "fm"): [(date(2003, 4, 10), date(2003, 9, 2), "occupation: no Iraqi foreign minister")],
}


def check_days(first: date) -> list[date]:
    days = []
    for year in range(first.year, END.year + 1):
        for month in (6, 12):
            day = date(year, month, 1)
            if first <= day <= END:
                days.append(day)
    return days


def exempt(code: str, office: str, day: date) -> bool:
    return any(a <= day <= b for a, b, _ in EXEMPT.get((code, office), []))


def held(reg: ActorRegistry, code: str, office: str, day: date) -> bool:
    """An acting head of state (office ``acting_hos``) fills the head-of-state office."""
    if reg.holder(code, office, day) is not None:
        return True
    return office == "hos" and reg.holder(code, "acting_hos", day) is not None


def gaps(reg: ActorRegistry) -> list[tuple[str, str, date]]:
    found = []
    for code, (first, offices) in STATES.items():
        for office in offices:
            for day in check_days(first):
                if not held(reg, code, office, day) and not exempt(code, office, day):
                    found.append((code, office, day))
    return found


def main() -> int:
    reg = ActorRegistry()
    found = gaps(reg)
    by_key: dict[tuple[str, str], list[date]] = {}
    for code, office, day in found:
        by_key.setdefault((code, office), []).append(day)
    for (code, office), days in sorted(by_key.items()):
        shown = ", ".join(d.isoformat()[:7] for d in days[:12]) + (" ..." if len(days) > 12 else "")
        print(f"{code} {office:4} {len(days):3} gaps: {shown}")
    checked = sum(len(check_days(f)) * len(o) for f, o in STATES.values())
    print(f"{len(found)} gaps in {checked} checks over {len(STATES)} states")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
