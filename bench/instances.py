"""Generated arrangement instances for the benchmarks and the tests (fictional, seeded).

``generate_instance(lib, requests=40, days=4)`` adds a Boston trip: a hotel, places spread
over Boston and Cambridge, delegates, a few scheduled meetings each day (a group session,
some one-to-one meetings) and ``requests`` unscheduled meeting requests, some with host
availability windows. The same seed gives the same trip.
"""

from __future__ import annotations

import datetime as dt
import random

from visitplanner.library import Library, directory, trips
from visitplanner.model import (
    Delegate,
    Meeting,
    MeetingStatus,
    Place,
    Precision,
    Region,
    TravelMode,
    Trip,
    Window,
)

# Neighbourhoods: (name, lat, lon); places are scattered a few hundred metres around them.
AREAS = (
    ("Seaport", 42.3505, -71.0440),
    ("Kendall Square", 42.3625, -71.0862),
    ("Longwood", 42.3376, -71.1066),
    ("Downtown", 42.3570, -71.0580),
    ("Back Bay", 42.3503, -71.0810),
    ("Central Square", 42.3655, -71.1040),
)


def generate_instance(
    lib: Library,
    *,
    seed: int = 40,
    requests: int = 40,
    days: int = 4,
    delegates: int = 8,
    first_day: dt.date = dt.date(2025, 6, 16),
) -> int:
    """Add the instance to ``lib`` in one transaction; returns the trip id."""
    rng = random.Random(seed)
    with lib.write():
        hotel = directory.add_place(
            lib,
            Place(
                name="Harbour Hotel (fictional)",
                city="Boston",
                lat=42.3484,
                lon=-71.0420,
                precision=Precision.VENUE,
                source="generated",
            ),
        )
        places = []
        for i in range(30):
            area, lat, lon = AREAS[i % len(AREAS)]
            places.append(
                directory.add_place(
                    lib,
                    Place(
                        name=f"{area} Lab {i + 1} (fictional)",
                        city="Cambridge" if "Square" in area else "Boston",
                        lat=lat + rng.uniform(-0.004, 0.004),
                        lon=lon + rng.uniform(-0.005, 0.005),
                        precision=Precision.ADDRESS,
                        source="generated",
                    ),
                )
            )
        trip_id = trips.add_trip(
            lib,
            Trip(
                name=f"Arrange benchmark {requests}x{days} (seed {seed})",
                first_day=first_day,
                last_day=first_day + dt.timedelta(days=days - 1),
                region=Region.BOSTON,
                day_start=dt.time(8, 30),
                day_end=dt.time(18, 0),
                buffer_minutes=10,
                default_mode=TravelMode.TAXI,
                base_place_id=hotel,
            ),
        )
        people = [
            trips.add_delegate(lib, Delegate(trip_id, f"Delegate {k + 1:02d}", f"Company {k + 1}"))
            for k in range(delegates)
        ]
        for d in range(days):
            day = first_day + dt.timedelta(days=d)
            trips.add_meeting(
                lib,
                Meeting(
                    trip_id=trip_id,
                    title=f"Group session, day {d + 1}",
                    status=MeetingStatus.CONFIRMED,
                    place_id=places[0],
                    start=dt.datetime.combine(day, dt.time(9)),
                    duration_minutes=60,
                    fixed=True,
                    delegate_ids=list(people),
                ),
            )
            for k in rng.sample(people, k=max(1, delegates // 3)):
                hour = rng.choice((11, 13, 14, 16))
                trips.add_meeting(
                    lib,
                    Meeting(
                        trip_id=trip_id,
                        title=f"Scheduled meeting {d + 1}.{k}",
                        status=MeetingStatus.CONFIRMED,
                        place_id=rng.choice(places),
                        start=dt.datetime.combine(day, dt.time(hour)),
                        duration_minutes=60,
                        fixed=True,
                        delegate_ids=[k],
                    ),
                )
        for r in range(requests):
            windows = []
            if rng.random() < 0.35:
                day = first_day + dt.timedelta(days=rng.randrange(days))
                morning = rng.random() < 0.5
                windows.append(
                    Window(
                        dt.datetime.combine(day, dt.time(9 if morning else 13)),
                        dt.datetime.combine(day, dt.time(12 if morning else 17, 30)),
                    )
                )
            trips.add_meeting(
                lib,
                Meeting(
                    trip_id=trip_id,
                    title=f"Request {r + 1:02d}",
                    place_id=rng.choice(places[1:]),
                    duration_minutes=rng.choice((30, 45, 60, 60, 90)),
                    priority=rng.choice((1, 2, 2, 3)),
                    windows=windows,
                    delegate_ids=sorted(rng.sample(people, k=rng.choice((1, 1, 2, 3)))),
                ),
            )
    return trip_id


# The mission-scale instance (issue 15): 16 delegates, 120 requests over 4 days.
MISSION = {"seed": 120, "requests": 120, "days": 4, "delegates": 16}


def generate_mission(lib: Library, *, seed: int = MISSION["seed"]) -> int:
    """The mission-scale arrangement instance: :func:`generate_instance` with 16 delegates
    and 120 requests over 4 days (a group session and five one-to-one meetings a day)."""
    return generate_instance(
        lib,
        seed=seed,
        requests=MISSION["requests"],
        days=MISSION["days"],
        delegates=MISSION["delegates"],
    )
