"""The offline street map: water, parks, named streets and their labels, without Qt.

What the map draws at city zoom when no tile is cached: built from open data by
``resources/streetmap/make_streetmap.py`` (sources, licences and accuracy in its README) for
three areas: Greater Boston (Boston, Brookline, Cambridge, Somerville), Québec City and
Montréal. An area is read (``<area>.json.gz``) only when a view first reaches it, never at
start-up.

:func:`layers` answers, for a :class:`~visitplanner.geo.mapgeom.Viewport`, everything to draw
in screen coordinates (pixels or points, origin top-left, y downwards), in drawing order:

- ``land``: the boxes where the water below replaces the coarse Natural Earth coastline (which
  puts Québec's old town in the river): paint them as land first;
- ``water`` and ``parks``: polygons (lists of rings; fill them even-odd);
- ``streets``: polylines by class (``major`` drawn thicker), each with its name;
- ``labels``: street names placed along their street, never upside down and never
  overlapping one another, fewer at low zoom;
- ``attribution``: the credit line the data's licences require, for the areas in view.

**Keeping labels clear of pins.** ``layers(viewport, avoid=[...])`` takes screen boxes
``(x0, y0, x1, y1)`` where no label may go (pins, the hotel, a legend); the labels placed are
returned with their ``box`` (the axis-aligned box of the rotated text) and ``corners``, so a
painter of pins can also move a pin's badge off a label. :func:`boxes_along` turns a route
(a polyline) into such boxes. ``text_width(text, size)`` lets each
painter measure text with its own font (a character-count estimate otherwise).

Zoom rules: nothing below zoom 10 (the Natural Earth base is right at that scale); major
streets from 11.5, minor streets from 13.5; major street names from 13, all names from 15.
"""

from __future__ import annotations

import gzip
import json
import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, pairwise
from typing import Any

from visitplanner.geo.mapgeom import Point, Viewport, to_world
from visitplanner.resources import resource_path

Ring = list[Point]
Polygon = list[Ring]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
TextWidth = Callable[[str, float], float]

MIN_ZOOM = 10.0
MAJOR_ZOOM = 11.5
MINOR_ZOOM = 13.5
MAJOR_LABEL_ZOOM = 13.0
MINOR_LABEL_ZOOM = 15.0
LABEL_SPACING = 320.0  # screen distance between two labels of the same street
MAX_LABELS = 80
_CELL = 4.0  # label collision grid, in screen units


@dataclass(frozen=True)
class Street:
    major: bool
    name: str
    xs: array[int]  # zoom-17 world pixels
    ys: array[int]
    bbox: Box


@dataclass(frozen=True)
class Area:
    """One area's layers, in zoom-17 world pixels."""

    name: str
    bounds: tuple[float, float, float, float]  # south, west, north, east
    attribution: tuple[str, ...]
    streets: list[Street]
    water: list[list[tuple[array[int], array[int]]]]  # polygons: rings of (xs, ys)
    parks: list[list[tuple[array[int], array[int]]]]
    zoom: int = 17
    # where this area's water replaces the Natural Earth base (south, west, north, east)
    water_bounds: tuple[float, float, float, float] | None = None
    minor_zoom: float = 13.5  # minor streets from this zoom (a sparse source: sooner)
    water_attribution: tuple[str, ...] = ()  # the credits of its water and parks


@dataclass(frozen=True)
class StreetLine:
    major: bool
    name: str
    points: list[Point]


@dataclass(frozen=True)
class Label:
    """A street name along its street: centre, angle (degrees, clockwise on screen, within
    -90..90 so the text reads left to right), size, and the screen box it covers."""

    text: str
    x: float
    y: float
    angle: float
    width: float
    height: float
    major: bool
    corners: tuple[Point, Point, Point, Point]
    box: Box


@dataclass
class MapLayers:
    land: list[Ring] = field(default_factory=list)
    water: list[Polygon] = field(default_factory=list)
    parks: list[Polygon] = field(default_factory=list)
    streets: list[StreetLine] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    attribution: str = ""

    @property
    def empty(self) -> bool:
        return not (self.land or self.water or self.streets)


# --- data ---------------------------------------------------------------------------------


@cache
def index() -> list[tuple[str, tuple[float, float, float, float], tuple[str, ...]]]:
    """(area, (south, west, north, east), attribution) of every shipped area; [] if none."""
    try:
        data = json.loads(resource_path("streetmap", "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [(a["area"], tuple(a["bounds"]), tuple(a["attribution"])) for a in data["areas"]]


@cache
def area(name: str) -> Area | None:
    """One area's layers, read on first use (None when the file is missing or damaged)."""
    try:
        raw = gzip.decompress(resource_path("streetmap", f"{name}.json.gz").read_bytes())
        data: dict[str, Any] = json.loads(raw)
        found: Area | None = _decode(data)
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        found = None
    _LOADED[name] = found
    return found


def _decode(data: dict[str, Any]) -> Area:
    names: list[str] = data["names"]
    streets = []
    for major, name_index, flat in data["streets"]:
        xs = array("i", accumulate(flat[0::2]))
        ys = array("i", accumulate(flat[1::2]))
        bbox = (min(xs), min(ys), max(xs), max(ys))
        streets.append(Street(bool(major), names[name_index], xs, ys, bbox))

    def polygons(items: list[list[list[int]]]) -> list[list[tuple[array[int], array[int]]]]:
        return [
            [(array("i", accumulate(r[0::2])), array("i", accumulate(r[1::2]))) for r in poly]
            for poly in items
        ]

    return Area(
        data["area"],
        tuple(data["bounds"]),
        tuple(data["attribution"]),
        streets,
        polygons(data["water"]),
        polygons(data["parks"]),
        int(data.get("zoom", 17)),
        tuple(data.get("water_bounds") or data["bounds"]),
        float(data.get("minor_zoom") or MINOR_ZOOM),
        tuple(data.get("water_attribution", ())),
    )


def unloaded_in(south: float, west: float, north: float, east: float) -> list[str]:
    """The names of the areas meeting this box that are not read yet (reading one takes a
    few tens of milliseconds: the app's first frame does not wait for it)."""
    loaded = {a.name for a in _loaded_areas()}
    return [
        name
        for name, (s, w, n, e), _credit in index()
        if s <= north and south <= n and w <= east and west <= e and name not in loaded
    ]


def _loaded_areas() -> list[Area]:
    return [a for a in _LOADED.values() if a is not None]


_LOADED: dict[str, Area | None] = {}


def areas_in(south: float, west: float, north: float, east: float) -> list[Area]:
    """The areas whose box meets this one, loaded (lazily) on first use."""
    out = []
    for name, (s, w, n, e), _credit in index():
        if s <= north and south <= n and w <= east and west <= e:
            loaded = area(name)
            if loaded is not None:
                out.append(loaded)
    return out


def in_water(lat: float, lon: float) -> bool:
    """Whether a point falls in the water of the street map (False outside its areas)."""
    found = areas_in(lat, lon, lat, lon)
    if not found:
        return False
    x, y = to_world(lat, lon, found[0].zoom)
    for a in found:
        for poly in a.water:
            inside = False
            for xs, ys in poly:
                inside ^= _ring_contains(xs, ys, x, y)
            if inside:
                return True
    return False


def _ring_contains(xs: Sequence[float], ys: Sequence[float], x: float, y: float) -> bool:
    inside = False
    n = len(xs)
    j = n - 1
    for i in range(n):
        if (ys[i] > y) != (ys[j] > y):
            cross = xs[j] + (y - ys[j]) * (xs[i] - xs[j]) / (ys[i] - ys[j])
            if x < cross:
                inside = not inside
        j = i
    return inside


# --- what to draw -------------------------------------------------------------------------


def _estimate_width(text: str, size: float) -> float:
    return 0.56 * size * len(text)


def layers(
    viewport: Viewport,
    avoid: Iterable[Box] = (),
    text_width: TextWidth | None = None,
    font_size: float = 11.0,
    labels: bool = True,
    label_shift: float = 0.0,
    street_shift: float = 0.0,
) -> MapLayers:
    """Everything the street map draws in this view, in screen coordinates.

    `label_shift` brings names in at a lower zoom (a PDF map, whose small print fits more
    names than a screen, passes 1.5); `street_shift` does the same for the streets (a day
    map on paper spanning a whole city still shows its main roads)."""
    out = MapLayers()
    if viewport.zoom < MIN_ZOOM or math.isnan(viewport.zoom):
        return out
    (south, west), (north, east) = viewport.bounds()
    found = areas_in(south, west, north, east)
    if not found:
        return out
    scale0, dx, dy = viewport.world_to_screen()
    w, h = viewport.width, viewport.height
    credits: list[str] = []
    for a in found:
        s = scale0 / 2.0**a.zoom  # zoom-17 pixels to screen

        def screen(xs: Sequence[float], ys: Sequence[float], s: float = s) -> Ring:
            return [(x * s + dx, y * s + dy) for x, y in zip(xs, ys, strict=True)]

        south_, west_, north_, east_ = a.water_bounds or a.bounds
        (x0, y0), (x1, y1) = (
            viewport.to_screen(north_, west_),
            viewport.to_screen(south_, east_),
        )
        out.land.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        view = ((0 - dx) / s, (0 - dy) / s, (w - dx) / s, (h - dy) / s)
        drew_water = False
        for polys, target in ((a.water, out.water), (a.parks, out.parks)):
            for poly in polys:
                if any(_meets(_bbox(xs, ys), view) for xs, ys in poly[:1]):
                    target.append([screen(xs, ys) for xs, ys in poly])
                    drew_water = True
        drew_streets = False
        if viewport.zoom + street_shift >= MAJOR_ZOOM:
            minor = viewport.zoom + street_shift >= a.minor_zoom
            for st in a.streets:
                if (st.major or minor) and _meets(st.bbox, view):
                    out.streets.append(StreetLine(st.major, st.name, screen(st.xs, st.ys)))
                    drew_streets = True
        credits += a.water_attribution if drew_water else ()
        credits += a.attribution if drew_streets else ()
    # OpenStreetMap first, as its licence asks to be credited plainly; each source once
    ordered = sorted(dict.fromkeys(credits), key=lambda c: "OpenStreetMap" not in c)
    out.attribution = ", ".join(ordered)
    if labels and viewport.zoom + label_shift >= MAJOR_LABEL_ZOOM:
        out.labels = place_labels(
            out.streets,
            w,
            h,
            avoid=avoid,
            text_width=text_width or _estimate_width,
            font_size=font_size,
            minor=viewport.zoom + label_shift >= MINOR_LABEL_ZOOM,
        )
    return out


def boxes_along(points: Sequence[Point], half: float = 3.0, step: float = 6.0) -> list[Box]:
    """Small boxes covering a polyline (a route), to pass as `avoid`: names then stay off it."""
    out: list[Box] = []
    for (x0, y0), (x1, y1) in pairwise(points):
        n = max(1, math.ceil(math.dist((x0, y0), (x1, y1)) / step))
        for i in range(n + 1):
            x, y = x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n
            out.append((x - half, y - half, x + half, y + half))
    return out


def _bbox(xs: Sequence[float], ys: Sequence[float]) -> Box:
    return (min(xs), min(ys), max(xs), max(ys))


def _meets(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


# --- labels -------------------------------------------------------------------------------


class _Occupancy:
    """Screen cells already taken by a label or a box to keep free."""

    def __init__(self) -> None:
        self.cells: set[tuple[int, int]] = set()

    def box_cells(self, b: Box) -> set[tuple[int, int]]:
        return {
            (i, j)
            for i in range(math.floor(b[0] / _CELL), math.floor(b[2] / _CELL) + 1)
            for j in range(math.floor(b[1] / _CELL), math.floor(b[3] / _CELL) + 1)
        }

    def rect_cells(self, cx: float, cy: float, angle: float, w: float, h: float) -> set[Any]:
        ca, sa = math.cos(angle), math.sin(angle)
        cells = set()
        steps_u = max(1, math.ceil(w / (_CELL * 0.7)))
        steps_v = max(1, math.ceil(h / (_CELL * 0.7)))
        for i in range(steps_u + 1):
            u = -w / 2 + w * i / steps_u
            for j in range(steps_v + 1):
                v = -h / 2 + h * j / steps_v
                x = cx + u * ca - v * sa
                y = cy + u * sa + v * ca
                cells.add((math.floor(x / _CELL), math.floor(y / _CELL)))
        return cells


def place_labels(
    streets: Sequence[StreetLine],
    width: float,
    height: float,
    avoid: Iterable[Box] = (),
    text_width: TextWidth = _estimate_width,
    font_size: float = 11.0,
    minor: bool = True,
) -> list[Label]:
    """Street names along their streets: major streets first, then the longest; a label goes
    where its street runs straight for the text's length, inside the view, on no other label
    nor any `avoid` box; a street is named again only `LABEL_SPACING` further on."""
    taken = _Occupancy()
    for b in avoid:
        taken.cells |= taken.box_cells(b)
    height_px = font_size * 1.25
    candidates = [s for s in streets if s.name and (s.major or minor) and len(s.points) > 1]
    lengths = {id(s): _length(s.points) for s in candidates}
    candidates.sort(key=lambda s: (not s.major, -lengths[id(s)]))
    placed: list[Label] = []
    by_name: dict[str, list[Point]] = {}
    widths: dict[str, float] = {}
    for street in candidates:
        if len(placed) >= MAX_LABELS:
            break
        name = street.name
        if name not in widths:
            widths[name] = text_width(name, font_size)
        w = widths[name] + 6
        total = lengths[id(street)]
        if total < w + 8:
            continue
        for at in _anchors(total, w):
            spot = _straight_run(street.points, at, w, height_px)
            if spot is None:
                continue
            cx, cy, angle = spot
            label = _label(name, cx, cy, math.degrees(angle), w - 6, height_px, street.major)
            x0, y0, x1, y1 = label.box
            if x0 < 2 or y0 < 2 or x1 > width - 2 or y1 > height - 2:
                continue
            near = by_name.get(name, [])
            if any((cx - px) ** 2 + (cy - py) ** 2 < LABEL_SPACING**2 for px, py in near):
                continue
            cells = taken.rect_cells(cx, cy, angle, w, height_px)
            if cells & taken.cells:
                continue
            taken.cells |= cells
            by_name.setdefault(name, []).append((cx, cy))
            placed.append(label)
    return placed


def _length(points: Sequence[Point]) -> float:
    return sum(math.dist(points[i], points[i + 1]) for i in range(len(points) - 1))


def _anchors(total: float, w: float) -> list[float]:
    """Positions (arc length) to try: the middle first, then every LABEL_SPACING apart."""
    mid = total / 2
    out = [mid]
    step = max(LABEL_SPACING, w * 1.5)
    k = 1
    while mid - k * step >= w / 2 or mid + k * step <= total - w / 2:
        for at in (mid - k * step, mid + k * step):
            if w / 2 <= at <= total - w / 2:
                out.append(at)
        k += 1
    # nudge around each anchor a little when the exact spot is bent
    return [a + d for a in out for d in (0.0, -w / 3, w / 3) if w / 2 <= a + d <= total - w / 2]


def _point_at(points: Sequence[Point], at: float) -> tuple[Point, int]:
    run = 0.0
    for i in range(len(points) - 1):
        seg = math.dist(points[i], points[i + 1])
        if run + seg >= at and seg > 0:
            t = (at - run) / seg
            (x0, y0), (x1, y1) = points[i], points[i + 1]
            return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t), i
        run += seg
    return points[-1], len(points) - 2


def _straight_run(
    points: Sequence[Point], at: float, w: float, h: float
) -> tuple[float, float, float] | None:
    """Centre and angle (radians, text upright) of a chord of length `w` centred at arc
    length `at`, if the street stays within a third of the text height of it."""
    (ax, ay), i0 = _point_at(points, at - w / 2)
    (bx, by), i1 = _point_at(points, at + w / 2)
    dx, dy = bx - ax, by - ay
    chord = math.hypot(dx, dy)
    if chord < w * 0.9:
        return None
    tolerance = h / 3
    for x, y in points[i0 + 1 : i1 + 1]:
        if abs((x - ax) * dy - (y - ay) * dx) / chord > tolerance:
            return None
    angle = math.atan2(dy, dx)
    if angle > math.pi / 2:
        angle -= math.pi
    elif angle <= -math.pi / 2:
        angle += math.pi
    return (ax + bx) / 2, (ay + by) / 2, angle


def _label(text: str, cx: float, cy: float, angle: float, w: float, h: float, major: bool) -> Label:
    """A label centred at (cx, cy), turned `angle` degrees; its corners and box include the
    halo (3 units of margin along the text)."""
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    w += 6
    corners = tuple(
        (cx + u * ca - v * sa, cy + u * sa + v * ca)
        for u, v in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))
    )
    xs = [c[0] for c in corners]
    ys = [c[1] for c in corners]
    return Label(
        text,
        cx,
        cy,
        angle,
        w - 6,
        h,
        major,
        corners,  # type: ignore[arg-type]
        (min(xs), min(ys), max(xs), max(ys)),
    )
