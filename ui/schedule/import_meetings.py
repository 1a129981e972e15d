"""File > Import Meetings…: preview a CSV of meeting requests (rows, warnings, rejected rows);
nothing is written until the user confirms, and the import is then one undo step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.schedule.import_base import TripImportController
from ui.shell.context import AppContext
from ui.shell.formats import format_day_short, format_time
from ui.shell.undo import push_edit
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _, ngettext

if TYPE_CHECKING:  # the solver/parser modules load when used, not at start-up
    from visitplanner.exchange.meetings_csv import MeetingImport


class ImportMeetingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str, result: MeetingImport) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import Meetings"))
        n = len(result.rows)
        summary = QLabel(
            ngettext(
                "{n} meeting will be imported from {file}.",
                "{n} meetings will be imported from {file}.",
                n,
            ).format(n=n, file=name)
            + " "
            + _("Nothing is written until you press Import.")
        )
        summary.setWordWrap(True)
        self.table = QTableWidget(n, 7)
        self.table.setHorizontalHeaderLabels(
            [
                _("Line"),
                _("Title"),
                _("When"),
                _("Duration"),
                _("Organization"),
                _("Place"),
                _("Attendees"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, r in enumerate(result.rows):
            m = r.meeting
            when = (
                f"{format_day_short(m.start.date())} {format_time(m.start)}"
                if m.start
                else _("(request)")
            )
            values = [
                str(r.line),
                m.title,
                when,
                _("{minutes} min").format(minutes=m.duration_minutes),
                r.organization_text,
                r.place_text,
                ", ".join(r.attendees),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.warnings_list = QListWidget()
        self.warnings_list.setWordWrap(True)
        self.warnings_list.addItems(result.warnings)
        self.rejected_list = QListWidget()
        self.rejected_list.setWordWrap(True)
        self.rejected_list.addItems(
            [
                _("Line {line}: {reason}").format(line=x.line, reason=x.reason)
                for x in result.rejected
            ]
        )
        tabs = QTabWidget()
        tabs.addTab(self.table, ngettext("{n} row", "{n} rows", n).format(n=n))
        tabs.addTab(
            self.warnings_list,
            ngettext("{n} warning", "{n} warnings", len(result.warnings)).format(
                n=len(result.warnings)
            ),
        )
        tabs.addTab(
            self.rejected_list,
            ngettext("{n} rejected row", "{n} rejected rows", len(result.rejected)).format(
                n=len(result.rejected)
            ),
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            _("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(n > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 520)


class ImportMeetingsController(TripImportController):
    """File > Import Meetings… into the current trip."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Import &Meetings…"), _("Import Meetings"))

    def import_file(self, path: Path) -> bool:
        """Preview ``path``; on the user's confirmation, import it as one undo step."""
        from visitplanner.exchange.meetings_csv import preview, read_bytes

        trip_id = self.context.trip_id
        if trip_id is None:
            return False
        lib = self.context.library
        try:
            result = preview(lib, read_bytes(path), trip_id)
        except VisitPlannerError as error:
            QMessageBox.warning(self.context.window, _("Import Meetings"), str(error))
            return False
        dialog = ImportMeetingsDialog(self.context.window, path.name, result)
        if dialog.exec() != QDialog.DialogCode.Accepted or not result.rows:
            return False
        n = len(result.rows)
        text = ngettext("Import {n} meeting", "Import {n} meetings", n).format(n=n)
        from visitplanner.edits import ImportMeetings  # the import's code loads when used

        return push_edit(self.context, text, ImportMeetings(result)) is not None
