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
from visitplanner.i18n import Translator, translator
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
PIN_HEIGHT = 14.0
HOTEL_SIZE = 14.0
LABEL_FONT_SIZE = 6.5
# A printed tile falls back to a coarser cached one (at most this many levels up) when the
# deeper tile wanted for print is not in the cache.
FALLBACK_LEVELS = 4

# The shared label geometry (kept under these names for callers and tests).
Box = mapgeom.Box
_free_spot = mapgeom.free_spot


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
        mapgeom.Stop(
            c[0],
            c[1],
            s.place.label() if s.place else "",
            s.meeting.id,
            approximate=s.place is not None and s.place.approximate,
        )
        for s, c in located
    ]
    base = _coords(snapshot.base)
    points = [c for _s, c in located]
    # A hotel far from the day's stops (a day trip to another city) would shrink them to a
    # dot: the view then fits the stops, and the route runs off the map towards the hotel.
    near = base is not None and min(_km(base, p) for p in points) <= NEAR_HOTEL_KM
    view = mapgeom.fit(points + ([base] if near and base else []), width, height, 26, 16)
    view = view.for_print()  # tiles 150 ppi or more, at most two zoom levels deeper
    geometry = mapgeom.day_map(map_stops, width, height, base=base, viewport=view)
    vp = geometry.viewport
    pins = []
    for pin in geometry.pins:
        numbers = [located[n - 1][0].number for n in (pin.numbers or (pin.number,))]
        pins.append((pin, ", ".join(str(n) for n in numbers)))
    segments = []
    drawn: set[tuple[tuple[float, float], tuple[float, float], bool]] = set()

    def add(start: tuple[float, float] | None, end: tuple[float, float], to_hotel: bool) -> None:
        if start is None or start == end or (start, end, to_hotel) in drawn:
            return
        drawn.add((start, end, to_hotel))
        segments.append(Segment(vp.to_screen(*start), vp.to_screen(*end), to_hotel=to_hotel))

    for stop, coords in located:  # each group's way here (the master: every group's)
        for origin in [g.origin for g in stop.groups] or [stop.origin]:
            add(_coords(origin), coords, False)
    for way in day.returns:  # and each group's way back to its hotel
        end = _coords(way.destination)
        if end is not None and way.leg is not None:
            add(_coords(way.origin), end, True)
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
        tr: Translator | None = None,
    ) -> None:
        super().__init__()
        self.width = width
        self.height = height
        self.layout = day_geometry(snapshot, day, width, height)
        self.tiles = tiles
        self.tr = tr or translator("en")
        self.hotel_label = snapshot.base.label() if snapshot.base is not None else ""
        self.hotel_approximate = snapshot.base is not None and snapshot.base.approximate
        self.tile_ppi: float | None = None  # the coarsest tile drawn, in pixels per inch
        self.layers_credit = ""  # the street map's sources, when it is drawn

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(numbers, place name) of each pin, in visiting order."""
        if self.layout is None:
            return []
        pins = self.layout[2]
        out = [(text, self._marked(pin.stop.label, pin.approximate)) for pin, text in pins]
        if self._hotel_visible():
            out.append(("H", self._marked(self.hotel_label, self.hotel_approximate)))
        return out

    def _marked(self, label: str, approximate: bool) -> str:
        """A place's name, followed by "(address to be confirmed)" when it is approximate."""
        marked = self.tr.gettext("{place} (address to be confirmed)")
        note = marked.replace("{place}", "").strip()
        if approximate and note.casefold() not in label.casefold():  # not said twice
            return marked.format(place=label)
        return label

    def approximate_key(self) -> str | None:
        """The key printed on the map when a pin is hollow (its place is a guess)."""
        if self.layout is None:
            return None
        hotel = self.hotel_approximate and self._hotel_visible()
        if not hotel and not any(pin.approximate for pin, _t in self.layout[2]):
            return None
        return self.tr.gettext("approximate (address to be confirmed)")

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
        drew_tiles = self._draw_tiles(geometry.viewport)
        if not drew_tiles:
            self._draw_base(geometry.viewport)

        # Labels in mapgeom's screen space (y downwards): the hotel, then each pin's number.
        hotel_box: mapgeom.Box | None = None
        at_hotel = ""
        if self._hotel_visible() and geometry.hotel is not None:
            hx, hy = geometry.hotel
            at_hotel = next((text for pin, text in pins if pin.at_hotel), "")
            w = HOTEL_SIZE
            if at_hotel:  # one marker: the hotel's, with the numbers of the stops held there
                w = max(HOTEL_SIZE, c.stringWidth(f"H · {at_hotel}", BOLD, 8) + 8)
            hotel_box = mapgeom.Box(hx, hy, w, HOTEL_SIZE)
        others = [(pin, text) for pin, text in pins if not (pin.at_hotel and hotel_box)]
        widths = [max(PIN_HEIGHT, c.stringWidth(t, BOLD, PIN_FONT_SIZE) + 8) for _p, t in others]
        boxes = mapgeom.pin_labels(
            [p for p, _t in others], widths, PIN_HEIGHT, self.width, h - 12, hotel_box
        )  # the bottom strip holds the scale bar and the credit
        taken = [*boxes, *([hotel_box] if hotel_box else [])]
        if not drew_tiles:
            self._draw_base_labels(geometry.viewport, taken)
        self._draw_route(segments, flip, taken)
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.black)
        c.setLineWidth(0.8)
        for (pin, _text), box in zip(others, boxes, strict=True):
            if (box.x, box.y) != (pin.x, pin.y):  # moved aside: a leader to the true spot
                x, y = flip((pin.x, pin.y))
                c.line(x, y, box.x, h - box.y)
                c.circle(x, y, 1.8, stroke=0, fill=1)
        if hotel_box is not None:
            self._hotel(hotel_box.x, h - hotel_box.y, hotel_box.w, at_hotel, self.hotel_approximate)
        for (pin, text), box in zip(others, boxes, strict=True):
            self._pin(mapgeom.Box(box.x, h - box.y, box.w, box.h), text, pin.approximate)
        key = self.approximate_key()
        if key is not None:
            self._approximate_key(key, [*boxes, *([hotel_box] if hotel_box else [])])

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

    def _draw_route(
        self,
        segments: list[Segment],
        flip: Callable[[mapgeom.Point], tuple[float, float]],
        avoid: list[mapgeom.Box],
    ) -> None:
        """The legs, cased in white, dashed back to the hotel, each with a direction arrow
        where no pin (``avoid``, in mapgeom's screen space) covers it."""
        c = self.canv
        for casing, colour in ((3.6, colors.white), (1.6, ROUTE)):
            c.setStrokeColor(colour)
            c.setLineWidth(casing)
            c.setLineCap(1)
            for seg in segments:
                c.setDash([4, 3] if seg.to_hotel and colour is ROUTE else [])
                (x0, y0), (x1, y1) = flip(seg.start), flip(seg.end)
                c.line(x0, y0, x1, y1)
        c.setDash([])
        c.setLineJoin(1)
        for seg in segments:
            arrow = mapgeom.leg_arrow(seg.start, seg.end, 30, avoid, 7)
            if arrow is None:
                continue
            head = c.beginPath()
            points = [flip(p) for p in arrow.head(7, 3.5)]
            head.moveTo(*points[0])
            for p in points[1:]:
                head.lineTo(*p)
            head.close()
            c.setStrokeColor(colors.white)
            c.setFillColor(ROUTE)
            c.setLineWidth(0.8)
            c.drawPath(head, stroke=1, fill=1)

    def _hotel(self, x: float, y: float, w: float, numbers: str, approximate: bool) -> None:
        """The hotel's one marker (dashed when its place is approximate)."""
        c = self.canv
        c.setFillColor(colors.white)
        c.setStrokeColor(colors.black)
        c.setLineWidth(1.2)
        c.setDash([2, 1.4] if approximate else [])
        c.rect(x - w / 2, y - HOTEL_SIZE / 2, w, HOTEL_SIZE, stroke=1, fill=1)
        c.setDash([])
        c.setFillColor(colors.black)
        c.setFont(BOLD, 8)
        c.drawCentredString(x, y - 2.9, f"H · {numbers}" if numbers else "H")

    def _pin(self, box: mapgeom.Box, text: str, approximate: bool = False) -> None:
        """A stop's number: a black disc, or for a place not known to the building a hollow
        disc with a dashed outline (the key on the map says what it means)."""
        c = self.canv
        c.setLineWidth(1.2)
        if approximate:
            c.setStrokeColor(colors.black)
            c.setFillColor(colors.white)
            c.setDash([2, 1.4])
        else:
            c.setStrokeColor(colors.white)
            c.setFillColor(colors.black)
        r = PIN_HEIGHT / 2
        if box.w <= PIN_HEIGHT:
            c.circle(box.x, box.y, r, stroke=1, fill=1)
        else:
            c.roundRect(box.x - box.w / 2, box.y - r, box.w, PIN_HEIGHT, r, stroke=1, fill=1)
        c.setDash([])
        c.setFillColor(colors.black if approximate else colors.white)
        c.setFont(BOLD, PIN_FONT_SIZE)
        c.drawCentredString(box.x, box.y - PIN_FONT_SIZE * 0.36, text)

    def _approximate_key(self, text: str, taken: list[mapgeom.Box]) -> None:
        """A small key in a top corner free of pins: a hollow dashed disc = approximate."""
        c = self.canv
        w = c.stringWidth(text, FAMILY, LABEL_FONT_SIZE) + 22
        corners = [
            mapgeom.Box(4 + w / 2, 11, w, 14),
            mapgeom.Box(self.width - 4 - w / 2, 11, w, 14),
        ]
        box = next((k for k in corners if not any(k.overlaps(t) for t in taken)), corners[0])
        x0, y = box.x - w / 2, self.height - box.y
        c.setFillColor(colors.white)
        c.rect(x0, y - 7, w, 14, stroke=0, fill=1)
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.white)
        c.setLineWidth(1)
        c.setDash([2, 1.4])
        c.circle(x0 + 9, y, 4.5, stroke=1, fill=1)
        c.setDash([])
        c.setFillColor(colors.black)
        c.setFont(FAMILY, LABEL_FONT_SIZE)
        c.drawString(x0 + 17, y - 2.3, text)

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
        land, borders, _labels = base
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

    def _draw_base_labels(self, vp: mapgeom.Viewport, taken: list[mapgeom.Box]) -> None:
        """The base's city names beside their dots, moved or dropped rather than drawn
        under a pin or the hotel (``taken``, in mapgeom's screen space)."""
        from visitplanner.geo.tiles import zoom_for_labels

        base = _base_world()
        if base is None or not zoom_for_labels(vp.zoom):
            return
        c, h = self.canv, self.height
        size = LABEL_FONT_SIZE
        wanted = []
        for name, lat, lon in base[2]:
            x, y = vp.to_screen(lat, lon)
            if -10 <= x <= self.width + 10 and -10 <= y <= h + 10:
                wanted.append((name, x, y, c.stringWidth(name, FAMILY, size), size + 1))
        c.setFont(FAMILY, size)
        c.setFillColor(LABEL)
        for label in mapgeom.place_base_labels(wanted, taken, self.width, h - 12):
            c.circle(label.x, h - label.y, 1.4, stroke=0, fill=1)
            box = label.box
            c.drawString(box.x - box.w / 2, h - box.y - size * 0.36, label.name)

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

    def _draw_tiles(self, vp: mapgeom.Viewport) -> bool:
        """Cached tiles at print resolution (150 ppi or more: one or two zoom levels deeper
        than a screen would use), each missing one filled from a coarser cached tile."""
        if self.tiles is None:
            return False
        from reportlab.lib.utils import ImageReader

        def image(r: mapgeom.TileRect) -> Any | None:
            data = self.tiles(r.z, r.x, r.y) if self.tiles is not None and r.z >= 0 else None
            if not data:
                return None
            try:
                return ImageReader(io.BytesIO(data))
            except Exception:  # a damaged cached tile: leave the background there
                return None

        layers: list[list[tuple[mapgeom.TileRect, Any]]] = []
        missing = vp.tiles(zoom=vp.print_tile_zoom())
        for levels in range(FALLBACK_LEVELS + 1):
            layer, still = [], []
            seen: dict[tuple[int, int, int], Any] = {}
            for child in missing:
                r = child.ancestor(levels) if levels else child
                key = (r.z, r.x, r.y)
                if key not in seen:
                    seen[key] = image(r)
                    if seen[key] is not None:
                        layer.append((r, seen[key]))
                if seen[key] is None:
                    still.append(child)
            layers.append(layer)
            missing = still
            if not missing:
                break
        drawn = [item for layer in reversed(layers) for item in layer]  # coarse under fine
        for r, picture in drawn:
            y = self.height - r.screen_y - r.size
            self.canv.drawImage(picture, r.screen_x, y, r.size, r.size)
            ppi = r.pixels_per_inch(72.0, picture.getSize()[0])
            self.tile_ppi = ppi if self.tile_ppi is None else min(self.tile_ppi, ppi)
        return bool(drawn)


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
    tr: Translator | None = None,
) -> dict[Any, DayMap]:
    """One map per day that has at least one stop with coordinates, keyed by date."""
    out = {}
    for day in days:
        flowable = DayMap(snapshot, day, width, height, tiles, tr)
        if flowable.layout is not None:
            out[day.day] = flowable
    return out
