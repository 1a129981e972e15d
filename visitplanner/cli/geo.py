"""Command-line commands of geography: geocode and travel."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from visitplanner.cli import add_db_argument, add_json_argument, library_path, print_json
from visitplanner.i18n import _
from visitplanner.model import TravelMode

if TYPE_CHECKING:
    from visitplanner.geo.geocoder import GeoResult
    from visitplanner.geo.online import OnlineSettings
    from visitplanner.library import Library


def _online_settings(args: argparse.Namespace) -> OnlineSettings | None:
    from visitplanner.geo.online import DEFAULT_SERVER, DEFAULT_USER_AGENT, OnlineSettings

    if not args.online:
        return None
    return OnlineSettings(
        enabled=True,
        server=args.server or DEFAULT_SERVER,
        user_agent=args.user_agent or DEFAULT_USER_AGENT,
        timeout_s=args.timeout,
    )


@contextlib.contextmanager
def _cache_library(args: argparse.Namespace, write: bool) -> Iterator[Library | None]:
    """The library holding the places and the geocoding cache: --db, or the user's if any."""
    from visitplanner.errors import LibraryError
    from visitplanner.library import Library

    path = library_path(args)
    if not args.db and not path.exists():
        yield None
        return
    try:
        lib = Library.open(path, create=bool(args.db) and write, exclusive=write)
    except LibraryError:
        if args.db:
            raise
        yield None  # the user's library is busy (the app is open): answer without it
        return
    try:
        yield lib
    finally:
        lib.close()


def _resolve(
    query: str, lib: Library | None, online: OnlineSettings | None, region: str | None
) -> list[GeoResult]:
    """Every answer that remained for ``query``, best first; when there are several, says on
    stderr which was taken and why, and the others."""
    from visitplanner.geo.geocoder import candidates

    found = candidates(query, lib, online, region=region)
    best = found[0]
    if best.note:
        print(best.note, file=sys.stderr)
    if len(found) > 1:
        print(
            _("“{query}” may be several places; took {label} ({reason}).").format(
                query=query, label=best.label, reason=best.reason
            ),
            file=sys.stderr,
        )
        for other in found[1:]:
            print(
                "  " + _("also: {label} ({reason})").format(label=other.label, reason=other.reason),
                file=sys.stderr,
            )
    return found


def _answer_json(found: list[GeoResult]) -> dict[str, object]:
    data = found[0].to_json()
    if len(found) > 1:
        data["alternatives"] = [other.to_json() for other in found[1:]]
    return data


def _cmd_geocode(args: argparse.Namespace) -> int:
    online = _online_settings(args)
    with _cache_library(args, write=online is not None) as lib:
        found = _resolve(args.query, lib, online, args.region)
    result = found[0]
    if args.json:
        print_json(_answer_json(found))
    else:
        print(
            _("{lat:.5f}, {lon:.5f}  {label} ({precision}, {source})").format(
                lat=result.lat,
                lon=result.lon,
                label=result.label,
                precision=result.precision.value,
                source=result.source,
            )
        )
    return 0


def _cmd_travel(args: argparse.Namespace) -> int:
    from visitplanner.geo.travel import estimate

    online = _online_settings(args)
    mode = TravelMode(args.mode)
    with _cache_library(args, write=online is not None) as lib:
        origin = _resolve(args.origin, lib, online, args.region)
        destination = _resolve(args.destination, lib, online, args.region)
    a, b = origin[0], destination[0]
    leg = estimate((a.lat, a.lon), (b.lat, b.lon), mode)
    if args.json:
        print_json(
            {
                "from": _answer_json(origin),
                "to": _answer_json(destination),
                "mode": mode.value,
                "distance_km": leg.distance_km,
                "minutes": leg.minutes,
                "border": leg.border,
            }
        )
    else:
        print(
            _("{origin} → {destination}: {km:.1f} km, about {minutes} min ({mode})").format(
                origin=a.label,
                destination=b.label,
                km=leg.distance_km,
                minutes=leg.minutes,
                mode=mode.value,
            )
        )
    return 0


def _add_online_arguments(p: argparse.ArgumentParser) -> None:
    p.set_defaults(online=False)
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--offline", dest="online", action="store_false", help=_("never use the network (default)")
    )
    group.add_argument(
        "--online",
        dest="online",
        action="store_true",
        help=_("ask a Nominatim server when the offline data is not precise enough"),
    )
    p.add_argument("--server", metavar="URL", help=_("Nominatim-compatible server base URL"))
    p.add_argument("--user-agent", metavar="TEXT", help=_("User-Agent sent to the server"))
    p.add_argument(
        "--timeout", type=float, default=8.0, metavar="SECONDS", help=_("network time-out")
    )
    p.add_argument(
        "--region",
        choices=["boston", "quebec"],
        help=_("the trip's region, to choose between places of the same name (default: none)"),
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("geocode", help=_("find the coordinates of a place, address or city"))
    p.add_argument("query", metavar="QUERY", help=_("a venue, an address, a postal code or a city"))
    add_db_argument(p)
    add_json_argument(p)
    _add_online_arguments(p)
    p.set_defaults(handler=_cmd_geocode)

    p = sub.add_parser("travel", help=_("estimate the travel time between two places"))
    p.add_argument("--from", dest="origin", required=True, metavar="A", help=_("start place"))
    p.add_argument("--to", dest="destination", required=True, metavar="B", help=_("end place"))
    p.add_argument(
        "--mode",
        choices=[m.value for m in TravelMode],
        default=TravelMode.TAXI.value,
        help=_("how to travel (default: taxi)"),
    )
    add_db_argument(p)
    add_json_argument(p)
    _add_online_arguments(p)
    p.set_defaults(handler=_cmd_travel)
