"""The CP-SAT model of auto-arrange (see :mod:`visitplanner.planning.arrange`): the trip's
days on one time axis, each request's possible starts, a greedy first arrangement, and the
solver run (OR-Tools, imported only when arranging) with its per-delegate, per-day circuits.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from visitplanner.errors import Cancelled
from visitplanner.geo.travel import rush_period
from visitplanner.i18n import Translator
from visitplanner.model import Meeting, MeetingStatus, Place
from visitplanner.planning.dayplan import LegEstimator, occupies_time
from visitplanner.planning.snapshot import TripSnapshot

Progress = Callable[[float, str], None]

STEP = 5  # minutes: starts are multiples of this
DAY = 1440
_ANSWER_SECONDS = 0.15  # reading the solution and totalling the travel


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
            if start < index * DAY + self.day_start + self.need(None, m, start, hotel):
                return False
        else:
            _ps, pe, previous = items[position - 1]
            if pe + self.need(previous, m, pe) > start:
                return False
        if position < len(items):
            fs, _fe, following = items[position]
            if end + self.need(m, following, end) > fs:
                return False
        return True

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


def _greedy(problem: Problem, candidates: list[Request]) -> dict[int, tuple[int, int]]:
    """A quick feasible arrangement (meeting id -> (day index, start)): requests in order of
    priority, fewest options first, each where it adds the least travel. The solver starts
    from it and improves on it; it also stands if the solver finds nothing in time."""
    days: dict[tuple[int, int], list[tuple[int, int, Meeting]]] = {}

    def day(delegate: int, index: int) -> list[tuple[int, int, Meeting]]:
        if (delegate, index) not in days:
            days[(delegate, index)] = list(problem.items(delegate, index))
        return days[(delegate, index)]

    out: dict[int, tuple[int, int]] = {}
    order = sorted(
        candidates,
        key=lambda r: (r.meeting.priority, sum(len(v) for v in r.starts.values()), r.meeting.id),
    )
    for r in order:
        m = r.meeting
        best: tuple[int, int, int] | None = None
        for index, starts in r.starts.items():
            for start in starts:
                lanes = [(d, day(d, index)) for d in m.delegate_ids]
                if not all(problem.fits(m, start, index, lane, True, d) for d, lane in lanes):
                    continue
                cost = sum(problem.added_travel(m, start, lane, index, d) for d, lane in lanes)
                if best is None or (cost, index, start) < best:
                    best = (cost, index, start)
        if best is None:
            continue
        _cost, index, start = best
        assert m.id is not None
        out[m.id] = (index, start)
        for d in m.delegate_ids:
            bisect.insort(
                day(d, index),
                (start, start + m.duration_minutes, m),
                key=lambda item: (item[0], item[1]),
            )
    return out


def _weights(requests: list[Request]) -> dict[int, int]:
    """Priority -> weight, so that one request of a priority outweighs all lower ones."""
    priorities = sorted({r.meeting.priority for r in requests}, reverse=True)  # low first
    weights: dict[int, int] = {}
    below = 0
    for p in priorities:
        weights[p] = below + 1
        below += weights[p] * sum(1 for r in requests if r.meeting.priority == p)
    return weights


def solve(
    problem: Problem,
    candidates: list[Request],
    deadline: float,
    report: Progress,
    workers: int,
    seed: int,
) -> tuple[dict[int, int], bool]:
    """Meeting id -> start minute of the placed requests, and whether that is optimal."""
    from ortools.sat.python import cp_model

    greedy = _greedy(problem, candidates)
    model = cp_model.CpModel()
    weights = _weights(candidates)
    start: dict[int, Any] = {}
    present: dict[tuple[int, int], Any] = {}  # (meeting id, day index) -> literal
    placed: dict[int, Any] = {}
    # (meeting id, "start"/"end", rush period) -> true when the request starts/ends in it
    rush: dict[tuple[int, str, str], Any] = {}
    for r in candidates:
        mid = r.meeting.id
        assert mid is not None
        values = sorted({s // STEP for starts in r.starts.values() for s in starts})
        start[mid] = model.new_int_var_from_domain(cp_model.Domain.from_values(values), f"s{mid}")
        placed[mid] = model.new_bool_var(f"p{mid}")
        day_literals = []
        for index, starts in r.starts.items():
            lit = model.new_bool_var(f"x{mid}_{index}")
            present[(mid, index)] = lit
            day_literals.append(lit)
            model.add_linear_expression_in_domain(
                start[mid], cp_model.Domain.from_values([s // STEP for s in starts])
            ).only_enforce_if(lit)
        model.add(sum(day_literals) == placed[mid])
        hint = greedy.get(mid)
        all_starts = [v * STEP for v in values]
        for period in PERIODS:
            for which, shift in (("start", 0), ("end", r.duration)):
                inside = [s for s in all_starts if problem.period(s + shift) == period]
                if not inside:
                    continue
                lit = model.new_bool_var(f"r{mid}{which}{period}")
                rush[(mid, which, period)] = lit
                outside = [s // STEP for s in all_starts if s not in set(inside)]
                if outside:
                    model.add_linear_expression_in_domain(
                        start[mid], cp_model.Domain.from_values(outside)
                    ).only_enforce_if(lit.Not())
                else:
                    model.add(lit == 1)
                hinted = hint[1] if hint else min(values) * STEP
                model.add_hint(lit, problem.period(hinted + shift) == period)
        model.add_hint(placed[mid], hint is not None)
        model.add_hint(start[mid], (hint[1] if hint else min(values) * STEP) // STEP)
        for index in r.starts:
            model.add_hint(present[(mid, index)], hint is not None and hint[0] == index)

    travel_terms: list[Any] = []
    travel_bound = 0
    delegates = sorted({d for r in candidates for d in r.meeting.delegate_ids})
    for d in delegates:
        for index in range(len(problem.days)):
            options = [
                r
                for r in candidates
                if (r.meeting.id, index) in present and d in r.meeting.delegate_ids
            ]
            if not options:
                continue
            fixed = problem.fixed.get((d, index), [])
            bound, nodes, arcs = _circuit(
                model, problem, d, index, fixed, options, start, present, rush, travel_terms
            )
            travel_bound += bound
            _hint_route(model, problem, nodes, arcs, index, greedy)

    big = travel_bound + 1
    model.maximize(
        big * sum(weights[r.meeting.priority] * placed[r.meeting.id or 0] for r in candidates)
        - sum(travel_terms)
    )
    solver = cp_model.CpSolver()
    # What is left of the caller's budget, less a little for reading the answer back.
    time_limit = max(0.3, deadline - time.perf_counter() - _ANSWER_SECONDS)
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status_box: list[Any] = []

    def work() -> None:
        status_box.append(solver.solve(model))

    thread = threading.Thread(target=work, name="arrange", daemon=True)
    began = time.perf_counter()
    thread.start()
    tr = problem.tr
    try:
        while thread.is_alive():
            thread.join(0.1)
            elapsed = time.perf_counter() - began
            report(
                min(0.99, 0.05 + 0.94 * elapsed / max(time_limit, 0.1)),
                tr.gettext("Looking for the best arrangement…"),
            )
    except Cancelled:
        solver.stop_search()
        thread.join()
        raise
    status = status_box[0] if status_box else cp_model.UNKNOWN
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {mid: start for mid, (_index, start) in greedy.items()}, False
    out = {
        mid: int(solver.value(start[mid])) * STEP
        for mid in start
        if solver.boolean_value(placed[mid])
    }
    return out, status == cp_model.OPTIMAL


def _circuit(
    model: Any,
    problem: Problem,
    delegate: int,
    index: int,
    fixed: list[Meeting],
    options: list[Request],
    start: dict[int, Any],
    present: dict[tuple[int, int], Any],
    rush: dict[tuple[int, str, str], Any],
    travel_terms: list[Any],
) -> tuple[int, list[Meeting | None], list[tuple[int, int, Any]]]:
    """The route of one delegate on one day; returns an upper bound of its travel.

    A leg's minutes depend on its clock (rush hours): a leg from a scheduled stop or into
    the first scheduled stop is timed exactly; a leg from a request (or from the hotel into
    one) has its midday need always, and its rush need when the request ends (starts) in that
    rush period. The travel in the objective is the midday one for those legs."""
    axis = problem.axis
    hotel = problem.hotel(delegate, index)
    nodes: list[Meeting | None] = [None, *fixed, *(r.meeting for r in options)]
    n_fixed = len(fixed)
    arcs: list[tuple[int, int, Any]] = []
    extras: dict[tuple[int, str], Any] = {}  # (request id, "start"/"end") -> rush minutes
    biggest = 0
    day_start = index * DAY + problem.day_start
    for i, a in enumerate(nodes):
        for j, b in enumerate(nodes):
            if i == j:
                continue
            a_fixed = 0 < i <= n_fixed
            b_fixed = 0 < j <= n_fixed
            if a_fixed and b_fixed and j != i + 1:
                continue  # scheduled meetings keep their order
            if i == 0 and b_fixed and j != 1:
                continue
            if a_fixed and j == 0 and i != n_fixed:
                continue
            lit = model.new_bool_var("")
            arcs.append((i, j, lit))
            if a_fixed:
                assert a is not None and a.end is not None
                minutes = problem.travel(a, b, axis.minute(a.end), hotel)
            elif a is None and b_fixed:
                assert b is not None and b.start is not None
                minutes = problem.travel(None, b, axis.minute(b.start), hotel)
            else:
                minutes = problem.travel_in(a, b, None, hotel)
            biggest = max(biggest, minutes)
            if minutes:
                travel_terms.append(minutes * lit)
            if a_fixed and b_fixed:
                continue
            # A request's leg in a rush period: its extra minutes, when this arc is used.
            timed = None if a_fixed or (i == 0 and b_fixed) else (b if i == 0 else a)
            if timed is not None:
                assert timed.id is not None
                which = "start" if i == 0 else "end"
                for period, condition in _periods(rush, timed.id, which):
                    if period is None:
                        continue
                    extra = problem.travel_in(a, b, period, hotel) - minutes
                    if extra <= 0:
                        continue
                    var = extras.get((timed.id, which))
                    if var is None:
                        var = extras[(timed.id, which)] = model.new_int_var(0, 10_000, "")
                        travel_terms.append(var)
                    model.add(var >= extra).only_enforce_if([lit, *condition])
                    biggest = max(biggest, minutes + extra)
            if i == 0 and b is not None and not b_fixed:  # hotel -> request
                assert b.id is not None
                for period, condition in _periods(rush, b.id, "start"):
                    need = problem.need_in(None, b, period, hotel)
                    if need or period is None:
                        model.add(STEP * start[b.id] >= day_start + need).only_enforce_if(
                            [lit, *condition]
                        )
            elif a is not None and b is not None:
                if a_fixed:
                    assert a.end is not None and b.id is not None
                    end = axis.minute(a.end)
                    need = problem.need(a, b, end)
                    model.add(STEP * start[b.id] >= end + need).only_enforce_if(lit)
                    continue
                assert a.id is not None
                base = problem.need_in(a, b, None)
                for period, condition in _periods(rush, a.id, "end"):
                    need = problem.need_in(a, b, period)
                    if period is not None and need <= base:
                        continue
                    if b_fixed:
                        assert b.start is not None
                        model.add(
                            STEP * start[a.id] + a.duration_minutes + need <= axis.minute(b.start)
                        ).only_enforce_if([lit, *condition])
                    else:
                        assert b.id is not None
                        model.add(
                            STEP * start[b.id] >= STEP * start[a.id] + a.duration_minutes + need
                        ).only_enforce_if([lit, *condition])
    for k, r in enumerate(options, start=n_fixed + 1):
        assert r.meeting.id is not None
        arcs.append((k, k, present[(r.meeting.id, index)].Not()))
    if not fixed:
        # An empty day: the hotel is skipped when no request goes on it.
        arcs.append(
            (
                0,
                0,
                sum_lits_none(
                    model,
                    [present[(r.meeting.id, index)] for r in options if r.meeting.id is not None],
                ),
            )
        )
    model.add_circuit(arcs)
    return biggest * len(nodes), nodes, arcs


def _periods(
    rush: dict[tuple[int, str, str], Any], mid: int, which: str
) -> list[tuple[str | None, list[Any]]]:
    """(period, enforcement literals): midday always, each rush period the request may
    start or end in when its literal is true."""
    out: list[tuple[str | None, list[Any]]] = [(None, [])]
    for period in PERIODS:
        lit = rush.get((mid, which, period))
        if lit is not None:
            out.append((period, [lit]))
    return out


def _hint_route(
    model: Any,
    problem: Problem,
    nodes: list[Meeting | None],
    arcs: list[tuple[int, int, Any]],
    index: int,
    greedy: dict[int, tuple[int, int]],
) -> None:
    """Hint the circuit's arcs with the greedy route of this delegate's day."""
    visited: list[tuple[int, int]] = []  # (start minute, node)
    for k, m in enumerate(nodes):
        if m is None:
            continue
        if m.start is not None:
            visited.append((problem.axis.minute(m.start), k))
        elif m.id in greedy and greedy[m.id][0] == index:
            visited.append((greedy[m.id][1], k))
    route = [0] + [k for _start, k in sorted(visited)]
    used = set()
    if len(route) > 1:
        used = {(a, b) for a, b in zip(route, [*route[1:], 0], strict=True)}
    for i, j, lit in arcs:
        if i != j:
            model.add_hint(lit, (i, j) in used)
        elif i == 0:  # the hotel's own loop: an empty day (a request's loop is its presence)
            model.add_hint(lit, len(route) == 1)


def sum_lits_none(model: Any, literals: list[Any]) -> Any:
    """A literal true exactly when none of ``literals`` is."""
    empty = model.new_bool_var("")
    model.add_bool_or(literals).only_enforce_if(empty.Not())
    for lit in literals:
        model.add_implication(lit, empty.Not())
    return empty


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
