"""Trip, delegate and meeting dialogs: a person fills them in; each edit is one undo step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ui.schedule import actions, delegates
from ui.schedule.delegates import DelegateDialog
from ui.schedule.meeting_dialog import MeetingDialog
from ui.schedule.trip_dialog import TripDialog
from ui.shell.main_window import MainWindow
from visitplanner.availability import format_availability, parse_availability
from visitplanner.errors import InputError
from visitplanner.library import trips


def _answer(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Callable[[Any], None]) -> None:
    """Make ``cls.exec`` fill the dialog as a person would, then press OK."""

    def fake_exec(dialog: Any) -> int:
        fill(dialog)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return int(dialog.result())

    monkeypatch.setattr(cls, "exec", fake_exec)


def test_trip_dialog_explains_what_is_wrong(qtbot: QtBot, window: MainWindow) -> None:
    dialog = TripDialog(window, window.library, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "Give the trip a name."
    qtbot.keyClicks(dialog.name, "Mission")
    dialog.last_day.setDate(QDate(2020, 1, 1))
    dialog.first_day.setDate(QDate(2020, 1, 3))
    dialog.accept()
    assert "last day comes before its first day" in dialog.error_label.text()
    dialog.last_day.setDate(QDate(2020, 1, 5))
    dialog.timezone.setCurrentText("Mars/Olympus")
    dialog.accept()
    assert "“Mars/Olympus” is not a time zone" in dialog.error_label.text()
    dialog.timezone.setCurrentText("America/Toronto")
    dialog.day_end.setTime(QTime(7, 0))
    dialog.accept()
    assert dialog.error_label.text() == "The day must end after it starts."
    dialog.day_end.setTime(QTime(17, 0))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    trip = dialog.value()
    assert (trip.first_day, trip.last_day) == (dt.date(2020, 1, 3), dt.date(2020, 1, 5))
    assert trip.timezone == "America/Toronto"


def test_new_trip_from_the_plan_menu_is_one_undo_step(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(d: TripDialog) -> None:
        qtbot.keyClicks(d.name, "Boston 2025")
        d.first_day.setDate(QDate(2025, 6, 2))
        d.last_day.setDate(QDate(2025, 6, 4))
        qtbot.keyClicks(d.base.edit, "westin boston")
        assert d.base.popup_texts()[0].startswith("The Westin Boston Seaport District")
        d.base.choose_row(0)
        d.buffer.setValue(15)

    _answer(monkeypatch, TripDialog, fill)
    window.schedule_area.new_trip_action.trigger()
    new = [t for t in trips.trips(window.library) if t.name == "Boston 2025"]
    assert len(new) == 1
    assert new[0].buffer_minutes == 15 and new[0].base_place_id is not None
    assert window.trip_id == new[0].id
    assert window.undo_action.text() == "&Undo New Trip “Boston 2025”"
    window.undo_action.trigger()
    assert [t.name for t in trips.trips(window.library) if t.name == "Boston 2025"] == []
    window.redo_action.trigger()
    assert len([t for t in trips.trips(window.library) if t.name == "Boston 2025"]) == 1


def test_edit_meeting_every_field_and_undo(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    trip_id = window.trip_id
    assert trip_id is not None
    meeting = next(m for m in trips.meetings(window.library, trip_id) if m.start is None)
    assert meeting.id is not None

    def fill(d: MeetingDialog) -> None:
        d.title_edit.setText("Broad — data platform")
        d.scheduled.setChecked(True)
        d.date.setDate(QDate(2023, 6, 6))
        d.start.setTime(QTime(15, 0))
        d.duration.setValue(50)
        d.priority.setCurrentIndex(0)
        d.fixed.setChecked(True)
        d.travel.setValue(20)
        d.windows.setPlainText("2023-06-06 14:00-17:00\n2023-06-07 09:00-11:00")
        d.attendees.item(0).setCheckState(Qt.CheckState.Checked)
        d.notes.setPlainText("Bring the NDA.")

    _answer(monkeypatch, MeetingDialog, fill)
    assert actions.edit_meeting(window.context, meeting.id)
    after = trips.get_meeting(window.library, meeting.id)
    assert after.title == "Broad — data platform"
    assert after.start == dt.datetime(2023, 6, 6, 15, 0)
    assert (after.duration_minutes, after.priority, after.fixed) == (50, 1, True)
    assert after.travel_minutes == 20 and len(after.windows) == 2
    assert after.notes == "Bring the NDA."
    assert len(after.delegate_ids) == len(meeting.delegate_ids) + (
        0
        if min(trips.delegates(window.library, trip_id), key=lambda d: d.name).id
        in meeting.delegate_ids
        else 1
    )
    assert window.undo_action.text() == f"&Undo Edit “{meeting.title}”"
    window.undo_action.trigger()
    assert trips.get_meeting(window.library, meeting.id) == meeting


def test_meeting_dialog_rejects_bad_windows_and_empty_title(
    qtbot: QtBot, window: MainWindow
) -> None:
    trip = trips.get_trip(window.library, window.trip_id or 0)
    meeting = trips.meetings(window.library, window.trip_id or 0)[0]
    dialog = MeetingDialog(window, window.library, trip, meeting)
    qtbot.addWidget(dialog)
    dialog.windows.setPlainText("2023-06-06 09:00-12:00\ntomorrow morning")
    dialog.accept()
    assert dialog.error_label.text() == (
        "“tomorrow morning” is not an availability (write 2023-06-06 09:00-12:00, "
        "Mon 9-12 or mardi après 14 h)."
    )
    dialog.windows.setPlainText("2023-06-06 12:00-09:00")
    dialog.accept()
    assert "ends before it starts" in dialog.error_label.text()
    dialog.windows.clear()
    dialog.title_edit.clear()
    dialog.accept()
    assert dialog.error_label.text() == "Give the meeting a title."
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_meeting_dialog_reads_the_availability_grammar(qtbot: QtBot, window: MainWindow) -> None:
    trip = trips.get_trip(window.library, window.trip_id or 0)
    meeting = trips.meetings(window.library, window.trip_id or 0)[0]
    dialog = MeetingDialog(window, window.library, trip, meeting)
    qtbot.addWidget(dialog)
    dialog.windows.setPlainText("2023-06-06 9:00-12:00; 2023-06-07 14:00–17:00")
    windows = dialog.value().windows
    assert [(w.start.day, w.start.hour, w.end.hour) for w in windows] == [(6, 9, 12), (7, 14, 17)]
    assert parse_availability(format_availability(windows), trip).windows == windows
    dialog.windows.setPlainText("2023-02-30 09:00-10:00")
    with pytest.raises(InputError, match="“2023-02-30” is not a date"):
        dialog.value()


def test_new_meeting_and_delegates(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    trip_id = window.trip_id or 0
    count = len(trips.meetings(window.library, trip_id))

    def fill_meeting(d: MeetingDialog) -> None:
        qtbot.keyClicks(d.title_edit, "Coffee with a VC")
        d.organization.setCurrentText("Harborline Capital Partners")

    _answer(monkeypatch, MeetingDialog, fill_meeting)
    window.schedule_area.new_meeting_action.trigger()
    added = [m for m in trips.meetings(window.library, trip_id) if m.title == "Coffee with a VC"]
    assert len(trips.meetings(window.library, trip_id)) == count + 1
    assert added[0].start is None and added[0].organization_id is not None

    def fill_delegate(d: DelegateDialog) -> None:
        qtbot.keyClicks(d.name, "Nadia Example")
        qtbot.keyClicks(d.email, "nadia@example.com")

    _answer(monkeypatch, DelegateDialog, fill_delegate)
    dialog = delegates.DelegatesDialog(window.context, window.trip_id or 0)
    qtbot.addWidget(dialog)
    before = dialog.list.count()
    dialog.add()
    assert dialog.list.count() == before + 1
    names = [d.name for d in trips.delegates(window.library, trip_id)]
    assert "Nadia Example" in names
    dialog.list.setCurrentRow(0)
    first = dialog.list.currentItem().text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog.remove()
    assert dialog.list.count() == before
    assert window.undo_action.text().startswith("&Undo Remove Delegate")
    window.undo_action.trigger()
    dialog.reload()
    assert dialog.list.item(0).text() == first


def test_delegate_dialog_checks_the_email(qtbot: QtBot, window: MainWindow) -> None:
    from visitplanner.model import Delegate

    dialog = DelegateDialog(window, Delegate(window.trip_id or 0, "Ana"))
    qtbot.addWidget(dialog)
    dialog.email.setText("ana at example")
    dialog.accept()
    assert dialog.error_label.text() == "“ana at example” is not a valid email address."


def test_meeting_place_found_by_geocoding_joins_the_directory(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitplanner.library import directory
    from visitplanner.model import Precision

    meeting = trips.meetings(window.library, window.trip_id or 0)[5]
    assert meeting.id is not None

    def fill(d: MeetingDialog) -> None:
        d.place.edit.selectAll()
        qtbot.keyClicks(d.place.edit, "Stata Center")
        qtbot.keyClick(d.place.edit, Qt.Key.Key_Return)
        assert d.result() != QDialog.DialogCode.Accepted  # Enter finds, OK stays unpressed
        assert d.place.note.text().startswith("New place: 32 Vassar Street, Cambridge")

    _answer(monkeypatch, MeetingDialog, fill)
    assert actions.edit_meeting(window.context, meeting.id)
    after = trips.get_meeting(window.library, meeting.id)
    assert after.place_id is not None and after.place_id != meeting.place_id
    place = directory.get_place(window.library, after.place_id)
    assert place.name == "Ray and Maria Stata Center (MIT Building 32)"  # the venue's name
    assert place.street == "32 Vassar Street" and place.precision is Precision.VENUE
    window.undo_action.trigger()
    assert trips.get_meeting(window.library, meeting.id).place_id == meeting.place_id


def test_find_place_explains_when_nothing_matches(qtbot: QtBot, window: MainWindow) -> None:
    trip = trips.get_trip(window.library, window.trip_id or 0)
    dialog = MeetingDialog(
        window, window.library, trip, trips.meetings(window.library, trip.id or 0)[0]
    )
    qtbot.addWidget(dialog)
    dialog.place.edit.setText("Zzyzx Qwertyville")
    dialog.place.find_button.click()
    assert dialog.place.note.text() == "No place matches “Zzyzx Qwertyville”."
    assert dialog.place_to_add() is None
    dialog.accept()  # typed, not chosen: the dialog says so and stays open
    assert "Choose a place for “Zzyzx Qwertyville”" in dialog.error_label.text()


def test_online_place_answer_after_the_dialog_and_library_closed_is_dropped(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Cancel the meeting dialog, open another library, then the online answer arrives."""
    import ui.shell.settings
    import ui.shell.tasks
    from visitplanner.geo.geocoder import GeoResult
    from visitplanner.geo.online import OnlineSettings
    from visitplanner.model import Precision

    monkeypatch.setattr(
        ui.shell.settings,
        "online_geocoding",
        lambda: OnlineSettings(True, "http://127.0.0.1:9", "t"),
    )
    pending: list[Any] = []
    monkeypatch.setattr(
        ui.shell.tasks, "run_task", lambda parent, work, done, **kw: pending.append(done)
    )
    trip = trips.get_trip(window.library, window.trip_id or 0)
    dialog = MeetingDialog(
        window, window.library, trip, trips.meetings(window.library, trip.id or 0)[0]
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.place.edit.setText("Zzyzx Qwertyville")
    dialog.place.find_button.click()
    assert len(pending) == 1 and not dialog.place.find_button.isEnabled()
    dialog.reject()
    window._open_path(tmp_path / "other.visitplanner", create=True)
    pending[0]([GeoResult("Zzyzx Qwertyville", 42.36, -71.09, Precision.VENUE, "nominatim", "x")])
    assert dialog.place.find_button.isEnabled()
    assert dialog.place_to_add() is None
