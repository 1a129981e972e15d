"""Trips, their delegates and meetings: reads and edits."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from visitplanner import rules
from visitplanner.errors import InputError, NotFoundError
from visitplanner.i18n import _
from visitplanner.library.database import Library
from visitplanner.library.directory import _json_ids
from visitplanner.library.rows import insert_row, stored_row, update_row
from visitplanner.model import (
    Delegate,
    Language,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Region,
    TransferMode,
    TravelMode,
    Trip,
    Window,
)

# -- time as stored: local wall time, ISO text -------------------------------------------


def to_text(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else None


def from_text(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


# -- trips --------------------------------------------------------------------------------

_TRIP_COLUMNS = (
    "name",
    "region",
    "first_day",
    "last_day",
    "timezone",
    "day_start",
    "day_end",
    "buffer_minutes",
    "default_mode",
    "base_place_id",
    "language",
    "organizer",
    "emergency",
    "notes",
)


def trip_from_row(row: sqlite3.Row) -> Trip:
    return Trip(
        name=row["name"],
        region=Region(row["region"]),
        first_day=dt.date.fromisoformat(row["first_day"]),
        last_day=dt.date.fromisoformat(row["last_day"]),
        timezone=row["timezone"],
        day_start=dt.time.fromisoformat(row["day_start"]),
        day_end=dt.time.fromisoformat(row["day_end"]),
        buffer_minutes=row["buffer_minutes"],
        default_mode=TravelMode(row["default_mode"]),
        base_place_id=row["base_place_id"],
        language=Language(row["language"]),
        organizer=row["organizer"],
        emergency=row["emergency"],
        notes=row["notes"],
        id=row["id"],
    )


def check_timezone(zone: str) -> str:
    """``zone`` if it names an IANA time zone, else an InputError.

    zoneinfo raises more than ZoneInfoNotFoundError: ValueError for "", absolute or ".."
    paths, and IsADirectoryError for a folder of the database such as "America".
    """
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            _("“{zone}” is not a time zone (try America/New_York).").format(zone=zone)
        ) from None
    return zone


def _trip_values(trip: Trip, before: dict[str, object] | None = None) -> tuple[object, ...]:
    check_timezone(trip.timezone)
    rules.check_record_text(trip, before)
    days = (trip.first_day.isoformat(), trip.last_day.isoformat())
    if before is None or (before["first_day"], before["last_day"]) != days:
        rules.check_trip_days(trip.first_day, trip.last_day)
    if not trip.name.strip():
        raise InputError(_("A trip needs a name."))
    if trip.last_day < trip.first_day:
        raise InputError(_("A trip's last day cannot come before its first day."))
    if trip.day_end <= trip.day_start:
        raise InputError(_("A trip's working day must end after it starts."))
    if not 0 <= trip.buffer_minutes <= 240:
        raise InputError(_("The buffer between meetings is between 0 and 240 minutes."))
    return (
        trip.name.strip(),
        trip.region.value,
        trip.first_day.isoformat(),
        trip.last_day.isoformat(),
        trip.timezone,
        trip.day_start.strftime("%H:%M"),
        trip.day_end.strftime("%H:%M"),
        trip.buffer_minutes,
        trip.default_mode.value,
        trip.base_place_id,
        trip.language.value,
        trip.organizer,
        trip.emergency,
        trip.notes,
    )


def add_trip(lib: Library, trip: Trip) -> int:
    with lib.write() as changes:
        trip_id = insert_row(lib, "trip", _TRIP_COLUMNS, _trip_values(trip))
        changes.add("trip", trip_id, trip_id)
    return trip_id


def update_trip(lib: Library, trip: Trip) -> None:
    if trip.id is None:
        raise ValueError("update_trip needs a stored trip")
    with lib.write() as changes:
        values = _trip_values(trip, stored_row(lib, "trip", trip.id))
        if update_row(lib, "trip", _TRIP_COLUMNS, values, trip.id) == 0:
            raise NotFoundError(_("There is no trip with id {id}.").format(id=trip.id))
        changes.add("trip", trip.id, trip.id)
        changes.add("meeting", trip_id=trip.id)


def delete_trip(lib: Library, trip_id: int) -> None:
    with lib.write() as changes:
        lib.db.execute("DELETE FROM trip WHERE id = ?", (trip_id,))
        changes.add("trip", trip_id, trip_id)


def get_trip(lib: Library, trip_id: int) -> Trip:
    row = lib.query_one("SELECT * FROM trip WHERE id = ?", (trip_id,))
    if row is None:
        raise NotFoundError(_("There is no trip with id {id}.").format(id=trip_id))
    return trip_from_row(row)


def trips(lib: Library) -> list[Trip]:
    return [trip_from_row(r) for r in lib.query("SELECT * FROM trip ORDER BY first_day, id")]


@dataclass(frozen=True)
class TripSummary:
    trip: Trip
    delegates: int
    meetings: int
    requested: int


def trip_summaries(lib: Library) -> list[TripSummary]:
    rows = lib.query(
        "SELECT t.*, "
        "(SELECT count(*) FROM delegate d WHERE d.trip_id = t.id) AS n_delegates, "
        "(SELECT count(*) FROM meeting m WHERE m.trip_id = t.id) AS n_meetings, "
        "(SELECT count(*) FROM meeting m WHERE m.trip_id = t.id AND m.start IS NULL) "
        "  AS n_requested "
        "FROM trip t ORDER BY t.first_day, t.id"
    )
    return [
        TripSummary(trip_from_row(r), r["n_delegates"], r["n_meetings"], r["n_requested"])
        for r in rows
    ]


def is_record_id(ref: str) -> bool:
    """True when ``ref`` reads as a record id: ASCII digits that fit SQLite's integers
    ("²" or a 30-digit number is a name that matches nothing, not a crash)."""
    return ref.isascii() and ref.isdecimal() and len(ref) <= 18


def resolve_trip(lib: Library, ref: str) -> Trip:
    """The trip whose id or exact name is ``ref``."""
    ref = ref.strip()
    if is_record_id(ref):
        row = lib.query_one("SELECT * FROM trip WHERE id = ?", (int(ref),))
        if row is not None:
            return trip_from_row(row)
    rows = lib.query("SELECT * FROM trip WHERE name = ?", (ref,))
    if len(rows) == 1:
        return trip_from_row(rows[0])
    if len(rows) > 1:
        raise NotFoundError(
            _("Several trips are named “{name}”; use the trip's id.").format(name=ref)
        )
    raise NotFoundError(_("There is no trip “{ref}”.").format(ref=ref))


# -- delegates ----------------------------------------------------------------------------

_DELEGATE_COLUMNS = (
    "trip_id",
    "name",
    "company",
    "title",
    "email",
    "phone",
    "colour",
    "arrival",
    "departure",
    "arrival_by",
    "departure_by",
)


def delegate_from_row(row: sqlite3.Row) -> Delegate:
    return Delegate(
        trip_id=row["trip_id"],
        name=row["name"],
        company=row["company"],
        title=row["title"],
        email=row["email"],
        phone=row["phone"],
        colour=row["colour"],
        arrival=from_text(row["arrival"]),
        departure=from_text(row["departure"]),
        arrival_by=row["arrival_by"],
        departure_by=row["departure_by"],
        id=row["id"],
    )


def _delegate_values(
    lib: Library, d: Delegate, before: dict[str, object] | None = None
) -> tuple[object, ...]:
    rules.check_record_text(d, before)
    if not d.name.strip():
        raise InputError(_("A delegate needs a name."))
    arrival, departure = to_text(d.arrival), to_text(d.departure)
    changed = before is None or (before["arrival"], before["departure"]) != (arrival, departure)
    if changed and (arrival or departure):
        trip = get_trip(lib, d.trip_id)
        rules.check_presence(trip.first_day, trip.last_day, d.arrival, d.departure)
    return (
        d.trip_id,
        d.name.strip(),
        d.company,
        d.title,
        d.email,
        d.phone,
        d.colour,
        arrival,
        departure,
        d.arrival_by.strip(),
        d.departure_by.strip(),
    )


def _check_trip(lib: Library, trip_id: int) -> None:
    if lib.query_one("SELECT 1 FROM trip WHERE id = ?", (trip_id,)) is None:
        raise NotFoundError(_("There is no trip with id {id}.").format(id=trip_id))


def add_delegate(lib: Library, delegate: Delegate) -> int:
    _check_trip(lib, delegate.trip_id)
    values = _delegate_values(lib, delegate)
    with lib.write() as changes:
        delegate_id = insert_row(lib, "delegate", _DELEGATE_COLUMNS, values)
        changes.add("delegate", delegate_id, delegate.trip_id)
    return delegate_id


def update_delegate(lib: Library, delegate: Delegate) -> None:
    if delegate.id is None:
        raise ValueError("update_delegate needs a stored delegate")
    values = _delegate_values(lib, delegate, stored_row(lib, "delegate", delegate.id))
    with lib.write() as changes:
        if update_row(lib, "delegate", _DELEGATE_COLUMNS, values, delegate.id) == 0:
            raise NotFoundError(_("There is no delegate with id {id}.").format(id=delegate.id))
        changes.add("delegate", delegate.id, delegate.trip_id)
        changes.add("meeting", trip_id=delegate.trip_id)


def delete_delegate(lib: Library, delegate_id: int) -> None:
    row = lib.query_one("SELECT trip_id FROM delegate WHERE id = ?", (delegate_id,))
    if row is None:
        return
    with lib.write() as changes:
        lib.db.execute("DELETE FROM delegate WHERE id = ?", (delegate_id,))
        changes.add("delegate", delegate_id, row["trip_id"])
        changes.add("meeting", trip_id=row["trip_id"])


def get_delegate(lib: Library, delegate_id: int) -> Delegate:
    row = lib.query_one("SELECT * FROM delegate WHERE id = ?", (delegate_id,))
    if row is None:
        raise NotFoundError(_("There is no delegate with id {id}.").format(id=delegate_id))
    return delegate_from_row(row)


def delegates(lib: Library, trip_id: int) -> list[Delegate]:
    rows = lib.query(
        "SELECT * FROM delegate WHERE trip_id = ? ORDER BY name COLLATE NOCASE, id", (trip_id,)
    )
    return [delegate_from_row(r) for r in rows]


def resolve_delegate(lib: Library, trip_id: int, ref: str) -> Delegate:
    ref = ref.strip()
    for d in delegates(lib, trip_id):
        if (is_record_id(ref) and d.id == int(ref)) or d.name == ref:
            return d
    raise NotFoundError(_("The trip has no delegate “{ref}”.").format(ref=ref))


# -- meetings -----------------------------------------------------------------------------

_MEETING_COLUMNS = (
    "trip_id",
    "title",
    "kind",
    "status",
    "organization_id",
    "place_id",
    "start",
    "duration_minutes",
    "priority",
    "fixed",
    "mode",
    "travel_minutes",
    "notes",
    "to_place_id",
    "transfer_mode",
    "reference",
)


def _meeting_values(m: Meeting, before: dict[str, object] | None = None) -> tuple[object, ...]:
    rules.check_record_text(m, before)
    if not m.title.strip():
        raise InputError(_("A meeting needs a title."))
    if before is None or before["duration_minutes"] != m.duration_minutes:
        rules.check_duration(m.duration_minutes)
    if not 1 <= m.priority <= 3:
        raise InputError(_("A meeting's priority is 1, 2 or 3."))
    if m.travel_minutes is not None and m.travel_minutes < 0:
        raise InputError(_("Travel time cannot be negative."))
    if any(w.end <= w.start for w in m.windows):
        raise InputError(_("An availability window must end after it starts."))
    mode = m.transfer_mode.value if m.transfer_mode else None
    transfer = (m.kind.value, m.place_id, m.to_place_id, mode)
    if before is None or transfer != tuple(
        before[c] for c in ("kind", "place_id", "to_place_id", "transfer_mode")
    ):
        rules.check_transfer(m.place_id, m.to_place_id, m.transfer_mode, transfer=m.is_transfer)
    return (
        m.trip_id,
        m.title.strip(),
        m.kind.value,
        m.status.value,
        m.organization_id,
        m.place_id,
        to_text(m.start),
        m.duration_minutes,
        m.priority,
        int(m.fixed),
        m.mode.value if m.mode else None,
        m.travel_minutes,
        m.notes,
        m.to_place_id,
        mode,
        m.reference.strip(),
    )


def _write_links(lib: Library, meeting_id: int, m: Meeting) -> None:
    lib.db.execute("DELETE FROM meeting_window WHERE meeting_id = ?", (meeting_id,))
    lib.db.executemany(
        'INSERT INTO meeting_window (meeting_id, start, "end") VALUES (?, ?, ?)',
        [(meeting_id, to_text(w.start), to_text(w.end)) for w in m.windows],
    )
    lib.db.execute("DELETE FROM meeting_delegate WHERE meeting_id = ?", (meeting_id,))
    lib.db.executemany(
        "INSERT OR IGNORE INTO meeting_delegate VALUES (?, ?)",
        [(meeting_id, d) for d in m.delegate_ids],
    )
    lib.db.execute("DELETE FROM meeting_host WHERE meeting_id = ?", (meeting_id,))
    lib.db.executemany(
        "INSERT OR IGNORE INTO meeting_host VALUES (?, ?)", [(meeting_id, c) for c in m.host_ids]
    )


def add_meeting(lib: Library, meeting: Meeting) -> int:
    _check_trip(lib, meeting.trip_id)
    with lib.write() as changes:
        meeting_id = insert_row(lib, "meeting", _MEETING_COLUMNS, _meeting_values(meeting))
        _write_links(lib, meeting_id, meeting)
        changes.add("meeting", meeting_id, meeting.trip_id)
    return meeting_id


def update_meeting(lib: Library, meeting: Meeting) -> None:
    """Store every field of ``meeting`` (which must exist), links included."""
    if meeting.id is None:
        raise ValueError("update_meeting needs a stored meeting")
    with lib.write() as changes:
        values = _meeting_values(meeting, stored_row(lib, "meeting", meeting.id))
        if update_row(lib, "meeting", _MEETING_COLUMNS, values, meeting.id) == 0:
            raise NotFoundError(_("There is no meeting with id {id}.").format(id=meeting.id))
        _write_links(lib, meeting.id, meeting)
        changes.add("meeting", meeting.id, meeting.trip_id)


def delete_meeting(lib: Library, meeting_id: int) -> None:
    row = lib.query_one("SELECT trip_id FROM meeting WHERE id = ?", (meeting_id,))
    if row is None:
        return
    with lib.write() as changes:
        lib.db.execute("DELETE FROM meeting WHERE id = ?", (meeting_id,))
        changes.add("meeting", meeting_id, row["trip_id"])


def meetings(lib: Library, trip_id: int, ids: list[int] | None = None) -> list[Meeting]:
    """The meetings of a trip with their windows, attendees and hosts, in time order
    (scheduled first, then requests by priority)."""
    if ids is None:
        rows = lib.query("SELECT * FROM meeting WHERE trip_id = ?", (trip_id,))
    else:
        rows = lib.query(
            "SELECT * FROM meeting WHERE trip_id = ? AND id IN (SELECT value FROM json_each(?))",
            (trip_id, _json_ids(ids)),
        )
    return _assemble(
        lib, rows, "meeting_id IN (SELECT id FROM meeting WHERE trip_id = ?)", (trip_id,)
    )


def all_meetings(lib: Library) -> list[Meeting]:
    return _assemble(lib, lib.query("SELECT * FROM meeting"), "1", ())


def get_meeting(lib: Library, meeting_id: int) -> Meeting:
    rows = lib.query("SELECT * FROM meeting WHERE id = ?", (meeting_id,))
    if not rows:
        raise NotFoundError(_("There is no meeting with id {id}.").format(id=meeting_id))
    return _assemble(lib, rows, "meeting_id = ?", (meeting_id,))[0]


def _assemble(
    lib: Library, rows: list[sqlite3.Row], where: str, params: tuple[object, ...]
) -> list[Meeting]:
    windows: dict[int, list[Window]] = {}
    for r in lib.query(
        f'SELECT meeting_id, start, "end" FROM meeting_window WHERE {where} ORDER BY start', params
    ):
        start, end = from_text(r["start"]), from_text(r["end"])
        assert start is not None and end is not None
        windows.setdefault(r["meeting_id"], []).append(Window(start, end))
    attendees: dict[int, list[int]] = {}
    for r in lib.query(
        f"SELECT meeting_id, delegate_id FROM meeting_delegate WHERE {where}", params
    ):
        attendees.setdefault(r["meeting_id"], []).append(r["delegate_id"])
    hosts: dict[int, list[int]] = {}
    for r in lib.query(f"SELECT meeting_id, contact_id FROM meeting_host WHERE {where}", params):
        hosts.setdefault(r["meeting_id"], []).append(r["contact_id"])
    out = [
        Meeting(
            trip_id=r["trip_id"],
            title=r["title"],
            kind=MeetingKind(r["kind"]),
            status=MeetingStatus(r["status"]),
            organization_id=r["organization_id"],
            place_id=r["place_id"],
            start=from_text(r["start"]),
            duration_minutes=r["duration_minutes"],
            priority=r["priority"],
            fixed=bool(r["fixed"]),
            mode=TravelMode(r["mode"]) if r["mode"] else None,
            travel_minutes=r["travel_minutes"],
            windows=windows.get(r["id"], []),
            delegate_ids=sorted(attendees.get(r["id"], [])),
            host_ids=sorted(hosts.get(r["id"], [])),
            notes=r["notes"],
            to_place_id=r["to_place_id"],
            transfer_mode=TransferMode(r["transfer_mode"]) if r["transfer_mode"] else None,
            reference=r["reference"],
            id=r["id"],
        )
        for r in rows
    ]
    out.sort(key=meeting_sort_key)
    return out


def meeting_sort_key(m: Meeting) -> tuple[int, str, int, int]:
    if m.start is not None:
        return (0, to_text(m.start) or "", 0, m.id or 0)
    return (1, "", m.priority, m.id or 0)
