"""The map of one day in the itinerary: vector drawing over cached tiles when there are any.

Geometry (projection, fit, numbering, scale bar, tiles) comes from
:mod:`visitplanner.geo.mapgeom`; this module only paints it with reportlab. Stops are black
discs with white numbers (the "Stop N" of the meeting blocks), the hotel a white square with
an H, the route a dark line with a white casing: legible in black and white, on tiles or on
the plain light background drawn where no tile is at hand.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from visitplanner.geo import mapgeom
from visitplanner.itinerary.content import DayItinerary, Stop
from visitplanner.itinerary.fonts import BOLD, FAMILY
from visitplanner.model import Place
from visitplanner.planning.snapshot import TripSnapshot

# A tile's image bytes (PNG or JPEG) for XYZ (z, x, y), or None when it is not cached.
TileSource = Callable[[int, int, int], bytes | None]

BACKGROUND = colors.HexColor("#f2f2ef")
SEA = colors.HexColor("#e1e6ea")
LAND = colors.HexColor("#f7f7f4")
COAST = colors.HexColor("#b9c4cc")
BORDER = colors.HexColor("#9a9a9a")
LABEL = colors.HexColor("#707070")
BASE_ATTRIBUTION = "Natural Earth"
ROUTE = colors.HexColor("#333333")
FRAME = colors.HexColor("#777777")
ATTRIBUTION = "© OpenStreetMap contributors"


PIN_FONT_SIZE = 7.5


@dataclass(frozen=True)
class Box:
    """A label's centre and size, in PDF points."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, gap: float = 1.5) -> bool:
        return (
            abs(self.x - other.x) * 2 < self.w + other.w + 2 * gap
            and abs(self.y - other.y) * 2 < self.h + other.h + 2 * gap
        )


_DIRECTIONS = ((0, 1), (1, 0), (0, -1), (-1, 0), (0.7, 0.7), (0.7, -0.7), (-0.7, -0.7), (-0.7, 0.7))


def _free_spot(box: Box, placed: list[Box], width: float, height: float) -> Box:
    """``box`` where it is, or moved aside (up, right, down, left...) to overlap no other
    label and stay inside the map; where nothing is free, where it is."""
    candidates = [box]
    for radius in (16, 24, 34, 46):
        for dx, dy in _DIRECTIONS:
            candidates.append(
                Box(box.x + dx * (radius + box.w / 2 - 7), box.y + dy * radius, box.w, box.h)
            )
    for candidate in candidates:
        inside = (
            candidate.w / 2 <= candidate.x <= width - candidate.w / 2
            and candidate.h / 2 <= candidate.y <= height - candidate.h / 2
        )
        if inside and not any(candidate.overlaps(other) for other in placed):
            return candidate
    return box


@dataclass(frozen=True)
class Segment:
    start: mapgeom.Point
    end: mapgeom.Point
    to_hotel: bool = False


NEAR_HOTEL_KM = 25.0


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Approximate distance (equirectangular; plenty for deciding what fits on a map)."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(mean_lat)
    dy = math.radians(b[0] - a[0])
    return 6371.0 * math.hypot(dx, dy)


def _coords(place: Place | None) -> tuple[float, float] | None:
    if place is None or place.lat is None or place.lon is None:
        return None
    return (place.lat, place.lon)


def day_geometry(
    snapshot: TripSnapshot, day: DayItinerary, width: float, height: float
) -> tuple[mapgeom.DayMapGeometry, list[Segment], list[tuple[mapgeom.Pin, str]]] | None:
    """The day's map layout: geometry, route segments (each stop from its origin) and pins
    labelled with the stops' numbers. None when no stop of the day has coordinates."""
    located: list[tuple[Stop, tuple[float, float]]] = []
    for stop in day.stops:
        coords = _coords(stop.place)
        if coords is not None:
            located.append((stop, coords))
    if not located:
        return None
    map_stops = [
        mapgeom.Stop(c[0], c[1], s.place.label() if s.place else "", s.meeting.id)
        for s, c in located
    ]
    base = _coords(snapshot.base)
    points = [c for _s, c in located]
    # A hotel far from the day's stops (a day trip to another city) would shrink them to a
    # dot: the view then fits the stops, and the route runs off the map towards the hotel.
    near = base is not None and min(_km(base, p) for p in points) <= NEAR_HOTEL_KM
    view = mapgeom.fit(points + ([base] if near and base else []), width, height, 26, 16)
    geometry = mapgeom.day_map(map_stops, width, height, base=base, viewport=view)
    vp = geometry.viewport
    pins = []
    for pin in geometry.pins:
        numbers = [located[n - 1][0].number for n in (pin.numbers or (pin.number,))]
        pins.append((pin, ", ".join(str(n) for n in numbers)))
    segments = []
    for stop, coords in located:
        start = _coords(stop.origin)
        if start is not None and start != coords:
            segments.append(Segment(vp.to_screen(*start), vp.to_screen(*coords)))
    if day.return_leg is not None and base is not None:
        last = located[-1][1]
        if last != base:
            segments.append(Segment(vp.to_screen(*last), vp.to_screen(*base), to_hotel=True))
    return geometry, segments, pins


class DayMap(Flowable):  # type: ignore[misc]
    """A day's map, ``width`` x ``height`` points."""

    def __init__(
        self,
        snapshot: TripSnapshot,
        day: DayItinerary,
        width: float,
        height: float,
        tiles: TileSource | None = None,
    ) -> None:
        super().__init__()
        self.width = width
        self.height = height
        self.layout = day_geometry(snapshot, day, width, height)
        self.tiles = tiles
        self.hotel_label = snapshot.base.label() if snapshot.base is not None else ""
        self.layers_credit = ""  # the street map's sources, when it is drawn

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(numbers, place name) of each pin, in visiting order."""
        if self.layout is None:
            return []
        pins = self.layout[2]
        out = [(text, pin.stop.label) for pin, text in pins]
        if self._hotel_visible():
            out.append(("H", self.hotel_label))
        return out

    def _hotel_visible(self) -> bool:
        if self.layout is None or self.layout[0].hotel is None:
            return False
        x, y = self.layout[0].hotel
        return 0 <= x <= self.width and 0 <= y <= self.height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self.layout is None:
            return
        geometry, segments, pins = self.layout
        c = self.canv
        h = self.height

        def flip(p: mapgeom.Point) -> tuple[float, float]:
            return p[0], h - p[1]  # mapgeom's y grows downwards, the PDF's upwards

        c.saveState()
        clip = c.beginPath()
        clip.rect(0, 0, self.width, h)
        c.clipPath(clip, stroke=0, fill=0)
        c.setFillColor(BACKGROUND)
        c.rect(0, 0, self.width, h, stroke=0, fill=1)
        drew_tiles = self._draw_tiles(geometry.tiles)
        if not drew_tiles:
            self._draw_base(geometry.viewport)

        for casing, colour in ((3.6, colors.white), (1.6, ROUTE)):
            c.setStrokeColor(colour)
            c.setLineWidth(casing)
            c.setLineCap(1)
            for seg in segments:
                c.setDash([4, 3] if seg.to_hotel and colour is ROUTE else [])
                (x0, y0), (x1, y1) = flip(seg.start), flip(seg.end)
                c.line(x0, y0, x1, y1)
        c.setDash([])

        placed: list[Box] = []
        hotel = flip(geometry.hotel) if self._hotel_visible() and geometry.hotel else None
        if hotel is not None:
            placed.append(Box(hotel[0], hotel[1], 14, 14))
        labels = []
        for pin, text in pins:
            x, y = flip((pin.x, pin.y))
            w = max(14.0, c.stringWidth(text, BOLD, PIN_FONT_SIZE) + 8)
            box = _free_spot(Box(x, y, w, 14), placed, self.width, h)
            placed.append(box)
            labels.append((x, y, box, text))
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.black)
        c.setLineWidth(0.8)
        for x, y, box, _text in labels:
            if (box.x, box.y) != (x, y):  # moved aside: a leader to the true spot
                c.line(x, y, box.x, box.y)
                c.circle(x, y, 1.8, stroke=0, fill=1)
        if hotel is not None:
            x, y = hotel
            c.setFillColor(colors.white)
            c.setStrokeColor(colors.black)
            c.setLineWidth(1.2)
            c.rect(x - 6, y - 6, 12, 12, stroke=1, fill=1)
            c.setFillColor(colors.black)
            c.setFont(BOLD, 8)
            c.drawCentredString(x, y - 2.9, "H")
        for _x, _y, box, text in labels:
            self._pin(box, text)

        self._scale_bar(geometry.scale)
        credit = ATTRIBUTION if drew_tiles else BASE_ATTRIBUTION
        if self.layers_credit and not drew_tiles:
            credit = f"{self.layers_credit}, {BASE_ATTRIBUTION}"
        c.setFont(FAMILY, 5.5)
        c.setFillColor(colors.white)
        w = c.stringWidth(credit, FAMILY, 5.5)
        c.rect(self.width - w - 6, 0, w + 6, 9, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.drawRightString(self.width - 3, 2.5, credit)
        c.restoreState()
        c.setStrokeColor(FRAME)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, h, stroke=1, fill=0)

    def _pin(self, box: Box, text: str) -> None:
        c = self.canv
        c.setStrokeColor(colors.white)
        c.setLineWidth(1.2)
        c.setFillColor(colors.black)
        if box.w <= 14:
            c.circle(box.x, box.y, 7, stroke=1, fill=1)
        else:
            c.roundRect(box.x - box.w / 2, box.y - 7, box.w, 14, 7, stroke=1, fill=1)
        c.setFillColor(colors.white)
        c.setFont(BOLD, PIN_FONT_SIZE)
        c.drawCentredString(box.x, box.y - PIN_FONT_SIZE * 0.36, text)

    def _scale_bar(self, scale: mapgeom.ScaleBar) -> None:
        c = self.canv
        x, y, length = 8.0, 8.0, scale.pixels
        c.setFillColor(colors.white)
        c.rect(x - 4, y - 4, length + 8 + 30, 14, stroke=0, fill=1)
        c.setStrokeColor(colors.black)
        c.setLineWidth(1.2)
        c.line(x, y, x + length, y)
        c.line(x, y - 2, x, y + 3)
        c.line(x + length, y - 2, x + length, y + 3)
        c.setFillColor(colors.black)
        c.setFont(FAMILY, 6.5)
        c.drawString(x + length + 4, y - 2, scale.label)

    def _draw_base(self, vp: mapgeom.Viewport) -> None:
        """The shipped light base (Natural Earth land, lakes, border, cities) under the route."""
        base = _base_world()
        if base is None:
            return  # no base layer shipped: the plain background stays
        land, borders, labels = base
        c, h = self.canv, self.height
        c.setFillColor(SEA)
        c.rect(0, 0, self.width, h, stroke=0, fill=1)
        path = c.beginPath()
        for ring in _to_screen(land, vp, 3):
            path.moveTo(ring[0][0], h - ring[0][1])
            for x, y in ring[1:]:
                path.lineTo(x, h - y)
            path.close()
        c.setFillColor(LAND)
        c.setStrokeColor(COAST)
        c.setLineWidth(0.6)
        c.drawPath(path, stroke=1, fill=1, fillMode=0)  # even-odd: lakes are holes
        c.setStrokeColor(BORDER)
        c.setDash([3, 2])
        border = c.beginPath()
        for line in _to_screen(borders, vp, 2):
            border.moveTo(line[0][0], h - line[0][1])
            for x, y in line[1:]:
                border.lineTo(x, h - y)
        c.drawPath(border, stroke=1, fill=0)
        c.setDash([])
        self._draw_streets(vp)
        from visitplanner.geo.tiles import zoom_for_labels

        if zoom_for_labels(vp.zoom):
            c.setFont(FAMILY, 6.5)
            c.setFillColor(LABEL)
            for name, lat, lon in labels:
                x, y = vp.to_screen(lat, lon)
                right = x + 3 + c.stringWidth(name, FAMILY, 6.5)
                if x > 0 and right < self.width and 8 < y < h:
                    c.circle(x, h - y, 1.4, stroke=0, fill=1)
                    c.drawString(x + 3, h - y + 2, name)

    def _draw_streets(self, vp: mapgeom.Viewport) -> None:
        """The offline street map (daymap_layers), its labels clear of the pins and hotel."""
        from visitplanner.geo.streetmap import boxes_along
        from visitplanner.itinerary import daymap_layers

        assert self.layout is not None
        geometry, segments, pins = self.layout
        spots = [(p.x, p.y) for p, _text in pins] + ([geometry.hotel] if geometry.hotel else [])
        avoid = [(x - 10, y - 9, x + 10, y + 9) for x, y in spots]
        for seg in segments:  # names stay off the route lines
            avoid += boxes_along([seg.start, seg.end], half=2.5)
        avoid += [
            (0, vp.height - 22, 110, vp.height),
            (vp.width - 200, vp.height - 10, vp.width, vp.height),
        ]
        self.layers_credit = daymap_layers.draw(self.canv, vp, avoid)

    def _draw_tiles(self, rects: list[mapgeom.TileRect]) -> bool:
        if self.tiles is None or not rects:
            return False
        from reportlab.lib.utils import ImageReader

        drew = False
        for r in rects:
            data = self.tiles(r.z, r.x, r.y)
            if not data:
                continue
            try:
                image = ImageReader(io.BytesIO(data))
            except Exception:  # a damaged cached tile: leave the background there
                continue
            y = self.height - r.screen_y - r.size
            self.canv.drawImage(image, r.screen_x, y, r.size, r.size)
            drew = True
        return drew


Rings = list[list[mapgeom.Point]]


@cache
def _base_world() -> tuple[Rings, Rings, list[tuple[str, float, float]]] | None:
    """The light base projected once at zoom 0 (any zoom is then a scale and a shift)."""
    from visitplanner.geo import tiles

    try:
        base = tiles.basemap()
    except (OSError, ValueError, KeyError):
        return None
    land = [[mapgeom.to_world(lat, lon, 0) for lat, lon in r] for r in base.land if len(r) > 2]
    borders = [[mapgeom.to_world(lat, lon, 0) for lat, lon in r] for r in base.borders]
    return land, borders, base.labels


def _to_screen(rings: Rings, vp: mapgeom.Viewport, least: int) -> Rings:
    """Rings in screen points, clamped to a band one view wide around the map.

    Far-away parts of a ring collapse onto the band's edges, so a coastline hundreds of
    kilometres long costs a handful of points; the visible shape is unchanged.
    """
    scale = 2.0**vp.zoom
    cx, cy = mapgeom.to_world(vp.center_lat, vp.center_lon, 0)
    ox, oy = cx * scale - vp.width / 2, cy * scale - vp.height / 2
    pad = max(vp.width, vp.height)
    lo_x, hi_x, lo_y, hi_y = -pad, vp.width + pad, -pad, vp.height + pad
    out = []
    for ring in rings:
        points: list[mapgeom.Point] = []
        last = None
        for wx, wy in ring:
            x = round(min(hi_x, max(lo_x, wx * scale - ox)), 1)
            y = round(min(hi_y, max(lo_y, wy * scale - oy)), 1)
            if (x, y) != last:
                points.append((x, y))
                last = (x, y)
        if len(points) >= least:
            out.append(points)
    return out


def day_maps(
    snapshot: TripSnapshot,
    days: list[DayItinerary],
    width: float,
    height: float,
    tiles: TileSource | None = None,
) -> dict[Any, DayMap]:
    """One map per day that has at least one stop with coordinates, keyed by date."""
    out = {}
    for day in days:
        flowable = DayMap(snapshot, day, width, height, tiles)
        if flowable.layout is not None:
            out[day.day] = flowable
    return out
