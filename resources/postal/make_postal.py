"""Rebuild postal.csv (US ZIP codes and Canadian FSAs) from countrystatecity-postal-codes.

Usage: python make_postal.py PATH/TO/countrystatecity_postal_codes/data/by-country
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def main(root: str) -> None:
    rows = []
    for country in ("US", "CA"):
        data = json.loads(Path(root, country, "postcodes.json").read_text())
        for p in data:
            if p.get("latitude") is None or p.get("longitude") is None:
                continue
            code = p["code"].replace(" ", "").upper()
            rows.append(
                [
                    code,
                    country,
                    p.get("stateCode") or "",
                    f"{p['latitude']:.4f}",
                    f"{p['longitude']:.4f}",
                ]
            )
    rows.sort()
    with open(Path(__file__).with_name("postal.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "country", "region", "lat", "lon"])
        w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
