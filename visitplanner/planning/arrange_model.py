"""The CP-SAT model of auto-arrange (see :mod:`visitplanner.planning.arrange`): the solver
run (OR-Tools, imported only when arranging) with its per-delegate, per-day circuits, warm
started from the greedy arrangement of :mod:`visitplanner.planning.arrange_problem`.

A delegate's unavailable times and hotel per night are given to :class:`Problem`
(``unavailable=``, ``hotels=``; :class:`Unavailable`), re-exported here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from visitplanner.errors import Cancelled
from visitplanner.model import Meeting
from visitplanner.planning.arrange_problem import (
    DAY,
    PERIODS,
    STEP,
    Problem,
    Request,
    Unavailable,
    _greedy,
)

__all__ = ["DAY", "STEP", "Problem", "Request", "Unavailable", "solve"]

Progress = Callable[[float, str], None]

_ANSWER_SECONDS = 0.15  # reading the solution and totalling the travel
EXTRA_PARAMETERS: dict[str, Any] = {}  # CP-SAT parameters set on every solve (experiments)
MISSION_SCALE = 80  # requests to place from which the search is neighbourhoods only
# True: a leg from a request has its rush-hour need only when the request ends in that rush
# (literals per request and period). False: the worst need over the periods the request
# can end in that day, a constant per arc (never infeasible for the checks, a smaller model).
RUSH_EXACT = False


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

    # At mission scale the greedy start also repairs itself (one relocation per unplaced
    # request): the search then starts from more placed requests. Below it, the complete
    # search places them anyway and the repairs' longer routes only cost it time.
    mission = len(candidates) >= MISSION_SCALE
    greedy = _greedy(problem, candidates, repair=mission)
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
        for period in PERIODS if RUSH_EXACT else ():
            for which, shift in (("start", 0), ("end", r.duration)):
                inside = {s for s in all_starts if problem.period(s + shift) == period}
                if not inside:
                    continue
                lit = model.new_bool_var(f"r{mid}{which}{period}")
                rush[(mid, which, period)] = lit
                outside = [s // STEP for s in all_starts if s not in inside]
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
            bound, nodes, arcs, rows = _circuit(
                model, problem, d, index, fixed, options, start, present, rush, travel_terms
            )
            travel_bound += bound
            _hint_route(model, problem, nodes, arcs, index, greedy, rows)

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
    if mission:
        # At mission scale a complete search cannot close the gap in seconds; every core
        # goes to large-neighbourhood search from the greedy start (measured on the
        # 16 x 120 bench instance: 112-113 placed in 10 s where the default portfolio
        # placed 107-109, against 113 in 120 s).
        solver.parameters.use_lns_only = True
    for name, value in EXTRA_PARAMETERS.items():  # experiments and the bench
        setattr(solver.parameters, name, value)
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
) -> tuple[int, list[Meeting | None], list[tuple[int, int, Any]], list[_ExtraRow]]:
    """The route of one delegate on one day; returns an upper bound of its travel, its
    nodes, its arcs and its rush-hour rows (for the hints).

    A leg's minutes depend on its clock (rush hours): a leg from a scheduled stop or into
    the first scheduled stop is timed exactly. A leg from a request (or from the hotel into
    one) needs, by default, its worst need over the rush periods the request may end (start)
    in that day: a constant per arc, safe for the travel check, and a model as small as
    without rush hours (measured on the 40 x 4 instance under load: 39 placed in 4 s in
    each run, where literals per request and period placed 36-39). With ``RUSH_EXACT``, it
    needs its midday minutes, and its rush need when the request's literal says it ends
    (starts) in that period. The objective counts such legs' midday minutes (plus, with
    ``RUSH_EXACT``, their rush minutes)."""
    axis = problem.axis
    hotel = problem.hotel(delegate, index)
    nodes: list[Meeting | None] = [None, *fixed, *(r.meeting for r in options)]
    n_fixed = len(fixed)
    # Each node's earliest start and latest start this day (scheduled stops: their own).
    bounds: list[tuple[int, int]] = [(0, 0)]
    for f in fixed:
        assert f.start is not None
        bounds.append((axis.minute(f.start), axis.minute(f.start)))
    for r in options:
        starts = r.starts[index]
        bounds.append((starts[0], starts[-1]))
    # Without rush literals: the period of each request's start and end that day that
    # makes its legs longest (evening over morning over midday; the factors say so).
    worst: dict[tuple[int, str], str | None] = {}
    if not RUSH_EXACT:
        for r in options:
            assert r.meeting.id is not None
            for which in ("start", "end"):
                worst[(r.meeting.id, which)] = problem.worst_period(r.meeting, index, which)
    first_fixed = fixed[0] if fixed else None
    last_fixed = fixed[-1] if fixed else None
    arcs: list[tuple[int, int, Any]] = []
    extras: dict[tuple[int, str], Any] = {}  # (request id, "start"/"end") -> rush minutes
    rows: list[_ExtraRow] = []
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
            if not _may_follow(problem, nodes, bounds, i, j, first_fixed, last_fixed):
                continue  # no start of either lets b come right after a: no arc
            lit = model.new_bool_var("")
            arcs.append((i, j, lit))
            if a_fixed:
                assert a is not None and a.end is not None
                minutes = problem.travel(a, b, axis.minute(a.end), hotel)
            elif a is None and b_fixed:
                assert b is not None and b.start is not None
                minutes = problem.travel(None, b, axis.minute(b.start), hotel)
            else:  # a request's leg: its midday minutes (RUSH_EXACT adds the rush's below)
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
                for period, condition in _periods(rush, timed.id, which, worst):
                    if period is None or not RUSH_EXACT:
                        continue
                    extra = problem.travel_in(a, b, period, hotel) - minutes
                    if extra <= 0:
                        continue
                    var = extras.get((timed.id, which))
                    if var is None:
                        var = extras[(timed.id, which)] = model.new_int_var(0, 10_000, "")
                        travel_terms.append(var)
                    model.add(var >= extra).only_enforce_if([lit, *condition])
                    rows.append(_ExtraRow(var, i, j, timed, which, period, extra))
                    biggest = max(biggest, minutes + extra)
            if i == 0 and b is not None and not b_fixed:  # hotel -> request
                assert b.id is not None
                for period, condition in _periods(rush, b.id, "start", worst):
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
                for period, condition in _periods(rush, a.id, "end", worst):
                    need = problem.need_in(a, b, period)
                    if period is not None and need <= base and RUSH_EXACT:
                        continue
                    need = max(need, base)
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
    return biggest * len(nodes), nodes, arcs, rows


def _may_follow(
    problem: Problem,
    nodes: list[Meeting | None],
    bounds: list[tuple[int, int]],
    i: int,
    j: int,
    first_fixed: Meeting | None,
    last_fixed: Meeting | None,
) -> bool:
    """Whether stop ``j`` may come right after stop ``i`` (0: the hotel) for some starts of
    theirs: tighter bounds than the solver's presolve finds alone, and a smaller model.
    Midday needs are the least a leg needs, so this never cuts a feasible route."""
    a, b = nodes[i], nodes[j]
    if a is None:
        # From the hotel: b is the first stop, before the first scheduled one.
        assert b is not None
        if first_fixed is None or b is first_fixed:
            return True
        assert first_fixed.start is not None
        end = bounds[j][0] + b.duration_minutes
        return end + problem.need_in(b, first_fixed, None) <= problem.axis.minute(first_fixed.start)
    if b is None:
        # Back to the hotel: a is the last stop, after the last scheduled one.
        if last_fixed is None or a is last_fixed:
            return True
        assert last_fixed.end is not None
        end = problem.axis.minute(last_fixed.end)
        return end + problem.need_in(last_fixed, a, None) <= bounds[i][1]
    return bounds[i][0] + a.duration_minutes + problem.need_in(a, b, None) <= bounds[j][1]


def _periods(
    rush: dict[tuple[int, str, str], Any],
    mid: int,
    which: str,
    worst: dict[tuple[int, str], str | None] | None = None,
) -> list[tuple[str | None, list[Any]]]:
    """(period, enforcement literals): midday always, each rush period the request may
    start or end in when its literal is true; without literals (``RUSH_EXACT`` off), the
    worst period it may start or end in that day, unconditionally."""
    if not RUSH_EXACT:
        return [((worst or {}).get((mid, which)), [])]
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
    rows: list[_ExtraRow],
) -> None:
    """Hint the circuit's arcs, and its rush-hour minutes, with the greedy route of this
    delegate's day (a complete hint: the solver's first solution is the greedy one)."""
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
    values: dict[int, tuple[Any, int]] = {}
    for row in rows:
        value = values.setdefault(id(row.var), (row.var, 0))[1]
        placed = greedy.get(row.timed.id or 0)
        if (row.i, row.j) in used and placed is not None:
            shift = 0 if row.which == "start" else row.timed.duration_minutes
            if problem.period(placed[1] + shift) == row.period:
                value = max(value, row.extra)
        values[id(row.var)] = (row.var, value)
    for var, value in values.values():
        model.add_hint(var, value)


@dataclass(frozen=True)
class _ExtraRow:
    """``var >= extra`` when arc (i, j) is used and ``timed`` starts/ends in ``period``."""

    var: Any
    i: int
    j: int
    timed: Meeting
    which: str
    period: str
    extra: int


def sum_lits_none(model: Any, literals: list[Any]) -> Any:
    """A literal true exactly when none of ``literals`` is."""
    empty = model.new_bool_var("")
    model.add_bool_or(literals).only_enforce_if(empty.Not())
    for lit in literals:
        model.add_implication(lit, empty.Not())
    return empty
