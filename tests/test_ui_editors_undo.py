"""Undo commands: each edit undoes and redoes through the core, ids survive re-creation."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QUndoStack

from ui.undo import (
    DelegateEdit,
    EditContext,
    MacroEdit,
    MeetingEdit,
    RecordedEdit,
    TripEdit,
    meeting_change,
    push_edit,
)
from visitplanner.library import Library, trips
from visitplanner.model import Delegate, Meeting, Trip


def _trip(lib: Library) -> int:
    return trips.add_trip(lib, Trip("Test", dt.date(2023, 6, 5), dt.date(2023, 6, 6)))


def test_create_meeting_undo_redo_keeps_later_edits_working(
    qtbot: object, empty_library: Library
) -> None:
    lib = empty_library
    trip_id = _trip(lib)
    ctx = EditContext(lib)
    stack = QUndoStack()
    new = Meeting(trip_id, "Kickoff", start=dt.datetime(2023, 6, 5, 9, 0))
    assert push_edit(stack, MeetingEdit(ctx, "New", None, new))
    (stored,) = trips.meetings(lib, trip_id)
    assert stored.id is not None
    move = meeting_change(ctx, "Move", stored.id, start=dt.datetime(2023, 6, 5, 10, 0))
    assert push_edit(stack, move)
    assert stack.undoText() == "Move"
    stack.undo()
    stack.undo()
    assert trips.meetings(lib, trip_id) == []
    stack.redo()
    stack.redo()
    (again,) = trips.meetings(lib, trip_id)
    assert again.start == dt.datetime(2023, 6, 5, 10, 0)
    stack.undo()
    assert trips.meetings(lib, trip_id)[0].start == dt.datetime(2023, 6, 5, 9, 0)


def test_trip_and_delegate_edits_undo(qtbot: object, empty_library: Library) -> None:
    lib = empty_library
    ctx = EditContext(lib)
    stack = QUndoStack()
    trip = Trip("Mission", dt.date(2023, 6, 5), dt.date(2023, 6, 6))
    push_edit(stack, TripEdit(ctx, "New trip", None, trip))
    (stored,) = trips.trips(lib)
    assert stored.id is not None
    push_edit(stack, DelegateEdit(ctx, "New delegate", None, Delegate(stored.id, "Ana")))
    (ana,) = trips.delegates(lib, stored.id)
    renamed = Delegate(stored.id, "Ana B.", id=ana.id)
    push_edit(stack, DelegateEdit(ctx, "Rename", ana, renamed))
    assert trips.delegates(lib, stored.id)[0].name == "Ana B."
    stack.undo()
    assert trips.delegates(lib, stored.id)[0].name == "Ana"
    stack.undo()
    stack.undo()
    assert trips.trips(lib) == []
    stack.redo()
    stack.redo()
    stack.redo()
    (trip_again,) = trips.trips(lib)
    assert trip_again.id is not None
    assert [d.name for d in trips.delegates(lib, trip_again.id)] == ["Ana B."]


def test_recorded_edit_restores_deleted_delegate_and_links(
    qtbot: object, empty_library: Library
) -> None:
    lib = empty_library
    trip_id = _trip(lib)
    ana = trips.add_delegate(lib, Delegate(trip_id, "Ana"))
    meeting_id = trips.add_meeting(lib, Meeting(trip_id, "Visit", delegate_ids=[ana]))
    ctx = EditContext(lib)
    stack = QUndoStack()
    push_edit(stack, RecordedEdit(ctx, "Remove", trip_id, lambda: trips.delete_delegate(lib, ana)))
    assert trips.get_meeting(lib, meeting_id).delegate_ids == []
    stack.undo()
    (back,) = trips.delegates(lib, trip_id)
    assert trips.get_meeting(lib, meeting_id).delegate_ids == [back.id]
    stack.redo()
    assert trips.delegates(lib, trip_id) == []


def test_macro_is_one_transaction_and_one_step(qtbot: object, empty_library: Library) -> None:
    lib = empty_library
    trip_id = _trip(lib)
    a = trips.add_meeting(lib, Meeting(trip_id, "A"))
    b = trips.add_meeting(lib, Meeting(trip_id, "B"))
    events: list[object] = []
    lib.subscribe(events.append)
    ctx = EditContext(lib)
    stack = QUndoStack()
    nine = dt.datetime(2023, 6, 5, 9, 0)
    edits = [meeting_change(ctx, "", m, start=nine) for m in (a, b)]
    push_edit(stack, MacroEdit(ctx, "Schedule both", list(edits)))
    assert len(events) == 1
    assert all(m.start == nine for m in trips.meetings(lib, trip_id))
    stack.undo()
    assert all(m.start is None for m in trips.meetings(lib, trip_id))
    assert stack.count() == 1


def test_undo_redo_after_records_deleted_elsewhere_says_so(
    qtbot: object, demo_path: object
) -> None:
    """The trip (or an organization) deleted by the CLI meanwhile: each step reports in the
    status bar and leaves the stack; no exception escapes Edit > Undo / Redo."""
    from pathlib import Path

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.undo import context_for
    from visitplanner.library import directory
    from visitplanner.model import Organization

    make_application()
    window = MainWindow(Library.open(Path(str(demo_path))))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    lib, trip_id = window.library, window.trip_id or 0
    area = window.schedule_area
    first = next(m for m in trips.meetings(lib, trip_id) if m.start is not None)
    assert first.id is not None and first.start is not None
    area.move_meeting(first.id, first.start + dt.timedelta(hours=1), first.delegate_ids)
    delegate = trips.delegates(lib, trip_id)[0]
    assert delegate.id is not None
    removal = RecordedEdit(
        context_for(window, lib), "Remove", trip_id, lambda: trips.delete_delegate(lib, delegate.id)
    )
    assert push_edit(window.undo_stack, removal, window)
    org = directory.add_organization(lib, Organization(name="Short-lived Example Inc."))
    new = Meeting(trip_id, "With them", organization_id=org)
    assert push_edit(window.undo_stack, MeetingEdit(context_for(window, lib), "New", None, new))
    window.undo_action.trigger()
    directory.delete_organization(lib, org)  # as the CLI would
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    window.redo_action.trigger()
    assert messages[-1] == "“New” cannot be replayed: what it refers to was deleted."
    trips.delete_trip(lib, trip_id)  # as the CLI would
    window.undo_action.trigger()  # restoring the delegate: its trip is gone
    assert messages[-1] == "There is no trip with id 1."
    window.undo_action.trigger()
    assert "no meeting" in messages[-1]
    assert window.undo_stack.count() == 0
    window.close()
