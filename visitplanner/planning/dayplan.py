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
from visitplanner.model import Meeting, MeetingStatus, Place, TravelMode
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
        ``meeting``, setting off at ``at`` ("auto": as the meetings' times say, see the
        class; None: the midday estimate)."""
        if at == "auto":
            at = leg_clock(previous, meeting)
        if previous is not None:
            start: Place | None = self.snap.place_of(previous)
        else:
            start = self.snap.base if origin == "base" else origin
        return self.between_places(
            start, self.snap.place_of(meeting), self.mode_into(meeting), meeting.travel_minutes, at
        )

    def back_to_base(
        self,
        meeting: Meeting,
        at: dt.datetime | Literal["auto"] | None = "auto",
        base: Place | Literal["base"] | None = "base",
    ) -> Leg | None:
        """The leg from ``meeting`` back to the hotel (or ``base``), by the trip's default
        mode, setting off at the meeting's end ("auto") or ``at``."""
        if at == "auto":
            at = meeting.end if meeting.start is not None else None
        return self.between_places(
            self.snap.place_of(meeting),
            self.snap.base if base == "base" else base,
            self.snap.trip.default_mode,
            None,
            at,
        )


def leg_clock(previous: Meeting | None, meeting: Meeting) -> dt.datetime | None:
    """When the leg into ``meeting`` sets off, for its rush-hour factor: the end of the stop
    before, or (from the hotel) the meeting's start; None when neither is scheduled."""
    if previous is not None:
        return previous.end if previous.start is not None else None
    return meeting.start


@dataclass(frozen=True)
class DayLeg:
    """The way from one stop to the next. ``origin``/``destination`` None is the hotel.

    ``leg`` is None when a place has no coordinates (the UI shows the leg as unknown);
    ``gap_minutes`` is the time between the two meetings (None for legs to or from the hotel).
    """

    origin: Meeting | None
    destination: Meeting | None
    leg: Leg | None
    gap_minutes: int | None = None


@dataclass
class DayPlan:
    date: dt.date
    delegate_id: int | None  # None: the whole delegation
    stops: list[Meeting] = field(default_factory=list)
    legs: list[DayLeg] = field(default_factory=list)

    @property
    def travel_minutes(self) -> int:
        return sum(leg.leg.minutes for leg in self.legs if leg.leg is not None)


def occupies_time(meeting: Meeting) -> bool:
    """Scheduled and not cancelled."""
    return meeting.start is not None and meeting.status is not MeetingStatus.CANCELLED


def _gap(first: Meeting, second: Meeting) -> int:
    assert first.end is not None and second.start is not None
    return int((second.start - first.end).total_seconds() // 60)


def build_day_plan(
    snap: TripSnapshot,
    date: dt.date,
    delegate_id: int | None,
    stops: list[Meeting],
    *,
    with_base: bool = False,
    estimator: LegEstimator | None = None,
) -> DayPlan:
    """A plan of ``stops`` (sorted here by start) with its legs."""
    estimator = estimator or LegEstimator(snap)
    ordered = sorted(stops, key=lambda m: (m.start, m.id or 0))
    legs: list[DayLeg] = []
    if ordered and with_base and snap.base is not None:
        legs.append(DayLeg(None, ordered[0], estimator.into(None, ordered[0])))
    for first, second in pairwise(ordered):
        legs.append(DayLeg(first, second, estimator.into(first, second), _gap(first, second)))
    if ordered and with_base and snap.base is not None:
        legs.append(DayLeg(ordered[-1], None, estimator.back_to_base(ordered[-1])))
    return DayPlan(date, delegate_id, ordered, legs)


def _whole_delegation(snap: TripSnapshot, meeting: Meeting) -> bool:
    everyone = snap.delegates.keys()
    return bool(everyone) and everyone <= set(meeting.delegate_ids)


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
