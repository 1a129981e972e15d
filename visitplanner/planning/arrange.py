"""Auto-arrange: place the trip's requests (unscheduled meetings) around its scheduled ones.

A CP-SAT model (OR-Tools, imported only here, when arranging). For each delegate and day, a
circuit runs from the hotel through that delegate's scheduled meetings of the day (in their
order) and the requests that may go on that day; an arc i -> j means j is i's next stop, and
then j starts no earlier than i's end + the travel estimate + the trip's buffer, exactly the
rule of the travel check. Each request's start is a multiple of 5 minutes, within the trip's
days and day hours and the host's windows, and clear of its attendees' scheduled meetings.
The objective places as many requests as possible, higher priority first (lexicographic
weights), then minimizes the total travel of every delegate's day, hotel legs included.

The result is an :class:`Arrangement`, a proposal: this module only solves and writes
nothing; accepting it is the operation :class:`visitplanner.edits.AcceptArrangement`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from visitplanner.errors import Cancelled
from visitplanner.i18n import Translator, current
from visitplanner.library import Library
from visitplanner.model import Meeting, MeetingStatus
from visitplanner.planning.dayplan import LegEstimator, all_day_plans, occupies_time
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot

Progress = Callable[[float, str], None]

STEP = 5  # minutes: starts are multiples of this
DAY = 1440
DEFAULT_TIME_LIMIT = 4.0
_ANSWER_SECONDS = 0.15  # reading the solution and totalling the travel


@dataclass(frozen=True)
class Placement:
    meeting_id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    delegate_ids: tuple[int, ...]
    previous_status: MeetingStatus


@dataclass(frozen=True)
class Unplaced:
    meeting_id: int
    title: str
    reason: str


@dataclass
class Arrangement:
    """A proposal: where each request would go, and why the others could not."""

    trip_id: int
    placed: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    travel_minutes: int = 0  # every delegate's days, hotel legs included, once placed
    optimal: bool = False  # proven best for the model (else: best found in the time limit)
    solve_seconds: float = 0.0


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


@dataclass
class _Request:
    meeting: Meeting
    duration: int
    starts: dict[int, list[int]]  # day index -> feasible starts (minutes on the axis)
    reason: str | None = None


class _Problem:
    """What the model needs, computed without OR-Tools (and reused to explain refusals)."""

    def __init__(self, snap: TripSnapshot, tr: Translator) -> None:
        self.snap = snap
        self.tr = tr
        self.trip = snap.trip
        self.axis = _Axis(self.trip.first_day)
        self.legs = LegEstimator(snap)
        self.buffer = self.trip.buffer_minutes
        self.days = self.trip.days()
        self.day_start = _minutes(self.trip.day_start)
        self.day_end = _minutes(self.trip.day_end)
        # Scheduled meetings of each delegate, per day index, in order.
        self.fixed: dict[tuple[int, int], list[Meeting]] = {}
        for m in snap.meetings:
            if not occupies_time(m):
                continue
            assert m.start is not None
            index = (m.start.date() - self.trip.first_day).days
            for d in m.delegate_ids:
                self.fixed.setdefault((d, index), []).append(m)
        for day in self.fixed.values():
            day.sort(key=lambda m: (m.start, m.id or 0))
        self._need: dict[tuple[int | None, int | None], int] = {}
        self._items: dict[tuple[int, int], list[tuple[int, int, Meeting]]] = {}
        self.requests = [
            m for m in snap.meetings if m.start is None and m.status is not MeetingStatus.CANCELLED
        ]

    # Travel + buffer needed between two stops (None: the hotel), as the checks count it.
    def need(self, first: Meeting | None, second: Meeting | None) -> int:
        key = (first.id if first else None, second.id if second else None)
        found = self._need.get(key)
        if found is None:
            found = self._need[key] = self._compute_need(first, second)
        return found

    def _compute_need(self, first: Meeting | None, second: Meeting | None) -> int:
        if first is None:
            assert second is not None
            leg = self.legs.into(None, second)
            return leg.minutes if leg else 0
        if second is None:
            return 0
        leg = self.legs.into(first, second)
        return (leg.minutes if leg else 0) + self.buffer

    def travel(self, first: Meeting | None, second: Meeting | None) -> int:
        if first is None and second is None:
            return 0
        if first is None:
            assert second is not None
            leg = self.legs.into(None, second)
        elif second is None:
            leg = self.legs.back_to_base(first)
        else:
            leg = self.legs.into(first, second)
        return leg.minutes if leg else 0

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
    ) -> bool:
        """``m`` at ``start`` is clear of ``items`` (one delegate's day, in order) and, with
        ``travel``, leaves the travel time + buffer from the stop before and to the stop
        after (from the hotel when it is the first stop)."""
        end = start + m.duration_minutes
        position = bisect.bisect_right(items, start, key=lambda item: item[0])
        for fs, fe, _f in items:
            if fs < end and start < fe:
                return False
        if not travel:
            return True
        if position == 0:
            if start < index * DAY + self.day_start + self.need(None, m):
                return False
        else:
            _ps, pe, previous = items[position - 1]
            if pe + self.need(previous, m) > start:
                return False
        if position < len(items):
            fs, _fe, following = items[position]
            if end + self.need(m, following) > fs:
                return False
        return True

    def added_travel(self, m: Meeting, start: int, items: list[tuple[int, int, Meeting]]) -> int:
        position = bisect.bisect_right(items, start, key=lambda item: item[0])
        previous = items[position - 1][2] if position else None
        following = items[position][2] if position < len(items) else None
        return (
            self.travel(previous, m) + self.travel(m, following) - self.travel(previous, following)
        )

    def request(self, m: Meeting) -> _Request:
        tr = self.tr
        req = _Request(m, m.duration_minutes, {})
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
                if all(self.fits(m, s, i, self.items(d, i), True) for d in m.delegate_ids)
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


def _greedy(problem: _Problem, candidates: list[_Request]) -> dict[int, tuple[int, int]]:
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
                lanes = [day(d, index) for d in m.delegate_ids]
                if not all(problem.fits(m, start, index, lane, True) for lane in lanes):
                    continue
                cost = sum(problem.added_travel(m, start, lane) for lane in lanes)
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


def _weights(requests: list[_Request]) -> dict[int, int]:
    """Priority -> weight, so that one request of a priority outweighs all lower ones."""
    priorities = sorted({r.meeting.priority for r in requests}, reverse=True)  # low first
    weights: dict[int, int] = {}
    below = 0
    for p in priorities:
        weights[p] = below + 1
        below += weights[p] * sum(1 for r in requests if r.meeting.priority == p)
    return weights


def arrange(
    snap: TripSnapshot,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    progress: Progress | None = None,
    tr: Translator | None = None,
    workers: int = 4,
    seed: int = 0,
) -> Arrangement:
    """Propose starts for the trip's requests; writes nothing.

    ``time_limit`` bounds the whole call in seconds: loading the solver (a large library,
    imported on first use) and building the model count against it, so the user waits
    what they asked for. ``progress(fraction, text)`` is called a few times a second and may raise
    :class:`Cancelled`, which stops the search and propagates.
    """
    tr = tr or current()
    assert snap.trip.id is not None
    started = time.perf_counter()
    report = progress or (lambda _fraction, _text: None)
    report(0.0, tr.gettext("Preparing the requests…"))
    problem = _Problem(snap, tr)
    requests = [problem.request(m) for m in problem.requests]
    candidates = [r for r in requests if r.starts]
    result = Arrangement(snap.trip.id)
    solved: dict[int, int] = {}
    if candidates:
        deadline = started + time_limit
        solved, result.optimal = _solve(problem, candidates, deadline, report, workers, seed)
    else:
        result.optimal = True
    for r in requests:
        m = r.meeting
        assert m.id is not None
        if m.id in solved:
            start = problem.axis.moment(solved[m.id])
            result.placed.append(
                Placement(
                    m.id,
                    m.title,
                    start,
                    start + dt.timedelta(minutes=m.duration_minutes),
                    tuple(m.delegate_ids),
                    m.status,
                )
            )
        else:
            result.unplaced.append(
                Unplaced(m.id, m.title, r.reason or _crowded(problem, r, result))
            )
    result.placed.sort(key=lambda p: (p.start, p.meeting_id))
    result.travel_minutes = total_travel(proposed_snapshot(snap, result))
    result.solve_seconds = time.perf_counter() - started
    report(1.0, tr.gettext("Done."))
    return result


def _crowded(problem: _Problem, r: _Request, result: Arrangement) -> str:
    names = problem.names(r.meeting.delegate_ids)
    if result.optimal:
        return problem.tr.gettext(
            "It fits on its own, but the free time of {names} went to other requests of "
            "higher or equal priority."
        ).format(names=names)
    return problem.tr.gettext(
        "No slot was found for it within the time limit (the free time of {names} went to "
        "other requests); a longer time limit may place it."
    ).format(names=names)


def _solve(
    problem: _Problem,
    candidates: list[_Request],
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
                model, problem, d, index, fixed, options, start, present, travel_terms
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
    problem: _Problem,
    delegate: int,
    index: int,
    fixed: list[Meeting],
    options: list[_Request],
    start: dict[int, Any],
    present: dict[tuple[int, int], Any],
    travel_terms: list[Any],
) -> tuple[int, list[Meeting | None], list[tuple[int, int, Any]]]:
    """The route of one delegate on one day; returns an upper bound of its travel."""
    axis = problem.axis
    nodes: list[Meeting | None] = [None, *fixed, *(r.meeting for r in options)]
    n_fixed = len(fixed)
    arcs: list[tuple[int, int, Any]] = []
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
            minutes = problem.travel(a, b)
            biggest = max(biggest, minutes)
            if minutes:
                travel_terms.append(minutes * lit)
            if a_fixed and b_fixed:
                continue
            if i == 0 and b is not None and not b_fixed:  # hotel -> request
                assert b.id is not None
                model.add(STEP * start[b.id] >= day_start + problem.need(None, b)).only_enforce_if(
                    lit
                )
            elif a is not None and b is not None:
                need = problem.need(a, b)
                if a_fixed:
                    assert a.end is not None and b.id is not None
                    model.add(STEP * start[b.id] >= axis.minute(a.end) + need).only_enforce_if(lit)
                elif b_fixed:
                    assert b.start is not None and a.id is not None
                    model.add(
                        STEP * start[a.id] + a.duration_minutes + need <= axis.minute(b.start)
                    ).only_enforce_if(lit)
                else:
                    assert a.id is not None and b.id is not None
                    model.add(
                        STEP * start[b.id] >= STEP * start[a.id] + a.duration_minutes + need
                    ).only_enforce_if(lit)
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


def _hint_route(
    model: Any,
    problem: _Problem,
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


# -- results ------------------------------------------------------------------------------


def proposed_snapshot(snap: TripSnapshot, arrangement: Arrangement) -> TripSnapshot:
    """``snap`` as it would be with ``arrangement`` applied (for checks and the timeline)."""
    placed = {p.meeting_id: p for p in arrangement.placed}
    meetings = [
        replace(m, start=placed[m.id].start, status=MeetingStatus.PROPOSED) if m.id in placed else m
        for m in snap.meetings
    ]
    return replace(snap, meetings=meetings)


def total_travel(snap: TripSnapshot) -> int:
    """Minutes of travel of every delegate's day, from and back to the hotel."""
    estimator = LegEstimator(snap)
    return sum(
        p.travel_minutes
        for p in all_day_plans(snap, with_base=True, estimator=estimator)
        if p.delegate_id is not None
    )


def arrange_trip(
    lib: Library,
    trip_id: int,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    progress: Progress | None = None,
) -> Arrangement:
    return arrange(load_snapshot(lib, trip_id), time_limit=time_limit, progress=progress)
