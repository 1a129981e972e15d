"""Approximate places in the app's lists, tooltips, timeline legs and Problems panel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from precision_trip import DAY, build
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.shell import settings
from ui.shell.app import make_application
from ui.shell.dialogs import PreferencesDialog
from ui.shell.main_window import MainWindow
from visitplanner import i18n
from visitplanner.library import Library

TIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def precision_path(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "precision.visitplanner"
    lib = Library.open(path, create=True)
    ids = build(lib)
    lib.close()
    return path, ids


def _window(qtbot: QtBot, path: Path, language: str = "en") -> MainWindow:
    make_application()
    i18n.set_language(language)  # after the application, which sets the one of the settings
    win = MainWindow(Library.open(path))
    qtbot.addWidget(win)
    win.show()
    win.trip_combo.setCurrentIndex(0)
    win.schedule_model.run_deferred_checks()
    return win


@pytest.fixture
def window(
    qtbot: QtBot, precision_path: tuple[Path, dict[str, int]]
) -> Iterator[tuple[MainWindow, dict[str, int]]]:
    path, ids = precision_path
    yield _window(qtbot, path), ids


def _directory_city(win: MainWindow, name: str) -> tuple[str, str]:
    model = win.directory_model
    model.ensure_loaded()
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)) == name:
            index = model.index(row, 5)
            return str(model.data(index)), str(model.data(index, TIP))
    raise AssertionError(name)


def _schedule_place(win: MainWindow, title: str) -> tuple[str, str]:
    model = win.schedule_model
    for row in range(model.rowCount()):
        parent = model.item(row, 0)
        for child in range(parent.rowCount()):
            if parent.child(child, 1).text() == title:
                cell = parent.child(child, 3)
                return cell.text(), cell.toolTip()
    raise AssertionError(title)


def test_directory_says_when_an_organization_address_is_to_be_confirmed(
    window: tuple[MainWindow, dict[str, int]],
) -> None:
    win, _ids = window
    shown, tip = _directory_city(win, "Atlantic Avenue Ventures")
    assert shown == "Boston · address to be confirmed"
    assert "Located to: City. The point is not the building" in tip
    shown, tip = _directory_city(win, "Harborline Capital")
    assert shown == "Boston" and tip.endswith("Located to: Venue.")


def test_schedule_place_column_and_tooltip(window: tuple[MainWindow, dict[str, int]]) -> None:
    win, _ids = window
    shown, tip = _schedule_place(win, "AAV intro")
    assert shown == "Atlantic Avenue Ventures · address to be confirmed"
    assert "Located to: City." in tip
    shown, tip = _schedule_place(win, "Summer Street Biotech")
    assert shown.endswith("· address to be confirmed") and "Located to: Street." in tip
    shown, tip = _schedule_place(win, "Harborline Tower")
    assert shown == "Harborline Tower" and tip.endswith("Located to: Venue.")


def test_problems_panel_shows_each_approximate_place_once_with_its_fix(
    qtbot: QtBot, window: tuple[MainWindow, dict[str, int]]
) -> None:
    win, ids = window
    items = [win.problems_list.item(i) for i in range(win.problems_list.count())]
    texts = [item.text() for item in items]
    places = [t for t in texts if "is located only to its" in t]
    assert len(places) == 4
    aav = next(t for t in places if "Atlantic Avenue Ventures" in t)
    assert aav.splitlines()[1] == (
        "Fix: find the address (Places), drop the pin by hand on the map, or look it up "
        "online (Preferences)."
    )
    assert win.problems_list.wordWrap()  # long sentences wrap in the panel, never cut
    chosen: list[list[int]] = []
    win.problems_dock.meetingsActivated.connect(chosen.append)
    win.problems_list.itemClicked.emit(next(i for i in items if i.text() == aav))
    assert chosen == [[ids["intro"], ids["followup"]]]  # a click selects both meetings

    # With online lookups allowed in Preferences, the fix no longer offers them.
    def allow_online() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        dialog.online_geocoding.setChecked(True)
        dialog.accept()

    QTimer.singleShot(0, allow_online)
    try:
        win.show_preferences()
        texts = [win.problems_list.item(i).text() for i in range(win.problems_list.count())]
        fixes = {t.splitlines()[1] for t in texts if "is located only to its" in t}
        assert fixes == {"Fix: find the address (Places) or drop the pin by hand on the map."}
    finally:
        settings.set_online(False, "", False, "", False)


def test_timeline_never_shows_zero_minutes_between_approximate_points(
    window: tuple[MainWindow, dict[str, int]],
) -> None:
    from ui.schedule.timeline_layout import layout_day
    from ui.schedule.timeline_paint import leg_text

    win, ids = window
    snap = win.schedule_model.snapshot
    assert snap is not None
    day = layout_day(snap, DAY, win.schedule_model.problems)
    texts = {}
    for mark in day.legs:
        texts.setdefault(mark.start, set()).add(leg_text(mark, short=False))
    into_beacon = texts[10 * 60 + 30]  # after "AAV follow-up" (10:00-10:30)
    assert into_beacon == {"? min"}
    assert texts[9 * 60 + 30] == {"0 min · taxi"}  # the same place record: no travel
    assert all("0 min" not in t for t in texts[11 * 60 + 30])  # rough, not nothing
    assert ids["beacon"] in {m.id for m in snap.meetings}


def test_lists_in_french(qtbot: QtBot, precision_path: tuple[Path, dict[str, int]]) -> None:
    path, _ids = precision_path
    win = _window(qtbot, path, "fr")
    shown, tip = _directory_city(win, "Atlantic Avenue Ventures")
    assert shown == "Boston · adresse à confirmer"
    assert "Précision\u00a0: Ville." in tip
    shown, _tip = _schedule_place(win, "AAV intro")
    assert shown == "Atlantic Avenue Ventures · adresse à confirmer"
    texts = [win.problems_list.item(i).text() for i in range(win.problems_list.count())]
    assert any(t.endswith("(Préférences).") and "Solution\u00a0:" in t for t in texts)
