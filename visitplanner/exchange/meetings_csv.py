"""Meeting requests from a spreadsheet (CSV), as delegation leads collect them in Excel.

UTF-8 with or without BOM, or cp1252; comma, semicolon or tab (sniffed from the header);
column names in English or French, case- and accent-insensitive. Each row is checked on its
own and rejected with its line number and a reason; the rest is imported in one transaction.

``preview(lib, data, trip_id)`` reads and checks, writing nothing (the UI shows it);
``apply(lib, preview)`` writes it all or nothing. Places are matched in the library, then
geocoded offline (gazetteer, postal codes, cities); a place found nowhere is created
without coordinates, with a warning. Unknown attendees become new delegates of the trip.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from visitplanner.availability import parse_availability
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.exchange import sheets
from visitplanner.exchange.meeting_columns import column_of, header_score
from visitplanner.exchange.meeting_values import (
    PRIORITY,
    STATUS,
    DateReader,
    RowError,
    duration_of,
    split_date_time,
    time_range,
    unwrap,
)
from visitplanner.exchange.text import clean_text, shown
from visitplanner.i18n import Translator, current
from visitplanner.library import Library, directory, trips
from visitplanner.localtime import check_wall_time
from visitplanner.model import (
    Delegate,
    Meeting,
    MeetingStatus,
    Organization,
    Place,
    TravelMode,
    Window,
)
from visitplanner.names import fold, name_key
from visitplanner.planning.places import PlaceIndex

T = TypeVar("T")

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 500
MAX_NOTES = 20_000  # longer notes are cut, with a warning

_YES = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
_NO = {"no", "n", "non", "false", "faux", "0", ""}
_MODES = {
    "walk": TravelMode.WALK,
    "marche": TravelMode.WALK,
    "a pied": TravelMode.WALK,
    "transit": TravelMode.TRANSIT,
    "transport en commun": TravelMode.TRANSIT,
    "metro": TravelMode.TRANSIT,
    "taxi": TravelMode.TAXI,
    "drive": TravelMode.DRIVE,
    "voiture": TravelMode.DRIVE,
    "auto": TravelMode.DRIVE,
    "car": TravelMode.DRIVE,
    "train": TravelMode.TRAIN,
}


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class MeetingRow:
    line: int
    meeting: Meeting  # place, organization and attendees not yet resolved
    place_text: str
    organization_text: str
    attendees: list[str]
    everyone: bool = False  # "Everyone", "Tous", "All": every delegate of the trip


# Words an Attendees cell uses for the whole delegation, in English and French (folded).
EVERYONE = frozenset(
    {
        "everyone",
        "everybody",
        "all",
        "all delegates",
        "whole delegation",
        "the whole delegation",
        "delegation",
        "tous",
        "toutes",
        "tous les delegues",
        "tout le monde",
        "toute la delegation",
        "delegation complete",
    }
)


@dataclass
class MeetingImport:
    """What a file would import: shown before anything is written."""

    trip_id: int
    rows: list[MeetingRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_delegates: list[str] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)  # folded text -> place (id if known)
    organizations: dict[str, int | None] = field(default_factory=dict)  # folded -> id or new
    encoding: str = ""
    delimiter: str = ","

    def to_json(self, imported: int) -> dict[str, object]:
        return {
            "imported": imported,
            "warnings": list(self.warnings),
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
        }


def _clean(text: str | None) -> str:
    """A cell without control characters (tabs and line breaks kept for the notes)."""
    return clean_text(text or "", multiline=True).strip()


def _windows(
    text: str, dates: DateReader, warnings: list[str], line: int, tr: Translator
) -> list[Window]:
    """The availability column, read by the application's one grammar."""
    try:
        found = parse_availability(text, dates.trip, tr, dates)
    except InputError as error:
        raise RowError(str(error)) from None
    for warning in found.warnings:
        warnings.append(tr.gettext("Line {line}: {warning}").format(line=line, warning=warning))
    return found.windows


def _choice(value: str, table: Mapping[str, T], what: str, tr: Translator) -> T:
    key = fold(value)
    if key in table:
        return table[key]
    raise RowError(tr.gettext("“{value}” is not a valid {what}.").format(value=value, what=what))


def _attendees(text: str) -> list[str]:
    """Names separated by ; | or new lines; by commas only when each piece is a full name
    ("Émilie Côté, Zoë Tremblay", but not "Côté, Émilie")."""
    parts = [" ".join(a.split()) for a in re.split(r"[;|\n]", text) if a.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out += pieces
        elif pieces:
            out.append(", ".join(pieces))
    return out


def _wall_times(
    start: dt.datetime,
    duration: int,
    end_time: dt.time | None,
    zone: str,
    line: int,
    tr: Translator,
) -> list[str]:
    """Warnings for a start (and an end written in the file) that happens twice in the trip's
    time zone; RowError for one that does not exist there (the spring gap)."""
    moments = [start]
    if end_time is not None:
        moments.append(start + dt.timedelta(minutes=duration))
    warnings = []
    for moment in moments:
        try:
            warning = check_wall_time(moment, zone, tr)
        except InputError as error:
            raise RowError(str(error)) from None
        if warning:
            warnings.append(tr.gettext("Line {line}: {warning}").format(line=line, warning=warning))
    return warnings


def _row(
    cells: dict[str, str],
    line: int,
    trip_id: int,
    dates: DateReader,
    tr: Translator,
    trip_zone: str = "",
) -> tuple[MeetingRow, list[str]]:
    warnings: list[str] = []
    for name, value in cells.items():
        if len(value) > MAX_TEXT and name != "notes":
            raise RowError(
                tr.gettext("A cell is too long ({count} characters).").format(count=len(value))
            )
    if len(cells.get("notes", "")) > MAX_NOTES:
        warnings.append(
            tr.gettext(
                "Line {line}: the notes were cut to {limit} characters (they had {count})."
            ).format(line=line, limit=MAX_NOTES, count=len(cells["notes"]))
        )
        cells = {**cells, "notes": cells["notes"][:MAX_NOTES].rstrip()}
    title = cells.get("title", "")
    if not title and cells.get("organization"):  # platforms name a meeting by its company
        title = tr.gettext("Meeting with {organization}").format(organization=cells["organization"])
    if not title:
        raise RowError(tr.gettext("The meeting has no title."))
    date_text, start_text = cells.get("date", ""), cells.get("start", "")
    if start_text and not date_text:  # "2023-06-05 14:30" or "June 5, 2023 2:30 PM"
        date_text, start_text = split_date_time(start_text)
    elif date_text and not start_text:
        date_part, time_part = split_date_time(date_text)
        if date_part:
            date_text = date_part
            if not re.fullmatch(r"0?0:00(:00)?", time_part):  # Excel's midnight: a day
                start_text = time_part
    start_time = end_time = None
    if start_text:
        start_time, end_time = time_range(start_text, tr)
    if cells.get("end"):
        end_time = time_range(cells["end"], tr)[1] or time_range(cells["end"], tr)[0]
    duration = 60
    past_midnight = False
    if cells.get("duration"):
        duration = duration_of(cells["duration"], tr)
    elif start_time and end_time:
        minutes = (end_time.hour * 60 + end_time.minute) - (
            start_time.hour * 60 + start_time.minute
        )
        if minutes <= 0 and 0 < minutes + 24 * 60 < 12 * 60:  # 23:30–00:30: past midnight
            minutes += 24 * 60
            past_midnight = True
        if minutes <= 0:
            raise RowError(
                tr.gettext("The meeting ends ({end}) before it starts ({start}).").format(
                    end=end_time.strftime("%H:%M"), start=start_time.strftime("%H:%M")
                )
            )
        if minutes > 720:
            raise RowError(tr.gettext("The meeting lasts more than 12 hours."))
        duration = minutes
    elif end_time and not start_time:
        warnings.append(
            tr.gettext("Line {line}: an end time without a start time is not used.").format(
                line=line
            )
        )
    start = None
    windows = (
        _windows(cells["available"], dates, warnings, line, tr) if cells.get("available") else []
    )
    if start_time and not date_text:
        raise RowError(tr.gettext("The row has a start time but no date."))
    if date_text:
        day, ambiguity = dates.read(date_text)
        if ambiguity:
            warnings.append(
                tr.gettext("Line {line}: {warning}").format(line=line, warning=ambiguity)
            )
        if day not in dates.days and not dates.outside_reported:
            warnings.append(
                tr.gettext("Line {line}: {day} is outside the trip's days.").format(
                    line=line, day=day.isoformat()
                )
            )
        if start_time:
            start = dt.datetime.combine(day, start_time)
            warnings += _wall_times(start, duration, end_time, trip_zone, line, tr)
            if past_midnight:
                warnings.append(
                    tr.gettext(
                        "Line {line}: the meeting runs past midnight; it ends at {end} on {day}."
                    ).format(
                        line=line,
                        end=tr.format_time(end_time or start_time),
                        day=(day + dt.timedelta(days=1)).isoformat(),
                    )
                )
        elif not windows:  # a date alone: a request for that day
            windows = [
                Window(
                    dt.datetime.combine(day, dt.time()),
                    dt.datetime.combine(day + dt.timedelta(days=1), dt.time()),
                )
            ]
    priority = 2
    if cells.get("priority"):
        value = unwrap(cells["priority"])
        value = value[:-2] if value.endswith(".0") else value
        priority = int(_choice(value, PRIORITY, tr.gettext("priority (1 to 3)"), tr))
    fixed = False
    if cells.get("fixed"):
        key = fold(cells["fixed"])
        if key not in _YES | _NO:
            raise RowError(tr.gettext("“{value}” is not yes or no.").format(value=cells["fixed"]))
        fixed = key in _YES
    mode = None
    if cells.get("mode"):
        mode = _choice(cells["mode"], _MODES, tr.gettext("travel mode"), tr)
    status = MeetingStatus.CONFIRMED if start else MeetingStatus.REQUESTED
    if cells.get("status"):
        status = _choice(fold(cells["status"]), STATUS, tr.gettext("status"), tr)
    meeting = Meeting(
        trip_id=trip_id,
        title=title,
        status=status,
        start=start,
        duration_minutes=duration,
        priority=priority,
        fixed=fixed,
        mode=mode,
        windows=windows,
        notes=cells.get("notes", ""),
    )
    attendees = _attendees(cells.get("attendees", ""))
    return (
        MeetingRow(
            line,
            meeting,
            cells.get("place", ""),
            cells.get("organization", ""),
            [a for a in attendees if name_key(a) not in EVERYONE],
            everyone=any(name_key(a) in EVERYONE for a in attendees),
        ),
        warnings,
    )


def read_bytes(path: Path) -> bytes:
    from visitplanner.exchange.inputs import read_input

    return read_input(
        path,
        max_bytes=MAX_BYTES,
        too_large=current().gettext(
            "{path} is too large for a list of meetings (more than {limit} MB)."
        ),
    )


def preview(lib: Library, data: bytes, trip_id: int, tr: Translator | None = None) -> MeetingImport:
    """Read and check ``data`` (a CSV or .xlsx file's bytes) for trip ``trip_id``; writes
    nothing."""
    from visitplanner.exchange.text import decode

    tr = tr or current()
    trips.get_trip(lib, trip_id)
    if len(data) > MAX_BYTES:
        raise InputError(tr.gettext("The file is too large for a list of meetings."))
    if sheets.is_workbook(data):
        return preview_table(lib, sheets.read_workbook(data, header_score), trip_id, "xlsx", tr)
    text, encoding = decode(data)
    if not text.strip():
        raise InputError(tr.gettext("The file is empty."))
    table = sheets.read_text(text, header_score)
    return preview_table(lib, table, trip_id, encoding, tr)


def _no_header(tr: Translator) -> InputError:
    return InputError(
        tr.gettext(
            "This does not look like a list of meetings: no column holds titles or companies "
            "(expected a header such as “Title”, “Subject”, “Company”, “Titre” or “Objet”)."
        )
    )


def preview_table(
    lib: Library, table: sheets.Table | None, trip_id: int, encoding: str, tr: Translator
) -> MeetingImport:
    """Check the rows of a sheet (CSV or workbook) for trip ``trip_id``; writes nothing."""
    if table is None:
        raise _no_header(tr)
    trip = trips.get_trip(lib, trip_id)
    result = MeetingImport(trip_id, encoding=encoding, delimiter=table.delimiter)
    columns: dict[str, int] = {}
    for index, name in enumerate(table.header):
        column = column_of(_clean(name))
        if column and column not in columns:
            columns[column] = index
        elif _clean(name):
            result.warnings.append(
                tr.gettext("The column “{name}” is not used: its values are not imported.").format(
                    name=shown(name)
                )
            )
    if "title" not in columns and "organization" not in columns:
        raise _no_header(tr)
    date_values = (
        [cells[columns["date"]] for _line, cells in table.rows if len(cells) > columns["date"]]
        if "date" in columns
        else []
    )
    dates = DateReader(trip, date_values, tr)
    known = {name_key(d.name): d.name for d in trips.delegates(lib, trip_id)}
    new_delegates: dict[str, str] = {}
    for line, cells_list in table.rows:
        if sheets.blank(cells_list):
            continue
        if len(result.rows) + len(result.rejected) >= MAX_ROWS:
            result.warnings.append(
                tr.gettext("Only the first {count} rows were read.").format(count=MAX_ROWS)
            )
            break
        cells = {
            name: _clean(cells_list[index]) if index < len(cells_list) else ""
            for name, index in columns.items()
        }
        try:
            row, warnings = _row(cells, line, trip_id, dates, tr, trip.timezone)
        except RowError as error:
            result.rejected.append(Rejected(line, str(error)))
            continue
        result.rows.append(row)
        result.warnings.extend(warnings)
        for name in row.attendees:
            key = name_key(name)
            if key not in known and key not in new_delegates:
                new_delegates[key] = name
                result.warnings.append(
                    tr.gettext(
                        "Line {line}: “{name}” is not a delegate of the trip; they will be added."
                    ).format(line=line, name=name)
                )
    for line, reason in table.errors:
        result.rejected.append(Rejected(line, reason))
    for line, reason in table.warnings:  # rows or columns of a workbook left out
        result.warnings.append(
            tr.gettext("Line {line}: {warning}").format(line=line, warning=reason)
        )
    result.new_delegates = list(new_delegates.values())
    _resolve_places(lib, result, tr, trip.region.value)
    _resolve_organizations(lib, result, tr)
    return result


def _resolve_places(lib: Library, result: MeetingImport, tr: Translator, region: str) -> None:
    """Each place named in the file: a library place of that whole name, else the offline
    geocoder's answer for the trip's region ("Montréal" is the city, not the airport place)."""
    index: PlaceIndex | None = None
    for row in result.rows:
        key = fold(row.place_text)
        if not key or key in result.places:
            continue
        index = index or PlaceIndex(lib)
        place = index.match(row.place_text)
        if place is None:
            place = _geocode(lib, index, row.place_text, region, row.line, result, tr)
        if place is None:
            place = Place(name=row.place_text)
            result.warnings.append(
                tr.gettext(
                    "Line {line}: the place “{place}” was not found; it is added without a "
                    "position on the map."
                ).format(line=row.line, place=row.place_text)
            )
        result.places[key] = place


def _geocode(
    lib: Library,
    index: PlaceIndex,
    text: str,
    region: str,
    line: int,
    result: MeetingImport,
    tr: Translator,
) -> Place | None:
    """The geocoder's best answer: a library place it found, else a new place named after the
    venue found, else as the file wrote it (an approximate point keeps the name the person
    gave the place)."""
    try:
        from visitplanner.geo.geocoder import candidates
    except ImportError:  # pragma: no cover - the geocoder ships with the app
        return None
    try:
        found = candidates(text, lib, region=region)
    except VisitPlannerError:
        return None
    best = found[0]
    if len(found) > 1:
        result.warnings.append(
            tr.gettext(
                "Line {line}: “{place}” may be several places; {taken} was taken ({reason})."
            ).format(line=line, place=text, taken=best.label, reason=best.reason)
        )
    if best.source == "library":  # one of two places of the same name: reuse it, no copy
        for place in index.places.values():
            if (place.name, place.lat, place.lon) == (best.name, best.lat, best.lon):
                return place
    return best.to_place(name="" if best.name else text)


def _resolve_organizations(lib: Library, result: MeetingImport, tr: Translator) -> None:
    existing = {
        name_key(r["name"]): r["id"] for r in lib.query("SELECT id, name FROM organization")
    }
    for row in result.rows:
        key = name_key(row.organization_text)
        if not key or key in result.organizations:
            continue
        result.organizations[key] = existing.get(key)
        if key not in existing:
            result.warnings.append(
                tr.gettext(
                    "Line {line}: “{name}” is not in the directory; it is added as a new "
                    "organization."
                ).format(line=row.line, name=row.organization_text)
            )


def apply(lib: Library, result: MeetingImport) -> list[int]:
    """Write a previewed import in one transaction; returns the new meetings' ids."""
    ids: list[int] = []
    with lib.write():
        delegates = {name_key(d.name): d.id for d in trips.delegates(lib, result.trip_id)}
        for name in result.new_delegates:
            if name_key(name) not in delegates:
                delegates[name_key(name)] = trips.add_delegate(lib, Delegate(result.trip_id, name))
        place_ids: dict[str, int] = {}
        for key, place in result.places.items():
            place_ids[key] = place.id if place.id is not None else directory.add_place(lib, place)
        org_ids: dict[str, int] = {}
        for row in result.rows:
            key = name_key(row.organization_text)
            if key and key not in org_ids:
                known = result.organizations.get(key)
                org_ids[key] = (
                    known
                    if known is not None
                    else directory.add_organization(lib, Organization(name=row.organization_text))
                )
        for row in result.rows:
            m = row.meeting
            m.place_id = place_ids.get(fold(row.place_text))
            m.organization_id = org_ids.get(name_key(row.organization_text))
            m.delegate_ids = sorted(
                {d for d in delegates.values() if d is not None}
                if row.everyone
                else {
                    d for name in row.attendees if (d := delegates.get(name_key(name))) is not None
                }
            )
            ids.append(trips.add_meeting(lib, m))
    return ids


def import_meetings(
    lib: Library, path: Path, trip_id: int, *, dry_run: bool = False
) -> tuple[MeetingImport, int]:
    """Preview ``path`` and, unless ``dry_run``, apply it; returns the preview and how many
    meetings were (or would be) imported."""
    from visitplanner.edits import ImportMeetings

    result = preview(lib, read_bytes(path), trip_id)
    if not dry_run and result.rows:
        ImportMeetings(result).apply(lib)
    return result, len(result.rows)
