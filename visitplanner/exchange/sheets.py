"""Rows of a spreadsheet as people export them: CSV from Excel (any locale) or a platform.

A title row, notes or blank lines may sit above the real header ("Meetings - BIO 2023",
LinkedIn's "Notes:"); Excel may write "sep=;" as the first line, trailing empty columns
and rows, and UTF-16 tab-separated text ("Unicode text"). The header is the row, among
the first few, that the caller's ``score`` likes best, and the delimiter the one that
gives the best header.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from visitplanner.i18n import _

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"^\ufeff?\s*\"?sep=(.)\"?\s*$", re.IGNORECASE)

Score = Callable[[list[str]], int]


@dataclass
class Table:
    """The rows of a sheet after its header; ``line`` is a row's first line (or Excel row)."""

    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    delimiter: str  # "" for a workbook
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    sheet: str = ""


def _parse(
    text: str, delimiter: str, first_line: int, limit: int | None
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    errors: list[tuple[int, str]] = []
    previous = 0
    try:
        for cells in reader:
            rows.append((first_line + previous, cells))
            previous = reader.line_num
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as error:
        errors.append(
            (
                first_line + previous,
                _("The rest of the file could not be read ({reason}).").format(reason=error),
            )
        )
    return rows, errors


def find_header(rows: list[tuple[int, list[str]]], score: Score) -> int | None:
    """Index in ``rows`` of the best-scoring row among the first ones (None: no header)."""
    best, best_score = None, 0
    for index, (_line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        value = score(cells)
        if value > best_score:
            best, best_score = index, value
    return best


def read_text(text: str, score: Score) -> Table | None:
    """The table in CSV ``text`` (None when no row looks like a header)."""
    text = text.lstrip("\ufeff")
    first_line = 1
    forced = None
    head, _newline, rest = text.partition("\n")
    match = _SEP_LINE.match(head.strip("\r"))
    if match:  # Excel's "sep=;" hint
        forced, text, first_line = match.group(1), rest, 2
    candidates = (forced,) if forced else DELIMITERS
    sample = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS * 2])
    best: tuple[int, int, str] | None = None  # (score, frequency, delimiter)
    for delimiter in candidates:
        rows, _errors = _parse(sample, delimiter, first_line, HEADER_SEARCH_ROWS)
        index = find_header(rows, score)
        if index is None:
            continue
        key = (score(rows[index][1]), len(rows[index][1]), delimiter)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    delimiter = best[2]
    rows, errors = _parse(text, delimiter, first_line, None)
    index = find_header(rows, score)
    assert index is not None
    return Table(
        header=[c.strip() for c in rows[index][1]],
        header_line=rows[index][0],
        rows=rows[index + 1 :],
        delimiter=delimiter,
        errors=errors,
    )


def blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)
