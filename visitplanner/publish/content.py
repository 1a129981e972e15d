"""What a publish puts on the server: calendars of events and an address book of cards.

Event content is the calendar export's (:mod:`visitplanner.exchange.ics`): the trip's time
zone with its VTIMEZONE, place with address and GEO, hosts, attendees and status. Cards are
the contact export's vCard 3.0. Each object has a stable UID (the same as in the exported
files, so a calendar that imported an .ics file once recognises the events) and a digest of
its content without the parts that change on every export (DTSTAMP, SEQUENCE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from visitplanner.errors import InputError
from visitplanner.i18n import N_, _, translator
from visitplanner.library import Library, directory, trips

HASH_PROPERTY = "X-VISITPLANNER-HASH"
UID_PREFIX = "visitplanner-"
_FIXED_NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # DTSTAMP and SEQUENCE set when sent


class Kind(StrEnum):
    CALENDAR = "calendar"
    ADDRESSBOOK = "addressbook"


class ContactScope(StrEnum):
    NONE = "none"
    HOSTS = "hosts"
    DIRECTORY = "directory"


@dataclass(frozen=True)
class Item:
    """One event or card: ``body`` is its text without DTSTAMP, SEQUENCE and digest."""

    uid: str
    label: str
    body: bytes
    digest: str


@dataclass
class Collection:
    """A calendar or address book; ``key`` is the last segment of its URL on the server."""

    key: str
    name: str
    kind: Kind
    items: dict[str, Item] = field(default_factory=dict)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def trip_key(trip_id: int) -> str:
    return f"visitplanner-trip{trip_id}"


def delegate_key(trip_id: int, delegate_id: int) -> str:
    return f"{trip_key(trip_id)}-delegate{delegate_id}"


def wanted_collections(
    lib: Library, trip_ref: str, contacts: ContactScope = ContactScope.HOSTS
) -> list[Collection]:
    """The calendars (delegation first, then each delegate) and the address book of a trip."""
    from visitplanner.exchange.ics import clean_text

    trip = trips.resolve_trip(lib, trip_ref)
    assert trip.id is not None
    collections = [
        Collection(trip_key(trip.id), clean_text(trip.name), Kind.CALENDAR, _events(lib, trip.id))
    ]
    for delegate in trips.delegates(lib, trip.id):
        assert delegate.id is not None
        collections.append(
            Collection(
                delegate_key(trip.id, delegate.id),
                clean_text(f"{trip.name} — {delegate.name}"),
                Kind.CALENDAR,
                _events(lib, trip.id, delegate.id),
            )
        )
    if contacts is not ContactScope.NONE:
        tr = translator(trip.language.value)
        if contacts is ContactScope.HOSTS:
            key = f"{trip_key(trip.id)}-contacts"
            name = tr.gettext(_HOSTS_BOOK).format(trip=clean_text(trip.name))
            collections.append(Collection(key, name, Kind.ADDRESSBOOK, _cards(lib, str(trip.id))))
        else:
            name = tr.gettext(_DIRECTORY_BOOK)
            collections.append(
                Collection("visitplanner-directory", name, Kind.ADDRESSBOOK, _cards(lib, None))
            )
    return collections


_HOSTS_BOOK = N_("{trip} — hosts")
_DIRECTORY_BOOK = N_("Visit Planner directory")


def contact_scope(value: str | None) -> ContactScope:
    try:
        return ContactScope(value or "hosts")
    except ValueError:
        raise InputError(
            _("Unknown contacts choice “{value}”: use hosts, directory or none.").format(
                value=value
            )
        ) from None


def _events(lib: Library, trip_id: int, delegate_id: int | None = None) -> dict[str, Item]:
    """The events of a calendar by UID: the scheduled meetings but the cancelled ones."""
    from icalendar import Calendar

    from visitplanner.exchange.ics import trip_calendar

    data = trip_calendar(
        lib, str(trip_id), str(delegate_id) if delegate_id is not None else None, _FIXED_NOW
    )
    calendar = Calendar.from_ical(data)
    zones = {str(z["TZID"]): z for z in calendar.walk("VTIMEZONE")}
    travel = _travel_notes(lib, trip_id, delegate_id)
    items: dict[str, Item] = {}
    for event in calendar.walk("VEVENT"):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue  # removed from the calendar: a phone shows no struck-out event
        for name in ("DTSTAMP", "SEQUENCE"):
            event.pop(name, None)
        note = travel.get(str(event["UID"]))
        if note:
            description = str(event.pop("DESCRIPTION", ""))
            event.add("description", f"{description}\n\n{note}" if description else note)
        start = event.get("DTSTART")
        tzid = str(start.params.get("TZID", "")) if start is not None else ""
        wrapper = Calendar()
        wrapper.add("prodid", "-//Visit Planner//visitplanner//EN")
        wrapper.add("version", "2.0")
        if tzid in zones:
            wrapper.add_component(zones[tzid])
        wrapper.add_component(event)
        body: bytes = wrapper.to_ical()
        uid = str(event["UID"])
        items[uid] = Item(uid, str(event.get("SUMMARY", "")), body, digest(body))
    return items


def _travel_notes(lib: Library, trip_id: int, delegate_id: int | None) -> dict[str, str]:
    """Event UID -> how to get there, as the itinerary says it ("From the hotel: taxi,
    2.3 km, about 9 min."): from the previous stop of the delegate's day (of the
    delegation's, in its own calendar)."""
    from visitplanner.exchange.ics import meeting_uid
    from visitplanner.itinerary.content import day_itineraries
    from visitplanner.itinerary.legtext import group_leg_text
    from visitplanner.planning.snapshot import load_snapshot

    snapshot = load_snapshot(lib, trip_id)
    tr = translator(snapshot.trip.language.value)
    notes: dict[str, str] = {}
    for day in day_itineraries(snapshot, delegate_id):
        for stop in day.stops:
            # one way there for everyone (the delegate's own, in their calendar); when the
            # attendees come from different places, no line that is true for some only
            if len(stop.groups) != 1:
                continue
            text = group_leg_text(tr, stop.groups[0], number=stop.number)
            if text and stop.meeting.id is not None:
                notes[meeting_uid(stop.meeting.id, trip_id)] = text
    return notes


def _cards(lib: Library, trip_ref: str | None) -> dict[str, Item]:
    from visitplanner.exchange.contact_export import contacts_to_export, vcard_text

    organizations = directory.organizations(lib)
    places = directory.places(lib)
    items: dict[str, Item] = {}
    for person in contacts_to_export(lib, trip_ref):
        if person.id is None:
            continue
        body = vcard_text([person], organizations, places, "3.0").encode("utf-8")
        uid = f"visitplanner-contact-{person.id}"
        label = person.full_name or "?"
        items[uid] = Item(uid, label, body, digest(body))
    return items


def event_to_send(item: Item, now: dt.datetime) -> bytes:
    """The event as sent: with DTSTAMP, a SEQUENCE that grows with time, and its digest."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(item.body)
    sequence = max(int((now - _FIXED_NOW).total_seconds() // 60), 0)
    for event in calendar.walk("VEVENT"):
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add(HASH_PROPERTY, item.digest)
    data: bytes = calendar.to_ical()
    return data


def card_to_send(item: Item) -> bytes:
    """The card as sent: with its digest before END:VCARD."""
    text = item.body.decode("utf-8")
    end = text.rindex("END:VCARD")
    return (text[:end] + f"{HASH_PROPERTY}:{item.digest}\r\n" + text[end:]).encode("utf-8")
