"""Undo commands: each user edit is one QUndoCommand whose redo()/undo() call core functions.

Commands hold ids and values (copies of the model's dataclasses), never widgets. Undoing the
creation of a record deletes it; redoing creates it again under a new id, so commands look
ids up through an :class:`IdMap` shared by every command of one library.

Push with :func:`push_edit`: it applies the edit once (showing a message box for a user's
mistake, with nothing pushed), then pushes the command so that Edit > Undo names it.
"""

from __future__ import annotations

import copy
import dataclasses
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library import Library, trips
from visitplanner.model import Delegate, Meeting, Trip


class IdMap:
    """Original id -> current id of records that were deleted by an undo and made again."""

    def __init__(self) -> None:
        self._map: dict[tuple[str, int], int] = {}

    def get(self, entity: str, original: int) -> int:
        return self._map.get((entity, original), original)

    def set(self, entity: str, original: int, current: int) -> None:
        self._map[(entity, original)] = current


@dataclass
class EditContext:
    """What commands need: the library and its id map; ``report`` shows a failed undo."""

    library: Library
    ids: IdMap = field(default_factory=IdMap)
    report: Callable[[str], None] = lambda message: None


def context_for(owner: Any, library: Library) -> EditContext:
    """The edit context of ``owner`` (a window) for ``library``, made on first use."""
    ctx: EditContext | None = getattr(owner, "_edit_context", None)
    if ctx is None or ctx.library is not library:
        ctx = EditContext(library)
        owner._edit_context = ctx
    return ctx


class Edit(QUndoCommand):
    """Base class: ``forward()`` does the edit, ``backward()`` reverts it."""

    def __init__(self, ctx: EditContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._skip_redo = False

    def forward(self) -> None:
        raise NotImplementedError

    def backward(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_redo:  # applied by push_edit already
            self._skip_redo = False
            return
        self._guarded(self.forward)

    def undo(self) -> None:
        self._guarded(self.backward)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except VisitPlannerError as error:
            # The library changed under the command (e.g. another window): drop it.
            self.setObsolete(True)
            self.ctx.report(str(error))
        except sqlite3.IntegrityError:
            # A record it refers to (its trip, an organization...) was deleted elsewhere.
            self.setObsolete(True)
            self.ctx.report(
                _("“{action}” cannot be replayed: what it refers to was deleted.").format(
                    action=self.text()
                )
            )

    # -- helpers mapping ids ----------------------------------------------------------------

    def _meeting(self, m: Meeting) -> Meeting:
        ids = self.ctx.ids
        out = copy.deepcopy(m)
        out.trip_id = ids.get("trip", m.trip_id)
        if m.id is not None:
            out.id = ids.get("meeting", m.id)
        out.delegate_ids = [ids.get("delegate", d) for d in m.delegate_ids]
        return out

    def _delegate(self, d: Delegate) -> Delegate:
        out = dataclasses.replace(d, trip_id=self.ctx.ids.get("trip", d.trip_id))
        if d.id is not None:
            out.id = self.ctx.ids.get("delegate", d.id)
        return out


def push_edit(stack: QUndoStack, command: Edit, parent: QWidget | None = None) -> bool:
    """Apply ``command`` once and push it; a user's mistake shows a message, pushes nothing."""
    try:
        command.forward()
    except VisitPlannerError as error:
        QMessageBox.warning(parent, _("Cannot make this change"), str(error))
        return False
    command._skip_redo = True
    stack.push(command)
    return True


# -- meetings ------------------------------------------------------------------------------


class MeetingEdit(Edit):
    """Create (``before`` None), change, or delete (``after`` None) one meeting."""

    def __init__(
        self, ctx: EditContext, text: str, before: Meeting | None, after: Meeting | None
    ) -> None:
        super().__init__(ctx, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        known = before or after
        self.meeting_id: int | None = known.id if known is not None else None

    def forward(self) -> None:
        self._set(self.before, self.after)

    def backward(self) -> None:
        self._set(self.after, self.before)

    def _set(self, old: Meeting | None, new: Meeting | None) -> None:
        lib = self.ctx.library
        if new is None:
            if self.meeting_id is not None:
                trips.delete_meeting(lib, self.ctx.ids.get("meeting", self.meeting_id))
            return
        if old is None:
            current = trips.add_meeting(lib, self._meeting(dataclasses.replace(new, id=None)))
            if self.meeting_id is None:
                self.meeting_id = current
            self.ctx.ids.set("meeting", self.meeting_id, current)
            return
        assert self.meeting_id is not None
        trips.update_meeting(lib, self._meeting(dataclasses.replace(new, id=self.meeting_id)))


def meeting_change(ctx: EditContext, text: str, meeting_id: int, **changes: Any) -> MeetingEdit:
    """A command that changes some fields (start, duration_minutes, delegate_ids...)."""
    before = trips.get_meeting(ctx.library, ctx.ids.get("meeting", meeting_id))
    before.id = meeting_id
    after = dataclasses.replace(copy.deepcopy(before), **changes)
    return MeetingEdit(ctx, text, before, after)


# -- trips and delegates --------------------------------------------------------------------


class TripEdit(Edit):
    """Create (``before`` None) or change a trip."""

    def __init__(self, ctx: EditContext, text: str, before: Trip | None, after: Trip) -> None:
        super().__init__(ctx, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        self.trip_id: int | None = before.id if before else None

    def forward(self) -> None:
        lib = self.ctx.library
        if self.before is None:
            current = trips.add_trip(lib, dataclasses.replace(self.after, id=None))
            if self.trip_id is None:
                self.trip_id = current
            self.ctx.ids.set("trip", self.trip_id, current)
        else:
            assert self.trip_id is not None
            current = self.ctx.ids.get("trip", self.trip_id)
            trips.update_trip(lib, dataclasses.replace(self.after, id=current))

    def backward(self) -> None:
        assert self.trip_id is not None
        current = self.ctx.ids.get("trip", self.trip_id)
        if self.before is None:
            trips.delete_trip(self.ctx.library, current)
        else:
            trips.update_trip(self.ctx.library, dataclasses.replace(self.before, id=current))


class DelegateEdit(Edit):
    """Create (``before`` None) or change a delegate."""

    def __init__(
        self, ctx: EditContext, text: str, before: Delegate | None, after: Delegate
    ) -> None:
        super().__init__(ctx, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        self.delegate_id: int | None = before.id if before else None

    def forward(self) -> None:
        lib = self.ctx.library
        if self.before is None:
            current = trips.add_delegate(lib, self._delegate(dataclasses.replace(self.after)))
            if self.delegate_id is None:
                self.delegate_id = current
            self.ctx.ids.set("delegate", self.delegate_id, current)
        else:
            assert self.delegate_id is not None
            trips.update_delegate(lib, self._delegate(self._with_id(self.after)))

    def backward(self) -> None:
        assert self.delegate_id is not None
        if self.before is None:
            current = self.ctx.ids.get("delegate", self.delegate_id)
            trips.delete_delegate(self.ctx.library, current)
        else:
            trips.update_delegate(self.ctx.library, self._delegate(self._with_id(self.before)))

    def _with_id(self, d: Delegate) -> Delegate:
        return dataclasses.replace(d, id=self.delegate_id)


# -- recorded edits: run a core function once, replay its effect --------------------------


@dataclass
class TripState:
    """The delegates and meetings of one trip, keyed by id."""

    delegates: dict[int, Delegate]
    meetings: dict[int, Meeting]


def trip_state(lib: Library, trip_id: int) -> TripState:
    return TripState(
        {d.id: d for d in trips.delegates(lib, trip_id) if d.id is not None},
        {m.id: m for m in trips.meetings(lib, trip_id) if m.id is not None},
    )


class RecordedEdit(Edit):
    """Runs ``action`` (a core function touching one trip) the first time and records the
    delegates and meetings it added, changed or deleted; undo and redo replay that difference
    through the core's add/update/delete functions, in one transaction."""

    def __init__(
        self, ctx: EditContext, text: str, trip_id: int, action: Callable[[], object]
    ) -> None:
        super().__init__(ctx, text)
        self.trip_id = trip_id
        self.action: Callable[[], object] | None = action
        self.result: object = None
        self.before: TripState | None = None
        self.after: TripState | None = None

    def forward(self) -> None:
        lib = self.ctx.library
        if self.action is not None:
            current_trip = self.ctx.ids.get("trip", self.trip_id)
            with lib.write():
                self.before = trip_state(lib, current_trip)
                self.result = self.action()
                self.after = trip_state(lib, current_trip)
            self.action = None  # never run twice; replays use the recorded difference
            return
        assert self.before is not None and self.after is not None
        self._replay(self.before, self.after)

    def backward(self) -> None:
        assert self.before is not None and self.after is not None
        self._replay(self.after, self.before)

    @property
    def changed_meetings(self) -> list[int]:
        if self.before is None or self.after is None:
            return []
        return [
            i
            for i in self.before.meetings.keys() | self.after.meetings.keys()
            if self.before.meetings.get(i) != self.after.meetings.get(i)
        ]

    def _replay(self, old: TripState, new: TripState) -> None:
        lib, ids = self.ctx.library, self.ctx.ids
        with lib.write():
            for key, d in new.delegates.items():
                if key not in old.delegates:
                    current = trips.add_delegate(lib, self._delegate(dataclasses.replace(d)))
                    ids.set("delegate", key, current)
                elif old.delegates[key] != d:
                    trips.update_delegate(lib, self._delegate(d))
            for key, m in new.meetings.items():
                if key not in old.meetings:
                    current = trips.add_meeting(lib, self._meeting(m))
                    ids.set("meeting", key, current)
                elif old.meetings[key] != m:
                    trips.update_meeting(lib, self._meeting(m))
            for key in old.meetings.keys() - new.meetings.keys():
                trips.delete_meeting(lib, ids.get("meeting", key))
            for key in old.delegates.keys() - new.delegates.keys():
                trips.delete_delegate(lib, ids.get("delegate", key))


class MacroEdit(Edit):
    """Several edits as one undo step and one transaction."""

    def __init__(self, ctx: EditContext, text: str, edits: list[Edit]) -> None:
        super().__init__(ctx, text)
        self.edits = edits

    def forward(self) -> None:
        with self.ctx.library.write():
            for edit in self.edits:
                edit.forward()

    def backward(self) -> None:
        with self.ctx.library.write():
            for edit in reversed(self.edits):
                edit.backward()
