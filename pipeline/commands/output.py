"""How every command prints a result: one rich table renderer, CSV and JSON.

Why one module: ``query``, the relation commands and ``demo`` used to format tables three ways, each
with its own idea of width. Here the table is rich's, as wide as the terminal on a terminal and as
``COLUMNS`` says when piped (unbounded without it, so a piped row stays on one line for grep); CSV and
JSON keep full precision, non-ASCII text as is, and text columns that hold JSON (``runs.timings``,
``runs.failed_expectations``) as nested JSON.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO
from uuid import UUID

FORMATS = ("table", "csv", "json")
#: Width of a piped table when ``COLUMNS`` is not set: wide enough that rows never fold.
UNBOUNDED = 1_000_000
#: Rows rendered per rich table: output starts after the first batch, whatever the result's size.
BATCH_ROWS = 500
#: Characters between two columns of the table style below (padding, divider, padding).
GAP = 3


def table_width(out: TextIO) -> int | None:
    """The terminal's width on a terminal (rich asks it), ``COLUMNS`` when set, else unbounded."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if _isatty(out) else UNBOUNDED


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def cell_text(value: Any, null: str = "", digits: int | None = None) -> str:
    """One table cell: ISO dates, lists joined, floats rounded to ``digits`` when given."""
    if value is None:
        return null
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, float) and digits is not None:
        return f"{value:.{digits}f}"
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v, null, digits) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=json_default, ensure_ascii=False)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def column_widths(
    columns: Sequence[str], cells: list[list[str]], numeric: list[bool], width: int
) -> list[int]:
    """Each column's natural width; when they do not fit ``width``, the widest text columns fold first,
    down to a common width (numbers stay whole), so every batch of a long result lines up the same."""
    from rich.cells import cell_len

    widths = [max([cell_len(c)] + [cell_len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    floor = [w if num else min(w, 8) for num, w in zip(numeric, widths, strict=True)]
    excess = sum(widths) + GAP * (len(columns) - 1) - width
    while excess > 0:
        foldable = [k for k in range(len(widths)) if widths[k] > floor[k]]
        if not foldable:
            break  # nothing left to fold: rich squeezes the rest
        i = max(foldable, key=lambda k: widths[k])
        lower = [widths[k] for k in foldable if widths[k] < widths[i]]
        target = max([floor[i], widths[i] - excess, *lower])
        cut = max(1, widths[i] - target)
        widths[i] -= cut
        excess -= cut
    return widths


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    out: TextIO | None = None,
    title: str = "",
    null: str = "",
    digits: int | None = None,
    footer: str = "",
) -> None:
    """A rich table: numbers right-aligned, long text folded to the width (see :func:`table_width`).

    Rows go out in batches with widths fixed up front, so a long result streams (``| head`` answers at
    once) instead of waiting for rich to lay out every row.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    out = out or sys.stdout
    console = Console(file=out, width=table_width(out), soft_wrap=False, highlight=False, markup=False)
    cells = [[cell_text(v, null, digits) for v in r] for r in rows]
    numeric = [_numeric_column(rows, i) for i in range(len(columns))]
    widths = column_widths(columns, cells, numeric, console.width)
    if title:
        console.print(title)
    for start in range(0, max(len(cells), 1), BATCH_ROWS):
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_header=start == 0)
        for name, num, w in zip(columns, numeric, widths, strict=True):
            table.add_column(name, justify="right" if num else "left", overflow="fold", width=w)
        for r in cells[start : start + BATCH_ROWS]:
            table.add_row(*r)
        console.print(table, style="", markup=False)
    if footer:
        console.print(footer)


def print_text(text: str, out: TextIO | None = None) -> None:
    """A line of prose above a table, wrapped to the same width as the table."""
    from rich.console import Console

    out = out or sys.stdout
    Console(file=out, width=table_width(out), highlight=False, markup=False).print(text)


def _numeric_column(rows: Sequence[Sequence[Any]], i: int) -> bool:
    values = [r[i] for r in rows if r[i] is not None]
    return bool(values) and all(_is_number(v) for v in values)


def json_default(value: Any) -> Any:
    """JSON for what DuckDB returns beyond JSON's types."""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def _as_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, list | dict) else None
    return None


def json_columns(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> set[int]:
    """Indexes of text columns whose every non-null value is a JSON array or object."""
    found = set()
    for i in range(len(columns)):
        values = [r[i] for r in rows if r[i] is not None]
        if values and all(_as_json(v) is not None for v in values):
            found.add(i)
    return found


def records(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows as dicts, with JSON-holding text columns decoded into nested values."""
    nested = json_columns(columns, rows)

    def value(i: int, v: Any) -> Any:
        return json.loads(v) if i in nested and v is not None else v

    return [{c: value(i, v) for i, (c, v) in enumerate(zip(columns, r, strict=True))} for r in rows]


def dumps(value: Any) -> str:
    """Indented JSON that keeps non-ASCII text readable ("Zürich", not "Z\\u00fcrich")."""
    return json.dumps(value, default=json_default, ensure_ascii=False, indent=2)


def write_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO | None = None) -> None:
    (out or sys.stdout).write(dumps(records(columns, rows)) + "\n")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if _is_number(value):
        return value
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=json_default, ensure_ascii=False)
    return cell_text(value)


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO | None = None) -> None:
    """CSV with full-precision numbers, ISO dates, empty for NULL and nested values as JSON."""
    import csv

    w = csv.writer(out or sys.stdout, lineterminator="\n")
    w.writerow(columns)
    w.writerows([[_csv_cell(v) for v in r] for r in rows])
