"""Idioms and metaphors (lang/en/idioms.tsv) are data: a phrase whose trigger word would be coded literally
is either no event ("met the standards") or the event it means ("lashed out at": criticise). Sentences
written for these tests, two paraphrases per phrase kind."""

from __future__ import annotations

import pytest

from pipeline.extract.lexicon import DATA, IDIOMS, read_idioms
from tests.conftest import CODER_PUB, triples


def test_idioms_table_reads_and_uses_its_classes():
    coded, blocks = read_idioms(IDIOMS, DATA)  # raises on an unknown code, class or a repeated pattern
    assert coded and blocks
    assert all(e.code == "-" for e in blocks) and all(e.code != "-" for e in coded)
    text = IDIOMS.read_text(encoding="utf-8")
    names = [line.split("\t")[1] for line in text.splitlines() if line.startswith("class\t")]
    body = "\n".join(line for line in text.splitlines() if line.startswith(("verb", "noun")))
    assert names and all(f"{n}\t" in body or f"{n} " in body for n in names)


def test_an_idiom_may_not_repeat_a_lexicon_pattern(tmp_path):
    p = tmp_path / "idioms.tsv"
    p.write_text("verb\tcondemn\t-\n", encoding="utf-8")
    with pytest.raises(ValueError, match="of lexicon.tsv"):
        read_idioms(p, DATA)


@pytest.fixture(scope="module")
def coded():
    pytest.importorskip("spacy")
    from pipeline.extract.coder import Coder, code_text

    coder = Coder()
    return lambda text: triples(code_text(text, CODER_PUB, coder=coder))


@pytest.mark.parametrize(
    "text, forbid",
    [
        ("Turkey met the standards of the European Union.", ("TUR", "IGOEUREEC", "04")),
        ("Greece met the European Union's deadline.", ("GRC", "IGOEUREEC", "04")),
        ("Israel fought the fires in Lebanon.", ("ISR", "LBN", "19")),
        ("Chad fights the drought in Niger with its army.", ("TCD", "NER", "19")),
        ("Brazil struck a blow against Argentina's hopes of hosting the games.", ("BRA", "ARG", "19")),
        ("Peru struck a blow for Bolivia's fishermen.", ("PER", "BOL", "19")),
        ("India released a report on Pakistan's economy on Tuesday.", ("IND", "PAK", "08")),
        ("Japan released new figures about China's exports.", ("JPN", "CHN", "08")),
        ("Mexico seized the opportunity offered by Canada.", ("MEX", "CAN", "17")),
        ("Chile seized the initiative in its dispute with Peru.", ("CHL", "PER", "17")),
        ("Kenya's press release on Somalia's elections came late.", ("KEN", "SOM", "08")),
        ("Ghana's press release on Togo's budget was brief.", ("GHA", "TGO", "08")),
    ],
)
def test_no_event_idioms_are_not_coded_literally(coded, text, forbid):
    assert forbid not in coded(text)


@pytest.mark.parametrize(
    "text, expect, forbid",
    [
        ("Iran lashed out at France over its new visa rules.", ("IRN", "FRA", "11"), None),
        ("Venezuela lashed out against Colombia on Monday.", ("VEN", "COL", "11"), None),
        ("Hungary hit out at Austria for closing the border.", ("HUN", "AUT", "11"), ("HUN", "AUT", "19")),
        ("Poland hit out at Germany over the pipeline.", ("POL", "DEU", "11"), ("POL", "DEU", "19")),
        ("Pakistan backed off from its threats against India.", ("PAK", "IND", "08"), ("PAK", "IND", "05")),
        ("Ecuador backed down from its demands on Peru.", ("ECU", "PER", "08"), ("ECU", "PER", "05")),
        ("Egypt and Jordan exchanged views on the crisis in Libya.", ("EGY", "JOR", "04"), None),
        ("Peru and Bolivia exchanged opinions about the border.", ("PER", "BOL", "04"), None),
        ("Armenia accepted an invitation from France to visit Paris.", ("ARM", "FRA", "03"), None),
        ("Kenya accepted Tanzania's invitation to a summit.", ("KEN", "TZA", "03"), None),
    ],
)
def test_coded_idioms_mean_another_event(coded, text, expect, forbid):
    got = coded(text)
    if expect is not None:
        assert expect in got, got
    if forbid is not None:
        assert forbid not in got, got
