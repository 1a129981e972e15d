"""The offline street map (visitplanner.geo.streetmap) on a PDF day map, with reportlab.

Drawn by :class:`~visitplanner.itinerary.daymap.DayMap` over the Natural Earth base when no
tile is cached for the day: water, parks, streets (major wider) and street names along them,
clear of the stops' pins; quiet colours that print well in black and white.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors

from visitplanner.geo import streetmap
from visitplanner.geo.mapgeom import Viewport
from visitplanner.itinerary.fonts import FAMILY

# The base's own land and sea (daymap LAND, SEA): no seam where the street map's area ends.
LAND = colors.HexColor("#f7f7f4")
WATER = colors.HexColor("#e1e6ea")
PARK = colors.HexColor("#dcebd3")
CASING = colors.HexColor("#bdb6aa")
MINOR = colors.white
MAJOR = colors.HexColor("#f6dc9c")
MAJOR_CASING = colors.HexColor("#c9a45a")
TEXT = colors.HexColor("#3a3a3a")
LABEL_SIZE = 5.6
# Printed at 72 points an inch and read up close, a day map spanning a city (Montréal to
# Laval, Old Québec to Sainte-Foy: zoom 10.5 to 11.5) still shows its main roads.
STREET_SHIFT = 1.0


def draw(canv: Any, viewport: Viewport, avoid: Sequence[streetmap.Box] = ()) -> str:
    """Draw the street map of this view on `canv` (a map `viewport.height` points tall, its
    origin at the bottom left); returns the credit line of what was drawn ("" for nothing)."""
    h = viewport.height
    layers = streetmap.layers(
        viewport,
        avoid=avoid,
        text_width=lambda text, size: float(canv.stringWidth(text, FAMILY, size)),
        font_size=LABEL_SIZE,
        label_shift=1.5,
        street_shift=STREET_SHIFT,
    )
    if layers.empty:
        return ""
    canv.saveState()
    for ring in layers.land:
        _fill(canv, [[ring]], h, LAND)
    if layers.parks:
        _fill(canv, layers.parks, h, PARK)
    if layers.water:
        _fill(canv, layers.water, h, WATER)  # no outline: area boxes cut it straight
    minor_w, major_w = _widths(viewport.zoom)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    for major, casing, fill, width in (
        (False, CASING, MINOR, minor_w),
        (True, MAJOR_CASING, MAJOR, major_w),
    ):
        lines = [s.points for s in layers.streets if s.major is major]
        if not lines:
            continue
        for colour, w in ((casing, width + 0.6), (fill, width)):
            path = canv.beginPath()
            for points in lines:
                path.moveTo(points[0][0], h - points[0][1])
                for x, y in points[1:]:
                    path.lineTo(x, h - y)
            canv.setStrokeColor(colour)
            canv.setLineWidth(w)
            canv.drawPath(path, stroke=1, fill=0)
    _labels(canv, layers.labels, h)
    canv.restoreState()
    return layers.attribution


def _widths(zoom: float) -> tuple[float, float]:
    """(minor, major) street widths in points: wider as the map zooms in."""
    minor = max(0.5, min(4.0, 1.0 * 2 ** ((zoom - 14.0) * 0.8)))
    return minor, max(minor + 0.6, minor * 1.6)


def _fill(canv: Any, polygons: Sequence[streetmap.Polygon], h: float, fill: Any) -> None:
    path = canv.beginPath()
    for poly in polygons:
        for ring in poly:
            path.moveTo(ring[0][0], h - ring[0][1])
            for x, y in ring[1:]:
                path.lineTo(x, h - y)
            path.close()
    canv.setFillColor(fill)
    canv.drawPath(path, stroke=0, fill=1, fillMode=0)  # even-odd: holes are islands


def _labels(canv: Any, labels: Sequence[streetmap.Label], h: float) -> None:
    for label in labels:
        canv.saveState()
        canv.translate(label.x, h - label.y)
        canv.rotate(-label.angle)  # the screen's y grows downwards, the PDF's upwards
        baseline = -LABEL_SIZE * 0.35
        for mode, colour in ((1, colors.white), (0, TEXT)):  # a white halo, then the text
            canv.saveState()  # the render mode outlives the text object: restore it after
            canv.setLineWidth(1.4)
            canv.setLineJoin(1)
            text = canv.beginText(-label.width / 2, baseline)
            text.setFont(FAMILY, LABEL_SIZE)
            text.setTextRenderMode(mode)
            text.setStrokeColor(colour)
            text.setFillColor(colour)
            text.textOut(label.text)
            canv.drawText(text)
            canv.restoreState()
        canv.restoreState()
