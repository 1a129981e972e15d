"""The Plan menu's entry points: each accepted dialog becomes one undo step (ui.shell.undo)
through a core operation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
)

from ui.shell.context import AppContext
from ui.shell.undo import push_edit
from visitplanner import edits
from visitplanner.i18n import _
from visitplanner.library import trips
from visitplanner.model import (
    Meeting,
    MeetingStatus,
    Trip,
)

if TYPE_CHECKING:  # the dialogs load when first opened, not at start-up
    from ui.schedule.meeting_dialog import MeetingDialog
    from ui.schedule.trip_dialog import TripDialog


def _meeting_edit(dialog: MeetingDialog, meeting: Meeting) -> edits.Operation:
    """Store ``meeting`` (add it when new); a place found by geocoding joins the directory
    in the same undo step and becomes the meeting's place."""
    place, to_place = dialog.place_to_add(), dialog.to_place_to_add()
    if place is not None or to_place is not None:
        return edits.AtNewPlace(meeting, place, to_place)
    return edits.Add(meeting) if meeting.id is None else edits.Update(meeting)


def _trip_edit(dialog: TripDialog, trip: Trip) -> edits.Operation:
    """Store ``trip``; a hotel found by geocoding joins the directory in the same step."""
    place = dialog.place_to_add()
    if place is not None:
        return edits.AtNewPlace(trip, place)
    return edits.Add(trip) if trip.id is None else edits.Update(trip)


def new_trip(context: AppContext) -> int | None:
    from ui.schedule.trip_dialog import TripDialog

    dialog = TripDialog(context.window, context.library, None)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    trip = dialog.value()
    text = _("New Trip “{name}”").format(name=trip.name)
    applied = push_edit(context, text, _trip_edit(dialog, trip))
    if applied is None:
        return None
    trip_id = applied.created_id("trip")
    context.set_trip(trip_id)  # the new trip is shown
    return trip_id


def edit_trip(context: AppContext) -> bool:
    if context.trip_id is None:
        return False
    before = trips.get_trip(context.library, context.trip_id)
    from ui.schedule.trip_dialog import TripDialog

    dialog = TripDialog(context.window, context.library, before)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    text = _("Edit Trip “{name}”").format(name=before.name)
    operation = _trip_edit(dialog, dialog.value())
    stays = dialog.stays_edit()
    if stays is not None:  # the trip and its hotel nights: one step
        operation = edits.Batch((operation, stays))
    return push_edit(context, text, operation) is not None


def edit_delegates(context: AppContext) -> None:
    if context.trip_id is not None:
        from ui.schedule.delegates import DelegatesDialog

        DelegatesDialog(context, context.trip_id).exec()


def new_meeting(
    context: AppContext, start: dt.datetime | None = None, delegate_ids: list[int] | None = None
) -> int | None:
    if context.trip_id is None:
        return None
    trip = trips.get_trip(context.library, context.trip_id)
    fresh = Meeting(
        trip.id or 0,
        "",
        start=start,
        status=MeetingStatus.PROPOSED if start else MeetingStatus.REQUESTED,
        delegate_ids=list(delegate_ids or []),
    )
    from ui.schedule.meeting_dialog import MeetingDialog

    dialog = MeetingDialog(context.window, context.library, trip, fresh)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    meeting = dialog.value()
    text = _("New Meeting “{title}”").format(title=meeting.title)
    applied = push_edit(context, text, _meeting_edit(dialog, meeting))
    if applied is None:
        return None
    created = applied.created_id("meeting")
    if created is not None:
        context.select_meetings([created])  # the new meeting, ready for Ctrl+E
    return created


def edit_meeting(context: AppContext, meeting_id: int) -> bool:
    before = trips.get_meeting(context.library, meeting_id)
    trip = trips.get_trip(context.library, before.trip_id)
    from ui.schedule.meeting_dialog import MeetingDialog

    dialog = MeetingDialog(context.window, context.library, trip, before)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    after = dialog.value()
    if after == before and dialog.place_to_add() is None and dialog.to_place_to_add() is None:
        return False
    text = _("Edit “{title}”").format(title=before.title)
    return push_edit(context, text, _meeting_edit(dialog, after)) is not None
