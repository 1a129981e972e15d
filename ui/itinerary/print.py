"""File > Export Itinerary…, File > Print… and File > Print Preview….

:class:`PrintController` (given the application context) adds the three entries to the File
menu. The itinerary is always the
same PDF (visitplanner.itinerary): exported as files, or rendered page by page with
pypdfium2 onto a QPrinter for printing and preview. Building runs off the GUI thread
through ui.shell.tasks.run_task, with progress and cancel; the snapshot it needs is loaded on
the GUI thread first.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPageSize, QPainter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.shell.context import AppContext
from ui.shell.tasks import Progress
from visitplanner.errors import InputError
from visitplanner.i18n import _, ngettext
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot

if TYPE_CHECKING:  # Qt's print support loads when printing, not at start-up
    from PySide6.QtPrintSupport import QPrinter

    from visitplanner.itinerary.daymap import TileSource

MASTER, DELEGATE, ALL_DELEGATES = "master", "delegate", "all"


@dataclass(frozen=True)
class ItineraryChoice:
    who: str  # MASTER, DELEGATE or ALL_DELEGATES
    delegate_id: int | None
    language: str
    paper: str
    path: Path | None  # a file (master, delegate) or a folder (all delegates); None to print


class ItineraryDialog(QDialog):
    """Whose itinerary, in which language, on which paper (and, to export, where)."""

    def __init__(self, parent: QWidget | None, snapshot: TripSnapshot, *, printing: bool) -> None:
        super().__init__(parent)
        self.snapshot = snapshot
        self.printing = printing
        self.setWindowTitle(_("Print Itinerary") if printing else _("Export Itinerary"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.master_radio = QRadioButton(_("&Master itinerary (every meeting)"))
        self.delegate_radio = QRadioButton(_("One &delegate's itinerary:"))
        self.all_radio = QRadioButton(_("One file per delegate, &all delegates"))
        self.master_radio.setChecked(True)
        self.who_group = QButtonGroup(self)
        for button in (self.master_radio, self.delegate_radio, self.all_radio):
            self.who_group.addButton(button)
        self.delegate_combo = QComboBox()
        for d in sorted(snapshot.delegates.values(), key=lambda d: d.name.casefold()):
            self.delegate_combo.addItem(d.name, d.id)
        who = QVBoxLayout()
        who.addWidget(self.master_radio)
        row = QHBoxLayout()
        row.addWidget(self.delegate_radio)
        row.addWidget(self.delegate_combo, 1)
        who.addLayout(row)
        who.addWidget(self.all_radio)
        self.all_radio.setVisible(not printing)
        if not snapshot.delegates:
            self.delegate_radio.setEnabled(False)
            self.all_radio.setEnabled(False)
        form.addRow(_("Itinerary:"), who)

        self.language_combo = QComboBox()
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("Français", "fr")
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(snapshot.trip.language.value))
        )
        form.addRow(_("&Language:"), self.language_combo)

        self.paper_combo = QComboBox()
        self.paper_combo.addItem(_("Letter"), "letter")
        self.paper_combo.addItem(_("A4"), "a4")
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(system_paper()))
        if not printing:
            form.addRow(_("&Paper:"), self.paper_combo)

        self.path_edit = QLineEdit()
        self.browse_button = QPushButton(_("&Browse…"))
        self.browse_button.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        self.path_edit.setMinimumWidth(380)
        save_label = QLabel(_("&Save to:"))
        save_label.setBuddy(self.path_edit)
        if not printing:
            form.addRow(save_label, where)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Print…") if printing else _("Export"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.who_group.buttonToggled.connect(self._who_changed)
        self.delegate_combo.currentIndexChanged.connect(self._who_changed)
        self._suggested = ""
        self._who_changed()

    def who(self) -> str:
        if self.delegate_radio.isChecked():
            return DELEGATE
        if self.all_radio.isChecked():
            return ALL_DELEGATES
        return MASTER

    def _suggestion(self) -> str:
        from ui.shell.exported import export_folder
        from visitplanner.itinerary.export import safe_filename

        home = export_folder()  # the last export's folder
        trip = safe_filename(self.snapshot.trip.name, "itinerary")
        if self.who() == ALL_DELEGATES:
            return str(home / trip)
        if self.who() == DELEGATE:
            name = safe_filename(self.delegate_combo.currentText(), "delegate")
            return str(home / f"{trip} - {name}.pdf")
        return str(home / f"{trip}.pdf")

    def _who_changed(self, *_args: object) -> None:
        self.delegate_combo.setEnabled(self.delegate_radio.isChecked())
        # Follow the choice while the user has not typed a path of their own.
        if self.path_edit.text() in ("", self._suggested):
            self._suggested = self._suggestion()
            self.path_edit.setText(self._suggested)

    def _browse(self) -> None:
        current = self.path_edit.text() or self._suggestion()
        if self.who() == ALL_DELEGATES:
            chosen = QFileDialog.getExistingDirectory(
                self, _("Folder for the itineraries"), current
            )
        else:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Save Itinerary"), current, _("PDF files (*.pdf)")
            )
        if chosen:
            self.path_edit.setText(chosen)

    def _accept(self) -> None:
        if not self.printing and not self.path_edit.text().strip():
            QMessageBox.warning(self, self.windowTitle(), _("Choose where to save the itinerary."))
            return
        self.accept()

    def choice(self) -> ItineraryChoice:
        path: Path | None = None
        if not self.printing:
            path = Path(self.path_edit.text().strip()).expanduser()
            if self.who() != ALL_DELEGATES and path.suffix.lower() != ".pdf":
                path = path.with_name(path.name + ".pdf")
        return ItineraryChoice(
            who=self.who(),
            delegate_id=self.delegate_combo.currentData() if self.who() == DELEGATE else None,
            language=str(self.language_combo.currentData()),
            paper=str(self.paper_combo.currentData()),
            path=path,
        )


# -- painting a PDF onto a printer ---------------------------------------------------------


def paint_pdf(pdf: Path, printer: QPrinter, progress: Progress | None = None) -> int:
    """Render every page of ``pdf`` onto ``printer`` (one printed page each); returns the
    number of pages. QPainter may paint on a QPrinter from a worker thread."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    painter = QPainter()
    try:
        printer.setFullPage(True)
        if not painter.begin(printer):
            raise InputError(_("The printer could not be started."))
        dpi = min(300, max(72, printer.resolution()))
        count = len(document)
        for index in range(count):
            if progress is not None:
                progress(
                    index / max(1, count), _("Printing page {number}…").format(number=index + 1)
                )
            if index:
                printer.newPage()
            page = document[index]
            bitmap = page.render(scale=dpi / 72, prefer_bgrx=True, optimize_mode="print")
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB32,
            ).copy()
            bitmap.close()
            page.close()
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
        return count
    finally:
        if painter.isActive():
            painter.end()
        document.close()


def system_paper() -> str:
    """The paper of the user's locale: Letter in North America, A4 elsewhere."""
    from PySide6.QtCore import QLocale

    from visitplanner.itinerary.paper import default_paper

    return default_paper(QLocale.system().name())


def _paper_of(printer: QPrinter) -> str:
    size = printer.pageLayout().pageSize().id()
    return "a4" if size == QPageSize.PageSizeId.A4 else "letter"


# -- the controller --------------------------------------------------------------------------


class PrintController(QObject):
    """The File menu's itinerary entries for one main window."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context
        window = context.window
        self.printer: QPrinter | None = None
        self.export_action = QAction(_("Export &Itinerary…"), window)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))  # Ctrl+E edits a meeting
        self.export_action.triggered.connect(self.export_itinerary)
        self.print_action = QAction(_("&Print…"), window)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_itinerary)
        self.preview_action = QAction(_("Print Pre&view…"), window)
        self.preview_action.triggered.connect(self.preview_itinerary)
        menus = context.menus
        for action in (self.export_action, self.print_action, self.preview_action):
            menus.file.insertAction(menus.file_end, action)
        context.tripChanged.connect(self._trip_changed)
        self._trip_changed(context.trip_id)

    def _trip_changed(self, trip_id: int | None) -> None:
        for action in (self.export_action, self.print_action, self.preview_action):
            action.setEnabled(trip_id is not None)

    def _snapshot(self) -> TripSnapshot | None:
        trip_id = self.context.trip_id
        if trip_id is None:
            return None
        return load_snapshot(self.context.library, trip_id)

    def _tiles(self) -> TileSource | None:
        """The library's tile cache (thread-safe reads), so the day maps show cached tiles."""
        cache = self.context.tile_cache()
        if cache is None:
            return None

        def read(z: int, x: int, y: int) -> bytes | None:
            try:
                return cache.get(z, x, y)
            except sqlite3.ProgrammingError:  # closed by File > Open meanwhile: no tile
                return None

        return read

    def _dialog(self, snapshot: TripSnapshot, *, printing: bool) -> ItineraryChoice | None:
        dialog = ItineraryDialog(self.context.window, snapshot, printing=printing)
        self.last_dialog = dialog  # tests drive it
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    # Export

    def export_itinerary(self) -> None:
        snapshot = self._snapshot()
        if snapshot is None:
            return
        choice = self._dialog(snapshot, printing=False)
        if choice is not None and self.confirm_problems(snapshot, choice):
            self.start_export(snapshot, choice)

    def problems_box(self, snapshot: TripSnapshot, choice: ItineraryChoice) -> QMessageBox | None:
        """The question asked before exporting or printing an itinerary with hard problems
        (``check``'s errors: overlaps, gaps too short, someone absent), listing them; None
        when there is none."""
        from visitplanner.i18n import current
        from visitplanner.itinerary.warnings import hard_problems

        if choice.who == MASTER:
            whose: list[int | None] = [None]
        elif choice.who == DELEGATE:
            whose = [choice.delegate_id]
        else:
            whose = list(snapshot.delegates)
        problems = hard_problems(snapshot, current(), whose)
        if not problems:
            return None
        count = len(problems)
        box = QMessageBox(self.context.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Export Itinerary"))
        box.setText(
            ngettext(
                "This itinerary has {count} problem; its meetings are marked ⚠ on the pages.",
                "This itinerary has {count} problems; their meetings are marked ⚠ on the pages.",
                count,
            ).format(count=count)
        )
        shown = [f"• {p.message}" for p in problems[:15]]
        if count > 15:
            shown.append(_("… and {count} more (see Problems).").format(count=count - 15))
        box.setInformativeText("\n".join(shown))
        box.addButton(_("Export Anyway"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        return box

    def confirm_problems(self, snapshot: TripSnapshot, choice: ItineraryChoice) -> bool:
        """True to go on: no hard problem, or the user chose Export Anyway."""
        box = self.problems_box(snapshot, choice)
        if box is None:
            return True
        self.last_problems_box = box  # tests drive it
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole

    def start_export(
        self, snapshot: TripSnapshot, choice: ItineraryChoice
    ) -> threading.Event | None:
        """Write the files off the GUI thread; returns the event that cancels the export."""
        from visitplanner.itinerary.export import plan_exports, run_exports

        assert choice.path is not None
        try:
            if choice.who == ALL_DELEGATES:
                jobs = plan_exports(snapshot, all_delegates_dir=choice.path)
            else:
                jobs = plan_exports(snapshot, out=choice.path, delegate_id=choice.delegate_id)
        except InputError as error:
            QMessageBox.warning(self.context.window, _("Export Itinerary"), str(error))
            return None

        tiles = self._tiles()

        def work(progress: Progress) -> int:
            run_exports(
                snapshot,
                jobs,
                language=choice.language,
                paper=choice.paper,
                progress=progress,
                tiles=tiles,
            )
            return len(jobs)

        def done(count: int) -> None:
            where = choice.path
            assert where is not None
            message = ngettext(
                "{count} itinerary written to {path}.",
                "{count} itineraries written to {path}.",
                count,
            ).format(count=count, path=where)
            self.context.show_status(message, 8)
            from ui.shell.exported import show_exported

            show_exported(self.context.window, _("Export Itinerary"), message, where)

        return self.context.run_task(work, done, title=_("Exporting the itinerary…"))

    # Print and preview

    def _printer(self) -> QPrinter:
        if self.printer is None:
            from PySide6.QtPrintSupport import QPrinter

            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            # The same paper as Export: the locale's (not Qt's A4 where none is set up).
            letter = system_paper() == "letter"
            size = QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4
            self.printer.setPageSize(QPageSize(size))
        return self.printer

    def print_itinerary(self) -> None:
        snapshot = self._snapshot()
        if snapshot is None:
            return
        choice = self._dialog(snapshot, printing=True)
        if choice is None or not self.confirm_problems(snapshot, choice):
            return
        printer = self._printer()
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self.context.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start_print(snapshot, choice, printer)

    def start_print(
        self, snapshot: TripSnapshot, choice: ItineraryChoice, printer: QPrinter
    ) -> None:
        paper = _paper_of(printer)
        tiles = self._tiles()

        def work(progress: Progress) -> int:
            with tempfile.TemporaryDirectory(prefix="visitplanner-print-") as folder:
                pdf = self._build(snapshot, choice, paper, Path(folder), progress, 0.5, tiles)
                return paint_pdf(pdf, printer, lambda f, t: progress(0.5 + f / 2, t))

        def done(pages: int) -> None:
            message = ngettext(
                "{count} page sent to the printer.", "{count} pages sent to the printer.", pages
            ).format(count=pages)
            self.context.show_status(message, 8)

        self.context.run_task(work, done, title=_("Printing the itinerary…"))

    def preview_itinerary(self) -> None:
        snapshot = self._snapshot()
        if snapshot is None:
            return
        choice = self._dialog(snapshot, printing=True)
        if choice is not None:
            self.start_preview(snapshot, choice)

    def start_preview(self, snapshot: TripSnapshot, choice: ItineraryChoice) -> None:
        """Build the PDF off the GUI thread, then show it in Qt's preview dialog."""
        printer = self._printer()
        paper = _paper_of(printer)
        tiles = self._tiles()

        def work(progress: Progress) -> Path:
            folder = Path(tempfile.mkdtemp(prefix="visitplanner-preview-"))
            try:
                return self._build(snapshot, choice, paper, folder, progress, 1.0, tiles)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise

        def done(pdf: Path) -> None:
            from PySide6.QtPrintSupport import QPrintPreviewDialog

            dialog = QPrintPreviewDialog(printer, self.context.window)
            dialog.paintRequested.connect(lambda target: paint_pdf(pdf, target))
            try:
                dialog.exec()
            finally:
                shutil.rmtree(pdf.parent, ignore_errors=True)

        self.context.run_task(work, done, title=_("Preparing the preview…"))

    @staticmethod
    def _build(
        snapshot: TripSnapshot,
        choice: ItineraryChoice,
        paper: str,
        folder: Path,
        progress: Progress,
        share: float,
        tiles: TileSource | None,
    ) -> Path:
        from visitplanner.itinerary.pdf import build_itinerary

        def step(fraction: float, text: str) -> None:
            progress(fraction * share, text)

        return build_itinerary(
            snapshot,
            folder / "itinerary.pdf",
            delegate_id=choice.delegate_id,
            language=choice.language,
            paper=paper,
            progress=step,
            tiles=tiles,
        )
