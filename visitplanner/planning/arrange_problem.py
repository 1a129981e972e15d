"""What auto-arrange's model needs, computed without OR-Tools (and reused to explain
refusals): the trip's days on one time axis, each request's possible starts, the travel and
buffer needed between two stops at a time of day, each delegate's unavailable times and hotel
per day, and a greedy first arrangement (the solver's warm start).

This is where a mission's presence (arrival, departure), busy blocks and stays plug in:
:class:`Problem` takes ``unavailable`` (per delegate id, :class:`Unavailable` intervals with
where the delegate is then) and ``hotels`` (per delegate id and date, the place the day starts
and ends at).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from visitplanner.geo.travel import rush_period
from visitplanner.i18n import Translator
from visitplanner.model import Meeting, MeetingStatus, Place
from visitplanner.planning.dayplan import LegEstimator, occupies_time
from visitplanner.planning.snapshot import TripSnapshot

STEP = 5  # minutes: starts are multiples of this
DAY = 1440


# -- time on one axis: minutes since midnight of the trip's first day --------------------


class _Axis:
    def __init__(self, first_day: dt.date) -> None:
        self.origin = dt.datetime.combine(first_day, dt.time())

    def minute(self, moment: dt.datetime) -> int:
        return int((moment - self.origin).total_seconds() // 60)

    def moment(self, minute: int) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=minute)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


# A weekday moment in each rush period (see visitplanner.geo.travel), to time a leg by period.
_PERIOD_MOMENT = {
    None: None,
    "morning": dt.datetime(2024, 1, 3, 8),
    "evening": dt.datetime(2024, 1, 3, 17),
}
PERIODS = ("morning", "evening")
_RANK = {None: 0, "morning": 1, "evening": 2}  # which period's legs are longer


@dataclass(frozen=True)
class Unavailable:
    """A time a delegate cannot meet (local datetimes): before they arrive, after they leave,
    one of their own busy blocks. ``place`` is where they are then (the airport, their own
    meeting's venue): the travel from and to it counts; None: at their hotel of the day."""

    start: dt.datetime
    end: dt.datetime
    place: Place | None = None
    label: str = ""


@dataclass
class Request:
    meeting: Meeting
    duration: int
    starts: dict[int, list[int]]  # day index -> feasible starts (minutes on the axis)
    reason: str | None = None


class Problem:
    """What the model needs, computed without OR-Tools (and reused to explain refusals)."""

    def __init__(
        self,
        snap: TripSnapshot,
        tr: Translator,
        *,
        unavailable: dict[int, list[Unavailable]] | None = None,
        hotels: dict[tuple[int, dt.date], Place] | None = None,
    ) -> None:
        """``unavailable``: per delegate id, the times they cannot meet; ``hotels``: per
        (delegate id, date), where that delegate's day starts and ends (default: the trip's
        hotel). This is where the mission's presence, busy blocks and stays plug in."""
        self.tr = tr
        self.trip = snap.trip
        self.axis = _Axis(self.trip.first_day)
        # A hotel given without a library id gets its own (negative) one, for the leg caches.
        self.hotels = {
            key: place if place.id is not None else _with_id(place, -1_000_000 - n)
            for n, (key, place) in enumerate(sorted((hotels or {}).items()))
        }
        blocks, snap = _blocks_as_meetings(snap, unavailable or {}, self.hotels)
        self.snap = snap
        self.legs = LegEstimator(snap)
        self.buffer = self.trip.buffer_minutes
        self.days = self.trip.days()
        self.day_start = _minutes(self.trip.day_start)
        self.day_end = _minutes(self.trip.day_end)
        # Scheduled meetings (and unavailable times) of each delegate, per day index, in order.
        self.fixed: dict[tuple[int, int], list[Meeting]] = {}
        for m in [*snap.meetings, *blocks]:
            if not occupies_time(m):
                continue
            assert m.start is not None
            index = (m.start.date() - self.trip.first_day).days
            for d in m.delegate_ids:
                self.fixed.setdefault((d, index), []).append(m)
        for day in self.fixed.values():
            day.sort(key=lambda m: (m.start, m.id or 0))
        self._need: dict[tuple[Any, ...], int] = {}
        self._worst: dict[tuple[int | None, int, str], str | None] = {}
        # Legs from requests: True, at their own rush period (the model's literals); False,
        # at the worst one they may end in that day (see arrange_model.RUSH_EXACT).
        self.rush_exact = False
        self._travel: dict[tuple[Any, ...], int] = {}
        self._items: dict[tuple[int, int], list[tuple[int, int, Meeting]]] = {}
        self.requests = [
            m for m in snap.meetings if m.start is None and m.status is not MeetingStatus.CANCELLED
        ]

    def hotel(self, delegate: int | None, index: int) -> Place | None:
        """Where ``delegate``'s day ``index`` starts and ends."""
        if delegate is not None:
            found = self.hotels.get((delegate, self.days[index]))
            if found is not None:
                return found
        return self.snap.base

    def period(self, minute: int) -> str | None:
        """The rush period of a moment on the axis (None: off-peak)."""
        return rush_period(self.axis.moment(minute))

    def _leg_minutes(
        self, first: Meeting | None, second: Meeting | None, period: str | None, hotel: Place | None
    ) -> int:
        at = _PERIOD_MOMENT[period]
        if first is None:
            assert second is not None
            leg = self.legs.into(None, second, at, origin=hotel)
        elif second is None:
            leg = self.legs.back_to_base(first, at, base=hotel)
        else:
            leg = self.legs.into(first, second, at)
        return leg.minutes if leg else 0

    def need_in(
        self,
        first: Meeting | None,
        second: Meeting | None,
        period: str | None,
        hotel: Place | None = None,
    ) -> int:
        """Travel + buffer needed between two stops (None: the hotel), as the checks count
        it, for a leg that sets off in ``period`` (see :meth:`need`)."""
        key = (_key(first), _key(second), period, _place_key(hotel) if first is None else None)
        found = self._need.get(key)
        if found is None:
            if second is None:
                found = 0
            elif first is None:
                found = self._leg_minutes(None, second, period, hotel)
            else:
                found = self._leg_minutes(first, second, period, None) + self.buffer
            self._need[key] = found
        return found

    def need(
        self, first: Meeting | None, second: Meeting | None, at: int, hotel: Place | None = None
    ) -> int:
        """:meth:`need_in` for a leg whose clock is ``at`` (a minute on the axis): the end
        of ``first``, or the start of ``second`` when ``first`` is the hotel."""
        return self.need_in(first, second, self.period(at), hotel)

    def travel_in(
        self,
        first: Meeting | None,
        second: Meeting | None,
        period: str | None,
        hotel: Place | None = None,
    ) -> int:
        if first is None and second is None:
            return 0
        key = (_key(first), _key(second), period, _place_key(hotel))
        found = self._travel.get(key)
        if found is None:
            found = self._travel[key] = self._leg_minutes(first, second, period, hotel)
        return found

    def travel(
        self, first: Meeting | None, second: Meeting | None, at: int, hotel: Place | None = None
    ) -> int:
        return self.travel_in(first, second, self.period(at), hotel)

    def names(self, delegate_ids: list[int]) -> str:
        return ", ".join(
            self.snap.delegates[d].name for d in delegate_ids if d in self.snap.delegates
        )

    def window_starts(self, m: Meeting, index: int) -> list[int]:
        """Starts on day ``index`` inside the day's hours and the host's windows."""
        base = index * DAY
        lo, hi = base + self.day_start, base + self.day_end - m.duration_minutes
        spans = [(lo, hi)]
        if m.windows:
            spans = []
            for w in m.windows:
                wlo = self.axis.minute(w.start)
                whi = self.axis.minute(w.end) - m.duration_minutes
                spans.append((max(lo, wlo), min(hi, whi)))
        out: set[int] = set()
        for a, b in spans:
            first = -(-a // STEP) * STEP
            out.update(range(first, b + 1, STEP))
        return sorted(out)

    def items(self, delegate: int, index: int) -> list[tuple[int, int, Meeting]]:
        """(start, end, meeting) of ``delegate``'s scheduled meetings on day ``index``."""
        key = (delegate, index)
        if key not in self._items:
            out = []
            for f in self.fixed.get(key, []):
                assert f.start is not None and f.end is not None
                out.append((self.axis.minute(f.start), self.axis.minute(f.end), f))
            self._items[key] = out
        return self._items[key]

    def fits(
        self,
        m: Meeting,
        start: int,
        index: int,
        items: list[tuple[int, int, Meeting]],
        travel: bool,
        delegate: int | None = None,
    ) -> bool:
        """``m`` at ``start`` is clear of ``items`` (one delegate's day, in order) and, with
        ``travel``, leaves the travel time + buffer from the stop before and to the stop
        after (from ``delegate``'s hotel when it is the first stop)."""
        end = start + m.duration_minutes
        position = bisect.bisect_right(items, start, key=lambda item: item[0])
        for fs, fe, _f in items:
            if fs < end and start < fe:
                return False
        if not travel:
            return True
        if position == 0:
            hotel = self.hotel(delegate, index)
            if start < index * DAY + self.day_start + self.leg_need(None, m, start, index, hotel):
                return False
        else:
            _ps, pe, previous = items[position - 1]
            if pe + self.leg_need(previous, m, pe, index) > start:
                return False
        if position < len(items):
            fs, _fe, following = items[position]
            if end + self.leg_need(m, following, end, index) > fs:
                return False
        return True

    def leg_need(
        self,
        first: Meeting | None,
        second: Meeting,
        at: int,
        index: int,
        hotel: Place | None = None,
    ) -> int:
        """:meth:`need` as the model counts it: a leg from a request (or from the hotel into
        one) at the worst rush period that request may end (start) in on day ``index``,
        unless ``rush_exact``; other legs at their own time."""
        if self.rush_exact:
            return self.need(first, second, at, hotel)
        if first is None:
            if second.start is None:
                return self.need_in(None, second, self.worst_period(second, index, "start"), hotel)
            return self.need(None, second, at, hotel)
        if first.start is None:
            return self.need_in(first, second, self.worst_period(first, index, "end"), hotel)
        return self.need(first, second, at, hotel)

    def worst_period(self, m: Meeting, index: int, which: str) -> str | None:
        """The rush period (if any) a request may start or end in on day ``index`` (within
        the day's hours and the host's windows) whose legs are the longest."""
        key = (m.id, index, which)
        found = self._worst.get(key, "")
        if found == "":
            shift = 0 if which == "start" else m.duration_minutes
            seen = {self.period(s + shift) for s in self.window_starts(m, index)}
            found = max(seen, key=lambda p: _RANK[p]) if seen else None
            self._worst[key] = found
        return found

    def added_travel(
        self,
        m: Meeting,
        start: int,
        items: list[tuple[int, int, Meeting]],
        index: int = 0,
        delegate: int | None = None,
    ) -> int:
        hotel = self.hotel(delegate, index)
        position = bisect.bisect_right(items, start, key=lambda item: item[0])
        previous = items[position - 1] if position else None
        following = items[position] if position < len(items) else None
        end = start + m.duration_minutes
        before = (
            self.travel(None, m, start, hotel)
            if previous is None
            else self.travel(previous[2], m, previous[1], hotel)
        )
        after = self.travel(m, following[2] if following else None, end, hotel)
        if previous is None:
            old = self.travel(None, following[2], following[0], hotel) if following else 0
        else:
            old = self.travel(previous[2], following[2] if following else None, previous[1], hotel)
        return before + after - old

    def request(self, m: Meeting) -> Request:
        tr = self.tr
        req = Request(m, m.duration_minutes, {})
        if not m.delegate_ids:
            req.reason = tr.gettext("Nobody attends it: add at least one delegate.")
            return req
        if m.duration_minutes > self.day_end - self.day_start:
            req.reason = tr.gettext(
                "It lasts {duration} min, longer than the day's hours ({start}–{end})."
            ).format(
                duration=m.duration_minutes,
                start=tr.format_time(self.trip.day_start),
                end=tr.format_time(self.trip.day_end),
            )
            return req
        windows = {i: self.window_starts(m, i) for i in range(len(self.days))}
        if not any(windows.values()):
            req.reason = tr.gettext(
                "The host's availability does not fall within the trip's days and hours."
            )
            return req
        free = {
            i: [
                s
                for s in starts
                if all(self.fits(m, s, i, self.items(d, i), False) for d in m.delegate_ids)
            ]
            for i, starts in windows.items()
        }
        names = self.names(m.delegate_ids)
        if not any(free.values()):
            req.reason = tr.ngettext(
                "{names} has no free time when the host is available.",
                "{names} have no free time together when the host is available.",
                len(m.delegate_ids),
            ).format(names=names)
            return req
        for i, starts in free.items():
            ok = [
                s
                for s in starts
                if all(self.fits(m, s, i, self.items(d, i), True, d) for d in m.delegate_ids)
            ]
            if ok:
                req.starts[i] = ok
        if not req.starts:
            req.reason = tr.ngettext(
                "{names} has no gap long enough to travel there and back between other "
                "meetings when the host is available.",
                "{names} have no gap long enough to travel there and back between their "
                "other meetings when the host is available.",
                len(m.delegate_ids),
            ).format(names=names)
        return req


def _greedy(
    problem: Problem, candidates: list[Request], repair: bool = True
) -> dict[int, tuple[int, int]]:
    """A quick feasible arrangement (meeting id -> (day index, start)): requests in order of
    priority, fewest options first, each where it adds the least travel; then a repair pass
    (:class:`_Greedy`). The solver starts from it and improves on it; it also stands if the
    solver finds nothing in time."""
    greedy = _Greedy(problem)
    order = sorted(
        candidates,
        key=lambda r: (r.meeting.priority, sum(len(v) for v in r.starts.values()), r.meeting.id),
    )
    for r in order:
        best = greedy.best(r)
        if best is not None:
            greedy.put(r, best[1], best[2])
    if repair:
        greedy.repair(order)
    return greedy.out


class _Greedy:
    """Greedy placement with its delegates' days, and a repair by one relocation: an
    unplaced request goes in where a placed one was, if that one fits somewhere else (the
    insertion-with-relocation move of vehicle-routing heuristics). Each success places one
    more request and unplaces none."""

    margin = 90  # minutes around a placed request where an unplaced one may take its place
    rounds = 2

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.days: dict[tuple[int, int], list[tuple[int, int, Meeting]]] = {}
        self.out: dict[int, tuple[int, int]] = {}

    def day(self, delegate: int, index: int) -> list[tuple[int, int, Meeting]]:
        key = (delegate, index)
        if key not in self.days:
            self.days[key] = list(self.problem.items(delegate, index))
        return self.days[key]

    def cost(self, r: Request, index: int, start: int) -> int | None:
        """The travel ``r`` adds at ``start`` on day ``index``; None where it does not fit."""
        m = r.meeting
        lanes = [(d, self.day(d, index)) for d in m.delegate_ids]
        if not all(self.problem.fits(m, start, index, lane, True, d) for d, lane in lanes):
            return None
        return sum(self.problem.added_travel(m, start, lane, index, d) for d, lane in lanes)

    def best(
        self, r: Request, only: tuple[int, int, int] | None = None
    ) -> tuple[int, int, int] | None:
        """(cost, day index, start) of the cheapest place for ``r`` (within ``only``: a day
        index and a span of starts)."""
        found: tuple[int, int, int] | None = None
        for index, starts in r.starts.items():
            if only is not None and index != only[0]:
                continue
            for start in starts:
                if only is not None and not only[1] <= start <= only[2]:
                    continue
                cost = self.cost(r, index, start)
                if cost is not None and (found is None or (cost, index, start) < found):
                    found = (cost, index, start)
        return found

    def put(self, r: Request, index: int, start: int) -> None:
        m = r.meeting
        assert m.id is not None
        self.out[m.id] = (index, start)
        for d in m.delegate_ids:
            bisect.insort(
                self.day(d, index),
                (start, start + m.duration_minutes, m),
                key=lambda item: (item[0], item[1]),
            )

    def take(self, r: Request) -> tuple[int, int]:
        m = r.meeting
        assert m.id is not None
        index, start = self.out.pop(m.id)
        for d in m.delegate_ids:
            lane = self.day(d, index)
            lane.remove(next(item for item in lane if item[2] is m))
        return index, start

    def repair(self, order: list[Request]) -> None:
        by_id = {r.meeting.id: r for r in order}
        for _ in range(self.rounds):
            moved = False
            for u in order:
                if u.meeting.id in self.out:
                    continue
                if self._relocate_one(u, by_id):
                    moved = True
            if not moved:
                return

    def _relocate_one(self, u: Request, by_id: dict[int | None, Request]) -> bool:
        mine = set(u.meeting.delegate_ids)
        for index in sorted(u.starts):
            blockers = {
                item[2].id for d in mine for item in self.day(d, index) if item[2].id in self.out
            }
            for bid in sorted(b for b in blockers if b is not None):
                b = by_id[bid]
                b_index, b_start = self.take(b)
                # Only where b was can u now fit: around b's old place.
                span = (
                    index,
                    b_start - u.duration - self.margin,
                    b_start + b.duration + self.margin,
                )
                spot = self.best(u, span)
                if spot is not None:
                    self.put(u, spot[1], spot[2])
                    again = self.best(b)
                    if again is not None:
                        self.put(b, again[1], again[2])
                        return True
                    self.take(u)
                self.put(b, b_index, b_start)
        return False


def _with_id(place: Place, place_id: int) -> Place:
    import dataclasses

    return dataclasses.replace(place, id=place_id)


def _key(m: Meeting | None) -> int | None:
    return None if m is None else m.id


def _place_key(place: Place | None) -> tuple[Any, ...] | None:
    return None if place is None else (place.id, place.lat, place.lon)


def _blocks_as_meetings(
    snap: TripSnapshot,
    unavailable: dict[int, list[Unavailable]],
    hotels: dict[tuple[int, dt.date], Place],
) -> tuple[list[Meeting], TripSnapshot]:
    """Each unavailable time as a scheduled stop of its delegate (negative ids, never
    proposed or written), at its place, or at the delegate's hotel of that day; and the
    snapshot with those places added (negative ids too) so legs to and from them count."""
    import dataclasses

    blocks: list[Meeting] = []
    places = dict(snap.places)
    next_id = -1
    for delegate, spans in sorted(unavailable.items()):
        for span in sorted(spans, key=lambda u: (u.start, u.end)):
            day = span.start.date()
            while day <= span.end.date():  # a block over midnight: one stop per day
                begin = max(span.start, dt.datetime.combine(day, dt.time()))
                end = min(span.end, dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
                place = span.place or hotels.get((delegate, day)) or snap.base
                day += dt.timedelta(days=1)
                if end <= begin:
                    continue
                place_id: int | None = None
                if place is not None:
                    place_id = next_id
                    places[place_id] = dataclasses.replace(place, id=place_id)
                blocks.append(
                    Meeting(
                        trip_id=snap.trip.id or 0,
                        title=span.label or "unavailable",
                        status=MeetingStatus.CONFIRMED,
                        place_id=place_id,
                        start=begin,
                        duration_minutes=int((end - begin).total_seconds() // 60),
                        fixed=True,
                        delegate_ids=[delegate],
                        id=next_id,
                    )
                )
                next_id -= 1
    if not blocks:
        return blocks, snap
    return blocks, dataclasses.replace(snap, places=places)
