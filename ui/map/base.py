"""The light base under the map (Natural Earth land and borders), projected once: the first
frame draws it without reading the street map (ui.map.layers)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath

from visitplanner.geo import mapgeom, tiles


@cache
def base_paths() -> tuple[QPainterPath, list[QPainterPath]]:
    """The light base (land, borders) projected once, in zoom-0 world coordinates; each
    paint only scales and moves it (a Qt transform), so panning stays smooth."""
    base = tiles.basemap()
    land = QPainterPath()
    land.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in base.land:
        points = [QPointF(*mapgeom.to_world(lat, lon, 0)) for lat, lon in ring]
        land.moveTo(points[0])
        for p in points[1:]:
            land.lineTo(p)
        land.closeSubpath()
    borders = []
    for line in base.borders:
        border = QPainterPath()
        for i, (lat, lon) in enumerate(line):
            p = QPointF(*mapgeom.to_world(lat, lon, 0))
            border.moveTo(p) if i == 0 else border.lineTo(p)
        borders.append(border)
    return land, borders
