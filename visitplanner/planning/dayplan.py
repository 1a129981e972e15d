"""Day plans: the ordered stops of one delegate (or of the whole delegation) on one day,
with the leg between each pair of consecutive stops.

A leg into a meeting uses that meeting's travel mode (or the trip's default mode) and its
``travel_minutes`` override when a person set one. Estimates come from
:func:`visitplanner.geo.travel.estimate`; geodesic distance is slowish, so a
:class:`LegEstimator` caches legs per place pair for the length of one run (a check, a plan,
an arrangement), and estimates are also memoized by coordinates for the whole process.

Approximate places (``Place.approximate``: located to their street, postal area or city) make
legs rough: two meetings whose places both fell back to the city centre share a point, but not
a building. So two stops are *the same place* (:func:`same_place`: no travel, "Same place as
the previous stop") only when they are one place record, or two precise places within
``SAME_POINT_KM`` (25 m). A leg with an approximate end is marked ``rough``; between two
distinct places whose approximate points coincide, the time is unknown (no leg), never 0 min.

The mission model (docs/ARCHITECTURE.md, 6a): a delegate's day starts at the hotel of the
night before (``presence.morning_hotel``) and ends at the hotel of its own night; on their
arrival day it starts at the hotel of that night (they check in first), on their departure day
it ends at their last stop (they leave from there), and a day on which they are not there has
no hotel leg. A transfer (a meeting of kind ``transfer`` with an arrival place) is a leg of its
own from its departure place to its arrival place: the leg before it goes to the departure
place and the leg after it leaves from the arrival place, both by a local mode (never the
train). A transfer first thing on the first day someone is there is how they come in (no
leg to it), one last thing on their last day how they leave (no leg back). A delegate's busy
block with a place is a stop for travel: legs go to it and from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from visitplanner.geo.travel import (
    SAME_POINT_KM,
    Leg,
    distance_km,
    estimate_with_factor,
    rush_factor,
)
from visitplanner.model import BusyBlock, Meeting, MeetingStatus, Place, TravelMode
from visitplanner.planning.presence import present
from visitplanner.planning.snapshot import TripSnapshot

LatLon = tuple[float, float]


@lru_cache(maxsize=65536)
def _estimate(
    a: LatLon, b: LatLon, mode: TravelMode, override: int | None, factor: float = 1.0
) -> Leg:
    return estimate_with_factor(a, b, mode, override, factor)


def same_place(a: Place | None, b: Place | None) -> bool:
    """Whether two stops are at one place: the same place record, or two precise places (not
    approximate, with coordinates) within 25 m. Two approximate points that coincide (two
    addresses that both fell back to the city centre) are not the same place."""
    if a is None or b is None:
        return False
    if a is b or (a.id is not None and a.id == b.id):
        return True
    if a.approximate or b.approximate:
        return False
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km((a.lat, a.lon), (b.lat, b.lon)) < SAME_POINT_KM


def rough_between(a: Place | None, b: Place | None) -> bool:
    """Whether the way from ``a`` to ``b`` is only roughly known: an end is approximate and
    they are not the same place."""
    if a is None or b is None or not (a.approximate or b.approximate):
        return False  # (precise ends first: no distance to measure on every leg)
    return not same_place(a, b)


def is_segment(meeting: Meeting) -> bool:
    """A transfer with an arrival place: a segment from one place to another, not a stop."""
    return meeting.is_transfer and meeting.to_place_id is not None


def departure_place(snap: TripSnapshot, meeting: Meeting) -> Place | None:
    """Where a meeting starts: its place (a transfer's departure place)."""
    return snap.place_of(meeting)


def arrival_place(snap: TripSnapshot, meeting: Meeting) -> Place | None:
    """Where a meeting ends: a transfer's arrival place, else its place."""
    if is_segment(meeting):
        return snap.places.get(meeting.to_place_id or -1)
    return snap.place_of(meeting)


def local_mode(snap: TripSnapshot, mode: TravelMode | None) -> TravelMode:
    """The mode of a leg through a town: the one set, but never the train (the train is a
    transfer of its own); else the trip's default mode."""
    if mode is None or mode is TravelMode.TRAIN:
        default = snap.trip.default_mode
        return TravelMode.TAXI if default is TravelMode.TRAIN else default
    return mode


class LegEstimator:
    """Legs between the places of one snapshot, cached per (place, place, mode, override,
    rush-hour factor).

    A leg's clock (for the rush hours of :func:`visitplanner.geo.travel.rush_factor`) is when
    it sets off: the end of the stop before; the morning leg from the hotel, which has no
    stop before, is timed at its arrival (the first meeting's start)."""

    def __init__(self, snap: TripSnapshot) -> None:
        self.snap = snap
        self._cache: dict[
            tuple[int | None, int | None, TravelMode, int | None, float], Leg | None
        ] = {}

    def mode_into(self, meeting: Meeting) -> TravelMode:
        """The mode of the leg into ``meeting``: a transfer is reached by a local mode."""
        if meeting.is_transfer:
            return local_mode(self.snap, meeting.mode)
        return meeting.mode or self.snap.trip.default_mode

    def between_places(
        self,
        origin: Place | None,
        destination: Place | None,
        mode: TravelMode,
        override: int | None = None,
        at: dt.datetime | None = None,
    ) -> Leg | None:
        """The leg from ``origin`` to ``destination``; None when either has no coordinates
        (unless a person set the minutes by hand, which then stand with no distance), and
        None too between two distinct places whose approximate points coincide (the time is
        unknown, not 0 min). An estimated leg with an approximate end is ``rough``."""
        factor = 1.0
        if at is not None and origin is not None and origin.lat is not None:
            assert origin.lon is not None
            factor = rush_factor((origin.lat, origin.lon), mode, at)
        key = (
            origin.id if origin else None,
            destination.id if destination else None,
            mode,
            override,
            factor,
        )
        if key in self._cache:
            return self._cache[key]
        leg: Leg | None
        if (
            origin is not None
            and destination is not None
            and origin.lat is not None
            and origin.lon is not None
            and destination.lat is not None
            and destination.lon is not None
        ):
            leg = _estimate(
                (origin.lat, origin.lon),
                (destination.lat, destination.lon),
                mode,
                override,
                factor,
            )
            if leg.estimated and rough_between(origin, destination):
                # Not one building: an estimate of 0 min says nothing about the real way.
                leg = (
                    None
                    if leg.distance_km < SAME_POINT_KM
                    else dataclasses.replace(leg, rough=True)
                )
        elif override is not None:
            leg = Leg(mode, 0.0, override, estimated=False)
        else:
            leg = None
        if origin is not None and destination is not None and origin.id is not None:
            self._cache[key] = leg
        return leg

    def into(
        self,
        previous: Meeting | None,
        meeting: Meeting,
        at: dt.datetime | Literal["auto"] | None = "auto",
        origin: Place | Literal["base"] | None = "base",
    ) -> Leg | None:
        """The leg from ``previous`` (None: the hotel base, or ``origin`` when given) to
        ``meeting``: from where the previous one ends (a transfer's arrival place) to where
        this one starts, setting off at ``at`` ("auto": as the meetings' times say, see the
        class; None: the midday estimate)."""
        if at == "auto":
            at = leg_clock(previous, meeting)
        if previous is not None:
            start = arrival_place(self.snap, previous)
        else:
            start = self.snap.base if origin == "base" else origin
        return self.between_places(
            start, departure_place(self.snap, meeting), self.mode_into(meeting),
            meeting.travel_minutes, at,
        )  # fmt: skip

    def from_place(
        self,
        origin: Place | None,
        meeting: Meeting,
        at: dt.datetime | Literal["auto"] | None = "auto",
    ) -> Leg | None:
        """The leg from ``origin`` (a hotel, a busy block's place) to ``meeting``, timed by
        its arrival ("auto": the meeting's start)."""
        if at == "auto":
            at = meeting.start
        return self.between_places(
            origin, departure_place(self.snap, meeting), self.mode_into(meeting),
            meeting.travel_minutes, at,
        )  # fmt: skip

    def back_to_base(
        self,
        meeting: Meeting,
        at: dt.datetime | Literal["auto"] | None = "auto",
        base: Place | Literal["base"] | None = "base",
    ) -> Leg | None:
        """The leg from ``meeting`` back to the hotel (or ``base``), setting off at the
        meeting's end ("auto") or ``at``."""
        return self.back_to(meeting, self.snap.base if base == "base" else base, at)

    def back_to(
        self,
        meeting: Meeting,
        hotel: Place | None,
        at: dt.datetime | Literal["auto"] | None = "auto",
    ) -> Leg | None:
        """The leg from where ``meeting`` ends to ``hotel`` (or a busy block's place), by a
        local mode, setting off at the meeting's end ("auto") or ``at``."""
        if at == "auto":
            at = meeting.end if meeting.start is not None else None
        return self.between_places(
            arrival_place(self.snap, meeting), hotel, local_mode(self.snap, None), None, at
        )


def leg_clock(previous: Meeting | None, meeting: Meeting) -> dt.datetime | None:
    """When the leg into ``meeting`` sets off, for its rush-hour factor: the end of the stop
    before, or (from the hotel) the meeting's start; None when neither is scheduled."""
    if previous is not None:
        return previous.end if previous.start is not None else None
    return meeting.start


@dataclass(frozen=True)
class DayLeg:
    """The way from one stop to the next. ``origin``/``destination`` None is the hotel, or a
    busy block when ``origin_busy``/``destination_busy`` is set.

    ``leg`` is None when a place has no coordinates (the UI shows the leg as unknown);
    ``gap_minutes`` is the time between the two stops (None for legs to or from the hotel).
    ``from_place``/``to_place`` are the places the leg joins: where the previous stop ends (a
    transfer's arrival place) and where the next starts (a transfer's departure place).
    """

    origin: Meeting | None
    destination: Meeting | None
    leg: Leg | None
    gap_minutes: int | None = None
    from_place: Place | None = None
    to_place: Place | None = None
    origin_busy: BusyBlock | None = None
    destination_busy: BusyBlock | None = None

    @property
    def from_hotel(self) -> bool:
        return self.origin is None and self.origin_busy is None

    @property
    def to_hotel(self) -> bool:
        return self.destination is None and self.destination_busy is None


@dataclass
class DayPlan:
    """One delegate's (or the delegation's) day. ``morning_hotel`` is where the day starts
    (the hotel of the night before; on their arrival day the hotel of that night; None when
    the day starts with the transfer they come in by), ``hotel`` the hotel of the day's own
    night (None on their departure day, when they leave by the day's last transfer, or when
    not known);
    ``busy`` their busy blocks that day with a place (stops for travel); ``present`` whether
    the delegate is there at some time of the day."""

    date: dt.date
    delegate_id: int | None  # None: the whole delegation
    stops: list[Meeting] = field(default_factory=list)
    legs: list[DayLeg] = field(default_factory=list)
    morning_hotel: Place | None = None
    hotel: Place | None = None
    busy: list[BusyBlock] = field(default_factory=list)
    present: bool = True

    @property
    def travel_minutes(self) -> int:
        return sum(leg.leg.minutes for leg in self.legs if leg.leg is not None)

    @property
    def transfers(self) -> list[Meeting]:
        """The day's transfers that go from one place to another (segments, not stops)."""
        return [m for m in self.stops if is_segment(m)]


def occupies_time(meeting: Meeting) -> bool:
    """Scheduled and not cancelled."""
    return meeting.start is not None and meeting.status is not MeetingStatus.CANCELLED


def _minutes_between(end: dt.datetime, start: dt.datetime) -> int:
    return int((start - end).total_seconds() // 60)


def day_hotels(
    snap: TripSnapshot, delegate_id: int | None, date: dt.date
) -> tuple[Place | None, Place | None, bool]:
    """Where ``delegate_id`` (None: the delegation) starts and ends ``date``, and whether they
    are there that day: (morning hotel, evening hotel, present). Before their arrival day or
    after their departure day: (None, None, False)."""
    morning = snap.hotel(delegate_id, date - dt.timedelta(days=1))
    evening = snap.hotel(delegate_id, date)
    delegate = snap.delegates.get(delegate_id) if delegate_id is not None else None
    if delegate is None:
        return morning, evening, True
    arrival, departure = delegate.arrival, delegate.departure
    if (arrival is not None and arrival.date() > date) or (
        departure is not None and departure.date() < date
    ):
        return None, None, False
    if arrival is not None and arrival.date() == date:
        morning = evening  # they check in first
    if departure is not None and departure.date() == date:
        evening = None  # they leave from their last stop
    return morning, evening, True


def presence_days(snap: TripSnapshot, delegate_id: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day a delegate (None: the delegation) is there: their arrival and
    departure days, else the trip's first and last days."""
    first, last = snap.trip.first_day, snap.trip.last_day
    delegate = snap.delegates.get(delegate_id) if delegate_id is not None else None
    if delegate is not None and delegate.arrival is not None:
        first = delegate.arrival.date()
    if delegate is not None and delegate.departure is not None:
        last = delegate.departure.date()
    return first, last


def busy_stops(snap: TripSnapshot, delegate_id: int | None, date: dt.date) -> list[BusyBlock]:
    """The delegate's busy blocks with a place that start on ``date``: stops for travel."""
    if delegate_id is None:
        return []
    return [
        b for b in snap.busy_of(delegate_id) if b.place_id is not None and b.start.date() == date
    ]


_Item = tuple[dt.datetime, dt.datetime, Meeting | None, BusyBlock | None]


def build_day_plan(
    snap: TripSnapshot,
    date: dt.date,
    delegate_id: int | None,
    stops: list[Meeting],
    *,
    with_base: bool = False,
    estimator: LegEstimator | None = None,
    with_busy: bool = True,
) -> DayPlan:
    """A plan of ``stops`` (sorted here by start) with its legs: between consecutive stops
    (and the delegate's busy blocks with a place, unless ``with_busy`` is False), and with
    ``with_base`` from the morning hotel and back to the evening one."""
    estimator = estimator or LegEstimator(snap)
    ordered = sorted(stops, key=lambda m: (m.start, m.id or 0))
    busy = busy_stops(snap, delegate_id, date) if with_busy else []
    morning, evening, here = day_hotels(snap, delegate_id, date)
    items: list[_Item] = []
    for m in ordered:
        assert m.start is not None and m.end is not None
        items.append((m.start, m.end, m, None))
    for b in busy:
        items.append((b.start, b.end, None, b))
    items.sort(key=lambda i: (i[0], i[2].id or 0 if i[2] else 0))

    def place_at(item: _Item, *, end: bool) -> Place | None:
        if item[2] is not None:
            return (arrival_place if end else departure_place)(snap, item[2])
        assert item[3] is not None
        return snap.places.get(item[3].place_id or -1)

    def leg_to(origin: Place | None, item: _Item, at: dt.datetime) -> Leg | None:
        """The leg to ``item`` setting off at ``at`` (its rush hours): the end of the stop
        before, or from the morning hotel the item's start (leg_clock's rule)."""
        if item[2] is not None:
            return estimator.from_place(origin, item[2], at)
        return estimator.between_places(
            origin, place_at(item, end=False), local_mode(snap, None), None, at
        )

    first_day, last_day = presence_days(snap, delegate_id)
    if items and items[0][2] is not None and is_segment(items[0][2]) and date == first_day:
        morning = None  # they come in by this transfer (from the airport): no way to it
    if items and items[-1][2] is not None and is_segment(items[-1][2]) and date == last_day:
        evening = None  # they leave by this transfer: no way back
    legs: list[DayLeg] = []
    if items and with_base and morning is not None:
        first = items[0]
        legs.append(
            DayLeg(
                None,
                first[2],
                leg_to(morning, first, first[0]),
                None,
                morning,
                place_at(first, end=False),
                None,
                first[3],
            )
        )
    for first, second in pairwise(items):
        origin = place_at(first, end=True)
        legs.append(
            DayLeg(
                first[2],
                second[2],
                leg_to(origin, second, first[1]),
                _minutes_between(first[1], second[0]),
                origin,
                place_at(second, end=False),
                first[3],
                second[3],
            )
        )
    if items and with_base and evening is not None:
        last = items[-1]
        origin = place_at(last, end=True)
        leg = estimator.between_places(origin, evening, local_mode(snap, None), None, last[1])
        legs.append(DayLeg(last[2], None, leg, None, origin, evening, last[3], None))
    return DayPlan(date, delegate_id, ordered, legs, morning, evening, busy, here)


def everyone_there(snap: TripSnapshot, meeting: Meeting) -> bool:
    """Whether every delegate there at the meeting's time attends it (one who has not arrived
    yet, or has left, is not missing from it)."""
    attendees = set(meeting.delegate_ids)
    start, end = meeting.start, meeting.end
    if start is None or end is None:
        there = list(snap.delegates.values())
    else:
        there = [d for d in snap.delegates.values() if present(d, start, end)]
    return bool(there) and all(d.id in attendees for d in there)


def _whole_delegation(snap: TripSnapshot, meeting: Meeting) -> bool:
    return everyone_there(snap, meeting)


def plan_days(snap: TripSnapshot) -> list[dt.date]:
    """The trip's days, plus any other day on which a meeting is scheduled."""
    days = set(snap.trip.days())
    days |= {m.start.date() for m in snap.meetings if m.start is not None and occupies_time(m)}
    return sorted(days)


def day_plans(
    snap: TripSnapshot,
    delegate_id: int | None = None,
    *,
    with_base: bool = False,
    estimator: LegEstimator | None = None,
) -> list[DayPlan]:
    """One plan per day for ``delegate_id`` (None: the meetings the whole delegation attends)."""
    estimator = estimator or LegEstimator(snap)
    by_day: dict[dt.date, list[Meeting]] = {}
    for m in snap.meetings:
        if not occupies_time(m):
            continue
        assert m.start is not None
        if delegate_id is None:
            if not _whole_delegation(snap, m):
                continue
        elif delegate_id not in m.delegate_ids:
            continue
        by_day.setdefault(m.start.date(), []).append(m)
    return [
        build_day_plan(
            snap, day, delegate_id, by_day.get(day, []), with_base=with_base, estimator=estimator
        )
        for day in plan_days(snap)
    ]


def all_day_plans(
    snap: TripSnapshot, *, with_base: bool = False, estimator: LegEstimator | None = None
) -> list[DayPlan]:
    """The whole delegation's plans, then each delegate's (by name), day by day."""
    estimator = estimator or LegEstimator(snap)
    out = day_plans(snap, None, with_base=with_base, estimator=estimator)
    for delegate in sorted(snap.delegates.values(), key=lambda d: (d.name.casefold(), d.id)):
        assert delegate.id is not None
        out.extend(day_plans(snap, delegate.id, with_base=with_base, estimator=estimator))
    out.sort(key=lambda p: p.date)  # stable: per day, the delegation first, then by name
    return out
