"""Command-line commands of the library as a whole: demo and trips."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from visitplanner.cli import (
    EXIT_OK,
    add_db_argument,
    add_json_argument,
    library_path,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.i18n import _


def _cmd_demo(args: argparse.Namespace) -> int:
    from visitplanner import demo
    from visitplanner.library import trips

    with open_library(args, create=True) as lib:
        have = {t.name for t in trips.trips(lib)}
        if have:
            print(_("The library already holds trips; no demo was added."), file=sys.stderr)
            return EXIT_OK
        else:
            demo.load_demo(lib)
        summaries = trips.trip_summaries(lib)
    print(
        _("Library {path} now holds {count} trips.").format(
            path=library_path(args), count=len(summaries)
        )
    )
    return EXIT_OK


def trip_summary_json(summary: Any) -> dict[str, object]:
    t = summary.trip
    return {
        "id": t.id,
        "name": t.name,
        "region": t.region.value,
        "first_day": t.first_day.isoformat(),
        "last_day": t.last_day.isoformat(),
        "timezone": t.timezone,
        "delegates": summary.delegates,
        "meetings": summary.meetings,
    }


def _cmd_trips(args: argparse.Namespace) -> int:
    from visitplanner.i18n import current
    from visitplanner.library import trips

    with open_library(args, write=False) as lib:
        summaries = trips.trip_summaries(lib)
    if args.json:
        print_json([trip_summary_json(s) for s in summaries])
        return EXIT_OK
    tr = current()
    for s in summaries:
        t = s.trip
        print(
            _(
                "{id:>4}  {name}  {first} – {last}  {delegates} delegates, {meetings} meetings"
            ).format(
                id=t.id,
                name=t.name,
                first=tr.format_date(t.first_day, "medium"),
                last=tr.format_date(t.last_day, "medium"),
                delegates=s.delegates,
                meetings=s.meetings,
            )
        )
    if not summaries:
        print(_("No trips yet."))
    return EXIT_OK


def _cmd_trip_delete(args: argparse.Namespace) -> int:
    from visitplanner import edits
    from visitplanner.library import trips

    with open_library(args) as lib:
        summary = next((s for s in trips.trip_summaries(lib) if s.trip.id == args.trip), None)
        if summary is None:
            trips.get_trip(lib, args.trip)  # says there is no such trip
        assert summary is not None
        edits.Delete("trip", args.trip).apply(lib)
    if args.json:
        print_json({"deleted": trip_summary_json(summary)})
        return EXIT_OK
    print(
        _(
            "Deleted the trip “{name}” with its {delegates} delegates and {meetings} meetings."
        ).format(name=summary.trip.name, delegates=summary.delegates, meetings=summary.meetings)
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help=_("create a library holding the demo trips"))
    add_db_argument(p)
    p.set_defaults(handler=_cmd_demo)

    p = sub.add_parser("trips", help=_("list the trips of a library"))
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=_cmd_trips)

    group = subcommand_group(sub, "trip", _("change one trip of a library"))
    p = group.add_parser("delete", help=_("delete a trip with its delegates and meetings"))
    add_db_argument(p)
    p.add_argument("--trip", type=int, required=True, metavar="ID", help=_("the trip's id"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_trip_delete)
