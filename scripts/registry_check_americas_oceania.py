"""Coverage check of the office-holder registry for the Americas and Oceania (issue 9, part 1).

For every state of the region and every 1 June and 1 December from 1990 (or the office's start) to
2026-06-01 it asks ``ActorRegistry.holder`` for the leading office(s) and the foreign minister, and
prints the days that have no holder, merged into runs. It also lists the surnames (``short``) of the
region's rows that collide with another actor's alias, so that a new short form cannot make a common
name resolve to a state. Exit status 0 always: the gaps are reviewed, not asserted (some are real
vacancies, others are documented as unknown in the report).

    PYTHONPATH=. .venv/bin/python scripts/registry_check_americas_oceania.py
"""

from __future__ import annotations

from datetime import date

from pipeline.extract.actors import DATA_DIR, ActorRegistry, _rows, normalise_alias

REGION_FILE = "officeholders/americas_oceania.csv"
END = date(2026, 6, 1)

#: Leading offices per state, with the first day each is expected (a republic from 2021, Cuba's
#: separate prime minister from 2019). Commonwealth realms: the prime minister only.
REALM = ("hog",)
PRESIDENTIAL = ("hos",)
BOTH = ("hos", "hog")
LEADING: dict[str, tuple[str, ...] | dict[str, date]] = {
    **{c: REALM for c in "ATG BHS BLZ CAN GRD JAM KNA LCA VCT AUS NZL PNG SLB TUV".split()},
    **{
        c: PRESIDENTIAL
        for c in "USA ARG BOL BRA CHL COL CRI DOM ECU SLV GTM HND MEX NIC PAN PRY SUR URY VEN "
        "KIR MHL FSM NRU PLW".split()
    },
    **{c: BOTH for c in "TTO DMA VUT FJI WSM TON HTI GUY PER".split()},
    "BRB": {"hog": date(1990, 1, 1), "hos": date(2021, 11, 30)},
    "CUB": {"hos": date(1990, 1, 1), "hog": date(2019, 12, 21)},
}


#: Days with no holder that are real vacancies or interregna (printed as such, not as gaps to fill).
VACANCIES: dict[tuple[str, str], list[tuple[date, date, str]]] = {
    ("HTI", "hos"): [
        (date(2021, 7, 7), date(2024, 4, 30), "no president after Moise's assassination"),
        (date(2026, 2, 7), END, "council's mandate ended, the prime minister governs alone"),
    ],
    ("HTI", "hog"): [
        (date(1988, 6, 20), date(1991, 2, 13), "no prime minister"),
        (date(1997, 10, 20), date(1999, 3, 26), "post vacant"),
        (date(2024, 4, 25), date(2024, 6, 3), "acting prime minister not listed"),
    ],
    ("KIR", "hos"): [
        (date(1994, 5, 24), date(1994, 10, 1), "council of state"),
        (date(2003, 3, 28), date(2003, 7, 10), "council of state"),
    ],
    ("KIR", "fm"): [
        (date(1994, 5, 24), date(1994, 10, 1), "council of state"),
        (date(2003, 3, 28), date(2003, 7, 10), "council of state"),
    ],
    ("FJI", "hog"): [(date(2000, 5, 27), date(2000, 7, 4), "coup: military rule")],
    ("FJI", "fm"): [(date(2000, 5, 27), date(2000, 7, 4), "coup: military rule")],
    ("WSM", "hos"): [(date(2007, 5, 11), date(2007, 6, 20), "between heads of state")],
    ("VUT", "hos"): [(date(2004, 5, 11), date(2004, 8, 16), "acting presidents not listed")],
}


def vacancy(code: str, office: str, day: date) -> str | None:
    return next((why for a, b, why in VACANCIES.get((code, office), []) if a <= day <= b), None)


def check_days(start: date = date(1990, 6, 1)) -> list[date]:
    days, year = [], start.year
    while True:
        for month in (6, 12):
            day = date(year, month, 1)
            if start <= day <= END:
                days.append(day)
        if date(year, 12, 1) >= END:
            return days
        year += 1


def runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive check days (half a year apart) merged into (first, last) runs."""
    out: list[tuple[date, date]] = []
    every = check_days()
    for d in days:
        if out and every.index(d) == every.index(out[-1][1]) + 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def coverage(reg: ActorRegistry) -> dict[str, dict[str, list[tuple[date, date]]]]:
    gaps: dict[str, dict[str, list[tuple[date, date]]]] = {}
    for code, offices in sorted(LEADING.items()):
        wanted = offices if isinstance(offices, dict) else {o: date(1990, 1, 1) for o in offices}
        wanted = {**wanted, "fm": date(1990, 1, 1)}
        for office, since in wanted.items():
            missing = [
                d
                for d in check_days()
                if d >= since and reg.holder(code, office, d) is None and not vacancy(code, office, d)
            ]
            if missing:
                gaps.setdefault(code, {})[office] = runs(missing)
    return gaps


def short_collisions(reg: ActorRegistry) -> list[str]:
    """Short forms of the region's rows that are also another actor's alias (state, city, person...)."""
    out = []
    for code, _office, _title, name, _names, short, *_ in _rows(REGION_FILE):
        for s in (x.strip() for x in short.split("|") if x.strip()):
            others = {
                (e.actor.code, e.actor.name)
                for e in reg._by_key.get(normalise_alias(s), [])
                if (e.actor.code, e.actor.name) != (code, name)
            }
            if others:
                out.append(f"{s} ({code} {name}) also: {sorted(others)}")
    return sorted(set(out))


def main() -> None:
    reg = ActorRegistry()
    assert (DATA_DIR / REGION_FILE).exists(), REGION_FILE
    gaps = coverage(reg)
    total = sum(len(r) for g in gaps.values() for r in g.values())
    print(f"states checked: {len(LEADING)}; states with gaps: {len(gaps)}; gap runs: {total}")
    for code, offices in gaps.items():
        for office, rs in offices.items():
            spans = ", ".join(f"{a}" if a == b else f"{a}..{b}" for a, b in rs)
            print(f"  {code} {office}: {spans}")
    print("known vacancies (not counted):")
    for (code, office), spans in sorted(VACANCIES.items()):
        for a, b, why in spans:
            print(f"  {code} {office}: {a}..{b} {why}")
    print("short forms shared with another actor:")
    for line in short_collisions(reg):
        print("  " + line)


if __name__ == "__main__":
    main()
