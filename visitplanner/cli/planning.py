"""Command-line commands of planning: check, plan, trip new (and arrange, import meetings)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from visitplanner.cli import (
    add_db_argument,
    add_json_argument,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.errors import InputError
from visitplanner.i18n import _, current


def _cmd_check(args: argparse.Namespace) -> int:
    from visitplanner.library import trips
    from visitplanner.planning.checks import check_snapshot
    from visitplanner.planning.snapshot import load_snapshot

    with open_library(args, write=False) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        snap = load_snapshot(lib, trip.id)
    problems = check_snapshot(snap)
    if args.json:
        print_json(
            {
                "trip": trip.id,
                "problems": [
                    {
                        "kind": p.kind.value,
                        "severity": p.severity.value,
                        "meetings": list(p.meeting_ids),
                        "delegates": [
                            snap.delegates[d].name for d in p.delegate_ids if d in snap.delegates
                        ],
                        "message": p.message,
                        "fix": p.fix or None,
                    }
                    for p in problems
                ],
            }
        )
        return 0
    for p in problems:
        print(f"[{p.severity.value}] {p.message}")
        if p.fix:
            print(f"    {p.fix}")
    if not problems:
        print(_("No problems found."))
    return 0


def _hhmm(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%H:%M") if moment else None


def _label(place: Any) -> str | None:
    return place.label() if place is not None else None


def day_plan_json(plan: Any, snap: Any) -> dict[str, object]:
    """One DayPlan as the `plan` command prints it: "hotel" is the hotel of the day's night
    and "morning_hotel" the one the day starts from (null: not known, or the delegate is not
    there); a leg's "from"/"to" meeting is null at the hotel ("from_hotel"/"to_hotel") or a
    busy block ("from_busy"/"to_busy": its title); a transfer stop has its "to_place"."""
    from visitplanner.planning.dayplan import arrival_place, is_segment

    stops = []
    for m in plan.stops:
        place = snap.place_of(m)
        stop: dict[str, object] = {
            "meeting": m.id,
            "title": m.title,
            "start": _hhmm(m.start),
            "end": _hhmm(m.end),
            "place": place.label() if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
        }
        if is_segment(m):
            stop["to_place"] = _label(arrival_place(snap, m))
            stop["transfer_mode"] = m.transfer_mode.value if m.transfer_mode else None
            stop["reference"] = m.reference
        stops.append(stop)
    legs = [
        {
            "from": leg.origin.id if leg.origin else None,
            "to": leg.destination.id if leg.destination else None,
            "from_hotel": leg.from_hotel,
            "to_hotel": leg.to_hotel,
            "from_busy": leg.origin_busy.title if leg.origin_busy else None,
            "to_busy": leg.destination_busy.title if leg.destination_busy else None,
            "from_place": _label(leg.from_place),
            "to_place": _label(leg.to_place),
            "mode": leg.leg.mode.value if leg.leg else None,
            "distance_km": leg.leg.distance_km if leg.leg else None,
            "minutes": leg.leg.minutes if leg.leg else None,
        }
        for leg in plan.legs
    ]
    busy = [
        {
            "title": b.title,
            "start": _hhmm(b.start),
            "end": _hhmm(b.end),
            "place": _label(snap.places.get(b.place_id)),
        }
        for b in plan.busy
    ]
    delegate = snap.delegates.get(plan.delegate_id) if plan.delegate_id is not None else None
    return {
        "date": plan.date.isoformat(),
        "delegate": delegate.name if delegate else None,
        "present": plan.present,
        "morning_hotel": _label(plan.morning_hotel),
        "hotel": _label(plan.hotel),
        "stops": stops,
        "busy": busy,
        "legs": legs,
    }


def _cmd_plan(args: argparse.Namespace) -> int:
    from visitplanner.library import trips
    from visitplanner.planning.dayplan import all_day_plans, day_plans
    from visitplanner.planning.snapshot import load_snapshot

    with open_library(args, write=False) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        delegate = trips.resolve_delegate(lib, trip.id, args.delegate) if args.delegate else None
        snap = load_snapshot(lib, trip.id)
    if delegate is not None:
        plans = day_plans(snap, delegate.id, with_base=args.hotel)
    else:
        plans = all_day_plans(snap, with_base=args.hotel)
        plans = [p for p in plans if p.stops or p.busy or p.delegate_id is None]
    if args.json:
        print_json({"trip": trip.id, "days": [day_plan_json(p, snap) for p in plans]})
        return 0
    tr = current()
    for plan in plans:
        who = snap.delegates[plan.delegate_id].name if plan.delegate_id else _("Whole delegation")
        print(f"{tr.format_date(plan.date)} — {who}")
        _print_day(snap, plan, tr, with_hotel=args.hotel)
    return 0


def _print_day(snap: Any, plan: Any, tr: Any, *, with_hotel: bool) -> None:
    """The `plan` text of one day: its hotels, each stop with the way into it, the way back."""
    from visitplanner.planning.dayplan import arrival_place, is_segment
    from visitplanner.planning.precision import place_text

    if with_hotel and not plan.present:
        print("  " + _("Not there this day."))
    elif with_hotel:
        morning, night = plan.morning_hotel, plan.hotel
        if morning is not None and night is not None and morning.id != night.id:
            print(
                "  "
                + _("Hotel: {morning} in the morning, {night} tonight").format(
                    morning=morning.label(), night=night.label()
                )
            )
        elif night is not None or morning is not None:
            print("  " + _("Hotel: {hotel}").format(hotel=(night or morning).label()))
        else:
            print("  " + _("Hotel: to be confirmed"))
    items = [(m.start, 0, m.id or 0, m, None) for m in plan.stops]
    items += [(b.start, 1, b.id or 0, None, b) for b in plan.busy]
    items.sort(key=lambda i: i[:3])
    for _start, _order, _id, m, b in items:
        leg = next(
            (
                x
                for x in plan.legs
                if (m is not None and x.destination is m)
                or (b is not None and x.destination_busy is b)
            ),
            None,
        )
        if leg is not None:
            line = _leg_line(leg, tr)
            if line:
                print("      " + line)
        if b is not None:
            place = snap.places.get(b.place_id)
            title = b.title or _("Busy")
            print(
                f"  {tr.format_time(b.start)}–{tr.format_time(b.end)}  "
                + _("Busy: {title}").format(title=title)
                + (f"  ({place_text(place, tr)})" if place else "")
            )
            continue
        assert m.start is not None and m.end is not None
        place = snap.place_of(m)
        where = f"  ({place_text(place, tr)})" if place else ""
        if is_segment(m):
            to = arrival_place(snap, m)
            where = "  ({} → {})".format(place.label() if place else "?", to.label() if to else "?")
        print(f"  {tr.format_time(m.start)}–{tr.format_time(m.end)}  {m.title}{where}")
    back = next((x for x in plan.legs if x.to_hotel), None)
    if back is not None:
        line = _leg_line(back, tr)
        if line:
            print("      " + line)
    if not items:
        print("  " + _("Nothing scheduled."))


def _leg_line(day_leg: Any, tr: Any) -> str | None:
    """The `plan` line of a leg: same place, unknown, rough or estimated; to the hotel, its
    name."""
    from visitplanner.model import MODE_LABELS
    from visitplanner.planning.dayplan import same_place

    origin, destination = day_leg.from_place, day_leg.to_place
    leg = day_leg.leg
    if origin is None or destination is None:
        return None  # a meeting without a place: no way to go there
    if same_place(origin, destination) and (leg is None or leg.estimated):
        if day_leg.to_hotel:
            return _("↓ Back at the hotel")
        return _("↓ At the hotel") if day_leg.from_hotel else _("↓ Same place")
    if leg is None:
        if origin.has_coordinates and destination.has_coordinates:
            return _("↓ travel time unknown: both addresses are to be confirmed")
        return _("↓ travel time unknown: a place has no coordinates")
    values = {
        "mode": tr.gettext(MODE_LABELS[leg.mode]),
        "distance": tr.format_decimal(leg.distance_km, 1),
        "minutes": leg.minutes,
    }
    if not leg.estimated:
        text = _("↓ {mode}, {distance} km, {minutes} min (set by hand)").format(**values)
    elif leg.rough:
        text = _("↓ {mode}, {distance} km, roughly {minutes} min (address to be confirmed)").format(
            **values
        )
    else:
        text = _("↓ {mode}, {distance} km, about {minutes} min").format(**values)
    if day_leg.to_hotel:
        return _("{leg}, back to {hotel}").format(leg=text, hotel=destination.label())
    return text


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            _("“{text}” is not a date; write it as YYYY-MM-DD.").format(text=text)
        ) from None


def _parse_time(text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise InputError(
            _("“{text}” is not a time; write it as HH:MM.").format(text=text)
        ) from None


_REGION_ZONES = {"boston": "America/New_York", "quebec": "America/Toronto"}


def _base_place_id(lib: Any, text: str) -> int | None:
    """The hotel base named ``text``: a place of the library, else one the offline
    geocoder finds (the gazetteer's hotels and venues, an address), added to the library."""
    from visitplanner.geo.geocoder import offline
    from visitplanner.library import directory
    from visitplanner.model import Precision
    from visitplanner.planning.places import match_place

    place = match_place(lib, text)
    if place is not None:
        return place.id
    found = offline(text.strip(), lib)
    if found is None or found.precision is Precision.CITY:
        raise InputError(_("No place in the library matches “{text}”.").format(text=text))
    return directory.add_place(lib, found.to_place())


def _add_trip(lib: Any, trip: Any) -> int:
    """The app's New Trip operation; returns the new trip's id."""
    from visitplanner import edits

    return edits.Add(trip).apply(lib).created_id("trip")


def _cmd_trip_new(args: argparse.Namespace) -> int:
    from visitplanner import rules
    from visitplanner.library import trips
    from visitplanner.model import Region, TravelMode, Trip

    first, last = _parse_date(args.first), _parse_date(args.last)
    rules.check_trip_days(first, last)
    zone = trips.check_timezone(args.tz or _REGION_ZONES.get(args.region, "America/New_York"))
    day_start, day_end = _parse_time(args.day_start), _parse_time(args.day_end)
    rules.check_day_hours(day_start, day_end)
    rules.check_buffer(args.buffer)
    name = args.name.strip()
    if not name:
        raise InputError(_("The trip needs a name."))
    with open_library(args, create=True) as lib, lib.write():
        base_id = _base_place_id(lib, args.base) if args.base else None
        trip_id = _add_trip(
            lib,
            Trip(
                name=name,
                first_day=first,
                last_day=last,
                timezone=zone,
                region=Region(args.region),
                day_start=day_start,
                day_end=day_end,
                buffer_minutes=args.buffer,
                default_mode=TravelMode(args.mode),
                base_place_id=base_id,
            ),
        )
    if args.json:
        print_json({"id": trip_id})
    else:
        print(trip_id)
    return 0


def arrangement_json(arrangement: Any, applied: bool) -> dict[str, object]:
    return {
        "placed": [
            {
                "meeting": p.meeting_id,
                "title": p.title,
                "date": p.start.date().isoformat(),
                "delegates": list(p.delegate_ids),
                "start": _hhmm(p.start),
                "end": _hhmm(p.end),
            }
            for p in arrangement.placed
        ],
        "unplaced": [
            {"meeting": u.meeting_id, "title": u.title, "reason": u.reason}
            for u in arrangement.unplaced
        ],
        "travel_minutes": arrangement.travel_minutes,
        "applied": applied,
    }


def _cmd_arrange(args: argparse.Namespace) -> int:
    from visitplanner.edits import AcceptArrangement
    from visitplanner.library import trips
    from visitplanner.planning.arrange import arrange
    from visitplanner.planning.snapshot import load_snapshot

    if not 0 < args.time_limit <= 3600:
        raise InputError(_("The time limit must be between 0 and 3600 seconds."))
    with open_library(args, write=args.apply) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        snap = load_snapshot(lib, trip.id)
        arrangement = arrange(snap, time_limit=args.time_limit)
        if args.apply and arrangement.placed:
            AcceptArrangement(arrangement).apply(lib)
    if args.json:
        data = arrangement_json(arrangement, args.apply and bool(arrangement.placed))
        names = {d.id: d.name for d in snap.delegates.values()}
        for entry in data["placed"]:  # type: ignore[attr-defined]
            entry["delegates"] = [names.get(d, str(d)) for d in entry["delegates"]]
        print_json(data)
        return 0
    tr = current()
    for p in arrangement.placed:
        print(
            f"{tr.format_date(p.start.date(), 'medium')} "
            f"{tr.format_time(p.start)}–{tr.format_time(p.end)}  {p.title}"
        )
    for u in arrangement.unplaced:
        print(_("Not placed: “{title}”: {reason}").format(title=u.title, reason=u.reason))
    print(
        _("{placed} placed, {unplaced} not placed, {minutes} min of travel in all.").format(
            placed=len(arrangement.placed),
            unplaced=len(arrangement.unplaced),
            minutes=arrangement.travel_minutes,
        )
    )
    if args.apply:
        print(_("Applied: the placed requests are now proposed meetings."))
    else:
        print(_("Nothing was written; add --apply to keep this arrangement."))
    return 0


def _cmd_import_meetings(args: argparse.Namespace) -> int:
    from pathlib import Path

    from visitplanner.exchange.meetings_csv import import_meetings
    from visitplanner.library import trips

    with open_library(args, write=not args.dry_run) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        result, count = import_meetings(lib, Path(args.file), trip.id, dry_run=args.dry_run)
    if args.json:
        print_json(result.to_json(count))
        return 0
    for warning in result.warnings:
        print(_("Warning: {message}").format(message=warning))
    for rejected in result.rejected:
        print(
            _("Line {line} rejected: {reason}").format(line=rejected.line, reason=rejected.reason)
        )
    if args.dry_run:
        print(_("{count} meetings would be imported; nothing was written.").format(count=count))
    else:
        print(_("{count} meetings imported.").format(count=count))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help=_("list the problems of a trip"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_check)

    p = sub.add_parser("plan", help=_("day plans of a trip, with the legs between stops"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument("--delegate", help=_("delegate id or exact name (default: everyone)"))
    p.add_argument(
        "--hotel", action="store_true", help=_("add the legs from and back to the hotel")
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_plan)

    p = sub.add_parser("arrange", help=_("place a trip's meeting requests automatically"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument(
        "--apply", action="store_true", help=_("write the arrangement (default: only show it)")
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=4.0,
        metavar="S",
        help=_("seconds the optimizer may search (default: 4)"),
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_arrange)

    group = subcommand_group(sub, "import", _("import meetings, contacts or a trip"))
    p = group.add_parser("meetings", help=_("import meetings and requests from a CSV file"))
    p.add_argument("file", metavar="FILE.csv")
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_import_meetings)

    trip = subcommand_group(sub, "trip", _("create or change trips"))
    p = trip.add_parser("new", help=_("create a trip and print its id"))
    add_db_argument(p)
    p.add_argument("--name", required=True, help=_("name of the trip"))
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--region", choices=["boston", "quebec", "other"], default="other")
    p.add_argument("--tz", help=_("IANA time zone (default: from the region)"))
    p.add_argument("--base", metavar="PLACE", help=_("the hotel: a place of the library"))
    p.add_argument("--day-start", default="08:30", metavar="HH:MM")
    p.add_argument("--day-end", default="18:00", metavar="HH:MM")
    p.add_argument("--buffer", type=int, default=10, metavar="MIN")
    p.add_argument("--mode", choices=["walk", "transit", "taxi", "drive", "train"], default="taxi")
    add_json_argument(p)
    p.set_defaults(handler=_cmd_trip_new)
