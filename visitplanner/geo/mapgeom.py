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
from dataclasses import dataclass, field

TILE_SIZE = 256
MAX_LAT = 85.0511287798066  # Web Mercator's square world
MIN_ZOOM = 1.0
MAX_ZOOM = 19.0
EARTH_RADIUS_M = 6378137.0  # the sphere of Web Mercator (WGS-84 semi-major axis)

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

    def tiles(self, max_tile_zoom: int = 19) -> list[TileRect]:
        """The XYZ tiles covering the screen, centre first, with their screen rectangles."""
        z = self.tile_zoom(max_tile_zoom)
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

    @property
    def text(self) -> str:
        return ", ".join(str(n) for n in (self.numbers or (self.number,)))


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
) -> DayMapGeometry:
    """Lay out a day's stops: fit them (unless `viewport` is given), number them, route them.

    The route starts and (when `round_trip`) ends at the base (hotel) when there is one.
    """
    points = [(s.lat, s.lon) for s in stops]
    if base is not None:
        points.append(base)
    vp = viewport or fit(points, width, height, margin, max_zoom=max_zoom)
    pins: list[Pin] = []
    by_place: dict[tuple[float, float], int] = {}
    for number, stop in enumerate(stops, start=1):
        x, y = vp.to_screen(stop.lat, stop.lon)
        ids = (stop.meeting_id,) if stop.meeting_id is not None else ()
        key = (round(stop.lat, 5), round(stop.lon, 5))
        if key in by_place:
            i = by_place[key]
            old = pins[i]
            pins[i] = Pin(
                old.number, old.x, old.y, old.stop, (*old.numbers, number), old.meeting_ids + ids
            )
            continue
        by_place[key] = len(pins)
        pins.append(Pin(number, x, y, stop, (number,), ids))
    route = [vp.to_screen(s.lat, s.lon) for s in stops]
    hotel = vp.to_screen(*base) if base is not None else None
    if hotel is not None and route:
        route = [hotel, *route, hotel] if round_trip else [hotel, *route]
    return DayMapGeometry(vp, pins, route, hotel, scale_bar(vp), vp.tiles(max_tile_zoom))
