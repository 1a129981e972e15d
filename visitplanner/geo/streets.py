"""Street-level geocoding offline, for the cities whose own open data allows it.

Cambridge MA (City of Cambridge GIS, public domain) and Québec City (Ville de Québec, CC BY 4.0);
the data is resources/streets/streets.json.gz, rebuilt by resources/streets/make_streets.py.
:func:`locate` answers, in this order:

1. Cambridge: the parcel of the address in the city's 2021 address table, at its centroid
   (precision address, kind "address");
2. house-number interpolation along the street's segments: the side from the number's parity,
   the position from the segment's range, ``SIDE_OFFSET_M`` off the centre line to that side
   (address);
3. two streets that meet ("Main St & Ames St", "corner of…", "coin … et …"): their
   intersection (address, kind "intersection");
4. a street that exists, named without a number or with a number outside its ranges: a point
   on it (precision street, kind "street": approximate).

A query is only answered when it names the city (or one of Québec City's boroughs), or gives
one of its postal codes; "Cambridge St, Boston" and "rue Saint-Jean, Montréal" are left to the
postal and city steps of the chain. Loaded once, on first use; a lookup takes well under 5 ms.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from visitplanner.geo import postal, streetnames, text
from visitplanner.model import Precision
from visitplanner.names import strip_accents
from visitplanner.resources import resource_path

if TYPE_CHECKING:
    from visitplanner.geo.geocoder import GeoResult

SIDE_OFFSET_M = 15.0  # from the centre line to the building's side of the street
# A number up to this far outside a segment's range still counts as on it (the ranges of
# consecutive segments leave gaps: 781-789, then 801-811).
NUMBER_SLACK = 20
# A parcel wider than this (a campus) says little about where its building is: interpolation
# along the street is used instead, when the street's ranges hold the number.
LARGE_PARCEL_M = 150
MAX_QUERY = 300  # characters; the longest address is far shorter
_M_PER_DEG = 111_195.0
_E6 = 1e-6

CAMBRIDGE_ZIPS = frozenset({"02138", "02139", "02140", "02141", "02142", "02238", "02239"})
_QUEBEC_FSA = re.compile(r"^(G1[A-Z]|G2[A-Z]|G3[EGJK])$")
_QUEBEC_NAMES = frozenset(
    {
        "quebec",
        "quebec city",
        "ville de quebec",
        "city of quebec",
        "vieux quebec",
        "old quebec",
        "sainte foy",
        "ste foy",
        "sillery",
        "cap rouge",
        "charlesbourg",
        "beauport",
        "limoilou",
        "vanier",
        "duberger",
        "les saules",
        "neufchatel",
        "lebourgneuf",
        "loretteville",
        "val belair",
        "lac saint charles",
        "saint emile",
        "saint sauveur",
        "saint roch",
        "saint jean baptiste",
        "montcalm",
        "sainte foy sillery cap rouge",
        "la cite limoilou",
        "la haute saint charles",
        "les rivieres",
    }
)
_REGION_WORDS = frozenset(
    {"ma", "mass", "massachusetts", "qc", "que", "pq", "canada", "usa", "us", "united states"}
)
_CA_POSTAL = re.compile(r"\b([A-Z]\d[A-Z])[ -]?(\d[A-Z]\d)\b", re.I)
_ZIP = re.compile(r"(?<![\d-])(\d{5})(?:-\d{4})?\s*$")
_NUMBER = re.compile(r"^(\d{1,6})(?:-?([a-z]))?\b(?:\s*[-–]\s*\d+[a-z]?)?[\s,]+(.+)$")
_UNIT = re.compile(
    r"[\s,]+(?:suite|ste|unit|apt|app|appartement|bureau|local|floor|fl|etage|room|#)"
    r"\s*\.?\s*#?[\w-]+$"
)
_CORNER = re.compile(
    r"^(?:at\s+)?(?:the\s+)?(?:corner\s+of|coin\s+(?:de\s+|des\s+|du\s+)?|"
    r"(?:a\s+)?l\s*'?\s*angle\s+(?:de\s+|des\s+|du\s+)?|intersection\s+(?:of\s+|de\s+)?)",
)
_CROSS = re.compile(r"\s*(?:&|@|/|\+)\s*|\s+(?:and|et|at|x)\s+")


@dataclass(frozen=True)
class Query:
    city: str  # "cambridge" or "quebec"
    number: int | None
    suffix: str
    street: str  # the street as typed, the number and unit removed
    cross: tuple[str, str] | None  # two streets meeting
    postal_code: str  # as typed, normalised ("02139", "G1R 4S9"), or ""


def parse(query: str) -> Query | None:
    """The parts of an address typed in Cambridge or Québec City; None for another place."""
    if len(query) > MAX_QUERY:
        return None  # not an address: a pasted paragraph
    cleaned = strip_accents(query).lower().replace("(", ",").replace(")", ",")
    cleaned = cleaned.replace("’", "'").replace(";", ",")
    code = ""
    city_from_code = ""
    canadian = _CA_POSTAL.search(cleaned)
    if canadian:
        fsa, ldu = canadian.group(1).upper(), canadian.group(2).upper()
        code = f"{fsa} {ldu}"
        city_from_code = "quebec" if _QUEBEC_FSA.match(fsa) else "other"
        cleaned = cleaned[: canadian.start()] + cleaned[canadian.end() :]
    parts = [p.strip() for p in cleaned.split(",")]
    for i, part in enumerate(parts):
        zip_code = _ZIP.search(part)
        if zip_code and (i > 0 or zip_code.start() > 0):
            code = zip_code.group(1)
            city_from_code = "cambridge" if code in CAMBRIDGE_ZIPS else "other"
            parts[i] = part[: zip_code.start()].strip()
    parts = _merge_numbers([p for p in parts if p])
    if not parts:
        return None
    # The city is the last part left once the province, the country and the code are set
    # aside; the address is the part before it that looks like one ("Acme Bio, 300 Main St,
    # Suite 2, Cambridge, MA": the venue's name and the suite are not the address).
    localities = [_locality(p) for p in parts]
    last = max(i for i, p in enumerate(localities) if p) if any(localities) else 0
    if last == 0:
        address, city = _city_at_end(parts[0])
    else:
        if localities[last] == "quebec" and not _looks_like_address(parts[last - 1]):
            last -= 1  # "Montréal (Québec)": the province after the city
        city = _city_of(localities[last])
        if not city or last == 0:
            return None  # another city: Boston, Montréal…
        before = parts[:last]
        address = next((p for p in reversed(before) if _looks_like_address(p)), before[-1])
    if city_from_code:
        if city and city != city_from_code:
            return None
        city = city_from_code if city_from_code != "other" else ""
    if not city:
        return None
    address = _UNIT.sub("", address).strip(" ,.")
    number, suffix, street = _split_number(address)
    cross = None
    if number is None:
        cross = _crossing(street)
    if not street:
        return None
    return Query(city, number, suffix, street, cross, code)


def _merge_numbers(parts: list[str]) -> list[str]:
    """ "2, rue des Jardins": a number alone belongs to the next part."""
    merged: list[str] = []
    for part in parts:
        if merged and merged[-1].isdigit():
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _looks_like_address(part: str) -> bool:
    if _NUMBER.match(part) or _CROSS.search(part) or _CORNER.match(part):
        return True
    return any(w in streetnames.STREET_TYPES for w in text.normalize(part).split())


def _locality(part: str) -> str:
    words = [w for w in text.normalize(part).split() if w]
    while words and (words[-1] in _REGION_WORDS or (len(words) > 1 and words[-1] == "quebec")):
        if words[-1] == "quebec" and words[:-1] != ["quebec"] and _city_of(" ".join(words)):
            break
        words.pop()
    return " ".join(words)


def _city_of(locality: str) -> str:
    if locality in ("cambridge", "cambridge ma", "city of cambridge"):
        return "cambridge"
    if locality in _QUEBEC_NAMES or locality.removesuffix(" city") in _QUEBEC_NAMES:
        return "quebec"
    return ""


def _city_at_end(address: str) -> tuple[str, str]:
    """ "795 mass ave cambridge ma" -> ("795 mass ave", "cambridge"), without commas."""
    words = address.split()
    while words and text.normalize(words[-1]) in _REGION_WORDS:
        words.pop()
    for size in (4, 3, 2, 1):
        if len(words) > size:
            tail = text.normalize(" ".join(words[-size:]))
            city = _city_of(tail)
            if city:
                return " ".join(words[:-size]), city
    return address, ""


def _split_number(address: str) -> tuple[int | None, str, str]:
    match = _NUMBER.match(address)
    if not match:
        return None, "", address.strip()
    return int(match.group(1)), match.group(2) or "", match.group(3).strip(" ,")


def _crossing(street: str) -> tuple[str, str] | None:
    corner = _CORNER.match(street)
    rest = street[corner.end() :] if corner else street
    pieces = [p.strip(" ,.") for p in _CROSS.split(rest, maxsplit=1)]
    if len(pieces) == 2 and all(pieces):
        return pieces[0], pieces[1]
    return None


# -- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    left: tuple[int, int]  # house numbers (from, to) on the left of the line; -1 when none
    right: tuple[int, int]
    zips: tuple[str, str]
    line: tuple[tuple[float, float], ...]  # (lon, lat) from start to end


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per street
class Street:
    index: int
    name: str
    middle: tuple[float, float]  # (lat, lon) on the street
    raw_segments: list[Any]  # as stored; see segments()
    words: tuple[str, ...]

    def segments(self) -> tuple[Segment, ...]:
        return _segments(self)


class CityStreets:
    """One city's streets, addresses and intersections, with their name indexes."""

    def __init__(self, code: str, data: dict[str, Any]) -> None:
        self.code = code
        self.city = str(data["city"])
        self.region = str(data["region"])
        self.country = str(data["country"])
        self.streets: list[Street] = []
        self._by: list[dict[str, list[int]]] = [{}, {}, {}]
        self._words: dict[str, set[int]] = {}
        for i, (name, words, lat, lon, segments) in enumerate(data["streets"]):
            street = Street(i, name, (lat * _E6, lon * _E6), segments, tuple(words.split()))
            self.streets.append(street)
            for index, key in zip(self._by, streetnames.keys(list(street.words)), strict=True):
                index.setdefault(key, []).append(i)
            for word in street.words:
                self._words.setdefault(word, set()).add(i)
        self.addresses: dict[tuple[int, str], tuple[float, float, int]] = {
            (s, house): (lat * _E6, lon * _E6, radius)
            for s, house, lat, lon, radius in data["addresses"]
        }
        self.crossings: dict[tuple[int, int], tuple[float, float]] = {}
        for a, b, lat, lon in data["intersections"]:
            self.crossings.setdefault((a, b), (lat * _E6, lon * _E6))

    def find(self, name: str, exact: bool = False) -> list[Street]:
        """The streets a typed name means, best first: the exact name, then without the type
        ("Massachusetts"), then without the direction ("René-Lévesque"), then small typos.
        ``exact``: the exact name only."""
        wanted = streetnames.words(name)
        for index, key in zip(self._by, streetnames.keys(wanted), strict=True):
            if key and key in index:
                return [self.streets[i] for i in index[key]]
            if exact:
                return []
        found: set[int] = set()
        for word in wanted:
            if word in _TYPES_AND_DIRECTIONS or len(word) < 4:
                continue
            if word in self._words:
                found |= self._words[word]
            elif len(word) >= 5:  # a typo: the same first letter, a near length
                for other, ids in self._words.items():
                    near = other[0] == word[0] and abs(len(other) - len(word)) <= 2
                    if near and text.word_similarity(word, other) > 0:
                        found |= ids
        scored = [(text.similarity(wanted, list(self.streets[i].words)), i) for i in found]
        best = max((s for s, _ in scored), default=0.0)
        if best < 0.8:
            return []
        return [self.streets[i] for s, i in sorted(scored, key=lambda p: -p[0]) if s == best]


_TYPES = frozenset(streetnames.STREET_TYPES.values())
_TYPES_AND_DIRECTIONS = _TYPES | frozenset(streetnames.DIRECTIONS.values())


@cache
def _segments(street: Street) -> tuple[Segment, ...]:
    """A street's segments, decoded on first use (most streets are never asked for)."""
    return tuple(_segment(raw) for raw in street.raw_segments)


def _segment(raw: list[Any]) -> Segment:
    lf, lt, rf, rt, zl, zr, coords = raw
    line = tuple((coords[i] * _E6, coords[i + 1] * _E6) for i in range(0, len(coords), 2))
    return Segment((int(lf), int(lt)), (int(rf), int(rt)), (str(zl), str(zr)), line)


@cache
def _load() -> dict[str, CityStreets]:
    with gzip.open(resource_path("streets", "streets.json.gz"), "rt", encoding="utf-8") as f:
        data = json.load(f)
    return {code: CityStreets(code, city) for code, city in data["cities"].items()}


def city_streets(code: str) -> CityStreets:
    """The loaded data of "cambridge" or "quebec" (loaded once)."""
    return _load()[code]


# -- locating ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    lat: float
    lon: float
    precision: Precision
    kind: str  # "address", "street", "intersection"
    street: str  # the address to show: "795 Massachusetts Avenue", "2, rue des Jardins"
    zip_code: str = ""
    method: str = ""  # "parcel", "interpolation", "intersection", "street"


def locate(query: str) -> GeoResult | None:
    """The point of a Cambridge or Québec City address, intersection or street, or None."""
    parsed = parse(query)
    if parsed is None:
        return None
    data = city_streets(parsed.city)
    hit = find(data, parsed)
    if hit is None:
        return None
    from visitplanner.geo.geocoder import GeoResult

    code = hit.zip_code or parsed.postal_code
    region_code = " ".join(p for p in (data.region, code) if p)
    return GeoResult(
        query,
        round(hit.lat, 6),
        round(hit.lon, 6),
        hit.precision,
        f"streets:{data.code}",
        ", ".join((hit.street, data.city, region_code)),
        street=hit.street,
        city=data.city,
        region=data.region,
        postal_code=code,
        country=data.country,
        kind=hit.kind,
    )


def find(data: CityStreets, query: Query) -> Hit | None:
    if query.cross is not None:
        crossing = _intersection(data, *query.cross)
        if crossing is not None:
            return crossing
    # Without a number nor a street type, only a street's whole name ("Broadway") is a street:
    # "Montréal, Québec" is the city, not the rue de Montréal; "Harvard, Cambridge" no street.
    named_only = query.number is None and not set(streetnames.words(query.street)) & _TYPES
    streets = data.find(query.street, exact=named_only)
    letter = re.match(r"([a-z])\s+(\S.*)$", query.street)
    if not streets and letter and query.number is not None and not query.suffix:
        # "450 R Concord Ave": a letter after the number, written apart
        query = replace(query, suffix=letter.group(1), street=letter.group(2))
        streets = data.find(query.street)
    if not streets:
        return None
    if query.number is None:
        hits = [_street_hit(s) for s in streets]
    else:
        hits = [_address(data, s, query.number, query.suffix) for s in streets]
    near = postal.lookup(query.postal_code) if query.postal_code else None
    rank = {Precision.ADDRESS: 0, Precision.STREET: 1}

    def order(hit: Hit) -> tuple[int, float]:
        far = _metres((hit.lat, hit.lon), (near.lat, near.lon)) if near is not None else 0.0
        return rank[hit.precision], far

    return min(hits, key=order)


def _street_hit(street: Street) -> Hit:
    return Hit(*street.middle, Precision.STREET, "street", street.name, method="street")


def _address(data: CityStreets, street: Street, number: int, suffix: str) -> Hit:
    shown = (
        f"{number}{suffix.upper()} {street.name}"
        if data.country == "US"
        else f"{number}{suffix.upper()}, {street.name}"
    )
    parcel = data.addresses.get((street.index, f"{number}{suffix}")) or data.addresses.get(
        (street.index, str(number))
    )
    along = _interpolate(street, number)
    if parcel is not None and (parcel[2] <= LARGE_PARCEL_M or along is None or along[3] > 0):
        zip_code = along[2] if along is not None else ""
        return Hit(parcel[0], parcel[1], Precision.ADDRESS, "address", shown, zip_code, "parcel")
    if along is None:
        return _street_hit(street)
    lat, lon, zip_code, gap = along
    if gap <= NUMBER_SLACK:
        return Hit(lat, lon, Precision.ADDRESS, "address", shown, zip_code, "interpolation")
    return Hit(lat, lon, Precision.STREET, "street", street.name, zip_code, "street")


def _interpolate(street: Street, number: int) -> tuple[float, float, str, int] | None:
    """(lat, lon, ZIP, how far the number is outside the range) on the best segment's side."""
    best: tuple[int, int, Segment, int, int, int] | None = None  # gap, parity miss, seg, side…
    for segment in street.segments():
        for side, (start, end) in ((1, segment.left), (-1, segment.right)):
            if start < 0 or end < 0:
                continue
            parity_miss = int(start % 2 != number % 2 and end % 2 != number % 2)
            low, high = min(start, end), max(start, end)
            gap = 0 if low <= number <= high else min(abs(number - low), abs(number - high))
            if best is None or (parity_miss, gap) < (best[1], best[0]):
                best = (gap, parity_miss, segment, side, start, end)
    if best is None:
        return None
    gap, _, segment, side, start, end = best
    t = 0.5 if end == start else min(1.0, max(0.0, (number - start) / (end - start)))
    lat, lon = _along(segment.line, t, side * SIDE_OFFSET_M)
    return lat, lon, segment.zips[0 if side == 1 else 1], gap


def _along(line: tuple[tuple[float, float], ...], t: float, offset: float) -> tuple[float, float]:
    """The point at fraction t of the line's length, ``offset`` metres to its left (negative:
    right), as (lat, lon)."""
    k = math.cos(math.radians(line[0][1]))
    xy = [(lon * k * _M_PER_DEG, lat * _M_PER_DEG) for lon, lat in line]
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(xy)]
    goal = t * sum(lengths)
    for i, length in enumerate(lengths):
        if goal > length and i < len(lengths) - 1:
            goal -= length
            continue
        (ax, ay), (bx, by) = xy[i], xy[i + 1]
        f = min(1.0, goal / length) if length else 0.0
        x, y = ax + (bx - ax) * f, ay + (by - ay) * f
        if length:
            x -= (by - ay) / length * offset
            y += (bx - ax) / length * offset
        return y / _M_PER_DEG, x / (k * _M_PER_DEG)
    return line[-1][1], line[-1][0]


def _intersection(data: CityStreets, first: str, second: str) -> Hit | None:
    for a in data.find(first):
        for b in data.find(second):
            point = data.crossings.get((min(a.index, b.index), max(a.index, b.index)))
            if point is not None:
                shown = f"{a.name} & {b.name}"
                return Hit(*point, Precision.ADDRESS, "intersection", shown, method="intersection")
    return None


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lat, lon) points in metres (equirectangular, city scale)."""
    k = math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot((a[1] - b[1]) * k, a[0] - b[0]) * _M_PER_DEG
