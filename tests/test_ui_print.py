"""File > Export Itinerary…, Print… and Print Preview…, offscreen with Qt's PDF printer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.itinerary.print import ALL_DELEGATES, ItineraryDialog, PrintController
from ui.shell.main_window import MainWindow


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def window(window: MainWindow, sync_tasks: None) -> MainWindow:
    window.trip_combo.setCurrentIndex(1)  # the Québec mission (English)
    return window


def controller_of(win: MainWindow) -> PrintController:
    return win.print_controller


def test_file_menu_has_the_itinerary_entries(window: MainWindow) -> None:
    c = controller_of(window)
    actions = window.file_menu.actions()
    end = actions.index(window.file_menu_end)
    for action in (c.export_action, c.print_action, c.preview_action):
        assert actions.index(action) < end
        assert action.isEnabled()
    assert c.export_action.text().replace("&", "") == "Export Itinerary…"


def test_export_dialog_writes_one_delegate_itinerary(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    c = controller_of(window)
    target = tmp_path / "mine"

    def fill() -> None:
        dialog = c.last_dialog
        assert isinstance(dialog, ItineraryDialog)
        dialog.delegate_radio.click()
        index = dialog.delegate_combo.findText("Michael Sullivan")
        dialog.delegate_combo.setCurrentIndex(index)
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
        dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("a4"))
        dialog.path_edit.setText(str(target))
        dialog.buttons.accepted.emit()
        QTimer.singleShot(0, answer)

    asked: list[str] = []

    def answer() -> None:  # his itinerary has hard problems: the app lists them and asks
        box = c.last_problems_box
        asked.append(box.informativeText())
        anyway = next(b for b in box.buttons() if b.text() == "Export Anyway")
        anyway.click()

    QTimer.singleShot(0, fill)
    c.export_itinerary()
    assert asked and "• Michael Sullivan" in asked[0]  # the demo's gap too tight
    written = tmp_path / "mine.pdf"
    assert written.exists()
    reader = PdfReader(written)
    first = flat(reader.pages[0].extract_text())
    assert "Itinéraire de Michael Sullivan" in first
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    assert "written to" in window.statusBar().currentMessage()


def test_export_lists_the_hard_problems_and_cancel_writes_nothing(
    window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    c = controller_of(window)
    target = tmp_path / "master.pdf"
    seen: list[str] = []

    def fill() -> None:
        dialog = c.last_dialog
        assert isinstance(dialog, ItineraryDialog)
        dialog.path_edit.setText(str(target))
        dialog.buttons.accepted.emit()
        QTimer.singleShot(0, cancel)

    def cancel() -> None:
        box = c.last_problems_box
        seen.append(box.text())
        seen.append(box.informativeText())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, fill)
    c.export_itinerary()
    assert seen[0].startswith("This itinerary has ")
    assert "problems; their meetings are marked ⚠" in seen[0]
    assert "overlap" in seen[1]  # Daniel Reyes's two meetings
    assert not target.exists()


def test_export_all_delegates_into_a_folder(window: MainWindow, tmp_path: Path) -> None:
    c = controller_of(window)
    dialog = ItineraryDialog(window, c._snapshot(), printing=False)  # type: ignore[arg-type]
    dialog.all_radio.click()
    dialog.path_edit.setText(str(tmp_path / "all"))
    choice = dialog.choice()
    assert choice.who == ALL_DELEGATES
    c.start_export(c._snapshot(), choice)  # type: ignore[arg-type]
    files = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert len(files) == 8 and "Sarah O'Connell.pdf" in files


def test_print_renders_the_itinerary_pages_to_the_printer(
    window: MainWindow, tmp_path: Path
) -> None:
    c = controller_of(window)
    snapshot = c._snapshot()
    assert snapshot is not None
    dialog = ItineraryDialog(window, snapshot, printing=True)
    assert not dialog.all_radio.isVisible()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(100)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    choice = dialog.choice()
    c.start_print(snapshot, choice, printer)
    printed = PdfReader(out)
    from ui.itinerary.print import _paper_of
    from visitplanner.itinerary.pdf import build_itinerary

    choice = dialog.choice()
    reference = PdfReader(
        build_itinerary(
            snapshot,
            tmp_path / "ref.pdf",
            delegate_id=choice.delegate_id,
            language=choice.language,
            paper=_paper_of(printer),
        )
    )
    assert len(printed.pages) == len(reference.pages) > 3
    assert "pages sent to the printer" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("visitplanner-print-*")) == []


def test_print_preview_paints_the_pages(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.itinerary.print as print_ui

    c = controller_of(window)
    snapshot = c._snapshot()
    assert snapshot is not None
    painted: list[int] = []
    real = print_ui.paint_pdf

    def paint(pdf: Path, printer: QPrinter, progress: object = None) -> int:
        pages = real(pdf, printer)
        painted.append(pages)
        return pages

    monkeypatch.setattr(print_ui, "paint_pdf", paint)

    def close() -> None:
        previews = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QPrintPreviewDialog) and w.isVisible()
        ]
        if not previews:
            QTimer.singleShot(50, close)
            return
        previews[0].reject()

    QTimer.singleShot(50, close)
    dialog = ItineraryDialog(window, snapshot, printing=True)
    c.start_preview(snapshot, dialog.choice())
    assert painted and painted[0] > 3


def test_cancelled_export_leaves_no_file(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from ui.shell.tasks import TaskRunner

    c = controller_of(window)
    snapshot = c._snapshot()
    assert snapshot is not None
    dialog = ItineraryDialog(window, snapshot, printing=False)
    out = tmp_path / "out"
    out.mkdir()
    dialog.path_edit.setText(str(out / "master.pdf"))
    TaskRunner.synchronous = False  # the real thread pool, cancelled at once
    try:
        cancel = c.start_export(snapshot, dialog.choice())
        assert cancel is not None
        cancel.set()
        qtbot.waitUntil(lambda: not TaskRunner._alive, timeout=20000)
    finally:
        TaskRunner.synchronous = True
    assert list(out.iterdir()) == []
    assert "written" not in window.statusBar().currentMessage()


def test_export_still_writes_after_another_library_opened_meanwhile(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File > Open closes the old tile cache that the day maps read from: no error."""
    import ui.shell.tasks

    pending: list[Any] = []
    monkeypatch.setattr(
        ui.shell.tasks,
        "run_task",
        lambda parent, work, done, **kw: pending.append((work, done)),
    )
    c = controller_of(window)
    snapshot = c._snapshot()
    assert snapshot is not None
    dialog = ItineraryDialog(window, snapshot, printing=False)
    dialog.path_edit.setText(str(tmp_path / "master.pdf"))
    c.start_export(snapshot, dialog.choice())
    old_cache = window.map_view.tile_cache()
    window._open_path(tmp_path / "other.visitplanner", create=True)
    assert window.map_view.tile_cache() is not old_cache  # the old one is closed
    ((work, done),) = pending
    done(work(lambda fraction, text: None))
    assert (tmp_path / "master.pdf").exists()
