"""File > Import Delegates…: preview a registration file (who is added or updated, with
arrival, departure, hotel and busy slots; warnings; rejected rows by line); nothing is
written until the user confirms, and the import is then one undo step."""

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

if TYPE_CHECKING:  # the import's code loads when used, not at start-up
    import datetime as dt

    from visitplanner.exchange.delegates_import import DelegateImport


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{format_day_short(moment.date())} {format_time(moment)}"


class ImportDelegatesDialog(ImportPreviewDialog):
    def __init__(self, parent: QWidget | None, name: str, result: DelegateImport) -> None:
        rows = []
        for r in result.rows:
            d = r.delegate
            hotel = r.hotel.label() if r.hotel is not None else r.hotel_text
            if r.hotel is None and r.nights is not None and r.hotel_text:
                hotel = _("{hotel} (not found)").format(hotel=r.hotel_text)
            rows.append(
                [
                    str(r.line),
                    d.name if not d.company else f"{d.name} — {d.company}",
                    _("update") if r.updates else _("add"),
                    " ".join(p for p in (_when(d.arrival), d.arrival_by) if p),
                    " ".join(p for p in (_when(d.departure), d.departure_by) if p),
                    hotel,
                    "" if r.busy is None else str(len(r.busy)),
                ]
            )
        headers = [
            _("Line"),
            _("Delegate"),
            _("Action"),
            _("Arrives"),
            _("Departs"),
            _("Hotel"),
            _("Busy"),
        ]
        summary = _("From {file}: {new} to add, {updated} to update.").format(
            file=name, new=result.new_count, updated=result.updated_count
        )
        super().__init__(
            parent,
            _("Import Delegates"),
            summary,
            headers,
            rows,
            list(result.warnings),
            [(x.line, x.reason) for x in result.rejected],
        )


class ImportDelegatesController(TripImportController):
    """File > Import Delegates… into the current trip."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Import &Delegates…"), _("Import Delegates"))

    def import_file(self, path: Path) -> bool:
        """Preview ``path``; on the user's confirmation, import it as one undo step."""
        from visitplanner.exchange.delegates_import import preview, read_bytes

        trip_id = self.context.trip_id
        if trip_id is None:
            return False
        try:
            result = preview(self.context.library, read_bytes(path), trip_id)
        except VisitPlannerError as error:
            QMessageBox.warning(self.context.window, _("Import Delegates"), str(error))
            return False
        dialog = ImportDelegatesDialog(self.context.window, path.name, result)
        if dialog.exec() != QDialog.DialogCode.Accepted or not result.rows:
            return False
        n = len(result.rows)
        text = ngettext("Import {n} delegate", "Import {n} delegates", n).format(n=n)
        from visitplanner.edits import ImportDelegates

        return push_edit(self.context, text, ImportDelegates(result)) is not None
