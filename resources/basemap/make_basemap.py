"""Rebuild basemap.json from Natural Earth 1:10m (public domain) as packaged by world-atlas.

Usage: python make_basemap.py PATH/TO/world-atlas/countries-10m.json ../cities/cities.csv
(`npm pack world-atlas@2.0.2` gives the file). Keeps the Boston-Montréal-Québec area only:
land polygons clipped to it, the Canada-United States border, and city labels.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

SOUTH, WEST, NORTH, EAST = 40.8, -76.5, 48.5, -68.5
LABELS = [  # (name, region) of the cities labelled on the light base
    ("Boston", "MA"),
    ("Cambridge", "MA"),
    ("Worcester", "MA"),
    ("Lowell", "MA"),
    ("Springfield", "MA"),
    ("Montréal", "QC"),
    ("Laval", "QC"),
    ("Longueuil", "QC"),
    ("Québec", "QC"),
    ("Lévis", "QC"),
    ("Sherbrooke", "QC"),
    ("Trois-Rivières", "QC"),
    ("Drummondville", "QC"),
    ("Saint-Jean-sur-Richelieu", "QC"),
    ("Gatineau", "QC"),
    ("Saguenay", "QC"),
    ("Rimouski", "QC"),
    ("Granby", "QC"),
    ("Burlington", "VT"),
    ("Manchester", "NH"),
    ("Concord", "NH"),
    ("Portland", "ME"),
    ("Providence", "RI"),
    ("Hartford", "CT"),
    ("Albany", "NY"),
    ("Plattsburgh", "NY"),
    ("Ottawa", "ON"),
]


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def clip(poly: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against the area's rectangle."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: _x(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: _x(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: _y(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: _y(a, b, NORTH)),
    ]
    out = poly
    for inside, cut in edges:
        src, out = out, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        if not out:
            return []
    return out


def _x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(pts, tol=0.004):
    """Douglas-Peucker in degrees (about 300 m here)."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = pts[i], pts[j]
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            px, py = pts[k]
            dx, dy = bx - ax, by - ay
            if dx == dy == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / (dx * dx + dy * dy) ** 0.5
            if d > best:
                best, idx = d, k
        if best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(pts, keep, strict=True) if k]


def inside(p):
    return SOUTH <= p[1] <= NORTH and WEST <= p[0] <= EAST


def main(topo_path: str, cities_path: str) -> None:
    topo = json.loads(Path(topo_path).read_text())
    arcs = decode_arcs(topo)
    land = []
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            for r in poly:  # outer ring and holes: holes are lakes, drawn as water on top
                pts = clip(ring(arcs, r))
                pts = simplify(pts)
                if len(pts) >= 3:
                    land.append([[round(lat, 4), round(lon, 4)] for lon, lat in pts])
    by_id = {g.get("id"): g for g in topo["objects"]["countries"]["geometries"]}

    def arc_ids(g):
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        return {a if a >= 0 else ~a for poly in polys for r in poly for a in r}

    shared = arc_ids(by_id["840"]) & arc_ids(by_id["124"])
    borders = []
    for i in sorted(shared):
        line: list = []
        for p in arcs[i]:
            if inside(p):
                line.append(p)
            elif line:
                borders.append(line)
                line = []
        if len(line) >= 2:
            borders.append(line)
    borders = [[[round(lat, 4), round(lon, 4)] for lon, lat in simplify(b)] for b in borders]
    cities = {}
    with open(cities_path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cities.setdefault((row["name"], row["region"]), row)
    labels = []
    for name, region in LABELS:
        row = cities[(name, region)]
        labels.append({"name": name, "lat": float(row["lat"]), "lon": float(row["lon"])})
    out = {
        "source": "Natural Earth 1:10m land and admin-0 boundaries v4.1.0 (public domain), "
        "via world-atlas 2.0.2; labels from resources/cities/cities.csv",
        "bounds": [SOUTH, WEST, NORTH, EAST],
        "land": land,
        "borders": borders,
        "labels": labels,
    }
    Path(__file__).with_name("basemap.json").write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
