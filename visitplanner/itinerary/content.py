"""What an itinerary holds, before any layout: its days, stops, legs and directory.

Pure Python (no reportlab), so the selection rules are easy to test: a delegate's
itinerary holds only the meetings they attend and the legs between them; the master
itinerary holds every scheduled meeting of the trip in time order. Cancelled and
unscheduled meetings are left out of both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from visitplanner.geo.travel import Leg
from visitplanner.model import (
    Contact,
    Delegate,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Organization,
    Place,
)
from visitplanner.planning.dayplan import LegEstimator, rough_between, same_place
from visitplanner.planning.snapshot import TripSnapshot


@dataclass(frozen=True)
class Stop:
    """One meeting of a day, with the leg that leads to it."""

    number: int  # 1-based visiting order within the day
    meeting: Meeting
    place: Place | None
    leg: Leg | None  # from the previous stop (or the hotel); None when unknown
    origin: Place | None = None  # where the leg starts: the previous stop, or the hotel
    from_hotel: bool = False

    @property
    def same_place(self) -> bool:
        """At the place of the previous stop (or the hotel): one record, or one building."""
        return same_place(self.origin, self.place)

    @property
    def rough(self) -> bool:
        """The way here is only roughly known: an end is an approximate place."""
        return rough_between(self.origin, self.place)


@dataclass
class DayItinerary:
    day: dt.date
    stops: list[Stop] = field(default_factory=list)
    return_leg: Leg | None = None  # back to the hotel (delegates' itineraries only)
    # The way back, when the day ends with one: from the last stop's place to the hotel.
    return_origin: Place | None = None
    return_to: Place | None = None

    @property
    def legs(self) -> list[Leg]:
        found = [s.leg for s in self.stops if s.leg is not None]
        return found + ([self.return_leg] if self.return_leg is not None else [])

    @property
    def travel_km(self) -> float:
        return sum(leg.distance_km for leg in self.legs)

    @property
    def travel_minutes(self) -> int:
        return sum(leg.minutes for leg in self.legs)

    @property
    def rough(self) -> bool:
        """Some of the day's travel is rough or unknown: an approximate place is on the way."""
        back = rough_between(self.return_origin, self.return_to)
        return back or any(s.rough for s in self.stops)


@dataclass
class DirectoryEntry:
    organization: Organization | None  # None: contacts whose organization is not on the trip
    place: Place | None
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class ItineraryContent:
    snapshot: TripSnapshot
    delegate: Delegate | None
    days: list[DayItinerary]
    directory: list[DirectoryEntry]

    @property
    def meetings(self) -> list[Meeting]:
        return [s.meeting for d in self.days for s in d.stops]


def printed_meetings(snapshot: TripSnapshot, delegate_id: int | None = None) -> list[Meeting]:
    """Scheduled, not cancelled meetings (of one delegate when given), in time order."""
    chosen = [
        m
        for m in snapshot.meetings
        if m.start is not None
        and m.status is not MeetingStatus.CANCELLED
        and (delegate_id is None or delegate_id in m.delegate_ids)
    ]
    chosen.sort(key=lambda m: (m.start or dt.datetime.min, m.id or 0))
    return chosen


def day_itineraries(snapshot: TripSnapshot, delegate_id: int | None = None) -> list[DayItinerary]:
    """One entry per trip day that has meetings, stops numbered in visiting order.

    A stop's leg starts at the previous stop of the same people: in a delegate's
    itinerary the stop before; in the master itinerary, where groups split up, the last
    earlier stop shared with one of its attendees. The day starts from the hotel (the
    trip's base), when there is one.
    """
    by_day: dict[dt.date, list[Meeting]] = {}
    for m in printed_meetings(snapshot, delegate_id):
        assert m.start is not None
        by_day.setdefault(m.start.date(), []).append(m)
    base = snapshot.base
    legs = LegEstimator(snapshot)
    days = []
    for day in sorted(by_day):
        plan = DayItinerary(day)
        for number, m in enumerate(by_day[day], start=1):
            place = snapshot.place_of(m)
            origin = _origin(plan.stops, m)
            if origin is None:
                origin = base
            # Timed as the day plans time it: when the stop before ends, else on arrival.
            at = plan.stops[-1].meeting.end if plan.stops else m.start
            leg = legs.between_places(origin, place, legs.mode_into(m), m.travel_minutes, at)
            from_hotel = base is not None and origin is base
            plan.stops.append(Stop(number, m, place, leg, origin, from_hotel))
        # A transfer ends the day where it goes (the hotel, the airport): no way back.
        last = plan.stops[-1].meeting if plan.stops else None
        if delegate_id is not None and last is not None and last.kind is not MeetingKind.TRANSFER:
            plan.return_leg = legs.back_to_base(last)
            plan.return_origin = snapshot.place_of(last)
            plan.return_to = base
        days.append(plan)
    return days


def _origin(earlier: list[Stop], meeting: Meeting) -> Place | None:
    """The place of the last earlier stop shared with ``meeting``'s attendees."""
    people = set(meeting.delegate_ids)
    for stop in reversed(earlier):
        if stop.place is None:
            continue
        if not people or people & set(stop.meeting.delegate_ids):
            return stop.place
    return None


def directory_of(snapshot: TripSnapshot, meetings: list[Meeting]) -> list[DirectoryEntry]:
    """Every organization and host contact of ``meetings``, organizations by name."""
    org_ids = {m.organization_id for m in meetings if m.organization_id is not None}
    contact_ids = {h for m in meetings for h in m.host_ids}
    contacts = [snapshot.contacts[c] for c in sorted(contact_ids) if c in snapshot.contacts]
    for c in contacts:
        if c.organization_id in snapshot.organizations:
            org_ids.add(c.organization_id)
    entries: list[DirectoryEntry] = []
    for org_id in org_ids:
        org = snapshot.organizations.get(org_id)
        if org is None:
            continue
        place = snapshot.places.get(org.place_id) if org.place_id is not None else None
        people = [c for c in contacts if c.organization_id == org_id]
        entries.append(DirectoryEntry(org, place, people))
    entries.sort(key=lambda e: _sort_name(e.organization.name if e.organization else ""))
    for entry in entries:
        entry.contacts.sort(key=lambda c: (_sort_name(c.family_name), _sort_name(c.given_name)))
    others = [c for c in contacts if c.organization_id not in org_ids]
    if others:
        others.sort(key=lambda c: (_sort_name(c.family_name), _sort_name(c.given_name)))
        entries.append(DirectoryEntry(None, None, others))
    return entries


def _sort_name(text: str) -> str:
    """Sort key that puts "École" beside "Ecole" rather than after "Z"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def itinerary_content(snapshot: TripSnapshot, delegate_id: int | None = None) -> ItineraryContent:
    delegate = None
    if delegate_id is not None:
        delegate = snapshot.delegates.get(delegate_id)
        if delegate is None:
            from visitplanner.errors import NotFoundError
            from visitplanner.i18n import _

            raise NotFoundError(_("The trip has no delegate “{ref}”.").format(ref=delegate_id))
    days = day_itineraries(snapshot, delegate_id)
    meetings = [s.meeting for d in days for s in d.stops]
    return ItineraryContent(snapshot, delegate, days, directory_of(snapshot, meetings))
