"""What the map panel draws over its base: the route with arrows, the pins, the hotel, the
key to approximate pins and the base's city labels placed around them.

The layout (where each label goes, which city names fit, the arrows) is the Qt-free core's
(:mod:`visitplanner.geo.mapgeom`), shared with the PDF day maps; this module only paints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from visitplanner.geo import mapgeom, tiles
from visitplanner.geo.mapgeom import Box, DayMapGeometry, Pin
from visitplanner.i18n import _

if TYPE_CHECKING:
    from visitplanner.planning.snapshot import TripSnapshot

PIN_RADIUS = 11
ROUTE = QColor(31, 90, 160, 190)
PIN = QColor("#c0392b")
PIN_OUTLINE = QColor("#7a1f14")
PIN_SELECTED = QColor("#f39c12")
PIN_SELECTED_OUTLINE = QColor("#8a5a00")
HOTEL = QColor("#2c3e50")
CITY = QColor("#6b6b6b")


@dataclass(frozen=True)
class DrawnPin:
    """A pin as painted: its label's box (moved aside from the pin when others were in the
    way), whether it was drawn hollow, and whether it is the hotel's marker."""

    pin: Pin
    box: Box
    hollow: bool
    hotel: bool = False


def hotel_text(pin: Pin | None) -> str:
    return f"H · {pin.text}" if pin is not None else "H"


def layout_pins(
    geom: DayMapGeometry,
    metrics: QFontMetricsF,
    width: float,
    height: float,
    moved: tuple[Pin, QPointF] | None = None,
    hotel_approximate: bool = False,
) -> list[DrawnPin]:
    """The pins' label boxes: the hotel first (with the stops held there), then each pin on
    its spot or moved aside so that no two overlap; a pin being dragged stays under the
    mouse."""
    out: list[DrawnPin] = []
    at_hotel = next((p for p in geom.pins if p.at_hotel), None)
    hotel_box = None
    if geom.hotel is not None and (at_hotel is not None or geom.hotel_marker is not None):
        w = max(20.0, metrics.horizontalAdvance(hotel_text(at_hotel)) + 10)
        hotel_box = Box(geom.hotel[0], geom.hotel[1], w, 20)
        if at_hotel is not None:
            hollow = hotel_approximate or at_hotel.approximate
            out.append(DrawnPin(at_hotel, hotel_box, hollow, hotel=True))
    others = [p for p in geom.pins if not (p.at_hotel and hotel_box is not None)]
    widths = [max(2.0 * PIN_RADIUS, metrics.horizontalAdvance(p.text) + 10) for p in others]
    # The bottom strip holds the scale bar and the credits: labels stay above it.
    boxes = mapgeom.pin_labels(others, widths, 2 * PIN_RADIUS, width, height - 22, hotel_box)
    for pin, box in zip(others, boxes, strict=True):
        if moved is not None and pin is moved[0]:
            box = Box(moved[1].x(), moved[1].y(), box.w, box.h)
        out.append(DrawnPin(pin, box, pin.approximate))
    if hotel_box is not None and at_hotel is None:
        out.insert(0, DrawnPin(_hotel_only(geom), hotel_box, hotel_approximate, hotel=True))
    return out


def _hotel_only(geom: DayMapGeometry) -> Pin:
    """A stand-in pin for the hotel's own marker (no stop there)."""
    assert geom.hotel is not None
    x, y = geom.hotel
    lat, lon = geom.viewport.to_latlon(x, y)
    return Pin(0, x, y, mapgeom.Stop(lat, lon, ""), ())


def paint_route(
    painter: QPainter, route: Sequence[mapgeom.Point], drawn: Sequence[DrawnPin] = ()
) -> list[mapgeom.Arrow]:
    """The day's route in visiting order, with an arrow on each leg long enough, where no
    pin covers it. Returns the arrows drawn."""
    pen = QPen(ROUTE, 3.5)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline([QPointF(x, y) for x, y in route])
    painter.setPen(QPen(QColor(255, 255, 255, 230), 1.2))
    painter.setBrush(QColor(ROUTE.red(), ROUTE.green(), ROUTE.blue()))
    arrows = mapgeom.route_arrows(
        route, min_length=2.5 * PIN_RADIUS + 24, avoid=[d.box for d in drawn], size=12
    )
    for arrow in arrows:
        painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in arrow.head(12, 6)]))
    return arrows


def paint_pins(painter: QPainter, drawn: Sequence[DrawnPin], selected: set[int]) -> None:
    """Leaders from moved labels to their true spot, then the hotel and the pins. A pin
    whose place is approximate is hollow with a dashed outline."""
    painter.setPen(QPen(QColor("#333333"), 1.2))
    for d in drawn:
        if not d.hotel and (d.box.x, d.box.y) != (d.pin.x, d.pin.y):
            painter.drawLine(QPointF(d.pin.x, d.pin.y), QPointF(d.box.x, d.box.y))
            painter.setBrush(QColor("#333333"))
            painter.drawEllipse(QPointF(d.pin.x, d.pin.y), 2.5, 2.5)
    for d in drawn:
        rect = QRectF(d.box.x - d.box.w / 2, d.box.y - d.box.h / 2, d.box.w, d.box.h)
        chosen = bool(selected & set(d.pin.meeting_ids))
        if d.hotel:  # dark, or hollow and dashed when the hotel's place is approximate
            pen = QPen(PIN_SELECTED if chosen else Qt.GlobalColor.white, 2)
            if d.hollow:
                pen = QPen(PIN_SELECTED if chosen else HOTEL, 2.2, Qt.PenStyle.DashLine)
                pen.setDashPattern([2.5, 1.5])
            painter.setPen(pen)
            painter.setBrush(QColor(255, 255, 255, 235) if d.hollow else HOTEL)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(HOTEL if d.hollow else QColor(Qt.GlobalColor.white))
            text = hotel_text(d.pin if d.pin.numbers else None)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            continue
        outline = PIN_SELECTED_OUTLINE if chosen else PIN_OUTLINE
        fill = PIN_SELECTED if chosen else PIN
        if d.hollow:
            pen = QPen(fill if not chosen else outline, 2.2, Qt.PenStyle.DashLine)
            pen.setDashPattern([2.5, 1.5])
            painter.setPen(pen)
            painter.setBrush(QColor(255, 255, 255, 235))
        else:
            painter.setPen(QPen(outline, 2))
            painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, d.box.h / 2, d.box.h / 2)
        painter.setPen(outline if d.hollow else QColor(Qt.GlobalColor.white))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, d.pin.text)


def approximate_key_text() -> str:
    return _("approximate (address to be confirmed)")


def paint_key(painter: QPainter, width: float, drawn: Sequence[DrawnPin]) -> QRectF:
    """The key to hollow pins, in the top corner with no pin under it."""
    text = approximate_key_text()
    metrics = painter.fontMetrics()
    w, h = metrics.horizontalAdvance(text) + 34.0, metrics.height() + 10.0
    corners = [Box(6 + w / 2, 6 + h / 2, w, h), Box(width - 6 - w / 2, 6 + h / 2, w, h)]
    box = next((c for c in corners if not any(c.overlaps(d.box) for d in drawn)), corners[0])
    rect = QRectF(box.x - w / 2, box.y - h / 2, w, h)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 225))
    painter.drawRoundedRect(rect, 4, 4)
    pen = QPen(PIN, 2, Qt.PenStyle.DashLine)
    pen.setDashPattern([2.5, 1.5])
    painter.setPen(pen)
    painter.setBrush(Qt.GlobalColor.white)
    painter.drawEllipse(QPointF(rect.left() + 14, rect.center().y()), 7, 7)
    painter.setPen(QColor("#333333"))
    text_rect = rect.adjusted(28, 0, -4, 0)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    return rect


def paint_city_labels(
    painter: QPainter,
    vp: mapgeom.Viewport,
    drawn: Sequence[DrawnPin],
    width: float,
    height: float,
) -> list[mapgeom.PlacedLabel]:
    """The base's city names, beside their dot where no pin is: moved to another side or
    dropped, never hidden under a pin. Returns what was drawn."""
    if not tiles.zoom_for_labels(vp.zoom):
        return []
    font = QFont(painter.font())
    font.setBold(False)
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    painter.setFont(font)
    metrics = painter.fontMetrics()
    wanted = []
    for name, lat, lon in tiles.basemap().labels:
        x, y = vp.to_screen(lat, lon)
        if -10 <= x <= width + 10 and -10 <= y <= height + 10:
            wanted.append((name, x, y, float(metrics.horizontalAdvance(name)), metrics.height()))
    obstacles = [d.box for d in drawn]
    placed = mapgeom.place_base_labels(wanted, obstacles, width, height - 24)
    painter.setPen(CITY)
    painter.setBrush(CITY)
    for label in placed:
        painter.drawEllipse(QPointF(label.x, label.y), 2, 2)
        b = label.box
        rect = QRectF(b.x - b.w / 2, b.y - b.h / 2, b.w + 2, b.h)
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label.name
        )
    return placed


def tooltip(pin: Pin, snapshot: TripSnapshot | None) -> str:
    """The pin's numbers, place and meetings; for a place known only to its street, postal
    area or city, that its address is to be confirmed."""
    titles = []
    for meeting_id in pin.meeting_ids:
        try:
            titles.append(snapshot.meeting(meeting_id).title if snapshot is not None else "")
        except KeyError:
            continue
    lines = [f"{pin.text} · {pin.stop.label}", *[t for t in titles if t]]
    if pin.approximate:
        lines.append(_("Approximate place: address to be confirmed."))
    return "\n".join(lines)
