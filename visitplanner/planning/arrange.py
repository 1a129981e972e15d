"""Auto-arrange: place the trip's requests (unscheduled meetings) around its scheduled ones.

A CP-SAT model (OR-Tools, imported only here, when arranging). For each delegate and day, a
circuit runs from the hotel through that delegate's scheduled meetings of the day (in their
order) and the requests that may go on that day; an arc i -> j means j is i's next stop, and
then j starts no earlier than i's end + the travel estimate + the trip's buffer, exactly the
rule of the travel check. Each request's start is a multiple of 5 minutes, within the trip's
days and day hours and the host's windows, and clear of its attendees' scheduled meetings.
The objective places as many requests as possible, higher priority first (lexicographic
weights), then minimizes the total travel of every delegate's day, hotel legs included.

The model and the solver run live in :mod:`visitplanner.planning.arrange_model`; this
module turns their answer into an :class:`Arrangement`, a proposal: it writes nothing;
accepting it is the operation :class:`visitplanner.edits.AcceptArrangement`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from visitplanner.i18n import Translator, current
from visitplanner.model import MeetingStatus, Place
from visitplanner.planning import arrange_mission, arrange_model
from visitplanner.planning.arrange_model import Problem, Request, Unavailable, solve
from visitplanner.planning.dayplan import LegEstimator, all_day_plans
from visitplanner.planning.snapshot import TripSnapshot

Progress = Callable[[float, str], None]

DEFAULT_TIME_LIMIT = 4.0


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


def arrange(
    snap: TripSnapshot,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    progress: Progress | None = None,
    tr: Translator | None = None,
    workers: int = 4,
    seed: int = 0,
    unavailable: dict[int, list[Unavailable]] | None = None,
    hotels: dict[tuple[int, dt.date], Place] | None = None,
) -> Arrangement:
    """Propose starts for the trip's requests; writes nothing.

    ``time_limit`` bounds the whole call in seconds: loading the solver (a large library,
    imported on first use) and building the model count against it, so the user waits
    what they asked for. ``progress(fraction, text)`` is called a few times a second and may raise
    :class:`Cancelled`, which stops the search and propagates.

    ``unavailable`` (per delegate id: times they cannot meet, with where they are then) and
    ``hotels`` (per delegate id and date: where their day starts and ends) are honoured with
    their travel; see :class:`~visitplanner.planning.arrange_model.Unavailable`. Left out,
    they come from the mission model (:mod:`visitplanner.planning.arrange_mission`): each
    delegate's arrival, departure and busy blocks, and their hotel of each night.
    """
    tr = tr or current()
    assert snap.trip.id is not None
    started = time.perf_counter()
    report = progress or (lambda _fraction, _text: None)
    report(0.0, tr.gettext("Preparing the requests…"))
    if unavailable is None:
        unavailable = arrange_mission.unavailable_times(snap)
    if hotels is None:
        hotels = arrange_mission.day_hotels(snap)
    problem = Problem(snap, tr, unavailable=unavailable, hotels=hotels)
    problem.rush_exact = arrange_model.RUSH_EXACT
    requests = [problem.request(m) for m in problem.requests]
    candidates = [r for r in requests if r.starts]
    result = Arrangement(snap.trip.id)
    solved: dict[int, int] = {}
    if candidates:
        deadline = started + time_limit
        solved, result.optimal = solve(problem, candidates, deadline, report, workers, seed)
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


def _crowded(problem: Problem, r: Request, result: Arrangement) -> str:
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
