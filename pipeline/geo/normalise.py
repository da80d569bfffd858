"""One spelling per place name: case, accents, apostrophes, dots and hyphens do not tell places apart.

"Sana'a", "Sanaa" and "SANAA"; "Port-au-Prince" and "Port au Prince"; "São Paulo" and "Sao Paulo";
"St. Petersburg", "St Petersburg" and "Saint Petersburg" all normalise alike ("st"/"ste" are "saint"/
"sainte", so the St. Petersburg of Florida and Russia's compete on population, not on spelling).
"""

from __future__ import annotations

import re
import unicodedata

# Latin letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_DROP = re.compile(r"[\u0027\u2018\u2019\u02bb\u02bc\u0060\u00b4.]")  # apostrophes, okinas, dots
_SPACE = re.compile(r"[\s\-\u2010-\u2015_/,]+")
_LATIN_KEY = re.compile(r"[a-z0-9 ]+")
_PLAIN = re.compile(r"[a-z]+( [a-z]+)*")
_SAINT = re.compile(r"\bst(e)?\b")
# A name in Latin script (basic, Latin-1, Extended-A/B, Extended Additional), without digits: cheap to test
# before normalising, so the hundreds of thousands of alternate names in other scripts cost little.
LATIN_NAME = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff '\u2019.\-]*")


class _CombiningMarks(dict):
    """A ``str.translate`` table that deletes combining marks: each character's class is asked of
    ``unicodedata`` once, then remembered (the same as dropping every ``unicodedata.combining`` character)."""

    def __missing__(self, cp: int) -> int | None:
        self[cp] = out = None if unicodedata.combining(chr(cp)) else cp
        return out


_MARKS = _CombiningMarks()


def normalise(name: str) -> str:
    """Lower case, no accents, no apostrophes or dots, hyphens as spaces, a leading "the" dropped."""
    s = name.casefold()
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.translate(_LETTERS))
        s = s.translate(_MARKS)
    if not _PLAIN.fullmatch(s):
        s = _SPACE.sub(" ", _DROP.sub("", s)).strip()
    s = s[4:] if s.startswith("the ") else s
    if "st" in s and _SAINT.search(s):
        s = _SAINT.sub(lambda m: "saint" if m.group(0) == "st" else "sainte", s)
    return s


def is_latin(name: str) -> bool:
    """True for a name written in Latin letters (after normalising): the alternate names worth indexing."""
    return _LATIN_KEY.fullmatch(name) is not None
