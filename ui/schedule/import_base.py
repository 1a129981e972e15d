"""What File > Import Meetings… and File > Import Delegates… share: a File menu entry enabled
while a trip is open, the open-file dialog for a spreadsheet, and the preview (the rows to
import, the warnings, the rejected rows by line; nothing is written until Import)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.shell.context import AppContext
from visitplanner.i18n import _, ngettext


class TripImportController(QObject):
    """A spreadsheet import into the current trip; subclasses preview and apply the file."""

    def __init__(self, context: AppContext, action_text: str, title: str) -> None:
        super().__init__(context)
        self.context = context
        self.title = title
        self.action = QAction(action_text, context.window)
        self.action.triggered.connect(self.choose_file)
        context.menus.file.insertAction(context.menus.file_end, self.action)
        context.tripChanged.connect(self._trip_changed)
        self._trip_changed(context.trip_id)

    def _trip_changed(self, trip_id: int | None) -> None:
        self.action.setEnabled(trip_id is not None)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self.context.window,
            self.title,
            str(Path.home()),
            _("Spreadsheets (*.csv *.xlsx *.txt);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:  # pragma: no cover - each import has its own
        raise NotImplementedError


class ImportPreviewDialog(QDialog):
    """A summary, then tabs: the rows to import (a table), the warnings, the rejected rows;
    Import (enabled when there are rows) and Cancel."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        summary_text: str,
        headers: list[str],
        rows: list[list[str]],
        warnings: list[str],
        rejected: list[tuple[int, str]],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        n = len(rows)
        summary = QLabel(summary_text + " " + _("Nothing is written until you press Import."))
        summary.setWordWrap(True)
        self.table = QTableWidget(n, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.warnings_list = QListWidget()
        self.warnings_list.setWordWrap(True)
        self.warnings_list.addItems(warnings)
        self.rejected_list = QListWidget()
        self.rejected_list.setWordWrap(True)
        self.rejected_list.addItems(
            [_("Line {line}: {reason}").format(line=line, reason=why) for line, why in rejected]
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, ngettext("{n} row", "{n} rows", n).format(n=n))
        count = len(warnings)
        self.tabs.addTab(
            self.warnings_list, ngettext("{n} warning", "{n} warnings", count).format(n=count)
        )
        count = len(rejected)
        self.tabs.addTab(
            self.rejected_list,
            ngettext("{n} rejected row", "{n} rejected rows", count).format(n=count),
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
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(960, 520)
