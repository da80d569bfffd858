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
    ("GEO", "hog"): [(date(1995, 10, 2), date(2004, 2, 16), "a state minister, no prime minister")],
    ("QAT", "hog"): [(START, date(1996, 10, 28), "the emir was his own prime minister")],
    ("PSE", "hog"): [(START, date(2003, 3, 18), "no Palestinian prime minister before 2003")],
    ("IRQ", "hog"): [(date(2003, 4, 10), date(2004, 6, 27), "occupation: no Iraqi government")],
    ("IRQ", "hos"): [(date(2003, 4, 10), date(2004, 6, 27), "occupation: no Iraqi head of state")],
    ("IRQ", "fm"): [
        (date(2003, 4, 10), date(2003, 9, 2), "occupation: no Iraqi foreign minister"),
        (date(2020, 5, 7), date(2020, 6, 5), "post left vacant when the Kadhimi cabinet took office"),
    ],
    ("LBN", "hos"): [
        (date(2007, 11, 24), date(2008, 5, 24), "presidential vacancy (the cabinet acted)"),
        (date(2014, 5, 26), date(2016, 10, 30), "presidential vacancy (the cabinet acted)"),
        (date(2022, 10, 31), date(2025, 1, 8), "presidential vacancy (the cabinet acted)"),
    ],
    ("ARM", "fm"): [(date(2021, 6, 1), date(2021, 8, 18), "acting deputy minister after Aivazian resigned")],
    ("MYS", "fm"): [
        (date(2018, 5, 10), date(2018, 7, 1), "cabinet still being formed"),
        (date(2022, 11, 24), date(2022, 12, 2), "cabinet still being formed"),
    ],
    ("THA", "fm"): [(date(2014, 5, 22), date(2014, 8, 29), "junta rule before the cabinet was appointed")],
    ("TLS", "fm"): [(date(2020, 5, 30), date(2020, 6, 23), "post vacant in the cabinet reshuffle")],
    ("TUR", "fm"): [(date(1994, 11, 29), date(1994, 12, 11), "post vacant between Soysal and Karayalcin")],
    ("KOR", "hog"): [(date(2025, 5, 2), date(2025, 7, 2), "acting prime ministers, 2025")],
    ("BGD", "fm"): [
        (date(1996, 3, 31), date(1996, 6, 22), "caretaker government (the chief adviser's advisers)"),
        (date(2006, 10, 30), date(2007, 1, 15), "caretaker government (the chief adviser's advisers)"),
    ],
    ("BTN", "fm"): [
        (date(2007, 8, 2), date(2008, 4, 10), "interim government before the first election"),
        (date(2023, 8, 2), date(2024, 1, 27), "interim government before the election"),
    ],
    ("PAK", "fm"): [
        (date(2013, 3, 17), date(2013, 6, 6), "caretaker government"),
        (date(2018, 6, 1), date(2018, 6, 4), "caretaker government being formed"),
    ],
}

#: Periods in which somebody held the office but the data has nobody, because the holder or the dates
#: could not be established well enough (the README's rule: leave a row out rather than guess).
KNOWN_GAPS: dict[tuple[str, str], list[tuple[date, date, str]]] = {
    ("AFG", "fm"): [(date(1992, 4, 29), date(1999, 9, 30), "mujahideen and early Taliban foreign ministers")],
    ("GEO", "fm"): [(date(1991, 4, 9), date(1992, 3, 31), "foreign ministers under Gamsakhurdia")],
    ("KGZ", "fm"): [(date(1992, 6, 2), date(1994, 5, 31), "foreign ministers 1992-1994")],
    ("MNG", "fm"): [(date(1996, 7, 20), date(1998, 4, 30), "Democratic Union government")],
    ("NPL", "fm"): [
        (date(1991, 5, 27), date(1997, 3, 11), "foreign ministers 1991-1997"),
        (date(1997, 10, 8), date(1999, 5, 30), "foreign ministers 1997-1999"),
        (date(2001, 7, 27), date(2003, 6, 4), "foreign ministers 2001-2003"),
        (date(2004, 6, 4), date(2005, 1, 31), "foreign minister 2004-2005"),
        (date(2011, 2, 7), date(2011, 9, 3), "foreign minister of the Khanal government"),
        (date(2017, 6, 8), date(2018, 2, 25), "foreign minister of the 2017 Deuba government"),
        (date(2021, 6, 5), date(2021, 10, 7), "foreign ministers June-October 2021"),
        (date(2025, 9, 10), date(2025, 12, 25), "interim government before Balananda Sharma"),
        (date(2026, 3, 27), END, "foreign minister of the government formed after the March 2026 election"),
    ],
    ("PAK", "fm"): [(date(1991, 3, 29), date(1993, 7, 17), "Nawaz Sharif's first government")],
    ("QAT", "fm"): [(START, date(1992, 8, 31), "foreign minister before Hamad bin Jassim")],
    ("TJK", "fm"): [(date(1991, 9, 9), date(1994, 11, 30), "foreign ministers 1991-1994")],
    ("TKM", "fm"): [(date(1991, 10, 27), date(1994, 12, 31), "foreign ministers 1991-1994")],
    ("UZB", "fm"): [(date(1991, 8, 31), date(1994, 2, 28), "foreign ministers 1991-1994")],
}


def check_days(first: date) -> list[date]:
    days = []
    for year in range(first.year, END.year + 1):
        for month in (6, 12):
            day = date(year, month, 1)
            if first <= day <= END:
                days.append(day)
    return days


def listed(table: dict, code: str, office: str, day: date) -> bool:
    return any(a <= day <= b for a, b, _ in table.get((code, office), []))


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
                if not held(reg, code, office, day) and not listed(EXEMPT, code, office, day):
                    found.append((code, office, day))
    return found


def main() -> int:
    reg = ActorRegistry()
    every = gaps(reg)
    known = [g for g in every if listed(KNOWN_GAPS, *g)]
    found = [g for g in every if not listed(KNOWN_GAPS, *g)]
    print(f"{len(known)} checks fall in known gaps (holder not established):")
    for (code, office), periods in sorted(KNOWN_GAPS.items()):
        for a, b, why in periods:
            print(f"  {code} {office:4} {a}..{b}: {why}")
    by_key: dict[tuple[str, str], list[date]] = {}
    for code, office, day in found:
        by_key.setdefault((code, office), []).append(day)
    for (code, office), days in sorted(by_key.items()):
        shown = ", ".join(d.isoformat()[:7] for d in days[:12]) + (" ..." if len(days) > 12 else "")
        print(f"{code} {office:4} {len(days):3} gaps: {shown}")
    checked = sum(len(check_days(f)) * len(o) for f, o in STATES.values())
    print(f"{len(found)} unexplained gaps in {checked} checks over {len(STATES)} states")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
