"""A delegation's registration file (CSV or .xlsx, English or French headers) into a trip's
delegates: who they are, when they arrive and leave, their hotel, their busy slots.

Columns (:mod:`visitplanner.exchange.delegate_columns`): Name/Nom (with First name/Prénom
when the form splits them), Company/Entreprise, Title/Titre, Email/Courriel,
Mobile/Cellulaire, Arrival/Arrivée, Departure/Départ, Arrival flight/Vol d'arrivée,
Departure flight/Vol de départ, Hotel/Hôtel, Busy/Occupé/Indisponible.

Values: dates and times as people write them in either language ("2024-05-14 13:40",
"June 5 1:40 PM", "5 juin 13 h 40", "05/06/2023 9h"; a date alone is the whole day);
busy slots as ``2023-06-06 10:00-10:30; 2023-06-07 14:00-14:30``. A hotel is found by name
among the library's places, else in the offline gazetteer when it names one place; a hotel
found nowhere is a warning, never a guess. The hotel becomes the delegate's own stay for
the nights between arrival and departure.

A delegate already on the trip (same email, else same name) is updated; the others are
added. Each row is checked whole with the app's rules (:mod:`visitplanner.rules`): a bad row
is rejected by its line number with the reason and nothing of it is written.

``preview`` reads and checks (writes nothing; the app shows it); ``apply`` writes a preview
in one transaction, what ``edits.ImportDelegates`` runs as one undoable step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from visitplanner import rules
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.exchange import sheets
from visitplanner.exchange.delegate_columns import column_of, header_score
from visitplanner.exchange.meeting_values import DateReader, RowError, time_of, time_range, unwrap
from visitplanner.exchange.phones import email_key
from visitplanner.exchange.text import clean_text, shown
from visitplanner.i18n import _, current
from visitplanner.library import Library, directory, stays, trips
from visitplanner.localtime import check_wall_time
from visitplanner.model import BusyBlock, Delegate, Place, Precision, Stay, Trip
from visitplanner.names import fold, name_key
from visitplanner.planning.places import PlaceIndex

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000
MAX_BUSY_PER_DELEGATE = 200
_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
)  # fmt: skip

# A time in a cell that also holds a date: "13:40", "1:40 PM", "13 h 40", "9h", "9 am".
_TIME_IN = re.compile(
    r"(?<![\d/.\-:])(\d{1,2}\s*(?::|h|\.)\s*\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*h"
    r"|\d{1,2}\s*[ap]\.?\s?m\.?)(?![\d/.])",
    re.IGNORECASE,
)
_ISO_T = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})(?::\d{2})?$")
_JOINERS = ("at", "à", "a", "by")  # "June 5 at 1:40 PM", "5 juin à 13 h 40"
MAX_BUSY_TEXT = 20_000  # a cell of busy slots; an arrival or a departure: rules.MAX_SHORT_TEXT


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class DelegateRow:
    """One row, read and checked: the delegate as it will be stored (``id`` set when the
    row updates one), and, when the row gives them, its busy blocks and hotel nights."""

    line: int
    delegate: Delegate
    busy: list[BusyBlock] | None = None  # None: the file says nothing; keep theirs
    hotel_text: str = ""
    hotel: Place | None = None  # with an id when already in the library
    nights: tuple[dt.date, dt.date] | None = None  # first and last night at ``hotel``

    @property
    def updates(self) -> bool:
        return self.delegate.id is not None


@dataclass
class DelegateImport:
    """What a registration file would import: shown before anything is written."""

    trip_id: int
    rows: list[DelegateRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if not r.updates)

    @property
    def updated_count(self) -> int:
        return sum(1 for r in self.rows if r.updates)

    def to_json(self) -> dict[str, object]:
        return {
            "imported": self.new_count,
            "updated": self.updated_count,
            "warnings": list(self.warnings),
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
        }


def read_bytes(path: Path) -> bytes:
    from visitplanner.exchange.inputs import read_input

    return read_input(
        path,
        max_bytes=MAX_BYTES,
        too_large=_("{path} is too large for a registration list (more than {limit} MB)."),
    )


def _no_header() -> InputError:
    return InputError(
        _(
            "This does not look like a registration list: no header names the delegates "
            "(expected “Name” or “Nom” and another column such as “Company”, “Email”, "
            "“Entreprise” or “Courriel”)."
        )
    )


def preview(lib: Library, data: bytes, trip_id: int) -> DelegateImport:
    """Read and check ``data`` (a CSV or .xlsx file's bytes) for trip ``trip_id``."""
    from visitplanner.exchange.text import decode

    trip = trips.get_trip(lib, trip_id)
    if len(data) > MAX_BYTES:
        raise InputError(_("The file is too large for a registration list."))
    if sheets.is_workbook(data):
        table, encoding = sheets.read_workbook(data, header_score), "xlsx"
    else:
        text, encoding = decode(data)
        if not text.strip():
            raise InputError(_("The file is empty."))
        table = sheets.read_text(text, header_score)
    if table is None:
        raise _no_header()
    return _preview_table(lib, table, trip, encoding)


def _preview_table(lib: Library, table: sheets.Table, trip: Trip, encoding: str) -> DelegateImport:
    assert trip.id is not None
    result = DelegateImport(trip.id, encoding=encoding)
    columns: dict[str, int] = {}
    for index, name in enumerate(table.header):
        column = column_of(clean_text(name))
        if column and column not in columns:
            columns[column] = index
        elif clean_text(name).strip():
            result.warnings.append(
                _("The column “{name}” is not used: its values are not imported.").format(
                    name=shown(name)
                )
            )
    if "name" not in columns:
        raise _no_header()
    cells_of = [
        (
            line,
            {
                column: clean_text(cells[index]).strip() if index < len(cells) else ""
                for column, index in columns.items()
            },
        )
        for line, cells in table.rows
        if not sheets.blank(cells)
    ]
    if len(cells_of) > MAX_ROWS:
        result.warnings.append(_("Only the first {count} rows were read.").format(count=MAX_ROWS))
        cells_of = cells_of[:MAX_ROWS]
    dates = DateReader(trip, _date_texts(cells_of), current())
    existing = trips.delegates(lib, trip.id)
    by_email = {email_key(d.email): d for d in existing if d.email}
    by_name = {name_key(d.name): d for d in existing}
    seen: dict[int | str, int] = {}
    reader = _RowReader(lib, trip, dates, result)
    for line, cells in cells_of:
        try:
            row = reader.row(line, cells, by_email, by_name, len(result.rows) + len(existing))
            key: int | str = row.delegate.id or name_key(row.delegate.name)
            if key in seen:
                raise RowError(
                    _("It names the same delegate as line {line}.").format(line=seen[key])
                )
            seen[key] = line
        except RowError as error:
            result.rejected.append(Rejected(line, str(error)))
            continue
        result.rows.append(row)
    for line, reason in table.errors:
        result.rejected.append(Rejected(line, reason))
    for line, reason in table.warnings:
        result.warnings.append(_("Line {line}: {warning}").format(line=line, warning=reason))
    result.rejected.sort(key=lambda r: r.line)
    return result


def _date_texts(cells_of: list[tuple[int, dict[str, str]]]) -> list[str]:
    """The date parts of every arrival, departure and busy slot (to settle day/month order)."""
    out: list[str] = []
    for _line, cells in cells_of:
        for column in ("arrival", "departure"):
            if cells.get(column):
                out.append(_split_moment(cells[column])[0])
        for slot in _slots(cells.get("busy", "")):
            out.append(_split_moment(slot)[0])
    return out


def _split_moment(text: str) -> tuple[str, str]:
    """(date text, time text) of a cell holding a date and maybe a time (the first time
    written: in a slot, the start of its range and what follows)."""
    raw = unwrap(text)
    iso = _ISO_T.match(raw)
    if iso:
        return iso.group(1), raw[len(iso.group(1)) + 1 :]
    match = _TIME_IN.search(raw)
    if match is None:
        return raw.strip(), ""
    return _date_part(raw[: match.start()]), raw[match.start() :].strip()


def _date_part(text: str) -> str:
    """The date before a time, without the word joining them ("June 5 at" -> "June 5")."""
    words = text.replace(",", " ").split()
    if len(words) > 1 and words[-1].lower() in _JOINERS:
        words.pop()
    return " ".join(words)


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise RowError(
            _("A cell of {count} characters is longer than the {limit} allowed.").format(
                count=len(text), limit=limit
            )
        )


def _slots(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;\n]+", text) if s.strip()]


class _RowReader:
    def __init__(self, lib: Library, trip: Trip, dates: DateReader, result: DelegateImport):
        self.lib = lib
        self.trip = trip
        self.dates = dates
        self.result = result
        self.hotels: dict[str, Place | None] = {}
        self.index: PlaceIndex | None = None

    def _date(self, text: str, line: int) -> dt.date:
        day, warning = self.dates.read(text)
        if warning:
            self.result.warnings.append(
                _("Line {line}: {warning}").format(line=line, warning=warning)
            )
        return day

    def _wall(self, moment: dt.datetime, line: int) -> None:
        try:
            warning = check_wall_time(moment, self.trip.timezone)
        except InputError as error:
            raise RowError(str(error)) from None
        if warning:
            self.result.warnings.append(
                _("Line {line}: {warning}").format(line=line, warning=warning)
            )

    def moment(self, text: str, line: int, *, end_of_day: bool) -> dt.datetime:
        """A date with a time, or a date alone (the start or the end of that day)."""
        _check_length(text, rules.MAX_SHORT_TEXT)
        date_text, time_text = _split_moment(text)
        if not date_text:
            raise RowError(
                _("“{value}” has no date (write 2024-05-14 13:40 or 14 mai 13 h 40).").format(
                    value=text
                )
            )
        day = self._date(date_text, line)
        if not time_text:
            return dt.datetime.combine(day, dt.time(23, 59) if end_of_day else dt.time())
        moment = dt.datetime.combine(day, time_of(time_text, current()))
        self._wall(moment, line)
        return moment

    def busy(self, text: str, line: int, delegate_id: int) -> list[BusyBlock]:
        _check_length(text, MAX_BUSY_TEXT)
        blocks: list[BusyBlock] = []
        for slot in _slots(text):
            date_text, range_text = _split_moment(slot)
            if not date_text or not range_text:
                raise RowError(
                    _(
                        "“{value}” is not a busy slot (write 2023-06-06 10:00-10:30; "
                        "several separated by “;”)."
                    ).format(value=slot)
                )
            day = self._date(date_text, line)
            start_time, end_time = time_range(range_text, current())
            if end_time is None:
                raise RowError(
                    _("The busy slot “{value}” has no end (write 10:00-10:30).").format(value=slot)
                )
            start = dt.datetime.combine(day, start_time)
            end = dt.datetime.combine(day, end_time)
            for moment in (start, end):
                self._wall(moment, line)
            try:
                rules.check_busy(self.trip.first_day, self.trip.last_day, start, end)
            except InputError as error:
                raise RowError(str(error)) from None
            blocks.append(BusyBlock(delegate_id, start, end))
        if len(blocks) > MAX_BUSY_PER_DELEGATE:
            raise RowError(
                _("More than {limit} busy slots for one delegate.").format(
                    limit=MAX_BUSY_PER_DELEGATE
                )
            )
        return blocks

    def hotel(self, text: str, line: int) -> Place | None:
        key = fold(text)
        if key in self.hotels:
            return self.hotels[key]
        self.index = self.index or PlaceIndex(self.lib)
        place = self.index.match(text) or _gazetteer_hotel(self.lib, text, self.trip)
        if place is None:
            self.result.warnings.append(
                _(
                    "Line {line}: the hotel “{hotel}” was not found among the places or in the "
                    "gazetteer; its nights are left to the trip's hotel (set it in the "
                    "delegates dialog)."
                ).format(line=line, hotel=text)
            )
        self.hotels[key] = place
        return place

    def row(
        self,
        line: int,
        cells: dict[str, str],
        by_email: dict[str, Delegate],
        by_name: dict[str, Delegate],
        count: int,
    ) -> DelegateRow:
        from visitplanner.exchange.phones import check_email, check_phone  # libraries: lazily

        name = " ".join(p for p in (cells.get("given_name", ""), cells["name"]) if p).strip()
        if not name:
            raise RowError(_("The row has no name."))
        email = check_email(cells.get("email", ""))
        if not email.ok:
            raise RowError(email.problem)
        found = (by_email.get(email_key(email.value)) if email.value else None) or by_name.get(
            name_key(name)
        )
        assert self.trip.id is not None
        delegate = (
            Delegate(self.trip.id, name, colour=_COLOURS[count % len(_COLOURS)])
            if found is None
            else dataclasses.replace(found)
        )
        delegate.name = name
        for column in ("company", "title", "arrival_by", "departure_by"):
            if cells.get(column):
                setattr(delegate, column, cells[column])
        if email.value:
            delegate.email = email.value
        if cells.get("mobile"):
            phone = check_phone(cells["mobile"])
            delegate.phone = phone.value
            if not phone.ok:
                self.result.warnings.append(
                    _("Line {line}: {problem} It is kept as written.").format(
                        line=line, problem=phone.problem
                    )
                )
        if cells.get("arrival"):
            delegate.arrival = self.moment(cells["arrival"], line, end_of_day=False)
        if cells.get("departure"):
            delegate.departure = self.moment(cells["departure"], line, end_of_day=True)
        try:
            rules.check_record_text(delegate)
            rules.check_presence(
                self.trip.first_day, self.trip.last_day, delegate.arrival, delegate.departure
            )
        except InputError as error:
            raise RowError(str(error)) from None
        row = DelegateRow(line, delegate)
        if "busy" in cells and (cells["busy"] or found is None):
            row.busy = self.busy(cells["busy"], line, delegate.id or 0)
        if cells.get("hotel"):
            row.hotel_text = cells["hotel"]
            row.nights = _nights(self.trip, delegate)
            if row.nights is not None:
                row.hotel = self.hotel(cells["hotel"], line)
            else:
                self.result.warnings.append(
                    _(
                        "Line {line}: {name} spends no night on the trip; the hotel “{hotel}” "
                        "is not used."
                    ).format(line=line, name=name, hotel=cells["hotel"])
                )
        return row


def _nights(trip: Trip, delegate: Delegate) -> tuple[dt.date, dt.date] | None:
    """The nights a delegate sleeps at the trip's place: from the night of their arrival
    (the eve of the first day when they come from the start) to the night before they
    leave (the last day's eve when they stay to the end); None when they sleep none."""
    first = delegate.arrival.date() if delegate.arrival else trip.first_day - dt.timedelta(1)
    last = (
        delegate.departure.date() - dt.timedelta(1)
        if delegate.departure
        else trip.last_day - dt.timedelta(1)
    )
    first = max(first, trip.first_day - dt.timedelta(1))
    last = min(last, trip.last_day)
    return (first, last) if first <= last else None


def _gazetteer_hotel(lib: Library, text: str, trip: Trip) -> Place | None:
    """The one venue the offline gazetteer finds for ``text``, as a new place; None when it
    finds none, several, or only a street or a city (a hotel is not guessed)."""
    from visitplanner.geo.geocoder import candidates

    try:
        found = candidates(text, lib, region=trip.region.value)
    except VisitPlannerError:
        return None
    if len(found) != 1 or found[0].precision not in (Precision.VENUE, Precision.ADDRESS):
        return None
    if found[0].source == "library":
        return None  # the library's places were matched already; not by this loose a match
    return found[0].to_place()


def apply(lib: Library, result: DelegateImport) -> list[int]:
    """Write a previewed import in one transaction; returns the delegates' ids (new and
    updated, in file order)."""
    ids: list[int] = []
    with lib.write():
        place_ids: dict[str, int] = {}
        for row in result.rows:
            delegate = row.delegate
            if delegate.id is None:
                delegate_id = trips.add_delegate(lib, delegate)
            else:
                trips.update_delegate(lib, delegate)
                delegate_id = delegate.id
            ids.append(delegate_id)
            if row.busy is not None:
                stays.replace_busy(lib, delegate_id, row.busy)
            if row.hotel is not None and row.nights is not None:
                key = fold(row.hotel_text)
                if key not in place_ids:
                    place_ids[key] = row.hotel.id or directory.add_place(lib, row.hotel)
                first, last = row.nights
                stays.replace_stays(
                    lib,
                    result.trip_id,
                    delegate_id,
                    [Stay(result.trip_id, first, last, place_ids[key], delegate_id)],
                )
    return ids


def import_delegates(
    lib: Library, path: Path, trip_id: int, *, dry_run: bool = False
) -> DelegateImport:
    """Preview ``path`` and, unless ``dry_run``, apply it as one step."""
    from visitplanner.edits import ImportDelegates

    result = preview(lib, read_bytes(path), trip_id)
    if not dry_run and result.rows:
        ImportDelegates(result).apply(lib)
    return result
