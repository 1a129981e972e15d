"""Who is there when, and where each delegate sleeps: the mission model's questions.

- :func:`hotel_for`: the hotel of a delegate on a night (their own stay, else the
  delegation's, else the trip's ``base_place_id``). The night of date D is the one slept
  after day D, so a day's plan starts at the hotel of the night before and ends at the
  hotel of the night of that day.
- :func:`present`: whether a delegate is there from ``start`` to ``end`` (arrival and
  departure; None is from the trip's first morning, to its last evening).
- :func:`busy_overlaps`: the busy blocks that overlap a span.

Pure functions over model objects; :class:`visitplanner.planning.snapshot.TripSnapshot`
carries the stays and busy blocks so the planning code asks without new queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from visitplanner.model import BusyBlock, Delegate, Stay, Trip


def hotel_for(
    trip: Trip, stays: Iterable[Stay], delegate_id: int | None, night: dt.date
) -> int | None:
    """The place id of the hotel where ``delegate_id`` (None: the delegation) sleeps on the
    night of ``night``: the delegate's own stay covering it, else the delegation's, else the
    trip's base hotel. None: no hotel known (a stay whose hotel is not set, or no base)."""
    delegation: Stay | None = None
    for stay in stays:
        if not stay.covers(night):
            continue
        if delegate_id is not None and stay.delegate_id == delegate_id:
            return stay.place_id
        if stay.delegate_id is None and delegation is None:
            delegation = stay
    if delegation is not None:
        return delegation.place_id
    return trip.base_place_id


def morning_hotel(
    trip: Trip, stays: Iterable[Stay], delegate_id: int | None, day: dt.date
) -> int | None:
    """Where the delegate wakes up on ``day``: the hotel of the night before."""
    return hotel_for(trip, stays, delegate_id, day - dt.timedelta(days=1))


def present(delegate: Delegate, start: dt.datetime, end: dt.datetime) -> bool:
    """True when ``delegate`` is there for the whole of ``start``..``end``."""
    if delegate.arrival is not None and start < delegate.arrival:
        return False
    return not (delegate.departure is not None and end > delegate.departure)


def busy_overlaps(
    blocks: Iterable[BusyBlock], start: dt.datetime, end: dt.datetime
) -> list[BusyBlock]:
    """The blocks that overlap ``start``..``end`` (touching ends do not), in time order."""
    return sorted((b for b in blocks if b.overlaps(start, end)), key=lambda b: b.start)
