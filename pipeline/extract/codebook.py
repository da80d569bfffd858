"""The project's CAMEO codebook: code -> label, root, QuadClass, Goldstein."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "cameo_codes.json"


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    root: str
    quad_class: int
    goldstein: float


@lru_cache(maxsize=1)
def codebook() -> dict[str, Code]:
    """All CAMEO codes (2-, 3- and 4-digit), loaded once."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))["codes"]
    return {
        c: Code(
            code=c,
            label=v["label"],
            root=c[:2],
            quad_class=int(v["quad_class"]),
            goldstein=float(v["goldstein"]),
        )
        for c, v in raw.items()
    }


def lookup(code: str) -> Code:
    """A code's entry; raises KeyError for a code CAMEO does not define."""
    return codebook()[code]
