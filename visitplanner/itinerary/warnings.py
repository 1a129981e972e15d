"""What ``check`` knows that an itinerary must say: its hard problems.

An overlap, a gap too short for the ride, someone absent when a meeting takes place: every
problem of severity error. The PDF puts a "⚠" line on each meeting concerned; the CLI and
the app list them before writing (an export never prints a known problem as if fine).
"""

from __future__ import annotations

from collections.abc import Iterable

from visitplanner.i18n import Translator
from visitplanner.planning.checks import Problem, Severity, check_snapshot
from visitplanner.planning.snapshot import TripSnapshot


def hard_problems(
    snapshot: TripSnapshot, tr: Translator, delegate_ids: Iterable[int | None] = (None,)
) -> list[Problem]:
    """The errors ``check`` finds that concern the itineraries of ``delegate_ids`` (None:
    the master, which concerns every problem), in the order ``check`` gives them."""
    wanted = set(delegate_ids)
    problems = [p for p in check_snapshot(snapshot, tr) if p.severity is Severity.ERROR]
    if None in wanted:
        return problems
    return [p for p in problems if not p.delegate_ids or wanted & set(p.delegate_ids)]


def problems_by_meeting(problems: Iterable[Problem]) -> dict[int, list[str]]:
    """meeting id -> the messages of the problems it is in."""
    out: dict[int, list[str]] = {}
    for problem in problems:
        for meeting_id in problem.meeting_ids:
            messages = out.setdefault(meeting_id, [])
            if problem.message not in messages:
                messages.append(problem.message)
    return out
