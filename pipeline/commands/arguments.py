"""Argument types shared by the commands, with errors that say what is accepted."""

from __future__ import annotations

import argparse
import re
from datetime import date

DAY_FORM = "YYYY-MM-DD, e.g. 2025-08-14"


def day_arg(text: str) -> date:
    """``--day``: a calendar day written YYYY-MM-DD (the landing folders' names), nothing looser."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: use {DAY_FORM}")
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"invalid date {text!r} ({exc}): use {DAY_FORM}") from None
