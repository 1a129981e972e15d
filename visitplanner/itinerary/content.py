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
    TravelMode,
)
from visitplanner.planning.dayplan import LegEstimator, rough_between, same_place
from visitplanner.planning.snapshot import TripSnapshot


@dataclass(frozen=True)
class GroupLeg:
    """The way some of a stop's attendees come to it (or go back to the hotel), together.

    ``delegate_ids``: who travels it (in a delegate's itinerary, that delegate alone);
    ``origin``: the place it starts from (the previous stop's, a transfer's arrival, or the
    hotel); ``origin_stop``: the number of the stop it comes from (None: the hotel).
    """

    delegate_ids: tuple[int, ...]
    origin: Place | None
    destination: Place | None
    leg: Leg | None
    from_hotel: bool = False
    origin_stop: int | None = None

    @property
    def same_place(self) -> bool:
        return same_place(self.origin, self.destination)

    @property
    def rough(self) -> bool:
        return rough_between(self.origin, self.destination)


@dataclass(frozen=True)
class Stop:
    """One meeting of a day, with the legs that lead to it (one per group travelling it)."""

    number: int  # 1-based visiting order within the day
    meeting: Meeting
    place: Place | None  # where it happens (a transfer: where it leaves from)
    leg: Leg | None  # the first group's leg; None when unknown or nobody attends
    origin: Place | None = None  # where the first group's leg starts
    from_hotel: bool = False
    groups: tuple[GroupLeg, ...] = ()
    arrival: Place | None = None  # a transfer's arrival place

    @property
    def same_place(self) -> bool:
        """At the place of the previous stop (or the hotel): one record, or one building."""
        return same_place(self.origin, self.place)

    @property
    def rough(self) -> bool:
        """The way here is only roughly known: an end is an approximate place."""
        return any(g.rough for g in self.groups)

    @property
    def end_place(self) -> Place | None:
        """Where the stop leaves its attendees: a transfer's arrival, else its place."""
        return self.arrival if self.arrival is not None else self.place


@dataclass
class DayItinerary:
    day: dt.date
    stops: list[Stop] = field(default_factory=list)
    return_leg: Leg | None = None  # back to the hotel (delegates' itineraries only)
    # The way back, when the day ends with one: from the last stop's place to the hotel.
    return_origin: Place | None = None
    return_to: Place | None = None
    returns: list[GroupLeg] = field(default_factory=list)  # every group's way back

    @property
    def legs(self) -> list[Leg]:
        found = [g.leg for s in self.stops for g in s.groups if g.leg is not None]
        return found + [g.leg for g in self.returns if g.leg is not None]

    @property
    def travel_km(self) -> float:
        return sum(leg.distance_km for leg in self.legs)

    @property
    def travel_minutes(self) -> int:
        return sum(leg.minutes for leg in self.legs)

    @property
    def rough(self) -> bool:
        """Some of the day's travel is rough or unknown: an approximate place is on the way."""
        return any(g.rough for g in self.returns) or any(s.rough for s in self.stops)


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

    Each stop's legs are the attendees' own, from their day plans (``day_plans``): one per
    group that comes from the same place by the same mode (in a delegate's itinerary, that
    delegate's leg). A meeting nobody attends gets no leg. Each group's way back to its
    hotel of the night ends the day.
    """
    from visitplanner.planning.dayplan import day_plans

    by_day: dict[dt.date, list[Meeting]] = {}
    for m in printed_meetings(snapshot, delegate_id):
        assert m.start is not None
        by_day.setdefault(m.start.date(), []).append(m)
    estimator = LegEstimator(snapshot)
    people = [delegate_id] if delegate_id is not None else sorted(snapshot.delegates)
    # (delegate, meeting id) -> (previous meeting or None, leg); (delegate, day) -> way back
    into: dict[tuple[int, int], tuple[Meeting | None, Leg | None]] = {}
    back: dict[tuple[int, dt.date], tuple[Meeting, Leg | None]] = {}
    for person in people:
        for own in day_plans(snapshot, person, with_base=True, estimator=estimator):
            for day_leg in own.legs:
                if day_leg.destination is not None and day_leg.destination.id is not None:
                    into[(person, day_leg.destination.id)] = (day_leg.origin, day_leg.leg)
                elif day_leg.origin is not None:
                    back[(person, own.date)] = (day_leg.origin, day_leg.leg)
    days = []
    for day in sorted(by_day):
        plan = DayItinerary(day)
        numbers: dict[int, int] = {}
        for number, m in enumerate(by_day[day], start=1):
            numbers[m.id or 0] = number
            place = snapshot.place_of(m)
            groups = _groups(snapshot, estimator, m, place, people, into, numbers, day)
            first = groups[0] if groups else None
            plan.stops.append(
                Stop(
                    number,
                    m,
                    place,
                    first.leg if first else None,
                    first.origin if first else None,
                    first.from_hotel if first else False,
                    tuple(groups),
                    _arrival(snapshot, m),
                )
            )
        plan.returns = _returns(snapshot, plan, people, back, numbers, day)
        if delegate_id is not None and plan.returns:
            way = plan.returns[0]
            plan.return_leg, plan.return_origin, plan.return_to = (
                way.leg,
                way.origin,
                way.destination,
            )
        days.append(plan)
    return days


def _arrival(snapshot: TripSnapshot, meeting: Meeting) -> Place | None:
    to_place = getattr(meeting, "to_place_id", None)
    if meeting.kind is not MeetingKind.TRANSFER or to_place is None:
        return None
    return snapshot.places.get(to_place)


def _end_place(snapshot: TripSnapshot, meeting: Meeting) -> Place | None:
    return _arrival(snapshot, meeting) or snapshot.place_of(meeting)


def _local_leg(
    snapshot: TripSnapshot,
    estimator: LegEstimator,
    previous: Meeting | None,
    meeting: Meeting,
    person: int,
    day: dt.date,
) -> Leg | None:
    """The local ride to ``meeting`` when a transfer is at either end: from the transfer's
    arrival (not its departure), to the transfer's departure, by road (the train is the
    transfer itself, never the ride to the station)."""
    from visitplanner.planning.presence import morning_hotel

    if previous is None:
        hotel_id = morning_hotel(snapshot.trip, snapshot.stays, person, day)
        origin = snapshot.places.get(hotel_id) if hotel_id is not None else None
    else:
        origin = _end_place(snapshot, previous)
    mode = estimator.mode_into(meeting)
    if mode is TravelMode.TRAIN:
        mode = snapshot.trip.default_mode
        if mode is TravelMode.TRAIN:
            mode = TravelMode.TAXI
    override = None if meeting.kind is MeetingKind.TRANSFER else meeting.travel_minutes
    return estimator.between_places(origin, snapshot.place_of(meeting), mode, override)


def _groups(
    snapshot: TripSnapshot,
    estimator: LegEstimator,
    meeting: Meeting,
    place: Place | None,
    people: list[int],
    into: dict[tuple[int, int], tuple[Meeting | None, Leg | None]],
    numbers: dict[int, int],
    day: dt.date,
) -> list[GroupLeg]:
    """The legs into ``meeting`` of its attendees among ``people``, one per group."""
    from visitplanner.planning.presence import morning_hotel

    found: dict[tuple[object, ...], GroupLeg] = {}
    for person in people:
        if person not in meeting.delegate_ids or (person, meeting.id or 0) not in into:
            continue
        previous, leg = into[(person, meeting.id or 0)]
        if _arrival(snapshot, meeting) is not None or (
            previous is not None and _arrival(snapshot, previous) is not None
        ):
            leg = _local_leg(snapshot, estimator, previous, meeting, person, day)
        if previous is None:
            hotel_id = morning_hotel(snapshot.trip, snapshot.stays, person, day)
            origin = snapshot.places.get(hotel_id) if hotel_id is not None else None
            stop_number = None
        else:
            origin = _end_place(snapshot, previous)
            stop_number = numbers.get(previous.id or 0)
        key = (
            stop_number,
            origin.id if origin is not None else None,
            leg.mode if leg is not None else None,
        )
        group = found.get(key)
        ids = (group.delegate_ids if group else ()) + (person,)
        found[key] = GroupLeg(ids, origin, place, leg, previous is None, stop_number)
    return sorted(found.values(), key=lambda g: (g.origin_stop or 0, _names_key(snapshot, g)))


def _returns(
    snapshot: TripSnapshot,
    plan: DayItinerary,
    people: list[int],
    back: dict[tuple[int, dt.date], tuple[Meeting, Leg | None]],
    numbers: dict[int, int],
    day: dt.date,
) -> list[GroupLeg]:
    """Each group's way from its last stop of the day to its hotel of the night; none for
    someone who leaves the trip that day or has no hotel."""
    found: dict[tuple[object, ...], GroupLeg] = {}
    for person in people:
        if (person, day) not in back:
            continue
        last, leg = back[(person, day)]
        delegate = snapshot.delegates.get(person)
        leaves = delegate.departure if delegate is not None else None
        if leaves is not None and leaves.date() <= day:
            continue  # leaves the trip today: no hotel tonight
        hotel = snapshot.hotel(person, day)
        origin = _end_place(snapshot, last)
        if hotel is None or origin is None or (last.id or 0) not in numbers:
            continue
        if last.kind is MeetingKind.TRANSFER and _arrival(snapshot, last) is None:
            continue  # a transfer of the old kind ends where it goes: no way back
        key = (numbers[last.id or 0], hotel.id)
        group = found.get(key)
        ids = (group.delegate_ids if group else ()) + (person,)
        found[key] = GroupLeg(ids, origin, hotel, leg, False, numbers[last.id or 0])
    return sorted(found.values(), key=lambda g: (g.origin_stop or 0, _names_key(snapshot, g)))


def _names_key(snapshot: TripSnapshot, group: GroupLeg) -> str:
    names = [snapshot.delegates[d].name for d in group.delegate_ids if d in snapshot.delegates]
    return _sort_name(" ".join(sorted(names)))


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
