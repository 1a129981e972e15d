"""What arrange must honour of the mission model, read from a trip snapshot.

- Each delegate is unavailable before their arrival and after their departure (at their hotel
  then: the first meeting after landing is reached from it), and during their own busy blocks
  (at the block's place when it has one, so the travel to and from it counts).
- Each delegate's day starts and ends at their hotel of that night (their own stay, else the
  delegation's, else the trip's hotel): :meth:`TripSnapshot.hotel`.

:func:`visitplanner.planning.arrange.arrange` uses these unless its caller gives its own.
"""

from __future__ import annotations

import datetime as dt

from visitplanner.model import Place
from visitplanner.planning.arrange_problem import Unavailable
from visitplanner.planning.snapshot import TripSnapshot


def unavailable_times(snap: TripSnapshot) -> dict[int, list[Unavailable]]:
    """Per delegate id: the times they cannot meet, with where they are then."""
    first = dt.datetime.combine(snap.trip.first_day - dt.timedelta(days=1), dt.time.min)
    last = dt.datetime.combine(snap.trip.last_day + dt.timedelta(days=2), dt.time.min)
    out: dict[int, list[Unavailable]] = {}
    for delegate in snap.delegates.values():
        if delegate.id is None:
            continue
        spans: list[Unavailable] = []
        if delegate.arrival is not None and delegate.arrival > first:
            spans.append(Unavailable(first, delegate.arrival, None, "arrival"))
        if delegate.departure is not None and delegate.departure < last:
            spans.append(Unavailable(delegate.departure, last, None, "departure"))
        for block in snap.busy_of(delegate.id):
            place = snap.places.get(block.place_id) if block.place_id is not None else None
            spans.append(Unavailable(block.start, block.end, place, block.title))
        if spans:
            out[delegate.id] = sorted(spans, key=lambda u: u.start)
    return out


def day_hotels(snap: TripSnapshot) -> dict[tuple[int, dt.date], Place]:
    """Per (delegate id, day): the hotel the day starts and ends at, when it is not the
    trip's own hotel (the default arrange already uses)."""
    out: dict[tuple[int, dt.date], Place] = {}
    base = snap.trip.base_place_id
    for delegate_id in snap.delegates:
        for day in snap.trip.days():
            place_id = snap.hotel_id(delegate_id, day)
            if place_id is None or place_id == base:
                continue
            place = snap.places.get(place_id)
            if place is not None:
                out[(delegate_id, day)] = place
    return out
