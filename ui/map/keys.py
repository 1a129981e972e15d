"""The map from the keyboard: arrows pan, + and - zoom, Tab/Shift+Tab or N/P go through the
pins (a ring shows which), Enter selects the pin's meetings, F fits the day. Listed in
Help > Keyboard Shortcuts (ui.shell.shortcuts.MAP_KEYS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QPen

from ui.map.pins import PIN_RADIUS
from visitplanner.geo import mapgeom

if TYPE_CHECKING:
    from ui.map.view import MapCanvas

# An arrow pans a quarter of the map that way; + and - zoom as a wheel's step does.
PAN_KEYS = {
    Qt.Key.Key_Left: (1, 0),
    Qt.Key.Key_Right: (-1, 0),
    Qt.Key.Key_Up: (0, 1),
    Qt.Key.Key_Down: (0, -1),
}
KEY_ZOOM = 0.5
_PLAIN = Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier


class MapKeys:
    """The canvas's keys and the pin they have reached (``index``, None for none)."""

    def __init__(self, canvas: MapCanvas) -> None:
        self.canvas = canvas
        self.index: int | None = None

    def pins(self) -> list[mapgeom.Pin]:
        """The pins that hold meetings, in visiting order (the order Tab and N follow)."""
        geometry = self.canvas.geometry_
        if geometry is None:
            return []
        return sorted((p for p in geometry.pins if p.meeting_ids), key=lambda p: p.number)

    def focused_pin(self) -> mapgeom.Pin | None:
        pins = self.pins()
        if self.index is None or not 0 <= self.index < len(pins):
            return None
        return pins[self.index]

    def step(self, step: int) -> bool:
        """Reach the next (1) or previous (-1) pin; False past the last or the first."""
        canvas, pins = self.canvas, self.pins()
        if not pins:
            return False
        index = (0 if step > 0 else len(pins) - 1) if self.index is None else self.index + step
        if not 0 <= index < len(pins):
            self.index = None
            canvas.update()
            return False
        self.index = index
        pin = pins[index]
        inside = 0 <= pin.x <= canvas.width() and 0 <= pin.y <= canvas.height()
        if not inside and canvas.viewport is not None:  # bring it into view
            centre = canvas.width() / 2 - pin.x, canvas.height() / 2 - pin.y
            canvas.set_viewport(canvas.viewport.panned(*centre))
        canvas.update()
        return True

    def key(self, event: QKeyEvent) -> bool:
        """Handle ``event``; False when it is not one of the map's keys."""
        canvas, key, viewport = self.canvas, event.key(), self.canvas.viewport
        if event.modifiers() & ~_PLAIN:  # Ctrl+…: the window's shortcuts
            return False
        pan = PAN_KEYS.get(Qt.Key(key))
        if pan is not None and viewport is not None:
            dx, dy = pan[0] * canvas.width() / 4, pan[1] * canvas.height() / 4
            canvas.set_viewport(viewport.panned(dx, dy))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and viewport is not None:
            canvas.set_viewport(viewport.zoomed(KEY_ZOOM))
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore) and viewport is not None:
            canvas.set_viewport(viewport.zoomed(-KEY_ZOOM))
        elif key in (Qt.Key.Key_N, Qt.Key.Key_P):
            step = 1 if key == Qt.Key.Key_N else -1
            if not self.step(step):  # past the last: round to the first (and back)
                self.step(step)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            pin = self.focused_pin()
            if pin is not None:
                canvas.panel.pin_clicked(pin)
        elif key == Qt.Key.Key_F:
            canvas.panel.fit()
        else:
            return False
        return True

    def paint(self, painter: QPainter) -> None:
        """A ring in the focus colour around the pin Enter would select."""
        pin = self.focused_pin() if self.canvas.hasFocus() else None
        if pin is None:
            return
        painter.setPen(QPen(self.canvas.palette().color(QPalette.ColorRole.Highlight), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(pin.x, pin.y), PIN_RADIUS + 6, PIN_RADIUS + 6)
