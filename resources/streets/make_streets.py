"""Rebuild streets.json.gz, the offline street-level geocoding data, from the raw open data.

Usage (from the repository root):
    python resources/streets/make_streets.py [RAW_FOLDER] [--limit N] [--out FILE]

RAW_FOLDER defaults to ../shared/data/streets relative to the repository; it holds
cambridge/ (City of Cambridge GIS, PDDL 1.0) and quebec/ (Ville de Québec, CC BY 4.0), see
README.md. ``--limit N`` keeps only the first N features of each input (a quick extract for
tests). Only the standard library is needed.

What is kept, per city (coordinates as integers of 1e-6 degree, WGS 84):
- streets: display name, its words for matching (visitplanner.geo.streetnames.words), a
  point in the street's middle, and its segments with their
  house-number ranges (left from, left to, right from, right to, left ZIP, right ZIP) and line;
- Cambridge only: the 2021 address table joined to the FY2014 parcels: one point (the parcel's
  centroid) and the parcel's radius in metres per house number and street;
- intersections: pairs of streets and their meeting point (Cambridge's own layer; for Québec
  City, segment ends shared by two named streets, snapped to about 1 m).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from visitplanner.geo.streetnames import full_key, words  # noqa: E402

OUT = Path(__file__).with_name("streets.json.gz")
E6 = 1_000_000
# Ville de Québec segment types that are roads (not footpaths, sidewalks or bike paths).
QUEBEC_ROADS = {"Tronçon", "Autre (rue privée)", "Bande cyclable", "Chaussée désignée"}
CAMBRIDGE_TYPES = {
    "St": "Street",
    "Ave": "Avenue",
    "Rd": "Road",
    "Pl": "Place",
    "Ct": "Court",
    "Ter": "Terrace",
    "Pk": "Park",
    "Cir": "Circle",
    "Ln": "Lane",
    "Dr": "Drive",
    "Sq": "Square",
    "Pkwy": "Parkway",
    "Blvd": "Boulevard",
    "Ext": "Extension",
    "Hwy": "Highway",
    "Aly": "Alley",
    "Lndg": "Landing",
    "Tpk": "Turnpike",
}


def _load_json(path: Path) -> dict:  # type: ignore[type-arg]
    with gzip.open(path, "rt", encoding="utf-8-sig") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points, equirectangular (fine at city scale)."""
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_195.0


def _lines(geometry: dict) -> list[list[tuple[float, float]]]:  # type: ignore[type-arg]
    if not geometry:
        return []
    if geometry["type"] == "LineString":
        return [[(p[0], p[1]) for p in geometry["coordinates"]]]
    if geometry["type"] == "MultiLineString":
        return [[(p[0], p[1]) for p in line] for line in geometry["coordinates"]]
    return []


def _flat(line: list[tuple[float, float]]) -> list[int]:
    out: list[int] = []
    for lon, lat in line:
        out += [round(lon * E6), round(lat * E6)]
    return out


def _number(value: object) -> int:
    try:
        number = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1
    return number if number > 0 else -1


class Streets:
    """Segments grouped by street name, in input order."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # key -> display name
        self.segments: dict[str, list[list[object]]] = defaultdict(list)
        self.lines: dict[str, list[list[tuple[float, float]]]] = defaultdict(list)

    def add(self, name: str, ranges: list[object], line: list[tuple[float, float]]) -> str:
        key = full_key(name)
        if not key or len(line) < 2:
            return ""
        self.names.setdefault(key, name)
        self.segments[key].append([*ranges, _flat(line)])
        self.lines[key].append(line)
        return key

    def to_json(self) -> tuple[list[list[object]], dict[str, int]]:
        out, index = [], {}
        for key, name in self.names.items():
            index[key] = len(out)
            lat, lon = _middle(self.lines[key])
            name_words = " ".join(words(name))
            out.append([name, name_words, round(lat * E6), round(lon * E6), self.segments[key]])
        return out, index


def _middle(lines: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The middle of the segment nearest the street's centre: a point on the street."""
    mids = []
    for line in lines:
        a, b = line[len(line) // 2 - 1 if len(line) > 2 else 0], line[len(line) // 2]
        mids.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) if len(line) == 2 else b)
    cx = sum(p[0] for p in mids) / len(mids)
    cy = sum(p[1] for p in mids) / len(mids)
    best = min(mids, key=lambda p: _metres(p, (cx, cy)))
    return best[1], best[0]


# -- Cambridge -----------------------------------------------------------------------------


def _cambridge_name(street: str) -> str:
    words = street.split()
    if words and words[-1] in CAMBRIDGE_TYPES:
        words[-1] = CAMBRIDGE_TYPES[words[-1]]
    return " ".join(words)


def cambridge(raw: Path, limit: int | None) -> dict[str, object]:
    streets = Streets()
    data = _load_json(raw / "cambridge" / "TRANS_Centerlines.geojson.gz")
    for feature in data["features"][:limit]:
        p = feature["properties"]
        name = p.get("Street") or p.get("Alias") or ""
        if not name:
            continue
        ranges = [_number(p.get(k)) for k in ("L_From", "L_To", "R_From", "R_To")]
        ranges += [p.get("ZIP_Left") or "", p.get("ZIP_Right") or ""]
        for line in _lines(feature["geometry"]):
            streets.add(_cambridge_name(name), ranges, line)
    out, index = streets.to_json()

    parcels = _parcel_centroids(raw / "cambridge" / "parcels14.topojson.gz", limit)
    addresses = []
    seen: set[tuple[int, str]] = set()
    with gzip.open(raw / "cambridge" / "master_addr_2021.csv.gz", "rt", encoding="utf-8-sig") as h:
        for n, row in enumerate(csv.reader(io.StringIO(h.read()))):
            if limit is not None and n >= limit * 10:
                break
            if len(row) < 11 or not row[1].strip().isdigit():
                continue
            number, suffix, street, kind, maplot = row[1], row[2], row[3], row[4], row[9]
            key = full_key(f"{street} {kind}")
            if key not in index or maplot not in parcels:
                continue
            house = f"{int(number)}{suffix.strip().lower()}"
            if (index[key], house) in seen:
                continue
            seen.add((index[key], house))
            lon, lat, radius = parcels[maplot]
            addresses.append([index[key], house, round(lat * E6), round(lon * E6), radius])

    crossings = []
    data = _load_json(raw / "cambridge" / "TRANS_Intersections.geojson.gz")
    for feature in data["features"][:limit]:
        p = feature["properties"]
        names = [s.strip() for s in (p.get("Intersection") or "").split("&")]
        ids = sorted(
            {index[k] for k in (full_key(_cambridge_name(s)) for s in names) if k in index}
        )
        lon, lat = feature["geometry"]["coordinates"][:2]
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                crossings.append([a, b, round(lat * E6), round(lon * E6)])
    return {
        "city": "Cambridge",
        "region": "MA",
        "country": "US",
        "streets": out,
        "addresses": addresses,
        "intersections": crossings,
    }


def _parcel_centroids(path: Path, limit: int | None) -> dict[str, tuple[float, float, int]]:
    """MapLot -> (lon, lat) of the parcel's area centroid and its radius in metres."""
    topo = _load_json(path)
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indexes:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += part if not points else part[1:]
        return points

    out = {}
    geometries = next(iter(topo["objects"].values()))["geometries"]
    for geometry in geometries[:limit]:
        ml = (geometry.get("properties") or {}).get("ML")
        if not ml or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(p[0]) for p in polygons if p]
        area = cx = cy = 0.0
        for points in rings:
            for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
                cross = x0 * y1 - x1 * y0
                area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
        if abs(area) < 1e-14:
            continue
        centre = (cx / (3 * area), cy / (3 * area))
        radius = max(_metres(centre, p) for points in rings for p in points)
        out[ml] = (centre[0], centre[1], round(radius))
    return out


# -- Québec City ---------------------------------------------------------------------------


def _quebec_name(p: dict[str, object]) -> str:
    """ "Rue Saint-Jean" -> "rue Saint-Jean": the generic in lower case, as in an address."""
    name = str(p.get("NOM_TOPOGR") or "").strip()
    generic = str(p.get("GENERIQUE") or "")
    if generic and name.startswith(generic):
        name = generic.lower() + name[len(generic) :]
    return name


def quebec(raw: Path, limit: int | None) -> dict[str, object]:
    streets = Streets()
    nodes: dict[tuple[int, int], set[str]] = defaultdict(set)
    node_points: dict[tuple[int, int], tuple[float, float]] = {}
    data = _load_json(raw / "quebec" / "vdq_voiepublique.geojson.gz")
    for feature in data["features"][:limit]:
        p = feature["properties"]
        if p.get("TYPE") not in QUEBEC_ROADS:
            continue
        name = _quebec_name(p)
        ranges: list[object] = [
            _number(p.get(k)) for k in ("N_CIV_G_DE", "N_CIV_G_A", "N_CIV_D_DE", "N_CIV_D_A")
        ]
        ranges += ["", ""]
        for line in _lines(feature["geometry"]):
            key = streets.add(name, ranges, line)
            if not key:
                continue
            for end in (line[0], line[-1]):
                snapped = (round(end[0] * 1e5), round(end[1] * 1e5))
                nodes[snapped].add(key)
                node_points.setdefault(snapped, end)
    out, index = streets.to_json()
    crossings, seen = [], set()
    for snapped, keys in nodes.items():
        ids = sorted(index[k] for k in keys)
        lon, lat = node_points[snapped]
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if (a, b) not in seen:  # the first meeting point of two streets
                    seen.add((a, b))
                    crossings.append([a, b, round(lat * E6), round(lon * E6)])
    return {
        "city": "Québec",
        "region": "QC",
        "country": "CA",
        "streets": out,
        "addresses": [],
        "intersections": crossings,
    }


def build(raw: Path, out: Path, limit: int | None = None) -> dict[str, int]:
    """Write the data file; returns counts for the log."""
    cities = {"cambridge": cambridge(raw, limit), "quebec": quebec(raw, limit)}
    payload = {
        "version": 1,
        "sources": {
            "cambridge": "City of Cambridge GIS (cambridgegis/cambridgegis_data), PDDL 1.0",
            "quebec": "Ville de Québec, voies publiques (Données Québec), CC BY 4.0",
        },
        "cities": cities,
    }
    raw_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(raw_json.encode("utf-8"))
    counts = {}
    for name, city in cities.items():
        for part in ("streets", "addresses", "intersections"):
            counts[f"{name}.{part}"] = len(city[part])  # type: ignore[arg-type]
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("raw", nargs="?", default=str(REPO.parent / "shared/data/streets"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    counts = build(Path(args.raw), Path(args.out), args.limit)
    for name, count in counts.items():
        print(f"{name}: {count}")
    print(f"{args.out}: {Path(args.out).stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
