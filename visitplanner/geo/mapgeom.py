"""Map geometry without Qt: Web Mercator, fitting a day's stops, numbering, scale bar, tiles.

One drawing model serves two painters: the app's map panel (Qt) and the PDF day maps
(reportlab). Both take a `DayMapGeometry` and draw its parts in screen coordinates (pixels or
points, origin top-left, y downwards); nothing here knows which one is drawing.

Projection: spherical Web Mercator (EPSG:3857) as used by XYZ tile servers. At zoom z the world
is a square of 256 * 2**z pixels; x grows eastwards from longitude -180, y grows southwards from
latitude +85.0511. Zoom may be fractional: tiles of the nearest lower integer zoom are then drawn
scaled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from visitplanner.geo.maproute import Segment, split_runs

TILE_SIZE = 256
MAX_LAT = 85.0511287798066  # Web Mercator's square world
MIN_ZOOM = 1.0
MAX_ZOOM = 19.0
EARTH_RADIUS_M = 6378137.0  # the sphere of Web Mercator (WGS-84 semi-major axis)
PRINT_PPI = 150.0  # tile pixels per inch wanted on paper
SAME_SPOT_M = 15.0  # a stop this close to the hotel is at the hotel: one marker

LatLon = tuple[float, float]
Point = tuple[float, float]

# The region a mission moves in (Boston to Québec City), shown when there is nothing to fit.
DEFAULT_BOUNDS = ((42.2, -73.8), (46.9, -70.9))


def world_size(zoom: float) -> float:
    """Width (and height) of the whole world in pixels at this zoom."""
    return float(TILE_SIZE * 2.0**zoom)


def to_world(lat: float, lon: float, zoom: float) -> Point:
    """Latitude/longitude (degrees) to world pixel coordinates at `zoom`."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    size = world_size(zoom)
    x = (lon + 180.0) / 360.0 * size
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


def from_world(x: float, y: float, zoom: float) -> LatLon:
    """World pixel coordinates at `zoom` back to latitude/longitude (degrees)."""
    size = world_size(zoom)
    lon = x / size * 360.0 - 180.0
    n = math.pi - 2.0 * math.pi * y / size
    lat = math.degrees(math.atan(math.sinh(n)))
    return lat, lon


def tile_of(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """XYZ tile (x, y) holding this point at integer `zoom`."""
    x, y = to_world(lat, lon, zoom)
    last = 2**zoom - 1
    return min(last, max(0, int(x // TILE_SIZE))), min(last, max(0, int(y // TILE_SIZE)))


def metres_per_pixel(lat: float, zoom: float) -> float:
    """Ground distance of one pixel at this latitude and zoom."""
    return 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(lat)) / world_size(zoom)


@dataclass(frozen=True)
class TileRect:
    """One XYZ tile and where it lands on the screen (x, y of its top-left corner, its size)."""

    z: int
    x: int
    y: int
    screen_x: float
    screen_y: float
    size: float

    def ancestor(self, levels: int) -> TileRect:
        """The tile `levels` zooms up that holds this one, placed where it lands on the
        screen (larger; a painter clips it to this tile's square to fill a missing tile)."""
        k = 2**levels
        return TileRect(
            self.z - levels,
            self.x // k,
            self.y // k,
            self.screen_x - (self.x % k) * self.size,
            self.screen_y - (self.y % k) * self.size,
            self.size * k,
        )

    def pixels_per_inch(self, units_per_inch: float = 72.0, tile_pixels: int = TILE_SIZE) -> float:
        """Tile pixels per inch once drawn (screen units are points on a PDF: 72 an inch)."""
        return tile_pixels * units_per_inch / self.size


@dataclass(frozen=True)
class Viewport:
    """A view of the map: its centre, a (fractional) zoom and the screen size in pixels."""

    center_lat: float
    center_lon: float
    zoom: float
    width: float
    height: float

    def _origin(self) -> Point:
        cx, cy = to_world(self.center_lat, self.center_lon, self.zoom)
        return cx - self.width / 2, cy - self.height / 2

    def world_to_screen(self) -> tuple[float, float, float]:
        """(scale, dx, dy) taking zoom-0 world coordinates to the screen:
        screen = world0 * scale + (dx, dy). Lets a caller project a shape once and
        only transform it when the view pans or zooms."""
        ox, oy = self._origin()
        return 2.0**self.zoom, -ox, -oy

    def to_screen(self, lat: float, lon: float) -> Point:
        ox, oy = self._origin()
        x, y = to_world(lat, lon, self.zoom)
        return x - ox, y - oy

    def to_latlon(self, x: float, y: float) -> LatLon:
        ox, oy = self._origin()
        return from_world(ox + x, oy + y, self.zoom)

    def bounds(self) -> tuple[LatLon, LatLon]:
        """(south-west, north-east) corners of what the screen shows."""
        south, west = self.to_latlon(0, self.height)
        north, east = self.to_latlon(self.width, 0)
        return (south, west), (north, east)

    def metres_per_pixel(self) -> float:
        return metres_per_pixel(self.center_lat, self.zoom)

    def panned(self, dx: float, dy: float) -> Viewport:
        """The view after dragging the map by (dx, dy) screen pixels."""
        lat, lon = self.to_latlon(self.width / 2 - dx, self.height / 2 - dy)
        return Viewport(lat, _wrap_lon(lon), self.zoom, self.width, self.height)

    def zoomed(self, delta: float, x: float | None = None, y: float | None = None) -> Viewport:
        """Zoom by `delta` levels keeping the point under (x, y) (default: the centre) fixed."""
        if x is None or y is None:
            x, y = self.width / 2, self.height / 2
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom + delta))
        anchor = self.to_latlon(x, y)
        ax, ay = to_world(anchor[0], anchor[1], zoom)
        cx = ax - x + self.width / 2
        cy = ay - y + self.height / 2
        lat, lon = from_world(cx, cy, zoom)
        return Viewport(lat, _wrap_lon(lon), zoom, self.width, self.height)

    def resized(self, width: float, height: float) -> Viewport:
        return Viewport(self.center_lat, self.center_lon, self.zoom, width, height)

    def tile_zoom(self, max_tile_zoom: int = 19) -> int:
        """The integer zoom of the tiles to draw (the one below, so tiles are scaled up)."""
        return int(max(0, min(max_tile_zoom, math.floor(self.zoom + 1e-9))))

    def print_tile_zoom(self, ppi: float = PRINT_PPI, max_tile_zoom: int = 19) -> int:
        """The zoom whose tiles, drawn on a page where a screen unit is a point (1/72 inch),
        give at least `ppi` tile pixels per inch: one or two levels deeper than on screen."""
        wanted = self.zoom + math.log2(ppi / 72.0)
        return int(max(0, min(max_tile_zoom, math.ceil(wanted - 1e-9))))

    def for_print(self, ppi: float = PRINT_PPI, depth: int = 2) -> Viewport:
        """This view zoomed out a hair (drawn at most 5 % smaller) when reaching `ppi` would
        need tiles more than `depth` levels deeper than the screen's (four times as many
        tiles per level)."""
        # The largest fraction of a zoom level allowed (a hair under: floating point).
        room = depth - math.log2(ppi / 72.0) - 0.005
        whole = math.floor(self.zoom + 1e-9)
        if self.zoom - whole <= room + 1e-9:
            return self
        return replace(self, zoom=whole + room)

    def tiles(self, max_tile_zoom: int = 19, zoom: int | None = None) -> list[TileRect]:
        """The XYZ tiles covering the screen, centre first, with their screen rectangles
        (tiles of the integer `zoom` when given, e.g. a deeper one for print)."""
        z = self.tile_zoom(max_tile_zoom) if zoom is None else max(0, zoom)
        size = TILE_SIZE * 2.0 ** (self.zoom - z)
        ox, oy = self._origin()  # at self.zoom
        first_x = math.floor(ox / size)
        first_y = math.floor(oy / size)
        last_x = math.floor((ox + self.width) / size)
        last_y = math.floor((oy + self.height) / size)
        count = 2**z
        rects = []
        for ty in range(max(0, first_y), min(count - 1, last_y) + 1):
            for tx in range(first_x, last_x + 1):
                rects.append(TileRect(z, tx % count, ty, tx * size - ox, ty * size - oy, size))
        cx, cy = self.width / 2, self.height / 2
        rects.sort(
            key=lambda r: (r.screen_x + r.size / 2 - cx) ** 2 + (r.screen_y + r.size / 2 - cy) ** 2
        )
        return rects


def _wrap_lon(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def fit(
    points: Sequence[LatLon],
    width: float,
    height: float,
    margin: float = 32,
    max_zoom: float = 16,
    min_zoom: float = MIN_ZOOM,
) -> Viewport:
    """The viewport showing all `points` with `margin` pixels to spare on each side.

    One point (or several at the same spot) is shown at `max_zoom`; no point at all shows the
    mission region (Greater Boston to Québec City).
    """
    pts = list(points) or list(DEFAULT_BOUNDS)
    xs, ys = zip(*(to_world(lat, lon, 0) for lat, lon in pts), strict=True)
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    room_x, room_y = max(1.0, width - 2 * margin), max(1.0, height - 2 * margin)
    zoom = max_zoom
    if span_x > 0 or span_y > 0:
        ratio = min(
            room_x / span_x if span_x else math.inf, room_y / span_y if span_y else math.inf
        )
        zoom = math.log2(ratio)
    zoom = max(min_zoom, min(max_zoom, zoom))
    lat, lon = from_world((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, 0)
    return Viewport(lat, lon, zoom, width, height)


# --- a day's map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """A place visited, in order. `meeting_id` links a pin back to its meeting."""

    lat: float
    lon: float
    label: str
    meeting_id: int | None = None
    # The point is a guess (street, postal area or city: `model.is_approximate`): drawn hollow.
    approximate: bool = False
    # A transfer (train, flight, coach) leaves from here and arrives at `end`: the route goes
    # on from `end`, and the way between is a segment drawn apart, named by `segment_label`.
    end: LatLon | None = None
    segment_label: str = ""


@dataclass(frozen=True)
class Pin:
    """A stop as drawn: its number in visiting order and its screen position."""

    number: int
    x: float
    y: float
    stop: Stop
    # Meetings held at the same place are one pin with several numbers ("2, 5").
    numbers: tuple[int, ...] = ()
    meeting_ids: tuple[int, ...] = ()
    at_hotel: bool = False  # the stop is at the hotel: one marker, the hotel's, carries it

    @property
    def text(self) -> str:
        return ", ".join(str(n) for n in (self.numbers or (self.number,)))

    @property
    def approximate(self) -> bool:
        return self.stop.approximate


@dataclass(frozen=True)
class ScaleBar:
    """A round ground length and how many pixels it spans on screen."""

    metres: float
    pixels: float

    @property
    def label(self) -> str:
        """'500 m' or '2 km' (numbers and units read the same in English and French)."""
        if self.metres >= 1000:
            km = self.metres / 1000
            return f"{km:g} km"
        return f"{self.metres:g} m"


def scale_bar(viewport: Viewport, max_pixels: float = 120) -> ScaleBar:
    """The longest round length (1, 2 or 5 times a power of ten) that fits in `max_pixels`."""
    mpp = viewport.metres_per_pixel()
    limit = max_pixels * mpp
    power = 10 ** math.floor(math.log10(limit)) if limit > 0 else 1
    best = power
    for step in (1, 2, 5, 10):
        if step * power <= limit:
            best = step * power
    return ScaleBar(float(best), best / mpp)


@dataclass(frozen=True)
class DayMapGeometry:
    """Everything a painter needs to draw one day (or a whole trip) on a map."""

    viewport: Viewport
    pins: list[Pin]
    route: list[Point]  # screen points in visiting order, hotel first and last when known
    hotel: Point | None
    scale: ScaleBar
    tiles: list[TileRect] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # transfers, in visiting order
    evening_hotel: Point | None = None  # the night's hotel when not `hotel` (a move day)
    breaks: frozenset[int] = frozenset()  # route[i] -> route[i + 1] is a segment, not a leg

    @property
    def runs(self) -> list[list[Point]]:
        """The route cut at the transfers: each run is local travel (drawn with arrows)."""
        return split_runs(self.route, self.breaks)

    @property
    def hotel_marker(self) -> Point | None:
        """Where to draw the hotel's own marker: None when a pin is at the hotel (that pin
        is drawn as the hotel, with its numbers) or there is no hotel."""
        if self.hotel is None or any(p.at_hotel for p in self.pins):
            return None
        return self.hotel

    @property
    def arrows(self) -> list[Arrow]:
        """Direction arrows along the route, one per leg long enough to hold one (none on
        a transfer's segment)."""
        return [a for run in self.runs for a in route_arrows(run)]

    def pin_at(self, x: float, y: float, radius: float = 12) -> Pin | None:
        """The pin under a screen point (the top-most, i.e. the last drawn), if any."""
        for pin in reversed(self.pins):
            if (pin.x - x) ** 2 + (pin.y - y) ** 2 <= radius**2:
                return pin
        return None


def day_map(
    stops: Sequence[Stop],
    width: float,
    height: float,
    base: LatLon | None = None,
    viewport: Viewport | None = None,
    margin: float = 36,
    max_zoom: float = 16,
    max_tile_zoom: int = 19,
    round_trip: bool = True,
    evening_base: LatLon | None = None,
    from_base: bool = True,
) -> DayMapGeometry:
    """Lay out a day's stops: fit them (unless `viewport` is given), number them, route them.

    The route starts at the base (hotel) when there is one (and `from_base`); `round_trip`:
    it ends at `evening_base` (the night's hotel, when another) or the base; a stop with an
    `end` (a transfer) is a segment to it."""
    points = [(s.lat, s.lon) for s in stops] + [s.end for s in stops if s.end is not None]
    if base is not None:
        points.append(base)
    if evening_base is not None:
        points.append(evening_base)
    vp = viewport or fit(points, width, height, margin, max_zoom=max_zoom)
    pins: list[Pin] = []
    by_place: dict[object, int] = {}
    for number, stop in enumerate(stops, start=1):
        x, y = vp.to_screen(stop.lat, stop.lon)
        ids = (stop.meeting_id,) if stop.meeting_id is not None else ()
        at_hotel = base is not None and distance_m((stop.lat, stop.lon), base) <= SAME_SPOT_M
        # Every stop at the hotel joins one pin, drawn on the hotel (the route's ends meet it).
        key: object = "hotel" if at_hotel else (round(stop.lat, 5), round(stop.lon, 5))
        if key in by_place:
            i = by_place[key]
            old = pins[i]
            pins[i] = replace(
                old, numbers=(*old.numbers, number), meeting_ids=old.meeting_ids + ids
            )
            continue
        by_place[key] = len(pins)
        if at_hotel and base is not None:
            x, y = vp.to_screen(*base)
        pins.append(Pin(number, x, y, stop, (number,), ids, at_hotel))
    hotel = vp.to_screen(*base) if base is not None else None
    evening = vp.to_screen(*evening_base) if evening_base is not None else None
    route: list[Point] = []
    breaks: set[int] = set()
    segments: list[Segment] = []
    if hotel is not None and stops and from_base:
        route.append(hotel)
    for stop in stops:
        route.append(vp.to_screen(stop.lat, stop.lon))
        if stop.end is not None:
            breaks.add(len(route) - 1)
            route.append(vp.to_screen(*stop.end))
            segments.append(Segment(route[-2], route[-1], stop.segment_label, stop.meeting_id))
    end = evening if evening is not None else hotel
    if end is not None and stops and round_trip:
        route.append(end)
    night = evening if evening is not None and evening != hotel else None
    geom = DayMapGeometry(vp, pins, route, hotel, scale_bar(vp), vp.tiles(max_tile_zoom))
    return replace(geom, segments=segments, evening_hotel=night, breaks=frozenset(breaks))


def distance_m(a: LatLon, b: LatLon) -> float:
    """Ground distance in metres (equirectangular: plenty at a city's scale)."""
    mean = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(mean)
    dy = math.radians(b[0] - a[0])
    return EARTH_RADIUS_M * math.hypot(dx, dy)


# --- arrows and labels --------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrow:
    """A direction arrow's tip position and heading (radians, screen axes: y downwards)."""

    x: float
    y: float
    angle: float

    def head(self, length: float = 9.0, half_width: float = 4.5) -> list[Point]:
        """The arrowhead's three corners: the tip, then the two back corners."""
        ux, uy = math.cos(self.angle), math.sin(self.angle)
        bx, by = self.x - ux * length, self.y - uy * length
        return [
            (self.x, self.y),
            (bx - uy * half_width, by + ux * half_width),
            (bx + uy * half_width, by - ux * half_width),
        ]


# Where along a leg an arrow goes, in order of preference: past the middle (so the way out
# and the way back along one street show two arrows apart), else wherever no pin covers it.
ARROW_SPOTS = (0.6, 0.72, 0.45, 0.82, 0.33)


def leg_arrow(
    start: Point,
    end: Point,
    min_length: float = 36.0,
    avoid: Sequence[Box] = (),
    size: float = 9.0,
) -> Arrow | None:
    """An arrow of `size` pointing from `start` to `end`, on the leg where none of the boxes
    in `avoid` (pins and their labels) would cover it; None when the leg is too short to show
    one beside its pins, or pins cover every spot."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < min_length:
        return None
    for at in ARROW_SPOTS:
        middle = Box(start[0] + dx * at, start[1] + dy * at, size, size)
        if not any(middle.overlaps(box, 1.0) for box in avoid):
            tip = at + size / 2 / length
            return Arrow(start[0] + dx * tip, start[1] + dy * tip, math.atan2(dy, dx))
    return None


def route_arrows(
    route: Sequence[Point],
    min_length: float = 36.0,
    avoid: Sequence[Box] = (),
    size: float = 9.0,
) -> list[Arrow]:
    out = []
    for start, end in pairwise(route):
        arrow = leg_arrow(start, end, min_length, avoid, size)
        if arrow is not None:
            out.append(arrow)
    return out


@dataclass(frozen=True)
class Box:
    """A label's centre and size, in screen units."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, gap: float = 1.5) -> bool:
        return (
            abs(self.x - other.x) * 2 < self.w + other.w + 2 * gap
            and abs(self.y - other.y) * 2 < self.h + other.h + 2 * gap
        )

    def contains(self, x: float, y: float) -> bool:
        return abs(self.x - x) * 2 <= self.w and abs(self.y - y) * 2 <= self.h

    def inside(self, width: float, height: float) -> bool:
        return (
            self.w / 2 <= self.x <= width - self.w / 2
            and self.h / 2 <= self.y <= height - self.h / 2
        )


# Up, right, down, left, then the diagonals (screen axes: y downwards).
_DIRECTIONS = ((0, -1), (1, 0), (0, 1), (-1, 0), (0.7, -0.7), (0.7, 0.7), (-0.7, 0.7), (-0.7, -0.7))


def free_spot(box: Box, placed: Sequence[Box], width: float, height: float) -> Box:
    """``box`` where it is, or moved aside (up, right, down, left...) to overlap no other
    label and stay inside the map; where nothing is free, where it is."""
    unit = box.h / 14  # the steps were tuned for 14-unit labels (PDF points)
    candidates = [box]
    for radius in (16, 24, 34, 46):
        for dx, dy in _DIRECTIONS:
            candidates.append(
                Box(
                    box.x + dx * (radius * unit + box.w / 2 - 7 * unit),
                    box.y + dy * radius * unit,
                    box.w,
                    box.h,
                )
            )
    for candidate in candidates:
        if candidate.inside(width, height) and not any(candidate.overlaps(o) for o in placed):
            return candidate
    return box


def pin_labels(
    pins: Sequence[Pin],
    widths: Sequence[float],
    height: float,
    view_width: float,
    view_height: float,
    hotel: Box | None = None,
) -> list[Box]:
    """Where each pin's number label goes: on the pin, or moved aside (with a leader line to
    the pin) so that no two labels, nor a label and the hotel's marker, overlap."""
    placed: list[Box] = [hotel] if hotel is not None else []
    out = []
    for pin, w in zip(pins, widths, strict=True):
        box = free_spot(Box(pin.x, pin.y, w, height), placed, view_width, view_height)
        placed.append(box)
        out.append(box)
    return out


@dataclass(frozen=True)
class PlacedLabel:
    """A base label (a city's name) kept on the map: its dot and its text's box."""

    name: str
    x: float
    y: float
    box: Box


def place_base_labels(
    labels: Sequence[tuple[str, float, float, float, float]],
    obstacles: Sequence[Box],
    width: float,
    height: float,
    gap: float = 4.0,
) -> list[PlacedLabel]:
    """Base labels (name, dot x, dot y, text width, text height) placed beside their dot,
    right, left, above or below, wherever no pin, hotel or other label is; a label with no
    free side, or whose dot a pin covers, is dropped rather than drawn under a pin."""
    placed: list[Box] = []
    out = []
    for name, x, y, w, h in labels:
        if not (0 <= x <= width and 0 <= y <= height):
            continue
        if any(o.contains(x, y) for o in obstacles):
            continue
        for cx, cy in (
            (x + gap + w / 2, y - h / 2),
            (x - gap - w / 2, y - h / 2),
            (x, y - gap - h / 2),
            (x, y + gap + h / 2),
        ):
            box = Box(cx, cy, w, h)
            if not box.inside(width, height):
                continue
            if any(box.overlaps(o, 1.0) for o in obstacles) or any(
                box.overlaps(o, 1.0) for o in placed
            ):
                continue
            placed.append(box)
            out.append(PlacedLabel(name, x, y, box))
            break
    return out
