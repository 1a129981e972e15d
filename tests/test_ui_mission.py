"""The mission model in the window: a person types a delegate's arrival, busy times and own
hotel nights, the delegation's hotel each night, and imports a registration file; each is one
undo step. Both languages keep one Alt key per control."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.test_import_delegates import FRENCH, _csv
from tests.test_ui_polish import _clashes, _widget_texts
from ui.schedule import actions
from ui.schedule.delegates import DelegateDialog, DelegatesDialog
from ui.schedule.import_delegates import ImportDelegatesDialog
from ui.schedule.mission_fields import BusyDialog, StayDialog
from ui.schedule.trip_dialog import TripDialog
from ui.shell.main_window import MainWindow
from visitplanner import i18n
from visitplanner.library import trips
from visitplanner.planning.snapshot import load_snapshot

D, T = dt.date, dt.datetime
QUEBEC = 2  # the demo's Montréal-then-Québec City trip, 2024-05-13 to 16


def _answer(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Callable[[Any], None]) -> None:
    """Make ``cls.exec`` fill the dialog as a person would, then press OK."""

    def fake_exec(dialog: Any) -> int:
        fill(dialog)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return int(dialog.result())

    monkeypatch.setattr(cls, "exec", fake_exec)


def _choose_hotel(qtbot: QtBot, dialog: StayDialog, name: str) -> None:
    """Type the hotel's name and press Enter: the library's place of that name is chosen."""
    dialog.hotel.edit.selectAll()
    qtbot.keyClicks(dialog.hotel.edit, name)
    qtbot.keyClick(dialog.hotel.edit, Qt.Key.Key_Return)


def test_a_delegate_lands_late_has_busy_times_and_sleeps_elsewhere(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.context.set_trip(QUEBEC)
    lib = window.library
    sarah = next(d for d in trips.delegates(lib, QUEBEC) if d.name == "Sarah O'Connell")
    before = load_snapshot(lib, QUEBEC)

    def fill_busy(d: BusyDialog) -> None:
        d.day.setDate(QDate(2024, 5, 14))
        d.start.setTime(QTime(15, 0))
        d.end.setTime(QTime(15, 30))
        qtbot.keyClicks(d.title_edit, "Partnering")

    def fill_stay(d: StayDialog) -> None:
        d.first_night.setDate(QDate(2024, 5, 14))
        d.last_night.setDate(QDate(2024, 5, 15))
        _choose_hotel(qtbot, d, "Fairmont Le Chateau Frontenac")

    def fill_delegate(d: DelegateDialog) -> None:
        assert d.mission is not None
        d.mission.arrival.check.click()
        d.mission.arrival.edit.setDateTime(QDateTime(QDate(2024, 5, 14), QTime(13, 40)))
        qtbot.keyClicks(d.mission.arrival_by, "AC 8790 YUL")
        _answer(monkeypatch, BusyDialog, fill_busy)
        qtbot.mouseClick(d.mission.busy.add_button, Qt.MouseButton.LeftButton)
        _answer(monkeypatch, StayDialog, fill_stay)
        qtbot.mouseClick(d.mission.stays.add_button, Qt.MouseButton.LeftButton)
        assert d.mission.busy.list.item(0).text().endswith("· Partnering")
        assert "Fairmont Le Château Frontenac" in d.mission.stays.list.item(0).text()

    _answer(monkeypatch, DelegateDialog, fill_delegate)
    dialog = DelegatesDialog(window.context, QUEBEC)
    qtbot.addWidget(dialog)
    row = next(i for i in range(dialog.list.count()) if "O'Connell" in dialog.list.item(i).text())
    dialog.list.setCurrentRow(row)
    dialog.edit()
    snap = load_snapshot(lib, QUEBEC)
    after = snap.delegates[sarah.id or 0]
    assert (after.arrival, after.arrival_by) == (T(2024, 5, 14, 13, 40), "AC 8790 YUL")
    assert [(b.start, b.title) for b in snap.busy_of(sarah.id or 0)] == [
        (T(2024, 5, 14, 15), "Partnering")
    ]
    hotel = snap.hotel(sarah.id, D(2024, 5, 14))
    assert hotel is not None and hotel.name == "Fairmont Le Château Frontenac"
    assert window.undo_action.text() == "&Undo Edit Delegate “Sarah O'Connell”"
    window.undo_action.trigger()  # one step: the three come back together
    again = load_snapshot(lib, QUEBEC)
    assert again.delegates == before.delegates
    assert again.busy == before.busy and again.stays == before.stays


def test_an_arrival_outside_the_trip_is_explained(qtbot: QtBot, window: MainWindow) -> None:
    lib = window.library
    delegate = trips.delegates(lib, QUEBEC)[0]
    dialog = DelegateDialog(window, delegate, lib)
    qtbot.addWidget(dialog)
    assert dialog.mission is not None
    dialog.mission.departure.check.click()
    dialog.mission.departure.edit.setDateTime(QDateTime(QDate(2024, 6, 1), QTime(9, 0)))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "too far from the trip's days" in dialog.error_label.text()


def test_the_trip_dialog_sets_the_hotel_of_each_night(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.context.set_trip(QUEBEC)
    lib = window.library

    def fill_stay(d: StayDialog) -> None:
        d.first_night.setDate(QDate(2024, 5, 15))
        d.last_night.setDate(QDate(2024, 5, 16))
        _choose_hotel(qtbot, d, "Fairmont Le Chateau Frontenac")

    def fill_trip(d: TripDialog) -> None:
        assert d.stays is not None and d.stays.list.count() == 2
        d.stays.list.setCurrentRow(1)  # the Québec City night goes
        qtbot.mouseClick(d.stays.remove_button, Qt.MouseButton.LeftButton)
        _answer(monkeypatch, StayDialog, fill_stay)
        qtbot.mouseClick(d.stays.add_button, Qt.MouseButton.LeftButton)

    _answer(monkeypatch, TripDialog, fill_trip)
    assert actions.edit_trip(window.context)
    snap = load_snapshot(lib, QUEBEC)
    assert [(s.first_night, s.last_night) for s in snap.stays] == [
        (D(2024, 5, 12), D(2024, 5, 14)),
        (D(2024, 5, 15), D(2024, 5, 16)),
    ]
    hotel = snap.hotel(None, D(2024, 5, 16))
    assert hotel is not None and hotel.name == "Fairmont Le Château Frontenac"
    window.undo_action.trigger()
    assert [s.last_night for s in load_snapshot(lib, QUEBEC).stays] == [
        D(2024, 5, 14),
        D(2024, 5, 15),
    ]


def test_two_stays_sharing_a_night_are_refused_in_the_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    trip = trips.get_trip(window.library, QUEBEC)
    dialog = TripDialog(window, window.library, trip)
    qtbot.addWidget(dialog)
    assert dialog.stays is not None
    stays = list(dialog.stays.items)
    first = stays[0][0]
    first.last_night = D(2024, 5, 15)  # now both stays hold the night of the 15th
    operation = dialog.stays_edit()
    assert operation is None  # nothing changed through the editor yet
    dialog.stays.changed = True
    operation = dialog.stays_edit()
    assert operation is not None
    from visitplanner.errors import InputError

    with pytest.raises(InputError, match="share the night of 2024-05-15"):
        operation.apply(window.library)


def test_file_import_delegates_previews_then_imports_as_one_step(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window.context.set_trip(QUEBEC)
    path = tmp_path / "inscriptions.csv"
    path.write_bytes(_csv(FRENCH))
    seen: dict[str, object] = {}

    def press_import(dialog: ImportDelegatesDialog) -> int:
        seen["tabs"] = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        seen["rejected"] = dialog.rejected_list.item(0).text()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return int(dialog.result())

    monkeypatch.setattr(ImportDelegatesDialog, "exec", press_import)
    count = len(trips.delegates(window.library, QUEBEC))
    controller = window.schedule_area.delegates_importer
    assert controller.action.text() == "Import &Delegates…"
    assert controller.import_file(path)
    assert seen["tabs"] == ["3 rows", "1 warning", "3 rejected rows"]
    assert str(seen["rejected"]).startswith("Line 3: “le 14 mai vers midi” is not a date")
    assert len(trips.delegates(window.library, QUEBEC)) == count + 2
    assert window.undo_action.text() == "&Undo Import 3 delegates"
    window.undo_action.trigger()
    assert len(trips.delegates(window.library, QUEBEC)) == count


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_control_keeps_its_own_alt_key(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    i18n.set_language(language)
    lib = window.library
    trip = trips.get_trip(lib, QUEBEC)
    delegate = trips.delegates(lib, QUEBEC)[0]
    stay = load_snapshot(lib, QUEBEC).stays[0]
    for dialog in (
        DelegateDialog(window, delegate, lib),
        TripDialog(window, lib, trip),
        StayDialog(window, lib, trip, stay, None),
        BusyDialog(window, trip, _busy(delegate.id or 0)),
    ):
        qtbot.addWidget(dialog)
        assert not _clashes(_widget_texts(dialog)), type(dialog).__name__


def _busy(delegate_id: int) -> Any:
    from visitplanner.model import BusyBlock

    return BusyBlock(delegate_id, T(2024, 5, 14, 10), T(2024, 5, 14, 10, 30), "Partnering")


def test_a_transfer_is_entered_with_both_ends(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.schedule.meeting_dialog import MeetingDialog
    from visitplanner.model import MeetingKind, TransferMode

    window.context.set_trip(QUEBEC)
    lib = window.library
    seen: list[str] = []

    def fill(d: MeetingDialog) -> None:
        assert not d.to_place.isVisibleTo(d)  # a meeting has no arrival place
        qtbot.keyClicks(d.title_edit, "Train to Quebec City")
        d.kind.setCurrentIndex(d.kind.findData(MeetingKind.TRANSFER))
        assert d.to_place.isVisibleTo(d)
        for field, name in ((d.place, "Gare centrale de Montreal"), (d.to_place, "Gare du Palais")):
            field.edit.selectAll()
            qtbot.keyClicks(field.edit, name)
            qtbot.keyClick(field.edit, Qt.Key.Key_Return)
        d.buttons.button(d.buttons.StandardButton.Ok).click()  # no mode yet: refused
        seen.append(d.error_label.text())
        d.transfer_mode.setCurrentIndex(d.transfer_mode.findData(TransferMode.TRAIN))
        qtbot.keyClicks(d.reference, "VIA 22")

    _answer(monkeypatch, MeetingDialog, fill)
    created = actions.new_meeting(window.context)
    assert seen == ["A transfer needs a mode: train, flight, coach or drive."]
    assert created is not None
    train = trips.get_meeting(lib, created)
    snap = load_snapshot(lib, QUEBEC)
    assert snap.places[train.place_id or 0].name == "Gare centrale de Montréal"
    assert snap.places[train.to_place_id or 0].name == "Gare du Palais"
    assert (train.transfer_mode, train.reference) == (TransferMode.TRAIN, "VIA 22")
