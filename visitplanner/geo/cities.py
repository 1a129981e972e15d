"""City names to a point at their centre (resources/cities/cities.csv, ODbL; see its README)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from visitplanner.geo import text
from visitplanner.resources import resource_path

# The regions a mission works in come first when a name exists in several places.
PREFERRED_REGIONS = ("MA", "QC")
# Other names people use for a city.
ALIASES = {
    "quebec city": "quebec",
    "ville de quebec": "quebec",
    "city of quebec": "quebec",
    "mtl": "montreal",
}
REGION_NAMES = {
    "ma": "MA",
    "mass": "MA",
    "massachusetts": "MA",
    "qc": "QC",
    "que": "QC",
    "quebec": "QC",
    "nh": "NH",
    "vt": "VT",
    "me": "ME",
    "ri": "RI",
    "ct": "CT",
    "ny": "NY",
    "on": "ON",
    "ontario": "ON",
}


# Words that name a country after a city ("Boston, MA, USA", "Montréal, Canada").
COUNTRY_NAMES = frozenset(
    ["usa", "us", "u s a", "united states", "etats unis", "canada", "ca", "can"]
)


@dataclass(frozen=True)
class City:
    name: str
    region: str
    country: str
    lat: float
    lon: float
    source: str


@dataclass(frozen=True)
class CityQuery:
    """A query that is a city's name and nothing else: "Laval, QC", "Quebec City"."""

    name: str  # the words naming the city, normalised ("laval", "quebec city")
    region: str  # the region written in the query ("QC"), else ""
    cities: tuple[City, ...]  # every city of that name: the query's region first, then MA, QC


@cache
def _by_name() -> dict[str, list[City]]:
    table: dict[str, list[City]] = {}
    with open(resource_path("cities", "cities.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            city = City(
                row["name"],
                row["region"],
                row["country"],
                float(row["lat"]),
                float(row["lon"]),
                row["source"],
            )
            table.setdefault(text.normalize(city.name), []).append(city)
    for cities in table.values():
        cities.sort(
            key=lambda c: (
                c.region not in PREFERRED_REGIONS,
                PREFERRED_REGIONS.index(c.region) if c.region in PREFERRED_REGIONS else 0,
            )
        )
    return table


@cache
def _longest_name() -> int:
    """How many words the longest city name (or other name of a city) has."""
    return max(len(name.split()) for name in [*_by_name(), *ALIASES])


def lookup(name: str, region: str = "") -> City | None:
    norm = text.normalize(name)
    norm = ALIASES.get(norm, norm)
    candidates = _by_name().get(norm, [])
    if region:
        in_region = [c for c in candidates if c.region == region.upper()]
        candidates = in_region or candidates
    return candidates[0] if candidates else None


def find_in(query: str) -> City | None:
    """The city named in a query: "Montréal", "Cambridge, MA", "900 Boylston St, Boston"."""
    query = re.sub(r"\([^)]*\)?", " ", query)  # "Laval (address to be confirmed)"
    parts = [p.strip() for p in query.split(",") if p.strip()]
    region = ""
    for part in parts:
        words = text.normalize(part).split()
        if words and words[0] in REGION_NAMES and len(words) <= 3:
            region = REGION_NAMES[words[0]]
    # Try the parts from the end (where the city is in an address), then the whole query.
    for part in [*reversed(parts), query]:
        words = text.normalize(part).split()
        # "Boston MA 02110", "Montréal (Québec)": drop trailing region and postal words.
        while len(words) > 1 and (
            words[-1] in REGION_NAMES or any(ch.isdigit() for ch in words[-1])
        ):
            if words[-1] in REGION_NAMES:
                region = region or REGION_NAMES[words[-1]]
            words = words[:-1]
        # Drop leading digits (street numbers) and try the longest tail of words first (no
        # longer than the longest name: a long text costs no more than a short one).
        for start in range(max(0, len(words) - _longest_name()), len(words)):
            candidate = " ".join(words[start:])
            if not candidate or candidate[0].isdigit():
                continue
            found = lookup(candidate, region)
            if found is not None:
                return found
    return None


def named_by(query: str) -> CityQuery | None:
    """The city the whole query names: "Laval", "Laval, QC", "Montréal (Québec)", "Quebec City",
    "Boston, MA, USA", "Laval (address to be confirmed)". None when the query says anything
    else (a street, a venue, a postal code): then a city found in it is only a fallback."""
    region = ""
    for inner in re.findall(r"\(([^)]*)\)?", query):
        said = text.normalize(inner)
        if said in REGION_NAMES:
            region = REGION_NAMES[said]
    parts = [text.normalize(p) for p in re.sub(r"\([^)]*\)?", " ", query).split(",")]
    parts = [p for p in parts if p]
    if not parts or any(ch.isdigit() for p in parts for ch in p):
        return None
    for extra in parts[1:]:
        if extra in REGION_NAMES:
            region = region or REGION_NAMES[extra]
        elif extra not in COUNTRY_NAMES:
            return None  # "Broad Institute, Cambridge": a place in a city, not the city
    words = parts[0].split()
    table = _by_name()
    name = " ".join(words)
    # "Montreal QC": a region (or country) written after the name without a comma.
    while ALIASES.get(name, name) not in table and len(words) > 1:
        if words[-1] not in REGION_NAMES and words[-1] not in COUNTRY_NAMES:
            return None
        region = region or REGION_NAMES.get(words.pop(), "")
        name = " ".join(words)
    found = table.get(ALIASES.get(name, name), [])
    if not found:
        return None
    if region:
        found = sorted(found, key=lambda c: c.region != region)
    return CityQuery(name, region, tuple(found))
