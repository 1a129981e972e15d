"""The main window on the screen: with its frame (title bar, borders) inside the screen's
available area, so that its status bar and edges are in sight on a 1366x768 laptop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtWidgets import QWidget

# Room for a window manager's frame before the window is shown (then it is measured).
FRAME_GUESS = QSize(16, 48)


def fit_on_screen(window: QWidget, wanted: QSize | None = None) -> None:
    """Shrink and move ``window`` so that its frame fits the available area of its screen;
    ``wanted`` (first start): the size to reach once the frame is known, if there is room."""
    if window.isMaximized() or window.isFullScreen():
        return
    screen = window.screen().availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    if extra_h <= 0:  # not framed yet: reserve what a title bar usually takes
        extra_w, extra_h = FRAME_GUESS.width(), FRAME_GUESS.height()
    target = (wanted or QSize()).expandedTo(window.size())
    width = max(window.minimumWidth(), min(target.width(), screen.width() - extra_w))
    height = max(window.minimumHeight(), min(target.height(), screen.height() - extra_h))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(frame.x(), screen.left()), screen.left() + screen.width() - width - extra_w)
    y = min(max(frame.y(), screen.top()), screen.top() + screen.height() - height - extra_h)
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, screen.left()), max(y, screen.top()))


class FirstShowFit(QObject):
    """Fits ``window`` when it is first shown, and again once a window manager has framed
    it; on a first start it reaches the size wanted if the screen has room for it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.wanted = QSize()
        self.planned = QSize()  # the size the window starts at (remembered, or first start)
        self._shown = False
        self._fitted = QSize()
        window.installEventFilter(self)

    def plan(self) -> None:
        """The window's size is the one it starts at: fitted when shown. A size set in code
        after this (a test, a caller's own choice) is left alone."""
        self.planned = self.window.size()

    def first_start(self, wanted: QSize) -> None:
        """No size remembered: ``wanted``, or less, the frame guessed until it is known."""
        self.wanted = wanted
        screen = self.window.screen().availableGeometry()
        self.window.resize(
            min(wanted.width(), screen.width() - FRAME_GUESS.width()),
            min(wanted.height(), screen.height() - FRAME_GUESS.height()),
        )

    def fit(self) -> None:
        fit_on_screen(self.window, self.wanted)

    def _fit_planned(self) -> None:
        if self.window.size() == self.planned or self.window.size() == self._fitted:
            self.fit()
            self._fitted = self.window.size()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._fit_planned)
            QTimer.singleShot(200, self._framed)  # a window manager frames it once mapped
        return False

    def _framed(self) -> None:
        self._fit_planned()
        self.wanted = QSize()  # from now on the size is the user's
