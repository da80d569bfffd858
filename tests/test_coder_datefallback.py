"""The coder's own minimal dating, used only where pipeline.extract.dates is not installed."""

from __future__ import annotations

from datetime import date

from pipeline.extract.datefallback import resolve

PUB = date(2025, 8, 15)  # a Friday


def test_weekdays_resolve_to_the_latest_such_day():
    assert resolve("on Thursday", PUB) == (date(2025, 8, 14), "day")
    assert resolve("Friday", PUB) == (PUB, "day")
    assert resolve("last Friday", PUB) == (date(2025, 8, 8), "day")


def test_relative_and_calendar_expressions():
    assert resolve("yesterday", PUB) == (date(2025, 8, 14), "day")
    assert resolve("last month", PUB) == (date(2025, 7, 1), "month")
    assert resolve("last year", PUB) == (date(2024, 1, 1), "year")
    assert resolve("in February 2022", PUB) == (date(2022, 2, 1), "month")
    assert resolve("November", PUB) == (date(2024, 11, 1), "month")
    assert resolve("December 10, 2023", PUB) == (date(2023, 12, 10), "day")
    assert resolve("in 2019", PUB) == (date(2019, 1, 1), "year")
    assert resolve("soon", PUB) is None
