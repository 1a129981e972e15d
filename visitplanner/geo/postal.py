"""Postal codes to their centroid: US ZIP codes and Canadian forward sortation areas.

Data: resources/postal/postal.csv, extracted from countrystatecity-postal-codes (ODbL).
A Canadian code is looked up by its first three characters (the FSA, e.g. "H3A" of "H3A 0G4").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from visitplanner.resources import resource_path

# A full Canadian postal code ("H3A 0G4", "h3a0g4") anywhere, or an FSA standing alone.
_CA_FULL = re.compile(
    r"\b([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])[ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.I
)
_CA_FSA = re.compile(r"^\s*([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s*$", re.I)
# A ZIP code: five digits (optionally +4) not at the start of a street address.
_ZIP = re.compile(r"(?<![\d-])(\d{5})(?:-\d{4})?(?!\d)")


@dataclass(frozen=True)
class PostalCentroid:
    code: str  # "02142" or "H3A"
    country: str  # "US" or "CA"
    region: str
    lat: float
    lon: float


@cache
def _table() -> dict[str, PostalCentroid]:
    table = {}
    with open(resource_path("postal", "postal.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["code"]] = PostalCentroid(
                row["code"], row["country"], row["region"], float(row["lat"]), float(row["lon"])
            )
    return table


def lookup(code: str) -> PostalCentroid | None:
    """The centroid of a ZIP code or of a Canadian postal code's FSA."""
    code = code.replace(" ", "").replace("-", "").upper()
    if len(code) == 6 and not code.isdigit():
        code = code[:3]
    elif len(code) == 9 and code.isdigit():
        code = code[:5]
    return _table().get(code)


def find_in(text: str) -> PostalCentroid | None:
    """The postal code written in a query or a full address, if any (the last one wins)."""
    canadian = list(_CA_FULL.finditer(text))
    if canadian:
        return lookup(canadian[-1].group(1))
    alone = _CA_FSA.match(text)
    if alone:
        return lookup(alone.group(1))
    zips = [m for m in _ZIP.finditer(text) if not _is_street_number(text, m.start())]
    for match in reversed(zips):
        found = lookup(match.group(1))
        if found is not None and found.country == "US":
            return found
    return None


def _is_street_number(text: str, start: int) -> bool:
    """A five-digit number leading an address ("10000 Main St") is a street number."""
    before = text[:start].strip()
    after = text[start + 5 :].strip()
    return before == "" and bool(after) and after[0].isalpha()
