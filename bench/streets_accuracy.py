"""Median error of offline street geocoding on public buildings the cities publish.

Usage: python -m bench.streets_accuracy [--chain | --before] [--worst N]

Reads bench/data/buildings_cambridge.csv and bench/data/buildings_quebec.csv (addresses and
the cities' own coordinates, see bench/data/README.md), geocodes each address offline with
:func:`visitplanner.geo.streets.locate` (``--chain``: the whole offline chain,
:func:`visitplanner.geo.geocoder.offline`, without a library; ``--before``: that chain without
the street step, as it was before), and prints per city how many
were answered, at which precision, and the median / 80th percentile / max error in metres.
An address not answered counts at the error of the city's centre (what the chain falls to).
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FILES = {"cambridge": "buildings_cambridge.csv", "quebec": "buildings_quebec.csv"}


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    k = math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot((a[1] - b[1]) * k, a[0] - b[0]) * 111_195.0


def sample(city: str) -> list[dict[str, str]]:
    with open(DATA / FILES[city], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def measure(city: str, chain: bool = False, before: bool = False) -> dict[str, object]:
    from visitplanner.geo import cities, geocoder, streets

    locate = streets.locate
    if before:
        chain = True
        streets.locate = lambda query: None  # type: ignore[assignment]

    rows = sample(city)
    errors, precisions, slowest, worst = [], {}, 0.0, []
    centre = cities.find_in("Cambridge, MA" if city == "cambridge" else "Québec, QC")
    streets.city_streets(city)  # loading is not part of a lookup's time
    locate("1 Main St, Cambridge, MA")  # nor the first call's compiling of patterns
    total = 0.0
    for row in rows:
        truth = (float(row["lat"]), float(row["lon"]))
        started = time.perf_counter()
        found = geocoder.offline(row["address"]) if chain else locate(row["address"])
        took = time.perf_counter() - started
        slowest, total = max(slowest, took), total + took
        if found is None:
            assert centre is not None
            point, precision = (centre.lat, centre.lon), "none"
        else:
            point, precision = (found.lat, found.lon), found.precision.value
        error = metres(truth, point)
        errors.append(error)
        precisions[precision] = precisions.get(precision, 0) + 1
        worst.append((error, row["address"], precision))
    streets.locate = locate  # type: ignore[assignment]
    errors.sort()
    return {
        "city": city,
        "buildings": len(rows),
        "precisions": precisions,
        "median_m": statistics.median(errors),
        "p80_m": errors[int(0.8 * (len(errors) - 1))],
        "max_m": errors[-1],
        "slowest_ms": slowest * 1000,
        "mean_ms": total * 1000 / len(rows),
        "worst": sorted(worst, reverse=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chain", action="store_true")
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--worst", type=int, default=0)
    args = parser.parse_args()
    for city in FILES:
        r = measure(city, args.chain, args.before)
        print(
            f"{city}: {r['buildings']} buildings, {r['precisions']}, median {r['median_m']:.0f} m,"
            f" 80% {r['p80_m']:.0f} m, max {r['max_m']:.0f} m,"
            f" lookup mean {r['mean_ms']:.2f} ms, slowest {r['slowest_ms']:.1f} ms"
        )
        for error, address, precision in r["worst"][: args.worst]:  # type: ignore[index]
            print(f"   {error:7.0f} m  {precision:8} {address}")


if __name__ == "__main__":
    main()
