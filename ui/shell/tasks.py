"""One helper for slow work off the GUI thread: geocoding, tiles, PDF export, import, arrange.

    run_task(parent, work, on_done, title=..., on_error=...)

``work(progress)`` runs on a QThreadPool thread; it calls ``progress(fraction, text)``
now and then, which raises :class:`visitplanner.errors.Cancelled` once the user has
pressed Cancel. ``on_done(result)`` and ``on_error(message)`` run back on the GUI thread.

Rule for the work function: it must not touch the GUI thread's ``Library`` connection;
load what it needs on the GUI thread first (a snapshot) or open its own connection, and
hand results back for the GUI thread to write.

Tests set ``TaskRunner.synchronous = True`` (as Picard does) so work runs inline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ClassVar, TypeVar, cast

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from visitplanner import boundary
from visitplanner.errors import Cancelled
from visitplanner.i18n import _

Progress = Callable[[float, str], None]
T = TypeVar("T")


class _Signals(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(str, bool)  # message, is_bug


class _Runnable(QRunnable):
    def __init__(
        self, work: Callable[[Progress], object], signals: _Signals, cancel: threading.Event
    ) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.cancel = cancel

    def _progress(self, fraction: float, text: str = "") -> None:
        if self.cancel.is_set():
            raise Cancelled(_("Cancelled."))
        self.signals.progress.emit(fraction, text)

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Cancelled:
            self.signals.failed.emit("", False)
        except Exception as error:  # never take the window down
            if boundary.is_expected(error):  # the user's, the disk's: a sentence
                self.signals.failed.emit(boundary.user_message(error), False)
            else:  # a bug: its details, without personal data
                self.signals.failed.emit(boundary.bug_details(error), True)
        else:
            self.signals.done.emit(result)


class TaskRunner:
    """Runs tasks; keeps their signal objects alive until they finish."""

    synchronous = False
    _alive: ClassVar[set[_Signals]] = set()


def run_task(
    parent: QWidget | None,
    work: Callable[[Progress], T],
    on_done: Callable[[T], None],
    *,
    title: str = "",
    on_error: Callable[[str], None] | None = None,
    show_progress: bool = True,
) -> threading.Event:
    """Run ``work`` off the GUI thread; returns the event that cancels it."""
    cancel = threading.Event()
    signals = _Signals()
    TaskRunner._alive.add(signals)
    dialog: QProgressDialog | None = None
    if show_progress and parent is not None:
        dialog = QProgressDialog(title or _("Working…"), _("Cancel"), 0, 1000, parent)
        dialog.setWindowTitle(title or _("Working…"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(cancel.set)
        dialog.setValue(0)

    def progress(fraction: float, text: str) -> None:
        if dialog is not None:
            dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            if text:
                dialog.setLabelText(text)

    def finish() -> None:
        TaskRunner._alive.discard(signals)
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()

    def done(result: object) -> None:
        finish()
        on_done(cast(T, result))  # what ``work`` returned, through a Qt signal

    def failed(message: str, is_bug: bool) -> None:
        finish()
        if not message:  # cancelled by the user: nothing to say
            return
        if is_bug:
            message = _("Something went wrong. Details:\n\n{details}").format(details=message)
        if on_error is not None:
            on_error(message)
        elif parent is not None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(parent, title or _("Visit Planner"), message)

    signals.progress.connect(progress)
    signals.done.connect(done)
    signals.failed.connect(failed)
    runnable = _Runnable(work, signals, cancel)
    if TaskRunner.synchronous:
        runnable.run()
    else:
        QThreadPool.globalInstance().start(runnable)
    return cancel
