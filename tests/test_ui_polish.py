"""What a person notices on every screen, in English and in French: no two controls of a
dialog or menu share an Alt key, the Help menu lists the shortcuts, empty lists say why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QAbstractButton, QDialog, QGroupBox, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from ui.directory import editors as directory_editors
from ui.itinerary import print as print_ui
from ui.schedule import delegates, meeting_dialog, trip_dialog
from ui.shell.app import make_application
from ui.shell.dialogs import PreferencesDialog
from ui.shell.main_window import MainWindow
from ui.shell.shortcuts import ShortcutsDialog
from visitplanner import i18n
from visitplanner.library import Library, directory, trips
from visitplanner.planning.snapshot import load_snapshot


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def _clashes(texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for text in texts:
        key = _mnemonic(text)
        if key:
            seen.setdefault(key, []).append(text)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _widget_texts(widget: QWidget) -> list[str]:
    texts = []
    for child in widget.findChildren(QWidget):
        if isinstance(child, QGroupBox):
            texts.append(child.title())
        elif isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
    return texts


@pytest.fixture(params=["en", "fr"])
def window(request: pytest.FixtureRequest, qtbot: QtBot, demo_path: Path) -> Iterator[MainWindow]:
    make_application()
    i18n.set_language(request.param)
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    yield win


def _dialogs(win: MainWindow) -> dict[str, QDialog]:
    lib = win.library
    assert win.trip_id is not None
    trip = trips.get_trip(lib, win.trip_id)
    snap = load_snapshot(lib, win.trip_id)
    meeting = next(m for m in snap.meetings if m.start is not None)
    return {
        "preferences": PreferencesDialog(win),
        "trip": trip_dialog.TripDialog(win, lib, trip),
        "delegate": delegates.DelegateDialog(win, trips.delegates(lib, win.trip_id)[0]),
        "delegates": delegates.DelegatesDialog(win.context, win.trip_id or 0),
        "meeting": meeting_dialog.MeetingDialog(win, lib, trip, meeting),
        "organization": directory_editors.OrganizationDialog(
            win, lib, next(iter(directory.organizations(lib).values()))
        ),
        "contact": directory_editors.ContactDialog(
            win, lib, next(iter(directory.contacts(lib).values()))
        ),
        "export": print_ui.ItineraryDialog(win, snap, printing=False),
        "print": print_ui.ItineraryDialog(win, snap, printing=True),
    }


def test_no_two_controls_of_a_dialog_share_an_alt_key(window: MainWindow) -> None:
    for name, dialog in _dialogs(window).items():
        assert not _clashes(_widget_texts(dialog)), name


def test_every_menu_entry_has_its_own_alt_key(window: MainWindow) -> None:
    bar = window.menuBar()
    assert not _clashes([a.text() for a in bar.actions()])
    for top in bar.actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        entries = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert not _clashes(entries), menu.title()
        assert all(_mnemonic(text) for text in entries), entries


def test_problems_entry_keeps_its_menu_text_when_the_count_changes(window: MainWindow) -> None:
    toggle = window.problems_dock.toggleViewAction()
    window.refresh_problems()
    assert window.problems_dock.windowTitle() != toggle.text()
    assert _mnemonic(toggle.text())


def test_help_lists_the_keyboard_shortcuts(window: MainWindow) -> None:
    assert window.shortcuts_action in window.help_menu.actions()
    assert not window.shortcuts_action.shortcut().isEmpty()
    rows = ShortcutsDialog(window).rows()
    commands = dict(rows)
    new_meeting = window.schedule_area.new_meeting_action.text().replace("&", "").rstrip("…")
    assert commands[new_meeting] == "Ctrl+N, Ctrl+M"  # New makes a meeting (issue 17)
    assert "Ctrl+Z" in commands.values()
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert all("&" not in command for command, _keys in rows)
    # Undo and Redo by their names, not the step they would undo now; no keys a laptop lacks.
    window.undo_stack.push(QUndoCommand("Move “Tea”"))
    commands = dict(ShortcutsDialog(window).rows())
    from ui.shell.shortcuts import plain
    from visitplanner.i18n import _

    assert commands[plain(_("&Undo"))] == "Ctrl+Z" and plain(_("&Redo")) in commands
    assert not any("Tea" in command for command in commands)
    for keys in commands.values():
        assert not {"Exit", "Help"} & set(keys.split(", ")), keys


def test_an_empty_search_says_nothing_matches(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    window.tabs.setCurrentIndex(1)
    assert not window.directory_empty.isVisible()
    qtbot.keyClicks(window.search_edit, "zzqx")
    assert window.directory_model.rowCount() == 0
    assert window.directory_empty.isVisible()
    assert "zzqx" in window.directory_empty.text()
    window.search_edit.clear()
    assert not window.directory_empty.isVisible()


def test_meeting_dialog_dates_follow_the_language(window: MainWindow) -> None:
    dialog = _dialogs(window)["meeting"]
    assert isinstance(dialog, meeting_dialog.MeetingDialog)
    dialog.scheduled.setChecked(True)
    dialog.start.setTime(dialog.start.time().fromString("14:30", "HH:mm"))
    text = dialog.start.text()
    assert text == ("14 h 30" if i18n.current().language == "fr" else "2:30 PM")
    assert not re.fullmatch(r"\d{4}-\d\d-\d\d", dialog.date.text())


def test_an_empty_hosts_list_says_why(window: MainWindow) -> None:
    dialog = _dialogs(window)["meeting"]
    assert isinstance(dialog, meeting_dialog.MeetingDialog)
    dialog.organization.set_record(None)  # (none)
    assert dialog.hosts.count() == 1
    assert dialog.hosts.item(0).text()
    assert dialog.value().host_ids == []


def test_the_list_shows_status_without_scrolling_on_a_laptop(window: MainWindow) -> None:
    window.resize(1366, 768)
    window.show()
    window.trip_combo.setCurrentIndex(1)
    window.trip_combo.setCurrentIndex(0)
    view = window.schedule_view
    assert sum(view.columnWidth(c) for c in range(5)) <= max(view.viewport().width(), 800)
    time_text = window.schedule_model.item(0, 0).child(0, 0).text()
    assert view.fontMetrics().horizontalAdvance(time_text) < view.columnWidth(0)


def test_no_requests_says_so(window: MainWindow, empty_library: Library) -> None:
    window.switch_library(empty_library)
    assert window.schedule_area.requests.title.text() == "<b>{}</b>".format(
        i18n._("No requests to schedule")
    )
