"""Online geocoding through geopy's Nominatim client, only when the user allows it.

The public Nominatim server's policy: an identifying User-Agent, at most one request per second,
results cached (the library's geocode_cache does that), no autocomplete. The server URL is
configurable, so a mission can use its own or a commercial Nominatim-compatible service.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from visitplanner import __version__
from visitplanner.i18n import _
from visitplanner.model import Precision

if TYPE_CHECKING:
    from visitplanner.geo.geocoder import GeoResult

DEFAULT_SERVER = "https://nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = f"VisitPlanner/{__version__} (trade mission planner)"
MIN_INTERVAL_S = 1.0  # Nominatim's usage policy: at most one request per second


@dataclass(frozen=True)
class OnlineSettings:
    enabled: bool = False
    server: str = DEFAULT_SERVER
    user_agent: str = DEFAULT_USER_AGENT
    timeout_s: float = 8.0
    min_interval_s: float = MIN_INTERVAL_S


class _RateLimit:
    """At most one request per interval from this process, whichever thread asks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -1e9

    def wait(self, interval: float) -> None:
        with self._lock:
            delay = self._last + interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._last = time.monotonic()


RATE_LIMIT = _RateLimit()

# Nominatim's feature classes that name a building or a site rather than an address.
_VENUE_CLASSES = frozenset(
    [
        "amenity",
        "building",
        "tourism",
        "office",
        "healthcare",
        "aeroway",
        "railway",
        "leisure",
        "shop",
        "historic",
    ]
)
_CITY_TYPES = frozenset(["city", "town", "village", "municipality", "hamlet", "county", "state"])


def precision_of(raw: dict[str, Any]) -> Precision:
    """How precise a Nominatim answer is, from its class, type and rank."""
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if kind == "postcode":
        return Precision.POSTAL
    if kind in _CITY_TYPES or raw.get("class") == "boundary":
        return Precision.CITY
    if raw.get("class") in _VENUE_CLASSES and kind not in ("house", "road"):
        return Precision.VENUE
    try:
        rank = int(raw.get("place_rank", 30))
    except (TypeError, ValueError):
        rank = 30
    if rank >= 26:
        return Precision.ADDRESS
    if rank >= 21:
        return Precision.POSTAL
    return Precision.CITY


def _client(settings: OnlineSettings) -> Any:
    from geopy.adapters import URLLibAdapter
    from geopy.geocoders import Nominatim

    url = settings.server if "://" in settings.server else f"https://{settings.server}"
    parts = urlsplit(url)
    domain = parts.netloc + parts.path.rstrip("/")
    return Nominatim(
        domain=domain,
        scheme=parts.scheme,
        user_agent=settings.user_agent or DEFAULT_USER_AGENT,
        timeout=settings.timeout_s,
        # the standard library's HTTP, whatever else is installed: geopy would otherwise
        # switch to requests when present (the publish's CalDAV client brings it), whose
        # retries turn a server that does not answer in time into a generic failure
        adapter_factory=URLLibAdapter,
    )


# The area of a trip's region (south-west and north-east corners): Nominatim prefers answers
# inside it without refusing others ("viewbox" with "bounded=0").
REGION_VIEWBOXES = {
    "MA": ((41.2, -73.5), (42.9, -69.9)),
    "QC": ((45.0, -74.5), (47.0, -70.9)),  # Montréal, Laval, Sherbrooke to Québec City
}


def search(query: str, settings: OnlineSettings, region: str = "") -> GeoResult | None:
    """Ask the server (rate limited); None when it knows no such place. ``region`` ("MA",
    "QC"), the trip's, makes the server prefer answers there.

    Raises GeocodingError with a sentence for the user when the service fails.
    """
    from geopy.exc import GeocoderTimedOut, GeopyError

    from visitplanner.geo.geocoder import GeocodingError, GeoResult

    server = settings.server
    RATE_LIMIT.wait(settings.min_interval_s)
    try:
        location = _client(settings).geocode(
            query, exactly_one=True, addressdetails=True, viewbox=REGION_VIEWBOXES.get(region)
        )
    except GeocoderTimedOut as error:
        raise GeocodingError(
            _("The geocoding server {server} did not answer in time.").format(server=server)
        ) from error
    except GeopyError as error:
        raise GeocodingError(
            _("The geocoding server {server} failed: {reason}").format(
                server=server, reason=str(error) or type(error).__name__
            )
        ) from error
    except (OSError, ValueError) as error:  # connection refused, a bad URL
        raise GeocodingError(
            _("The geocoding server {server} cannot be reached: {reason}").format(
                server=server, reason=error
            )
        ) from error
    except (TypeError, KeyError, AttributeError, IndexError) as error:  # JSON of the wrong shape
        raise GeocodingError(
            _("The geocoding server {server} failed: {reason}").format(
                server=server, reason=str(error) or type(error).__name__
            )
        ) from error
    if location is None:
        return None
    raw = location.raw if isinstance(location.raw, dict) else {}
    try:
        lat, lon = float(location.latitude), float(location.longitude)
    except (TypeError, ValueError) as error:
        raise GeocodingError(
            _("The geocoding server {server} sent an answer that cannot be read.").format(
                server=server
            )
        ) from error
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocodingError(
            _("The geocoding server {server} sent an answer that cannot be read.").format(
                server=server
            )
        )
    label = _text(raw.get("display_name")) or _text(location.address) or query
    precision = precision_of(raw)
    return GeoResult(
        query,
        lat,
        lon,
        precision,
        "nominatim",
        label,
        reason=_("found online"),
        **address_of(raw, precision),
    )


def _text(value: object) -> str:
    """A server's text as one clean line, cut to what a place's field holds."""
    if not isinstance(value, str):
        return ""
    from visitplanner.rules import CONTROL_CHARACTERS, MAX_SHORT_TEXT

    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())[:MAX_SHORT_TEXT]


def address_of(raw: dict[str, Any], precision: Precision) -> dict[str, str]:
    """The resolved address of a Nominatim answer asked with ``addressdetails``: the fields of
    GeoResult (name, street, city, region, postal_code, country, kind), empty where unknown."""
    from visitplanner.geo.cities import REGION_NAMES
    from visitplanner.geo.text import normalize

    details = raw.get("address")
    address: dict[str, Any] = details if isinstance(details, dict) else {}

    def first(*keys: str) -> str:
        return next((v for k in keys if (v := _text(address.get(k)))), "")

    street = " ".join(p for p in (first("house_number"), first(*_ROAD_KEYS)) if p)
    iso = first("ISO3166-2-lvl4")  # "US-MA", "CA-QC"
    state = first("state")
    region = iso.split("-", 1)[1] if "-" in iso else REGION_NAMES.get(normalize(state), state)
    name = _text(raw.get("name")) if precision is Precision.VENUE else ""
    kind = {Precision.VENUE: _text(raw.get("type")), Precision.CITY: "city"}.get(precision, "")
    return {
        "name": name,
        "street": street,
        "city": first(*_CITY_KEYS) or (_text(raw.get("name")) if kind == "city" else ""),
        "region": region,
        "postal_code": first("postcode"),
        "country": first("country_code").upper(),
        "kind": "postal" if precision is Precision.POSTAL else kind,
    }


_ROAD_KEYS = ("road", "pedestrian", "footway", "street")
_CITY_KEYS = ("city", "town", "village", "municipality", "hamlet")
