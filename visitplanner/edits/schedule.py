"""The schedule's edits and their rules: move, resize, change lane, schedule a request,
unschedule, set a status, accept an arrangement.

The rules the timeline shows live here, once: dropping a request on the timeline makes it
"proposed"; the lane it is dropped in sets who attends (the whole-delegation lane: every
delegate; a delegate's lane: that delegate joins).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from visitplanner.edits.rows import Applied, record
from visitplanner.errors import InputError, NotFoundError
from visitplanner.i18n import _
from visitplanner.library import Library, trips
from visitplanner.model import Meeting, MeetingStatus

if TYPE_CHECKING:
    from visitplanner.planning.arrange import Arrangement


def attendees_after_lane_change(
    attendees: Iterable[int],
    everyone: Iterable[int],
    source: int | None,
    target: int | None,
    *,
    shared: bool = False,
) -> list[int]:
    """Who attends a meeting moved from the lane of delegate ``source`` to that of
    ``target`` (None: the whole delegation's lane). ``shared``: the block moved is a
    whole-delegation meeting shown in a delegate's lane, which a move between delegates'
    lanes does not change."""
    ids = sorted(attendees)
    if source == target or (shared and target is not None):
        return ids
    if target is None:
        return sorted(everyone)
    if source is None:
        return [target]
    return sorted((set(ids) - {source}) | {target})


def attendees_of_dropped_request(
    attendees: Iterable[int], everyone: Iterable[int], lane: int | None
) -> list[int]:
    """Who attends a request dropped in the lane of delegate ``lane`` (None: everyone)."""
    if lane is None:
        return sorted(everyone)
    return sorted(set(attendees) | {lane})


def status_when_scheduled(status: MeetingStatus) -> MeetingStatus:
    """A request given a time becomes "proposed"; other statuses stay."""
    return MeetingStatus.PROPOSED if status is MeetingStatus.REQUESTED else status


def _change(lib: Library, meeting_ids: list[int], change: Callable[[Meeting], Meeting]) -> Applied:
    def work() -> None:
        for meeting_id in meeting_ids:
            trips.update_meeting(lib, change(trips.get_meeting(lib, meeting_id)))

    with lib.write():
        for meeting_id in meeting_ids:
            trips.get_meeting(lib, meeting_id)  # NotFoundError before anything is written
        return record(lib, work, edits=[("meeting", i) for i in meeting_ids])


def _everyone(lib: Library, trip_id: int) -> list[int]:
    return [d.id for d in trips.delegates(lib, trip_id) if d.id is not None]


@dataclass(frozen=True)
class MoveMeeting:
    """Give a meeting a new start (and, when given, a new length or new attendees)."""

    meeting_id: int
    start: dt.datetime
    duration_minutes: int | None = None
    delegate_ids: tuple[int, ...] | None = None

    def apply(self, lib: Library) -> Applied:
        def change(m: Meeting) -> Meeting:
            m = dataclasses.replace(m, start=self.start)
            if self.duration_minutes is not None:
                m.duration_minutes = self.duration_minutes
            if self.delegate_ids is not None:
                m.delegate_ids = sorted(self.delegate_ids)
            return m

        return _change(lib, [self.meeting_id], change)


@dataclass(frozen=True)
class ChangeLane:
    """Move a meeting to ``start`` in the lane of delegate ``target`` (None: the whole
    delegation's), from the lane of ``source``: see :func:`attendees_after_lane_change`."""

    meeting_id: int
    start: dt.datetime
    source: int | None
    target: int | None
    shared: bool = False

    def apply(self, lib: Library) -> Applied:
        def change(m: Meeting) -> Meeting:
            everyone = _everyone(lib, m.trip_id)
            attendees = attendees_after_lane_change(
                m.delegate_ids, everyone, self.source, self.target, shared=self.shared
            )
            return dataclasses.replace(m, start=self.start, delegate_ids=attendees)

        return _change(lib, [self.meeting_id], change)


@dataclass(frozen=True)
class ScheduleRequest:
    """Drop a request at ``start`` in the lane of delegate ``lane`` (None: everyone's):
    it becomes "proposed" and the lane sets who attends."""

    meeting_id: int
    start: dt.datetime
    lane: int | None = None

    def apply(self, lib: Library) -> Applied:
        def change(m: Meeting) -> Meeting:
            attendees = attendees_of_dropped_request(
                m.delegate_ids, _everyone(lib, m.trip_id), self.lane
            )
            return dataclasses.replace(
                m, start=self.start, delegate_ids=attendees, status=status_when_scheduled(m.status)
            )

        return _change(lib, [self.meeting_id], change)


@dataclass(frozen=True)
class Unschedule:
    """Take a meeting off the timeline: a request again (a proposed one is requested)."""

    meeting_id: int

    def apply(self, lib: Library) -> Applied:
        def change(m: Meeting) -> Meeting:
            status = MeetingStatus.REQUESTED if m.status is MeetingStatus.PROPOSED else m.status
            return dataclasses.replace(m, start=None, status=status)

        return _change(lib, [self.meeting_id], change)


@dataclass(frozen=True)
class SetStatus:
    """Give several meetings one status (cancel them, confirm them): one step."""

    meeting_ids: tuple[int, ...]
    status: MeetingStatus

    def apply(self, lib: Library) -> Applied:
        return _change(
            lib, list(self.meeting_ids), lambda m: dataclasses.replace(m, status=self.status)
        )


@dataclass(frozen=True)
class AcceptArrangement:
    """Give each request an arrangement placed its start and the status "proposed"; the
    inverse gives each meeting its previous schedule back. Refuses (writing nothing) when a
    request was scheduled, cancelled or deleted since the arrangement was made."""

    arrangement: Arrangement

    def apply(self, lib: Library) -> Applied:
        placed = {p.meeting_id: p for p in self.arrangement.placed}
        with lib.write():
            for p in self.arrangement.placed:
                try:
                    m: Meeting | None = trips.get_meeting(lib, p.meeting_id)
                except NotFoundError:
                    m = None
                if m is None or m.start is not None or m.status is MeetingStatus.CANCELLED:
                    raise InputError(
                        _(
                            "“{title}” changed since the arrangement was made; arrange again."
                        ).format(title=p.title)
                    )

            def change(m: Meeting) -> Meeting:
                p = placed[m.id or 0]
                return dataclasses.replace(m, start=p.start, status=MeetingStatus.PROPOSED)

            return _change(lib, list(placed), change)
