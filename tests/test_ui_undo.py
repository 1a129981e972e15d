"""Edit > Undo and Redo over the core's operations, through the window's QUndoStack: the
whole library is back exactly (ids included) after each undo and redo, and a step whose
records were changed elsewhere says so in the status bar and leaves the history instead of
raising out of QUndoStack.undo()."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_edits_replay import CONTACTS_CSV, dump

from ui.shell.undo import push_edit
from visitplanner import edits
from visitplanner.exchange.contact_import import parse_contact_bytes, plan_import
from visitplanner.exchange.tripfile import export_trip
from visitplanner.exchange.tripfile_reader import read_trip_file
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact, Organization


@pytest.fixture
def window(qtbot: Any, demo_path: Path) -> Iterator[Any]:
    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow

    make_application()
    window = MainWindow(Library.open(demo_path))
    qtbot.addWidget(window)
    yield window
    window.close()


def replay_stack(window: Any, steps: list[Callable[[], object]]) -> None:
    """Run ``steps`` (each pushes one undo step), then undo all and redo all twice,
    comparing the whole library with the state after each step."""
    lib, stack = window.library, window.undo_stack
    states = [dump(lib)]
    for step in steps:
        count = stack.count()
        step()
        assert stack.count() == count + 1, "each step is one undo step"
        states.append(dump(lib))
    for _round in range(2):
        for i in reversed(range(len(steps))):
            window.undo_action.trigger()
            assert dump(lib) == states[i], f"undo of step {i + 1}"
        for i in range(len(steps)):
            window.redo_action.trigger()
            assert dump(lib) == states[i + 1], f"redo of step {i + 1}"
    assert stack.count() == len(steps)


def _status(window: Any) -> list[str]:
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    return messages


def test_contact_import_then_edit_title_undo_twice_redo_twice(window: Any) -> None:
    """The issue's loss: the redone import came back under new ids and the title edit
    silently edited nothing."""
    lib = window.library
    report = plan_import(lib, parse_contact_bytes(CONTACTS_CSV))
    created: list[int] = []

    def import_contacts() -> None:
        applied = push_edit(window.context, "Import", edits.ImportContacts(report))
        assert applied is not None
        created.extend(applied.created["contact"])

    def edit_title() -> None:
        contact = directory.get_contact(lib, created[0])
        push_edit(window.context, "Edit", edits.Update(dataclasses.replace(contact, title="CSO")))

    replay_stack(window, [import_contacts, edit_title])
    assert directory.get_contact(lib, created[0]).title == "CSO"


def test_pin_move_then_place_deleted_undo_redo(window: Any) -> None:
    replay_stack(
        window,
        [
            lambda: push_edit(window.context, "Move place", edits.MovePlace(1, 42.3, -71.1)),
            lambda: push_edit(window.context, "Delete place", edits.Delete("place", 1)),
        ],
    )


def test_undoing_a_pin_move_whose_place_was_deleted_elsewhere_says_so(window: Any) -> None:
    lib = window.library
    push_edit(window.context, "Move place on the map", edits.MovePlace(1, 42.3, -71.1))
    directory.delete_place(lib, 1)  # as the command line would
    messages = _status(window)
    before = dump(lib)
    window.undo_stack.undo()  # no exception
    assert messages[-1].startswith("Cannot undo “Move place on the map”.")
    assert "changed or deleted elsewhere" in messages[-1]
    assert window.undo_stack.count() == 0
    assert dump(lib) == before


def test_arrange_accepted_then_a_meeting_moved_undo_both(window: Any) -> None:
    from visitplanner.planning.arrange import arrange
    from visitplanner.planning.snapshot import load_snapshot

    area = window.schedule_area
    arrangement = arrange(load_snapshot(window.library, window.trip_id), time_limit=5)
    assert arrangement.placed
    first = arrangement.placed[0]

    def accept() -> None:
        area.arrange.show(arrangement)
        assert area.arrange.accept()

    def move() -> None:
        area.move_meeting(
            first.meeting_id, first.start + dt.timedelta(minutes=30), list(first.delegate_ids)
        )

    replay_stack(window, [accept, move])


def test_trip_import_then_undo(window: Any, tmp_path: Path) -> None:
    lib = window.library
    export_trip(lib, "1", tmp_path / "trip.visitplanner")
    content = read_trip_file(tmp_path / "trip.visitplanner")
    replay_stack(
        window, [lambda: push_edit(window.context, "Import Trip", edits.ImportTrip(content))]
    )


def test_delete_with_links_then_undo(window: Any) -> None:
    lib = window.library
    hosted = directory.meetings_hosted_by(lib, 3)
    assert hosted
    replay_stack(
        window,
        [
            lambda: push_edit(window.context, "Delete", edits.Delete("contact", 3)),
            lambda: push_edit(window.context, "Delete", edits.Delete("organization", 3)),
            lambda: push_edit(window.context, "Remove", edits.Delete("delegate", 1)),
        ],
    )
    for _step in range(3):
        window.undo_action.trigger()
    assert directory.meetings_hosted_by(lib, 3) == hosted


def test_timeline_edits_undo_and_redo(window: Any) -> None:
    lib, area = window.library, window.schedule_area
    request = next(m for m in trips.meetings(lib, 1) if m.start is None)
    scheduled = next(m for m in trips.meetings(lib, 1) if m.start is not None)
    assert request.id is not None and scheduled.id is not None and scheduled.start
    replay_stack(
        window,
        [
            lambda: area.schedule_request(request.id, dt.datetime(2023, 6, 6, 15, 0), None),
            lambda: area.resize_meeting(scheduled.id, scheduled.start, 75),
            lambda: area.cancel_meetings([request.id, scheduled.id]),
        ],
    )


def test_undo_redo_after_records_deleted_elsewhere_says_so(window: Any) -> None:
    """The trip or an organization deleted by the CLI meanwhile: each step reports in the
    status bar and leaves the stack; no exception escapes Edit > Undo / Redo."""
    lib, trip_id = window.library, window.trip_id
    messages = _status(window)
    delegate = trips.delegates(lib, trip_id)[0]
    push_edit(window.context, "Remove", edits.Delete("delegate", delegate.id))
    org = directory.add_organization(lib, Organization(name="Short-lived Example Inc."))
    new = trips.Meeting(trip_id, "With them", organization_id=org)
    push_edit(window.context, "New", edits.Add(new))
    window.undo_action.trigger()
    directory.delete_organization(lib, org)  # as the CLI would
    window.redo_action.trigger()
    assert messages[-1].startswith("Cannot redo “New”.")
    trips.delete_trip(lib, trip_id)  # as the CLI would
    window.undo_action.trigger()  # restoring the delegate: its trip is gone
    assert messages[-1].startswith("Cannot undo “Remove”.")
    assert window.undo_stack.count() == 0


def test_a_mistake_shows_a_message_and_pushes_nothing(window: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert push_edit(window.context, "Edit", edits.Update(Contact("Ana", "Gone", id=9999))) is None
    assert shown == ["There is no contact with id 9999."]
    assert window.undo_stack.count() == 0


def test_redo_answers_ctrl_shift_z_and_ctrl_y_without_ambiguity(qtbot: Any, window: Any) -> None:
    """Each Redo key is bound once (twice is ambiguous: Qt then redoes nothing)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    from ui.shell.main_window import redo_shortcuts

    # As on an X11 desktop, whose platform binds Redo to Ctrl+Shift+Z already:
    x11 = [k.toString() for k in redo_shortcuts([QKeySequence("Ctrl+Shift+Z")])]
    assert x11 == ["Ctrl+Shift+Z", "Ctrl+Y"]
    window.show()
    keys = [k.toString() for k in window.redo_action.shortcuts()]
    assert len(keys) == len(set(keys)) and "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for modifiers, key in (
        (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Z),
        (Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Y),
    ):
        window.undo_stack.push(_Mark())
        window.undo_stack.undo()
        assert window.undo_stack.canRedo()
        qtbot.keyClick(window.schedule_view, key, modifiers)
        assert not window.undo_stack.canRedo(), keys


def _Mark() -> Any:
    from PySide6.QtGui import QUndoCommand

    return QUndoCommand("Mark")


def test_the_day_list_keeps_the_selected_meeting_across_an_edit_and_its_undo(
    qtbot: Any, window: Any
) -> None:
    from ui.schedule.model import MEETING_ID_ROLE

    model = window.schedule_model
    meeting = next(m for m in model.snapshot.meetings if m.start is not None)
    window.context.select_meetings([meeting.id])
    changed = dataclasses.replace(meeting, title="Renamed in the dialog")
    push_edit(window.context, "Edit", edits.Update(changed))
    for step in (lambda: None, window.undo_stack.undo, window.undo_stack.redo):
        step()
        assert window.context.selected_meeting_ids == [meeting.id]
        rows = window.schedule_view.selectionModel().selectedRows()
        assert [i.data(MEETING_ID_ROLE) for i in rows] == [meeting.id]


def test_undoing_a_step_of_another_trip_shows_that_trip(qtbot: Any, window: Any) -> None:
    window.context.set_trip(1)
    meeting = next(m for m in window.schedule_model.snapshot.meetings if m.start is not None)
    push_edit(window.context, "Edit “Tea”", edits.Update(dataclasses.replace(meeting, title="Tea")))
    window.context.set_trip(2)
    window.undo_stack.undo()
    assert window.context.trip_id == 1
    assert trips.get_meeting(window.library, meeting.id).title == meeting.title
    message = window.statusBar().currentMessage()
    assert message.startswith("Undone: Edit “Tea”.") and "is shown" in message
    window.undo_stack.redo()  # the trip shown already: just said
    assert window.statusBar().currentMessage() == "Redone: Edit “Tea”."
