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
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from visitplanner.errors import InputError
from visitplanner.exchange.text import shown
from visitplanner.i18n import _, current

HEADER_SEARCH_ROWS = 30
MAX_SHEET_COLUMNS = 256  # Outlook's export, the widest contact list, has 92 columns
# A field may be as long as the whole file (the importers cut long values with a warning);
# csv's default of 128 K characters would stop reading the file there.
csv.field_size_limit(64 * 1024 * 1024)
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
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, what was left out)


def _parse(
    text: str, delimiter: str, first_line: int, limit: int | None
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]], int | None]:
    """Rows (at most :data:`MAX_SHEET_COLUMNS` cells each), lines that could not be read,
    and the first line that was wider than that (None: none was)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    errors: list[tuple[int, str]] = []
    wide: int | None = None
    previous = 0
    try:
        for cells in reader:
            if len(cells) > MAX_SHEET_COLUMNS:
                wide = wide or first_line + previous
                cells = cells[:MAX_SHEET_COLUMNS]
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
    return rows, errors, wide


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
        rows, _errors, _wide = _parse(sample, delimiter, first_line, HEADER_SEARCH_ROWS)
        index = find_header(rows, score)
        if index is None:
            continue
        key = (score(rows[index][1]), len(rows[index][1]), delimiter)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    delimiter = best[2]
    rows, errors, wide = _parse(text, delimiter, first_line, None)
    index = find_header(rows, score)
    assert index is not None
    warnings = []
    if wide is not None:
        message = _("Only the first {count} columns of the sheet were read.")
        warnings.append((wide, message.format(count=MAX_SHEET_COLUMNS)))
    return Table(
        header=[c.strip() for c in rows[index][1]],
        header_line=rows[index][0],
        rows=rows[index + 1 :],
        delimiter=delimiter,
        errors=errors,
        warnings=warnings,
    )


def blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


# -- workbooks ------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password
MAX_SHEET_ROWS = 20000  # rows read from a sheet, its header and the lines above it included
# What a workbook may unpack to. A 20,000-row contact list is about 30 MB of XML; a "zip
# bomb" of a few kilobytes declares gigabytes (zipfile never reads past the declared sizes,
# so checking them is enough).
MAX_UNPACKED = 128 * 1024 * 1024
MAX_RATIO = 200  # XML rarely packs more than 20 times; a bomb packs 1,000 times and more
MAX_MEMBERS = 10_000
_DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    KeyError,
    ValueError,  # defusedxml's refusals too
    OSError,
    TypeError,
    SyntaxError,  # xml.etree's ParseError, expat's refusal of an entity expansion
    EOFError,
    IndexError,
    AttributeError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression method zipfile does not know
)


def is_workbook(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC) or data.startswith(OLE_MAGIC)


def _number(value: float) -> str:
    return current().format_decimal(value, 0)


def _megabytes(size: float) -> str:
    return _number(size / (1024 * 1024))


def _not_opened(reason: str) -> InputError:
    return InputError(
        _(
            "This workbook was not opened: {reason} It is damaged or made to exhaust the "
            "computer's memory; open it in Excel and save it again, or export it as CSV."
        ).format(reason=reason)
    )


def _unreadable(error: Exception) -> InputError:
    """A parser's refusal as one line (openpyxl's messages run over several)."""
    return InputError(
        _("This Excel workbook could not be read ({reason}).").format(reason=shown(str(error), 200))
    )


def _count_members(data: bytes) -> int | None:
    """The number of members the zip's end record declares (None: no end record found)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 66_000))
    if end < 0 or end + 22 > len(data):
        return None
    return int(struct.unpack_from("<H", data, end + 10)[0])


def check_workbook(data: bytes) -> None:
    """Refuse, before any XML parser sees it, a workbook that would unpack to more than
    :data:`MAX_UNPACKED` bytes, packs one part suspiciously tightly, has a great many parts,
    or declares a DOCTYPE (the door to entity expansion: "billion laughs")."""
    members = _count_members(data)
    if members is not None and members > MAX_MEMBERS:
        raise _not_opened(
            _("it has {count} parts, where a spreadsheet has a few dozen.").format(
                count=_number(members)
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _not_opened(
                    _("it has {count} parts, where a spreadsheet has a few dozen.").format(
                        count=_number(len(infos))
                    )
                )
            total = sum(info.file_size for info in infos)
            if total > MAX_UNPACKED:
                raise _not_opened(
                    _("it would take {size} MB once unpacked (at most {limit} MB).").format(
                        size=_megabytes(total), limit=_megabytes(MAX_UNPACKED)
                    )
                )
            for info in infos:
                packed = max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * packed:
                    raise _not_opened(
                        _("one of its parts unpacks to {ratio} times its size.").format(
                            ratio=_number(info.file_size // packed)
                        )
                    )
            for info in infos:
                if not info.is_dir() and _has_doctype(archive, info):
                    raise _not_opened(
                        _("one of its parts declares XML entities, which no spreadsheet does.")
                    )
    except _READ_ERRORS as error:
        raise _unreadable(error) from None


def _has_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part declares a DOCTYPE, read in chunks (at most its declared size)."""
    keep = max(len(d) for d in _DOCTYPES) - 1
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            window = tail + chunk
            if any(d in window for d in _DOCTYPES):
                return True
            tail = window[-keep:]
    return False


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


def _row_cells(values: tuple[object, ...]) -> list[str]:
    cells = [cell_text(v) for v in values]
    while cells and not cells[-1]:  # a sheet's width is the widest row's: drop the padding
        cells.pop()
    return cells


def _sheet_rows(sheet: Any) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """The first :data:`MAX_SHEET_ROWS` rows of ``sheet`` (at most
    :data:`MAX_SHEET_COLUMNS` cells each), and what was left out, said."""
    rows: list[tuple[int, list[str]]] = []
    warnings: list[tuple[int, str]] = []
    values = sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS)
    for number, row in enumerate(values, start=1):
        if number > MAX_SHEET_ROWS:
            # Stop here: openpyxl pads the gap up to the sheet's declared last row with empty
            # rows (a 2-cell sheet can declare a million), so reading on is unbounded work.
            warnings.append(
                (
                    number,
                    _(
                        "The sheet has more than {count} rows: only the first {count} were "
                        "read; this row and the ones after it were not imported."
                    ).format(count=_number(MAX_SHEET_ROWS)),
                )
            )
            break
        rows.append((number, _row_cells(row)))
    width = getattr(sheet, "max_column", None)
    if isinstance(width, int) and width > MAX_SHEET_COLUMNS:
        warnings.append(
            (
                1,
                _("Only the first {count} columns of the sheet were read.").format(
                    count=MAX_SHEET_COLUMNS
                ),
            )
        )
    return rows, warnings


def read_workbook(data: bytes, score: Score) -> Table | None:
    """The table of the sheet whose header ``score`` likes best (the first on a tie).

    Merged cells keep their value in the first cell only, so a merged title row above the
    header is no header; blank rows are kept for the caller to skip. A workbook that would
    unpack to too much, or declares XML entities, is refused before it is parsed.
    """
    if data.startswith(OLE_MAGIC):
        raise InputError(
            _(
                "This is an old Excel file (.xls) or a workbook protected by a password: "
                "open it in Excel and save it as .xlsx (without a password) or as CSV."
            )
        )
    check_workbook(data)
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _READ_ERRORS as error:
        raise _unreadable(error) from None
    best: tuple[int, Table] | None = None
    try:
        for sheet in book.worksheets:
            rows, warnings = _sheet_rows(sheet)
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
                    warnings=warnings,
                )
                best = (value, table)
    except _READ_ERRORS as error:
        raise _unreadable(error) from None
    finally:
        book.close()
    return best[1] if best else None
