"""The geocoding chain: a query (venue, address, postal code, city, "lat,lon") to a point.

Offline first, in this order; every answer says its precision and its source:
1. "lat,lon" typed by hand (manual); the library's own places and its geocoding cache;
2. the shipped gazetteer (venue);
2b. Cambridge and Québec City streets (address, intersection or street; see streets.py);
3. a postal code found in the query (postal): US ZIP codes, Canadian FSAs;
4. a city named in the query (city);
5. online, only when asked: a Nominatim server through geopy (see online.py), cached in the
   library.
An address with a postal code never comes back worse than its postal centroid: any answer more
than POSTAL_TOLERANCE_KM from the centroid of the code written in the query is set aside for it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.geo import cities, postal, streets, text
from visitplanner.geo.gazetteer import Gazetteer, default_gazetteer
from visitplanner.i18n import _
from visitplanner.model import Place, Precision

if TYPE_CHECKING:
    from visitplanner.geo.online import OnlineSettings
    from visitplanner.library import Library

# Postal areas are up to several km across (an airport's ZIP): farther than this from the
# centroid of the code in the query, an answer contradicts the address.
POSTAL_TOLERANCE_KM = 8.0
_LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_RANK = {
    Precision.VENUE: 0,
    Precision.MANUAL: 0,
    Precision.ADDRESS: 1,
    Precision.STREET: 2,
    Precision.POSTAL: 3,
    Precision.CITY: 4,
}


class GeocodingError(VisitPlannerError):
    """Nothing found, or the online service failed; the message says which."""


@dataclass(frozen=True)
class GeoResult:
    query: str
    lat: float
    lon: float
    precision: Precision
    source: str  # "manual", "library", "cache", "gazetteer", "postal", "city", "nominatim"
    label: str
    note: str = ""  # e.g. why an online answer was not used
    # The resolved address, as far as the source knows it (a new place stores these, not the
    # typed query); `name` is the venue's name, empty for an address, a postal code or a city.
    name: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    kind: str = ""  # the gazetteer's kind ("university", "hotel"…), "city", "postal", "street"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["precision"] = self.precision.value
        data.pop("note")
        return data

    def to_place(self, name: str = "") -> Place:
        """A new place for this answer: named by ``name``, else the venue, else the street
        address, else the label; with the resolved address, never the typed query."""
        return Place(
            name=name or self.name or self.street or self.label,
            street=self.street,
            city=self.city,
            region=self.region,
            postal_code=self.postal_code,
            country=self.country,
            lat=self.lat,
            lon=self.lon,
            precision=self.precision,
            source=self.source,
        )


def parse_latlon(query: str) -> tuple[float, float] | None:
    """ "45.50, -73.57" to a point, or None when the query is not a pair of coordinates."""
    match = _LATLON.match(query)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(_("“{query}” is not a valid latitude and longitude.").format(query=query))
    return lat, lon


def cache_key(query: str) -> str:
    return text.key(query)


def geocode(
    query: str,
    lib: Library | None = None,
    online: OnlineSettings | None = None,
    gazetteer: Gazetteer | None = None,
) -> GeoResult:
    """Resolve `query`; online only when `online` is given and enabled. Raises GeocodingError."""
    query = query.strip()
    if not query:
        raise InputError(_("Type a place, an address, a postal code or a city."))
    point = parse_latlon(query)
    if point is not None:
        return GeoResult(query, *point, Precision.MANUAL, "manual", query)
    found = offline(query, lib, gazetteer)
    if found is not None and is_precise(found):
        return found
    if online is not None and online.enabled:
        try:
            answer = _online(query, online)
        except GeocodingError as error:
            if found is None:
                raise
            return GeoResult(**{**asdict(found), "note": str(error)})
        if answer is not None:
            answer = _not_worse_than_postal(query, answer)
            if lib is not None and answer.source == "nominatim":
                store_in_cache(lib, answer)
            if found is None or _RANK[answer.precision] <= _RANK[found.precision]:
                return answer
    if found is None:
        raise GeocodingError(_("No place matches “{query}”.").format(query=query))
    return found


def is_precise(result: GeoResult) -> bool:
    """Good enough not to ask an online service: a venue, an address or a hand-set point."""
    return _RANK[result.precision] <= _RANK[Precision.ADDRESS]


def offline(
    query: str, lib: Library | None = None, gazetteer: Gazetteer | None = None
) -> GeoResult | None:
    """Steps 1 to 4 of the chain: the best answer without the network, or None."""
    candidates: list[GeoResult] = []
    if lib is not None:
        cached = from_library(lib, query)
        if cached is not None:
            candidates.append(cached)
    match = (gazetteer or default_gazetteer()).match(query)
    if match is not None:
        e = match.entry
        venue = GeoResult(
            query,
            e.lat,
            e.lon,
            Precision.VENUE,
            "gazetteer",
            e.label(),
            name=e.name,
            street=e.street,
            city=e.city,
            region=e.region,
            postal_code=e.postal_code,
            country=e.country,
            kind=e.kind,
        )
        code = postal.find_in(query)
        if match.by_address or (code is not None and code == postal.lookup(e.postal_code)):
            return venue  # the address itself says so, whatever the centroid
        candidates.append(venue)
    on_street = streets.locate(query)  # Cambridge and Québec City: address, corner, street
    if on_street is not None:
        candidates.append(on_street)
    code = postal.find_in(query)
    if code is not None:
        candidates.append(_postal_result(query, code))
    city = cities.find_in(query)
    if city is not None:
        candidates.append(_city_result(query, city))
    if not candidates:
        return None
    return _not_worse_than_postal(query, candidates[0])  # the first in the chain's order


def _not_worse_than_postal(query: str, result: GeoResult) -> GeoResult:
    """The query's postal centroid instead of a coarser result or one far outside it."""
    if result.precision == Precision.POSTAL:
        return result
    code = postal.find_in(query)
    if code is None:
        return result
    if result.precision != Precision.CITY:
        from visitplanner.geo.travel import distance_km

        if distance_km((result.lat, result.lon), (code.lat, code.lon)) <= POSTAL_TOLERANCE_KM:
            return result
    return _postal_result(query, code)


def _postal_result(query: str, code: postal.PostalCentroid) -> GeoResult:
    label = _("Postal code {code}").format(code=code.code)
    return GeoResult(
        query,
        code.lat,
        code.lon,
        Precision.POSTAL,
        "postal",
        label,
        postal_code=code.code,
        country=code.country,
        kind="postal",
    )


def _city_result(query: str, city: cities.City) -> GeoResult:
    return GeoResult(
        query,
        city.lat,
        city.lon,
        Precision.CITY,
        "city",
        f"{city.name}, {city.region}",
        city=city.name,
        region=city.region,
        country=city.country,
        kind="city",
    )


def candidates(
    query: str,
    lib: Library | None = None,
    online: OnlineSettings | None = None,
    gazetteer: Gazetteer | None = None,
    region: str | None = None,
) -> list[GeoResult]:
    """The answers worth showing a person who must choose, best first: one when the query is
    clear, several when it is ambiguous. ``region`` ("boston", "quebec") is the trip's.
    Raises GeocodingError when nothing matches."""
    del region  # settles ambiguity once the chain ranks candidates (issue 13)
    return [geocode(query, lib, online, gazetteer)]


# -- the library: its places and the cache ---------------------------------------------------


def from_library(lib: Library, query: str) -> GeoResult | None:
    key = cache_key(query)
    row = lib.query_one(
        "SELECT lat, lon, precision, label FROM geocode_cache WHERE query_key = ?", (key,)
    )
    if row is not None:
        return GeoResult(
            query, row["lat"], row["lon"], Precision(row["precision"]), "cache", row["label"]
        )
    wanted = text.tokens(query)
    for place_row in lib.query(
        "SELECT name, street, city, lat, lon, precision FROM place "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL AND precision IS NOT NULL "
        "AND precision != 'city' AND name != ''"
    ):
        if text.similarity(wanted, text.tokens(place_row["name"])) >= 0.95:
            label = ", ".join(
                p for p in (place_row["name"], place_row["street"], place_row["city"]) if p
            )
            return GeoResult(
                query,
                place_row["lat"],
                place_row["lon"],
                Precision(place_row["precision"]),
                "library",
                label,
            )
    return None


def store_in_cache(lib: Library, result: GeoResult) -> None:
    with lib.write():
        lib.db.execute(
            "INSERT OR REPLACE INTO geocode_cache (query_key, query, lat, lon, precision, source,"
            " label) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                cache_key(result.query),
                result.query,
                result.lat,
                result.lon,
                result.precision.value,
                result.source,
                result.label,
            ),
        )


def _online(query: str, settings: OnlineSettings) -> GeoResult | None:
    from visitplanner.geo.online import search

    return search(query, settings)
