"""File > Import Meetings…: preview a CSV of meeting requests (rows, warnings, rejected rows);
nothing is written until the user confirms, and the import is then one undo step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QWidget,
)

from ui.schedule.import_base import ImportPreviewDialog, TripImportController
from ui.shell.context import AppContext
from ui.shell.formats import format_day_short, format_time
from ui.shell.undo import push_edit
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _, ngettext

if TYPE_CHECKING:  # the solver/parser modules load when used, not at start-up
    from visitplanner.exchange.meetings_csv import MeetingImport


class ImportMeetingsDialog(ImportPreviewDialog):
    def __init__(self, parent: QWidget | None, name: str, result: MeetingImport) -> None:
        n = len(result.rows)
        rows = []
        for r in result.rows:
            m = r.meeting
            when = (
                f"{format_day_short(m.start.date())} {format_time(m.start)}"
                if m.start
                else _("(request)")
            )
            rows.append(
                [
                    str(r.line),
                    m.title,
                    when,
                    _("{minutes} min").format(minutes=m.duration_minutes),
                    r.organization_text,
                    r.place_text,
                    ", ".join(r.attendees),
                ]
            )
        headers = [
            _("Line"),
            _("Title"),
            _("When"),
            _("Duration"),
            _("Organization"),
            _("Place"),
            _("Attendees"),
        ]
        summary = ngettext(
            "{n} meeting will be imported from {file}.",
            "{n} meetings will be imported from {file}.",
            n,
        ).format(n=n, file=name)
        super().__init__(
            parent,
            _("Import Meetings"),
            summary,
            headers,
            rows,
            list(result.warnings),
            [(x.line, x.reason) for x in result.rejected],
        )


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
