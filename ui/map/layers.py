"""Paints the offline street map (visitplanner.geo.streetmap) on the map panel with QPainter.

Drawn over the Natural Earth base when no tile is cached for the view: the areas' land, then
water, parks, streets (minor thin, major wider and yellow, each with a casing) and the street
names along them, clear of the pins. The core decides what to draw and where the labels go;
this module only chooses colours and pens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from visitplanner.geo import mapgeom, streetmap
from visitplanner.geo.mapgeom import Viewport

# The base's own land and sea (ui.map.view LAND, SEA): no seam where the street map's area ends.
LAND = QColor("#f5f2ea")
WATER = QColor("#d6e4ec")
PARK = QColor("#cfe8c3")
CASING = QColor("#c8bfae")
MINOR = QColor("#ffffff")
MAJOR = QColor("#fbd98b")
MAJOR_CASING = QColor("#d6a853")
TEXT = QColor("#333333")
HALO = QColor(255, 255, 255, 230)


def _path(polygons: Iterable[streetmap.Polygon]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for poly in polygons:
        for ring in poly:
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in ring]))
            path.closeSubpath()
    return path


def _widths(zoom: float) -> tuple[float, float]:
    """(minor, major) street widths in pixels: wider as the map zooms in."""
    minor = max(1.2, min(7.0, 1.6 * 2 ** ((zoom - 14.0) * 0.8)))
    return minor, max(minor + 1.5, minor * 1.6)


def paint(
    painter: QPainter,
    viewport: Viewport,
    font: QFont,
    avoid: Sequence[streetmap.Box] = (),
) -> streetmap.MapLayers:
    """Paint the street map for this view; returns what was drawn (its labels, attribution)."""
    label_font = QFont(font)
    label_font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    metrics = QFontMetricsF(label_font)
    size = metrics.height() / 1.25
    layers = streetmap.layers(
        viewport,
        avoid=avoid,
        text_width=lambda text, _size: metrics.horizontalAdvance(text),
        font_size=size,
    )
    if layers.empty:
        return layers
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    for ring in layers.land:
        painter.setBrush(LAND)
        painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in ring]))
    if layers.parks:
        painter.fillPath(_path(layers.parks), PARK)
    if layers.water:  # no outline: the areas' boxes cut the water with straight edges
        painter.fillPath(_path(layers.water), WATER)
    minor_w, major_w = _widths(viewport.zoom)
    lines = {
        major: [
            QPolygonF([QPointF(x, y) for x, y in s.points])
            for s in layers.streets
            if s.major is major
        ]
        for major in (False, True)
    }
    for major, casing, fill, width in (
        (False, CASING, MINOR, minor_w),
        (True, MAJOR_CASING, MAJOR, major_w),
    ):
        for colour, w in ((casing, width + 1.6), (fill, width)):
            pen = QPen(colour, w)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.BevelJoin)  # round joins cost a third more
            painter.setPen(pen)
            for line in lines[major]:
                painter.drawPolyline(line)
    _paint_labels(painter, layers.labels, label_font, metrics)
    painter.restore()
    return layers


def _paint_labels(
    painter: QPainter, labels: Sequence[streetmap.Label], font: QFont, metrics: QFontMetricsF
) -> None:
    if not labels:
        return
    halo = QPen(HALO, 3.0)
    halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    baseline = (metrics.ascent() - metrics.descent()) / 2
    for label in labels:
        path = QPainterPath()
        path.addText(QPointF(-label.width / 2, baseline), font, label.text)
        painter.save()
        painter.translate(label.x, label.y)
        painter.rotate(label.angle)
        painter.strokePath(path, halo)
        painter.fillPath(path, QBrush(TEXT))
        painter.restore()


def paint_offline(
    painter: QPainter,
    viewport: Viewport,
    font: QFont,
    pins: Sequence[mapgeom.Pin],
    route: Sequence[mapgeom.Point],
) -> streetmap.MapLayers:
    """The street map of the map panel: names kept off the pins, the day's route, the scale
    bar (bottom left) and the credit line (bottom right)."""
    w, h = viewport.width, viewport.height
    avoid: list[streetmap.Box] = [(p.x - 14, p.y - 13, p.x + 14, p.y + 13) for p in pins]
    if route:
        avoid += streetmap.boxes_along(list(route))
    avoid += [(0, h - 34, 150, h), (w - 440, h - 20, w, h)]
    return paint(painter, viewport, font, avoid)
