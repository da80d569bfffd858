"""Coverage check of the office-holder registry for Africa (issue 9, part 1).

For every African UN member and every 1 June and 1 December from 1990 (or independence) to 2026-06-01,
the foreign minister and the leading offices (head of state and, where the office exists separately and
matters, head of government) must have a holder. Known vacancies, periods without the office and periods
the data leaves open on purpose are listed below with their reason; everything else is printed as a gap
and makes the script exit 1. ``--surnames`` also lists the African surnames (``short`` forms) that a
list of common English words and names would resolve.

Run from the repository root: ``PYTHONPATH=. .venv/bin/python scripts/registry_check_africa.py``.
"""

from __future__ import annotations

import sys
from datetime import date

from pipeline.extract.actors import ActorRegistry

START = date(1990, 1, 1)
END = date(2026, 6, 1)

HOS_FM = ("hos", "fm")
ALL3 = ("hos", "hog", "fm")

#: code -> (first day to check, offices that must have a holder). Heads of government are required where a
#: prime minister exists beside the president or monarch; not in presidential systems (Benin, Kenya and
#: Zimbabwe had one only briefly; Comoros' prime ministers of the 1990s are not in the data).
STATES: dict[str, tuple[date, tuple[str, ...]]] = {
    "DZA": (START, ALL3),
    "AGO": (START, ALL3),
    "BEN": (START, HOS_FM),
    "BWA": (START, HOS_FM),
    "BFA": (START, ALL3),
    "BDI": (START, ALL3),
    "CPV": (START, ALL3),
    "CMR": (START, ALL3),
    "CAF": (START, ALL3),
    "TCD": (START, ALL3),
    "COM": (START, HOS_FM),
    "COG": (START, ALL3),
    "CIV": (START, ALL3),
    "COD": (START, ALL3),
    "DJI": (START, ALL3),
    "EGY": (START, ALL3),
    "GNQ": (START, ALL3),
    "ERI": (date(1993, 5, 24), HOS_FM),
    "SWZ": (START, ALL3),
    "ETH": (START, ALL3),
    "GAB": (START, ALL3),
    "GMB": (START, HOS_FM),
    "GHA": (START, HOS_FM),
    "GIN": (START, ALL3),
    "GNB": (START, ALL3),
    "KEN": (START, HOS_FM),
    "LSO": (START, ALL3),
    "LBR": (START, HOS_FM),
    "LBY": (START, ALL3),
    "MDG": (START, ALL3),
    "MWI": (START, HOS_FM),
    "MLI": (START, ALL3),
    "MRT": (START, ALL3),
    "MUS": (START, ALL3),
    "MAR": (START, ALL3),
    "MOZ": (START, ALL3),
    "NAM": (date(1990, 3, 21), ALL3),
    "NER": (START, ALL3),
    "NGA": (START, HOS_FM),
    "RWA": (START, ALL3),
    "STP": (START, ALL3),
    "SEN": (START, ALL3),
    "SYC": (START, HOS_FM),
    "SLE": (START, HOS_FM),
    "SOM": (START, ALL3),
    "ZAF": (START, HOS_FM),
    "SSD": (date(2011, 7, 9), HOS_FM),
    "SDN": (START, ALL3),
    "TZA": (START, ALL3),
    "TGO": (START, ALL3),
    "TUN": (START, ALL3),
    "UGA": (START, ALL3),
    "ZMB": (START, HOS_FM),
    "ZWE": (START, HOS_FM),
}

NO_PM = "no prime minister in this period"
UNKNOWN = "not in the data: no reliable source for the foreign ministers of this period"

#: (code, office) -> periods (both ends inclusive) in which no holder is expected, with the reason.
EXEMPT: dict[tuple[str, str], list[tuple[date, date, str]]] = {
    ("SOM", "hos"): [(date(1997, 1, 4), date(2000, 8, 26), "no recognised government")],
    ("SOM", "hog"): [(date(1997, 1, 4), date(2000, 10, 7), "no recognised government")],
    ("SOM", "fm"): [
        (START, date(2012, 11, 3), UNKNOWN + " (no recognised government 1991-2000)"),
        (date(2023, 12, 2), date(2024, 4, 6), "vacant after Huruse's resignation"),
    ],
    ("TZA", "fm"): [(date(2015, 11, 21), date(2015, 12, 11), "new cabinet")],
    # heads of government: the office did not exist or was vacant
    ("BEN", "hos"): [(date(2026, 5, 24), END, "successor of Talon (May 2026) not verified")],
    ("ETH", "hog"): [(date(1991, 5, 28), date(1991, 6, 11), "transition after the fall of the Derg")],
    ("GIN", "hog"): [
        (START, date(1996, 7, 8), NO_PM),
        (date(2004, 5, 1), date(2004, 12, 8), "vacant"),
        (date(2006, 4, 6), date(2007, 2, 28), "vacant"),
    ],
    ("LBY", "hos"): [(date(2013, 5, 29), date(2013, 6, 24), "Giuma Atigha acting (not listed)")],
    ("MLI", "hog"): [(START, date(1991, 4, 1), NO_PM), (date(2021, 5, 25), date(2021, 6, 6), "coup")],
    ("MUS", "hos"): [
        (START, date(1992, 3, 11), "Commonwealth realm until 1992: the monarch is not listed"),
        (date(2015, 5, 30), date(2015, 6, 4), "acting president not listed"),
    ],
    ("SWZ", "hog"): [(date(1996, 5, 9), date(1996, 7, 25), "Sishayi Nxumalo acting (not listed)")],
    ("AGO", "hog"): [
        (START, date(1991, 7, 26), NO_PM),
        (date(1999, 1, 30), date(2002, 12, 5), NO_PM),
        (date(2010, 2, 6), END, "office abolished by the 2010 constitution"),
    ],
    ("BFA", "hog"): [
        (START, date(1992, 6, 15), NO_PM),
        (date(2014, 10, 31), date(2014, 11, 18), "coup"),
        (date(2022, 1, 25), date(2022, 3, 2), "coup"),
    ],
    ("BDI", "hog"): [(date(1998, 6, 13), date(2020, 6, 22), "office abolished 1998-2020")],
    ("CMR", "hog"): [(START, date(1991, 4, 25), NO_PM)],
    ("CAF", "hog"): [(START, date(1991, 3, 14), NO_PM)],
    ("TCD", "hog"): [
        (START, date(1991, 3, 7), NO_PM),
        (date(2018, 5, 5), date(2021, 4, 25), "office abolished"),
    ],
    ("COG", "hog"): [
        (date(1997, 10, 16), date(2005, 1, 6), "office abolished"),
        (date(2009, 9, 16), date(2016, 4, 22), "office abolished"),
    ],
    ("COD", "hog"): [(date(1997, 5, 17), date(2006, 12, 29), "office abolished by Laurent-Désiré Kabila")],
    ("CIV", "hog"): [(START, date(1990, 11, 6), NO_PM)],
    ("GAB", "hog"): [(date(2025, 5, 6), END, "office abolished by the 2024 constitution")],
    ("GNB", "hog"): [(START, date(1991, 12, 26), NO_PM)],
    ("MRT", "hog"): [(START, date(1992, 4, 17), "the head of state was his own prime minister")],
    ("RWA", "hog"): [(START, date(1991, 10, 11), NO_PM)],
    ("SEN", "hog"): [
        (START, date(1991, 4, 7), NO_PM),
        (date(2019, 5, 15), date(2022, 9, 16), "office abolished"),
    ],
    ("SDN", "hog"): [
        (START, date(2017, 2, 28), "office abolished after the 1989 coup"),
        (date(2019, 4, 12), date(2019, 8, 20), "military council"),
    ],
    ("TGO", "hog"): [
        (START, date(1991, 8, 27), NO_PM),
        (
            date(2025, 5, 4),
            END,
            "the President of the Council (Faure Gnassingbe, listed as hos) heads "
            "the government under the 2024 constitution",
        ),
    ],
    ("TUN", "hog"): [(date(2021, 7, 26), date(2021, 10, 10), "vacant after the suspension of parliament")],
    ("LBY", "hog"): [(date(2011, 10, 24), date(2011, 11, 23), "Ali Tarhouni acting (not listed)")],
    # foreign ministers: periods the data leaves open
    ("AGO", "fm"): [],
    ("BEN", "fm"): [
        (START, date(1996, 4, 8), UNKNOWN),
        (date(2026, 5, 24), END, "new government not verified"),
    ],
    ("ETH", "fm"): [(date(1991, 4, 27), date(1991, 6, 11), "transition after the fall of the Derg")],
    ("BFA", "fm"): [(START, date(1994, 2, 28), UNKNOWN)],
    ("BDI", "fm"): [(START, date(2005, 8, 29), UNKNOWN)],
    ("CPV", "fm"): [(date(1993, 3, 2), date(2004, 3, 31), UNKNOWN)],
    ("CAF", "fm"): [(START, date(2016, 4, 10), UNKNOWN)],
    ("TCD", "fm"): [(START, date(1997, 5, 16), UNKNOWN), (date(2003, 6, 25), date(2005, 7, 31), UNKNOWN)],
    ("COM", "fm"): [(START, END, UNKNOWN)],
    ("COG", "fm"): [(START, date(1997, 11, 1), UNKNOWN)],
    ("CIV", "fm"): [(START, date(1990, 11, 29), UNKNOWN), (date(2000, 1, 5), date(2000, 10, 26), UNKNOWN)],
    ("COD", "fm"): [(START, date(1997, 5, 21), UNKNOWN + " (Zaire)")],
    ("DJI", "fm"): [(START, date(1999, 5, 11), UNKNOWN)],
    ("GNQ", "fm"): [(START, date(2003, 1, 31), UNKNOWN)],
    ("ERI", "fm"): [
        (date(1994, 3, 2), date(1997, 2, 28), UNKNOWN),
        (date(2005, 8, 29), date(2007, 4, 17), "acting minister not listed"),
    ],
    ("SWZ", "fm"): [(START, date(2013, 11, 3), UNKNOWN)],
    ("GAB", "fm"): [(date(2025, 1, 2), END, "ministers of the 2025 governments not verified")],
    ("GMB", "fm"): [(date(1994, 7, 23), date(2015, 2, 28), UNKNOWN)],
    ("GIN", "fm"): [
        (START, date(2002, 5, 31), UNKNOWN),
        (date(2004, 2, 24), date(2015, 12, 31), UNKNOWN),
        (date(2021, 9, 6), date(2021, 10, 25), "coup"),
    ],
    ("GNB", "fm"): [
        (START, date(2019, 7, 2), UNKNOWN),
        (date(2020, 1, 25), date(2020, 3, 1), "acting minister"),
        (date(2023, 12, 21), END, UNKNOWN),
    ],
    ("LSO", "fm"): [(START, date(2015, 3, 16), UNKNOWN)],
    ("LBR", "fm"): [
        (START, date(1997, 8, 1), UNKNOWN),
        (date(2003, 8, 12), date(2003, 10, 13), "transition"),
        (
            date(2006, 1, 17),
            date(2007, 2, 28),
            "George Wallace (2006-2007) left out: the name is the US governor's",
        ),
    ],
    ("LBY", "fm"): [
        (date(2011, 8, 24), date(2011, 11, 23), "NTC executive board (Jibril) led foreign affairs"),
        (
            date(2012, 11, 15),
            date(2014, 9, 27),
            "Ali Aujali rejected; Mohamed Abdelaziz (2013-2014) left out: "
            "his name is also the Sahrawi leader's",
        ),
        (date(2023, 8, 28), date(2023, 10, 31), "acting minister after Mangoush's suspension"),
    ],
    ("MDG", "fm"): [
        (date(2019, 11, 2), date(2022, 2, 28), UNKNOWN + " (Tehindrazanarivelo Djacoba, Patrick Rajoelina)"),
        (date(2022, 10, 26), END, UNKNOWN),
    ],
    ("MWI", "fm"): [
        (START, date(2000, 2, 29), UNKNOWN),
        (date(2004, 6, 2), date(2006, 5, 31), UNKNOWN),
        (date(2014, 6, 1), date(2014, 6, 5), "new government"),
        (date(2016, 9, 2), date(2020, 7, 7), UNKNOWN),
        (date(2025, 10, 5), END, UNKNOWN),
    ],
    ("MLI", "fm"): [
        (START, date(1994, 2, 3), UNKNOWN),
        (date(2020, 8, 19), date(2020, 10, 4), "coup"),
        (date(2021, 5, 25), date(2021, 6, 10), "coup"),
    ],
    ("MRT", "fm"): [
        (START, date(2005, 8, 9), UNKNOWN),
        (date(2008, 5, 12), date(2008, 8, 30), UNKNOWN),
        (date(2015, 1, 22), date(2016, 1, 31), UNKNOWN),
    ],
    ("MUS", "fm"): [(START, date(2005, 7, 6), UNKNOWN), (date(2016, 3, 2), date(2017, 1, 22), UNKNOWN)],
    ("NER", "fm"): [
        (START, date(1995, 2, 24), UNKNOWN),
        (date(1996, 1, 28), date(1996, 12, 20), UNKNOWN),
        (date(1997, 11, 28), date(2001, 8, 31), UNKNOWN),
        (date(2010, 2, 19), date(2011, 4, 20), UNKNOWN),
    ],
    ("NGA", "fm"): [
        (date(y, 5, 30), date(y, 7, 25), "new cabinet after the 29 May inauguration")
        for y in (1999, 2003, 2007, 2011)
    ]
    + [
        (date(2015, 5, 30), date(2015, 11, 10), "no cabinet until November 2015"),
        (date(2023, 5, 30), date(2023, 8, 20), "no cabinet until August 2023"),
    ],
    ("RWA", "fm"): [(START, date(1992, 4, 15), UNKNOWN), (date(1993, 7, 19), date(1994, 7, 18), UNKNOWN)],
    ("STP", "fm"): [(START, END, UNKNOWN)],
    ("SEN", "fm"): [(START, date(1993, 6, 1), UNKNOWN), (date(2023, 10, 8), date(2024, 4, 4), UNKNOWN)],
    ("SYC", "fm"): [
        (START, date(1997, 7, 31), UNKNOWN),
        (date(2015, 3, 2), date(2020, 11, 2), UNKNOWN),
        (date(2025, 10, 27), END, UNKNOWN),
    ],
    ("SLE", "fm"): [
        (START, date(2002, 6, 30), UNKNOWN),
        (date(2018, 4, 5), date(2018, 4, 30), "new government"),
    ],
    ("SDN", "fm"): [
        (date(2007, 10, 18), date(2007, 12, 26), "SPLM ministers withdrew; Deng Alor sworn in late 2007"),
        (date(2018, 4, 20), date(2018, 6, 6), "vacant after Ghandour's dismissal"),
        (date(2019, 4, 12), date(2019, 9, 7), "military council"),
        (date(2021, 10, 26), date(2021, 11, 24), "coup"),
        (date(2025, 7, 2), END, "2025 ministers not verified"),
    ],
    ("TGO", "fm"): [(START, date(1998, 8, 31), UNKNOWN), (date(2000, 9, 2), date(2008, 9, 14), UNKNOWN)],
    ("TUN", "fm"): [(START, date(1991, 2, 28), UNKNOWN), (date(2020, 7, 25), date(2020, 9, 1), "caretaker")],
    ("ZMB", "fm"): [(START, date(1991, 11, 1), UNKNOWN), (date(1994, 1, 2), date(2006, 12, 31), UNKNOWN)],
    ("CMR", "fm"): [],
    ("DZA", "fm"): [],
}


def check_days(first: date) -> list[date]:
    """Every 1 June and 1 December from ``first`` to END."""
    return [
        day
        for year in range(first.year, END.year + 1)
        for day in (date(year, 6, 1), date(year, 12, 1))
        if first <= day <= END
    ]


def exempt(code: str, office: str, day: date) -> bool:
    return any(a <= day <= b for a, b, _ in EXEMPT.get((code, office), []))


def gaps(reg: ActorRegistry) -> list[tuple[str, str, date]]:
    found = []
    for code, (first, offices) in STATES.items():
        for office in offices:
            for day in check_days(first):
                if reg.holder(code, office, day) is None and not exempt(code, office, day):
                    found.append((code, office, day))
    return found


#: Words and names that must not resolve to an African state through a surname listed here.
COMMON = (
    "talon bongo tax dow cooper wallace taylor perry francis michel faure pillay rosa silva gomes "
    "costa pereira ramos vieira lucas martins adam scott banda moyo ali hassan ahmed mohamed omar "
    "salem saleh diop ba fall sall seck kaba sow ly mara barry camara kone toure traore diallo "
    "keita sylla cisse maiga kane koroma kamara sesay bangura mensah boateng owusu adjei amadou "
    "ibrahim moussa abdallah abdullah issa idris jibril hamid madi abbas aziz karim farah omer "
    "tiger dogbe charles george james john paul peter joseph daniel samuel moses david simon "
    "kenya chad niger guinea congo mali gabon sudan togo benin egypt libya morocco president king "
    "prime minister foreign general colonel army police"
).split()


def surname_hits(reg: ActorRegistry) -> list[tuple[str, str]]:
    hits = []
    african = set(STATES)
    for word in COMMON:
        for day in (date(1995, 6, 1), date(2010, 6, 1), date(2025, 6, 1), None):
            actor = reg.lookup(word.capitalize(), on=day)
            if actor is not None and actor.kind == "person" and actor.code in african:
                hits.append((word, f"{actor.code} {actor.name} on {day}"))
    return hits


def main(argv: list[str]) -> int:
    reg = ActorRegistry()
    found = gaps(reg)
    by_key: dict[tuple[str, str], list[date]] = {}
    for code, office, day in found:
        by_key.setdefault((code, office), []).append(day)
    for (code, office), days in sorted(by_key.items()):
        shown = ", ".join(d.isoformat()[:7] for d in days[:12]) + (" ..." if len(days) > 12 else "")
        print(f"{code} {office:4} {len(days):3} gaps: {shown}")
    checked = sum(len(check_days(f)) * len(o) for f, o in STATES.values())
    exempted = sum(
        exempt(c, o, d) and reg.holder(c, o, d) is None
        for c, (f, offices) in STATES.items()
        for o in offices
        for d in check_days(f)
    )
    print(f"{len(found)} gaps in {checked} checks over {len(STATES)} states ({exempted} exempt)")
    if "--surnames" in argv:
        for word, what in surname_hits(reg):
            print(f"common word resolves: {word!r} -> {what}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
