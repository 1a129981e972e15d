"""A read-only snapshot of one trip: everything planning needs, loaded in a few queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from visitplanner.library import ChangeSet, Library, directory, stays, trips
from visitplanner.model import (
    BusyBlock,
    Contact,
    Delegate,
    Meeting,
    Organization,
    Place,
    Stay,
    Trip,
)
from visitplanner.planning import presence


@dataclass
class TripSnapshot:
    """One trip as planning reads it. ``stays`` are the delegation's and the delegates' own
    (see :func:`presence.hotel_for`), ``busy`` every delegate's busy blocks in time order;
    ``places`` holds every place these and the meetings (transfers' arrivals included) use."""

    trip: Trip
    meetings: list[Meeting]
    delegates: dict[int, Delegate]
    places: dict[int, Place]
    organizations: dict[int, Organization]
    contacts: dict[int, Contact] = field(default_factory=dict)
    stays: list[Stay] = field(default_factory=list)
    busy: list[BusyBlock] = field(default_factory=list)

    def hotel_id(self, delegate_id: int | None, night: dt.date) -> int | None:
        """The place id of the hotel ``delegate_id`` (None: the delegation) sleeps in on the
        night of ``night``."""
        return presence.hotel_for(self.trip, self.stays, delegate_id, night)

    def hotel(self, delegate_id: int | None, night: dt.date) -> Place | None:
        place_id = self.hotel_id(delegate_id, night)
        return self.places.get(place_id) if place_id is not None else None

    def busy_of(self, delegate_id: int) -> list[BusyBlock]:
        return [b for b in self.busy if b.delegate_id == delegate_id]

    @property
    def base(self) -> Place | None:
        if self.trip.base_place_id is None:
            return None
        return self.places.get(self.trip.base_place_id)

    def place_of(self, meeting: Meeting) -> Place | None:
        if meeting.place_id is not None:
            return self.places.get(meeting.place_id)
        if meeting.organization_id is not None:
            org = self.organizations.get(meeting.organization_id)
            if org is not None and org.place_id is not None:
                return self.places.get(org.place_id)
        return None

    def concerned_by(self, changes: ChangeSet) -> bool:
        """True when ``changes`` may change what this snapshot shows: the trip, its
        delegates or meetings, or a place, organization or contact its meetings use. A
        change that names no ids is assumed to concern it."""
        trip_id = self.trip.id
        used: dict[str, set[int]] = {
            "meeting": {m.id for m in self.meetings if m.id is not None},
            "place": set(self.places),
            "organization": set(self.organizations),
            "contact": set(self.contacts),
        }
        for change in changes.changes:
            if change.entity == "library":
                return True
            if change.entity in ("trip", "delegate", "meeting", "stay", "busy"):
                if change.trip_id == trip_id:
                    return True
                if change.trip_id is None and (
                    not change.ids or change.ids & used.get(change.entity, set())
                ):
                    return True
            elif change.entity in ("place", "organization", "contact") and (
                not change.ids or change.ids & used[change.entity]
            ):
                return True
        return False

    def meeting(self, meeting_id: int) -> Meeting:
        for m in self.meetings:
            if m.id == meeting_id:
                return m
        raise KeyError(meeting_id)


def load_snapshot(lib: Library, trip_id: int) -> TripSnapshot:
    trip = trips.get_trip(lib, trip_id)
    meetings = trips.meetings(lib, trip_id)
    org_ids = sorted({m.organization_id for m in meetings if m.organization_id is not None})
    organizations = directory.organizations(lib, org_ids)
    place_ids = {m.place_id for m in meetings if m.place_id is not None}
    place_ids |= {o.place_id for o in organizations.values() if o.place_id is not None}
    if trip.base_place_id is not None:
        place_ids.add(trip.base_place_id)
    place_ids |= {m.to_place_id for m in meetings if m.to_place_id is not None}
    trip_stays = stays.stays(lib, trip_id)
    busy = stays.busy_blocks(lib, trip_id)
    place_ids |= {s.place_id for s in trip_stays if s.place_id is not None}
    place_ids |= {b.place_id for b in busy if b.place_id is not None}
    host_ids = sorted({h for m in meetings for h in m.host_ids})
    return TripSnapshot(
        trip=trip,
        meetings=meetings,
        delegates={d.id: d for d in trips.delegates(lib, trip_id) if d.id is not None},
        places=directory.places(lib, sorted(place_ids)),
        organizations=organizations,
        contacts=directory.contacts(lib, host_ids),
        stays=trip_stays,
        busy=busy,
    )
