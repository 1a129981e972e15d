"""The Directory tab's editing: buttons, double-click, merge, delete; and the File menu's
contact, calendar and trip import/export. The shell builds one :class:`DirectoryPanel` with
the application context and the directory's table view.

Every edit is one undo step (ui.shell.undo) over one core operation (visitplanner.edits).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ui.directory.model import ID_ROLE, KIND_ROLE
from ui.shell.context import AppContext
from ui.shell.keep import which_to_keep
from ui.shell.undo import push_edit
from visitplanner import edits
from visitplanner.edits import Operation
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import N_, _, ngettext
from visitplanner.library import directory, trips
from visitplanner.library.directory import meetings_hosted_by, meetings_with_organization
from visitplanner.model import Contact, Organization

if TYPE_CHECKING:  # the editors load when first opened
    from ui.directory.editors import OrganizationDialog
    from ui.directory.places_dialog import PlacesDialog

TRIP_FILTER = N_("Visit Planner trip (*.visitplanner);;All files (*)")


T = TypeVar("T")


def _organization_edit(dialog: OrganizationDialog, org: Organization) -> Operation:
    """Store ``org``; a place found by geocoding joins the directory in the same step."""
    place = dialog.place_to_add()
    if place is not None:
        return edits.AtNewPlace(org, place)
    return edits.Add(org) if org.id is None else edits.Update(org)


class DirectoryPanel:
    """Reads the library from the context and the model from ``view`` at use time, so it
    keeps working after File > Open switches the library."""

    def __init__(self, context: AppContext, view: QTableView) -> None:
        self.context = context
        self.window = context.window  # the parent of its dialogs
        self.view = view
        self.new_org_button = QPushButton(_("New &Organization…"))
        self.new_contact_button = QPushButton(_("New &Contact…"))
        self.edit_button = QPushButton(_("Ed&it…"))  # Alt+E is the Edit menu
        self.merge_button = QPushButton(_("&Merge…"))
        self.delete_button = QPushButton(_("De&lete"))
        self.places_button = QPushButton(_("Place&s…"))  # Alt+A accepts a proposal
        self.places_dialog: PlacesDialog | None = None
        self.new_org_button.clicked.connect(self.new_organization)
        self.new_contact_button.clicked.connect(self.new_contact)
        self.edit_button.clicked.connect(self.edit_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.places_button.clicked.connect(self.show_places)
        row = QHBoxLayout()
        for button in (self.new_org_button, self.new_contact_button, self.edit_button):
            row.addWidget(button)
        row.addWidget(self.merge_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.places_button)
        page = view.parentWidget()
        layout = page.layout() if page is not None else None
        assert isinstance(layout, QVBoxLayout), "the view sits in the Directory page's layout"
        layout.insertLayout(layout.indexOf(view) + 1, row)
        view.doubleClicked.connect(self._activated)
        view.horizontalHeader().resizeSection(4, 200)  # "+1 418-555-0108 ext. 2210"
        self._build_menu()

    def _build_menu(self) -> None:
        w = self.window
        menus = self.context.menus
        self.import_contacts_action = QAction(_("Import &Contacts…"), w)
        self.export_contacts_action = QAction(_("Export Cont&acts…"), w)
        self.export_ics_action = QAction(_("Export Ca&lendar (.ics)…"), w)
        self.export_trip_action = QAction(_("Export &Trip…"), w)
        self.import_trip_action = QAction(_("Import T&rip…"), w)
        self.import_contacts_action.triggered.connect(self.import_contacts)
        self.export_contacts_action.triggered.connect(self.export_contacts)
        self.export_ics_action.triggered.connect(self.export_calendar)
        self.export_trip_action.triggered.connect(self.export_trip)
        self.import_trip_action.triggered.connect(self.import_trip)
        for action in (
            self.import_contacts_action,
            self.export_contacts_action,
            self.export_ics_action,
            self.export_trip_action,
            self.import_trip_action,
        ):
            menus.file.insertAction(menus.file_end, action)
        self.places_action = QAction(_("Pl&aces…"), w)
        self.places_action.triggered.connect(self.show_places)
        menus.view.addAction(self.places_action)
        # Like Export Itinerary: the trip's exports wait for a trip.
        self.context.tripChanged.connect(self._trip_changed)
        self._trip_changed(self.context.trip_id)

    def _trip_changed(self, trip_id: int | None) -> None:
        for action in (self.export_ics_action, self.export_trip_action):
            action.setEnabled(trip_id is not None)

    # -- selection -------------------------------------------------------------------------

    def selected(self) -> list[tuple[str, int]]:
        view = self.view
        model = view.model()
        out: list[tuple[str, int]] = []
        for index in view.selectionModel().selectedRows():
            out.append((model.data(index, KIND_ROLE), int(model.data(index, ID_ROLE))))
        return out

    def _one(self) -> tuple[str, int] | None:
        chosen = self.selected()
        if len(chosen) != 1:
            QMessageBox.information(
                self.window, _("Directory"), _("Select one organization or contact first.")
            )
            return None
        return chosen[0]

    def _activated(self, index: QModelIndex) -> None:
        model = self.view.model()
        self.edit(model.data(index, KIND_ROLE), int(model.data(index, ID_ROLE)))

    # -- edits -----------------------------------------------------------------------------

    def show_places(self) -> PlacesDialog:
        """View > Places…: the places manager (one window, brought forward if open)."""
        from ui.directory.places_dialog import PlacesDialog

        if self.places_dialog is None:
            self.places_dialog = PlacesDialog(self.context)
            self.places_dialog.destroyed.connect(self._places_closed)
        self.places_dialog.show()
        self.places_dialog.raise_()
        self.places_dialog.activateWindow()
        return self.places_dialog

    def _push(self, text: str, operation: Operation) -> bool:
        return push_edit(self.context, text, operation) is not None

    def _region(self) -> str | None:
        """The current trip's region, which settles an ambiguous place name."""
        trip_id = self.context.trip_id
        return (
            None if trip_id is None else trips.get_trip(self.context.library, trip_id).region.value
        )

    def _places_closed(self) -> None:
        self.places_dialog = None

    def new_organization(self) -> int | None:
        from ui.directory.editors import OrganizationDialog

        lib = self.context.library
        dialog = OrganizationDialog(self.window, lib, Organization(name=""), self._region())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        org = dialog.value()
        text = _("New Organization “{name}”").format(name=org.name)
        applied = push_edit(self.context, text, _organization_edit(dialog, org))
        return applied.created_id("organization") if applied is not None else None

    def new_contact(self) -> int | None:
        from ui.directory.editors import ContactDialog

        # The organization selected in the directory (or the selected contact's) is preset.
        organization_id = None
        chosen = self.selected()
        if len(chosen) == 1:
            kind, record_id = chosen[0]
            if kind == "organization":
                organization_id = record_id
            else:
                person = directory.get_contact(self.context.library, record_id)
                organization_id = person.organization_id
        fresh = Contact(organization_id=organization_id)
        dialog = ContactDialog(self.window, self.context.library, fresh)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        person = dialog.value()
        text = _("New Contact “{name}”").format(name=person.full_name)
        applied = push_edit(self.context, text, edits.Add(person))
        return applied.created_id("contact") if applied is not None else None

    def edit_selected(self) -> None:
        chosen = self._one()
        if chosen is not None:
            self.edit(*chosen)

    def edit(self, kind: str, record_id: int) -> bool:
        from ui.directory.editors import ContactDialog, OrganizationDialog

        lib = self.context.library
        if kind == "organization":
            before_org = directory.get_organization(lib, record_id)
            org_dialog = OrganizationDialog(self.window, lib, before_org, self._region())
            if org_dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            after_org = org_dialog.value()
            if after_org == before_org and org_dialog.place_to_add() is None:
                return False
            text = _("Edit “{name}”").format(name=before_org.name)
            return self._push(text, _organization_edit(org_dialog, after_org))
        before = directory.get_contact(lib, record_id)
        dialog = ContactDialog(self.window, lib, before)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        after = dialog.value()
        if after == before:
            return False
        text = _("Edit “{name}”").format(name=before.full_name)
        return self._push(text, edits.Update(after))

    def delete_selected(self) -> bool:
        chosen = self._one()
        if chosen is None:
            return False
        kind, record_id = chosen
        lib = self.context.library
        if kind == "organization":
            org = directory.get_organization(lib, record_id)
            name, uses = org.name, meetings_with_organization(lib, record_id)
        else:
            person = directory.get_contact(lib, record_id)
            name, uses = person.full_name, meetings_hosted_by(lib, record_id)
        if uses:
            n = len(uses)
            answer = QMessageBox.question(
                self.window,
                _("Delete “{name}”?").format(name=name),
                ngettext(
                    "{n} meeting refers to “{name}”. Delete it anyway? The meeting is kept "
                    "without it; Edit > Undo brings it back.",
                    "{n} meetings refer to “{name}”. Delete it anyway? The meetings are kept "
                    "without it; Edit > Undo brings it back.",
                    n,
                ).format(n=n, name=name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        text = _("Delete “{name}”").format(name=name)
        return self._push(text, edits.Delete(kind, record_id))

    def merge_selected(self) -> bool:
        chosen = self.selected()
        if len(chosen) != 2 or chosen[0][0] != chosen[1][0]:
            QMessageBox.information(
                self.window,
                _("Merge Duplicates"),
                _("Select two organizations, or two contacts, to merge (Ctrl+click)."),
            )
            return False
        kind = chosen[0][0]
        lib = self.context.library
        ids = [chosen[0][1], chosen[1][1]]
        if kind == "organization":
            names = [directory.get_organization(lib, i).name for i in ids]
        else:
            names = [directory.get_contact(lib, i).full_name for i in ids]
        kept = which_to_keep(
            self.window,
            _("Merge Duplicates"),
            _(
                "Merge “{first}” and “{second}” into one? Empty fields of the one you keep "
                "are filled from the other, and its meetings move over."
            ).format(first=names[0], second=names[1]),
            names,
            ids,
        )
        if kept is None:
            return False
        return self.merge(kind, *kept)

    def merge(self, kind: str, keep: int, drop: int) -> bool:
        return self._push(_("Merge Duplicates"), edits.Merge(kind, keep, drop))

    # -- files -----------------------------------------------------------------------------

    def import_contacts(self) -> None:
        from ui.directory.contact_import import ContactImportDialog

        dialog = ContactImportDialog(self.context)
        dialog.choose_file()
        if dialog.parsed is not None or dialog.file_label.text():
            dialog.exec()

    def _save_name(self, title: str, suggested: str, filter_text: str) -> Path | None:
        from ui.shell.exported import export_folder

        name, _filter = QFileDialog.getSaveFileName(
            self.window, title, str(export_folder() / suggested), filter_text
        )
        return Path(name) if name else None

    def _exported(self, title: str, message: str, path: Path) -> None:
        """The status bar says it, and a confirmation offers Open and Show in Folder."""
        from ui.shell.exported import show_exported

        self.context.show_status(message, 8)
        show_exported(self.window, title, message, path)

    def _report(self, title: str, work: Callable[[], T]) -> T | None:
        try:
            return work()
        except VisitPlannerError as error:
            QMessageBox.warning(self.window, title, str(error))
            return None

    def export_contacts(self) -> None:
        from ui.shell.exported import export_folder
        from visitplanner.exchange.contact_export import export_contacts

        title = _("Export Contacts")
        choices = export_contact_choices()
        name, chosen = QFileDialog.getSaveFileName(
            self.window,
            title,
            str(export_folder() / "contacts.vcf"),
            ";;".join(label for label, _fmt, _version in choices),
        )
        if not name:
            return
        path = Path(name)
        fmt, version = next(
            ((f, v) for label, f, v in choices if label == chosen),
            ("csv-excel", "3.0") if path.suffix.lower() == ".csv" else ("vcard", "3.0"),
        )
        if not path.suffix:
            path = path.with_suffix(".vcf" if fmt == "vcard" else ".csv")
        n = self._report(
            title,
            lambda: export_contacts(self.context.library, path, fmt, vcard_version=version),
        )
        if n is not None:
            self._exported(
                title,
                ngettext(
                    "{n} contact written to {path}.", "{n} contacts written to {path}.", n
                ).format(n=n, path=path),
                path,
            )

    def export_calendar(self) -> None:
        from visitplanner.exchange.ics import export_ics

        title = _("Export Calendar")
        trip_id = self.context.trip_id
        if trip_id is None:
            QMessageBox.information(self.window, title, _("Choose a trip first."))
            return
        lib = self.context.library
        people = trips.delegates(lib, trip_id)
        choices = [_("The whole delegation"), *[d.name for d in people]]
        choice, ok = QInputDialog.getItem(self.window, title, _("Meetings of:"), choices, 0, False)
        if not ok:
            return
        delegate = None if choice == choices[0] else str(people[choices.index(choice) - 1].id)
        path = self._save_name(title, "trip.ics", _("iCalendar (*.ics)"))
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".ics")
        n = self._report(title, lambda: export_ics(lib, str(trip_id), path, delegate))
        if n is not None:
            self._exported(
                title,
                ngettext("{n} event written to {path}.", "{n} events written to {path}.", n).format(
                    n=n, path=path
                ),
                path,
            )

    def export_trip(self) -> None:
        from visitplanner.exchange.tripfile import export_trip

        title = _("Export Trip")
        trip_id = self.context.trip_id
        if trip_id is None:
            QMessageBox.information(self.window, title, _("Choose a trip first."))
            return
        path = self._save_name(title, "trip.visitplanner", _(TRIP_FILTER))
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".visitplanner")
        n = self._report(
            title,  # the save dialog already asked before replacing a file
            lambda: export_trip(self.context.library, str(trip_id), path, overwrite=True),
        )
        if n is not None:
            self._exported(
                title,
                ngettext(
                    "Trip written to {path} ({n} meeting).",
                    "Trip written to {path} ({n} meetings).",
                    n,
                ).format(n=n, path=path),
                path,
            )

    def import_trip(self) -> None:
        """Read and check the file off the GUI thread, then merge it here as one undo step."""
        # The trip-file reader loads when a trip is imported, not at start-up.
        from visitplanner.exchange.tripfile import TripImport, check_not_the_library
        from visitplanner.exchange.tripfile_reader import TripFile, read_trip_file

        title = _("Import Trip")
        name, _filter = QFileDialog.getOpenFileName(
            self.window, title, str(Path.home()), _(TRIP_FILTER)
        )
        if not name:
            return
        path = Path(name)
        library = self.context.library
        try:
            check_not_the_library(library, path)
        except VisitPlannerError as error:
            QMessageBox.warning(self.window, title, str(error))
            return

        def read(content: TripFile) -> None:
            if self.context.library is not library:  # File > Open meanwhile: it is closed
                return
            applied = push_edit(self.context, title, edits.ImportTrip(content))
            if applied is not None and isinstance(applied.detail, TripImport):
                QMessageBox.information(self.window, title, applied.detail.summary())

        def failed(message: str) -> None:
            if self.context.library is library:
                QMessageBox.warning(self.window, title, message)

        self.import_trip_task = self.context.run_task(
            lambda progress: read_trip_file(path, progress),
            read,
            title=_("Reading {name}…").format(name=path.name),
            on_error=failed,
        )


def export_contact_choices() -> list[tuple[str, str, str]]:
    """(file-dialog filter, export format, vCard version) of each contact export."""
    return [
        (_("vCard 3.0, for any address book (*.vcf)"), "vcard", "3.0"),
        (_("vCard 4.0 (*.vcf)"), "vcard", "4.0"),
        (_("CSV for Google Contacts (*.csv)"), "csv-google", "3.0"),
        (_("CSV for Outlook (*.csv)"), "csv-outlook", "3.0"),
        (_("CSV for Excel (*.csv)"), "csv-excel", "3.0"),
    ]
