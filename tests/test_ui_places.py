"""Places in every dialog, as a person types and clicks: the trip's hotel, an organization's
place and a meeting's place are found or created with one field; View > Places… merges and
deletes places; every step undoes and redoes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ui.directory.editors import OrganizationDialog
from ui.schedule import actions
from ui.schedule.meeting_dialog import MeetingDialog
from ui.schedule.trip_dialog import TripDialog
from ui.shell.main_window import MainWindow
from visitplanner.library import Library, directory, trips
from visitplanner.model import Place, Precision, Region


def _answer(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Callable[[Any], None]) -> None:
    """Make ``cls.exec`` show the dialog, fill it as a person would, then press OK."""

    def fake_exec(dialog: Any) -> int:
        dialog.show()
        fill(dialog)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return int(dialog.result())

    monkeypatch.setattr(cls, "exec", fake_exec)


def _place_named(lib: Library, start: str) -> Place:
    return next(p for p in directory.places(lib).values() if p.name.startswith(start))


def test_new_trip_on_an_empty_library_finds_its_hotel(
    qtbot: QtBot, window: MainWindow, empty_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.switch_library(empty_library)
    assert directory.places(empty_library) == {}

    def fill(d: TripDialog) -> None:
        d.name.setText("Québec 2026")  # QTest types ASCII only
        d.region.setCurrentIndex(d.region.findData(Region.QUEBEC))
        d.first_day.setDate(QDate(2026, 5, 4))
        d.last_day.setDate(QDate(2026, 5, 6))
        qtbot.keyClicks(d.base.edit, "Chateau Frontenac")  # as typed without the accent
        assert d.base.popup_texts() == ["Find “Chateau Frontenac”…"]  # nothing stored yet
        qtbot.keyClick(d.base.edit, Qt.Key.Key_Return)  # finds; the dialog stays open
        assert d.isVisible() and d.result() != QDialog.DialogCode.Accepted
        assert d.base.edit.text() == "Fairmont Le Château Frontenac"
        assert d.base.note.text() == ("New place: 1 rue des Carrières, Québec, QC G1R 4P5 · Venue")

    _answer(monkeypatch, TripDialog, fill)
    trip_id = actions.new_trip(window.context)
    assert trip_id is not None
    trip = trips.get_trip(empty_library, trip_id)
    hotel = directory.get_place(empty_library, trip.base_place_id or 0)
    assert hotel.name == "Fairmont Le Château Frontenac"  # the venue's name, not the text typed
    assert (hotel.street, hotel.city, hotel.postal_code) == (
        "1 rue des Carrières",
        "Québec",
        "G1R 4P5",
    )
    assert hotel.precision is Precision.VENUE and abs((hotel.lat or 0) - 46.81194) < 1e-4
    window.undo_action.trigger()  # the trip and its new hotel are one step
    assert trips.trips(empty_library) == [] and directory.places(empty_library) == {}
    window.redo_action.trigger()
    assert trips.get_trip(empty_library, trip_id).base_place_id == hotel.id
    assert directory.get_place(empty_library, hotel.id or 0) == hotel


def test_organization_place_is_typed_as_an_address(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = window.library
    before = set(directory.places(lib))

    def fill(d: OrganizationDialog) -> None:
        qtbot.keyClicks(d.name, "Vassar Example Labs")
        qtbot.keyClicks(d.place.edit, "32 Vassar Street, Cambridge")
        d.place.find_button.click()

    _answer(monkeypatch, OrganizationDialog, fill)
    org_id = window.directory_panel.new_organization()
    assert org_id is not None
    org = directory.get_organization(lib, org_id)
    place = directory.get_place(lib, org.place_id or 0)
    assert place.name == "Ray and Maria Stata Center (MIT Building 32)"
    assert (place.street, place.city, place.region) == ("32 Vassar Street", "Cambridge", "MA")
    window.undo_action.trigger()
    assert org_id not in directory.organizations(lib) and set(directory.places(lib)) == before
    window.redo_action.trigger()
    assert directory.get_organization(lib, org_id).place_id == place.id


def test_an_address_already_in_the_library_offers_its_place(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = window.library
    bcec = _place_named(lib, "Boston Convention")
    count = len(directory.places(lib))

    def fill(d: OrganizationDialog) -> None:
        qtbot.keyClicks(d.name, "Summer Example Inc")
        qtbot.keyClicks(d.place.edit, "415 Summer Street, Boston")
        qtbot.keyClick(d.place.edit, Qt.Key.Key_Return)
        assert d.place.popup_visible()
        texts = d.place.popup_texts()
        assert texts[0].startswith("Use the existing place “Boston Convention and Exhibition")
        assert texts[-1].startswith("Create a new place")
        qtbot.keyClick(d.place.popup(), Qt.Key.Key_Return)  # the first: the existing place
        assert d.isVisible() and not d.place.popup_visible()

    _answer(monkeypatch, OrganizationDialog, fill)
    org_id = window.directory_panel.new_organization()
    assert directory.get_organization(lib, org_id or 0).place_id == bcec.id
    assert len(directory.places(lib)) == count  # no double


def test_meeting_find_of_a_typo_offers_the_existing_place(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = window.library
    mcgill = _place_named(lib, "McGill University —")
    count = len(directory.places(lib))
    meeting = trips.meetings(lib, window.trip_id or 0)[0]

    def fill(d: MeetingDialog) -> None:
        d.place.edit.clear()
        qtbot.keyClicks(d.place.edit, "Universit McGill")
        # As typed: the library's place comes first, then the lookup.
        assert d.place.popup_texts()[0].startswith("McGill University — downtown campus")
        assert d.place.popup_texts()[-1] == "Find “Universit McGill”…"
        d.place.choose_row(len(d.place.popup_texts()) - 1)  # Find anyway
        assert d.place.popup_texts()[0] == (
            "Use the existing place “McGill University — downtown campus” "
            "(845, rue Sherbrooke Ouest, Montréal, QC H3A 0G4)"
        )
        d.place.choose_row(0)
        assert d.place.edit.text() == "McGill University — downtown campus"
        assert d.place.note.text() == "845, rue Sherbrooke Ouest, Montréal, QC H3A 0G4 · Venue"

    _answer(monkeypatch, MeetingDialog, fill)
    assert actions.edit_meeting(window.context, meeting.id or 0)
    assert trips.get_meeting(lib, meeting.id or 0).place_id == mcgill.id
    assert len(directory.places(lib)) == count
    assert not any(p.name == "Universit McGill" for p in directory.places(lib).values())


def test_ambiguous_answers_let_the_person_choose(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitplanner.geo import geocoder
    from visitplanner.geo.geocoder import GeoResult

    laval_city = GeoResult(
        "Laval", 45.6066, -73.7124, Precision.CITY, "city", "Laval, QC", city="Laval",
        region="QC", country="CA", kind="city",
    )  # fmt: skip
    university = GeoResult(
        "Laval", 46.7817, -71.2747, Precision.VENUE, "gazetteer",
        "Université Laval, 2325 rue de l'Université, Québec", name="Université Laval",
        street="2325 rue de l'Université", city="Québec", region="QC", postal_code="G1V 0A6",
        country="CA", kind="university",
    )  # fmt: skip
    asked: list[str | None] = []

    def two(query: str, lib: object = None, online: object = None, gazetteer: object = None,
            region: str | None = None) -> list[GeoResult]:  # fmt: skip
        asked.append(region)
        return [laval_city, university]

    monkeypatch.setattr(geocoder, "candidates", two)
    lib = window.library
    trip = trips.get_trip(lib, window.trip_id or 0)
    meeting = trips.meetings(lib, trip.id or 0)[0]
    dialog = MeetingDialog(window, lib, trip, meeting)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.place.edit.selectAll()
    qtbot.keyClicks(dialog.place.edit, "Laval, QC")  # not the demo's place named "Laval"
    qtbot.keyClick(dialog.place.edit, Qt.Key.Key_Return)
    assert asked == [trip.region.value]  # the trip's region settles what it can
    assert dialog.place.note.text() == "Several places match “Laval, QC”: choose one."
    assert dialog.place.popup_texts() == [
        "Laval, QC · City, address to be confirmed",
        "Université Laval, 2325 rue de l'Université, Québec · Venue",
    ]
    qtbot.keyClick(dialog.place.popup(), Qt.Key.Key_Escape)  # closes the list only
    assert dialog.isVisible() and not dialog.place.popup_visible()
    qtbot.keyClick(dialog.place.edit, Qt.Key.Key_Return)
    dialog.place.choose_row(0)
    assert dialog.place.note.text() == "New place: Laval, QC · City, address to be confirmed"
    dialog.place.edit.selectAll()
    qtbot.keyClicks(dialog.place.edit, "Laval, QC")
    qtbot.keyClick(dialog.place.edit, Qt.Key.Key_Return)
    dialog.place.choose_row(1)
    new = dialog.place_to_add()
    assert new is not None and new.name == "Université Laval"
    assert new.street == "2325 rue de l'Université" and new.precision is Precision.VENUE
    assert dialog.value().place_id is None  # stored with the meeting (AtNewPlace)


def test_typing_without_choosing_is_refused_with_a_sentence(
    qtbot: QtBot, window: MainWindow
) -> None:
    lib = window.library
    trip = trips.get_trip(lib, window.trip_id or 0)
    dialog = TripDialog(window, lib, trip)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.base.edit.selectAll()
    qtbot.keyClicks(dialog.base.edit, "somewhere")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == (
        "Choose a place for “somewhere” in the list, or press Enter to find it."
    )
    dialog.base.edit.clear()  # no hotel is a choice too
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value().base_place_id is None


def test_an_approximate_place_says_its_address_is_to_be_confirmed(
    qtbot: QtBot, window: MainWindow
) -> None:
    lib = window.library
    laval = next(p for p in directory.places(lib).values() if p.name == "Laval")
    org = next(iter(directory.organizations(lib).values()))
    org.place_id = laval.id
    dialog = OrganizationDialog(window, lib, org)
    qtbot.addWidget(dialog)
    assert dialog.place.edit.text() == laval.name
    assert dialog.place.note.text() == "Laval, QC · City, address to be confirmed"


# -- View > Places… ---------------------------------------------------------------------------


def _select(dialog: Any, *place_ids: int) -> None:
    dialog.table.clearSelection()
    model = dialog.table.selectionModel()
    from PySide6.QtCore import QItemSelectionModel

    for place_id in place_ids:
        index = dialog.table.model().index(dialog.row_of(place_id), 0)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        model.select(index, flags)


def _click_later(text_start: str) -> None:
    """Press the button of the next message box whose text starts with ``text_start``."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        button = next(b for b in box.buttons() if b.text().startswith(text_start))
        button.click()

    QTimer.singleShot(0, click)


def test_places_manager_lists_precision_and_uses(qtbot: QtBot, window: MainWindow) -> None:
    window.directory_panel.places_action.trigger()
    dialog = window.directory_panel.places_dialog
    assert dialog is not None and dialog.isVisible()
    lib = window.library
    assert dialog.table.rowCount() == len(directory.places(lib))
    laval = next(p for p in directory.places(lib).values() if p.name == "Laval")
    row = dialog.row_of(laval.id or 0)
    assert dialog.table.item(row, 2).text() == "City, address to be confirmed"
    hotel_id = trips.get_trip(lib, window.trip_id or 0).base_place_id or 0
    assert int(dialog.table.item(dialog.row_of(hotel_id), 5).text()) >= 1
    _select(dialog, hotel_id)
    assert not dialog.delete_button.isEnabled()  # in use: merge it instead
    assert "in use" in dialog.hint.text()


def test_places_manager_merges_and_undo_restores(qtbot: QtBot, window: MainWindow) -> None:
    lib = window.library
    trip = trips.get_trip(lib, window.trip_id or 0)
    hotel = directory.get_place(lib, trip.base_place_id or 0)
    dialog = window.directory_panel.show_places()
    double = directory.add_place(lib, Place("Westin (double)", street=hotel.street))
    assert dialog.table.rowCount() == len(directory.places(lib))  # follows the library
    _select(dialog, hotel.id or 0, double)
    assert dialog.merge_button.isEnabled()
    _click_later("Keep “Westin (double)”")
    assert dialog.merge_selected()
    assert hotel.id not in directory.places(lib)
    assert trips.get_trip(lib, trip.id or 0).base_place_id == double
    assert dialog.table.rowCount() == len(directory.places(lib))
    dialog.undo_button.click()
    assert directory.get_place(lib, hotel.id or 0) == hotel
    assert trips.get_trip(lib, trip.id or 0).base_place_id == hotel.id
    window.redo_action.trigger()
    assert trips.get_trip(lib, trip.id or 0).base_place_id == double


def test_places_manager_deletes_an_unused_place_and_undo_brings_it_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    lib = window.library
    spare = directory.add_place(lib, Place("Spare Example Hall", city="Boston"))
    dialog = window.directory_panel.show_places()
    _select(dialog, spare)
    assert dialog.delete_button.isEnabled()
    dialog.delete_button.click()
    assert spare not in directory.places(lib)
    assert window.undo_action.text() == "&Undo Delete the place “Spare Example Hall”"
    window.undo_action.trigger()
    assert directory.get_place(lib, spare).name == "Spare Example Hall"  # the same id
    dialog.close()


def test_an_empty_meeting_place_says_it_is_the_organizations(
    qtbot: QtBot, window: MainWindow
) -> None:
    lib = window.library
    trip = trips.get_trip(lib, window.trip_id or 0)
    places = directory.places(lib)
    org = next(
        o
        for o in directory.organizations(lib).values()
        if o.place_id and places[o.place_id].precision is Precision.VENUE
    )
    place = places[org.place_id or 0]
    meeting = trips.meetings(lib, trip.id or 0)[0]
    meeting.place_id, meeting.organization_id = None, org.id
    dialog = MeetingDialog(window, lib, trip, meeting)
    qtbot.addWidget(dialog)
    assert dialog.place.edit.text() == ""
    assert dialog.place.note.text() == f"The organization's place: {place.address()} · Venue"
    dialog.organization.set_record(None)  # no organization: nothing to say
    assert dialog.place.note.text() == ""


def test_the_organization_editor_settles_names_by_the_current_trips_region(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitplanner.geo import geocoder

    asked: list[str | None] = []

    def spy(query: str, lib: object = None, online: object = None, gazetteer: object = None,
            region: str | None = None) -> list[object]:  # fmt: skip
        asked.append(region)
        return []

    monkeypatch.setattr(geocoder, "candidates", spy)

    def fill(d: OrganizationDialog) -> None:
        qtbot.keyClicks(d.name, "Example")
        qtbot.keyClicks(d.place.edit, "Laval, QC")  # not the demo's place named "Laval"
        qtbot.keyClick(d.place.edit, Qt.Key.Key_Return)
        assert d.place.note.text() == "No place matches “Laval, QC”."
        d.place.edit.clear()

    _answer(monkeypatch, OrganizationDialog, fill)
    window.directory_panel.new_organization()
    assert asked == [trips.get_trip(window.library, window.trip_id or 0).region.value]


def test_down_opens_the_list_and_keeps_the_choice(qtbot: QtBot, window: MainWindow) -> None:
    lib = window.library
    trip = trips.get_trip(lib, window.trip_id or 0)
    dialog = TripDialog(window, lib, trip)
    qtbot.addWidget(dialog)
    dialog.show()
    hotel = directory.get_place(lib, trip.base_place_id or 0)
    qtbot.keyClick(dialog.base.edit, Qt.Key.Key_Down)
    assert dialog.base.popup_visible()
    assert dialog.base.popup_texts()[0].startswith(hotel.name)
    qtbot.keyClick(dialog.base.popup(), Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.base.place_id() == hotel.id
