"""What File > Import Meetings… and File > Import Delegates… share: a File menu entry enabled
while a trip is open, and the open-file dialog for a spreadsheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from ui.shell.context import AppContext
from visitplanner.i18n import _


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
