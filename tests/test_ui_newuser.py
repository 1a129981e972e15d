"""A first-time user's pass (issue 17): what a new delegation lead met, typed and clicked.

Starting on a library named on the command line that does not exist yet, and typing a
delegate's late arrival (date and time in one field) as people write it, in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ui.schedule.delegates import DelegateDialog
from ui.shell.app import make_application, open_startup_library
from ui.shell.main_window import MainWindow
from visitplanner import i18n
from visitplanner.library import Library, trips
from visitplanner.model import Delegate


def _click_in_box(monkeypatch: pytest.MonkeyPatch, button_text: str, seen: list[str]) -> None:
    """The next message box: note its text and click the button named ``button_text``."""

    def run(box: QMessageBox) -> int:
        seen.append(box.text())
        names = [b.text().replace("&", "") for b in box.buttons()]
        seen.append(" | ".join(names))
        if button_text in names:
            box.buttons()[names.index(button_text)].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", run)


def test_a_library_named_that_does_not_exist_yet_is_created_empty(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    path = tmp_path / "mission.visitplanner"
    seen: list[str] = []
    _click_in_box(monkeypatch, "Create Library", seen)
    library = open_startup_library(path)
    assert library is not None and library.path == path
    try:
        assert "does not exist yet" in seen[0]
        assert trips.trips(library) == []  # empty: no demo in a library the user named
    finally:
        library.close()
    assert path.exists()


def test_closing_the_question_creates_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    path = tmp_path / "mission.visitplanner"
    seen: list[str] = []
    _click_in_box(monkeypatch, "Close", seen)
    assert open_startup_library(path) is None
    assert "Create Library" in seen[1]
    assert not path.exists()


def test_a_missing_folder_offers_no_creation(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    path = tmp_path / "no such folder" / "mission.visitplanner"
    seen: list[str] = []
    _click_in_box(monkeypatch, "Create Library", seen)
    assert open_startup_library(path) is None
    assert "Create Library" not in seen[1]
    assert not path.parent.exists()


@pytest.fixture(params=["en", "fr"])
def lang_window(request: pytest.FixtureRequest, qtbot: QtBot, demo_path: Path) -> Iterator[Any]:
    make_application()
    i18n.set_language(request.param)
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    win.show()
    yield win


ARRIVALS = {
    "en": {
        "Wed Dec 9, 2026 10:00 AM": (dt.date(2026, 12, 9), dt.time(10, 0)),
        "Dec 9 10": (dt.date(2026, 12, 9), dt.time(10, 0)),
        "December 9, 2026 2:30 pm": (dt.date(2026, 12, 9), dt.time(14, 30)),
        "2026-12-09 14:30": (dt.date(2026, 12, 9), dt.time(14, 30)),
        "3 pm": (dt.date(2026, 12, 8), dt.time(15, 0)),  # a time alone keeps the day
        "Dec 9": (dt.date(2026, 12, 9), dt.time(8, 30)),  # a date alone keeps the time
    },
    "fr": {
        # (QTest types ASCII only; accents are optional to the reader)
        "mer. 9 dec. 2026 10 h 00": (dt.date(2026, 12, 9), dt.time(10, 0)),
        "9 decembre 14 h 30": (dt.date(2026, 12, 9), dt.time(14, 30)),
        "9/12 10 h": (dt.date(2026, 12, 9), dt.time(10, 0)),
        "15 h": (dt.date(2026, 12, 8), dt.time(15, 0)),
    },
}


def test_a_late_arrival_is_typed_as_people_write_it(qtbot: QtBot, lang_window: MainWindow) -> None:
    trip = trips.get_trip(lang_window.library, lang_window.trip_id or 0)
    dialog = DelegateDialog(lang_window, Delegate(trip.id or 0, ""), lang_window.library)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.mission is not None
    arrival = dialog.mission.arrival
    qtbot.mouseClick(arrival.check, Qt.MouseButton.LeftButton, pos=arrival.check.rect().center())
    assert arrival.edit.isEnabled()
    for text, (day, time) in ARRIVALS[i18n.current().language].items():
        arrival.edit.setDateTime(QDateTime(QDate(2026, 12, 8), QTime(8, 30)))
        arrival.edit.setFocus()
        qtbot.keyClick(arrival.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(arrival.edit, text)
        qtbot.keyClick(arrival.edit, Qt.Key.Key_Tab)
        assert arrival.value() == dt.datetime.combine(day, time), text
    before = arrival.value()
    arrival.edit.setFocus()
    qtbot.keyClick(arrival.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(arrival.edit, "whenever")
    qtbot.keyClick(arrival.edit, Qt.Key.Key_Tab)
    assert arrival.value() == before  # kept; its text shown again
    assert arrival.edit.text() == arrival.edit.textFromDateTime(arrival.edit.dateTime())


def test_a_wrapped_place_note_grows_the_dialog_instead_of_covering_its_buttons(
    qtbot: QtBot, window: MainWindow, empty_library: Library
) -> None:
    from ui.directory.editors import OrganizationDialog
    from visitplanner.model import Organization

    window.switch_library(empty_library)  # a new user's: no place stored yet
    dialog = OrganizationDialog(window, empty_library, Organization(""))
    qtbot.addWidget(dialog)
    dialog.show()
    font = dialog.font()  # the X server's font is wider than offscreen's: the note wraps
    font.setPointSizeF(font.pointSizeF() * 1.4)
    dialog.setFont(font)
    dialog.resize(dialog.minimumWidth(), dialog.minimumSizeHint().height())
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.name, "Institut Fictif de Biotech")
    qtbot.keyClicks(dialog.place.edit, "2705 Boulevard Laurier, Quebec")
    qtbot.keyClick(dialog.place.edit, Qt.Key.Key_Return)  # finds, as in the first pass
    qtbot.waitUntil(lambda: "New place:" in dialog.place.note.text(), timeout=5000)
    line = dialog.place.note.fontMetrics().height()
    qtbot.waitUntil(lambda: dialog.place.note.height() > line * 1.5, timeout=2000)  # it wraps

    def clear_of_each_other() -> bool:
        notes = dialog.notes.geometry()
        notes.moveTopLeft(dialog.notes.mapTo(dialog, notes.topLeft() - notes.topLeft()))
        ok = dialog.buttons.geometry()
        ok.moveTopLeft(dialog.buttons.mapTo(dialog, ok.topLeft() - ok.topLeft()))
        return notes.bottom() < ok.top()

    qtbot.waitUntil(clear_of_each_other, timeout=2000)


def test_a_deleted_meeting_is_said_in_the_status_bar_with_the_key_that_brings_it_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.trip_combo.setCurrentIndex(0)
    window.statusBar().showMessage("Redone: something else.")  # as in the pass: a stale line
    meeting = trips.meetings(window.library, window.trip_id or 0)[0]
    window.select_meetings([meeting.id or 0])
    window.schedule_view.setFocus()
    qtbot.keyClick(window.schedule_view, Qt.Key.Key_Delete)
    assert meeting.id not in {m.id for m in trips.meetings(window.library, window.trip_id or 0)}
    said = window.statusBar().currentMessage()
    assert said == f"Done: Delete “{meeting.title}”. Ctrl+Z brings it back."
    qtbot.keyClick(window.schedule_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert meeting.id in {m.id for m in trips.meetings(window.library, window.trip_id or 0)}


def test_a_new_trip_prints_its_documents_in_the_window_language(
    qtbot: QtBot, lang_window: MainWindow
) -> None:
    from ui.schedule.trip_dialog import TripDialog

    dialog = TripDialog(lang_window, lang_window.library, None)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == i18n.current().language  # "Français" in French
    trip = trips.get_trip(lang_window.library, lang_window.trip_id or 0)
    other = "en" if trip.language.value == "fr" else "fr"
    trip.language = type(trip.language)(other)
    edit = TripDialog(lang_window, lang_window.library, trip)
    qtbot.addWidget(edit)
    assert edit.language.currentData() == other  # an existing trip keeps its own


def test_an_apostrophe_before_a_shortcut_letter_is_typographic() -> None:
    from tools.i18n import quebec_typography

    assert quebec_typography("Contacts d'&urgence :") == "Contacts d\u2019&urgence\u00a0:"


def test_arrange_waits_for_a_trip_like_the_other_trip_actions(
    qtbot: QtBot, window: MainWindow, empty_library: Library
) -> None:
    area = window.schedule_area
    assert area.arrange.action.isEnabled()  # the demo's trip is shown
    window.switch_library(empty_library)  # a new user's library: no trip yet
    assert not area.arrange.action.isEnabled()
    assert not area.new_meeting_action.isEnabled()
