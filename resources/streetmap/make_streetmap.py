"""Build the offline street map layers (``<area>.json.gz``) from the raw open data.

    python resources/streetmap/make_streetmap.py [RAW] [--seas MAP.GEO.JSON] [--check]

RAW is the folder of raw street data (default ``../shared/data/streets`` relative to the
repository; its SOURCES.md describes every file). Build-time only requirements, not needed by
the app: ``pip install shapely pyproj rdata``.

``--seas`` re-extracts ``sea_clip.json`` (the OpenStreetMap sea polygons of the three areas)
from the npm package ``@geo-maps/earth-seas-10m`` (``npm pack @geo-maps/earth-seas-10m``, then
``package/map.geo.json``); without it the committed ``sea_clip.json`` is used.

Each area file holds, in integer Web Mercator pixels at zoom 17 (about 0.85 m), delta-encoded:
``water`` and ``parks`` (polygons as lists of rings), ``streets`` (``[class, name index,
coordinates]``, class 1 = major, 0 = minor; connected pieces of one street merged so that its
name fits along it), ``names``, ``attribution`` (the streets' credit line) and
``water_attribution``. Lines are simplified (Douglas-Peucker, 3 m) before quantising. See
README.md for sources, licences and the accuracy of the water.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ZOOM = 17
WORLD = 256 * 2**ZOOM
SIMPLIFY_M = 3.0

# The box of each area (west, south, east, north): its data are drawn inside it, and inside
# it the water below replaces the Natural Earth coastline.
AREAS: dict[str, tuple[float, float, float, float]] = {
    "boston": (-71.20, 42.22, -70.88, 42.45),  # the inner and outer harbour
    "quebec": (-71.50, 46.68, -70.95, 46.95),  # to the channels of Île d'Orléans
    "montreal": (-73.98, 45.40, -73.47, 45.71),
}

# Where an area's water replaces the Natural Earth base (west, south, east, north): the whole
# area, but in Montréal only the port and the islands, checked against the streets; elsewhere
# there (Rivière des Prairies, Laval, Verdun) the Natural Earth base stays as it was.
WATER_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "boston": AREAS["boston"],
    "quebec": AREAS["quebec"],
    "montreal": (-73.60, 45.487, -73.50, 45.530),
}

# Corrections of the coarse sources, digitised against the streets of the same folder
# (lon, lat). "channels": narrow water as a centre line and a width in metres (the simplified
# OSM sea loses Boston's Fort Point Channel); "add": water polygons; "land": boxes where the
# source water is dropped before "add" (Natural Earth's St. Lawrence at Montréal's port, which
# covers Île Sainte-Hélène and misses the quays). The streets themselves also carve land out
# of the source water (see `water_of`).
FIXES: dict[str, dict[str, Any]] = {
    "boston": {
        "channels": [
            (
                90.0,  # Fort Point Channel, harbour to the Dorchester Avenue bridge
                [
                    (-71.0497, 42.3555),
                    (-71.0512, 42.3535),
                    (-71.0520, 42.3520),
                    (-71.0530, 42.3505),
                    (-71.0545, 42.3490),
                    (-71.0555, 42.3475),
                    (-71.0563, 42.3455),
                    (-71.0570, 42.3435),
                    (-71.0575, 42.3420),
                ],
            )
        ],
        "add": [],
        "land": [],
    },
    "quebec": {
        "channels": [],
        "add": [
            [  # Bassin Louise, between the Quai Saint-André and the Saint-Charles estuary
                (-71.2105, 46.8190),
                (-71.2040, 46.8186),
                (-71.2010, 46.8192),
                (-71.2000, 46.8200),
                (-71.2030, 46.8206),
                (-71.2100, 46.8207),
                (-71.2115, 46.8199),
            ]
        ],
        "land": [],
    },
    "montreal": {
        "channels": [],
        "add": [
            [  # the St. Lawrence between the Old Port / Cité du Havre and Île Sainte-Hélène
                (-73.5440, 45.5240),
                (-73.5428, 45.5180),
                (-73.5440, 45.5125),
                (-73.5452, 45.5085),
                (-73.5440, 45.5062),
                (-73.5422, 45.5048),
                (-73.5436, 45.5030),
                (-73.5436, 45.4905),
                (-73.5395, 45.4905),
                (-73.5380, 45.5000),
                (-73.5366, 45.5075),
                (-73.5372, 45.5150),
                (-73.5362, 45.5240),
            ]
        ],
        "land": [
            [  # the Old Port, whose quays Natural Earth puts in the river
                (-73.5600, 45.4880),
                (-73.5436, 45.4880),
                (-73.5436, 45.5030),
                (-73.5452, 45.5085),
                (-73.5428, 45.5180),
                (-73.5440, 45.5240),
                (-73.5600, 45.5240),
            ],
            [  # Île Sainte-Hélène and Île Notre-Dame (Parc Jean-Drapeau)
                (-73.5362, 45.5240),
                (-73.5372, 45.5150),
                (-73.5366, 45.5075),
                (-73.5380, 45.5000),
                (-73.5395, 45.4905),
                (-73.5330, 45.4950),
                (-73.5275, 45.5030),
                (-73.5258, 45.5120),
                (-73.5285, 45.5200),
                (-73.5330, 45.5245),
            ],
        ],
    },
}

OSM_MAJOR = {"primary", "primary_link", "secondary", "secondary_link", "trunk", "trunk_link"}
QC_MAJOR_GENERIC = {"Autoroute", "Boulevard", "Route", "Pont", "Pont-tunnel"}
MTL_MAJOR = {"autoroute", "boulevard", "route", "pont", "tunnel", "pont-tunnel"}

# Streets that run along a wharf or a pier, whose land is wider than a street's.
PIER = re.compile(r"\b(Wharf|Pier|Quai)\b")

# (class, name, geometry, is a bridge or tunnel)
Street = tuple[int, str, Any, bool]

ATTRIBUTION = {
    "osm": "© OpenStreetMap contributors",
    "cambridge": "City of Cambridge",
    "quebec": "Ville de Québec",
    "montreal": "Ville de Montréal",
}


def _shapely() -> Any:
    try:
        import shapely
    except ImportError:
        sys.exit(
            "make_streetmap.py needs shapely, pyproj and rdata: pip install shapely pyproj rdata"
        )
    return shapely


def read_geojson(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        features: list[dict[str, Any]] = json.load(f)["features"]
    return features


# --- projections --------------------------------------------------------------------------


def to_px(lon: float, lat: float) -> tuple[int, int]:
    """WGS84 to integer Web Mercator pixels at zoom 17 (the app's mapgeom.to_world)."""
    s = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0 * WORLD
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * WORLD
    return round(x), round(y)


def local(lat0: float) -> tuple[Any, Any]:
    """Forward and inverse equirectangular metres around latitude lat0 (for buffers)."""
    k = math.cos(math.radians(lat0))

    def fwd(coords: Any) -> Any:
        out = coords.copy()
        out[:, 0] = coords[:, 0] * 111320.0 * k
        out[:, 1] = coords[:, 1] * 110540.0
        return out

    def inv(coords: Any) -> Any:
        out = coords.copy()
        out[:, 0] = coords[:, 0] / (111320.0 * k)
        out[:, 1] = coords[:, 1] / 110540.0
        return out

    return fwd, inv


# --- streets ------------------------------------------------------------------------------


def osm_streets(raw: Path) -> list[Street]:
    from shapely.geometry import shape

    out = []
    for town in ("boston", "brookline", "cambridge", "somerville"):
        for f in read_geojson(raw / "boston" / f"osm_{town}_named.geojson.gz"):
            if not f["geometry"]:
                continue
            p = f["properties"]
            major = 1 if p.get("highway") in OSM_MAJOR else 0
            name = (p.get("name") or "").strip()
            out.append((major, name, shape(f["geometry"]), "Bridge" in name))
    return out


def quebec_streets(raw: Path) -> list[Street]:
    from shapely.geometry import shape

    out = []
    for f in read_geojson(raw / "quebec" / "vdq_voiepublique.geojson.gz"):
        p = f["properties"]
        if not f["geometry"] or p.get("TYPE") not in ("Tronçon", "Autre (rue privée)"):
            continue
        speed = p.get("VITESSEMAX") or 0
        generic = p.get("GENERIQUE") or ""
        major = 1 if speed >= 50 or generic in QC_MAJOR_GENERIC else 0
        name = (p.get("NOM_TOPOGR") or "").strip()
        if generic in ("Bretelle", "Stationnement", "Voie service"):
            name = ""  # ramps: "Bretelle Aut. 40 E, 73 N, Sortie 142-E" is no street name
        out.append((major, name, shape(f["geometry"]), generic in ("Pont", "Pont-tunnel")))
    return out


def montreal_streets(raw: Path) -> list[Street]:
    import rdata
    from pyproj import Transformer
    from shapely.geometry import LineString

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = rdata.read_rda(str(raw / "montreal" / "main_network_mtl.rda"))["main_network_mtl"]
    # NAD27 / MTQ Lambert: pyproj's default transform to WGS84 is within about 10 m here.
    to_wgs = Transformer.from_crs("EPSG:3797", "EPSG:4326", always_xy=True)
    out = []
    for kind, geom in zip(frame["TYPE"], frame["geom"], strict=True):
        xy = [tuple(p) for p in _rows(geom)]
        if len(xy) < 2:
            continue
        lon, lat = to_wgs.transform([p[0] for p in xy], [p[1] for p in xy])
        major = 1 if str(kind) in MTL_MAJOR else 0
        line = LineString(list(zip(lon, lat, strict=True)))
        out.append((major, "", line, str(kind) in ("pont", "tunnel", "pont-tunnel")))
    return out


def _rows(geom: Any) -> list[Any]:
    """The vertices of an sf LINESTRING read by rdata (an n x 2 array or nested lists)."""
    import numpy as np

    array = np.asarray(geom, dtype=float)
    return list(array.reshape(-1, 2))


def merge_streets(items: list[Street], lat0: float) -> list[tuple[int, str, Any]]:
    """Connected pieces of one named street become one line (a label needs its length);
    lines are simplified to SIMPLIFY_M metres."""
    import shapely
    from shapely.ops import linemerge

    fwd, inv = local(lat0)
    groups: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for major, name, geom, _bridge in items:
        for line in getattr(geom, "geoms", [geom]):
            groups[(major, name)].append(line)
    out = []
    for (major, name), lines in groups.items():
        merged = linemerge(lines) if name else shapely.MultiLineString(lines)
        for line in getattr(merged, "geoms", [merged]):
            metric = shapely.transform(line, fwd)
            simple = shapely.transform(metric.simplify(SIMPLIFY_M), inv)
            if simple.length > 0:
                out.append((major, name, simple))
    return out


# --- water and parks ----------------------------------------------------------------------


def extract_seas(seas_path: Path) -> dict[str, Any]:
    """The OpenStreetMap sea polygons inside each area's box, as GeoJSON geometries."""
    import shapely
    from shapely.geometry import box, mapping, shape

    with open(seas_path, encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    for area, bounds in AREAS.items():
        b = box(*bounds)
        parts = [shape(g).intersection(b) for g in data["geometries"] if shape(g).intersects(b)]
        geom = shapely.union_all(parts) if parts else shapely.Polygon()
        out[area] = mapping(shapely.set_precision(geom, 1e-6))
    return out


def water_of(
    area: str,
    raw: Path,
    seas: dict[str, Any],
    streets: list[Any] | None = None,
    piers: list[Any] | None = None,
) -> Any:
    """The area's water: the sources, less the land the streets occupy, corrected by FIXES.
    `piers` are the streets of wharves and piers, carved wider (35 m each side) and even where
    the source water covers them whole (which makes an ordinary street look like a bridge)."""
    import shapely
    from shapely.geometry import LineString, Polygon, box, shape

    bounds = box(*AREAS[area])
    _west, south, _east, north = AREAS[area]
    fwd, inv = local((south + north) / 2)
    parts = [shape(seas[area])] if seas.get(area) else []
    if area == "montreal":
        parts.append(_natural_earth_water(bounds))
    water = shapely.union_all(parts) if parts else shapely.Polygon()
    fixes = FIXES[area]
    if fixes["land"]:
        water = water.difference(shapely.union_all([Polygon(r) for r in fixes["land"]]))
    added = [Polygon(r) for r in fixes["add"]]
    for width, centre in fixes["channels"]:
        line = shapely.transform(LineString(centre), fwd)
        added.append(shapely.transform(line.buffer(width / 2, cap_style="flat"), inv))
    if added:
        water = water.union(shapely.union_all(added))
    if streets:  # a street is on land (bridges aside): carve it, and the gaps between
        metric = shapely.transform(water, fwd)
        inner = metric.buffer(-40)
        near = metric.buffer(60)
        shapely.prepare(near)
        lines = []
        for geom in streets:
            for line in getattr(geom, "geoms", [geom]):
                m = shapely.transform(line, fwd)
                if not (m.length and near.intersects(m)):
                    continue
                if m.intersection(inner).length < 0.3 * m.length:
                    lines.append(m)
        land = shapely.union_all(lines).buffer(40).buffer(-25)
        if piers:
            wide = [shapely.transform(g, fwd) for g in piers]
            land = land.union(shapely.union_all(wide).buffer(35))
        water = shapely.transform(metric.difference(land), inv)
    if area == "boston":  # the Charles River basin and ponds, City of Cambridge (PDDL)
        ponds = []
        for f in read_geojson(raw / "cambridge" / "HYDRO_WaterBodies.geojson.gz"):
            if f["properties"].get("TYPE") in ("WATER", "POND") and f["geometry"]:
                ponds.append(shape(f["geometry"]).buffer(0))
        water = water.union(shapely.union_all(ponds))
    return water.intersection(box(*WATER_BOUNDS[area])).buffer(0)


def _natural_earth_water(bounds: Any) -> Any:
    """Water of the shipped Natural Earth base inside `bounds` (Montréal: no OSM sea there)."""
    import shapely
    from shapely.geometry import Polygon

    base = json.loads((REPO / "resources" / "basemap" / "basemap.json").read_text("utf-8"))
    land = shapely.Polygon()
    for ring in base["land"]:
        if len(ring) > 2:
            land = land.symmetric_difference(Polygon([(lon, lat) for lat, lon in ring]))
    return bounds.difference(land)


def parks_of(area: str, raw: Path) -> list[Any]:
    from shapely.geometry import shape

    if area != "boston":
        return []
    out = []
    for f in read_geojson(raw / "cambridge" / "RECREATION_OpenSpace.geojson.gz"):
        if f["geometry"]:
            out.append(shape(f["geometry"]).buffer(0))
    return out


# --- encoding -----------------------------------------------------------------------------


def encode_line(coords: Any) -> list[int]:
    """[x0, y0, dx1, dy1, ...] in zoom-17 pixels; repeated points dropped."""
    flat: list[int] = []
    last: tuple[int, int] | None = None
    for lon, lat in coords:
        x, y = to_px(lon, lat)
        if (x, y) == last:
            continue
        if last is None:
            flat += [x, y]
        else:
            flat += [x - last[0], y - last[1]]
        last = (x, y)
    return flat


def encode_polygons(geom: Any, lat0: float, tolerance: float) -> list[list[list[int]]]:
    import shapely

    fwd, inv = local(lat0)
    simple = shapely.transform(shapely.transform(geom, fwd).simplify(tolerance), inv)
    out = []
    for poly in getattr(simple, "geoms", [simple]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = [encode_line(poly.exterior.coords)]
        rings += [encode_line(r.coords) for r in poly.interiors]
        rings = [r for r in rings if len(r) >= 6]
        if rings:
            out.append(rings)
    return out


def build_area(area: str, raw: Path, seas: dict[str, Any]) -> dict[str, Any]:
    west, south, east, north = AREAS[area]
    lat0 = (south + north) / 2
    # credits for the streets, and for the water and parks (Montréal's: Natural Earth's own)
    if area == "boston":
        items, sources, water_sources = osm_streets(raw), ["osm"], ["osm", "cambridge"]
    elif area == "quebec":
        items, sources, water_sources = quebec_streets(raw), ["quebec"], ["osm"]
    else:
        items, sources, water_sources = montreal_streets(raw), ["montreal"], []
    streets = merge_streets(items, lat0)
    names: list[str] = [""]
    index = {"": 0}
    encoded = []
    for major, name, line in sorted(streets, key=lambda s: (-s[0], s[1])):
        if name not in index:
            index[name] = len(names)
            names.append(name)
        flat = encode_line(line.coords)
        if len(flat) >= 4:
            encoded.append([major, index[name], flat])
    land_streets = [g for _major, _name, g, bridge in items if not bridge]
    piers = [g for _major, name, g, _bridge in items if PIER.search(name)]
    water = water_of(area, raw, seas, land_streets, piers)
    parks = [p for geom in parks_of(area, raw) for p in encode_polygons(geom, lat0, 2.0)]
    return {
        "version": 1,
        "area": area,
        "bounds": [south, west, north, east],
        "water_bounds": [WATER_BOUNDS[area][i] for i in (1, 0, 3, 2)],
        # Montréal's source holds main roads only: its "minor" ones are few, show them sooner
        "minor_zoom": 12.0 if area == "montreal" else None,
        "zoom": ZOOM,
        "attribution": [ATTRIBUTION[s] for s in sources],
        "water_attribution": [ATTRIBUTION[s] for s in water_sources],
        "names": names,
        "streets": encoded,
        "water": encode_polygons(water, lat0, 2.0),
        "parks": parks,
    }


def check(path: Path) -> str:
    """How many street points (bridges and tunnels included) fall in the built water: a street
    is on land, so few should, and those few should be crossings."""
    from itertools import accumulate

    import shapely

    data = json.loads(gzip.decompress(path.read_bytes()))
    polys = []
    for poly in data["water"]:
        rings = [list(zip(accumulate(r[0::2]), accumulate(r[1::2]), strict=True)) for r in poly]
        polys.append(shapely.Polygon(rings[0], rings[1:]).buffer(0))
    water = shapely.union_all(polys) if polys else shapely.Polygon()
    shapely.prepare(water)
    total = wet = 0
    for _major, _name, flat in data["streets"]:
        for x, y in zip(accumulate(flat[0::2]), accumulate(flat[1::2]), strict=True):
            total += 1
            wet += bool(shapely.contains_xy(water, x, y))
    return f"{wet} of {total} street points in water"


def main(argv: list[str] | None = None) -> int:
    _shapely()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", default=str(REPO.parent / "shared/data/streets"))
    parser.add_argument("--seas", help="geo-maps earth-seas-10m map.geo.json to re-extract")
    parser.add_argument("--out", default=str(HERE))
    args = parser.parse_args(argv)
    raw, out = Path(args.raw), Path(args.out)
    clip = HERE / "sea_clip.json"
    if args.seas:
        clip.write_text(json.dumps(extract_seas(Path(args.seas)), separators=(",", ":")))
    seas = json.loads(clip.read_text("utf-8"))
    index = []
    for area in AREAS:
        data = build_area(area, raw, seas)
        index.append({k: data[k] for k in ("area", "bounds", "water_bounds", "attribution")})
        target = out / f"{area}.json.gz"
        payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        target.write_bytes(gzip.compress(payload, 9, mtime=0))
        print(
            f"{target.name}: {len(data['streets'])} streets, {len(data['water'])} water, "
            f"{len(data['parks'])} parks, {target.stat().st_size / 1e6:.2f} MB; {check(target)}"
        )
    (out / "index.json").write_text(json.dumps({"areas": index}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
