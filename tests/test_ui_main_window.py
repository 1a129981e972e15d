"""The main window as a person uses it: pick a trip, read the schedule, search, prefs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ui.shell import settings
from ui.shell.app import make_application, open_startup_library
from ui.shell.dialogs import PreferencesDialog, about_text
from ui.shell.main_window import MainWindow
from visitplanner import i18n
from visitplanner.library import Library


def _meeting_rows(win: MainWindow) -> int:
    model = win.schedule_model
    return sum(model.item(r, 0).rowCount() for r in range(model.rowCount()))


def test_trip_picker_switches_the_schedule(window: MainWindow) -> None:
    assert window.trip_combo.count() == 2
    window.trip_combo.setCurrentIndex(0)
    assert window.windowTitle() == (
        f"{window.trip_combo.currentText()} — demo.visitplanner — Visit Planner"
    )
    first = _meeting_rows(window)
    assert first >= 30
    window.trip_combo.setCurrentIndex(1)
    assert window.trip_id == window.trip_combo.itemData(1)
    assert _meeting_rows(window) >= 25
    day_header = window.schedule_model.item(0, 0).text()
    assert day_header.startswith("Monday, May 13, 2024")


def test_problems_list_and_click_selects_the_meetings(qtbot: QtBot, window: MainWindow) -> None:
    assert window.problems_list.count() >= 3
    item = next(
        window.problems_list.item(i)
        for i in range(window.problems_list.count())
        if "overlap" in window.problems_list.item(i).text()
    )
    with qtbot.waitSignal(window.context.meetingsSelected) as blocker:
        rect = window.problems_list.visualItemRect(item)
        qtbot.mouseClick(
            window.problems_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert len(blocker.args[0]) == 2
    assert sorted(window.selected_meeting_ids()) == sorted(blocker.args[0])


def test_search_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    window.focus_search()
    total = window.directory_model.rowCount()
    qtbot.keyClicks(window.search_edit, "montreal")
    matches = window.directory_model.rowCount()
    assert 0 < matches < total
    texts = [window.directory_model.index(r, 5).data() for r in range(matches)]
    assert texts and all(t == "Montréal" for t in texts)  # every match is in Montréal
    window.search_edit.clear()
    assert window.directory_model.rowCount() == total


def test_edits_elsewhere_refresh_the_views(window: MainWindow) -> None:
    from visitplanner.library import trips

    trip_id = window.trip_id
    assert trip_id is not None
    before = _meeting_rows(window)
    trips.add_meeting(window.library, trips.Meeting(trip_id=trip_id, title="Added elsewhere"))
    assert _meeting_rows(window) == before + 1


def test_preferences_store_the_language(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    dialog = PreferencesDialog(window)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.accept()
    assert settings.language() == "fr"
    assert told and "restart" in told[0]
    settings.set_language("system")


def test_about_names_the_licences_of_shipped_data() -> None:
    text = about_text()
    assert "ODbL" in text and "OpenStreetMap" in text and "0.1.0" in text
    # the street data of each city, with its licence (resources/streets, resources/streetmap)
    assert "City of Cambridge GIS" in text and "PDDL" in text
    assert "Ville de Québec, CC BY 4.0" in text and "Ville de Montréal, CC BY 4.0" in text
    assert "Natural Earth" in text


def test_window_in_french(qtbot: QtBot, demo_path: Path) -> None:
    i18n.set_language("fr")
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    titles = [a.text() for a in win.menuBar().actions()]
    assert titles[:2] == ["&Fichier", "&Édition"]
    win.trip_combo.setCurrentIndex(0)
    assert win.schedule_model.item(0, 0).text() == "lundi 5 juin 2023"
    assert win.tabs.tabText(1) == "Répertoire"


def test_geometry_and_last_library_are_remembered(qtbot: QtBot, demo_path: Path) -> None:
    make_application()
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    win.show()
    win.resize(700, 520)
    win.close()
    assert settings.last_library() == str(demo_path)
    again = MainWindow(Library.open(demo_path))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 520)


def test_first_start_creates_the_library_with_the_demo(qtbot: QtBot) -> None:
    from visitplanner.library import trips
    from visitplanner.paths import default_library_path

    make_application()
    settings.settings().remove("last_library")
    path = default_library_path()
    assert not path.exists()
    lib = open_startup_library(None)
    assert lib is not None and lib.path == path
    assert len(trips.trips(lib)) == 2
    lib.close()
    path.unlink()


def test_a_bad_file_is_a_message_and_stays_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    make_application()
    bad = tmp_path / "notes.visitplanner"
    bad.write_text("shopping list\n")
    digest = hashlib.sha256(bad.read_bytes()).hexdigest()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert open_startup_library(bad) is None
    assert shown and "not a Visit Planner library" in shown[0]
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == digest


def test_at_start_up_problems_follow_the_first_paint(qtbot: QtBot, demo_path: Path) -> None:
    make_application()
    win = MainWindow(Library.open(demo_path), defer_checks=True)
    qtbot.addWidget(win)
    win.show()
    assert win.schedule_model.rowCount() > 0  # the schedule is there at once
    qtbot.waitUntil(lambda: win.problems_list.count() >= 3, timeout=3000)
    assert win.schedule_area.problems == win.schedule_model.problems


def test_schedule_columns_follow_the_width_until_the_user_sets_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.schedule_view
    window.resize(700, 520)
    qtbot.wait(10)
    narrow = view.columnWidth(1)
    window.resize(1800, 900)
    qtbot.waitUntil(lambda: view.columnWidth(1) > narrow, timeout=2000)
    view.setColumnWidth(1, 333)  # as a person dragging the column's edge
    window.resize(700, 520)
    qtbot.wait(10)
    assert view.columnWidth(1) == 333


def test_an_uncaught_error_is_a_message_not_a_silent_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.shell import app as app_module
    from visitplanner.errors import InputError

    make_application()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or 0
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append((a[2], "")))
    try:
        raise KeyError("bug")
    except KeyError as error:
        app_module._report_uncaught(KeyError, error, error.__traceback__)
    app_module._report_uncaught(InputError, InputError("That date is not in the trip."), None)
    assert "Something went wrong" in shown[0][0] and "KeyError" in shown[0][1]
    assert shown[1] == ("That date is not in the trip.", "")
    assert "KeyError" in capsys.readouterr().err


def test_the_day_list_marks_meetings_with_a_problem(qtbot: QtBot, demo_path: Path) -> None:
    from ui.schedule.model import MEETING_ID_ROLE

    make_application()
    win = MainWindow(Library.open(demo_path), defer_checks=True)
    qtbot.addWidget(win)
    win.show()
    model = win.schedule_model
    overlap = next(
        p
        for p in (qtbot.waitUntil(lambda: bool(model.problems)) or model.problems)
        if p.kind.value == "overlap"
    )
    marked = {}
    for row in range(model.rowCount()):
        day = model.item(row, 0)
        for child in range(day.rowCount()):
            title = day.child(child, 1)
            if title.icon().isNull():
                continue
            marked[title.data(MEETING_ID_ROLE)] = title.toolTip()
    assert set(overlap.meeting_ids) <= set(marked)
    assert overlap.message in marked[overlap.meeting_ids[0]]
