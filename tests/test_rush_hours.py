"""Travel by time of day: a 17:00 taxi across the Charles is not a 10:00 one."""

from __future__ import annotations

import datetime as dt

from visitplanner.geo.geocoder import geocode
from visitplanner.geo.travel import estimate, rush_factor
from visitplanner.library import Library, directory, trips
from visitplanner.model import (
    Delegate,
    Meeting,
    MeetingStatus,
    Place,
    Precision,
    TravelMode,
    Trip,
)
from visitplanner.planning.checks import ProblemKind, check_snapshot
from visitplanner.planning.dayplan import day_plans
from visitplanner.planning.snapshot import load_snapshot

TUESDAY = dt.date(2023, 6, 6)
SATURDAY = dt.date(2023, 6, 10)


def _point(query: str) -> tuple[float, float]:
    r = geocode(query)
    return r.lat, r.lon


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_a_five_pm_taxi_across_the_charles_is_slower() -> None:
    kendall, seaport = _point("Kendall Square"), _point("BCEC")
    midday = estimate(kendall, seaport, TravelMode.TAXI, at=_at(TUESDAY, 10))
    evening = estimate(kendall, seaport, TravelMode.TAXI, at=_at(TUESDAY, 17))
    morning = estimate(kendall, seaport, TravelMode.TAXI, at=_at(TUESDAY, 8))
    assert evening.minutes >= midday.minutes + 2
    assert midday.minutes < morning.minutes <= evening.minutes
    # The old call (no time) is the midday estimate; a Saturday has no rush hour.
    assert estimate(kendall, seaport, TravelMode.TAXI).minutes == midday.minutes
    assert estimate(kendall, seaport, TravelMode.TAXI, at=_at(SATURDAY, 17)) == midday
    # After the evening peak, back to midday.
    assert estimate(kendall, seaport, TravelMode.TAXI, at=_at(TUESDAY, 18, 30)) == midday


def test_modes_and_cities() -> None:
    kendall, seaport = _point("Kendall Square"), _point("BCEC")
    walk = [estimate(kendall, seaport, TravelMode.WALK, at=_at(TUESDAY, h)) for h in (10, 17)]
    assert walk[0] == walk[1]  # walking is not slowed by traffic
    taxi = rush_factor(kendall, TravelMode.TAXI, _at(TUESDAY, 17))
    transit = rush_factor(kendall, TravelMode.TRANSIT, _at(TUESDAY, 17))
    assert 1.0 < transit < taxi
    montreal = rush_factor(_point("McGill"), TravelMode.TAXI, _at(TUESDAY, 17))
    quebec = rush_factor(_point("Gare du Palais"), TravelMode.TAXI, _at(TUESDAY, 17))
    assert montreal > quebec > taxi > 1.0  # TomTom: Montréal's peaks are the worst of the three
    # A leg outside the three cities keeps the midday numbers.
    assert rush_factor(_point("Sherbrooke"), TravelMode.TAXI, _at(TUESDAY, 17)) == 1.0


def _charles_trip(lib: Library, first_start: dt.datetime, gap: int) -> int:
    kendall, seaport = _point("Kendall Square"), _point("BCEC")
    a = directory.add_place(
        lib,
        Place(
            name="Kendall Lab (fictional)",
            lat=kendall[0],
            lon=kendall[1],
            precision=Precision.VENUE,
        ),
    )
    b = directory.add_place(
        lib,
        Place(
            name="Seaport Office (fictional)",
            lat=seaport[0],
            lon=seaport[1],
            precision=Precision.VENUE,
        ),
    )
    trip = trips.add_trip(
        lib,
        Trip(
            name="Charles",
            first_day=first_start.date(),
            last_day=first_start.date(),
            buffer_minutes=0,
            default_mode=TravelMode.TAXI,
        ),
    )
    ann = trips.add_delegate(lib, Delegate(trip, "Ann Example"))
    for title, place, start in (
        ("In Kendall", a, first_start),
        ("In the Seaport", b, first_start + dt.timedelta(minutes=60 + gap)),
    ):
        trips.add_meeting(
            lib,
            Meeting(
                trip_id=trip,
                title=title,
                status=MeetingStatus.CONFIRMED,
                place_id=place,
                start=start,
                duration_minutes=60,
                delegate_ids=[ann],
            ),
        )
    return trip


def test_the_checks_and_day_plans_time_the_leg(empty_library: Library) -> None:
    kendall, seaport = _point("Kendall Square"), _point("BCEC")
    gap = estimate(kendall, seaport, TravelMode.TAXI).minutes  # enough at midday
    with empty_library.write():
        morning = _charles_trip(empty_library, _at(TUESDAY, 9, 30), gap)  # leaves 10:30
        evening = _charles_trip(empty_library, _at(TUESDAY, 16), gap)  # leaves 17:00
    calm = load_snapshot(empty_library, morning)
    rush = load_snapshot(empty_library, evening)
    assert not [p for p in check_snapshot(calm) if p.kind is ProblemKind.TRAVEL]
    late = [p for p in check_snapshot(rush) if p.kind is ProblemKind.TRAVEL]
    assert len(late) == 1 and "In the Seaport" in late[0].message
    ann = next(iter(rush.delegates))
    (plan,) = [p for p in day_plans(rush, ann) if p.stops]
    assert plan.legs[0].leg is not None and plan.legs[0].leg.minutes > gap
