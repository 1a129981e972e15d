"""File > Import Contacts…: a preview of what a contact file holds before anything is written.

The file is read off the GUI thread (ui.shell.tasks.run_task); the preview shows the detected
format, encoding and delimiter, lets the user change which column fills which field, and
reports every row. Nothing is written until Import is pressed; then all rows go in as one
transaction and one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.shell.context import AppContext
from ui.shell.tasks import run_task
from ui.shell.undo import push_edit
from visitplanner.edits import ImportContacts
from visitplanner.exchange.contact_import import (
    ImportReport,
    ParsedFile,
    plan_import,
    read_contact_file,
)
from visitplanner.exchange.records import FIELDS, FORMAT_LABELS
from visitplanner.i18n import N_, _, ngettext

CONTACT_FILTER = N_("Contact files (*.csv *.xlsx *.vcf *.vcard *.txt);;All files (*)")
_COLOURS = {
    "new": "#1e7b34",
    "warning": "#b35c00",
    "duplicate": "#7a6a00",
    "rejected": "#c0392b",
    "note": "#555555",
}


class ContactImportDialog(QDialog):
    def __init__(self, context: AppContext, path: Path | None = None) -> None:
        super().__init__(context.window)
        self.context = context
        self.library = context.library
        self.parsed: ParsedFile | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(_("Import Contacts"))
        self.resize(980, 640)
        self.file_label = QLabel(_("No file chosen."))
        choose = QPushButton(_("Choose &File…"))
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.detected = QLabel()
        self.detected.setTextFormat(Qt.TextFormat.PlainText)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(
            [_("Column in the file"), _("First value"), _("Imported as")]
        )
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.mapping_box = QGroupBox(_("Columns"))
        box_layout = QVBoxLayout(self.mapping_box)
        box_layout.addWidget(self.mapping_table)
        self.rows_table = QTableWidget(0, 6)
        self.rows_table.setHorizontalHeaderLabels(
            [_("Line"), _("Name"), _("Organization"), _("Email"), _("Phone"), _("Result")]
        )
        self.rows_table.verticalHeader().hide()
        self.rows_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            _("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.detected)
        layout.addWidget(self.mapping_box, 2)
        layout.addWidget(self.rows_table, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.mapping_box.hide()
        if path is not None:
            self.load(path)

    # -- reading ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import Contacts"), str(Path.home()), _(CONTACT_FILTER)
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        self.file_label.setText(str(path))
        self.import_button.setEnabled(False)
        run_task(
            self,
            lambda progress: read_contact_file(path),
            self._read,
            title=_("Reading {name}…").format(name=path.name),
            on_error=self._failed,
        )

    def _failed(self, message: str) -> None:
        self.parsed = self.report = None
        self.detected.setText(message)
        self.detected.setStyleSheet("color: #c0392b;")
        self.mapping_box.hide()
        self.rows_table.setRowCount(0)
        self.summary.setText("")
        self.import_button.setEnabled(False)

    def _read(self, parsed: ParsedFile) -> None:
        if self.context.library is not self.library:  # File > Open meanwhile: it is closed
            return
        self.parsed = parsed
        self.detected.setStyleSheet("")
        delimiter = parsed.delimiter
        if delimiter is None:
            text = _("Format: {format} · Encoding: {encoding}")
        else:
            text = _("Format: {format} · Encoding: {encoding} · Delimiter: {delimiter}")
        self.detected.setText(
            text.format(
                format=_(FORMAT_LABELS.get(parsed.format, parsed.format)),
                encoding=parsed.encoding,
                delimiter=_delimiter_label(delimiter or ""),
            )
        )
        self._fill_mapping()
        self.replan()

    # -- column mapping --------------------------------------------------------------------

    def _fill_mapping(self) -> None:
        parsed = self.parsed
        if parsed is None or parsed.csv is None:
            self.mapping_box.hide()
            return
        csv_file = parsed.csv
        by_column = {c: f for f, c in csv_file.mapping.items() if c is not None}
        first = csv_file.rows[0][1] if csv_file.rows else []
        self.mapping_table.setRowCount(len(csv_file.headers))
        for column, header in enumerate(csv_file.headers):
            self.mapping_table.setItem(column, 0, _item(header))
            sample = first[column] if column < len(first) else ""
            self.mapping_table.setItem(column, 1, _item(sample.replace("\n", " ⏎ ")))
            combo = QComboBox()
            combo.addItem(_("(ignored)"), None)
            for field_name, label in FIELDS.items():
                combo.addItem(_(label), field_name)
            combo.setCurrentIndex(max(0, combo.findData(by_column.get(column))))
            combo.currentIndexChanged.connect(lambda _index, c=column: self._mapping_changed(c))
            self.mapping_table.setCellWidget(column, 2, combo)
        self.mapping_table.resizeColumnToContents(0)
        self.mapping_table.setColumnWidth(2, 200)
        self.mapping_box.show()

    def combo(self, column: int) -> QComboBox:
        widget = self.mapping_table.cellWidget(column, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def _mapping_changed(self, column: int) -> None:
        chosen = self.combo(column).currentData()
        if chosen is not None:  # one column per field: the previous one lets go
            for other in range(self.mapping_table.rowCount()):
                if other != column and self.combo(other).currentData() == chosen:
                    self.combo(other).blockSignals(True)
                    self.combo(other).setCurrentIndex(0)
                    self.combo(other).blockSignals(False)
        self.replan()

    def mapping(self) -> dict[str, int | None]:
        out: dict[str, int | None] = dict.fromkeys(FIELDS)
        for column in range(self.mapping_table.rowCount()):
            field_name = self.combo(column).currentData()
            if field_name is not None:
                out[field_name] = column
        return out

    # -- the per-row report ----------------------------------------------------------------

    def replan(self) -> None:
        if self.parsed is None:
            return
        parsed = self.parsed
        if parsed.csv is not None and self.mapping_table.rowCount():
            parsed = parsed.remapped(self.mapping())
        self.report = report = plan_import(self.library, parsed)
        records = {r.line: r for r in parsed.records}
        rows: dict[int, list[str]] = {}

        def row_for(line: int) -> list[str]:
            if line not in rows:
                r = records.get(line)
                rows[line] = [
                    str(line),
                    r.name if r else "",
                    r.organization if r else "",
                    r.email if r else "",
                    r.phone if r else "",
                    "",
                    "note",
                ]
            return rows[line]

        people = {
            w.line: " ".join(p for p in (w.given_name, w.family_name) if p)
            for w in report.writes
            if not w.is_organization
        }
        for record in report.contacts:
            row = row_for(record.line)
            row[3], row[4], row[6] = record.email, record.phone, "new"
            row[5] = _("Will be added")
            if record.is_organization:
                row[5] = _("Will be added as an organization")
                person = people.get(record.line)
                if person is not None:  # a company card that also names a person
                    row[5] = _("Will be added as an organization, with {name}").format(name=person)
        duplicate_lines = {d.line for d in report.duplicates}
        for note in report.duplicates:
            row = row_for(note.line)
            row[5], row[6] = note.reason, "duplicate"
        for note in report.rejected:
            row = row_for(note.line)
            row[5], row[6] = _("Rejected: {reason}").format(reason=note.reason), "rejected"
        for note in report.warnings:
            if note.line in duplicate_lines and note in report.duplicates:
                continue
            row = row_for(note.line)
            row[5] = f"{row[5]} — {note.reason}" if row[5] else note.reason
            if row[6] == "new":
                row[6] = "warning"
        self.rows_table.setRowCount(len(rows))
        for index, line in enumerate(sorted(rows)):
            values = rows[line]
            for column, value in enumerate(values[:6]):
                item = _item(value)
                if column == 5:
                    item.setForeground(QBrush(QColor(_COLOURS[values[6]])))
                    item.setToolTip(value)
                self.rows_table.setItem(index, column, item)
        self.rows_table.resizeColumnsToContents()
        self.rows_table.horizontalHeader().setStretchLastSection(True)
        n = len(report.contacts)
        parts = [
            ngettext("{n} contact to import", "{n} contacts to import", n).format(n=n),
            ngettext(
                "{n} duplicate left out", "{n} duplicates left out", len(report.duplicates)
            ).format(n=len(report.duplicates)),
            ngettext("{n} row rejected", "{n} rows rejected", len(report.rejected)).format(
                n=len(report.rejected)
            ),
        ]
        if report.new_organizations:
            count = len(report.new_organizations)
            parts.append(
                ngettext("{n} new organization", "{n} new organizations", count).format(n=count)
            )
        self.summary.setText(" · ".join(parts))
        self.import_button.setEnabled(n > 0)
        self.import_button.setText(
            ngettext("&Import {n} Contact", "&Import {n} Contacts", n).format(n=n)
        )

    # -- confirming ------------------------------------------------------------------------

    def accept(self) -> None:
        if self.report is None or not self.report.contacts:
            return
        n = len(self.report.contacts)
        text = ngettext("Import {n} Contact", "Import {n} Contacts", n).format(n=n)
        if push_edit(self.context, text, ImportContacts(self.report), self) is not None:
            super().accept()


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _delimiter_label(delimiter: str) -> str:
    labels = {
        ",": _("comma"),
        ";": _("semicolon"),
        "\t": _("tab"),
        "|": _("vertical bar"),
    }
    return labels.get(delimiter, delimiter)
