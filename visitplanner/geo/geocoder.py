"""The geocoding chain: a query (venue, address, postal code, city, "lat,lon") to a point.

Offline first, in this order; every answer says its precision, its source and why it was taken:
1. "lat,lon" typed by hand (manual); the library's geocoding cache and its own places;
2. the shipped gazetteer (venue);
2b. Cambridge and Québec City streets (address, intersection or street; see streets.py);
3. a postal code found in the query (postal): US ZIP codes, Canadian FSAs;
4. a city named in the query (city);
5. online, only when asked: a Nominatim server through geopy (see online.py), cached in the
   library.
An address with a postal code never comes back worse than its postal centroid: any answer more
than POSTAL_TOLERANCE_KM from the centroid of the code written in the query is set aside for it.

Honest resolution (issue 13):
- A query that is a city's name and nothing else ("Laval", "Laval, QC", "Quebec City") is that
  city, at city precision, without asking online: a venue is offered beside it only when its
  whole name or an alias is that name ("Dorval" is also Montréal-Trudeau airport).
- A venue or a library place matches on its whole name or an alias, never on one word or a
  prefix of it (gazetteer.py explains the scores); a library place at city precision is no
  venue for another query.
- When several answers match equally well, the trip's ``region`` settles it ("boston" keeps
  Massachusetts, "quebec" keeps Québec); what remains is returned best first, each with a
  short ``reason``, by :func:`candidates`, for the person (dialog) or the CLI to see.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.geo import cities, postal, streets, text
from visitplanner.geo.gazetteer import EXACT, Gazetteer, GazetteerEntry, default_gazetteer
from visitplanner.i18n import _
from visitplanner.model import Place, Precision

if TYPE_CHECKING:
    from visitplanner.geo.online import OnlineSettings
    from visitplanner.library import Library

# Postal areas are up to several km across (an airport's ZIP): farther than this from the
# centroid of the code in the query, an answer contradicts the address.
POSTAL_TOLERANCE_KM = 8.0
# Two answers of the same precision closer than this are one place (a library place and the
# gazetteer's row for it, Kendall Square and its station): only the better one is offered.
SAME_PLACE_KM = 0.2
MAX_CANDIDATES = 5
# A town this close to a place of the gazetteer is one the mission may mean ("Dorval"); a bare
# name of one farther away that is also a venue's alias ("Harvard") means the venue first.
MISSION_KM = 15.0
# The trip's region (model.Region values) to the region code of its places.
TRIP_REGIONS = {"boston": "MA", "quebec": "QC"}
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
    reason: str = ""  # why this answer (translated, short): "the query names this city"

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


def candidates(
    query: str,
    lib: Library | None = None,
    online: OnlineSettings | None = None,
    gazetteer: Gazetteer | None = None,
    region: str | None = None,
) -> list[GeoResult]:
    """The answers worth showing a person who must choose, best first, each with its
    ``reason``: one when the query is clear, several when it is ambiguous. ``region``
    ("boston", "quebec") is the trip's; online only when ``online`` is given and enabled.
    Raises GeocodingError when nothing matches."""
    query = query.strip()
    if not query:
        raise InputError(_("Type a place, an address, a postal code or a city."))
    point = parse_latlon(query)
    if point is not None:
        return [
            GeoResult(
                query,
                *point,
                Precision.MANUAL,
                "manual",
                query,
                reason=_("coordinates typed by hand"),
            )
        ]
    area = TRIP_REGIONS.get(region or "", "")
    found, settled = _offline(query, lib, gazetteer, area)
    if found and (settled or is_precise(found[0])):
        return found
    if online is not None and online.enabled:
        try:
            answer = _online(query, online, area)
        except GeocodingError as error:
            if not found:
                raise
            return [replace(found[0], note=str(error)), *found[1:]]
        if answer is not None:
            answer = _not_worse_than_postal(query, answer)
            if lib is not None and answer.source == "nominatim":
                store_in_cache(lib, answer)
            if not found or _RANK[answer.precision] <= _RANK[found[0].precision]:
                return [answer]
    if not found:
        raise GeocodingError(_("No place matches “{query}”.").format(query=query))
    return found


def geocode(
    query: str,
    lib: Library | None = None,
    online: OnlineSettings | None = None,
    gazetteer: Gazetteer | None = None,
    region: str | None = None,
) -> GeoResult:
    """The best answer for `query` (the first of :func:`candidates`). Raises GeocodingError."""
    return candidates(query, lib, online, gazetteer, region)[0]


def is_precise(result: GeoResult) -> bool:
    """Good enough not to ask an online service: a venue, an address or a hand-set point."""
    return _RANK[result.precision] <= _RANK[Precision.ADDRESS]


def offline(
    query: str,
    lib: Library | None = None,
    gazetteer: Gazetteer | None = None,
    region: str | None = None,
) -> GeoResult | None:
    """Steps 1 to 4 of the chain: the best answer without the network, or None."""
    found, _settled = _offline(query.strip(), lib, gazetteer, TRIP_REGIONS.get(region or "", ""))
    return found[0] if found else None


def _offline(
    query: str, lib: Library | None, gazetteer: Gazetteer | None, region: str
) -> tuple[list[GeoResult], bool]:
    """The offline answers worth offering, best first, and whether the query is settled (it
    names a city: the city is the answer, no online search can do better)."""
    gaz = gazetteer or default_gazetteer()
    if lib is not None:
        cached = _from_cache(lib, query)
        if cached is not None:
            return [cached], False
    by_address = gaz.match_address(query)
    if by_address is not None:  # the address itself says so, whatever the centroid
        return [_venue(query, by_address.entry, _("the venue at this address"))], False
    named_city = cities.named_by(query)
    if named_city is not None:
        return _city_answers(query, named_city, lib, gaz, region), True
    code = postal.find_in(query)
    named = _library_matches(lib, query) if lib is not None else []
    for match in gaz.matches(query):
        why = _("a venue known by this name") if match.exact else _("a venue with a close name")
        named.append((match.score, _venue(query, match.entry, why)))
    # Cambridge and Québec City addresses from the cities' own data: a numbered address or a
    # corner comes before a venue whose name is only close; a street without its number after.
    on_street = streets.locate(query)
    exact = any(score >= EXACT for score, _r in named)
    if on_street is not None and on_street.precision is Precision.ADDRESS and not exact:
        return [on_street], False
    found = _best_named(named, code, region)
    if found:
        return found, False
    if on_street is not None:
        return [on_street], False
    if code is not None:
        return [_postal_result(query, code)], False
    city = cities.find_in(query)
    if city is not None:
        why = _("the city in the query (nothing more precise was found)")
        return [_city_result(query, city, why)], False
    return [], False


def _best_named(
    named: list[tuple[float, GeoResult]], code: postal.PostalCentroid | None, region: str
) -> list[GeoResult]:
    """The places that match best (the same score), in the trip's region if any is, one per
    place; none that contradicts the postal code in the query."""
    named = [(score, r) for score, r in named if _fits_postal(r, code)]
    if not named:
        return []
    top = max(score for score, _r in named)
    tied = [r for score, r in named if score >= top - 0.001]
    return _distinct(_settle_by_region(tied, region))


def _city_answers(
    query: str,
    named: cities.CityQuery,
    lib: Library | None,
    gaz: Gazetteer,
    region: str,
) -> list[GeoResult]:
    """A query naming a city: the city, and venues whose whole name or alias is that name.

    The city comes first when the query says it is one ("Harvard, MA", "Quebec City") or the
    mission goes near it ("Dorval", beside its airport); a bare name of a town far from every
    venue that is also a venue's alias ("Harvard") is the venue first, the town after."""
    if named.region:
        wanted = [c for c in named.cities if c.region == named.region] or [named.cities[0]]
    else:
        wanted = [c for c in named.cities if c.region in cities.PREFERRED_REGIONS]
        wanted = wanted or [named.cities[0]]
    first = wanted[0]
    venues = [_venue(query, e, _("a venue known by this name")) for e in gaz.named(named.name)]
    if lib is not None:
        venues += [r for score, r in _library_matches(lib, named.name) if score >= EXACT]
    if named.region:
        venues = [v for v in venues if _region_of(v) == named.region]
    city_first = (
        not venues
        or bool(named.region)
        or named.name in cities.ALIASES
        or _near_the_mission(first, gaz)
    )
    if city_first:
        reasons = [_("the query names this city")] + [_("another city of this name")] * len(wanted)
    else:
        reasons = [_("a town of this name, away from the places the mission visits")] * len(wanted)
    towns = [_city_result(query, c, why) for c, why in zip(wanted, reasons, strict=False)]
    ordered = [*towns, *venues] if city_first else [*venues, *towns]
    return _distinct(_settle_by_region(ordered, region))


def _near_the_mission(city: cities.City, gaz: Gazetteer) -> bool:
    """True when a place of the gazetteer (where missions go) is within MISSION_KM."""
    from visitplanner.geo.travel import distance_km

    return any(distance_km((city.lat, city.lon), (e.lat, e.lon)) <= MISSION_KM for e in gaz.entries)


def _settle_by_region(found: list[GeoResult], region: str) -> list[GeoResult]:
    """Only the answers in the trip's region when some are and others are not."""
    if not region or len(found) < 2:
        return found
    inside = [r for r in found if _region_of(r) == region]
    if not inside or len(inside) == len(found):
        return found
    return [replace(inside[0], reason=_("the one of this name in the trip's region")), *inside[1:]]


def _region_of(result: GeoResult) -> str:
    """The region code of an answer: its own, else roughly from its point (a library place
    typed without its region)."""
    if result.region:
        return result.region.upper()
    if 44.9 <= result.lat <= 62.6 and -79.8 <= result.lon <= -57.1:
        return "QC"
    if 41.2 <= result.lat <= 42.9 and -73.6 <= result.lon <= -69.9:
        return "MA"
    return ""


def _distinct(found: list[GeoResult]) -> list[GeoResult]:
    """One answer per place: a later one of the same precision near an earlier one is it."""
    from visitplanner.geo.travel import distance_km

    kept: list[GeoResult] = []
    for result in found:
        if not any(
            other.precision == result.precision
            and distance_km((other.lat, other.lon), (result.lat, result.lon)) < SAME_PLACE_KM
            for other in kept
        ):
            kept.append(result)
    return kept[:MAX_CANDIDATES]


def _fits_postal(result: GeoResult, code: postal.PostalCentroid | None) -> bool:
    """False when the query's postal code is far from the answer (and not its own code)."""
    if code is None or (result.postal_code and postal.lookup(result.postal_code) == code):
        return True
    from visitplanner.geo.travel import distance_km

    return distance_km((result.lat, result.lon), (code.lat, code.lon)) <= POSTAL_TOLERANCE_KM


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


def _venue(query: str, e: GazetteerEntry, reason: str) -> GeoResult:
    return GeoResult(
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
        reason=reason,
    )


def _postal_result(query: str, code: postal.PostalCentroid) -> GeoResult:
    label = _("Postal code {code}").format(code=code.code)
    return GeoResult(
        query,
        code.lat,
        code.lon,
        Precision.POSTAL,
        "postal",
        label,
        region=code.region,
        postal_code=code.code,
        country=code.country,
        kind="postal",
        reason=_("the centre of the postal code in the query"),
    )


def _city_result(query: str, city: cities.City, reason: str) -> GeoResult:
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
        reason=reason,
    )


# -- the library: its places and the cache ---------------------------------------------------


def from_library(lib: Library, query: str) -> GeoResult | None:
    """The library's answer: the cache's for this very query, else the place whose whole name
    is the query (a small typo forgiven); never a place at city precision."""
    cached = _from_cache(lib, query)
    if cached is not None:
        return cached
    found = sorted(_library_matches(lib, query), key=lambda m: -m[0])
    return found[0][1] if found else None


def _from_cache(lib: Library, query: str) -> GeoResult | None:
    row = lib.query_one(
        "SELECT * FROM geocode_cache WHERE query_key = ?",
        (cache_key(query),),
    )
    if row is None:
        return None
    return GeoResult(
        query,
        row["lat"],
        row["lon"],
        Precision(row["precision"]),
        "cache",
        row["label"],
        reason=_("found online earlier"),
        **{field: row[field] for field in _CACHED_ADDRESS},
    )


# The address fields of an answer kept with it in the cache.
_CACHED_ADDRESS = ("name", "street", "city", "region", "postal_code", "country", "kind")


LIBRARY_MATCH = 0.95  # a place's whole name, one small typo forgiven


@lru_cache(maxsize=20_000)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(text.tokens(name))


def _library_matches(lib: Library, query: str) -> list[tuple[float, GeoResult]]:
    wanted = text.tokens(query)
    # A typo costs 0.1, a missing word 1: at LIBRARY_MATCH, half the words at least are exact.
    distinct = set(wanted)
    needed = max(1, (len(distinct) + 1) // 2)
    found: list[tuple[float, GeoResult]] = []
    for row in lib.query(
        "SELECT name, street, city, region, postal_code, country, lat, lon, precision "
        "FROM place WHERE lat IS NOT NULL AND lon IS NOT NULL AND precision IS NOT NULL "
        "AND precision != 'city' AND name != '' ORDER BY id"
    ):
        words = _name_words(row["name"])
        if len(distinct.intersection(words)) < needed:
            continue
        score = text.similarity(wanted, list(words))
        if score < LIBRARY_MATCH:
            continue
        label = ", ".join(p for p in (row["name"], row["street"], row["city"]) if p)
        result = GeoResult(
            query,
            row["lat"],
            row["lon"],
            Precision(row["precision"]),
            "library",
            label,
            name=row["name"],
            street=row["street"],
            city=row["city"],
            region=row["region"],
            postal_code=row["postal_code"],
            country=row["country"],
            reason=_("a place of the library with this name"),
        )
        found.append((score, result))
    return found


def store_in_cache(lib: Library, result: GeoResult) -> None:
    with lib.write():
        lib.db.execute(
            "INSERT OR REPLACE INTO geocode_cache (query_key, query, lat, lon, precision, source,"
            f" label, {', '.join(_CACHED_ADDRESS)}) VALUES"
            f" ({', '.join('?' * (7 + len(_CACHED_ADDRESS)))})",
            (
                cache_key(result.query),
                result.query,
                result.lat,
                result.lon,
                result.precision.value,
                result.source,
                result.label,
                *(getattr(result, field) for field in _CACHED_ADDRESS),
            ),
        )


def _online(query: str, settings: OnlineSettings, region: str) -> GeoResult | None:
    from visitplanner.geo.online import search

    return search(query, settings, region)
