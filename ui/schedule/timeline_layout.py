"""What the day timeline draws, computed from a trip snapshot: lanes, blocks, legs.

No painting here and no Qt: minutes since midnight and lane numbers. Lane 0 is the whole
delegation (meetings every delegate attends, and those nobody attends yet); then one lane
per delegate with every meeting they attend. The legs come from the core's day plans (a
transfer's next leg leaves from its arrival place; busy blocks with a place are stops). A
delegate's lane is shaded before their arrival and after their departure, and hatched
during their busy blocks (:class:`Shade`); a transfer's block reads "Train VIA 22 · Gare
centrale de Montréal → Gare du Palais" (:func:`block_label`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from visitplanner.geo.travel import Leg
from visitplanner.model import TRANSFER_MODE_LABELS, Meeting, MeetingStatus
from visitplanner.planning.checks import Problem
from visitplanner.planning.dayplan import (
    LegEstimator,
    arrival_place,
    build_day_plan,
    departure_place,
    everyone_there,
    is_segment,
)
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
    label: str = ""  # what the block reads, when not the title (a transfer)

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


@dataclass(frozen=True)
class Shade:
    """A span of a delegate's lane: ``absent`` (not arrived yet, or gone) or ``busy`` (one
    of their own engagements, ``title``)."""

    lane: int
    start: int  # minutes since midnight
    end: int
    kind: str  # "absent" or "busy"
    title: str = ""


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
    shades: list[Shade] = field(default_factory=list)


def minutes(moment: dt.datetime | dt.time) -> int:
    return moment.hour * 60 + moment.minute


def whole_delegation(snap: TripSnapshot, meeting: Meeting) -> bool:
    """Nobody attends yet, or everyone there at the time does (a delegate who has not arrived
    yet, or has left, is not missing from it)."""
    return not meeting.delegate_ids or everyone_there(snap, meeting)


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
        label = block_label(snap, m)
        everyone = whole_delegation(snap, m)
        targets = [0] if everyone else []
        targets += [lane_index[d] for d in m.delegate_ids if d in lane_index]
        for lane in targets:
            shared = everyone and lane != 0
            blocks.append(Block(m, lane, start, end, shared, ghost, found, label))
            if m.status is not MeetingStatus.CANCELLED and (lane != 0 or m.delegate_ids):
                per_lane.setdefault(lane, []).append(m)
    estimator = estimator or LegEstimator(snap)
    legs: list[LegMark] = []
    for lane, stops in sorted(per_lane.items()):
        plan = build_day_plan(snap, day, lanes[lane].delegate_id, stops, estimator=estimator)
        for day_leg in plan.legs:
            ends = [day_leg.origin or day_leg.origin_busy, day_leg.destination]
            ends[1] = ends[1] or day_leg.destination_busy
            if ends[0] is None or ends[1] is None or day_leg.gap_minutes is None:
                continue
            first_end = ends[0].end
            assert first_end is not None
            needed = (day_leg.leg.minutes if day_leg.leg else 0) + snap.trip.buffer_minutes
            too_short = day_leg.gap_minutes < needed
            legs.append(
                LegMark(lane, minutes(first_end), day_leg.gap_minutes, day_leg.leg, too_short)
            )
    day_start = minutes(snap.trip.day_start)
    day_end = minutes(snap.trip.day_end)
    first_minute = min([day_start] + [b.start for b in blocks]) // 60 * 60
    last_minute = max([day_end] + [b.end for b in blocks])
    last_minute = min(24 * 60, -(-last_minute // 60) * 60)
    shades = shades_of(snap, day, lanes)
    return DayLayout(
        day, lanes, blocks, legs, first_minute, last_minute, day_start, day_end, shades
    )


def block_label(snap: TripSnapshot, meeting: Meeting) -> str:
    """A transfer's block text: "Train VIA 22 · Gare centrale de Montréal → Gare du Palais";
    "" for any other meeting (it reads its title)."""
    from visitplanner.i18n import _

    if not is_segment(meeting):
        return ""
    mode = _(TRANSFER_MODE_LABELS[meeting.transfer_mode]) if meeting.transfer_mode else ""
    what = " ".join(p for p in (mode, meeting.reference) if p) or meeting.title
    origin, destination = departure_place(snap, meeting), arrival_place(snap, meeting)
    return _("{what} · {origin} → {destination}").format(
        what=what,
        origin=origin.name if origin else "?",
        destination=destination.name if destination else "?",
    )


def shades_of(snap: TripSnapshot, day: dt.date, lanes: list[Lane]) -> list[Shade]:
    """Each delegate's absence on ``day`` (before arrival, after departure) and busy blocks."""
    out: list[Shade] = []
    start_of_day = dt.datetime.combine(day, dt.time())
    end_of_day = start_of_day + dt.timedelta(days=1)

    def clip(moment: dt.datetime) -> int:
        return max(0, min(24 * 60, int((moment - start_of_day).total_seconds() // 60)))

    for index, lane in enumerate(lanes):
        delegate = snap.delegates.get(lane.delegate_id) if lane.delegate_id is not None else None
        if delegate is None:
            continue
        if delegate.arrival is not None and delegate.arrival > start_of_day:
            out.append(Shade(index, 0, clip(delegate.arrival), "absent"))
        if delegate.departure is not None and delegate.departure < end_of_day:
            out.append(Shade(index, clip(delegate.departure), 24 * 60, "absent"))
        for block in snap.busy_of(delegate.id or 0):
            if block.start < end_of_day and block.end > start_of_day:
                out.append(Shade(index, clip(block.start), clip(block.end), "busy", block.title))
    return [s for s in out if s.end > s.start]
