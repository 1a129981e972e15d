"""A trip (or one delegate's part of it) as an iCalendar file, through the icalendar library.

Events carry the trip's time zone (with its VTIMEZONE, which Outlook needs), a UID that
stays the same from one export to the next so a calendar updates its events instead of
doubling them, a SEQUENCE that grows with each export, the place's address and GEO (an
approximate place's address says "address to be confirmed" and has no GEO), the
hosts with their phone numbers, and the attendees. Cancelled meetings are exported as
STATUS:CANCELLED so calendars remove them.

Every value comes from the library, which other programs and imports may have filled:
control characters are removed (iCalendar allows none but tab), line breaks kept only in
the description (where icalendar escapes them as \\n) and an email that is not one address
(a CR/LF inside it could start a new property) gives no ATTENDEE line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from visitplanner.exchange.contact_export import write_file
from visitplanner.i18n import N_, translator
from visitplanner.library import Library, trips
from visitplanner.model import MeetingStatus
from visitplanner.planning.precision import place_text
from visitplanner.planning.snapshot import load_snapshot

PRODID = "-//Visit Planner//visitplanner//EN"
_SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

_HOSTS = N_("Hosts:")
_ATTENDEES = N_("Attendees: {names}")
_STATUS_LINE = N_("Status: {status}")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` as the calendar shows it: no control characters; line breaks become "\\n"
    in a multi-line value (icalendar escapes them) and a space elsewhere."""
    from visitplanner.exchange.text import clean_text as cleaned

    value = cleaned(value, multiline=multiline)
    return value if multiline else value.strip()


def clean_email(value: str) -> str | None:
    """The address of ``value`` for a ``mailto:`` URI, or None when it is not one address
    (a control character, a space, a line break: nothing a calendar could be given)."""
    from visitplanner.exchange.phones import check_email

    if clean_text(value) != value.strip():  # a control character or a line break
        return None
    checked = check_email(value)
    if checked.problem or not checked.value or any(ch.isspace() for ch in checked.value):
        return None
    return checked.value


def meeting_uid(meeting_id: int, trip_id: int) -> str:
    return f"visitplanner-trip{trip_id}-meeting{meeting_id}@visitplanner.invalid"


def trip_calendar(
    lib: Library, trip_ref: str, delegate_ref: str | None = None, now: dt.datetime | None = None
) -> bytes:
    """The .ics bytes of a trip's scheduled meetings (of one delegate when given)."""
    from icalendar import Calendar, Event, vCalAddress

    trip = trips.resolve_trip(lib, trip_ref)
    assert trip.id is not None
    snap = load_snapshot(lib, trip.id)
    delegate = trips.resolve_delegate(lib, trip.id, delegate_ref) if delegate_ref else None
    tr = translator(trip.language.value)
    zone = ZoneInfo(trip.timezone)
    now = now or dt.datetime.now(dt.UTC)
    sequence = int((now - _SEQUENCE_EPOCH).total_seconds() // 60)
    name = trip.name if delegate is None else f"{trip.name} — {delegate.name}"
    name = clean_text(name)
    calendar_uid = f"visitplanner-trip{trip.id}" + (f"-delegate{delegate.id}" if delegate else "")
    calendar = Calendar.new(prodid=PRODID, name=name, uid=calendar_uid)
    calendar.add("x-wr-timezone", trip.timezone)
    from visitplanner.model import STATUS_LABELS

    for meeting in snap.meetings:
        if meeting.start is None or meeting.end is None or meeting.id is None:
            continue
        if (
            delegate is not None
            and meeting.delegate_ids
            and delegate.id not in meeting.delegate_ids
        ):
            continue
        event = Event.new(
            uid=meeting_uid(meeting.id, trip.id),
            summary=clean_text(meeting.title),
            start=meeting.start.replace(tzinfo=zone),
            end=meeting.end.replace(tzinfo=zone),
            stamp=now,
            sequence=max(sequence, 0),
        )
        org = snap.organizations.get(meeting.organization_id or -1)
        place = snap.place_of(meeting)
        if place is not None:
            parts = [place.name, place.address()] if place.name else [place.address()]
            location = clean_text(", ".join(p for p in parts if p))
            if place.approximate:  # the point is a guess: no GEO for a calendar's map pin
                location = clean_text(place_text(place, tr, text=location))
            if location:
                event.add("location", location)
            if place.has_coordinates and not place.approximate:
                assert place.lat is not None and place.lon is not None
                event.add("geo", (place.lat, place.lon))
        lines: list[str] = []
        if org is not None:
            lines.append(clean_text(org.name))
        hosts = [snap.contacts[h] for h in meeting.host_ids if h in snap.contacts]
        if hosts:
            lines.append(tr.gettext(_HOSTS))
            for host in hosts:
                details = [host.title, host.phone, host.mobile, host.email]
                line = " · ".join(clean_text(p) for p in [host.full_name, *details] if p)
                lines.append(f"- {line}")
        attendees = [snap.delegates[d] for d in meeting.delegate_ids if d in snap.delegates]
        if attendees:
            names = ", ".join(clean_text(a.name) for a in attendees)
            lines.append(tr.gettext(_ATTENDEES).format(names=names))
        if meeting.status is not MeetingStatus.CONFIRMED:
            lines.append(
                tr.gettext(_STATUS_LINE).format(status=tr.gettext(STATUS_LABELS[meeting.status]))
            )
        if meeting.notes:
            lines += ["", clean_text(meeting.notes, multiline=True)]
        if lines:
            event.add("description", "\n".join(lines))
        for person in attendees:
            email = clean_email(person.email) if person.email else None
            if email:
                address = vCalAddress(f"mailto:{email}")
                address.params["CN"] = clean_text(person.name)
                address.params["ROLE"] = "REQ-PARTICIPANT"
                event.add("attendee", address, encode=False)
        if meeting.status is MeetingStatus.CANCELLED:
            event.add("status", "CANCELLED")
        elif meeting.status is MeetingStatus.CONFIRMED:
            event.add("status", "CONFIRMED")
        else:
            event.add("status", "TENTATIVE")
        calendar.add_component(event)
    # Only the rules around the trip: a short VTIMEZONE that every calendar reads.
    calendar.add_missing_timezones(
        first_date=dt.date(trip.first_day.year - 1, 1, 1),
        last_date=dt.date(trip.last_day.year + 2, 1, 1),
    )
    data: bytes = calendar.to_ical()
    return data


def export_ics(lib: Library, trip_ref: str, out: Path, delegate_ref: str | None = None) -> int:
    """Write the calendar to ``out``; returns the number of events."""
    data = trip_calendar(lib, trip_ref, delegate_ref)
    write_file(out, data)
    return data.count(b"BEGIN:VEVENT")
