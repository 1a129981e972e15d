"""Every user action as a core operation with its exact inverse (Qt-free).

An operation's ``apply(lib)`` does the action in one ``lib.write()`` transaction and
returns an :class:`Applied`: the change set it committed (entity -> ids), the records it
created, and its ``inverse``, an operation that reverts it exactly (records come back under
their own ids, with their links). Applying the inverse returns the inverse's inverse, so
undo and redo are the same call. The UI's undo stack (``ui/undo.py``) and the command line
both call these.
"""

from typing import TYPE_CHECKING

from visitplanner.edits.base import Operation
from visitplanner.edits.mission import SaveDelegate, SetBusy, SetStays
from visitplanner.edits.records import (
    KINDS,
    Add,
    AtNewPlace,
    Delete,
    Merge,
    MovePlace,
    Record,
    Update,
)
from visitplanner.edits.rows import Applied, Batch, SetRows, record
from visitplanner.edits.schedule import (
    AcceptArrangement,
    ChangeLane,
    MoveMeeting,
    ScheduleRequest,
    SetStatus,
    Unschedule,
    attendees_after_lane_change,
    attendees_of_dropped_request,
    status_when_scheduled,
)

if TYPE_CHECKING:
    from visitplanner.edits.imports import (
        ImportContacts,
        ImportDelegates,
        ImportMeetings,
        ImportTrip,
    )


def __getattr__(name: str) -> object:
    """The import operations load the file readers only when an import is made."""
    if name in ("ImportContacts", "ImportDelegates", "ImportMeetings", "ImportTrip"):
        from visitplanner.edits import imports

        return getattr(imports, name)
    raise AttributeError(name)


__all__ = [
    "KINDS",
    "AcceptArrangement",
    "Add",
    "Applied",
    "AtNewPlace",
    "Batch",
    "ChangeLane",
    "Delete",
    "ImportContacts",
    "ImportDelegates",
    "ImportMeetings",
    "ImportTrip",
    "Merge",
    "MoveMeeting",
    "MovePlace",
    "Operation",
    "Record",
    "SaveDelegate",
    "ScheduleRequest",
    "SetBusy",
    "SetRows",
    "SetStatus",
    "SetStays",
    "Unschedule",
    "Update",
    "attendees_after_lane_change",
    "attendees_of_dropped_request",
    "record",
    "status_when_scheduled",
]
