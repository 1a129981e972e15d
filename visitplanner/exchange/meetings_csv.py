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

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import Translator, current
from visitplanner.library import Library, directory, trips
from visitplanner.model import (
    Delegate,
    Meeting,
    MeetingStatus,
    Organization,
    Place,
    TravelMode,
    Window,
)
from visitplanner.planning.places import PlaceIndex, fold

T = TypeVar("T")

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 500

# Folded header -> field.
COLUMNS: dict[str, str] = {}
for _field, _names in {
    "title": ("title", "titre", "subject", "sujet", "meeting", "rencontre", "objet"),
    "organization": (
        "organization",
        "organisation",
        "organisme",
        "company",
        "entreprise",
        "host",
        "hote",
        "societe",
    ),
    "place": ("place", "lieu", "address", "adresse", "location", "endroit"),
    "date": ("date", "jour", "day"),
    "start": ("start", "debut", "heure", "time", "start time", "heure de debut"),
    "duration": ("duration", "duree", "duration (min)", "duree (min)", "minutes"),
    "available": (
        "available",
        "availability",
        "disponibilites",
        "disponibilite",
        "disponible",
        "windows",
    ),
    "attendees": ("attendees", "participants", "delegates", "delegues", "delegue"),
    "priority": ("priority", "priorite"),
    "fixed": ("fixed", "fixe"),
    "mode": ("mode", "transport", "travel mode", "mode de transport", "mode de deplacement"),
    "status": ("status", "statut", "etat"),
    "notes": ("notes", "note", "remarques", "commentaires", "comments"),
}.items():
    for _name in _names:
        COLUMNS[_name] = _field

_YES = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
_NO = {"no", "n", "non", "false", "faux", "0", ""}
_PRIORITY = {
    "1": 1,
    "2": 2,
    "3": 3,
    "high": 1,
    "haute": 1,
    "elevee": 1,
    "medium": 2,
    "moyenne": 2,
    "normale": 2,
    "normal": 2,
    "low": 3,
    "basse": 3,
    "faible": 3,
}
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
_STATUS = {
    "requested": MeetingStatus.REQUESTED,
    "demandee": MeetingStatus.REQUESTED,
    "demande": MeetingStatus.REQUESTED,
    "proposed": MeetingStatus.PROPOSED,
    "proposee": MeetingStatus.PROPOSED,
    "propose": MeetingStatus.PROPOSED,  # (un rendez-vous) proposé
    "confirmed": MeetingStatus.CONFIRMED,
    "confirmee": MeetingStatus.CONFIRMED,
    "confirme": MeetingStatus.CONFIRMED,
    "cancelled": MeetingStatus.CANCELLED,
    "canceled": MeetingStatus.CANCELLED,
    "annulee": MeetingStatus.CANCELLED,
    "annule": MeetingStatus.CANCELLED,
}
_TIME = re.compile(r"^(\d{1,2})\s*(?::|h)\s*(\d{2})?$")
_WINDOW = re.compile(
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\s+(\d{1,2}\s*(?::|h)\s*\d{0,2})\s*[-–—à]\s*"
    r"(\d{1,2}\s*(?::|h)\s*\d{0,2})"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RowError(VisitPlannerError):
    """Why one row is rejected."""


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
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def _date(text: str, tr: Translator) -> dt.date:
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(
            tr.gettext("“{value}” is not a date (write 2023-06-06 or 06/06/2023).").format(
                value=text
            )
        ) from None


def _time(text: str, tr: Translator) -> dt.time:
    match = _TIME.match(" ".join(text.lower().split()))
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise RowError(
        tr.gettext("“{value}” is not a time (write 14:30 or 14 h 30).").format(value=text)
    )


def _windows(text: str, tr: Translator) -> list[Window]:
    out = []
    for part in re.split(r"[;|\n]", text):
        if not part.strip():
            continue
        match = _WINDOW.fullmatch(part.strip())
        if not match:
            raise RowError(
                tr.gettext(
                    "“{value}” is not an availability (write 2023-06-06 09:00-12:00; "
                    "2023-06-07 14:00-17:00)."
                ).format(value=part.strip())
            )
        day = _date(match.group(1), tr)
        start = dt.datetime.combine(day, _time(match.group(2), tr))
        end = dt.datetime.combine(day, _time(match.group(3), tr))
        if end <= start:
            raise RowError(
                tr.gettext("The availability “{value}” ends before it starts.").format(
                    value=part.strip()
                )
            )
        out.append(Window(start, end))
    return out


def _choice(value: str, table: Mapping[str, T], what: str, tr: Translator) -> T:
    key = fold(value)
    if key in table:
        return table[key]
    raise RowError(tr.gettext("“{value}” is not a valid {what}.").format(value=value, what=what))


def _header(row: list[str], tr: Translator) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(row):
        column = COLUMNS.get(fold(_clean(name).strip("\ufeff")))
        if column and column not in found:
            found[column] = index
    if "title" not in found:
        raise InputError(
            tr.gettext(
                "This does not look like a list of meetings: no column holds titles "
                "(expected a header such as “title” or “titre”)."
            )
        )
    return found


def _row(
    cells: dict[str, str], line: int, trip_id: int, days: set[dt.date], tr: Translator
) -> tuple[MeetingRow, list[str]]:
    warnings: list[str] = []
    title = cells.get("title", "")
    if not title:
        raise RowError(tr.gettext("The meeting has no title."))
    for name, value in cells.items():
        if len(value) > MAX_TEXT and name != "notes":
            raise RowError(
                tr.gettext("A cell is too long ({count} characters).").format(count=len(value))
            )
    duration = 60
    if cells.get("duration"):
        raw = cells["duration"].lower().replace("min", "").strip()
        if not raw.isdigit() or not 5 <= int(raw) <= 720:
            raise RowError(
                tr.gettext("“{value}” is not a duration in minutes (5 to 720).").format(
                    value=cells["duration"]
                )
            )
        duration = int(raw)
    start = None
    windows = _windows(cells["available"], tr) if cells.get("available") else []
    if cells.get("start") and not cells.get("date"):
        raise RowError(tr.gettext("The row has a start time but no date."))
    if cells.get("date"):
        day = _date(cells["date"], tr)
        if day not in days:
            warnings.append(
                tr.gettext("Line {line}: {day} is outside the trip's days.").format(
                    line=line, day=day.isoformat()
                )
            )
        if cells.get("start"):
            start = dt.datetime.combine(day, _time(cells["start"], tr))
        elif not windows:  # a date alone: a request for that day
            windows = [
                Window(
                    dt.datetime.combine(day, dt.time()),
                    dt.datetime.combine(day + dt.timedelta(days=1), dt.time()),
                )
            ]
    priority = 2
    if cells.get("priority"):
        priority = int(_choice(cells["priority"], _PRIORITY, tr.gettext("priority (1 to 3)"), tr))
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
        status = _choice(cells["status"], _STATUS, tr.gettext("status"), tr)
    attendees = [
        " ".join(a.split()) for a in re.split(r"[;|\n]", cells.get("attendees", "")) if a.strip()
    ]
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
    return (
        MeetingRow(line, meeting, cells.get("place", ""), cells.get("organization", ""), attendees),
        warnings,
    )


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                current().gettext("{path} is too large for a list of meetings.").format(path=path)
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            current()
            .gettext("Cannot read {path}: {reason}")
            .format(path=path, reason=error.strerror or error)
        ) from None


def preview(lib: Library, data: bytes, trip_id: int, tr: Translator | None = None) -> MeetingImport:
    """Read and check ``data`` (a CSV file's bytes) for trip ``trip_id``; writes nothing."""
    from visitplanner.exchange.text import decode

    tr = tr or current()
    trip = trips.get_trip(lib, trip_id)
    if len(data) > MAX_BYTES:
        raise InputError(tr.gettext("The file is too large for a list of meetings."))
    text, encoding = decode(data)
    if not text.strip():
        raise InputError(tr.gettext("The file is empty."))
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = max((";", ",", "\t"), key=first_line.count)
    result = MeetingImport(trip_id, encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InputError(tr.gettext("The file is empty.")) from None
    columns = _header(header, tr)
    days = set(trip.days())
    known = {fold(d.name): d.name for d in trips.delegates(lib, trip_id)}
    new_delegates: dict[str, str] = {}
    line = previous = reader.line_num
    try:
        for cells_list in reader:
            line, previous = previous + 1, reader.line_num  # where the row starts
            if not any(c.strip() for c in cells_list):
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
                row, warnings = _row(cells, line, trip_id, days, tr)
            except RowError as error:
                result.rejected.append(Rejected(line, str(error)))
                continue
            result.rows.append(row)
            result.warnings.extend(warnings)
            for name in row.attendees:
                key = fold(name)
                if key not in known and key not in new_delegates:
                    new_delegates[key] = name
                    result.warnings.append(
                        tr.gettext(
                            "Line {line}: “{name}” is not a delegate of the trip; "
                            "they will be added."
                        ).format(line=line, name=name)
                    )
    except csv.Error as error:
        result.rejected.append(
            Rejected(
                line + 1,
                tr.gettext("The rest of the file could not be read ({reason}).").format(
                    reason=error
                ),
            )
        )
    result.new_delegates = list(new_delegates.values())
    _resolve_places(lib, result, tr)
    _resolve_organizations(lib, result, tr)
    return result


def _resolve_places(lib: Library, result: MeetingImport, tr: Translator) -> None:
    index: PlaceIndex | None = None
    for row in result.rows:
        key = fold(row.place_text)
        if not key or key in result.places:
            continue
        index = index or PlaceIndex(lib)
        place = index.match(row.place_text)
        if place is None:
            place = _geocode(lib, row.place_text)
        if place is None:
            place = Place(name=row.place_text)
            result.warnings.append(
                tr.gettext(
                    "Line {line}: the place “{place}” was not found; it is added without a "
                    "position on the map."
                ).format(line=row.line, place=row.place_text)
            )
        result.places[key] = place


def _geocode(lib: Library, text: str) -> Place | None:
    try:
        from visitplanner.geo.geocoder import geocode
    except ImportError:  # pragma: no cover - the geocoder ships with the app
        return None
    try:
        found = geocode(text, lib)
    except VisitPlannerError:
        return None
    place = found.to_place(name=text)
    return place


def _resolve_organizations(lib: Library, result: MeetingImport, tr: Translator) -> None:
    existing = {fold(r["name"]): r["id"] for r in lib.query("SELECT id, name FROM organization")}
    for row in result.rows:
        key = fold(row.organization_text)
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
        delegates = {fold(d.name): d.id for d in trips.delegates(lib, result.trip_id)}
        for name in result.new_delegates:
            if fold(name) not in delegates:
                delegates[fold(name)] = trips.add_delegate(lib, Delegate(result.trip_id, name))
        place_ids: dict[str, int] = {}
        for key, place in result.places.items():
            place_ids[key] = place.id if place.id is not None else directory.add_place(lib, place)
        org_ids: dict[str, int] = {}
        for row in result.rows:
            key = fold(row.organization_text)
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
            m.organization_id = org_ids.get(fold(row.organization_text))
            m.delegate_ids = sorted(
                {d for name in row.attendees if (d := delegates.get(fold(name))) is not None}
            )
            ids.append(trips.add_meeting(lib, m))
    return ids


def import_meetings(
    lib: Library, path: Path, trip_id: int, *, dry_run: bool = False
) -> tuple[MeetingImport, int]:
    """Preview ``path`` and, unless ``dry_run``, apply it; returns the preview and how many
    meetings were (or would be) imported."""
    result = preview(lib, read_bytes(path), trip_id)
    if not dry_run and result.rows:
        apply(lib, result)
    return result, len(result.rows)
