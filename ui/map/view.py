"""The map panel beside the schedule: a day's (or the trip's) stops, route, hotel and scale.

Geometry comes from the Qt-free core (visitplanner.geo.mapgeom), which the PDF day maps share;
this widget only paints it and turns mouse gestures into viewport changes, selections and one
undoable edit (dragging a pin moves its place, precision "manual").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ui.map import pins as pin_painter
from ui.map.keys import MapKeys
from ui.map.pins import PIN_RADIUS, DrawnPin
from ui.map.tilenote import TileNote
from ui.map.transfers import DayRoute, day_route, paint_evening_hotel, paint_segments
from ui.shell.context import AppContext
from ui.shell.formats import format_date
from visitplanner.geo import mapgeom, tiles
from visitplanner.geo.mapgeom import DayMapGeometry, Stop, Viewport
from visitplanner.i18n import _

if TYPE_CHECKING:
    from visitplanner.geo import streetmap
    from visitplanner.planning.snapshot import TripSnapshot

MAX_PENDING_TILES = 6
SEA = QColor("#d6e4ec")
LAND = QColor("#f5f2ea")


class MapCanvas(QWidget):
    defer_streets = False  # set for the app's first window (see ui.map.layers)
    """Paints the geometry; owns the viewport and the mouse gestures."""

    def __init__(self, panel: MapView) -> None:
        super().__init__(panel)
        self.panel = panel
        self.setMinimumSize(120, 120)
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Map"))
        self.viewport: Viewport | None = None
        self.geometry_: DayMapGeometry | None = None
        self._auto_fit = True  # refit on resize until the user pans or zooms
        self._press: QPointF | None = None
        self._press_viewport: Viewport | None = None
        self._dragged_pin: mapgeom.Pin | None = None
        self._drag_at: QPointF | None = None
        self._moved = False
        self._pixmaps: dict[tuple[int, int, int], QPixmap] = {}
        self._pending: set[tuple[int, int, int]] = set()
        self._failed: set[tuple[int, int, int]] = set()
        self.tiles_drawn = 0
        self.drawn_pins: list[DrawnPin] = []  # as last painted: label boxes, hollow or not
        self.city_labels: list[mapgeom.PlacedLabel] = []  # the base's names last painted
        self.key_rect: QRectF | None = None  # the key to hollow pins, when shown
        self.arrows: list[mapgeom.Arrow] = []  # the route's arrows last painted
        self.layers_credit = ""  # the street map's sources, when it is drawn
        self.street_labels: list[streetmap.Label] = []
        self.keys = MapKeys(self)  # arrows, + and -, Tab or N and P through the pins

    @property
    def auto_fit(self) -> bool:
        """True until the user pans or zooms by hand (then only Fit or another day re-fits)."""
        return self._auto_fit

    # -- geometry ---------------------------------------------------------------------

    def layout_stops(self, fit: bool) -> None:
        stops, base = self.panel.stops, self.panel.base
        w, h = max(1, self.width()), max(1, self.height())
        if fit or self.viewport is None:
            self._auto_fit = True
            route = self.panel.route
            points = [(s.lat, s.lon) for s in stops] + [s.end for s in stops if s.end]
            points += [p for p in (base, route.evening) if p]
            self.viewport = mapgeom.fit(points, w, h, margin=48, max_zoom=16)
        self.geometry_ = mapgeom.day_map(
            stops,
            w,
            h,
            base=base,
            viewport=self.viewport,
            max_tile_zoom=self.panel.max_tile_zoom(),
            round_trip=self.panel.route.round_trip,
            evening_base=self.panel.route.evening,
            from_base=self.panel.route.from_base,
        )
        self.update()

    def set_viewport(self, viewport: Viewport) -> None:
        self._auto_fit = False
        self.viewport = viewport
        self.layout_stops(fit=False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.viewport is not None:
            self.viewport = self.viewport.resized(self.width(), self.height())
        self.layout_stops(fit=self.viewport is None or self._auto_fit)
        super().resizeEvent(event)

    # -- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.geometry_ is None:
            self.layout_stops(fit=True)
        geom = self.geometry_
        assert geom is not None
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_base(painter, geom.viewport)
        missing = self._paint_tiles(painter, geom)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        moved = None
        if self._dragged_pin is not None and self._drag_at is not None:
            moved = (self._dragged_pin, self._drag_at)
        metrics = QFontMetricsF(font)
        self.drawn_pins = pin_painter.layout_pins(
            geom, metrics, self.width(), self.height(), moved, self.panel.base_approximate
        )
        self.city_labels = []
        if not self.tiles_drawn:  # tiles carry their own names
            self.city_labels = pin_painter.paint_city_labels(
                painter, geom.viewport, self.drawn_pins, self.width(), self.height()
            )
        painter.setFont(font)
        self.arrows = []
        if self.panel.shown_day() is not None:  # the trip: pins only
            for run in geom.runs:
                self.arrows += pin_painter.paint_route(painter, run, self.drawn_pins)
            paint_segments(painter, geom.segments)
            paint_evening_hotel(painter, geom.evening_hotel)
            painter.setFont(font)
        pin_painter.paint_pins(painter, self.drawn_pins, set(self.panel.selected_ids))
        self.keys.paint(painter)
        painter.setFont(self.font())
        self.key_rect = None
        if any(d.hollow for d in self.drawn_pins):
            self.key_rect = pin_painter.paint_key(painter, self.width(), self.drawn_pins)
        self._paint_scale(painter, geom)
        self._paint_attribution(painter)
        if not geom.pins:
            self._paint_note(painter, self.panel.empty_text())
        painter.end()
        if missing:
            QTimer.singleShot(0, lambda: self._fetch(missing))
        note_shown = not self.panel.tile_note.isHidden()
        if note_shown and (self.tiles_drawn or self.panel.tile_settings().enabled):
            QTimer.singleShot(0, self.panel.update_tile_note)  # tiles came: the note goes

    def pin_at(self, x: float, y: float) -> mapgeom.Pin | None:
        """The pin whose label (moved aside or not) or true spot is under a point."""
        for d in reversed(self.drawn_pins):
            if d.box.contains(x, y) and d.pin.numbers:
                return d.pin
        if self.geometry_ is None:
            return None
        return self.geometry_.pin_at(x, y, PIN_RADIUS + 2)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            pin = self.pin_at(event.pos().x(), event.pos().y())
            if pin is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.panel.pin_tooltip(pin), self)
            return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # Tab: the pins, then the next control
        if self.hasFocus() and self.keys.step(1 if next else -1):
            return True
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.keys.key(event):
            super().keyPressEvent(event)

    def _paint_base(self, painter: QPainter, vp: Viewport) -> None:
        from ui.map import base  # the street map loads on first paint, not at start-up

        painter.fillRect(self.rect(), SEA)
        land, borders = base.base_paths()
        scale, dx, dy = vp.world_to_screen()
        to_screen = QTransform(scale, 0, 0, scale, dx, dy)
        path = to_screen.map(land)
        painter.fillPath(path, LAND)
        painter.setPen(QPen(QColor("#9fb3c2"), 1))
        painter.drawPath(path)
        painter.setPen(QPen(QColor("#a08a9a"), 1.5, Qt.PenStyle.DashLine))
        for border in borders:
            painter.drawPath(to_screen.map(border))
        self.layers_credit = self._paint_streets(painter, vp)

    def _paint_streets(self, painter: QPainter, vp: Viewport) -> str:
        """The offline street map (ui.map.layers) where no tile is cached; its credit line."""
        self.street_labels = []
        if any(self._pixmap((t.z, t.x, t.y)) for t in vp.tiles(self.panel.max_tile_zoom())):
            return ""
        if self.defer_streets:  # the app's first frame does not wait for the street map
            self.defer_streets = False
            QTimer.singleShot(0, self.update)  # the next frame reads and draws it
            return ""
        from ui.map import layers  # read on first use, not at start-up

        geom = self.geometry_
        shown = geom is not None and self.panel.shown_day() is not None  # the route is drawn
        pins = geom.pins if geom is not None else []
        route = geom.route if geom is not None and shown else []
        drawn = layers.paint_offline(painter, vp, self.font(), pins, route)
        self.street_labels = drawn.labels  # placed names, for pins to stay clear of
        return drawn.attribution

    def _paint_tiles(self, painter: QPainter, geom: DayMapGeometry) -> list[tuple[int, int, int]]:
        self.tiles_drawn = 0
        missing: list[tuple[int, int, int]] = []
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for t in geom.tiles:
            key = (t.z, t.x, t.y)
            pixmap = self._pixmap(key)
            if pixmap is None:
                if key not in self._pending and key not in self._failed:
                    missing.append(key)
                continue
            painter.drawPixmap(
                QRectF(t.screen_x, t.screen_y, t.size + 0.5, t.size + 0.5),
                pixmap,
                QRectF(pixmap.rect()),
            )
            self.tiles_drawn += 1
        return missing

    def _pixmap(self, key: tuple[int, int, int]) -> QPixmap | None:
        if key in self._pixmaps:
            return self._pixmaps[key]
        store = self.panel.tile_cache()
        data = store.get(*key) if store is not None else None
        if data is None:
            return None
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            return None
        if len(self._pixmaps) > 400:
            self._pixmaps.clear()
        self._pixmaps[key] = pixmap
        return pixmap

    def _paint_scale(self, painter: QPainter, geom: DayMapGeometry) -> None:
        bar = geom.scale
        x0, y0 = 12.0, self.height() - 16.0
        painter.setPen(QPen(QColor("#222222"), 2))
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + bar.pixels, y0))
        for x in (x0, x0 + bar.pixels):
            painter.drawLine(QPointF(x, y0 - 5), QPointF(x, y0))
        font = QFont(self.font())
        painter.setFont(font)
        painter.drawText(QPointF(x0 + 2, y0 - 6), bar.label)

    def _paint_attribution(self, painter: QPainter) -> None:
        text = (
            self.panel.tile_settings().attribution if self.tiles_drawn else _("Base: Natural Earth")
        )
        if self.layers_credit and not self.tiles_drawn:
            text = _("Map data: {sources}").format(sources=f"{self.layers_credit}, Natural Earth")
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        w = metrics.horizontalAdvance(text) + 8
        rect = QRectF(
            self.width() - w, self.height() - metrics.height() - 2, w, metrics.height() + 2
        )
        painter.fillRect(rect, QColor(255, 255, 255, 200))
        painter.setPen(QColor("#333333"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_note(self, painter: QPainter, text: str) -> None:
        metrics = painter.fontMetrics()
        w = min(self.width() - 20, metrics.horizontalAdvance(text) + 16)
        rect = QRectF((self.width() - w) / 2, 10, w, metrics.height() + 8)
        painter.fillRect(rect, QColor(255, 255, 255, 220))
        painter.setPen(QColor("#333333"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    # -- tiles from the server, off the GUI thread -------------------------------------

    def _fetch(self, keys: list[tuple[int, int, int]]) -> None:
        settings = self.panel.tile_settings()
        store = self.panel.tile_cache()
        if not settings.enabled or store is None:
            return
        from ui.shell.tasks import run_task

        for key in keys:
            if len(self._pending) >= MAX_PENDING_TILES:
                return
            if key in self._pending or key in self._failed:
                continue
            self._pending.add(key)

            def work(_progress: object, key: tuple[int, int, int] = key) -> bytes:
                try:
                    return tiles.fetch_tile(settings, *key)
                except OSError as error:
                    from visitplanner.errors import VisitPlannerError

                    raise VisitPlannerError(str(error)) from error

            def done(data: bytes, key: tuple[int, int, int] = key) -> None:
                self._pending.discard(key)
                if store is self.panel.tile_cache():  # not closed by File > Open meanwhile
                    store.put(*key, data)
                self.update()

            def failed(message: str, key: tuple[int, int, int] = key) -> None:
                self._pending.discard(key)
                self._failed.add(key)  # no retry storm; the light base shows instead
                self.panel.status.setText(_("Some map tiles could not be loaded."))

            run_task(None, work, done, on_error=failed, show_progress=False)

    # -- gestures ---------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.geometry_ is None:
            return
        pos = event.position()
        self._press = pos
        self._press_viewport = self.viewport
        self._moved = False
        self._dragged_pin = self.pin_at(pos.x(), pos.y())
        self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or self._press_viewport is None:
            return
        pos = event.position()
        delta = pos - self._press
        if not self._moved and abs(delta.x()) + abs(delta.y()) < 4:
            return
        self._moved = True
        if self._dragged_pin is not None:
            self._drag_at = pos
            self.update()
        else:
            self.set_viewport(self._press_viewport.panned(delta.x(), delta.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        pin, moved, pos = self._dragged_pin, self._moved, event.position()
        self._press = None
        self._dragged_pin = None
        self._drag_at = None
        self.unsetCursor()
        if pin is None:
            return
        if moved and self.viewport is not None:
            lat, lon = self.viewport.to_latlon(pos.x(), pos.y())
            self.panel.move_pin(pin, lat, lon)
        else:
            self.panel.pin_clicked(pin)
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.viewport is None:
            return
        steps = event.angleDelta().y() / 120
        if steps:
            pos = event.position()
            self.set_viewport(self.viewport.zoomed(steps * 0.5, pos.x(), pos.y()))
        event.accept()


class MapView(QWidget):
    """The panel: a day picker, the canvas and a status line."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.stops: list[Stop] = []
        self.base: tuple[float, float] | None = None
        self.base_approximate = False  # the hotel's place is a guess: its marker is hollow
        self.route = DayRoute()  # the day's hotels and transfers
        self.selected_ids: list[int] = []
        self.proposal: dict[int, tuple[dt.datetime, list[int]]] = {}  # Arrange's, not stored
        self.day_combo = QComboBox()
        self.day_combo.setAccessibleName(_("Day shown on the map"))
        self.day_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.day_combo.setMinimumContentsLength(8)
        self.fit_button = QToolButton()
        self.fit_button.setText(_("Fit"))
        self.fit_button.setToolTip(_("Show all the stops of the day again (F)"))
        self.canvas = MapCanvas(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._stops_key: object = None  # what the shown stops were at the last reload
        self._keep_view = False  # a pin dropped by hand: the map stays as it is
        self.tile_note = TileNote()  # how to get tiles, while none is drawn
        top = QHBoxLayout()
        top.addWidget(self.day_combo, 1)
        top.addWidget(self.fit_button)
        # The splitter may squeeze the map away in a narrow window (the schedule comes first).
        self.setMinimumSize(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.tile_note)
        layout.addWidget(self.status)
        self.day_combo.currentIndexChanged.connect(self._day_picked)
        self.fit_button.clicked.connect(self.fit)
        context.tripChanged.connect(self._trip_changed)
        context.scheduleReloaded.connect(lambda: self.reload(fit=False))
        context.meetingsSelected.connect(self.show_selection)
        context.dayShown.connect(self.show_day)
        context.proposalShown.connect(self._proposal_shown)
        context.libraryChanged.connect(self._library_changed)
        self._trip_changed()

    # -- settings and cache ---------------------------------------------------------------

    def tile_settings(self) -> tiles.TileSettings:
        from ui.shell import settings

        return settings.tile_settings()

    def _library_changed(self, *_args: object) -> None:
        self.canvas.update()  # its tiles
        self.update_tile_note()

    def set_tile_actions(self, import_action: QAction) -> None:
        """View > Offline Map > Import Map Tiles, which the note offers when no tile is at
        hand (storing an area ahead needs downloading on, and then the note is not shown)."""
        self.tile_note.set_actions(import_action)
        self.update_tile_note()

    def update_tile_note(self) -> None:
        """Say how to get tiles while there is none (no cache, no download allowed)."""
        store = self.tile_cache()
        cached = self.canvas.tiles_drawn or (store.count() if store is not None else 0)
        self.tile_note.refresh(self.tile_settings().enabled, cached)

    def max_tile_zoom(self) -> int:
        return self.tile_settings().max_zoom

    def tile_cache(self) -> tiles.MBTiles | None:
        """The library's tile cache (the context's, shared with the itinerary's maps)."""
        return self.context.tile_cache()

    # -- data -------------------------------------------------------------------------

    def snapshot(self) -> TripSnapshot | None:
        return self.context.snapshot

    def _trip_changed(self, *_args: object) -> None:
        self._fill_days()
        self.reload(fit=True)
        self.update_tile_note()

    def _fill_days(self) -> None:
        snap = self.snapshot()
        current_day = self.day_combo.currentData()
        self.day_combo.blockSignals(True)
        self.day_combo.clear()
        self.day_combo.addItem(_("Whole trip"), None)
        if snap is not None:
            for day in snap.trip.days():
                self.day_combo.addItem(format_date(day, "full"), day.isoformat())
        index = self.day_combo.findData(current_day) if current_day else -1
        self.day_combo.setCurrentIndex(
            index if index >= 0 else (1 if self.day_combo.count() > 1 else 0)
        )
        self.day_combo.blockSignals(False)

    def shown_day(self) -> dt.date | None:
        data = self.day_combo.currentData()
        return dt.date.fromisoformat(data) if data else None

    def reload(self, fit: bool = False) -> None:
        self.route = r = day_route(self.snapshot(), self.shown_day(), self.proposal)
        self.stops, self.base, self.base_approximate = r.stops, r.base, r.base_approximate
        # The day's meetings changed (added, moved, deleted, undone): show them all again,
        # unless the user has moved the map by hand since choosing the day (then Fit does).
        key = (tuple((s.meeting_id, s.lat, s.lon, s.end) for s in self.stops), self.base)
        changed = key != self._stops_key
        self._stops_key = key
        refit = fit or (changed and self.canvas.auto_fit and not self._keep_view)
        self._keep_view = False
        self.canvas.layout_stops(fit=refit)
        count = len(self.stops)
        if changed and not refit:
            text = _("The day's stops changed: press Fit (F) to show them all.")
        elif count:
            text = _("Drag the map to move it, the wheel to zoom; drag a pin to correct its place.")
        else:
            text = ""
        self.status.setText(text)

    def _proposal_shown(self, proposal: dict[int, tuple[dt.datetime, list[int]]]) -> None:
        self.proposal = dict(proposal)
        self.reload(fit=False)

    def fit(self) -> None:
        """Show every stop of the day again (and re-fit on later changes)."""
        self.canvas.layout_stops(fit=True)
        if self.stops:
            self.status.setText(
                _("Drag the map to move it, the wheel to zoom; drag a pin to correct its place.")
            )

    def pin_tooltip(self, pin: mapgeom.Pin) -> str:
        return pin_painter.tooltip(pin, self.snapshot())

    def empty_text(self) -> str:
        return _("No meeting with a place on this day.")

    # -- selection and edits -------------------------------------------------------------

    def _day_picked(self, _index: int) -> None:
        self.reload(fit=True)
        day = self.shown_day()
        if day is not None:  # the timeline beside shows the same day
            self.context.show_day(day)

    def show_day(self, day: dt.date) -> None:
        index = self.day_combo.findData(day.isoformat())
        if index >= 0 and index != self.day_combo.currentIndex():
            self.day_combo.setCurrentIndex(index)

    def show_selection(self, meeting_ids: list[int]) -> None:
        self.selected_ids = list(meeting_ids)
        snap = self.snapshot()
        day = self.shown_day()
        if snap is not None and meeting_ids and day is not None:
            try:
                first = snap.meeting(meeting_ids[0])
            except KeyError:
                first = None
            if first is not None and first.start is not None and first.start.date() != day:
                index = self.day_combo.findData(first.start.date().isoformat())
                if index >= 0:
                    self.day_combo.setCurrentIndex(index)
        self.canvas.update()

    def pin_clicked(self, pin: mapgeom.Pin) -> None:
        self.context.select_meetings(list(pin.meeting_ids))

    def move_pin(self, pin: mapgeom.Pin, lat: float, lon: float) -> None:
        snap = self.snapshot()
        if snap is None or not pin.meeting_ids:
            return
        place = snap.place_of(snap.meeting(pin.meeting_ids[0]))
        if place is None or place.id is None:
            return
        from ui.shell.undo import push_edit
        from visitplanner.edits import MovePlace

        self._keep_view = True  # the pin lands where it was dropped: no jump
        push_edit(self.context, _("Move place on the map"), MovePlace(place.id, lat, lon))
        self._keep_view = False
