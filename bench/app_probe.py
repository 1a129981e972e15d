"""A child process for the start-up and memory figures.

    python -m bench.app_probe app LIBRARY [--visit]
    python -m bench.app_probe bare [--visit]

Prints one JSON line: ``painted`` (time.monotonic() when the first frame of the main
window was painted, comparable with the parent's clock) and ``rss_mb`` (resident memory
after the first paint or, with --visit, after showing each main view).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QTabWidget, QWidget

    mode = argv[0]
    visit = "--visit" in argv
    app = QApplication.instance() or QApplication([sys.argv[0]])
    result: dict[str, Any] = {}

    def visit_views(window: QMainWindow) -> None:
        """Show each main view in turn (tabs, docks), letting each paint."""
        main_tabs = getattr(window, "tabs", None)
        pages = range(main_tabs.count()) if isinstance(main_tabs, QTabWidget) else [None]
        for page in pages:
            if page is not None:
                main_tabs.setCurrentIndex(page)
                app.processEvents()
            for tabs in window.findChildren(QTabWidget):  # views inside the page shown
                if tabs is main_tabs or not tabs.isVisible():
                    continue
                for index in range(tabs.count()):
                    tabs.setCurrentIndex(index)
                    app.processEvents()
        for dock in window.findChildren(QDockWidget):
            dock.show()
            dock.raise_()
            app.processEvents()
        combo = getattr(window, "trip_combo", None)
        if isinstance(main_tabs, QTabWidget):
            main_tabs.setCurrentIndex(0)  # every trip's schedule, timeline and map painted
        if combo is not None:
            for index in range(combo.count()):
                combo.setCurrentIndex(index)
                app.processEvents()
        view = getattr(window, "directory_view", None)
        if view is not None:
            tabs_widget = getattr(window, "tabs", None)
            if tabs_widget is not None:
                tabs_widget.setCurrentIndex(1)
            view.scrollToBottom()
            app.processEvents()
            view.scrollToTop()
            app.processEvents()

    def finish() -> None:
        window = next(
            (w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()),
            None,
        )
        if visit and window is not None:
            visit_views(window)
            app.processEvents()
        result["rss_mb"] = rss_mb()
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
        app.exit(0)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                "painted" not in result
                and "pending" not in result
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                result["pending"] = True
                # Runs once the whole frame has been painted and flushed.
                QTimer.singleShot(0, painted)
            return False

    def painted() -> None:
        result.pop("pending", None)
        result["painted"] = time.monotonic()
        QTimer.singleShot(0, finish)

    watcher = FirstPaint()
    app.installEventFilter(watcher)

    if mode == "bare":
        window = QMainWindow()
        window.resize(1280, 800)
        window.show()
        return app.exec()
    from ui.shell.app import main as app_main

    return app_main([sys.argv[0], argv[1]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
