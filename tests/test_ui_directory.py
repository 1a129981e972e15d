"""The Directory tab as a person uses it: search as you type, editors with flagged values,
delete and merge with undo, and the contact import preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ui.directory.contact_import import ContactImportDialog
from ui.directory.editors import ContactDialog, OrganizationDialog
from ui.shell.app import make_application
from ui.shell.main_window import MainWindow
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact, Organization

SAMPLES = Path(__file__).parent / "data" / "contacts"


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.tabs.setCurrentIndex(1)  # the Directory
    return window


def _names(win: MainWindow) -> list[str]:
    model = win.directory_model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def _select(win: MainWindow, *names: str) -> None:
    view = win.directory_view
    model = win.directory_model
    view.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)).lstrip("⚠ ") in names:
            view.selectionModel().select(model.index(row, 0), flags)


def test_search_as_you_type_ignores_accents(qtbot: QtBot, window: MainWindow) -> None:
    lib = window.library
    org = directory.add_organization(lib, Organization(name="Biotech Étoile"))
    directory.add_contact(
        lib, Contact(given_name="Geneviève", family_name="Côté", organization_id=org)
    )
    qtbot.keyClicks(window.search_edit, "cote")
    assert "Geneviève Côté" in _names(window)
    window.search_edit.clear()
    qtbot.keyClicks(window.search_edit, "ETOILE")
    assert sorted(_names(window)) == ["Biotech Étoile", "Geneviève Côté"]
    assert window.directory_count.text() == "2 entries"


def test_new_contact_flags_bad_phone_and_undo(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: ContactDialog) -> int:
        qtbot.keyClicks(dialog.given, "Élise")
        qtbot.keyClicks(dialog.family, "Tremblay")
        qtbot.keyClicks(dialog.phone, "514 555 0155 poste 12")
        dialog.phone.editingFinished.emit()
        assert dialog.phone.text() == "+1 514-555-0155 ext. 12"
        qtbot.keyClicks(dialog.mobile, "555-01")
        assert dialog.mobile.property("invalid") and "not a valid" in dialog.mobile.toolTip()
        qtbot.keyClicks(dialog.email, "elise@")
        assert dialog.email.property("invalid")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(ContactDialog, "exec", fill)
    contact_id = window.directory_panel.new_contact()
    assert contact_id is not None
    stored = directory.get_contact(window.library, contact_id)
    assert (stored.phone, stored.mobile, stored.email) == (
        "+1 514-555-0155 ext. 12",
        "555-01",
        "elise@",
    )
    qtbot.keyClicks(window.search_edit, "tremblay")
    model = window.directory_model
    row = _names(window).index("Élise Tremblay")
    assert model.problem(row, 3)  # the email column is flagged, and shown so
    assert model.data(model.index(row, 3)).startswith("⚠")
    assert model.data(model.index(row, 3), Qt.ItemDataRole.ForegroundRole) is not None
    window.undo_stack.undo()
    assert contact_id not in directory.contacts(window.library)
    window.undo_stack.redo()
    assert directory.get_contact(window.library, contact_id).family_name == "Tremblay"


def test_edit_organization_kind_tags_and_place(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    lib = window.library
    org_id = next(iter(directory.organizations(lib)))
    place_id, place = next(iter(directory.places(lib).items()))

    def fill(dialog: OrganizationDialog) -> int:
        dialog.kind.setCurrentIndex(dialog.kind.findData("investor"))
        dialog.tags.setText("oncology, host 2024")
        dialog.place.edit.clear()
        qtbot.keyClicks(dialog.place.edit, place.name)
        dialog.place.choose_row(0)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(OrganizationDialog, "exec", fill)
    before = directory.get_organization(lib, org_id)
    assert window.directory_panel.edit("organization", org_id)
    after = directory.get_organization(lib, org_id)
    assert after.kind.value == "investor" and after.tags == ["host 2024", "oncology"]
    assert after.place_id == place_id
    window.undo_stack.undo()
    assert directory.get_organization(lib, org_id) == before


def test_delete_host_asks_and_undo_restores_meetings(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = window.library
    meeting = next(m for m in trips.all_meetings(lib) if m.host_ids)
    host = directory.get_contact(lib, meeting.host_ids[0])
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.search_edit.setText(host.family_name)
    _select(window, host.full_name)
    assert window.directory_panel.delete_selected()
    assert asked and "refer" in asked[0]
    assert host.id not in directory.contacts(lib)
    assert host.id not in trips.get_meeting(lib, meeting.id or 0).host_ids
    window.undo_stack.undo()
    assert directory.get_contact(lib, host.id or 0) == host
    assert host.id in trips.get_meeting(lib, meeting.id or 0).host_ids


def test_merge_two_duplicate_contacts_and_undo(window: MainWindow) -> None:
    lib = window.library
    meeting = next(m for m in trips.all_meetings(lib) if m.host_ids)
    host = directory.get_contact(lib, meeting.host_ids[0])
    twin = directory.add_contact(
        lib,
        Contact(given_name=host.given_name, family_name=host.family_name, mobile="+1 617-555-0111"),
    )
    assert window.directory_panel.merge("contact", twin, host.id or 0)
    kept = directory.get_contact(lib, twin)
    assert kept.email == host.email and kept.mobile == "+1 617-555-0111"
    assert twin in trips.get_meeting(lib, meeting.id or 0).host_ids
    assert host.id not in directory.contacts(lib)
    window.undo_stack.undo()
    assert directory.get_contact(lib, host.id or 0) == host
    assert trips.get_meeting(lib, meeting.id or 0).host_ids == meeting.host_ids
    assert directory.get_contact(lib, twin).email == ""


def test_import_preview_mapping_confirm_and_undo(
    qtbot: QtBot, window: MainWindow, sync_tasks: None
) -> None:
    lib = window.library
    before = len(directory.contacts(lib))
    dialog = ContactImportDialog(window.context, SAMPLES / "excel_fr.csv")
    qtbot.addWidget(dialog)
    text = dialog.detected.text()
    assert "Excel" in text and "cp1252" in text and "semicolon" in text
    assert len(directory.contacts(lib)) == before  # nothing written by the preview
    results = [dialog.rows_table.item(r, 5).text() for r in range(dialog.rows_table.rowCount())]
    assert any("Rejected" in r for r in results) and any("Blank row" in r for r in results)
    assert dialog.import_button.isEnabled() and "3" in dialog.import_button.text()
    titre = next(
        r
        for r in range(dialog.mapping_table.rowCount())
        if dialog.mapping_table.item(r, 0).text() == "Titre"
    )
    combo = dialog.combo(titre)
    combo.setCurrentIndex(combo.findData("notes"))
    assert dialog.report is not None
    assert dialog.report.contacts[0].notes == "Professeure titulaire"
    assert dialog.report.contacts[0].title == ""
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    people = {c.full_name: c for c in directory.contacts(lib).values()}
    assert len(people) == before + 3 and people["Élise Tremblay"].notes == "Professeure titulaire"
    window.undo_stack.undo()
    assert len(directory.contacts(lib)) == before


def test_import_preview_of_a_bad_file(qtbot: QtBot, window: MainWindow, sync_tasks: None) -> None:
    dialog = ContactImportDialog(window.context, SAMPLES / "binary.vcf")
    qtbot.addWidget(dialog)
    assert "binary" in dialog.detected.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.rows_table.rowCount() == 0


def test_file_menu_has_the_exchange_actions(window: MainWindow) -> None:
    texts = [a.text().replace("&", "") for a in window.file_menu.actions()]
    for wanted in (
        "Import Contacts…",
        "Export Contacts…",
        "Export Calendar (.ics)…",
        "Export Trip…",
        "Import Trip…",
    ):
        assert wanted in texts


def test_merge_two_organizations_moves_contacts_and_meetings_and_undo(
    window: MainWindow,
) -> None:
    lib = window.library
    meeting = next(m for m in trips.all_meetings(lib) if m.organization_id)
    org = directory.get_organization(lib, meeting.organization_id or 0)
    people = [c.id for c in directory.contacts(lib).values() if c.organization_id == org.id]
    twin = directory.add_organization(lib, Organization(name=org.name.upper(), tags=["dup"]))
    assert window.directory_panel.merge("organization", twin, org.id or 0)
    assert trips.get_meeting(lib, meeting.id or 0).organization_id == twin
    assert all(directory.get_contact(lib, c or 0).organization_id == twin for c in people)
    merged = directory.get_organization(lib, twin)
    assert set(merged.tags) == {"dup", *org.tags} and merged.website == org.website
    window.undo_stack.undo()
    assert directory.get_organization(lib, org.id or 0) == org
    assert trips.get_meeting(lib, meeting.id or 0).organization_id == org.id
    assert all(directory.get_contact(lib, c or 0).organization_id == org.id for c in people)


def test_export_then_import_trip_from_the_file_menu_and_undo(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    lib = window.library
    out = tmp_path / "trip.visitplanner"
    out.write_bytes(b"an older file the save dialog agreed to replace")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(str(a[2])))
    window.directory_panel.export_trip_action.trigger()
    assert out.read_bytes().startswith(b"SQLite format 3")
    trips_before = window.trip_combo.count()
    orgs_before = len(directory.organizations(lib))
    window.directory_panel.import_trip_action.trigger()  # read off the GUI thread
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "matched" in shown[-1]
    assert window.trip_combo.count() == trips_before + 1
    assert len(directory.organizations(lib)) == orgs_before  # matched, not doubled
    window.undo_stack.undo()
    assert window.trip_combo.count() == trips_before


def test_search_in_the_box_still_applies_after_opening_another_library(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    import shutil

    qtbot.keyClicks(window.search_edit, "harborline")
    found = _names(window)
    assert found and len(found) < 10
    other = tmp_path / "copy.visitplanner"
    shutil.copyfile(demo_path, other)
    window._open_path(other)
    assert window.library.path == other
    assert window.search_edit.text() == "harborline"
    assert _names(window) == found  # not the whole directory under a search for harborline
    assert window.directory_count.text().startswith(f"{len(found)} entr")


def test_count_and_empty_hint_follow_edits_made_elsewhere(qtbot: QtBot, tmp_path: Path) -> None:
    make_application()
    win = MainWindow(Library.open(tmp_path / "empty.visitplanner", create=True))
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentIndex(1)
    assert win.directory_empty.isVisible()
    assert win.directory_count.text() == "0 entries"
    directory.add_contact(win.library, Contact(given_name="Ada", family_name="Example"))
    assert _names(win) == ["Ada Example"]
    assert not win.directory_empty.isVisible()
    assert win.directory_count.text() == "1 entry"


def test_contact_file_read_after_another_library_opened_is_dropped(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.directory.contact_import

    pending: list[Any] = []
    monkeypatch.setattr(
        ui.directory.contact_import,
        "run_task",
        lambda parent, work, done, **kw: pending.append((work, done)),
    )
    dialog = ContactImportDialog(window.context, SAMPLES / "excel_fr.csv")
    dialog.reject()
    window._open_path(tmp_path / "other.visitplanner", create=True)
    ((work, done),) = pending
    done(work(lambda fraction, text: None))  # the old library is closed: nothing to plan
    assert dialog.report is None and not dialog.import_button.isEnabled()


def test_trip_exports_wait_for_a_trip(qtbot: QtBot, tmp_path: Path) -> None:
    import datetime as dt

    from visitplanner.model import Trip

    make_application()
    win = MainWindow(Library.open(tmp_path / "empty.visitplanner", create=True))
    qtbot.addWidget(win)
    panel = win.directory_panel
    assert not panel.export_ics_action.isEnabled()
    assert not panel.export_trip_action.isEnabled()
    assert panel.import_trip_action.isEnabled()
    trips.add_trip(win.library, Trip("Mission", dt.date(2025, 6, 2), dt.date(2025, 6, 3)))
    assert win.trip_id is not None
    assert panel.export_ics_action.isEnabled() and panel.export_trip_action.isEnabled()


def test_an_edit_redraws_its_row_and_keeps_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    """Fine-grained change events: a contact's new title is redrawn in place (no reset, the
    selection and scroll kept); a rename, an addition or a deletion rebuilds the list."""
    from ui.shell.undo import push_edit
    from visitplanner import edits

    model = window.directory_model
    names = _names(window)
    row = next(r for r in range(model.rowCount()) if model.entry(r)[0] == "contact")
    _select(window, names[row].lstrip("⚠ "))
    kind, contact_id = model.entry(row)
    resets: list[int] = []
    redrawn: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b: redrawn.append((a.row(), b.row())))
    contact = directory.get_contact(window.library, contact_id)
    contact.title = "Chief Scientific Officer"
    push_edit(window.context, "Edit", edits.Update(contact))
    assert resets == [] and redrawn == [(row, row)]
    assert model.data(model.index(row, 2)) == "Chief Scientific Officer"
    assert [i.row() for i in window.directory_view.selectionModel().selectedRows()] == [row]
    window.undo_stack.undo()
    assert resets == [] and model.data(model.index(row, 2)) != "Chief Scientific Officer"
    contact = directory.get_contact(window.library, contact_id)
    contact.given_name = "Aaron"
    push_edit(window.context, "Rename", edits.Update(contact))
    assert resets == [1]  # renamed: the list is rebuilt, with the name where it now sorts
    assert any(n.startswith("Aaron ") for n in _names(window))
    assert model.entry(
        _names(window).index(next(n for n in _names(window) if n.startswith("Aaron ")))
    ) == (kind, contact_id)
    push_edit(window.context, "New", edits.Add(Contact(given_name="Zacharie", family_name="Roy")))
    assert resets == [1, 1] and "Zacharie Roy" in _names(window)


def test_an_edit_keeps_the_selection_in_a_search(qtbot: QtBot, window: MainWindow) -> None:
    from ui.shell.undo import push_edit
    from visitplanner import edits

    qtbot.keyClicks(window.search_edit, "cote")
    model = window.directory_model
    row = next(r for r in range(model.rowCount()) if model.entry(r)[0] == "contact")
    _select(window, model.data(model.index(row, 0)).lstrip("⚠ "))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    contact = directory.get_contact(window.library, model.entry(row)[1])
    contact.title = "Directrice scientifique"
    push_edit(window.context, "Edit", edits.Update(contact))
    window.undo_stack.undo()
    window.undo_stack.redo()
    assert resets == [] and model.data(model.index(row, 2)) == "Directrice scientifique"
    assert [i.row() for i in window.directory_view.selectionModel().selectedRows()] == [row]
