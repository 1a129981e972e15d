"""Rebuild cities.csv from countrystatecity-countries (ODbL), plus checked city centres.

Usage: python make_cities.py PATH/TO/countrystatecity_countries/data/by-country
Keeps the states and provinces a Boston-Québec mission moves in. The package's coordinates come
from GeoNames and mark a municipality's centroid, which for a large city can be kilometres from
its downtown: the mission's main cities get their downtown (city hall area) from OVERRIDES.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

AREAS = [
    ("US", "MA"),
    ("US", "NH"),
    ("US", "VT"),
    ("US", "ME"),
    ("US", "RI"),
    ("US", "CT"),
    ("US", "NY"),
    ("CA", "QC"),
    ("CA", "ON"),
]
SOURCE = "countrystatecity-countries 2.0.1 (ODbL; GeoNames)"
OVERRIDES = {  # (name, region): (lat, lon, source)
    ("Boston", "MA"): (42.3601, -71.0589, "Wikipedia: Boston (coordinates, downtown)"),
    ("Cambridge", "MA"): (42.3736, -71.1097, "Wikipedia: Cambridge, Massachusetts"),
    ("Montréal", "QC"): (45.5089, -73.5617, "Wikipedia: Montreal (coordinates, downtown)"),
    ("Québec", "QC"): (46.8139, -71.2080, "Wikipedia: Quebec City (coordinates)"),
    ("Laval", "QC"): (45.5700, -73.7200, "Wikipedia: Laval, Quebec (coordinates)"),
    ("Sherbrooke", "QC"): (45.4000, -71.9000, "Wikipedia: Sherbrooke (coordinates)"),
}


def main(root: str) -> None:
    rows = []
    for country, region in AREAS:
        data = json.loads(Path(root, country, "states", region, "cities.json").read_text())
        for c in data:
            lat, lon, src = float(c["latitude"]), float(c["longitude"]), SOURCE
            if (c["name"], region) in OVERRIDES:
                lat, lon, src = OVERRIDES[(c["name"], region)]
            rows.append([c["name"], region, country, f"{lat:.4f}", f"{lon:.4f}", src])
    with open(Path(__file__).with_name("cities.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "region", "country", "lat", "lon", "source"])
        w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
