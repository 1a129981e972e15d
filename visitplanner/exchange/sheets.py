"""Rows of a spreadsheet as people export them: CSV from Excel (any locale) or a platform.

A title row, notes or blank lines may sit above the real header ("Meetings - BIO 2023",
LinkedIn's "Notes:"); Excel may write "sep=;" as the first line, trailing empty columns
and rows, and UTF-16 tab-separated text ("Unicode text"). The header is the row, among
the first few, that the caller's ``score`` likes best, and the delimiter the one that
gives the best header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from visitplanner.errors import InputError
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


# -- workbooks ------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password
MAX_SHEET_ROWS = 20000


def is_workbook(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC) or data.startswith(OLE_MAGIC)


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export of it would hold (dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        if value.date() <= dt.date(1900, 1, 1):  # a time stored on Excel's day zero
            return value.strftime("%H:%M")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):  # a duration cell ([h]:mm)
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_workbook(data: bytes, score: Score) -> Table | None:
    """The table of the sheet whose header ``score`` likes best (the first on a tie).

    Merged cells keep their value in the first cell only, so a merged title row above the
    header is no header; blank rows are kept for the caller to skip.
    """
    if data.startswith(OLE_MAGIC):
        raise InputError(
            _(
                "This is an old Excel file (.xls) or a workbook protected by a password: "
                "open it in Excel and save it as .xlsx (without a password) or as CSV."
            )
        )
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise InputError(
            _("This Excel workbook could not be read ({reason}).").format(reason=error)
        ) from None
    best: tuple[int, Table] | None = None
    try:
        for sheet in book.worksheets:
            rows: list[tuple[int, list[str]]] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, [cell_text(v) for v in values]))
                if number >= MAX_SHEET_ROWS:
                    break
            index = find_header(rows, score)
            if index is None:
                continue
            value = score(rows[index][1])
            if best is None or value > best[0]:
                table = Table(
                    header=[c.strip() for c in rows[index][1]],
                    header_line=rows[index][0],
                    rows=rows[index + 1 :],
                    delimiter="",
                    sheet=str(sheet.title),
                )
                best = (value, table)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise InputError(
            _("This Excel workbook could not be read ({reason}).").format(reason=error)
        ) from None
    finally:
        book.close()
    return best[1] if best else None
