"""What the day timeline draws, computed from a trip snapshot: lanes, blocks, legs.

No painting here and no Qt: minutes since midnight and lane numbers. Lane 0 is the whole
delegation (meetings every delegate attends, and those nobody attends yet); then one lane
per delegate with every meeting they attend. The legs come from the core's day plans.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from visitplanner.geo.travel import Leg
from visitplanner.model import Meeting, MeetingStatus
from visitplanner.planning.checks import Problem
from visitplanner.planning.dayplan import LegEstimator, build_day_plan
from visitplanner.planning.snapshot import TripSnapshot


@dataclass(frozen=True)
class Lane:
    delegate_id: int | None  # None: the whole delegation
    name: str
    colour: str


@dataclass
class Block:
    meeting: Meeting
    lane: int
    start: int  # minutes since midnight
    end: int
    shared: bool = False  # a whole-delegation meeting repeated in a delegate's lane
    ghost: bool = False  # proposed by auto-arrange, not stored yet
    problems: list[Problem] = field(default_factory=list)

    @property
    def meeting_id(self) -> int:
        return self.meeting.id or 0


@dataclass(frozen=True)
class LegMark:
    lane: int
    start: int  # where the leg starts: the end of the previous meeting (minutes)
    gap: int  # minutes until the next meeting starts
    leg: Leg | None  # None: a place has no coordinates
    too_short: bool  # the gap is shorter than travel plus buffer


@dataclass
class DayLayout:
    day: dt.date
    lanes: list[Lane]
    blocks: list[Block]
    legs: list[LegMark]
    first_minute: int  # the visible span, whole hours
    last_minute: int
    day_start: int  # the trip's day hours
    day_end: int


def minutes(moment: dt.datetime | dt.time) -> int:
    return moment.hour * 60 + moment.minute


def whole_delegation(snap: TripSnapshot, meeting: Meeting) -> bool:
    everyone = snap.delegates.keys()
    return not meeting.delegate_ids or (bool(everyone) and everyone <= set(meeting.delegate_ids))


def lanes_of(snap: TripSnapshot) -> list[Lane]:
    from visitplanner.i18n import _

    people = sorted(snap.delegates.values(), key=lambda d: (d.name.casefold(), d.id))
    return [Lane(None, _("Whole delegation"), "#555555")] + [
        Lane(d.id, d.name, d.colour) for d in people
    ]


def layout_day(
    snap: TripSnapshot,
    day: dt.date,
    problems: list[Problem],
    proposal: dict[int, tuple[dt.datetime, list[int]]] | None = None,
    estimator: LegEstimator | None = None,
) -> DayLayout:
    """The day's lanes, blocks and legs; ``proposal`` maps meeting ids to a proposed start
    and attendees, drawn as ghost blocks (and used for legs) without being stored."""
    lanes = lanes_of(snap)
    lane_index = {lane.delegate_id: i for i, lane in enumerate(lanes)}
    by_meeting: dict[int, list[Problem]] = {}
    for problem in problems:
        for meeting_id in problem.meeting_ids:
            by_meeting.setdefault(meeting_id, []).append(problem)
    proposal = proposal or {}
    todays: list[tuple[Meeting, bool]] = []
    for m in snap.meetings:
        ghost = m.id in proposal
        if ghost:
            proposed, attendees = proposal[m.id or 0]
            m = dataclasses.replace(m, start=proposed, delegate_ids=list(attendees))
        if m.start is not None and m.start.date() == day:
            todays.append((m, ghost))
    blocks: list[Block] = []
    per_lane: dict[int, list[Meeting]] = {}
    for m, ghost in todays:
        assert m.start is not None and m.end is not None
        start = minutes(m.start)
        end = start + m.duration_minutes if m.end.date() == day else 24 * 60
        found = by_meeting.get(m.id or 0, [])
        everyone = whole_delegation(snap, m)
        targets = [0] if everyone else []
        targets += [lane_index[d] for d in m.delegate_ids if d in lane_index]
        for lane in targets:
            shared = everyone and lane != 0
            blocks.append(Block(m, lane, start, end, shared, ghost, found))
            if m.status is not MeetingStatus.CANCELLED and (lane != 0 or m.delegate_ids):
                per_lane.setdefault(lane, []).append(m)
    estimator = estimator or LegEstimator(snap)
    legs: list[LegMark] = []
    for lane, stops in sorted(per_lane.items()):
        plan = build_day_plan(snap, day, lanes[lane].delegate_id, stops, estimator=estimator)
        for day_leg in plan.legs:
            first, second = day_leg.origin, day_leg.destination
            if first is None or second is None or day_leg.gap_minutes is None:
                continue
            assert first.end is not None
            needed = (day_leg.leg.minutes if day_leg.leg else 0) + snap.trip.buffer_minutes
            too_short = day_leg.gap_minutes < needed
            legs.append(
                LegMark(lane, minutes(first.end), day_leg.gap_minutes, day_leg.leg, too_short)
            )
    day_start = minutes(snap.trip.day_start)
    day_end = minutes(snap.trip.day_end)
    first_minute = min([day_start] + [b.start for b in blocks]) // 60 * 60
    last_minute = max([day_end] + [b.end for b in blocks])
    last_minute = min(24 * 60, -(-last_minute // 60) * 60)
    return DayLayout(day, lanes, blocks, legs, first_minute, last_minute, day_start, day_end)
